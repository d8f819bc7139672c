/* rd-evidence-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Evidence files live under `<data-dir>/evidence/`, named by their SHA-256
 * and nothing else: `ab/cd/abcd…` (so the same file twice is stored once, and
 * no text from a request ever reaches a path). The metadata (ticket, type,
 * sanitised filename, description, who and when) is a row of the `evidence`
 * table.
 *
 * Adding a file, in this order (docs/storage.md has the argument):
 *   1. the body is streamed into `tmp/upload-<random>` (RdEvidenceUpload)
 *   2. worker thread: fsync the temp file, rename it to its blob path,
 *      fsync the blob's folder (and the new folders above it)
 *   3. main thread: INSERT the row in its own transaction
 * A crash before 3 leaves no row, only a temp file or a blob without a row;
 * rd_evidence_store_collect_garbage() removes both, at startup and hourly.
 * A committed row always has its file, because the file was durable first.
 *
 * While an upload is between 2 and 3 its digest is "pending": neither the
 * garbage collector nor a DELETE of another row with the same digest removes
 * that blob. Deleting a row commits first and removes the blob afterwards,
 * when no row and no pending upload uses it.
 */

#define G_LOG_DOMAIN "RdEvidenceStore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "rd-error.h"
#include "rd-check.h"
#include "rd-sqlite.h"
#include "rd-evidence-store.h"

#define GC_INTERVAL_SECONDS (60 * 60)
/* temp files of uploads that no longer run are removed after this long */
#define TEMP_MAX_AGE_USEC   ((gint64) G_USEC_PER_SEC * 60 * 60 * 24)

struct _RdEvidenceStore
{
  GObject     parent_instance;

  RdStore    *store;
  char       *folder;
  char       *tmp_folder;
  guint64     max_size;
  GHashTable *pending;      /* sha256 → number of uploads being added */
  GHashTable *uploads;      /* temp paths of live uploads */
  guint       gc_id;
};

G_DEFINE_FINAL_TYPE (RdEvidenceStore, rd_evidence_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FOLDER,
  PROP_MAX_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
sha256_is_hex (const char *sha256)
{
  if (!rd_evidence_sha256_is_valid (sha256))
    return FALSE;

  for (const char *p = sha256; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
        return FALSE;
    }

  return TRUE;
}

/**
 * rd_evidence_store_get_blob_path:
 * @sha256: a lowercase hex SHA-256
 *
 * Returns: (transfer full) (nullable): `<folder>/ab/cd/<sha256>`, or %NULL
 *   when @sha256 is not a digest
 */
char *
rd_evidence_store_get_blob_path (RdEvidenceStore *self,
                                 const char      *sha256)
{
  char a[3] = { 0 };
  char b[3] = { 0 };

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), NULL);

  if (!sha256_is_hex (sha256))
    return NULL;

  memcpy (a, sha256, 2);
  memcpy (b, sha256 + 2, 2);
  return g_build_filename (self->folder, a, b, sha256, NULL);
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static gboolean
sync_dir (const char  *path,
          GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int saved;

  if (fd >= 0 && fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }

  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "Cannot sync %s: %s", path, g_strerror (saved));
  return FALSE;
}

/**
 * rd_evidence_sanitize_filename:
 * @filename: (nullable): a name from a client
 *
 * Keeps the last path component, without control characters, quotes,
 * backslashes or leading dots, at most %RD_EVIDENCE_MAX_FILENAME characters
 * of valid UTF-8. Only ever stored as metadata.
 *
 * Returns: (transfer full): the name, possibly empty
 */
char *
rd_evidence_sanitize_filename (const char *filename)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *base;
  guint n_chars = 0;

  if (filename == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (filename, -1);
  base = strrchr (valid, '/');
  base = base != NULL ? base + 1 : valid;
  if (strrchr (base, '\\') != NULL)
    base = strrchr (base, '\\') + 1;

  for (const char *p = base; *p != '\0' && n_chars < RD_EVIDENCE_MAX_FILENAME; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029)
        continue;
      if (clean->len == 0 && (c == '.' || g_unichar_isspace (c)))
        continue;
      g_string_append_unichar (clean, c);
      n_chars++;
    }

  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* uploads */

static void
upload_gone_cb (gpointer  user_data,
                GObject  *where_the_object_was)
{
  RdEvidenceStore *self = user_data;

  g_hash_table_remove (self->uploads, g_object_get_data (where_the_object_was, "rd-path"));
}

/**
 * rd_evidence_store_begin_upload:
 * @content_type: the declared type
 *
 * Returns: (transfer full): a stream to write the body to, then hand to
 *   rd_evidence_store_add_async()
 */
RdEvidenceUpload *
rd_evidence_store_begin_upload (RdEvidenceStore  *self,
                                const char       *content_type,
                                GError          **error)
{
  RdEvidenceUpload *upload;
  char *path;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), NULL);

  if (!make_dir (self->tmp_folder, error))
    return NULL;

  upload = rd_evidence_upload_new (self->tmp_folder, content_type, error);
  if (upload == NULL)
    return NULL;

  path = g_strdup (rd_evidence_upload_get_path (upload));
  g_object_set_data_full (G_OBJECT (upload), "rd-path", path, g_free);
  /* the store outlives the notification, which comes before the data goes */
  g_object_set_data_full (G_OBJECT (upload), "rd-store", g_object_ref (self), g_object_unref);
  g_hash_table_add (self->uploads, g_strdup (path));
  g_object_weak_ref (G_OBJECT (upload), upload_gone_cb, self);

  return upload;
}

static void
pending_add (RdEvidenceStore *self,
             const char      *sha256)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->pending, sha256));

  g_hash_table_insert (self->pending, g_strdup (sha256), GUINT_TO_POINTER (n + 1));
}

static void
pending_remove (RdEvidenceStore *self,
                const char      *sha256)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->pending, sha256));

  if (n <= 1)
    g_hash_table_remove (self->pending, sha256);
  else
    g_hash_table_insert (self->pending, g_strdup (sha256), GUINT_TO_POINTER (n - 1));
}

static gboolean
blob_is_referenced (RdEvidenceStore  *self,
                    sqlite3          *db,
                    const char       *sha256,
                    gboolean         *referenced,
                    GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (g_hash_table_contains (self->pending, sha256))
    {
      *referenced = TRUE;
      return TRUE;
    }

  stmt = rd_sqlite_prepare (db, "SELECT 1 FROM evidence WHERE sha256 = ?1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rd_sqlite_set_error (db, error, "find evidence blob");

  *referenced = rc == SQLITE_ROW;
  return TRUE;
}

/* Removes the blob of @sha256 when nothing uses it any more. */
static void
release_blob (RdEvidenceStore *self,
              sqlite3         *db,
              const char      *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rd_evidence_store_get_blob_path (self, sha256);
  gboolean referenced = TRUE;

  if (path == NULL || !blob_is_referenced (self, db, sha256, &referenced, &error))
    {
      if (error != NULL)
        g_warning ("Keeping blob %s: %s", sha256, error->message);
      return;
    }

  if (!referenced && g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
}

typedef struct
{
  RdEvidenceUpload *upload;
  gint64            number;
  char             *filename;
  char             *description;
  char             *username;
  char             *sha256;
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_object (&data->upload);
  g_free (data->filename);
  g_free (data->description);
  g_free (data->username);
  g_free (data->sha256);
  g_free (data);
}

/* worker thread: make the file durable under its final name */
static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RdEvidenceStore *self = source_object;
  AddData *data = task_data;
  g_autofree char *path = rd_evidence_store_get_blob_path (self, data->sha256);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *parent = g_path_get_dirname (dir);
  gboolean created = !g_file_test (dir, G_FILE_TEST_IS_DIR);
  GError *error = NULL;

  if (!rd_evidence_upload_sync (data->upload, &error) ||
      !make_dir (dir, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_rename (rd_evidence_upload_get_path (data->upload), path) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "Cannot move evidence into place: %s", g_strerror (saved));
      return;
    }

  /* the rename, and the folders it needed, must be on disk before the row */
  if (!sync_dir (dir, &error) ||
      (created && (!sync_dir (parent, &error) || !sync_dir (self->folder, &error))))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static RdEvidence *
insert_row (RdEvidenceStore  *self,
            AddData          *data,
            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *id = NULL;
  g_autofree char *ticket = NULL;
  sqlite3 *db;

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO evidence (number, sha256, size, content_type, filename,"
                            " description, uploaded_by, uploaded_at)"
                            " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
                            " WHERE EXISTS (SELECT 1 FROM tickets WHERE number = ?1)",
                            error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, data->number);
  sqlite3_bind_text (stmt, 2, data->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) rd_evidence_upload_get_size (data->upload));
  sqlite3_bind_text (stmt, 4, rd_evidence_upload_get_content_type (data->upload), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, data->filename, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, data->description, -1, SQLITE_STATIC);
  rd_sqlite_bind_text_or_null (stmt, 7, data->username);
  sqlite3_bind_int64 (stmt, 8, g_date_time_to_unix (now));

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "add evidence");
      goto fail;
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No ticket %" G_GINT64_FORMAT, data->number);
      goto fail;
    }

  id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_last_insert_rowid (db));
  if (!rd_sqlite_commit (db, error))
    goto fail;

  ticket = g_strdup_printf ("%" G_GINT64_FORMAT, data->number);
  evidence = rd_evidence_new (id);
  rd_evidence_set_ticket (evidence, ticket);
  rd_evidence_set_filename (evidence, data->filename);
  rd_evidence_set_content_type (evidence, rd_evidence_upload_get_content_type (data->upload));
  rd_evidence_set_size (evidence, (gint64) rd_evidence_upload_get_size (data->upload));
  rd_evidence_set_sha256 (evidence, data->sha256);
  rd_evidence_set_description (evidence, data->description);
  rd_evidence_set_uploaded_by (evidence, data->username);
  rd_evidence_set_uploaded_at (evidence, now);

  return g_steal_pointer (&evidence);

fail:
  rd_sqlite_rollback (db);
  return NULL;
}

static void
add_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RdEvidenceStore *self = RD_EVIDENCE_STORE (source);
  g_autoptr(GTask) task = user_data;
  AddData *data = g_task_get_task_data (task);
  g_autoptr(RdEvidence) evidence = NULL;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    evidence = insert_row (self, data, &error);

  pending_remove (self, data->sha256);

  if (evidence == NULL)
    {
      sqlite3 *db = rd_store_get_connection (self->store);

      if (db != NULL)
        release_blob (self, db, data->sha256);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&evidence), g_object_unref);
}

/**
 * rd_evidence_store_add_async:
 * @upload: an upload from rd_evidence_store_begin_upload() with the whole body
 * @number: the ticket
 * @filename: the sanitised filename (rd_evidence_sanitize_filename())
 * @description: a checked description
 * @username: (nullable): who uploads it
 *
 * Ends the body (see rd_evidence_upload_finish_body()), makes the file durable
 * under its digest in a worker thread, then adds the row.
 */
void
rd_evidence_store_add_async (RdEvidenceStore     *self,
                             RdEvidenceUpload    *upload,
                             gint64               number,
                             const char          *filename,
                             const char          *description,
                             const char          *username,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  GError *error = NULL;
  AddData *data;

  g_return_if_fail (RD_IS_EVIDENCE_STORE (self));
  g_return_if_fail (RD_IS_EVIDENCE_UPLOAD (upload));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_evidence_store_add_async);

  if (!rd_evidence_upload_finish_body (upload, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (AddData, 1);
  data->upload = g_object_ref (upload);
  data->number = number;
  data->filename = g_strdup (filename != NULL ? filename : "");
  data->description = g_strdup (description != NULL ? description : "");
  data->username = g_strdup (username);
  data->sha256 = g_strdup (rd_evidence_upload_get_sha256 (upload));
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  pending_add (self, data->sha256);

  /* once begun, the durable steps run to the end: no cancellable */
  worker = g_task_new (self, NULL, add_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, add_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, add_thread);
}

/**
 * rd_evidence_store_add_finish:
 *
 * Returns: (transfer full): the evidence as stored
 */
RdEvidence *
rd_evidence_store_add_finish (RdEvidenceStore  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_evidence_store_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* reading */

#define EVIDENCE_COLUMNS \
  "id, number, sha256, size, content_type, filename, description, uploaded_by, uploaded_at"

static RdEvidence *
evidence_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
  g_autofree char *ticket = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 1));
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 8));
  RdEvidence *evidence = rd_evidence_new (id);

  rd_evidence_set_ticket (evidence, ticket);
  rd_evidence_set_sha256 (evidence, (const char *) sqlite3_column_text (stmt, 2));
  rd_evidence_set_size (evidence, sqlite3_column_int64 (stmt, 3));
  rd_evidence_set_content_type (evidence, (const char *) sqlite3_column_text (stmt, 4));
  rd_evidence_set_filename (evidence, (const char *) sqlite3_column_text (stmt, 5));
  rd_evidence_set_description (evidence, (const char *) sqlite3_column_text (stmt, 6));
  rd_evidence_set_uploaded_by (evidence, (const char *) sqlite3_column_text (stmt, 7));
  rd_evidence_set_uploaded_at (evidence, at);

  return evidence;
}

/**
 * rd_evidence_store_get:
 * @number: (out) (optional): its ticket
 *
 * Returns: (transfer full): the evidence, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdEvidence *
rd_evidence_store_get (RdEvidenceStore  *self,
                       gint64            id,
                       gint64           *number,
                       GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db, "SELECT " EVIDENCE_COLUMNS " FROM evidence WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  if (!rd_sqlite_step_one (db, stmt, "get evidence", error, "No evidence %" G_GINT64_FORMAT, id))
    return NULL;

  if (number != NULL)
    *number = sqlite3_column_int64 (stmt, 1);

  return evidence_from_row (stmt);
}

/**
 * rd_evidence_store_list:
 *
 * Returns: (transfer full): the evidence of ticket @number, oldest first
 */
GListModel *
rd_evidence_store_list (RdEvidenceStore  *self,
                        gint64            number,
                        GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db, "SELECT " EVIDENCE_COLUMNS " FROM evidence WHERE number = ?1 ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, number);

  return rd_sqlite_list (db, stmt, RD_TYPE_EVIDENCE, (RdSqliteRowFunc) evidence_from_row, "list evidence",
                         error);
}

/**
 * rd_evidence_store_delete:
 *
 * Removes the row, then its blob when no other row uses it.
 */
gboolean
rd_evidence_store_delete (RdEvidenceStore  *self,
                          gint64            id,
                          GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sha256 = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  stmt = rd_sqlite_prepare (db, "DELETE FROM evidence WHERE id = ?1 RETURNING sha256", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!rd_sqlite_step_one (db, stmt, "delete evidence", error, "No evidence %" G_GINT64_FORMAT, id))
    goto fail;
  sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "delete evidence");
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!rd_sqlite_commit (db, error))
    goto fail;

  release_blob (self, db, sha256);
  return TRUE;

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  rd_sqlite_rollback (db);
  return FALSE;
}

/**
 * rd_evidence_store_delete_ticket:
 * @number: the ticket
 *
 * Deletes ticket @number with everything that hangs on it (history, call
 * bindings, work order, evidence rows) in one transaction, then removes the
 * blobs no other row uses. A crash between the two leaves blobs without rows,
 * for the collector; never a row without its file. The number is not reused.
 */
gboolean
rd_evidence_store_delete_ticket (RdEvidenceStore  *self,
                                 gint64            number,
                                 GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  stmt = rd_sqlite_prepare (db, "SELECT DISTINCT sha256 FROM evidence WHERE number = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (digests, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "list the ticket's evidence");
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* the schema cascades to history, call bindings, work order and evidence */
  stmt = rd_sqlite_prepare (db, "DELETE FROM tickets WHERE number = ?1 RETURNING number", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, number);
  if (!rd_sqlite_step_one (db, stmt, "delete ticket", error, "No ticket %" G_GINT64_FORMAT, number))
    goto fail;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "delete ticket");
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!rd_sqlite_commit (db, error))
    goto fail;

  for (guint i = 0; i < digests->len; i++)
    release_blob (self, db, g_ptr_array_index (digests, i));
  return TRUE;

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  rd_sqlite_rollback (db);
  return FALSE;
}

/* garbage */

typedef struct
{
  char   *path;
  char   *sha256;   /* NULL for a temp file */
  gint64  mtime;
} Candidate;

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->path);
  g_free (candidate->sha256);
  g_free (candidate);
}

static gboolean
is_hex_pair (const char *name)
{
  return strlen (name) == 2 && g_ascii_isxdigit (name[0]) && g_ascii_isxdigit (name[1]) &&
         !g_ascii_isupper (name[0]) && !g_ascii_isupper (name[1]);
}

static void
add_candidate (GPtrArray  *found,
               char       *path,
               const char *sha256)
{
  Candidate *candidate = g_new0 (Candidate, 1);
  GStatBuf st;

  candidate->path = path;
  candidate->sha256 = g_strdup (sha256);
  candidate->mtime = g_lstat (path, &st) == 0 ? (gint64) st.st_mtime : 0;
  g_ptr_array_add (found, candidate);
}

/* Every temp file and blob under @folder; only reads the file system, so it
 * runs in a worker thread for the periodic collection. */
static GPtrArray *
list_candidates (const char *folder)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autofree char *tmp_folder = g_build_filename (folder, "tmp", NULL);
  g_autoptr(GDir) tmp = g_dir_open (tmp_folder, 0, NULL);
  g_autoptr(GDir) top = g_dir_open (folder, 0, NULL);
  const char *a;
  const char *name;

  while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
    add_candidate (found, g_build_filename (tmp_folder, name, NULL), NULL);

  while (top != NULL && (a = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *a_path = g_build_filename (folder, a, NULL);
      g_autoptr(GDir) middle = NULL;
      const char *b;

      if (!is_hex_pair (a) || (middle = g_dir_open (a_path, 0, NULL)) == NULL)
        continue;

      while ((b = g_dir_read_name (middle)) != NULL)
        {
          g_autofree char *b_path = g_build_filename (a_path, b, NULL);
          g_autoptr(GDir) bottom = NULL;

          if (!is_hex_pair (b) || (bottom = g_dir_open (b_path, 0, NULL)) == NULL)
            continue;

          while ((name = g_dir_read_name (bottom)) != NULL)
            {
              /* a file in the wrong folder is not one of ours either */
              if (sha256_is_hex (name) && strncmp (name, a, 2) == 0 && strncmp (name + 2, b, 2) == 0)
                add_candidate (found, g_build_filename (b_path, name, NULL), name);
            }
        }
    }

  return found;
}

/* Main thread: removes the candidates nothing uses (any more). */
static guint
remove_garbage (RdEvidenceStore  *self,
                GPtrArray        *candidates,
                gboolean          all_temp_files,
                GError          **error)
{
  gint64 now = g_get_real_time ();
  guint removed = 0;
  sqlite3 *db;

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return 0;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->sha256 == NULL)
        {
          if (g_hash_table_contains (self->uploads, candidate->path) ||
              (!all_temp_files && now - candidate->mtime * G_USEC_PER_SEC < TEMP_MAX_AGE_USEC))
            continue;
        }
      else
        {
          gboolean referenced = TRUE;

          if (!blob_is_referenced (self, db, candidate->sha256, &referenced, error))
            return removed;
          if (referenced)
            continue;
        }

      if (g_unlink (candidate->path) == 0)
        {
          g_info ("removed %s, which %s", candidate->path,
                  candidate->sha256 != NULL ? "no row uses" : "no upload writes");
          removed++;
        }
    }

  return removed;
}

/**
 * rd_evidence_store_collect_garbage:
 * @all_temp_files: remove every temp file of no live upload (at startup);
 *   otherwise only those older than a day
 *
 * Removes blobs that no row and no pending upload uses, and stale temp files.
 * Synchronous: for startup and tests; the hourly run lists the files in a
 * worker thread.
 *
 * Returns: how many files were removed
 */
guint
rd_evidence_store_collect_garbage (RdEvidenceStore  *self,
                                   gboolean          all_temp_files,
                                   GError          **error)
{
  g_autoptr(GPtrArray) candidates = NULL;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), 0);

  candidates = list_candidates (self->folder);
  return remove_garbage (self, candidates, all_temp_files, error);
}

static void
gc_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  g_task_return_pointer (task, list_candidates (task_data), (GDestroyNotify) g_ptr_array_unref);
}

static void
gc_listed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RdEvidenceStore *self = RD_EVIDENCE_STORE (source);
  g_autoptr(GPtrArray) candidates = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GError) error = NULL;

  if (candidates != NULL)
    remove_garbage (self, candidates, FALSE, &error);
  if (error != NULL)
    g_warning ("Evidence garbage collection: %s", error->message);
}

static gboolean
gc_cb (gpointer user_data)
{
  RdEvidenceStore *self = user_data;
  g_autoptr(GTask) task = g_task_new (self, NULL, gc_listed_cb, NULL);

  g_task_set_source_tag (task, gc_cb);
  g_task_set_task_data (task, g_strdup (self->folder), g_free);
  g_task_run_in_thread (task, gc_thread);

  return G_SOURCE_CONTINUE;
}

/**
 * rd_evidence_store_prepare:
 *
 * Removes what a crash may have left (temp files, blobs without rows) and
 * collects garbage hourly from then on. The folders are made by the first
 * upload.
 */
gboolean
rd_evidence_store_prepare (RdEvidenceStore  *self,
                           GError          **error)
{
  guint removed;

  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), FALSE);

  removed = rd_evidence_store_collect_garbage (self, TRUE, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (removed > 0)
    g_message ("removed %u evidence files that no row uses (left by a crash or a deleted ticket)", removed);

  if (self->gc_id == 0)
    self->gc_id = g_timeout_add_seconds (GC_INTERVAL_SECONDS, gc_cb, self);

  return TRUE;
}

const char *
rd_evidence_store_get_folder (RdEvidenceStore *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), NULL);

  return self->folder;
}

guint64
rd_evidence_store_get_max_size (RdEvidenceStore *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_STORE (self), 0);

  return self->max_size;
}

/* GObject */

static void
rd_evidence_store_finalize (GObject *object)
{
  RdEvidenceStore *self = (RdEvidenceStore *) object;

  g_clear_handle_id (&self->gc_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->tmp_folder, g_free);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_hash_table_unref);

  G_OBJECT_CLASS (rd_evidence_store_parent_class)->finalize (object);
}

static void
rd_evidence_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RdEvidenceStore *self = RD_EVIDENCE_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, self->max_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_evidence_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RdEvidenceStore *self = RD_EVIDENCE_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FOLDER:
      self->folder = g_value_dup_string (value);
      self->tmp_folder = g_build_filename (self->folder, "tmp", NULL);
      break;
    case PROP_MAX_SIZE:
      self->max_size = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_evidence_store_class_init (RdEvidenceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_evidence_store_finalize;
  object_class->get_property = rd_evidence_store_get_property;
  object_class->set_property = rd_evidence_store_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL, 1, G_MAXINT64, RD_EVIDENCE_DEFAULT_MAX_SIZE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_evidence_store_init (RdEvidenceStore *self)
{
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * rd_evidence_store_new:
 * @store: the store with the `evidence` table
 * @folder: the evidence folder (made by the first upload)
 * @max_size: the largest file accepted, in bytes
 */
RdEvidenceStore *
rd_evidence_store_new (RdStore    *store,
                       const char *folder,
                       guint64     max_size)
{
  g_return_val_if_fail (RD_IS_STORE (store), NULL);
  g_return_val_if_fail (folder != NULL && g_path_is_absolute (folder), NULL);

  return g_object_new (RD_TYPE_EVIDENCE_STORE,
                       "store", store,
                       "folder", folder,
                       "max-size", MAX (max_size, 1),
                       NULL);
}

/**
 * rd_evidence_store_new_from_config:
 *
 * The store of `<data-dir>/evidence` with `[evidence] max-size`.
 */
RdEvidenceStore *
rd_evidence_store_new_from_config (RdConfig *config,
                                   RdStore  *store)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (RD_IS_CONFIG (config), NULL);

  data_dir = rd_config_get_data_dir (config);
  folder = g_build_filename (data_dir, "evidence", NULL);

  return rd_evidence_store_new (store, folder, (guint64) rd_config_get_int (config, "evidence", "max-size"));
}
