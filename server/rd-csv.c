/* rd-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads RFC 4180 CSV from memory: fields separated by commas, records by
 * CRLF or LF (a lone CR too), fields in double quotes may hold commas, line
 * breaks and doubled quotes. A UTF-8 byte order mark at the start is skipped
 * and a blank line is no record. A record that breaks the rules — a quote
 * inside an unquoted field, text after a closing quote, a quote never closed,
 * a NUL byte, bytes that are not UTF-8, more than RD_CSV_MAX_FIELDS fields —
 * is reported as RD_CSV_ERROR with its number, and reading goes on at the
 * next line, so one bad row does not hide the others. Pure: no I/O, total on
 * any input (fuzzed by tests/fuzz/fuzz-csv.c).
 */

#define G_LOG_DOMAIN "RdCsv"

#include "config.h"

#include <string.h>

#include "rd-csv.h"
#include "rd-error.h"

void
rd_csv_reader_init (RdCsvReader *reader,
                    const char  *data,
                    gsize        length)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (data != NULL || length == 0);

  reader->data = data;
  reader->length = length;
  reader->pos = 0;
  reader->record = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    reader->pos = 3;
}

/* Moves past the end of the current line, for a record gone wrong. */
static void
skip_line (RdCsvReader *reader)
{
  while (reader->pos < reader->length)
    {
      char c = reader->data[reader->pos++];

      if (c == '\n')
        return;
      if (c == '\r')
        {
          if (reader->pos < reader->length && reader->data[reader->pos] == '\n')
            reader->pos++;
          return;
        }
    }
}

static gboolean
at_line_end (RdCsvReader *reader)
{
  return reader->pos >= reader->length ||
         reader->data[reader->pos] == '\n' || reader->data[reader->pos] == '\r';
}

static void
eat_line_end (RdCsvReader *reader)
{
  if (reader->pos < reader->length && reader->data[reader->pos] == '\r')
    reader->pos++;
  if (reader->pos < reader->length && reader->data[reader->pos] == '\n')
    reader->pos++;
}

static RdCsvResult
fail (RdCsvReader  *reader,
      guint        *record,
      GError      **error,
      const char   *message)
{
  g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_DATA, message);
  if (record != NULL)
    *record = reader->record;
  skip_line (reader);
  return RD_CSV_ERROR;
}

/**
 * rd_csv_reader_next:
 * @fields: (out) (transfer full): the fields of the record, on %RD_CSV_RECORD
 * @record: (out) (optional): the number of the record read, from 1 (blank
 *   lines are not counted)
 *
 * Returns: %RD_CSV_RECORD, %RD_CSV_ERROR with @error set (the bad record is
 *   skipped), or %RD_CSV_END
 */
RdCsvResult
rd_csv_reader_next (RdCsvReader   *reader,
                    char        ***fields,
                    guint         *record,
                    GError       **error)
{
  g_autoptr(GPtrArray) row = NULL;
  g_autoptr(GString) field = NULL;

  g_return_val_if_fail (reader != NULL, RD_CSV_END);
  g_return_val_if_fail (fields != NULL, RD_CSV_END);

  *fields = NULL;

  /* blank lines are no records */
  while (reader->pos < reader->length &&
         (reader->data[reader->pos] == '\n' || reader->data[reader->pos] == '\r'))
    reader->pos++;
  if (reader->pos >= reader->length)
    return RD_CSV_END;

  reader->record++;
  row = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);

  for (;;)
    {
      g_string_truncate (field, 0);

      if (reader->pos < reader->length && reader->data[reader->pos] == '"')
        {
          gboolean closed = FALSE;

          reader->pos++;
          while (reader->pos < reader->length)
            {
              char c = reader->data[reader->pos++];

              if (c == '"')
                {
                  if (reader->pos < reader->length && reader->data[reader->pos] == '"')
                    {
                      g_string_append_c (field, '"');
                      reader->pos++;
                      continue;
                    }
                  closed = TRUE;
                  break;
                }
              if (c == '\0')
                return fail (reader, record, error, "The row contains a NUL byte");
              g_string_append_c (field, c);
            }
          if (!closed)
            return fail (reader, record, error, "A quoted field is never closed");
          if (!at_line_end (reader) && reader->data[reader->pos] != ',')
            return fail (reader, record, error, "Text after the closing quote of a field");
        }
      else
        {
          while (!at_line_end (reader) && reader->data[reader->pos] != ',')
            {
              char c = reader->data[reader->pos++];

              if (c == '"')
                return fail (reader, record, error, "A quote inside a field that is not quoted");
              if (c == '\0')
                return fail (reader, record, error, "The row contains a NUL byte");
              g_string_append_c (field, c);
            }
        }

      if (!g_utf8_validate (field->str, (gssize) field->len, NULL))
        return fail (reader, record, error, "The row is not UTF-8");
      if (row->len == RD_CSV_MAX_FIELDS)
        return fail (reader, record, error, "The row has too many fields");
      g_ptr_array_add (row, g_strndup (field->str, field->len));

      if (reader->pos < reader->length && reader->data[reader->pos] == ',')
        {
          reader->pos++;
          continue;
        }

      eat_line_end (reader);
      break;
    }

  g_ptr_array_add (row, NULL);
  *fields = (char **) g_ptr_array_free (g_steal_pointer (&row), FALSE);
  if (record != NULL)
    *record = reader->record;

  return RD_CSV_RECORD;
}
