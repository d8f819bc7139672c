/* rd-ticket-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tickets on the connection of an RdStore (tables of schema v2, see
 * rd-store.c). Every change writes its ticket_history rows in the same
 * transaction as the change. A new ticket takes its number from the "ticket"
 * counter inside the transaction that inserts it, so a number is either
 * committed with its ticket or never handed out, and the counter only grows:
 * numbers are never reused.
 *
 * List queries are put together from fixed SQL fragments; every value from a
 * request is bound to a named parameter.
 *
 * With an RdAssigner set, a ticket created without an assignee, or moved to
 * another group with none, is auto-assigned in the transaction that writes
 * it; the history rows carry the assigner's reason, and "assigned" is
 * emitted once the change is committed.
 */

#define G_LOG_DOMAIN "RdTicketStore"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "rd-assigner.h"
#include "rd-error.h"
#include "rd-check.h"
#include "rd-sqlite.h"
#include "rd-ticket-store.h"


struct _RdTicketStore
{
  GObject  parent_instance;

  RdStore    *store;
  RdAssigner *assigner;
};

G_DEFINE_FINAL_TYPE (RdTicketStore, rd_ticket_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ASSIGNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* the members a user writes, with their columns (history uses the member) */
typedef struct
{
  const char  *member;
  const char  *column;
  gboolean     nullable;
  const char *(*get) (RdTicket *ticket);
} TextColumn;

static const TextColumn text_columns[] = {
  { "external_number", "external_number", TRUE,  rd_ticket_get_external_number },
  { "subject",         "subject",         FALSE, rd_ticket_get_subject },
  { "description",     "description",     FALSE, rd_ticket_get_description },
  { "area",            "area",            FALSE, rd_ticket_get_area },
  { "category",        "category",        FALSE, rd_ticket_get_category },
  { "location_id",     "location_id",     TRUE,  rd_ticket_get_location_id },
  { "asset_id",        "asset_id",        TRUE,  rd_ticket_get_asset_id },
  { "requester",       "requester",       FALSE, rd_ticket_get_requester },
  { "requester_phone", "requester_phone", TRUE,  rd_ticket_get_requester_phone },
  { "assignee",        "assignee",        TRUE,  rd_ticket_get_assignee },
  { "group",           "group_name",      TRUE,  rd_ticket_get_group },
};

#define TICKET_COLUMNS \
  "t.number, t.external_number, t.subject, t.description, t.area, t.priority, t.category," \
  " t.location_id, t.asset_id, t.requester, t.requester_phone, t.assignee, t.group_name," \
  " t.state, t.created_at, t.first_response_at, t.resolved_at, t.closed_at, t.active," \
  " t.last_synced_at, t.sla_response_due, t.sla_resolution_due, t.sla_state, t.created_by," \
  " (SELECT group_concat(call_id, char(31)) FROM" \
  "   (SELECT call_id FROM ticket_calls c WHERE c.number = t.number ORDER BY c.rowid))," \
  " (SELECT count(*) FROM evidence e WHERE e.number = t.number)"

void
rd_ticket_change_free (RdTicketChange *change)
{
  if (change == NULL)
    return;

  g_clear_pointer (&change->at, g_date_time_unref);
  g_free (change->username);
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change->note);
  g_free (change);
}

/* sqlite helpers */

static void
bind_text_named (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *text)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_return_if_fail (index > 0);
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_int64_named (sqlite3_stmt *stmt,
                  const char   *name,
                  gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_return_if_fail (index > 0);
  sqlite3_bind_int64 (stmt, index, value);
}

/* a NULL and an empty text are the same value of a member */
static const char *
value_or_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static RdTicket *
ticket_from_row (sqlite3_stmt  *stmt,
                 char         **created_by)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
  RdTicket *ticket = rd_ticket_new (number);
  RdPriority priority = RD_PRIORITY_NORMAL;
  RdTicketState state = RD_TICKET_STATE_OPEN;
  RdSlaState sla_state = RD_SLA_STATE_OK;
  g_autoptr(GDateTime) created_at = rd_sqlite_column_datetime (stmt, 14);
  g_autoptr(GDateTime) first_response_at = rd_sqlite_column_datetime (stmt, 15);
  g_autoptr(GDateTime) resolved_at = rd_sqlite_column_datetime (stmt, 16);
  g_autoptr(GDateTime) closed_at = rd_sqlite_column_datetime (stmt, 17);
  g_autoptr(GDateTime) last_synced_at = rd_sqlite_column_datetime (stmt, 19);
  g_autoptr(GDateTime) response_due = rd_sqlite_column_datetime (stmt, 20);
  g_autoptr(GDateTime) resolution_due = rd_sqlite_column_datetime (stmt, 21);
  const char *call_ids = rd_sqlite_column_text (stmt, 24);

  /* the CHECK constraints keep these valid; a bad value keeps the default */
  rd_priority_from_string (rd_sqlite_column_text (stmt, 5), &priority);
  rd_ticket_state_from_string (rd_sqlite_column_text (stmt, 13), &state);
  rd_sla_state_from_string (rd_sqlite_column_text (stmt, 22), &sla_state);

  g_object_freeze_notify (G_OBJECT (ticket));
  rd_ticket_set_external_number (ticket, rd_sqlite_column_text (stmt, 1));
  rd_ticket_set_subject (ticket, rd_sqlite_column_text (stmt, 2));
  rd_ticket_set_description (ticket, rd_sqlite_column_text (stmt, 3));
  rd_ticket_set_area (ticket, rd_sqlite_column_text (stmt, 4));
  rd_ticket_set_priority (ticket, priority);
  rd_ticket_set_category (ticket, rd_sqlite_column_text (stmt, 6));
  rd_ticket_set_location_id (ticket, rd_sqlite_column_text (stmt, 7));
  rd_ticket_set_asset_id (ticket, rd_sqlite_column_text (stmt, 8));
  rd_ticket_set_requester (ticket, rd_sqlite_column_text (stmt, 9));
  rd_ticket_set_requester_phone (ticket, rd_sqlite_column_text (stmt, 10));
  rd_ticket_set_assignee (ticket, rd_sqlite_column_text (stmt, 11));
  rd_ticket_set_group (ticket, rd_sqlite_column_text (stmt, 12));
  rd_ticket_set_state (ticket, state);
  rd_ticket_set_created_at (ticket, created_at);
  rd_ticket_set_first_response_at (ticket, first_response_at);
  rd_ticket_set_resolved_at (ticket, resolved_at);
  rd_ticket_set_closed_at (ticket, closed_at);
  rd_ticket_set_active (ticket, sqlite3_column_int (stmt, 18) != 0);
  rd_ticket_set_last_synced_at (ticket, last_synced_at);
  rd_ticket_set_sla_response_due (ticket, response_due);
  rd_ticket_set_sla_resolution_due (ticket, resolution_due);
  rd_ticket_set_sla_state (ticket, sla_state);
  if (call_ids != NULL && call_ids[0] != '\0')
    {
      g_auto(GStrv) split = g_strsplit (call_ids, "\x1f", -1);
      rd_ticket_set_call_ids (ticket, (const char * const *) split);
    }
  rd_ticket_set_evidence_count (ticket, (guint) CLAMP (sqlite3_column_int64 (stmt, 25), 0, G_MAXUINT));
  g_object_thaw_notify (G_OBJECT (ticket));

  if (created_by != NULL)
    *created_by = g_strdup (rd_sqlite_column_text (stmt, 23));

  return ticket;
}

/* Binds ?2…?14 of the INSERT and UPDATE statements, which share the column
 * order of text_columns, then priority and the phone key.
 * Returns: (transfer full) (nullable): the phone key that was bound */
static gpointer
ticket_from_list_row (sqlite3_stmt *stmt)
{
  return ticket_from_row (stmt, NULL);
}

static char *
bind_ticket_columns (sqlite3_stmt *stmt,
                     RdTicket     *ticket)
{
  char *phone_key;

  for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
    {
      const char *value = text_columns[i].get (ticket);

      if (text_columns[i].nullable)
        rd_sqlite_bind_text_or_null (stmt, (int) i + 2, value);
      else
        sqlite3_bind_text (stmt, (int) i + 2, value != NULL ? value : "", -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 13, rd_priority_to_string (rd_ticket_get_priority (ticket)), -1,
                     SQLITE_STATIC);
  phone_key = rd_ticket_store_make_phone_key (rd_ticket_get_requester_phone (ticket));
  rd_sqlite_bind_text_or_null (stmt, 14, phone_key);

  return phone_key;
}

static gboolean
add_history (sqlite3     *db,
             gint64       number,
             gint64       at,
             const char  *username,
             const char  *field,
             const char  *old_value,
             const char  *new_value,
             const char  *note,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO ticket_history (number, at, username, field, old_value, new_value, note)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, number);
  sqlite3_bind_int64 (stmt, 2, at);
  rd_sqlite_bind_text_or_null (stmt, 3, username);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  rd_sqlite_bind_text_or_null (stmt, 5, old_value);
  rd_sqlite_bind_text_or_null (stmt, 6, new_value);
  rd_sqlite_bind_text_or_null (stmt, 7, note);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return rd_sqlite_set_error (db, error, "add ticket history");

  return TRUE;
}

static RdTicket *
get_ticket (sqlite3     *db,
            gint64       number,
            char       **created_by,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rd_sqlite_prepare (db, rd_ticket_store_get_sql (), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, number);

  if (!rd_sqlite_step_one (db, stmt, "get ticket", error, "No ticket %" G_GINT64_FORMAT, number))
    return NULL;

  return ticket_from_row (stmt, created_by);
}

/* public */

/**
 * rd_ticket_number_parse:
 *
 * Reads a ticket number as the API writes it: decimal digits, from 1.
 */
gboolean
rd_ticket_number_parse (const char *text,
                        gint64     *number)
{
  return rd_check_id_parse (text, number);
}

/* Explains a failed INSERT or UPDATE of @ticket in the words of the API. */
static void
set_write_error (sqlite3     *db,
                 RdTicket    *ticket,
                 const char  *what,
                 GError     **error)
{
  switch (sqlite3_extended_errcode (db))
    {
    case SQLITE_CONSTRAINT_UNIQUE:
      g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT,
                   "Another ticket has the external number “%s”",
                   rd_ticket_get_external_number (ticket));
      break;

    case SQLITE_CONSTRAINT_FOREIGNKEY:
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “assignee” names no user");
      break;

    default:
      rd_sqlite_set_error (db, error, what);
      break;
    }
}

/* Ends a change: reads the ticket back inside the transaction, commits, and
 * rolls back if either fails. */
static RdTicket *
commit_and_get (sqlite3  *db,
                gint64    number,
                GError  **error)
{
  g_autoptr(RdTicket) ticket = get_ticket (db, number, NULL, error);

  if (ticket == NULL || !rd_sqlite_commit (db, error))
    {
      rd_sqlite_rollback (db);
      return NULL;
    }

  return g_steal_pointer (&ticket);
}

/**
 * rd_ticket_store_make_phone_key:
 *
 * Returns: (nullable): the digits of @phone, the key `?phone=` matches on, or
 *   %NULL when it has none
 */
char *
rd_ticket_store_make_phone_key (const char *phone)
{
  GString *key;

  if (phone == NULL)
    return NULL;

  key = g_string_new (NULL);
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (key, *p);
    }

  if (key->len == 0)
    {
      g_string_free (key, TRUE);
      return NULL;
    }

  return g_string_free (key, FALSE);
}

/**
 * rd_ticket_store_make_match:
 * @text: what a user typed into a search box
 *
 * Turns free text into an FTS5 expression that cannot be a syntax error: each
 * word becomes a quoted prefix query, and all of them must match.
 *
 * Returns: (nullable): the expression, or %NULL when @text has no word
 */
char *
rd_ticket_store_make_match (const char *text)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;

  words = g_strsplit_set (text, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;

      if (match->len > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append (match, "\"*");
    }

  if (match->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&match), FALSE);
}

/* Stores what rd_assigner_choose() decided for a new ticket: the group it
 * chose (when the ticket had none) and the assignee, each with a history row
 * that says why; "no member available" is a history row on its own. */
static gboolean
write_assignment (sqlite3             *db,
                  gint64               number,
                  gint64               now,
                  const char          *old_group,
                  const RdAssignment  *assignment,
                  GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (assignment->group == NULL)
    return TRUE;

  stmt = rd_sqlite_prepare (db, "UPDATE tickets SET group_name = ?2, assignee = ?3 WHERE number = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, number);
  sqlite3_bind_text (stmt, 2, assignment->group, -1, SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 3, assignment->assignee);
  if (!rd_sqlite_step_done (db, stmt, error))
    return FALSE;

  if (g_strcmp0 (old_group, assignment->group) != 0 &&
      !add_history (db, number, now, NULL, "group", old_group, assignment->group,
                    assignment->group_reason, error))
    return FALSE;

  return add_history (db, number, now, NULL, "assignee", NULL, assignment->assignee,
                      assignment->reason, error);
}

/**
 * rd_ticket_store_create:
 * @draft: the members a user sets (number, state and times are ignored)
 * @username: (nullable): who creates it
 *
 * Inserts a new open ticket with the next number of the "ticket" counter
 * (never below rd_store_get_ticket_number_start()).
 *
 * Returns: (transfer full): the ticket as stored
 */
RdTicket *
rd_ticket_store_create (RdTicketStore  *self,
                        RdTicket       *draft,
                        const char     *username,
                        GError        **error)
{
  g_autoptr(sqlite3_stmt) counter = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_auto(RdAssignment) assignment = { 0 };
  g_autofree char *phone_key = NULL;
  sqlite3 *db;
  gint64 number;
  gint64 now = rd_sqlite_now ();

  g_return_val_if_fail (RD_IS_TICKET_STORE (self), NULL);
  g_return_val_if_fail (RD_IS_TICKET (draft), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return NULL;

  counter = rd_sqlite_prepare (db,
                               "INSERT INTO counters (name, value) VALUES ('ticket', ?1)"
                               " ON CONFLICT (name) DO UPDATE SET value = max(value + 1, ?1)"
                               " RETURNING value",
                               error);
  if (counter == NULL)
    goto fail;
  sqlite3_bind_int64 (counter, 1, rd_store_get_ticket_number_start (self->store));
  if (sqlite3_step (counter) != SQLITE_ROW)
    {
      rd_sqlite_set_error (db, error, "advance ticket counter");
      goto fail;
    }
  number = sqlite3_column_int64 (counter, 0);
  if (sqlite3_step (counter) != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "advance ticket counter");
      goto fail;
    }

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO tickets (number, external_number, subject, description, area, category,"
                            " location_id, asset_id, requester, requester_phone, assignee, group_name,"
                            " priority, requester_phone_key, state, created_by, created_at, updated_at, active)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'open', ?15,"
                            " ?16, ?16, 1)",
                            error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, number);
  phone_key = bind_ticket_columns (stmt, draft);
  rd_sqlite_bind_text_or_null (stmt, 15, username);
  sqlite3_bind_int64 (stmt, 16, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_write_error (db, draft, "add ticket", error);
      goto fail;
    }

  if (!add_history (db, number, now, username, "created", NULL, NULL, NULL, error))
    goto fail;

  if (self->assigner != NULL && value_or_null (rd_ticket_get_assignee (draft)) == NULL)
    {
      if (!rd_assigner_choose (self->assigner, value_or_null (rd_ticket_get_group (draft)),
                               rd_ticket_get_area (draft), rd_ticket_get_category (draft),
                               value_or_null (rd_ticket_get_location_id (draft)), &assignment, error) ||
          !write_assignment (db, number, now, value_or_null (rd_ticket_get_group (draft)),
                             &assignment, error))
        goto fail;
    }

  ticket = commit_and_get (db, number, error);
  if (ticket != NULL && assignment.assignee != NULL)
    g_signal_emit (self, signals[SIGNAL_ASSIGNED], 0, ticket, assignment.assignee);

  return g_steal_pointer (&ticket);

fail:
  rd_sqlite_rollback (db);
  return NULL;
}

/**
 * rd_ticket_store_get:
 * @created_by: (out) (optional) (nullable): who created it
 *
 * Returns: (transfer full): the ticket, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdTicket *
rd_ticket_store_get (RdTicketStore  *self,
                     gint64          number,
                     char          **created_by,
                     GError        **error)
{
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_TICKET_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  return get_ticket (db, number, created_by, error);
}

static char *
strv_to_json (const char * const *values)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* " AND (…)" for the tickets @scope (not ALL) takes in, or " AND 0" for none */
static void
append_scope_terms (GString       *sql,
                    RdTicketScope  scope)
{
  /* plain terms (no "0 OR …"), so that sqlite can use the indexes */
  const char *terms[3];
  guint n_terms = 0;

  if (scope & RD_TICKET_SCOPE_CREATED)
    terms[n_terms++] = "t.created_by = :me";
  if (scope & RD_TICKET_SCOPE_ASSIGNED)
    terms[n_terms++] = "t.assignee = :me";
  if (scope & RD_TICKET_SCOPE_GROUPS)
    terms[n_terms++] = "t.group_name IN (SELECT group_name FROM group_members WHERE username = :me)";

  if (n_terms == 0)
    g_string_append (sql, " AND 0");
  else
    {
      g_string_append (sql, n_terms > 1 ? " AND (" : " AND ");
      for (guint i = 0; i < n_terms; i++)
        g_string_append_printf (sql, "%s%s", i > 0 ? " OR " : "", terms[i]);
      if (n_terms > 1)
        g_string_append_c (sql, ')');
    }
}

/**
 * rd_ticket_store_build_list_sql:
 *
 * The statement rd_ticket_store_list() runs for @filter: fixed fragments with
 * named parameters (:me, :states, :priorities, :area, :assignee, :group, :match,
 * :phone, :since, :before, :limit). Public for the query-plan test.
 *
 * Returns: (transfer full): the SQL
 */
char *
rd_ticket_store_build_list_sql (const RdTicketFilter *filter)
{
  GString *sql = g_string_new ("SELECT " TICKET_COLUMNS);
  gboolean by_match;

  g_return_val_if_fail (filter != NULL, NULL);

  /* With ?q= the full-text index drives, newest match first, so a common
   * word stops at LIMIT instead of listing and sorting every match. */
  by_match = filter->match != NULL;
  if (by_match)
    g_string_append (sql, " FROM tickets_fts f CROSS JOIN tickets t ON t.number = f.rowid"
                          " WHERE f.tickets_fts MATCH :match");
  else
    g_string_append (sql, " FROM tickets t WHERE 1");

  /* a view inside what the user sees needs only its own terms */
  if ((filter->scope & RD_TICKET_SCOPE_ALL) == 0 &&
      (filter->view == 0 || (filter->view & ~filter->scope) != 0))
    append_scope_terms (sql, filter->scope);
  if (filter->view != 0)
    append_scope_terms (sql, filter->view);
  if (filter->states != NULL)
    g_string_append (sql, " AND t.state IN (SELECT value FROM json_each(:states))");
  if (filter->priorities != NULL)
    g_string_append (sql, " AND t.priority IN (SELECT value FROM json_each(:priorities))");
  if (filter->area != NULL)
    g_string_append (sql, " AND t.area = :area");
  if (filter->assignee != NULL)
    g_string_append (sql, " AND t.assignee = :assignee");
  if (filter->group != NULL)
    g_string_append (sql, " AND t.group_name = :group");
  if (filter->phone_key != NULL)
    g_string_append (sql, " AND t.requester_phone_key = :phone");
  if (filter->since != NULL)
    /* a window of recent tickets: tell the planner it is narrow, or it
     * walks the whole table newest first when few tickets match */
    g_string_append (sql, " AND likelihood (t.created_at >= :since, 0.01)");
  if (filter->before > 0)
    g_string_append (sql, by_match ? " AND f.rowid < :before" : " AND t.number < :before");
  g_string_append (sql, by_match ? " ORDER BY f.rowid DESC LIMIT :limit" : " ORDER BY t.number DESC LIMIT :limit");

  return g_string_free (sql, FALSE);
}

/**
 * rd_ticket_store_get_sql:
 *
 * Returns: the statement rd_ticket_store_get() runs, for the query-plan test
 */
const char *
rd_ticket_store_get_sql (void)
{
  return "SELECT " TICKET_COLUMNS " FROM tickets t WHERE t.number = ?1";
}

/**
 * rd_ticket_store_list:
 * @limit: how many at most
 *
 * Returns: (transfer full): the tickets matching @filter, newest number first
 */
GListModel *
rd_ticket_store_list (RdTicketStore         *self,
                      const RdTicketFilter  *filter,
                      guint                  limit,
                      GError               **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_TICKET_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  sql = rd_ticket_store_build_list_sql (filter);
  stmt = rd_sqlite_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;

  if (sqlite3_bind_parameter_index (stmt, ":me") > 0)
    bind_text_named (stmt, ":me", filter->username != NULL ? filter->username : "");
  if (filter->states != NULL)
    {
      g_autofree char *json = strv_to_json (filter->states);
      bind_text_named (stmt, ":states", json);
    }
  if (filter->priorities != NULL)
    {
      g_autofree char *json = strv_to_json (filter->priorities);
      bind_text_named (stmt, ":priorities", json);
    }
  if (filter->area != NULL)
    bind_text_named (stmt, ":area", filter->area);
  if (filter->assignee != NULL)
    bind_text_named (stmt, ":assignee", filter->assignee);
  if (filter->group != NULL)
    bind_text_named (stmt, ":group", filter->group);
  if (filter->match != NULL)
    bind_text_named (stmt, ":match", filter->match);
  if (filter->phone_key != NULL)
    bind_text_named (stmt, ":phone", filter->phone_key);
  if (filter->since != NULL)
    bind_int64_named (stmt, ":since", g_date_time_to_unix (filter->since));
  if (filter->before > 0)
    bind_int64_named (stmt, ":before", filter->before);
  bind_int64_named (stmt, ":limit", limit);

  return rd_sqlite_list (db, stmt, RD_TYPE_TICKET, ticket_from_list_row, "list tickets", error);
}

/**
 * rd_ticket_store_update:
 * @before: the ticket as read from the store
 * @after: the same ticket with the user's changes
 * @username: (nullable): who changes it
 *
 * Writes the user-settable members of @after and one history row for each
 * that differs from @before. Nothing changed writes nothing.
 */
gboolean
rd_ticket_store_update (RdTicketStore  *self,
                        RdTicket       *before,
                        RdTicket       *after,
                        const char     *username,
                        GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *phone_key = NULL;
  g_auto(RdAssignment) assignment = { 0 };
  gint64 number = 0;
  gint64 now = rd_sqlite_now ();
  guint changes = 0;
  gboolean auto_assign;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_TICKET_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_TICKET (before), FALSE);
  g_return_val_if_fail (RD_IS_TICKET (after), FALSE);

  if (!rd_ticket_number_parse (rd_ticket_get_number (before), &number) ||
      g_strcmp0 (rd_ticket_get_number (before), rd_ticket_get_number (after)) != 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INTERNAL, "Ticket numbers do not match");
      return FALSE;
    }

  /* moved to another group, and nobody named: the group's strategy picks */
  auto_assign = self->assigner != NULL &&
                value_or_null (rd_ticket_get_group (after)) != NULL &&
                g_strcmp0 (value_or_null (rd_ticket_get_group (before)),
                           value_or_null (rd_ticket_get_group (after))) != 0 &&
                value_or_null (rd_ticket_get_assignee (after)) == NULL;

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  if (auto_assign)
    {
      if (!rd_assigner_choose (self->assigner, rd_ticket_get_group (after), NULL, NULL, NULL,
                               &assignment, error))
        goto fail;
      rd_ticket_set_assignee (after, assignment.assignee);
    }

  for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
    {
      const char *old_value = value_or_null (text_columns[i].get (before));
      const char *new_value = value_or_null (text_columns[i].get (after));
      gboolean assigned = auto_assign && g_str_equal (text_columns[i].member, "assignee");

      if (g_strcmp0 (old_value, new_value) == 0)
        continue;
      if (!add_history (db, number, now, assigned ? NULL : username, text_columns[i].member,
                        old_value, new_value, assigned ? assignment.reason : NULL, error))
        goto fail;
      changes++;
    }

  if (auto_assign && assignment.assignee == NULL &&
      value_or_null (rd_ticket_get_assignee (before)) == NULL)
    {
      if (!add_history (db, number, now, NULL, "assignee", NULL, NULL, assignment.reason, error))
        goto fail;
    }

  if (rd_ticket_get_priority (before) != rd_ticket_get_priority (after))
    {
      if (!add_history (db, number, now, username, "priority",
                        rd_priority_to_string (rd_ticket_get_priority (before)),
                        rd_priority_to_string (rd_ticket_get_priority (after)), NULL, error))
        goto fail;
      changes++;
    }

  if ((rd_ticket_get_active (before) ? 1 : 0) != (rd_ticket_get_active (after) ? 1 : 0))
    {
      if (!add_history (db, number, now, username, "active",
                        rd_ticket_get_active (before) ? "true" : "false",
                        rd_ticket_get_active (after) ? "true" : "false", NULL, error))
        goto fail;
      changes++;
    }

  if (changes == 0)
    {
      rd_sqlite_rollback (db);
      return TRUE;
    }

  stmt = rd_sqlite_prepare (db,
                            "UPDATE tickets SET external_number = ?2, subject = ?3, description = ?4, area = ?5,"
                            " category = ?6, location_id = ?7, asset_id = ?8, requester = ?9,"
                            " requester_phone = ?10, assignee = ?11, group_name = ?12, priority = ?13,"
                            " requester_phone_key = ?14, active = ?15, updated_at = ?16"
                            " WHERE number = ?1",
                            error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, number);
  phone_key = bind_ticket_columns (stmt, after);
  sqlite3_bind_int (stmt, 15, rd_ticket_get_active (after) ? 1 : 0);
  sqlite3_bind_int64 (stmt, 16, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_write_error (db, after, "update ticket", error);
      goto fail;
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No ticket %" G_GINT64_FORMAT, number);
      goto fail;
    }

  if (!rd_sqlite_commit (db, error))
    goto fail;

  if (assignment.assignee != NULL)
    g_signal_emit (self, signals[SIGNAL_ASSIGNED], 0, after, assignment.assignee);

  return TRUE;

fail:
  rd_sqlite_rollback (db);
  return FALSE;
}

/**
 * rd_ticket_store_transition:
 * @to: the new state
 * @note: (nullable): why; closing needs one (the requester's confirmation)
 * @username: (nullable): who moves it
 *
 * Moves a ticket along rd_ticket_state_can_transition() and sets its times:
 * first_response_at on the first move out of open, resolved_at on every move
 * to resolved (cleared when a resolved ticket is reopened), closed_at on
 * closing. Fails with %RD_ERROR_INVALID_TRANSITION for a move the state
 * machine refuses and %RD_ERROR_MISSING_FIELD for closing without a note.
 *
 * Returns: (transfer full): the ticket after the move
 */
RdTicket *
rd_ticket_store_transition (RdTicketStore  *self,
                            gint64          number,
                            RdTicketState   to,
                            const char     *note,
                            const char     *username,
                            GError        **error)
{
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RdTicketState from = RD_TICKET_STATE_OPEN;
  gint64 now = rd_sqlite_now ();
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_TICKET_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return NULL;

  read = rd_sqlite_prepare (db, "SELECT state FROM tickets WHERE number = ?1", error);
  if (read == NULL)
    goto fail;
  sqlite3_bind_int64 (read, 1, number);
  if (!rd_sqlite_step_one (db, read, "read ticket state", error, "No ticket %" G_GINT64_FORMAT, number))
    goto fail;
  if (!rd_ticket_state_from_string (rd_sqlite_column_text (read, 0), &from))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "Ticket %" G_GINT64_FORMAT " has an unknown state", number);
      goto fail;
    }

  if (!rd_ticket_state_can_transition (from, to))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Ticket %" G_GINT64_FORMAT " cannot go from %s to %s", number,
                   rd_ticket_state_to_string (from), rd_ticket_state_to_string (to));
      goto fail;
    }

  if (to == RD_TICKET_STATE_CLOSED)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (note != NULL ? note : ""));

      if (stripped[0] == '\0')
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                               "Field “note” is required to close a ticket: record the "
                               "requester's confirmation");
          goto fail;
        }
    }

  stmt = rd_sqlite_prepare (db,
                            "UPDATE tickets SET state = ?2, updated_at = ?3,"
                            " first_response_at = CASE WHEN first_response_at IS NULL AND ?4 = 'open'"
                            "   THEN ?3 ELSE first_response_at END,"
                            " resolved_at = CASE WHEN ?2 = 'resolved' THEN ?3"
                            "   WHEN ?4 = 'resolved' AND ?2 = 'in_progress' THEN NULL ELSE resolved_at END,"
                            " closed_at = CASE WHEN ?2 = 'closed' THEN ?3 ELSE closed_at END"
                            " WHERE number = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, number);
  sqlite3_bind_text (stmt, 2, rd_ticket_state_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, rd_ticket_state_to_string (from), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "move ticket");
      goto fail;
    }

  if (!add_history (db, number, now, username, "state", rd_ticket_state_to_string (from),
                    rd_ticket_state_to_string (to), note, error))
    goto fail;

  return commit_and_get (db, number, error);

fail:
  rd_sqlite_rollback (db);
  return NULL;
}

/**
 * rd_ticket_store_get_history:
 *
 * Returns: (transfer full) (element-type RdTicketChange): the audit trail,
 *   oldest first; %RD_ERROR_NOT_FOUND for an unknown ticket
 */
GPtrArray *
rd_ticket_store_get_history (RdTicketStore  *self,
                             gint64          number,
                             GError        **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_ticket_change_free);
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (RD_IS_TICKET_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  exists = rd_sqlite_prepare (db, "SELECT 1 FROM tickets WHERE number = ?1", error);
  if (exists == NULL)
    return NULL;
  sqlite3_bind_int64 (exists, 1, number);
  if (!rd_sqlite_step_one (db, exists, "find ticket", error, "No ticket %" G_GINT64_FORMAT, number))
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "SELECT id, at, username, field, old_value, new_value, note FROM ticket_history"
                            " WHERE number = ?1 ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, number);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RdTicketChange *change = g_new0 (RdTicketChange, 1);

      change->id = sqlite3_column_int64 (stmt, 0);
      change->at = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 1));
      change->username = g_strdup (rd_sqlite_column_text (stmt, 2));
      change->field = g_strdup (rd_sqlite_column_text (stmt, 3));
      change->old_value = g_strdup (rd_sqlite_column_text (stmt, 4));
      change->new_value = g_strdup (rd_sqlite_column_text (stmt, 5));
      change->note = g_strdup (rd_sqlite_column_text (stmt, 6));
      g_ptr_array_add (changes, change);
    }
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "read ticket history");
      return NULL;
    }

  return g_steal_pointer (&changes);
}

/* GObject */

static void
rd_ticket_store_finalize (GObject *object)
{
  RdTicketStore *self = (RdTicketStore *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->assigner);

  G_OBJECT_CLASS (rd_ticket_store_parent_class)->finalize (object);
}

static void
rd_ticket_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RdTicketStore *self = RD_TICKET_STORE (object);

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
rd_ticket_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RdTicketStore *self = RD_TICKET_STORE (object);

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
rd_ticket_store_class_init (RdTicketStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_ticket_store_finalize;
  object_class->get_property = rd_ticket_store_get_property;
  object_class->set_property = rd_ticket_store_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdTicketStore::assigned:
   * @ticket: the ticket as stored
   * @username: who it was auto-assigned to
   *
   * Emitted after a change that auto-assigned a ticket was committed (the
   * lead's wiring publishes ticket.assigned from it).
   */
  signals[SIGNAL_ASSIGNED] =
    g_signal_new ("assigned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, RD_TYPE_TICKET, G_TYPE_STRING);
}

/**
 * rd_ticket_store_set_assigner:
 * @assigner: (nullable): what picks groups and members; %NULL turns
 *   auto-assignment off
 */
void
rd_ticket_store_set_assigner (RdTicketStore *self,
                              RdAssigner    *assigner)
{
  g_return_if_fail (RD_IS_TICKET_STORE (self));
  g_return_if_fail (assigner == NULL || RD_IS_ASSIGNER (assigner));

  g_set_object (&self->assigner, assigner);
}

static void
rd_ticket_store_init (RdTicketStore *self)
{
}

/**
 * rd_ticket_store_new:
 * @store: the open or closed store whose connection to use
 */
RdTicketStore *
rd_ticket_store_new (RdStore *store)
{
  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  return g_object_new (RD_TYPE_TICKET_STORE, "store", store, NULL);
}
