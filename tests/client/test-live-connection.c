/* test-live-connection.c: RdLiveConnection against the real server and
 * against fake ones that misbehave
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestLiveConnection"

#include "config.h"

#include "rd-live-connection.h"
#include "rd-test-client.h"
#include "rd-test-window.h"

static gboolean
state_is (gpointer data)
{
  RdLiveConnection *live = data;
  RdLiveState wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (live), "wanted"));

  return rd_live_connection_get_state (live) == wanted;
}

static void
wait_state (RdLiveConnection *live,
            RdLiveState       state,
            const char       *what)
{
  g_object_set_data (G_OBJECT (live), "wanted", GINT_TO_POINTER (state));
  rd_test_spin_until (state_is, live, what);
}

/* The real server: the socket opens and subscribes; signing the session
 * out closes it with 4401, after which the client does not retry */
static void
test_server_sign_out (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTestServer) server = rd_test_server_new (&error);
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdConnection) other = NULL;
  g_autoptr(RdLiveConnection) live = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  if (server == NULL)
    {
      g_test_skip ("ringdesk-server is not built");
      return;
    }

  connection = rd_test_sign_in (rd_test_server_get_url (server));
  live = rd_live_connection_new ();
  rd_live_connection_set_extension (live, RD_TEST_EXTENSION);
  rd_live_connection_set_connection (live, connection);
  g_assert_cmpint (rd_live_connection_get_state (live), ==, RD_LIVE_STATE_CONNECTING);
  wait_state (live, RD_LIVE_STATE_CONNECTED, "the live events");
  g_assert_null (rd_live_connection_get_reason (live));

  /* The same session, signed out from elsewhere */
  other = rd_connection_new (rd_test_server_get_url (server), &error);
  g_assert_no_error (error);
  rd_connection_set_token (other, rd_connection_get_token (connection));
  rd_connection_sign_out_async (other, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  g_assert_true (rd_connection_sign_out_finish (other, result, &error));
  g_assert_no_error (error);

  wait_state (live, RD_LIVE_STATE_OFFLINE, "the socket to close");
  g_assert_nonnull (rd_live_connection_get_reason (live));
  g_assert_nonnull (strstr (rd_live_connection_get_reason (live), "session"));

  /* Sign-out here stops it for good */
  rd_live_connection_set_connection (live, NULL);
  g_assert_cmpint (rd_live_connection_get_state (live), ==, RD_LIVE_STATE_OFFLINE);
}

/* A live connection for @extension to a port where nothing listens */
static RdLiveConnection *
live_to_nowhere (const char *extension)
{
  g_autofree char *url = rd_test_unreachable_url ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConnection) connection = rd_connection_new (url, &error);
  RdLiveConnection *live = rd_live_connection_new ();

  g_assert_no_error (error);
  rd_connection_set_token (connection, "not-a-real-token");
  rd_live_connection_set_extension (live, extension);
  rd_live_connection_set_connection (live, connection);

  return live;
}

/* Nothing listens: offline, and each failure doubles the wait */
static void
test_backoff (void)
{
  g_autoptr(RdLiveConnection) live = live_to_nowhere (RD_TEST_EXTENSION);

  wait_state (live, RD_LIVE_STATE_OFFLINE, "the first failure");
  g_assert_nonnull (rd_live_connection_get_reason (live));
  g_assert_cmpuint (rd_live_connection_get_retry_delay (live), ==, 2);

  wait_state (live, RD_LIVE_STATE_CONNECTING, "the first retry");
  wait_state (live, RD_LIVE_STATE_OFFLINE, "the second failure");
  g_assert_cmpuint (rd_live_connection_get_retry_delay (live), ==, 4);

  /* A reconnect by hand starts the backoff over */
  rd_live_connection_reconnect (live);
  wait_state (live, RD_LIVE_STATE_OFFLINE, "the third failure");
  g_assert_cmpuint (rd_live_connection_get_retry_delay (live), ==, 2);
}

/* Without an extension there is nothing to subscribe to: it says so */
static void
test_no_extension (void)
{
  g_autoptr(RdLiveConnection) live = live_to_nowhere (NULL);
  g_assert_cmpint (rd_live_connection_get_state (live), ==, RD_LIVE_STATE_OFFLINE);
  g_assert_nonnull (strstr (rd_live_connection_get_reason (live), "extension"));
}

typedef struct
{
  SoupWebsocketConnection *websocket;
  char                   **subscribed;
} FakeHub;

static void
fake_message_cb (SoupWebsocketConnection *websocket,
                 SoupWebsocketDataType    type,
                 GBytes                  *message,
                 FakeHub                 *hub)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdEvent) event = rd_event_new (RD_EVENT_CALL_RINGING);
  g_autoptr(RdCall) call = rd_call_new ("7");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  g_autofree char *ack = NULL;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  g_assert_true (rd_event_parse_subscribe (data, length, &hub->subscribed, &error));
  g_assert_no_error (error);

  rd_call_set_from (call, "612345678");
  rd_call_set_started_at (call, now);
  rd_event_set_at (event, now);
  rd_event_set_extension (event, RD_TEST_EXTENSION);
  rd_event_set_call (event, call);
  text = rd_codec_to_json_string (RD_CODEC (event));

  ack = rd_event_build_subscribed ((const char * const *) hub->subscribed);

  /* What a broken or newer server might send, then the acknowledgement and one good event */
  soup_websocket_connection_send_text (websocket, "{\"type\":\"subscribed\",\"extensions\":\"201\"}");
  soup_websocket_connection_send_text (websocket, "{\"type\":\"subscribed\"}");
  soup_websocket_connection_send_text (websocket, "{\"type\":\"subscribed\",\"extensions\":[\"999\"]}");
  soup_websocket_connection_send_text (websocket, ack);
  soup_websocket_connection_send_text (websocket, "not json");
  soup_websocket_connection_send_text (websocket, "{\"type\":\"call.ringing\",\"call\":42}");
  soup_websocket_connection_send_text (websocket, "[]");
  soup_websocket_connection_send_binary (websocket, "\x01\x02", 2);
  soup_websocket_connection_send_text (websocket, text);
  soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                   "Not allowed: extension 201");
}

static void
fake_websocket_cb (SoupServer              *soup_server,
                   SoupServerMessage       *message,
                   const char              *path,
                   SoupWebsocketConnection *websocket,
                   gpointer                 user_data)
{
  FakeHub *hub = user_data;
  const char *authorization;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                "Authorization");
  g_assert_cmpstr (authorization, ==, "Bearer the-token");

  hub->websocket = g_object_ref (websocket);
  g_signal_connect (websocket, "message", G_CALLBACK (fake_message_cb), hub);
}

static void
count_event_cb (RdLiveConnection *live,
                RdEvent          *event,
                GPtrArray        *events)
{
  g_ptr_array_add (events, g_object_ref (event));
}

static void
record_state_cb (RdLiveConnection *live,
                 GParamSpec       *pspec,
                 GArray           *states)
{
  int state = rd_live_connection_get_state (live);

  g_array_append_val (states, state);
}

/* Malformed messages are dropped without a critical; the good event
 * arrives; a policy close stops the retries with the server's reason */
static void
test_bad_messages (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdLiveConnection) live = rd_live_connection_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *url = NULL;
  FakeHub hub = { NULL, NULL };
  RdEvent *event;

  soup_server_add_websocket_handler (soup_server, RD_API_PATH_EVENTS, NULL, NULL,
                                     fake_websocket_cb, &hub, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  url = rd_test_fake_server_url (soup_server, "");

  connection = rd_connection_new (url, &error);
  g_assert_no_error (error);
  rd_connection_set_token (connection, "the-token");
  g_signal_connect (live, "event", G_CALLBACK (count_event_cb), events);
  g_signal_connect (live, "notify::state", G_CALLBACK (record_state_cb), states);
  rd_live_connection_set_extension (live, RD_TEST_EXTENSION);
  rd_live_connection_set_connection (live, connection);

  wait_state (live, RD_LIVE_STATE_OFFLINE, "the policy close");

  /* connecting, connected on the acknowledgement (not on the bad ones), offline */
  g_assert_cmpuint (states->len, ==, 3);
  g_assert_cmpint (g_array_index (states, int, 0), ==, RD_LIVE_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (states, int, 1), ==, RD_LIVE_STATE_CONNECTED);
  g_assert_cmpint (g_array_index (states, int, 2), ==, RD_LIVE_STATE_OFFLINE);

  g_assert_nonnull (hub.subscribed);
  g_assert_cmpuint (g_strv_length (hub.subscribed), ==, 1);
  g_assert_cmpstr (hub.subscribed[0], ==, RD_TEST_EXTENSION);

  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (rd_event_get_event_type (event), ==, RD_EVENT_CALL_RINGING);
  g_assert_cmpstr (rd_call_get_id (rd_event_get_call (event)), ==, "7");
  g_assert_cmpstr (rd_call_get_from (rd_event_get_call (event)), ==, "612345678");
  g_assert_nonnull (strstr (rd_live_connection_get_reason (live), "Not allowed"));

  g_signal_handlers_disconnect_by_data (live, states);
  rd_live_connection_set_connection (live, NULL);
  g_clear_object (&hub.websocket);
  g_strfreev (hub.subscribed);
}

int
main (int   argc,
      char *argv[])
{
  rd_test_init_keyring ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/server-sign-out", test_server_sign_out);
  g_test_add_func ("/live/backoff", test_backoff);
  g_test_add_func ("/live/no-extension", test_no_extension);
  g_test_add_func ("/live/bad-messages", test_bad_messages);

  return g_test_run ();
}
