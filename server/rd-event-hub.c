/* rd-event-hub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live events of API.md on a WebSocket at GET /api/v1/events.
 *
 * Authentication happens before the upgrade: the route goes through
 * RdServer's header checks like any other (bearer token, or `?token=` since
 * the route is RD_ROUTE_QUERY_TOKEN), so a request without a valid token gets
 * a 401 JSON error and never a 101. The handshake is then done here rather
 * than by soup_server_add_websocket_handler(), so the hub can put an
 * RdWsOutputStream between the connection and the socket and know how many
 * bytes libsoup still holds for each client.
 *
 * Clients send {"type":"subscribe","extensions":[…]} (each one replaces the
 * previous set) and get {"type":"subscribed","extensions":[…]} back once it
 * holds. "*" is for supervisors and admins. Agents and technicians
 * whose profile has an extension may subscribe to that extension only; with
 * none set (hot desks) to any. Anything else closes the socket with a code
 * and a reason (docs/events.md).
 *
 * rd_event_hub_publish() serialises an event once and queues the same text to
 * every client subscribed to one of its extensions, found through a hash
 * extension → clients, plus the "*" clients: O(recipients). A client with
 * more than max-queued bytes waiting is closed (1008, counted as "slow"),
 * so it never holds up the others nor grows memory without bound.
 *
 * A timer every keepalive interval closes clients that answered no ping for
 * three intervals (libsoup 3.2 sends pings but has no pong timeout) and
 * those whose token expired or whose account was deactivated (asking the
 * store once per token, not once per socket); signing out
 * (RdServer::token-revoked) closes that token's sockets at once.
 */

#define G_LOG_DOMAIN "RdEventHub"

#include "config.h"

#include <string.h>

#include "rd-api.h"
#include "rd-auth.h"
#include "rd-event-hub.h"
#include "rd-json.h"
#include "rd-ws-output-stream.h"

/* subscribe messages are small: 256 extensions of a few digits */
#define MAX_INCOMING 65536
/* a close reason fits in a control frame: 125 bytes minus the code */
#define MAX_REASON   123

typedef struct
{
  RdEventHub              *hub;        /* unowned: the hub owns the clients */
  SoupWebsocketConnection *conn;
  GIOStream               *base;       /* the socket's stream, stolen from libsoup */
  RdWsOutputStream        *output;     /* counts what reached base */
  char                    *username;
  char                    *token_hash;
  char                    *extension;  /* from the profile, or NULL */
  gboolean                 may_all;    /* supervisor or admin */
  char                   **extensions; /* subscribed, NULL before the first subscribe */
  gboolean                 all;
  guint64                  queued;     /* data frame bytes handed to libsoup */
  guint64                  serial;     /* last publish that reached it */
  gint64                   last_seen;  /* monotonic, last pong or message */
  gboolean                 closing;
  gboolean                 upgraded;   /* the hub owns it now */
} Client;

struct _RdEventHub
{
  GObject       parent_instance;

  RdServer     *server;
  GMainContext *context;        /* thread-default at construction: the server's */
  GHashTable   *clients;        /* Client* → Client*, owns them */
  GHashTable   *by_extension;   /* extension → GHashTable set of Client* */
  GHashTable   *all;            /* set of Client* subscribed to "*" */
  guint         keepalive;      /* seconds */
  gsize         max_queued;
  guint         max_per_user;
  GSource      *check_source;   /* attached to context */
  gulong        revoked_id;
  guint64       serial;
};

G_DEFINE_FINAL_TYPE (RdEventHub, rd_event_hub, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_KEEPALIVE_INTERVAL,
  PROP_MAX_QUEUED,
  PROP_MAX_PER_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark hub_quark;

static void
client_free (Client *client)
{
  if (client->conn != NULL)
    g_signal_handlers_disconnect_by_data (client->conn, client);
  g_clear_object (&client->conn);
  g_clear_object (&client->base);
  g_clear_object (&client->output);
  g_free (client->username);
  g_free (client->token_hash);
  g_free (client->extension);
  g_strfreev (client->extensions);
  g_free (client);
}

static void
update_metrics (RdEventHub *self)
{
  rd_metrics_set_ws_clients (rd_server_get_metrics (self->server),
                             g_hash_table_size (self->clients));
}

/* Takes @client out of the routing tables. */
static void
unsubscribe (RdEventHub *self,
             Client     *client)
{
  for (guint i = 0; client->extensions != NULL && client->extensions[i] != NULL; i++)
    {
      GHashTable *set = g_hash_table_lookup (self->by_extension, client->extensions[i]);

      if (set == NULL)
        continue;
      g_hash_table_remove (set, client);
      if (g_hash_table_size (set) == 0)
        g_hash_table_remove (self->by_extension, client->extensions[i]);
    }
  g_hash_table_remove (self->all, client);
  g_clear_pointer (&client->extensions, g_strfreev);
  client->all = FALSE;
}

/* @reason as valid UTF-8 cut to at most MAX_REASON bytes on a character
 * boundary: clients refuse a close frame whose reason is not UTF-8, and the
 * reason may quote what the client sent. */
static char *
close_reason (const char *reason)
{
  g_autofree char *valid = g_utf8_make_valid (reason, -1);
  const char *end = valid;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if (next - valid > MAX_REASON)
        break;
      end = next;
    }

  return g_strndup (valid, end - valid);
}

/**
 * client_close:
 *
 * Stops routing to @client and starts the closing handshake; the client is
 * freed when libsoup reports the connection closed.
 */
static void
client_close (Client           *client,
              gushort           code,
              const char       *reason,
              RdMetricsWsClose  why)
{
  RdEventHub *self = client->hub;
  g_autofree char *text = NULL;

  if (client->closing)
    return;

  client->closing = TRUE;
  unsubscribe (self, client);
  rd_metrics_add_ws_close (rd_server_get_metrics (self->server), why);
  g_debug ("closing the events of %s: %u %s", client->username, code, reason);

  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      text = close_reason (reason);
      soup_websocket_connection_close (client->conn, code, text);
    }
}

/* Whether @client may receive the events of @extension ("*" = all). */
static gboolean
may_subscribe (Client      *client,
               const char  *extension,
               GError     **error)
{
  if (client->may_all)
    return TRUE;

  if (g_str_equal (extension, "*"))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_FORBIDDEN,
                           "Only supervisors and admins may subscribe to \"*\"");
      return FALSE;
    }

  if (client->extension != NULL && !g_str_equal (extension, client->extension))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_FORBIDDEN,
                   "You may subscribe only to your extension %s", client->extension);
      return FALSE;
    }

  return TRUE;
}

static void
subscribe (RdEventHub  *self,
           Client      *client,
           char       **extensions)
{
  unsubscribe (self, client);

  for (guint i = 0; extensions[i] != NULL; i++)
    {
      GHashTable *set;

      if (g_str_equal (extensions[i], "*"))
        {
          client->all = TRUE;
          g_hash_table_add (self->all, client);
          continue;
        }

      set = g_hash_table_lookup (self->by_extension, extensions[i]);
      if (set == NULL)
        {
          set = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (self->by_extension, g_strdup (extensions[i]), set);
        }
      g_hash_table_add (set, client);
    }

  client->extensions = extensions;
}

static void
message_cb (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            Client                  *client)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) extensions = NULL;
  g_autofree char *ack = NULL;
  const char *data;
  gsize length;

  client->last_seen = g_get_monotonic_time ();
  if (client->closing)
    return;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      client_close (client, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA,
                    "Only text messages are understood", RD_METRICS_WS_CLOSE_PROTOCOL);
      return;
    }

  data = g_bytes_get_data (message, &length);
  if (!rd_event_parse_subscribe (data, (gssize) length, &extensions, &error))
    {
      g_autofree char *reason = g_strdup_printf ("Invalid message: %s", error->message);

      client_close (client, SOUP_WEBSOCKET_CLOSE_BAD_DATA, reason, RD_METRICS_WS_CLOSE_PROTOCOL);
      return;
    }

  for (guint i = 0; extensions[i] != NULL; i++)
    {
      if (!may_subscribe (client, extensions[i], &error))
        {
          client_close (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, error->message,
                        RD_METRICS_WS_CLOSE_PROTOCOL);
          return;
        }
    }

  subscribe (client->hub, client, g_steal_pointer (&extensions));

  /* from here on every event for these extensions reaches the client; the
   * acknowledgement counts in the bytes queued like an event */
  ack = rd_event_build_subscribed ((const char * const *) client->extensions);
  client->queued += rd_ws_frame_size (strlen (ack));
  soup_websocket_connection_send_text (client->conn, ack);
}

static void
pong_cb (SoupWebsocketConnection *conn,
         GBytes                  *message,
         Client                  *client)
{
  client->last_seen = g_get_monotonic_time ();
}

static void
closed_cb (SoupWebsocketConnection *conn,
           Client                  *client)
{
  RdEventHub *self = client->hub;

  g_debug ("events of %s closed (%u)", client->username,
           soup_websocket_connection_get_close_code (conn));
  unsubscribe (self, client);
  /* libsoup closed its side (the wrapper); the socket is closed here */
  if (!g_io_stream_is_closed (client->base))
    g_io_stream_close_async (client->base, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_hash_table_remove (self->clients, client);
  update_metrics (self);
}

/* The peer started closing, or libsoup did on an error: stop sending. */
static void
closing_cb (SoupWebsocketConnection *conn,
            Client                  *client)
{
  client->closing = TRUE;
  unsubscribe (client->hub, client);
}

/* Queued bytes libsoup has not written yet. */
static guint64
client_pending (Client *client)
{
  guint64 written = rd_ws_output_stream_get_data_written (client->output);

  return client->queued > written ? client->queued - written : 0;
}

static void
client_send (Client     *client,
             const char *text,
             gsize       frame_size)
{
  RdEventHub *self = client->hub;
  guint64 pending = client_pending (client);

  if (soup_websocket_connection_get_state (client->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      closing_cb (client->conn, client);
      return;
    }

  if (pending + frame_size > self->max_queued)
    {
      g_autofree char *reason =
        g_strdup_printf ("Too slow: %" G_GUINT64_FORMAT " bytes of events not read", pending);

      client_close (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason, RD_METRICS_WS_CLOSE_SLOW);
      return;
    }

  client->queued += frame_size;
  soup_websocket_connection_send_text (client->conn, text);
}

static void
collect (RdEventHub *self,
         GHashTable *set,
         GPtrArray  *recipients)
{
  GHashTableIter iter;
  gpointer key;

  if (set == NULL)
    return;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Client *client = key;

      if (client->serial == self->serial)
        continue;
      client->serial = self->serial;
      g_ptr_array_add (recipients, client);
    }
}

/**
 * rd_event_hub_publish:
 * @extensions: (nullable): the extensions @event is for; %NULL sends it only
 *   to "*" subscribers
 *
 * Sends @event to every client subscribed to one of @extensions (once, even
 * when it is subscribed to several) and to every "*" client.
 */
void
rd_event_hub_publish (RdEventHub         *self,
                      RdEvent            *event,
                      const char * const *extensions)
{
  g_autoptr(GPtrArray) recipients = NULL;
  g_autofree char *text = NULL;
  gsize frame_size;

  g_return_if_fail (RD_IS_EVENT_HUB (self));
  g_return_if_fail (RD_IS_EVENT (event));

  self->serial++;
  recipients = g_ptr_array_new ();
  for (guint i = 0; extensions != NULL && extensions[i] != NULL; i++)
    collect (self, g_hash_table_lookup (self->by_extension, extensions[i]), recipients);
  collect (self, self->all, recipients);

  if (recipients->len > 0)
    {
      text = rd_codec_to_json_string (RD_CODEC (event));
      frame_size = rd_ws_frame_size (strlen (text));

      /* closing a slow client edits the sets, hence the array */
      for (guint i = 0; i < recipients->len; i++)
        client_send (g_ptr_array_index (recipients, i), text, frame_size);
    }

  rd_metrics_add_events (rd_server_get_metrics (self->server), 1, recipients->len);
}

/* A copy of the client set, to walk while closing some. */
static GPtrArray *
list_clients (RdEventHub *self)
{
  GPtrArray *clients = g_ptr_array_sized_new (g_hash_table_size (self->clients));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (clients, key);

  return clients;
}

/* Whether the session of @client still holds: token known and not expired,
 * account active. Errors of the store keep the client. */
static gboolean
session_valid (RdEventHub *self,
               Client     *client)
{
  RdStore *store = rd_server_get_store (self->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  g_autoptr(RdUser) user = NULL;
  gint64 expires_at = 0;

  if (!rd_store_get_token (store, client->token_hash, &username, &expires_at, &error))
    return !g_error_matches (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  if (expires_at <= g_get_real_time () / G_USEC_PER_SEC)
    return FALSE;

  user = rd_store_get_user (store, username, &error);
  if (user == NULL)
    return !g_error_matches (error, RD_ERROR, RD_ERROR_NOT_FOUND);

  return rd_user_get_active (user);
}

static gboolean
check_cb (gpointer user_data)
{
  RdEventHub *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 dead_after = 3 * (gint64) self->keepalive * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) clients = list_clients (self);
  /* token hash → GINT_TO_POINTER (1 + valid): the store is asked once per
   * session, not once per socket, since this runs on the event path's loop */
  g_autoptr(GHashTable) sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);
      gpointer known;

      if (client->closing)
        continue;

      if (now - client->last_seen > dead_after)
        {
          client_close (client, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                        "No answer to pings", RD_METRICS_WS_CLOSE_DEAD);
          continue;
        }

      known = g_hash_table_lookup (sessions, client->token_hash);
      if (known == NULL)
        {
          known = GINT_TO_POINTER (1 + session_valid (self, client));
          g_hash_table_insert (sessions, g_strdup (client->token_hash), known);
        }
      if (known == GINT_TO_POINTER (1))
        client_close (client, RD_EVENT_HUB_CLOSE_SESSION_ENDED,
                      "The session ended; sign in again", RD_METRICS_WS_CLOSE_SESSION);
    }

  return G_SOURCE_CONTINUE;
}

static void
stop_check (RdEventHub *self)
{
  if (self->check_source != NULL)
    {
      g_source_destroy (self->check_source);
      g_clear_pointer (&self->check_source, g_source_unref);
    }
}

static void
restart_check (RdEventHub *self)
{
  stop_check (self);
  if (self->context == NULL)
    return;
  self->check_source = g_timeout_source_new_seconds (self->keepalive);
  g_source_set_callback (self->check_source, check_cb, self, NULL);
  g_source_set_static_name (self->check_source, "RdEventHub check");
  g_source_attach (self->check_source, self->context);
}

static void
token_revoked_cb (RdServer   *server,
                  const char *token,
                  RdEventHub *self)
{
  g_autofree char *token_hash = rd_auth_hash_token (token);
  g_autoptr(GPtrArray) clients = list_clients (self);

  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      if (g_str_equal (client->token_hash, token_hash))
        client_close (client, RD_EVENT_HUB_CLOSE_SESSION_ENDED,
                      "Signed out", RD_METRICS_WS_CLOSE_SESSION);
    }
}

/* The 101 went out: the socket is ours. */
static void
wrote_informational_cb (SoupServerMessage *msg,
                        Client            *client)
{
  RdEventHub *self = client->hub;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GIOStream) wrapped = NULL;
  const char *origin;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

  client->upgraded = TRUE;
  g_signal_handlers_disconnect_by_func (msg, wrote_informational_cb, client);

  client->base = soup_server_message_steal_connection (msg);
  output = rd_ws_output_stream_new (g_io_stream_get_output_stream (client->base));
  client->output = g_object_ref (RD_WS_OUTPUT_STREAM (output));
  wrapped = g_simple_io_stream_new (g_io_stream_get_input_stream (client->base), output);

  origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin");
  client->conn = soup_websocket_connection_new (wrapped, soup_server_message_get_uri (msg),
                                                SOUP_WEBSOCKET_CONNECTION_SERVER,
                                                origin, NULL, NULL);
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, MAX_INCOMING);
  soup_websocket_connection_set_keepalive_interval (client->conn, self->keepalive);
  client->last_seen = g_get_monotonic_time ();

  g_signal_connect (client->conn, "message", G_CALLBACK (message_cb), client);
  g_signal_connect (client->conn, "pong", G_CALLBACK (pong_cb), client);
  g_signal_connect (client->conn, "closing", G_CALLBACK (closing_cb), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (closed_cb), client);

  g_hash_table_add (self->clients, client);
  update_metrics (self);
}

static void
pending_free (gpointer  data,
              GClosure *closure)
{
  Client *client = data;

  /* a client that never got its socket (the peer left before the 101) */
  if (!client->upgraded)
    client_free (client);
}

/* Open sockets of @username. */
static guint
count_user_clients (RdEventHub *self,
                    const char *username)
{
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Client *client = key;

      if (!client->closing && g_str_equal (client->username, username))
        n++;
    }

  return n;
}

static void
events_get (RdServer  *server,
            RdRequest *request)
{
  RdEventHub *self = g_object_get_qdata (G_OBJECT (server), hub_quark);
  SoupServerMessage *msg = rd_request_get_message (request);
  RdUser *user = rd_request_get_user (request);
  g_autoptr(GError) error = NULL;
  Client *client;

  if (self == NULL || msg == NULL)
    {
      rd_request_reply_error_literal (request, RD_ERROR_UNAVAILABLE, "No event hub");
      return;
    }

  if (count_user_clients (self, rd_user_get_username (user)) >= self->max_per_user)
    {
      rd_request_reply_error_literal (request, RD_ERROR_RATE_LIMITED,
                                      "Too many event connections for this user");
      return;
    }

  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf ("This is a WebSocket endpoint: %s", error->message);

      rd_request_reply_error_literal (request, RD_ERROR_INVALID_FIELD, message);
      return;
    }

  /* no extension is offered: the frames stay countable */
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    {
      rd_request_reply_error_literal (request, RD_ERROR_INVALID_FIELD, "Invalid WebSocket handshake");
      return;
    }
  rd_request_reply_empty (request, SOUP_STATUS_SWITCHING_PROTOCOLS);

  client = g_new0 (Client, 1);
  client->hub = self;
  client->username = g_strdup (rd_user_get_username (user));
  client->token_hash = rd_auth_hash_token (rd_request_get_token (request));
  client->extension = g_strdup (rd_user_get_extension (user));
  client->may_all = rd_user_has_role (user, RD_ROLE_SUPERVISOR) ||
                    rd_user_has_role (user, RD_ROLE_ADMIN);

  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (wrote_informational_cb),
                         client, pending_free, 0);
}

/**
 * rd_event_hub_get_n_clients:
 *
 * Returns: the WebSocket clients connected (closing ones included)
 */
guint
rd_event_hub_get_n_clients (RdEventHub *self)
{
  g_return_val_if_fail (RD_IS_EVENT_HUB (self), 0);

  return g_hash_table_size (self->clients);
}

/**
 * rd_event_hub_get_n_subscribers:
 * @extension: an extension, or "*"
 *
 * Returns: the clients that receive the events of @extension by name
 *   ("*" clients are counted only for "*")
 */
guint
rd_event_hub_get_n_subscribers (RdEventHub *self,
                                const char *extension)
{
  GHashTable *set;

  g_return_val_if_fail (RD_IS_EVENT_HUB (self), 0);
  g_return_val_if_fail (extension != NULL, 0);

  if (g_str_equal (extension, "*"))
    return g_hash_table_size (self->all);

  set = g_hash_table_lookup (self->by_extension, extension);
  return set != NULL ? g_hash_table_size (set) : 0;
}

/**
 * rd_event_hub_set_keepalive_interval:
 * @seconds: between pings, 1 or more; a client silent for three of them is
 *   closed
 *
 * Applies to every client and to the checks.
 */
void
rd_event_hub_set_keepalive_interval (RdEventHub *self,
                                     guint       seconds)
{
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (RD_IS_EVENT_HUB (self));
  g_return_if_fail (seconds >= 1);

  if (self->keepalive == seconds)
    return;

  self->keepalive = seconds;
  clients = list_clients (self);
  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      /* a fresh start, so the old interval does not count against them */
      client->last_seen = g_get_monotonic_time ();
      if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_set_keepalive_interval (client->conn, seconds);
    }
  restart_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEPALIVE_INTERVAL]);
}

/**
 * rd_event_hub_set_max_queued:
 * @bytes: most bytes of events waiting for one client before it is closed
 */
void
rd_event_hub_set_max_queued (RdEventHub *self,
                             gsize       bytes)
{
  g_return_if_fail (RD_IS_EVENT_HUB (self));
  g_return_if_fail (bytes >= 1024);

  if (self->max_queued == bytes)
    return;

  self->max_queued = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_QUEUED]);
}

/**
 * rd_event_hub_set_max_per_user:
 * @n_clients: most open event sockets one user may have; more are refused
 *   with 429 before the upgrade
 */
void
rd_event_hub_set_max_per_user (RdEventHub *self,
                               guint       n_clients)
{
  g_return_if_fail (RD_IS_EVENT_HUB (self));
  g_return_if_fail (n_clients >= 1);

  if (self->max_per_user == n_clients)
    return;

  self->max_per_user = n_clients;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PER_USER]);
}

static void
rd_event_hub_constructed (GObject *object)
{
  RdEventHub *self = (RdEventHub *) object;

  G_OBJECT_CLASS (rd_event_hub_parent_class)->constructed (object);

  self->context = g_main_context_ref_thread_default ();
  g_object_set_qdata (G_OBJECT (self->server), hub_quark, self);
  rd_server_add_route (self->server, "GET", RD_API_PATH_EVENTS,
                       RD_ROUTE_QUERY_TOKEN, NULL, events_get);
  self->revoked_id = g_signal_connect (self->server, "token-revoked",
                                       G_CALLBACK (token_revoked_cb), self);
  restart_check (self);
}

static void
rd_event_hub_dispose (GObject *object)
{
  RdEventHub *self = (RdEventHub *) object;

  stop_check (self);
  if (self->server != NULL)
    {
      g_clear_signal_handler (&self->revoked_id, self->server);
      if (g_object_get_qdata (G_OBJECT (self->server), hub_quark) == self)
        g_object_set_qdata (G_OBJECT (self->server), hub_quark, NULL);
    }
  if (self->clients != NULL)
    {
      g_hash_table_remove_all (self->all);
      g_hash_table_remove_all (self->by_extension);
      g_hash_table_remove_all (self->clients);
    }
  g_clear_object (&self->server);

  G_OBJECT_CLASS (rd_event_hub_parent_class)->dispose (object);
}

static void
rd_event_hub_finalize (GObject *object)
{
  RdEventHub *self = (RdEventHub *) object;

  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->by_extension, g_hash_table_unref);
  g_clear_pointer (&self->all, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (rd_event_hub_parent_class)->finalize (object);
}

static void
rd_event_hub_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RdEventHub *self = RD_EVENT_HUB (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_object (value, self->server);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive);
      break;
    case PROP_MAX_QUEUED:
      g_value_set_uint64 (value, self->max_queued);
      break;
    case PROP_MAX_PER_USER:
      g_value_set_uint (value, self->max_per_user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_event_hub_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RdEventHub *self = RD_EVENT_HUB (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      self->server = g_value_dup_object (value);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      rd_event_hub_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    case PROP_MAX_QUEUED:
      rd_event_hub_set_max_queued (self, (gsize) g_value_get_uint64 (value));
      break;
    case PROP_MAX_PER_USER:
      rd_event_hub_set_max_per_user (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_event_hub_class_init (RdEventHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rd_event_hub_constructed;
  object_class->dispose = rd_event_hub_dispose;
  object_class->finalize = rd_event_hub_finalize;
  object_class->get_property = rd_event_hub_get_property;
  object_class->set_property = rd_event_hub_set_property;

  properties[PROP_SERVER] =
    g_param_spec_object ("server", NULL, NULL, RD_TYPE_SERVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 1, 3600, RD_EVENT_HUB_DEFAULT_KEEPALIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_QUEUED] =
    g_param_spec_uint64 ("max-queued", NULL, NULL, 1024, G_MAXUINT32, RD_EVENT_HUB_DEFAULT_MAX_QUEUED,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_PER_USER] =
    g_param_spec_uint ("max-per-user", NULL, NULL, 1, G_MAXUINT, RD_EVENT_HUB_DEFAULT_MAX_PER_USER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  hub_quark = g_quark_from_static_string ("rd-event-hub");
}

static void
rd_event_hub_init (RdEventHub *self)
{
  self->clients = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) client_free, NULL);
  self->by_extension = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_hash_table_unref);
  self->all = g_hash_table_new (NULL, NULL);
  self->keepalive = RD_EVENT_HUB_DEFAULT_KEEPALIVE;
  self->max_queued = RD_EVENT_HUB_DEFAULT_MAX_QUEUED;
  self->max_per_user = RD_EVENT_HUB_DEFAULT_MAX_PER_USER;
}

/**
 * rd_event_hub_new:
 *
 * Registers GET /api/v1/events on @server.
 */
RdEventHub *
rd_event_hub_new (RdServer *server)
{
  g_return_val_if_fail (RD_IS_SERVER (server), NULL);

  return g_object_new (RD_TYPE_EVENT_HUB, "server", server, NULL);
}
