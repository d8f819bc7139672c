/* test-live.c: the live path end to end: the simulated PBX on real sockets
 * → a CTI link → the call engine → the store → WebSocket clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A test-owned RdSim listens on 127.0.0.1 (ephemeral ports) with its clock
 * stopped: a scenario's ten minutes run at once, with exact PBX times. An
 * in-process daemon on a temp data dir links to it as configured ([cti]
 * links=csta, smdr, exttext or generic), users with extensions sign in
 * through the API, and each keeps a real WebSocket subscribed to its
 * extension. Nothing is timed: the tests wait for what they expect, failing
 * only after a generous bound.
 */

#define G_LOG_DOMAIN "RdTestLive"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rd-test-link.h"
#include "rd-test-live.h"

#define CALLER      "0612345678"
#define CUSTOMER    "Mario Rossi"
#define HUNT_PILOT  "600"

typedef struct
{
  const char *links;        /* csta, smdr, exttext, generic */
  const char *per;          /* call, hop */
  const char *auto_ticket;  /* incoming, hunt, none */
  gpointer    extra;        /* hunt-group: whether the ticket group exists */
} LiveCase;

typedef struct
{
  const LiveCase *data;
  char         *dir;
  char         *ext_text;
  RdSim        *sim;
  RdConfig     *config;
  RdDaemon     *daemon;
  RdCallEngine *engine;
  SoupSession  *session;
  char         *base;
  char         *sue;            /* supervisor token */
  GHashTable   *tokens;         /* extension → token */
  GHashTable   *clients;        /* extension → RdTestWs */
  char         *open_ticket;    /* the customer's open ticket */
  guint         logs;           /* hop log files written */
} Fixture;

static char *password_hash;

/* fixture */

static void
hop_log_cb (RdCallEngine *engine,
            const char   *filename,
            Fixture      *f)
{
  f->logs++;
}

static gboolean
link_ready_cb (gpointer user_data)
{
  Fixture *f = user_data;
  RdServer *server = rd_daemon_get_server (f->daemon);

  if (rd_server_get_cti_state (server) != RD_CTI_LINK_STATE_CONNECTED)
    return FALSE;
  if (g_str_equal (f->data->links, "csta"))
    return rd_sim_csta_get_n_monitors (rd_sim_get_csta (f->sim)) >= RD_TEST_LIVE_N_USERS + 1;
  if (g_str_equal (f->data->links, "smdr"))
    return rd_sim_smdr_get_n_clients (rd_sim_get_smdr (f->sim)) == 1;

  return TRUE;
}

static char *
request_json (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *json,
              guint       status)
{
  return rd_test_live_request (f->session, f->base, method, path, token, json, status);
}

static JsonObject *
get_object (Fixture    *f,
            const char *path)
{
  return rd_test_live_get_object (f->session, f->base, f->sue, path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) conf = g_string_new ("[server]\nlisten=127.0.0.1:0\n");
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *reply = NULL;
  g_autoptr(JsonObject) ticket = NULL;
  RdStore *store;

  f->data = data;
  f->dir = g_dir_make_tmp ("rd-live-XXXXXX", &error);
  g_assert_no_error (error);
  f->ext_text = g_build_filename (f->dir, "ExtText", NULL);
  g_assert_cmpint (g_mkdir (f->ext_text, 0700), ==, 0);

  /* the PBX, its clock stopped */
  f->sim = rd_test_live_new_sim (g_str_equal (f->data->links, "exttext") ? f->ext_text : NULL);

  g_string_append_printf (conf, "[cti]\nlinks=%s\n", f->data->links);
  g_string_append_printf (conf, "[csta]\nhost=127.0.0.1\nport=%u\n", rd_sim_get_csta_port (f->sim));
  g_string_append_printf (conf, "[smdr]\nhost=127.0.0.1\nport=%u\n", rd_sim_get_smdr_port (f->sim));
  g_string_append_printf (conf, "[exttext]\nfolder=%s\n", f->ext_text);
  g_string_append (conf, "[generic]\nsecret=s3cr3t-webhook\n");
  g_string_append_printf (conf, "[numbering]\nstart=1000\nper=%s\nauto-ticket=%s\n",
                          f->data->per, f->data->auto_ticket);
  g_string_append (conf, "[hunt:service]\nmembers=731;732;733\nfirst=732\nwrap=true\n"
                         "no-answer-timeout=1\npilot=" HUNT_PILOT "\n");

  f->config = rd_config_new ();
  g_assert_true (rd_config_load_from_data (f->config, conf->str, conf->len, &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (f->config, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
  f->engine = rd_daemon_get_call_engine (f->daemon);
  g_signal_connect (f->engine, "hop-log-written", G_CALLBACK (hop_log_cb), f);

  store = rd_daemon_get_store (f->daemon);
  rd_test_add_user (store, "sue", password_hash, RD_ROLE_SUPERVISOR);
  rd_test_add_user (store, "root", password_hash, RD_ROLE_ADMIN);
  rd_test_live_add_users (store, password_hash);

  f->session = soup_session_new ();
  f->sue = rd_test_sign_in (f->session, f->base, "sue", RD_TEST_LIVE_PASSWORD);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  f->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) rd_test_ws_free);
  for (guint i = 0; i < RD_TEST_LIVE_N_USERS; i++)
    {
      char *token = rd_test_sign_in (f->session, f->base, rd_test_live_users[i].username,
                                     RD_TEST_LIVE_PASSWORD);
      RdTestWs *ws = rd_test_ws_connect (f->session, f->base, token, rd_test_live_users[i].extension);

      g_hash_table_insert (f->tokens, (gpointer) rd_test_live_users[i].extension, token);
      g_hash_table_insert (f->clients, (gpointer) rd_test_live_users[i].extension, ws);
      g_ptr_array_add (list, ws);
    }
  rd_test_ws_wait_subscribed (list);

  /* the caller is a customer with an open ticket */
  g_free (request_json (f, "POST", "/api/v1/customers", g_hash_table_lookup (f->tokens, "201"),
                        "{\"name\":\"" CUSTOMER "\",\"phones\":[\"" CALLER "\"]}", 201));
  reply = request_json (f, "POST", "/api/v1/tickets", g_hash_table_lookup (f->tokens, "201"),
                        "{\"subject\":\"Boiler leaks\",\"requester\":\"" CUSTOMER "\","
                        "\"requester_phone\":\"" CALLER "\"}", 201);
  ticket = rd_json_parse_object (reply, -1, &error);
  g_assert_no_error (error);
  f->open_ticket = g_strdup (rd_test_json_string (ticket, "number"));
  g_assert_cmpstr (f->open_ticket, ==, "1000");

  if (!rd_test_live_wait (link_ready_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The %s link never connected", f->data->links);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->engine, f);
  g_clear_pointer (&f->clients, g_hash_table_unref);
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  g_clear_object (&f->session);
  rd_test_live_stop (&f->daemon, &f->sim, &f->config, &f->dir);
  g_free (f->ext_text);
  g_free (f->base);
  g_free (f->sue);
  g_free (f->open_ticket);
}

/* helpers */

static RdTestWs *
client (Fixture    *f,
        const char *extension)
{
  RdTestWs *ws = g_hash_table_lookup (f->clients, extension);

  g_assert_nonnull (ws);
  return ws;
}

static void
play (Fixture    *f,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_strconcat (name, ".scn", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("RD_SCENARIO_DIR"), basename, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RdSimScenario) scenario = rd_sim_scenario_new_from_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (rd_sim_run_scenario (f->sim, scenario, &error));
  g_assert_no_error (error);
  rd_sim_pbx_run_pending (rd_sim_get_pbx (f->sim));
}

static void
wait_logs (Fixture *f,
           guint    n)
{
  rd_test_wait_for (&f->logs, n);
}

static JsonObject *
get_call (Fixture    *f,
          const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/calls/", id, NULL);

  return get_object (f, path);
}

/* "201:no_answer,202:answered": the hops of @call */
static char *
hops_of (JsonObject *call)
{
  JsonArray *hops = rd_test_json_array (call, "hops");
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (hops);
  for (guint i = 0; i < json_array_get_length (hops); i++)
    {
      JsonObject *hop = NULL;

      g_assert_true (rd_json_array_get_object (hops, i, &hop, NULL));
      g_string_append_printf (out, "%s%s:%s", i > 0 ? "," : "",
                              rd_test_json_string (hop, "extension"),
                              rd_test_json_string (hop, "outcome"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* the ticket number of hop @i */
static const char *
hop_ticket (JsonObject *call,
            guint       i)
{
  JsonArray *hops = rd_test_json_array (call, "hops");
  JsonObject *hop = NULL;

  g_assert_true (rd_json_array_get_object (hops, i, &hop, NULL));
  return rd_test_json_string (hop, "ticket");
}

/* "1001,1000": the numbers of the ticket objects in @call */
static char *
ticket_objects_of (JsonObject *call)
{
  JsonArray *tickets = rd_test_json_array (call, "tickets");
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (tickets);
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *ticket = NULL;

      g_assert_true (rd_json_array_get_object (tickets, i, &ticket, NULL));
      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", rd_test_json_string (ticket, "number"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* the hop log of today, as lines */
static GStrv
hop_log (Fixture *f)
{
  return rd_test_live_hop_log (f->session, f->base, f->sue);
}

/* whether a line of @lines ends with @suffix (the times before it vary) */
static gboolean
log_has (GStrv       lines,
         const char *suffix)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_suffix (g_strchomp (lines[i]), suffix))
      return TRUE;

  return FALSE;
}

static void
assert_log (Fixture    *f,
            const char *suffix)
{
  g_auto(GStrv) lines = hop_log (f);

  if (!log_has (lines, suffix))
    {
      g_autofree char *all = g_strjoinv ("\n", lines);

      g_autofree char *cmd = g_strdup_printf ("find %s/hop-log -type f", f->dir);
      g_autofree char *listing = NULL;

      g_spawn_command_line_sync (cmd, &listing, NULL, NULL, NULL);
      g_error ("No hop log line ends with %s in:\n%s\nfiles:\n%s", suffix, all, listing);
    }
}

static void
assert_quiet (Fixture    *f,
              const char *extension)
{
  g_assert_cmpuint (client (f, extension)->messages->len, ==, 0);
}

/* tests */

/* the ids of the calls that rang @extension, in order */
static GStrv
ringing_ids (Fixture    *f,
             const char *extension)
{
  RdTestWs *ws = client (f, extension);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < ws->messages->len; i++)
    {
      JsonObject *event = g_ptr_array_index (ws->messages, i);

      if (g_strcmp0 (rd_test_json_string (event, "type"), RD_EVENT_CALL_RINGING) == 0)
        {
          g_assert_cmpstr (rd_test_json_string (event, "extension"), ==, extension);
          g_strv_builder_add (builder, rd_test_json_string (rd_test_json_object (event, "call"), "id"));
        }
    }

  return g_strv_builder_end (builder);
}

/* @extension received @type for call @id exactly once */
static void
assert_once (Fixture    *f,
             const char *extension,
             const char *type,
             const char *id)
{
  rd_test_ws_wait_for (client (f, extension), type, id);
  g_assert_cmpuint (rd_test_ws_count (client (f, extension), type, id), ==, 1);
}

static void
assert_call (Fixture    *f,
             const char *id,
             const char *direction,
             const char *outcome,
             const char *hops)
{
  g_autoptr(JsonObject) call = get_call (f, id);
  g_autofree char *got_hops = hops_of (call);

  g_assert_cmpstr (rd_test_json_string (call, "direction"), ==, direction);
  g_assert_cmpstr (rd_test_json_string (call, "state"), ==, "ended");
  g_assert_cmpstr (rd_test_json_string (call, "outcome"), ==, outcome);
  g_assert_cmpstr (got_hops, ==, hops);
}

/* the ringing event carries the customer and their open tickets, own first */
static void
assert_ringing_carries (Fixture    *f,
                        const char *extension,
                        const char *id,
                        const char *tickets)
{
  JsonObject *event = rd_test_ws_find (client (f, extension), RD_EVENT_CALL_RINGING, id);
  JsonObject *call = rd_test_json_object (event, "call");
  g_autofree char *got = ticket_objects_of (call);

  g_assert_cmpstr (rd_test_json_string (rd_test_json_object (call, "customer"), "name"), ==, CUSTOMER);
  g_assert_cmpstr (got, ==, tickets);
}

static void
test_incoming_answered (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(JsonObject) call = NULL;
  const char *quiet[] = { "202", "203", "204", "731", "732", "733" };

  play (f, "incoming-answered");
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  assert_ringing_carries (f, "201", ids[0], "1001,1000");
  assert_once (f, "201", RD_EVENT_CALL_ANSWERED, ids[0]);
  assert_once (f, "201", RD_EVENT_CALL_ENDED, ids[0]);
  for (guint i = 0; i < G_N_ELEMENTS (quiet); i++)
    assert_quiet (f, quiet[i]);

  assert_call (f, ids[0], "in", "answered", "201:answered");
  call = get_call (f, ids[0]);
  g_assert_cmpstr (rd_test_json_string (call, "from"), ==, CALLER);
  g_assert_cmpstr (rd_test_json_string (call, "ddi"), ==, "912345678");
  g_assert_cmpstr (rd_test_json_string (call, "trunk"), ==, "01");
  g_assert_cmpstr (hop_ticket (call, 0), ==, "1001");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201_END");
}

/* SMDR's NA record says "not answered" without telling a missed call from
 * an abandoned one; the parser reads it as abandoned (rd-smdr-parser.c).
 * Nor does SMDR say that a station stopped ringing: an RC at the next
 * station leaves the earlier hop open, and every open hop ends with the
 * call. */
static gboolean
wire_tells_missed (Fixture *f)
{
  return !g_str_equal (f->data->links, "smdr");
}

/* the PBX hunts by itself: 201 → 202 → 203 answers, and two more calls */
static void
test_hunt (Fixture       *f,
           gconstpointer  data)
{
  g_auto(GStrv) at_201 = NULL;
  g_auto(GStrv) at_203 = NULL;
  g_autoptr(JsonObject) call = NULL;
  const char *first;
  const char *last;

  play (f, "hunt");
  wait_logs (f, 3);

  at_201 = ringing_ids (f, "201");
  at_203 = ringing_ids (f, "203");
  g_assert_cmpuint (g_strv_length (at_201), ==, 3);
  g_assert_cmpuint (g_strv_length (at_203), ==, 3);
  first = at_201[0];
  last = at_203[2];
  g_assert_cmpstr (at_203[0], ==, first);

  /* ringing only where it rang; answered to every extension rung */
  assert_ringing_carries (f, "201", first, "1001,1000");
  /* per hop, the call's own tickets are every hop's so far */
  assert_ringing_carries (f, "203", first, g_str_equal (f->data->per, "call") ? "1001,1000"
                                                                           : "1001,1002,1003,1000");
  assert_once (f, "201", RD_EVENT_CALL_ANSWERED, first);
  assert_once (f, "202", RD_EVENT_CALL_ANSWERED, first);
  assert_once (f, "203", RD_EVENT_CALL_ANSWERED, first);
  assert_quiet (f, "204");
  assert_quiet (f, "731");

  if (g_str_equal (f->data->per, "call"))
    {
      assert_call (f, first, "in", "answered", "201:no_answer,202:no_answer,203:answered");
      call = get_call (f, first);
      g_assert_cmpstr (hop_ticket (call, 0), ==, "1001");
      g_assert_cmpstr (hop_ticket (call, 2), ==, "1001");
      assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201");
      assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_203_END");
    }
  else
    {
      g_autoptr(JsonObject) cancelled = NULL;

      /* a ticket per hop; the unanswered hops' tickets are cancelled */
      assert_call (f, first, "in", "answered", "201:no_answer,202:no_answer,203:answered");
      call = get_call (f, first);
      g_assert_cmpstr (hop_ticket (call, 0), ==, "1001");
      g_assert_cmpstr (hop_ticket (call, 1), ==, "1002");
      g_assert_cmpstr (hop_ticket (call, 2), ==, "1003");
      cancelled = get_object (f, "/api/v1/tickets/1001");
      g_assert_cmpstr (rd_test_json_string (cancelled, "state"), ==, "cancelled");
      g_clear_pointer (&cancelled, json_object_unref);
      cancelled = get_object (f, "/api/v1/tickets/1003");
      g_assert_cmpstr (rd_test_json_string (cancelled, "state"), ==, "open");
      assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201");
      assert_log (f, "_Ticket_1002_Caller_" CALLER "_Called_202");
      assert_log (f, "_Ticket_1003_Caller_" CALLER "_Called_203_END");
    }

  /* the third call: nobody answers, missed, the last rung is 202 */
  if (wire_tells_missed (f))
    assert_call (f, last, "in", "missed", "203:no_answer,201:no_answer,202:no_answer");
  else
    assert_call (f, last, "in", "abandoned", "203:abandoned,201:abandoned,202:abandoned");
  assert_once (f, "202", RD_EVENT_CALL_ENDED, last);
  assert_log (f, "_Caller_0233445566_Called_202_END");
}

static void
test_no_answer (Fixture       *f,
                gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;

  play (f, "no-answer");
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  assert_once (f, "202", RD_EVENT_CALL_RINGING, ids[0]);
  assert_once (f, "201", RD_EVENT_CALL_ENDED, ids[0]);
  assert_once (f, "202", RD_EVENT_CALL_ENDED, ids[0]);
  g_assert_null (rd_test_ws_find (client (f, "201"), RD_EVENT_CALL_ANSWERED, NULL));
  if (wire_tells_missed (f))
    assert_call (f, ids[0], "in", "missed", "201:no_answer,202:no_answer");
  else
    assert_call (f, ids[0], "in", "abandoned", "201:abandoned,202:abandoned");
  assert_log (f, "_Ticket_1001_Caller_0655443322_Called_201");
  assert_log (f, "_Ticket_1001_Caller_0655443322_Called_202_END");
}

static void
test_abandon (Fixture       *f,
              gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  JsonObject *event;

  play (f, "abandon");
  wait_logs (f, 1);

  ids = ringing_ids (f, "202");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  /* not a customer: no customer, only the call's own ticket */
  event = rd_test_ws_find (client (f, "202"), RD_EVENT_CALL_RINGING, ids[0]);
  g_assert_null (rd_test_json_object (rd_test_json_object (event, "call"), "customer"));
  assert_once (f, "202", RD_EVENT_CALL_ENDED, ids[0]);
  assert_quiet (f, "201");
  assert_call (f, ids[0], "in", "abandoned", "202:abandoned");
  assert_log (f, "_Ticket_1001_Caller_0611223344_Called_202_END");
}

static gboolean
no_live_calls_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return rd_call_engine_get_n_live_calls (f->engine) == 0 &&
         rd_call_engine_get_n_pending_writes (f->engine) == 0;
}

static void
wait_idle (Fixture *f)
{
  if (!rd_test_live_wait (no_live_calls_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("Calls still live");
}

static void
test_transfer (Fixture       *f,
               gconstpointer  data)
{
  g_auto(GStrv) at_201 = NULL;
  g_auto(GStrv) at_202 = NULL;

  play (f, "transfer");
  wait_logs (f, 2);

  /* blind: 201 answers and transfers to 203, who answers */
  at_201 = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (at_201), ==, 1);
  assert_once (f, "201", RD_EVENT_CALL_TRANSFERRED, at_201[0]);
  assert_once (f, "203", RD_EVENT_CALL_TRANSFERRED, at_201[0]);
  assert_once (f, "203", RD_EVENT_CALL_ENDED, at_201[0]);
  assert_call (f, at_201[0], "in", "answered", "201:transferred,203:answered");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_203_END");

  /* consultation: 202 consults 204, then completes the transfer */
  at_202 = ringing_ids (f, "202");
  g_assert_cmpuint (g_strv_length (at_202), ==, 1);
  rd_test_ws_wait_for (client (f, "204"), RD_EVENT_CALL_ENDED, at_202[0]);
  assert_once (f, "202", RD_EVENT_CALL_HELD, at_202[0]);
  assert_once (f, "202", RD_EVENT_CALL_TRANSFERRED, at_202[0]);
  assert_once (f, "204", RD_EVENT_CALL_TRANSFERRED, at_202[0]);
  wait_idle (f);
  /* the transfer is reported without an answer at the target (docs/calls.md) */
  assert_call (f, at_202[0], "in", "answered", "202:transferred,204:no_answer");
  assert_log (f, "_Ticket_1002_Caller_0277889900_Called_204_END");
}

static void
test_hold (Fixture       *f,
           gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  guint n_holds;

  play (f, "hold");
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  rd_test_ws_wait_for (client (f, "201"), RD_EVENT_CALL_ENDED, ids[0]);
  /* SMDR has no hold: the call is only rung, answered and recorded */
  n_holds = g_str_equal (f->data->links, "smdr") ? 0 : 2;
  g_assert_cmpuint (rd_test_ws_count (client (f, "201"), RD_EVENT_CALL_HELD, ids[0]), ==, n_holds);
  g_assert_cmpuint (rd_test_ws_count (client (f, "201"), RD_EVENT_CALL_RETRIEVED, ids[0]), ==, n_holds);
  assert_call (f, ids[0], "in", "answered", "201:answered");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201_END");
}

static void
test_outgoing (Fixture       *f,
               gconstpointer  data)
{
  JsonObject *ended;
  const char *id;
  g_autoptr(JsonObject) call = NULL;

  play (f, "outgoing");
  wait_logs (f, 1);

  rd_test_ws_wait_for (client (f, "203"), RD_EVENT_CALL_ENDED, NULL);
  ended = rd_test_ws_find (client (f, "203"), RD_EVENT_CALL_ENDED, NULL);
  id = rd_test_json_string (rd_test_json_object (ended, "call"), "id");
  g_assert_null (rd_test_ws_find (client (f, "203"), RD_EVENT_CALL_RINGING, NULL));
  assert_quiet (f, "201");
  assert_call (f, id, "out", "answered", "203:answered");
  call = get_call (f, id);
  /* outgoing calls open no ticket; the customer is the number called */
  g_assert_cmpuint (json_array_get_length (rd_test_json_array (call, "tickets")), ==, 0);
  g_assert_cmpstr (rd_test_json_string (rd_test_json_object (call, "customer"), "name"), ==, CUSTOMER);
  assert_log (f, "_Ticket_0_Caller_203_Called_203_END");
}

static void
test_internal (Fixture       *f,
               gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(JsonObject) call = NULL;

  play (f, "internal");
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  assert_once (f, "201", RD_EVENT_CALL_ANSWERED, ids[0]);
  assert_once (f, "201", RD_EVENT_CALL_ENDED, ids[0]);
  g_assert_null (rd_test_ws_find (client (f, "204"), RD_EVENT_CALL_RINGING, NULL));
  call = get_call (f, ids[0]);
  g_assert_cmpstr (rd_test_json_string (call, "direction"), ==, "internal");
  g_assert_cmpstr (rd_test_json_string (call, "outcome"), ==, "answered");
  g_assert_cmpuint (json_array_get_length (rd_test_json_array (call, "tickets")), ==, 0);
  assert_log (f, "_Ticket_0_Caller_204_Called_201_END");
}

/* POST /calls → CSTA MakeCall → the PBX rings the agent's own phone first */
static void
test_click_to_dial (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pbx_call = NULL;
  g_auto(GStrv) ids = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);

  g_free (request_json (f, "POST", "/api/v1/calls", g_hash_table_lookup (f->tokens, "201"),
                        "{\"from_extension\":\"201\",\"to\":\"" CALLER "\"}", 202));
  rd_test_ws_wait_for (client (f, "201"), RD_EVENT_CALL_RINGING, NULL);
  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);

  /* 201 picks up, the far end answers: the PBX's scheduled steps */
  rd_sim_pbx_run_pending (pbx);
  rd_test_ws_wait_for (client (f, "201"), RD_EVENT_CALL_ANSWERED, ids[0]);
  pbx_call = rd_sim_pbx_find_call (pbx, "201", FALSE);
  g_assert_nonnull (pbx_call);
  g_assert_true (rd_sim_pbx_hangup (pbx, pbx_call, &error));
  g_assert_no_error (error);
  wait_logs (f, 1);

  assert_once (f, "201", RD_EVENT_CALL_ENDED, ids[0]);
  assert_call (f, ids[0], "out", "answered", "201:answered");
  assert_log (f, "_Called_201_END");
}

/* [hunt:service] over CSTA: the engine deflects from the pilot to the
 * members, first 732, after the no-answer timeout 733; a ticket per hop */
static void
test_hunt_group (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pbx_call = NULL;
  g_autoptr(JsonObject) call = NULL;
  g_autoptr(JsonObject) cancelled = NULL;
  g_autoptr(JsonObject) kept = NULL;
  g_auto(GStrv) at_732 = NULL;
  g_auto(GStrv) at_733 = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);
  gboolean with_group = GPOINTER_TO_INT (f->data->extra);

  /* the tickets of the hunt name its ticket group, when there is one */
  if (with_group)
    {
      g_autofree char *root = rd_test_sign_in (f->session, f->base, "root", RD_TEST_LIVE_PASSWORD);

      g_free (request_json (f, "POST", "/api/v1/groups", root,
                            "{\"name\":\"service\",\"members\":[]}", 201));
    }

  pbx_call = rd_sim_pbx_incoming (pbx, CALLER, "01", "912345678", HUNT_PILOT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pbx_call);

  rd_test_ws_wait_for (client (f, "733"), RD_EVENT_CALL_RINGING, NULL);
  at_732 = ringing_ids (f, "732");
  at_733 = ringing_ids (f, "733");
  g_assert_cmpuint (g_strv_length (at_732), ==, 1);
  g_assert_cmpstr (at_732[0], ==, at_733[0]);
  assert_ringing_carries (f, "732", at_732[0], "1001,1000");
  assert_ringing_carries (f, "733", at_733[0], "1001,1002,1000");

  g_assert_true (rd_sim_pbx_answer (pbx, pbx_call, &error));
  g_assert_no_error (error);
  assert_once (f, "732", RD_EVENT_CALL_ANSWERED, at_732[0]);
  assert_once (f, "733", RD_EVENT_CALL_ANSWERED, at_732[0]);
  g_assert_true (rd_sim_pbx_hangup (pbx, pbx_call, &error));
  g_assert_no_error (error);
  wait_logs (f, 1);

  assert_quiet (f, "731");
  assert_call (f, at_732[0], "in", "answered", "732:no_answer,733:answered");
  call = get_call (f, at_732[0]);
  g_assert_cmpstr (hop_ticket (call, 0), ==, "1001");
  g_assert_cmpstr (hop_ticket (call, 1), ==, "1002");
  cancelled = get_object (f, "/api/v1/tickets/1001");
  g_assert_cmpstr (rd_test_json_string (cancelled, "state"), ==, "cancelled");
  g_assert_cmpstr (rd_test_json_string (cancelled, "group"), ==, with_group ? "service" : NULL);
  kept = get_object (f, "/api/v1/tickets/1002");
  g_assert_cmpstr (rd_test_json_string (kept, "state"), ==, "open");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_732");
  assert_log (f, "_Ticket_1002_Caller_" CALLER "_Called_733_END");
}

/* ExtText reports only ringing: the call stays live until the next caller
 * at the same extension supersedes it (missed) */
static void
test_ext_text (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(GStrv) ids = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (f->sim);

  first = rd_sim_pbx_incoming (pbx, CALLER, "01", "912345678", "201", &error);
  g_assert_no_error (error);
  rd_test_ws_wait_for (client (f, "201"), RD_EVENT_CALL_RINGING, NULL);
  /* the caller gives up: the Call Monitor writes nothing for that */
  g_assert_true (rd_sim_pbx_abandon (pbx, first, &error));
  g_assert_no_error (error);

  second = rd_sim_pbx_incoming (pbx, "0698765432", "02", "912345678", "201", &error);
  g_assert_no_error (error);
  rd_test_ws_wait_for (client (f, "201"), RD_EVENT_CALL_ENDED, NULL);
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), >=, 1);
  assert_ringing_carries (f, "201", ids[0], "1001,1000");
  assert_once (f, "201", RD_EVENT_CALL_ENDED, ids[0]);
  assert_call (f, ids[0], "in", "missed", "201:no_answer");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201_END");
}

static void
post_webhook (Fixture    *f,
              const char *form)
{
  RdTestReply reply;

  rd_test_request_full (f->session, f->base, "POST", "/api/v1/cti/generic/s3cr3t-webhook", NULL,
                        "application/x-www-form-urlencoded", form, (gssize) strlen (form),
                        &reply);
  if (reply.status != 200)
    g_error ("webhook %s: %u %s", form, reply.status, reply.body);
  rd_test_reply_clear (&reply);
}

static void
test_webhook (Fixture       *f,
              gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;

  post_webhook (f, "event=newCall&direction=in&from=" CALLER "&to=912345678&callId=wh-1"
                   "&user%5B%5D=201&user%5B%5D=202");
  rd_test_ws_wait_for (client (f, "202"), RD_EVENT_CALL_RINGING, NULL);
  post_webhook (f, "event=answer&direction=in&from=" CALLER "&to=912345678&callId=wh-1"
                   "&answeringNumber=202");
  post_webhook (f, "event=hangup&direction=in&from=" CALLER "&to=912345678&callId=wh-1"
                   "&cause=normalClearing");
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  assert_ringing_carries (f, "201", ids[0], "1001,1000");
  assert_once (f, "201", RD_EVENT_CALL_ANSWERED, ids[0]);
  assert_once (f, "202", RD_EVENT_CALL_ANSWERED, ids[0]);
  assert_once (f, "202", RD_EVENT_CALL_ENDED, ids[0]);
  assert_quiet (f, "203");
  assert_call (f, ids[0], "in", "answered", "201:no_answer,202:answered");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_202_END");
}

/* Zammad's hangup with cause noAnswer: a missed call, the ticket stays open */
static void
test_webhook_missed (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(JsonObject) ticket = NULL;

  post_webhook (f, "event=newCall&direction=in&from=" CALLER "&to=912345678&callId=wh-2"
                   "&user%5B%5D=201");
  post_webhook (f, "event=hangup&direction=in&from=" CALLER "&to=912345678&callId=wh-2"
                   "&cause=noAnswer");
  wait_logs (f, 1);

  ids = ringing_ids (f, "201");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  assert_once (f, "201", RD_EVENT_CALL_ENDED, ids[0]);
  assert_call (f, ids[0], "in", "missed", "201:no_answer");
  ticket = get_object (f, "/api/v1/tickets/1001");
  g_assert_cmpstr (rd_test_json_string (ticket, "state"), ==, "open");
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_201_END");
}

/* SMDR tells a transfer only by the next RC and the call record: neither
 * call is lost, none stays open, the record makes no second call */
static void
test_smdr_transfer (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(GStrv) at_201 = NULL;
  g_auto(GStrv) at_202 = NULL;
  g_autoptr(JsonObject) list = NULL;

  play (f, "transfer");
  wait_logs (f, 2);
  wait_idle (f);

  at_201 = ringing_ids (f, "201");
  at_202 = ringing_ids (f, "202");
  g_assert_cmpuint (g_strv_length (at_201), ==, 1);
  g_assert_cmpuint (g_strv_length (at_202), ==, 1);
  assert_once (f, "203", RD_EVENT_CALL_RINGING, at_201[0]);
  assert_call (f, at_201[0], "in", "answered", "201:answered,203:answered");
  assert_call (f, at_202[0], "in", "answered", "202:answered");
  list = get_object (f, "/api/v1/calls?limit=500");
  g_assert_cmpuint (json_array_get_length (rd_test_json_array (list, "items")), ==, 2);
  assert_log (f, "_Ticket_1001_Caller_" CALLER "_Called_203_END");
  assert_log (f, "_Ticket_1002_Caller_0277889900_Called_202_END");
}

static const LiveCase csta_call = { "csta", "call", "incoming" };
static const LiveCase csta_hop = { "csta", "hop", "incoming" };
static const LiveCase csta_hunt = { "csta", "hop", "hunt", GINT_TO_POINTER (TRUE) };
static const LiveCase csta_hunt_no_group = { "csta", "hop", "hunt", NULL };
static const LiveCase smdr_call = { "smdr", "call", "incoming" };
static const LiveCase exttext_call = { "exttext", "call", "incoming" };
static const LiveCase generic_call = { "generic", "call", "incoming" };

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
  ADD ("/live/csta/incoming-answered", csta_call, test_incoming_answered);
  ADD ("/live/csta/hunt", csta_call, test_hunt);
  ADD ("/live/csta/hunt-per-hop", csta_hop, test_hunt);
  ADD ("/live/csta/no-answer", csta_call, test_no_answer);
  ADD ("/live/csta/abandon", csta_call, test_abandon);
  ADD ("/live/csta/transfer", csta_call, test_transfer);
  ADD ("/live/csta/hold", csta_call, test_hold);
  ADD ("/live/csta/outgoing", csta_call, test_outgoing);
  ADD ("/live/csta/internal", csta_call, test_internal);
  ADD ("/live/csta/click-to-dial", csta_call, test_click_to_dial);
  ADD ("/live/csta/hunt-group", csta_hunt, test_hunt_group);
  ADD ("/live/csta/hunt-group-without-ticket-group", csta_hunt_no_group, test_hunt_group);
  ADD ("/live/smdr/incoming-answered", smdr_call, test_incoming_answered);
  ADD ("/live/smdr/hunt", smdr_call, test_hunt);
  ADD ("/live/smdr/no-answer", smdr_call, test_no_answer);
  ADD ("/live/smdr/abandon", smdr_call, test_abandon);
  ADD ("/live/smdr/hold", smdr_call, test_hold);
  ADD ("/live/smdr/outgoing", smdr_call, test_outgoing);
  ADD ("/live/smdr/transfer", smdr_call, test_smdr_transfer);
  ADD ("/live/exttext/superseded", exttext_call, test_ext_text);
  ADD ("/live/generic/answered", generic_call, test_webhook);
  ADD ("/live/generic/missed", generic_call, test_webhook_missed);
#undef ADD

  return g_test_run ();
}
