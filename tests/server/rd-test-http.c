/* rd-test-http.c: an HTTP client for the server tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synchronous-looking requests over a real SoupSession: each spins its own
 * main loop until libsoup answers, so a test reads top to bottom.
 */

#define G_LOG_DOMAIN "RdTestHttp"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "rd-auth.h"
#include "rd-test-http.h"

void
rd_test_reply_clear (RdTestReply *reply)
{
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->json, json_object_unref);
}

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
} Wait;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/**
 * rd_test_request_full:
 * @base: the server's URI, ending in "/"
 * @path: an absolute path ("/api/v1/…")
 * @body_length: the length of @body; -1 sends @body chunked, without a
 *   Content-Length
 *
 * Every reply must carry the server's security headers.
 */
void
rd_test_request_full (SoupSession *session,
                      const char  *base,
                      const char  *method,
                      const char  *path,
                      const char  *token,
                      const char  *content_type,
                      const char  *body,
                      gssize       body_length,
                      RdTestReply *reply)
{
  g_autofree char *uri = g_strconcat (base, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  Wait wait = { 0 };

  g_assert_nonnull (msg);
  memset (reply, 0, sizeof *reply);

  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }

  if (body != NULL && body_length >= 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  else if (body != NULL)
    {
      g_autoptr(GInputStream) stream =
        g_memory_input_stream_new_from_data (g_strdup (body), strlen (body), g_free);

      soup_message_set_request_body (msg, content_type, stream, -1);
    }

  wait.loop = g_main_loop_new (NULL, FALSE);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_assert_no_error (wait.error);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  /* an empty body is "", never NULL */
  if (g_bytes_get_size (wait.bytes) > 0)
    reply->body = g_strndup (g_bytes_get_data (wait.bytes, NULL), g_bytes_get_size (wait.bytes));
  else
    reply->body = g_strdup ("");
  g_bytes_unref (wait.bytes);

  if (g_strcmp0 (soup_message_headers_get_content_type (reply->headers, NULL), "application/json") == 0)
    {
      g_autoptr(GError) error = NULL;

      reply->json = rd_json_parse_object (reply->body, -1, &error);
      g_assert_no_error (error);
    }

  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==, "no-store");
}

/**
 * rd_test_request_raw:
 * @content_type: (nullable): with @body
 * @body: (nullable): sent as is, chunked when @chunked
 * @if_none_match: (nullable): an `If-None-Match` header
 * @headers: (out): the reply's headers
 *
 * For bodies that are not JSON, both ways (uploads, downloads).
 *
 * Returns: (transfer full): the reply's body, byte for byte
 */
GBytes *
rd_test_request_raw (SoupSession         *session,
                     const char          *base,
                     const char          *method,
                     const char          *path,
                     const char          *token,
                     const char          *content_type,
                     GBytes              *body,
                     gboolean             chunked,
                     const char          *if_none_match,
                     guint               *status,
                     SoupMessageHeaders **headers)
{
  g_autofree char *uri = g_strconcat (base, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  SoupMessageHeaders *request_headers;
  Wait wait = { 0 };

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (request_headers, "Authorization", value);
    }
  if (if_none_match != NULL)
    soup_message_headers_replace (request_headers, "If-None-Match", if_none_match);
  if (body != NULL)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);

      soup_message_set_request_body (msg, content_type, stream,
                                     chunked ? -1 : (gssize) g_bytes_get_size (body));
    }

  wait.loop = g_main_loop_new (NULL, FALSE);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_assert_no_error (wait.error);

  *status = soup_message_get_status (msg);
  *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  g_assert_cmpstr (soup_message_headers_get_one (*headers, "X-Content-Type-Options"), ==, "nosniff");

  return wait.bytes;
}

/**
 * rd_test_start_daemon:
 * @base: (out): the daemon's URI, ending in "/"
 *
 * Returns: (transfer full): an RdDaemon started on @config
 */
RdDaemon *
rd_test_start_daemon (RdConfig  *config,
                      char     **base)
{
  g_autoptr(GError) error = NULL;
  RdDaemon *daemon = rd_daemon_new (config);

  g_assert_true (rd_daemon_start (daemon, &error));
  g_assert_no_error (error);
  *base = rd_daemon_get_uri (daemon);

  return daemon;
}

/* Removes @path and everything below it (test data dirs). */
void
rd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rd_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A JSON request; @json may be %NULL for none. */
void
rd_test_request (SoupSession *session,
                 const char  *base,
                 const char  *method,
                 const char  *path,
                 const char  *token,
                 const char  *json,
                 RdTestReply *reply)
{
  rd_test_request_full (session, base, method, path, token, "application/json", json,
                        json != NULL ? (gssize) strlen (json) : 0, reply);
}

/* Checks the error object of API.md: status, code and a message. */
void
rd_test_assert_error (RdTestReply *reply,
                      guint        status,
                      const char  *code)
{
  JsonObject *error_object = NULL;
  const char *got_code = NULL;
  const char *message = NULL;

  g_test_message ("reply %u: %s", reply->status, reply->body);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->json);
  g_assert_true (rd_json_get_object (reply->json, "error", RD_JSON_REQUIRED, &error_object, NULL));
  g_assert_true (rd_json_get_string (error_object, "code", RD_JSON_REQUIRED, &got_code, NULL));
  g_assert_true (rd_json_get_string (error_object, "message", RD_JSON_REQUIRED, &message, NULL));
  g_assert_cmpstr (got_code, ==, code);
  g_assert_cmpuint (strlen (message), >, 0);
}

/* Sends a JSON request (or none) and checks the error object of the reply. */
void
rd_test_expect_error (SoupSession *session,
                      const char  *base,
                      const char  *method,
                      const char  *path,
                      const char  *token,
                      const char  *json,
                      guint        status,
                      const char  *code)
{
  RdTestReply reply;

  rd_test_request (session, base, method, path, token, json, &reply);
  g_test_message ("%s %s", method, path);
  rd_test_assert_error (&reply, status, code);
  rd_test_reply_clear (&reply);
}

/* A string (or null) member that must be there. */
const char *
rd_test_member (JsonObject *object,
                const char *name)
{
  const char *value = NULL;

  g_assert_true (rd_json_get_string (object, name, RD_JSON_NULLABLE, &value, NULL));
  return value;
}

/* Adds a user straight to the store; hash once with rd_auth_hash_password(). */
void
rd_test_add_user (RdStore    *store,
                  const char *username,
                  const char *password_hash,
                  const char *role)
{
  g_autoptr(RdUser) user = rd_user_new (username);
  g_autoptr(GError) error = NULL;
  const char *roles[] = { role, NULL };

  rd_user_set_roles (user, roles);
  g_assert_true (rd_store_add_user (store, user, password_hash, &error));
  g_assert_no_error (error);
}

/**
 * rd_test_sign_in:
 *
 * Returns: (transfer full): the token; the reply's user must be @username and
 *   must not carry a password
 */
char *
rd_test_sign_in (SoupSession *session,
                 const char  *base,
                 const char  *username,
                 const char  *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  const char *token = NULL;
  const char *name = NULL;
  JsonObject *user = NULL;
  RdTestReply reply;
  char *result;

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "username", username);
  rd_json_builder_add_string (builder, "password", password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = rd_json_to_string (root, FALSE);

  rd_test_request (session, base, "POST", RD_API_PATH_SESSION, NULL, body, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_string (reply.json, "token", RD_JSON_REQUIRED, &token, NULL));
  g_assert_true (rd_json_get_object (reply.json, "user", RD_JSON_REQUIRED, &user, NULL));
  g_assert_true (rd_json_get_string (user, "username", RD_JSON_REQUIRED, &name, NULL));
  g_assert_cmpstr (name, ==, username);
  g_assert_false (rd_json_has_member (user, "password"));
  result = g_strdup (token);
  rd_test_reply_clear (&reply);

  return result;
}


/**
 * rd_test_password_hash:
 *
 * Returns: (transfer none): the yescrypt hash of %RD_TEST_PASSWORD, made once
 *   per test program (hashing is slow)
 */
const char *
rd_test_password_hash (void)
{
  static char *hash;

  if (hash == NULL)
    {
      g_autoptr(GError) error = NULL;

      hash = rd_auth_hash_password (RD_TEST_PASSWORD, &error);
      g_assert_no_error (error);
    }

  return hash;
}

/**
 * rd_test_config_new:
 * @conf: server.conf text
 * @data_dir: (nullable): the data dir to use
 *
 * Returns: (transfer full): the config loaded from @conf
 */
RdConfig *
rd_test_config_new (const char *conf,
                    const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  RdConfig *config = rd_config_new ();

  g_assert_true (rd_config_load_from_data (config, conf, strlen (conf), &error));
  g_assert_no_error (error);
  if (data_dir != NULL)
    rd_config_set_data_dir (config, data_dir);

  return config;
}

/**
 * rd_test_add_users:
 * @session: (nullable): signs the users in with it when set
 *
 * Adds @users to @store, each with %RD_TEST_PASSWORD, one role
 * and an extension if it has one, then signs in those that want a token.
 */
void
rd_test_add_users (RdStore          *store,
                   SoupSession      *session,
                   const char       *base,
                   const RdTestUser *users,
                   gsize             n_users)
{
  for (gsize i = 0; i < n_users; i++)
    {
      g_autoptr(RdUser) user = rd_user_new (users[i].username);
      g_autoptr(GError) error = NULL;
      const char *roles[] = { users[i].role, NULL };

      rd_user_set_roles (user, roles);
      rd_user_set_extension (user, users[i].extension);
      g_assert_true (rd_store_add_user (store, user, rd_test_password_hash (), &error));
      g_assert_no_error (error);
    }

  for (gsize i = 0; i < n_users; i++)
    {
      if (users[i].token != NULL)
        {
          g_assert_nonnull (session);
          *users[i].token = rd_test_sign_in (session, base, users[i].username, RD_TEST_PASSWORD);
        }
    }
}

/**
 * rd_test_desk_set_up:
 * @conf: server.conf text
 *
 * Starts a daemon on @conf and a fresh temp data dir, adds the six users of
 * #RdTestDesk and signs them in.
 */
void
rd_test_desk_set_up (RdTestDesk *f,
                     const char *conf)
{
  g_autoptr(GError) error = NULL;
  const RdTestUser users[] = {
    { "root", RD_ROLE_ADMIN, NULL, &f->root },
    { "sue", RD_ROLE_SUPERVISOR, NULL, &f->sue },
    { "ana", RD_ROLE_AGENT, NULL, &f->ana },
    { "bob", RD_ROLE_AGENT, NULL, &f->bob },
    { "tim", RD_ROLE_TECHNICIAN, NULL, &f->tim },
    { "tom", RD_ROLE_TECHNICIAN, NULL, &f->tom },
  };

  f->dir = g_dir_make_tmp ("rd-desk-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = rd_test_config_new (conf, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);

  f->session = soup_session_new ();
  rd_test_add_users (rd_daemon_get_store (f->daemon), f->session, f->base, users, G_N_ELEMENTS (users));
}

void
rd_test_desk_tear_down (RdTestDesk    *f,
                        gconstpointer  data)
{
  g_clear_object (&f->session);
  if (f->daemon != NULL)
    rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  g_clear_object (&f->config);

  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->root);
  g_free (f->sue);
  g_free (f->ana);
  g_free (f->bob);
  g_free (f->tim);
  g_free (f->tom);
}
