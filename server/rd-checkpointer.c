/* rd-checkpointer.c: WAL checkpoints off the event loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In WAL mode with synchronous=NORMAL a commit only appends to the WAL; the
 * fsyncs happen when the WAL is copied back into the database file, the
 * checkpoint. sqlite runs it by itself on the connection that commits, once
 * the WAL passes 1000 pages, which is the server's main thread: every few
 * seconds under load a commit stalled the event loop (and so every live event
 * and HTTP reply behind it) for an fsync or two, up to a hundred
 * milliseconds on a busy disk.
 *
 * Here the connection's automatic checkpoints are off; its WAL hook, which
 * sqlite calls after each commit with the WAL's size, wakes a thread that
 * runs a PASSIVE checkpoint on a connection of its own. PASSIVE never waits
 * for readers or the writer, and the writer never waits for it: the main
 * thread keeps appending while the thread copies and syncs, at most every
 * 200 ms. Durability is
 * what WAL + NORMAL gives either way: a committed transaction survives a
 * crash of the process; a power cut may lose the last ones, never corrupt
 * the file.
 */

#define G_LOG_DOMAIN "RdCheckpointer"

#include "config.h"

#include "rd-checkpointer.h"
#include "rd-error.h"
#include "rd-sqlite.h"

#define MIN_INTERVAL_USEC (200 * G_TIME_SPAN_MILLISECOND)

struct _RdCheckpointer
{
  sqlite3 *db;            /* the main connection, whose hook this is */
  sqlite3 *own;           /* the thread's connection */
  GThread *thread;
  GMutex   mutex;
  GCond    cond;
  guint    threshold;
  gboolean wanted;
  gboolean stopping;
  guint64  runs;
};

/* sqlite calls this on the committing thread, after the commit */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         pages)
{
  RdCheckpointer *self = data;

  if (pages >= 0 && (guint) pages >= self->threshold)
    {
      g_mutex_lock (&self->mutex);
      if (!self->wanted)
        {
          self->wanted = TRUE;
          g_cond_broadcast (&self->cond);
        }
      g_mutex_unlock (&self->mutex);
    }

  return SQLITE_OK;
}

static gpointer
checkpoint_thread (gpointer data)
{
  RdCheckpointer *self = data;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      int rc;
      int log_pages = 0;
      int done_pages = 0;
      gint64 end;

      while (!self->wanted && !self->stopping)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->stopping)
        break;
      self->wanted = FALSE;
      g_mutex_unlock (&self->mutex);

      rc = sqlite3_wal_checkpoint_v2 (self->own, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                      &log_pages, &done_pages);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        g_warning ("Checkpoint failed: %s", sqlite3_errmsg (self->own));
      else
        g_debug ("checkpoint: %d of %d WAL pages copied", done_pages, log_pages);

      g_mutex_lock (&self->mutex);
      self->runs++;
      g_cond_broadcast (&self->cond);

      /* under a steady write load the WAL rarely empties, so every commit
       * would ask again: one checkpoint (and its fsyncs) per interval at most */
      end = g_get_monotonic_time () + MIN_INTERVAL_USEC;
      while (!self->stopping && g_cond_wait_until (&self->cond, &self->mutex, end))
        ;
    }
  g_mutex_unlock (&self->mutex);

  return NULL;
}

/**
 * rd_checkpointer_new:
 * @db: an open connection in WAL mode
 * @filename: its database file
 * @threshold_pages: the WAL size that calls for a checkpoint
 *
 * Turns off @db's automatic checkpoints and runs them on a thread instead.
 * Free the checkpointer before closing @db.
 *
 * Returns: (transfer full): the checkpointer, or %NULL with an
 *   %RD_ERROR_UNAVAILABLE when its connection cannot be opened
 */
RdCheckpointer *
rd_checkpointer_new (sqlite3     *db,
                     const char  *filename,
                     guint        threshold_pages,
                     GError     **error)
{
  RdCheckpointer *self;
  sqlite3 *own = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (threshold_pages > 0, NULL);

  rc = sqlite3_open_v2 (filename, &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "Cannot open %s for checkpoints: %s",
                   filename, own != NULL ? sqlite3_errmsg (own) : sqlite3_errstr (rc));
      sqlite3_close (own);
      return NULL;
    }
  sqlite3_busy_timeout (own, 5000);

  /* the connection opens the file, and learns it is in WAL mode, on first use */
  if (!rd_sqlite_is_wal (own))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "%s is not in WAL mode", filename);
      sqlite3_close (own);
      return NULL;
    }

  self = g_new0 (RdCheckpointer, 1);
  self->db = db;
  self->own = own;
  self->threshold = threshold_pages;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  /* also replaces the automatic checkpoints, which use the same hook */
  sqlite3_wal_hook (db, wal_hook, self);
  self->thread = g_thread_new ("rd-checkpoint", checkpoint_thread, self);

  return self;
}

/**
 * rd_checkpointer_free:
 *
 * Stops the thread (after the checkpoint it may be running) and gives @db
 * its hook back; the last checkpoint is sqlite's, when @db closes.
 */
void
rd_checkpointer_free (RdCheckpointer *self)
{
  if (self == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (self->thread);

  sqlite3_wal_hook (self->db, NULL, NULL);
  if (sqlite3_close (self->own) != SQLITE_OK)
    g_warning ("Closing the checkpoint connection: %s", sqlite3_errmsg (self->own));

  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/* How many checkpoints ran, for tests */
guint64
rd_checkpointer_get_runs (RdCheckpointer *self)
{
  guint64 runs;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  runs = self->runs;
  g_mutex_unlock (&self->mutex);

  return runs;
}

/* Blocks until more than @runs checkpoints ran, for tests */
void
rd_checkpointer_wait (RdCheckpointer *self,
                      guint64         runs)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  while (self->runs <= runs)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}
