/* fuzz-smdr.c: the SMDR line parser on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is split into lines at CR and LF, as the link does; each line
 * goes through the parser with every layout and date order. A failure must
 * be an RD_ERROR_INVALID_DATA GError; a record must hold valid UTF-8 and
 * turn into an event.
 */

#include "config.h"

#include "rd-common.h"
#include "rd-smdr-parser.h"

#include "fuzz.h"

static void
check_record (const RdSmdrRecord *record)
{
  g_autoptr(RdCtiEvent) event = rd_smdr_record_to_event (record, "smdr");
  const char *strings[] = {
    record->extension, record->trunk, record->dial, record->calling, record->called,
    record->ddi, record->cost, record->account, record->condition,
  };

  g_assert (record->extension != NULL && record->extension[0] != '\0');
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_assert (strings[i] == NULL || g_utf8_validate (strings[i], -1, NULL));
  g_assert (event != NULL && event->at != NULL);
  g_assert (record->ring_time >= -1 && record->duration >= -1);
}

static void
parse_line (const char *line,
            gsize       length)
{
  static const RdSmdrLayout layouts[] = {
    RD_SMDR_LAYOUT_AUTO, RD_SMDR_LAYOUT_A, RD_SMDR_LAYOUT_B, RD_SMDR_LAYOUT_C,
  };

  for (guint i = 0; i < G_N_ELEMENTS (layouts) * 2; i++)
    {
      RdSmdrOptions options = { layouts[i / 2], i % 2, NULL };
      RdSmdrLine parsed = { 0, };
      GError *error = NULL;

      if (rd_smdr_parse_line (&options, line, length, &parsed, &error))
        {
          g_assert (error == NULL);
          g_assert ((parsed.kind == RD_SMDR_LINE_RECORD) == (parsed.record != NULL));
          if (parsed.record != NULL)
            check_record (parsed.record);
        }
      else
        {
          g_assert (g_error_matches (error, RD_ERROR, RD_ERROR_INVALID_DATA));
          g_assert (parsed.record == NULL);
          g_clear_error (&error);
        }
      rd_smdr_line_clear (&parsed);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  gsize start = 0;

  fuzz_set_up ();

  for (gsize i = 0; i <= size; i++)
    {
      if (i < size && text[i] != '\r' && text[i] != '\n')
        continue;
      parse_line (text + start, i - start);
      start = i + 1;
    }

  return 0;
}
