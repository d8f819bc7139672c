/* test-live-faults.c: the PBX link under faults, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A test-owned RdSim on 127.0.0.1 (its clock stopped), an in-process daemon
 * with [cti] links=csta or links=smdr to it, a WebSocket at extension 201.
 * Each test breaks the link in one way (dropped mid-call, keepalives
 * stopped or a silent PBX, garbage, the PBX restarting on the same port)
 * while GET /healthz is polled: neither "cti" nor the link's entry in
 * "links" may say connected while the PBX is away, and both must say so
 * again once it is back, within 2 s of the PBX being back. Afterwards the
 * calls finish; no stored call is lost and no ticket number is given twice.
 */

#define G_LOG_DOMAIN "RdTestLiveFaults"

#include "config.h"

#include <string.h>

#include "rd-test-link.h"
#include "rd-test-live.h"

#define CALLER "0612345678"

/* the reconnect bound of issue 3: back within 2 s of the PBX */
#define RECONNECT_BOUND_MS 2000

typedef struct
{
  const char *wire;          /* csta, smdr */
  guint       idle_timeout;  /* [smdr] idle-timeout, 0 for none */
} FaultCase;

typedef struct
{
  const char  *wire;      /* csta, smdr */
  char        *dir;
  RdSim       *sim;
  RdConfig    *config;
  RdDaemon    *daemon;
  SoupSession *session;
  char        *base;
  char        *sue;
  char        *ana;
  RdTestWs    *ws;        /* ana, at 201 */
  guint        logs;

  /* the /healthz poll */
  guint        poll_id;
  gboolean     polling;
  gboolean     seen_down;        /* "down" or "connecting" seen */
  gboolean     lied;             /* "connected" while the PBX was away */
  gboolean     pbx_away;         /* set by the test around the fault */
  char        *last_cti;
  gboolean     disagreed;        /* "cti" and the link's "links" entry differed */
} Fixture;

static char *password_hash;

static void
hop_log_cb (RdCallEngine *engine,
            const char   *filename,
            Fixture      *f)
{
  f->logs++;
}

/* "cti" of /healthz; notes when the one link's own state says otherwise */
static char *
healthz_cti (Fixture *f)
{
  RdTestReply reply;
  JsonArray *links;
  JsonObject *link = NULL;
  char *cti;

  rd_test_request (f->session, f->base, "GET", "/healthz", NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  cti = g_strdup (rd_test_json_string (reply.json, "cti"));
  g_assert_nonnull (cti);
  links = rd_test_json_array (reply.json, "links");
  g_assert_nonnull (links);
  g_assert_cmpuint (json_array_get_length (links), ==, 1);
  g_assert_true (rd_json_array_get_object (links, 0, &link, NULL));
  g_assert_cmpstr (rd_test_json_string (link, "name"), ==, f->wire);
  if (g_strcmp0 (rd_test_json_string (link, "state"), cti) != 0)
    f->disagreed = TRUE;
  /* a link that is not connected says why */
  if (!g_str_equal (cti, "connected") && rd_test_json_string (link, "detail") == NULL)
    f->disagreed = TRUE;
  rd_test_reply_clear (&reply);

  return cti;
}

static gboolean
poll_cb (gpointer user_data)
{
  Fixture *f = user_data;

  /* rd_test_request spins a loop of its own: no re-entry */
  if (f->polling)
    return G_SOURCE_CONTINUE;
  f->polling = TRUE;
  g_free (f->last_cti);
  f->last_cti = healthz_cti (f);
  if (!g_str_equal (f->last_cti, "connected"))
    f->seen_down = TRUE;
  else if (f->pbx_away && f->seen_down)
    f->lied = TRUE;
  f->polling = FALSE;

  return G_SOURCE_CONTINUE;
}

static gboolean
link_up_cb (gpointer user_data)
{
  Fixture *f = user_data;

  gboolean session = g_str_equal (f->wire, "csta")
                     ? rd_sim_csta_get_n_monitors (rd_sim_get_csta (f->sim)) > 0
                     : rd_sim_smdr_get_n_clients (rd_sim_get_smdr (f->sim)) > 0;

  return rd_server_get_cti_state (rd_daemon_get_server (f->daemon)) == RD_CTI_LINK_STATE_CONNECTED &&
         session && g_strcmp0 (f->last_cti, "connected") == 0;
}

static gboolean
seen_down_cb (gpointer user_data)
{
  return ((Fixture *) user_data)->seen_down;
}

static void
wait_link_up (Fixture *f)
{
  if (!rd_test_live_wait (link_up_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The %s link did not come back; /healthz says %s", f->wire, f->last_cti);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *conf = NULL;
  const char *stations[] = { "201", "202", "203", NULL };
  const FaultCase *fault = data;
  g_autofree char *idle = NULL;
  const char *trunks[] = { "01", "02", NULL };
  RdStore *store;
  g_autoptr(RdUser) user = NULL;

  f->wire = fault->wire;
  idle = fault->idle_timeout > 0 ? g_strdup_printf ("idle-timeout=%u\n", fault->idle_timeout)
                                 : g_strdup ("");
  f->dir = g_dir_make_tmp ("rd-live-faults-XXXXXX", &error);
  g_assert_no_error (error);

  f->sim = rd_sim_new ();
  rd_sim_pbx_set_time_scale (rd_sim_get_pbx (f->sim), 0);
  rd_sim_set_devices (f->sim, stations, trunks);
  /* keepalives every 200 ms; the link gives up after 1 s without one */
  rd_sim_csta_set_keepalive_interval (rd_sim_get_csta (f->sim), 200);
  g_assert_true (rd_sim_listen (f->sim, "127.0.0.1", 0, 0, &error));
  g_assert_no_error (error);

  conf = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n[cti]\nlinks=%s\n"
                          "[csta]\nhost=127.0.0.1\nport=%u\nkeepalive-timeout=1\n"
                          "[smdr]\nhost=127.0.0.1\nport=%u\n%s"
                          "[numbering]\nstart=1000\nper=call\nauto-ticket=incoming\n",
                          f->wire, rd_sim_get_csta_port (f->sim), rd_sim_get_smdr_port (f->sim),
                          idle);
  f->config = rd_config_new ();
  g_assert_true (rd_config_load_from_data (f->config, conf, strlen (conf), &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (f->config, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
  g_signal_connect (rd_daemon_get_call_engine (f->daemon), "hop-log-written",
                    G_CALLBACK (hop_log_cb), f);

  store = rd_daemon_get_store (f->daemon);
  rd_test_add_user (store, "sue", password_hash, RD_ROLE_SUPERVISOR);
  rd_test_add_user (store, "ana", password_hash, RD_ROLE_AGENT);
  user = rd_store_get_user (store, "ana", &error);
  g_assert_no_error (error);
  rd_user_set_extension (user, "201");
  g_assert_true (rd_store_update_user (store, user, NULL, &error));
  g_assert_no_error (error);

  f->session = soup_session_new ();
  f->sue = rd_test_sign_in (f->session, f->base, "sue", RD_TEST_LIVE_PASSWORD);
  f->ana = rd_test_sign_in (f->session, f->base, "ana", RD_TEST_LIVE_PASSWORD);
  f->ws = rd_test_ws_connect (f->session, f->base, f->ana, "201");
  g_ptr_array_add (list, f->ws);
  rd_test_ws_wait_subscribed (list);

  f->poll_id = g_timeout_add (50, poll_cb, f);
  wait_link_up (f);
  f->seen_down = FALSE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_handle_id (&f->poll_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (rd_daemon_get_call_engine (f->daemon), f);
  g_clear_pointer (&f->ws, rd_test_ws_free);
  g_clear_object (&f->session);
  rd_test_live_stop (&f->daemon, &f->sim, &f->config, &f->dir);
  g_free (f->base);
  g_free (f->sue);
  g_free (f->ana);
  g_free (f->last_cti);
}

/* helpers */

static JsonObject *
get_list (Fixture    *f,
          const char *path)
{
  RdTestReply reply;
  JsonObject *object;

  rd_test_request (f->session, f->base, "GET", path, f->sue, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  object = json_object_ref (reply.json);
  rd_test_reply_clear (&reply);

  return object;
}

/* Every item of GET @path has a distinct @member; returns how many there are. */
static guint
count_distinct (Fixture    *f,
                const char *path,
                const char *member)
{
  g_autoptr(JsonObject) list = get_list (f, path);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *items = rd_test_json_array (list, "items");

  g_assert_nonnull (items);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = NULL;
      const char *value;

      g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
      value = rd_test_json_string (item, member);
      g_assert_nonnull (value);
      if (!g_hash_table_add (seen, (gpointer) value))
        g_error ("%s %s appears twice in GET %s", member, value, path);
    }

  return json_array_get_length (items);
}

/* Every stored call has ended, and @n calls are stored; tickets are unique. */
static void
assert_nothing_lost (Fixture *f,
                     guint    n_calls)
{
  g_autoptr(JsonObject) list = get_list (f, "/api/v1/calls?limit=500");
  JsonArray *items = rd_test_json_array (list, "items");

  g_assert_cmpuint (count_distinct (f, "/api/v1/calls?limit=500", "id"), ==, n_calls);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *call = NULL;

      g_assert_true (rd_json_array_get_object (items, i, &call, NULL));
      g_assert_cmpstr (rd_test_json_string (call, "state"), ==, "ended");
    }
  g_assert_cmpuint (count_distinct (f, "/api/v1/tickets?limit=500", "number"), ==, n_calls);
  g_assert_false (f->lied);
  g_assert_false (f->disagreed);
}

static char *
ring_201 (Fixture    *f,
          const char *caller)
{
  g_autoptr(GError) error = NULL;
  char *pbx_call = rd_sim_pbx_incoming (rd_sim_get_pbx (f->sim), caller, NULL, "912345678", "201",
                                        &error);

  g_assert_no_error (error);
  g_assert_nonnull (pbx_call);

  return pbx_call;
}

static void
finish_call (Fixture    *f,
             const char *pbx_call,
             guint       n_logs)
{
  g_autoptr(GError) error = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);

  g_assert_true (rd_sim_pbx_answer (pbx, pbx_call, &error));
  g_assert_no_error (error);
  g_assert_true (rd_sim_pbx_hangup (pbx, pbx_call, &error));
  g_assert_no_error (error);
  rd_test_wait_for (&f->logs, n_logs);
}

static gboolean
sim_back_cb (gpointer user_data)
{
  return rd_sim_get_listening (((Fixture *) user_data)->sim);
}

/* Waits for the fault to show on /healthz, then for the PBX and the link to
 * be back; returns the ms from the PBX back to /healthz "connected". */
static gint64
ride_out (Fixture *f)
{
  gint64 back;
  gint64 up;

  if (!rd_test_live_wait (seen_down_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("/healthz never showed the fault (cti stayed %s)", f->last_cti);
  if (!rd_test_live_wait (sim_back_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The simulator did not come back");
  back = g_get_monotonic_time ();
  f->pbx_away = FALSE;
  wait_link_up (f);
  up = g_get_monotonic_time ();
  g_assert_false (f->lied);
  g_assert_false (f->disagreed);

  return (up - back) / 1000;
}

/* tests */

static void
test_drop_mid_call (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *first = ring_201 (f, CALLER);
  g_autofree char *second = NULL;
  gint64 ms;

  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_RINGING, NULL);
  rd_sim_drop_links (f->sim);
  ms = ride_out (f);
  g_test_message ("link back %" G_GINT64_FORMAT " ms after the drop was seen", ms);
  g_assert_cmpint (ms, <, RECONNECT_BOUND_MS);

  /* the call goes on in the PBX and ends through the new connection */
  finish_call (f, first, 1);
  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_ENDED, NULL);
  second = ring_201 (f, "0698765432");
  finish_call (f, second, 2);
  assert_nothing_lost (f, 2);
  /* the reconciled call did not pop up again */
  g_assert_cmpuint (rd_test_ws_count (f->ws, RD_EVENT_CALL_RINGING, NULL), ==, 2);
}

static gboolean
keepalive_down_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return rd_server_get_cti_state (rd_daemon_get_server (f->daemon)) != RD_CTI_LINK_STATE_CONNECTED;
}

static void
test_keepalives_stopped (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *first = ring_201 (f, CALLER);
  gint64 since;
  gint64 ms;

  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_RINGING, NULL);
  rd_sim_set_keepalives_enabled (f->sim, FALSE);
  if (!rd_test_live_wait (keepalive_down_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The link never noticed the missing keepalives");
  if (!rd_test_live_wait (seen_down_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("/healthz never showed the dead link");

  since = g_get_monotonic_time ();
  rd_sim_set_keepalives_enabled (f->sim, TRUE);
  wait_link_up (f);
  ms = (g_get_monotonic_time () - since) / 1000;
  g_test_message ("link up %" G_GINT64_FORMAT " ms after keepalives resumed", ms);
  g_assert_cmpint (ms, <, RECONNECT_BOUND_MS);

  finish_call (f, first, 1);
  assert_nothing_lost (f, 1);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *first = ring_201 (f, CALLER);
  g_autofree char *second = NULL;

  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_RINGING, NULL);
  rd_sim_send_garbage (f->sim);
  /* a malformed frame ends the session (docs/cti.md); either way the link
   * must come back up and carry calls */
  if (!rd_test_live_wait (seen_down_cb, f, 5))
    g_test_message ("the link kept its session through the garbage");
  wait_link_up (f);

  finish_call (f, first, 1);
  second = ring_201 (f, "0698765432");
  finish_call (f, second, 2);
  assert_nothing_lost (f, 2);
  /* the reconciled call did not pop up again */
  g_assert_cmpuint (rd_test_ws_count (f->ws, RD_EVENT_CALL_RINGING, NULL), ==, 2);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *first = ring_201 (f, CALLER);
  g_autofree char *second = NULL;
  guint16 port = rd_sim_get_csta_port (f->sim);
  gint64 ms;

  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_RINGING, NULL);
  f->pbx_away = TRUE;
  rd_sim_restart (f->sim, 1500);
  ms = ride_out (f);
  g_assert_cmpuint (rd_sim_get_csta_port (f->sim), ==, port);
  g_test_message ("link back %" G_GINT64_FORMAT " ms after the PBX listened again", ms);
  g_assert_cmpint (ms, <, RECONNECT_BOUND_MS);

  finish_call (f, first, 1);
  second = ring_201 (f, "0698765432");
  finish_call (f, second, 2);
  assert_nothing_lost (f, 2);
  /* the reconciled call did not pop up again */
  g_assert_cmpuint (rd_test_ws_count (f->ws, RD_EVENT_CALL_RINGING, NULL), ==, 2);
}

/* A hung PBX: the connection stays, nothing comes. [smdr] idle-timeout
 * notices it; while the PBX hangs the link never says connected (it keeps
 * trying, and giving up on the silent login), and once the PBX is back the
 * link is too, within the bound. */
static void
test_silent_pbx (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ring_201 (f, CALLER);
  g_autofree char *second = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);
  RdCtiLink *link = g_ptr_array_index (rd_server_get_cti_links (rd_daemon_get_server (f->daemon)), 0);
  guint reconnects;
  gint64 since;
  gint64 ms;

  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_RINGING, NULL);
  f->pbx_away = TRUE;
  rd_sim_smdr_set_frozen (rd_sim_get_smdr (f->sim), TRUE);
  if (!rd_test_live_wait (keepalive_down_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The link never noticed the silent PBX");
  if (!rd_test_live_wait (seen_down_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("/healthz never showed the silent PBX");
  /* it tries again, and gives up on the login that never comes */
  g_object_get (link, "reconnects", &reconnects, NULL);
  f->logs = 0;
  while (TRUE)
    {
      guint now;

      g_object_get (link, "reconnects", &now, NULL);
      if (now >= reconnects + 2)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  since = g_get_monotonic_time ();
  f->pbx_away = FALSE;
  rd_sim_smdr_set_frozen (rd_sim_get_smdr (f->sim), FALSE);
  wait_link_up (f);
  ms = (g_get_monotonic_time () - since) / 1000;
  g_test_message ("link up %" G_GINT64_FORMAT " ms after the PBX woke up", ms);
  g_assert_cmpint (ms, <, RECONNECT_BOUND_MS);
  g_assert_false (f->lied);

  /* at once, while the session is fresh (the idle timeout is 1 s here) */
  g_assert_true (rd_sim_pbx_answer (pbx, first, &error));
  g_assert_true (rd_sim_pbx_hangup (pbx, first, &error));
  second = ring_201 (f, "0698765432");
  g_assert_true (rd_sim_pbx_answer (pbx, second, &error));
  g_assert_true (rd_sim_pbx_hangup (pbx, second, &error));
  g_assert_no_error (error);
  rd_test_wait_for (&f->logs, 2);
  assert_nothing_lost (f, 2);
  g_assert_cmpuint (rd_test_ws_count (f->ws, RD_EVENT_CALL_RINGING, NULL), ==, 2);
}

/* SMDR: the call is answered and ends while the link is away; the PBX
 * keeps its record and prints it to the next session, which ends the
 * stored call as answered */
static void
test_ends_while_down (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ring_201 (f, CALLER);
  g_autoptr(JsonObject) list = NULL;
  JsonObject *call = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);
  gint64 ms;

  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_RINGING, NULL);
  rd_sim_drop_links (f->sim);
  g_assert_cmpuint (rd_sim_smdr_get_n_clients (rd_sim_get_smdr (f->sim)), ==, 0);
  g_assert_true (rd_sim_pbx_answer (pbx, first, &error));
  /* a record without talk time says "not answered" */
  rd_sim_pbx_advance (pbx, 30 * 1000);
  g_assert_true (rd_sim_pbx_hangup (pbx, first, &error));
  g_assert_no_error (error);
  ms = ride_out (f);
  g_test_message ("link back %" G_GINT64_FORMAT " ms after the drop was seen", ms);
  g_assert_cmpint (ms, <, RECONNECT_BOUND_MS);

  rd_test_wait_for (&f->logs, 1);
  rd_test_ws_wait_for (f->ws, RD_EVENT_CALL_ENDED, NULL);
  assert_nothing_lost (f, 1);
  list = get_list (f, "/api/v1/calls?limit=500");
  g_assert_true (rd_json_array_get_object (rd_test_json_array (list, "items"), 0, &call, NULL));
  g_assert_cmpstr (rd_test_json_string (call, "outcome"), ==, "answered");
  g_assert_cmpuint (rd_test_ws_count (f->ws, RD_EVENT_CALL_RINGING, NULL), ==, 1);
}

static const FaultCase csta = { "csta", 0 };
static const FaultCase smdr_idle = { "smdr", 1 };
static const FaultCase smdr = { "smdr", 0 };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  password_hash = rd_auth_hash_password (RD_TEST_LIVE_PASSWORD, &error);
  g_assert_no_error (error);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, &data, fixture_set_up, func, fixture_tear_down)
  ADD ("/live-faults/csta/drop-mid-call", csta, test_drop_mid_call);
  ADD ("/live-faults/csta/keepalives-stopped", csta, test_keepalives_stopped);
  ADD ("/live-faults/csta/garbage", csta, test_garbage);
  ADD ("/live-faults/csta/restart", csta, test_restart);
  ADD ("/live-faults/smdr/drop-mid-call", smdr, test_drop_mid_call);
  ADD ("/live-faults/smdr/garbage", smdr, test_garbage);
  ADD ("/live-faults/smdr/restart", smdr, test_restart);
  ADD ("/live-faults/smdr/ends-while-down", smdr, test_ends_while_down);
  ADD ("/live-faults/smdr/silent-pbx", smdr_idle, test_silent_pbx);
#undef ADD

  return g_test_run ();
}
