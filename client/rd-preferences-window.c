/* rd-preferences-window.c: the preferences
 *
 * Everything is kept in GSettings. The extension, the popup behaviour and
 * the camera apply at once (the popup and the camera read them when they
 * need them); a new server address is checked, then the main window signs
 * out and asks to sign in there. The language is the desktop's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdPreferencesWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-connection.h"
#include "rd-preferences-window-private.h"
#include "rd-window.h"

G_DEFINE_FINAL_TYPE (RdPreferencesWindow, rd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The items of popup_row and camera_row, in order */
static const char * const popup_modes[] = { "raise", "notify", NULL };
static const char * const camera_sources[] = { "auto", "v4l2", "pipewire", NULL };

static gboolean
rd_preferences_window_get_choice (GValue   *value,
                                  GVariant *variant,
                                  gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *choice = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (g_str_equal (choices[i], choice))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
rd_preferences_window_set_choice (const GValue       *value,
                                  const GVariantType *expected_type,
                                  gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) choices))
    return NULL;

  return g_variant_new_string (choices[index]);
}

static void
rd_preferences_window_server_changed_cb (RdPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
}

static void
rd_preferences_window_server_apply_cb (RdPreferencesWindow *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *current = NULL;
  GtkWindow *main_window;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  uri = rd_connection_parse_url (url, &error);
  if (uri == NULL)
    {
      g_debug ("%s", error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("This is not a server address. Type one like https://ringdesk.example.com")));
      return;
    }

  current = g_settings_get_string (self->settings, "server-url");
  if (g_strcmp0 (current, url) == 0)
    return;

  main_window = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (RD_IS_WINDOW (main_window))
    {
      rd_window_set_server_url (RD_WINDOW (main_window), url);
      gtk_window_close (GTK_WINDOW (self));
    }
  else
    g_settings_set_string (self->settings, "server-url", url);
}

static void
rd_preferences_window_dispose (GObject *object)
{
  RdPreferencesWindow *self = (RdPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (rd_preferences_window_parent_class)->dispose (object);
}

static void
rd_preferences_window_finalize (GObject *object)
{
  RdPreferencesWindow *self = (RdPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rd_preferences_window_parent_class)->finalize (object);
}

static void
rd_preferences_window_class_init (RdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_preferences_window_dispose;
  object_class->finalize = rd_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RdPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, RdPreferencesWindow, extension_row);
  gtk_widget_class_bind_template_child (widget_class, RdPreferencesWindow, popup_row);
  gtk_widget_class_bind_template_child (widget_class, RdPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, RdPreferencesWindow, customer_url_row);
  gtk_widget_class_bind_template_child (widget_class, RdPreferencesWindow, camera_row);
  gtk_widget_class_bind_template_callback (widget_class, rd_preferences_window_server_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_preferences_window_server_changed_cb);
}

static void
rd_preferences_window_init (RdPreferencesWindow *self)
{
  g_autofree char *server_url = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);

  server_url = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);

  g_settings_bind (self->settings, "extension", self->extension_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "customer-url", self->customer_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "popup-mode", self->popup_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                rd_preferences_window_get_choice,
                                rd_preferences_window_set_choice,
                                (gpointer) popup_modes, NULL);
  g_settings_bind_with_mapping (self->settings, "camera-source", self->camera_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                rd_preferences_window_get_choice,
                                rd_preferences_window_set_choice,
                                (gpointer) camera_sources, NULL);
}

GtkWidget *
rd_preferences_window_new (void)
{
  return g_object_new (RD_TYPE_PREFERENCES_WINDOW, NULL);
}
