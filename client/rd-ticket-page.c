/* rd-ticket-page.c: one ticket with every field, its moves and history
 *
 * Shows the ticket as the list had it at once, then asks the server for the
 * current one and its history (GET /tickets/{n}, GET /tickets/{n}/history).
 * The state buttons offer only the moves the ticket's state allows;
 * closing asks for the requester's confirmation, which the server keeps as
 * the note of the move. What the server refuses is said in a toast, in
 * words that tell what to do next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTicketPage"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-ticket-change.h"
#include "rd-ticket-editor.h"
#include "rd-outbox.h"
#include "rd-ticket-page-private.h"
#include "rd-utils-private.h"

G_DEFINE_FINAL_TYPE (RdTicketPage, rd_ticket_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_TICKET,
  PROP_BUSY,
  N_PROPS
};

enum {
  TICKET_CHANGED,
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The order the state buttons appear in */
static const RdTicketState move_order[] = {
  RD_TICKET_STATE_IN_PROGRESS,
  RD_TICKET_STATE_RESOLVED,
  RD_TICKET_STATE_CLOSED,
  RD_TICKET_STATE_OPEN,
  RD_TICKET_STATE_CANCELLED,
};

static void rd_ticket_page_update (RdTicketPage *self);

static void
rd_ticket_page_begin (RdTicketPage *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
rd_ticket_page_end (RdTicketPage *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
rd_ticket_page_show_error (RdTicketPage *self,
                           const GError *error)
{
  g_autofree char *message = rd_utils_describe_ticket_error (error);
  AdwToast *toast = adw_toast_new (message);

  g_debug ("%s", error->message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
    g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

static void
rd_ticket_page_set_ticket (RdTicketPage *self,
                           RdTicket     *ticket)
{
  if (!g_set_object (&self->ticket, ticket))
    return;

  rd_outbox_group_set_ticket (self->outbox_group, ticket ? rd_ticket_get_number (ticket) : NULL);
  rd_ticket_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET]);
}

/* A ticket the server sent back after a change */
static void
rd_ticket_page_changed (RdTicketPage *self,
                        RdTicket     *ticket)
{
  rd_ticket_page_set_ticket (self, ticket);
  g_signal_emit (self, signals[TICKET_CHANGED], 0, ticket);
  rd_ticket_page_refresh (self);
}

static const char *
rd_ticket_page_field_name (const char *field)
{
  return rd_utils_ticket_field_name (field);
}

/* A value of the history in words: states and priorities translated */
static const char *
rd_ticket_page_value_name (const char *field,
                           const char *value)
{
  RdTicketState state;
  RdPriority priority;

  if (value == NULL || *value == '\0')
    return _("none");

  if (g_strcmp0 (field, "state") == 0 && rd_ticket_state_from_string (value, &state))
    return rd_utils_ticket_state_name (state);

  if (g_strcmp0 (field, "priority") == 0 && rd_priority_from_string (value, &priority))
    return rd_utils_priority_name (priority);

  return value;
}

static GtkWidget *
rd_ticket_page_history_row (RdTicketChange *change)
{
  const char *field = rd_ticket_change_get_field (change);
  const char *username = rd_ticket_change_get_username (change);
  const char *note = rd_ticket_change_get_note (change);
  g_autofree char *when = rd_utils_format_datetime (rd_ticket_change_get_at (change));
  g_autofree char *what = NULL;
  g_autofree char *who = NULL;
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label;
  int row = 0;

  if (g_strcmp0 (field, "created") == 0)
    what = g_strdup (_("Created the ticket"));
  else if (g_strcmp0 (field, "state") == 0)
    /* Translators: a move in the ticket's history, "from Open to In Progress" */
    what = g_strdup_printf (_("Moved the ticket from %s to %s"),
                            rd_ticket_page_value_name (field, rd_ticket_change_get_old_value (change)),
                            rd_ticket_page_value_name (field, rd_ticket_change_get_new_value (change)));
  else
    /* Translators: an edit in the ticket's history: field, old value, new value */
    what = g_strdup_printf (_("Changed %s from “%s” to “%s”"),
                            rd_ticket_page_field_name (field),
                            rd_ticket_page_value_name (field, rd_ticket_change_get_old_value (change)),
                            rd_ticket_page_value_name (field, rd_ticket_change_get_new_value (change)));

  /* Translators: who made a change and when, in the ticket's history */
  who = g_strdup_printf (_("%s · %s"), username ? username : _("System"), when);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  gtk_widget_set_margin_top (grid, 9);
  gtk_widget_set_margin_bottom (grid, 9);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);

  gtk_widget_add_css_class (dot, "timeline-dot");
  gtk_widget_set_valign (dot, GTK_ALIGN_START);
  gtk_widget_set_halign (dot, GTK_ALIGN_CENTER);
  gtk_grid_attach (GTK_GRID (grid), dot, 0, 0, 1, 1);

  label = gtk_label_new (what);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 1, row++, 1, 1);

  if (note != NULL && *note != '\0')
    {
      label = gtk_label_new (note);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_grid_attach (GTK_GRID (grid), label, 1, row++, 1, 1);
    }

  label = gtk_label_new (who);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_grid_attach (GTK_GRID (grid), label, 1, row, 1, 1);

  return grid;
}

static GtkWidget *
rd_ticket_page_create_history_row (gpointer item,
                                   gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), rd_ticket_page_history_row (item));

  return row;
}

static void
rd_ticket_page_add_row (RdTicketPage        *self,
                        AdwPreferencesGroup *group,
                        const char          *title,
                        const char          *value)
{
  g_autofree char *escaped = NULL;
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  /* libadwaita 1.2 always reads a row's subtitle as markup */
  escaped = g_markup_escape_text (value, -1);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->field_rows, g_object_ref (row));
}

static void
rd_ticket_page_add_date_row (RdTicketPage *self,
                             const char   *title,
                             GDateTime    *datetime)
{
  g_autofree char *text = rd_utils_format_datetime (datetime);

  rd_ticket_page_add_row (self, self->dates_group, title, text);
}

static void
rd_ticket_page_clear_rows (RdTicketPage *self)
{
  for (guint i = 0; i < self->field_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->field_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }

  g_ptr_array_set_size (self->field_rows, 0);
}

static void
rd_ticket_page_update_actions (RdTicketPage *self)
{
  GtkWidget *child;
  RdTicketState state;
  GtkWidget *button;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box))) != NULL)
    gtk_flow_box_remove (self->actions_box, child);

  if (self->ticket == NULL)
    return;

  state = rd_ticket_get_state (self->ticket);

  for (guint i = 0; i < G_N_ELEMENTS (move_order); i++)
    {
      RdTicketState to = move_order[i];

      if (!rd_ticket_state_can_transition (state, to))
        continue;

      button = gtk_button_new_with_mnemonic (rd_utils_ticket_state_action (to));
      gtk_widget_set_name (button, rd_ticket_state_to_string (to));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ticket.transition");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", rd_ticket_state_to_string (to));
      if (to == RD_TICKET_STATE_CANCELLED)
        gtk_widget_add_css_class (button, "destructive-action");
      else if (i == 0 || to == RD_TICKET_STATE_RESOLVED || to == RD_TICKET_STATE_CLOSED)
        gtk_widget_add_css_class (button, "suggested-action");
      gtk_flow_box_append (self->actions_box, button);
    }

  button = gtk_button_new_with_mnemonic (_("_Edit"));
  gtk_widget_set_name (button, "edit");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ticket.edit");
  gtk_flow_box_append (self->actions_box, button);
}

static void
rd_ticket_page_customer_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(RdTicketPage) self = user_data;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GError) error = NULL;
  RdOfflineStore *store = self->outbox != NULL ? rd_outbox_get_store (self->outbox) : NULL;

  found = rd_connection_find_customers_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->field_rows == NULL)
    return;

  g_clear_object (&self->customer);
  if (found != NULL && g_list_model_get_n_items (found) > 0)
    {
      self->customer = g_list_model_get_item (found, 0);
      /* kept for when the server cannot be asked */
      if (store != NULL && !rd_offline_store_cache_customer (store, self->customer, &error))
        g_debug ("Cannot keep the customer: %s", error->message);
    }
  else if (found == NULL && store != NULL && rd_outbox_error_is_unreachable (error))
    {
      self->customer = rd_offline_store_find_customer (store, self->customer_phone, NULL);
    }
  else if (found == NULL)
    {
      g_debug ("Cannot look up the requester's customer: %s", error->message);
    }

  if (self->customer != NULL)
    rd_ticket_page_update (self);
}

/* Asks who the requester's phone belongs to, once per number shown */
static void
rd_ticket_page_look_up_customer (RdTicketPage *self)
{
  const char *phone = self->ticket != NULL ? rd_ticket_get_requester_phone (self->ticket) : NULL;

  if (g_strcmp0 (phone, self->customer_phone) == 0)
    return;

  g_cancellable_cancel (self->customer_cancellable);
  g_clear_object (&self->customer_cancellable);
  g_clear_object (&self->customer);
  rd_set_str (&self->customer_phone, phone);
  if (phone == NULL || *phone == '\0' || self->connection == NULL)
    return;

  self->customer_cancellable = g_cancellable_new ();
  rd_connection_find_customers_async (self->connection, phone, self->customer_cancellable,
                                      rd_ticket_page_customer_cb, g_object_ref (self));
}

static void
rd_ticket_page_update (RdTicketPage *self)
{
  RdTicket *ticket = self->ticket;
  g_autofree char *shown_number = NULL;
  g_autofree char *number = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *group = NULL;
  const char * const *call_ids;
  RdPriority priority;
  const char *description;
  const char *assignee;

  rd_ticket_page_clear_rows (self);
  rd_ticket_page_update_actions (self);

  rd_evidence_list_set_ticket (self->evidence_list, self->connection, ticket);

  if (ticket == NULL)
    {
      gtk_stack_set_visible_child_name (self->page_stack, "loading");
      return;
    }

  /* Translators: a ticket's number, as in "Ticket #12" */
  shown_number = rd_outbox_format_number (ticket);
  number = g_strdup_printf (_("Ticket #%s"), shown_number);
  gtk_label_set_label (self->number_label, number);
  rd_state_badge_set_state (self->state_badge, rd_ticket_get_state (ticket));

  priority = rd_ticket_get_priority (ticket);
  gtk_label_set_label (self->priority_label, rd_utils_priority_name (priority));
  gtk_widget_remove_css_class (GTK_WIDGET (self->priority_label), "priority-urgent");
  gtk_widget_remove_css_class (GTK_WIDGET (self->priority_label), "priority-high");
  gtk_widget_remove_css_class (GTK_WIDGET (self->priority_label), "dim-label");
  if (priority == RD_PRIORITY_URGENT)
    gtk_widget_add_css_class (GTK_WIDGET (self->priority_label), "priority-urgent");
  else if (priority == RD_PRIORITY_HIGH)
    gtk_widget_add_css_class (GTK_WIDGET (self->priority_label), "priority-high");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->priority_label), "dim-label");

  gtk_label_set_label (self->subject_label, rd_ticket_get_subject (ticket));

  description = rd_ticket_get_description (ticket);
  gtk_label_set_label (self->description_label, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL && *description != '\0');

  assignee = rd_ticket_get_assignee (ticket);
  gtk_editable_set_text (GTK_EDITABLE (self->assignee_row), assignee ? assignee : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->assignee_row), "error");
  group = g_markup_escape_text (rd_ticket_get_group (ticket) ? rd_ticket_get_group (ticket) : _("None"), -1);
  adw_action_row_set_subtitle (self->group_row, group);

  rd_ticket_page_add_row (self, self->details_group, _("Requester"), rd_ticket_get_requester (ticket));
  rd_ticket_page_add_row (self, self->details_group, _("Requester’s phone"), rd_ticket_get_requester_phone (ticket));
  rd_ticket_page_look_up_customer (self);
  if (self->customer != NULL)
    {
      const char *company = rd_customer_get_company (self->customer);
      g_autofree char *customer = NULL;

      if (company != NULL && *company != '\0')
        /* Translators: the customer of a ticket's phone: name, company */
        customer = g_strdup_printf (_("%s, %s"), rd_customer_get_name (self->customer), company);
      else
        customer = g_strdup (rd_customer_get_name (self->customer));
      rd_ticket_page_add_row (self, self->details_group, _("Customer"), customer);
    }
  rd_ticket_page_add_row (self, self->details_group, _("Area"), rd_ticket_get_area (ticket));
  rd_ticket_page_add_row (self, self->details_group, _("Category"), rd_ticket_get_category (ticket));
  rd_ticket_page_add_row (self, self->details_group, _("Location"), rd_ticket_get_location_id (ticket));
  rd_ticket_page_add_row (self, self->details_group, _("Asset"), rd_ticket_get_asset_id (ticket));
  rd_ticket_page_add_row (self, self->details_group, _("External number"), rd_ticket_get_external_number (ticket));
  evidence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files",
                                           rd_ticket_get_evidence_count (ticket)),
                              rd_ticket_get_evidence_count (ticket));
  rd_ticket_page_add_row (self, self->details_group, _("Evidence"), evidence);
  rd_ticket_page_add_row (self, self->details_group, _("Active"),
                          rd_ticket_get_active (ticket) ? _("Yes") : _("No, archived"));

  rd_ticket_page_add_date_row (self, _("Created"), rd_ticket_get_created_at (ticket));
  rd_ticket_page_add_date_row (self, _("First response"), rd_ticket_get_first_response_at (ticket));
  rd_ticket_page_add_date_row (self, _("Resolved"), rd_ticket_get_resolved_at (ticket));
  rd_ticket_page_add_date_row (self, _("Closed"), rd_ticket_get_closed_at (ticket));
  rd_ticket_page_add_date_row (self, _("Response due"), rd_ticket_get_sla_response_due (ticket));
  rd_ticket_page_add_date_row (self, _("Resolution due"), rd_ticket_get_sla_resolution_due (ticket));
  rd_ticket_page_add_row (self, self->dates_group, _("Service level"),
                          rd_utils_sla_state_name (rd_ticket_get_sla_state (ticket)));
  rd_ticket_page_add_date_row (self, _("Last synchronised"), rd_ticket_get_last_synced_at (ticket));

  call_ids = rd_ticket_get_call_ids (ticket);
  if (call_ids == NULL || call_ids[0] == NULL)
    rd_ticket_page_add_row (self, self->calls_group, _("No calls"),
                            _("Calls bound to this ticket appear here"));
  for (guint i = 0; call_ids != NULL && call_ids[i] != NULL; i++)
    rd_ticket_page_add_row (self, self->calls_group, _("Call"), call_ids[i]);

  gtk_stack_set_visible_child_name (self->page_stack, "ticket");
}

/* With the server's reply (@ticket or @error) to a read of the ticket
 * shown: the copy to show with what the outbox still holds for it, or
 * %NULL to show what the server said */
static RdTicket *
rd_ticket_page_offline_ticket (RdTicketPage *self,
                               RdTicket     *ticket,
                               const GError *error)
{
  RdOfflineStore *store = rd_outbox_get_store (self->outbox);
  g_autoptr(GError) local_error = NULL;
  const char *number = rd_ticket_get_number (self->ticket);

  if (ticket != NULL)
    {
      rd_outbox_set_online (self->outbox, TRUE);
      if (!rd_offline_store_cache_ticket (store, ticket, &local_error))
        g_warning ("%s", local_error->message);
      if (!rd_outbox_has_ops (self->outbox, number))
        return NULL;
    }
  else if (rd_outbox_error_is_unreachable (error))
    rd_outbox_set_online (self->outbox, FALSE);
  else
    return NULL;

  return rd_outbox_dup_cached_ticket (self->outbox, number);
}

static void
rd_ticket_page_get_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(RdTicketPage) self = user_data;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  ticket = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  rd_ticket_page_end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->outbox != NULL && self->ticket != NULL)
    {
      g_autoptr(RdTicket) shown = rd_ticket_page_offline_ticket (self, ticket, error);

      if (shown != NULL)
        {
          rd_ticket_page_set_ticket (self, shown);
          return;
        }
    }

  if (ticket == NULL)
    {
      if (self->ticket == NULL)
        {
          g_autofree char *message = rd_utils_describe_ticket_error (error);

          adw_status_page_set_description (self->error_page, message);
          gtk_stack_set_visible_child_name (self->page_stack, "error");
        }
      else
        rd_ticket_page_show_error (self, error);
      return;
    }

  rd_ticket_page_set_ticket (self, ticket);
}

static void
rd_ticket_page_history_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(RdTicketPage) self = user_data;
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;

  history = rd_connection_get_history_finish (RD_CONNECTION (object), result, &error);
  rd_ticket_page_end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (history == NULL)
    {
      g_debug ("Could not read the history: %s", error->message);
      return;
    }

  g_set_object (&self->history, history);
  gtk_list_box_bind_model (self->history_list, history,
                           rd_ticket_page_create_history_row, NULL, NULL);
}

/**
 * rd_ticket_page_refresh:
 * @self: a #RdTicketPage
 *
 * Asks the server for the ticket and its history again.
 */
void
rd_ticket_page_refresh (RdTicketPage *self)
{
  const char *number;

  g_return_if_fail (RD_IS_TICKET_PAGE (self));

  if (self->connection == NULL || self->ticket == NULL)
    return;

  number = rd_ticket_get_number (self->ticket);

  /* A ticket created offline is only on this computer until it is sent */
  if (rd_outbox_ticket_is_local (self->ticket))
    {
      g_autoptr(RdTicket) local = NULL;

      if (self->outbox != NULL && (local = rd_outbox_dup_cached_ticket (self->outbox, number)) != NULL)
        rd_ticket_page_set_ticket (self, local);
      return;
    }

  rd_ticket_page_begin (self);
  rd_connection_get_ticket_async (self->connection, number, self->cancellable,
                                  rd_ticket_page_get_cb, g_object_ref (self));
  rd_ticket_page_begin (self);
  rd_connection_get_history_async (self->connection, number, self->cancellable,
                                   rd_ticket_page_history_cb, g_object_ref (self));
}

/* A change of the ticket page on its way to the server */
typedef struct
{
  RdTicketPage  *self;
  JsonObject    *changes;
  RdTicketState  to;
  char          *note;
} RdPageChange;

static void
rd_page_change_free (RdPageChange *change)
{
  g_object_unref (change->self);
  g_clear_pointer (&change->changes, json_object_unref);
  g_free (change->note);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdPageChange, rd_page_change_free)

static RdPageChange *
rd_page_change_new (RdTicketPage *self)
{
  RdPageChange *change = g_new0 (RdPageChange, 1);

  change->self = g_object_ref (self);

  return change;
}

/* The server is away (or the ticket not on it yet): the outbox keeps
 * @change. Returns whether it did. */
static gboolean
rd_ticket_page_queue (RdTicketPage *self,
                      RdPageChange *change,
                      const GError *error)
{
  g_autoptr(RdTicket) queued = NULL;
  g_autoptr(GError) queue_error = NULL;

  if (self->outbox == NULL || self->ticket == NULL ||
      !(rd_outbox_error_is_unreachable (error) || rd_outbox_ticket_is_local (self->ticket)))
    return FALSE;

  if (error != NULL)
    rd_outbox_set_online (self->outbox, FALSE);

  if (change->changes != NULL)
    queued = rd_outbox_queue_patch (self->outbox, self->ticket, change->changes, &queue_error);
  else
    queued = rd_outbox_queue_transition (self->outbox, self->ticket, change->to, change->note,
                                         &queue_error);
  if (queued == NULL)
    {
      g_warning ("Could not queue the change: %s", queue_error->message);
      return FALSE;
    }

  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Saved on this computer: it is sent when the server is back")));
  rd_ticket_page_set_ticket (self, queued);
  g_signal_emit (self, signals[TICKET_CHANGED], 0, queued);

  return TRUE;
}

static void
rd_ticket_page_transition_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(RdPageChange) change = user_data;
  RdTicketPage *self = change->self;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  ticket = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  rd_ticket_page_end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->actions_box), TRUE);

  if (ticket == NULL)
    {
      if (!rd_ticket_page_queue (self, change, error))
        rd_ticket_page_show_error (self, error);
      return;
    }

  rd_ticket_page_changed (self, ticket);
}

static void
rd_ticket_page_move (RdTicketPage  *self,
                     RdTicketState  to,
                     const char    *note)
{
  g_autoptr(RdPageChange) change = rd_page_change_new (self);

  change->to = to;
  change->note = g_strdup (note);

  if (rd_outbox_ticket_is_local (self->ticket))
    {
      rd_ticket_page_queue (self, change, NULL);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->actions_box), FALSE);
  rd_ticket_page_begin (self);
  rd_connection_transition_ticket_async (self->connection,
                                         rd_ticket_get_number (self->ticket),
                                         to, note,
                                         self->cancellable,
                                         rd_ticket_page_transition_cb,
                                         g_steal_pointer (&change));
}

static void
rd_ticket_page_close_response_cb (RdTicketPage     *self,
                                  const char       *response,
                                  AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "note-entry");
  g_autofree char *note = NULL;

  if (g_strcmp0 (response, "close") != 0 || self->ticket == NULL)
    return;

  note = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  rd_ticket_page_move (self, RD_TICKET_STATE_CLOSED, note);
}

static void
rd_ticket_page_note_changed_cb (GtkEditable      *entry,
                                AdwMessageDialog *dialog)
{
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "close", *note != '\0');
}

/* Closing records that the requester confirmed: ask how */
static void
rd_ticket_page_ask_close (RdTicketPage *self)
{
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Close the Ticket?"),
                                   _("Closing records that the requester confirmed the work is done. Note who confirmed it and how."));

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("e.g. Ms Pérez confirmed by phone"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Requester’s confirmation"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "note-entry", entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "close", _("C_lose Ticket"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "close", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect (entry, "changed", G_CALLBACK (rd_ticket_page_note_changed_cb), dialog);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (rd_ticket_page_close_response_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rd_ticket_page_transition_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  RdTicketPage *self = RD_TICKET_PAGE (widget);
  RdTicketState to;

  if (self->ticket == NULL || self->connection == NULL ||
      !rd_ticket_state_from_string (g_variant_get_string (param, NULL), &to))
    return;

  if (to == RD_TICKET_STATE_CLOSED)
    rd_ticket_page_ask_close (self);
  else
    rd_ticket_page_move (self, to, NULL);
}

static void
rd_ticket_page_patch_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RdPageChange) change = user_data;
  RdTicketPage *self = change->self;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  ticket = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  rd_ticket_page_end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ticket == NULL && rd_ticket_page_queue (self, change, error))
    return;

  if (ticket == NULL)
    {
      g_autofree char *field = rd_utils_error_field (error);

      if (g_strcmp0 (field, "assignee") == 0)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->assignee_row), "error");
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("No active user has this username. Check the spelling.")));
          return;
        }

      rd_ticket_page_show_error (self, error);
      return;
    }

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Assignee changed")));
  rd_ticket_page_changed (self, ticket);
}

static void
rd_ticket_page_assignee_apply_cb (RdTicketPage *self)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(RdPageChange) change = NULL;
  g_autofree char *assignee = NULL;

  if (self->ticket == NULL || self->connection == NULL)
    return;

  assignee = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->assignee_row))));
  if (*assignee == '\0')
    json_object_set_null_member (changes, "assignee");
  else
    json_object_set_string_member (changes, "assignee", assignee);

  change = rd_page_change_new (self);
  change->changes = json_object_ref (changes);
  if (rd_outbox_ticket_is_local (self->ticket))
    {
      rd_ticket_page_queue (self, change, NULL);
      return;
    }

  rd_ticket_page_begin (self);
  rd_connection_update_ticket_async (self->connection,
                                     rd_ticket_get_number (self->ticket),
                                     changes,
                                     self->cancellable,
                                     rd_ticket_page_patch_cb,
                                     g_steal_pointer (&change));
}

static void
rd_ticket_page_assignee_changed_cb (RdTicketPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->assignee_row), "error");
}

static void
rd_ticket_page_pick_assignee_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  RdTicketPage *self = RD_TICKET_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->assignee_row), g_variant_get_string (param, NULL));
  rd_ticket_page_assignee_apply_cb (self);
}

static void
rd_ticket_page_users_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RdTicketPage) self = user_data;
  g_autoptr(GListModel) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMenu) menu = NULL;

  users = rd_connection_list_users_finish (RD_CONNECTION (object), result, &error);
  if (users == NULL)
    {
      /* Only administrators may list users; the entry is enough */
      g_debug ("No user list: %s", error->message);
      return;
    }

  menu = g_menu_new ();
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(RdUser) user = g_list_model_get_item (users, i);
      g_autoptr(GMenuItem) item = NULL;
      const char *name = rd_user_get_display_name (user);

      if (!rd_user_get_active (user))
        continue;

      if (name == NULL || *name == '\0')
        name = rd_user_get_username (user);

      item = g_menu_item_new (name, NULL);
      g_menu_item_set_action_and_target (item, "ticket.pick-assignee", "s", rd_user_get_username (user));
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (self->assignee_menu_button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (self->assignee_menu_button), TRUE);
}

static void
rd_ticket_page_editor_saved_cb (RdTicketPage *self,
                                RdTicket     *ticket)
{
  if (rd_outbox_ticket_is_unsent (ticket))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("Saved on this computer: it is sent when the server is back")));
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Ticket saved")));
  rd_ticket_page_changed (self, ticket);
}

static void
rd_ticket_page_edit_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  RdTicketPage *self = RD_TICKET_PAGE (widget);
  GtkWidget *editor;

  if (self->ticket == NULL || self->connection == NULL)
    return;

  editor = rd_ticket_editor_new (self->connection, self->ticket);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "saved",
                           G_CALLBACK (rd_ticket_page_editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
rd_ticket_page_refresh_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  rd_ticket_page_refresh (RD_TICKET_PAGE (widget));
}

/* The outbox sent something of the ticket shown (maybe its creation, and
 * the ticket has its number now): show it as the server has it */
static void
rd_ticket_page_ticket_sent_cb (RdTicketPage *self,
                               const char   *label,
                               RdTicket     *ticket)
{
  if (self->ticket == NULL || g_strcmp0 (rd_ticket_get_number (self->ticket), label) != 0)
    return;

  rd_ticket_page_changed (self, ticket);
}

static void
rd_ticket_page_dispose (GObject *object)
{
  RdTicketPage *self = (RdTicketPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->customer_cancellable);
  g_clear_object (&self->customer_cancellable);
  g_clear_object (&self->customer);
  g_clear_pointer (&self->customer_phone, g_free);
  g_clear_object (&self->connection);
  rd_outbox_replace (&self->outbox, NULL, self);

  /* The toast overlay is both the bin's child and a template child: the bin
   * lets go of it first, so that it is unparented once */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_TICKET_PAGE);

  g_clear_object (&self->ticket);
  g_clear_object (&self->history);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_ticket_page_parent_class)->dispose (object);
}

static void
rd_ticket_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RdTicketPage *self = RD_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_TICKET:
      g_value_set_object (value, self->ticket);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RdTicketPage *self = RD_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      rd_ticket_page_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_page_class_init (RdTicketPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_ticket_page_dispose;
  object_class->get_property = rd_ticket_page_get_property;
  object_class->set_property = rd_ticket_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TICKET] =
    g_param_spec_object ("ticket", NULL, NULL,
                         RD_TYPE_TICKET,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdTicketPage:busy:
   *
   * Whether a request to the server is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdTicketPage::ticket-changed:
   * @self: the page
   * @ticket: the ticket as the server has it after a change made here
   */
  signals[TICKET_CHANGED] =
    g_signal_new ("ticket-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RD_TYPE_TICKET);

  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (RD_TYPE_STATE_BADGE);
  g_type_ensure (RD_TYPE_EVIDENCE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-ticket-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, number_label);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, state_badge);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, priority_label);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, subject_label);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, actions_box);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, assignment_group);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, assignee_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, assignee_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, group_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, dates_group);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, calls_group);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, RdTicketPage, evidence_list);
  gtk_widget_class_bind_template_callback (widget_class, rd_ticket_page_assignee_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_ticket_page_assignee_changed_cb);

  gtk_widget_class_install_action (widget_class, "ticket.refresh", NULL, rd_ticket_page_refresh_action);
  gtk_widget_class_install_action (widget_class, "ticket.edit", NULL, rd_ticket_page_edit_action);
  gtk_widget_class_install_action (widget_class, "ticket.transition", "s", rd_ticket_page_transition_action);
  gtk_widget_class_install_action (widget_class, "ticket.pick-assignee", "s", rd_ticket_page_pick_assignee_action);
}

static void
rd_ticket_page_init (RdTicketPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->field_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  /* evidence added here changes the ticket's evidence count */
  g_signal_connect_object (self->evidence_list, "changed",
                           G_CALLBACK (rd_ticket_page_refresh), self, G_CONNECT_SWAPPED);

  /* What the outbox holds for the ticket, under its actions */
  self->outbox_group = RD_OUTBOX_GROUP (rd_outbox_group_new ());
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->actions_box))),
                              GTK_WIDGET (self->outbox_group), GTK_WIDGET (self->actions_box));

  rd_ticket_page_update (self);
}

GtkWidget *
rd_ticket_page_new (void)
{
  return g_object_new (RD_TYPE_TICKET_PAGE, NULL);
}

/**
 * rd_ticket_page_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection
 */
RdConnection *
rd_ticket_page_get_connection (RdTicketPage *self)
{
  g_return_val_if_fail (RD_IS_TICKET_PAGE (self), NULL);

  return self->connection;
}

void
rd_ticket_page_set_connection (RdTicketPage *self,
                               RdConnection *connection)
{
  RdUser *user;

  g_return_if_fail (RD_IS_TICKET_PAGE (self));
  g_return_if_fail (!connection || RD_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->ticket);
  rd_ticket_page_update (self);

  rd_outbox_replace (&self->outbox, rd_outbox_get_for_connection (connection), self);
  if (self->outbox != NULL)
    g_signal_connect_object (self->outbox, "ticket-sent",
                             G_CALLBACK (rd_ticket_page_ticket_sent_cb), self,
                             G_CONNECT_SWAPPED);
  rd_outbox_group_set_outbox (self->outbox_group, self->outbox);
  rd_outbox_group_set_ticket (self->outbox_group, NULL);

  gtk_menu_button_set_menu_model (self->assignee_menu_button, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->assignee_menu_button), FALSE);

  /* Administrators pick the assignee from the users; others type a username */
  user = connection ? rd_connection_get_user (connection) : NULL;
  if (user != NULL && rd_user_has_role (user, RD_ROLE_ADMIN))
    rd_connection_list_users_async (connection, self->cancellable,
                                    rd_ticket_page_users_cb, g_object_ref (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/**
 * rd_ticket_page_get_ticket:
 *
 * Returns: (transfer none) (nullable): the ticket shown
 */
RdTicket *
rd_ticket_page_get_ticket (RdTicketPage *self)
{
  g_return_val_if_fail (RD_IS_TICKET_PAGE (self), NULL);

  return self->ticket;
}

/**
 * rd_ticket_page_show_ticket:
 * @self: a #RdTicketPage
 * @ticket: a ticket, e.g. from the list
 *
 * Shows @ticket at once and asks the server for its current state and
 * history.
 */
void
rd_ticket_page_show_ticket (RdTicketPage *self,
                            RdTicket     *ticket)
{
  g_return_if_fail (RD_IS_TICKET_PAGE (self));
  g_return_if_fail (RD_IS_TICKET (ticket));

  gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->history);
  rd_ticket_page_set_ticket (self, ticket);
  rd_ticket_page_refresh (self);
}

gboolean
rd_ticket_page_get_busy (RdTicketPage *self)
{
  g_return_val_if_fail (RD_IS_TICKET_PAGE (self), FALSE);

  return self->pending > 0;
}
