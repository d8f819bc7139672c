/* rd-connection-evidence.c: RdConnection's evidence requests
 *
 * GET /tickets/{number}/evidence, GET /evidence/{id}/content (read with a
 * cap, for thumbnails and the full-size view) and POST
 * /tickets/{number}/evidence, whose raw body is streamed from a
 * #GInputStream of known length with its progress reported as libsoup
 * writes it. Cancelling the upload's #GCancellable aborts the transfer: the
 * connection is closed mid-body, and the server drops what it received.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdConnection"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-connection-private.h"

/* An error reply is a small JSON object; anything longer is cut */
#define RD_EVIDENCE_MAX_ERROR_SIZE (64 * 1024)
#define RD_EVIDENCE_READ_CHUNK     (64 * 1024)

static const char * const evidence_types[] = {
  "image/jpeg", "image/png", "image/webp", "application/pdf", "audio/ogg", NULL
};

/**
 * rd_connection_get_evidence_types:
 *
 * Returns: (transfer none): the MIME types the server takes as evidence
 */
const char * const *
rd_connection_get_evidence_types (void)
{
  return evidence_types;
}

static void
rd_connection_list_evidence_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  _rd_connection_items_reply (RD_CONNECTION (object), result, user_data, RD_TYPE_EVIDENCE, "evidence");
}

/* A new task of @source_tag, or %NULL after reporting an error for a
 * @number that is not a ticket number */
static GTask *
rd_connection_evidence_task (RdConnection        *self,
                             const char          *number,
                             const char          *what,
                             gpointer             source_tag,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);

  if (!_rd_connection_number_is_valid (number))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“%s” is not %s", number ? number : "", what);
      return NULL;
    }

  return g_steal_pointer (&task);
}

/* Sends @message on @task, or returns @error on it when there is none */
static void
rd_connection_evidence_send (RdConnection        *self,
                             GTask               *task_ref,
                             SoupMessage         *message,
                             GError              *error,
                             GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = task_ref;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  _rd_connection_send_async (self, message, cancellable, callback, g_steal_pointer (&task));
}

/**
 * rd_connection_list_evidence_async:
 * @self: a #RdConnection
 * @number: the ticket number
 *
 * Reads GET /api/v1/tickets/{number}/evidence, oldest first.
 */
void
rd_connection_list_evidence_async (RdConnection        *self,
                                   const char          *number,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = rd_connection_evidence_task (self, number, "a ticket number",
                                      rd_connection_list_evidence_async,
                                      cancellable, callback, user_data);
  if (task == NULL)
    return;

  path = g_strconcat (RD_API_PATH_TICKETS "/", number, "/evidence", NULL);
  message = _rd_connection_new_message (self, SOUP_METHOD_GET, path, TRUE, &error);
  rd_connection_evidence_send (self, task, message, error, rd_connection_list_evidence_cb);
}

/**
 * rd_connection_list_evidence_finish:
 *
 * Returns: (transfer full): a list of #RdEvidence, or %NULL with an %RD_ERROR
 */
GListModel *
rd_connection_list_evidence_finish (RdConnection  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_list_evidence_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Download */

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         max_size;
} RdDownload;

static void
rd_download_free (RdDownload *download)
{
  g_clear_object (&download->message);
  g_clear_object (&download->stream);
  g_clear_pointer (&download->buffer, g_byte_array_unref);
  g_free (download);
}

static void rd_connection_download_read (GTask *task);

static void
rd_connection_download_finish_body (GTask *task_ref)
{
  g_autoptr(GTask) task = task_ref;
  RdDownload *download = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&download->buffer));
  g_autoptr(GError) error = NULL;
  guint status = soup_message_get_status (download->message);

  g_debug ("GET %s: HTTP %u", g_uri_get_path (soup_message_get_uri (download->message)), status);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      _rd_connection_set_reply_error (download->message, bytes, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
rd_connection_download_read_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdDownload *download = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                                 "The download broke off: %s", error->message);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      rd_connection_download_finish_body (g_steal_pointer (&task));
      return;
    }

  if (download->buffer->len + g_bytes_get_size (chunk) > download->max_size)
    {
      if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (download->message)))
        {
          /* an error page, not our server's: the status says enough */
          g_byte_array_set_size (download->buffer, 0);
          rd_connection_download_finish_body (g_steal_pointer (&task));
          return;
        }

      g_task_return_new_error (task, RD_ERROR, RD_ERROR_TOO_LARGE,
                               "The file is larger than %" G_GSIZE_FORMAT " bytes",
                               download->max_size);
      return;
    }

  g_byte_array_append (download->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  rd_connection_download_read (g_steal_pointer (&task));
}

static void
rd_connection_download_read (GTask *task)
{
  RdDownload *download = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (download->stream, RD_EVIDENCE_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   rd_connection_download_read_cb, task);
}

static void
rd_connection_download_send_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdDownload *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  download->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (download->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                                 "Could not reach the server: %s", error->message);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (download->message)))
    download->max_size = RD_EVIDENCE_MAX_ERROR_SIZE;

  /* refused from the headers, before a byte of a file too large is read */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (download->message));
  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (download->message)) &&
      length > 0 && (guint64) length > download->max_size)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_TOO_LARGE,
                               "The file is larger than %" G_GSIZE_FORMAT " bytes",
                               download->max_size);
      return;
    }

  download->buffer = g_byte_array_new ();
  rd_connection_download_read (g_steal_pointer (&task));
}

/**
 * rd_connection_download_evidence_async:
 * @self: a #RdConnection
 * @id: the evidence id
 * @max_size: the largest file to read; a larger one fails with
 *   %RD_ERROR_TOO_LARGE, from its Content-Length when it has one
 *
 * Reads GET /api/v1/evidence/{id}/content into memory.
 */
void
rd_connection_download_evidence_async (RdConnection        *self,
                                       const char          *id,
                                       gsize                max_size,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  RdDownload *download;
  GTask *task;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (max_size > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = rd_connection_evidence_task (self, id, "an evidence id",
                                      rd_connection_download_evidence_async,
                                      cancellable, callback, user_data);
  if (task == NULL)
    return;

  download = g_new0 (RdDownload, 1);
  download->max_size = max_size;
  g_task_set_task_data (task, download, (GDestroyNotify) rd_download_free);

  path = g_strconcat (RD_API_PATH_EVIDENCE "/", id, "/content", NULL);
  download->message = _rd_connection_new_message (self, SOUP_METHOD_GET, path, TRUE, &error);
  if (download->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (download->message), "Accept", "*/*");
  soup_session_send_async (_rd_connection_get_session (self), download->message,
                           G_PRIORITY_DEFAULT, cancellable,
                           rd_connection_download_send_cb, task);
}

/**
 * rd_connection_download_evidence_finish:
 * @content_type: (out) (optional) (transfer full): the file's type as the
 *   server sent it
 *
 * Returns: (transfer full): the file's bytes, or %NULL with an %RD_ERROR
 */
GBytes *
rd_connection_download_evidence_finish (RdConnection  *self,
                                        GAsyncResult  *result,
                                        char         **content_type,
                                        GError       **error)
{
  RdDownload *download;
  GBytes *bytes;

  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_download_evidence_async, NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  download = g_task_get_task_data (G_TASK (result));
  if (bytes != NULL && content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (
                                soup_message_get_response_headers (download->message), NULL));

  return bytes;
}

/* Upload */

typedef struct
{
  SoupMessage           *message;
  gulong                 wrote_handler;
  goffset                sent;
  goffset                total;
  GFileProgressCallback  progress;
  gpointer               progress_data;
  /* the file upload's own */
  char                  *number;
  char                  *description;
  GFile                 *file;
  GFileInfo             *info;
} RdUpload;

static void
rd_upload_free (RdUpload *upload)
{
  if (upload->message != NULL)
    g_clear_signal_handler (&upload->wrote_handler, upload->message);
  g_clear_object (&upload->message);
  g_free (upload->number);
  g_free (upload->description);
  g_clear_object (&upload->file);
  g_clear_object (&upload->info);
  g_free (upload);
}

static void
on_wrote_body_data (SoupMessage *message,
                    guint        chunk_size,
                    gpointer     user_data)
{
  RdUpload *upload = user_data;

  upload->sent += chunk_size;
  if (upload->progress != NULL)
    upload->progress (upload->sent, upload->total, upload->progress_data);
}

static void
rd_connection_upload_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  _rd_connection_object_reply (RD_CONNECTION (object), result, user_data, RD_TYPE_EVIDENCE, "evidence");
}

/* Sends @body on @task_ref, whose data is an #RdUpload */
static void
rd_connection_upload_start (RdConnection *self,
                            GTask        *task_ref,
                            const char   *number,
                            GInputStream *body,
                            goffset       length,
                            const char   *content_type,
                            const char   *filename,
                            const char   *description)
{
  g_autoptr(GTask) task = task_ref;
  RdUpload *upload = g_task_get_task_data (task);
  g_autoptr(GString) path = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (!g_strv_contains (evidence_types, content_type))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                               "Evidence cannot be of type %s", content_type);
      return;
    }

  if (length <= 0)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD, "The file is empty");
      return;
    }

  path = g_string_new (RD_API_PATH_TICKETS "/");
  g_string_append_printf (path, "%s/evidence", number);
  _rd_connection_add_query (path, "filename", filename);
  _rd_connection_add_query (path, "description", description);

  upload->message = _rd_connection_new_message (self, SOUP_METHOD_POST, path->str, TRUE, &error);
  if (upload->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_message_set_request_body (upload->message, content_type, body, length);
  upload->total = length;
  upload->wrote_handler = g_signal_connect (upload->message, "wrote-body-data",
                                            G_CALLBACK (on_wrote_body_data), upload);

  cancellable = g_task_get_cancellable (task);
  _rd_connection_send_async (self, upload->message, cancellable,
                             rd_connection_upload_cb, g_steal_pointer (&task));
}

static RdUpload *
rd_upload_new (GTask                 *task,
               GFileProgressCallback  progress,
               gpointer               progress_data)
{
  RdUpload *upload = g_new0 (RdUpload, 1);

  upload->progress = progress;
  upload->progress_data = progress_data;
  g_task_set_task_data (task, upload, (GDestroyNotify) rd_upload_free);

  return upload;
}

/**
 * rd_connection_upload_evidence_async:
 * @self: a #RdConnection
 * @number: the ticket number
 * @body: the file's bytes
 * @length: how many bytes @body gives
 * @content_type: the file's type, one of rd_connection_get_evidence_types()
 * @filename: (nullable): the file's name, kept as metadata
 * @description: (nullable): what the file shows
 * @progress: (nullable) (scope notified): called on the thread-default main
 *   context as the body is sent, with the bytes sent and @length
 * @progress_data: data for @progress, which must live until the callback
 * @cancellable: (nullable): cancelling aborts the transfer
 *
 * Adds evidence with POST /api/v1/tickets/{number}/evidence. Finish with
 * rd_connection_upload_evidence_finish().
 */
void
rd_connection_upload_evidence_async (RdConnection          *self,
                                     const char            *number,
                                     GInputStream          *body,
                                     goffset                length,
                                     const char            *content_type,
                                     const char            *filename,
                                     const char            *description,
                                     GFileProgressCallback  progress,
                                     gpointer               progress_data,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  GTask *task;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (G_IS_INPUT_STREAM (body));
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = rd_connection_evidence_task (self, number, "a ticket number",
                                      rd_connection_upload_evidence_finish,
                                      cancellable, callback, user_data);
  if (task == NULL)
    return;

  rd_upload_new (task, progress, progress_data);
  rd_connection_upload_start (self, task, number, body, length, content_type, filename, description);
}

static void
rd_connection_upload_read_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdUpload *upload = g_task_get_task_data (task);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  RdConnection *self;

  stream = g_file_read_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  type = g_content_type_get_mime_type (g_file_info_get_content_type (upload->info));
  self = g_task_get_source_object (task);
  rd_connection_upload_start (self, g_steal_pointer (&task),
                              upload->number, G_INPUT_STREAM (stream),
                              g_file_info_get_size (upload->info),
                              type != NULL ? type : "application/octet-stream",
                              g_file_info_get_display_name (upload->info),
                              upload->description);
}

static void
rd_connection_upload_info_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdUpload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  upload->info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (upload->info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_file_read_async (upload->file, G_PRIORITY_DEFAULT, cancellable,
                     rd_connection_upload_read_cb, g_steal_pointer (&task));
}

/**
 * rd_connection_upload_evidence_file_async:
 * @self: a #RdConnection
 * @number: the ticket number
 * @file: the file to add, of a type in rd_connection_get_evidence_types()
 * @description: (nullable): what the file shows
 *
 * Like rd_connection_upload_evidence_async(), with the type, length and
 * name taken from @file. A file of another type fails with
 * %RD_ERROR_UNSUPPORTED_MEDIA_TYPE before anything is sent.
 */
void
rd_connection_upload_evidence_file_async (RdConnection          *self,
                                          const char            *number,
                                          GFile                 *file,
                                          const char            *description,
                                          GFileProgressCallback  progress,
                                          gpointer               progress_data,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  RdUpload *upload;
  GTask *task;

  g_return_if_fail (RD_IS_CONNECTION (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = rd_connection_evidence_task (self, number, "a ticket number",
                                      rd_connection_upload_evidence_finish,
                                      cancellable, callback, user_data);
  if (task == NULL)
    return;

  upload = rd_upload_new (task, progress, progress_data);
  upload->number = g_strdup (number);
  upload->description = g_strdup (description);
  upload->file = g_object_ref (file);

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable,
                           rd_connection_upload_info_cb, task);
}

/**
 * rd_connection_upload_evidence_finish:
 *
 * Finishes both uploads.
 *
 * Returns: (transfer full): the evidence as the server stored it, or %NULL
 *   with an %RD_ERROR (%RD_ERROR_TOO_LARGE, %RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
 *   …) or %G_IO_ERROR_CANCELLED
 */
RdEvidence *
rd_connection_upload_evidence_finish (RdConnection  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (RD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_connection_upload_evidence_finish, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
