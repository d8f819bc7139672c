/* test-smdr-link.c: RdSmdrLink against RdSimSmdr over real TCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-sim-smdr.h"
#include "rd-smdr-link.h"

#include <unistd.h>

typedef struct
{
  RdSimSmdr  *sim;
  RdSmdrLink *link;
  GPtrArray  *events;
} Fixture;

typedef struct
{
  char     layout;
  gboolean day_first;
  gboolean clock_24h;
} Variant;

static void
on_event (RdCtiLink  *link,
          RdCtiEvent *event,
          Fixture    *fixture)
{
  g_autofree char *text = rd_cti_event_to_string (event);

  g_test_message ("event: %s", text);
  g_ptr_array_add (fixture->events, rd_cti_event_ref (event));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = rd_sim_smdr_new ();
  g_assert_true (rd_sim_smdr_listen (fixture->sim, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->link = rd_smdr_link_new ("127.0.0.1", rd_sim_smdr_get_port (fixture->sim), "PCCSMDR");
  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  g_signal_connect (fixture->link, "event", G_CALLBACK (on_event), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  g_clear_object (&fixture->link);
  rd_sim_smdr_close (fixture->sim);
  g_clear_object (&fixture->sim);
  g_ptr_array_unref (fixture->events);
  /* let cancelled operations finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_connected (Fixture *fixture)
{
  while (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)) != RD_CTI_LINK_STATE_CONNECTED ||
         rd_sim_smdr_get_n_clients (fixture->sim) != 1)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_events (Fixture *fixture,
             guint    n)
{
  while (fixture->events->len < n)
    g_main_context_iteration (NULL, TRUE);
}

static RdCtiEvent *
make_event (RdCtiEventType   type,
            RdCallDirection  direction,
            const char      *extension,
            const char      *calling,
            const char      *called)
{
  RdCtiEvent *event = rd_cti_event_new (type, "sim");

  g_date_time_unref (event->at);
  /* day 14 cannot be a month: the date order shows */
  event->at = g_date_time_new_local (2026, 3, 14, 15, 7, 0);
  event->direction = direction;
  event->extension = g_strdup (extension);
  event->calling = g_strdup (calling);
  event->called = g_strdup (called);
  event->trunk = g_strdup ("3");
  return event;
}

static RdCtiEvent *
event_at (Fixture *fixture,
          guint    i)
{
  return g_ptr_array_index (fixture->events, i);
}

static void
assert_at (RdCtiEvent *event)
{
  g_assert_cmpint (g_date_time_get_year (event->at), ==, 2026);
  g_assert_cmpint (g_date_time_get_month (event->at), ==, 3);
  g_assert_cmpint (g_date_time_get_day_of_month (event->at), ==, 14);
  g_assert_cmpint (g_date_time_get_hour (event->at), ==, 15);
  g_assert_cmpint (g_date_time_get_minute (event->at), ==, 7);
}

static void
test_records (Fixture       *fixture,
              gconstpointer  data)
{
  const Variant *variant = data;
  g_autoptr(RdCtiEvent) ringing = make_event (RD_CTI_EVENT_RINGING, RD_CALL_DIRECTION_IN, "201", "0612345678", NULL);
  g_autoptr(RdCtiEvent) answered = make_event (RD_CTI_EVENT_ANSWERED, RD_CALL_DIRECTION_IN, "201", "0612345678", NULL);
  g_autoptr(RdCtiEvent) record_in = make_event (RD_CTI_EVENT_RECORD, RD_CALL_DIRECTION_IN, "201", "0612345678", NULL);
  g_autoptr(RdCtiEvent) missed = make_event (RD_CTI_EVENT_RECORD, RD_CALL_DIRECTION_IN, "202", "0698765432", NULL);
  g_autoptr(RdCtiEvent) record_out = make_event (RD_CTI_EVENT_RECORD, RD_CALL_DIRECTION_OUT, "203", "203", "0033123456789");
  /* as RdSimPbx reports it: at the station it ended at, the one called */
  g_autoptr(RdCtiEvent) internal = make_event (RD_CTI_EVENT_RECORD, RD_CALL_DIRECTION_INTERNAL, "205", "204", "205");
  g_autoptr(RdCtiEvent) held = make_event (RD_CTI_EVENT_HELD, RD_CALL_DIRECTION_IN, "201", NULL, NULL);
  RdCtiEvent *e;

  rd_sim_smdr_set_layout (fixture->sim, variant->layout);
  rd_sim_smdr_set_date_order (fixture->sim, variant->day_first);
  rd_sim_smdr_set_clock_24h (fixture->sim, variant->clock_24h);
  rd_smdr_link_set_date_order (fixture->link, variant->day_first);

  ringing->ddi = g_strdup ("720");
  answered->ring_time = 12;
  record_in->ddi = g_strdup ("720");
  record_in->ring_time = 12;
  record_in->duration = 3 * 60 + 21;
  record_in->outcome = RD_CALL_OUTCOME_ANSWERED;
  missed->ring_time = 30;
  missed->duration = 0;
  missed->outcome = RD_CALL_OUTCOME_MISSED;
  record_out->duration = 65;
  record_out->outcome = RD_CALL_OUTCOME_ANSWERED;
  record_out->cause = g_strdup ("transferred");
  internal->duration = 9;
  internal->outcome = RD_CALL_OUTCOME_ANSWERED;
  g_free (internal->trunk);
  internal->trunk = NULL;

  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  rd_sim_smdr_send_event (fixture->sim, ringing);
  rd_sim_smdr_send_event (fixture->sim, held);   /* SMDR prints nothing for it */
  rd_sim_smdr_send_event (fixture->sim, answered);
  rd_sim_smdr_send_event (fixture->sim, record_in);
  rd_sim_smdr_send_event (fixture->sim, missed);
  rd_sim_smdr_send_event (fixture->sim, record_out);
  rd_sim_smdr_send_event (fixture->sim, internal);
  wait_events (fixture, 6);

  e = event_at (fixture, 0);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (e->link, ==, "smdr");
  g_assert_null (e->call_id);
  g_assert_cmpstr (e->extension, ==, "201");
  g_assert_cmpstr (e->calling, ==, "0612345678");
  g_assert_cmpstr (e->ddi, ==, "720");
  g_assert_cmpstr (e->trunk, ==, variant->layout == 'c' ? "0003" : "03");
  g_assert_cmpint (e->direction, ==, RD_CALL_DIRECTION_IN);
  assert_at (e);

  e = event_at (fixture, 1);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_ANSWERED);
  g_assert_cmpstr (e->extension, ==, "201");
  /* Pattern B has no Ring column */
  g_assert_cmpint (e->ring_time, ==, variant->layout == 'b' ? -1 : 12);

  e = event_at (fixture, 2);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_RECORD);
  g_assert_cmpint (e->outcome, ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_cmpint (e->duration, ==, 201);
  g_assert_cmpstr (e->calling, ==, "0612345678");
  g_assert_cmpstr (e->ddi, ==, "720");
  assert_at (e);

  e = event_at (fixture, 3);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_RECORD);
  g_assert_cmpint (e->outcome, ==, RD_CALL_OUTCOME_ABANDONED);
  g_assert_cmpstr (e->extension, ==, "202");
  g_assert_cmpint (e->duration, ==, 0);
  g_assert_cmpint (e->ring_time, ==, variant->layout == 'b' ? -1 : 30);

  e = event_at (fixture, 4);
  g_assert_cmpint (e->direction, ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (e->extension, ==, "203");
  g_assert_cmpstr (e->called, ==, "0033123456789");
  g_assert_cmpint (e->duration, ==, 65);
  g_assert_cmpstr (e->cause, ==, "transferred");

  e = event_at (fixture, 5);
  g_assert_cmpint (e->direction, ==, RD_CALL_DIRECTION_INTERNAL);
  /* an intercom record is the caller's: `204 EXT205` */
  g_assert_cmpstr (e->extension, ==, "204");
  g_assert_cmpstr (e->calling, ==, "204");
  g_assert_cmpstr (e->called, ==, "205");
  g_assert_null (e->trunk);

  g_assert_cmpuint (rd_smdr_link_get_invalid_lines (fixture->link), ==, 0);
  g_assert_cmpuint (rd_smdr_link_get_records (fixture->link), ==, 6);
}

static void
test_manual_lines (Fixture       *fixture,
                   gconstpointer  data)
{
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  /* verbatim sample lines through the wire, with the chatter around them */
  rd_sim_smdr_send_line (fixture->sim, "06/24/96 10:03AM 103 03 <I> 1234567890 MARY WARD                    RC");
  rd_sim_smdr_send_line (fixture->sim, "02/02/00 10:45AM 1234 Snack 03.00");
  rd_sim_smdr_send_line (fixture->sim, "01/02/02 10:03AM MJ ALM 123 10203 Card failure");
  rd_sim_smdr_send_line (fixture->sim, "");
  rd_sim_smdr_send_line (fixture->sim, "06/24/96 10:07AM 103 03 <I> 0924312111 TONY              0'20       AN");
  rd_sim_smdr_send_line (fixture->sim, "06/24/96 10:05AM 103 03 <I> 1022220 TOM HUNKS            0'45       NA");
  wait_events (fixture, 3);

  g_assert_cmpint (event_at (fixture, 0)->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpint (event_at (fixture, 1)->type, ==, RD_CTI_EVENT_ANSWERED);
  g_assert_cmpint (event_at (fixture, 2)->type, ==, RD_CTI_EVENT_RECORD);
  g_assert_cmpint (event_at (fixture, 2)->outcome, ==, RD_CALL_OUTCOME_ABANDONED);
  g_assert_cmpuint (rd_smdr_link_get_invalid_lines (fixture->link), ==, 0);
}

static void
test_page_breaks (Fixture       *fixture,
                  gconstpointer  data)
{
  rd_sim_smdr_set_page_length (fixture->sim, 2);
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(RdCtiEvent) event = make_event (RD_CTI_EVENT_RINGING, RD_CALL_DIRECTION_IN, "201", NULL, NULL);

      event->calling = g_strdup_printf ("061234567%d", i);
      rd_sim_smdr_send_event (fixture->sim, event);
    }
  wait_events (fixture, 5);

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *calling = g_strdup_printf ("061234567%d", i);

      g_assert_cmpstr (event_at (fixture, i)->calling, ==, calling);
    }
  g_assert_cmpuint (rd_smdr_link_get_invalid_lines (fixture->link), ==, 0);
}

static void
test_cr_only (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RdCtiEvent) first = make_event (RD_CTI_EVENT_RINGING, RD_CALL_DIRECTION_IN, "201", "0611111111", NULL);
  g_autoptr(RdCtiEvent) second = make_event (RD_CTI_EVENT_RINGING, RD_CALL_DIRECTION_IN, "202", "0622222222", NULL);

  /* the PBX's New Line Code set to CR */
  rd_sim_smdr_set_cr_only (fixture->sim, TRUE);
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  rd_sim_smdr_send_event (fixture->sim, first);
  rd_sim_smdr_send_event (fixture->sim, second);
  wait_events (fixture, 2);
  g_assert_cmpstr (event_at (fixture, 0)->extension, ==, "201");
  g_assert_cmpstr (event_at (fixture, 1)->extension, ==, "202");
  g_assert_cmpuint (rd_smdr_link_get_invalid_lines (fixture->link), ==, 0);
}

static void
test_drip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RdCtiEvent) event = make_event (RD_CTI_EVENT_RINGING, RD_CALL_DIRECTION_IN, "201", "0611111111", NULL);

  /* prompts, header and records one byte at a time */
  rd_sim_smdr_set_drip (fixture->sim, TRUE);
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  rd_sim_smdr_send_event (fixture->sim, event);
  wait_events (fixture, 1);
  g_assert_cmpstr (event_at (fixture, 0)->calling, ==, "0611111111");
  assert_at (event_at (fixture, 0));
  g_assert_cmpuint (rd_smdr_link_get_invalid_lines (fixture->link), ==, 0);
}

static void
test_password_rejected (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *detail = NULL;

  rd_sim_smdr_set_password (fixture->sim, "S3CRET");
  rd_cti_link_start (RD_CTI_LINK (fixture->link));

  while (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)) != RD_CTI_LINK_STATE_DOWN)
    g_main_context_iteration (NULL, TRUE);

  detail = rd_cti_link_dup_detail (RD_CTI_LINK (fixture->link));
  g_assert_cmpstr (detail, ==, "password rejected");
  g_assert_cmpuint (rd_sim_smdr_get_n_clients (fixture->sim), ==, 0);
}

static void
test_password_case (Fixture       *fixture,
                    gconstpointer  data)
{
  /* the PBX compares the password without case */
  rd_sim_smdr_set_password (fixture->sim, "pccsmdr");
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);
}

static void
send_and_receive (Fixture    *fixture,
                  const char *calling)
{
  g_autoptr(RdCtiEvent) event = make_event (RD_CTI_EVENT_RINGING, RD_CALL_DIRECTION_IN, "201", calling, NULL);
  guint before = fixture->events->len;

  rd_sim_smdr_send_event (fixture->sim, event);
  wait_events (fixture, before + 1);
  g_assert_cmpstr (event_at (fixture, before)->calling, ==, calling);
}

static void
test_reconnect_drop (Fixture       *fixture,
                     gconstpointer  data)
{
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);
  send_and_receive (fixture, "0611111111");

  rd_sim_smdr_drop_clients (fixture->sim);
  while (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)) < 1)
    g_main_context_iteration (NULL, TRUE);
  wait_connected (fixture);
  send_and_receive (fixture, "0622222222");
}

static void
test_reconnect_restart (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  guint16 port = rd_sim_smdr_get_port (fixture->sim);

  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  /* the PBX goes away: the link is down and keeps trying */
  rd_sim_smdr_close (fixture->sim);
  while (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)) < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)), !=, RD_CTI_LINK_STATE_CONNECTED);
  detail = rd_cti_link_dup_detail (RD_CTI_LINK (fixture->link));
  g_assert_nonnull (detail);

  /* and it is back */
  g_assert_true (rd_sim_smdr_listen (fixture->sim, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  wait_connected (fixture);
  send_and_receive (fixture, "0633333333");
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);

  rd_sim_smdr_send_garbage (fixture->sim);
  send_and_receive (fixture, "0644444444");
  /* binary noise, an over-long line, an impossible date */
  g_assert_cmpuint (rd_smdr_link_get_invalid_lines (fixture->link), ==, 3);
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)), ==, RD_CTI_LINK_STATE_CONNECTED);
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), ==, 0);
}

/* The kernel's view of the link's socket: a keepalive timer (tr 2) due
 * within 30 s of silence, not the system's two hours. Linux only. */
static void
test_keepalive (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *remote = NULL;
  long ticks = sysconf (_SC_CLK_TCK);
  guint found = 0;

  if (!g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL) || ticks <= 0)
    {
      g_test_skip ("No /proc/net/tcp");
      return;
    }
  g_clear_pointer (&table, g_free);

  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);
  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));

  /* "sl local_address rem_address st tx:rx tr:when …", ports in hex */
  remote = g_strdup_printf ("0100007F:%04X", rd_sim_smdr_get_port (fixture->sim));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      const char *timer;
      guint64 when;

      for (guint j = 0; fields[j] != NULL; j++)
        if (fields[j][0] != '\0')
          g_ptr_array_add (words, fields[j]);
      if (words->len < 6 || !g_str_equal (g_ptr_array_index (words, 2), remote) ||
          !g_str_equal (g_ptr_array_index (words, 3), "01"))
        continue;

      timer = g_ptr_array_index (words, 5);
      g_assert_true (g_str_has_prefix (timer, "02:"));
      when = g_ascii_strtoull (timer + 3, NULL, 16);
      g_test_message ("keepalive due in %" G_GUINT64_FORMAT " ticks", when);
      g_assert_cmpuint (when, <=, 30 * (guint64) ticks);
      found++;
    }
  g_assert_cmpuint (found, ==, 1);
}

static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_connected (fixture);
  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)), ==, RD_CTI_LINK_STATE_STOPPED);
  while (rd_sim_smdr_get_n_clients (fixture->sim) != 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_from_config (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RdSmdrLink) link = NULL;
  static const char data[] =
    "[smdr]\nhost=127.0.0.1\nport=2301\npassword=X\nlayout=c\ndate-order=dmy\n";

  g_assert_true (rd_config_load_from_data (config, data, strlen (data), &error));
  g_assert_no_error (error);
  link = rd_smdr_link_new_from_config (config);
  g_assert_cmpstr (rd_cti_link_get_name (RD_CTI_LINK (link)), ==, "smdr");
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (link)), ==, RD_CTI_LINK_STATE_STOPPED);
  g_assert_false (rd_cti_link_can_make_call (RD_CTI_LINK (link)));
}

int
main (int   argc,
      char *argv[])
{
  static const Variant variants[] = {
    { 'a', FALSE, FALSE }, { 'a', TRUE, TRUE },
    { 'b', FALSE, TRUE }, { 'b', TRUE, FALSE },
    { 'c', FALSE, FALSE }, { 'c', TRUE, TRUE },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smdr-link/records/%c-%s-%s", variants[i].layout,
                                               variants[i].day_first ? "dmy" : "mdy",
                                               variants[i].clock_24h ? "24h" : "12h");

      g_test_add (path, Fixture, &variants[i], fixture_set_up, test_records, fixture_tear_down);
    }
  g_test_add ("/smdr-link/manual-lines", Fixture, NULL, fixture_set_up, test_manual_lines, fixture_tear_down);
  g_test_add ("/smdr-link/page-breaks", Fixture, NULL, fixture_set_up, test_page_breaks, fixture_tear_down);
  g_test_add ("/smdr-link/cr-only", Fixture, NULL, fixture_set_up, test_cr_only, fixture_tear_down);
  g_test_add ("/smdr-link/drip", Fixture, NULL, fixture_set_up, test_drip, fixture_tear_down);
  g_test_add ("/smdr-link/password-rejected", Fixture, NULL, fixture_set_up, test_password_rejected, fixture_tear_down);
  g_test_add ("/smdr-link/password-case", Fixture, NULL, fixture_set_up, test_password_case, fixture_tear_down);
  g_test_add ("/smdr-link/reconnect-drop", Fixture, NULL, fixture_set_up, test_reconnect_drop, fixture_tear_down);
  g_test_add ("/smdr-link/reconnect-restart", Fixture, NULL, fixture_set_up, test_reconnect_restart, fixture_tear_down);
  g_test_add ("/smdr-link/garbage", Fixture, NULL, fixture_set_up, test_garbage, fixture_tear_down);
  g_test_add ("/smdr-link/stop", Fixture, NULL, fixture_set_up, test_stop, fixture_tear_down);
  g_test_add ("/smdr-link/keepalive", Fixture, NULL, fixture_set_up, test_keepalive, fixture_tear_down);
  g_test_add_func ("/smdr-link/from-config", test_from_config);

  return g_test_run ();
}
