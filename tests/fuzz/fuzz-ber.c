/* fuzz-ber.c: the BER reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks the whole tree and runs every typed getter on every value; a failure
 * must be an RD_ERROR_INVALID_DATA GError, never a crash, critical or read
 * past the input.
 */

#include "config.h"

#include "rd-common.h"

#include "fuzz.h"

static void
check_error (gboolean  ok,
             GError  **error)
{
  g_assert (ok == (*error == NULL));
  if (!ok)
    g_assert (g_error_matches (*error, RD_ERROR, RD_ERROR_INVALID_DATA));
  g_clear_error (error);
}

static void
try_getters (const RdBerTlv *tlv,
             GTimeZone      *tz)
{
  GError *error = NULL;
  gint64 v64;
  gint v;
  gboolean b;
  const guint8 *data;
  gsize size;
  guint unused;
  char *text;
  GDateTime *dt;

  check_error (rd_ber_tlv_get_int64 (tlv, &v64, &error), &error);
  check_error (rd_ber_tlv_get_int (tlv, &v, &error), &error);
  check_error (rd_ber_tlv_get_boolean (tlv, &b, &error), &error);
  check_error (rd_ber_tlv_get_null (tlv, &error), &error);
  if (rd_ber_tlv_get_octets (tlv, &data, &size, &error))
    g_assert (size == tlv->length && (size == 0 || data == tlv->content));
  check_error (error == NULL, &error);
  check_error (rd_ber_tlv_get_bit_string (tlv, &unused, &data, &size, &error), &error);

  text = rd_ber_tlv_dup_ia5 (tlv, &error);
  check_error (text != NULL, &error);
  g_free (text);
  text = rd_ber_tlv_dup_visible (tlv, &error);
  check_error (text != NULL, &error);
  g_free (text);
  text = rd_ber_tlv_dup_oid (tlv, &error);
  check_error (text != NULL, &error);
  if (text != NULL)
    {
      /* a decoded OID re-encodes to the same contents */
      g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
      g_autoptr(GBytes) again = NULL;

      g_assert (rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), text));
      again = rd_ber_writer_finish (writer);
      g_assert (g_bytes_get_size (again) >= tlv->length);
    }
  g_free (text);
  dt = rd_ber_tlv_get_generalized_time (tlv, tz, &error);
  check_error (dt != NULL, &error);
  g_clear_pointer (&dt, g_date_time_unref);
  g_free (rd_ber_tlv_describe (tlv));
}

static void
walk (RdBerReader *reader,
      GTimeZone   *tz)
{
  while (!rd_ber_reader_at_end (reader))
    {
      GError *error = NULL;
      RdBerTlv tlv;

      if (!rd_ber_reader_read (reader, &tlv, &error))
        {
          check_error (FALSE, &error);
          return;
        }
      try_getters (&tlv, tz);
      if (tlv.constructed)
        {
          RdBerReader child;

          if (rd_ber_reader_descend (reader, &tlv, &child, &error))
            walk (&child, tz);
          else
            check_error (FALSE, &error);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static GTimeZone *tz;
  RdBerLimits small = { 8, 512, 4096 };
  RdBerReader reader;
  GError *error = NULL;

  fuzz_set_up ();
  if (tz == NULL)
    tz = g_time_zone_new_offset (3600);

  if (rd_ber_reader_init (&reader, data, size, NULL, &error))
    walk (&reader, tz);
  else
    check_error (FALSE, &error);

  if (rd_ber_reader_init (&reader, data, size, &small, &error))
    walk (&reader, tz);
  else
    check_error (FALSE, &error);

  return 0;
}
