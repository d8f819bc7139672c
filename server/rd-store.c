/* rd-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's sqlite3 database `<data-dir>/ringdesk.db` (after fwupd's
 * fu-history.c). A `schema` table holds the version; rd_store_open() runs the
 * migrate_vN() steps from the file's version up to RD_STORE_SCHEMA_VERSION, each
 * in its own transaction, and refuses a file written by a newer server.
 *
 * Schema history:
 *   v1  schema, users, user_roles, tokens (SHA-256 hashes only), counters
 *   v2  tickets, ticket_history, ticket_calls, tickets_fts (FTS5, kept in sync
 *       by triggers); rows are read and written by rd-ticket-store.c
 *   v3  calls, call_hops, hunt_positions (rd-call-store.c); calls and tickets
 *       are bound through ticket_calls (v2)
 *   v4  users.absent, groups + group_members + group_rules (rd-group-store.c),
 *       customers + customer_phones (rd-customer-store.c), locations, assets
 *       (rd-place-store.c), work_orders and tickets.work_order
 *   v5  evidence (metadata of the content-addressed files, rd-evidence-store.c)
 *
 * WAL checkpoints do not run in the committing thread (sqlite's
 * auto-checkpoint would fsync() the WAL and the database there, on the
 * server's main loop): a WAL hook on the main connection hands them to a
 * thread with a connection of its own (see docs/decisions.md).
 *
 * Every statement is prepared; values are bound, never formatted into SQL.
 * The store knows nothing about HTTP.
 */

#define G_LOG_DOMAIN "RdStore"

#include "config.h"

#include <sqlite3.h>

#include "rd-error.h"
#include "rd-sqlite.h"
#include "rd-store.h"


/* WAL frames (pages) after a commit that ask the worker for a checkpoint:
 * sqlite's own auto-checkpoint threshold */
#define CHECKPOINT_FRAMES 1000

/* The WAL checkpoints, run by a thread of their own on a connection of their
 * own, so their fsync()s never hold up the main loop (see rd_store_open()).
 * A job is a GTask of rd_store_checkpoint_async(), or the hook's request. */
typedef struct
{
  GThread     *thread;
  sqlite3     *db;
  GAsyncQueue *jobs;          /* GTask*, or &auto_job, or &stop_job */
  gint         auto_pending;  /* atomic: a request of the hook is queued */
  guint        n_done;        /* atomic: checkpoints run */
} Checkpointer;

struct _RdStore
{
  GObject       parent_instance;

  char         *filename;
  sqlite3      *db;
  gint64        ticket_number_start;
  Checkpointer *checkpointer;
};

G_DEFINE_FINAL_TYPE (RdStore, rd_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILENAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_sql_error (RdStore     *self,
               GError     **error,
               const char  *what)
{
  return rd_sqlite_set_error (self->db, error, what);
}

static gboolean
require_open (RdStore  *self,
              GError  **error)
{
  if (self->db != NULL)
    return TRUE;

  g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "The database is not open");
  return FALSE;
}

static sqlite3_stmt *
prepare (RdStore     *self,
         const char  *sql,
         GError     **error)
{
  if (!require_open (self, error))
    return NULL;

  return rd_sqlite_prepare (self->db, sql, error);
}

static gboolean
step_done (RdStore       *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  return rd_sqlite_step_done (self->db, stmt, error);
}

static gboolean
exec_static (RdStore     *self,
             const char  *sql,
             GError     **error)
{
  if (!require_open (self, error))
    return FALSE;

  return rd_sqlite_exec (self->db, sql, error);
}

static gboolean
begin (RdStore  *self,
       GError  **error)
{
  return exec_static (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (RdStore  *self,
        GError  **error)
{
  return exec_static (self, "COMMIT", error);
}

static void
rollback (RdStore *self)
{
  if (self->db != NULL)
    rd_sqlite_rollback (self->db);
}

/* checkpoints */

static int auto_job;
static int stop_job;

static void
checkpoint_run (Checkpointer  *ck,
                GError       **error)
{
  int n_log = 0;
  int n_done = 0;

  /* PASSIVE: copies what no reader still needs and never waits for the
   * writer, so the main connection keeps committing meanwhile */
  if (sqlite3_wal_checkpoint_v2 (ck->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                 &n_log, &n_done) != SQLITE_OK)
    rd_sqlite_set_error (ck->db, error, "checkpoint");
  else
    g_debug ("checkpoint: %d of %d WAL frames in the database", n_done, n_log);
  g_atomic_int_inc (&ck->n_done);
}

static gpointer
checkpoint_thread (gpointer data)
{
  Checkpointer *ck = data;

  for (;;)
    {
      gpointer job = g_async_queue_pop (ck->jobs);
      g_autoptr(GError) error = NULL;

      if (job == &stop_job)
        break;

      if (job == &auto_job)
        g_atomic_int_set (&ck->auto_pending, 0);
      checkpoint_run (ck, &error);

      if (job == &auto_job)
        {
          if (error != NULL)
            g_warning ("%s", error->message);
        }
      else if (error != NULL)
        {
          g_task_return_error (job, g_steal_pointer (&error));
          g_object_unref (job);
        }
      else
        {
          g_task_return_boolean (job, TRUE);
          g_object_unref (job);
        }
    }

  return NULL;
}

/* Runs in the commit on the main connection, instead of sqlite's
 * auto-checkpoint: hands the checkpoint to the worker. */
static int
on_wal_commit (void       *data,
               sqlite3    *db,
               const char *name,
               int         n_frames)
{
  Checkpointer *ck = data;

  if (n_frames >= CHECKPOINT_FRAMES && g_atomic_int_compare_and_exchange (&ck->auto_pending, 0, 1))
    g_async_queue_push (ck->jobs, &auto_job);

  return SQLITE_OK;
}

static void
checkpointer_free (Checkpointer *ck)
{
  /* behind the jobs already queued: every task gets its answer */
  if (ck->thread != NULL)
    {
      g_async_queue_push (ck->jobs, &stop_job);
      g_thread_join (ck->thread);
    }
  g_async_queue_unref (ck->jobs);
  if (ck->db != NULL)
    sqlite3_close (ck->db);
  g_free (ck);
}

static Checkpointer *
checkpointer_new (RdStore  *self,
                  GError  **error)
{
  Checkpointer *ck = g_new0 (Checkpointer, 1);
  int rc;

  ck->jobs = g_async_queue_new ();
  rc = sqlite3_open_v2 (self->filename, &ck->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK || sqlite3_busy_timeout (ck->db, 5000) != SQLITE_OK)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "Cannot open database %s for checkpoints: %s",
                   self->filename, ck->db != NULL ? sqlite3_errmsg (ck->db) : sqlite3_errstr (rc));
      checkpointer_free (ck);
      return NULL;
    }

  ck->thread = g_thread_new ("rd-checkpoint", checkpoint_thread, ck);
  return ck;
}

/* migrations */

static gboolean
migrate_v1 (RdStore  *self,
            GError  **error)
{
  static const char * const statements[] = {
    "CREATE TABLE schema (version INTEGER NOT NULL)",
    "INSERT INTO schema (version) VALUES (0)",
    "CREATE TABLE users ("
    "  username      TEXT PRIMARY KEY NOT NULL,"
    "  display_name  TEXT,"
    "  password_hash TEXT NOT NULL,"
    "  extension     TEXT,"
    "  mobile        TEXT,"
    "  active        INTEGER NOT NULL DEFAULT 1,"
    "  created_at    INTEGER NOT NULL,"
    "  updated_at    INTEGER NOT NULL)",
    "CREATE TABLE user_roles ("
    "  username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  role     TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  PRIMARY KEY (username, role))",
    "CREATE INDEX user_roles_role ON user_roles (role)",
    "CREATE TABLE tokens ("
    "  hash         TEXT PRIMARY KEY NOT NULL,"
    "  username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  created_at   INTEGER NOT NULL,"
    "  expires_at   INTEGER NOT NULL,"
    "  last_used_at INTEGER)",
    "CREATE INDEX tokens_username ON tokens (username)",
    "CREATE INDEX tokens_expires_at ON tokens (expires_at)",
    "CREATE TABLE counters ("
    "  name  TEXT PRIMARY KEY NOT NULL,"
    "  value INTEGER NOT NULL)",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      if (!exec_static (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

/* v2: tickets (issue 4). `number` is the rowid and comes from the "ticket"
 * counter; times are Unix seconds; text members the API never sends as null
 * are NOT NULL DEFAULT ''. requester_phone_key holds the digits of
 * requester_phone, for `?phone=`. */
static gboolean
migrate_v2 (RdStore  *self,
            GError  **error)
{
  static const char * const statements[] = {
    "CREATE TABLE tickets ("
    "  number              INTEGER PRIMARY KEY NOT NULL,"
    "  external_number     TEXT,"
    "  subject             TEXT NOT NULL,"
    "  description         TEXT NOT NULL DEFAULT '',"
    "  area                TEXT NOT NULL DEFAULT '',"
    "  priority            TEXT NOT NULL DEFAULT 'normal'"
    "                      CHECK (priority IN ('low', 'normal', 'high', 'urgent')),"
    "  category            TEXT NOT NULL DEFAULT '',"
    "  location_id         TEXT,"
    "  asset_id            TEXT,"
    "  requester           TEXT NOT NULL DEFAULT '',"
    "  requester_phone     TEXT,"
    "  requester_phone_key TEXT,"
    "  assignee            TEXT REFERENCES users (username) ON DELETE SET NULL ON UPDATE CASCADE,"
    "  group_name          TEXT,"
    "  state               TEXT NOT NULL DEFAULT 'open'"
    "                      CHECK (state IN ('open', 'in_progress', 'resolved', 'closed', 'cancelled')),"
    "  created_by          TEXT,"
    "  created_at          INTEGER NOT NULL,"
    "  updated_at          INTEGER NOT NULL,"
    "  first_response_at   INTEGER,"
    "  resolved_at         INTEGER,"
    "  closed_at           INTEGER,"
    "  active              INTEGER NOT NULL DEFAULT 1,"
    "  last_synced_at      INTEGER,"
    "  sla_response_due    INTEGER,"
    "  sla_resolution_due  INTEGER,"
    "  sla_state           TEXT NOT NULL DEFAULT 'ok')",
    "CREATE UNIQUE INDEX tickets_external_number ON tickets (external_number)"
    "  WHERE external_number IS NOT NULL",
    "CREATE INDEX tickets_state ON tickets (state)",
    "CREATE INDEX tickets_area ON tickets (area)",
    "CREATE INDEX tickets_assignee ON tickets (assignee)",
    "CREATE INDEX tickets_priority ON tickets (priority)",
    "CREATE INDEX tickets_created_at ON tickets (created_at)",
    "CREATE INDEX tickets_created_by ON tickets (created_by)",
    "CREATE INDEX tickets_requester_phone_key ON tickets (requester_phone_key)",
    "CREATE TABLE ticket_history ("
    "  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  number    INTEGER NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,"
    "  at        INTEGER NOT NULL,"
    "  username  TEXT,"
    "  field     TEXT NOT NULL,"
    "  old_value TEXT,"
    "  new_value TEXT,"
    "  note      TEXT)",
    "CREATE INDEX ticket_history_number ON ticket_history (number, id)",
    "CREATE TABLE ticket_calls ("
    "  number  INTEGER NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,"
    "  call_id TEXT NOT NULL,"
    "  PRIMARY KEY (number, call_id))",
    "CREATE INDEX ticket_calls_call_id ON ticket_calls (call_id)",
    "CREATE VIRTUAL TABLE tickets_fts USING fts5 ("
    "  number, external_number, subject, description, requester, requester_phone,"
    "  content = 'tickets', content_rowid = 'number',"
    "  tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN"
    "  INSERT INTO tickets_fts (rowid, number, external_number, subject, description,"
    "                           requester, requester_phone)"
    "  VALUES (new.number, new.number, new.external_number, new.subject, new.description,"
    "          new.requester, new.requester_phone);"
    " END",
    "CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN"
    "  INSERT INTO tickets_fts (tickets_fts, rowid, number, external_number, subject,"
    "                           description, requester, requester_phone)"
    "  VALUES ('delete', old.number, old.number, old.external_number, old.subject,"
    "          old.description, old.requester, old.requester_phone);"
    " END",
    "CREATE TRIGGER tickets_fts_update AFTER UPDATE OF external_number, subject, description,"
    "  requester, requester_phone ON tickets BEGIN"
    "  INSERT INTO tickets_fts (tickets_fts, rowid, number, external_number, subject,"
    "                           description, requester, requester_phone)"
    "  VALUES ('delete', old.number, old.number, old.external_number, old.subject,"
    "          old.description, old.requester, old.requester_phone);"
    "  INSERT INTO tickets_fts (rowid, number, external_number, subject, description,"
    "                           requester, requester_phone)"
    "  VALUES (new.number, new.number, new.external_number, new.subject, new.description,"
    "          new.requester, new.requester_phone);"
    " END",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      if (!exec_static (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

/* v3: calls and their hops (issue 3, rd-call-store.c). `id` comes from the
 * "call" counter; `customer` is the JSON of the customer matched when the
 * call came in (a snapshot); from_key holds the digits of from_number, for
 * `?phone=`. hunt_positions remembers each hunt group's round-robin place. */
static gboolean
migrate_v3 (RdStore  *self,
            GError  **error)
{
  static const char * const statements[] = {
    "CREATE TABLE calls ("
    "  id           INTEGER PRIMARY KEY NOT NULL,"
    "  link         TEXT,"
    "  link_call_id TEXT,"
    "  direction    TEXT NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out', 'internal')),"
    "  from_number  TEXT NOT NULL DEFAULT '',"
    "  from_key     TEXT,"
    "  to_number    TEXT NOT NULL DEFAULT '',"
    "  ddi          TEXT,"
    "  trunk        TEXT,"
    "  started_at   INTEGER NOT NULL,"
    "  answered_at  INTEGER,"
    "  ended_at     INTEGER,"
    "  state        TEXT NOT NULL DEFAULT 'ringing'"
    "               CHECK (state IN ('ringing', 'answered', 'held', 'ended')),"
    "  outcome      TEXT CHECK (outcome IN ('answered', 'missed', 'abandoned')),"
    "  customer     TEXT,"
    "  recording_id TEXT)",
    "CREATE INDEX calls_link ON calls (link, link_call_id) WHERE link_call_id IS NOT NULL",
    "CREATE INDEX calls_started_at ON calls (started_at)",
    "CREATE INDEX calls_from_key ON calls (from_key)",
    "CREATE INDEX calls_live ON calls (state) WHERE state <> 'ended'",
    "CREATE TABLE call_hops ("
    "  call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,"
    "  position    INTEGER NOT NULL,"
    "  extension   TEXT NOT NULL,"
    "  ticket      TEXT,"
    "  rung_at     INTEGER NOT NULL,"
    "  answered_at INTEGER,"
    "  ended_at    INTEGER,"
    "  outcome     TEXT CHECK (outcome IN ('no_answer', 'answered', 'abandoned', 'transferred')),"
    "  PRIMARY KEY (call_id, position))",
    "CREATE INDEX call_hops_extension ON call_hops (extension, call_id)",
    "CREATE TABLE hunt_positions ("
    "  name     TEXT PRIMARY KEY NOT NULL,"
    "  position INTEGER NOT NULL)",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      if (!exec_static (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

/* v4: groups and auto-assignment, customers, locations, assets, work orders
 * (issue 4). Ids of customers, locations and assets are rowids, written as
 * decimal strings in the API. A phone number (E.164, normalised) belongs to
 * one customer at most. groups.next_position is the round-robin cursor: the
 * index in the member list to try first next time. */
static gboolean
migrate_v4 (RdStore  *self,
            GError  **error)
{
  static const char * const statements[] = {
    "ALTER TABLE users ADD COLUMN absent INTEGER NOT NULL DEFAULT 0",
    "CREATE TABLE groups ("
    "  name          TEXT PRIMARY KEY NOT NULL,"
    "  description   TEXT NOT NULL DEFAULT '',"
    "  strategy      TEXT NOT NULL DEFAULT 'round_robin'"
    "                CHECK (strategy IN ('round_robin', 'least_open', 'random')),"
    "  next_position INTEGER NOT NULL DEFAULT 0,"
    "  created_at    INTEGER NOT NULL,"
    "  updated_at    INTEGER NOT NULL)",
    "CREATE TABLE group_members ("
    "  group_name TEXT NOT NULL REFERENCES groups (name) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  position   INTEGER NOT NULL,"
    "  PRIMARY KEY (group_name, username))",
    "CREATE INDEX group_members_username ON group_members (username)",
    "CREATE TABLE group_rules ("
    "  group_name TEXT NOT NULL REFERENCES groups (name) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  kind       TEXT NOT NULL CHECK (kind IN ('area', 'category', 'location')),"
    "  value      TEXT NOT NULL,"
    "  position   INTEGER NOT NULL,"
    "  PRIMARY KEY (group_name, kind, value))",
    "CREATE INDEX group_rules_value ON group_rules (kind, value)",
    "CREATE INDEX tickets_assignee_state ON tickets (assignee, state)",
    "CREATE INDEX tickets_group_name ON tickets (group_name)",
    "CREATE TABLE locations ("
    "  id         INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name       TEXT NOT NULL,"
    "  address    TEXT,"
    "  notes      TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL)",
    "CREATE TABLE assets ("
    "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name        TEXT NOT NULL,"
    "  tag         TEXT,"
    "  kind        TEXT,"
    "  location_id INTEGER REFERENCES locations (id),"
    "  serial      TEXT,"
    "  created_at  INTEGER NOT NULL,"
    "  updated_at  INTEGER NOT NULL)",
    "CREATE UNIQUE INDEX assets_tag ON assets (tag) WHERE tag IS NOT NULL",
    "CREATE INDEX assets_location_id ON assets (location_id)",
    "CREATE TABLE customers ("
    "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name        TEXT NOT NULL,"
    "  company     TEXT,"
    "  email       TEXT,"
    "  notes       TEXT,"
    "  location_id INTEGER REFERENCES locations (id),"
    "  created_at  INTEGER NOT NULL,"
    "  updated_at  INTEGER NOT NULL)",
    "CREATE INDEX customers_name_company ON customers (name COLLATE NOCASE, company COLLATE NOCASE)",
    "CREATE TABLE customer_phones ("
    "  phone       TEXT PRIMARY KEY NOT NULL,"
    "  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
    "  position    INTEGER NOT NULL)",
    "CREATE INDEX customer_phones_customer_id ON customer_phones (customer_id, position)",
    "CREATE TABLE work_orders ("
    "  number          INTEGER PRIMARY KEY NOT NULL,"
    "  ticket_number   INTEGER NOT NULL UNIQUE REFERENCES tickets (number) ON DELETE CASCADE,"
    "  state           TEXT NOT NULL DEFAULT 'open'"
    "                  CHECK (state IN ('open', 'in_progress', 'done', 'cancelled')),"
    "  subject         TEXT NOT NULL,"
    "  description     TEXT NOT NULL DEFAULT '',"
    "  area            TEXT NOT NULL DEFAULT '',"
    "  priority        TEXT NOT NULL DEFAULT 'normal',"
    "  category        TEXT NOT NULL DEFAULT '',"
    "  location_id     TEXT,"
    "  asset_id        TEXT,"
    "  requester       TEXT NOT NULL DEFAULT '',"
    "  requester_phone TEXT,"
    "  assignee        TEXT,"
    "  group_name      TEXT,"
    "  created_by      TEXT,"
    "  created_at      INTEGER NOT NULL)",
    "ALTER TABLE tickets ADD COLUMN work_order INTEGER",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      if (!exec_static (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

/* v5: evidence (issue 4). The file is `<data-dir>/evidence/ab/cd/<sha256>`;
 * the row is only written once that file is durable (rd-evidence-store.c).
 * Rows go with their ticket; the blobs they leave are garbage-collected. */
static gboolean
migrate_v5 (RdStore  *self,
            GError  **error)
{
  static const char * const statements[] = {
    "CREATE TABLE evidence ("
    "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  number       INTEGER NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,"
    "  sha256       TEXT NOT NULL CHECK (length (sha256) = 64),"
    "  size         INTEGER NOT NULL CHECK (size > 0),"
    "  content_type TEXT NOT NULL,"
    "  filename     TEXT NOT NULL DEFAULT '',"
    "  description  TEXT NOT NULL DEFAULT '',"
    "  uploaded_by  TEXT,"
    "  uploaded_at  INTEGER NOT NULL)",
    "CREATE INDEX evidence_number ON evidence (number, id)",
    "CREATE INDEX evidence_sha256 ON evidence (sha256)",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      if (!exec_static (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

typedef gboolean (*MigrateFunc) (RdStore *self, GError **error);

/* migrations[N - 1] brings a database from version N - 1 to N */
static const MigrateFunc migrations[] = {
  migrate_v1,
  migrate_v2,
  migrate_v3,
  migrate_v4,
  migrate_v5,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RD_STORE_SCHEMA_VERSION);

/**
 * rd_store_get_schema_version:
 *
 * Returns: the version recorded in the file, 0 for an empty database
 */
guint
rd_store_get_schema_version (RdStore  *self,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 version;

  g_return_val_if_fail (RD_IS_STORE (self), 0);

  exists = prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema'", error);
  if (exists == NULL)
    return 0;
  if (sqlite3_step (exists) != SQLITE_ROW)
    return 0;

  stmt = prepare (self, "SELECT version FROM schema LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  version = sqlite3_column_int64 (stmt, 0);
  return (guint) CLAMP (version, 0, G_MAXUINT);
}

static gboolean
create_or_migrate (RdStore  *self,
                   GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  guint version;

  version = rd_store_get_schema_version (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (version > RD_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "Database %s has schema version %u, newer than the %u this server "
                   "understands; refusing to open it (upgrade ringdesk-server)",
                   self->filename, version, (guint) RD_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (guint v = version + 1; v <= RD_STORE_SCHEMA_VERSION; v++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      g_info ("migrating %s to schema version %u", self->filename, v);

      if (!begin (self, error))
        return FALSE;

      if (!migrations[v - 1] (self, error))
        {
          g_prefix_error (error, "Migration to schema version %u failed: ", v);
          rollback (self);
          return FALSE;
        }

      stmt = prepare (self, "UPDATE schema SET version = ?1", error);
      if (stmt == NULL)
        {
          rollback (self);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, v);
      if (!step_done (self, stmt, error) || !commit (self, error))
        {
          rollback (self);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * rd_store_open:
 *
 * Opens (creating if needed) the database file and migrates it. Opening an
 * open store does nothing.
 */
gboolean
rd_store_open (RdStore  *self,
               GError  **error)
{
  static const char * const pragmas[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA busy_timeout = 5000",
  };
  int rc;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);

  if (self->db != NULL)
    return TRUE;

  rc = sqlite3_open_v2 (self->filename, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "Cannot open database %s: %s",
                   self->filename, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      rd_store_close (self);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);

  for (gsize i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      if (!exec_static (self, pragmas[i], error))
        {
          g_prefix_error (error, "Cannot set up database %s: ", self->filename);
          rd_store_close (self);
          return FALSE;
        }
    }

  if (!create_or_migrate (self, error))
    {
      rd_store_close (self);
      return FALSE;
    }

  /* the hook replaces sqlite's auto-checkpoint, which would run the
   * checkpoint and its fsync()s in the committing (main) thread */
  self->checkpointer = checkpointer_new (self, error);
  if (self->checkpointer == NULL)
    {
      rd_store_close (self);
      return FALSE;
    }
  sqlite3_wal_hook (self->db, on_wal_commit, self->checkpointer);

  g_debug ("opened %s (schema version %u)", self->filename, (guint) RD_STORE_SCHEMA_VERSION);
  return TRUE;
}

/**
 * rd_store_close:
 *
 * Stops the checkpoint thread (after the checkpoints asked for) and closes
 * the database cleanly (sqlite checkpoints the WAL on the last close).
 */
void
rd_store_close (RdStore *self)
{
  g_return_if_fail (RD_IS_STORE (self));

  if (self->db == NULL)
    return;

  /* the worker's connection first: the last one to close checkpoints the
   * WAL and removes it */
  sqlite3_wal_hook (self->db, NULL, NULL);
  g_clear_pointer (&self->checkpointer, checkpointer_free);
  if (sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Closing %s: %s", self->filename, sqlite3_errmsg (self->db));
  self->db = NULL;
}

gboolean
rd_store_is_open (RdStore *self)
{
  g_return_val_if_fail (RD_IS_STORE (self), FALSE);

  return self->db != NULL;
}

/**
 * rd_store_check:
 *
 * Asks the database a real question (used by /healthz).
 */
gboolean
rd_store_check (RdStore  *self,
                GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  guint version;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);

  if (!require_open (self, error))
    return FALSE;

  version = rd_store_get_schema_version (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (version != RD_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE,
                   "Database schema version is %u, expected %u",
                   version, (guint) RD_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

/* users */

static gboolean
write_roles (RdStore  *self,
             RdUser   *user,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  const char * const *roles = rd_user_get_roles (user);

  del = prepare (self, "DELETE FROM user_roles WHERE username = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_text (del, 1, rd_user_get_username (user), -1, SQLITE_TRANSIENT);
  if (!step_done (self, del, error))
    return FALSE;

  ins = prepare (self, "INSERT OR IGNORE INTO user_roles (username, role, position) VALUES (?1, ?2, ?3)",
                 error);
  if (ins == NULL)
    return FALSE;

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      sqlite3_reset (ins);
      sqlite3_bind_text (ins, 1, rd_user_get_username (user), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ins, 2, roles[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (ins, 3, (int) i);
      if (!step_done (self, ins, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * rd_store_add_user:
 * @password_hash: the crypt(3) hash (never the password)
 *
 * Fails with %RD_ERROR_CONFLICT when the username is taken.
 */
gboolean
rd_store_add_user (RdStore     *self,
                   RdUser      *user,
                   const char  *password_hash,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = rd_sqlite_now ();

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_USER (user), FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  if (!require_open (self, error) || !begin (self, error))
    return FALSE;

  stmt = prepare (self,
                  "INSERT INTO users (username, display_name, password_hash, extension, mobile,"
                  " active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                  error);
  if (stmt == NULL)
    {
      rollback (self);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, rd_user_get_username (user), -1, SQLITE_TRANSIENT);
  if (g_strcmp0 (rd_user_get_display_name (user), rd_user_get_username (user)) != 0)
    rd_sqlite_bind_text_or_null (stmt, 2, rd_user_get_display_name (user));
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, password_hash, -1, SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 4, rd_user_get_extension (user));
  rd_sqlite_bind_text_or_null (stmt, 5, rd_user_get_mobile (user));
  sqlite3_bind_int (stmt, 6, rd_user_get_active (user) ? 1 : 0);
  sqlite3_bind_int64 (stmt, 7, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT,
                     "A user named “%s” already exists", rd_user_get_username (user));
      else
        set_sql_error (self, error, "add user");
      rollback (self);
      return FALSE;
    }

  if (!write_roles (self, user, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_store_update_user:
 * @password_hash: (nullable): a new hash, or %NULL to keep the password
 *
 * Writes every field of @user (found by its username).
 */
gboolean
rd_store_update_user (RdStore     *self,
                      RdUser      *user,
                      const char  *password_hash,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = rd_sqlite_now ();

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_USER (user), FALSE);

  if (!require_open (self, error) || !begin (self, error))
    return FALSE;

  stmt = prepare (self,
                  "UPDATE users SET display_name = ?2, extension = ?3, mobile = ?4, active = ?5,"
                  " password_hash = coalesce(?6, password_hash), updated_at = ?7"
                  " WHERE username = ?1",
                  error);
  if (stmt == NULL)
    {
      rollback (self);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, rd_user_get_username (user), -1, SQLITE_TRANSIENT);
  if (g_strcmp0 (rd_user_get_display_name (user), rd_user_get_username (user)) != 0)
    rd_sqlite_bind_text_or_null (stmt, 2, rd_user_get_display_name (user));
  else
    sqlite3_bind_null (stmt, 2);
  rd_sqlite_bind_text_or_null (stmt, 3, rd_user_get_extension (user));
  rd_sqlite_bind_text_or_null (stmt, 4, rd_user_get_mobile (user));
  sqlite3_bind_int (stmt, 5, rd_user_get_active (user) ? 1 : 0);
  rd_sqlite_bind_text_or_null (stmt, 6, password_hash);
  sqlite3_bind_int64 (stmt, 7, now);

  if (!step_done (self, stmt, error))
    {
      rollback (self);
      return FALSE;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND,
                   "No user named “%s”", rd_user_get_username (user));
      rollback (self);
      return FALSE;
    }

  if (!write_roles (self, user, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  return TRUE;
}

#define USER_COLUMNS \
  "u.username, u.display_name, u.extension, u.mobile, u.active," \
  " (SELECT group_concat(role, ';') FROM" \
  "   (SELECT role FROM user_roles r WHERE r.username = u.username ORDER BY position))"

static RdUser *
user_from_row (sqlite3_stmt *stmt)
{
  RdUser *user = rd_user_new ((const char *) sqlite3_column_text (stmt, 0));
  const char *roles = (const char *) sqlite3_column_text (stmt, 5);

  rd_user_set_display_name (user, (const char *) sqlite3_column_text (stmt, 1));
  rd_user_set_extension (user, (const char *) sqlite3_column_text (stmt, 2));
  rd_user_set_mobile (user, (const char *) sqlite3_column_text (stmt, 3));
  rd_user_set_active (user, sqlite3_column_int (stmt, 4) != 0);
  if (roles != NULL && roles[0] != '\0')
    {
      g_auto(GStrv) split = g_strsplit (roles, ";", -1);
      rd_user_set_roles (user, (const char * const *) split);
    }

  return user;
}

/**
 * rd_store_get_user:
 *
 * Returns: (transfer full): the user, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdUser *
rd_store_get_user (RdStore     *self,
                   const char  *username,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users u WHERE u.username = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);

  if (!rd_sqlite_step_one (self->db, stmt, "get user", error, "No user named “%s”", username))
    return NULL;

  return user_from_row (stmt);
}

/**
 * rd_store_get_password_hash:
 *
 * Fails with %RD_ERROR_NOT_FOUND for an unknown user.
 */
gboolean
rd_store_get_password_hash (RdStore     *self,
                            const char  *username,
                            char       **password_hash,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  stmt = prepare (self, "SELECT password_hash FROM users WHERE username = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);

  if (!rd_sqlite_step_one (self->db, stmt, "get password hash", error, "No user named “%s”", username))
    return FALSE;

  *password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return TRUE;
}

/**
 * rd_store_list_users:
 * @after: (nullable): list users whose name sorts after this one (the cursor)
 * @limit: how many at most
 *
 * Returns: (transfer full): a list of #RdUser sorted by username
 */
GListModel *
rd_store_list_users (RdStore     *self,
                     const char  *after,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT " USER_COLUMNS " FROM users u WHERE u.username > ?1"
                  " ORDER BY u.username LIMIT ?2",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, after != NULL ? after : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);

  return rd_sqlite_list (self->db, stmt, RD_TYPE_USER, (RdSqliteRowFunc) user_from_row, "list users", error);
}

static gint64
count_query (RdStore     *self,
             const char  *sql,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sql_error (self, error, "count");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * rd_store_count_users:
 *
 * Returns: the number of users, or -1 on error
 */
gint64
rd_store_count_users (RdStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (RD_IS_STORE (self), -1);

  return count_query (self, "SELECT count(*) FROM users", error);
}

/* tokens */

gboolean
rd_store_add_token (RdStore     *self,
                    const char  *token_hash,
                    const char  *username,
                    gint64       created_at,
                    gint64       expires_at,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (username != NULL, FALSE);

  stmt = prepare (self,
                  "INSERT INTO tokens (hash, username, created_at, expires_at, last_used_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?3)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, expires_at);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sql_error (self, error, "add token");

  return TRUE;
}

/**
 * rd_store_get_token:
 *
 * Fails with %RD_ERROR_NOT_FOUND for an unknown hash.
 */
gboolean
rd_store_get_token (RdStore     *self,
                    const char  *token_hash,
                    char       **username,
                    gint64      *expires_at,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);

  stmt = prepare (self, "SELECT username, expires_at FROM tokens WHERE hash = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);

  if (!rd_sqlite_step_one (self->db, stmt, "get token", error, "Unknown token"))
    return FALSE;

  if (username != NULL)
    *username = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (expires_at != NULL)
    *expires_at = sqlite3_column_int64 (stmt, 1);

  return TRUE;
}

gboolean
rd_store_touch_token (RdStore     *self,
                      const char  *token_hash,
                      gint64       now,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);

  /* only write when the value moves by a minute, to keep requests cheap */
  stmt = prepare (self,
                  "UPDATE tokens SET last_used_at = ?2 WHERE hash = ?1"
                  " AND (last_used_at IS NULL OR last_used_at < ?2 - 60)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);

  return step_done (self, stmt, error);
}

/**
 * rd_store_delete_token:
 *
 * Fails with %RD_ERROR_NOT_FOUND when there was no such token.
 */
gboolean
rd_store_delete_token (RdStore     *self,
                       const char  *token_hash,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);

  stmt = prepare (self, "DELETE FROM tokens WHERE hash = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_NOT_FOUND, "Unknown token");
      return FALSE;
    }

  return TRUE;
}

gboolean
rd_store_delete_user_tokens (RdStore     *self,
                             const char  *username,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);

  stmt = prepare (self, "DELETE FROM tokens WHERE username = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, error);
}

/**
 * rd_store_delete_expired_tokens:
 *
 * Returns: how many were deleted, or -1 on error
 */
gint64
rd_store_delete_expired_tokens (RdStore  *self,
                                gint64    now,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), -1);

  stmt = prepare (self, "DELETE FROM tokens WHERE expires_at <= ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!step_done (self, stmt, error))
    return -1;

  return sqlite3_changes (self->db);
}

gint64
rd_store_count_tokens (RdStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (RD_IS_STORE (self), -1);

  return count_query (self, "SELECT count(*) FROM tokens", error);
}

/* counters */

/**
 * rd_store_counter_next:
 * @start: the first value handed out for a new counter
 *
 * Atomically advances the counter @name and returns its new value; the value
 * is committed before it is returned, so a crash never hands it out twice.
 */
gboolean
rd_store_counter_next (RdStore     *self,
                       const char  *name,
                       gint64       start,
                       gint64      *value,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = prepare (self,
                  "INSERT INTO counters (name, value) VALUES (?1, ?2)"
                  " ON CONFLICT (name) DO UPDATE SET value = max(value + 1, ?2)"
                  " RETURNING value",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, start);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sql_error (self, error, "advance counter");

  if (value != NULL)
    *value = sqlite3_column_int64 (stmt, 0);

  return step_done (self, stmt, error);
}

/* accessors for the stores built on this connection (rd-ticket-store.c) */

/**
 * rd_store_get_connection:
 *
 * Returns: (transfer none) (nullable): the sqlite connection, %NULL when closed
 */
struct sqlite3 *
rd_store_get_connection (RdStore *self)
{
  g_return_val_if_fail (RD_IS_STORE (self), NULL);

  return self->db;
}

/**
 * rd_store_checkpoint_async:
 *
 * Runs a passive WAL checkpoint in the store's checkpoint thread, after the
 * ones already asked for. The store checkpoints by itself every
 * CHECKPOINT_FRAMES frames of WAL; this is for tests and tools.
 */
void
rd_store_checkpoint_async (RdStore             *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_store_checkpoint_async);
  if (self->checkpointer == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE, "The database is not open");
      return;
    }
  g_async_queue_push (self->checkpointer->jobs, g_steal_pointer (&task));
}

gboolean
rd_store_checkpoint_finish (RdStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rd_store_get_n_checkpoints:
 *
 * Returns: the checkpoints the checkpoint thread ran since the store was
 *   opened, asked for or automatic
 */
guint
rd_store_get_n_checkpoints (RdStore *self)
{
  g_return_val_if_fail (RD_IS_STORE (self), 0);

  return self->checkpointer != NULL ? (guint) g_atomic_int_get (&self->checkpointer->n_done) : 0;
}

/**
 * rd_store_set_ticket_number_start:
 * @start: `[numbering] start`: the first ticket number
 *
 * The floor of the "ticket" counter; numbers already handed out are never
 * reused, so a start below them changes nothing.
 */
void
rd_store_set_ticket_number_start (RdStore *self,
                                  gint64   start)
{
  g_return_if_fail (RD_IS_STORE (self));
  g_return_if_fail (start >= 1);

  self->ticket_number_start = start;
}

gint64
rd_store_get_ticket_number_start (RdStore *self)
{
  g_return_val_if_fail (RD_IS_STORE (self), 1);

  return self->ticket_number_start;
}

/* GObject */

const char *
rd_store_get_filename (RdStore *self)
{
  g_return_val_if_fail (RD_IS_STORE (self), NULL);

  return self->filename;
}

static void
rd_store_finalize (GObject *object)
{
  RdStore *self = (RdStore *) object;

  rd_store_close (self);
  g_clear_pointer (&self->filename, g_free);

  G_OBJECT_CLASS (rd_store_parent_class)->finalize (object);
}

static void
rd_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RdStore *self = RD_STORE (object);

  switch (prop_id)
    {
    case PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  RdStore *self = RD_STORE (object);

  switch (prop_id)
    {
    case PROP_FILENAME:
      self->filename = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_store_class_init (RdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_store_finalize;
  object_class->get_property = rd_store_get_property;
  object_class->set_property = rd_store_set_property;

  properties[PROP_FILENAME] =
    g_param_spec_string ("filename", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_store_init (RdStore *self)
{
  self->ticket_number_start = 1;
}

/**
 * rd_store_new:
 * @filename: the database file; it is opened by rd_store_open()
 */
RdStore *
rd_store_new (const char *filename)
{
  g_return_val_if_fail (filename != NULL, NULL);

  return g_object_new (RD_TYPE_STORE, "filename", filename, NULL);
}
