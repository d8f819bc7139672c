/* test-window.c: the real RdApplication and RdWindow under Xvfb, signed in
 * to a real ringdesk-server through the form; screenshots for review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestWindow"

#include "config.h"

#include <adwaita.h>

#include "rd-application.h"
#include "rd-credentials.h"
#include "rd-home-page-private.h"
#include "rd-login-page-private.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-window-private.h"

static RdTestServer *server;
static RdApplication *app;

static gboolean
login_idle (gpointer data)
{
  return !rd_login_page_get_busy (RD_LOGIN_PAGE (data));
}

static void
fill_and_submit (RdWindow   *window,
                 const char *server_url,
                 const char *username,
                 const char *password)
{
  RdLoginPage *login = window->login_page;

  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");

  gtk_editable_set_text (GTK_EDITABLE (login->server_row), server_url);
  gtk_editable_set_text (GTK_EDITABLE (login->username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (login->password_row), password);
  g_signal_emit_by_name (login->sign_in_button, "clicked");
}

static void
assert_refused (RdWindow    *window,
                AdwEntryRow *row)
{
  RdLoginPage *login = window->login_page;

  g_assert_false (rd_login_page_get_busy (login));
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (login->message_label)));
  g_assert_cmpstr (gtk_label_get_label (login->message_label), !=, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_null (rd_window_get_connection (window));
}

static void
test_first_run (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autofree char *default_url = NULL;
  RdWindow *window;

  /* Nothing saved: the form, with the default server address */
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "username");
  default_url = g_settings_get_string (settings, "server-url");

  window = rd_test_open_window_sized (app, 1280, 800);
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->server_row)), ==,
                   default_url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->login_page->message_label)));

  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "login");

  window = rd_test_open_window_sized (app, 360, 720);
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "login");

  /* The size is saved when the window closes */
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 1000);
  rd_test_close_windows (app);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 360);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 720);
}

static void
test_invalid_address (void)
{
  static const char * const addresses[] = {
    "ftp://ringdesk.example.com",
    "ringdesk.example.com:8765",
    "http://",
    "   ",
  };
  RdWindow *window = rd_test_open_window (app);

  rd_test_spin_until (login_idle, window->login_page, "the form");

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      /* Refused before any request: the form is never busy */
      fill_and_submit (window, addresses[i], RD_TEST_USERNAME, RD_TEST_PASSWORD);
      assert_refused (window, window->login_page->server_row);
    }

  /* Typing again takes the error mark away */
  gtk_editable_set_text (GTK_EDITABLE (window->login_page->server_row), "http://");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->login_page->server_row), "error"));

  fill_and_submit (window, "http://127.0.0.1:8765", "", RD_TEST_PASSWORD);
  assert_refused (window, window->login_page->username_row);

  fill_and_submit (window, "http://127.0.0.1:8765", RD_TEST_USERNAME, "");
  assert_refused (window, window->login_page->password_row);

  rd_test_close_windows (app);
}

static void
test_unreachable (void)
{
  g_autofree char *url = rd_test_unreachable_url ();
  RdWindow *window = rd_test_open_window (app);

  fill_and_submit (window, url, RD_TEST_USERNAME, RD_TEST_PASSWORD);
  g_assert_true (rd_login_page_get_busy (window->login_page));
  rd_test_spin_until (login_idle, window->login_page, "the sign-in to fail");

  assert_refused (window, window->login_page->server_row);
  g_assert_nonnull (strstr (gtk_label_get_label (window->login_page->message_label),
                            "Ringdesk server is running"));

  rd_test_close_windows (app);
}

static gboolean
home_shows_user (gpointer data)
{
  RdWindow *window = data;
  const char *expected = g_object_get_data (G_OBJECT (window), "expected-name");

  return g_strcmp0 (rd_window_get_page_name (window), "home") == 0 &&
         g_strcmp0 (gtk_label_get_label (window->home_page->display_name_label), expected) == 0 &&
         window->home_page->pending == 0;
}

static gboolean
page_is_login (gpointer data)
{
  return g_strcmp0 (rd_window_get_page_name (RD_WINDOW (data)), "login") == 0;
}

static char *
lookup_token (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  rd_credentials_lookup_async (rd_test_server_get_url (server), RD_TEST_USERNAME,
                               NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  token = rd_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);

  return token;
}

static gboolean
token_saved (gpointer data)
{
  char *token = lookup_token ();
  gboolean saved = token != NULL;

  secret_password_free (token);

  return saved == GPOINTER_TO_INT (data);
}

/* What the server says the display name is, asked without the client UI */
static char *
expected_display_name (void)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  const char *name;

  connection = rd_connection_new (rd_test_server_get_url (server), &error);
  g_assert_no_error (error);
  rd_connection_sign_in_async (connection, RD_TEST_USERNAME, RD_TEST_PASSWORD,
                               NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  user = rd_connection_sign_in_finish (connection, result, &error);
  g_assert_no_error (error);

  name = rd_user_get_display_name (user);
  if (name == NULL || *name == '\0')
    name = rd_user_get_username (user);

  return g_strdup (name);
}

static gboolean
token_refused (gpointer data)
{
  RdConnection *connection = data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;

  rd_connection_get_me_async (connection, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  user = rd_connection_get_me_finish (connection, result, &error);
  if (user != NULL)
    return FALSE;

  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);

  return TRUE;
}

static void
page_seen_cb (GtkStack   *stack,
              GParamSpec *pspec,
              GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (gtk_stack_get_visible_child_name (stack)));
}

static void
test_session (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConnection) old_session = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *expected_name = NULL;
  g_autofree char *token = NULL;
  RdWindow *window;

  if (server == NULL)
    {
      g_test_skip ("ringdesk-server is not built (RD_SERVER_BINARY unset)");
      return;
    }

  expected_name = expected_display_name ();

  settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  g_settings_set_string (settings, "username", "");

  /* First run: the form, prefilled with the server from GSettings */
  window = rd_test_open_window_sized (app, 1280, 800);
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->server_row)), ==,
                   rd_test_server_get_url (server));

  /* A wrong password is refused and said so */
  fill_and_submit (window, rd_test_server_get_url (server), RD_TEST_USERNAME, "not the password");
  rd_test_spin_until (login_idle, window->login_page, "the wrong password to be refused");
  assert_refused (window, window->login_page->password_row);
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "login-error");

  /* The right one signs in and shows who is signed in */
  fill_and_submit (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  g_object_set_data_full (G_OBJECT (window), "expected-name", g_strdup (expected_name), g_free);
  rd_test_spin_until (home_shows_user, window, "the home page with the user's name");

  g_assert_cmpstr (gtk_label_get_label (window->home_page->username_label), ==, RD_TEST_USERNAME);
  g_assert_cmpstr (gtk_label_get_label (window->home_page->extension_label), ==, RD_TEST_EXTENSION);
  g_assert_nonnull (strstr (gtk_label_get_label (window->home_page->roles_label), "Agent"));
  g_assert_cmpstr (adw_action_row_get_subtitle (window->home_page->address_row), ==,
                   rd_test_server_get_url (server));
  g_assert_cmpstr (gtk_label_get_label (window->home_page->status_label), ==, "Working");
  g_assert_cmpstr (gtk_label_get_label (window->home_page->db_label), ==, "Working");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->password_row)), ==, "");
  g_assert_nonnull (rd_window_get_connection (window));

  /* The session went to the keyring, the address and name to GSettings */
  rd_test_spin_until (token_saved, GINT_TO_POINTER (TRUE), "the token in the keyring");
  g_assert_cmpstr (g_settings_get_string (settings, "username"), ==, RD_TEST_USERNAME);

  adw_view_stack_set_visible_child_name (window->view_stack, "account");
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "home");

  /* Refresh asks the server again */
  gtk_widget_activate_action (GTK_WIDGET (window->home_page), "home.refresh", NULL);
  g_assert_cmpuint (window->home_page->pending, >, 0);
  rd_test_spin_until (home_shows_user, window, "the refresh");

  /* A fresh window restores the session without the form */
  window = rd_test_open_window_sized (app, 360, 720);
  seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (window->stack, "notify::visible-child-name", G_CALLBACK (page_seen_cb), seen);
  /* Waiting for the window's size may already have let the session come
   * back: "loading" or "home", never the form */
  g_assert_cmpstr (rd_window_get_page_name (window), !=, "login");
  g_object_set_data_full (G_OBJECT (window), "expected-name", g_strdup (expected_name), g_free);
  rd_test_spin_until (home_shows_user, window, "the restored session");
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), !=, "login");
  g_assert_cmpstr (gtk_label_get_label (window->home_page->extension_label), ==, RD_TEST_EXTENSION);
  adw_view_stack_set_visible_child_name (window->view_stack, "account");
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "home");

  /* Sign Out (the app action) ends the session everywhere */
  old_session = rd_connection_new (rd_test_server_get_url (server), &error);
  g_assert_no_error (error);
  rd_connection_set_token (old_session, rd_connection_get_token (rd_window_get_connection (window)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
  g_assert_null (rd_window_get_connection (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==,
                   RD_TEST_USERNAME);
  rd_test_spin_until (token_saved, GINT_TO_POINTER (FALSE), "the token to leave the keyring");

  /* The DELETE /session goes out in the background: ask until it is done */
  rd_test_spin_until (token_refused, old_session, "the server to end the session");

  /* With no token left, a new window asks again */
  window = rd_test_open_window (app);
  rd_test_spin_until (page_is_login, window, "the form");
  token = lookup_token ();
  g_assert_null (token);

  rd_test_close_windows (app);
}

static void
test_expired_session (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  RdWindow *window;

  if (server == NULL)
    {
      g_test_skip ("ringdesk-server is not built (RD_SERVER_BINARY unset)");
      return;
    }

  /* A token the server does not know, as after it was revoked */
  settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  g_settings_set_string (settings, "username", RD_TEST_USERNAME);
  rd_credentials_store_async (rd_test_server_get_url (server), RD_TEST_USERNAME,
                              "revoked-token", NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  g_assert_true (rd_credentials_store_finish (result, &error));

  window = rd_test_open_window (app);
  rd_test_spin_until (page_is_login, window, "the form after the session ended");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->login_page->message_label)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==,
                   RD_TEST_USERNAME);
  rd_test_spin_until (token_saved, GINT_TO_POINTER (FALSE), "the dead token to leave the keyring");

  rd_test_close_windows (app);
}

/* The session revoked elsewhere while the window sits idle: the server
 * closes the live events with 4401 and the window asks to sign in again */
static void
test_live_session_ended (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConnection) elsewhere = NULL;
  RdWindow *window;

  if (server == NULL)
    {
      g_test_skip ("ringdesk-server is not built (RD_SERVER_BINARY unset)");
      return;
    }

  settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  window = rd_test_open_window_sized (app, 1280, 800);
  if (!rd_test_page_is_home (window))
    rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  rd_test_spin_until (rd_test_page_is_home, window, "the sign-in");
  rd_test_wait_subscribed (window);
  rd_test_spin_until (token_saved, GINT_TO_POINTER (TRUE), "the token in the keyring");

  elsewhere = rd_connection_new (rd_test_server_get_url (server), &error);
  g_assert_no_error (error);
  rd_connection_set_token (elsewhere, rd_connection_get_token (rd_window_get_connection (window)));
  rd_connection_sign_out_async (elsewhere, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  g_assert_true (rd_connection_sign_out_finish (elsewhere, result, &error));
  g_assert_no_error (error);

  rd_test_spin_until (page_is_login, window, "the form after the 4401");
  g_assert_null (rd_window_get_connection (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->login_page->message_label)));
  g_assert_cmpstr (gtk_label_get_label (window->login_page->message_label), ==,
                   "Your session has ended. Sign in again.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==,
                   RD_TEST_USERNAME);
  g_assert_cmpint (rd_live_connection_get_state (rd_application_get_live_connection (app)), ==,
                   RD_LIVE_STATE_OFFLINE);
  rd_test_spin_until (token_saved, GINT_TO_POINTER (FALSE), "the dead token to leave the keyring");
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "session-ended");

  rd_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (!rd_test_gtk_init (&argc, &argv))
    return 0;

  server = rd_test_server_new (&error);
  g_assert_no_error (error);

  app = rd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window/first-run", test_first_run);
  g_test_add_func ("/window/invalid-address", test_invalid_address);
  g_test_add_func ("/window/unreachable", test_unreachable);
  g_test_add_func ("/window/session", test_session);
  g_test_add_func ("/window/expired-session", test_expired_session);
  g_test_add_func ("/window/live-session-ended", test_live_session_ended);

  ret = g_test_run ();

  rd_test_close_windows (app);
  g_clear_object (&app);
  g_clear_pointer (&server, rd_test_server_free);

  return ret;
}
