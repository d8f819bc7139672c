/* rd-window.c: the main window
 *
 * A stack of the sign-in form and the signed-in page, under one header bar
 * and a toast overlay. The window owns the session: it restores a saved one
 * from the keyring, saves a new one, and signs out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-credentials.h"
#include "rd-outbox.h"
#include "rd-ticket-editor.h"
#include "rd-utils-private.h"
#include "rd-window-private.h"

G_DEFINE_FINAL_TYPE (RdWindow, rd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The connection's outbox and offline store, before the pages look for them */
static void
rd_window_attach_outbox (RdWindow     *self,
                         RdConnection *connection)
{
  RdUser *user = rd_connection_get_user (connection);
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;

  if (user != NULL)
    username = g_strdup (rd_user_get_username (user));
  else
    username = g_settings_get_string (self->settings, "username");

  if (*username != '\0' && rd_outbox_attach (connection, username, &error) == NULL)
    g_warning ("Working without an offline store: %s", error->message);
}

static void
rd_window_set_connection (RdWindow     *self,
                          RdConnection *connection)
{
  g_autofree char *subtitle = NULL;

  if (!g_set_object (&self->connection, connection))
    return;

  if (connection != NULL)
    rd_window_attach_outbox (self, connection);

  rd_home_page_set_connection (self->home_page, connection);
  rd_ticket_list_page_set_connection (self->ticket_list_page, connection);
  rd_ticket_page_set_connection (self->ticket_page, connection);
  rd_call_log_page_set_connection (self->call_log_page, connection);
  adw_leaflet_set_visible_child_name (self->ticket_leaflet, "list");

  if (connection != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (rd_connection_get_url (connection), G_URI_FLAGS_NONE, NULL);

      if (uri != NULL)
        subtitle = g_strdup (g_uri_get_host (uri));
    }

  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", connection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-ticket", connection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", connection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", connection != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/* The header's buttons follow what is shown: back from a ticket, a new
 * ticket from the tickets view, the view switcher only when signed in */
static void
rd_window_view_changed_cb (RdWindow *self)
{
  gboolean home = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "home") == 0;
  gboolean tickets = home && g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "tickets") == 0;
  gboolean ticket = tickets && g_strcmp0 (adw_leaflet_get_visible_child_name (self->ticket_leaflet), "ticket") == 0;

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, home);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), ticket);
  gtk_widget_set_visible (GTK_WIDGET (self->new_ticket_button), tickets && !ticket);
}

static void
rd_window_page_changed_cb (RdWindow   *self,
                           GParamSpec *pspec,
                           GtkStack   *stack)
{
  const char *name = gtk_stack_get_visible_child_name (stack);

  g_assert (RD_IS_WINDOW (self));

  /* The welcome and waiting pages sit flat under the header bar */
  if (g_strcmp0 (name, "home") == 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->header_bar), "flat");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->header_bar), "flat");

  rd_window_view_changed_cb (self);
}

static void
rd_window_show_page (RdWindow   *self,
                     const char *name)
{
  /* Take the focus out of the page that goes away; a focused entry that is
   * unmapped without a focus-out makes GTK warn */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
rd_window_show_login (RdWindow   *self,
                      const char *message)
{
  g_autofree char *server_url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *username = g_settings_get_string (self->settings, "username");

  rd_login_page_reset (self->login_page);
  rd_login_page_set_server_url (self->login_page, server_url);
  rd_login_page_set_username (self->login_page, username);
  rd_login_page_set_message (self->login_page, message);
  rd_window_show_page (self, "login");
}

static void
rd_window_store_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!rd_credentials_store_finish (result, &error))
    {
      g_message ("%s", error->message);
      rd_window_add_toast (self, _("The keyring did not save the session: you will have to sign in again next time"));
    }
}

static void
rd_window_signed_in_cb (RdWindow     *self,
                        RdConnection *connection,
                        RdLoginPage  *login_page)
{
  RdUser *user;

  g_assert (RD_IS_WINDOW (self));
  g_assert (RD_IS_CONNECTION (connection));

  user = rd_connection_get_user (connection);

  g_settings_set_string (self->settings, "server-url", rd_connection_get_url (connection));
  g_settings_set_string (self->settings, "username", rd_user_get_username (user));

  rd_credentials_store_async (rd_connection_get_url (connection),
                              rd_user_get_username (user),
                              rd_connection_get_token (connection),
                              NULL,
                              rd_window_store_cb,
                              g_object_ref (self));

  rd_window_set_connection (self, connection);
  rd_window_show_page (self, "home");
}

static void
rd_window_clear_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!rd_credentials_clear_finish (result, &error))
    g_message ("%s", error->message);
}

static void
rd_window_session_expired_cb (RdWindow   *self,
                              RdHomePage *home_page)
{
  g_autoptr(RdConnection) connection = NULL;
  RdUser *user;

  g_assert (RD_IS_WINDOW (self));

  if (self->connection == NULL)
    return;

  connection = g_object_ref (self->connection);
  user = rd_connection_get_user (connection);
  if (user != NULL)
    rd_credentials_clear_async (rd_connection_get_url (connection),
                                rd_user_get_username (user),
                                NULL,
                                rd_window_clear_cb,
                                NULL);

  rd_window_set_connection (self, NULL);
  rd_window_show_login (self, _("Your session has ended. Sign in again."));
}

/* The server cannot be reached at start: with the user kept from the last
 * time, the window opens on the copies of the tickets and queues changes */
static gboolean
rd_window_restore_offline (RdWindow     *self,
                           RdConnection *connection)
{
  g_autofree char *username = g_settings_get_string (self->settings, "username");
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  RdOutbox *outbox;

  outbox = rd_outbox_attach (connection, username, &error);
  if (outbox == NULL)
    {
      g_debug ("No offline store to start from: %s", error->message);
      return FALSE;
    }

  user = rd_outbox_dup_cached_user (outbox);
  if (user == NULL || g_strcmp0 (rd_user_get_username (user), username) != 0)
    return FALSE;

  rd_connection_set_user (connection, user);
  rd_outbox_set_online (outbox, FALSE);
  rd_window_set_connection (self, connection);
  rd_window_show_page (self, "home");

  return TRUE;
}

static void
rd_window_get_me_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RdConnection *connection = (RdConnection *)object;
  RdWindow *self = user_data;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = rd_connection_get_me_finish (connection, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_assert (RD_IS_WINDOW (self));

  if (user == NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Could not restore the session: %s", error->message);

      if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
        {
          g_autofree char *username = g_settings_get_string (self->settings, "username");

          rd_credentials_clear_async (rd_connection_get_url (connection),
                                      username,
                                      NULL,
                                      rd_window_clear_cb,
                                      NULL);
          rd_window_show_login (self, _("Your session has ended. Sign in again."));
          return;
        }

      if (rd_outbox_error_is_unreachable (error) && rd_window_restore_offline (self, connection))
        return;

      message = rd_utils_describe_error (error);
      rd_window_show_login (self, message);
      return;
    }

  rd_window_set_connection (self, connection);
  rd_window_show_page (self, "home");
}

static void
rd_window_lookup_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RdConnection) connection = user_data;
  g_autoptr(GError) error = NULL;
  char *token;
  RdWindow *self;

  token = rd_credentials_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = g_object_get_data (G_OBJECT (connection), "rd-window");
  g_assert (RD_IS_WINDOW (self));

  if (token == NULL)
    {
      g_autofree char *message = NULL;

      if (error != NULL)
        {
          g_message ("%s", error->message);
          message = rd_utils_describe_error (error);
        }

      rd_window_show_login (self, message);
      return;
    }

  rd_connection_set_token (connection, token);
  secret_password_free (token);

  rd_connection_get_me_async (connection,
                              self->cancellable,
                              rd_window_get_me_cb,
                              self);
}

/**
 * rd_window_restore_session:
 * @self: a #RdWindow
 *
 * Looks for a token saved for the server and user in GSettings and, if the
 * server still accepts it (GET /api/v1/me), shows the signed-in page
 * without asking for the password. Otherwise shows the sign-in form.
 */
void
rd_window_restore_session (RdWindow *self)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;

  g_return_if_fail (RD_IS_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  server_url = g_settings_get_string (self->settings, "server-url");
  username = g_settings_get_string (self->settings, "username");

  if (*username == '\0' || !(connection = rd_connection_new (server_url, NULL)))
    {
      rd_window_show_login (self, NULL);
      return;
    }

  rd_window_show_page (self, "loading");

  /* The window is reached through the connection so that a cancelled lookup
   * never touches a window that is gone. */
  g_object_set_data (G_OBJECT (connection), "rd-window", self);
  rd_credentials_lookup_async (rd_connection_get_url (connection),
                               username,
                               self->cancellable,
                               rd_window_lookup_cb,
                               g_object_ref (connection));
}

/**
 * rd_window_sign_in:
 * @self: a #RdWindow
 * @server_url: (nullable): the server address, or %NULL for the saved one
 * @username: (nullable): the username, or %NULL for the saved one
 * @password: (nullable): the password to sign in with at once, or %NULL to
 *   only fill in the form
 *
 * Shows the sign-in form filled with @server_url and @username.
 */
void
rd_window_sign_in (RdWindow   *self,
                   const char *server_url,
                   const char *username,
                   const char *password)
{
  g_return_if_fail (RD_IS_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  rd_window_show_login (self, NULL);

  if (server_url != NULL)
    rd_login_page_set_server_url (self->login_page, server_url);
  if (username != NULL)
    rd_login_page_set_username (self->login_page, username);
  if (password != NULL)
    rd_login_page_sign_in (self->login_page, password);
}

static void
rd_window_sign_out_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Already signed out here; an unreachable server lets the token expire */
  if (!rd_connection_sign_out_finish (RD_CONNECTION (object), result, &error))
    g_debug ("The server did not end the session: %s", error->message);
}

/**
 * rd_window_sign_out:
 * @self: a #RdWindow
 *
 * Ends the session on the server, forgets the saved token and shows the
 * sign-in form.
 */
void
rd_window_sign_out (RdWindow *self)
{
  g_autoptr(RdConnection) connection = NULL;
  RdUser *user;

  g_return_if_fail (RD_IS_WINDOW (self));

  if (self->connection == NULL)
    return;

  connection = g_object_ref (self->connection);
  user = rd_connection_get_user (connection);

  if (user != NULL)
    rd_credentials_clear_async (rd_connection_get_url (connection),
                                rd_user_get_username (user),
                                NULL,
                                rd_window_clear_cb,
                                NULL);

  rd_connection_sign_out_async (connection, NULL, rd_window_sign_out_cb, NULL);

  rd_window_set_connection (self, NULL);
  rd_window_show_login (self, NULL);
  rd_window_add_toast (self, _("Signed out"));
}

static void
rd_window_sign_out_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  rd_window_sign_out (RD_WINDOW (widget));
}

static void
rd_window_ticket_activated_cb (RdWindow         *self,
                               RdTicket         *ticket,
                               RdTicketListPage *page)
{
  rd_window_open_ticket (self, ticket);
}

static void
rd_window_call_ticket_activated_cb (RdWindow      *self,
                                    RdTicket      *ticket,
                                    RdCallLogPage *page)
{
  rd_window_open_ticket (self, ticket);
}

static void
rd_window_ticket_changed_cb (RdWindow     *self,
                             RdTicket     *ticket,
                             RdTicketPage *page)
{
  rd_ticket_model_replace (rd_ticket_list_page_get_model (self->ticket_list_page), ticket);
}

/**
 * rd_window_open_ticket:
 * @self: a #RdWindow
 * @ticket: a ticket
 *
 * Shows the ticket page of @ticket.
 */
void
rd_window_open_ticket (RdWindow *self,
                       RdTicket *ticket)
{
  g_return_if_fail (RD_IS_WINDOW (self));
  g_return_if_fail (RD_IS_TICKET (ticket));

  if (self->connection == NULL)
    return;

  rd_ticket_page_show_ticket (self->ticket_page, ticket);
  adw_view_stack_set_visible_child_name (self->view_stack, "tickets");
  adw_leaflet_set_visible_child_name (self->ticket_leaflet, "ticket");
}

static void
rd_window_ticket_created_cb (RdWindow *self,
                             RdTicket *ticket)
{
  g_autofree char *title = NULL;

  if (rd_outbox_ticket_is_local (ticket))
    title = g_strdup (_("Ticket saved on this computer: it is sent when the server is back"));
  else
    /* Translators: a toast after creating ticket number %s */
    title = g_strdup_printf (_("Ticket #%s created"), rd_ticket_get_number (ticket));
  rd_window_add_toast (self, title);
  rd_ticket_list_page_refresh (self->ticket_list_page);
  rd_window_open_ticket (self, ticket);
}

/**
 * rd_window_new_ticket:
 * @self: a #RdWindow
 *
 * Opens the form for a new ticket; once created, its page is shown.
 *
 * Returns: (transfer none) (nullable): the form, or %NULL when signed out
 */
GtkWidget *
rd_window_new_ticket (RdWindow *self)
{
  GtkWidget *editor;

  g_return_val_if_fail (RD_IS_WINDOW (self), NULL);

  if (self->connection == NULL)
    return NULL;

  editor = rd_ticket_editor_new (self->connection, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "saved",
                           G_CALLBACK (rd_window_ticket_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));

  return editor;
}

/**
 * rd_window_set_server_url:
 * @self: a #RdWindow
 * @server_url: a new server address
 *
 * Signs out of the current server and asks to sign in to @server_url.
 */
void
rd_window_set_server_url (RdWindow   *self,
                          const char *server_url)
{
  g_autofree char *username = NULL;

  g_return_if_fail (RD_IS_WINDOW (self));
  g_return_if_fail (server_url != NULL);

  username = g_settings_get_string (self->settings, "username");
  if (self->connection != NULL)
    rd_window_sign_out (self);
  g_settings_set_string (self->settings, "server-url", server_url);
  rd_window_sign_in (self, server_url, username, NULL);
}

static void
rd_window_new_ticket_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  rd_window_new_ticket (RD_WINDOW (widget));
}

static void
rd_window_back_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  RdWindow *self = RD_WINDOW (widget);

  adw_leaflet_navigate (self->ticket_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
rd_window_search_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  RdWindow *self = RD_WINDOW (widget);

  if (self->connection == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "tickets");
  adw_leaflet_set_visible_child_name (self->ticket_leaflet, "list");
  rd_ticket_list_page_focus_search (self->ticket_list_page);
}

static void
rd_window_refresh_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  RdWindow *self = RD_WINDOW (widget);

  if (self->connection == NULL)
    return;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "account") == 0)
    rd_home_page_refresh (self->home_page);
  else if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "calls") == 0)
    rd_call_log_page_refresh (self->call_log_page);
  else if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->ticket_leaflet), "ticket") == 0)
    rd_ticket_page_refresh (self->ticket_page);
  else
    rd_ticket_list_page_refresh (self->ticket_list_page);
}

static gboolean
rd_window_close_request (GtkWindow *window)
{
  RdWindow *self = RD_WINDOW (window);
  int width;
  int height;

  gboolean hide;

  /* Signed in, with run-in-background, the window only hides: the
   * application and its live events stay for the caller popups */
  hide = self->connection != NULL &&
         rd_application_get_runs_in_background (RD_APPLICATION (gtk_window_get_application (window)));

  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  if (hide)
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (rd_window_parent_class)->close_request (window);
}

static void
rd_window_dispose (GObject *object)
{
  RdWindow *self = (RdWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);

  /* The switchers let go of the stack's pages before the stack goes */
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_WINDOW);

  G_OBJECT_CLASS (rd_window_parent_class)->dispose (object);
}

static void
rd_window_finalize (GObject *object)
{
  RdWindow *self = (RdWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rd_window_parent_class)->finalize (object);
}

static void
rd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdWindow *self = RD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_window_class_init (RdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rd_window_dispose;
  object_class->finalize = rd_window_finalize;
  object_class->get_property = rd_window_get_property;

  window_class->close_request = rd_window_close_request;

  /**
   * RdWindow:connection:
   *
   * The signed-in connection, or %NULL while signed out.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RD_TYPE_CALL_LOG_PAGE);
  g_type_ensure (RD_TYPE_HOME_PAGE);
  g_type_ensure (RD_TYPE_LOGIN_PAGE);
  g_type_ensure (RD_TYPE_TICKET_LIST_PAGE);
  g_type_ensure (RD_TYPE_TICKET_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RdWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, new_ticket_button);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, ticket_leaflet);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, ticket_list_page);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, ticket_page);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, call_log_page);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, RdWindow, home_page);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_session_expired_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_ticket_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_ticket_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_window_call_ticket_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, rd_window_sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.new-ticket", NULL, rd_window_new_ticket_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, rd_window_back_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, rd_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, rd_window_refresh_action);
}

static void
rd_window_init (RdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new (BASE_APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-ticket", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", FALSE);
  rd_window_page_changed_cb (self, NULL, self->stack);
  rd_window_show_login (self, NULL);
}

RdWindow *
rd_window_new (RdApplication *application)
{
  g_return_val_if_fail (RD_IS_APPLICATION (application), NULL);

  return g_object_new (RD_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * rd_window_get_connection:
 * @self: a #RdWindow
 *
 * Returns: (transfer none) (nullable): the signed-in connection
 */
RdConnection *
rd_window_get_connection (RdWindow *self)
{
  g_return_val_if_fail (RD_IS_WINDOW (self), NULL);

  return self->connection;
}

/**
 * rd_window_get_page_name:
 * @self: a #RdWindow
 *
 * Returns: "loading", "login" or "home"
 */
const char *
rd_window_get_page_name (RdWindow *self)
{
  g_return_val_if_fail (RD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
rd_window_add_toast (RdWindow   *self,
                     const char *title)
{
  g_return_if_fail (RD_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
rd_window_live_state_cb (RdWindow         *self,
                         GParamSpec       *pspec,
                         RdLiveConnection *live)
{
  RdLiveState state = rd_live_connection_get_state (live);
  const char *reason = rd_live_connection_get_reason (live);
  g_autofree char *tooltip = NULL;
  const char *icon;

  /* The server answers again: what waits in the outbox can go */
  if (state == RD_LIVE_STATE_CONNECTED && rd_outbox_get_for_connection (self->connection) != NULL)
    rd_outbox_set_online (rd_outbox_get_for_connection (self->connection), TRUE);

  switch (state)
    {
    case RD_LIVE_STATE_CONNECTED:
      icon = "call-start-symbolic";
      /* Translators: %s is the extension, e.g. 201 */
      tooltip = g_strdup_printf (_("Receiving the calls of extension %s"),
                                 rd_live_connection_get_extension (live));
      break;

    case RD_LIVE_STATE_CONNECTING:
      icon = "content-loading-symbolic";
      tooltip = g_strdup (_("Connecting to the calls…"));
      break;

    case RD_LIVE_STATE_OFFLINE:
    default:
      icon = "network-offline-symbolic";
      /* Translators: %s says why, e.g. "The server cannot be reached" */
      tooltip = g_strdup_printf (_("No calls: %s. Click to try again."),
                                 reason ? reason : _("offline"));
      break;
    }

  gtk_button_set_icon_name (self->live_button, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->live_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->live_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->live_button),
                          rd_live_connection_get_connection (live) != NULL);
  if (state == RD_LIVE_STATE_OFFLINE)
    gtk_widget_add_css_class (GTK_WIDGET (self->live_button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->live_button), "warning");
}

/* the server ended the session under the live events: sign in again */
static void
rd_window_live_session_ended_cb (RdWindow         *self,
                                 RdLiveConnection *live)
{
  if (self->connection != NULL && rd_live_connection_get_connection (live) == self->connection)
    rd_window_session_expired_cb (self, NULL);
}

static void
rd_window_live_clicked_cb (RdWindow *self)
{
  if (self->live != NULL && rd_live_connection_get_state (self->live) == RD_LIVE_STATE_OFFLINE)
    rd_live_connection_reconnect (self->live);
}

/**
 * rd_window_set_live_connection:
 * @self: a #RdWindow
 * @live: the application's live events
 *
 * Shows the state of @live in the header bar: a button whose icon and
 * tooltip say whether calls arrive, and that reconnects when offline.
 */
void
rd_window_set_live_connection (RdWindow         *self,
                               RdLiveConnection *live)
{
  g_return_if_fail (RD_IS_WINDOW (self));
  g_return_if_fail (RD_IS_LIVE_CONNECTION (live));
  g_return_if_fail (self->live == NULL);

  self->live = g_object_ref (live);
  self->live_button = GTK_BUTTON (gtk_button_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->live_button), "flat");
  g_signal_connect_object (self->live_button, "clicked",
                           G_CALLBACK (rd_window_live_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (self->header_bar, GTK_WIDGET (self->live_button));

  g_signal_connect_object (live, "notify::state", G_CALLBACK (rd_window_live_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (live, "notify::reason", G_CALLBACK (rd_window_live_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (live, "notify::connection", G_CALLBACK (rd_window_live_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (live, "session-ended", G_CALLBACK (rd_window_live_session_ended_cb), self,
                           G_CONNECT_SWAPPED);
  rd_call_log_page_set_live_connection (self->call_log_page, live);
  rd_window_live_state_cb (self, NULL, live);
}
