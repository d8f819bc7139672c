/* rd-csta-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers the CSTA codecs share: opening a PDU with the CSTA limits,
 * entering constructed values, slicing values out of a frame without a copy.
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include <string.h>

#include "rd-csta-private.h"

static const RdBerLimits csta_limits = {
  24,                    /* CSTA nests about ten deep */
  RD_CSTA_MAX_PDU_SIZE,
  RD_CSTA_MAX_PDU_SIZE,
};

gboolean
rd_csta_invalid (GError     **error,
                 const char  *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (RD_ERROR, RD_ERROR_INVALID_DATA, format, args);
  va_end (args);
  return FALSE;
}

gboolean
rd_csta_open (GBytes       *bytes,
              RdBerReader  *reader,
              GError      **error)
{
  return rd_ber_reader_init_bytes (reader, bytes, &csta_limits, error);
}

/* @bytes holds exactly one value [cls tag]; @contents walks its contents. */
gboolean
rd_csta_open_one (GBytes       *bytes,
                  RdBerClass    cls,
                  guint32       tag,
                  RdBerReader  *contents,
                  GError      **error)
{
  RdBerReader top;
  RdBerTlv tlv;

  if (bytes == NULL)
    return rd_csta_invalid (error, "missing value");

  return rd_csta_open (bytes, &top, error) &&
         rd_ber_reader_expect (&top, cls, tag, &tlv, error) &&
         rd_ber_reader_expect_end (&top, error) &&
         rd_ber_reader_descend (&top, &tlv, contents, error);
}

gboolean
rd_csta_enter (RdBerReader  *reader,
               RdBerClass    cls,
               guint32       tag,
               RdBerReader  *contents,
               GError      **error)
{
  RdBerTlv tlv;

  return rd_ber_reader_expect (reader, cls, tag, &tlv, error) &&
         rd_ber_reader_descend (reader, &tlv, contents, error);
}

gboolean
rd_csta_enter_tlv (RdBerReader     *reader,
                   const RdBerTlv  *tlv,
                   RdBerReader     *contents,
                   GError         **error)
{
  return rd_ber_reader_descend (reader, tlv, contents, error);
}

gboolean
rd_csta_read_int (RdBerReader  *reader,
                  RdBerClass    cls,
                  guint32       tag,
                  gint         *value,
                  GError      **error)
{
  RdBerTlv tlv;

  return rd_ber_reader_expect (reader, cls, tag, &tlv, error) &&
         rd_ber_tlv_get_int (&tlv, value, error);
}

/* [n] EXPLICIT INTEGER/ENUMERATED, or the implicit primitive form. */
gboolean
rd_csta_read_explicit_int (RdBerReader     *reader,
                           const RdBerTlv  *tlv,
                           gint            *value,
                           GError         **error)
{
  RdBerReader inner;
  RdBerTlv value_tlv;

  if (!tlv->constructed)
    return rd_ber_tlv_get_int (tlv, value, error);

  return rd_ber_reader_descend (reader, tlv, &inner, error) &&
         rd_ber_reader_read (&inner, &value_tlv, error) &&
         rd_ber_tlv_get_int (&value_tlv, value, error) &&
         rd_ber_reader_expect_end (&inner, error);
}

/* The whole TLV, sharing @owner's memory. */
GBytes *
rd_csta_slice (GBytes          *owner,
               const RdBerTlv  *tlv)
{
  return g_bytes_new_from_bytes (owner, tlv->offset, tlv->encoded_length);
}

/* The contents only. */
GBytes *
rd_csta_contents (GBytes          *owner,
                  const RdBerTlv  *tlv)
{
  return g_bytes_new_from_bytes (owner, tlv->offset + tlv->header_length, tlv->length);
}

char *
rd_csta_hex (const guint8 *data,
             gsize         size)
{
  GString *out = g_string_sized_new (size * 2 + 1);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

/* Inverse of rd_csta_hex(); NULL if @text is not an even run of hex digits. */
GBytes *
rd_csta_unhex (const char *text)
{
  gsize len = strlen (text);
  g_autofree guint8 *out = NULL;

  if (len % 2 != 0)
    return NULL;
  out = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len; i += 2)
    {
      if (!g_ascii_isxdigit (text[i]) || !g_ascii_isxdigit (text[i + 1]))
        return NULL;
      out[i / 2] = (guint8) (g_ascii_xdigit_value (text[i]) << 4 |
                             g_ascii_xdigit_value (text[i + 1]));
    }
  return g_bytes_new_take (g_steal_pointer (&out), len / 2);
}
