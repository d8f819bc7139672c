/* rd-login-page.c: the sign-in form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdLoginPage"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-connection.h"
#include "rd-login-page-private.h"
#include "rd-utils-private.h"

G_DEFINE_FINAL_TYPE (RdLoginPage, rd_login_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
rd_login_page_set_busy (RdLoginPage *self,
                        gboolean     busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;

  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_label (self->sign_in_label, busy ? _("Signing In…") : _("_Sign In"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.sign-in", !busy);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * rd_login_page_set_message:
 * @self: a #RdLoginPage
 * @message: (nullable): a translated sentence, or %NULL to hide it
 *
 * Shows @message under the form, e.g. why a saved session was not restored.
 */
void
rd_login_page_set_message (RdLoginPage *self,
                           const char  *message)
{
  g_return_if_fail (RD_IS_LOGIN_PAGE (self));

  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message != '\0');
}

static void
rd_login_page_mark_invalid (RdLoginPage *self,
                            AdwEntryRow *row,
                            const char  *message)
{
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  rd_login_page_set_message (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
rd_login_page_row_changed_cb (RdLoginPage *self,
                              GtkEditable *editable)
{
  g_assert (RD_IS_LOGIN_PAGE (self));

  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
rd_login_page_sign_in_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  RdConnection *connection = (RdConnection *)object;
  g_autoptr(RdLoginPage) self = user_data;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (RD_IS_CONNECTION (connection));
  g_assert (RD_IS_LOGIN_PAGE (self));

  user = rd_connection_sign_in_finish (connection, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  rd_login_page_set_busy (self, FALSE);

  if (user == NULL)
    {
      g_autofree char *message = rd_utils_describe_error (error);

      g_debug ("Sign-in failed: %s", error->message);

      if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
        {
          rd_login_page_mark_invalid (self, self->password_row, message);
        }
      else if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAVAILABLE) ||
               g_error_matches (error, RD_ERROR, RD_ERROR_INVALID_DATA))
        {
          rd_login_page_mark_invalid (self, self->server_row, message);
        }
      else
        {
          rd_login_page_set_message (self, message);
        }

      return;
    }

  g_debug ("Signed in as %s", rd_user_get_username (user));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  rd_login_page_set_message (self, NULL);

  g_signal_emit (self, signals[SIGNED_IN], 0, connection);
}

static void
rd_login_page_submit (RdLoginPage *self)
{
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  const char *password;

  g_assert (RD_IS_LOGIN_PAGE (self));

  if (self->busy)
    return;

  server_url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  /* Refused here, before any request leaves the machine */
  if (*server_url == '\0')
    {
      rd_login_page_mark_invalid (self, self->server_row,
                                  _("Enter the address of your Ringdesk server, for example http://ringdesk.example.com:8765."));
      return;
    }

  connection = rd_connection_new (server_url, &error);
  if (connection == NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Refused server address: %s", error->message);
      /* Translators: %s is what the user typed as the server address */
      message = g_strdup_printf (_("“%s” is not a server address. Enter one that starts with http:// or https://, for example http://ringdesk.example.com:8765."),
                                 server_url);
      rd_login_page_mark_invalid (self, self->server_row, message);
      return;
    }

  if (*username == '\0')
    {
      rd_login_page_mark_invalid (self, self->username_row, _("Enter your username."));
      return;
    }

  if (*password == '\0')
    {
      rd_login_page_mark_invalid (self, self->password_row, _("Enter your password."));
      return;
    }

  rd_login_page_set_message (self, NULL);
  rd_login_page_set_busy (self, TRUE);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  rd_connection_sign_in_async (connection,
                               username,
                               password,
                               self->cancellable,
                               rd_login_page_sign_in_cb,
                               g_object_ref (self));
}

static void
rd_login_page_row_activated_cb (RdLoginPage *self,
                                AdwEntryRow *row)
{
  AdwEntryRow *rows[] = { self->server_row, self->username_row, self->password_row };

  g_assert (RD_IS_LOGIN_PAGE (self));

  /* Enter moves on to the next empty field, and signs in from a full form */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (rows[i]));

      if (*text == '\0' && rows[i] != row)
        {
          gtk_widget_grab_focus (GTK_WIDGET (rows[i]));
          return;
        }
    }

  rd_login_page_submit (self);
}

static void
rd_login_page_sign_in_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  rd_login_page_submit (RD_LOGIN_PAGE (widget));
}

static void
rd_login_page_dispose (GObject *object)
{
  RdLoginPage *self = (RdLoginPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  /* AdwBin unparents the template's child itself */

  G_OBJECT_CLASS (rd_login_page_parent_class)->dispose (object);
}

static void
rd_login_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RdLoginPage *self = RD_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_login_page_class_init (RdLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_login_page_dispose;
  object_class->get_property = rd_login_page_get_property;

  /**
   * RdLoginPage:busy:
   *
   * Whether a sign-in request is on its way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdLoginPage::signed-in:
   * @self: a #RdLoginPage
   * @connection: the signed-in #RdConnection
   *
   * Emitted when the server has accepted the credentials.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, RD_TYPE_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, RdLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, rd_login_page_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_login_page_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "login.sign-in", NULL, rd_login_page_sign_in_action);
}

static void
rd_login_page_init (RdLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_status_page_set_icon_name (self->status_page, APP_ID);
}

GtkWidget *
rd_login_page_new (void)
{
  return g_object_new (RD_TYPE_LOGIN_PAGE, NULL);
}

gboolean
rd_login_page_get_busy (RdLoginPage *self)
{
  g_return_val_if_fail (RD_IS_LOGIN_PAGE (self), FALSE);

  return self->busy;
}

void
rd_login_page_set_server_url (RdLoginPage *self,
                              const char  *server_url)
{
  g_return_if_fail (RD_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url ? server_url : "");
}

void
rd_login_page_set_username (RdLoginPage *self,
                            const char  *username)
{
  g_return_if_fail (RD_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");
}

/**
 * rd_login_page_sign_in:
 * @self: a #RdLoginPage
 * @password: the password, e.g. read from standard input
 *
 * Signs in with the address and username in the form and @password, as if
 * the user had typed it and pressed Sign In.
 */
void
rd_login_page_sign_in (RdLoginPage *self,
                       const char  *password)
{
  g_return_if_fail (RD_IS_LOGIN_PAGE (self));
  g_return_if_fail (password != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  rd_login_page_submit (self);
}

/**
 * rd_login_page_reset:
 * @self: a #RdLoginPage
 *
 * Cancels a sign-in on its way, empties the password and hides the message.
 */
void
rd_login_page_reset (RdLoginPage *self)
{
  g_return_if_fail (RD_IS_LOGIN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  rd_login_page_set_busy (self, FALSE);

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->username_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  rd_login_page_set_message (self, NULL);
}
