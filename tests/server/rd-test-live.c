/* rd-test-live.c: WebSocket clients and bounded waits for the live tests
 * and the live benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestLive"

#include "config.h"

#include <string.h>

#include "rd-test-live.h"

static gboolean
bound_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * rd_test_live_wait:
 * @bound_sec: a guard against hangs, not a time limit on the code
 *
 * Runs the main loop until @condition holds.
 *
 * Returns: %FALSE when the guard expired first
 */
gboolean
rd_test_live_wait (RdTestCondition condition,
                   gpointer        user_data,
                   guint           bound_sec)
{
  gboolean expired = FALSE;
  guint bound = g_timeout_add_seconds (bound_sec, bound_cb, &expired);

  while (!condition (user_data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (bound);

  return !expired;
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
} Connect;

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Connect *connect = user_data;

  connect->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                         &connect->error);
  connect->done = TRUE;
}

static void
message_cb (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            RdTestWs                *ws)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) acked = NULL;
  gint64 arrived = g_get_monotonic_time ();
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  JsonObject *object;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  /* the server acknowledges the subscribe once it is in place */
  if (rd_event_parse_subscribed (data, (gssize) length, &acked, NULL))
    {
      ws->subscribed = TRUE;
      return;
    }
  object = rd_json_parse_object (data, (gssize) length, &error);
  g_assert_no_error (error);
  if (ws->func != NULL)
    {
      ws->func (object, arrived, ws->func_data);
      json_object_unref (object);
    }
  else
    {
      g_ptr_array_add (ws->messages, object);
    }
}

static void
closed_cb (SoupWebsocketConnection *conn,
           RdTestWs                *ws)
{
  ws->closed = TRUE;
}

/**
 * rd_test_ws_connect:
 * @extension: (nullable): the extension to subscribe to
 *
 * Returns: (transfer full): a connected client; the subscribe is sent (see
 *   rd_test_ws_wait_subscribed() for its acknowledgement)
 */
RdTestWs *
rd_test_ws_connect (SoupSession *session,
                    const char  *base,
                    const char  *token,
                    const char  *extension)
{
  g_autofree char *http = g_strconcat (base, RD_API_PATH_EVENTS + 1, NULL);
  g_autofree char *uri = g_strconcat ("ws", http + strlen ("http"), NULL);
  g_autofree char *value = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  Connect connect = { 0 };
  RdTestWs *ws;

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, &connect);
  while (!connect.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (connect.error);

  ws = g_new0 (RdTestWs, 1);
  ws->conn = connect.conn;
  ws->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_signal_connect (ws->conn, "message", G_CALLBACK (message_cb), ws);
  g_signal_connect (ws->conn, "closed", G_CALLBACK (closed_cb), ws);

  if (extension != NULL)
    {
      const char *extensions[] = { extension, NULL };
      g_autofree char *text = rd_event_build_subscribe (extensions);

      soup_websocket_connection_send_text (ws->conn, text);
    }

  return ws;
}

void
rd_test_ws_free (RdTestWs *ws)
{
  g_signal_handlers_disconnect_by_data (ws->conn, ws);
  if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (ws->conn);
  g_ptr_array_unref (ws->messages);
  g_free (ws);
}

static gboolean
all_subscribed_cb (gpointer user_data)
{
  GPtrArray *clients = user_data;

  for (guint i = 0; i < clients->len; i++)
    if (!((RdTestWs *) g_ptr_array_index (clients, i))->subscribed)
      return FALSE;

  return TRUE;
}

/* Waits until the server acknowledged the subscription of every client of @clients. */
void
rd_test_ws_wait_subscribed (GPtrArray *clients)
{
  if (!rd_test_live_wait (all_subscribed_cb, clients, RD_TEST_LIVE_BOUND_SEC))
    g_error ("Timed out waiting for %u subscriptions", clients->len);
}

/* The members of the server's replies, through the type-checked getters:
 * %NULL when missing, null or of another type. */
const char *
rd_test_json_string (JsonObject *object,
                     const char *member)
{
  const char *value = NULL;

  if (object != NULL)
    rd_json_get_string (object, member, RD_JSON_NULLABLE, &value, NULL);
  return value;
}

JsonObject *
rd_test_json_object (JsonObject *object,
                     const char *member)
{
  JsonObject *value = NULL;

  if (object != NULL)
    rd_json_get_object (object, member, RD_JSON_NULLABLE, &value, NULL);
  return value;
}

JsonArray *
rd_test_json_array (JsonObject *object,
                    const char *member)
{
  JsonArray *value = NULL;

  if (object != NULL)
    rd_json_get_array (object, member, RD_JSON_NULLABLE, &value, NULL);
  return value;
}

/**
 * rd_test_live_stop:
 *
 * Stops and frees the daemon, closes and frees the simulator, lets closing
 * sockets finish, and removes the data dir @dir (freed).
 */
void
rd_test_live_stop (RdDaemon **daemon,
                   RdSim    **sim,
                   RdConfig **config,
                   char     **dir)
{
  rd_daemon_stop (*daemon);
  g_clear_object (daemon);
  rd_sim_close (*sim);
  g_clear_object (sim);
  g_clear_object (config);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  rd_test_remove_tree (*dir);
  g_clear_pointer (dir, g_free);
}

static gboolean
matches (JsonObject *object,
         const char *type,
         const char *call_id)
{
  if (g_strcmp0 (rd_test_json_string (object, "type"), type) != 0)
    return FALSE;
  if (call_id == NULL)
    return TRUE;

  return g_strcmp0 (rd_test_json_string (rd_test_json_object (object, "call"), "id"), call_id) == 0;
}

/**
 * rd_test_ws_find:
 * @call_id: (nullable): the call's id, or any call
 *
 * Returns: (transfer none) (nullable): the first message of @type
 */
JsonObject *
rd_test_ws_find (RdTestWs   *ws,
                 const char *type,
                 const char *call_id)
{
  for (guint i = 0; i < ws->messages->len; i++)
    if (matches (g_ptr_array_index (ws->messages, i), type, call_id))
      return g_ptr_array_index (ws->messages, i);

  return NULL;
}

guint
rd_test_ws_count (RdTestWs   *ws,
                  const char *type,
                  const char *call_id)
{
  guint n = 0;

  for (guint i = 0; i < ws->messages->len; i++)
    if (matches (g_ptr_array_index (ws->messages, i), type, call_id))
      n++;

  return n;
}

typedef struct
{
  RdTestWs   *ws;
  const char *type;
  const char *call_id;
} Want;

static gboolean
has_cb (gpointer user_data)
{
  Want *want = user_data;

  return rd_test_ws_find (want->ws, want->type, want->call_id) != NULL || want->ws->closed;
}

/* Waits for a message of @type (of @call_id when given); fails after the bound. */
void
rd_test_ws_wait_for (RdTestWs   *ws,
                     const char *type,
                     const char *call_id)
{
  Want want = { ws, type, call_id };

  if (!rd_test_live_wait (has_cb, &want, RD_TEST_LIVE_BOUND_SEC))
    g_error ("Timed out waiting for %s", type);
  g_assert_nonnull (rd_test_ws_find (ws, type, call_id));
}

/**
 * rd_test_live_request:
 * @token: (nullable): the bearer token
 * @json: (nullable): the request body
 * @status: the status the request must get
 *
 * Returns: (transfer full): the reply's body; fails the test on another status
 */
char *
rd_test_live_request (SoupSession *session,
                      const char  *base,
                      const char  *method,
                      const char  *path,
                      const char  *token,
                      const char  *json,
                      guint        status)
{
  RdTestReply reply;
  char *body;

  rd_test_request (session, base, method, path, token, json, &reply);
  if (reply.status != status)
    g_error ("%s %s: %u %s", method, path, reply.status, reply.body);
  body = g_steal_pointer (&reply.body);
  rd_test_reply_clear (&reply);

  return body;
}

/* Returns: (transfer full): the object GET @path answers with 200 */
JsonObject *
rd_test_live_get_object (SoupSession *session,
                         const char  *base,
                         const char  *token,
                         const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = rd_test_live_request (session, base, "GET", path, token, NULL, 200);
  JsonObject *object = rd_json_parse_object (body, -1, &error);

  g_assert_no_error (error);
  return object;
}

/* Returns: (transfer full): the lines of today's hop log (GET /calls/log.txt) */
GStrv
rd_test_live_hop_log (SoupSession *session,
                      const char  *base,
                      const char  *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *path = g_strconcat ("/api/v1/calls/log.txt?date=", date, NULL);
  g_autofree char *body = rd_test_live_request (session, base, "GET", path, token, NULL, 200);

  g_strchomp (body);
  return g_strsplit (body, "\n", -1);
}

/* agents 201–204 and technicians 731–733: the users of the live tests */
const RdTestLiveUser rd_test_live_users[RD_TEST_LIVE_N_USERS] = {
  { "ana", RD_ROLE_AGENT, "201" },
  { "bea", RD_ROLE_AGENT, "202" },
  { "cid", RD_ROLE_AGENT, "203" },
  { "dan", RD_ROLE_AGENT, "204" },
  { "tim", RD_ROLE_TECHNICIAN, "731" },
  { "tom", RD_ROLE_TECHNICIAN, "732" },
  { "tia", RD_ROLE_TECHNICIAN, "733" },
};

/* Adds rd_test_live_users to @store, each with its extension. */
void
rd_test_live_add_users (RdStore    *store,
                        const char *password_hash)
{
  for (guint i = 0; i < RD_TEST_LIVE_N_USERS; i++)
    {
      const RdTestLiveUser *u = &rd_test_live_users[i];
      g_autoptr(RdUser) user = rd_user_new (u->username);
      g_autoptr(GError) error = NULL;
      const char *roles[] = { u->role, NULL };

      rd_user_set_roles (user, roles);
      rd_user_set_extension (user, u->extension);
      g_assert_true (rd_store_add_user (store, user, password_hash, &error));
      g_assert_no_error (error);
    }
}

/**
 * rd_test_live_new_sim:
 * @ext_text: (nullable): the folder the simulator writes ExtText files to
 *
 * Returns: (transfer full): a simulated PBX with stations 201–204, 600 and
 *   731–733 and trunks 01–04, its clock stopped, listening on 127.0.0.1
 *   (ephemeral ports)
 */
RdSim *
rd_test_live_new_sim (const char *ext_text)
{
  g_autoptr(GError) error = NULL;
  const char *stations[] = { "201", "202", "203", "204", "600", "731", "732", "733", NULL };
  const char *trunks[] = { "01", "02", "03", "04", NULL };
  RdSim *sim = rd_sim_new ();

  rd_sim_pbx_set_time_scale (rd_sim_get_pbx (sim), 0);
  rd_sim_set_devices (sim, stations, trunks);
  if (ext_text != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (ext_text);

      rd_sim_set_ext_text (sim, folder);
    }
  g_assert_true (rd_sim_listen (sim, "127.0.0.1", 0, 0, &error));
  g_assert_no_error (error);

  return sim;
}
