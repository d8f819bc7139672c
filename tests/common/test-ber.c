/* test-ber.c: the BER reader and writer of common/rd-ber.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rd-common.h"

/* "30 03 02 01 05" → bytes */
static GBytes *
hex (const char *text)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  while (*text != '\0')
    {
      guint8 b;

      if (*text == ' ')
        {
          text++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (text[0]) && g_ascii_isxdigit (text[1]));
      b = (guint8) (g_ascii_xdigit_value (text[0]) << 4 | g_ascii_xdigit_value (text[1]));
      g_byte_array_append (out, &b, 1);
      text += 2;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected_hex)
{
  g_autoptr(GBytes) expected = hex (expected_hex);

  if (!g_bytes_equal (bytes, expected))
    {
      g_autoptr(GString) got = g_string_new (NULL);
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      for (gsize i = 0; i < size; i++)
        g_string_append_printf (got, "%02X ", data[i]);
      g_error ("encoding mismatch: got %s, expected %s", got->str, expected_hex);
    }
}

/* Reads exactly one top-level value. */
static gboolean
read_one (GBytes    *bytes,
          RdBerTlv  *tlv,
          GError   **error)
{
  RdBerReader reader;

  return rd_ber_reader_init_bytes (&reader, bytes, NULL, error) &&
         rd_ber_reader_read (&reader, tlv, error) &&
         rd_ber_reader_expect_end (&reader, error);
}

/* Walks every value of a window, descending into constructed ones. */
static gboolean
walk (RdBerReader  *reader,
      guint        *count,
      GError      **error)
{
  while (!rd_ber_reader_at_end (reader))
    {
      RdBerTlv tlv;

      if (!rd_ber_reader_read (reader, &tlv, error))
        return FALSE;
      (*count)++;
      if (tlv.constructed)
        {
          RdBerReader child;

          if (!rd_ber_reader_descend (reader, &tlv, &child, error) ||
              !walk (&child, count, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
walk_bytes (GBytes             *bytes,
            const RdBerLimits  *limits,
            guint              *count,
            GError            **error)
{
  RdBerReader reader;
  RdBerTlv first;

  if (!rd_ber_reader_init_bytes (&reader, bytes, limits, error))
    return FALSE;
  /* at least one value */
  if (!rd_ber_reader_peek (&reader, &first, error))
    return FALSE;
  return walk (&reader, count, error);
}

static void
assert_invalid (GError *error)
{
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "at offset "));
}

/* ---- integers -------------------------------------------------------- */

static const struct
{
  gint64      value;
  const char *encoding;
} integers[] = {
  { 0, "02 01 00" },
  { 1, "02 01 01" },
  { 127, "02 01 7F" },
  { 128, "02 02 00 80" },
  { 211, "02 02 00 D3" },      /* systemStatus opcode, protocol notes §2.4 */
  { 255, "02 02 00 FF" },
  { 256, "02 02 01 00" },
  { 1538, "02 02 06 02" },     /* invoke id of §2.5 */
  { 32767, "02 02 7F FF" },
  { 32768, "02 03 00 80 00" },
  { -1, "02 01 FF" },
  { -128, "02 01 80" },
  { -129, "02 02 FF 7F" },
  { -32768, "02 02 80 00" },
  { 0x1110065, "02 04 01 11 00 65" },  /* a Panasonic extension device number */
  { G_MAXINT64, "02 08 7F FF FF FF FF FF FF FF" },
  { G_MININT64, "02 08 80 00 00 00 00 00 00 00" },
};

static void
test_integer (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (integers); i++)
    {
      g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
      g_autoptr(GBytes) encoded = NULL;
      g_autoptr(GError) error = NULL;
      RdBerTlv tlv;
      gint64 value = 0;

      rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), integers[i].value);
      encoded = rd_ber_writer_finish (writer);
      assert_bytes (encoded, integers[i].encoding);

      g_assert_true (read_one (encoded, &tlv, &error));
      g_assert_no_error (error);
      g_assert_true (rd_ber_tlv_is (&tlv, RD_BER_UNIV (INTEGER)));
      g_assert_true (rd_ber_tlv_get_int64 (&tlv, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpint (value, ==, integers[i].value);
    }
}

static void
test_integer_overflow (void)
{
  g_autoptr(GError) error = NULL;
  RdBerTlv tlv;
  gint64 value;
  gint small;

  {
    g_autoptr(GBytes) b = hex ("02 09 01 00 00 00 00 00 00 00 00");

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_false (rd_ber_tlv_get_int64 (&tlv, &value, &error));
    assert_invalid (error);
    g_clear_error (&error);
  }
  {
    /* redundant sign octets are tolerated and do not count as overflow */
    g_autoptr(GBytes) b = hex ("02 0A 00 00 7F FF FF FF FF FF FF FF");

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_true (rd_ber_tlv_get_int64 (&tlv, &value, &error));
    g_assert_cmpint (value, ==, G_MAXINT64);
  }
  {
    g_autoptr(GBytes) b = hex ("02 09 00 80 00 00 00 00 00 00 00");

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_false (rd_ber_tlv_get_int64 (&tlv, &value, &error));
    assert_invalid (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) b = hex ("02 05 00 80 00 00 00");

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_true (rd_ber_tlv_get_int64 (&tlv, &value, &error));
    g_assert_cmpint (value, ==, G_GINT64_CONSTANT (0x80000000));
    g_assert_false (rd_ber_tlv_get_int (&tlv, &small, &error));
    assert_invalid (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) b = hex ("02 00");

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_false (rd_ber_tlv_get_int64 (&tlv, &value, &error));
    assert_invalid (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) b = hex ("22 03 02 01 01");   /* constructed INTEGER */

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_false (rd_ber_tlv_get_int64 (&tlv, &value, &error));
    assert_invalid (error);
    g_clear_error (&error);
  }
}

/* ---- other primitives ------------------------------------------------ */

static void
test_primitives (void)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2024, 1, 31, 23, 59, 58);
  static const guint8 octets[] = { 0x00, 0x12, 0xff };
  static const guint8 bits[] = { 0x00, 0x08, 0x00 };
  RdBerReader reader;
  RdBerTlv tlv;
  gboolean flag = FALSE;
  gint enumerated = -1;
  const guint8 *data;
  gsize size;
  guint unused;
  char *text;
  GDateTime *dt;

  rd_ber_writer_add_boolean (writer, RD_BER_UNIV (BOOLEAN), TRUE);
  rd_ber_writer_add_boolean (writer, RD_BER_CTX (2), FALSE);
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), 22);
  rd_ber_writer_add_null (writer, RD_BER_UNIV (NULL));
  rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING), octets, sizeof octets);
  rd_ber_writer_add_string (writer, RD_BER_UNIV (IA5_STRING), "0612 345#*");
  rd_ber_writer_add_string (writer, RD_BER_UNIV (VISIBLE_STRING), "KX-NS1000");
  g_assert_true (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), "1.3.12.0.218"));
  g_assert_true (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), "2.999.3"));
  rd_ber_writer_add_bit_string (writer, RD_BER_UNIV (BIT_STRING), 0, bits, sizeof bits);
  rd_ber_writer_add_generalized_time (writer, RD_BER_UNIV (GENERALIZED_TIME), when, TRUE);
  encoded = rd_ber_writer_finish (writer);

  assert_bytes (encoded,
                "01 01 FF  82 01 00  0A 01 16  05 00  04 03 00 12 FF"
                "  16 0A 30 36 31 32 20 33 34 35 23 2A"
                "  1A 09 4B 58 2D 4E 53 31 30 30 30"
                "  06 05 2B 0C 00 81 5A  06 03 88 37 03"
                "  03 04 00 00 08 00"
                "  18 0F 32 30 32 34 30 31 33 31 32 33 35 39 35 38 5A");

  g_assert_true (rd_ber_reader_init_bytes (&reader, encoded, NULL, &error));

  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (BOOLEAN), &tlv, &error));
  g_assert_true (rd_ber_tlv_get_boolean (&tlv, &flag, &error));
  g_assert_true (flag);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_CTX (2), &tlv, &error));
  g_assert_true (rd_ber_tlv_get_boolean (&tlv, &flag, &error));
  g_assert_false (flag);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (ENUMERATED), &tlv, &error));
  g_assert_true (rd_ber_tlv_get_int (&tlv, &enumerated, &error));
  g_assert_cmpint (enumerated, ==, 22);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (NULL), &tlv, &error));
  g_assert_true (rd_ber_tlv_get_null (&tlv, &error));
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (OCTET_STRING), &tlv, &error));
  g_assert_true (rd_ber_tlv_get_octets (&tlv, &data, &size, &error));
  g_assert_cmpmem (data, size, octets, sizeof octets);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (IA5_STRING), &tlv, &error));
  text = rd_ber_tlv_dup_ia5 (&tlv, &error);
  g_assert_cmpstr (text, ==, "0612 345#*");
  g_free (text);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (VISIBLE_STRING), &tlv, &error));
  text = rd_ber_tlv_dup_visible (&tlv, &error);
  g_assert_cmpstr (text, ==, "KX-NS1000");
  g_free (text);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (OID), &tlv, &error));
  text = rd_ber_tlv_dup_oid (&tlv, &error);
  g_assert_cmpstr (text, ==, "1.3.12.0.218");
  g_free (text);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (OID), &tlv, &error));
  text = rd_ber_tlv_dup_oid (&tlv, &error);
  g_assert_cmpstr (text, ==, "2.999.3");
  g_free (text);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (BIT_STRING), &tlv, &error));
  g_assert_true (rd_ber_tlv_get_bit_string (&tlv, &unused, &data, &size, &error));
  g_assert_cmpuint (unused, ==, 0);
  g_assert_cmpmem (data, size, bits, sizeof bits);
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (GENERALIZED_TIME), &tlv, &error));
  dt = rd_ber_tlv_get_generalized_time (&tlv, NULL, &error);
  g_assert_nonnull (dt);
  g_assert_true (g_date_time_equal (dt, when));
  g_date_time_unref (dt);

  g_assert_true (rd_ber_reader_at_end (&reader));
  g_assert_true (rd_ber_reader_expect_end (&reader, &error));
  g_assert_no_error (error);

  /* reading past the end is an error, not a crash */
  g_assert_false (rd_ber_reader_read (&reader, &tlv, &error));
  assert_invalid (error);
}

static void
test_primitive_errors (void)
{
  static const struct
  {
    const char *encoding;
    guint       kind;   /* 0 bool, 1 null, 2 ia5, 3 visible, 4 oid, 5 time, 6 bits, 7 octets */
  } bad[] = {
    { "01 00", 0 }, { "01 02 00 00", 0 },
    { "05 01 00", 1 },
    { "16 02 41 80", 2 }, { "16 02 41 00", 2 },
    { "1A 02 41 1F", 3 }, { "1A 01 7F", 3 },
    { "06 00", 4 }, { "06 02 2B 8C", 4 }, { "06 03 2B 80 01", 4 },
    { "06 0B 2B FF FF FF FF FF FF FF FF FF 7F", 4 },
    { "18 0A 32 30 32 34 31 33 30 31 31 32", 5 },                /* month 13 */
    { "18 0B 32 30 32 34 30 32 33 30 31 32 5A", 5 },             /* Feb 30 */
    { "18 0A 32 30 32 34 30 31 30 31 32 34", 5 },                /* hour 24 */
    { "18 0C 32 30 32 34 30 31 30 31 31 32 5A 5A", 5 },
    { "18 0C 32 30 32 34 30 31 30 31 31 32 2E 5A", 5 },
    { "18 04 32 30 32 34", 5 },
    { "03 00", 6 }, { "03 01 03", 6 }, { "03 02 08 00", 6 },
    { "24 03 04 01 41", 7 },                                      /* constructed string */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) b = hex (bad[i].encoding);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      RdBerTlv tlv;
      gboolean ok = TRUE;
      gboolean flag;
      const guint8 *data;
      gsize size;
      guint unused;
      GDateTime *dt;

      g_test_message ("bad primitive %s", bad[i].encoding);
      g_assert_true (read_one (b, &tlv, &error));
      switch (bad[i].kind)
        {
        case 0:
          ok = rd_ber_tlv_get_boolean (&tlv, &flag, &error);
          break;
        case 1:
          ok = rd_ber_tlv_get_null (&tlv, &error);
          break;
        case 2:
          ok = (text = rd_ber_tlv_dup_ia5 (&tlv, &error)) != NULL;
          break;
        case 3:
          ok = (text = rd_ber_tlv_dup_visible (&tlv, &error)) != NULL;
          break;
        case 4:
          ok = (text = rd_ber_tlv_dup_oid (&tlv, &error)) != NULL;
          break;
        case 5:
          dt = rd_ber_tlv_get_generalized_time (&tlv, NULL, &error);
          ok = dt != NULL;
          g_clear_pointer (&dt, g_date_time_unref);
          break;
        case 6:
          ok = rd_ber_tlv_get_bit_string (&tlv, &unused, &data, &size, &error);
          break;
        case 7:
          ok = rd_ber_tlv_get_octets (&tlv, &data, &size, &error);
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_false (ok);
      assert_invalid (error);
    }
}

static void
test_generalized_time_forms (void)
{
  static const struct
  {
    const char *text;
    const char *iso;   /* in UTC */
  } times[] = {
    { "20240131235958", "2024-01-31T22:59:58Z" },        /* local, default zone +01 */
    { "2024013123", "2024-01-31T22:00:00Z" },
    { "202401312359", "2024-01-31T22:59:00Z" },
    { "20240131235958Z", "2024-01-31T23:59:58Z" },
    { "20240131235958.5Z", "2024-01-31T23:59:58.500000Z" },
    { "20240131235958,25-0230", "2024-02-01T02:29:58.250000Z" },
    { "20240131235958+05", "2024-01-31T18:59:58Z" },
  };
  g_autoptr(GTimeZone) plus_one = g_time_zone_new_offset (3600);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
      g_autoptr(GBytes) b = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = NULL;
      g_autoptr(GDateTime) utc = NULL;
      g_autofree char *iso = NULL;
      RdBerTlv tlv;

      rd_ber_writer_add_string (writer, RD_BER_UNIV (GENERALIZED_TIME), times[i].text);
      b = rd_ber_writer_finish (writer);
      g_assert_true (read_one (b, &tlv, &error));
      dt = rd_ber_tlv_get_generalized_time (&tlv, plus_one, &error);
      g_assert_no_error (error);
      utc = g_date_time_to_utc (dt);
      iso = g_date_time_format_iso8601 (utc);
      g_assert_cmpstr (iso, ==, times[i].iso);
    }
}

/* ---- lengths, tags and structure ------------------------------------- */

static void
test_length_forms (void)
{
  static const gsize sizes[] = { 0, 1, 127, 128, 255, 256, 65535, 65536 };
  static const guint header[] = { 2, 2, 2, 3, 3, 4, 4, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
      g_autofree guint8 *content = g_malloc0 (sizes[i] + 1);
      g_autoptr(GBytes) b = NULL;
      g_autoptr(GError) error = NULL;
      RdBerTlv tlv;

      rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING), content, sizes[i]);
      b = rd_ber_writer_finish (writer);

      g_assert_cmpuint (g_bytes_get_size (b), ==, sizes[i] + header[i]);
      g_assert_true (read_one (b, &tlv, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tlv.header_length, ==, header[i]);
      g_assert_cmpuint (tlv.length, ==, sizes[i]);
    }

  /* long and non-minimal long forms are valid BER */
  {
    g_autoptr(GBytes) b = hex ("04 84 00 00 00 02 41 42");
    g_autoptr(GError) error = NULL;
    RdBerTlv tlv;

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_cmpuint (tlv.length, ==, 2);
    g_assert_cmpuint (tlv.header_length, ==, 6);
  }
  {
    g_autoptr(GBytes) b = hex ("04 81 01 41");
    g_autoptr(GError) error = NULL;
    RdBerTlv tlv;

    g_assert_true (read_one (b, &tlv, &error));
    g_assert_cmpuint (tlv.length, ==, 1);
  }
}

static void
test_overlong_lengths (void)
{
  static const char *bad[] = {
    "04 89 00 00 00 00 00 00 00 00 01 41",      /* 9 length octets */
    "04 88 FF FF FF FF FF FF FF FF",           /* overflow / above the limit */
    "04 84 7F FF FF FF 41",                    /* above the limit */
    "04 84 00 0F FF FF 41",                    /* beyond the buffer */
    "04 FF 41",                                /* reserved */
    "04 05 41 42",                             /* beyond the buffer */
    "04 82 00",                                /* truncated length */
    "30 03 02 05 01",                          /* inner value beyond its parent */
    "04 80 41 00 00",                          /* indefinite primitive */
    "00 00",                                   /* stray end-of-contents */
    "30 02 00 00",                             /* end-of-contents in a definite value */
    "30 80 02 01 05",                          /* missing end-of-contents */
    "30 80 00 01 00",                          /* end-of-contents with a length */
    "",                                        /* nothing */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) b = hex (bad[i]);
      g_autoptr(GError) error = NULL;
      guint count = 0;

      g_test_message ("overlong %s", bad[i]);
      g_assert_false (walk_bytes (b, NULL, &count, &error));
      assert_invalid (error);
    }

  /* the offset names the inner value */
  {
    g_autoptr(GBytes) b = hex ("30 03 02 05 01");
    g_autoptr(GError) error = NULL;
    guint count = 0;

    g_assert_false (walk_bytes (b, NULL, &count, &error));
    g_assert_nonnull (strstr (error->message, "at offset 2"));
  }

  /* a smaller total-size limit refuses bigger input */
  {
    g_autoptr(GBytes) b = hex ("04 03 41 42 43");
    g_autoptr(GError) error = NULL;
    RdBerLimits limits = { 8, 1024, 4 };
    RdBerReader reader;

    g_assert_false (rd_ber_reader_init_bytes (&reader, b, &limits, &error));
    assert_invalid (error);
  }
  /* and a smaller length limit a longer value */
  {
    g_autoptr(GBytes) b = hex ("04 03 41 42 43");
    g_autoptr(GError) error = NULL;
    RdBerLimits limits = { 8, 2, 1024 };
    guint count = 0;

    g_assert_false (walk_bytes (b, &limits, &count, &error));
    assert_invalid (error);
  }
}

static void
test_high_tags (void)
{
  static const struct
  {
    RdBerClass  cls;
    guint32     tag;
    gboolean    constructed;
    const char *encoding;
  } tags[] = {
    { RD_BER_CLASS_CONTEXT, 30, FALSE, "9E 00" },
    { RD_BER_CLASS_CONTEXT, 31, FALSE, "9F 1F 00" },
    { RD_BER_CLASS_CONTEXT, 38, TRUE, "BF 26 00" },        /* deviceList [38] */
    { RD_BER_CLASS_APPLICATION, 127, FALSE, "5F 7F 00" },
    { RD_BER_CLASS_APPLICATION, 128, FALSE, "5F 81 00 00" },
    { RD_BER_CLASS_PRIVATE, 16383, TRUE, "FF FF 7F 00" },
    { RD_BER_CLASS_UNIVERSAL, 0x0fffffff, FALSE, "1F FF FF FF 7F 00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
      g_autoptr(GBytes) b = NULL;
      g_autoptr(GError) error = NULL;
      RdBerTlv tlv;

      if (tags[i].constructed)
        {
          rd_ber_writer_begin (writer, tags[i].cls, tags[i].tag);
          rd_ber_writer_end (writer);
        }
      else
        {
          rd_ber_writer_add_null (writer, tags[i].cls, tags[i].tag);
        }
      b = rd_ber_writer_finish (writer);
      assert_bytes (b, tags[i].encoding);
      g_assert_true (read_one (b, &tlv, &error));
      g_assert_no_error (error);
      g_assert_true (rd_ber_tlv_is (&tlv, tags[i].cls, tags[i].tag));
      g_assert_cmpint (tlv.constructed, ==, tags[i].constructed);
    }

  {
    static const char *bad[] = {
      "9F 80 01 00",          /* leading zero in the tag number */
      "9F 1E 00",             /* a low tag number in the high form */
      "9F 81 80 80 80 01 00", /* more than 28 bits */
      "9F 81",                /* truncated tag */
      "9F",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GBytes) b = hex (bad[i]);
        g_autoptr(GError) error = NULL;
        RdBerTlv tlv;

        g_assert_false (read_one (b, &tlv, &error));
        assert_invalid (error);
      }
  }
}

static void
test_indefinite (void)
{
  /* SEQUENCE { INTEGER 5, SEQUENCE { NULL } (indefinite), [1] "AB" } */
  g_autoptr(GBytes) b = hex ("30 80 02 01 05 30 80 05 00 00 00 81 02 41 42 00 00");
  g_autoptr(GError) error = NULL;
  RdBerReader reader, child, grandchild;
  RdBerTlv tlv, inner;
  gint value;

  g_assert_true (rd_ber_reader_init_bytes (&reader, b, NULL, &error));
  g_assert_true (rd_ber_reader_expect (&reader, RD_BER_UNIV (SEQUENCE), &tlv, &error));
  g_assert_true (tlv.indefinite);
  g_assert_cmpuint (tlv.length, ==, 13);
  g_assert_cmpuint (tlv.encoded_length, ==, g_bytes_get_size (b));
  g_assert_true (rd_ber_reader_expect_end (&reader, &error));

  g_assert_true (rd_ber_reader_descend (&reader, &tlv, &child, &error));
  g_assert_true (rd_ber_reader_expect (&child, RD_BER_UNIV (INTEGER), &inner, &error));
  g_assert_true (rd_ber_tlv_get_int (&inner, &value, &error));
  g_assert_cmpint (value, ==, 5);
  g_assert_true (rd_ber_reader_expect (&child, RD_BER_UNIV (SEQUENCE), &inner, &error));
  g_assert_true (inner.indefinite);
  g_assert_cmpuint (inner.length, ==, 2);
  g_assert_true (rd_ber_reader_descend (&child, &inner, &grandchild, &error));
  g_assert_true (rd_ber_reader_expect (&grandchild, RD_BER_UNIV (NULL), &inner, &error));
  g_assert_true (rd_ber_reader_at_end (&grandchild));
  g_assert_true (rd_ber_reader_expect (&child, RD_BER_CTX (1), &inner, &error));
  g_assert_true (rd_ber_reader_at_end (&child));
  g_assert_no_error (error);
}

static GBytes *
nested (guint    depth,
        gboolean indefinite)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  static const guint8 open_def[] = { 0x30 };
  static const guint8 open_indef[] = { 0x30, 0x80 };
  static const guint8 eoc[] = { 0, 0 };
  static const guint8 leaf[] = { 0x05, 0x00 };

  if (!indefinite)
    {
      g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

      for (guint i = 0; i < depth; i++)
        rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
      g_assert_cmpuint (rd_ber_writer_get_depth (writer), ==, depth);
      rd_ber_writer_add_null (writer, RD_BER_UNIV (NULL));
      for (guint i = 0; i < depth; i++)
        rd_ber_writer_end (writer);
      return rd_ber_writer_finish (writer);
    }

  (void) open_def;
  for (guint i = 0; i < depth; i++)
    g_byte_array_append (out, open_indef, sizeof open_indef);
  g_byte_array_append (out, leaf, sizeof leaf);
  for (guint i = 0; i < depth; i++)
    g_byte_array_append (out, eoc, sizeof eoc);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
test_nesting_limit (void)
{
  RdBerLimits deep = { 64, RD_BER_DEFAULT_MAX_LENGTH, RD_BER_DEFAULT_MAX_TOTAL_SIZE };

  for (guint indefinite = 0; indefinite < 2; indefinite++)
    {
      g_autoptr(GBytes) ok = nested (RD_BER_DEFAULT_MAX_DEPTH, indefinite);
      g_autoptr(GBytes) too_deep = nested (RD_BER_DEFAULT_MAX_DEPTH + 1, indefinite);
      g_autoptr(GBytes) very_deep = nested (10000, indefinite);
      g_autoptr(GError) error = NULL;
      guint count = 0;

      g_assert_true (walk_bytes (ok, NULL, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count, ==, RD_BER_DEFAULT_MAX_DEPTH + 1);

      count = 0;
      g_assert_false (walk_bytes (too_deep, NULL, &count, &error));
      assert_invalid (error);
      g_assert_nonnull (strstr (error->message, "nesting"));
      g_clear_error (&error);

      count = 0;
      g_assert_true (walk_bytes (too_deep, &deep, &count, &error));
      g_assert_no_error (error);

      count = 0;
      g_assert_false (walk_bytes (very_deep, NULL, &count, &error));
      assert_invalid (error);
    }
}

/* Every proper prefix of a valid encoding is an error, never a crash or a
 * read past the end; the full one walks. */
static void
test_truncation (void)
{
  static const char *valid[] = {
    /* AARQ of the protocol notes §2.3 */
    "60 23 80 02 07 80 A1 07 06 05 2B 0C 00 81 5A BE 14 28 12 06 07 2B 0C 00 82 1D 81 48"
    " A0 07 A0 05 03 03 00 08 00",
    /* systemStatus invoke §2.4 */
    "A1 0C 02 01 01 02 02 00 D3 30 03 0A 01 02",
    /* indefinite lengths and a high tag */
    "30 80 02 01 05 BF 26 80 04 01 41 00 00 00 00",
  };

  for (guint v = 0; v < G_N_ELEMENTS (valid); v++)
    {
      g_autoptr(GBytes) full = hex (valid[v]);
      gsize size;
      const guint8 *data = g_bytes_get_data (full, &size);
      g_autoptr(GError) error = NULL;
      guint count = 0;

      g_assert_true (walk_bytes (full, NULL, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count, >, 2);

      for (gsize cut = 0; cut < size; cut++)
        {
          /* a copy of exactly cut bytes, so ASan sees any overread */
          g_autoptr(GBytes) prefix = g_bytes_new (data, cut);

          count = 0;
          g_assert_false (walk_bytes (prefix, NULL, &count, &error));
          assert_invalid (error);
          g_clear_error (&error);
        }
    }
}

static void
test_writer_nesting (void)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autofree guint8 *big = g_malloc0 (200);

  /* a nested value whose inner length needs the long form */
  rd_ber_writer_begin (writer, RD_BER_APP (1));
  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_add_primitive (writer, RD_BER_CTX (0), big, 200);
  rd_ber_writer_end (writer);
  rd_ber_writer_add_integer (writer, RD_BER_CTX (1), 7);
  rd_ber_writer_end (writer);
  b = rd_ber_writer_finish (writer);

  g_assert_cmpuint (g_bytes_get_size (b), ==, 3 + 3 + 3 + 200 + 3);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), 6,
                   ((const guint8[]) { 0x61, 0x81, 0xd1, 0x30, 0x81, 0xcb }), 6);

  /* the writer is reusable after finish */
  rd_ber_writer_add_null (writer, RD_BER_UNIV (NULL));
  again = rd_ber_writer_finish (writer);
  assert_bytes (again, "05 00");

  g_assert_false (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), "3.1"));
  g_assert_false (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), "1.40"));
  g_assert_false (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), "1"));
  g_assert_false (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), "1.2.x"));
  g_assert_cmpuint (rd_ber_writer_get_depth (writer), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ber/integer", test_integer);
  g_test_add_func ("/ber/integer-overflow", test_integer_overflow);
  g_test_add_func ("/ber/primitives", test_primitives);
  g_test_add_func ("/ber/primitive-errors", test_primitive_errors);
  g_test_add_func ("/ber/generalized-time", test_generalized_time_forms);
  g_test_add_func ("/ber/length-forms", test_length_forms);
  g_test_add_func ("/ber/overlong-lengths", test_overlong_lengths);
  g_test_add_func ("/ber/high-tags", test_high_tags);
  g_test_add_func ("/ber/indefinite", test_indefinite);
  g_test_add_func ("/ber/nesting-limit", test_nesting_limit);
  g_test_add_func ("/ber/truncation", test_truncation);
  g_test_add_func ("/ber/writer-nesting", test_writer_nesting);

  return g_test_run ();
}
