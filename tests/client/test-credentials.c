/* test-credentials.c: the session token in libsecret's file backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestCredentials"

#include "config.h"

#include "rd-credentials.h"
#include "rd-test-client.h"

#define SERVER_A "http://127.0.0.1:8765/"
#define SERVER_B "https://ringdesk.example.com/"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
store (const char *server,
       const char *username,
       const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rd_credentials_store_async (server, username, token, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);
  g_assert_true (rd_credentials_store_finish (result, &error));
  g_assert_no_error (error);
}

static char *
lookup (const char *server,
        const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  rd_credentials_lookup_async (server, username, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);
  token = rd_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);

  return token;
}

static void
clear (const char *server,
       const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rd_credentials_clear_async (server, username, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);
  g_assert_true (rd_credentials_clear_finish (result, &error));
  g_assert_no_error (error);
}

static void
assert_token (const char *server,
              const char *username,
              const char *expected)
{
  char *token = lookup (server, username);

  g_assert_cmpstr (token, ==, expected);
  secret_password_free (token);
}

static void
test_schema (void)
{
  const SecretSchema *schema = rd_credentials_get_schema ();

  g_assert_cmpstr (schema->name, ==, "io.github.ringdesk.Ringdesk.Token");
  g_assert_cmpstr (schema->attributes[0].name, ==, "server");
  g_assert_cmpstr (schema->attributes[1].name, ==, "username");
  g_assert_null (schema->attributes[2].name);
  g_assert_true (schema == rd_credentials_get_schema ());
}

static void
test_store_lookup_clear (void)
{
  assert_token (SERVER_A, "agent1", NULL);

  store (SERVER_A, "agent1", "token-one");
  store (SERVER_B, "agent1", "token-two");
  store (SERVER_A, "agent2", "token-three");

  /* Each (server, username) has its own token */
  assert_token (SERVER_A, "agent1", "token-one");
  assert_token (SERVER_B, "agent1", "token-two");
  assert_token (SERVER_A, "agent2", "token-three");
  assert_token (SERVER_B, "agent2", NULL);

  /* Storing again replaces */
  store (SERVER_A, "agent1", "token-four");
  assert_token (SERVER_A, "agent1", "token-four");

  clear (SERVER_A, "agent1");
  assert_token (SERVER_A, "agent1", NULL);
  assert_token (SERVER_B, "agent1", "token-two");
  assert_token (SERVER_A, "agent2", "token-three");

  /* Clearing what is not there is not an error */
  clear (SERVER_A, "agent1");

  clear (SERVER_B, "agent1");
  clear (SERVER_A, "agent2");
  assert_token (SERVER_B, "agent1", NULL);
  assert_token (SERVER_A, "agent2", NULL);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  g_cancellable_cancel (cancellable);
  rd_credentials_lookup_async (SERVER_A, "agent1", cancellable, store_result_cb, &result);
  rd_test_wait_result (&result);
  token = rd_credentials_lookup_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (token);
}

int
main (int   argc,
      char *argv[])
{
  rd_test_init_keyring ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/schema", test_schema);
  g_test_add_func ("/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/credentials/cancelled", test_cancelled);

  return g_test_run ();
}
