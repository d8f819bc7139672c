/* rd-live-connection.c: the WebSocket of the server's live events
 *
 * Opens /api/v1/events with the session's bearer token, subscribes to one
 * extension and emits each event the server pushes; it is connected once the
 * server acknowledges the subscribe ({"type":"subscribed"}). When the socket cannot
 * be opened or drops, it tries again after 1 s, then twice as long each
 * time up to 30 s, and at once when the network comes back. It stops for
 * good when the session ends (close code 4401 or HTTP 401) or when the
 * server says the subscription is not allowed (docs/events.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdLiveConnection"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-live-connection.h"

#define RD_LIVE_FIRST_DELAY 1
#define RD_LIVE_MAX_DELAY   30
/* docs/events.md: the session ended */
#define RD_LIVE_CLOSE_SESSION 4401

struct _RdLiveConnection
{
  GObject                  parent_instance;

  RdConnection            *connection;
  char                    *extension;
  RdLiveState              state;
  char                    *reason;

  SoupWebsocketConnection *websocket;
  GCancellable            *cancellable;
  guint                    retry_id;
  guint                    delay;
  gulong                   network_id;
};

G_DEFINE_ENUM_TYPE (RdLiveState, rd_live_state,
                    G_DEFINE_ENUM_VALUE (RD_LIVE_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (RD_LIVE_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (RD_LIVE_STATE_CONNECTED, "connected"))

G_DEFINE_FINAL_TYPE (RdLiveConnection, rd_live_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_EXTENSION,
  PROP_STATE,
  PROP_REASON,
  N_PROPS
};

enum {
  EVENT,
  SESSION_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void rd_live_connection_start (RdLiveConnection *self);

static void
rd_live_connection_set_state (RdLiveConnection *self,
                              RdLiveState       state,
                              const char       *reason)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (rd_set_str (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
rd_live_connection_drop_websocket (RdLiveConnection *self)
{
  if (self->websocket == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->websocket, self);
  if (soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->websocket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->websocket);
}

/* Closes everything and cancels what is under way; no retry is pending after */
static void
rd_live_connection_stop (RdLiveConnection *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  rd_live_connection_drop_websocket (self);
}

static gboolean
rd_live_connection_retry_cb (gpointer user_data)
{
  RdLiveConnection *self = user_data;

  self->retry_id = 0;
  rd_live_connection_start (self);

  return G_SOURCE_REMOVE;
}

/* Offline for @reason; tries again after the current delay, which doubles */
static void
rd_live_connection_schedule_retry (RdLiveConnection *self,
                                   const char       *reason)
{
  rd_live_connection_stop (self);
  rd_live_connection_set_state (self, RD_LIVE_STATE_OFFLINE, reason);

  g_debug ("Offline (%s); trying again in %u s", reason, self->delay);
  self->retry_id = g_timeout_add_seconds (self->delay, rd_live_connection_retry_cb, self);
  self->delay = MIN (self->delay * 2, RD_LIVE_MAX_DELAY);
}

/* Offline for @reason until something changes: a new session, extension or network */
static void
rd_live_connection_give_up (RdLiveConnection *self,
                            const char       *reason)
{
  rd_live_connection_stop (self);
  rd_live_connection_set_state (self, RD_LIVE_STATE_OFFLINE, reason);
}

static void
rd_live_connection_subscribe (RdLiveConnection *self)
{
  const char *extensions[] = { self->extension, NULL };
  g_autofree char *text = NULL;

  text = rd_event_build_subscribe (extensions);
  soup_websocket_connection_send_text (self->websocket, text);
}

static void
rd_live_connection_message_cb (RdLiveConnection        *self,
                               SoupWebsocketDataType    type,
                               GBytes                  *message,
                               SoupWebsocketConnection *websocket)
{
  g_autoptr(RdEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) acked = NULL;
  gsize length;
  const char *data;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_debug ("Ignored a binary message");
      return;
    }

  data = g_bytes_get_data (message, &length);
  event = rd_event_new_from_json_string (data, length, &error);
  if (event == NULL && rd_event_parse_subscribed (data, length, &acked, NULL))
    {
      /* events flow from here on; an older subscribe's ack does not count */
      if (self->extension != NULL && g_strv_contains ((const char * const *) acked, self->extension))
        {
          self->delay = RD_LIVE_FIRST_DELAY;
          rd_live_connection_set_state (self, RD_LIVE_STATE_CONNECTED, NULL);
        }
      return;
    }
  if (event == NULL)
    {
      g_message ("Ignored a live event the client does not understand: %s", error->message);
      return;
    }

  g_signal_emit (self, signals[EVENT], 0, event);
}

static void
rd_live_connection_closed_cb (RdLiveConnection        *self,
                              SoupWebsocketConnection *websocket)
{
  gushort code = soup_websocket_connection_get_close_code (websocket);
  const char *data = soup_websocket_connection_get_close_data (websocket);
  g_autofree char *reason = NULL;

  g_debug ("The server closed the live events: %u %s", code, data ? data : "");

  switch (code)
    {
    case RD_LIVE_CLOSE_SESSION:
      rd_live_connection_give_up (self, _("The session has ended; sign in again"));
      g_signal_emit (self, signals[SESSION_ENDED], 0);
      break;

    case SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION:
      if (data != NULL && g_str_has_prefix (data, "Too slow"))
        {
          rd_live_connection_schedule_retry (self, _("The connection was too slow"));
          break;
        }
      /* Translators: %s is the server's (English) reason */
      reason = g_strdup_printf (_("The server refused the calls of this extension: %s"), data ? data : "");
      rd_live_connection_give_up (self, reason);
      break;

    case SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA:
    case SOUP_WEBSOCKET_CLOSE_BAD_DATA:
      reason = g_strdup_printf (_("The server refused the calls of this extension: %s"), data ? data : "");
      rd_live_connection_give_up (self, reason);
      break;

    default:
      rd_live_connection_schedule_retry (self, _("The connection to the server was lost"));
      break;
    }
}

static void
rd_live_connection_connect_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(RdLiveConnection) self = user_data;
  g_autoptr(SoupWebsocketConnection) websocket = NULL;
  g_autoptr(GError) error = NULL;

  websocket = rd_connection_connect_events_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (websocket == NULL)
    {
      g_debug ("Could not open the live events: %s", error->message);
      if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
        {
          rd_live_connection_give_up (self, _("The session has ended; sign in again"));
          g_signal_emit (self, signals[SESSION_ENDED], 0);
        }
      else if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAVAILABLE))
        rd_live_connection_schedule_retry (self, _("The server cannot be reached"));
      else
        rd_live_connection_schedule_retry (self, error->message);
      return;
    }

  self->websocket = g_steal_pointer (&websocket);
  soup_websocket_connection_set_max_incoming_payload_size (self->websocket, RD_EVENT_MAX_SIZE);
  g_signal_connect_object (self->websocket, "message",
                           G_CALLBACK (rd_live_connection_message_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->websocket, "closed",
                           G_CALLBACK (rd_live_connection_closed_cb), self,
                           G_CONNECT_SWAPPED);

  /* connected once the server acknowledges the subscribe */
  rd_live_connection_subscribe (self);
}

static void
rd_live_connection_start (RdLiveConnection *self)
{
  rd_live_connection_stop (self);

  if (self->connection == NULL)
    {
      rd_live_connection_set_state (self, RD_LIVE_STATE_OFFLINE, _("Signed out"));
      return;
    }

  if (self->extension == NULL || *self->extension == '\0')
    {
      rd_live_connection_set_state (self, RD_LIVE_STATE_OFFLINE,
                                    _("No extension: set the extension of this desk in the preferences"));
      return;
    }

  rd_live_connection_set_state (self, RD_LIVE_STATE_CONNECTING, NULL);
  self->cancellable = g_cancellable_new ();
  rd_connection_connect_events_async (self->connection, self->cancellable,
                                      rd_live_connection_connect_cb, g_object_ref (self));
}

static void
rd_live_connection_network_changed_cb (RdLiveConnection *self,
                                       gboolean          available,
                                       GNetworkMonitor  *monitor)
{
  if (!available || self->state != RD_LIVE_STATE_OFFLINE || self->connection == NULL)
    return;

  g_debug ("The network changed; reconnecting now");
  rd_live_connection_reconnect (self);
}

static void
rd_live_connection_dispose (GObject *object)
{
  RdLiveConnection *self = (RdLiveConnection *)object;

  rd_live_connection_stop (self);
  if (self->network_id != 0)
    g_clear_signal_handler (&self->network_id, g_network_monitor_get_default ());
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (rd_live_connection_parent_class)->dispose (object);
}

static void
rd_live_connection_finalize (GObject *object)
{
  RdLiveConnection *self = (RdLiveConnection *)object;

  g_clear_pointer (&self->extension, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (rd_live_connection_parent_class)->finalize (object);
}

static void
rd_live_connection_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RdLiveConnection *self = RD_LIVE_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_EXTENSION:
      g_value_set_string (value, self->extension);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_live_connection_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RdLiveConnection *self = RD_LIVE_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      rd_live_connection_set_connection (self, g_value_get_object (value));
      break;

    case PROP_EXTENSION:
      rd_live_connection_set_extension (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_live_connection_class_init (RdLiveConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_live_connection_dispose;
  object_class->finalize = rd_live_connection_finalize;
  object_class->get_property = rd_live_connection_get_property;
  object_class->set_property = rd_live_connection_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       RD_TYPE_LIVE_STATE,
                       RD_LIVE_STATE_OFFLINE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdLiveConnection:reason:
   *
   * Why the events are offline, for the user; %NULL otherwise.
   */
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdLiveConnection::event:
   * @self: the live connection
   * @event: the #RdEvent the server pushed
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RD_TYPE_EVENT);

  /**
   * RdLiveConnection::session-ended:
   * @self: the live connection
   *
   * The server ended the session of the connection (token revoked or
   * expired: close code 4401, or 401 on opening); it does not retry.
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rd_live_connection_init (RdLiveConnection *self)
{
  self->delay = RD_LIVE_FIRST_DELAY;
  self->network_id = g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                                              G_CALLBACK (rd_live_connection_network_changed_cb), self,
                                              G_CONNECT_SWAPPED);
}

RdLiveConnection *
rd_live_connection_new (void)
{
  return g_object_new (RD_TYPE_LIVE_CONNECTION, NULL);
}

RdConnection *
rd_live_connection_get_connection (RdLiveConnection *self)
{
  g_return_val_if_fail (RD_IS_LIVE_CONNECTION (self), NULL);

  return self->connection;
}

/**
 * rd_live_connection_set_connection:
 * @self: a #RdLiveConnection
 * @connection: (nullable): the signed-in session, or %NULL to stop (sign-out)
 */
void
rd_live_connection_set_connection (RdLiveConnection *self,
                                   RdConnection     *connection)
{
  g_return_if_fail (RD_IS_LIVE_CONNECTION (self));
  g_return_if_fail (!connection || RD_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  self->delay = RD_LIVE_FIRST_DELAY;
  rd_live_connection_start (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

const char *
rd_live_connection_get_extension (RdLiveConnection *self)
{
  g_return_val_if_fail (RD_IS_LIVE_CONNECTION (self), NULL);

  return self->extension;
}

/**
 * rd_live_connection_set_extension:
 * @self: a #RdLiveConnection
 * @extension: (nullable): the extension whose calls to receive
 *
 * An open socket subscribes again at once; each subscribe replaces the last.
 */
void
rd_live_connection_set_extension (RdLiveConnection *self,
                                  const char       *extension)
{
  g_return_if_fail (RD_IS_LIVE_CONNECTION (self));

  if (!rd_set_str (&self->extension, extension))
    return;

  if (self->websocket != NULL && extension != NULL && *extension != '\0')
    {
      rd_live_connection_set_state (self, RD_LIVE_STATE_CONNECTING, NULL);
      rd_live_connection_subscribe (self);
    }
  else if (self->connection != NULL)
    rd_live_connection_reconnect (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTENSION]);
}

RdLiveState
rd_live_connection_get_state (RdLiveConnection *self)
{
  g_return_val_if_fail (RD_IS_LIVE_CONNECTION (self), RD_LIVE_STATE_OFFLINE);

  return self->state;
}

const char *
rd_live_connection_get_reason (RdLiveConnection *self)
{
  g_return_val_if_fail (RD_IS_LIVE_CONNECTION (self), NULL);

  return self->reason;
}

/**
 * rd_live_connection_get_retry_delay:
 * @self: a #RdLiveConnection
 *
 * Returns: the seconds the next retry after a failure will wait (1 to 30)
 */
guint
rd_live_connection_get_retry_delay (RdLiveConnection *self)
{
  g_return_val_if_fail (RD_IS_LIVE_CONNECTION (self), 0);

  return self->delay;
}

/**
 * rd_live_connection_reconnect:
 * @self: a #RdLiveConnection
 *
 * Connects again now, with the backoff back at its start.
 */
void
rd_live_connection_reconnect (RdLiveConnection *self)
{
  g_return_if_fail (RD_IS_LIVE_CONNECTION (self));

  self->delay = RD_LIVE_FIRST_DELAY;
  rd_live_connection_start (self);
}
