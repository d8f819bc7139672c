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
#include "rd-window-private.h"

static RdTestServer *server;
static RdApplication *app;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
close_windows (void)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) != NULL)
    {
      /* Without a window manager GTK 4.8 warns when a focused entry goes
       * away without a focus-out event */
      gtk_window_set_focus (window, NULL);
      gtk_window_close (window);
    }
}

/* Activates the application as a launcher would, and returns its new window */
static RdWindow *
open_window (void)
{
  GtkWindow *window;

  close_windows ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (RD_IS_WINDOW (window));

  return RD_WINDOW (window);
}

static gboolean
window_has_size (gpointer data)
{
  GtkWidget *widget = data;
  int *size = g_object_get_data (G_OBJECT (widget), "test-size");
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));

  return gtk_widget_get_mapped (widget) &&
         gdk_surface_get_width (surface) == size[0] &&
         gdk_surface_get_height (surface) == size[1];
}

static gboolean
transition_done (gpointer data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (data));
}

static gboolean
frame_done (gpointer data)
{
  return GPOINTER_TO_INT (*(gboolean *) data);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Opens a new window of @width × @height through the saved window size, as
 * the application does on start */
static RdWindow *
open_window_sized (int width,
                   int height)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  RdWindow *window;
  int *size;

  close_windows ();
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = open_window ();

  size = g_new (int, 2);
  size[0] = width;
  size[1] = height;
  g_object_set_data_full (G_OBJECT (window), "test-size", size, g_free);
  rd_test_spin_until (window_has_size, window, "the window to take its size");

  return window;
}

/* Lets @window paint, and renders it to a PNG in the build dir as
 * tests/client/screenshot-NAME-WxH.png */
static void
save_screenshot (RdWindow   *window,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GdkFrameClock *clock;
  GskRenderer *renderer;
  gboolean painted = FALSE;
  gulong handler;
  graphene_rect_t bounds;
  int width;
  int height;

  rd_test_spin_until (transition_done, window->stack, "the page transition");

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  rd_test_spin_until (frame_done, &painted, "a frame");
  g_signal_handler_disconnect (clock, handler);

  /* The whole window, with the frame its style draws around the content */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window), GTK_WIDGET (window), &bounds));
  width = (int) bounds.size.width;
  height = (int) bounds.size.height;

  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  filename = g_strdup_printf ("screenshot-%s-%dx%d.png", name, width, height);
  path = g_test_build_filename (G_TEST_BUILT, "client", filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Wrote %s", path);
}

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

  window = open_window_sized (1280, 800);
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->server_row)), ==,
                   default_url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->login_page->message_label)));

  save_screenshot (window, "login");

  window = open_window_sized (360, 720);
  save_screenshot (window, "login");

  /* The size is saved when the window closes */
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 1000);
  close_windows ();
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
  RdWindow *window = open_window ();

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

  close_windows ();
}

static void
test_unreachable (void)
{
  g_autofree char *url = rd_test_unreachable_url ();
  RdWindow *window = open_window ();

  fill_and_submit (window, url, RD_TEST_USERNAME, RD_TEST_PASSWORD);
  g_assert_true (rd_login_page_get_busy (window->login_page));
  rd_test_spin_until (login_idle, window->login_page, "the sign-in to fail");

  assert_refused (window, window->login_page->server_row);
  g_assert_nonnull (strstr (gtk_label_get_label (window->login_page->message_label),
                            "Ringdesk server is running"));

  close_windows ();
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
                               NULL, store_result_cb, &result);
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
                               NULL, store_result_cb, &result);
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

  rd_connection_get_me_async (connection, NULL, store_result_cb, &result);
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
  window = open_window_sized (1280, 800);
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->server_row)), ==,
                   rd_test_server_get_url (server));

  /* A wrong password is refused and said so */
  fill_and_submit (window, rd_test_server_get_url (server), RD_TEST_USERNAME, "not the password");
  rd_test_spin_until (login_idle, window->login_page, "the wrong password to be refused");
  assert_refused (window, window->login_page->password_row);
  save_screenshot (window, "login-error");

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

  save_screenshot (window, "home");

  /* Refresh asks the server again */
  gtk_widget_activate_action (GTK_WIDGET (window->home_page), "home.refresh", NULL);
  g_assert_cmpuint (window->home_page->pending, >, 0);
  rd_test_spin_until (home_shows_user, window, "the refresh");

  /* A fresh window restores the session without the form */
  window = open_window_sized (360, 720);
  seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (window->stack, "notify::visible-child-name", G_CALLBACK (page_seen_cb), seen);
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "loading");
  g_object_set_data_full (G_OBJECT (window), "expected-name", g_strdup (expected_name), g_free);
  rd_test_spin_until (home_shows_user, window, "the restored session");
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), !=, "login");
  g_assert_cmpstr (gtk_label_get_label (window->home_page->extension_label), ==, RD_TEST_EXTENSION);
  save_screenshot (window, "home");

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
  window = open_window ();
  rd_test_spin_until (page_is_login, window, "the form");
  token = lookup_token ();
  g_assert_null (token);

  close_windows ();
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
                              "revoked-token", NULL, store_result_cb, &result);
  rd_test_wait_result (&result);
  g_assert_true (rd_credentials_store_finish (result, &error));

  window = open_window ();
  rd_test_spin_until (page_is_login, window, "the form after the session ended");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->login_page->message_label)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==,
                   RD_TEST_USERNAME);
  rd_test_spin_until (token_saved, GINT_TO_POINTER (FALSE), "the dead token to leave the keyring");

  close_windows ();
}

/* Without a window manager, X focus events reach GTK 4.8 in an order that
 * makes GtkText warn about a missing focus-out; that one warning is not
 * ours and is dropped, everything else goes to the default writer (which
 * aborts on warnings and criticals, as GTest asks). */
static GLogWriterOutput
drop_focus_warning (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) != 0 &&
      g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
      g_str_has_prefix (message, "GtkText - did not receive a focus-out event"))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }

  g_log_set_writer_func (drop_focus_warning, NULL, NULL);
  rd_test_init_keyring ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* screenshots show settled frames, not entry rows halfway through a transition */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

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

  ret = g_test_run ();

  close_windows ();
  g_clear_object (&app);
  g_clear_pointer (&server, rd_test_server_free);

  return ret;
}
