/* test-sim.c: the whole simulator over real sockets, read by the server's
 * own CSTA and SMDR links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RdSim listens on 127.0.0.1 (ephemeral ports); an RdCstaLink and an
 * RdSmdrLink connect to it as the server would. The PBX clock is stopped and
 * moved by hand, the sockets run in the main loop. Nothing is timed: the
 * tests wait for what they expect, failing after a generous bound.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-csta-link.h"
#include "rd-sim.h"
#include "rd-smdr-link.h"
#include "../rd-test-link.h"

#define WAIT_BOUND_SEC 20

typedef struct
{
  RdSim      *sim;
  RdCstaLink *csta;
  RdSmdrLink *smdr;
  GPtrArray  *csta_events;
  GPtrArray  *smdr_events;
} Fixture;

typedef gboolean (*Condition) (Fixture *f);

static void
wait_until (Fixture    *f,
            Condition   condition,
            const char *what)
{
  rd_test_wait_until ((RdTestCondition) condition, f, WAIT_BOUND_SEC, what);
}

static void
on_link_event (RdCtiLink  *link,
               RdCtiEvent *event,
               GPtrArray  *events)
{
  g_ptr_array_add (events, rd_cti_event_ref (event));
}

static gboolean
both_connected (Fixture *f)
{
  return rd_cti_link_get_state (RD_CTI_LINK (f->csta)) == RD_CTI_LINK_STATE_CONNECTED &&
         rd_cti_link_get_state (RD_CTI_LINK (f->smdr)) == RD_CTI_LINK_STATE_CONNECTED &&
         rd_sim_smdr_get_n_clients (rd_sim_get_smdr (f->sim)) == 1 &&
         rd_sim_csta_get_n_monitors (rd_sim_get_csta (f->sim)) > 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = rd_sim_new ();
  rd_sim_pbx_set_time_scale (rd_sim_get_pbx (f->sim), 0);
  g_assert_true (rd_sim_listen (f->sim, "127.0.0.1", 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (rd_sim_get_listening (f->sim));
  g_assert_cmpuint (rd_sim_get_csta_port (f->sim), >, 0);
  g_assert_cmpuint (rd_sim_get_smdr_port (f->sim), >, 0);

  f->csta_events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  f->smdr_events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  f->csta = rd_csta_link_new ("127.0.0.1", rd_sim_get_csta_port (f->sim));
  f->smdr = rd_smdr_link_new ("127.0.0.1", rd_sim_get_smdr_port (f->sim), "PCCSMDR");
  g_signal_connect (f->csta, "event", G_CALLBACK (on_link_event), f->csta_events);
  g_signal_connect (f->smdr, "event", G_CALLBACK (on_link_event), f->smdr_events);
  rd_cti_link_start (RD_CTI_LINK (f->csta));
  rd_cti_link_start (RD_CTI_LINK (f->smdr));
  wait_until (f, both_connected, "both links to connect");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  rd_cti_link_stop (RD_CTI_LINK (f->csta));
  rd_cti_link_stop (RD_CTI_LINK (f->smdr));
  g_clear_object (&f->csta);
  g_clear_object (&f->smdr);
  rd_sim_close (f->sim);
  g_clear_object (&f->sim);
  g_ptr_array_unref (f->csta_events);
  g_ptr_array_unref (f->smdr_events);
}

static RdCtiEvent *
find_event (GPtrArray      *events,
            RdCtiEventType  type,
            const char     *extension)
{
  for (guint i = 0; i < events->len; i++)
    {
      RdCtiEvent *event = g_ptr_array_index (events, i);

      if (event->type == type && (extension == NULL || g_strcmp0 (event->extension, extension) == 0))
        return event;
    }

  return NULL;
}

static gboolean
call_seen_to_the_end (Fixture *f)
{
  return find_event (f->csta_events, RD_CTI_EVENT_CLEARED, NULL) != NULL &&
         find_event (f->smdr_events, RD_CTI_EVENT_RECORD, NULL) != NULL;
}

static void
test_scenario_over_the_wires (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdSimScenario) scenario = NULL;
  RdCtiEvent *ringing;
  RdCtiEvent *answered;
  RdCtiEvent *record;

  scenario = rd_sim_scenario_new_from_data ("t.scn",
                                            "call in 0612345678 trunk 02 ddi 912345678\n"
                                            "  ring 201 10s\n"
                                            "  divert 202 5s\n"
                                            "  answer 65s\n"
                                            "  hangup\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (rd_sim_run_scenario (f->sim, scenario, &error));
  g_assert_no_error (error);
  rd_sim_pbx_run_pending (rd_sim_get_pbx (f->sim));
  wait_until (f, call_seen_to_the_end, "the call on both links");

  /* CSTA: per-extension, live */
  ringing = find_event (f->csta_events, RD_CTI_EVENT_RINGING, "201");
  g_assert_nonnull (ringing);
  g_assert_cmpstr (ringing->calling, ==, "0612345678");
  g_assert_nonnull (find_event (f->csta_events, RD_CTI_EVENT_RINGING, "202"));
  answered = find_event (f->csta_events, RD_CTI_EVENT_ANSWERED, NULL);
  g_assert_nonnull (answered);
  g_assert_cmpstr (answered->extension, ==, "202");
  g_assert_cmpstr (answered->call_id, ==, ringing->call_id);

  /* SMDR: the call record, with the PBX's ring and talk times */
  record = find_event (f->smdr_events, RD_CTI_EVENT_RECORD, NULL);
  g_assert_cmpstr (record->extension, ==, "202");
  g_assert_cmpint (record->duration, ==, 65);
  g_assert_cmpint (record->outcome, ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_nonnull (strstr (record->calling, "0612345678"));
}

static void
on_make_call_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
rings_201 (Fixture *f)
{
  return find_event (f->csta_events, RD_CTI_EVENT_RINGING, "201") != NULL;
}

static void
test_make_call_and_deflect (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *ringing = NULL;
  g_autofree char *incoming = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);

  /* click-to-dial through the server's link reaches the PBX model */
  rd_cti_link_make_call_async (RD_CTI_LINK (f->csta), "201", "0612345678", NULL,
                               on_make_call_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  call_id = rd_cti_link_make_call_finish (RD_CTI_LINK (f->csta), result, &error);
  g_assert_no_error (error);
  ringing = rd_sim_pbx_find_call (pbx, "201", TRUE);
  g_assert_cmpstr (call_id, ==, ringing);
  wait_until (f, rings_201, "201 to ring for click-to-dial");

  /* an unknown station is refused by the PBX */
  g_clear_object (&result);
  rd_cti_link_make_call_async (RD_CTI_LINK (f->csta), "299", "0612345678", NULL,
                               on_make_call_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (rd_cti_link_make_call_finish (RD_CTI_LINK (f->csta), result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* a deflection moves a ringing call */
  incoming = rd_sim_pbx_incoming (pbx, "0698765432", NULL, NULL, "203", &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  rd_cti_link_deflect_call_async (RD_CTI_LINK (f->csta), incoming, "203", "204", NULL,
                                  on_make_call_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (rd_cti_link_deflect_call_finish (RD_CTI_LINK (f->csta), result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ringing, g_free);
  ringing = rd_sim_pbx_find_call (pbx, "204", TRUE);
  g_assert_cmpstr (ringing, ==, incoming);
}

static guint reconnects_before;

static gboolean
csta_reconnected (Fixture *f)
{
  return rd_cti_link_get_reconnects (RD_CTI_LINK (f->csta)) > reconnects_before &&
         both_connected (f);
}

static gboolean
not_listening (Fixture *f)
{
  return !rd_sim_get_listening (f->sim);
}

static gboolean
listening (Fixture *f)
{
  return rd_sim_get_listening (f->sim);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  guint16 csta_port = rd_sim_get_csta_port (f->sim);
  guint16 smdr_port = rd_sim_get_smdr_port (f->sim);

  /* dropped links reconnect */
  reconnects_before = rd_cti_link_get_reconnects (RD_CTI_LINK (f->csta));
  rd_sim_drop_links (f->sim);
  wait_until (f, csta_reconnected, "the links to come back after a drop");

  /* garbage: the link counts a bad frame, and recovers */
  reconnects_before = rd_cti_link_get_reconnects (RD_CTI_LINK (f->csta));
  rd_sim_send_garbage (f->sim);
  while (rd_csta_link_get_n_bad_frames (f->csta) == 0)
    g_main_context_iteration (NULL, TRUE);

  /* restart: away, then back on the same ports */
  reconnects_before = rd_cti_link_get_reconnects (RD_CTI_LINK (f->csta));
  rd_sim_restart (f->sim, 300);
  wait_until (f, not_listening, "the restart to close");
  wait_until (f, listening, "the restart to listen again");
  g_assert_cmpuint (rd_sim_get_csta_port (f->sim), ==, csta_port);
  g_assert_cmpuint (rd_sim_get_smdr_port (f->sim), ==, smdr_port);
  wait_until (f, csta_reconnected, "the links to come back after a restart");
}

static gboolean
csta_down (Fixture *f)
{
  return rd_cti_link_get_state (RD_CTI_LINK (f->csta)) == RD_CTI_LINK_STATE_DOWN;
}

static void
test_keepalives_stop (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *detail = NULL;

  /* a link that expects a keepalive at least every 600 ms, from a PBX
   * that sends one every 100 ms */
  rd_sim_csta_set_keepalive_interval (rd_sim_get_csta (f->sim), 100);
  rd_cti_link_stop (RD_CTI_LINK (f->csta));
  g_clear_object (&f->csta);
  f->csta = rd_csta_link_new ("127.0.0.1", rd_sim_get_csta_port (f->sim));
  rd_csta_link_set_keepalive_timeout (f->csta, 600);
  rd_cti_link_start (RD_CTI_LINK (f->csta));
  wait_until (f, both_connected, "the link with a short keepalive timeout");

  /* the PBX hangs without closing the connection */
  rd_sim_set_keepalives_enabled (f->sim, FALSE);
  wait_until (f, csta_down, "the link to notice the missing keepalives");
  detail = rd_cti_link_dup_detail (RD_CTI_LINK (f->csta));
  g_assert_nonnull (strstr (detail, "keepalive"));

  /* and comes back */
  rd_sim_set_keepalives_enabled (f->sim, TRUE);
  wait_until (f, both_connected, "the link to come back with keepalives");
}

static gboolean
file_written (Fixture *f)
{
  const char *path = g_object_get_data (G_OBJECT (f->sim), "test-path");

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_ext_text_and_rtp_wiring (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rd-sim-XXXXXX", &error);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);

  g_assert_no_error (error);
  folder = g_file_new_for_path (dir);
  rd_sim_set_ext_text (f->sim, folder);
  path = g_build_filename (dir, "205.txt", NULL);
  g_object_set_data (G_OBJECT (f->sim), "test-path", path);

  /* RTP is off by default */
  g_assert_null (rd_sim_get_rtp (f->sim));
  g_assert_true (rd_sim_set_rtp (f->sim, "127.0.0.1", 9, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rd_sim_get_rtp (f->sim));

  id = rd_sim_pbx_incoming (pbx, "0612345678", NULL, NULL, "205", &error);
  g_assert_no_error (error);
  wait_until (f, file_written, "the ExtText file");
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "entrante:0612345678"));

  g_assert_true (rd_sim_pbx_answer (pbx, id, NULL));
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rd_sim_get_rtp (f->sim)), ==, 1);
  g_assert_true (rd_sim_pbx_hangup (pbx, id, NULL));
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rd_sim_get_rtp (f->sim)), ==, 0);
  g_assert_true (rd_sim_set_rtp (f->sim, NULL, 0, &error));
  g_assert_null (rd_sim_get_rtp (f->sim));

  rd_sim_set_ext_text (f->sim, NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_listen_errors (void)
{
  g_autoptr(RdSim) sim = rd_sim_new ();
  g_autoptr(RdSim) other = rd_sim_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (rd_sim_listen (sim, "not an address", 0, 0, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "CSTA on not an address port 0: "));
  g_clear_error (&error);

  /* a port in use */
  g_assert_true (rd_sim_listen (sim, "127.0.0.1", 0, 0, &error));
  g_assert_no_error (error);
  g_assert_false (rd_sim_listen (other, "127.0.0.1", 0, rd_sim_get_smdr_port (sim), &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "SMDR on 127.0.0.1 port "));
  g_assert_false (rd_sim_get_listening (other));
  rd_sim_close (sim);
}

static void
test_device_list (void)
{
  struct {
    const char *text;
    const char *joined;   /* NULL: an error */
  } cases[] = {
    { "201-205,301", "201 202 203 204 205 301" },
    { "01-04", "01 02 03 04" },
    { " 7 , 9-10", "7 9 10" },
    { "8-12", "8 9 10 11 12" },
    { "", NULL },
    { "201-", NULL },
    { "-5", NULL },
    { "5-1", NULL },
    { "1-2-3", NULL },
    { "20a", NULL },
    { "1-20000", NULL },
    { "201,,202", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) list = rd_sim_parse_device_list (cases[i].text, &error);

      if (cases[i].joined == NULL)
        {
          g_assert_null (list);
          g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
        }
      else
        {
          g_autofree char *joined = NULL;

          g_assert_no_error (error);
          joined = g_strjoinv (" ", list);
          g_assert_cmpstr (joined, ==, cases[i].joined);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sim/wired/scenario", test_scenario_over_the_wires);
  ADD ("/sim/wired/make-call-deflect", test_make_call_and_deflect);
  ADD ("/sim/wired/faults", test_faults);
  ADD ("/sim/wired/keepalives-stop", test_keepalives_stop);
  ADD ("/sim/wired/ext-text-rtp", test_ext_text_and_rtp_wiring);
  g_test_add_func ("/sim/listen-errors", test_listen_errors);
  g_test_add_func ("/sim/device-list", test_device_list);

#undef ADD

  return g_test_run ();
}
