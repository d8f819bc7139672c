/* test-events.c: the live event WebSocket of an in-process server on
 * 127.0.0.1:0, driven by real SoupSession WebSocket clients and raw sockets,
 * on a real sqlite file in a temp dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestEvents"

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-event-hub.h"
#include "rd-server.h"
#include "rd-test-http.h"
#include "rd-ws-output-stream.h"

#define PASSWORD RD_TEST_PASSWORD

typedef struct
{
  char        *dir;
  RdStore     *store;
  RdAuth      *auth;
  RdMetrics   *metrics;
  RdServer    *server;
  RdEventHub  *hub;
  SoupSession *session;
  char        *base;
  char        *ana;   /* agent, extension 732 */
  char        *bob;   /* agent, no extension */
  char        *tim;   /* technician, extension 731 */
  char        *sue;   /* supervisor */
} Fixture;

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *messages;   /* char*, events only */
  guint                    n_acks;     /* "subscribed" acknowledgements */
  char                   **acked;      /* the extensions of the last one */
  gboolean                 closed;
  gushort                  close_code;
  char                    *close_reason;
} Client;

/* fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const RdTestUser users[] = {
    { "ana", RD_ROLE_AGENT, "732", &f->ana },
    { "bob", RD_ROLE_AGENT, NULL, &f->bob },
    { "tim", RD_ROLE_TECHNICIAN, "731", &f->tim },
    { "sue", RD_ROLE_SUPERVISOR, NULL, &f->sue },
  };

  f->dir = g_dir_make_tmp ("rd-events-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "ringdesk.db", NULL);
  f->store = rd_store_new (path);
  g_assert_true (rd_store_open (f->store, &error));
  g_assert_no_error (error);

  f->auth = rd_auth_new (f->store, 3600);
  f->metrics = rd_metrics_new ();
  f->server = rd_server_new (f->auth, f->metrics, 1024 * 1024);
  f->hub = rd_event_hub_new (f->server);
  g_assert_true (rd_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  f->base = rd_server_get_uri (f->server);
  f->session = soup_session_new ();
  rd_test_add_users (f->store, f->session, f->base, users, G_N_ELEMENTS (users));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->hub);
  rd_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->metrics);
  g_clear_object (&f->auth);
  g_clear_object (&f->store);
  /* let closing sockets finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->ana);
  g_free (f->bob);
  g_free (f->tim);
  g_free (f->sue);
}

/* WebSocket clients through SoupSession */

static char *
events_uri (Fixture    *f,
            const char *query)
{
  g_autofree char *path = g_strconcat (f->base, RD_API_PATH_EVENTS + 1, query, NULL);

  /* ws://HOST:PORT/api/v1/events */
  return g_strconcat ("ws", path + strlen ("http"), NULL);
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

/* Connects; returns the message so the caller can read the status. */
static SoupMessage *
ws_connect (Fixture                  *f,
            const char               *token,
            gboolean                  in_query,
            SoupWebsocketConnection **conn,
            GError                  **error)
{
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  SoupMessage *msg;
  Connect connect = { 0 };

  if (token != NULL && in_query)
    query = g_strdup_printf ("?token=%s", token);
  uri = events_uri (f, query);
  msg = soup_message_new ("GET", uri);
  g_assert_nonnull (msg);
  if (token != NULL && !in_query)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }

  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, &connect);
  while (!connect.done)
    g_main_context_iteration (NULL, TRUE);

  *conn = connect.conn;
  if (connect.error != NULL)
    g_propagate_error (error, connect.error);

  return msg;
}

static void
client_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   Client                  *client)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  g_auto(GStrv) acked = NULL;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  if (rd_event_parse_subscribed (data, (gssize) length, &acked, NULL))
    {
      g_strfreev (client->acked);
      client->acked = g_steal_pointer (&acked);
      client->n_acks++;
      return;
    }
  g_ptr_array_add (client->messages, g_strndup (data, length));
}

static void
client_closed_cb (SoupWebsocketConnection *conn,
                  Client                  *client)
{
  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (conn);
  client->close_reason = g_strdup (soup_websocket_connection_get_close_data (conn));
}

static Client *
client_new (Fixture    *f,
            const char *token)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  msg = ws_connect (f, token, FALSE, &client->conn, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_SWITCHING_PROTOCOLS);
  client->messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (client->conn, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (client_closed_cb), client);

  return client;
}

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->conn, client);
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (client->conn);
  g_ptr_array_unref (client->messages);
  g_strfreev (client->acked);
  g_free (client->close_reason);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
client_send (Client     *client,
             const char *text)
{
  soup_websocket_connection_send_text (client->conn, text);
}

/* Subscribes and waits for the hub's acknowledgement, which comes once the
 * subscription holds: events published from then on reach @client. */
static void
client_subscribe (Fixture            *f,
                  Client             *client,
                  const char * const *extensions)
{
  g_autofree char *text = rd_event_build_subscribe (extensions);
  guint before = client->n_acks;

  client_send (client, text);
  while (client->n_acks == before && !client->closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (client->closed);
  g_assert_cmpstrv (client->acked, extensions);
  for (guint i = 0; extensions[i] != NULL; i++)
    g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, extensions[i]), >, 0);
}

static void
wait_messages (Client *client,
               guint   n)
{
  while (client->messages->len < n && !client->closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (client->messages->len, >=, n);
}

static void
wait_closed (Client *client)
{
  while (!client->closed)
    g_main_context_iteration (NULL, TRUE);
}

static RdEvent *
make_event (const char *type,
            const char *extension,
            const char *text)
{
  RdEvent *event = rd_event_new (type);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  rd_event_set_at (event, now);
  rd_event_set_extension (event, extension);
  rd_event_set_text (event, text);

  return event;
}

static void
publish (Fixture            *f,
         const char         *type,
         const char         *extension,
         const char         *text,
         const char * const *to)
{
  g_autoptr(RdEvent) event = make_event (type, extension, text);

  rd_event_hub_publish (f->hub, event, to);
}

/* Checks message @i of @client: the event type and its text. */
static void
assert_message (Client     *client,
                guint       i,
                const char *type,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *got_type = NULL;
  const char *got_text = NULL;

  g_assert_cmpuint (client->messages->len, >, i);
  object = rd_json_parse_object (g_ptr_array_index (client->messages, i), -1, &error);
  g_assert_no_error (error);
  g_assert_true (rd_json_get_string (object, "type", RD_JSON_REQUIRED, &got_type, NULL));
  g_assert_true (rd_json_get_string (object, "text", RD_JSON_REQUIRED, &got_text, NULL));
  g_assert_cmpstr (got_type, ==, type);
  g_assert_cmpstr (got_text, ==, text);
}

/* raw sockets, for peers that misbehave */

typedef struct
{
  GSocketConnection *conn;
  GByteArray        *input;
  gboolean           eof;
} Raw;

static void
raw_free (Raw *raw)
{
  g_io_stream_close (G_IO_STREAM (raw->conn), NULL, NULL);
  g_object_unref (raw->conn);
  g_byte_array_unref (raw->input);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

typedef struct
{
  gssize  n;
  GError *error;
  gboolean done;
} Read;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Read *read = user_data;

  read->n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &read->error);
  read->done = TRUE;
}

/* Reads what comes next (spinning the loop: the server is in this thread). */
static void
raw_read_some (Raw *raw)
{
  guint8 buffer[4096];
  Read read = { 0 };
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (raw->conn));

  g_input_stream_read_async (input, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL, read_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);

  if (read.error != NULL)
    {
      g_test_message ("raw read: %s", read.error->message);
      g_error_free (read.error);
      raw->eof = TRUE;
      return;
    }
  if (read.n == 0)
    raw->eof = TRUE;
  g_byte_array_append (raw->input, buffer, (guint) MAX (read.n, 0));
}

static void
raw_write (Raw          *raw,
           const guint8 *data,
           gsize         length)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (raw->conn));

  /* small writes: the kernel takes them without the server reading */
  g_assert_true (g_output_stream_write_all (output, data, length, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* One masked client frame. */
static void
raw_send_frame (Raw        *raw,
                guint8      opcode,
                const char *text)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  gsize length = strlen (text);
  guint8 header[2] = { 0x80 | opcode, 0x80 | (guint8) length };

  g_assert_cmpuint (length, <, 126);
  g_byte_array_append (frame, header, 2);
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = (guint8) text[i] ^ mask[i % 4];
      g_byte_array_append (frame, &byte, 1);
    }
  raw_write (raw, frame->data, frame->len);
}

/* Takes the next whole frame from @raw's input; returns its opcode, or -1. */
static int
raw_next_frame (Raw *raw)
{
  while (!raw->eof)
    {
      guint8 *data = raw->input->data;
      gsize have = raw->input->len;
      gsize header = 2;
      guint64 length;

      if (have >= 2)
        {
          length = data[1] & 0x7f;
          if (length == 126)
            header = 4;
          else if (length == 127)
            header = 10;
          if (have >= header)
            {
              if (length == 126)
                length = ((guint64) data[2] << 8) | data[3];
              else if (length == 127)
                {
                  length = 0;
                  for (guint i = 2; i < 10; i++)
                    length = (length << 8) | data[i];
                }
              g_assert_cmpuint (data[1] & 0x80, ==, 0);   /* servers do not mask */
              if (have >= header + length)
                {
                  int opcode = data[0] & 0x0f;

                  g_byte_array_remove_range (raw->input, 0, (guint) (header + length));
                  return opcode;
                }
            }
        }
      raw_read_some (raw);
    }

  return -1;
}

/* Connects, upgrades with @token and subscribes to @extension. @rcvbuf > 0
 * makes the socket's receive buffer small. */
static Raw *
raw_new (Fixture    *f,
         const char *token,
         const char *extension,
         int         rcvbuf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = NULL;
  const char *exts[] = { extension, NULL };
  g_autofree char *subscribe = rd_event_build_subscribe (exts);
  Raw *raw = g_new0 (Raw, 1);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  if (rcvbuf > 0)
    g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error));
  address = g_inet_socket_address_new (loopback, (guint16) g_uri_get_port (uri));
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);
  raw->conn = g_socket_connection_factory_create_connection (socket);
  raw->input = g_byte_array_new ();

  request = g_strdup_printf ("GET %s HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n"
                             "Authorization: Bearer %s\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n",
                             RD_API_PATH_EVENTS, token);
  raw_write (raw, (const guint8 *) request, strlen (request));

  /* the 101 and its headers */
  while (!raw->eof &&
         (raw->input->len == 0 ||
          g_strstr_len ((const char *) raw->input->data, raw->input->len, "\r\n\r\n") == NULL))
    raw_read_some (raw);
  g_assert_false (raw->eof);
  g_assert_true (g_str_has_prefix ((const char *) raw->input->data, "HTTP/1.1 101"));
  {
    const char *end = g_strstr_len ((const char *) raw->input->data, raw->input->len, "\r\n\r\n");
    g_byte_array_remove_range (raw->input, 0, (guint) (end + 4 - (const char *) raw->input->data));
  }

  if (extension != NULL)
    {
      guint before = rd_event_hub_get_n_subscribers (f->hub, extension);

      raw_send_frame (raw, 0x1, subscribe);
      /* the acknowledgement, sent once the subscription holds */
      g_assert_cmpint (raw_next_frame (raw), ==, 0x1);
      g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, extension), >, before);
    }

  return raw;
}

static void
wait_n_clients (Fixture *f,
                guint    n)
{
  while (rd_event_hub_get_n_clients (f->hub) != n)
    g_main_context_iteration (NULL, TRUE);
}

/* tests */

static void
test_auth_before_upgrade (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) bad = NULL;
  g_autoptr(SoupMessage) good = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  RdTestReply reply;

  /* no token: 401, no upgrade */
  msg = ws_connect (f, NULL, FALSE, &conn, &error);
  g_assert_error (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET);
  g_assert_null (conn);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Upgrade"));
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                               "Sec-WebSocket-Accept"));
  g_clear_error (&error);

  /* a bad token in the query: the same */
  bad = ws_connect (f, "not-a-token", TRUE, &conn, &error);
  g_assert_error (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET);
  g_assert_cmpuint (soup_message_get_status (bad), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (bad), "Upgrade"));
  g_clear_error (&error);
  g_assert_cmpuint (rd_event_hub_get_n_clients (f->hub), ==, 0);

  /* the 401 is the JSON error of API.md */
  rd_test_request (f->session, f->base, "GET", RD_API_PATH_EVENTS, NULL, NULL, &reply);
  rd_test_assert_error (&reply, 401, "unauthorized");
  rd_test_reply_clear (&reply);

  /* a token but no WebSocket handshake */
  rd_test_request (f->session, f->base, "GET", RD_API_PATH_EVENTS, f->ana, NULL, &reply);
  rd_test_assert_error (&reply, 422, "invalid_field");
  rd_test_reply_clear (&reply);

  /* ?token= is accepted here */
  good = ws_connect (f, f->ana, TRUE, &conn, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (good), ==, SOUP_STATUS_SWITCHING_PROTOCOLS);
  wait_n_clients (f, 1);
  soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  wait_n_clients (f, 0);

  /* one user may hold only so many sockets: more are refused before the upgrade */
  rd_event_hub_set_max_per_user (f->hub, 2);
  {
    g_autoptr(Client) one = client_new (f, f->ana);
    g_autoptr(Client) two = client_new (f, f->ana);
    g_autoptr(Client) other = client_new (f, f->bob);
    g_autoptr(SoupMessage) third = NULL;
    g_autoptr(SoupWebsocketConnection) refused = NULL;

    wait_n_clients (f, 3);
    third = ws_connect (f, f->ana, FALSE, &refused, &error);
    g_assert_error (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET);
    g_assert_null (refused);
    g_assert_cmpuint (soup_message_get_status (third), ==, 429);
    g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (third), "Upgrade"));
    g_clear_error (&error);
    g_assert_cmpuint (rd_event_hub_get_n_clients (f->hub), ==, 3);
  }
  wait_n_clients (f, 0);

  /* but not on the other routes */
  rd_test_request (f->session, f->base, "GET", RD_API_PATH_ME "?token=x", NULL, NULL, &reply);
  rd_test_assert_error (&reply, 401, "unauthorized");
  rd_test_reply_clear (&reply);
}

static void
test_routing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Client) ana = client_new (f, f->ana);
  g_autoptr(Client) tim = client_new (f, f->tim);
  g_autoptr(Client) sue = client_new (f, f->sue);
  g_autoptr(Client) bob = client_new (f, f->bob);
  const char *ana_ext[] = { "732", NULL };
  const char *tim_ext[] = { "731", NULL };
  const char *all[] = { "*", NULL };
  const char *bob_ext[] = { "731", "732", NULL };
  const char *to_ana[] = { "732", NULL };
  const char *to_both[] = { "732", "731", NULL };
  const char *to_tim[] = { "731", NULL };

  client_subscribe (f, ana, ana_ext);
  client_subscribe (f, tim, tim_ext);
  client_subscribe (f, sue, all);
  client_subscribe (f, bob, bob_ext);   /* no extension in his profile: any */

  /* ringing only to the rung extension (and "*") */
  publish (f, RD_EVENT_CALL_RINGING, "732", "one", to_ana);
  /* answered to every rung one; bob, on both, gets it once */
  publish (f, RD_EVENT_CALL_ANSWERED, "732", "two", to_both);
  /* to nobody's extension: only "*" */
  publish (f, RD_EVENT_SLA_AT_RISK, NULL, "three", NULL);
  publish (f, RD_EVENT_CALL_ENDED, "731", "four", to_tim);

  wait_messages (ana, 2);
  wait_messages (tim, 2);
  wait_messages (sue, 4);
  wait_messages (bob, 3);

  assert_message (ana, 0, RD_EVENT_CALL_RINGING, "one");
  assert_message (ana, 1, RD_EVENT_CALL_ANSWERED, "two");
  /* tim's first message is "two": "one" never came */
  assert_message (tim, 0, RD_EVENT_CALL_ANSWERED, "two");
  assert_message (tim, 1, RD_EVENT_CALL_ENDED, "four");
  assert_message (sue, 0, RD_EVENT_CALL_RINGING, "one");
  assert_message (sue, 1, RD_EVENT_CALL_ANSWERED, "two");
  assert_message (sue, 2, RD_EVENT_SLA_AT_RISK, "three");
  assert_message (sue, 3, RD_EVENT_CALL_ENDED, "four");
  assert_message (bob, 0, RD_EVENT_CALL_RINGING, "one");
  assert_message (bob, 1, RD_EVENT_CALL_ANSWERED, "two");
  assert_message (bob, 2, RD_EVENT_CALL_ENDED, "four");

  /* a new subscribe replaces the old one */
  client_subscribe (f, bob, tim_ext);
  g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, "731"), ==, 2);
  g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, "732"), ==, 1);
  publish (f, RD_EVENT_CALL_RINGING, "732", "five", to_ana);
  publish (f, RD_EVENT_CALL_RINGING, "731", "six", to_tim);
  wait_messages (bob, 4);
  assert_message (bob, 3, RD_EVENT_CALL_RINGING, "six");
  wait_messages (ana, 3);
  assert_message (ana, 2, RD_EVENT_CALL_RINGING, "five");
  g_assert_cmpuint (ana->messages->len, ==, 3);
}

/* Sends @text as @token's first message; the hub must close with @code. */
static void
expect_refused (Fixture    *f,
                const char *token,
                const char *text,
                gboolean    binary,
                gushort     code,
                const char *reason_part)
{
  g_autoptr(Client) client = client_new (f, token);

  if (binary)
    soup_websocket_connection_send_binary (client->conn, text, strlen (text));
  else
    client_send (client, text);
  wait_closed (client);
  g_test_message ("closed %u: %s", client->close_code, client->close_reason);
  g_assert_cmpuint (client->close_code, ==, code);
  g_assert_nonnull (client->close_reason);
  g_assert_true (g_utf8_validate (client->close_reason, -1, NULL));
  g_assert_cmpuint (strlen (client->close_reason), <=, 123);
  g_assert_nonnull (strstr (client->close_reason, reason_part));
  g_assert_cmpuint (client->messages->len, ==, 0);
}

typedef struct
{
  const char *user;      /* ana, bob, tim or sue */
  const char *text;
  gboolean    binary;
  gushort     code;
  const char *reason_part;
} Refusal;

static const Refusal refusals[] = {
  /* "*" is for supervisors */
  { "ana", "{\"type\":\"subscribe\",\"extensions\":[\"*\"]}", FALSE,
    SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "supervisors" },
  { "bob", "{\"type\":\"subscribe\",\"extensions\":[\"*\"]}", FALSE,
    SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "supervisors" },
  /* agents and technicians with an extension: only theirs */
  { "ana", "{\"type\":\"subscribe\",\"extensions\":[\"732\",\"731\"]}", FALSE,
    SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "732" },
  { "tim", "{\"type\":\"subscribe\",\"extensions\":[\"732\"]}", FALSE,
    SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "731" },
  /* malformed messages */
  { "sue", "{\"type\":\"subscribe\"", FALSE, SOUP_WEBSOCKET_CLOSE_BAD_DATA, "Invalid message" },
  { "sue", "{\"type\":\"subscribe\",\"extensions\":\"732\"}", FALSE,
    SOUP_WEBSOCKET_CLOSE_BAD_DATA, "extensions" },
  { "sue", "{\"type\":\"unsubscribe\",\"extensions\":[\"732\"]}", FALSE,
    SOUP_WEBSOCKET_CLOSE_BAD_DATA, "unsubscribe" },
  { "sue", "{\"type\":\"subscribe\",\"extensions\":[\"7 3\"]}", FALSE,
    SOUP_WEBSOCKET_CLOSE_BAD_DATA, "extension" },
  { "sue", "[]", FALSE, SOUP_WEBSOCKET_CLOSE_BAD_DATA, "Invalid message" },
  /* the reason quotes the input: still UTF-8 when the quote cuts a character */
  { "sue", "{\"type\":\"subscribe\",\"extensions\":[\"\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\"]}",
    FALSE, SOUP_WEBSOCKET_CLOSE_BAD_DATA, "extension" },
  { "sue", "{\"type\":\"subscribe\",\"extensions\":[\"732\"]}", TRUE,
    SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA, "text" },
};

static const char *
token_of (Fixture    *f,
          const char *user)
{
  if (g_str_equal (user, "ana"))
    return f->ana;
  if (g_str_equal (user, "bob"))
    return f->bob;
  if (g_str_equal (user, "tim"))
    return f->tim;
  return f->sue;
}

static void
test_subscribe_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *long_list = NULL;
  g_autoptr(GString) many = g_string_new ("{\"type\":\"subscribe\",\"extensions\":[");

  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    expect_refused (f, token_of (f, refusals[i].user), refusals[i].text, refusals[i].binary,
                    refusals[i].code, refusals[i].reason_part);

  /* too many extensions */
  for (guint i = 0; i <= RD_EVENT_MAX_SUBSCRIPTIONS; i++)
    g_string_append_printf (many, "%s\"%u\"", i > 0 ? "," : "", 100 + i);
  g_string_append (many, "]}");
  long_list = g_string_free (g_steal_pointer (&many), FALSE);
  expect_refused (f, f->sue, long_list, FALSE, SOUP_WEBSOCKET_CLOSE_BAD_DATA, "items");

  /* a reason longer than a close frame holds is cut on a character */
  {
    g_autoptr(GString) name = g_string_new (NULL);
    g_autofree char *text = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append (name, "\u00e9");
    text = g_strdup_printf ("{\"type\":\"subscribe\",\"extensions\":[\"1\"],\"%s\":1}", name->str);
    expect_refused (f, f->sue, text, FALSE, SOUP_WEBSOCKET_CLOSE_BAD_DATA, "Invalid message");
  }

  /* a message over 64 KiB is not even read */
  {
    g_autoptr(Client) client = client_new (f, f->sue);
    g_autofree char *huge = g_strnfill (70000, ' ');

    client_send (client, huge);
    wait_closed (client);
    g_test_message ("huge message: closed %u", client->close_code);
    g_assert_cmpuint (client->messages->len, ==, 0);
  }

  wait_n_clients (f, 0);
  g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, "*"), ==, 0);
}

/* A peer that reads but never answers pings is closed. */
static void
test_ping_dead_peer (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = NULL;
  g_autoptr(Client) live = NULL;
  const char *all[] = { "*", NULL };
  const char *to_ana[] = { "732", NULL };
  gboolean got_ping = FALSE;
  int opcode;

  rd_event_hub_set_keepalive_interval (f->hub, 1);
  live = client_new (f, f->sue);        /* answers pings: libsoup does */
  client_subscribe (f, live, all);
  raw = raw_new (f, f->ana, "732", 0);

  /* pings come, then the close (1001) */
  while ((opcode = raw_next_frame (raw)) == 0x9)
    got_ping = TRUE;
  g_assert_true (got_ping);
  g_assert_cmpint (opcode, ==, 0x8);
  g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, "732"), ==, 0);
  wait_n_clients (f, 1);

  /* the live client is still there and served */
  g_assert_false (live->closed);
  publish (f, RD_EVENT_CALL_RINGING, "732", "after", to_ana);
  wait_messages (live, 1);
  assert_message (live, 0, RD_EVENT_CALL_RINGING, "after");
}

static guint64
metric_value (Fixture    *f,
              const char *name)
{
  g_autofree char *pattern = NULL;
  RdTestReply reply;
  const char *line;
  guint64 value;

  rd_test_request_full (f->session, f->base, "GET", RD_API_PATH_METRICS, NULL, NULL, NULL, 0, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  /* a sample line, not the HELP text */
  pattern = g_strconcat ("\n", name, NULL);
  line = strstr (reply.body, pattern);
  g_assert_nonnull (line);
  value = g_ascii_strtoull (line + strlen (pattern), NULL, 10);
  rd_test_reply_clear (&reply);

  return value;
}

/* A client that never reads is closed; a fast one gets every event. */
static void
test_slow_client (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Raw) slow = NULL;
  g_autoptr(Client) fast = NULL;
  g_autofree char *text = g_strnfill (8192, 'x');
  const char *ext[] = { "732", NULL };
  guint published = 0;
  int opcode;

  rd_event_hub_set_max_queued (f->hub, 64 * 1024);
  fast = client_new (f, f->bob);
  client_subscribe (f, fast, ext);
  slow = raw_new (f, f->ana, "732", 4096);
  g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, "732"), ==, 2);

  /* up to 80 MB: the kernel's buffers fill long before */
  while (rd_event_hub_get_n_subscribers (f->hub, "732") == 2 && published < 10000)
    {
      publish (f, RD_EVENT_NOTIFY_IM, "732", text, ext);
      published++;
      /* the fast client keeps up */
      while (fast->messages->len < published && !fast->closed)
        g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("slow client closed after %u events", published);
  g_assert_cmpuint (rd_event_hub_get_n_subscribers (f->hub, "732"), ==, 1);
  g_assert_cmpuint (metric_value (f, "ringdesk_websocket_closed_total{reason=\"slow\"} "), ==, 1);

  /* the fast one keeps receiving */
  for (guint i = 0; i < 10; i++)
    publish (f, RD_EVENT_NOTIFY_IM, "732", "later", ext);
  wait_messages (fast, published + 10);
  g_assert_false (fast->closed);
  g_assert_cmpuint (fast->messages->len, ==, published + 10);
  assert_message (fast, published + 9, RD_EVENT_NOTIFY_IM, "later");

  /* the slow one, reading at last, finds events and then the end */
  while ((opcode = raw_next_frame (slow)) == 0x1)
    ;
  g_assert_true (opcode == 0x8 || opcode == -1);
  wait_n_clients (f, 1);
}

static void
test_logout_closes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Client) ana = client_new (f, f->ana);
  g_autoptr(Client) ana2 = NULL;
  g_autoptr(Client) ana3 = NULL;
  g_autoptr(Client) ana4 = NULL;
  g_autoptr(Client) sue = client_new (f, f->sue);
  const char *ext[] = { "732", NULL };
  const char *all[] = { "*", NULL };
  g_autofree char *hash = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  RdTestReply reply;

  client_subscribe (f, ana, ext);
  client_subscribe (f, sue, all);

  rd_test_request (f->session, f->base, "DELETE", RD_API_PATH_SESSION, f->ana, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 204);
  rd_test_reply_clear (&reply);

  wait_closed (ana);
  g_assert_cmpuint (ana->close_code, ==, RD_EVENT_HUB_CLOSE_SESSION_ENDED);
  g_assert_false (sue->closed);

  /* a token that stops being valid otherwise (expired, deleted) is found by
   * the periodic check, which asks once per token: every socket of that
   * token closes, and none of another token of the same user */
  second = rd_test_sign_in (f->session, f->base, "ana", PASSWORD);
  third = rd_test_sign_in (f->session, f->base, "ana", PASSWORD);
  ana2 = client_new (f, second);
  ana3 = client_new (f, second);
  ana4 = client_new (f, third);
  client_subscribe (f, ana2, ext);
  client_subscribe (f, ana3, ext);
  client_subscribe (f, ana4, ext);
  rd_event_hub_set_keepalive_interval (f->hub, 1);
  hash = rd_auth_hash_token (second);
  g_assert_true (rd_store_delete_token (f->store, hash, NULL));
  wait_closed (ana2);
  wait_closed (ana3);
  g_assert_cmpuint (ana2->close_code, ==, RD_EVENT_HUB_CLOSE_SESSION_ENDED);
  g_assert_cmpuint (ana3->close_code, ==, RD_EVENT_HUB_CLOSE_SESSION_ENDED);
  g_assert_false (sue->closed);
  wait_n_clients (f, 2);
  g_assert_false (ana4->closed);

  /* the metrics tell */
  g_assert_cmpuint (metric_value (f, "ringdesk_websocket_clients "), ==, 2);
  g_assert_cmpuint (metric_value (f, "ringdesk_websocket_closed_total{reason=\"session\"} "), ==, 3);
  g_assert_cmpuint (metric_value (f, "ringdesk_websocket_closed_total{reason=\"slow\"} "), ==, 0);
}

/* Appends one unmasked server frame. */
static gsize
append_frame (GByteArray *stream,
              guint8      opcode,
              gsize       length)
{
  guint8 header[10] = { 0x80 | opcode };
  gsize header_len;
  gsize start = stream->len;

  if (length < 126)
    {
      header[1] = (guint8) length;
      header_len = 2;
    }
  else if (length < 65536)
    {
      header[1] = 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_len = 4;
    }
  else
    {
      header[1] = 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (8 * (7 - i)));
      header_len = 10;
    }
  g_byte_array_append (stream, header, (guint) header_len);
  g_byte_array_set_size (stream, (guint) (stream->len + length));
  memset (stream->data + start + header_len, 'x', length);

  g_assert_cmpuint (stream->len - start, ==, rd_ws_frame_size (length));
  return stream->len - start;
}

/* RdWsOutputStream counts data frames exactly, whatever the write sizes. */
static void
test_frame_counting (void)
{
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  const gsize chunks[] = { 1, 2, 3, 7, 13, 125, 4096, 65537 };
  gsize data = 0;

  data += append_frame (frames, 0x1, 5);
  append_frame (frames, 0x9, 0);           /* ping */
  data += append_frame (frames, 0x1, 300);
  append_frame (frames, 0xA, 4);           /* pong */
  data += append_frame (frames, 0x2, 70000);
  data += append_frame (frames, 0x1, 125);
  data += append_frame (frames, 0x1, 126);
  append_frame (frames, 0x8, 20);          /* close */

  for (gsize c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
      g_autoptr(GOutputStream) counter = rd_ws_output_stream_new (memory);
      g_autoptr(GError) error = NULL;
      gsize offset = 0;

      g_assert_true (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (counter)));
      while (offset < frames->len)
        {
          gsize n = MIN (chunks[c], frames->len - offset);
          gssize wrote = (c % 2 == 0)
            ? g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (counter),
                                                          frames->data + offset, n, NULL, &error)
            : g_output_stream_write (counter, frames->data + offset, n, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (wrote, >, 0);
          offset += (gsize) wrote;
          /* never more than the data frames that went out */
          g_assert_cmpuint (rd_ws_output_stream_get_data_written (RD_WS_OUTPUT_STREAM (counter)), <=, data);
        }
      g_assert_cmpuint (rd_ws_output_stream_get_written (RD_WS_OUTPUT_STREAM (counter)), ==, frames->len);
      g_assert_cmpuint (rd_ws_output_stream_get_data_written (RD_WS_OUTPUT_STREAM (counter)), ==, data);
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), ==, frames->len);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  rd_test_password_hash ();

  g_test_add_func ("/events/frame-counting", test_frame_counting);
  g_test_add ("/events/auth-before-upgrade", Fixture, NULL, fixture_set_up, test_auth_before_upgrade, fixture_tear_down);
  g_test_add ("/events/routing", Fixture, NULL, fixture_set_up, test_routing, fixture_tear_down);
  g_test_add ("/events/subscribe-refused", Fixture, NULL, fixture_set_up, test_subscribe_refused, fixture_tear_down);
  g_test_add ("/events/ping-dead-peer", Fixture, NULL, fixture_set_up, test_ping_dead_peer, fixture_tear_down);
  g_test_add ("/events/slow-client", Fixture, NULL, fixture_set_up, test_slow_client, fixture_tear_down);
  g_test_add ("/events/logout-closes", Fixture, NULL, fixture_set_up, test_logout_closes, fixture_tear_down);

  ret = g_test_run ();

  return ret;
}
