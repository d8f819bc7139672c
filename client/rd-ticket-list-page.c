/* rd-ticket-list-page.c: the tickets list
 *
 * The tickets the server lists for the search and filters (all of them
 * server-side: q=, state=, assignee=), loaded page by page into an
 * RdTicketModel as the list scrolls. Wide, a GtkColumnView whose column
 * headers sort what is loaded; narrow (the AdwSqueezer falls back when the
 * columns do not fit), a compact GtkListView of two-line rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTicketListPage"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-state-badge.h"
#include "rd-ticket-list-page-private.h"
#include "rd-ticket-row.h"
#include "rd-utils-private.h"

G_DEFINE_FINAL_TYPE (RdTicketListPage, rd_ticket_list_page, ADW_TYPE_BIN)

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

/* The items of state_dropdown, in order */
static const char * const state_filters[] = {
  "open,in_progress,resolved",
  NULL,
  "open",
  "in_progress",
  "resolved",
  "closed",
  "cancelled",
};

/* The items of scope_dropdown, in order */
enum {
  SCOPE_ALL,
  SCOPE_MY_QUEUE,
  SCOPE_MY_GROUPS,
};

typedef char *(*RdTicketText) (RdTicket *ticket);

static char *
ticket_number_text (RdTicket *ticket)
{
  /* a ticket created offline has no number yet */
  return rd_outbox_format_number (ticket);
}

static char *
ticket_subject_text (RdTicket *ticket)
{
  /* says when the changes of the ticket are not sent yet */
  return rd_outbox_format_subject (ticket);
}

static char *
ticket_requester_text (RdTicket *ticket)
{
  return g_strdup (rd_ticket_get_requester (ticket));
}

static char *
ticket_priority_text (RdTicket *ticket)
{
  return g_strdup (rd_utils_priority_name (rd_ticket_get_priority (ticket)));
}

static char *
ticket_assignee_text (RdTicket *ticket)
{
  const char *assignee = rd_ticket_get_assignee (ticket);

  return g_strdup (assignee ? assignee : "");
}

static char *
ticket_created_text (RdTicket *ticket)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return rd_utils_format_relative (rd_ticket_get_created_at (ticket), now);
}

static guint64
ticket_number_value (RdTicket *ticket)
{
  return g_ascii_strtoull (rd_ticket_get_number (ticket), NULL, 10);
}

static int
compare_number (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  guint64 x = ticket_number_value (RD_TICKET ((gpointer) a));
  guint64 y = ticket_number_value (RD_TICKET ((gpointer) b));

  return (x > y) - (x < y);
}

static int
compare_text (const char *x,
              const char *y)
{
  g_autofree char *kx = g_utf8_collate_key (x ? x : "", -1);
  g_autofree char *ky = g_utf8_collate_key (y ? y : "", -1);

  return strcmp (kx, ky);
}

static int
compare_subject (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return compare_text (rd_ticket_get_subject (RD_TICKET ((gpointer) a)),
                       rd_ticket_get_subject (RD_TICKET ((gpointer) b)));
}

static int
compare_requester (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  return compare_text (rd_ticket_get_requester (RD_TICKET ((gpointer) a)),
                       rd_ticket_get_requester (RD_TICKET ((gpointer) b)));
}

static int
compare_assignee (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return compare_text (rd_ticket_get_assignee (RD_TICKET ((gpointer) a)),
                       rd_ticket_get_assignee (RD_TICKET ((gpointer) b)));
}

static int
compare_state (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  int x = rd_ticket_get_state (RD_TICKET ((gpointer) a));
  int y = rd_ticket_get_state (RD_TICKET ((gpointer) b));

  return (x > y) - (x < y);
}

static int
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  int x = rd_ticket_get_priority (RD_TICKET ((gpointer) a));
  int y = rd_ticket_get_priority (RD_TICKET ((gpointer) b));

  return (x > y) - (x < y);
}

static int
compare_created (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GDateTime *x = rd_ticket_get_created_at (RD_TICKET ((gpointer) a));
  GDateTime *y = rd_ticket_get_created_at (RD_TICKET ((gpointer) b));

  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);

  return g_date_time_compare (x, y);
}

static void
text_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
text_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  RdTicketText text_func = user_data;
  RdTicket *ticket = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = text_func (ticket);

  gtk_label_set_label (GTK_LABEL (label), text);

  if (text_func == ticket_priority_text)
    {
      RdPriority priority = rd_ticket_get_priority (ticket);

      gtk_widget_remove_css_class (label, "priority-urgent");
      gtk_widget_remove_css_class (label, "priority-high");
      if (priority == RD_PRIORITY_URGENT)
        gtk_widget_add_css_class (label, "priority-urgent");
      else if (priority == RD_PRIORITY_HIGH)
        gtk_widget_add_css_class (label, "priority-high");
    }
}

static void
state_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  gtk_list_item_set_child (item, rd_state_badge_new ());
}

static void
state_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  RdTicket *ticket = gtk_list_item_get_item (item);

  rd_state_badge_set_state (RD_STATE_BADGE (gtk_list_item_get_child (item)),
                            rd_ticket_get_state (ticket));
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, rd_ticket_row_new ());
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  rd_ticket_row_set_ticket (RD_TICKET_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

static void
rd_ticket_list_page_add_column (RdTicketListPage *self,
                                const char       *title,
                                RdTicketText      text_func,
                                GCompareDataFunc  compare,
                                gboolean          expand,
                                int               fixed_width)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare, NULL, NULL));

  if (text_func != NULL)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (text_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (text_bind_cb), text_func);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (state_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (state_bind_cb), NULL);
    }

  column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
}

static void
rd_ticket_list_page_update_view (RdTicketListPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const GError *error = rd_ticket_model_get_error (self->model);
  g_autofree char *count = NULL;

  if (error != NULL && n == 0)
    {
      g_autofree char *message = rd_utils_describe_ticket_error (error);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->content_stack, "error");
    }
  else if (n > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else if (rd_ticket_model_get_loading (self->model) || self->connection == NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "empty");

  if (rd_ticket_model_get_has_more (self->model))
    /* Translators: how many tickets are loaded when the server has more */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u ticket loaded", "%u tickets loaded", n), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u ticket", "%u tickets", n), n);
  gtk_label_set_label (self->count_label, count);
}

static void
rd_ticket_list_page_model_changed_cb (RdTicketListPage *self)
{
  const GError *error = rd_ticket_model_get_error (self->model);

  rd_ticket_list_page_update_view (self);

  if (g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
    g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

static void
rd_ticket_list_page_apply_filter (RdTicketListPage *self)
{
  RdTicketFilter filter = { 0 };
  guint state = gtk_drop_down_get_selected (self->state_dropdown);
  RdUser *user = NULL;
  g_autofree char *q = NULL;

  if (self->connection == NULL)
    return;

  q = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  filter.q = q;

  if (state < G_N_ELEMENTS (state_filters))
    filter.states = state_filters[state];

  user = rd_connection_get_user (self->connection);
  switch (gtk_drop_down_get_selected (self->scope_dropdown))
    {
    case SCOPE_MY_QUEUE:
      /* the same tickets as ?scope=mine, but as a filter the model knows to
       * keep for offline use as the queue, and to list from it offline */
      if (user != NULL)
        filter.assignee = rd_user_get_username (user);
      else
        filter.scope = "mine";
      break;
    case SCOPE_MY_GROUPS:
      filter.scope = "groups";
      break;
    case SCOPE_ALL:
    default:
      /* everyone else gets everything they may see without asking */
      if (user != NULL && (rd_user_has_role (user, RD_ROLE_SUPERVISOR) || rd_user_has_role (user, RD_ROLE_ADMIN)))
        filter.scope = "all";
      break;
    }

  rd_ticket_model_set_filter (self->model, &filter);
  rd_ticket_model_reload (self->model);
}

static void
rd_ticket_list_page_filter_changed_cb (RdTicketListPage *self)
{
  g_assert (RD_IS_TICKET_LIST_PAGE (self));

  rd_ticket_list_page_apply_filter (self);
}

static void
rd_ticket_list_page_stop_search_cb (RdTicketListPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
rd_ticket_list_page_edge_reached_cb (RdTicketListPage  *self,
                                     GtkPositionType    position,
                                     GtkScrolledWindow *scroller)
{
  if (position == GTK_POS_BOTTOM)
    rd_ticket_model_load_more (self->model);
}

static void
rd_ticket_list_page_activate_cb (RdTicketListPage *self,
                                 guint             position)
{
  g_autoptr(RdTicket) ticket = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (ticket != NULL)
    g_signal_emit (self, signals[TICKET_ACTIVATED], 0, ticket);
}

static void
rd_ticket_list_page_refresh_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  rd_ticket_list_page_refresh (RD_TICKET_LIST_PAGE (widget));
}

/* The server is back: the list leaves the copies for the server's tickets */
static void
rd_ticket_list_page_online_cb (RdTicketListPage *self)
{
  if (rd_outbox_get_online (self->outbox) && rd_ticket_model_get_offline (self->model))
    rd_ticket_list_page_apply_filter (self);
}

/* Something was queued or resolved: the copies show it */
static void
rd_ticket_list_page_outbox_changed_cb (RdTicketListPage *self)
{
  if (rd_ticket_model_get_offline (self->model))
    rd_ticket_list_page_apply_filter (self);
}

static void
rd_ticket_list_page_ticket_sent_cb (RdTicketListPage *self,
                                    const char       *label,
                                    RdTicket         *ticket)
{
  /* a new ticket got its number: it takes its place in the server's order */
  if (g_str_has_prefix (label, RD_OFFLINE_LOCAL_PREFIX))
    rd_ticket_list_page_apply_filter (self);
  else
    rd_ticket_model_replace (self->model, ticket);
}

static void
rd_ticket_list_page_set_outbox (RdTicketListPage *self,
                                RdOutbox         *outbox)
{
  if (!rd_outbox_replace (&self->outbox, outbox, self))
    return;
  rd_offline_banner_set_outbox (self->offline_banner, outbox);

  if (outbox == NULL)
    return;

  g_signal_connect_object (outbox, "notify::online", G_CALLBACK (rd_ticket_list_page_online_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (outbox, "changed", G_CALLBACK (rd_ticket_list_page_outbox_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (outbox, "ticket-sent", G_CALLBACK (rd_ticket_list_page_ticket_sent_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
rd_ticket_list_page_dispose (GObject *object)
{
  RdTicketListPage *self = (RdTicketListPage *)object;

  if (self->model != NULL)
    rd_ticket_model_set_connection (self->model, NULL);
  g_clear_object (&self->connection);
  rd_outbox_replace (&self->outbox, NULL, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_TICKET_LIST_PAGE);

  g_clear_object (&self->sorted);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (rd_ticket_list_page_parent_class)->dispose (object);
}

static void
rd_ticket_list_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RdTicketListPage *self = RD_TICKET_LIST_PAGE (object);

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
rd_ticket_list_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RdTicketListPage *self = RD_TICKET_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      rd_ticket_list_page_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_list_page_class_init (RdTicketListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_ticket_list_page_dispose;
  object_class->get_property = rd_ticket_list_page_get_property;
  object_class->set_property = rd_ticket_list_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdTicketListPage::ticket-activated:
   * @self: the page
   * @ticket: the ticket the user opened
   */
  signals[TICKET_ACTIVATED] =
    g_signal_new ("ticket-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RD_TYPE_TICKET);

  /**
   * RdTicketListPage::session-expired:
   *
   * The server no longer accepts the session's token.
   */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-ticket-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, squeezer);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, columns_scroller);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, compact_scroller);
  gtk_widget_class_bind_template_child (widget_class, RdTicketListPage, compact_list);
  gtk_widget_class_bind_template_callback (widget_class, rd_ticket_list_page_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_ticket_list_page_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_ticket_list_page_edge_reached_cb);
  gtk_widget_class_bind_template_callback (widget_class, rd_ticket_list_page_activate_cb);

  gtk_widget_class_install_action (widget_class, "tickets.refresh", NULL, rd_ticket_list_page_refresh_action);
}

static void
rd_ticket_list_page_init (RdTicketListPage *self)
{
  g_autoptr(GtkListItemFactory) row_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSelectionModel) column_selection = NULL;
  g_autoptr(GtkSelectionModel) compact_selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = rd_ticket_model_new ();
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (rd_ticket_list_page_model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-items",
                           G_CALLBACK (rd_ticket_list_page_update_view), self,
                           G_CONNECT_SWAPPED);

  rd_ticket_list_page_add_column (self, C_("column", "No."), ticket_number_text, compare_number, FALSE, 70);
  rd_ticket_list_page_add_column (self, C_("column", "Subject"), ticket_subject_text, compare_subject, TRUE, -1);
  rd_ticket_list_page_add_column (self, C_("column", "Requester"), ticket_requester_text, compare_requester, FALSE, 160);
  rd_ticket_list_page_add_column (self, C_("column", "State"), NULL, compare_state, FALSE, 120);
  rd_ticket_list_page_add_column (self, C_("column", "Priority"), ticket_priority_text, compare_priority, FALSE, 90);
  rd_ticket_list_page_add_column (self, C_("column", "Assignee"), ticket_assignee_text, compare_assignee, FALSE, 110);
  rd_ticket_list_page_add_column (self, C_("column", "Created"), ticket_created_text, compare_created, FALSE, 130);

  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->model)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));

  column_selection = GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (column_selection), FALSE);
  gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (column_selection), TRUE);
  gtk_column_view_set_model (self->column_view, column_selection);

  g_signal_connect (row_factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (row_factory, "bind", G_CALLBACK (row_bind_cb), NULL);
  compact_selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted))));
  gtk_list_view_set_model (self->compact_list, compact_selection);
  gtk_list_view_set_factory (self->compact_list, row_factory);

  /* Over the search: whether the server is there and what waits for it */
  self->offline_banner = RD_OFFLINE_BANNER (rd_offline_banner_new ());
  gtk_box_prepend (GTK_BOX (adw_bin_get_child (ADW_BIN (self))), GTK_WIDGET (self->offline_banner));
  g_signal_connect_object (self->offline_banner, "retry",
                           G_CALLBACK (rd_ticket_list_page_apply_filter), self,
                           G_CONNECT_SWAPPED);

  rd_ticket_list_page_update_view (self);
}

GtkWidget *
rd_ticket_list_page_new (void)
{
  return g_object_new (RD_TYPE_TICKET_LIST_PAGE, NULL);
}

/**
 * rd_ticket_list_page_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection the tickets come from
 */
RdConnection *
rd_ticket_list_page_get_connection (RdTicketListPage *self)
{
  g_return_val_if_fail (RD_IS_TICKET_LIST_PAGE (self), NULL);

  return self->connection;
}

/**
 * rd_ticket_list_page_set_connection:
 * @self: a #RdTicketListPage
 * @connection: (nullable): a signed-in connection
 *
 * Shows the tickets of @connection's user, loading the first page.
 */
void
rd_ticket_list_page_set_connection (RdTicketListPage *self,
                                    RdConnection     *connection)
{
  g_return_if_fail (RD_IS_TICKET_LIST_PAGE (self));
  g_return_if_fail (!connection || RD_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  rd_ticket_list_page_set_outbox (self, rd_outbox_get_for_connection (connection));
  rd_ticket_model_set_connection (self->model, connection);
  rd_ticket_list_page_apply_filter (self);
  rd_ticket_list_page_update_view (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/**
 * rd_ticket_list_page_get_model:
 *
 * Returns: (transfer none): the tickets loaded, in the server's order
 */
RdTicketModel *
rd_ticket_list_page_get_model (RdTicketListPage *self)
{
  g_return_val_if_fail (RD_IS_TICKET_LIST_PAGE (self), NULL);

  return self->model;
}

/**
 * rd_ticket_list_page_get_shown:
 *
 * Returns: (transfer none): the tickets loaded, in the order shown
 */
GListModel *
rd_ticket_list_page_get_shown (RdTicketListPage *self)
{
  g_return_val_if_fail (RD_IS_TICKET_LIST_PAGE (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

/**
 * rd_ticket_list_page_refresh:
 * @self: a #RdTicketListPage
 *
 * Loads the first page again with the current search and filters.
 */
void
rd_ticket_list_page_refresh (RdTicketListPage *self)
{
  g_return_if_fail (RD_IS_TICKET_LIST_PAGE (self));

  rd_ticket_list_page_apply_filter (self);
}

void
rd_ticket_list_page_focus_search (RdTicketListPage *self)
{
  g_return_if_fail (RD_IS_TICKET_LIST_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
