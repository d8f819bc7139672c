/* test-hop-log.c: the innovaphone hop log, byte by byte, in a temp dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestHopLog"

#include "config.h"

#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-hop-log.h"
#include "rd-test-http.h"
#include "rd-test-link.h"

typedef struct
{
  char     *dir;
  RdHopLog *log;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  f->dir = g_dir_make_tmp ("rd-hop-log-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_build_filename (f->dir, "log", NULL);
  f->log = rd_hop_log_new (folder);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->log);
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
}

static GDateTime *
at (int day,
    int hour,
    int minute)
{
  return g_date_time_new_local (2012, 10, day, hour, minute, 0);
}

static void
add_hop (RdCall     *call,
         const char *extension,
         const char *ticket,
         GDateTime  *rung_at,
         GDateTime  *ended_at)
{
  g_autoptr(RdHop) hop = rd_hop_new (extension);

  rd_hop_set_ticket (hop, ticket);
  rd_hop_set_rung_at (hop, rung_at);
  rd_hop_set_ended_at (hop, ended_at);
  rd_call_append_hop (call, hop);
}

/* the innovaphone example: hops 14:00-14:05 and 14:05-14:09 */
static RdCall *
make_call (const char *ticket_first,
           const char *ticket_second,
           int         minute)
{
  RdCall *call = rd_call_new ("7");
  g_autoptr(GDateTime) t0 = at (12, 14, minute);
  g_autoptr(GDateTime) t1 = at (12, 14, minute + 5);
  g_autoptr(GDateTime) t2 = at (12, 14, minute + 9);

  rd_call_set_from (call, "03472619287");
  rd_call_set_started_at (call, t0);
  rd_call_set_ended_at (call, t2);
  add_hop (call, "732", ticket_first, t0, t1);
  add_hop (call, "731", ticket_second, t1, t2);

  return call;
}

static void
test_format (void)
{
  g_autoptr(RdCall) call = make_call ("1234", "1235", 0);
  g_autoptr(RdCall) bare = rd_call_new ("8");
  g_autoptr(RdCall) odd = rd_call_new ("9");
  g_autoptr(GDateTime) t0 = at (3, 9, 7);
  g_autofree char *text = rd_hop_log_format_call (call);
  g_autofree char *empty = rd_hop_log_format_call (bare);
  g_autofree char *odd_text = NULL;
  const char *tickets[] = { "77", NULL };

  g_assert_cmpstr (text, ==,
                   "12.10.2012_14.00_12.10.2012_14.05_Ticket_1234_Caller_03472619287_Called_732\n"
                   "12.10.2012_14.05_12.10.2012_14.09_Ticket_1235_Caller_03472619287_Called_731_END\n");
  g_assert_cmpstr (empty, ==, "");

  /* a hop without its own number takes the call's; odd characters cannot break the fields */
  rd_call_set_from (odd, "+34 612_345");
  rd_call_set_started_at (odd, t0);
  rd_call_set_tickets (odd, tickets);
  add_hop (odd, "201", NULL, t0, NULL);
  odd_text = rd_hop_log_format_call (odd);
  g_assert_cmpstr (odd_text, ==, "03.10.2012_09.07_03.10.2012_09.07_Ticket_77_Caller_+34-612-345_Called_201_END\n");
}

static void
write_ok (Fixture    *f,
          RdCall     *call,
          const char *expected_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *basename = NULL;

  g_assert_true (rd_hop_log_write_call (f->log, call, &filename, &error));
  g_assert_no_error (error);
  basename = g_path_get_basename (filename);
  g_assert_cmpstr (basename, ==, expected_name);
}

static void
test_serial_and_day (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  g_autofree char *other = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *later_text = NULL;
  g_autofree char *first_text = NULL;
  g_autoptr(RdCall) later = make_call ("2000", "2001", 30);

  /* twelve calls of the same minute: _2 … _12, read back in that order */
  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *first = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *name = i == 1 ? g_strdup ("12.10.2012_14.00.log")
                                     : g_strdup_printf ("12.10.2012_14.00_%u.log", i);
      g_autoptr(RdCall) call = make_call (first, "0", 0);

      write_ok (f, call, name);
    }
  write_ok (f, later, "12.10.2012_14.30.log");

  day = rd_hop_log_read_day (f->log, "2012-10-12", &error);
  g_assert_no_error (error);
  later_text = rd_hop_log_format_call (later);
  {
    g_autoptr(GString) all = g_string_new (NULL);

    for (guint i = 1; i <= 12; i++)
      {
        g_autofree char *first = g_strdup_printf ("%u", 1000 + i);
        g_autoptr(RdCall) call = make_call (first, "0", 0);
        g_autofree char *text = rd_hop_log_format_call (call);

        g_string_append (all, text);
      }
    g_string_append (all, later_text);
    expected = g_string_free (g_steal_pointer (&all), FALSE);
  }
  g_assert_cmpstr (day, ==, expected);

  /* a day without calls is empty, not an error */
  other = rd_hop_log_read_day (f->log, "2012-10-13", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other, ==, "");

  /* no temporary or foreign file is ever read as a day's log */
  {
    g_autofree char *stray = g_build_filename (f->dir, "log", "2012-10-12", "12.10.2012_14.00.log.ABC123", NULL);

    g_assert_true (g_file_set_contents (stray, "half a li", -1, NULL));
    g_free (first_text);
    first_text = rd_hop_log_read_day (f->log, "2012-10-12", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (first_text, ==, expected);
  }

  /* a serial freed by a removed file is not taken again: the next call of
   * the minute goes after the last one */
  {
    g_autofree char *fifth = g_build_filename (f->dir, "log", "2012-10-12", "12.10.2012_14.00_5.log", NULL);
    g_autoptr(RdCall) call = make_call ("1013", "0", 0);

    g_assert_cmpint (g_unlink (fifth), ==, 0);
    write_ok (f, call, "12.10.2012_14.00_13.log");
  }
}

static void
test_bad_dates (Fixture       *f,
                gconstpointer  data)
{
  static const char * const bad[] = {
    "", "2012-1-12", "2012-13-01", "2012-02-30", "../../etc", "2012-10-12/..", "0000-01-01",
    "２０１２-10-12", "2012-10-121", "2012_10_12",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = rd_hop_log_read_day (f->log, bad[i], &error);

      g_assert_null (text);
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hop-log/format", test_format);
  g_test_add ("/hop-log/serial-and-day", Fixture, NULL, fixture_set_up, test_serial_and_day, fixture_tear_down);
  g_test_add ("/hop-log/bad-dates", Fixture, NULL, fixture_set_up, test_bad_dates, fixture_tear_down);

  return g_test_run ();
}
