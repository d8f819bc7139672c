/* rd-application.c: the Ringdesk desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdApplication"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rd-application.h"
#include "rd-call-notifier.h"
#include "rd-live-connection.h"
#include "rd-preferences-window.h"
#include "rd-window.h"

struct _RdApplication
{
  AdwApplication  parent_instance;

  /* From the command line of the first instance, used by its first window */
  char           *server_url;
  char           *username;
  char           *password;

  /* The live events and the caller popups outlive the windows */
  GSettings        *settings;
  RdLiveConnection *live;
  RdCallNotifier   *notifier;
  gboolean          quitting;
};

G_DEFINE_FINAL_TYPE (RdApplication, rd_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign in to the Ringdesk server at URL"), N_("URL") },
  { "user", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign in as the user NAME"), N_("NAME") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Read the password from the first line of standard input and sign in"), NULL },
  { NULL }
};

static void
rd_application_forget_password (RdApplication *self)
{
  if (self->password != NULL)
    {
      explicit_bzero (self->password, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
}

static char *
rd_application_read_password (GError **error)
{
  char *line = NULL;
  size_t size = 0;
  ssize_t length;
  char *password;

  length = getline (&line, &size, stdin);
  if (length < 0)
    {
      free (line);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No password on standard input"));
      return NULL;
    }

  while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
    line[--length] = '\0';

  password = g_strndup (line, length);
  explicit_bzero (line, size);
  free (line);

  if (*password == '\0' || !g_utf8_validate (password, -1, NULL))
    {
      g_free (password);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The password on standard input is empty or not UTF-8"));
      return NULL;
    }

  return password;
}

static int
rd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  RdApplication *self = RD_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  gboolean password_stdin = FALSE;

  g_variant_dict_lookup (options, "server", "s", &self->server_url);
  g_variant_dict_lookup (options, "user", "s", &self->username);
  g_variant_dict_lookup (options, "password-stdin", "b", &password_stdin);

  if (password_stdin)
    {
      if (self->username == NULL)
        {
          g_printerr ("%s\n", _("--password-stdin needs --user NAME"));
          return EXIT_FAILURE;
        }

      self->password = rd_application_read_password (&error);
      if (self->password == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  if (self->server_url != NULL || self->username != NULL)
    {
      if (!g_application_register (application, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }

      if (g_application_get_is_remote (application))
        {
          g_printerr ("%s\n", _("Ringdesk is already running; --server, --user and --password-stdin apply only when it starts"));
          rd_application_forget_password (self);
        }
    }

  return G_APPLICATION_CLASS (rd_application_parent_class)->handle_local_options (application, options);
}

/* The desk's extension: the preferences' one, else the signed-in user's */
static void
rd_application_update_extension (RdApplication *self)
{
  g_autofree char *extension = g_settings_get_string (self->settings, "extension");
  RdConnection *connection = rd_live_connection_get_connection (self->live);
  RdUser *user = connection != NULL ? rd_connection_get_user (connection) : NULL;

  if (*extension == '\0' && user != NULL && rd_user_get_extension (user) != NULL)
    rd_live_connection_set_extension (self->live, rd_user_get_extension (user));
  else
    rd_live_connection_set_extension (self->live, extension);
}

static void
rd_application_connection_changed_cb (RdApplication *self,
                                      GParamSpec    *pspec,
                                      RdWindow      *window)
{
  /* Sign-out (NULL) stops the events; a new session starts them */
  rd_live_connection_set_connection (self->live, rd_window_get_connection (window));
  rd_application_update_extension (self);
}

/* The main window, shown or hidden in the background; not a popup */
static GtkWindow *
rd_application_get_main_window (RdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (RD_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static GtkWindow *
rd_application_new_main_window (RdApplication *self)
{
  RdWindow *window = rd_window_new (self);

  rd_window_set_live_connection (window, self->live);
  g_signal_connect_object (window, "notify::connection",
                           G_CALLBACK (rd_application_connection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return GTK_WINDOW (window);
}

static void
rd_application_activate (GApplication *application)
{
  RdApplication *self = RD_APPLICATION (application);
  GtkWindow *window;

  window = rd_application_get_main_window (self);
  if (window == NULL)
    {
      window = rd_application_new_main_window (self);

      if (self->server_url != NULL || self->username != NULL)
        rd_window_sign_in (RD_WINDOW (window), self->server_url, self->username, self->password);
      else
        rd_window_restore_session (RD_WINDOW (window));

      rd_application_forget_password (self);
      g_clear_pointer (&self->server_url, g_free);
      g_clear_pointer (&self->username, g_free);
    }

  gtk_window_present (window);
}

static void
rd_application_about_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  RdApplication *self = user_data;
  static const char *developers[] = { N_("The Ringdesk developers"), NULL };
  const char *translated_developers[G_N_ELEMENTS (developers)] = { NULL };
  GtkWindow *about;

  for (guint i = 0; developers[i] != NULL; i++)
    translated_developers[i] = _(developers[i]);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Ringdesk"),
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Ringdesk developers"),
                        "developers", translated_developers,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_WEBSITE "/issues",
                        "copyright", _("© The Ringdesk developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (about);
}

static void
rd_application_help_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  RdApplication *self = user_data;

  gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)),
                "help:" PACKAGE_NAME,
                GDK_CURRENT_TIME);
}

static void
rd_application_shortcuts_action (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  RdApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
rd_application_sign_out_action (GSimpleAction *action,
                                GVariant      *param,
                                gpointer       user_data)
{
  RdApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (RD_IS_WINDOW (window))
    rd_window_sign_out (RD_WINDOW (window));
}

static void
rd_application_preferences_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  RdApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences;

  preferences = rd_preferences_window_new ();
  if (window != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (preferences), TRUE);
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
rd_application_quit_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  RdApplication *self = user_data;
  GList *windows;

  self->quitting = TRUE;

  /* Closing, not destroying, lets each window save its size */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *iter = windows; iter != NULL; iter = iter->next)
    gtk_window_close (iter->data);
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "about", rd_application_about_action },
  { "help", rd_application_help_action },
  { "shortcuts", rd_application_shortcuts_action },
  { "sign-out", rd_application_sign_out_action },
  { "preferences", rd_application_preferences_action },
  { "quit", rd_application_quit_action },
};

static void
rd_application_startup (GApplication *application)
{
  RdApplication *self = RD_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *new_ticket_accels[] = { "<Control>n", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *refresh_accels[] = { "F5", "<Control>r", NULL };
  static const char *back_accels[] = { "<Alt>Left", NULL };

  G_APPLICATION_CLASS (rd_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-ticket", new_ticket_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.back", back_accels);

  self->settings = g_settings_new (BASE_APP_ID);
  self->live = rd_live_connection_new ();
  self->notifier = rd_call_notifier_new (GTK_APPLICATION (self), self->live);
  g_signal_connect_object (self->settings, "changed::extension",
                           G_CALLBACK (rd_application_update_extension), self,
                           G_CONNECT_SWAPPED);

  /* Started as a service (autostart, D-Bus activation) nothing is shown:
   * the hidden window restores the session and the popups come when
   * calls ring */
  if (g_application_get_flags (application) & G_APPLICATION_IS_SERVICE)
    {
      GtkWindow *window = rd_application_new_main_window (self);

      rd_window_restore_session (RD_WINDOW (window));
    }
}

static void
rd_application_shutdown (GApplication *application)
{
  RdApplication *self = RD_APPLICATION (application);

  if (self->live != NULL)
    rd_live_connection_set_connection (self->live, NULL);

  G_APPLICATION_CLASS (rd_application_parent_class)->shutdown (application);
}

static void
rd_application_finalize (GObject *object)
{
  RdApplication *self = (RdApplication *)object;

  rd_application_forget_password (self);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_object (&self->notifier);
  g_clear_object (&self->live);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rd_application_parent_class)->finalize (object);
}

static void
rd_application_class_init (RdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rd_application_finalize;

  application_class->handle_local_options = rd_application_handle_local_options;
  application_class->startup = rd_application_startup;
  application_class->activate = rd_application_activate;
  application_class->shutdown = rd_application_shutdown;
}

static void
rd_application_init (RdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
}

RdApplication *
rd_application_new (void)
{
  return g_object_new (RD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * rd_application_get_live_connection:
 * @self: a #RdApplication after startup
 *
 * Returns: (transfer none): the live events of the signed-in session
 */
RdLiveConnection *
rd_application_get_live_connection (RdApplication *self)
{
  g_return_val_if_fail (RD_IS_APPLICATION (self), NULL);

  return self->live;
}

/**
 * rd_application_get_call_notifier:
 * @self: a #RdApplication after startup
 *
 * Returns: (transfer none): what raises the caller popups
 */
RdCallNotifier *
rd_application_get_call_notifier (RdApplication *self)
{
  g_return_val_if_fail (RD_IS_APPLICATION (self), NULL);

  return self->notifier;
}

/**
 * rd_application_get_runs_in_background:
 * @self: a #RdApplication
 *
 * Returns: whether closing the main window only hides it, so that caller
 *   popups keep coming (the run-in-background setting), unless quitting
 */
gboolean
rd_application_get_runs_in_background (RdApplication *self)
{
  g_return_val_if_fail (RD_IS_APPLICATION (self), FALSE);

  return !self->quitting && self->settings != NULL &&
         g_settings_get_boolean (self->settings, "run-in-background");
}
