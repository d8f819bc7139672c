/* rd-test-window.c: helpers for the client tests that open windows
 *
 * The real RdApplication under Xvfb: windows opened as a launcher would,
 * at a given size, and screenshots of them written under the build dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestWindow"

#include "config.h"

#include "rd-test-client.h"
#include "rd-test-window.h"

/* Without a window manager, X focus events reach GTK 4.8 in an order that
 * makes GtkText warn about a missing focus-out; that one warning is not
 * ours and is dropped, everything else goes to the default writer (which
 * aborts on warnings and criticals, as GTest asks). */
static GLogWriterOutput
rd_test_drop_focus_warning (GLogLevelFlags   log_level,
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

/**
 * rd_test_gtk_init:
 *
 * Initialises GTest, GTK and libadwaita with a test keyring, or prints a
 * TAP skip when there is no display.
 *
 * Returns: %FALSE when the test program should exit at once (no display)
 */
gboolean
rd_test_gtk_init (int    *argc,
                  char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (argc, argv, NULL);
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return FALSE;
    }

  g_log_set_writer_func (rd_test_drop_focus_warning, NULL, NULL);
  rd_test_init_keyring ();
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* screenshots show settled frames, not entry rows halfway through a transition */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* Closing the window ends it, as the tests expect; the test of the
   * background mode turns this on (the settings are in memory) */
  {
    g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);

    g_settings_set_boolean (settings, "run-in-background", FALSE);
  }

  return TRUE;
}

/* A GAsyncReadyCallback that keeps the result in *@user_data */
void
rd_test_store_result_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
rd_test_close_windows (RdApplication *app)
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
RdWindow *
rd_test_open_window (RdApplication *app)
{
  GtkWindow *window;

  rd_test_close_windows (app);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (RD_IS_WINDOW (window));

  return RD_WINDOW (window);
}

static gboolean
rd_test_window_has_size (gpointer data)
{
  GtkWidget *widget = data;
  int *size = g_object_get_data (G_OBJECT (widget), "test-size");
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));

  return gtk_widget_get_mapped (widget) &&
         gdk_surface_get_width (surface) == size[0] &&
         gdk_surface_get_height (surface) == size[1];
}

/* Opens a new window of @width × @height through the saved window size, as
 * the application does on start */
RdWindow *
rd_test_open_window_sized (RdApplication *app,
                           int            width,
                           int            height)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  RdWindow *window;

  rd_test_close_windows (app);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = rd_test_open_window (app);
  rd_test_wait_window_size (GTK_WINDOW (window), width, height);

  return window;
}

/**
 * rd_test_wait_window_size:
 * @window: a window that is or will be mapped
 * @width: the width it should take
 * @height: the height it should take
 *
 * Sets the default size of @window and waits until its surface has it.
 */
void
rd_test_wait_window_size (GtkWindow *window,
                          int        width,
                          int        height)
{
  int *size;

  size = g_new (int, 2);
  size[0] = width;
  size[1] = height;
  g_object_set_data_full (G_OBJECT (window), "test-size", size, g_free);
  gtk_window_set_default_size (window, width, height);
  rd_test_spin_until (rd_test_window_has_size, window, "the window to take its size");
}

static gboolean
rd_test_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
rd_test_transition_done (gpointer data)
{
  return data == NULL || !gtk_stack_get_transition_running (GTK_STACK (data));
}

static gboolean
rd_test_frame_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
rd_test_after_paint_cb (GdkFrameClock *clock,
                        gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

/**
 * rd_test_save_screenshot:
 * @window: a mapped window
 * @stack: (nullable): a stack whose transition should end first
 * @name: what is shown
 *
 * Lets @window paint, and renders it to a PNG in the build dir as
 * tests/client/screenshot-NAME-WxH.png.
 */
void
rd_test_save_screenshot (GtkWindow  *window,
                         GtkStack   *stack,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  int width;
  int height;

  rd_test_spin_until (rd_test_is_mapped, window, "the window to be mapped");
  rd_test_spin_until (rd_test_transition_done, stack, "the page transition");

  /* The window keeps no render node until it has drawn once: a window
   * mapped a moment ago may need another frame */
  for (guint frames = 0; node == NULL; frames++)
    {
      gboolean painted = FALSE;
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (rd_test_after_paint_cb), &painted);
      GtkSnapshot *snapshot;

      gtk_widget_queue_draw (GTK_WIDGET (window));
      rd_test_spin_until (rd_test_frame_done, &painted, "a frame");
      g_signal_handler_disconnect (clock, handler);

      /* The whole window, with the frame its style draws around the content */
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window), GTK_WIDGET (window), &bounds));
      width = (int) bounds.size.width;
      height = (int) bounds.size.height;

      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      g_assert_cmpuint (frames, <, 100);
    }

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  filename = g_strdup_printf ("screenshot-%s-%dx%d.png", name, width, height);
  path = g_test_build_filename (G_TEST_BUILT, "client", filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Wrote %s", path);
}

/**
 * rd_test_find_window:
 * @type: a #GtkWindow type
 *
 * Returns: (transfer none) (nullable): the first open window of @type
 */
GtkWindow *
rd_test_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

/* Calls: a signed-in API connection, the CTI link, notifications */

static gboolean
rd_test_timeout_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
rd_test_is_true (gpointer data)
{
  return *(gboolean *) data;
}

/**
 * rd_test_wait_ms:
 * @ms: milliseconds
 *
 * Runs the main loop for @ms, between two polls of the server.
 */
void
rd_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, rd_test_timeout_done_cb, &done);
  rd_test_spin_until (rd_test_is_true, &done, "a moment");
}

/**
 * rd_test_sign_in:
 * @url: the server's address
 *
 * Returns: (transfer full): a connection signed in as RD_TEST_USERNAME
 */
RdConnection *
rd_test_sign_in (const char *url)
{
  return rd_test_sign_in_as (url, RD_TEST_USERNAME);
}

/**
 * rd_test_sign_in_as:
 * @url: the server's address
 * @username: RD_TEST_USERNAME or RD_TEST_SUPERVISOR
 *
 * Returns: (transfer full): a connection signed in as @username
 */
RdConnection *
rd_test_sign_in_as (const char *url,
                    const char *username)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;

  connection = rd_connection_new (url, &error);
  g_assert_no_error (error);
  rd_connection_sign_in_async (connection, username, RD_TEST_PASSWORD,
                               NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  user = rd_connection_sign_in_finish (connection, result, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&connection);
}

/**
 * rd_test_create_ticket_fields:
 * @api: a signed-in connection
 * @fields: the members of POST /api/v1/tickets
 *
 * Returns: (transfer full): the ticket the server created
 */
RdTicket *
rd_test_create_ticket_fields (RdConnection *api,
                              JsonObject   *fields)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RdTicket *ticket;

  rd_connection_create_ticket_async (api, fields, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  ticket = rd_connection_ticket_finish (api, result, &error);
  g_assert_no_error (error);

  return ticket;
}

/**
 * rd_test_api_post:
 * @api: a signed-in connection
 * @path: an API path, e.g. RD_API_PATH_CUSTOMERS
 * @json: the body
 *
 * POSTs @json with @api's token through a plain libsoup session, as another
 * tool would, for the routes #RdConnection has no call for.
 *
 * Returns: the HTTP status
 */
guint
rd_test_api_post (RdConnection *api,
                  const char   *path,
                  const char   *json)
{
  return rd_test_api_post_full (api, path, json, NULL);
}

/**
 * rd_test_api_post_full:
 * @reply_body: (out) (optional): the reply's body
 *
 * As rd_test_api_post(), keeping the reply.
 *
 * Returns: the HTTP status
 */
guint
rd_test_api_post_full (RdConnection  *api,
                       const char    *path,
                       const char    *json,
                       GBytes       **reply_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_uri_resolve_relative (rd_connection_get_url (api), path, G_URI_FLAGS_NONE, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", rd_connection_get_token (api), NULL);

  message = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  body = g_bytes_new (json, strlen (json));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  reply = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (reply_body != NULL)
    *reply_body = g_steal_pointer (&reply);

  return soup_message_get_status (message);
}

/**
 * rd_test_create_ticket:
 * @api: a signed-in connection
 * @subject: the ticket's subject
 * @requester: who asks
 * @phone: (nullable): the requester's phone
 *
 * Returns: (transfer full): the ticket the server created
 */
RdTicket *
rd_test_create_ticket (RdConnection *api,
                       const char   *subject,
                       const char   *requester,
                       const char   *phone)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "subject", subject);
  json_object_set_string_member (fields, "requester", requester);
  if (phone != NULL)
    json_object_set_string_member (fields, "requester_phone", phone);

  return rd_test_create_ticket_fields (api, fields);
}

/**
 * rd_test_app_new:
 * @server: the server the application signs in to
 *
 * Saves @server's address (and no username) in the settings, as a first
 * start would find them, and registers a new application.
 *
 * Returns: (transfer full): the application
 */
RdApplication *
rd_test_app_new (RdTestServer *server)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(GError) error = NULL;
  RdApplication *app;

  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  g_settings_set_string (settings, "username", "");

  app = rd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

/**
 * rd_test_get_ticket:
 * @api: a signed-in connection
 * @number: a ticket number
 *
 * Returns: (transfer full): the ticket as the server has it now
 */
RdTicket *
rd_test_get_ticket (RdConnection *api,
                    const char   *number)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RdTicket *ticket;

  rd_connection_get_ticket_async (api, number, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  ticket = rd_connection_ticket_finish (api, result, &error);
  g_assert_no_error (error);

  return ticket;
}

/* An RdTestCondition: @data, a #RdWindow, shows the signed-in page */
gboolean
rd_test_page_is_home (gpointer data)
{
  return g_strcmp0 (rd_window_get_page_name (RD_WINDOW (data)), "home") == 0;
}

/**
 * rd_test_wait_cti_connected:
 * @api: a signed-in connection
 *
 * Asks /healthz until the server's PBX link is up.
 */
void
rd_test_wait_cti_connected (RdConnection *api)
{
  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(RdServerHealth) health = NULL;

      rd_connection_get_health_async (api, NULL, rd_test_store_result_cb, &result);
      rd_test_wait_result (&result);
      health = rd_connection_get_health_finish (api, result, &error);
      g_assert_no_error (error);
      if (g_strcmp0 (health->cti, "connected") == 0)
        return;

      rd_test_wait_ms (100);
    }
}

/* The notification server: org.gtk.Notifications on the test's own session
 * bus, served by this process, so that GApplication's notifications are
 * really sent over D-Bus and can be checked (id → title) */
static GHashTable *shown_notifications;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  const char *id = NULL;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) notification = NULL;
      const char *title = NULL;

      g_variant_get (parameters, "(&s&s@a{sv})", NULL, &id, &notification);
      g_variant_lookup (notification, "title", "&s", &title);
      g_hash_table_replace (shown_notifications, g_strdup (id), g_strdup (title));
    }
  else
    {
      g_variant_get (parameters, "(&s&s)", NULL, &id);
      g_hash_table_remove (shown_notifications, id);
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb, NULL, NULL, { 0 } };

/**
 * rd_test_own_notification_server:
 *
 * Serves org.gtk.Notifications on the session bus from this process and
 * makes GApplication send its notifications there.
 *
 * Returns: (transfer none) (nullable): notification id → title of the
 *   notifications shown now, or %NULL without a session bus
 */
GHashTable *
rd_test_own_notification_server (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    return NULL;

  shown_notifications = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gtk.Notifications", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);

  return shown_notifications;
}

static gboolean
rd_test_live_subscribed (gpointer data)
{
  RdWindow *window = data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  RdLiveConnection *live = rd_application_get_live_connection (RD_APPLICATION (app));

  return rd_window_get_connection (window) != NULL &&
         rd_live_connection_get_connection (live) == rd_window_get_connection (window) &&
         rd_live_connection_get_state (live) == RD_LIVE_STATE_CONNECTED;
}

/**
 * rd_test_wait_subscribed:
 * @window: a signed-in main window
 *
 * Waits until the application's live events use the session of @window and
 * the server acknowledged their subscribe (the connection is "connected"
 * only then): from then on every call to the extension reaches the client.
 */
void
rd_test_wait_subscribed (RdWindow *window)
{
  rd_test_spin_until (rd_test_live_subscribed, window, "the subscribe's acknowledgement");
}
