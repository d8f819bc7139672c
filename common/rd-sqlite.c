/* rd-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prepared statements only: nothing here takes SQL built from input.
 */

#define G_LOG_DOMAIN "RdSqlite"

#include "config.h"

#include "rd-error.h"
#include "rd-sqlite.h"

/**
 * rd_sqlite_set_error:
 * @what: the step that failed, for the message
 *
 * Sets @error from the connection's last error: constraint violations on a
 * key are %RD_ERROR_CONFLICT, foreign keys %RD_ERROR_INVALID_FIELD, a busy or
 * locked database %RD_ERROR_UNAVAILABLE, anything else %RD_ERROR_INTERNAL.
 *
 * Returns: %FALSE, so callers can `return rd_sqlite_set_error (…)`
 */
gboolean
rd_sqlite_set_error (sqlite3     *db,
                     GError     **error,
                     const char  *what)
{
  int code = sqlite3_extended_errcode (db);
  RdError rd_code = RD_ERROR_INTERNAL;

  if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE)
    rd_code = RD_ERROR_CONFLICT;
  else if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    rd_code = RD_ERROR_INVALID_FIELD;
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    rd_code = RD_ERROR_UNAVAILABLE;

  g_set_error (error, RD_ERROR, rd_code, "Database error (%s): %s", what, sqlite3_errmsg (db));
  return FALSE;
}

/**
 * rd_sqlite_prepare:
 *
 * Returns: (transfer full) (nullable): the statement, or %NULL with @error set
 */
sqlite3_stmt *
rd_sqlite_prepare (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      rd_sqlite_set_error (db, error, "prepare");
      return NULL;
    }

  return stmt;
}

/* Runs a statement whose rows, if any, are not wanted. */
gboolean
rd_sqlite_step_done (sqlite3       *db,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return rd_sqlite_set_error (db, error, "step");

  return TRUE;
}

/**
 * rd_sqlite_step_one:
 * @what: the step, for the message of a failure
 * @not_found: printf() format of the message when there is no row
 *
 * Steps @stmt to its first row.
 *
 * Returns: %TRUE on a row; %FALSE with %RD_ERROR_NOT_FOUND when there is
 *   none, or with the error of rd_sqlite_set_error() when the step fails
 */
gboolean
rd_sqlite_step_one (sqlite3       *db,
                    sqlite3_stmt  *stmt,
                    const char    *what,
                    GError       **error,
                    const char    *not_found,
                    ...)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    {
      g_autofree char *message = NULL;
      va_list args;

      va_start (args, not_found);
      message = g_strdup_vprintf (not_found, args);
      va_end (args);
      g_set_error_literal (error, RD_ERROR, RD_ERROR_NOT_FOUND, message);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return rd_sqlite_set_error (db, error, what);

  return TRUE;
}

/* For constant SQL only (schema, transactions), never for values. */
gboolean
rd_sqlite_exec (sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = rd_sqlite_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  return rd_sqlite_step_done (db, stmt, error);
}

gboolean
rd_sqlite_begin (sqlite3  *db,
                 GError  **error)
{
  return rd_sqlite_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
rd_sqlite_commit (sqlite3  *db,
                  GError  **error)
{
  return rd_sqlite_exec (db, "COMMIT", error);
}

/* Rolls back the open transaction, if there is one. */
void
rd_sqlite_rollback (sqlite3 *db)
{
  g_autoptr(GError) local_error = NULL;

  if (sqlite3_get_autocommit (db))
    return;

  if (!rd_sqlite_exec (db, "ROLLBACK", &local_error))
    g_warning ("Rollback failed: %s", local_error->message);
}

/* Binds NULL for a NULL or empty text: the same value of a member. */
void
rd_sqlite_bind_text_or_null (sqlite3_stmt *stmt,
                             int           index,
                             const char   *text)
{
  if (text != NULL && text[0] != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Binds the Unix time of @datetime, or NULL for none. */
void
rd_sqlite_bind_datetime (sqlite3_stmt *stmt,
                         int           index,
                         GDateTime    *datetime)
{
  if (datetime != NULL)
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (datetime));
  else
    sqlite3_bind_null (stmt, index);
}

/**
 * rd_sqlite_column_text:
 *
 * Returns: (transfer none) (nullable): the column's text, valid until the
 *   statement steps again
 */
const char *
rd_sqlite_column_text (sqlite3_stmt *stmt,
                       int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/**
 * rd_sqlite_column_datetime:
 *
 * Returns: (transfer full) (nullable): the column's Unix time as local time,
 *   or %NULL for a NULL column
 */
GDateTime *
rd_sqlite_column_datetime (sqlite3_stmt *stmt,
                           int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, column));
}

/* The wall-clock time in whole seconds, as the stores write it. */
gint64
rd_sqlite_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * rd_sqlite_list:
 * @type: the item type of the list
 * @from_row: makes the item of a row
 * @what: the step, for the message of a failure
 *
 * Steps @stmt to its end, one item a row.
 *
 * Returns: (transfer full) (nullable): the items, or %NULL with @error set
 */
GListModel *
rd_sqlite_list (sqlite3          *db,
                sqlite3_stmt     *stmt,
                GType             type,
                RdSqliteRowFunc   from_row,
                const char       *what,
                GError          **error)
{
  g_autoptr(GListStore) list = g_list_store_new (type);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GObject) object = from_row (stmt);
      g_list_store_append (list, object);
    }
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, what);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

/**
 * rd_sqlite_is_wal:
 *
 * Whether @db's main database is in WAL mode. Asking also opens the file,
 * which a new connection does only on first use.
 */
gboolean
rd_sqlite_is_wal (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  return sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
         sqlite3_step (stmt) == SQLITE_ROW &&
         g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
}
