/* test-connection.c: RdConnection against a real ringdesk-server and against
 * a SoupServer that sends malformed replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestConnection"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-connection.h"
#include "rd-test-client.h"

static RdTestServer *server;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static RdConnection *
new_connection (const char *url)
{
  g_autoptr(GError) error = NULL;
  RdConnection *connection;

  connection = rd_connection_new (url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);

  return connection;
}

static RdUser *
sign_in (RdConnection  *connection,
         const char    *username,
         const char    *password,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_sign_in_async (connection, username, password, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_sign_in_finish (connection, result, error);
}

static RdUser *
get_me (RdConnection  *connection,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_get_me_async (connection, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_get_me_finish (connection, result, error);
}

static RdServerHealth *
get_health (RdConnection  *connection,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_get_health_async (connection, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_get_health_finish (connection, result, error);
}

static gboolean
sign_out (RdConnection  *connection,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_sign_out_async (connection, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_sign_out_finish (connection, result, error);
}

static gboolean
need_server (void)
{
  if (server == NULL)
    {
      g_test_skip ("ringdesk-server is not built (RD_SERVER_BINARY unset)");
      return FALSE;
    }

  return TRUE;
}

static void
test_url (void)
{
  static const char * const refused[] = {
    "",
    "ringdesk.example.com",
    "ftp://ringdesk.example.com/",
    "file:///etc/passwd",
    "http://",
    "http:// spaces in host/",
    "http://[::1/",
    "https://user:secret@ringdesk.example.com/",
    "http://ringdesk.example.com/?q=1",
    "javascript:alert(1)",
  };
  static const struct {
    const char *input;
    const char *url;
  } accepted[] = {
    { "http://127.0.0.1:8765", "http://127.0.0.1:8765/" },
    { "https://ringdesk.example.com", "https://ringdesk.example.com/" },
    { "HTTP://ringdesk.example.com:8080/desk", "http://ringdesk.example.com:8080/desk/" },
    { "http://[::1]:8765/", "http://[::1]:8765/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RdConnection) connection = NULL;

      connection = rd_connection_new (refused[i], &error);
      g_test_message ("refused “%s”: %s", refused[i], error ? error->message : "(accepted!)");
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
      g_assert_null (connection);
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(RdConnection) connection = new_connection (accepted[i].input);

      g_assert_cmpstr (rd_connection_get_url (connection), ==, accepted[i].url);
      g_assert_null (rd_connection_get_token (connection));
      g_assert_null (rd_connection_get_user (connection));
    }
}

static void
test_unreachable (void)
{
  g_autofree char *url = rd_test_unreachable_url ();
  g_autoptr(RdConnection) connection = new_connection (url);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(RdServerHealth) health = NULL;

  user = sign_in (connection, RD_TEST_USERNAME, RD_TEST_PASSWORD, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_assert_null (user);
  g_assert_null (rd_connection_get_token (connection));
  g_clear_error (&error);

  health = get_health (connection, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_assert_null (health);
}

static void
test_not_signed_in (void)
{
  g_autoptr(RdConnection) connection = new_connection ("http://127.0.0.1:1");
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;

  /* Refused locally: without a token no request is sent */
  user = get_me (connection, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  g_assert_null (user);
}

/* A server that answers like a broken server, a proxy or another program */
static const RdTestReply fake_replies[] = {
  { "/html/api/v1/me", 200, "text/html", "<html><body>It works!</body></html>" },
  { "/array/api/v1/me", 200, "application/json", "[1, 2, 3]" },
  { "/wrong-type/api/v1/me", 200, "application/json", "{\"username\": 5}" },
  { "/limited/api/v1/session", 429, "application/json",
    "{\"error\": {\"code\": \"rate_limited\", \"message\": \"Too many sign-in attempts\"}}" },
  { "/bad-error/api/v1/me", 401, "application/json", "{\"error\": {\"code\": 5}}" },
  { "/proxy/healthz", 502, "text/html", "<h1>Bad Gateway</h1>" },
  { "/no-token/api/v1/session", 200, "application/json",
    "{\"token\": null, \"user\": {\"username\": \"a\"}}" },
  { "/prefix/healthz", 200, "application/json",
    "{\"status\": \"ok\", \"db\": \"ok\", \"cti\": \"down\"}" },
  { "/nested/healthz", 200, "application/json", "{\"status\": {\"deep\": [[[[]]]]}}" },
};

static void
test_bad_replies (void)
{
  g_autoptr(SoupServer) soup_server = rd_test_fake_server_new (fake_replies, G_N_ELEMENTS (fake_replies));
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *prefix;
    int         code;
  } me_cases[] = {
    { "html/", RD_ERROR_INVALID_DATA },
    { "array/", RD_ERROR_INVALID_DATA },
    { "wrong-type/", RD_ERROR_INVALID_DATA },
    { "bad-error/", RD_ERROR_UNAUTHORIZED },
    { "missing/", RD_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (me_cases); i++)
    {
      g_autofree char *url = rd_test_fake_server_url (soup_server, me_cases[i].prefix);
      g_autoptr(RdConnection) connection = new_connection (url);
      g_autoptr(RdUser) user = NULL;

      rd_connection_set_token (connection, "not-a-real-token");
      user = get_me (connection, &error);
      g_test_message ("%s: %s", me_cases[i].prefix, error ? error->message : "(no error!)");
      g_assert_error (error, RD_ERROR, me_cases[i].code);
      g_assert_null (user);
      g_clear_error (&error);
    }

  /* The server's code is kept, whatever the HTTP status says */
  {
    g_autofree char *url = rd_test_fake_server_url (soup_server, "limited/");
    g_autoptr(RdConnection) connection = new_connection (url);
    g_autoptr(RdUser) user = sign_in (connection, "a", "b", &error);

    g_assert_error (error, RD_ERROR, RD_ERROR_RATE_LIMITED);
    g_assert_null (user);
    g_assert_null (rd_connection_get_token (connection));
    g_clear_error (&error);
  }

  {
    g_autofree char *url = rd_test_fake_server_url (soup_server, "no-token/");
    g_autoptr(RdConnection) connection = new_connection (url);
    g_autoptr(RdUser) user = sign_in (connection, "a", "b", &error);

    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_assert_null (user);
    g_assert_null (rd_connection_get_token (connection));
    g_clear_error (&error);
  }

  /* A proxy's HTML error page maps through its status */
  {
    g_autofree char *url = rd_test_fake_server_url (soup_server, "proxy/");
    g_autoptr(RdConnection) connection = new_connection (url);
    g_autoptr(RdServerHealth) health = get_health (connection, &error);

    g_assert_error (error, RD_ERROR, rd_error_from_http_status (502));
    g_assert_null (health);
    g_clear_error (&error);
  }

  {
    g_autofree char *url = rd_test_fake_server_url (soup_server, "nested/");
    g_autoptr(RdConnection) connection = new_connection (url);
    g_autoptr(RdServerHealth) health = get_health (connection, &error);

    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_assert_null (health);
    g_clear_error (&error);
  }

  /* A path prefix in the address is kept (a server behind a reverse proxy) */
  {
    g_autofree char *url = rd_test_fake_server_url (soup_server, "prefix");
    g_autoptr(RdConnection) connection = new_connection (url);
    g_autoptr(RdServerHealth) health = get_health (connection, &error);

    g_assert_no_error (error);
    g_assert_nonnull (health);
    g_assert_cmpstr (health->status, ==, "ok");
    g_assert_cmpstr (health->db, ==, "ok");
    g_assert_cmpstr (health->cti, ==, "down");
  }

  soup_server_disconnect (soup_server);
}

static void
test_sign_in (void)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_server ())
    return;

  connection = new_connection (rd_test_server_get_url (server));
  user = sign_in (connection, RD_TEST_USERNAME, RD_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);

  g_assert_cmpstr (rd_user_get_username (user), ==, RD_TEST_USERNAME);
  g_assert_cmpstr (rd_user_get_extension (user), ==, RD_TEST_EXTENSION);
  g_assert_true (rd_user_has_role (user, RD_ROLE_AGENT));
  g_assert_false (rd_user_has_role (user, RD_ROLE_ADMIN));
  g_assert_true (rd_connection_get_user (connection) == user);
  g_assert_nonnull (rd_connection_get_token (connection));
  g_assert_cmpstr (rd_connection_get_token (connection), !=, "");
}

static void
test_wrong_password (void)
{
  static const struct {
    const char *username;
    const char *password;
  } wrong[] = {
    { RD_TEST_USERNAME, "wrong password" },
    { RD_TEST_USERNAME, RD_TEST_PASSWORD " " },
    { "nobody", RD_TEST_PASSWORD },
  };

  if (!need_server ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(RdConnection) connection = new_connection (rd_test_server_get_url (server));
      g_autoptr(RdUser) user = NULL;
      g_autoptr(GError) error = NULL;

      user = sign_in (connection, wrong[i].username, wrong[i].password, &error);
      g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
      g_assert_null (user);
      g_assert_null (rd_connection_get_token (connection));
      g_assert_null (rd_connection_get_user (connection));
    }
}

static void
test_me (void)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdConnection) second = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(RdUser) me = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_server ())
    return;

  connection = new_connection (rd_test_server_get_url (server));
  user = sign_in (connection, RD_TEST_USERNAME, RD_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  /* A second connection with only the token, as after a restart */
  second = new_connection (rd_test_server_get_url (server));
  rd_connection_set_token (second, rd_connection_get_token (connection));
  me = get_me (second, &error);
  g_assert_no_error (error);
  g_assert_nonnull (me);
  g_assert_cmpstr (rd_user_get_username (me), ==, RD_TEST_USERNAME);
  g_assert_cmpstr (rd_user_get_display_name (me), ==, rd_user_get_display_name (user));
  g_assert_cmpstr (rd_user_get_extension (me), ==, RD_TEST_EXTENSION);
  g_assert_true (rd_connection_get_user (second) == me);
  g_clear_object (&me);

  rd_connection_set_token (second, "a-token-the-server-never-issued");
  me = get_me (second, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  g_assert_null (me);
}

static void
test_health (void)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_server ())
    return;

  /* /healthz needs no session */
  connection = new_connection (rd_test_server_get_url (server));
  health = get_health (connection, &error);
  g_assert_no_error (error);
  g_assert_nonnull (health);
  g_assert_cmpstr (health->status, ==, "ok");
  g_assert_cmpstr (health->db, ==, "ok");
  g_assert_nonnull (health->cti);
}

static void
test_sign_out (void)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdConnection) later = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (!need_server ())
    return;

  connection = new_connection (rd_test_server_get_url (server));
  user = sign_in (connection, RD_TEST_USERNAME, RD_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  token = g_strdup (rd_connection_get_token (connection));

  g_assert_true (sign_out (connection, &error));
  g_assert_no_error (error);
  g_assert_null (rd_connection_get_token (connection));
  g_assert_null (rd_connection_get_user (connection));

  /* The server no longer takes the token */
  later = new_connection (rd_test_server_get_url (server));
  rd_connection_set_token (later, token);
  g_clear_object (&user);
  user = get_me (later, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  g_assert_null (user);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = rd_test_server_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/connection/url", test_url);
  g_test_add_func ("/connection/unreachable", test_unreachable);
  g_test_add_func ("/connection/not-signed-in", test_not_signed_in);
  g_test_add_func ("/connection/bad-replies", test_bad_replies);
  g_test_add_func ("/connection/sign-in", test_sign_in);
  g_test_add_func ("/connection/wrong-password", test_wrong_password);
  g_test_add_func ("/connection/me", test_me);
  g_test_add_func ("/connection/health", test_health);
  g_test_add_func ("/connection/sign-out", test_sign_out);

  ret = g_test_run ();

  g_clear_pointer (&server, rd_test_server_free);

  return ret;
}
