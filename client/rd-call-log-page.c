/* rd-call-log-page.c: the call log
 *
 * The calls of GET /api/v1/calls, newest first: "My Calls" (those that rang
 * the extension of this desk) or, for supervisors and admins, "All Calls".
 * Picking one shows it beside the list (under it when narrow): who called
 * whom, trunk and DDI, the customer, each extension it rang as a timeline,
 * the linked tickets (which open the ticket page) and "Call Back"
 * (click-to-dial from this desk's extension). Live call.* events update
 * the list and the call shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCallLogPage"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-call-log-page-private.h"
#include "rd-utils-private.h"

G_DEFINE_FINAL_TYPE (RdCallLogPage, rd_call_log_page, ADW_TYPE_BIN)

/* the first page is enough for a screen of the day's calls */
#define RD_CALL_LOG_LIMIT 100

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

enum {
  TICKET_ACTIVATED,
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
direction_name (RdCallDirection direction)
{
  switch (direction)
    {
    case RD_CALL_DIRECTION_IN:
      return C_("call direction", "Incoming");
    case RD_CALL_DIRECTION_OUT:
      return C_("call direction", "Outgoing");
    case RD_CALL_DIRECTION_INTERNAL:
      return C_("call direction", "Internal");
    default:
      return "";
    }
}

static const char *
outcome_name (RdCallOutcome outcome)
{
  switch (outcome)
    {
    case RD_CALL_OUTCOME_ANSWERED:
      return C_("call outcome", "Answered");
    case RD_CALL_OUTCOME_MISSED:
      return C_("call outcome", "Missed");
    case RD_CALL_OUTCOME_ABANDONED:
      return C_("call outcome", "Abandoned");
    case RD_CALL_OUTCOME_NONE:
    default:
      return C_("call outcome", "In progress");
    }
}

static const char *
hop_outcome_name (RdHopOutcome outcome,
                  const char **icon_name)
{
  switch (outcome)
    {
    case RD_HOP_OUTCOME_NO_ANSWER:
      *icon_name = "call-missed-symbolic";
      return C_("hop outcome", "No answer");
    case RD_HOP_OUTCOME_ANSWERED:
      *icon_name = "emblem-ok-symbolic";
      return C_("hop outcome", "Answered");
    case RD_HOP_OUTCOME_ABANDONED:
      *icon_name = "call-stop-symbolic";
      return C_("hop outcome", "Caller hung up");
    case RD_HOP_OUTCOME_TRANSFERRED:
      *icon_name = "mail-forward-symbolic";
      return C_("hop outcome", "Transferred");
    case RD_HOP_OUTCOME_NONE:
    default:
      *icon_name = "call-start-symbolic";
      return C_("hop outcome", "Ringing or talking");
    }
}

/* the number at the other end, from this desk's side; "" when none */
static const char *
other_party (RdCall     *call,
             const char *extension)
{
  const char *from = rd_call_get_from (call);
  const char *to = rd_call_get_to (call);

  switch (rd_call_get_direction (call))
    {
    case RD_CALL_DIRECTION_OUT:
      return to != NULL ? to : "";
    case RD_CALL_DIRECTION_INTERNAL:
      if (extension != NULL && g_strcmp0 (from, extension) == 0)
        return to != NULL ? to : "";
      return from != NULL ? from : "";
    case RD_CALL_DIRECTION_IN:
    default:
      return from != NULL ? from : "";
    }
}

/* the extension this desk dials from: the live events' one, else the profile's */
static const char *
own_extension (RdCallLogPage *self)
{
  RdUser *user = self->connection != NULL ? rd_connection_get_user (self->connection) : NULL;
  const char *extension = self->live != NULL ? rd_live_connection_get_extension (self->live) : NULL;

  if (extension != NULL && *extension != '\0')
    return extension;
  if (user != NULL && rd_user_get_extension (user) != NULL && *rd_user_get_extension (user) != '\0')
    return rd_user_get_extension (user);

  return NULL;
}

static gboolean
sees_all (RdCallLogPage *self)
{
  RdUser *user = self->connection != NULL ? rd_connection_get_user (self->connection) : NULL;

  return user != NULL &&
         (rd_user_has_role (user, RD_ROLE_SUPERVISOR) || rd_user_has_role (user, RD_ROLE_ADMIN));
}

static void
rd_call_log_page_toast (RdCallLogPage *self,
                        const char    *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

/* Whether @error ends the session (and says so); FALSE for any other error */
static gboolean
rd_call_log_page_session_ended (RdCallLogPage *self,
                                const GError  *error)
{
  if (!g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
    return FALSE;

  g_signal_emit (self, signals[SESSION_EXPIRED], 0);
  return TRUE;
}

static gboolean
find_call (GListModel *calls,
           const char *id,
           guint      *position)
{
  guint n = g_list_model_get_n_items (calls);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdCall) call = g_list_model_get_item (calls, i);

      if (g_strcmp0 (rd_call_get_id (call), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* list rows */

static void
on_setup_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_item_set_child (item, box);
}

static void
on_bind_row (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             RdCallLogPage            *self)
{
  RdCall *call = gtk_list_item_get_item (item);
  GtkWidget *icon = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_next_sibling (icon));
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = rd_utils_format_relative (rd_call_get_started_at (call), now);
  g_autofree char *details = NULL;
  RdCustomer *customer = rd_call_get_customer (call);
  const char *number = other_party (call, own_extension (self));
  RdCallOutcome outcome = rd_call_get_outcome (call);

  if (outcome == RD_CALL_OUTCOME_MISSED || outcome == RD_CALL_OUTCOME_ABANDONED)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "call-missed-symbolic");
  else if (rd_call_get_direction (call) == RD_CALL_DIRECTION_OUT)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "call-outgoing-symbolic");
  else
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "call-incoming-symbolic");

  if (customer != NULL && rd_customer_get_name (customer) != NULL)
    gtk_label_set_label (GTK_LABEL (title), rd_customer_get_name (customer));
  else
    gtk_label_set_label (GTK_LABEL (title), *number != '\0' ? number : _("Unknown number"));

  /* Translators: a call in the call log: direction · outcome · when, e.g. "Incoming · Missed · 5 minutes ago" */
  details = g_strdup_printf (_("%s · %s · %s"), direction_name (rd_call_get_direction (call)),
                             outcome_name (outcome), when);
  gtk_label_set_label (GTK_LABEL (subtitle), details);
}

/* the detail pane */

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gboolean has = value != NULL && *value != '\0';

  adw_action_row_set_subtitle (row, has ? value : "—");
}

static GtkWidget *
hop_row_new (RdHop *hop)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  const char *icon_name = NULL;
  const char *outcome = hop_outcome_name (rd_hop_get_outcome (hop), &icon_name);
  g_autofree char *title = NULL;
  g_autofree char *rung = rd_utils_format_datetime (rd_hop_get_rung_at (hop));
  g_autoptr(GString) subtitle = g_string_new (NULL);

  /* Translators: a hop of a call: the extension it rang */
  title = g_strdup_printf (_("Extension %s"), rd_hop_get_extension (hop));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  /* Translators: %s is a date and time */
  g_string_append_printf (subtitle, _("Rang %s"), rung);
  if (rd_hop_get_answered_at (hop) != NULL)
    {
      g_autofree char *answered = rd_utils_format_datetime (rd_hop_get_answered_at (hop));

      g_string_append (subtitle, "\n");
      /* Translators: %s is a date and time */
      g_string_append_printf (subtitle, _("Answered %s"), answered);
    }
  if (rd_hop_get_ended_at (hop) != NULL)
    {
      g_autofree char *ended = rd_utils_format_datetime (rd_hop_get_ended_at (hop));

      g_string_append (subtitle, "\n");
      /* Translators: %s is a date and time */
      g_string_append_printf (subtitle, _("Ended %s"), ended);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, outcome, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (outcome));

  return row;
}

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
rd_call_log_page_show_detail (RdCallLogPage *self,
                              RdCall        *call)
{
  g_autofree char *started = NULL;
  g_autofree char *customer_text = NULL;
  RdCustomer *customer;
  GListModel *hops;
  const char * const *tickets;
  const char *number;

  g_set_object (&self->call, call);
  if (call == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  set_row (self->from_row, rd_call_get_from (call));
  set_row (self->to_row, rd_call_get_to (call));
  set_row (self->direction_row, direction_name (rd_call_get_direction (call)));
  started = rd_utils_format_datetime (rd_call_get_started_at (call));
  set_row (self->started_row, started);
  set_row (self->outcome_row, outcome_name (rd_call_get_outcome (call)));
  set_row (self->trunk_row, rd_call_get_trunk (call));
  set_row (self->ddi_row, rd_call_get_ddi (call));

  customer = rd_call_get_customer (call);
  if (customer != NULL && rd_customer_get_company (customer) != NULL && *rd_customer_get_company (customer) != '\0')
    /* Translators: a customer: name (company) */
    customer_text = g_strdup_printf (_("%s (%s)"), rd_customer_get_name (customer),
                                     rd_customer_get_company (customer));
  else if (customer != NULL)
    customer_text = g_strdup (rd_customer_get_name (customer));
  set_row (self->customer_row, customer_text);

  clear_list_box (self->hops_list);
  hops = rd_call_get_hops (call);
  for (guint i = 0; hops != NULL && i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);

      gtk_list_box_append (self->hops_list, hop_row_new (hop));
    }
  if (hops == NULL || g_list_model_get_n_items (hops) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No extension rang"));
      gtk_list_box_append (self->hops_list, row);
    }

  clear_list_box (self->tickets_list);
  tickets = rd_call_get_tickets (call);
  for (guint i = 0; tickets != NULL && tickets[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;

      /* Translators: %s is a ticket number */
      title = g_strdup_printf (_("Ticket %s"), tickets[i]);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "number", g_strdup (tickets[i]), g_free);
      gtk_list_box_append (self->tickets_list, row);
    }
  if (tickets == NULL || tickets[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No tickets"));
      gtk_list_box_append (self->tickets_list, row);
    }

  number = other_party (call, own_extension (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_back_button), *number != '\0' && self->dial_cancellable == NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "call");
}

static void
on_call_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RdCallLogPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCall) call = rd_connection_call_finish (RD_CONNECTION (object), result, &error);
  guint position;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  g_clear_object (&self->call_cancellable);

  if (call == NULL)
    {
      g_autofree char *message = NULL;

      if (rd_call_log_page_session_ended (self, error))
        return;
      message = rd_utils_describe_error (error);
      rd_call_log_page_toast (self, message);
      return;
    }

  /* the list shows the same call as the pane */
  if (find_call (G_LIST_MODEL (self->calls), rd_call_get_id (call), &position))
    g_list_store_splice (self->calls, position, 1, (gpointer *) &call, 1);
  rd_call_log_page_show_detail (self, call);
}

/* list loading */

static void
rd_call_log_page_update_list_stack (RdCallLogPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->calls)) > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "error") != 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
on_calls_listed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RdCallLogPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) calls = rd_connection_list_calls_finish (RD_CONNECTION (object), result, &error);
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  g_clear_object (&self->list_cancellable);

  if (calls == NULL)
    {
      g_autofree char *message = NULL;

      if (rd_call_log_page_session_ended (self, error))
        return;
      message = rd_utils_describe_error (error);
      adw_status_page_set_description (self->error_status, message);
      g_list_store_remove_all (self->calls);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }

  n = g_list_model_get_n_items (calls);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (calls, i));
  g_list_store_splice (self->calls, 0, g_list_model_get_n_items (G_LIST_MODEL (self->calls)),
                       items->pdata, n);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
  rd_call_log_page_update_list_stack (self);
}

/* signals of the template and the live events */

static void
rd_call_log_page_scope_toggled_cb (RdCallLogPage *self)
{
  rd_call_log_page_refresh (self);
}

static void
rd_call_log_page_activate_cb (RdCallLogPage *self,
                              guint          position)
{
  g_autoptr(RdCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), position);

  if (call != NULL)
    rd_call_log_page_show_call (self, rd_call_get_id (call));
}

static void
rd_call_log_page_folded_cb (RdCallLogPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), adw_leaflet_get_folded (self->leaflet));
}

static void
rd_call_log_page_back_cb (RdCallLogPage *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
rd_call_log_page_ticket_activated_cb (RdCallLogPage *self,
                                      GtkListBoxRow *row)
{
  const char *number = g_object_get_data (G_OBJECT (row), "number");
  g_autoptr(RdTicket) ticket = NULL;

  if (number == NULL)
    return;

  /* the ticket page loads the rest */
  ticket = rd_ticket_new (number);
  g_signal_emit (self, signals[TICKET_ACTIVATED], 0, ticket);
}

static void
on_dialled (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RdCallLogPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!rd_connection_dial_finish (RD_CONNECTION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending--;
  g_clear_object (&self->dial_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_back_button), TRUE);

  if (error != NULL)
    {
      if (rd_call_log_page_session_ended (self, error))
        return;
      message = rd_utils_describe_error (error);
    }
  else
    {
      message = g_strdup (_("Your phone rings: pick it up to make the call"));
    }
  rd_call_log_page_toast (self, message);
}

static void
rd_call_log_page_call_back_cb (RdCallLogPage *self)
{
  const char *extension = own_extension (self);
  const char *number;

  if (self->call == NULL || self->connection == NULL || self->dial_cancellable != NULL)
    return;

  number = other_party (self->call, extension);
  if (extension == NULL)
    {
      rd_call_log_page_toast (self, _("No extension: set the extension of this desk in the preferences"));
      return;
    }
  if (*number == '\0')
    return;

  self->dial_cancellable = g_cancellable_new ();
  self->pending++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_back_button), FALSE);
  rd_connection_dial_async (self->connection, extension, number, self->dial_cancellable,
                            on_dialled, g_object_ref (self));
}

static void
on_live_event (RdCallLogPage    *self,
               RdEvent          *event,
               RdLiveConnection *live)
{
  RdCall *call = rd_event_get_call (event);
  guint position;

  if (call == NULL || !g_str_has_prefix (rd_event_get_event_type (event), "call.") ||
      self->connection == NULL || rd_live_connection_get_connection (live) != self->connection)
    return;

  /* the events are those of this desk's extension: in both lists */
  if (find_call (G_LIST_MODEL (self->calls), rd_call_get_id (call), &position))
    g_list_store_splice (self->calls, position, 1, (gpointer *) &call, 1);
  else
    g_list_store_insert (self->calls, 0, call);
  rd_call_log_page_update_list_stack (self);

  /* the server has the hops the event may not carry */
  if (self->call != NULL && g_strcmp0 (rd_call_get_id (self->call), rd_call_get_id (call)) == 0)
    rd_call_log_page_show_call (self, rd_call_get_id (call));
}

static void
rd_call_log_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RdCallLogPage *self = RD_CALL_LOG_PAGE (object);

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
rd_call_log_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RdCallLogPage *self = RD_CALL_LOG_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      rd_call_log_page_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_log_page_cancel (RdCallLogPage *self)
{
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->call_cancellable);
  g_clear_object (&self->call_cancellable);
  g_cancellable_cancel (self->dial_cancellable);
  g_clear_object (&self->dial_cancellable);
  self->pending = 0;
}

static void
rd_call_log_page_dispose (GObject *object)
{
  RdCallLogPage *self = RD_CALL_LOG_PAGE (object);

  rd_call_log_page_cancel (self);
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);
  g_clear_object (&self->connection);
  g_clear_object (&self->call);
  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_CALL_LOG_PAGE);

  G_OBJECT_CLASS (rd_call_log_page_parent_class)->dispose (object);
}

static void
rd_call_log_page_finalize (GObject *object)
{
  RdCallLogPage *self = RD_CALL_LOG_PAGE (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->calls);

  G_OBJECT_CLASS (rd_call_log_page_parent_class)->finalize (object);
}

static void
rd_call_log_page_class_init (RdCallLogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = rd_call_log_page_get_property;
  object_class->set_property = rd_call_log_page_set_property;
  object_class->dispose = rd_call_log_page_dispose;
  object_class->finalize = rd_call_log_page_finalize;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdCallLogPage::ticket-activated:
   * @self: the page
   * @ticket: a ticket linked to the call shown, with only its number
   */
  signals[TICKET_ACTIVATED] =
    g_signal_new ("ticket-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RD_TYPE_TICKET);

  /**
   * RdCallLogPage::session-expired:
   * @self: the page
   *
   * The server refused the session: sign in again.
   */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ringdesk/Ringdesk/ui/rd-call-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, scope_box);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, mine_button);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, all_button);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, to_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, direction_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, trunk_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, ddi_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, started_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, customer_row);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, hops_list);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, tickets_list);
  gtk_widget_class_bind_template_child (widget_class, RdCallLogPage, call_back_button);
  gtk_widget_class_bind_template_callback (widget_class, rd_call_log_page_scope_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_call_log_page_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_call_log_page_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_call_log_page_back_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_call_log_page_ticket_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_call_log_page_call_back_cb);
}

static void
rd_call_log_page_init (RdCallLogPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->calls = g_list_store_new (RD_TYPE_CALL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->calls)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind_row), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  gtk_stack_set_visible_child_name (self->list_stack, "empty");
  rd_call_log_page_folded_cb (self);
}

GtkWidget *
rd_call_log_page_new (void)
{
  return g_object_new (RD_TYPE_CALL_LOG_PAGE, NULL);
}

RdConnection *
rd_call_log_page_get_connection (RdCallLogPage *self)
{
  g_return_val_if_fail (RD_IS_CALL_LOG_PAGE (self), NULL);

  return self->connection;
}

/**
 * rd_call_log_page_set_connection:
 * @self: a #RdCallLogPage
 * @connection: (nullable): the session, or %NULL when signed out
 *
 * Lists the calls of @connection's user; "All Calls" only for supervisors
 * and admins (the server refuses the others anyway).
 */
void
rd_call_log_page_set_connection (RdCallLogPage *self,
                                 RdConnection  *connection)
{
  g_return_if_fail (RD_IS_CALL_LOG_PAGE (self));
  g_return_if_fail (connection == NULL || RD_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  rd_call_log_page_cancel (self);
  g_list_store_remove_all (self->calls);
  rd_call_log_page_show_detail (self, NULL);
  gtk_toggle_button_set_active (self->mine_button, TRUE);
  gtk_widget_set_visible (self->scope_box, sees_all (self));
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  rd_call_log_page_refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/**
 * rd_call_log_page_set_live_connection:
 * @self: a #RdCallLogPage
 * @live: the application's live events
 *
 * Calls of this desk's extension come and change as the events arrive.
 */
void
rd_call_log_page_set_live_connection (RdCallLogPage    *self,
                                      RdLiveConnection *live)
{
  g_return_if_fail (RD_IS_CALL_LOG_PAGE (self));
  g_return_if_fail (RD_IS_LIVE_CONNECTION (live));
  g_return_if_fail (self->live == NULL);

  self->live = g_object_ref (live);
  g_signal_connect_object (live, "event", G_CALLBACK (on_live_event), self, G_CONNECT_SWAPPED);
}

/**
 * rd_call_log_page_get_calls:
 *
 * Returns: (transfer none): the #RdCall the list shows, newest first
 */
GListModel *
rd_call_log_page_get_calls (RdCallLogPage *self)
{
  g_return_val_if_fail (RD_IS_CALL_LOG_PAGE (self), NULL);

  return G_LIST_MODEL (self->calls);
}

/**
 * rd_call_log_page_refresh:
 *
 * Loads the list again from the server.
 */
void
rd_call_log_page_refresh (RdCallLogPage *self)
{
  const char *extension = NULL;

  g_return_if_fail (RD_IS_CALL_LOG_PAGE (self));

  if (self->connection == NULL)
    return;

  if (self->list_cancellable != NULL)
    {
      g_cancellable_cancel (self->list_cancellable);
      g_clear_object (&self->list_cancellable);
      self->pending--;
    }

  /* my calls: those that rang this desk; without an extension, what the
   * server lets the user see of their own */
  if (!gtk_toggle_button_get_active (self->all_button) || !sees_all (self))
    extension = own_extension (self);

  self->list_cancellable = g_cancellable_new ();
  self->pending++;
  rd_connection_list_extension_calls_async (self->connection, extension, RD_CALL_LOG_LIMIT,
                                            self->list_cancellable, on_calls_listed,
                                            g_object_ref (self));
}

/**
 * rd_call_log_page_show_call:
 * @id: a call id
 *
 * Loads the call and shows it in the detail pane.
 */
void
rd_call_log_page_show_call (RdCallLogPage *self,
                            const char    *id)
{
  g_return_if_fail (RD_IS_CALL_LOG_PAGE (self));
  g_return_if_fail (id != NULL);

  if (self->connection == NULL)
    return;

  if (self->call_cancellable != NULL)
    {
      g_cancellable_cancel (self->call_cancellable);
      g_clear_object (&self->call_cancellable);
      self->pending--;
    }

  self->call_cancellable = g_cancellable_new ();
  self->pending++;
  rd_connection_get_call_async (self->connection, id, self->call_cancellable, on_call_loaded,
                                g_object_ref (self));
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}
