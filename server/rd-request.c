/* rd-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wraps a SoupServerMessage for the handlers: the matched route and its path
 * parameters, the query, the signed-in user, a JSON body reader that maps every
 * problem to an RdError, and reply helpers that always answer failures with
 * `{"error":{"code":"…","message":"…"}}`. A handler that goes asynchronous calls
 * rd_request_pause() and keeps a reference; the reply unpauses the message. If
 * the client went away meanwhile the reply is dropped.
 */

#define G_LOG_DOMAIN "RdRequest"

#include "config.h"

#include "rd-api.h"
#include "rd-json.h"
#include "rd-request.h"
#include "rd-util.h"

struct _RdRequest
{
  GObject             parent_instance;

  SoupServerMessage  *message;      /* weak */
  char               *route;
  GHashTable         *params;
  GHashTable         *query;
  RdUser             *user;
  char               *token;
  gint64              started;
  gsize               max_body_size;
  gsize               body_size;
  gboolean            paused;
  gboolean            replied;
};

G_DEFINE_FINAL_TYPE (RdRequest, rd_request, G_TYPE_OBJECT)

RdRequest *
rd_request_new (SoupServerMessage *message,
                gsize              max_body_size)
{
  RdRequest *self;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (message), NULL);

  self = g_object_new (RD_TYPE_REQUEST, NULL);
  self->message = message;
  g_object_add_weak_pointer (G_OBJECT (message), (gpointer *) &self->message);
  self->max_body_size = max_body_size;
  self->started = g_get_monotonic_time ();

  return self;
}

SoupServerMessage *
rd_request_get_message (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  return self->message;
}

const char *
rd_request_get_method (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  if (self->message == NULL)
    return NULL;

  return soup_server_message_get_method (self->message);
}

/**
 * rd_request_get_path:
 *
 * Returns: the path, without the query
 */
const char *
rd_request_get_path (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  if (self->message == NULL)
    return NULL;

  return g_uri_get_path (soup_server_message_get_uri (self->message));
}

/**
 * rd_request_get_route:
 *
 * Returns: (nullable): the pattern of the matched route, e.g. `/api/v1/users/{username}`
 */
const char *
rd_request_get_route (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  return self->route;
}

void
rd_request_set_route (RdRequest  *self,
                      const char *route,
                      GHashTable *params)
{
  g_return_if_fail (RD_IS_REQUEST (self));

  rd_set_str (&self->route, route);
  g_clear_pointer (&self->params, g_hash_table_unref);
  if (params != NULL)
    self->params = g_hash_table_ref (params);
}

const char *
rd_request_get_param (RdRequest  *self,
                      const char *name)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  if (self->params == NULL)
    return NULL;

  return g_hash_table_lookup (self->params, name);
}

void
rd_request_set_query (RdRequest  *self,
                      GHashTable *query)
{
  g_return_if_fail (RD_IS_REQUEST (self));

  g_clear_pointer (&self->query, g_hash_table_unref);
  if (query != NULL)
    self->query = g_hash_table_ref (query);
}

const char *
rd_request_get_query (RdRequest  *self,
                      const char *name)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  if (self->query == NULL)
    return NULL;

  return g_hash_table_lookup (self->query, name);
}

/**
 * rd_request_get_limit:
 *
 * Reads `?limit=` (default 50, 1 to 500).
 */
gboolean
rd_request_get_limit (RdRequest  *self,
                      guint      *limit,
                      GError    **error)
{
  const char *text = rd_request_get_query (self, "limit");
  guint64 value = RD_API_LIST_LIMIT_DEFAULT;

  if (text != NULL &&
      !g_ascii_string_to_unsigned (text, 10, 1, RD_API_LIST_LIMIT_MAX, &value, NULL))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Parameter “limit” must be a number from 1 to %d", RD_API_LIST_LIMIT_MAX);
      return FALSE;
    }

  *limit = (guint) value;
  return TRUE;
}

void
rd_request_set_auth (RdRequest  *self,
                     RdUser     *user,
                     const char *token)
{
  g_return_if_fail (RD_IS_REQUEST (self));

  g_set_object (&self->user, user);
  rd_set_str (&self->token, token);
}

/**
 * rd_request_get_user:
 *
 * Returns: (transfer none) (nullable): the signed-in user
 */
RdUser *
rd_request_get_user (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  return self->user;
}

/**
 * rd_request_get_token:
 *
 * Returns: (nullable): the bearer token of this request. Never log it.
 */
const char *
rd_request_get_token (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  return self->token;
}

/**
 * rd_request_add_body_bytes:
 *
 * Counts body bytes as they arrive.
 *
 * Returns: %FALSE once the body is larger than the limit
 */
gboolean
rd_request_add_body_bytes (RdRequest *self,
                           gsize      n_bytes)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), FALSE);

  if (n_bytes > G_MAXSIZE - self->body_size)
    self->body_size = G_MAXSIZE;
  else
    self->body_size += n_bytes;

  return self->body_size <= self->max_body_size;
}

double
rd_request_get_elapsed (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), 0.0);

  return (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
}

/**
 * rd_request_read_json:
 *
 * Reads the body as a JSON object through rd_json_parse_bytes(). Fails with
 * %RD_ERROR_TOO_LARGE, %RD_ERROR_INVALID_JSON or %RD_ERROR_UNSUPPORTED_MEDIA_TYPE.
 *
 * Returns: (transfer full): the object
 */
JsonObject *
rd_request_read_json (RdRequest  *self,
                      GError    **error)
{
  SoupMessageBody *body;
  SoupMessageHeaders *headers;
  const char *content_type;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (RD_IS_REQUEST (self), NULL);

  if (self->message == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INTERNAL, "The request is gone");
      return NULL;
    }

  headers = soup_server_message_get_request_headers (self->message);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           "The body must be JSON (Content-Type: application/json)");
      return NULL;
    }

  body = soup_server_message_get_request_body (self->message);
  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) > self->max_body_size)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_TOO_LARGE,
                   "The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body_size);
      return NULL;
    }

  return rd_json_parse_bytes (bytes, error);
}

/* replies */

void
rd_request_pause (RdRequest *self)
{
  g_return_if_fail (RD_IS_REQUEST (self));
  g_return_if_fail (!self->paused);

  if (self->message == NULL)
    return;

  self->paused = TRUE;
  soup_server_message_pause (self->message);
}

gboolean
rd_request_is_paused (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), FALSE);

  return self->paused;
}

gboolean
rd_request_has_reply (RdRequest *self)
{
  g_return_val_if_fail (RD_IS_REQUEST (self), FALSE);

  return self->replied;
}

static void
unpause (RdRequest *self)
{
  if (self->paused)
    {
      self->paused = FALSE;
      soup_server_message_unpause (self->message);
    }
}

static void
reply_bytes (RdRequest  *self,
             guint       status,
             const char *content_type,
             char       *data,
             gsize       length)
{
  if (self->replied || self->message == NULL)
    {
      g_free (data);
      return;
    }

  self->replied = TRUE;
  soup_server_message_set_status (self->message, status, NULL);
  if (content_type != NULL)
    soup_server_message_set_response (self->message, content_type, SOUP_MEMORY_TAKE, data, length);
  else
    g_free (data);

  unpause (self);
}

/**
 * rd_request_reply_bytes:
 * @bytes: the body, e.g. a mapped file (see g_mapped_file_get_bytes())
 *
 * Answers with a body of any type; Content-Length comes from @bytes.
 */
void
rd_request_reply_bytes (RdRequest  *self,
                        guint       status,
                        const char *content_type,
                        GBytes     *bytes)
{
  g_return_if_fail (RD_IS_REQUEST (self));
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (bytes != NULL);

  if (self->replied || self->message == NULL)
    return;

  self->replied = TRUE;
  soup_server_message_set_status (self->message, status, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (self->message),
                                         content_type, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (self->message), bytes);

  unpause (self);
}

void
rd_request_reply_json (RdRequest *self,
                       guint      status,
                       JsonNode  *node)
{
  char *text;

  g_return_if_fail (RD_IS_REQUEST (self));
  g_return_if_fail (node != NULL);

  text = rd_json_to_string (node, FALSE);
  reply_bytes (self, status, "application/json", text, strlen (text));
}

void
rd_request_reply_codec (RdRequest *self,
                        guint      status,
                        RdCodec   *object)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (RD_IS_REQUEST (self));
  g_return_if_fail (RD_IS_CODEC (object));

  node = rd_codec_to_node (object);
  rd_request_reply_json (self, status, node);
}

void
rd_request_reply_text (RdRequest  *self,
                       guint       status,
                       const char *content_type,
                       const char *text)
{
  g_return_if_fail (RD_IS_REQUEST (self));
  g_return_if_fail (text != NULL);

  reply_bytes (self, status, content_type, g_strdup (text), strlen (text));
}

void
rd_request_reply_empty (RdRequest *self,
                        guint      status)
{
  g_return_if_fail (RD_IS_REQUEST (self));

  reply_bytes (self, status, NULL, NULL, 0);
}

void
rd_request_reply_error_literal (RdRequest  *self,
                                RdError     code,
                                const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  guint status = rd_error_to_http_status (code);

  g_return_if_fail (RD_IS_REQUEST (self));

  /* the details of internal failures go to the log, not to the client */
  if (code == RD_ERROR_INTERNAL || code == RD_ERROR_UNAVAILABLE)
    {
      /* the route's pattern, not the path: a webhook's path carries its secret */
      const char *where = rd_request_get_route (self);

      g_warning ("%s %s: %s", rd_request_get_method (self),
                 where != NULL ? where : "(no route)", message);
      message = code == RD_ERROR_INTERNAL ? "Internal server error" : "Service unavailable";
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "code", rd_error_to_code (code));
  rd_json_builder_add_string (builder, "message", message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  if (self->message != NULL && code == RD_ERROR_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (self->message),
                                  "WWW-Authenticate",
                                  self->token != NULL
                                  ? "Bearer realm=\"ringdesk\", error=\"invalid_token\""
                                  : "Bearer realm=\"ringdesk\"");

  rd_request_reply_json (self, status, node);
}

/**
 * rd_request_reply_error:
 *
 * Answers with the error object of @error; errors outside %RD_ERROR are
 * internal errors.
 */
void
rd_request_reply_error (RdRequest    *self,
                        const GError *error)
{
  g_return_if_fail (RD_IS_REQUEST (self));
  g_return_if_fail (error != NULL);

  if (error->domain == RD_ERROR && error->code >= 0 && error->code < RD_ERROR_LAST)
    rd_request_reply_error_literal (self, (RdError) error->code, error->message);
  else
    rd_request_reply_error_literal (self, RD_ERROR_INTERNAL, error->message);
}

static void
rd_request_finalize (GObject *object)
{
  RdRequest *self = (RdRequest *) object;

  if (self->message != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->message), (gpointer *) &self->message);
  g_clear_pointer (&self->route, g_free);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_clear_object (&self->user);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (rd_request_parent_class)->finalize (object);
}

static void
rd_request_class_init (RdRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_request_finalize;
}

static void
rd_request_init (RdRequest *self)
{
}
