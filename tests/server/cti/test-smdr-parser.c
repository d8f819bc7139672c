/* test-smdr-parser.c: SMDR lines of the manuals and the field → records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-smdr-parser.h"

static RdSmdrOptions options_mdy = { RD_SMDR_LAYOUT_AUTO, FALSE, NULL };
static RdSmdrOptions options_dmy = { RD_SMDR_LAYOUT_AUTO, TRUE, NULL };

static RdSmdrLineKind
parse (const RdSmdrOptions *options,
       const char          *text,
       RdSmdrLine          *line)
{
  g_autoptr(GError) error = NULL;

  if (!rd_smdr_parse_line (options, text, strlen (text), line, &error))
    g_error ("“%s”: %s", text, error->message);
  g_assert_no_error (error);

  return line->kind;
}

static RdCtiEvent *
parse_event (const RdSmdrOptions *options,
             const char          *text)
{
  g_auto(RdSmdrLine) line = { 0, };

  g_assert_cmpint (parse (options, text, &line), ==, RD_SMDR_LINE_RECORD);
  return rd_smdr_record_to_event (line.record, "smdr");
}

static void
assert_time (GDateTime *at,
             int        year,
             int        month,
             int        day,
             int        hour,
             int        minute)
{
  g_assert_nonnull (at);
  g_assert_cmpint (g_date_time_get_year (at), ==, year);
  g_assert_cmpint (g_date_time_get_month (at), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (at), ==, day);
  g_assert_cmpint (g_date_time_get_hour (at), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (at), ==, minute);
}

/* a line with fields at the given 0-based columns, as the manuals describe
 * the patterns (independent of the simulator's formatter) */
static char *
columns (int first, ...)
{
  GString *line = g_string_new (NULL);
  va_list args;
  int column = first;

  va_start (args, first);
  while (column >= 0)
    {
      const char *text = va_arg (args, const char *);

      while ((int) line->len < column)
        g_string_append_c (line, ' ');
      g_string_truncate (line, column);
      g_string_append (line, text);
      column = va_arg (args, int);
    }
  va_end (args);

  return g_string_free (line, FALSE);
}

static void
test_skipped (void)
{
  const char *lines[] = {
    "",
    "   ",
    "--------------------------------------------------------------------------------",
    "*******",
    "Enter Password:",
    "02/02/00 10:45AM 1234 Snack 03.00",
    "01/02/02 10:03AM MJ ALM 123 10203 Card failure",
    "01/02/02 10:03AM MN ALM 201 01101 LAN link error",
    "01/02/02 10:03AM  1234 In the office",
    "01/02/02 10:03AM  1234 LOG IN",
    "01/02/02 10:03AM  1234 LOG OUT",
    "01/02/02 10:03AM  1234 Check in",
    "01/02/02 10:03AM  1234 Timed Reminder/No Answer",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_auto(RdSmdrLine) line = { 0, };

      g_test_message ("%s", lines[i]);
      g_assert_cmpint (parse (&options_mdy, lines[i], &line), ==, RD_SMDR_LINE_SKIP);
      g_assert_null (line.record);
    }
}

static void
test_header (void)
{
  g_auto(RdSmdrLine) a = { 0, };
  g_auto(RdSmdrLine) b = { 0, };
  g_auto(RdSmdrLine) c = { 0, };

  /* verbatim (emulator, XRMS script) */
  g_assert_cmpint (parse (&options_mdy,
                          "  Date     Time    Ext CO        Dial Number        Ring Duration  Acc code  CD ",
                          &a), ==, RD_SMDR_LINE_HEADER);
  g_assert_cmpint (a.layout, ==, RD_SMDR_LAYOUT_A);

  g_assert_cmpint (parse (&options_mdy,
                          "  Date     Time    Ext CO      Dial Number     Duration   Cost    Acc code   CD",
                          &b), ==, RD_SMDR_LINE_HEADER);
  g_assert_cmpint (b.layout, ==, RD_SMDR_LAYOUT_B);

  g_assert_cmpint (parse (&options_mdy,
                          "  Date     Time    Ext  CO                    Dial Number                        "
                          "Ring Duration     Cost      Acc code   CD",
                          &c), ==, RD_SMDR_LINE_HEADER);
  g_assert_cmpint (c.layout, ==, RD_SMDR_LAYOUT_C);
}

static void
test_td816_rc_an_na (void)
{
  g_autoptr(RdCtiEvent) rc = NULL;
  g_autoptr(RdCtiEvent) an = NULL;
  g_autoptr(RdCtiEvent) na = NULL;

  /* KX-TD816 manual p.412 (protocol notes §1.7 b) */
  rc = parse_event (&options_mdy, "06/24/96 10:03AM 103 03 <I> 1234567890 MARY WARD                    RC");
  g_assert_cmpint (rc->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (rc->link, ==, "smdr");
  g_assert_null (rc->call_id);
  g_assert_cmpstr (rc->extension, ==, "103");
  g_assert_cmpstr (rc->trunk, ==, "03");
  g_assert_cmpstr (rc->calling, ==, "1234567890");
  g_assert_cmpint (rc->direction, ==, RD_CALL_DIRECTION_IN);
  assert_time (rc->at, 1996, 6, 24, 10, 3);

  an = parse_event (&options_mdy, "06/24/96 10:07AM 103 03 <I> 0924312111 TONY              0'20       AN");
  g_assert_cmpint (an->type, ==, RD_CTI_EVENT_ANSWERED);
  g_assert_cmpstr (an->extension, ==, "103");
  g_assert_cmpstr (an->calling, ==, "0924312111");
  g_assert_cmpint (an->ring_time, ==, 20);

  na = parse_event (&options_mdy, "06/24/96 10:05AM 103 03 <I> 1022220 TOM HUNKS            0'45       NA");
  g_assert_cmpint (na->type, ==, RD_CTI_EVENT_RECORD);
  g_assert_cmpint (na->outcome, ==, RD_CALL_OUTCOME_ABANDONED);
  g_assert_cmpstr (na->cause, ==, "no_answer");
  g_assert_cmpint (na->ring_time, ==, 45);
  g_assert_cmpstr (na->calling, ==, "1022220");
}

static void
test_field_lines (void)
{
  g_autoptr(RdCtiEvent) in = NULL;
  g_autoptr(RdCtiEvent) out = NULL;
  g_autoptr(RdCtiEvent) ta_in = NULL;
  g_autoptr(RdCtiEvent) ta_dmy = NULL;

  /* real lines quoted by a Django client (§1.7 d) */
  in = parse_event (&options_mdy, "1/ 6/05   1:55AM 107  01   <    incoming    >                  00:00'45\" ....");
  g_assert_cmpint (in->type, ==, RD_CTI_EVENT_RECORD);
  g_assert_cmpint (in->direction, ==, RD_CALL_DIRECTION_IN);
  g_assert_cmpstr (in->extension, ==, "107");
  g_assert_cmpstr (in->trunk, ==, "01");
  g_assert_null (in->calling);
  g_assert_cmpint (in->duration, ==, 45);
  g_assert_cmpint (in->outcome, ==, RD_CALL_OUTCOME_ANSWERED);
  assert_time (in->at, 2005, 1, 6, 1, 55);

  out = parse_event (&options_mdy, "06/01/11 15:11 101 01 09338665005 00:00'39");
  g_assert_cmpint (out->direction, ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (out->called, ==, "09338665005");
  g_assert_cmpstr (out->calling, ==, "101");
  g_assert_cmpint (out->duration, ==, 39);
  assert_time (out->at, 2011, 6, 1, 15, 11);

  /* KX-TA616/624 (§1.7 e) */
  ta_in = parse_event (&options_mdy, "12/31/98 *12:54PM 101 02 < incoming > 00:07'48 ....");
  g_assert_cmpint (ta_in->direction, ==, RD_CALL_DIRECTION_IN);
  g_assert_cmpint (ta_in->duration, ==, 7 * 60 + 48);
  assert_time (ta_in->at, 1998, 12, 31, 12, 54);

  ta_dmy = parse_event (&options_dmy, "31/12/98  1:04PM 203 06 092. . . 1438 00:00'06 4536");
  g_assert_cmpint (ta_dmy->direction, ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (ta_dmy->called, ==, "092");
  g_assert_cmpint (ta_dmy->duration, ==, 6);
  assert_time (ta_dmy->at, 1998, 12, 31, 13, 4);
}

static void
test_pattern_a (void)
{
  /* the KX-NS1000 / KX-TDA Pattern A example values (§1.7 f) in their columns */
  g_autofree char *unanswered = columns (0, "01/02/02", 9, "10:03AM", 18, "1200", 23, "01",
                                         26, "<I>12345678901234567890", 52, "5'15",
                                         57, "00:00'00", -1);
  g_autofree char *no_cli = columns (0, "01/02/02", 9, "01:07PM", 18, "1200", 23, "01", 26, "<I>",
                                     52, "0'05", 57, "00:01'05", 66, "9876543210", -1);
  g_autofree char *outgoing = columns (0, "01/02/02", 9, "01:07PM", 18, "1200", 23, "01",
                                       26, "1234567890123456", 57, "00:01'05", 66, "9876543210", -1);
  g_autofree char *verified = columns (0, "01/02/02", 9, "01:07PM", 18, "*123", 23, "01",
                                       26, "1234567890123456", 57, "00:01'05", -1);
  g_autofree char *ddi = columns (0, "01/02/02", 9, "01:07PM", 18, "1234", 23, "01",
                                  26, "<D>CDE9876<I>Q COMPANY", 52, "0'05", 57, "00:00'10", -1);
  g_autofree char *name = columns (0, "01/02/02", 9, "01:07PM", 18, "1234", 23, "01",
                                   26, "<I>ABC COMPANY12345678", 52, "0'05", 57, "00:00'10", -1);
  g_autofree char *secret = columns (0, "01/02/02", 9, "01:07PM", 18, "1234", 23, "01",
                                     26, "123..............", 57, "00:00'10", -1);
  g_autofree char *privacy = columns (0, "01/02/02", 9, "01:07PM", 18, "1234", 23, "01",
                                      26, "123456XX", 57, "00:00'10", 77, "TR", -1);
  g_autofree char *intercom = columns (0, "01/02/02", 9, "01:07PM", 18, "1234", 26, "EXT1235",
                                       57, "00:00'10", -1);
  g_autoptr(RdCtiEvent) e1 = parse_event (&options_mdy, unanswered);
  g_autoptr(RdCtiEvent) e2 = parse_event (&options_mdy, no_cli);
  g_autoptr(RdCtiEvent) e3 = parse_event (&options_mdy, outgoing);
  g_autoptr(RdCtiEvent) e4 = parse_event (&options_mdy, verified);
  g_autoptr(RdCtiEvent) e5 = parse_event (&options_mdy, ddi);
  g_autoptr(RdCtiEvent) e6 = parse_event (&options_mdy, name);
  g_autoptr(RdCtiEvent) e7 = parse_event (&options_mdy, secret);
  g_autoptr(RdCtiEvent) e8 = parse_event (&options_mdy, privacy);
  g_autoptr(RdCtiEvent) e9 = parse_event (&options_mdy, intercom);

  g_assert_cmpint (e1->type, ==, RD_CTI_EVENT_RECORD);
  g_assert_cmpint (e1->direction, ==, RD_CALL_DIRECTION_IN);
  g_assert_cmpstr (e1->calling, ==, "12345678901234567890");
  g_assert_cmpint (e1->ring_time, ==, 5 * 60 + 15);
  g_assert_cmpint (e1->duration, ==, 0);
  g_assert_cmpint (e1->outcome, ==, RD_CALL_OUTCOME_MISSED);
  assert_time (e1->at, 2002, 1, 2, 10, 3);

  g_assert_null (e2->calling);
  g_assert_cmpint (e2->duration, ==, 65);
  g_assert_cmpint (e2->outcome, ==, RD_CALL_OUTCOME_ANSWERED);
  assert_time (e2->at, 2002, 1, 2, 13, 7);

  g_assert_cmpint (e3->direction, ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (e3->called, ==, "1234567890123456");
  g_assert_cmpstr (e3->calling, ==, "1200");
  g_assert_cmpstr (e3->trunk, ==, "01");

  g_assert_cmpstr (e4->extension, ==, "123");

  g_assert_cmpstr (e5->ddi, ==, "9876");
  g_assert_null (e5->calling);

  g_assert_cmpstr (e6->calling, ==, "12345678");

  g_assert_cmpstr (e7->called, ==, "123");
  g_assert_cmpstr (e8->called, ==, "123456");
  g_assert_cmpstr (e8->cause, ==, "transferred");

  g_assert_cmpint (e9->direction, ==, RD_CALL_DIRECTION_INTERNAL);
  g_assert_null (e9->trunk);
  g_assert_cmpstr (e9->called, ==, "1235");
}

static void
test_pattern_b_c (void)
{
  RdSmdrOptions b = { RD_SMDR_LAYOUT_B, FALSE, NULL };
  g_autofree char *line_b = columns (0, "01/02/02", 9, "10:03AM", 18, "2005", 23, "01",
                                     26, "1234567890123456789", 47, "00:00'05",
                                     56, "00560.00EU", 67, "9876543210", -1);
  g_autofree char *line_c = columns (0, "01/02/02", 9, "10:03AM", 18, "1230", 23, "0001",
                                     28, "123456789012345678901234567890", 84, "00:00'05",
                                     93, "00560.00EUR", 105, "9876543210", 116, "TR", -1);
  g_autofree char *line_c_in = columns (0, "01/02/02", 9, "10:03AM", 18, "1230", 23, "0001",
                                        28, "<I>ABC COMPANY123456789012345", 79, "0'05",
                                        84, "00:00'05", 116, "TR", -1);
  g_auto(RdSmdrLine) lb = { 0, };
  g_auto(RdSmdrLine) lb_auto = { 0, };
  g_auto(RdSmdrLine) lc = { 0, };
  g_autoptr(RdCtiEvent) ec_in = NULL;

  g_assert_cmpint (parse (&b, line_b, &lb), ==, RD_SMDR_LINE_RECORD);
  g_assert_cmpstr (lb.record->called, ==, "1234567890123456789");
  g_assert_cmpint (lb.record->duration, ==, 5);
  g_assert_cmpstr (lb.record->cost, ==, "00560.00EU");
  g_assert_cmpstr (lb.record->account, ==, "9876543210");
  g_assert_cmpint (lb.record->ring_time, ==, -1);

  /* guessed from the columns */
  g_assert_cmpint (parse (&options_mdy, line_b, &lb_auto), ==, RD_SMDR_LINE_RECORD);
  g_assert_cmpint (lb_auto.layout, ==, RD_SMDR_LAYOUT_B);
  g_assert_cmpstr (lb_auto.record->cost, ==, "00560.00EU");

  g_assert_cmpint (parse (&options_mdy, line_c, &lc), ==, RD_SMDR_LINE_RECORD);
  g_assert_cmpint (lc.layout, ==, RD_SMDR_LAYOUT_C);
  g_assert_cmpstr (lc.record->trunk, ==, "0001");
  g_assert_cmpstr (lc.record->called, ==, "123456789012345678901234567890");
  g_assert_cmpstr (lc.record->cost, ==, "00560.00EUR");
  g_assert_cmpstr (lc.record->condition, ==, "TR");

  ec_in = parse_event (&options_mdy, line_c_in);
  g_assert_cmpstr (ec_in->calling, ==, "123456789012345");
  g_assert_cmpint (ec_in->ring_time, ==, 5);
  g_assert_cmpstr (ec_in->cause, ==, "transferred");
}

static void
test_date_order (void)
{
  const char *text = "03/04/24 09:30 201 01 0612345678 00:00'10";
  g_autoptr(RdCtiEvent) mdy = parse_event (&options_mdy, text);
  g_autoptr(RdCtiEvent) dmy = parse_event (&options_dmy, text);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  RdSmdrOptions options_utc = { RD_SMDR_LAYOUT_AUTO, FALSE, utc };
  g_autoptr(RdCtiEvent) in_utc = parse_event (&options_utc, "03/04/24 12:00AM 201 01 0612345678 00:00'10");
  g_autoptr(RdCtiEvent) noon = parse_event (&options_utc, "03/04/24 12:00PM 201 01 0612345678 00:00'10");
  g_autoptr(RdCtiEvent) unknown = parse_event (&options_mdy, "**/**/** **:****  201 01 0612345678 00:00'10");

  assert_time (mdy->at, 2024, 3, 4, 9, 30);
  assert_time (dmy->at, 2024, 4, 3, 9, 30);
  assert_time (in_utc->at, 2024, 3, 4, 0, 0);
  g_assert_cmpint (g_date_time_get_utc_offset (in_utc->at), ==, 0);
  assert_time (noon->at, 2024, 3, 4, 12, 0);
  /* lost by the PBX: the time it was read */
  g_assert_nonnull (unknown->at);
  g_assert_cmpstr (unknown->called, ==, "0612345678");
}

static void
test_latin1 (void)
{
  g_autofree char *text = columns (0, "01/02/02", 9, "10:03AM", 18, "1200", 23, "01",
                                   26, "<I>0612345678 JOS\xc9 \x80\x01", 77, "RC", -1);
  g_auto(RdSmdrLine) line = { 0, };

  g_assert_cmpint (parse (&options_mdy, text, &line), ==, RD_SMDR_LINE_RECORD);
  g_assert_true (g_utf8_validate (line.record->dial, -1, NULL));
  g_assert_cmpstr (line.record->dial, ==, "<I>0612345678 JOS\xc3\x89 ??");
  g_assert_cmpstr (line.record->calling, ==, "0612345678");
}

static void
assert_invalid (const RdSmdrOptions *options,
                const char          *text,
                gssize               length,
                const char          *column)
{
  g_auto(RdSmdrLine) line = { 0, };
  g_autoptr(GError) error = NULL;

  if (length < 0)
    length = strlen (text);
  g_assert_false (rd_smdr_parse_line (options, text, length, &line, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, column));
  g_assert_null (line.record);
}

static void
test_malformed (void)
{
  g_autofree char *long_line = g_strnfill (RD_SMDR_MAX_LINE + 10, '7');
  g_autofree char *bad_ring = columns (0, "01/02/02", 9, "10:03AM", 18, "1200", 23, "01",
                                       26, "<I>0612345678", 52, "0'75", 57, "00:00'10", -1);
  g_autofree char *bad_duration = columns (0, "01/02/02", 9, "10:03AM", 18, "1200", 23, "01",
                                           26, "0612345678", 57, "00:61'10", -1);
  static const char nul[] = "06/24/96 10:03AM 103 03 <I>\0 123 RC";

  assert_invalid (&options_mdy, "13/45/99 10:03AM  201 01 <I>0612345678 RC", -1, "column 1:");
  assert_invalid (&options_dmy, "12/31/98 10:03AM  201 01 <I>0612345678 RC", -1, "DD/MM/YY");
  assert_invalid (&options_mdy, "06/24/96 25:03AM 103 03 <I> 1234567890 RC", -1, "column 10:");
  assert_invalid (&options_mdy, "06/24/96 10:3 103 03 <I> 1234567890 RC", -1, "column 10:");
  assert_invalid (&options_mdy, bad_ring, strlen (bad_ring), "column 53:");
  assert_invalid (&options_mdy, bad_duration, strlen (bad_duration), "column 58:");
  assert_invalid (&options_mdy, long_line, strlen (long_line), "longer than");
  assert_invalid (&options_mdy, "\x01\x7f\x80\xfe\xff garbage", -1, "no date");
  assert_invalid (&options_mdy, "06/24/96", -1, "column 9:");
  assert_invalid (&options_mdy, "06/24/96 10:03AM \xff\xfe 03 <I>1 RC", -1, "not an extension");
  /* a NUL in the line is data, not the end */
  {
    g_auto(RdSmdrLine) line = { 0, };
    g_autoptr(GError) error = NULL;

    if (rd_smdr_parse_line (&options_mdy, nul, sizeof nul - 1, &line, &error))
      g_assert_true (line.record == NULL || g_utf8_validate (line.record->dial, -1, NULL));
    else
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smdr-parser/skipped", test_skipped);
  g_test_add_func ("/smdr-parser/header", test_header);
  g_test_add_func ("/smdr-parser/td816-rc-an-na", test_td816_rc_an_na);
  g_test_add_func ("/smdr-parser/field-lines", test_field_lines);
  g_test_add_func ("/smdr-parser/pattern-a", test_pattern_a);
  g_test_add_func ("/smdr-parser/pattern-b-c", test_pattern_b_c);
  g_test_add_func ("/smdr-parser/date-order", test_date_order);
  g_test_add_func ("/smdr-parser/latin1", test_latin1);
  g_test_add_func ("/smdr-parser/malformed", test_malformed);

  return g_test_run ();
}
