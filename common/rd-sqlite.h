/* rd-sqlite.h: the small sqlite3 helpers every store of the server shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* makes the object of one row; returns a new reference */
typedef gpointer (*RdSqliteRowFunc) (sqlite3_stmt *stmt);

gboolean      rd_sqlite_set_error         (sqlite3       *db,
                                           GError       **error,
                                           const char    *what);
sqlite3_stmt *rd_sqlite_prepare           (sqlite3       *db,
                                           const char    *sql,
                                           GError       **error);
gboolean      rd_sqlite_step_done         (sqlite3       *db,
                                           sqlite3_stmt  *stmt,
                                           GError       **error);
gboolean      rd_sqlite_step_one          (sqlite3       *db,
                                           sqlite3_stmt  *stmt,
                                           const char    *what,
                                           GError       **error,
                                           const char    *not_found,
                                           ...) G_GNUC_PRINTF (5, 6);
gboolean      rd_sqlite_exec              (sqlite3       *db,
                                           const char    *sql,
                                           GError       **error);
gboolean      rd_sqlite_begin             (sqlite3       *db,
                                           GError       **error);
gboolean      rd_sqlite_commit            (sqlite3       *db,
                                           GError       **error);
void          rd_sqlite_rollback          (sqlite3       *db);
gboolean      rd_sqlite_is_wal            (sqlite3       *db);
void          rd_sqlite_bind_text_or_null (sqlite3_stmt  *stmt,
                                           int            index,
                                           const char    *text);
void          rd_sqlite_bind_datetime     (sqlite3_stmt  *stmt,
                                           int            index,
                                           GDateTime     *datetime);
const char   *rd_sqlite_column_text       (sqlite3_stmt  *stmt,
                                           int            column);
GDateTime    *rd_sqlite_column_datetime   (sqlite3_stmt  *stmt,
                                           int            column);
gint64        rd_sqlite_now               (void);
GListModel   *rd_sqlite_list              (sqlite3          *db,
                                           sqlite3_stmt     *stmt,
                                           GType             type,
                                           RdSqliteRowFunc   from_row,
                                           const char       *what,
                                           GError          **error);

G_END_DECLS
