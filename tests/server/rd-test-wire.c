/* rd-test-wire.c: every simulator scenario over one wire, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each row of a table: a test-owned RdSim on 127.0.0.1 with its clock
 * stopped, an in-process daemon with [cti] links= the wire under test
 * (smdr: the SMDR TCP port; exttext: the folder the simulator's Call
 * Monitor writer writes; generic: the simulator's webhook sender POSTs to
 * the daemon), agents 201–204 and technicians 731–733 signed in through the
 * API each with a WebSocket subscribed to their extension, and a customer
 * with one open ticket (1000). The scenario file plays; then the stored
 * calls (GET /calls/{id}), every client's events and the hop log
 * (GET /calls/log.txt) must be exactly the row's.
 *
 * ExtText files are overwritten in place, so two writes to one file faster
 * than the folder watch reads them would show as one: the scenario is
 * played event by event, each write waiting until the link has read it.
 */

#define G_LOG_DOMAIN "RdTestWire"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rd-test-link.h"
#include "rd-test-live.h"
#include "rd-test-wire.h"

#define CALLER   "0612345678"
#define CUSTOMER "Mario Rossi"
#define SECRET   "s3cr3t-webhook"

static const char *wire_name;
static char *password_hash;

typedef struct
{
  const RdTestWireCase *data;
  char         *dir;
  char         *ext_text;
  RdSim        *sim;
  RdConfig     *config;
  RdDaemon     *daemon;
  RdCallEngine *engine;
  RdCtiLink    *link;
  SoupSession  *session;
  char         *base;
  char         *sue;
  GHashTable   *clients;      /* extension → RdTestWs */
  guint         logs;         /* hop-log files written */
  guint         sent;         /* ExtText files the simulator wrote */
  guint         read;         /* events the link reported */
} Fixture;

static void
hop_log_cb (RdCallEngine *engine,
            const char   *filename,
            Fixture      *f)
{
  f->logs++;
}

static void
link_event_cb (RdCtiLink  *link,
               RdCtiEvent *event,
               Fixture    *f)
{
  f->read++;
}

static gboolean
all_read_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return f->read >= f->sent;
}

/* after RdSim's own handler, which queued the ExtText write */
static void
pbx_event_cb (RdSimPbx   *pbx,
              RdCtiEvent *event,
              Fixture    *f)
{
  g_autofree char *text = rd_sim_ext_text_format (event);

  if (text == NULL)
    return;
  f->sent++;
  if (!rd_test_live_wait (all_read_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The ExtText link never read “%s” at %s", text, event->extension);
}

static gboolean
link_ready_cb (gpointer user_data)
{
  Fixture *f = user_data;

  if (rd_server_get_cti_state (rd_daemon_get_server (f->daemon)) != RD_CTI_LINK_STATE_CONNECTED)
    return FALSE;
  if (g_str_equal (wire_name, "smdr"))
    return rd_sim_smdr_get_n_clients (rd_sim_get_smdr (f->sim)) == 1;

  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) conf = g_string_new ("[server]\nlisten=127.0.0.1:0\n");
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *ana = NULL;
  GPtrArray *links;
  RdStore *store;

  f->data = data;
  f->dir = g_dir_make_tmp ("rd-wire-XXXXXX", &error);
  g_assert_no_error (error);
  f->ext_text = g_build_filename (f->dir, "ExtText", NULL);
  g_assert_cmpint (g_mkdir (f->ext_text, 0700), ==, 0);

  f->sim = rd_test_live_new_sim (g_str_equal (wire_name, "exttext") ? f->ext_text : NULL);
  if (g_str_equal (wire_name, "exttext"))
    g_signal_connect (rd_sim_get_pbx (f->sim), "event", G_CALLBACK (pbx_event_cb), f);

  g_string_append_printf (conf, "[cti]\nlinks=%s\n", wire_name);
  g_string_append_printf (conf, "[smdr]\nhost=127.0.0.1\nport=%u\n", rd_sim_get_smdr_port (f->sim));
  g_string_append_printf (conf, "[exttext]\nfolder=%s\n", f->ext_text);
  g_string_append (conf, "[generic]\nsecret=" SECRET "\n");
  g_string_append (conf, "[numbering]\nstart=1000\nper=call\nauto-ticket=incoming\n");
  f->config = rd_config_new ();
  g_assert_true (rd_config_load_from_data (f->config, conf->str, conf->len, &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (f->config, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
  f->engine = rd_daemon_get_call_engine (f->daemon);
  g_signal_connect (f->engine, "hop-log-written", G_CALLBACK (hop_log_cb), f);
  links = rd_server_get_cti_links (rd_daemon_get_server (f->daemon));
  g_assert_cmpuint (links->len, ==, 1);
  f->link = g_ptr_array_index (links, 0);
  g_signal_connect (f->link, "event", G_CALLBACK (link_event_cb), f);
  if (g_str_equal (wire_name, "generic"))
    {
      g_autofree char *url = g_strconcat (f->base, "api/v1/cti/generic/" SECRET, NULL);

      rd_sim_set_webhook (f->sim, url);
    }

  store = rd_daemon_get_store (f->daemon);
  rd_test_add_user (store, "sue", password_hash, RD_ROLE_SUPERVISOR);
  rd_test_live_add_users (store, password_hash);

  f->session = soup_session_new ();
  f->sue = rd_test_sign_in (f->session, f->base, "sue", RD_TEST_LIVE_PASSWORD);
  f->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) rd_test_ws_free);
  for (guint i = 0; i < RD_TEST_LIVE_N_USERS; i++)
    {
      g_autofree char *token = rd_test_sign_in (f->session, f->base, rd_test_live_users[i].username,
                                                RD_TEST_LIVE_PASSWORD);
      RdTestWs *ws = rd_test_ws_connect (f->session, f->base, token, rd_test_live_users[i].extension);

      g_hash_table_insert (f->clients, (gpointer) rd_test_live_users[i].extension, ws);
      g_ptr_array_add (list, ws);
      if (i == 0)
        ana = g_steal_pointer (&token);
    }
  rd_test_ws_wait_subscribed (list);

  g_free (rd_test_live_request (f->session, f->base, "POST", "/api/v1/customers", ana,
                        "{\"name\":\"" CUSTOMER "\",\"phones\":[\"" CALLER "\"]}", 201));
  g_free (rd_test_live_request (f->session, f->base, "POST", "/api/v1/tickets", ana,
                        "{\"subject\":\"Boiler leaks\",\"requester\":\"" CUSTOMER "\","
                        "\"requester_phone\":\"" CALLER "\"}", 201));

  if (!rd_test_live_wait (link_ready_cb, f, RD_TEST_LIVE_BOUND_SEC))
    g_error ("The %s link never connected", wire_name);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (rd_sim_get_pbx (f->sim), f);
  g_signal_handlers_disconnect_by_data (f->engine, f);
  g_signal_handlers_disconnect_by_data (f->link, f);
  g_clear_pointer (&f->clients, g_hash_table_unref);
  g_clear_object (&f->session);
  rd_test_live_stop (&f->daemon, &f->sim, &f->config, &f->dir);
  g_free (f->ext_text);
  g_free (f->base);
  g_free (f->sue);
}

/* what was observed, in the table's notation */

static char *
describe_calls (Fixture *f)
{
  g_autoptr(JsonObject) list = rd_test_live_get_object (f->session, f->base, f->sue, "/api/v1/calls?limit=500");
  JsonArray *items = rd_test_json_array (list, "items");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (items);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = NULL;

      g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
      g_ptr_array_add (ids, g_strdup (rd_test_json_string (item, "id")));
    }
  /* ids are numbers from a counter: the order the calls started in */
  for (guint i = 0; i < ids->len; i++)
    for (guint j = i + 1; j < ids->len; j++)
      if (g_ascii_strtoll (ids->pdata[j], NULL, 10) < g_ascii_strtoll (ids->pdata[i], NULL, 10))
        {
          gpointer tmp = ids->pdata[i];

          ids->pdata[i] = ids->pdata[j];
          ids->pdata[j] = tmp;
        }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/calls/", ids->pdata[i], NULL);
      g_autoptr(JsonObject) call = rd_test_live_get_object (f->session, f->base, f->sue, path);
      JsonArray *hops = rd_test_json_array (call, "hops");
      const char *outcome = rd_test_json_string (call, "outcome");

      g_assert_nonnull (hops);
      g_string_append_printf (out, "%s%s %s %s ", i > 0 ? "|" : "",
                              rd_test_json_string (call, "direction"),
                              rd_test_json_string (call, "state"),
                              outcome != NULL ? outcome : "-");
      for (guint h = 0; h < json_array_get_length (hops); h++)
        {
          JsonObject *hop = NULL;
          const char *hop_outcome;
          const char *ticket;

          g_assert_true (rd_json_array_get_object (hops, h, &hop, NULL));
          hop_outcome = rd_test_json_string (hop, "outcome");
          ticket = rd_test_json_string (hop, "ticket");
          g_string_append_printf (out, "%s%s:%s:%s", h > 0 ? "," : "",
                                  rd_test_json_string (hop, "extension"),
                                  hop_outcome != NULL ? hop_outcome : "-",
                                  ticket != NULL ? ticket : "-");
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
describe_ringing (GString    *out,
                  JsonObject *event)
{
  JsonArray *tickets = rd_test_json_array (rd_test_json_object (event, "call"), "tickets");

  g_assert_nonnull (tickets);
  g_string_append_c (out, '(');
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *ticket = NULL;

      g_assert_true (rd_json_array_get_object (tickets, i, &ticket, NULL));
      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", rd_test_json_string (ticket, "number"));
    }
  g_string_append_c (out, ')');
}

static char *
describe_events (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < RD_TEST_LIVE_N_USERS; i++)
    {
      const char *extension = rd_test_live_users[i].extension;
      RdTestWs *ws = g_hash_table_lookup (f->clients, extension);

      if (ws->messages->len == 0)
        continue;
      g_string_append_printf (out, "%s%s=", out->len > 0 ? " " : "", extension);
      for (guint m = 0; m < ws->messages->len; m++)
        {
          JsonObject *event = g_ptr_array_index (ws->messages, m);
          const char *type = rd_test_json_string (event, "type");

          g_assert_nonnull (type);
          /* the hub's acknowledgement of the subscription is no call event */
          if (g_str_equal (type, "subscribed"))
            continue;
          if (g_str_has_prefix (type, "call."))
            {
              /* a call event is about the subscriber's extension's call */
              g_assert_nonnull (rd_test_json_object (event, "call"));
              type += strlen ("call.");
            }
          g_string_append_printf (out, "%s%s", out->str[out->len - 1] != '=' ? "," : "", type);
          if (g_str_equal (type, "ringing"))
            {
              g_assert_cmpstr (rd_test_json_string (event, "extension"), ==, extension);
              describe_ringing (out, event);
            }
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* the day's hop log without the times (34 characters), sorted */
static char *
describe_log (Fixture *f)
{
  g_auto(GStrv) lines = rd_test_live_hop_log (f->session, f->base, f->sue);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      /* DD.MM.YYYY_HH.MM_DD.MM.YYYY_HH.MM_ */
      g_assert_cmpuint (strlen (lines[i]), >, 34);
      g_assert_true (g_regex_match_simple ("^\\d\\d\\.\\d\\d\\.\\d{4}_\\d\\d\\.\\d\\d_"
                                           "\\d\\d\\.\\d\\d\\.\\d{4}_\\d\\d\\.\\d\\d_Ticket_",
                                           lines[i], 0, 0));
      g_ptr_array_add (kept, lines[i] + 34);
    }
  g_ptr_array_sort (kept, compare_strings);
  g_ptr_array_add (kept, NULL);

  return g_strjoinv ("|", (char **) kept->pdata);
}

static gboolean
events_as_expected_cb (gpointer user_data)
{
  Fixture *f = user_data;
  g_autofree char *events = describe_events (f);

  return g_strcmp0 (events, f->data->events) == 0;
}

static gboolean
settled_cb (gpointer user_data)
{
  Fixture *f = user_data;
  RdSimWebhook *webhook = rd_sim_get_webhook (f->sim);

  return f->logs >= f->data->n_ended &&
         rd_call_engine_get_n_pending_writes (f->engine) == 0 &&
         (webhook == NULL || rd_sim_webhook_get_n_pending (webhook) == 0);
}

static void
test_scenario (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_strconcat (f->data->scenario, ".scn", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("RD_SCENARIO_DIR"), basename, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RdSimScenario) scenario = rd_sim_scenario_new_from_file (file, NULL, &error);
  g_autofree char *calls = NULL;
  g_autofree char *events = NULL;
  g_autofree char *log = NULL;
  RdSimWebhook *webhook = rd_sim_get_webhook (f->sim);
  /* RD_TEST_WIRE_SHOW=1 prints what was seen, in the table's notation */
  gboolean show = g_getenv ("RD_TEST_WIRE_SHOW") != NULL;

  g_assert_no_error (error);
  g_test_message ("%s over %s: %s", f->data->scenario, wire_name, f->data->why);
  g_assert_true (rd_sim_run_scenario (f->sim, scenario, &error));
  g_assert_no_error (error);
  rd_sim_pbx_run_pending (rd_sim_get_pbx (f->sim));

  if (!rd_test_live_wait (settled_cb, f, show ? 3 : RD_TEST_LIVE_BOUND_SEC) && !show)
    g_error ("%u of %u calls ended", f->logs, f->data->n_ended);
  if (webhook != NULL)
    g_assert_cmpuint (rd_sim_webhook_get_n_failed (webhook), ==, 0);
  /* the last events may still be on their way to the clients */
  rd_test_live_wait (events_as_expected_cb, f, show ? 1 : 5);

  calls = describe_calls (f);
  events = describe_events (f);
  log = describe_log (f);
  if (show)
    {
      g_printerr ("  { \"%s\", %u,\n    \"%s\",\n    \"%s\",\n    \"%s\",\n",
                  f->data->scenario, f->logs, calls, events, log);
      return;
    }
  g_assert_cmpstr (calls, ==, f->data->calls);
  g_assert_cmpstr (events, ==, f->data->events);
  g_assert_cmpstr (log, ==, f->data->log);
  g_assert_cmpuint (f->logs, ==, f->data->n_ended);
}

/**
 * rd_test_wire_run:
 * @wire: the `[cti] links` value: smdr, exttext or generic
 * @cases: one row per scenario file
 *
 * Registers `/live/<wire>/<scenario>` for each row and runs them.
 */
int
rd_test_wire_run (int                   argc,
                  char                 *argv[],
                  const char           *wire,
                  const RdTestWireCase *cases,
                  guint                 n_cases)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  wire_name = wire;
  password_hash = rd_auth_hash_password (RD_TEST_LIVE_PASSWORD, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/live/%s/%s", wire, cases[i].scenario);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_scenario, fixture_tear_down);
    }

  return g_test_run ();
}
