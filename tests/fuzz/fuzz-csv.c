/* fuzz-csv.c: the CSV reader of customer import on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rd-csv.h"

#include "fuzz.h"

/* Writes @fields back as CSV, every field quoted. */
static GString *
encode (char **fields)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      g_string_append_c (line, '"');
      for (const char *p = fields[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  g_string_append (line, "\r\n");

  return line;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  RdCsvReader reader;
  RdCsvResult result;
  guint last = 0;
  guint calls = 0;

  fuzz_set_up ();

  rd_csv_reader_init (&reader, (const char *) data, size);
  do
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GError) error = NULL;
      guint record = 0;

      result = rd_csv_reader_next (&reader, &fields, &record, &error);
      /* every call consumes input, so reading ends */
      g_assert (++calls <= size + 1);

      if (result == RD_CSV_RECORD)
        {
          g_autoptr(GString) again = encode (fields);
          g_auto(GStrv) fields_again = NULL;
          RdCsvReader reread;

          g_assert (error == NULL);
          g_assert (record == last + 1);
          g_assert (fields[0] != NULL);
          g_assert (g_strv_length (fields) <= RD_CSV_MAX_FIELDS);
          for (guint i = 0; fields[i] != NULL; i++)
            g_assert (g_utf8_validate (fields[i], -1, NULL));

          /* what was read, written back, reads the same */
          rd_csv_reader_init (&reread, again->str, again->len);
          g_assert (rd_csv_reader_next (&reread, &fields_again, NULL, NULL) == RD_CSV_RECORD);
          g_assert (g_strv_equal ((const char * const *) fields, (const char * const *) fields_again));
          last = record;
        }
      else if (result == RD_CSV_ERROR)
        {
          g_assert (error != NULL && error->message[0] != '\0');
          g_assert (fields == NULL);
          g_assert (record == last + 1);
          last = record;
        }
      else
        {
          g_assert (fields == NULL);
        }
    }
  while (result != RD_CSV_END);

  return 0;
}
