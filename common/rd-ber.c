/* rd-ber.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small ASN.1 BER (X.690) codec for CSTA: a reader that walks a buffer
 * without copying, and a writer that builds definite-length TLVs. Why not
 * libtasn1 is in docs/ber.md.
 *
 * The reader trusts nothing: every identifier, length and content octet is
 * checked against the end of the enclosing value before it is read, lengths
 * and nesting are bounded by RdBerLimits, and every failure is an
 * RD_ERROR_INVALID_DATA GError naming the byte offset. Indefinite lengths are
 * resolved when the value is read (a linear scan for the matching
 * end-of-contents, bounded by the depth limit), so a child reader always has a
 * definite window.
 */

#define G_LOG_DOMAIN "RdBer"

#include "config.h"

#include <string.h>

#include "rd-ber.h"
#include "rd-error.h"

static const RdBerLimits default_limits = {
  RD_BER_DEFAULT_MAX_DEPTH,
  RD_BER_DEFAULT_MAX_LENGTH,
  RD_BER_DEFAULT_MAX_TOTAL_SIZE,
};

static gboolean fail (GError    **error,
                      gsize       offset,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError    **error,
      gsize       offset,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
               "BER: %s at offset %" G_GSIZE_FORMAT, message, offset);
  return FALSE;
}

/* ---- reader ---------------------------------------------------------- */

typedef struct
{
  RdBerClass cls;
  gboolean   constructed;
  guint32    tag;
  gboolean   indefinite;
  gsize      header_length;
  gsize      length;        /* 0 when indefinite */
} Header;

/* Identifier and length octets at @pos, bounded by @end. For a definite
 * length, also checks that the contents fit before @end. */
static gboolean
parse_header (const guint8       *base,
              gsize               pos,
              gsize               end,
              const RdBerLimits  *limits,
              Header             *h,
              GError            **error)
{
  gsize p = pos;
  guint8 b;

  if (p >= end)
    return fail (error, pos, "truncated identifier");

  b = base[p++];
  h->cls = (RdBerClass) (b >> 6);
  h->constructed = (b & 0x20) != 0;
  h->tag = b & 0x1f;
  h->indefinite = FALSE;
  h->length = 0;

  if (h->tag == 0x1f)
    {
      guint n = 0;

      h->tag = 0;
      for (;;)
        {
          guint8 c;

          if (p >= end)
            return fail (error, p, "truncated tag number");
          c = base[p++];
          if (n == 0 && c == 0x80)
            return fail (error, p - 1, "tag number with a leading zero");
          if (n == 4)
            return fail (error, p - 1, "tag number too large");
          h->tag = (h->tag << 7) | (c & 0x7f);
          n++;
          if ((c & 0x80) == 0)
            break;
        }
      if (h->tag < 31)
        return fail (error, pos, "tag number %u in the high-tag-number form", h->tag);
    }

  if (h->cls == RD_BER_CLASS_UNIVERSAL && h->tag == RD_BER_TAG_EOC)
    return fail (error, pos, "unexpected end-of-contents");

  if (p >= end)
    return fail (error, p, "truncated length");
  b = base[p++];

  if (b < 0x80)
    {
      h->length = b;
    }
  else if (b == 0x80)
    {
      if (!h->constructed)
        return fail (error, p - 1, "indefinite length on a primitive value");
      h->indefinite = TRUE;
    }
  else if (b == 0xff)
    {
      return fail (error, p - 1, "reserved length octet 0xff");
    }
  else
    {
      guint n = b & 0x7f;
      gsize length = 0;

      if (n > sizeof (gsize))
        return fail (error, p - 1, "length of %u octets", n);
      if (end - p < n)
        return fail (error, p, "truncated length");
      for (guint i = 0; i < n; i++)
        {
          if (length > (G_MAXSIZE >> 8))
            return fail (error, p - 1, "length overflow");
          length = (length << 8) | base[p++];
        }
      h->length = length;
    }

  h->header_length = p - pos;

  if (!h->indefinite)
    {
      if (h->length > limits->max_length)
        return fail (error, pos, "length %" G_GSIZE_FORMAT " above the limit of %" G_GSIZE_FORMAT,
                     h->length, limits->max_length);
      if (h->length > end - p)
        return fail (error, pos, "length %" G_GSIZE_FORMAT " exceeds the %" G_GSIZE_FORMAT
                     " octets available", h->length, end - p);
    }

  return TRUE;
}

static gboolean
parse_tlv (const guint8       *base,
           gsize               pos,
           gsize               end,
           guint               depth,
           const RdBerLimits  *limits,
           RdBerTlv           *tlv,
           GError            **error)
{
  Header h;
  gsize content;
  gsize length;
  gsize after;

  if (!parse_header (base, pos, end, limits, &h, error))
    return FALSE;

  content = pos + h.header_length;

  if (h.indefinite)
    {
      /* Find the matching end-of-contents; nested values are skipped by
       * their headers, nested indefinite ones counted. */
      gsize q = content;
      guint level = 1;

      if (depth + 1 > limits->max_depth)
        return fail (error, pos, "nesting deeper than %u", limits->max_depth);

      while (level > 0)
        {
          Header inner;

          if (end - q >= 2 && base[q] == 0 && base[q + 1] == 0)
            {
              q += 2;
              level--;
              continue;
            }
          if (q >= end)
            return fail (error, q, "missing end-of-contents");
          if (!parse_header (base, q, end, limits, &inner, error))
            return FALSE;
          q += inner.header_length;
          if (inner.indefinite)
            {
              level++;
              if (depth + level > limits->max_depth)
                return fail (error, q - inner.header_length, "nesting deeper than %u",
                             limits->max_depth);
            }
          else
            {
              q += inner.length;
            }
        }

      length = q - 2 - content;
      after = q;
      if (length > limits->max_length)
        return fail (error, pos, "length %" G_GSIZE_FORMAT " above the limit of %" G_GSIZE_FORMAT,
                     length, limits->max_length);
    }
  else
    {
      length = h.length;
      after = content + length;
    }

  tlv->cls = h.cls;
  tlv->constructed = h.constructed;
  tlv->tag = h.tag;
  tlv->indefinite = h.indefinite;
  tlv->offset = pos;
  tlv->header_length = h.header_length;
  tlv->length = length;
  tlv->encoded_length = after - pos;
  tlv->content = base + content;
  tlv->encoded = base + pos;
  tlv->depth = depth;

  return TRUE;
}

/**
 * rd_ber_reader_init:
 * @limits: (nullable): limits, or %NULL for the defaults
 *
 * Starts a reader over @data. Fails if @size is above the total-size limit.
 */
gboolean
rd_ber_reader_init (RdBerReader        *self,
                    const guint8       *data,
                    gsize               size,
                    const RdBerLimits  *limits,
                    GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  memset (self, 0, sizeof *self);
  self->limits = limits != NULL ? *limits : default_limits;
  self->base = data;
  self->start = 0;
  self->end = 0;
  self->pos = 0;

  if (size > self->limits.max_total_size)
    return fail (error, 0, "input of %" G_GSIZE_FORMAT " octets above the limit of %"
                 G_GSIZE_FORMAT, size, self->limits.max_total_size);

  self->end = size;
  return TRUE;
}

gboolean
rd_ber_reader_init_bytes (RdBerReader        *self,
                          GBytes             *bytes,
                          const RdBerLimits  *limits,
                          GError            **error)
{
  gsize size = 0;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  return rd_ber_reader_init (self, data, size, limits, error);
}

gboolean
rd_ber_reader_at_end (const RdBerReader *self)
{
  return self->pos >= self->end;
}

gsize
rd_ber_reader_get_offset (const RdBerReader *self)
{
  return self->pos;
}

/**
 * rd_ber_reader_read:
 *
 * Reads the next value of the window and moves past it. Fails at the end of
 * the window, so check rd_ber_reader_at_end() first when that is expected.
 */
gboolean
rd_ber_reader_read (RdBerReader  *self,
                    RdBerTlv     *tlv,
                    GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (tlv != NULL, FALSE);

  if (self->pos >= self->end)
    return fail (error, self->pos, "value expected, found the end of the enclosing value");

  if (!parse_tlv (self->base, self->pos, self->end, self->depth, &self->limits, tlv, error))
    return FALSE;

  self->pos += tlv->encoded_length;
  return TRUE;
}

gboolean
rd_ber_reader_peek (const RdBerReader  *self,
                    RdBerTlv           *tlv,
                    GError            **error)
{
  RdBerReader copy = *self;

  return rd_ber_reader_read (&copy, tlv, error);
}

char *
rd_ber_tlv_describe (const RdBerTlv *tlv)
{
  static const char *classes[] = { "UNIVERSAL", "APPLICATION", "", "PRIVATE" };

  if (tlv->cls == RD_BER_CLASS_CONTEXT)
    return g_strdup_printf ("[%u]%s", tlv->tag, tlv->constructed ? " constructed" : "");

  return g_strdup_printf ("[%s %u]%s", classes[tlv->cls & 3], tlv->tag,
                          tlv->constructed ? " constructed" : "");
}

static const char *
class_name (RdBerClass cls)
{
  switch (cls)
    {
    case RD_BER_CLASS_UNIVERSAL:
      return "UNIVERSAL ";
    case RD_BER_CLASS_APPLICATION:
      return "APPLICATION ";
    case RD_BER_CLASS_PRIVATE:
      return "PRIVATE ";
    case RD_BER_CLASS_CONTEXT:
    default:
      return "";
    }
}

/**
 * rd_ber_reader_expect:
 *
 * Reads the next value and fails unless it has class @cls and number @tag.
 */
gboolean
rd_ber_reader_expect (RdBerReader  *self,
                      RdBerClass    cls,
                      guint32       tag,
                      RdBerTlv     *tlv,
                      GError      **error)
{
  gsize offset = self->pos;

  if (self->pos >= self->end)
    return fail (error, offset, "[%s%u] expected, found the end of the enclosing value",
                 class_name (cls), tag);

  if (!rd_ber_reader_read (self, tlv, error))
    return FALSE;

  if (!rd_ber_tlv_is (tlv, cls, tag))
    {
      g_autofree char *found = rd_ber_tlv_describe (tlv);

      return fail (error, offset, "[%s%u] expected, found %s", class_name (cls), tag, found);
    }

  return TRUE;
}

/**
 * rd_ber_reader_descend:
 *
 * Starts @child over the contents of the constructed value @tlv, which was
 * read from @self.
 */
gboolean
rd_ber_reader_descend (const RdBerReader  *self,
                       const RdBerTlv     *tlv,
                       RdBerReader        *child,
                       GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (tlv != NULL, FALSE);
  g_return_val_if_fail (child != NULL, FALSE);
  g_return_val_if_fail (tlv->content >= self->base, FALSE);

  if (!tlv->constructed)
    return fail (error, tlv->offset, "constructed value expected");
  if (self->depth + 1 > self->limits.max_depth)
    return fail (error, tlv->offset, "nesting deeper than %u", self->limits.max_depth);

  *child = *self;
  child->start = (gsize) (tlv->content - self->base);
  child->end = child->start + tlv->length;
  child->pos = child->start;
  child->depth = self->depth + 1;

  return TRUE;
}

/**
 * rd_ber_reader_expect_end:
 *
 * Fails if values are left in the window (trailing data).
 */
gboolean
rd_ber_reader_expect_end (const RdBerReader  *self,
                          GError            **error)
{
  if (self->pos < self->end)
    return fail (error, self->pos, "%" G_GSIZE_FORMAT " unexpected trailing octets",
                 self->end - self->pos);
  return TRUE;
}

gboolean
rd_ber_tlv_is (const RdBerTlv *tlv,
               RdBerClass      cls,
               guint32         tag)
{
  return tlv->cls == cls && tlv->tag == tag;
}

static gboolean
check_primitive (const RdBerTlv  *tlv,
                 const char      *what,
                 GError         **error)
{
  if (tlv->constructed)
    return fail (error, tlv->offset, "%s must be primitive", what);
  return TRUE;
}

/**
 * rd_ber_tlv_get_int64:
 *
 * Decodes an INTEGER or ENUMERATED (under any tag). Redundant leading octets
 * are tolerated, values outside gint64 are an error.
 */
gboolean
rd_ber_tlv_get_int64 (const RdBerTlv  *tlv,
                      gint64          *value,
                      GError         **error)
{
  const guint8 *p = tlv->content;
  gsize n = tlv->length;
  guint64 v;

  if (!check_primitive (tlv, "an integer", error))
    return FALSE;
  if (n == 0)
    return fail (error, tlv->offset, "empty integer");

  /* drop sign-extension octets that carry no value */
  while (n > 1 && ((p[0] == 0x00 && (p[1] & 0x80) == 0) ||
                   (p[0] == 0xff && (p[1] & 0x80) != 0)))
    {
      p++;
      n--;
    }
  if (n > 8)
    return fail (error, tlv->offset, "integer does not fit in 64 bits");

  v = (p[0] & 0x80) ? G_MAXUINT64 : 0;
  for (gsize i = 0; i < n; i++)
    v = (v << 8) | p[i];

  *value = (gint64) v;
  return TRUE;
}

gboolean
rd_ber_tlv_get_int (const RdBerTlv  *tlv,
                    gint            *value,
                    GError         **error)
{
  gint64 v;

  if (!rd_ber_tlv_get_int64 (tlv, &v, error))
    return FALSE;
  if (v < G_MININT || v > G_MAXINT)
    return fail (error, tlv->offset, "integer %" G_GINT64_FORMAT " out of range", v);

  *value = (gint) v;
  return TRUE;
}

gboolean
rd_ber_tlv_get_boolean (const RdBerTlv  *tlv,
                        gboolean        *value,
                        GError         **error)
{
  if (!check_primitive (tlv, "a boolean", error))
    return FALSE;
  if (tlv->length != 1)
    return fail (error, tlv->offset, "boolean of %" G_GSIZE_FORMAT " octets", tlv->length);

  *value = tlv->content[0] != 0;
  return TRUE;
}

gboolean
rd_ber_tlv_get_null (const RdBerTlv  *tlv,
                     GError         **error)
{
  if (!check_primitive (tlv, "NULL", error))
    return FALSE;
  if (tlv->length != 0)
    return fail (error, tlv->offset, "NULL with contents");
  return TRUE;
}

/**
 * rd_ber_tlv_get_octets:
 *
 * The contents of a primitive OCTET STRING (under any tag), not copied. The
 * constructed string form of BER is refused: no CSTA peer sends it.
 */
gboolean
rd_ber_tlv_get_octets (const RdBerTlv  *tlv,
                       const guint8   **data,
                       gsize           *size,
                       GError         **error)
{
  if (tlv->constructed)
    return fail (error, tlv->offset, "constructed string encoding is not supported");

  *data = tlv->content;
  *size = tlv->length;
  return TRUE;
}

gboolean
rd_ber_tlv_get_bit_string (const RdBerTlv  *tlv,
                           guint           *unused_bits,
                           const guint8   **data,
                           gsize           *size,
                           GError         **error)
{
  if (tlv->constructed)
    return fail (error, tlv->offset, "constructed string encoding is not supported");
  if (tlv->length == 0)
    return fail (error, tlv->offset, "bit string without its unused-bits octet");
  if (tlv->content[0] > 7 || (tlv->length == 1 && tlv->content[0] != 0))
    return fail (error, tlv->offset, "bit string with %u unused bits", tlv->content[0]);

  *unused_bits = tlv->content[0];
  *data = tlv->content + 1;
  *size = tlv->length - 1;
  return TRUE;
}

static char *
dup_string (const RdBerTlv  *tlv,
            guint8           lowest,
            guint8           highest,
            const char      *what,
            GError         **error)
{
  const guint8 *data;
  gsize size;

  if (!rd_ber_tlv_get_octets (tlv, &data, &size, error))
    return NULL;

  for (gsize i = 0; i < size; i++)
    if (data[i] < lowest || data[i] > highest)
      {
        fail (error, tlv->offset, "octet 0x%02x not allowed in %s", data[i], what);
        return NULL;
      }

  return g_strndup ((const char *) data, size);
}

/**
 * rd_ber_tlv_dup_ia5:
 *
 * An IA5String as a NUL-terminated string; NUL and 8-bit octets are refused.
 */
char *
rd_ber_tlv_dup_ia5 (const RdBerTlv  *tlv,
                    GError         **error)
{
  return dup_string (tlv, 0x01, 0x7f, "an IA5String", error);
}

char *
rd_ber_tlv_dup_visible (const RdBerTlv  *tlv,
                        GError         **error)
{
  return dup_string (tlv, 0x20, 0x7e, "a VisibleString", error);
}

/**
 * rd_ber_tlv_dup_oid:
 *
 * An OBJECT IDENTIFIER in dotted form ("1.3.12.0.218").
 */
char *
rd_ber_tlv_dup_oid (const RdBerTlv  *tlv,
                    GError         **error)
{
  g_autoptr(GString) out = NULL;
  guint64 v = 0;
  gboolean first = TRUE;
  gboolean in_arc = FALSE;

  if (!check_primitive (tlv, "an object identifier", error))
    return NULL;
  if (tlv->length == 0)
    {
      fail (error, tlv->offset, "empty object identifier");
      return NULL;
    }

  out = g_string_new (NULL);
  for (gsize i = 0; i < tlv->length; i++)
    {
      guint8 c = tlv->content[i];

      if (!in_arc && c == 0x80)
        {
          fail (error, tlv->offset, "object identifier arc with a leading zero");
          return NULL;
        }
      if (v > (G_MAXUINT64 >> 7))
        {
          fail (error, tlv->offset, "object identifier arc too large");
          return NULL;
        }
      v = (v << 7) | (c & 0x7f);
      in_arc = TRUE;

      if ((c & 0x80) == 0)
        {
          if (first)
            {
              guint top = v < 40 ? 0 : v < 80 ? 1 : 2;

              g_string_append_printf (out, "%u.%" G_GUINT64_FORMAT, top, v - 40 * top);
              first = FALSE;
            }
          else
            {
              g_string_append_printf (out, ".%" G_GUINT64_FORMAT, v);
            }
          v = 0;
          in_arc = FALSE;
        }
    }

  if (in_arc)
    {
      fail (error, tlv->offset, "truncated object identifier");
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
take_digits (const char **p,
             const char  *end,
             guint        n,
             gint        *value)
{
  gint v = 0;

  if (end - *p < (gssize) n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *value = v;
  return TRUE;
}

/**
 * rd_ber_tlv_get_generalized_time:
 * @default_tz: (nullable): the zone of a local time without suffix; UTC if %NULL
 *
 * Parses YYYYMMDDHH[MM[SS[.fff]]] followed by nothing (local time), "Z" or a
 * "+hh[mm]"/"-hh[mm]" offset.
 *
 * Returns: (transfer full): the time, or %NULL with @error set
 */
GDateTime *
rd_ber_tlv_get_generalized_time (const RdBerTlv  *tlv,
                                 GTimeZone       *default_tz,
                                 GError         **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  const guint8 *data;
  gsize size;
  const char *p;
  const char *end;
  gint year, month, day, hour, minute = 0, second = 0;
  gdouble fraction = 0;
  GDateTime *dt;

  if (!rd_ber_tlv_get_octets (tlv, &data, &size, error))
    return NULL;
  if (size > 40)
    {
      fail (error, tlv->offset, "time of %" G_GSIZE_FORMAT " octets", size);
      return NULL;
    }

  p = (const char *) data;
  end = p + size;

  if (!take_digits (&p, end, 4, &year) || !take_digits (&p, end, 2, &month) ||
      !take_digits (&p, end, 2, &day) || !take_digits (&p, end, 2, &hour))
    goto bad;
  if (p < end && g_ascii_isdigit (*p))
    {
      if (!take_digits (&p, end, 2, &minute))
        goto bad;
      if (p < end && g_ascii_isdigit (*p) && !take_digits (&p, end, 2, &second))
        goto bad;
    }
  if (p < end && (*p == '.' || *p == ','))
    {
      gdouble scale = 0.1;

      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        goto bad;
      while (p < end && g_ascii_isdigit (*p))
        {
          fraction += (*p - '0') * scale;
          scale /= 10;
          p++;
        }
    }

  if (p == end)
    {
      tz = default_tz != NULL ? g_time_zone_ref (default_tz) : g_time_zone_new_utc ();
    }
  else if (*p == 'Z' && p + 1 == end)
    {
      tz = g_time_zone_new_utc ();
    }
  else if (*p == '+' || *p == '-')
    {
      gint oh = 0, om = 0;
      gint sign = *p == '-' ? -1 : 1;

      p++;
      if (!take_digits (&p, end, 2, &oh))
        goto bad;
      if (p < end && !take_digits (&p, end, 2, &om))
        goto bad;
      if (p != end || oh > 23 || om > 59)
        goto bad;
      tz = g_time_zone_new_offset (sign * (oh * 3600 + om * 60));
    }
  else
    {
      goto bad;
    }

  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 59 || year < 1)
    goto bad;

  dt = g_date_time_new (tz, year, month, day, hour, minute, second + fraction);
  if (dt == NULL)
    goto bad;
  return dt;

bad:
  fail (error, tlv->offset, "malformed GeneralizedTime");
  return NULL;
}

/* ---- writer ---------------------------------------------------------- */

struct _RdBerWriter
{
  GArray *buffer;  /* guint8 */
  GArray *stack;   /* gsize: where each open value's contents start */
};

RdBerWriter *
rd_ber_writer_new (void)
{
  RdBerWriter *self = g_new0 (RdBerWriter, 1);

  self->buffer = g_array_new (FALSE, FALSE, 1);
  self->stack = g_array_new (FALSE, FALSE, sizeof (gsize));
  return self;
}

void
rd_ber_writer_free (RdBerWriter *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->buffer);
  g_array_unref (self->stack);
  g_free (self);
}

static void
put_identifier (RdBerWriter *self,
                RdBerClass   cls,
                gboolean     constructed,
                guint32      tag)
{
  guint8 first = (guint8) (((cls & 3) << 6) | (constructed ? 0x20 : 0));

  if (tag < 31)
    {
      first |= (guint8) tag;
      g_array_append_val (self->buffer, first);
    }
  else
    {
      guint8 octets[5];
      guint n = 0;

      first |= 0x1f;
      g_array_append_val (self->buffer, first);
      do
        {
          octets[n++] = tag & 0x7f;
          tag >>= 7;
        }
      while (tag != 0);
      while (n > 0)
        {
          guint8 c;

          n--;
          c = octets[n] | (n > 0 ? 0x80 : 0);
          g_array_append_val (self->buffer, c);
        }
    }
}

static guint
encode_length (gsize   length,
               guint8 *out)
{
  guint n = 0;
  guint8 tmp[sizeof (gsize)];

  if (length < 0x80)
    {
      out[0] = (guint8) length;
      return 1;
    }
  while (length != 0)
    {
      tmp[n++] = length & 0xff;
      length >>= 8;
    }
  out[0] = 0x80 | n;
  for (guint i = 0; i < n; i++)
    out[1 + i] = tmp[n - 1 - i];
  return n + 1;
}

/**
 * rd_ber_writer_begin:
 *
 * Opens a constructed value; close it with rd_ber_writer_end().
 */
void
rd_ber_writer_begin (RdBerWriter *self,
                     RdBerClass   cls,
                     guint32      tag)
{
  gsize start;

  g_return_if_fail (self != NULL);

  put_identifier (self, cls, TRUE, tag);
  start = self->buffer->len;
  g_array_append_val (self->stack, start);
}

void
rd_ber_writer_end (RdBerWriter *self)
{
  guint8 length[1 + sizeof (gsize)];
  gsize start;
  guint n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->stack->len > 0);

  start = g_array_index (self->stack, gsize, self->stack->len - 1);
  g_array_set_size (self->stack, self->stack->len - 1);
  n = encode_length (self->buffer->len - start, length);
  g_array_insert_vals (self->buffer, start, length, n);
}

void
rd_ber_writer_add_primitive (RdBerWriter  *self,
                             RdBerClass    cls,
                             guint32       tag,
                             const guint8 *data,
                             gsize         size)
{
  guint8 length[1 + sizeof (gsize)];
  guint n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || size == 0);

  put_identifier (self, cls, FALSE, tag);
  n = encode_length (size, length);
  g_array_append_vals (self->buffer, length, n);
  if (size > 0)
    g_array_append_vals (self->buffer, data, size);
}

/**
 * rd_ber_writer_add_encoded:
 *
 * Appends an already encoded TLV (or several) as is.
 */
void
rd_ber_writer_add_encoded (RdBerWriter  *self,
                           const guint8 *data,
                           gsize         size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || size == 0);

  if (size > 0)
    g_array_append_vals (self->buffer, data, size);
}

/* Minimal two's complement. */
void
rd_ber_writer_add_integer (RdBerWriter *self,
                           RdBerClass   cls,
                           guint32      tag,
                           gint64       value)
{
  guint8 octets[8];
  guint64 v = (guint64) value;
  guint skip = 0;

  for (guint i = 0; i < 8; i++)
    octets[i] = (guint8) (v >> (56 - 8 * i));
  while (skip < 7 && ((octets[skip] == 0x00 && (octets[skip + 1] & 0x80) == 0) ||
                      (octets[skip] == 0xff && (octets[skip + 1] & 0x80) != 0)))
    skip++;

  rd_ber_writer_add_primitive (self, cls, tag, octets + skip, 8 - skip);
}

void
rd_ber_writer_add_boolean (RdBerWriter *self,
                           RdBerClass   cls,
                           guint32      tag,
                           gboolean     value)
{
  guint8 octet = value ? 0xff : 0x00;

  rd_ber_writer_add_primitive (self, cls, tag, &octet, 1);
}

void
rd_ber_writer_add_null (RdBerWriter *self,
                        RdBerClass   cls,
                        guint32      tag)
{
  rd_ber_writer_add_primitive (self, cls, tag, NULL, 0);
}

void
rd_ber_writer_add_string (RdBerWriter *self,
                          RdBerClass   cls,
                          guint32      tag,
                          const char  *value)
{
  g_return_if_fail (value != NULL);

  rd_ber_writer_add_primitive (self, cls, tag, (const guint8 *) value, strlen (value));
}

void
rd_ber_writer_add_bit_string (RdBerWriter  *self,
                              RdBerClass    cls,
                              guint32       tag,
                              guint         unused_bits,
                              const guint8 *data,
                              gsize         size)
{
  g_autofree guint8 *octets = NULL;

  g_return_if_fail (unused_bits <= 7);
  g_return_if_fail (size > 0 || unused_bits == 0);

  octets = g_malloc (size + 1);
  octets[0] = (guint8) unused_bits;
  if (size > 0)
    memcpy (octets + 1, data, size);
  rd_ber_writer_add_primitive (self, cls, tag, octets, size + 1);
}

static void
put_base128 (GByteArray *out,
             guint64     v)
{
  guint8 octets[10];
  guint n = 0;

  do
    {
      octets[n++] = v & 0x7f;
      v >>= 7;
    }
  while (v != 0);
  while (n > 0)
    {
      guint8 c;

      n--;
      c = octets[n] | (n > 0 ? 0x80 : 0);
      g_byte_array_append (out, &c, 1);
    }
}

/**
 * rd_ber_writer_add_oid:
 *
 * Returns: %FALSE (and writes nothing) if @dotted is not a valid OID
 */
gboolean
rd_ber_writer_add_oid (RdBerWriter *self,
                       RdBerClass   cls,
                       guint32      tag,
                       const char  *dotted)
{
  g_auto(GStrv) arcs = NULL;
  g_autoptr(GByteArray) out = NULL;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (dotted != NULL, FALSE);

  arcs = g_strsplit (dotted, ".", -1);
  n = g_strv_length (arcs);
  if (n < 2)
    return FALSE;

  out = g_byte_array_new ();
  for (guint i = 0; i < n; i++)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (arcs[i], 10, 0, G_MAXUINT64 - 80, &v, NULL))
        return FALSE;
      if (i == 0)
        {
          guint64 second;

          if (v > 2 ||
              !g_ascii_string_to_unsigned (arcs[1], 10, 0, G_MAXUINT64 - 80, &second, NULL) ||
              (v < 2 && second >= 40))
            return FALSE;
          put_base128 (out, v * 40 + second);
          i++;
        }
      else
        {
          put_base128 (out, v);
        }
    }

  rd_ber_writer_add_primitive (self, cls, tag, out->data, out->len);
  return TRUE;
}

/**
 * rd_ber_writer_add_generalized_time:
 * @utc: write the UTC time with a "Z"; otherwise @value's own wall-clock
 *   time without a suffix (what PBXs send)
 */
void
rd_ber_writer_add_generalized_time (RdBerWriter *self,
                                    RdBerClass   cls,
                                    guint32      tag,
                                    GDateTime   *value,
                                    gboolean     utc)
{
  g_autoptr(GDateTime) in_utc = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (value != NULL);

  if (utc)
    {
      in_utc = g_date_time_to_utc (value);
      text = g_date_time_format (in_utc, "%Y%m%d%H%M%SZ");
    }
  else
    {
      text = g_date_time_format (value, "%Y%m%d%H%M%S");
    }
  rd_ber_writer_add_string (self, cls, tag, text);
}

guint
rd_ber_writer_get_depth (RdBerWriter *self)
{
  return self->stack->len;
}

/**
 * rd_ber_writer_finish:
 *
 * Returns: (transfer full): the encoding; the writer is empty again
 */
GBytes *
rd_ber_writer_finish (RdBerWriter *self)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->stack->len == 0, NULL);

  bytes = g_bytes_new (self->buffer->data, self->buffer->len);
  g_array_set_size (self->buffer, 0);
  return bytes;
}
