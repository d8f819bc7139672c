/* rd-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP transport: a SoupServer, a route table (method + path pattern →
 * handler, auth and roles) and the checks every request goes through. The
 * engine and the store below never see libsoup.
 *
 * What can be decided from the headers is decided in "got-headers", before
 * libsoup reads the body: unknown route (404), wrong method (405 + Allow),
 * missing or bad token (401), wrong role (403), Content-Length over the limit
 * (413) and a non-JSON Content-Type (415). When that fails the body is not
 * kept in memory (accumulation is switched off; with `Expect: 100-continue` it
 * is never sent). Bodies without a Content-Length are counted chunk by chunk,
 * and the size is checked again once the body is complete.
 *
 * Streamed routes (rd_server_add_stream_route(), for file uploads) have their
 * own size limit, checked against Content-Length in "got-headers" and chunk by
 * chunk after. Their body is never accumulated: once the headers pass, the
 * route's open function gives an output stream and every chunk is written to
 * it in "got-chunk" (a short write to a local file); the handler runs when the
 * body is complete and takes the stream with rd_server_get_body_stream(). A
 * failed write (the stream may refuse content) is the reply; an aborted
 * request drops the stream.
 */

#define G_LOG_DOMAIN "RdServer"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-api.h"
#include "rd-handlers.h"
#include "rd-server.h"

typedef struct
{
  char         *method;
  char         *pattern;
  char        **segments;
  RdRouteFlags  flags;
  char        **roles;
  RdRouteFunc   func;
  RdStreamOpenFunc open_func;
  guint64       stream_max;
} RdRoute;

typedef struct
{
  GOutputStream *stream;
  guint64        received;
  guint64        max;
} RdBodyStream;

struct _RdServer
{
  GObject     parent_instance;

  SoupServer *soup;
  RdAuth     *auth;
  RdMetrics  *metrics;
  RdCallEngine *call_engine;
  GPtrArray    *cti_links;
  gsize       max_body_size;
  GPtrArray  *routes;
  RdThrottle *user_throttle;
  RdThrottle *address_throttle;

  RdTicketStore   *tickets;
  RdGroupStore    *groups;
  RdAssigner      *assigner;
  RdCustomerStore *customers;
  RdPlaceStore    *places;
  RdWorkOrderStore *work_orders;
};

G_DEFINE_FINAL_TYPE (RdServer, rd_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_METRICS,
  PROP_MAX_BODY_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TOKEN_REVOKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define REQUEST_KEY "rd-request"
#define STREAM_KEY  "rd-body-stream"

static void
rd_body_stream_free (RdBodyStream *body)
{
  g_clear_object (&body->stream);
  g_free (body);
}

static void
rd_route_free (RdRoute *route)
{
  g_free (route->method);
  g_free (route->pattern);
  g_strfreev (route->segments);
  g_strfreev (route->roles);
  g_free (route);
}

/**
 * rd_server_add_route:
 * @pattern: an absolute path; a segment `{name}` matches any one segment,
 *   available to the handler as rd_request_get_param (request, "name")
 * @roles: (nullable): any one of these roles is needed; %NULL for any user
 */
void
rd_server_add_route (RdServer           *self,
                     const char         *method,
                     const char         *pattern,
                     RdRouteFlags        flags,
                     const char * const *roles,
                     RdRouteFunc         func)
{
  RdRoute *route;

  g_return_if_fail (RD_IS_SERVER (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (pattern != NULL && pattern[0] == '/');
  g_return_if_fail (func != NULL);

  route = g_new0 (RdRoute, 1);
  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  route->segments = g_strsplit (pattern + 1, "/", -1);
  route->flags = flags;
  route->roles = g_strdupv ((char **) roles);
  route->func = func;

  g_ptr_array_add (self->routes, route);
}

/**
 * rd_server_add_stream_route:
 * @max_body_size: the largest body accepted (413 beyond, before or while reading)
 * @open_func: gives the stream each body is written to
 * @func: runs once the body is complete
 *
 * Like rd_server_add_route() for a route whose body is streamed to
 * @open_func's stream instead of being kept in memory.
 */
void
rd_server_add_stream_route (RdServer           *self,
                            const char         *method,
                            const char         *pattern,
                            RdRouteFlags        flags,
                            const char * const *roles,
                            guint64             max_body_size,
                            RdStreamOpenFunc    open_func,
                            RdRouteFunc         func)
{
  RdRoute *route;

  g_return_if_fail (RD_IS_SERVER (self));
  g_return_if_fail (open_func != NULL);
  g_return_if_fail ((flags & RD_ROUTE_JSON_BODY) == 0);

  rd_server_add_route (self, method, pattern, flags | RD_ROUTE_STREAM_BODY, roles, func);
  route = g_ptr_array_index (self->routes, self->routes->len - 1);
  route->open_func = open_func;
  route->stream_max = max_body_size;
}

/**
 * rd_server_get_body_stream:
 *
 * Returns: (transfer none) (nullable): the stream the body of @request was
 *   written to, for the handler of a streamed route
 */
GOutputStream *
rd_server_get_body_stream (RdServer  *self,
                           RdRequest *request)
{
  SoupServerMessage *msg;
  RdBodyStream *body;

  g_return_val_if_fail (RD_IS_SERVER (self), NULL);
  g_return_val_if_fail (RD_IS_REQUEST (request), NULL);

  msg = rd_request_get_message (request);
  if (msg == NULL)
    return NULL;

  body = g_object_get_data (G_OBJECT (msg), STREAM_KEY);
  return body != NULL ? body->stream : NULL;
}

static gboolean
route_matches_path (RdRoute     *route,
                    char       **segments,
                    GHashTable **params)
{
  g_autoptr(GHashTable) found = NULL;
  guint n = g_strv_length (route->segments);

  if (g_strv_length (segments) != n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      const char *want = route->segments[i];
      gsize want_len = strlen (want);

      if (want_len > 2 && want[0] == '{' && want[want_len - 1] == '}')
        {
          g_autofree char *name = NULL;
          char *value;

          if (segments[i][0] == '\0')
            return FALSE;
          /* NULL for invalid escapes or an escaped "/" */
          value = g_uri_unescape_string (segments[i], "/");
          if (value == NULL)
            return FALSE;
          if (found == NULL)
            found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          name = g_strndup (want + 1, want_len - 2);
          g_hash_table_insert (found, g_steal_pointer (&name), value);
        }
      else if (!g_str_equal (want, segments[i]))
        {
          return FALSE;
        }
    }

  if (params != NULL)
    *params = g_steal_pointer (&found);

  return TRUE;
}

/* Finds the route for @method and @path. On a path that exists with other
 * methods, returns NULL and sets @allow. */
static RdRoute *
find_route (RdServer    *self,
            const char  *method,
            const char  *path,
            GHashTable **params,
            char       **allow)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GString) methods = NULL;

  if (path == NULL || path[0] != '/')
    return NULL;

  segments = g_strsplit (path + 1, "/", -1);

  for (guint i = 0; i < self->routes->len; i++)
    {
      RdRoute *route = g_ptr_array_index (self->routes, i);

      if (!route_matches_path (route, segments, NULL))
        continue;

      if (g_str_equal (route->method, method))
        {
          route_matches_path (route, segments, params);
          return route;
        }

      if (methods == NULL)
        methods = g_string_new (route->method);
      else if (strstr (methods->str, route->method) == NULL)
        g_string_append_printf (methods, ", %s", route->method);
    }

  if (methods != NULL)
    *allow = g_string_free (g_steal_pointer (&methods), FALSE);

  return NULL;
}

static RdRequest *
get_request (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
}

/* Stops keeping the body: the reply is decided. */
static void
drop_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
}

static const char *
get_bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;

  value += 7;
  while (*value == ' ')
    value++;

  return value;
}

/* `?token=` of the request, for the routes that take it */
static char *
get_query_token (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;

  if (query == NULL)
    return NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;

  return g_strdup (g_hash_table_lookup (params, "token"));
}

static gboolean
authorize (RdServer   *self,
           RdRequest  *request,
           RdRoute    *route,
           GError    **error)
{
  SoupServerMessage *msg = rd_request_get_message (request);
  const char *token = get_bearer_token (msg);
  g_autoptr(RdUser) user = NULL;

  g_autofree char *query_token = NULL;

  if ((route->flags & RD_ROUTE_PUBLIC) != 0)
    return TRUE;

  if (token == NULL && (route->flags & RD_ROUTE_QUERY_TOKEN) != 0)
    {
      query_token = get_query_token (msg);
      token = query_token;
    }

  if (token == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAUTHORIZED,
                           "Sign in first (Authorization: Bearer TOKEN)");
      return FALSE;
    }

  rd_request_set_auth (request, NULL, token);

  user = rd_auth_authenticate (self->auth, token, error);
  if (user == NULL)
    return FALSE;

  rd_request_set_auth (request, user, token);

  return rd_auth_require_role (user, (const char * const *) route->roles, error);
}

static gboolean
check_body_headers (RdServer   *self,
                    RdRequest  *request,
                    RdRoute    *route,
                    GError    **error)
{
  SoupServerMessage *msg = rd_request_get_message (request);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  guint64 max = (route->flags & RD_ROUTE_STREAM_BODY) ? route->stream_max : self->max_body_size;
  goffset length = 0;
  const char *content_type;

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  if (length < 0 || (guint64) length > max)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_TOO_LARGE,
                   "The body is larger than %" G_GUINT64_FORMAT " bytes", max);
      return FALSE;
    }

  if ((route->flags & RD_ROUTE_JSON_BODY) == 0)
    return TRUE;

  /* a body is coming: it must be JSON */
  if (length > 0 || encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    {
      content_type = soup_message_headers_get_content_type (headers, NULL);
      if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                               "The body must be JSON (Content-Type: application/json)");
          return FALSE;
        }
    }

  return TRUE;
}

/* For a streamed route: the query, then the route's stream for the body. */
static gboolean
open_body_stream (RdServer   *self,
                  RdRequest  *request,
                  RdRoute    *route,
                  GError    **error)
{
  SoupServerMessage *msg = rd_request_get_message (request);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  RdBodyStream *body;
  GOutputStream *stream;

  if (query != NULL)
    {
      g_autoptr(GHashTable) form = soup_form_decode (query);
      rd_request_set_query (request, form);
    }

  stream = route->open_func (self, request, error);
  if (stream == NULL)
    return FALSE;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  body = g_new0 (RdBodyStream, 1);
  body->stream = stream;
  body->max = route->stream_max;
  g_object_set_data_full (G_OBJECT (msg), STREAM_KEY, body, (GDestroyNotify) rd_body_stream_free);

  return TRUE;
}

/* Writes a chunk of a streamed body; a failure is the reply. */
static void
write_body_chunk (SoupServerMessage *msg,
                  RdRequest         *request,
                  RdBodyStream      *body,
                  GBytes            *chunk)
{
  g_autoptr(GError) error = NULL;
  gsize size = g_bytes_get_size (chunk);

  body->received += size;
  if (body->received > body->max)
    g_set_error (&error, RD_ERROR, RD_ERROR_TOO_LARGE,
                 "The body is larger than %" G_GUINT64_FORMAT " bytes", body->max);
  else
    g_output_stream_write_all (body->stream, g_bytes_get_data (chunk, NULL), size, NULL, NULL, &error);

  if (error != NULL)
    {
      /* drops the stream, and with it what was written */
      g_object_set_data (G_OBJECT (msg), STREAM_KEY, NULL);
      rd_request_reply_error (request, error);
    }
}

static void
got_headers_cb (SoupServerMessage *msg,
                RdServer          *self)
{
  RdRequest *request = get_request (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *allow = NULL;
  g_autoptr(GError) error = NULL;
  RdRoute *route;
  guint status;

  if (request == NULL)
    return;

  /* libsoup 3.2 never closes a kept-alive connection that the client closed
   * while idle (it stays in CLOSE-WAIT, one file descriptor each, until the
   * server runs out; fixed in libsoup 3.3). So every reply but a WebSocket
   * upgrade closes its connection. See docs/decisions.md. */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Upgrade") == NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  /* libsoup rejected it already (e.g. a path with "..") */
  status = soup_server_message_get_status (msg);
  if (status != 0)
    {
      RdError code = rd_error_from_http_status (status);

      drop_body (msg);
      rd_request_reply_error_literal (request, code,
                                      code == RD_ERROR_INVALID_JSON ? "Bad request"
                                      : soup_status_get_phrase (status));
      soup_server_message_set_status (msg, status, NULL);
      return;
    }

  route = find_route (self, soup_server_message_get_method (msg),
                      rd_request_get_path (request), &params, &allow);
  if (route == NULL)
    {
      drop_body (msg);
      if (allow != NULL)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", allow);
          rd_request_reply_error_literal (request, RD_ERROR_METHOD_NOT_ALLOWED,
                                          "This method is not allowed here");
        }
      else
        {
          rd_request_reply_error_literal (request, RD_ERROR_NOT_FOUND, "No such resource");
        }
      return;
    }

  rd_request_set_route (request, route->pattern, params);

  if (!authorize (self, request, route, &error) ||
      !check_body_headers (self, request, route, &error) ||
      ((route->flags & RD_ROUTE_STREAM_BODY) != 0 && !open_body_stream (self, request, route, &error)))
    {
      drop_body (msg);
      rd_request_reply_error (request, error);
      return;
    }
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              RdServer          *self)
{
  RdRequest *request = get_request (msg);
  RdBodyStream *body;

  if (request == NULL || rd_request_has_reply (request))
    return;

  body = g_object_get_data (G_OBJECT (msg), STREAM_KEY);
  if (body != NULL)
    {
      write_body_chunk (msg, request, body, chunk);
      return;
    }

  if (!rd_request_add_body_bytes (request, g_bytes_get_size (chunk)))
    {
      g_autofree char *message =
        g_strdup_printf ("The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body_size);

      drop_body (msg);
      rd_request_reply_error_literal (request, RD_ERROR_TOO_LARGE, message);
    }
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    RdServer          *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  RdRequest *request = rd_request_new (msg, self->max_body_size);

  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, request, g_object_unref);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");

  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
}

/* the pattern of a route whose path carries a secret, if @path is one (with
 * any method), for the access log; or NULL */
static const char *
secret_path_pattern (RdServer   *self,
                     const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (path == NULL || path[0] != '/')
    return NULL;

  for (guint i = 0; i < self->routes->len; i++)
    {
      RdRoute *route = g_ptr_array_index (self->routes, i);

      if ((route->flags & RD_ROUTE_SECRET_PATH) == 0)
        continue;
      if (segments == NULL)
        segments = g_strsplit (path + 1, "/", -1);
      if (route_matches_path (route, segments, NULL))
        return route->pattern;
    }

  return NULL;
}

static void
request_done (RdServer          *self,
              SoupServerMessage *msg,
              gboolean           aborted)
{
  RdRequest *request = get_request (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  guint status = soup_server_message_get_status (msg);
  RdUser *user;
  const char *username = "-";
  char status_text[16];
  double seconds = 0;

  if (request == NULL)
    return;

  user = rd_request_get_user (request);
  if (user != NULL)
    username = rd_user_get_username (user);
  seconds = rd_request_get_elapsed (request);

  rd_metrics_observe_request (self->metrics, method, rd_request_get_route (request),
                              status, seconds);

  /* the path only: queries may carry secrets; so may some paths */
  if (secret_path_pattern (self, path) != NULL)
    path = secret_path_pattern (self, path);
  g_snprintf (status_text, sizeof status_text, "%u", status);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "HTTP_METHOD", method != NULL ? method : "-",
                    "HTTP_PATH", path != NULL ? path : "-",
                    "HTTP_STATUS", status_text,
                    "HTTP_USER", username,
                    "MESSAGE", "%s %s %u %.1fms user=%s%s",
                    method != NULL ? method : "-", path != NULL ? path : "-",
                    status, seconds * 1000.0, username, aborted ? " (aborted)" : "");
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     RdServer          *self)
{
  request_done (self, msg, FALSE);
}

static void
request_aborted_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    RdServer          *self)
{
  request_done (self, msg, TRUE);
}

static void
dispatch_cb (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  RdServer *self = user_data;
  RdRequest *request = get_request (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *allow = NULL;
  SoupMessageBody *body;
  RdRoute *route;

  if (request == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  if (rd_request_has_reply (request))
    return;

  /* the route was found in got-headers; find it again to get the function */
  route = find_route (self, soup_server_message_get_method (msg), path, &params, &allow);
  if (route == NULL)
    {
      rd_request_reply_error_literal (request, RD_ERROR_NOT_FOUND, "No such resource");
      return;
    }

  body = soup_server_message_get_request_body (msg);
  if (body->length < 0 || (guint64) body->length > self->max_body_size)
    {
      g_autofree char *message =
        g_strdup_printf ("The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body_size);
      rd_request_reply_error_literal (request, RD_ERROR_TOO_LARGE, message);
      return;
    }

  rd_request_set_query (request, query);

  g_object_ref (request);
  route->func (self, request);
  /* a handler that went asynchronous has paused the message; any other
   * must have replied */
  if (!rd_request_has_reply (request) && !rd_request_is_paused (request))
    rd_request_reply_error_literal (request, RD_ERROR_INTERNAL, "The handler gave no reply");
  g_object_unref (request);
}

/**
 * rd_server_listen:
 * @host: an IP address
 * @port: a port, or 0 for a free one (see rd_server_get_uri())
 */
gboolean
rd_server_listen (RdServer    *self,
                  const char  *host,
                  guint16      port,
                  GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (RD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", host);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (address, port);
  if (!soup_server_listen (self->soup, socket_address, 0, error))
    {
      g_prefix_error (error, "Cannot listen on %s port %u: ", host, port);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_server_disconnect:
 *
 * Stops listening and closes the client connections.
 */
void
rd_server_disconnect (RdServer *self)
{
  g_return_if_fail (RD_IS_SERVER (self));

  soup_server_disconnect (self->soup);
}

/**
 * rd_server_get_uri:
 *
 * Returns: (transfer full) (nullable): `http://HOST:PORT/` of the first listener
 */
char *
rd_server_get_uri (RdServer *self)
{
  GSList *uris;
  char *text = NULL;

  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return text;
}

RdAuth *
rd_server_get_auth (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->auth;
}

RdStore *
rd_server_get_store (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return rd_auth_get_store (self->auth);
}

RdMetrics *
rd_server_get_metrics (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->metrics;
}

/**
 * rd_server_add_cti_link:
 * @link: a link the daemon runs
 *
 * Lets /healthz and /metrics report @link's state.
 */
void
rd_server_add_cti_link (RdServer  *self,
                        RdCtiLink *link)
{
  g_return_if_fail (RD_IS_SERVER (self));
  g_return_if_fail (RD_IS_CTI_LINK (link));

  g_ptr_array_add (self->cti_links, g_object_ref (link));
}

/**
 * rd_server_get_cti_links:
 *
 * Returns: (transfer none) (element-type RdCtiLink): the links, maybe none
 */
GPtrArray *
rd_server_get_cti_links (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->cti_links;
}

/**
 * rd_server_get_cti_state:
 *
 * The state of the PBX connection as a whole, for /healthz: the worst of
 * the links (down before connecting before connected); down without links.
 */
RdCtiLinkState
rd_server_get_cti_state (RdServer *self)
{
  gboolean any_connecting = FALSE;

  g_return_val_if_fail (RD_IS_SERVER (self), RD_CTI_LINK_STATE_DOWN);

  if (self->cti_links->len == 0)
    return RD_CTI_LINK_STATE_DOWN;

  for (guint i = 0; i < self->cti_links->len; i++)
    {
      switch (rd_cti_link_get_state (g_ptr_array_index (self->cti_links, i)))
        {
        case RD_CTI_LINK_STATE_STOPPED:
        case RD_CTI_LINK_STATE_DOWN:
          return RD_CTI_LINK_STATE_DOWN;
        case RD_CTI_LINK_STATE_CONNECTING:
          any_connecting = TRUE;
          break;
        case RD_CTI_LINK_STATE_CONNECTED:
        default:
          break;
        }
    }

  return any_connecting ? RD_CTI_LINK_STATE_CONNECTING : RD_CTI_LINK_STATE_CONNECTED;
}

/**
 * rd_server_set_call_engine:
 * @engine: (nullable): the engine the /calls routes use; without one they
 *   answer 503
 */
void
rd_server_set_call_engine (RdServer     *self,
                           RdCallEngine *engine)
{
  g_return_if_fail (RD_IS_SERVER (self));
  g_return_if_fail (engine == NULL || RD_IS_CALL_ENGINE (engine));

  g_set_object (&self->call_engine, engine);
}

/**
 * rd_server_get_call_engine:
 *
 * Returns: (transfer none) (nullable): the call engine
 */
RdCallEngine *
rd_server_get_call_engine (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->call_engine;
}

/**
 * rd_server_get_user_throttle:
 *
 * Returns: (transfer none): the sign-in failures per username
 */
RdThrottle *
rd_server_get_user_throttle (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->user_throttle;
}

/**
 * rd_server_get_address_throttle:
 *
 * Returns: (transfer none): the sign-in failures per client address
 */
RdThrottle *
rd_server_get_address_throttle (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->address_throttle;
}

/**
 * rd_server_foreach_route:
 *
 * Calls @func for every route, in the order they were added.
 */
void
rd_server_foreach_route (RdServer           *self,
                         RdRouteForeachFunc  func,
                         gpointer            user_data)
{
  g_return_if_fail (RD_IS_SERVER (self));
  g_return_if_fail (func != NULL);

  for (guint i = 0; i < self->routes->len; i++)
    {
      RdRoute *route = g_ptr_array_index (self->routes, i);

      func (route->method, route->pattern, route->flags,
            (const char * const *) route->roles, user_data);
    }
}

/**
 * rd_server_token_revoked:
 * @token: the token that stopped being valid (signed out)
 *
 * Emits #RdServer::token-revoked, so long-lived connections made with
 * @token (the event WebSocket) end at once.
 */
void
rd_server_token_revoked (RdServer   *self,
                         const char *token)
{
  g_return_if_fail (RD_IS_SERVER (self));
  g_return_if_fail (token != NULL);

  g_signal_emit (self, signals[SIGNAL_TOKEN_REVOKED], 0, token);
}

RdTicketStore *
rd_server_get_ticket_store (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->tickets;
}

RdGroupStore *
rd_server_get_group_store (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->groups;
}

RdCustomerStore *
rd_server_get_customer_store (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->customers;
}

RdPlaceStore *
rd_server_get_place_store (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->places;
}

RdWorkOrderStore *
rd_server_get_work_order_store (RdServer *self)
{
  g_return_val_if_fail (RD_IS_SERVER (self), NULL);

  return self->work_orders;
}

static void
rd_server_constructed (GObject *object)
{
  RdServer *self = (RdServer *) object;
  RdStore *store;

  G_OBJECT_CLASS (rd_server_parent_class)->constructed (object);

  store = rd_auth_get_store (self->auth);
  self->tickets = rd_ticket_store_new (store);
  self->groups = rd_group_store_new (store);
  self->assigner = rd_assigner_new (self->groups);
  rd_ticket_store_set_assigner (self->tickets, self->assigner);
  self->customers = rd_customer_store_new (store);
  self->places = rd_place_store_new (store);
  self->work_orders = rd_work_order_store_new (store);

  self->soup = soup_server_new ("server-header", "ringdesk-server", NULL);
  soup_server_add_handler (self->soup, NULL, dispatch_cb, self, NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self, 0);

  rd_handler_ops_register (self);
  rd_handler_session_register (self);
  rd_handler_users_register (self);
  rd_handler_tickets_register (self);
  rd_handler_calls_register (self);
  rd_handler_groups_register (self);
  rd_handler_customers_register (self);
  rd_handler_places_register (self);
}

static void
rd_server_dispose (GObject *object)
{
  RdServer *self = (RdServer *) object;

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      soup_server_remove_handler (self->soup, "/");
      g_clear_object (&self->soup);
    }
  g_clear_object (&self->tickets);
  g_clear_object (&self->assigner);
  g_clear_object (&self->groups);
  g_clear_object (&self->customers);
  g_clear_object (&self->places);
  g_clear_object (&self->work_orders);
  g_clear_object (&self->auth);
  g_clear_object (&self->metrics);
  g_clear_object (&self->call_engine);
  g_clear_pointer (&self->cti_links, g_ptr_array_unref);
  g_clear_object (&self->user_throttle);
  g_clear_object (&self->address_throttle);

  G_OBJECT_CLASS (rd_server_parent_class)->dispose (object);
}

static void
rd_server_finalize (GObject *object)
{
  RdServer *self = (RdServer *) object;

  g_clear_pointer (&self->routes, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_server_parent_class)->finalize (object);
}

static void
rd_server_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdServer *self = RD_SERVER (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_METRICS:
      g_value_set_object (value, self->metrics);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_server_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RdServer *self = RD_SERVER (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      self->auth = g_value_dup_object (value);
      break;
    case PROP_METRICS:
      self->metrics = g_value_dup_object (value);
      break;
    case PROP_MAX_BODY_SIZE:
      self->max_body_size = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_server_class_init (RdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rd_server_constructed;
  object_class->dispose = rd_server_dispose;
  object_class->finalize = rd_server_finalize;
  object_class->get_property = rd_server_get_property;
  object_class->set_property = rd_server_set_property;

  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, RD_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METRICS] =
    g_param_spec_object ("metrics", NULL, NULL, RD_TYPE_METRICS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 1, G_MAXUINT32, 1024 * 1024,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdServer::token-revoked:
   * @token: the token
   *
   * A token was signed out.
   */
  signals[SIGNAL_TOKEN_REVOKED] =
    g_signal_new ("token-revoked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rd_server_init (RdServer *self)
{
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_route_free);
  self->cti_links = g_ptr_array_new_with_free_func (g_object_unref);
  self->user_throttle = rd_throttle_new (RD_THROTTLE_DEFAULT_MAX_FAILURES,
                                         RD_THROTTLE_DEFAULT_WINDOW,
                                         RD_THROTTLE_DEFAULT_MAX_ENTRIES);
  self->address_throttle = rd_throttle_new (RD_THROTTLE_DEFAULT_MAX_ADDRESS,
                                            RD_THROTTLE_DEFAULT_WINDOW,
                                            RD_THROTTLE_DEFAULT_MAX_ENTRIES);
}

RdServer *
rd_server_new (RdAuth    *auth,
               RdMetrics *metrics,
               gsize      max_body_size)
{
  g_return_val_if_fail (RD_IS_AUTH (auth), NULL);
  g_return_val_if_fail (RD_IS_METRICS (metrics), NULL);

  return g_object_new (RD_TYPE_SERVER,
                       "auth", auth,
                       "metrics", metrics,
                       "max-body-size", (guint64) max_body_size,
                       NULL);
}
