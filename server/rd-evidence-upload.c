/* rd-evidence-upload.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GOutputStream over a new private temp file (O_EXCL, 0600) in the evidence
 * tmp folder. Every write goes to the file and into a SHA-256 checksum; the
 * first RD_SNIFF_HEAD_SIZE bytes are also kept, and as soon as they are in
 * the file type is sniffed and a type other than the declared one fails the
 * write with RD_ERROR_UNSUPPORTED_MEDIA_TYPE, so a wrong upload stops early.
 *
 * rd_evidence_upload_finish_body() ends the body (sniffing short files, and
 * refusing empty ones) and gives the digest; rd_evidence_upload_sync() fsyncs
 * and closes the file and may run in a worker thread. The temp file is
 * removed when the upload is finalized, unless it was renamed away first.
 */

#define G_LOG_DOMAIN "RdEvidenceUpload"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rd-error.h"
#include "rd-evidence-upload.h"
#include "rd-sniff.h"

struct _RdEvidenceUpload
{
  GOutputStream  parent_instance;

  char          *path;
  char          *content_type;
  int            fd;
  GChecksum     *checksum;
  char          *sha256;
  guint64        size;
  guint8         head[RD_SNIFF_HEAD_SIZE];
  gboolean       sniffed;
};

G_DEFINE_FINAL_TYPE (RdEvidenceUpload, rd_evidence_upload, G_TYPE_OUTPUT_STREAM)

static gboolean
check_type (RdEvidenceUpload  *self,
            gsize              head_length,
            GError           **error)
{
  const char *found = rd_sniff_content_type (self->head, head_length);

  self->sniffed = TRUE;
  if (g_strcmp0 (found, self->content_type) != 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                   "The file is %s, not the %s of its Content-Type",
                   found != NULL ? found : "of no accepted type", self->content_type);
      return FALSE;
    }

  return TRUE;
}

static gssize
rd_evidence_upload_write_fn (GOutputStream  *stream,
                             const void     *buffer,
                             gsize           count,
                             GCancellable   *cancellable,
                             GError        **error)
{
  RdEvidenceUpload *self = RD_EVIDENCE_UPLOAD (stream);
  const guint8 *data = buffer;
  gsize done = 0;

  if (self->fd < 0 || self->sha256 != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The upload is finished");
      return -1;
    }

  count = MIN (count, G_MAXSSIZE);

  if (self->size < RD_SNIFF_HEAD_SIZE)
    {
      gsize n = MIN (count, RD_SNIFF_HEAD_SIZE - self->size);

      memcpy (self->head + self->size, data, n);
      if (self->size + n == RD_SNIFF_HEAD_SIZE && !check_type (self, RD_SNIFF_HEAD_SIZE, error))
        return -1;
    }

  while (done < count)
    {
      ssize_t n = write (self->fd, data + done, count - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot write the evidence temp file: %s", g_strerror (saved));
          return -1;
        }
      done += (gsize) n;
    }

  g_checksum_update (self->checksum, data, (gssize) count);
  self->size += count;

  return (gssize) count;
}

/**
 * rd_evidence_upload_finish_body:
 *
 * Ends the body: checks the type of files shorter than the sniffed head and
 * refuses an empty body (%RD_ERROR_INVALID_FIELD). Afterwards
 * rd_evidence_upload_get_sha256() has the digest.
 */
gboolean
rd_evidence_upload_finish_body (RdEvidenceUpload  *self,
                                GError           **error)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_UPLOAD (self), FALSE);

  if (self->sha256 != NULL)
    return TRUE;

  if (self->size == 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "The body is empty");
      return FALSE;
    }

  if (!self->sniffed && !check_type (self, MIN (self->size, RD_SNIFF_HEAD_SIZE), error))
    return FALSE;

  self->sha256 = g_strdup (g_checksum_get_string (self->checksum));
  return TRUE;
}

/**
 * rd_evidence_upload_sync:
 *
 * Flushes the file to the disk and closes it. Blocking; call it from a
 * worker thread.
 */
gboolean
rd_evidence_upload_sync (RdEvidenceUpload  *self,
                         GError           **error)
{
  int fd;

  g_return_val_if_fail (RD_IS_EVIDENCE_UPLOAD (self), FALSE);

  fd = self->fd;
  self->fd = -1;
  if (fd < 0)
    return TRUE;

  if (fsync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot sync the evidence temp file: %s", g_strerror (saved));
      return FALSE;
    }

  if (close (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot close the evidence temp file: %s", g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static gboolean
rd_evidence_upload_close_fn (GOutputStream  *stream,
                             GCancellable   *cancellable,
                             GError        **error)
{
  return TRUE;
}

const char *
rd_evidence_upload_get_path (RdEvidenceUpload *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_UPLOAD (self), NULL);

  return self->path;
}

const char *
rd_evidence_upload_get_content_type (RdEvidenceUpload *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_UPLOAD (self), NULL);

  return self->content_type;
}

guint64
rd_evidence_upload_get_size (RdEvidenceUpload *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_UPLOAD (self), 0);

  return self->size;
}

/**
 * rd_evidence_upload_get_sha256:
 *
 * Returns: (nullable): the lowercase hex digest, once the body is finished
 */
const char *
rd_evidence_upload_get_sha256 (RdEvidenceUpload *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_UPLOAD (self), NULL);

  return self->sha256;
}

static void
rd_evidence_upload_finalize (GObject *object)
{
  RdEvidenceUpload *self = (RdEvidenceUpload *) object;

  if (self->fd >= 0)
    close (self->fd);
  /* gone already when it was renamed into the store */
  if (self->path != NULL && g_unlink (self->path) != 0 && errno != ENOENT)
    g_warning ("Cannot remove %s: %s", self->path, g_strerror (errno));

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_clear_pointer (&self->sha256, g_free);

  G_OBJECT_CLASS (rd_evidence_upload_parent_class)->finalize (object);
}

static void
rd_evidence_upload_class_init (RdEvidenceUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = rd_evidence_upload_finalize;
  stream_class->write_fn = rd_evidence_upload_write_fn;
  stream_class->close_fn = rd_evidence_upload_close_fn;
}

static void
rd_evidence_upload_init (RdEvidenceUpload *self)
{
  self->fd = -1;
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
}

/**
 * rd_evidence_upload_new:
 * @tmp_dir: the folder for the temp file (it exists)
 * @content_type: the declared type, one of rd_sniff_type_is_allowed()
 *
 * Creates the temp file `<tmp_dir>/upload-<random>`.
 */
RdEvidenceUpload *
rd_evidence_upload_new (const char  *tmp_dir,
                        const char  *content_type,
                        GError     **error)
{
  g_autoptr(RdEvidenceUpload) self = NULL;

  g_return_val_if_fail (tmp_dir != NULL, NULL);
  g_return_val_if_fail (content_type != NULL, NULL);

  self = g_object_new (RD_TYPE_EVIDENCE_UPLOAD, NULL);
  self->content_type = g_strdup (content_type);

  /* the name only has to be unique; O_EXCL makes sure of it */
  for (guint attempt = 0; attempt < 16 && self->fd < 0; attempt++)
    {
      g_autofree char *name = g_strdup_printf ("upload-%08x%08x", g_random_int (), g_random_int ());

      g_free (self->path);
      self->path = g_build_filename (tmp_dir, name, NULL);
      self->fd = open (self->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (self->fd < 0 && errno != EEXIST)
        break;
    }

  if (self->fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create an evidence temp file in %s: %s", tmp_dir, g_strerror (saved));
      g_clear_pointer (&self->path, g_free);
      return NULL;
    }

  return g_steal_pointer (&self);
}
