/* rd-call-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Calls on the connection of an RdStore (tables of schema v3, see
 * rd-store.c). A call and all its hops are written in one transaction, so a
 * reader never sees a call without the hops it had when it was saved. A new
 * call takes its id from the "call" counter inside that transaction.
 * Tickets are bound to calls through ticket_calls (schema v2), the table
 * tickets read their call_ids from, so the binding holds both ways.
 *
 * Times are Unix seconds. Every value is bound, never formatted into SQL.
 */

#define G_LOG_DOMAIN "RdCallStore"

#include "config.h"

#include <sqlite3.h>

#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-check.h"
#include "rd-sqlite.h"
#include "rd-call-store.h"
#include "rd-ticket-store.h"

struct _RdCallStore
{
  GObject  parent_instance;

  RdStore *store;
};

G_DEFINE_FINAL_TYPE (RdCallStore, rd_call_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CALL_COLUMNS \
  "c.id, c.direction, c.from_number, c.to_number, c.ddi, c.trunk, c.started_at, c.answered_at," \
  " c.ended_at, c.state, c.outcome, c.customer, c.recording_id," \
  " (SELECT group_concat(number, ';') FROM" \
  "   (SELECT number FROM ticket_calls t WHERE t.call_id = CAST(c.id AS TEXT) ORDER BY t.rowid))"

/**
 * rd_call_id_parse:
 *
 * Reads a call id as the API writes it: decimal digits, from 1.
 */
gboolean
rd_call_id_parse (const char *text,
                  gint64     *id)
{
  return rd_check_id_parse (text, id);
}

/**
 * rd_call_store_rang_at:
 * @extension: (nullable): an extension
 *
 * Returns: whether @call has a hop at @extension (it rang there)
 */
gboolean
rd_call_store_rang_at (RdCall     *call,
                       const char *extension)
{
  GListModel *hops;

  g_return_val_if_fail (RD_IS_CALL (call), FALSE);

  hops = rd_call_get_hops (call);
  for (guint i = 0; extension != NULL && i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);

      if (g_strcmp0 (rd_hop_get_extension (hop), extension) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
read_hops (sqlite3  *db,
           RdCall   *call,
           gint64    id,
           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GListStore) hops = g_list_store_new (RD_TYPE_HOP);
  int rc;

  stmt = rd_sqlite_prepare (db,
                            "SELECT extension, ticket, rung_at, answered_at, ended_at, outcome"
                            " FROM call_hops WHERE call_id = ?1 ORDER BY position",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RdHop) hop = rd_hop_new (rd_sqlite_column_text (stmt, 0));
      g_autoptr(GDateTime) rung_at = rd_sqlite_column_datetime (stmt, 2);
      g_autoptr(GDateTime) answered_at = rd_sqlite_column_datetime (stmt, 3);
      g_autoptr(GDateTime) ended_at = rd_sqlite_column_datetime (stmt, 4);
      RdHopOutcome outcome = RD_HOP_OUTCOME_NONE;

      if (rd_sqlite_column_text (stmt, 5) != NULL)
        rd_hop_outcome_from_string (rd_sqlite_column_text (stmt, 5), &outcome);
      rd_hop_set_ticket (hop, rd_sqlite_column_text (stmt, 1));
      rd_hop_set_rung_at (hop, rung_at);
      rd_hop_set_answered_at (hop, answered_at);
      rd_hop_set_ended_at (hop, ended_at);
      rd_hop_set_outcome (hop, outcome);
      g_list_store_append (hops, hop);
    }
  if (rc != SQLITE_DONE)
    return rd_sqlite_set_error (db, error, "read hops");

  rd_call_set_hops (call, G_LIST_MODEL (hops));
  return TRUE;
}

static RdCall *
call_from_row (sqlite3       *db,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(RdCall) call = rd_call_new (id_text);
  g_autoptr(GDateTime) started_at = rd_sqlite_column_datetime (stmt, 6);
  g_autoptr(GDateTime) answered_at = rd_sqlite_column_datetime (stmt, 7);
  g_autoptr(GDateTime) ended_at = rd_sqlite_column_datetime (stmt, 8);
  RdCallDirection direction = RD_CALL_DIRECTION_IN;
  RdCallState state = RD_CALL_STATE_RINGING;
  RdCallOutcome outcome = RD_CALL_OUTCOME_NONE;
  const char *customer = rd_sqlite_column_text (stmt, 11);
  const char *tickets = rd_sqlite_column_text (stmt, 13);

  /* the CHECK constraints keep these valid; a bad value keeps the default */
  rd_call_direction_from_string (rd_sqlite_column_text (stmt, 1), &direction);
  rd_call_state_from_string (rd_sqlite_column_text (stmt, 9), &state);
  if (rd_sqlite_column_text (stmt, 10) != NULL)
    rd_call_outcome_from_string (rd_sqlite_column_text (stmt, 10), &outcome);

  rd_call_set_direction (call, direction);
  rd_call_set_from (call, rd_sqlite_column_text (stmt, 2));
  rd_call_set_to (call, rd_sqlite_column_text (stmt, 3));
  rd_call_set_ddi (call, rd_sqlite_column_text (stmt, 4));
  rd_call_set_trunk (call, rd_sqlite_column_text (stmt, 5));
  rd_call_set_started_at (call, started_at);
  rd_call_set_answered_at (call, answered_at);
  rd_call_set_ended_at (call, ended_at);
  rd_call_set_state (call, state);
  rd_call_set_outcome (call, outcome);
  rd_call_set_recording_id (call, rd_sqlite_column_text (stmt, 12));

  if (customer != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RdCustomer) matched = rd_codec_new_from_json_string (RD_TYPE_CUSTOMER, customer, -1,
                                                                     &local_error);

      if (matched != NULL)
        rd_call_set_customer (call, matched);
      else
        g_warning ("call %s: stored customer unreadable: %s", id_text, local_error->message);
    }

  if (tickets != NULL && tickets[0] != '\0')
    {
      g_auto(GStrv) split = g_strsplit (tickets, ";", -1);
      rd_call_set_tickets (call, (const char * const *) split);
    }

  if (!read_hops (db, call, id, error))
    return NULL;

  return g_steal_pointer (&call);
}

static gboolean
write_hops (sqlite3  *db,
            RdCall   *call,
            gint64    id,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  GListModel *hops = rd_call_get_hops (call);

  del = rd_sqlite_prepare (db, "DELETE FROM call_hops WHERE call_id = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, id);
  if (!rd_sqlite_step_done (db, del, error))
    return FALSE;

  ins = rd_sqlite_prepare (db,
                           "INSERT INTO call_hops (call_id, position, extension, ticket, rung_at,"
                           " answered_at, ended_at, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           error);
  if (ins == NULL)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);
      RdHopOutcome outcome = rd_hop_get_outcome (hop);
      GDateTime *rung_at = rd_hop_get_rung_at (hop);

      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, id);
      sqlite3_bind_int64 (ins, 2, i);
      sqlite3_bind_text (ins, 3, rd_hop_get_extension (hop) ? rd_hop_get_extension (hop) : "", -1,
                         SQLITE_TRANSIENT);
      rd_sqlite_bind_text_or_null (ins, 4, rd_hop_get_ticket (hop));
      if (rung_at != NULL)
        rd_sqlite_bind_datetime (ins, 5, rung_at);
      else
        rd_sqlite_bind_datetime (ins, 5, rd_call_get_started_at (call));
      rd_sqlite_bind_datetime (ins, 6, rd_hop_get_answered_at (hop));
      rd_sqlite_bind_datetime (ins, 7, rd_hop_get_ended_at (hop));
      rd_sqlite_bind_text_or_null (ins, 8, outcome != RD_HOP_OUTCOME_NONE
                                           ? rd_hop_outcome_to_string (outcome) : NULL);
      if (!rd_sqlite_step_done (db, ins, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * rd_call_store_save:
 * @call: the call; when it has no id yet, it gets the next one of the "call"
 *   counter (set on @call)
 * @link: (nullable): the name of the link that reported it
 * @link_call_id: (nullable): the link's own id of the call
 *
 * Writes the call and replaces its hops, in one transaction. The tickets of
 * the call are bound with rd_call_store_bind_ticket(), not here.
 */
gboolean
rd_call_store_save (RdCallStore  *self,
                    RdCall       *call,
                    const char   *link,
                    const char   *link_call_id,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *from_key = NULL;
  RdCallOutcome outcome;
  sqlite3 *db;
  gint64 id = 0;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_CALL (call), FALSE);

  if (rd_call_get_id (call) != NULL && !rd_call_id_parse (rd_call_get_id (call), &id))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INTERNAL, "Call id “%s” is not a number",
                   rd_call_get_id (call));
      return FALSE;
    }

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  if (id == 0)
    {
      g_autoptr(sqlite3_stmt) counter = NULL;
      g_autofree char *id_text = NULL;

      counter = rd_sqlite_prepare (db,
                                   "INSERT INTO counters (name, value) VALUES ('call', 1)"
                                   " ON CONFLICT (name) DO UPDATE SET value = value + 1"
                                   " RETURNING value",
                                   error);
      if (counter == NULL)
        goto fail;
      if (sqlite3_step (counter) != SQLITE_ROW)
        {
          rd_sqlite_set_error (db, error, "advance call counter");
          goto fail;
        }
      id = sqlite3_column_int64 (counter, 0);
      if (!rd_sqlite_step_done (db, counter, error))
        goto fail;
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      rd_call_set_id (call, id_text);
    }

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO calls (id, link, link_call_id, direction, from_number, from_key,"
                            " to_number, ddi, trunk, started_at, answered_at, ended_at, state, outcome,"
                            " customer, recording_id)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
                            " ON CONFLICT (id) DO UPDATE SET link = ?2, link_call_id = ?3, direction = ?4,"
                            " from_number = ?5, from_key = ?6, to_number = ?7, ddi = ?8, trunk = ?9,"
                            " started_at = ?10, answered_at = ?11, ended_at = ?12, state = ?13,"
                            " outcome = ?14, customer = ?15, recording_id = ?16",
                            error);
  if (stmt == NULL)
    goto fail;

  if (rd_call_get_customer (call) != NULL)
    customer = rd_codec_to_json_string (RD_CODEC (rd_call_get_customer (call)));
  from_key = rd_ticket_store_make_phone_key (rd_call_get_from (call));
  outcome = rd_call_get_outcome (call);

  sqlite3_bind_int64 (stmt, 1, id);
  rd_sqlite_bind_text_or_null (stmt, 2, link);
  rd_sqlite_bind_text_or_null (stmt, 3, link_call_id);
  sqlite3_bind_text (stmt, 4, rd_call_direction_to_string (rd_call_get_direction (call)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rd_call_get_from (call) ? rd_call_get_from (call) : "", -1,
                     SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 6, from_key);
  sqlite3_bind_text (stmt, 7, rd_call_get_to (call) ? rd_call_get_to (call) : "", -1,
                     SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 8, rd_call_get_ddi (call));
  rd_sqlite_bind_text_or_null (stmt, 9, rd_call_get_trunk (call));
  if (rd_call_get_started_at (call) != NULL)
    rd_sqlite_bind_datetime (stmt, 10, rd_call_get_started_at (call));
  else
    sqlite3_bind_int64 (stmt, 10, rd_sqlite_now ());
  rd_sqlite_bind_datetime (stmt, 11, rd_call_get_answered_at (call));
  rd_sqlite_bind_datetime (stmt, 12, rd_call_get_ended_at (call));
  sqlite3_bind_text (stmt, 13, rd_call_state_to_string (rd_call_get_state (call)), -1, SQLITE_STATIC);
  rd_sqlite_bind_text_or_null (stmt, 14, outcome != RD_CALL_OUTCOME_NONE
                                         ? rd_call_outcome_to_string (outcome) : NULL);
  rd_sqlite_bind_text_or_null (stmt, 15, customer);
  rd_sqlite_bind_text_or_null (stmt, 16, rd_call_get_recording_id (call));

  if (!rd_sqlite_step_done (db, stmt, error) ||
      !write_hops (db, call, id, error) ||
      !rd_sqlite_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rd_sqlite_rollback (db);
  return FALSE;
}

/**
 * rd_call_store_get:
 *
 * Returns: (transfer full): the call with its hops and ticket numbers, or
 *   %NULL with %RD_ERROR_NOT_FOUND
 */
RdCall *
rd_call_store_get (RdCallStore  *self,
                   const char   *id,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  gint64 number = 0;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), NULL);

  if (!rd_call_id_parse (id, &number))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No call “%.32s”", id != NULL ? id : "");
      return NULL;
    }

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db, "SELECT " CALL_COLUMNS " FROM calls c WHERE c.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, number);

  if (!rd_sqlite_step_one (db, stmt, "get call", error, "No call %" G_GINT64_FORMAT, number))
    return NULL;

  return call_from_row (db, stmt, error);
}

static GListModel *
list_query (sqlite3       *db,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autoptr(GListStore) list = g_list_store_new (RD_TYPE_CALL);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RdCall) call = call_from_row (db, stmt, error);

      if (call == NULL)
        return NULL;
      g_list_store_append (list, call);
    }
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "list calls");
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

/**
 * rd_call_store_list:
 *
 * Returns: (transfer full): the calls matching @filter, newest id first
 */
GListModel *
rd_call_store_list (RdCallStore         *self,
                    const RdCallFilter  *filter,
                    guint                limit,
                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  /* every condition is fixed; an unset one is switched off by a NULL value */
  stmt = rd_sqlite_prepare (db,
                            "SELECT " CALL_COLUMNS " FROM calls c WHERE"
                            " (?1 IS NULL OR c.started_at >= ?1)"
                            " AND (?2 IS NULL OR c.id IN (SELECT call_id FROM call_hops WHERE extension = ?2))"
                            " AND (?3 IS NULL OR c.from_key = ?3)"
                            " AND (?4 = 0 OR c.id IN (SELECT call_id FROM call_hops WHERE extension = ?5))"
                            " AND (?6 = 0 OR c.id < ?6)"
                            " ORDER BY c.id DESC LIMIT ?7",
                            error);
  if (stmt == NULL)
    return NULL;

  if (filter->since != NULL)
    rd_sqlite_bind_datetime (stmt, 1, filter->since);
  rd_sqlite_bind_text_or_null (stmt, 2, filter->extension);
  rd_sqlite_bind_text_or_null (stmt, 3, filter->phone_key);
  sqlite3_bind_int (stmt, 4, filter->restricted ? 1 : 0);
  rd_sqlite_bind_text_or_null (stmt, 5, filter->visible_to);
  sqlite3_bind_int64 (stmt, 6, filter->before);
  sqlite3_bind_int64 (stmt, 7, limit);

  return list_query (db, stmt, error);
}

/**
 * rd_call_store_list_live:
 *
 * Returns: (transfer full): the calls not ended, oldest first (after a
 *   restart, the ones to reconcile)
 */
GListModel *
rd_call_store_list_live (RdCallStore  *self,
                         GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db, "SELECT " CALL_COLUMNS " FROM calls c WHERE c.state <> 'ended' ORDER BY c.id",
                            error);
  if (stmt == NULL)
    return NULL;

  return list_query (db, stmt, error);
}

/**
 * rd_call_store_bind_ticket:
 *
 * Binds ticket @number and call @call_id both ways (the ticket's call_ids and
 * the call's tickets); binding twice does nothing. Fails with
 * %RD_ERROR_NOT_FOUND when either does not exist.
 */
gboolean
rd_call_store_bind_ticket (RdCallStore  *self,
                           const char   *call_id,
                           gint64        number,
                           GError      **error)
{
  g_autoptr(sqlite3_stmt) check = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  gint64 id = 0;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), FALSE);

  if (!rd_call_id_parse (call_id, &id))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No call “%.32s”", call_id != NULL ? call_id : "");
      return FALSE;
    }

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  check = rd_sqlite_prepare (db,
                             "SELECT (SELECT count(*) FROM calls WHERE id = ?1),"
                             " (SELECT count(*) FROM tickets WHERE number = ?2)",
                             error);
  if (check == NULL)
    goto fail;
  sqlite3_bind_int64 (check, 1, id);
  sqlite3_bind_int64 (check, 2, number);
  if (sqlite3_step (check) != SQLITE_ROW)
    {
      rd_sqlite_set_error (db, error, "find call and ticket");
      goto fail;
    }
  if (sqlite3_column_int (check, 0) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No call %" G_GINT64_FORMAT, id);
      goto fail;
    }
  if (sqlite3_column_int (check, 1) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No ticket %" G_GINT64_FORMAT, number);
      goto fail;
    }

  stmt = rd_sqlite_prepare (db, "INSERT OR IGNORE INTO ticket_calls (number, call_id) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, number);
  sqlite3_bind_text (stmt, 2, call_id, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_done (db, stmt, error) || !rd_sqlite_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rd_sqlite_rollback (db);
  return FALSE;
}

/**
 * rd_call_store_find_mobile:
 *
 * Returns: (transfer full) (nullable): the mobile number of the active user
 *   at @extension, %NULL (without error) when there is none
 */
char *
rd_call_store_find_mobile (RdCallStore  *self,
                           const char   *extension,
                           GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), NULL);

  if (extension == NULL || (db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "SELECT mobile FROM users WHERE extension = ?1 AND active = 1"
                            " AND mobile IS NOT NULL AND mobile <> '' ORDER BY username LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, extension, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup (rd_sqlite_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    rd_sqlite_set_error (db, error, "find mobile");

  return NULL;
}

/**
 * rd_call_store_get_hunt_position:
 * @position: (out): the stored position, untouched when there is none
 *
 * Returns: %TRUE when a position was stored for @name
 */
gboolean
rd_call_store_get_hunt_position (RdCallStore  *self,
                                 const char   *name,
                                 gint64       *position,
                                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  stmt = rd_sqlite_prepare (db, "SELECT position FROM hunt_positions WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *position = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    rd_sqlite_set_error (db, error, "read hunt position");

  return FALSE;
}

gboolean
rd_call_store_set_hunt_position (RdCallStore  *self,
                                 const char   *name,
                                 gint64        position,
                                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CALL_STORE (self), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO hunt_positions (name, position) VALUES (?1, ?2)"
                            " ON CONFLICT (name) DO UPDATE SET position = ?2",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, position);

  return rd_sqlite_step_done (db, stmt, error);
}

/* GObject */

static void
rd_call_store_finalize (GObject *object)
{
  RdCallStore *self = (RdCallStore *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rd_call_store_parent_class)->finalize (object);
}

static void
rd_call_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RdCallStore *self = RD_CALL_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_store_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RdCallStore *self = RD_CALL_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_store_class_init (RdCallStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_call_store_finalize;
  object_class->get_property = rd_call_store_get_property;
  object_class->set_property = rd_call_store_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_call_store_init (RdCallStore *self)
{
}

/**
 * rd_call_store_new:
 * @store: the store whose connection to use
 */
RdCallStore *
rd_call_store_new (RdStore *store)
{
  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  return g_object_new (RD_TYPE_CALL_STORE, "store", store, NULL);
}
