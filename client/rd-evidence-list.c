/* rd-evidence-list.c: a ticket's evidence, with thumbnails and uploads
 *
 * The "Evidence" group of the ticket page: one row per file the server
 * keeps (GET /tickets/{n}/evidence), images with a thumbnail decoded in a
 * thread from the downloaded file; a row opens the file full size (images
 * in a viewer window, documents and recordings with the desktop's
 * application through a temporary file). "Add Photo…" opens the capture
 * dialog, "Add File…" a native file chooser; an upload shows its progress
 * in a row with a Cancel button, which aborts the transfer. What the
 * server refuses is said in a toast that tells what to do next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdEvidenceList"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-capture-dialog.h"
#include "rd-evidence-list-private.h"
#include "rd-offline-store.h"
#include "rd-outbox.h"
#include "rd-utils-private.h"

/* The server takes 25 MiB by default; a thumbnail is not worth more */
#define RD_EVIDENCE_MAX_DOWNLOAD (32 * 1024 * 1024)
#define RD_EVIDENCE_THUMBNAIL    96
#define RD_EVIDENCE_VIEWER_SIZE  4096

G_DEFINE_FINAL_TYPE (RdEvidenceList, rd_evidence_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
rd_evidence_list_toast (RdEvidenceList *self,
                        const char     *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_debug ("%s", message);
}

static void
rd_evidence_list_begin (RdEvidenceList *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
rd_evidence_list_end (RdEvidenceList *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* What went wrong with an upload, and what to do next */
static char *
rd_evidence_list_describe_error (const GError *error)
{
  if (error->domain == RD_ERROR)
    {
      switch ((RdError) error->code)
        {
        case RD_ERROR_TOO_LARGE:
          return g_strdup (_("The file is too large for the server. Choose a smaller file, or ask your administrator to raise the limit."));

        case RD_ERROR_UNSUPPORTED_MEDIA_TYPE:
          return g_strdup (_("The server takes JPEG, PNG and WebP images, PDF documents and Ogg recordings only. Choose a file of one of these types."));

        case RD_ERROR_INVALID_FIELD:
          return g_strdup (_("The server refused the file or its description. Check that the file is not empty and shorten the description."));

        case RD_ERROR_INVALID_JSON:
        case RD_ERROR_MISSING_FIELD:
        case RD_ERROR_UNAUTHORIZED:
        case RD_ERROR_FORBIDDEN:
        case RD_ERROR_NOT_FOUND:
        case RD_ERROR_METHOD_NOT_ALLOWED:
        case RD_ERROR_CONFLICT:
        case RD_ERROR_INVALID_TRANSITION:
        case RD_ERROR_RATE_LIMITED:
        case RD_ERROR_INTERNAL:
        case RD_ERROR_UNAVAILABLE:
        case RD_ERROR_INVALID_DATA:
        case RD_ERROR_LAST:
        default:
          break;
        }
    }
  else if (error->domain == G_IO_ERROR)
    /* Translators: %s is a technical message about reading a file */
    return g_strdup_printf (_("Could not read the file: %s. Choose another file."), error->message);

  return rd_utils_describe_ticket_error (error);
}

/* Decoding images, in a thread */

static void
rd_evidence_list_decode_thread (GTask        *task,
                                gpointer      source_object,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "size"));
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GError *error = NULL;

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, size, size, TRUE, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented ? oriented : pixbuf), g_object_unref);
}

/* Decodes the image @bytes in a thread, scaled to fit @size × @size */
static void
rd_evidence_list_decode_async (GBytes              *bytes,
                               int                  size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data (G_OBJECT (task), "size", GINT_TO_POINTER (size));
  g_task_run_in_thread (task, rd_evidence_list_decode_thread);
}

static GdkTexture *
rd_evidence_list_decode_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Thumbnails */

static void
on_thumbnail_decoded (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  RdEvidenceList *self;

  texture = rd_evidence_list_decode_finish (result, &error);
  self = g_object_get_data (G_OBJECT (picture), "evidence-list");
  if (self != NULL)
    self->thumbnails_pending--;

  if (texture == NULL)
    {
      g_debug ("No thumbnail: %s", error->message);
      return;
    }

  if (self != NULL)
    g_hash_table_replace (self->thumbnails,
                          g_strdup (g_object_get_data (G_OBJECT (picture), "sha256")),
                          g_object_ref (texture));
  gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
on_thumbnail_downloaded (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  RdEvidenceList *self = g_object_get_data (G_OBJECT (picture), "evidence-list");

  bytes = rd_connection_download_evidence_finish (RD_CONNECTION (object), result, NULL, &error);
  if (bytes == NULL || self == NULL)
    {
      if (self != NULL)
        self->thumbnails_pending--;
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }

  rd_evidence_list_decode_async (bytes, RD_EVIDENCE_THUMBNAIL, self->cancellable,
                                 on_thumbnail_decoded, g_steal_pointer (&picture));
}

static GtkWidget *
rd_evidence_list_row (RdEvidenceList *self,
                      RdEvidence     *evidence)
{
  const char *type = rd_evidence_get_content_type (evidence);
  const char *title = rd_evidence_get_description (evidence);
  const char *uploader = rd_evidence_get_uploaded_by (evidence);
  g_autofree char *when = rd_utils_format_datetime (rd_evidence_get_uploaded_at (evidence));
  g_autofree char *size = g_format_size (rd_evidence_get_size (evidence));
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  GtkWidget *row = adw_action_row_new ();
  GdkTexture *texture;
  GtkWidget *prefix;

  if (title == NULL || *title == '\0')
    title = rd_evidence_get_filename (evidence);
  if (title == NULL || *title == '\0')
    title = g_str_has_prefix (type, "image/") ? _("Photo") : _("File");

  /* Translators: under an evidence file: who added it, when, and its size */
  subtitle = g_strdup_printf (_("%s · %s · %s"), uploader ? uploader : "", when ? when : "", size);
  escaped = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Open Full Size"));
  g_object_set_data_full (G_OBJECT (row), "evidence", g_object_ref (evidence), g_object_unref);

  if (g_str_has_prefix (type, "image/"))
    {
      prefix = gtk_picture_new ();
      gtk_picture_set_can_shrink (GTK_PICTURE (prefix), TRUE);
      gtk_picture_set_content_fit (GTK_PICTURE (prefix), GTK_CONTENT_FIT_COVER);
      gtk_widget_set_size_request (prefix, 64, 48);
      gtk_widget_set_margin_top (prefix, 6);
      gtk_widget_set_margin_bottom (prefix, 6);
      gtk_widget_add_css_class (prefix, "card");
      gtk_widget_set_overflow (prefix, GTK_OVERFLOW_HIDDEN);
      g_object_set_data (G_OBJECT (prefix), "evidence-list", self);
      g_object_set_data_full (G_OBJECT (prefix), "sha256",
                              g_strdup (rd_evidence_get_sha256 (evidence)), g_free);
      g_object_set_data (G_OBJECT (row), "thumbnail", prefix);

      /* the same bytes have the same thumbnail: reloads download only new files */
      texture = g_hash_table_lookup (self->thumbnails, rd_evidence_get_sha256 (evidence));
      if (texture != NULL)
        gtk_picture_set_paintable (GTK_PICTURE (prefix), GDK_PAINTABLE (texture));
      else
        {
          self->thumbnails_pending++;
          self->n_thumbnail_downloads++;
          rd_connection_download_evidence_async (self->connection, rd_evidence_get_id (evidence),
                                                 RD_EVIDENCE_MAX_DOWNLOAD, self->cancellable,
                                                 on_thumbnail_downloaded, g_object_ref (prefix));
        }
    }
  else
    {
      prefix = gtk_image_new_from_icon_name (g_str_equal (type, "audio/ogg") ? "audio-x-generic-symbolic"
                                                                              : "x-office-document-symbolic");
      gtk_image_set_pixel_size (GTK_IMAGE (prefix), 32);
      gtk_widget_set_size_request (prefix, 64, 48);
    }

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

/* Removes the rows; their thumbnails under way no longer reach the list */
static void
rd_evidence_list_clear_rows (RdEvidenceList *self)
{
  for (guint i = 0; i < self->item_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->item_rows, i);
      GObject *thumbnail = g_object_get_data (G_OBJECT (row), "thumbnail");

      if (thumbnail != NULL)
        g_object_set_data (thumbnail, "evidence-list", NULL);
      gtk_list_box_remove (self->list_box, row);
    }

  g_ptr_array_set_size (self->item_rows, 0);
  self->thumbnails_pending = 0;
}

static void
rd_evidence_list_show_items (RdEvidenceList *self)
{
  guint n = self->items != NULL ? g_list_model_get_n_items (self->items) : 0;

  rd_evidence_list_clear_rows (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdEvidence) evidence = g_list_model_get_item (self->items, i);
      GtkWidget *row = rd_evidence_list_row (self, evidence);

      gtk_list_box_append (self->list_box, row);
      g_ptr_array_add (self->item_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->empty_row), n == 0);
}

static void
on_list_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RdEvidenceList) self = user_data;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GError) error = NULL;

  items = rd_connection_list_evidence_finish (RD_CONNECTION (object), result, &error);
  rd_evidence_list_end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->list_cancellable);

  if (items == NULL)
    {
      g_debug ("Could not list the evidence: %s", error->message);
      return;
    }

  g_set_object (&self->items, items);
  rd_evidence_list_show_items (self);
}

/* Full size */

static void
rd_evidence_list_show_viewer (RdEvidenceList *self,
                              RdEvidence     *evidence,
                              GdkTexture     *texture)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  const char *title = rd_evidence_get_description (evidence);

  if (title == NULL || *title == '\0')
    title = _("Photo");

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_widget_set_size_request (window, 360, 294);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), title);
  gtk_widget_set_vexpand (picture, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), picture);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

typedef struct
{
  RdEvidenceList *self;
  RdEvidence     *evidence;
  GBytes         *bytes;
  GFile          *file;
  GFileIOStream  *io;
} RdOpenJob;

static void
rd_open_job_free (RdOpenJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->evidence);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_object (&job->file);
  g_clear_object (&job->io);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdOpenJob, rd_open_job_free)

static void
rd_evidence_list_open_failed (RdEvidenceList *self,
                              const GError   *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Could not open the evidence: %s", error->message);
  if (error->domain == RD_ERROR)
    message = rd_utils_describe_ticket_error (error);
  else
    /* Translators: %s is a technical message */
    message = g_strdup_printf (_("Could not open the file: %s. Try again."), error->message);
  rd_evidence_list_toast (self, message);
}

static void
on_viewer_decoded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RdOpenJob) job = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = rd_evidence_list_decode_finish (result, &error);
  rd_evidence_list_end (job->self);
  if (texture == NULL)
    rd_evidence_list_open_failed (job->self, error);
  else
    rd_evidence_list_show_viewer (job->self, job->evidence, texture);
}

static void
on_temp_written (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RdOpenJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  rd_evidence_list_end (job->self);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (object), NULL, &error))
    {
      rd_evidence_list_open_failed (job->self, error);
      return;
    }

  uri = g_file_get_uri (job->file);
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (job->self))), uri, GDK_CURRENT_TIME);
}

static void
on_temp_created (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RdOpenJob) job = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = job->self->cancellable;
  GOutputStream *output;
  gconstpointer data;
  gsize size;

  job->file = g_file_new_tmp_finish (result, &job->io, &error);
  if (job->file == NULL)
    {
      rd_evidence_list_end (job->self);
      rd_evidence_list_open_failed (job->self, error);
      return;
    }

  output = g_io_stream_get_output_stream (G_IO_STREAM (job->io));
  data = g_bytes_get_data (job->bytes, &size);
  g_output_stream_write_all_async (output, data, size, G_PRIORITY_DEFAULT, cancellable,
                                   on_temp_written, g_steal_pointer (&job));
}

static void
on_full_downloaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RdOpenJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  const char *type = rd_evidence_get_content_type (job->evidence);
  GCancellable *cancellable;

  job->bytes = rd_connection_download_evidence_finish (RD_CONNECTION (object), result, NULL, &error);
  if (job->bytes == NULL)
    {
      rd_evidence_list_end (job->self);
      rd_evidence_list_open_failed (job->self, error);
      return;
    }

  cancellable = job->self->cancellable;
  if (g_str_has_prefix (type, "image/"))
    {
      GBytes *bytes = job->bytes;

      rd_evidence_list_decode_async (bytes, RD_EVIDENCE_VIEWER_SIZE, cancellable,
                                     on_viewer_decoded, g_steal_pointer (&job));
      return;
    }

  /* the desktop's application opens documents and recordings; the name
   * is ours, never the uploader's */
  template = g_strdup_printf ("ringdesk-evidence-XXXXXX.%s",
                              g_str_equal (type, "application/pdf") ? "pdf" : "ogg");
  g_file_new_tmp_async (template, G_PRIORITY_DEFAULT, cancellable,
                        on_temp_created, g_steal_pointer (&job));
}

/* Uploads */

static void
on_upload_progress (goffset  sent,
                    goffset  total,
                    gpointer user_data)
{
  RdEvidenceList *self = user_data;

  self->upload_sent = sent;
  self->upload_total = total;
  if (total > 0)
    gtk_progress_bar_set_fraction (self->upload_progress, MIN (1.0, (double) sent / (double) total));
}

static void
rd_evidence_list_set_uploading (RdEvidenceList *self,
                                gboolean        uploading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->upload_row), uploading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evidence.add-photo", !uploading && self->number != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evidence.add-file", !uploading && self->number != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evidence.cancel-upload", uploading);
  if (uploading)
    {
      gtk_progress_bar_set_fraction (self->upload_progress, 0);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_row), FALSE);
    }
}

static void
rd_evidence_list_forget_upload (RdEvidenceList *self)
{
  g_clear_object (&self->upload_file);
  g_clear_pointer (&self->upload_bytes, g_bytes_unref);
  g_clear_pointer (&self->upload_type, g_free);
  g_clear_pointer (&self->upload_description, g_free);
}

typedef struct
{
  RdEvidenceList *self;
  GFile          *temporary;   /* a photo's bytes, written for the outbox to copy */
} RdQueueJob;

static void
on_queued (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RdQueueJob *job = user_data;
  g_autoptr(RdEvidenceList) self = job->self;
  g_autoptr(GError) error = NULL;

  if (job->temporary != NULL)
    {
      g_file_delete (job->temporary, NULL, NULL);
      g_object_unref (job->temporary);
    }
  g_free (job);

  if (!rd_outbox_queue_evidence_finish (RD_OUTBOX (object), result, &error))
    {
      g_autofree char *message = rd_evidence_list_describe_error (error);

      g_debug ("Cannot keep the file for later: %s", error->message);
      if (self->item_rows != NULL)
        rd_evidence_list_toast (self, message);
      return;
    }

  self->n_queued++;
  if (self->item_rows != NULL)
    rd_evidence_list_toast (self, _("The server cannot be reached. The file is kept and will be added when the server is back."));
}

/* The server is away (or the ticket has no number yet): the outbox copies
 * the file and sends it, in order with the other changes, once it is back */
static gboolean
rd_evidence_list_queue (RdEvidenceList  *self,
                        GError         **error)
{
  RdOutbox *outbox = rd_outbox_get_for_connection (self->connection);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) temporary = NULL;
  g_autofree char *type = g_strdup (self->upload_type);
  RdQueueJob *job;

  if (outbox == NULL)
    return FALSE;

  if (self->upload_bytes != NULL)
    {
      g_autoptr(GFileIOStream) io = NULL;
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (self->upload_bytes, &size);

      temporary = g_file_new_tmp ("ringdesk-evidence-XXXXXX", &io, error);
      if (temporary == NULL ||
          !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (io)), data, size,
                                      NULL, NULL, error) ||
          !g_io_stream_close (G_IO_STREAM (io), NULL, error))
        return FALSE;
      file = g_object_ref (temporary);
    }
  else if (self->upload_file != NULL)
    {
      file = g_object_ref (self->upload_file);
      if (type == NULL)
        {
          g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                                         G_FILE_QUERY_INFO_NONE, NULL, error);

          if (info == NULL)
            return FALSE;
          type = g_content_type_get_mime_type (g_file_info_get_content_type (info));
        }
    }
  else
    {
      return FALSE;
    }

  job = g_new0 (RdQueueJob, 1);
  job->self = g_object_ref (self);
  job->temporary = g_steal_pointer (&temporary);
  rd_outbox_queue_evidence_async (outbox, self->number, file,
                                  type != NULL ? type : "application/octet-stream",
                                  self->upload_description, NULL, on_queued, job);
  return TRUE;
}

/* Sends the upload just set up to the outbox when it cannot go to the
 * server now; FALSE when it should be tried */
static gboolean
rd_evidence_list_queue_now (RdEvidenceList *self)
{
  RdOutbox *outbox = rd_outbox_get_for_connection (self->connection);
  g_autoptr(GError) error = NULL;

  if (outbox == NULL ||
      (!g_str_has_prefix (self->number, RD_OFFLINE_LOCAL_PREFIX) && rd_outbox_get_online (outbox)))
    return FALSE;

  if (!rd_evidence_list_queue (self, &error) && error != NULL)
    {
      g_autofree char *message = rd_evidence_list_describe_error (error);

      rd_evidence_list_toast (self, message);
    }
  rd_evidence_list_forget_upload (self);

  return TRUE;
}

static void
on_uploaded (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RdEvidenceList) self = user_data;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GError) error = NULL;

  evidence = rd_connection_upload_evidence_finish (RD_CONNECTION (object), result, &error);

  /* disposed meanwhile: its widgets are gone */
  if (self->item_rows == NULL)
    return;

  g_clear_object (&self->upload_cancellable);
  g_clear_error (&self->upload_error);
  self->n_uploads++;
  if (evidence != NULL || !rd_outbox_error_is_unreachable (error))
    rd_evidence_list_forget_upload (self);
  rd_evidence_list_set_uploading (self, FALSE);
  rd_evidence_list_end (self);

  if (evidence == NULL)
    {
      g_autofree char *message = NULL;

      if (rd_outbox_error_is_unreachable (error) && rd_evidence_list_queue (self, NULL))
        {
          g_debug ("Upload failed, kept for later: %s", error->message);
          rd_evidence_list_forget_upload (self);
          gtk_widget_set_visible (GTK_WIDGET (self->empty_row), self->item_rows->len == 0);
          return;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Upload cancelled. Nothing was added to the ticket."));
      else
        message = rd_evidence_list_describe_error (error);

      g_debug ("Upload failed: %s", error->message);
      self->upload_error = g_steal_pointer (&error);
      rd_evidence_list_toast (self, message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_row), self->item_rows->len == 0);
      return;
    }

  rd_evidence_list_toast (self, _("Evidence added"));
  rd_evidence_list_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Starts an upload; the connection and ticket are there */
static GCancellable *
rd_evidence_list_begin_upload (RdEvidenceList *self,
                               const char     *title)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->upload_row), title);
  self->upload_sent = 0;
  self->upload_total = 0;
  g_clear_object (&self->upload_cancellable);
  self->upload_cancellable = g_cancellable_new ();
  rd_evidence_list_set_uploading (self, TRUE);
  rd_evidence_list_begin (self);

  return self->upload_cancellable;
}

static void
on_photo_taken (RdEvidenceList *self,
                GBytes         *jpeg,
                const char     *description)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *filename = g_date_time_format (now, "photo-%Y%m%d-%H%M%S.jpg");

  rd_evidence_list_upload_bytes (self, jpeg, "image/jpeg", filename, description);
}

static void
rd_evidence_list_add_photo_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  RdEvidenceList *self = RD_EVIDENCE_LIST (widget);
  GtkWidget *dialog;

  dialog = rd_capture_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "photo-taken", G_CALLBACK (on_photo_taken), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_chooser_response (RdEvidenceList       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file != NULL)
    rd_evidence_list_upload_file (self, file);
}

static void
rd_evidence_list_add_file_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  RdEvidenceList *self = RD_EVIDENCE_LIST (widget);
  const char * const *types = rd_connection_get_evidence_types ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* Translators: the file chooser's filter of the files a ticket takes */
  gtk_file_filter_set_name (filter, _("Photos, PDF documents and Ogg recordings"));
  for (guint i = 0; types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Add a File to the Ticket"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
rd_evidence_list_cancel_upload_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  RdEvidenceList *self = RD_EVIDENCE_LIST (widget);

  g_cancellable_cancel (self->upload_cancellable);
}

static void
rd_evidence_list_row_activated_cb (RdEvidenceList *self,
                                   GtkListBoxRow  *row)
{
  RdEvidence *evidence = g_object_get_data (G_OBJECT (row), "evidence");

  if (evidence != NULL)
    rd_evidence_list_open (self, evidence);
}

static void
rd_evidence_list_dispose (GObject *object)
{
  RdEvidenceList *self = (RdEvidenceList *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->upload_cancellable);
  g_clear_object (&self->upload_cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (self->item_rows != NULL)
    rd_evidence_list_clear_rows (self);

  /* the group is both the bin's child and a template child: the bin lets
   * go of it first, so that it is unparented once */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_EVIDENCE_LIST);

  g_clear_object (&self->connection);
  g_clear_object (&self->items);
  g_clear_pointer (&self->item_rows, g_ptr_array_unref);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->number, g_free);
  g_clear_error (&self->upload_error);
  rd_evidence_list_forget_upload (self);

  G_OBJECT_CLASS (rd_evidence_list_parent_class)->dispose (object);
}

static void
rd_evidence_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RdEvidenceList *self = RD_EVIDENCE_LIST (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_evidence_list_class_init (RdEvidenceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_evidence_list_dispose;
  object_class->get_property = rd_evidence_list_get_property;

  /**
   * RdEvidenceList:busy:
   *
   * Whether a list, an upload or an opening is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdEvidenceList::changed:
   *
   * Evidence was added to the ticket from here.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-evidence-list.ui");
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, group);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, add_photo_button);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, add_file_button);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, list_box);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, upload_row);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, upload_progress);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RdEvidenceList, empty_row);
  gtk_widget_class_bind_template_callback (widget_class, rd_evidence_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "evidence.add-photo", NULL, rd_evidence_list_add_photo_action);
  gtk_widget_class_install_action (widget_class, "evidence.add-file", NULL, rd_evidence_list_add_file_action);
  gtk_widget_class_install_action (widget_class, "evidence.cancel-upload", NULL,
                                   rd_evidence_list_cancel_upload_action);
}

static void
rd_evidence_list_init (RdEvidenceList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->item_rows = g_ptr_array_new ();
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  rd_evidence_list_set_uploading (self, FALSE);
}

GtkWidget *
rd_evidence_list_new (void)
{
  return g_object_new (RD_TYPE_EVIDENCE_LIST, NULL);
}

/**
 * rd_evidence_list_set_ticket:
 * @self: a #RdEvidenceList
 * @connection: (nullable): the connection to the server
 * @ticket: (nullable): the ticket whose evidence to show
 *
 * Shows @ticket's evidence, loading it again when the ticket is another
 * one or its evidence count differs from what is shown.
 */
void
rd_evidence_list_set_ticket (RdEvidenceList *self,
                             RdConnection   *connection,
                             RdTicket       *ticket)
{
  const char *number = ticket != NULL ? rd_ticket_get_number (ticket) : NULL;
  gboolean same;

  g_return_if_fail (RD_IS_EVIDENCE_LIST (self));
  g_return_if_fail (!connection || RD_IS_CONNECTION (connection));
  g_return_if_fail (!ticket || RD_IS_TICKET (ticket));

  same = connection == self->connection && g_strcmp0 (number, self->number) == 0;
  if (same && self->items != NULL && ticket != NULL &&
      g_list_model_get_n_items (self->items) == rd_ticket_get_evidence_count (ticket))
    return;

  if (!same)
    {
      g_cancellable_cancel (self->upload_cancellable);
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      g_set_object (&self->connection, connection);
      g_free (self->number);
      self->number = g_strdup (connection != NULL ? number : NULL);
      g_clear_object (&self->items);
      g_hash_table_remove_all (self->thumbnails);
      rd_evidence_list_show_items (self);
      rd_evidence_list_set_uploading (self, self->upload_cancellable != NULL);
    }

  /* the ticket reloads after an upload, whose own reload is under way */
  if (same && self->list_cancellable != NULL)
    return;

  rd_evidence_list_reload (self);
}

/**
 * rd_evidence_list_reload:
 * @self: a #RdEvidenceList
 *
 * Asks the server for the ticket's evidence again.
 */
void
rd_evidence_list_reload (RdEvidenceList *self)
{
  g_return_if_fail (RD_IS_EVIDENCE_LIST (self));

  if (self->connection == NULL || self->number == NULL)
    return;

  /* only the newest answer is shown: rows made twice would download their
   * thumbnails twice */
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           self->list_cancellable, G_CONNECT_SWAPPED);

  rd_evidence_list_begin (self);
  rd_connection_list_evidence_async (self->connection, self->number, self->list_cancellable,
                                     on_list_loaded, g_object_ref (self));
}

/**
 * rd_evidence_list_get_items:
 *
 * Returns: (transfer none) (nullable): the #RdEvidence shown
 */
GListModel *
rd_evidence_list_get_items (RdEvidenceList *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_LIST (self), NULL);

  return self->items;
}

gboolean
rd_evidence_list_get_busy (RdEvidenceList *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE_LIST (self), FALSE);

  return self->pending > 0 || self->thumbnails_pending > 0;
}

/**
 * rd_evidence_list_upload_bytes:
 * @self: a #RdEvidenceList showing a ticket
 * @bytes: the file
 * @content_type: its type, one of rd_connection_get_evidence_types()
 * @filename: (nullable): its name
 * @description: (nullable): what it shows
 *
 * Adds @bytes to the ticket, with a progress row and a Cancel button.
 */
void
rd_evidence_list_upload_bytes (RdEvidenceList *self,
                               GBytes         *bytes,
                               const char     *content_type,
                               const char     *filename,
                               const char     *description)
{
  g_autoptr(GInputStream) stream = NULL;
  GCancellable *cancellable;

  g_return_if_fail (RD_IS_EVIDENCE_LIST (self));
  g_return_if_fail (bytes != NULL);

  if (self->connection == NULL || self->number == NULL || self->upload_cancellable != NULL)
    return;

  rd_evidence_list_forget_upload (self);
  self->upload_bytes = g_bytes_ref (bytes);
  self->upload_type = g_strdup (content_type);
  self->upload_description = g_strdup (description);
  if (rd_evidence_list_queue_now (self))
    return;

  stream = g_memory_input_stream_new_from_bytes (bytes);
  cancellable = rd_evidence_list_begin_upload (self, _("Uploading the photo…"));
  rd_connection_upload_evidence_async (self->connection, self->number, stream,
                                       g_bytes_get_size (bytes), content_type, filename, description,
                                       on_upload_progress, self, cancellable,
                                       on_uploaded, g_object_ref (self));
}

/**
 * rd_evidence_list_upload_file:
 * @self: a #RdEvidenceList showing a ticket
 * @file: the file to add
 *
 * Adds @file to the ticket, as "Add File…" does once a file is chosen.
 */
void
rd_evidence_list_upload_file (RdEvidenceList *self,
                              GFile          *file)
{
  GCancellable *cancellable;

  g_return_if_fail (RD_IS_EVIDENCE_LIST (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->connection == NULL || self->number == NULL || self->upload_cancellable != NULL)
    return;

  rd_evidence_list_forget_upload (self);
  self->upload_file = g_object_ref (file);
  if (rd_evidence_list_queue_now (self))
    return;

  cancellable = rd_evidence_list_begin_upload (self, _("Uploading the file…"));
  rd_connection_upload_evidence_file_async (self->connection, self->number, file, NULL,
                                            on_upload_progress, self, cancellable,
                                            on_uploaded, g_object_ref (self));
}

/**
 * rd_evidence_list_open:
 * @self: a #RdEvidenceList
 * @evidence: one of its items
 *
 * Shows @evidence full size: an image in a viewer window, anything else
 * with the desktop's application.
 */
void
rd_evidence_list_open (RdEvidenceList *self,
                       RdEvidence     *evidence)
{
  RdOpenJob *job;

  g_return_if_fail (RD_IS_EVIDENCE_LIST (self));
  g_return_if_fail (RD_IS_EVIDENCE (evidence));

  if (self->connection == NULL)
    return;

  job = g_new0 (RdOpenJob, 1);
  job->self = g_object_ref (self);
  job->evidence = g_object_ref (evidence);

  rd_evidence_list_begin (self);
  rd_connection_download_evidence_async (self->connection, rd_evidence_get_id (evidence),
                                         RD_EVIDENCE_MAX_DOWNLOAD, self->cancellable,
                                         on_full_downloaded, job);
}
