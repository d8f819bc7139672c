/* rd-home-page.c: the signed-in page
 *
 * Shows who is signed in (GET /api/v1/me) and the server's health
 * (GET /healthz). Later work puts calls and tickets here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdHomePage"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-home-page-private.h"
#include "rd-utils-private.h"

G_DEFINE_FINAL_TYPE (RdHomePage, rd_home_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

enum {
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
rd_home_page_role_name (const char *role)
{
  if (g_strcmp0 (role, RD_ROLE_AGENT) == 0)
    return _("Agent");
  if (g_strcmp0 (role, RD_ROLE_TECHNICIAN) == 0)
    return _("Technician");
  if (g_strcmp0 (role, RD_ROLE_SUPERVISOR) == 0)
    return _("Supervisor");
  if (g_strcmp0 (role, RD_ROLE_ADMIN) == 0)
    return _("Administrator");

  return role;
}

static void
rd_home_page_update_user (RdHomePage *self)
{
  RdUser *user = NULL;
  g_autoptr(GString) roles = g_string_new (NULL);
  const char *display_name = NULL;
  const char *username = NULL;
  const char *extension = NULL;

  if (self->connection != NULL)
    user = rd_connection_get_user (self->connection);

  if (user != NULL)
    {
      const char * const *user_roles = rd_user_get_roles (user);

      username = rd_user_get_username (user);
      display_name = rd_user_get_display_name (user);
      extension = rd_user_get_extension (user);

      for (guint i = 0; user_roles != NULL && user_roles[i] != NULL; i++)
        {
          if (roles->len > 0)
            /* Translators: the separator between two roles, as in "Agent, Supervisor" */
            g_string_append (roles, _(", "));
          g_string_append (roles, rd_home_page_role_name (user_roles[i]));
        }
    }

  if (display_name == NULL || *display_name == '\0')
    display_name = username;

  adw_avatar_set_text (self->avatar, display_name);
  gtk_label_set_label (self->display_name_label, display_name ? display_name : "");
  gtk_label_set_label (self->username_label, username ? username : "");
  /* The username under the name only when it says something more */
  gtk_widget_set_visible (GTK_WIDGET (self->username_label),
                          g_strcmp0 (username, display_name) != 0);
  gtk_label_set_label (self->roles_label, roles->len > 0 ? roles->str : _("None"));
  gtk_label_set_label (self->extension_label,
                       extension != NULL && *extension != '\0' ? extension : _("None"));
}

static void
rd_home_page_set_state_label (GtkLabel   *label,
                              const char *text,
                              const char *style)
{
  static const char * const styles[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), styles[i]);

  gtk_label_set_label (label, text);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
}

static void
rd_home_page_show_state (GtkLabel   *label,
                         const char *state)
{
  if (state == NULL)
    rd_home_page_set_state_label (label, _("Unknown"), "dim-label");
  else if (g_str_equal (state, "ok"))
    rd_home_page_set_state_label (label, _("Working"), "success");
  else if (g_str_equal (state, "connected"))
    rd_home_page_set_state_label (label, _("Connected"), "success");
  else if (g_str_equal (state, "connecting"))
    rd_home_page_set_state_label (label, _("Connecting"), "warning");
  else if (g_str_equal (state, "down"))
    rd_home_page_set_state_label (label, _("Down"), "error");
  else
    rd_home_page_set_state_label (label, state, "warning");
}

static void
rd_home_page_set_loading (RdHomePage *self,
                          gboolean    loading)
{
  if (loading)
    self->pending++;
  else
    self->pending--;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->pending > 0);
  gtk_spinner_set_spinning (self->spinner, self->pending > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "home.refresh",
                                 self->pending == 0 && self->connection != NULL);
}

static void
rd_home_page_get_health_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  RdConnection *connection = (RdConnection *)object;
  RdHomePage *self = user_data;
  g_autoptr(RdServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;

  health = rd_connection_get_health_finish (connection, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_assert (RD_IS_HOME_PAGE (self));

  rd_home_page_set_loading (self, FALSE);

  if (health == NULL)
    {
      g_autofree char *message = rd_utils_describe_error (error);

      g_debug ("Health check failed: %s", error->message);
      rd_home_page_set_state_label (self->status_label, _("Not responding"), "error");
      rd_home_page_show_state (self->db_label, NULL);
      rd_home_page_show_state (self->cti_label, NULL);
      adw_preferences_group_set_description (self->server_group, message);
      return;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *clock_text = g_date_time_format (now, "%X");
      /* Translators: %s is the time of day of the last health check */
      g_autofree char *checked = g_strdup_printf (_("Checked at %s"), clock_text);

      rd_home_page_show_state (self->status_label, health->status);
      rd_home_page_show_state (self->db_label, health->db);
      rd_home_page_show_state (self->cti_label, health->cti);
      adw_preferences_group_set_description (self->server_group, checked);
    }
}

static void
rd_home_page_get_me_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  RdConnection *connection = (RdConnection *)object;
  RdHomePage *self = user_data;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = rd_connection_get_me_finish (connection, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_assert (RD_IS_HOME_PAGE (self));

  rd_home_page_set_loading (self, FALSE);

  if (user == NULL)
    {
      g_autofree char *message = rd_utils_describe_error (error);

      g_debug ("Could not refresh the user: %s", error->message);

      if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
        {
          g_signal_emit (self, signals[SESSION_EXPIRED], 0);
          return;
        }

      adw_preferences_group_set_description (self->account_group, message);
      return;
    }

  adw_preferences_group_set_description (self->account_group, NULL);
}

/**
 * rd_home_page_refresh:
 * @self: a #RdHomePage
 *
 * Asks the server again who is signed in and how it is doing.
 */
void
rd_home_page_refresh (RdHomePage *self)
{
  g_return_if_fail (RD_IS_HOME_PAGE (self));

  if (self->connection == NULL || self->pending > 0)
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  rd_home_page_set_loading (self, TRUE);
  rd_connection_get_me_async (self->connection,
                              self->cancellable,
                              rd_home_page_get_me_cb,
                              self);

  rd_home_page_set_loading (self, TRUE);
  rd_connection_get_health_async (self->connection,
                                  self->cancellable,
                                  rd_home_page_get_health_cb,
                                  self);
}

static void
rd_home_page_refresh_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  rd_home_page_refresh (RD_HOME_PAGE (widget));
}

static void
rd_home_page_user_changed_cb (RdHomePage   *self,
                              GParamSpec   *pspec,
                              RdConnection *connection)
{
  rd_home_page_update_user (self);
}

static void
rd_home_page_dispose (GObject *object)
{
  RdHomePage *self = (RdHomePage *)object;

  rd_home_page_set_connection (self, NULL);

  /* AdwBin unparents the template's child itself */

  G_OBJECT_CLASS (rd_home_page_parent_class)->dispose (object);
}

static void
rd_home_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RdHomePage *self = RD_HOME_PAGE (object);

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
rd_home_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RdHomePage *self = RD_HOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      rd_home_page_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_home_page_class_init (RdHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_home_page_dispose;
  object_class->get_property = rd_home_page_get_property;
  object_class->set_property = rd_home_page_set_property;

  /**
   * RdHomePage:connection:
   *
   * The signed-in connection whose user and server the page shows.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdHomePage::session-expired:
   * @self: a #RdHomePage
   *
   * Emitted when the server no longer accepts the session's token.
   */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, avatar);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, display_name_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, username_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, account_group);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, roles_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, extension_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, server_group);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, address_row);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, db_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, cti_label);
  gtk_widget_class_bind_template_child (widget_class, RdHomePage, spinner);

  gtk_widget_class_install_action (widget_class, "home.refresh", NULL, rd_home_page_refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "home.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "home.refresh", NULL);
}

static void
rd_home_page_init (RdHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "home.refresh", FALSE);
}

GtkWidget *
rd_home_page_new (void)
{
  return g_object_new (RD_TYPE_HOME_PAGE, NULL);
}

/**
 * rd_home_page_get_connection:
 * @self: a #RdHomePage
 *
 * Returns: (transfer none) (nullable): the connection shown
 */
RdConnection *
rd_home_page_get_connection (RdHomePage *self)
{
  g_return_val_if_fail (RD_IS_HOME_PAGE (self), NULL);

  return self->connection;
}

/**
 * rd_home_page_set_connection:
 * @self: a #RdHomePage
 * @connection: (nullable): a signed-in #RdConnection
 *
 * Shows @connection's user and server, and refreshes both from the server.
 */
void
rd_home_page_set_connection (RdHomePage   *self,
                             RdConnection *connection)
{
  g_return_if_fail (RD_IS_HOME_PAGE (self));
  g_return_if_fail (!connection || RD_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  /* Replies for the old connection are dropped; their callbacks see CANCELLED */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->pending = 0;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection,
                                          G_CALLBACK (rd_home_page_user_changed_cb),
                                          self);

  g_set_object (&self->connection, connection);

  if (self->connection != NULL)
    g_signal_connect_object (self->connection,
                             "notify::user",
                             G_CALLBACK (rd_home_page_user_changed_cb),
                             self,
                             G_CONNECT_SWAPPED);

  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    {
      rd_home_page_update_user (self);
      adw_action_row_set_subtitle (self->address_row,
                                   connection ? rd_connection_get_url (connection) : "");
      adw_preferences_group_set_description (self->account_group, NULL);
      adw_preferences_group_set_description (self->server_group, NULL);
      rd_home_page_show_state (self->status_label, NULL);
      rd_home_page_show_state (self->db_label, NULL);
      rd_home_page_show_state (self->cti_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "home.refresh", connection != NULL);
    }

  rd_home_page_refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}
