/* rd-call-popup.c: the window that shows who is calling
 *
 * Shown when a call rings at this desk (or is transferred to it): the
 * number, the customer the server matched, their open tickets with state
 * and SLA, and their last calls. "New ticket" opens the ticket form filled
 * from the call, and the ticket it creates is bound to the call
 * (POST /calls/{id}/tickets {"create":…}); each open ticket can take the
 * call instead ({"number":…}); "Open customer page" opens the
 * customer-url template of the settings with {number} replaced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCallPopup"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-call-popup-private.h"
#include "rd-ticket-editor.h"
#include "rd-utils-private.h"

#define RD_CALL_POPUP_LAST_CALLS 5

G_DEFINE_FINAL_TYPE (RdCallPopup, rd_call_popup, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_CALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rd_call_popup_toast (RdCallPopup *self,
                     const char  *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
rd_call_popup_attach_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RdCallPopup) self = user_data;
  g_autoptr(RdCall) call = NULL;
  g_autoptr(GError) error = NULL;

  call = rd_connection_call_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (call == NULL)
    {
      g_autofree char *text = rd_utils_describe_error (error);

      rd_call_popup_toast (self, text);
      return;
    }

  rd_call_popup_toast (self, _("The call is attached to the ticket"));
}

/**
 * rd_call_popup_attach_ticket:
 * @self: a #RdCallPopup
 * @number: a ticket number
 *
 * Binds the call to ticket @number on the server.
 */
void
rd_call_popup_attach_ticket (RdCallPopup *self,
                             const char  *number)
{
  g_return_if_fail (RD_IS_CALL_POPUP (self));
  g_return_if_fail (number != NULL);

  rd_connection_bind_ticket_async (self->connection, rd_call_get_id (self->call), number,
                                   self->cancellable, rd_call_popup_attach_cb,
                                   g_object_ref (self));
}

static void
rd_call_popup_attach_clicked_cb (GtkButton *button,
                                 gpointer   user_data)
{
  RdCallPopup *self = user_data;

  rd_call_popup_attach_ticket (self, g_object_get_data (G_OBJECT (button), "rd-number"));
}

static GtkWidget *
rd_call_popup_ticket_row (RdCallPopup *self,
                          RdTicket    *ticket)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *button;

  /* Translators: a ticket in the caller popup, "#1234 Leak in the kitchen" */
  title = g_strdup_printf (_("#%s %s"), rd_ticket_get_number (ticket),
                           rd_ticket_get_subject (ticket) ? rd_ticket_get_subject (ticket) : "");
  /* Translators: state and SLA of a ticket, e.g. "Open · SLA at risk" */
  subtitle = g_strdup_printf (_("%s · %s"),
                              rd_utils_ticket_state_name (rd_ticket_get_state (ticket)),
                              rd_utils_sla_state_name (rd_ticket_get_sla_state (ticket)));

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  button = gtk_button_new_with_mnemonic (_("_Attach"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Attach the call to this ticket"));
  g_object_set_data_full (G_OBJECT (button), "rd-number",
                          g_strdup (rd_ticket_get_number (ticket)), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (rd_call_popup_attach_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
rd_call_popup_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
rd_call_popup_ticket_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RdCallPopup) self = user_data;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  ticket = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending_tickets--;
  if (ticket == NULL)
    {
      g_message ("Could not read a ticket of the call: %s", error->message);
      return;
    }

  gtk_list_box_append (self->tickets_list, rd_call_popup_ticket_row (self, ticket));
  gtk_widget_set_visible (GTK_WIDGET (self->tickets_group), TRUE);
}

/* The call's own tickets and the caller's open ones, as call.ringing
 * carries them; events without them (call.transferred) carry the call's
 * ticket numbers, which are read from the server */
static void
rd_call_popup_fill_tickets (RdCallPopup *self)
{
  GListModel *tickets = rd_call_get_ticket_objects (self->call);
  const char * const *numbers = rd_call_get_tickets (self->call);
  guint n = tickets != NULL ? g_list_model_get_n_items (tickets) : 0;

  g_cancellable_cancel (self->tickets_cancellable);
  g_clear_object (&self->tickets_cancellable);
  self->tickets_cancellable = g_cancellable_new ();
  self->pending_tickets = 0;
  rd_call_popup_clear_list (self->tickets_list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (tickets, i);

      gtk_list_box_append (self->tickets_list, rd_call_popup_ticket_row (self, ticket));
    }

  for (guint i = 0; n == 0 && numbers != NULL && numbers[i] != NULL; i++)
    {
      self->pending_tickets++;
      rd_connection_get_ticket_async (self->connection, numbers[i], self->tickets_cancellable,
                                      rd_call_popup_ticket_cb, g_object_ref (self));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tickets_group), n > 0);
}

static const char *
rd_call_popup_outcome_name (RdCallOutcome outcome)
{
  switch (outcome)
    {
    case RD_CALL_OUTCOME_ANSWERED:
      return _("Answered");
    case RD_CALL_OUTCOME_MISSED:
      return _("Missed");
    case RD_CALL_OUTCOME_ABANDONED:
      return _("Abandoned");
    case RD_CALL_OUTCOME_NONE:
    default:
      return _("In progress");
    }
}

static void
rd_call_popup_last_calls_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(RdCallPopup) self = user_data;
  g_autoptr(GListModel) calls = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  calls = rd_connection_list_calls_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->last_calls_loaded = TRUE;
  self->n_last_calls = 0;
  rd_call_popup_clear_list (self->calls_list);

  if (calls == NULL)
    {
      g_message ("Could not read the caller's last calls: %s", error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->calls_group), FALSE);
      return;
    }

  n = g_list_model_get_n_items (calls);
  for (guint i = 0; i < n && self->n_last_calls < RD_CALL_POPUP_LAST_CALLS; i++)
    {
      g_autoptr(RdCall) call = g_list_model_get_item (calls, i);
      g_autofree char *when = NULL;
      GtkWidget *row;

      /* The call ringing now is not one of the last ones */
      if (g_strcmp0 (rd_call_get_id (call), rd_call_get_id (self->call)) == 0)
        continue;

      when = rd_utils_format_datetime (rd_call_get_started_at (call));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when ? when : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   rd_call_popup_outcome_name (rd_call_get_outcome (call)));
      gtk_list_box_append (self->calls_list, row);
      self->n_last_calls++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->calls_group), self->n_last_calls > 0);
}

/* The caller's number: the other party of the call */
static const char *
rd_call_popup_number (RdCallPopup *self)
{
  if (rd_call_get_direction (self->call) == RD_CALL_DIRECTION_OUT)
    return rd_call_get_to (self->call);

  return rd_call_get_from (self->call);
}

static void
rd_call_popup_fill (RdCallPopup *self)
{
  RdCustomer *customer = rd_call_get_customer (self->call);
  const char *number = rd_call_popup_number (self);
  const char *company = customer ? rd_customer_get_company (customer) : NULL;
  const char *status = NULL;
  g_autofree char *url = NULL;

  if (number == NULL || *number == '\0')
    number = _("Unknown number");

  gtk_label_set_text (self->name_label,
                      customer && rd_customer_get_name (customer) ? rd_customer_get_name (customer) : number);
  gtk_label_set_text (self->number_label, number);
  gtk_widget_set_visible (GTK_WIDGET (self->number_label), customer != NULL);
  gtk_label_set_text (self->company_label, company ? company : "");
  gtk_widget_set_visible (GTK_WIDGET (self->company_label), company != NULL && *company != '\0');

  if (self->transferred)
    {
      adw_window_title_set_title (self->window_title, _("Transferred Call"));
      gtk_window_set_title (GTK_WINDOW (self), _("Transferred Call"));
    }

  /* Ringing says nothing; later the state of the call, for an agent who
   * still fills in the ticket */
  switch (rd_call_get_state (self->call))
    {
    case RD_CALL_STATE_ANSWERED:
      status = _("Answered");
      break;
    case RD_CALL_STATE_HELD:
      status = _("On hold");
      break;
    case RD_CALL_STATE_ENDED:
      status = _("Call ended");
      break;
    case RD_CALL_STATE_RINGING:
    default:
      break;
    }
  gtk_label_set_text (self->status_label, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);

  rd_call_popup_fill_tickets (self);

  url = rd_call_popup_customer_page_url (self);
  gtk_widget_set_visible (GTK_WIDGET (self->customer_page_button), url != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->calls_group), FALSE);
  if (rd_call_get_from (self->call) != NULL && *rd_call_get_from (self->call) != '\0')
    rd_connection_list_calls_async (self->connection, rd_call_popup_number (self),
                                    RD_CALL_POPUP_LAST_CALLS + 1, self->cancellable,
                                    rd_call_popup_last_calls_cb, g_object_ref (self));
}

/**
 * rd_call_popup_customer_page_url:
 * @self: a #RdCallPopup
 *
 * Returns: (transfer full) (nullable): the customer-url setting with
 *   {number} replaced by the caller's number, or %NULL when it is not set
 */
char *
rd_call_popup_customer_page_url (RdCallPopup *self)
{
  g_autofree char *template = NULL;
  g_autofree char *escaped = NULL;
  g_auto(GStrv) parts = NULL;
  const char *number;

  g_return_val_if_fail (RD_IS_CALL_POPUP (self), NULL);

  template = g_settings_get_string (self->settings, "customer-url");
  number = rd_call_popup_number (self);
  if (*template == '\0' || number == NULL)
    return NULL;

  escaped = g_uri_escape_string (number, NULL, FALSE);
  parts = g_strsplit (template, "{number}", -1);

  return g_strjoinv (escaped, parts);
}

static void
rd_call_popup_open_customer_page_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param)
{
  RdCallPopup *self = RD_CALL_POPUP (widget);
  g_autofree char *url = rd_call_popup_customer_page_url (self);

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

static void
rd_call_popup_ticket_saved_cb (RdCallPopup *self,
                               RdTicket    *ticket)
{
  g_autofree char *title = NULL;

  /* Translators: a toast after creating ticket number %s */
  title = g_strdup_printf (_("Ticket #%s created"), rd_ticket_get_number (ticket));
  rd_call_popup_toast (self, title);
}

/**
 * rd_call_popup_new_ticket:
 * @self: a #RdCallPopup
 *
 * Opens the ticket form filled from the call; the ticket it creates is
 * bound to the call.
 *
 * Returns: (transfer none): the form
 */
GtkWidget *
rd_call_popup_new_ticket (RdCallPopup *self)
{
  g_return_val_if_fail (RD_IS_CALL_POPUP (self), NULL);

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return self->editor;
    }

  self->editor = rd_ticket_editor_new (self->connection, NULL);
  g_object_add_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  rd_ticket_editor_set_call (RD_TICKET_EDITOR (self->editor), self->call);
  gtk_window_set_transient_for (GTK_WINDOW (self->editor), GTK_WINDOW (self));
  g_signal_connect_object (self->editor, "saved",
                           G_CALLBACK (rd_call_popup_ticket_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->editor));

  return self->editor;
}

static void
rd_call_popup_new_ticket_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  rd_call_popup_new_ticket (RD_CALL_POPUP (widget));
}

static void
rd_call_popup_dispose (GObject *object)
{
  RdCallPopup *self = (RdCallPopup *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->tickets_cancellable);
  g_clear_object (&self->tickets_cancellable);
  if (self->editor != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  self->editor = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_CALL_POPUP);

  G_OBJECT_CLASS (rd_call_popup_parent_class)->dispose (object);
}

static void
rd_call_popup_finalize (GObject *object)
{
  RdCallPopup *self = (RdCallPopup *)object;

  g_clear_object (&self->connection);
  g_clear_object (&self->call);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rd_call_popup_parent_class)->finalize (object);
}

static void
rd_call_popup_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RdCallPopup *self = RD_CALL_POPUP (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_CALL:
      g_value_set_object (value, self->call);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_popup_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RdCallPopup *self = RD_CALL_POPUP (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_CALL:
      rd_call_popup_set_call (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_popup_class_init (RdCallPopupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_call_popup_dispose;
  object_class->finalize = rd_call_popup_finalize;
  object_class->get_property = rd_call_popup_get_property;
  object_class->set_property = rd_call_popup_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CALL] =
    g_param_spec_object ("call", NULL, NULL,
                         RD_TYPE_CALL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-call-popup.ui");
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, window_title);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, name_label);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, company_label);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, number_label);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, status_label);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, new_ticket_button);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, tickets_group);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, tickets_list);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, calls_group);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, calls_list);
  gtk_widget_class_bind_template_child (widget_class, RdCallPopup, customer_page_button);

  gtk_widget_class_install_action (widget_class, "popup.new-ticket", NULL, rd_call_popup_new_ticket_action);
  gtk_widget_class_install_action (widget_class, "popup.open-customer-page", NULL,
                                   rd_call_popup_open_customer_page_action);
}

static void
rd_call_popup_init (RdCallPopup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);
  self->cancellable = g_cancellable_new ();
}

/**
 * rd_call_popup_new:
 * @connection: the signed-in connection
 * @call: the call that rings (or was transferred here)
 * @transferred: whether the call was transferred to this desk
 *
 * Returns: (transfer floating): a new popup; present it
 */
GtkWidget *
rd_call_popup_new (RdConnection *connection,
                   RdCall       *call,
                   gboolean      transferred)
{
  RdCallPopup *self;

  g_return_val_if_fail (RD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (RD_IS_CALL (call), NULL);

  self = g_object_new (RD_TYPE_CALL_POPUP, "connection", connection, NULL);
  self->transferred = transferred;
  rd_call_popup_set_call (self, call);

  return GTK_WIDGET (self);
}

RdCall *
rd_call_popup_get_call (RdCallPopup *self)
{
  g_return_val_if_fail (RD_IS_CALL_POPUP (self), NULL);

  return self->call;
}

/**
 * rd_call_popup_set_call:
 * @self: a #RdCallPopup
 * @call: the call as the latest event carries it
 */
void
rd_call_popup_set_call (RdCallPopup *self,
                        RdCall      *call)
{
  g_return_if_fail (RD_IS_CALL_POPUP (self));
  g_return_if_fail (RD_IS_CALL (call));

  if (!g_set_object (&self->call, call))
    return;

  if (self->connection != NULL)
    rd_call_popup_fill (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL]);
}
