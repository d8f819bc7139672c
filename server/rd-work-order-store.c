/* rd-work-order-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Work orders (schema v3, see rd-store.c), the Django module's "convert to
 * work order": a row in work_orders with its own number from the
 * "work_order" counter and a copy of the ticket's members, linked both ways
 * (work_orders.ticket_number, tickets.work_order), with a history row on the
 * ticket, all in one transaction. A ticket has one work order at most
 * (%RD_ERROR_CONFLICT); a cancelled ticket gets none.
 */

#define G_LOG_DOMAIN "RdWorkOrderStore"

#include "config.h"

#include <sqlite3.h>

#include "rd-check.h"
#include "rd-error.h"
#include "rd-sqlite.h"
#include "rd-work-order-store.h"

struct _RdWorkOrderStore
{
  GObject  parent_instance;

  RdStore *store;
};

G_DEFINE_FINAL_TYPE (RdWorkOrderStore, rd_work_order_store, G_TYPE_OBJECT)

#define WORK_ORDER_COLUMNS \
  "number, ticket_number, state, created_by, created_at, subject, description, area, priority," \
  " category, location_id, asset_id, requester, requester_phone, assignee, group_name"

void
rd_work_order_free (RdWorkOrder *order)
{
  if (order == NULL)
    return;

  g_free (order->state);
  g_free (order->created_by);
  g_clear_pointer (&order->created_at, g_date_time_unref);
  g_clear_object (&order->fields);
  g_free (order);
}

static RdWorkOrder *
order_from_row (sqlite3_stmt *stmt)
{
  RdWorkOrder *order = g_new0 (RdWorkOrder, 1);
  g_autofree char *ticket = NULL;
  RdPriority priority = RD_PRIORITY_NORMAL;

  order->number = sqlite3_column_int64 (stmt, 0);
  order->ticket = sqlite3_column_int64 (stmt, 1);
  order->state = g_strdup (rd_sqlite_column_text (stmt, 2));
  order->created_by = g_strdup (rd_sqlite_column_text (stmt, 3));
  order->created_at = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 4));

  ticket = g_strdup_printf ("%" G_GINT64_FORMAT, order->ticket);
  order->fields = rd_ticket_new (ticket);
  rd_priority_from_string (rd_sqlite_column_text (stmt, 8), &priority);
  rd_ticket_set_subject (order->fields, rd_sqlite_column_text (stmt, 5));
  rd_ticket_set_description (order->fields, rd_sqlite_column_text (stmt, 6));
  rd_ticket_set_area (order->fields, rd_sqlite_column_text (stmt, 7));
  rd_ticket_set_priority (order->fields, priority);
  rd_ticket_set_category (order->fields, rd_sqlite_column_text (stmt, 9));
  rd_ticket_set_location_id (order->fields, rd_sqlite_column_text (stmt, 10));
  rd_ticket_set_asset_id (order->fields, rd_sqlite_column_text (stmt, 11));
  rd_ticket_set_requester (order->fields, rd_sqlite_column_text (stmt, 12));
  rd_ticket_set_requester_phone (order->fields, rd_sqlite_column_text (stmt, 13));
  rd_ticket_set_assignee (order->fields, rd_sqlite_column_text (stmt, 14));
  rd_ticket_set_group (order->fields, rd_sqlite_column_text (stmt, 15));

  return order;
}

static RdWorkOrder *
get_for_ticket (sqlite3     *db,
                gint64       ticket,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rd_sqlite_prepare (db, "SELECT " WORK_ORDER_COLUMNS " FROM work_orders WHERE ticket_number = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, ticket);
  if (!rd_sqlite_step_one (db, stmt, "get work order",
                           error, "Ticket %" G_GINT64_FORMAT " has no work order", ticket))
    return NULL;

  return order_from_row (stmt);
}

/**
 * rd_work_order_store_get_for_ticket:
 *
 * Returns: (transfer full): the ticket's work order, or %NULL with
 *   %RD_ERROR_NOT_FOUND
 */
RdWorkOrder *
rd_work_order_store_get_for_ticket (RdWorkOrderStore  *self,
                                    gint64             ticket,
                                    GError           **error)
{
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_WORK_ORDER_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  return get_for_ticket (db, ticket, error);
}

/**
 * rd_work_order_store_create:
 * @username: (nullable): who converts the ticket
 *
 * Makes the work order of @ticket. %RD_ERROR_NOT_FOUND for no such ticket,
 * %RD_ERROR_CONFLICT when it has one, %RD_ERROR_INVALID_TRANSITION when it
 * is cancelled.
 *
 * Returns: (transfer full): the new work order
 */
RdWorkOrder *
rd_work_order_store_create (RdWorkOrderStore  *self,
                            gint64             ticket,
                            const char        *username,
                            GError           **error)
{
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) counter = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) link = NULL;
  g_autoptr(sqlite3_stmt) history = NULL;
  g_autoptr(RdWorkOrder) order = NULL;
  g_autofree char *number_text = NULL;
  gint64 now = rd_sqlite_now ();
  gint64 number;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_WORK_ORDER_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return NULL;

  read = rd_sqlite_prepare (db, "SELECT state, work_order FROM tickets WHERE number = ?1", error);
  if (read == NULL)
    goto fail;
  sqlite3_bind_int64 (read, 1, ticket);
  if (!rd_sqlite_step_one (db, read, "read ticket", error, "No ticket %" G_GINT64_FORMAT, ticket))
    goto fail;
  if (sqlite3_column_type (read, 1) != SQLITE_NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT,
                   "Ticket %" G_GINT64_FORMAT " already has work order %" G_GINT64_FORMAT, ticket,
                   (gint64) sqlite3_column_int64 (read, 1));
      goto fail;
    }
  if (g_strcmp0 (rd_sqlite_column_text (read, 0), "cancelled") == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Ticket %" G_GINT64_FORMAT " is cancelled and cannot become a work order", ticket);
      goto fail;
    }

  counter = rd_sqlite_prepare (db,
                               "INSERT INTO counters (name, value) VALUES ('work_order', 1)"
                               " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                               error);
  if (counter == NULL)
    goto fail;
  if (sqlite3_step (counter) != SQLITE_ROW)
    {
      rd_sqlite_set_error (db, error, "advance work order counter");
      goto fail;
    }
  number = sqlite3_column_int64 (counter, 0);
  if (sqlite3_step (counter) != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "advance work order counter");
      goto fail;
    }

  insert = rd_sqlite_prepare (db,
                              "INSERT INTO work_orders (number, ticket_number, state, created_by, created_at,"
                              " subject, description, area, priority, category, location_id, asset_id,"
                              " requester, requester_phone, assignee, group_name)"
                              " SELECT ?1, number, 'open', ?2, ?3, subject, description, area, priority,"
                              " category, location_id, asset_id, requester, requester_phone, assignee,"
                              " group_name FROM tickets WHERE number = ?4",
                              error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_int64 (insert, 1, number);
  rd_sqlite_bind_text_or_null (insert, 2, username);
  sqlite3_bind_int64 (insert, 3, now);
  sqlite3_bind_int64 (insert, 4, ticket);
  if (!rd_sqlite_step_done (db, insert, error))
    goto fail;

  link = rd_sqlite_prepare (db, "UPDATE tickets SET work_order = ?2, updated_at = ?3 WHERE number = ?1", error);
  if (link == NULL)
    goto fail;
  sqlite3_bind_int64 (link, 1, ticket);
  sqlite3_bind_int64 (link, 2, number);
  sqlite3_bind_int64 (link, 3, now);
  if (!rd_sqlite_step_done (db, link, error))
    goto fail;

  number_text = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  history = rd_sqlite_prepare (db,
                               "INSERT INTO ticket_history (number, at, username, field, old_value, new_value, note)"
                               " VALUES (?1, ?2, ?3, 'work_order', NULL, ?4, ?5)",
                               error);
  if (history == NULL)
    goto fail;
  sqlite3_bind_int64 (history, 1, ticket);
  sqlite3_bind_int64 (history, 2, now);
  rd_sqlite_bind_text_or_null (history, 3, username);
  sqlite3_bind_text (history, 4, number_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (history, 5, "converted to a work order", -1, SQLITE_STATIC);
  if (!rd_sqlite_step_done (db, history, error))
    goto fail;

  order = get_for_ticket (db, ticket, error);
  if (order == NULL || !rd_sqlite_commit (db, error))
    goto fail;

  return g_steal_pointer (&order);

fail:
  rd_sqlite_rollback (db);
  return NULL;
}

/* GObject */

static void
rd_work_order_store_finalize (GObject *object)
{
  RdWorkOrderStore *self = (RdWorkOrderStore *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rd_work_order_store_parent_class)->finalize (object);
}

static void
rd_work_order_store_class_init (RdWorkOrderStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_work_order_store_finalize;
}

static void
rd_work_order_store_init (RdWorkOrderStore *self)
{
}

RdWorkOrderStore *
rd_work_order_store_new (RdStore *store)
{
  RdWorkOrderStore *self;

  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  self = g_object_new (RD_TYPE_WORK_ORDER_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}
