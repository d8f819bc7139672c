/* rd-offline-store.c: the client's local copy of its tickets and its unsent changes
 *
 * One SQLite file per server and user (so that two accounts never mix),
 * under the user's data folder: the tickets as the server last sent them,
 * which of them are in the user's queue, the customers seen, and the outbox
 * of operations made while the server could not be reached, in the order
 * they were made. Files waiting to be attached are copies in a folder next
 * to the database, named by a generated id, never by a path the user chose.
 *
 * The statements are short (one row, or the rows of one list) on a local
 * file in WAL mode, so they run on the main loop like the server's; the
 * long ones, writing a page of the ticket list and reading all the kept
 * tickets, have _async forms that run in a thread on a second connection
 * (bench-offline-store).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdOfflineStore"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rd-offline-store.h"
#include "rd-sqlite.h"

struct _RdOfflineStore
{
  GObject   parent_instance;

  sqlite3  *db;
  char     *path;
  char     *files_dir;
  /* An outbox sends from this store now */
  gboolean  sending;

  /* A second connection, for writing pages of tickets off the main loop;
   * one writer at a time */
  GMutex    worker_lock;
  sqlite3  *worker_db;
};

G_DEFINE_FINAL_TYPE (RdOfflineStore, rd_offline_store, G_TYPE_OBJECT)

/* The stores open in this process, by path: one file is one object, so
 * that two outboxes on it (a new session while the old one winds down)
 * never send the same operation twice */
static GHashTable *open_stores;

G_DEFINE_BOXED_TYPE (RdOfflineOp, rd_offline_op, rd_offline_op_copy, rd_offline_op_free)

static const char * const op_kinds[] = {
  [RD_OFFLINE_OP_CREATE] = "create",
  [RD_OFFLINE_OP_PATCH] = "patch",
  [RD_OFFLINE_OP_TRANSITION] = "transition",
  [RD_OFFLINE_OP_EVIDENCE] = "evidence",
};

static const char * const op_statuses[] = {
  [RD_OFFLINE_OP_PENDING] = "pending",
  [RD_OFFLINE_OP_CONFLICT] = "conflict",
  [RD_OFFLINE_OP_REFUSED] = "refused",
};

static const char * const schema[] = {
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL)",
  /* json: the ticket as the server last sent it; cached_at: when */
  "CREATE TABLE tickets ("
  "  number TEXT PRIMARY KEY,"
  "  json TEXT NOT NULL,"
  "  cached_at INTEGER NOT NULL)",
  "CREATE TABLE my_queue ("
  "  number TEXT PRIMARY KEY)",
  "CREATE TABLE customers ("
  "  id TEXT PRIMARY KEY,"
  "  json TEXT NOT NULL,"
  "  cached_at INTEGER NOT NULL)",
  /* AUTOINCREMENT: an id is never reused, so the order is the order queued */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  ticket TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  base TEXT,"
  "  file TEXT,"
  "  message TEXT,"
  "  force INTEGER NOT NULL DEFAULT 0,"
  "  queued_at INTEGER NOT NULL)",
};

RdOfflineOp *
rd_offline_op_copy (const RdOfflineOp *op)
{
  RdOfflineOp *copy;

  g_return_val_if_fail (op != NULL, NULL);

  copy = g_memdup2 (op, sizeof *op);
  copy->ticket = g_strdup (op->ticket);
  copy->body = op->body ? json_object_ref (op->body) : NULL;
  copy->base = op->base ? json_object_ref (op->base) : NULL;
  copy->file = g_strdup (op->file);
  copy->message = g_strdup (op->message);

  return copy;
}

void
rd_offline_op_free (RdOfflineOp *op)
{
  if (op == NULL)
    return;

  g_free (op->ticket);
  g_clear_pointer (&op->body, json_object_unref);
  g_clear_pointer (&op->base, json_object_unref);
  g_free (op->file);
  g_free (op->message);
  g_free (op);
}

static int
rd_offline_store_index_of (const char * const *names,
                           gsize               n_names,
                           const char         *name)
{
  for (gsize i = 0; name != NULL && i < n_names; i++)
    if (g_str_equal (names[i], name))
      return (int) i;

  return -1;
}

/* A name this store made: hex digits and dashes, a dot, a short extension */
static gboolean
rd_offline_store_file_name_is_valid (const char *file)
{
  const char *dot;

  if (file == NULL || *file == '\0' || *file == '.')
    return FALSE;

  dot = strchr (file, '.');
  if (dot == NULL || dot[1] == '\0' || strlen (dot + 1) > 8)
    return FALSE;

  for (const char *c = file; c < dot; c++)
    if (!g_ascii_isxdigit (*c) && *c != '-')
      return FALSE;

  for (const char *c = dot + 1; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c))
      return FALSE;

  return TRUE;
}

static void
rd_offline_store_finalize (GObject *object)
{
  RdOfflineStore *self = (RdOfflineStore *)object;

  if (open_stores != NULL && self->path != NULL &&
      g_hash_table_lookup (open_stores, self->path) == self)
    g_hash_table_remove (open_stores, self->path);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->worker_db, sqlite3_close);
  g_mutex_clear (&self->worker_lock);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->files_dir, g_free);

  G_OBJECT_CLASS (rd_offline_store_parent_class)->finalize (object);
}

static void
rd_offline_store_class_init (RdOfflineStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_offline_store_finalize;
}

static void
rd_offline_store_init (RdOfflineStore *self)
{
  g_mutex_init (&self->worker_lock);
}

static gboolean
rd_offline_store_migrate (RdOfflineStore  *self,
                          GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *set_version = NULL;
  int version;

  stmt = rd_sqlite_prepare (self->db, "PRAGMA user_version", error);
  if (stmt == NULL ||
      !rd_sqlite_step_one (self->db, stmt, "user_version", error, "No user_version"))
    return FALSE;
  version = sqlite3_column_int (stmt, 0);

  if (version == RD_OFFLINE_STORE_VERSION)
    return TRUE;

  if (version != 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "The offline store %s has schema version %d, expected %d",
                   self->path, version, RD_OFFLINE_STORE_VERSION);
      return FALSE;
    }

  if (!rd_sqlite_begin (self->db, error))
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      if (!rd_sqlite_exec (self->db, schema[i], error))
        {
          rd_sqlite_rollback (self->db);
          return FALSE;
        }
    }

  /* A constant, not input */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", RD_OFFLINE_STORE_VERSION);
  if (!rd_sqlite_exec (self->db, set_version, error) || !rd_sqlite_commit (self->db, error))
    {
      rd_sqlite_rollback (self->db);
      return FALSE;
    }

  return TRUE;
}

/* One connection to the file, each used by one thread only */
static sqlite3 *
rd_offline_store_open_db (const char  *path,
                          GError     **error)
{
  static const char * const pragmas[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    /* the other connection writes for a few milliseconds at most */
    "PRAGMA busy_timeout = 5000",
  };
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      rd_sqlite_set_error (db, error, "open");
      g_prefix_error (error, "Opening %s: ", path);
      sqlite3_close (db);
      return NULL;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      if (!rd_sqlite_exec (db, pragmas[i], error))
        {
          sqlite3_close (db);
          return NULL;
        }
    }

  return db;
}

/* The worker connection, opened on first use; call with worker_lock held */
static sqlite3 *
rd_offline_store_worker_db (RdOfflineStore  *self,
                            GError         **error)
{
  if (self->worker_db == NULL)
    self->worker_db = rd_offline_store_open_db (self->path, error);

  return self->worker_db;
}

/**
 * rd_offline_store_default_path:
 * @server_url: the server's normalised address
 * @username: the signed-in user
 *
 * Returns: (transfer full): the file of @username on @server_url, under
 *   the user data folder; its name is a hash, so neither value reaches the path
 */
char *
rd_offline_store_default_path (const char *server_url,
                               const char *username)
{
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  key = g_strconcat (server_url, "\n", username, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strconcat (hash, ".sqlite", NULL);

  return g_build_filename (g_get_user_data_dir (), "ringdesk", "offline", name, NULL);
}

/**
 * rd_offline_store_new:
 * @path: the database file; its folder is made when missing
 * @error: return location for a #GError
 *
 * Opens or creates the store; a store already open in this process is
 * returned again.
 *
 * Returns: (transfer full): the store, or %NULL when the file cannot be
 *   opened or has a schema this client does not know
 */
RdOfflineStore *
rd_offline_store_new (const char  *path,
                      GError     **error)
{
  g_autoptr(RdOfflineStore) self = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (open_stores == NULL)
    open_stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if ((self = g_hash_table_lookup (open_stores, path)) != NULL)
    return g_object_ref (g_steal_pointer (&self));

  self = g_object_new (RD_TYPE_OFFLINE_STORE, NULL);
  self->path = g_strdup (path);
  self->files_dir = g_strconcat (path, ".files", NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_mkdir_with_parents (self->files_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not make the folder of the offline store %s: %s",
                   path, g_strerror (saved_errno));
      return NULL;
    }

  self->db = rd_offline_store_open_db (path, error);
  if (self->db == NULL || !rd_offline_store_migrate (self, error))
    return NULL;

  g_hash_table_insert (open_stores, g_strdup (path), self);

  return g_steal_pointer (&self);
}

/**
 * rd_offline_store_begin_send:
 * @self: a #RdOfflineStore
 *
 * Claims the store for sending one operation, so that two outboxes on one
 * store never send at once. End with rd_offline_store_end_send().
 *
 * Returns: %FALSE when another outbox is sending
 */
gboolean
rd_offline_store_begin_send (RdOfflineStore *self)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);

  if (self->sending)
    return FALSE;

  self->sending = TRUE;

  return TRUE;
}

void
rd_offline_store_end_send (RdOfflineStore *self)
{
  g_return_if_fail (RD_IS_OFFLINE_STORE (self));

  self->sending = FALSE;
}

const char *
rd_offline_store_get_path (RdOfflineStore *self)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);

  return self->path;
}

/**
 * rd_offline_store_get_files_dir:
 *
 * Returns: the folder of the files waiting to be attached
 */
const char *
rd_offline_store_get_files_dir (RdOfflineStore *self)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);

  return self->files_dir;
}

/**
 * rd_offline_store_get_meta:
 *
 * Returns: (transfer full) (nullable): the value kept for @key
 */
char *
rd_offline_store_get_meta (RdOfflineStore *self,
                           const char     *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = rd_sqlite_prepare (self->db, "SELECT value FROM meta WHERE key = ?", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup (rd_sqlite_column_text (stmt, 0));
}

gboolean
rd_offline_store_set_meta (RdOfflineStore  *self,
                           const char      *key,
                           const char      *value,
                           GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  stmt = rd_sqlite_prepare (self->db,
                            "INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  return rd_sqlite_step_done (self->db, stmt, error);
}

/* A ticket as a row: its number and JSON, made on the main loop */
typedef struct
{
  char *number;
  char *json;
} RdOfflineRow;

static void
rd_offline_row_free (RdOfflineRow *row)
{
  g_free (row->number);
  g_free (row->json);
  g_free (row);
}

static GPtrArray *
rd_offline_store_rows (GListModel *tickets)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_offline_row_free);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (tickets, i);
      RdOfflineRow *row = g_new0 (RdOfflineRow, 1);

      row->number = g_strdup (rd_ticket_get_number (ticket));
      row->json = rd_codec_to_json_string (RD_CODEC (ticket));
      g_ptr_array_add (rows, row);
    }

  return rows;
}

/* Writes @rows in one transaction on @db; with @my_queue they are the
 * user's queue from now on */
static gboolean
rd_offline_store_write_rows (sqlite3    *db,
                             GPtrArray  *rows,
                             gboolean    my_queue,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) member = NULL;
  gint64 now = rd_sqlite_now ();

  put = rd_sqlite_prepare (db,
                           "INSERT INTO tickets (number, json, cached_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (number) DO UPDATE SET json = excluded.json,"
                           " cached_at = excluded.cached_at",
                           error);
  if (put == NULL)
    return FALSE;

  if (my_queue)
    {
      clear = rd_sqlite_prepare (db, "DELETE FROM my_queue", error);
      member = rd_sqlite_prepare (db, "INSERT OR IGNORE INTO my_queue (number) VALUES (?)", error);
      if (clear == NULL || member == NULL)
        return FALSE;
    }

  if (!rd_sqlite_begin (db, error))
    return FALSE;

  if (clear != NULL && !rd_sqlite_step_done (db, clear, error))
    {
      rd_sqlite_rollback (db);
      return FALSE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      RdOfflineRow *row = g_ptr_array_index (rows, i);

      sqlite3_reset (put);
      sqlite3_bind_text (put, 1, row->number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 2, row->json, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (put, 3, now);
      if (!rd_sqlite_step_done (db, put, error))
        {
          rd_sqlite_rollback (db);
          return FALSE;
        }

      if (member != NULL)
        {
          sqlite3_reset (member);
          sqlite3_bind_text (member, 1, row->number, -1, SQLITE_TRANSIENT);
          if (!rd_sqlite_step_done (db, member, error))
            {
              rd_sqlite_rollback (db);
              return FALSE;
            }
        }
    }

  if (!rd_sqlite_commit (db, error))
    {
      rd_sqlite_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_offline_store_cache_ticket:
 * @self: a #RdOfflineStore
 * @ticket: a ticket as the server sent it (or, for a ticket created
 *   offline, as the user made it under its local label)
 *
 * Keeps @ticket in place of the copy with the same number.
 */
gboolean
rd_offline_store_cache_ticket (RdOfflineStore  *self,
                               RdTicket        *ticket,
                               GError         **error)
{
  g_autoptr(GListStore) one = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_TICKET (ticket), FALSE);
  g_return_val_if_fail (rd_ticket_get_number (ticket) != NULL, FALSE);

  one = g_list_store_new (RD_TYPE_TICKET);
  g_list_store_append (one, ticket);
  rows = rd_offline_store_rows (G_LIST_MODEL (one));

  return rd_offline_store_write_rows (self->db, rows, FALSE, error);
}

/**
 * rd_offline_store_cache_tickets:
 * @self: a #RdOfflineStore
 * @tickets: a list of #RdTicket, e.g. a page of the ticket list
 * @my_queue: whether @tickets are the user's queue (then they replace it)
 *
 * Keeps every ticket of @tickets, in one transaction.
 */
gboolean
rd_offline_store_cache_tickets (RdOfflineStore  *self,
                                GListModel      *tickets,
                                gboolean         my_queue,
                                GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (tickets), FALSE);

  rows = rd_offline_store_rows (tickets);

  return rd_offline_store_write_rows (self->db, rows, my_queue, error);
}

typedef struct
{
  GListStore *tickets;
  gboolean    my_queue;
} RdOfflineWrite;

static void
rd_offline_write_free (RdOfflineWrite *write)
{
  g_object_unref (write->tickets);
  g_free (write);
}

static void
rd_offline_store_write_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  RdOfflineStore *self = source_object;
  RdOfflineWrite *write = task_data;
  g_autoptr(GPtrArray) rows = rd_offline_store_rows (G_LIST_MODEL (write->tickets));
  g_autoptr(GError) error = NULL;
  gboolean done;
  sqlite3 *db;

  g_mutex_lock (&self->worker_lock);
  db = rd_offline_store_worker_db (self, &error);
  done = db != NULL && rd_offline_store_write_rows (db, rows, write->my_queue, &error);
  g_mutex_unlock (&self->worker_lock);

  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * rd_offline_store_cache_tickets_async:
 * @self: a #RdOfflineStore
 * @tickets: a list of #RdTicket, e.g. a page of the ticket list
 * @my_queue: whether @tickets are the user's queue (then they replace it)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when they are written
 * @user_data: for @callback
 *
 * As rd_offline_store_cache_tickets(), with the JSON and the writing in a
 * thread (on a connection to the file of its own), so that a page of the
 * list does not hold up the main loop.
 */
void
rd_offline_store_cache_tickets_async (RdOfflineStore      *self,
                                      GListModel          *tickets,
                                      gboolean             my_queue,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RdOfflineWrite *write;

  g_return_if_fail (RD_IS_OFFLINE_STORE (self));
  g_return_if_fail (G_IS_LIST_MODEL (tickets));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_offline_store_cache_tickets_async);

  /* The tickets themselves go to the thread: a ticket is not changed once
   * made from the server's reply (a change makes a new one) */
  write = g_new0 (RdOfflineWrite, 1);
  write->tickets = g_list_store_new (RD_TYPE_TICKET);
  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (tickets, i);

      g_list_store_append (write->tickets, ticket);
    }
  write->my_queue = my_queue;
  g_task_set_task_data (task, write, (GDestroyNotify) rd_offline_write_free);
  g_task_run_in_thread (task, rd_offline_store_write_thread);
}

gboolean
rd_offline_store_cache_tickets_finish (RdOfflineStore  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        rd_offline_store_cache_tickets_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
rd_offline_store_remove_ticket (RdOfflineStore  *self,
                                const char      *number,
                                GError         **error)
{
  static const char * const statements[] = {
    "DELETE FROM tickets WHERE number = ?",
    "DELETE FROM my_queue WHERE number = ?",
  };

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = rd_sqlite_prepare (self->db, statements[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      if (!rd_sqlite_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The object of a cached row; a row that does not parse (a damaged file,
 * an older client's JSON) is reported and skipped, never trusted */
static gpointer
rd_offline_store_parse_row (GType       type,
                            const char *key,
                            const char *json)
{
  g_autoptr(GError) error = NULL;
  gpointer object;

  object = rd_codec_new_from_json_string (type, json ? json : "", -1, &error);
  if (object == NULL)
    g_warning ("Ignoring the cached %s “%s”: %s", g_type_name (type), key, error->message);

  return object;
}

/**
 * rd_offline_store_get_ticket:
 *
 * Returns: (transfer full) (nullable): the cached ticket, or %NULL with
 *   %RD_ERROR_NOT_FOUND when there is none (or its copy is damaged)
 */
RdTicket *
rd_offline_store_get_ticket (RdOfflineStore  *self,
                             const char      *number,
                             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RdTicket *ticket;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  stmt = rd_sqlite_prepare (self->db, "SELECT json FROM tickets WHERE number = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_one (self->db, stmt, "ticket", error,
                           "No ticket %s on this computer", number))
    return NULL;

  ticket = rd_offline_store_parse_row (RD_TYPE_TICKET, number, rd_sqlite_column_text (stmt, 0));
  if (ticket == NULL)
    g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "The copy of ticket %s is damaged", number);

  return ticket;
}

/**
 * rd_offline_store_list_tickets:
 * @self: a #RdOfflineStore
 * @my_queue: only the tickets of the user's queue
 *
 * Returns: (transfer full): the cached tickets, newest number first; the
 *   ones created offline (not numbered yet) first of all
 */
static GListModel *
rd_offline_store_query_tickets (sqlite3   *db,
                                gboolean   my_queue,
                                GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GListStore) tickets = g_list_store_new (RD_TYPE_TICKET);
  int rc;

  stmt = rd_sqlite_prepare (db,
                            "SELECT t.number, t.json FROM tickets t "
                            "WHERE ?1 = 0 OR t.number IN (SELECT number FROM my_queue) "
                            "   OR t.number LIKE '" RD_OFFLINE_LOCAL_PREFIX "%' "
                            "ORDER BY t.number LIKE '" RD_OFFLINE_LOCAL_PREFIX "%' DESC,"
                            " length (t.number) DESC, t.number DESC",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, my_queue ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RdTicket) ticket = NULL;

      ticket = rd_offline_store_parse_row (RD_TYPE_TICKET,
                                           rd_sqlite_column_text (stmt, 0),
                                           rd_sqlite_column_text (stmt, 1));
      if (ticket != NULL)
        g_list_store_append (tickets, ticket);
    }

  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "list tickets");
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&tickets));
}

GListModel *
rd_offline_store_list_tickets (RdOfflineStore  *self,
                               gboolean         my_queue,
                               GError         **error)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);

  return rd_offline_store_query_tickets (self->db, my_queue, error);
}

static void
rd_offline_store_list_thread (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable)
{
  RdOfflineStore *self = source_object;
  g_autoptr(GError) error = NULL;
  GListModel *tickets = NULL;
  sqlite3 *db;

  g_mutex_lock (&self->worker_lock);
  db = rd_offline_store_worker_db (self, &error);
  if (db != NULL)
    tickets = rd_offline_store_query_tickets (db, GPOINTER_TO_INT (task_data), &error);
  g_mutex_unlock (&self->worker_lock);

  if (tickets == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, tickets, g_object_unref);
}

/**
 * rd_offline_store_list_tickets_async:
 * @self: a #RdOfflineStore
 * @my_queue: only the tickets of the user's queue
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tickets
 * @user_data: for @callback
 *
 * As rd_offline_store_list_tickets(), read and parsed in a thread (on the
 * connection that writes the pages), for the main loop to go on.
 */
void
rd_offline_store_list_tickets_async (RdOfflineStore      *self,
                                     gboolean             my_queue,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_OFFLINE_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_offline_store_list_tickets_async);
  g_task_set_task_data (task, GINT_TO_POINTER (my_queue ? 1 : 0), NULL);
  g_task_run_in_thread (task, rd_offline_store_list_thread);
}

/**
 * rd_offline_store_list_tickets_finish:
 *
 * Returns: (transfer full): the kept tickets, in the order of
 *   rd_offline_store_list_tickets(), or %NULL with @error set
 */
GListModel *
rd_offline_store_list_tickets_finish (RdOfflineStore  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        rd_offline_store_list_tickets_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
rd_offline_store_cache_customer (RdOfflineStore  *self,
                                 RdCustomer      *customer,
                                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_CUSTOMER (customer), FALSE);
  g_return_val_if_fail (rd_customer_get_id (customer) != NULL, FALSE);

  stmt = rd_sqlite_prepare (self->db,
                            "INSERT INTO customers (id, json, cached_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (id) DO UPDATE SET json = excluded.json,"
                            " cached_at = excluded.cached_at",
                            error);
  if (stmt == NULL)
    return FALSE;

  json = rd_codec_to_json_string (RD_CODEC (customer));
  sqlite3_bind_text (stmt, 1, rd_customer_get_id (customer), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, rd_sqlite_now ());

  return rd_sqlite_step_done (self->db, stmt, error);
}

/* The digits of @phone ("+34 91 123-45-67" → "34911234567") */
static char *
phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  return g_string_free (digits, FALSE);
}

/* Whether two spellings of a number are the same number: the same digits, or
 * one the other's national part (the server keeps E.164: "+34911234567"
 * is "911234567" dialled at home). Short numbers (extensions) never match
 * a longer one. */
static gboolean
phone_matches (const char *a,
               const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);

  if (la == lb)
    return la > 0 && g_str_equal (a, b);
  if (MIN (la, lb) < 6)
    return FALSE;

  return la > lb ? g_str_has_suffix (a, b) : g_str_has_suffix (b, a);
}

/**
 * rd_offline_store_find_customer:
 * @phone: a phone number, in any spelling
 *
 * The cached customer one of whose numbers is @phone, for when the server
 * cannot be asked.
 *
 * Returns: (transfer full) (nullable): the customer, or %NULL (with
 *   %RD_ERROR_NOT_FOUND when none matches)
 */
RdCustomer *
rd_offline_store_find_customer (RdOfflineStore  *self,
                                const char      *phone,
                                GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *wanted = NULL;
  int rc;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (phone != NULL, NULL);

  wanted = phone_digits (phone);
  stmt = rd_sqlite_prepare (self->db, "SELECT json FROM customers ORDER BY cached_at DESC", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RdCustomer) customer = NULL;
      const char * const *phones;

      customer = rd_codec_new_from_json_string (RD_TYPE_CUSTOMER, (const char *) sqlite3_column_text (stmt, 0),
                                                -1, &local_error);
      if (customer == NULL)
        {
          g_warning ("Skipping a damaged cached customer: %s", local_error->message);
          continue;
        }

      phones = rd_customer_get_phones (customer);
      for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
        {
          g_autofree char *digits = phone_digits (phones[i]);

          if (phone_matches (digits, wanted))
            return g_steal_pointer (&customer);
        }
    }
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (self->db, error, "read the cached customers");
      return NULL;
    }

  g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No cached customer has that number");
  return NULL;
}

/**
 * rd_offline_store_get_customer:
 *
 * Returns: (transfer full) (nullable): the cached customer, or %NULL with
 *   %RD_ERROR_NOT_FOUND
 */
RdCustomer *
rd_offline_store_get_customer (RdOfflineStore  *self,
                               const char      *id,
                               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RdCustomer *customer;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = rd_sqlite_prepare (self->db, "SELECT json FROM customers WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_one (self->db, stmt, "customer", error,
                           "No customer %s on this computer", id))
    return NULL;

  customer = rd_offline_store_parse_row (RD_TYPE_CUSTOMER, id, rd_sqlite_column_text (stmt, 0));
  if (customer == NULL)
    g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "The copy of customer %s is damaged", id);

  return customer;
}

/**
 * rd_offline_store_add_op:
 * @self: a #RdOfflineStore
 * @kind: what the operation does
 * @ticket: the ticket number or local label
 * @body: the request body
 * @base: (nullable): for a patch, the values the user saw of the changed members
 * @file: (nullable): for evidence, a name from rd_offline_store_new_file_name()
 *
 * Appends an operation to the outbox.
 *
 * Returns: its id, or 0 with @error set
 */
gint64
rd_offline_store_add_op (RdOfflineStore   *self,
                         RdOfflineOpKind   kind,
                         const char       *ticket,
                         JsonObject       *body,
                         JsonObject       *base,
                         const char       *file,
                         GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *base_text = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), 0);
  g_return_val_if_fail (kind <= RD_OFFLINE_OP_EVIDENCE, 0);
  g_return_val_if_fail (ticket != NULL, 0);
  g_return_val_if_fail (body != NULL, 0);
  g_return_val_if_fail (file == NULL || rd_offline_store_file_name_is_valid (file), 0);

  stmt = rd_sqlite_prepare (self->db,
                            "INSERT INTO outbox (kind, ticket, body, base, file, queued_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return 0;

  body_text = rd_json_object_to_string (body);
  base_text = base ? rd_json_object_to_string (base) : NULL;
  sqlite3_bind_text (stmt, 1, op_kinds[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, ticket, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, body_text, -1, SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 4, base_text);
  rd_sqlite_bind_text_or_null (stmt, 5, file);
  sqlite3_bind_int64 (stmt, 6, rd_sqlite_now ());

  if (!rd_sqlite_step_done (self->db, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

/* The operation of a row, or %NULL (with a warning) for a damaged row */
static RdOfflineOp *
rd_offline_store_op_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(RdOfflineOp) op = g_new0 (RdOfflineOp, 1);
  g_autoptr(GError) error = NULL;
  const char *base = rd_sqlite_column_text (stmt, 5);
  int kind = rd_offline_store_index_of (op_kinds, G_N_ELEMENTS (op_kinds),
                                        rd_sqlite_column_text (stmt, 1));
  int status = rd_offline_store_index_of (op_statuses, G_N_ELEMENTS (op_statuses),
                                          rd_sqlite_column_text (stmt, 2));

  op->id = sqlite3_column_int64 (stmt, 0);
  op->ticket = g_strdup (rd_sqlite_column_text (stmt, 3));
  op->file = g_strdup (rd_sqlite_column_text (stmt, 6));
  op->message = g_strdup (rd_sqlite_column_text (stmt, 7));
  op->force = sqlite3_column_int (stmt, 8) != 0;
  op->queued_at = sqlite3_column_int64 (stmt, 9);

  if (kind < 0 || status < 0 || op->ticket == NULL)
    {
      g_warning ("Ignoring the queued operation %" G_GINT64_FORMAT ": unknown kind or status",
                 op->id);
      return NULL;
    }
  op->kind = kind;
  op->status = status;

  op->body = rd_json_parse_object (rd_sqlite_column_text (stmt, 4) ?: "", -1, &error);
  if (op->body != NULL && base != NULL)
    op->base = rd_json_parse_object (base, -1, &error);
  if (op->body == NULL || (base != NULL && op->base == NULL) ||
      (op->file != NULL && !rd_offline_store_file_name_is_valid (op->file)))
    {
      g_warning ("Ignoring the queued operation %" G_GINT64_FORMAT ": %s",
                 op->id, error ? error->message : "invalid file name");
      return NULL;
    }

  return g_steal_pointer (&op);
}

/**
 * rd_offline_store_list_ops:
 * @self: a #RdOfflineStore
 * @ticket: (nullable): only the operations on this ticket
 *
 * Returns: (transfer full) (element-type RdOfflineOp): the queued
 *   operations in the order they were made
 */
GPtrArray *
rd_offline_store_list_ops (RdOfflineStore  *self,
                           const char      *ticket,
                           GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_offline_op_free);
  int rc;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);

  stmt = rd_sqlite_prepare (self->db,
                            "SELECT id, kind, status, ticket, body, base, file, message, force,"
                            " queued_at FROM outbox WHERE ?1 IS NULL OR ticket = ?1 ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;

  rd_sqlite_bind_text_or_null (stmt, 1, ticket);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RdOfflineOp *op = rd_offline_store_op_from_row (stmt);

      if (op != NULL)
        g_ptr_array_add (ops, op);
    }

  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (self->db, error, "list operations");
      return NULL;
    }

  return g_steal_pointer (&ops);
}

/**
 * rd_offline_store_set_op_status:
 * @message: (nullable): why the operation waits for the user
 * @force: send a patch even when it conflicts
 */
gboolean
rd_offline_store_set_op_status (RdOfflineStore     *self,
                                gint64              id,
                                RdOfflineOpStatus   status,
                                const char         *message,
                                gboolean            force,
                                GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (status <= RD_OFFLINE_OP_REFUSED, FALSE);

  stmt = rd_sqlite_prepare (self->db,
                            "UPDATE outbox SET status = ?, message = ?, force = ? WHERE id = ?",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, op_statuses[status], -1, SQLITE_STATIC);
  rd_sqlite_bind_text_or_null (stmt, 2, message);
  sqlite3_bind_int (stmt, 3, force ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, id);

  if (!rd_sqlite_step_done (self->db, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND,
                   "No queued operation %" G_GINT64_FORMAT, id);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_offline_store_remove_op:
 *
 * Removes an operation the server acknowledged, or that the user discarded,
 * with its file.
 */
gboolean
rd_offline_store_remove_op (RdOfflineStore  *self,
                            gint64           id,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);

  select = rd_sqlite_prepare (self->db, "SELECT file FROM outbox WHERE id = ?", error);
  stmt = rd_sqlite_prepare (self->db, "DELETE FROM outbox WHERE id = ?", error);
  if (select == NULL || stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (select, 1, id);
  if (sqlite3_step (select) == SQLITE_ROW)
    file = g_strdup (rd_sqlite_column_text (select, 0));

  sqlite3_bind_int64 (stmt, 1, id);
  if (!rd_sqlite_step_done (self->db, stmt, error))
    return FALSE;

  /* The row first: a file left behind is only space, a row without its
   * file would be an upload that can never happen */
  if (file != NULL && rd_offline_store_file_name_is_valid (file))
    {
      g_autofree char *path = g_build_filename (self->files_dir, file, NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
    }

  return TRUE;
}

/**
 * rd_offline_store_renumber:
 * @label: the local label of a ticket created offline
 * @number: the number the server gave it
 *
 * Points the later operations on @label at @number, and forgets the local
 * copy of the ticket; rd_offline_store_resolve_label() finds @number later.
 */
gboolean
rd_offline_store_renumber (RdOfflineStore  *self,
                           const char      *label,
                           const char      *number,
                           GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  /* Operations queued later on the label follow it too */
  key = g_strconcat ("number:", label, NULL);
  if (!rd_sqlite_begin (self->db, error))
    return FALSE;

  stmt = rd_sqlite_prepare (self->db, "UPDATE outbox SET ticket = ? WHERE ticket = ?", error);
  if (stmt == NULL)
    {
      rd_sqlite_rollback (self->db);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, label, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_done (self->db, stmt, error) ||
      !rd_offline_store_remove_ticket (self, label, error) ||
      !rd_offline_store_set_meta (self, key, number, error) ||
      !rd_sqlite_commit (self->db, error))
    {
      rd_sqlite_rollback (self->db);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_offline_store_new_file_name:
 * @extension: the file's extension, lowercase letters and digits, e.g. "jpg"
 *
 * Returns: (transfer full): a fresh name for a file of the store's folder
 */
char *
rd_offline_store_new_file_name (RdOfflineStore *self,
                                const char     *extension)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  name = g_strconcat (uuid, ".", extension, NULL);
  g_return_val_if_fail (rd_offline_store_file_name_is_valid (name), NULL);

  return g_steal_pointer (&name);
}

/**
 * rd_offline_store_get_file_path:
 * @file: a name from rd_offline_store_new_file_name()
 *
 * Returns: (transfer full) (nullable): where @file is, or %NULL when @file
 *   is not a name this store makes
 */
char *
rd_offline_store_get_file_path (RdOfflineStore *self,
                                const char     *file)
{
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);

  if (!rd_offline_store_file_name_is_valid (file))
    return NULL;

  return g_build_filename (self->files_dir, file, NULL);
}

/**
 * rd_offline_store_resolve_label:
 * @ticket: a ticket number or local label
 *
 * Returns: (transfer full): the number the server gave the ticket of the
 *   local label @ticket, or a copy of @ticket
 */
char *
rd_offline_store_resolve_label (RdOfflineStore *self,
                                const char     *ticket)
{
  g_autofree char *key = NULL;
  char *number;

  g_return_val_if_fail (RD_IS_OFFLINE_STORE (self), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);

  if (!g_str_has_prefix (ticket, RD_OFFLINE_LOCAL_PREFIX))
    return g_strdup (ticket);

  key = g_strconcat ("number:", ticket, NULL);
  number = rd_offline_store_get_meta (self, key);

  return number ? number : g_strdup (ticket);
}
