/* rd-connection.c: the client's HTTP session with one Ringdesk server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdConnection"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-connection-private.h"
#include "rd-ticket-change.h"

/* Long enough for a server on a slow link, short enough that a dead one is
 * reported while the user still looks at the spinner. */
#define RD_CONNECTION_TIMEOUT_SECONDS 20
/* No reply of this API comes near this; anything larger is not our server. */
#define RD_CONNECTION_MAX_REPLY_SIZE  (8 * 1024 * 1024)

struct _RdConnection
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *base_uri;
  char        *url;
  char        *token;
  RdUser      *user;
};

G_DEFINE_FINAL_TYPE (RdConnection, rd_connection, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (RdServerHealth, rd_server_health, rd_server_health_copy, rd_server_health_free)

enum {
  PROP_0,
  PROP_URL,
  PROP_TOKEN,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * rd_server_health_copy:
 * @health: a #RdServerHealth
 *
 * Returns: (transfer full): a deep copy of @health
 */
RdServerHealth *
rd_server_health_copy (const RdServerHealth *health)
{
  RdServerHealth *copy;

  g_return_val_if_fail (health != NULL, NULL);

  copy = g_new0 (RdServerHealth, 1);
  copy->status = g_strdup (health->status);
  copy->db = g_strdup (health->db);
  copy->cti = g_strdup (health->cti);

  return copy;
}

void
rd_server_health_free (RdServerHealth *health)
{
  if (health == NULL)
    return;

  g_free (health->status);
  g_free (health->db);
  g_free (health->cti);
  g_free (health);
}

/**
 * rd_connection_parse_url:
 * @url: the server address a person typed
 * @error: return location for a #GError
 *
 * Checks that @url is an absolute http or https URL with a host, and returns it
 * as the base URI of the API with a path that ends in a slash, so that
 * a server behind a reverse proxy at `https://host/ringdesk/` keeps its prefix.
 *
 * Returns: (transfer full): the base URI, or %NULL with %RD_ERROR_INVALID_FIELD
 */
GUri *
rd_connection_parse_url (const char  *url,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "The server address is empty");
      return NULL;
    }

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "The server address is not a valid URL: %s", local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "The server address must start with http:// or https://, not %s:", scheme);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "The server address has no host name");
      return NULL;
    }

  /* GUri takes almost anything as a host; a server's name is letters,
   * digits, '-', '.' and '_' (or a non-ASCII IDN), or an IP literal */
  if (!g_hostname_is_ip_address (host))
    {
      for (const char *c = host; *c != '\0'; c++)
        {
          if (!g_ascii_isalnum (*c) && *c != '-' && *c != '.' && *c != '_' &&
              !((guchar) *c & 0x80))
            {
              g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "The server address has an invalid host name “%s”", host);
              return NULL;
            }
        }
    }

  if (g_uri_get_user (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "The server address must not contain a user name, a query or a fragment");
      return NULL;
    }

  if (g_str_has_suffix (g_uri_get_path (uri), "/"))
    path = g_strdup (g_uri_get_path (uri));
  else
    path = g_strconcat (g_uri_get_path (uri), "/", NULL);

  return g_uri_build (SOUP_HTTP_URI_FLAGS,
                      scheme,
                      NULL,
                      host,
                      g_uri_get_port (uri),
                      path,
                      NULL,
                      NULL);
}

static void
rd_connection_finalize (GObject *object)
{
  RdConnection *self = (RdConnection *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (rd_connection_parent_class)->finalize (object);
}

static void
rd_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RdConnection *self = RD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_USER:
      g_value_set_object (value, self->user);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_connection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RdConnection *self = RD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      rd_connection_set_token (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_connection_class_init (RdConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_connection_finalize;
  object_class->get_property = rd_connection_get_property;
  object_class->set_property = rd_connection_set_property;

  /**
   * RdConnection:url:
   *
   * The normalised base address of the server, ending in a slash.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RdConnection:token:
   *
   * The bearer token of the session, or %NULL when signed out. Never log it.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdConnection:user:
   *
   * The signed-in user as the server last reported it, or %NULL.
   */
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL,
                         RD_TYPE_USER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_connection_init (RdConnection *self)
{
  self->session = soup_session_new_with_options ("user-agent", "Ringdesk/" PACKAGE_VERSION,
                                                 "timeout", RD_CONNECTION_TIMEOUT_SECONDS,
                                                 NULL);
}

/**
 * rd_connection_new:
 * @url: the server address, e.g. `http://127.0.0.1:8765`
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a signed-out connection, or %NULL if @url is not
 *   an http or https address (%RD_ERROR_INVALID_FIELD)
 */
RdConnection *
rd_connection_new (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) base_uri = NULL;
  RdConnection *self;

  base_uri = rd_connection_parse_url (url, error);
  if (base_uri == NULL)
    return NULL;

  self = g_object_new (RD_TYPE_CONNECTION, NULL);
  self->base_uri = g_steal_pointer (&base_uri);
  self->url = g_uri_to_string (self->base_uri);

  return self;
}

const char *
rd_connection_get_url (RdConnection *self)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);

  return self->url;
}

const char *
rd_connection_get_token (RdConnection *self)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);

  return self->token;
}

void
rd_connection_set_token (RdConnection *self,
                         const char   *token)
{
  g_return_if_fail (RD_IS_CONNECTION (self));

  if (rd_set_str (&self->token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

/**
 * rd_connection_get_user:
 * @self: a #RdConnection
 *
 * Returns: (transfer none) (nullable): the signed-in user
 */
RdUser *
rd_connection_get_user (RdConnection *self)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);

  return self->user;
}

/**
 * rd_connection_set_user:
 * @self: a #RdConnection
 * @user: (nullable): the signed-in user
 *
 * Sets the user the server reports; the client sets the user it kept when
 * it starts while the server cannot be reached.
 */
void
rd_connection_set_user (RdConnection *self,
                        RdUser       *user)
{
  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (!user || RD_IS_USER (user));

  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static void
rd_connection_set_reply_error (SoupMessage  *message,
                               GBytes       *bytes,
                               GError      **error)
{
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *error_object = NULL;
  const char *code = NULL;
  const char *text = NULL;
  guint status = soup_message_get_status (message);

  reply = rd_json_parse_bytes (bytes, NULL);
  if (reply != NULL &&
      rd_json_get_object (reply, "error", RD_JSON_REQUIRED, &error_object, NULL) &&
      rd_json_get_string (error_object, "code", RD_JSON_REQUIRED, &code, NULL))
    {
      if (!rd_json_get_string (error_object, "message", RD_JSON_NULLABLE, &text, NULL) ||
          text == NULL)
        text = code;

      g_set_error (error, RD_ERROR, rd_error_from_code (code), "%s", text);
      return;
    }

  g_set_error (error, RD_ERROR, rd_error_from_http_status (status),
               "The server replied HTTP %u %s",
               status, soup_message_get_reason_phrase (message) ?: "");
}

static JsonObject *
rd_connection_parse_reply (SoupMessage  *message,
                           GBytes       *bytes,
                           GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *reply;
  guint status = soup_message_get_status (message);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      rd_connection_set_reply_error (message, bytes, error);
      return NULL;
    }

  if (status == SOUP_STATUS_NO_CONTENT || g_bytes_get_size (bytes) == 0)
    return json_object_new ();

  if (g_bytes_get_size (bytes) > RD_CONNECTION_MAX_REPLY_SIZE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "The server’s reply is too large (%" G_GSIZE_FORMAT " bytes)",
                   g_bytes_get_size (bytes));
      return NULL;
    }

  reply = rd_json_parse_bytes (bytes, &local_error);
  if (reply == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "The server’s reply is not a JSON object: %s", local_error->message);
      return NULL;
    }

  return reply;
}

static void
rd_connection_request_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  SoupSession *session = (SoupSession *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;
  JsonObject *reply;

  g_assert (SOUP_IS_SESSION (session));
  g_assert (G_IS_TASK (task));

  message = g_task_get_task_data (task);
  bytes = soup_session_send_and_read_finish (session, result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                                 "Could not reach the server: %s", error->message);
      return;
    }

  g_debug ("%s %s: HTTP %u",
           soup_message_get_method (message),
           g_uri_get_path (soup_message_get_uri (message)),
           soup_message_get_status (message));

  reply = rd_connection_parse_reply (message, bytes, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) json_object_unref);
}

/**
 * _rd_connection_new_message:
 * @self: a #RdConnection
 * @method: the HTTP method
 * @path: an API path starting with "/", with its query
 * @authorized: whether to send the session's bearer token
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a message for @path relative to the server's
 *   address, or %NULL with %RD_ERROR_UNAUTHORIZED when @authorized and
 *   signed out
 */
SoupMessage *
_rd_connection_new_message (RdConnection  *self,
                            const char    *method,
                            const char    *path,
                            gboolean       authorized,
                            GError       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessage *message;

  g_assert (RD_IS_CONNECTION (self));
  g_assert (path != NULL && path[0] == '/');

  if (authorized && self->token == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAUTHORIZED, "Not signed in");
      return NULL;
    }

  /* Relative to the base so that a path prefix of the server address is kept */
  uri = g_uri_parse_relative (self->base_uri, path + 1, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INTERNAL,
                   "Could not build the request address: %s", local_error->message);
      return NULL;
    }

  message = soup_message_new_from_uri (method, uri);

  if (authorized)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");

  return message;
}

/**
 * _rd_connection_send_async:
 * @self: a #RdConnection
 * @message: a message from _rd_connection_new_message(), with its body
 *
 * Sends @message; finish with _rd_connection_request_finish(), which
 * returns the reply object (empty for 204).
 */
void
_rd_connection_send_async (RdConnection        *self,
                           SoupMessage         *message,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_assert (RD_IS_CONNECTION (self));
  g_assert (SOUP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _rd_connection_send_async);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);

  soup_session_send_and_read_async (self->session,
                                    message,
                                    G_PRIORITY_DEFAULT,
                                    cancellable,
                                    rd_connection_request_cb,
                                    g_steal_pointer (&task));
}

/* Sends @method @path (an API path starting with "/") with an optional JSON
 * @body; the finish function returns the reply object (empty for 204). */
static void
rd_connection_request_async (RdConnection        *self,
                             const char          *method,
                             const char          *path,
                             JsonNode            *body,
                             gboolean             authorized,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;

  message = _rd_connection_new_message (self, method, path, authorized, &error);
  if (message == NULL)
    {
      g_task_report_error (self, callback, user_data, rd_connection_request_async,
                           g_steal_pointer (&error));
      return;
    }

  if (body != NULL)
    {
      g_autofree char *text = rd_json_to_string (body, FALSE);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  _rd_connection_send_async (self, message, cancellable, callback, user_data);
}

static JsonObject *
rd_connection_request_finish (RdConnection  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_assert (RD_IS_CONNECTION (self));
  g_assert (g_task_is_valid (result, self));

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * _rd_connection_request_finish:
 *
 * Returns: (transfer full): the reply object of _rd_connection_send_async()
 *   (empty for 204), or %NULL with an %RD_ERROR
 */
JsonObject *
_rd_connection_request_finish (RdConnection  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return rd_connection_request_finish (self, result, error);
}

/**
 * _rd_connection_get_session:
 *
 * Returns: (transfer none): the HTTP session, for requests whose reply is
 *   not JSON
 */
SoupSession *
_rd_connection_get_session (RdConnection *self)
{
  return self->session;
}

/* Sets @error from a reply that is not a success, from the API's error
 * object when it has one */
void
_rd_connection_set_reply_error (SoupMessage  *message,
                                GBytes       *bytes,
                                GError      **error)
{
  rd_connection_set_reply_error (message, bytes, error);
}

static void
rd_connection_sign_in_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  JsonObject *user_object = NULL;
  const char *token = NULL;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!rd_json_get_string (reply, "token", RD_JSON_REQUIRED, &token, &error) ||
      !rd_json_get_object (reply, "user", RD_JSON_REQUIRED, &user_object, &error) ||
      !(user = rd_codec_new_from_json (RD_TYPE_USER, user_object, &error)))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s sign-in reply is not valid: %s", error->message);
      return;
    }

  if (*token == '\0')
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s sign-in reply has an empty token");
      return;
    }

  rd_connection_set_token (self, token);
  rd_connection_set_user (self, user);

  g_task_return_pointer (task, g_steal_pointer (&user), g_object_unref);
}

/**
 * rd_connection_sign_in_async:
 * @self: a #RdConnection
 * @username: the user's name
 * @password: the user's password (sent once, never kept)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Opens a session with POST /api/v1/session. On success the connection holds
 * the token and the user.
 */
void
rd_connection_sign_in_async (RdConnection        *self,
                             const char          *username,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_sign_in_async);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "username", username);
  rd_json_builder_add_string (builder, "password", password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  rd_connection_request_async (self, "POST", RD_API_PATH_SESSION, body, FALSE,
                               cancellable,
                               rd_connection_sign_in_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_connection_sign_in_finish:
 *
 * Returns: (transfer full): the signed-in user, or %NULL with an %RD_ERROR
 *   (%RD_ERROR_UNAUTHORIZED for wrong credentials, %RD_ERROR_UNAVAILABLE when
 *   the server cannot be reached)
 */
RdUser *
rd_connection_sign_in_finish (RdConnection  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_connection_get_me_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  user = rd_codec_new_from_json (RD_TYPE_USER, reply, &error);
  if (user == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s user reply is not valid: %s", error->message);
      return;
    }

  rd_connection_set_user (self, user);

  g_task_return_pointer (task, g_steal_pointer (&user), g_object_unref);
}

/**
 * rd_connection_get_me_async:
 *
 * Asks GET /api/v1/me who the token belongs to; this is how a saved session is
 * checked. An expired or revoked token finishes with %RD_ERROR_UNAUTHORIZED.
 */
void
rd_connection_get_me_async (RdConnection        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_get_me_async);

  rd_connection_request_async (self, "GET", RD_API_PATH_ME, NULL, TRUE,
                               cancellable,
                               rd_connection_get_me_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_connection_get_me_finish:
 *
 * Returns: (transfer full): the user, or %NULL with an %RD_ERROR
 */
RdUser *
rd_connection_get_me_finish (RdConnection  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_get_me_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_connection_sign_out_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = rd_connection_request_finish (self, result, &error);

  /* Signed out locally whatever the server said: the token is gone from here. */
  rd_connection_set_token (self, NULL);
  rd_connection_set_user (self, NULL);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * rd_connection_sign_out_async:
 *
 * Ends the session with DELETE /api/v1/session, so the server no longer
 * accepts the token. The connection forgets the token and the user in any case.
 */
void
rd_connection_sign_out_async (RdConnection        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_sign_out_async);

  rd_connection_request_async (self, "DELETE", RD_API_PATH_SESSION, NULL, TRUE,
                               cancellable,
                               rd_connection_sign_out_cb,
                               g_steal_pointer (&task));
}

gboolean
rd_connection_sign_out_finish (RdConnection  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_sign_out_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rd_connection_get_health_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdServerHealth) health = g_new0 (RdServerHealth, 1);

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!rd_json_dup_string (reply, "status", RD_JSON_REQUIRED, &health->status, &error) ||
      !rd_json_dup_string (reply, "db", RD_JSON_NULLABLE, &health->db, &error) ||
      !rd_json_dup_string (reply, "cti", RD_JSON_NULLABLE, &health->cti, &error))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s health reply is not valid: %s", error->message);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&health), (GDestroyNotify) rd_server_health_free);
}

/**
 * rd_connection_get_health_async:
 *
 * Reads GET /healthz, which needs no session.
 */
void
rd_connection_get_health_async (RdConnection        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_get_health_async);

  rd_connection_request_async (self, "GET", RD_API_PATH_HEALTHZ, NULL, FALSE,
                               cancellable,
                               rd_connection_get_health_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_connection_get_health_finish:
 *
 * Returns: (transfer full): the server's health, or %NULL with an %RD_ERROR
 */
RdServerHealth *
rd_connection_get_health_finish (RdConnection  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_get_health_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Ticket requests
 *
 * Every reply is parsed with the lenient codecs, so that a newer server's
 * extra members do not break this client. */

/* Appends "&name=value" (or "?name=value" first) when @value is not empty */
static void
rd_connection_add_query (GString    *path,
                         const char *name,
                         const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (path, "%s=%s", name, escaped);
}

/* Ticket numbers and call ids are decimal strings */
static gboolean
rd_connection_number_is_valid (const char *number)
{
  return number != NULL && *number != '\0' && strlen (number) <= 20 &&
         strspn (number, "0123456789") == strlen (number);
}

void
_rd_connection_add_query (GString    *path,
                          const char *name,
                          const char *value)
{
  rd_connection_add_query (path, name, value);
}

gboolean
_rd_connection_number_is_valid (const char *number)
{
  return rd_connection_number_is_valid (number);
}

/* The path of ticket @number, with @suffix ("" or "/history"), or %NULL
 * after returning %RD_ERROR_INVALID_FIELD on @task for a number that is
 * not a ticket number (numbers are decimal strings) */
static char *
rd_connection_ticket_path (GTask      *task,
                           const char *number,
                           const char *suffix)
{
  if (!rd_connection_number_is_valid (number))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“%s” is not a ticket number", number ? number : "");
      return NULL;
    }

  return g_strconcat (RD_API_PATH_TICKETS "/", number, suffix, NULL);
}

typedef struct
{
  GListModel *items;
  char       *next_cursor;
} RdTicketPage;

static void
rd_ticket_page_free (RdTicketPage *page)
{
  g_clear_object (&page->items);
  g_free (page->next_cursor);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdTicketPage, rd_ticket_page_free)

static void
rd_connection_list_tickets_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicketPage) page = g_new0 (RdTicketPage, 1);
  JsonArray *items = NULL;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!rd_json_get_array (reply, "items", RD_JSON_REQUIRED, &items, &error) ||
      !rd_json_dup_string (reply, "next_cursor", RD_JSON_NULLABLE, &page->next_cursor, &error) ||
      !(page->items = G_LIST_MODEL (rd_codec_list_from_array (RD_TYPE_TICKET, items,
                                                              RD_CODEC_NONE, &error))))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s ticket list is not valid: %s", error->message);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) rd_ticket_page_free);
}

/**
 * rd_connection_list_tickets_async:
 * @self: a #RdConnection
 * @filter: (nullable): the server-side filters
 * @cursor: (nullable): the next_cursor of the previous page, or %NULL for the first
 * @limit: the page size (1–500), or 0 for the server's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the page
 * @user_data: data for @callback
 *
 * Reads one page of GET /api/v1/tickets, newest number first.
 */
void
rd_connection_list_tickets_async (RdConnection         *self,
                                  const RdTicketFilter *filter,
                                  const char           *cursor,
                                  guint                 limit,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new (RD_API_PATH_TICKETS);

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (limit <= 500);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_list_tickets_async);

  if (filter != NULL)
    {
      rd_connection_add_query (path, "state", filter->states);
      rd_connection_add_query (path, "assignee", filter->assignee);
      rd_connection_add_query (path, "q", filter->q);
      rd_connection_add_query (path, "scope", filter->scope);
    }

  if (limit > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", limit);

      rd_connection_add_query (path, "limit", text);
    }

  rd_connection_add_query (path, "cursor", cursor);

  rd_connection_request_async (self, "GET", path->str, NULL, TRUE,
                               cancellable,
                               rd_connection_list_tickets_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_connection_list_tickets_finish:
 * @self: a #RdConnection
 * @result: the result
 * @next_cursor: (out) (optional) (transfer full) (nullable): where the next page
 *   starts, %NULL on the last page
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a list of #RdTicket, or %NULL with an %RD_ERROR
 */
GListModel *
rd_connection_list_tickets_finish (RdConnection  *self,
                                   GAsyncResult  *result,
                                   char         **next_cursor,
                                   GError       **error)
{
  g_autoptr(RdTicketPage) page = NULL;

  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_list_tickets_async, NULL);

  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;

  if (next_cursor != NULL)
    *next_cursor = g_steal_pointer (&page->next_cursor);

  return g_steal_pointer (&page->items);
}

static void
rd_connection_ticket_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  _rd_connection_object_reply (RD_CONNECTION (object), result, user_data, RD_TYPE_TICKET, "ticket");
}

/* Starts a request whose reply is one ticket, finished by
 * rd_connection_ticket_finish(); @path may be %NULL when @task already has
 * its error */
static void
rd_connection_ticket_request (RdConnection *self,
                              GTask        *task,
                              const char   *method,
                              const char   *path,
                              JsonNode     *body)
{
  if (path == NULL)
    return;

  rd_connection_request_async (self, method, path, body, TRUE,
                               g_task_get_cancellable (task),
                               rd_connection_ticket_cb,
                               g_object_ref (task));
}

static GTask *
rd_connection_ticket_task (RdConnection        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  /* One finish function for every request that replies with a ticket */
  g_task_set_source_tag (task, rd_connection_ticket_finish);

  return task;
}

/**
 * rd_connection_get_ticket_async:
 * @self: a #RdConnection
 * @number: the ticket number
 *
 * Reads GET /api/v1/tickets/{number}. Finish with rd_connection_ticket_finish().
 */
void
rd_connection_get_ticket_async (RdConnection        *self,
                                const char          *number,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));

  task = rd_connection_ticket_task (self, cancellable, callback, user_data);
  path = rd_connection_ticket_path (task, number, "");
  rd_connection_ticket_request (self, task, "GET", path, NULL);
}

/**
 * rd_connection_create_ticket_async:
 * @self: a #RdConnection
 * @fields: the members of the new ticket, as POST /api/v1/tickets takes them
 *
 * Creates a ticket; the server gives it its number. Finish with
 * rd_connection_ticket_finish(); a refused field is %RD_ERROR_INVALID_FIELD or
 * %RD_ERROR_MISSING_FIELD with the server's message naming it.
 */
void
rd_connection_create_ticket_async (RdConnection        *self,
                                   JsonObject          *fields,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (fields != NULL);

  task = rd_connection_ticket_task (self, cancellable, callback, user_data);
  body = json_node_init_object (json_node_alloc (), fields);
  rd_connection_ticket_request (self, task, "POST", RD_API_PATH_TICKETS, body);
}

/**
 * rd_connection_update_ticket_async:
 * @self: a #RdConnection
 * @number: the ticket number
 * @changes: the members to change, as PATCH /api/v1/tickets/{number} takes them
 *
 * Finish with rd_connection_ticket_finish().
 */
void
rd_connection_update_ticket_async (RdConnection        *self,
                                   const char          *number,
                                   JsonObject          *changes,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (changes != NULL);

  task = rd_connection_ticket_task (self, cancellable, callback, user_data);
  body = json_node_init_object (json_node_alloc (), changes);
  path = rd_connection_ticket_path (task, number, "");
  rd_connection_ticket_request (self, task, "PATCH", path, body);
}

/**
 * rd_connection_transition_ticket_async:
 * @self: a #RdConnection
 * @number: the ticket number
 * @to: the state to move to
 * @note: (nullable): why; closing needs the requester's confirmation here
 *
 * Moves the ticket with POST /api/v1/tickets/{number}/transition. Finish
 * with rd_connection_ticket_finish(); a move the server does not allow is
 * %RD_ERROR_INVALID_TRANSITION.
 */
void
rd_connection_transition_ticket_async (RdConnection        *self,
                                       const char          *number,
                                       RdTicketState        to,
                                       const char          *note,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));

  task = rd_connection_ticket_task (self, cancellable, callback, user_data);

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "to", rd_ticket_state_to_string (to));
  if (note != NULL && *note != '\0')
    rd_json_builder_add_string (builder, "note", note);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = rd_connection_ticket_path (task, number, "/transition");
  rd_connection_ticket_request (self, task, "POST", path, body);
}

/**
 * rd_connection_ticket_finish:
 *
 * Finishes the requests that reply with one ticket: get, create, update and
 * transition.
 *
 * Returns: (transfer full): the ticket as the server has it now, or %NULL
 *   with an %RD_ERROR
 */
RdTicket *
rd_connection_ticket_finish (RdConnection  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_ticket_finish, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_connection_get_history_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) changes = g_list_store_new (RD_TYPE_TICKET_CHANGE);
  JsonArray *items = NULL;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!rd_json_get_array (reply, "items", RD_JSON_REQUIRED, &items, &error))
    goto invalid;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autoptr(RdTicketChange) change = NULL;
      JsonObject *item = NULL;

      if (!rd_json_array_get_object (items, i, &item, &error) ||
          !(change = rd_ticket_change_new_from_json (item, &error)))
        goto invalid;

      g_list_store_append (changes, change);
    }

  g_task_return_pointer (task, g_steal_pointer (&changes), g_object_unref);
  return;

invalid:
  g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                           "The server’s ticket history is not valid: %s", error->message);
}

/**
 * rd_connection_get_history_async:
 * @self: a #RdConnection
 * @number: the ticket number
 *
 * Reads GET /api/v1/tickets/{number}/history, oldest change first.
 */
void
rd_connection_get_history_async (RdConnection        *self,
                                 const char          *number,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_get_history_async);

  path = rd_connection_ticket_path (task, number, "/history");
  if (path == NULL)
    return;

  rd_connection_request_async (self, "GET", path, NULL, TRUE,
                               cancellable,
                               rd_connection_get_history_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_connection_get_history_finish:
 *
 * Returns: (transfer full): a list of #RdTicketChange, or %NULL with an %RD_ERROR
 */
GListModel *
rd_connection_get_history_finish (RdConnection  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_get_history_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns on @task (whose reference it takes) the "items" of a list reply
 * as a #GListStore of @type, or an error naming the @what list */
void
_rd_connection_items_reply (RdConnection *self,
                            GAsyncResult *result,
                            GTask        *task_ref,
                            GType         type,
                            const char   *what)
{
  g_autoptr(GTask) task = task_ref;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  GListStore *list = NULL;
  JsonArray *items = NULL;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!rd_json_get_array (reply, "items", RD_JSON_REQUIRED, &items, &error) ||
      !(list = rd_codec_list_from_array (type, items, RD_CODEC_NONE, &error)))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s %s list is not valid: %s", what, error->message);
      return;
    }

  g_task_return_pointer (task, list, g_object_unref);
}

/* Returns on @task (whose reference it takes) the reply as one object of
 * @type, or an error naming the @what */
void
_rd_connection_object_reply (RdConnection *self,
                             GAsyncResult *result,
                             GTask        *task_ref,
                             GType         type,
                             const char   *what)
{
  g_autoptr(GTask) task = task_ref;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  GObject *object;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = rd_codec_new_from_json (type, reply, &error);
  if (object == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server’s %s is not valid: %s", what, error->message);
      return;
    }

  g_task_return_pointer (task, object, g_object_unref);
}

static void
rd_connection_list_users_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  _rd_connection_items_reply (RD_CONNECTION (object), result, user_data, RD_TYPE_USER, "user");
}

/**
 * rd_connection_list_users_async:
 * @self: a #RdConnection
 *
 * Reads the first page of GET /api/v1/users (administrators only; others
 * get %RD_ERROR_FORBIDDEN).
 */
void
rd_connection_list_users_async (RdConnection        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_list_users_async);

  rd_connection_request_async (self, "GET", RD_API_PATH_USERS "?limit=500", NULL, TRUE,
                               cancellable,
                               rd_connection_list_users_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_connection_list_users_finish:
 *
 * Returns: (transfer full): a list of #RdUser, or %NULL with an %RD_ERROR
 */
GListModel *
rd_connection_list_users_finish (RdConnection  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_list_users_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_connection_find_customers_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  _rd_connection_items_reply (RD_CONNECTION (object), result, user_data, RD_TYPE_CUSTOMER, "customer");
}

/**
 * rd_connection_find_customers_async:
 * @self: a #RdConnection
 * @phone: a phone number, in any spelling
 *
 * Reads GET /api/v1/customers?phone=: the customer the server matches to
 * @phone (a number belongs to one customer at most), or none.
 */
void
rd_connection_find_customers_async (RdConnection        *self,
                                    const char          *phone,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new (RD_API_PATH_CUSTOMERS);

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (phone != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_find_customers_async);

  rd_connection_add_query (path, "phone", phone);
  rd_connection_request_async (self, "GET", path->str, NULL, TRUE, cancellable,
                               rd_connection_find_customers_cb, g_steal_pointer (&task));
}

/**
 * rd_connection_find_customers_finish:
 *
 * Returns: (transfer full): a list of #RdCustomer (empty when none has the
 *   number), or %NULL with an %RD_ERROR
 */
GListModel *
rd_connection_find_customers_finish (RdConnection  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_find_customers_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_connection_list_places_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  GTask *task = user_data;
  GType type = GPOINTER_TO_SIZE (g_task_get_task_data (task));

  _rd_connection_items_reply (RD_CONNECTION (object), result, task, type,
                             type == RD_TYPE_LOCATION ? "location" : "asset");
}

/**
 * rd_connection_list_places_async:
 * @self: a #RdConnection
 * @type: %RD_TYPE_LOCATION or %RD_TYPE_ASSET
 *
 * Reads GET /api/v1/locations or /api/v1/assets, by id, for the pickers of
 * the ticket form: the first 500, which is more than a form's list can
 * sensibly offer.
 */
void
rd_connection_list_places_async (RdConnection        *self,
                                 GType                type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (type == RD_TYPE_LOCATION || type == RD_TYPE_ASSET);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_list_places_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER (type), NULL);

  rd_connection_request_async (self, "GET",
                               type == RD_TYPE_LOCATION ? RD_API_PATH_LOCATIONS "?limit=500"
                                                        : RD_API_PATH_ASSETS "?limit=500",
                               NULL, TRUE, cancellable,
                               rd_connection_list_places_cb, g_steal_pointer (&task));
}

/**
 * rd_connection_list_places_finish:
 *
 * Returns: (transfer full): a list of #RdLocation or #RdAsset, or %NULL with
 *   an %RD_ERROR
 */
GListModel *
rd_connection_list_places_finish (RdConnection  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_list_places_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Calls, click-to-dial and the live events */

static void
rd_connection_list_calls_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  _rd_connection_items_reply (RD_CONNECTION (object), result, user_data, RD_TYPE_CALL, "call");
}

/**
 * rd_connection_list_calls_async:
 * @self: a #RdConnection
 * @phone: (nullable): only calls from a number with the same digits
 * @limit: the page size (1–500), or 0 for the server's default
 *
 * Reads the first page of GET /api/v1/calls, newest first.
 */
void
rd_connection_list_calls_async (RdConnection        *self,
                                const char          *phone,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new (RD_API_PATH_CALLS);

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (limit <= 500);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_list_calls_async);

  rd_connection_add_query (path, "phone", phone);
  if (limit > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", limit);

      rd_connection_add_query (path, "limit", text);
    }

  rd_connection_request_async (self, "GET", path->str, NULL, TRUE, cancellable,
                               rd_connection_list_calls_cb, g_steal_pointer (&task));
}

/**
 * rd_connection_list_extension_calls_async:
 * @self: a #RdConnection
 * @extension: (nullable): only calls that rang this extension; %NULL for all
 *   the user may see
 * @limit: the page size (1–500), or 0 for the server's default
 *
 * Reads the first page of GET /api/v1/calls?extension=, newest first, for
 * the call log. Finish with rd_connection_list_calls_finish().
 */
void
rd_connection_list_extension_calls_async (RdConnection        *self,
                                          const char          *extension,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new (RD_API_PATH_CALLS);
  g_autofree char *text = g_strdup_printf ("%u", limit);

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (limit <= 500);

  task = g_task_new (self, cancellable, callback, user_data);
  /* the same reply as the list by phone, and the same finish */
  g_task_set_source_tag (task, rd_connection_list_calls_async);

  rd_connection_add_query (path, "extension", extension);
  rd_connection_add_query (path, "limit", limit > 0 ? text : NULL);

  rd_connection_request_async (self, "GET", path->str, NULL, TRUE, cancellable,
                               rd_connection_list_calls_cb, g_steal_pointer (&task));
}

/**
 * rd_connection_list_calls_finish:
 *
 * Returns: (transfer full): a list of #RdCall, or %NULL with an %RD_ERROR
 */
GListModel *
rd_connection_list_calls_finish (RdConnection  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_list_calls_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static RdCall *
rd_connection_parse_call (JsonObject  *reply,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  RdCall *call;

  call = rd_codec_new_from_json (RD_TYPE_CALL, reply, &local_error);
  if (call == NULL)
    g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                 "The server’s call is not valid: %s", local_error->message);

  return call;
}

static void
rd_connection_call_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  RdCall *call;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL || (call = rd_connection_parse_call (reply, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, call, g_object_unref);
}

/* Starts @method on call @id (with @suffix), whose reply is one call, or
 * returns an error on the task for an id that is not one */
static void
rd_connection_call_request (RdConnection        *self,
                            const char          *method,
                            const char          *id,
                            const char          *suffix,
                            JsonNode            *body,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, rd_connection_call_finish);

  if (!rd_connection_number_is_valid (id))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“%s” is not a call id", id ? id : "");
      return;
    }

  path = g_strconcat (RD_API_PATH_CALLS "/", id, suffix, NULL);
  rd_connection_request_async (self, method, path, body, TRUE, cancellable,
                               rd_connection_call_cb, g_steal_pointer (&task));
}

/**
 * rd_connection_get_call_async:
 * @self: a #RdConnection
 * @id: the call id
 *
 * Reads GET /api/v1/calls/{id}. Finish with rd_connection_call_finish().
 */
void
rd_connection_get_call_async (RdConnection        *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (RD_IS_CONNECTION (self));

  rd_connection_call_request (self, "GET", id, "", NULL, cancellable, callback, user_data);
}

/**
 * rd_connection_bind_ticket_async:
 * @self: a #RdConnection
 * @call_id: the call id
 * @number: the ticket to bind to the call
 *
 * Binds the ticket and the call both ways (POST /api/v1/calls/{id}/tickets).
 * Finish with rd_connection_call_finish(), which gives the bound call.
 */
void
rd_connection_bind_ticket_async (RdConnection        *self,
                                 const char          *call_id,
                                 const char          *number,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (number != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, number);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  rd_connection_call_request (self, "POST", call_id, "/tickets", body, cancellable, callback, user_data);
}

/**
 * rd_connection_call_finish:
 *
 * Returns: (transfer full): the call, or %NULL with an %RD_ERROR
 */
RdCall *
rd_connection_call_finish (RdConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_call_finish, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The newest of the call's tickets: numbers only grow */
static const char *
rd_connection_newest_ticket (RdCall *call)
{
  const char * const *tickets = rd_call_get_tickets (call);
  const char *newest = NULL;

  for (guint i = 0; tickets != NULL && tickets[i] != NULL; i++)
    {
      if (newest == NULL || strlen (tickets[i]) > strlen (newest) ||
          (strlen (tickets[i]) == strlen (newest) && strcmp (tickets[i], newest) > 0))
        newest = tickets[i];
    }

  return newest;
}

static void
rd_connection_create_call_ticket_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  RdConnection *self = (RdConnection *)object;
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCall) call = NULL;
  g_autofree char *path = NULL;
  const char *number;

  reply = rd_connection_request_finish (self, result, &error);
  if (reply == NULL || (call = rd_connection_parse_call (reply, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  number = rd_connection_newest_ticket (call);
  if (number == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                               "The server created a ticket but the call has none");
      return;
    }

  /* The reply is the call; the form wants the ticket it made */
  path = rd_connection_ticket_path (task, number, "");
  rd_connection_ticket_request (self, task, "GET", path, NULL);
}

/**
 * rd_connection_create_call_ticket_async:
 * @self: a #RdConnection
 * @call_id: the call id
 * @fields: the members of the new ticket, as the "create" object of
 *   POST /api/v1/calls/{id}/tickets takes them
 *
 * Creates a ticket from the call, bound to it. Finish with
 * rd_connection_ticket_finish(), which gives the new ticket.
 */
void
rd_connection_create_call_ticket_async (RdConnection        *self,
                                        const char          *call_id,
                                        JsonObject          *fields,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) wrapper = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (fields != NULL);

  task = rd_connection_ticket_task (self, cancellable, callback, user_data);

  if (!rd_connection_number_is_valid (call_id))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“%s” is not a call id", call_id ? call_id : "");
      return;
    }

  json_object_set_object_member (wrapper, "create", json_object_ref (fields));
  body = json_node_init_object (json_node_alloc (), wrapper);
  path = g_strconcat (RD_API_PATH_CALLS "/", call_id, "/tickets", NULL);
  rd_connection_request_async (self, "POST", path, body, TRUE, cancellable,
                               rd_connection_create_call_ticket_cb, g_steal_pointer (&task));
}

static void
rd_connection_dial_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  GError *error = NULL;

  reply = rd_connection_request_finish (RD_CONNECTION (object), result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * rd_connection_dial_async:
 * @self: a #RdConnection
 * @from_extension: the extension that places the call
 * @to: the number to call
 *
 * Click-to-dial (POST /api/v1/calls): the PBX rings @from_extension and,
 * when it picks up, calls @to.
 */
void
rd_connection_dial_async (RdConnection        *self,
                          const char          *from_extension,
                          const char          *to,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (from_extension != NULL);
  g_return_if_fail (to != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_dial_async);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from_extension");
  json_builder_add_string_value (builder, from_extension);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  rd_connection_request_async (self, "POST", RD_API_PATH_CALLS, body, TRUE, cancellable,
                               rd_connection_dial_cb, g_steal_pointer (&task));
}

gboolean
rd_connection_dial_finish (RdConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_dial_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rd_connection_connect_events_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *websocket;
  SoupMessage *message = g_task_get_task_data (task);

  websocket = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (websocket != NULL)
    {
      g_task_return_pointer (task, websocket, g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (soup_message_get_status (message) == SOUP_STATUS_UNAUTHORIZED)
    g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAUTHORIZED,
                             "The session has ended");
  else if (soup_message_get_status (message) >= 400)
    g_task_return_new_error (task, RD_ERROR,
                             rd_error_from_http_status (soup_message_get_status (message)),
                             "The server refused the live events: HTTP %u",
                             soup_message_get_status (message));
  else
    g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                             "Could not reach the server: %s", error->message);
}

/**
 * rd_connection_connect_events_async:
 * @self: a signed-in #RdConnection
 *
 * Opens the WebSocket of the live events (RD_API_PATH_EVENTS) with the
 * session's bearer token in the Authorization header.
 */
void
rd_connection_connect_events_async (RdConnection        *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *authorization = NULL;

  g_return_if_fail (RD_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_connection_connect_events_async);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAUTHORIZED, "Not signed in");
      return;
    }

  uri = g_uri_parse_relative (self->base_uri, RD_API_PATH_EVENTS + 1, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INTERNAL,
                               "Could not build the events address: %s", error->message);
      return;
    }

  message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  authorization = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", authorization);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);

  soup_session_websocket_connect_async (self->session, message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, cancellable,
                                        rd_connection_connect_events_cb,
                                        g_steal_pointer (&task));
}

/**
 * rd_connection_connect_events_finish:
 *
 * Returns: (transfer full): the open WebSocket, or %NULL with an %RD_ERROR
 *   (%RD_ERROR_UNAUTHORIZED when the session ended)
 */
SoupWebsocketConnection *
rd_connection_connect_events_finish (RdConnection  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_connect_events_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
