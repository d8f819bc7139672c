/* rd-ticket-model.c: the tickets of GET /tickets as a list model, page by page
 *
 * Holds the pages loaded so far of one filter. rd_ticket_model_reload()
 * starts again from the first page (a new filter does too);
 * rd_ticket_model_load_more() appends the next page while the server says
 * there is one. A reply that arrives for an older filter is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTicketModel"

#include "config.h"

#include "rd-outbox.h"
#include "rd-ticket-model.h"

#define RD_TICKET_MODEL_DEFAULT_PAGE_SIZE 100

struct _RdTicketModel
{
  GObject       parent_instance;

  RdConnection *connection;
  GListStore   *tickets;
  GCancellable *cancellable;
  GError       *error;

  char         *states;
  char         *assignee;
  char         *scope;
  char         *q;
  char         *next_cursor;
  guint         page_size;

  guint         loading : 1;
  guint         has_more : 1;
  guint         offline : 1;
};

static void rd_ticket_model_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdTicketModel, rd_ticket_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rd_ticket_model_list_model_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_N_ITEMS,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
rd_ticket_model_get_item_type (GListModel *model)
{
  return RD_TYPE_TICKET;
}

static guint
rd_ticket_model_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (RD_TICKET_MODEL (model)->tickets));
}

static gpointer
rd_ticket_model_get_item (GListModel *model,
                          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (RD_TICKET_MODEL (model)->tickets), position);
}

static void
rd_ticket_model_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rd_ticket_model_get_item_type;
  iface->get_n_items = rd_ticket_model_get_n_items;
  iface->get_item = rd_ticket_model_get_item;
}

static void
rd_ticket_model_items_changed_cb (RdTicketModel *self,
                                  guint          position,
                                  guint          removed,
                                  guint          added,
                                  GListModel    *store)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
rd_ticket_model_set_loading (RdTicketModel *self,
                             gboolean       loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
rd_ticket_model_set_has_more (RdTicketModel *self,
                              gboolean       has_more)
{
  if (self->has_more == !!has_more)
    return;

  self->has_more = !!has_more;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

static void
rd_ticket_model_set_offline (RdTicketModel *self,
                             gboolean       offline)
{
  if (self->offline == !!offline)
    return;

  self->offline = !!offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

/* The filter, applied here to the copies on this computer */
static gboolean
rd_ticket_model_matches (RdTicketModel *self,
                         RdTicket      *ticket)
{
  g_auto(GStrv) states = NULL;
  g_autofree char *text = NULL;

  if (self->states != NULL && *self->states != '\0')
    {
      states = g_strsplit (self->states, ",", -1);
      if (!g_strv_contains ((const char * const *) states,
                            rd_ticket_state_to_string (rd_ticket_get_state (ticket))))
        return FALSE;
    }

  if (self->q == NULL || *self->q == '\0')
    return TRUE;

  text = g_strjoin (" ",
                    rd_ticket_get_number (ticket) ?: "",
                    rd_ticket_get_subject (ticket) ?: "",
                    rd_ticket_get_requester (ticket) ?: "",
                    rd_ticket_get_requester_phone (ticket) ?: "",
                    rd_ticket_get_description (ticket) ?: "",
                    NULL);
  /* as the server searches: every word starts a word of the ticket, with
   * capitals and accents folded */
  return g_str_match_string (self->q, text, TRUE);
}

static void
rd_ticket_model_cached_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(RdTicketModel) self = user_data;
  g_autoptr(GListModel) cached = NULL;
  g_autoptr(GListModel) shown = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  RdOutbox *outbox;

  cached = rd_offline_store_list_tickets_finish (RD_OFFLINE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  outbox = rd_outbox_get_for_connection (self->connection);
  if (cached == NULL || outbox == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read the kept tickets: %s", error->message);
      rd_ticket_model_set_loading (self, FALSE);
      return;
    }

  /* with what is queued on them */
  shown = rd_outbox_overlay_list (outbox, cached, FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      RdTicket *ticket = g_list_model_get_item (shown, i);

      if (rd_ticket_model_matches (self, ticket))
        g_ptr_array_add (items, ticket);
      else
        g_object_unref (ticket);
    }

  g_list_store_splice (self->tickets, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tickets)),
                       items->pdata, items->len);
  rd_ticket_model_set_has_more (self, FALSE);
  rd_ticket_model_set_offline (self, TRUE);
  rd_ticket_model_set_loading (self, FALSE);
}

/* The server cannot be reached: the copies of this computer instead, read
 * in a thread */
static void
rd_ticket_model_show_cached (RdTicketModel *self,
                             RdOutbox      *outbox)
{
  self->cancellable = g_cancellable_new ();
  rd_offline_store_list_tickets_async (rd_outbox_get_store (outbox), self->assignee != NULL,
                                       self->cancellable, rd_ticket_model_cached_cb,
                                       g_object_ref (self));
}

static void
rd_ticket_model_kept_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!rd_offline_store_cache_tickets_finish (RD_OFFLINE_STORE (object), result, &error))
    g_warning ("Could not keep the tickets for offline use: %s", error->message);
}

/* Keeps a page the server sent (written off the main loop), and returns it
 * as the user will see it */
static GListModel *
rd_ticket_model_keep_page (RdTicketModel *self,
                           RdOutbox      *outbox,
                           GListModel    *page,
                           gboolean       first)
{
  gboolean my_queue = first && self->assignee != NULL && (self->q == NULL || *self->q == '\0');

  rd_outbox_set_online (outbox, TRUE);
  rd_offline_store_cache_tickets_async (rd_outbox_get_store (outbox), page, my_queue, NULL,
                                        rd_ticket_model_kept_cb, NULL);

  return rd_outbox_overlay_list (outbox, page, first);
}

static void
rd_ticket_model_list_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  RdConnection *connection = (RdConnection *)object;
  g_autoptr(RdTicketModel) self = user_data;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  g_autoptr(GPtrArray) items = NULL;
  RdOutbox *outbox;
  guint n;

  page = rd_connection_list_tickets_finish (connection, result, &next_cursor, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  outbox = rd_outbox_get_for_connection (connection);

  if (page == NULL && outbox != NULL && rd_outbox_error_is_unreachable (error))
    {
      g_debug ("Showing the tickets kept offline: %s", error->message);
      rd_outbox_set_online (outbox, FALSE);
      rd_ticket_model_show_cached (self, outbox);
      return;
    }

  if (page != NULL && outbox != NULL)
    {
      GListModel *shown = rd_ticket_model_keep_page (self, outbox, page, self->next_cursor == NULL);

      g_object_unref (page);
      page = shown;
      rd_ticket_model_set_offline (self, FALSE);
    }

  if (page == NULL)
    {
      g_debug ("Could not list tickets: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      rd_ticket_model_set_loading (self, FALSE);
      return;
    }

  n = g_list_model_get_n_items (page);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (page, i));

  g_list_store_splice (self->tickets,
                       g_list_model_get_n_items (G_LIST_MODEL (self->tickets)), 0,
                       items->pdata, items->len);

  g_free (self->next_cursor);
  self->next_cursor = g_steal_pointer (&next_cursor);
  rd_ticket_model_set_has_more (self, self->next_cursor != NULL);
  rd_ticket_model_set_loading (self, FALSE);
}

static void
rd_ticket_model_fetch (RdTicketModel *self)
{
  RdTicketFilter filter = { self->states, self->assignee, self->q, self->scope };

  g_clear_error (&self->error);
  self->cancellable = g_cancellable_new ();
  rd_ticket_model_set_loading (self, TRUE);

  rd_connection_list_tickets_async (self->connection,
                                    &filter,
                                    self->next_cursor,
                                    self->page_size,
                                    self->cancellable,
                                    rd_ticket_model_list_cb,
                                    g_object_ref (self));
}

static void
rd_ticket_model_dispose (GObject *object)
{
  RdTicketModel *self = (RdTicketModel *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (rd_ticket_model_parent_class)->dispose (object);
}

static void
rd_ticket_model_finalize (GObject *object)
{
  RdTicketModel *self = (RdTicketModel *)object;

  g_clear_object (&self->tickets);
  g_clear_error (&self->error);
  g_clear_pointer (&self->states, g_free);
  g_clear_pointer (&self->assignee, g_free);
  g_clear_pointer (&self->scope, g_free);
  g_clear_pointer (&self->q, g_free);
  g_clear_pointer (&self->next_cursor, g_free);

  G_OBJECT_CLASS (rd_ticket_model_parent_class)->finalize (object);
}

static void
rd_ticket_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RdTicketModel *self = RD_TICKET_MODEL (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self)));
      break;

    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_model_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RdTicketModel *self = RD_TICKET_MODEL (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      rd_ticket_model_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_model_class_init (RdTicketModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_ticket_model_dispose;
  object_class->finalize = rd_ticket_model_finalize;
  object_class->get_property = rd_ticket_model_get_property;
  object_class->set_property = rd_ticket_model_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdTicketModel:loading:
   *
   * Whether a page is being fetched.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdTicketModel:has-more:
   *
   * Whether the server has another page for this filter.
   */
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdTicketModel:offline:
   *
   * Whether the server could not be reached and the tickets are the copies
   * kept on this computer (with the changes not sent yet).
   */
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_ticket_model_init (RdTicketModel *self)
{
  self->page_size = RD_TICKET_MODEL_DEFAULT_PAGE_SIZE;
  self->tickets = g_list_store_new (RD_TYPE_TICKET);
  g_signal_connect_object (self->tickets, "items-changed",
                           G_CALLBACK (rd_ticket_model_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

RdTicketModel *
rd_ticket_model_new (void)
{
  return g_object_new (RD_TYPE_TICKET_MODEL, NULL);
}

/**
 * rd_ticket_model_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection the tickets come from
 */
RdConnection *
rd_ticket_model_get_connection (RdTicketModel *self)
{
  g_return_val_if_fail (RD_IS_TICKET_MODEL (self), NULL);

  return self->connection;
}

/**
 * rd_ticket_model_set_connection:
 * @self: a #RdTicketModel
 * @connection: (nullable): a signed-in connection
 *
 * Empties the model; it loads again on the next reload.
 */
void
rd_ticket_model_set_connection (RdTicketModel *self,
                                RdConnection  *connection)
{
  g_return_if_fail (RD_IS_TICKET_MODEL (self));
  g_return_if_fail (!connection || RD_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_pointer (&self->next_cursor, g_free);
  g_list_store_remove_all (self->tickets);
  rd_ticket_model_set_has_more (self, FALSE);
  rd_ticket_model_set_loading (self, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/**
 * rd_ticket_model_set_filter:
 * @self: a #RdTicketModel
 * @filter: (nullable): the server-side filters
 *
 * Keeps @filter for the following loads; call rd_ticket_model_reload() to
 * apply it.
 */
void
rd_ticket_model_set_filter (RdTicketModel        *self,
                            const RdTicketFilter *filter)
{
  g_return_if_fail (RD_IS_TICKET_MODEL (self));

  rd_set_str (&self->states, filter ? filter->states : NULL);
  rd_set_str (&self->assignee, filter ? filter->assignee : NULL);
  rd_set_str (&self->q, filter ? filter->q : NULL);
  rd_set_str (&self->scope, filter ? filter->scope : NULL);
}

guint
rd_ticket_model_get_page_size (RdTicketModel *self)
{
  g_return_val_if_fail (RD_IS_TICKET_MODEL (self), 0);

  return self->page_size;
}

/**
 * rd_ticket_model_set_page_size:
 * @self: a #RdTicketModel
 * @page_size: tickets per request, 1 to 500
 */
void
rd_ticket_model_set_page_size (RdTicketModel *self,
                               guint          page_size)
{
  g_return_if_fail (RD_IS_TICKET_MODEL (self));
  g_return_if_fail (page_size >= 1 && page_size <= 500);

  self->page_size = page_size;
}

gboolean
rd_ticket_model_get_loading (RdTicketModel *self)
{
  g_return_val_if_fail (RD_IS_TICKET_MODEL (self), FALSE);

  return self->loading;
}

gboolean
rd_ticket_model_get_has_more (RdTicketModel *self)
{
  g_return_val_if_fail (RD_IS_TICKET_MODEL (self), FALSE);

  return self->has_more;
}

/**
 * rd_ticket_model_get_error:
 *
 * Returns: (transfer none) (nullable): why the last load failed
 */
const GError *
rd_ticket_model_get_error (RdTicketModel *self)
{
  g_return_val_if_fail (RD_IS_TICKET_MODEL (self), NULL);

  return self->error;
}

/**
 * rd_ticket_model_reload:
 * @self: a #RdTicketModel
 *
 * Forgets the loaded pages and fetches the first one again.
 */
void
rd_ticket_model_reload (RdTicketModel *self)
{
  g_return_if_fail (RD_IS_TICKET_MODEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_cursor, g_free);
  g_list_store_remove_all (self->tickets);
  rd_ticket_model_set_has_more (self, FALSE);

  if (self->connection == NULL)
    {
      rd_ticket_model_set_loading (self, FALSE);
      return;
    }

  rd_ticket_model_fetch (self);
}

/**
 * rd_ticket_model_load_more:
 * @self: a #RdTicketModel
 *
 * Appends the next page, if there is one and none is being fetched.
 */
void
rd_ticket_model_load_more (RdTicketModel *self)
{
  g_return_if_fail (RD_IS_TICKET_MODEL (self));

  if (self->loading || !self->has_more || self->connection == NULL)
    return;

  rd_ticket_model_fetch (self);
}

/**
 * rd_ticket_model_replace:
 * @self: a #RdTicketModel
 * @ticket: a ticket as the server returned it
 *
 * Puts @ticket in place of the loaded ticket with the same number, so the
 * list shows an edit without loading again.
 */
void
rd_ticket_model_replace (RdTicketModel *self,
                         RdTicket      *ticket)
{
  guint n;

  g_return_if_fail (RD_IS_TICKET_MODEL (self));
  g_return_if_fail (RD_IS_TICKET (ticket));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tickets));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdTicket) old = g_list_model_get_item (G_LIST_MODEL (self->tickets), i);

      if (g_strcmp0 (rd_ticket_get_number (old), rd_ticket_get_number (ticket)) == 0)
        {
          g_list_store_splice (self->tickets, i, 1, (gpointer *) &ticket, 1);
          return;
        }
    }
}

/**
 * rd_ticket_model_get_offline:
 *
 * Returns: whether the tickets are the copies kept on this computer
 */
gboolean
rd_ticket_model_get_offline (RdTicketModel *self)
{
  g_return_val_if_fail (RD_IS_TICKET_MODEL (self), FALSE);

  return self->offline;
}
