/* rd-call-notifier.c: turns the live call events into popups and notifications
 *
 * One per application. For a call that rings at this desk's extension it
 * raises a caller popup (popup-mode "raise") and, when the application is
 * in the background or in "notify" mode, sends an urgent notification.
 * A call answered at another extension withdraws both; a call that ends
 * while it still rings is withdrawn and becomes a "Missed call"
 * notification with "Call back" (click-to-dial). A call transferred to
 * this desk raises the popup with the call's tickets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCallNotifier"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-call-notifier.h"
#include "rd-call-popup.h"

struct _RdCallNotifier
{
  GObject           parent_instance;

  GtkApplication   *application;
  RdLiveConnection *live;
  GSettings        *settings;
  /* RdCallPopup, in the order they came */
  GListStore       *popups;
  /* call id → RdCall, the calls that ring here now */
  GHashTable       *ringing;
  /* notification ids sent and not withdrawn */
  GHashTable       *notifications;
};

G_DEFINE_FINAL_TYPE (RdCallNotifier, rd_call_notifier, G_TYPE_OBJECT)

static const char *
rd_call_notifier_caller (RdCall *call)
{
  RdCustomer *customer = rd_call_get_customer (call);
  const char *from = rd_call_get_from (call);

  if (customer != NULL && rd_customer_get_name (customer) != NULL)
    return rd_customer_get_name (customer);

  return from != NULL && *from != '\0' ? from : _("Unknown number");
}

static void
rd_call_notifier_send (RdCallNotifier *self,
                       const char     *id,
                       GNotification  *notification)
{
  g_hash_table_add (self->notifications, g_strdup (id));

  /* Unregistered (tests without a bus) there is nowhere to send it */
  if (g_application_get_is_registered (G_APPLICATION (self->application)))
    g_application_send_notification (G_APPLICATION (self->application), id, notification);
}

static void
rd_call_notifier_withdraw (RdCallNotifier *self,
                           const char     *id)
{
  if (!g_hash_table_remove (self->notifications, id))
    return;

  if (g_application_get_is_registered (G_APPLICATION (self->application)))
    g_application_withdraw_notification (G_APPLICATION (self->application), id);
}

static char *
rd_call_notifier_ringing_id (RdCall *call)
{
  return g_strconcat ("call-", rd_call_get_id (call), NULL);
}

static gboolean
rd_call_notifier_find_popup (RdCallNotifier *self,
                             const char     *call_id,
                             guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->popups));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdCallPopup) popup = g_list_model_get_item (G_LIST_MODEL (self->popups), i);

      if (g_strcmp0 (rd_call_get_id (rd_call_popup_get_call (popup)), call_id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
rd_call_notifier_popup_close_cb (RdCallNotifier *self,
                                 GtkWindow      *popup)
{
  guint position;

  if (g_list_store_find (self->popups, popup, &position))
    g_list_store_remove (self->popups, position);

  return GDK_EVENT_PROPAGATE;
}

/* Whether none of the application's windows has the focus */
static gboolean
rd_call_notifier_in_background (RdCallNotifier *self)
{
  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    {
      if (gtk_widget_get_visible (l->data) && gtk_window_is_active (l->data))
        return FALSE;
    }

  return TRUE;
}

static void
rd_call_notifier_notify_ringing (RdCallNotifier *self,
                                 RdCall         *call,
                                 gboolean        transferred)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = rd_call_notifier_ringing_id (call);
  RdCustomer *customer = rd_call_get_customer (call);
  g_autofree char *body = NULL;

  notification = g_notification_new (transferred ? _("Transferred call") : _("Incoming call"));
  if (customer != NULL && rd_customer_get_company (customer) != NULL && *rd_customer_get_company (customer) != '\0')
    /* Translators: the caller's name and company in the notification */
    body = g_strdup_printf (_("%s, %s"), rd_call_notifier_caller (call), rd_customer_get_company (customer));
  else
    body = g_strdup (rd_call_notifier_caller (call));
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action_and_target (notification, "app.show-call", "s", rd_call_get_id (call));
  rd_call_notifier_send (self, id, notification);
}

/* Raises the popup of @call, making it if needed */
static GtkWindow *
rd_call_notifier_raise_popup (RdCallNotifier *self,
                              RdCall         *call,
                              gboolean        transferred)
{
  RdConnection *connection = rd_live_connection_get_connection (self->live);
  g_autoptr(RdCallPopup) popup = NULL;
  guint position;

  if (rd_call_notifier_find_popup (self, rd_call_get_id (call), &position))
    {
      popup = g_list_model_get_item (G_LIST_MODEL (self->popups), position);
      rd_call_popup_set_call (popup, call);
    }
  else if (connection != NULL)
    {
      popup = g_object_ref_sink (RD_CALL_POPUP (rd_call_popup_new (connection, call, transferred)));
      gtk_window_set_application (GTK_WINDOW (popup), self->application);
      /* Dismissed (or closed by the window manager); "destroy" would
       * wait for the last reference, which the list holds */
      g_signal_connect_object (popup, "close-request",
                               G_CALLBACK (rd_call_notifier_popup_close_cb), self,
                               G_CONNECT_SWAPPED);
      g_list_store_append (self->popups, popup);
    }
  else
    return NULL;

  gtk_window_present (GTK_WINDOW (popup));

  return GTK_WINDOW (popup);
}

static void
rd_call_notifier_ringing (RdCallNotifier *self,
                          RdCall         *call,
                          gboolean        transferred)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "popup-mode");
  gboolean background = rd_call_notifier_in_background (self);

  g_hash_table_replace (self->ringing, g_strdup (rd_call_get_id (call)), g_object_ref (call));

  if (g_strcmp0 (mode, "notify") != 0)
    rd_call_notifier_raise_popup (self, call, transferred);

  if (background || g_strcmp0 (mode, "notify") == 0)
    rd_call_notifier_notify_ringing (self, call, transferred);
}

static void
rd_call_notifier_close_popup (RdCallNotifier *self,
                              const char     *call_id)
{
  guint position;

  if (rd_call_notifier_find_popup (self, call_id, &position))
    {
      g_autoptr(GtkWindow) popup = g_list_model_get_item (G_LIST_MODEL (self->popups), position);

      g_list_store_remove (self->popups, position);
      gtk_window_destroy (popup);
    }
}

/* The call no longer rings here: its popup and notification go */
static void
rd_call_notifier_withdraw_call (RdCallNotifier *self,
                                RdCall         *call)
{
  g_autofree char *id = rd_call_notifier_ringing_id (call);

  g_hash_table_remove (self->ringing, rd_call_get_id (call));
  rd_call_notifier_withdraw (self, id);
  rd_call_notifier_close_popup (self, rd_call_get_id (call));
}

static void
rd_call_notifier_missed (RdCallNotifier *self,
                         RdCall         *call)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Missed call"));
  g_autofree char *id = g_strconcat ("missed-", rd_call_get_id (call), NULL);
  const char *from = rd_call_get_from (call);

  rd_call_notifier_withdraw_call (self, call);

  g_notification_set_body (notification, rd_call_notifier_caller (call));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  if (from != NULL && *from != '\0')
    g_notification_add_button_with_target (notification, _("Call Back"), "app.call-back", "s", from);
  rd_call_notifier_send (self, id, notification);
}

static void
rd_call_notifier_update_popup (RdCallNotifier *self,
                               RdCall         *call)
{
  guint position;

  if (rd_call_notifier_find_popup (self, rd_call_get_id (call), &position))
    {
      g_autoptr(RdCallPopup) popup = g_list_model_get_item (G_LIST_MODEL (self->popups), position);

      rd_call_popup_set_call (popup, call);
    }
}

/**
 * rd_call_notifier_handle_event:
 * @self: a #RdCallNotifier
 * @event: a live event for this desk
 *
 * What the live connection's #RdLiveConnection::event does.
 */
void
rd_call_notifier_handle_event (RdCallNotifier *self,
                               RdEvent        *event)
{
  const char *type = rd_event_get_event_type (event);
  const char *extension = rd_live_connection_get_extension (self->live);
  gboolean mine = extension != NULL && g_strcmp0 (rd_event_get_extension (event), extension) == 0;
  RdCall *call = rd_event_get_call (event);

  g_return_if_fail (RD_IS_CALL_NOTIFIER (self));
  g_return_if_fail (RD_IS_EVENT (event));

  if (call == NULL || rd_call_get_id (call) == NULL)
    return;

  g_debug ("%s at %s for call %s", type, rd_event_get_extension (event), rd_call_get_id (call));

  if (g_str_equal (type, RD_EVENT_CALL_RINGING))
    {
      if (mine)
        rd_call_notifier_ringing (self, call, FALSE);
    }
  else if (g_str_equal (type, RD_EVENT_CALL_TRANSFERRED))
    {
      if (mine)
        rd_call_notifier_ringing (self, call, TRUE);
      else
        rd_call_notifier_withdraw_call (self, call);
    }
  else if (g_str_equal (type, RD_EVENT_CALL_ANSWERED))
    {
      if (mine)
        {
          g_autofree char *id = rd_call_notifier_ringing_id (call);

          /* Answered here: the popup stays for the ticket, the ringing goes */
          g_hash_table_remove (self->ringing, rd_call_get_id (call));
          rd_call_notifier_withdraw (self, id);
          rd_call_notifier_update_popup (self, call);
        }
      else
        rd_call_notifier_withdraw_call (self, call);
    }
  else if (g_str_equal (type, RD_EVENT_CALL_ENDED))
    {
      if (g_hash_table_contains (self->ringing, rd_call_get_id (call)) &&
          rd_call_get_answered_at (call) == NULL)
        rd_call_notifier_missed (self, call);
      else
        {
          g_hash_table_remove (self->ringing, rd_call_get_id (call));
          rd_call_notifier_update_popup (self, call);
        }
    }
  else
    rd_call_notifier_update_popup (self, call);
}

static void
rd_call_notifier_dial_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(RdCallNotifier) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!rd_connection_dial_finish (RD_CONNECTION (object), result, &error))
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Could not call back"));

      g_message ("Click-to-dial failed: %s", error->message);
      g_notification_set_body (notification, error->message);
      rd_call_notifier_send (self, "call-back-failed", notification);
    }
}

/**
 * rd_call_notifier_call_back:
 * @self: a #RdCallNotifier
 * @number: the number to call
 *
 * Click-to-dial from this desk's extension (POST /calls).
 */
void
rd_call_notifier_call_back (RdCallNotifier *self,
                            const char     *number)
{
  RdConnection *connection;
  const char *extension;

  g_return_if_fail (RD_IS_CALL_NOTIFIER (self));
  g_return_if_fail (number != NULL);

  connection = rd_live_connection_get_connection (self->live);
  extension = rd_live_connection_get_extension (self->live);
  if (connection == NULL || extension == NULL || *extension == '\0')
    return;

  rd_connection_dial_async (connection, extension, number, NULL,
                            rd_call_notifier_dial_cb, g_object_ref (self));
}

static void
rd_call_notifier_call_back_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  RdCallNotifier *self = user_data;
  const char *number = g_variant_get_string (param, NULL);

  rd_call_notifier_call_back (self, number);
}

static void
rd_call_notifier_show_call_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  RdCallNotifier *self = user_data;
  const char *id = g_variant_get_string (param, NULL);
  RdCall *call = g_hash_table_lookup (self->ringing, id);
  guint position;

  if (call != NULL)
    rd_call_notifier_raise_popup (self, call, FALSE);
  else if (rd_call_notifier_find_popup (self, id, &position))
    {
      g_autoptr(GtkWindow) popup = g_list_model_get_item (G_LIST_MODEL (self->popups), position);

      gtk_window_present (popup);
    }
}

static const GActionEntry notifier_actions[] = {
  { "call-back", rd_call_notifier_call_back_action, "s" },
  { "show-call", rd_call_notifier_show_call_action, "s" },
};

static void
rd_call_notifier_dispose (GObject *object)
{
  RdCallNotifier *self = (RdCallNotifier *)object;

  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);
  g_clear_object (&self->popups);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->ringing, g_hash_table_unref);
  g_clear_pointer (&self->notifications, g_hash_table_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (rd_call_notifier_parent_class)->dispose (object);
}

static void
rd_call_notifier_class_init (RdCallNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_call_notifier_dispose;
}

static void
rd_call_notifier_init (RdCallNotifier *self)
{
  self->settings = g_settings_new (BASE_APP_ID);
  self->popups = g_list_store_new (RD_TYPE_CALL_POPUP);
  self->ringing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->notifications = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * rd_call_notifier_new:
 * @application: the application; it gets the actions app.call-back and
 *   app.show-call (both take a string)
 * @live: the live connection whose events to follow
 *
 * Returns: (transfer full): a new #RdCallNotifier
 */
RdCallNotifier *
rd_call_notifier_new (GtkApplication   *application,
                      RdLiveConnection *live)
{
  RdCallNotifier *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RD_IS_LIVE_CONNECTION (live), NULL);

  self = g_object_new (RD_TYPE_CALL_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->live = g_object_ref (live);
  g_signal_connect_object (live, "event", G_CALLBACK (rd_call_notifier_handle_event), self,
                           G_CONNECT_SWAPPED);
  g_action_map_add_action_entries (G_ACTION_MAP (application), notifier_actions,
                                   G_N_ELEMENTS (notifier_actions), self);

  return self;
}

/**
 * rd_call_notifier_get_popup:
 * @self: a #RdCallNotifier
 * @call_id: a call id
 *
 * Returns: (transfer none) (nullable): the open popup of that call
 */
GtkWindow *
rd_call_notifier_get_popup (RdCallNotifier *self,
                            const char     *call_id)
{
  g_autoptr(GtkWindow) popup = NULL;
  guint position;

  g_return_val_if_fail (RD_IS_CALL_NOTIFIER (self), NULL);

  if (!rd_call_notifier_find_popup (self, call_id, &position))
    return NULL;

  popup = g_list_model_get_item (G_LIST_MODEL (self->popups), position);

  return popup;
}

/**
 * rd_call_notifier_get_popups:
 * @self: a #RdCallNotifier
 *
 * Returns: (transfer none): the open popups, a list of #RdCallPopup
 */
GListModel *
rd_call_notifier_get_popups (RdCallNotifier *self)
{
  g_return_val_if_fail (RD_IS_CALL_NOTIFIER (self), NULL);

  return G_LIST_MODEL (self->popups);
}

/**
 * rd_call_notifier_has_notification:
 * @self: a #RdCallNotifier
 * @id: a notification id: "call-ID" (ringing) or "missed-ID"
 *
 * Returns: whether that notification was sent and not withdrawn
 */
gboolean
rd_call_notifier_has_notification (RdCallNotifier *self,
                                   const char     *id)
{
  g_return_val_if_fail (RD_IS_CALL_NOTIFIER (self), FALSE);

  return g_hash_table_contains (self->notifications, id);
}
