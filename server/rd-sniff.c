/* rd-sniff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Magic-byte sniffing for the evidence types, and nothing else: a pure
 * function of the first RD_SNIFF_HEAD_SIZE bytes (fuzzed by fuzz-sniff;
 * libFuzzer found that an Ogg page with many segments put the codec id past
 * a 64-byte head, hence the larger head and the cut below).
 *
 *   image/jpeg       FF D8 FF (SOI followed by a marker)
 *   image/png        89 'PNG' 0D 0A 1A 0A, then the IHDR chunk
 *   image/webp       'RIFF' size 'WEBP' 'VP8' (VP8 , VP8L or VP8X)
 *   application/pdf  '%PDF-' digit
 *   audio/ogg        'OggS' version 0 with the beginning-of-stream flag, whose
 *                    first packet is Opus, Vorbis, FLAC or Speex (not video)
 */

#define G_LOG_DOMAIN "RdSniff"

#include "config.h"

#include <string.h>

#include "rd-sniff.h"

static const char * const allowed_types[] = {
  "image/jpeg", "image/png", "image/webp", "application/pdf", "audio/ogg", NULL
};

static gboolean
has_prefix (const guint8 *data,
            gsize         length,
            gsize         offset,
            const char   *magic,
            gsize         magic_length)
{
  return length >= offset + magic_length && memcmp (data + offset, magic, magic_length) == 0;
}

static gboolean
is_ogg_audio (const guint8 *data,
              gsize         length)
{
  static const struct { const char *magic; gsize length; } codecs[] = {
    { "OpusHead", 8 },
    { "\x01vorbis", 7 },
    { "\x7f" "FLAC", 5 },
    { "Speex   ", 8 },
  };
  gsize n_segments;
  gsize packet;

  /* capture pattern, stream structure version 0, header type "first page" */
  if (!has_prefix (data, length, 0, "OggS\0", 5) || length < 27 || (data[5] & 0x02) == 0)
    return FALSE;

  n_segments = data[26];
  packet = 27 + n_segments;

  for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
    {
      if (has_prefix (data, length, packet, codecs[i].magic, codecs[i].length))
        return TRUE;
    }

  return FALSE;
}

/**
 * rd_sniff_content_type:
 * @data: (array length=length): the first bytes of a file
 *
 * Returns: (nullable): one of the evidence types, or %NULL when the bytes
 *   are none of them
 */
const char *
rd_sniff_content_type (const guint8 *data,
                       gsize         length)
{
  if (data == NULL)
    return NULL;

  /* never more than the upload keeps, so both always agree */
  length = MIN (length, RD_SNIFF_HEAD_SIZE);

  if (has_prefix (data, length, 0, "\xff\xd8\xff", 3))
    return "image/jpeg";

  if (has_prefix (data, length, 0, "\x89PNG\r\n\x1a\n", 8) &&
      has_prefix (data, length, 12, "IHDR", 4))
    return "image/png";

  if (has_prefix (data, length, 0, "RIFF", 4) &&
      has_prefix (data, length, 8, "WEBPVP8", 7) &&
      length > 15 && (data[15] == ' ' || data[15] == 'L' || data[15] == 'X'))
    return "image/webp";

  if (has_prefix (data, length, 0, "%PDF-", 5) && length > 5 && g_ascii_isdigit (data[5]))
    return "application/pdf";

  if (is_ogg_audio (data, length))
    return "audio/ogg";

  return NULL;
}

/**
 * rd_sniff_type_is_allowed:
 * @content_type: (nullable): a media type without parameters
 *
 * Returns: whether evidence of this type is accepted
 */
gboolean
rd_sniff_type_is_allowed (const char *content_type)
{
  if (content_type == NULL)
    return FALSE;

  return g_strv_contains (allowed_types, content_type);
}
