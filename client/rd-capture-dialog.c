/* rd-capture-dialog.c: take a photo with the camera, for evidence
 *
 * A live preview from RdCamera; the shutter keeps the current frame and
 * shows it still with a description entry, Retake and Use Photo. Use Photo
 * encodes the frame as a JPEG (at most RD_CAMERA_PHOTO_MAX_SIZE on the long
 * side) in a thread, emits ::photo-taken and closes. Without a camera the
 * dialog says why and what to do next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCaptureDialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-capture-dialog-private.h"

G_DEFINE_FINAL_TYPE (RdCaptureDialog, rd_capture_dialog, ADW_TYPE_WINDOW)

enum {
  PHOTO_TAKEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rd_capture_dialog_start (RdCaptureDialog *self);

static void
rd_capture_dialog_show_error (RdCaptureDialog *self,
                              const GError    *error)
{
  g_autofree char *description = NULL;
  const char *title;

  if (g_error_matches (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA))
    {
      title = _("No Camera Found");
      description = g_strdup (_("Connect a camera and check that no other application is using it, then try again. You can also add a photo from a file with “Add File…”."));
    }
  else if (g_error_matches (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_DENIED))
    {
      title = _("Camera Not Allowed");
      description = g_strdup (_("Allow Ringdesk to use the camera in the privacy settings of your desktop, then try again."));
    }
  else if (g_error_matches (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_MISSING_PLUGIN))
    {
      title = _("Camera Support Missing");
      description = g_strdup (_("A GStreamer plugin the camera needs is not installed. Install gstreamer1.0-plugins-good (and gstreamer1.0-pipewire for PipeWire cameras), then try again."));
    }
  else
    {
      title = _("Could Not Open the Camera");
      /* Translators: %s is a technical message from the camera */
      description = g_strdup_printf (_("The camera reported: %s. Try again, or add a photo from a file instead."),
                                     error->message);
    }

  g_debug ("%s", error->message);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.shutter", FALSE);
}

static void
on_camera_started (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RdCaptureDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!rd_camera_start_finish (RD_CAMERA (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        rd_capture_dialog_show_error (self, error);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "preview");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.shutter", TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->shutter_button));
}

static void
on_camera_failed (RdCaptureDialog *self,
                  GError          *error)
{
  rd_capture_dialog_show_error (self, error);
}

static void
rd_capture_dialog_start (RdCaptureDialog *self)
{
  gtk_stack_set_visible_child_name (self->stack, "starting");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.shutter", FALSE);
  rd_camera_start_async (self->camera, self->cancellable, on_camera_started, g_object_ref (self));
}

static void
rd_capture_dialog_shutter_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  RdCaptureDialog *self = RD_CAPTURE_DIALOG (widget);
  GdkTexture *frame = rd_camera_get_frame (self->camera);

  int width;
  int height;
  guchar *pixels;
  g_autoptr(GBytes) bytes = NULL;

  if (frame == NULL)
    return;

  /* a copy: the frame's memory is the camera's, which it wants back */
  width = gdk_texture_get_width (frame);
  height = gdk_texture_get_height (frame);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (frame, pixels, (gsize) width * 4);
  bytes = g_bytes_new_take (pixels, (gsize) width * height * 4);
  g_clear_object (&self->still);
  self->still = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) width * 4);
  /* the camera is free for others while the photo is looked at */
  rd_camera_stop (self->camera);

  gtk_picture_set_paintable (self->still_picture, GDK_PAINTABLE (self->still));
  gtk_stack_set_visible_child_name (self->stack, "still");
  gtk_widget_action_set_enabled (widget, "capture.shutter", FALSE);
  gtk_widget_action_set_enabled (widget, "capture.use", TRUE);
  gtk_widget_action_set_enabled (widget, "capture.retake", TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->description_row));
}

static void
rd_capture_dialog_retake_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  RdCaptureDialog *self = RD_CAPTURE_DIALOG (widget);

  gtk_picture_set_paintable (self->still_picture, NULL);
  g_clear_object (&self->still);
  rd_capture_dialog_start (self);
}

static void
on_photo_encoded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RdCaptureDialog) self = user_data;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  jpeg = rd_camera_encode_jpeg_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (jpeg == NULL)
    {
      rd_capture_dialog_show_error (self, error);
      return;
    }

  description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row))));
  g_signal_emit (self, signals[PHOTO_TAKEN], 0, jpeg, description);

  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
rd_capture_dialog_use_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  RdCaptureDialog *self = RD_CAPTURE_DIALOG (widget);

  if (self->still == NULL)
    return;

  gtk_widget_action_set_enabled (widget, "capture.use", FALSE);
  gtk_widget_action_set_enabled (widget, "capture.retake", FALSE);
  rd_camera_encode_jpeg_async (self->still, RD_CAMERA_PHOTO_MAX_SIZE, self->cancellable,
                               on_photo_encoded, g_object_ref (self));
}

static void
rd_capture_dialog_retry_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  rd_capture_dialog_start (RD_CAPTURE_DIALOG (widget));
}

static void
rd_capture_dialog_dispose (GObject *object)
{
  RdCaptureDialog *self = (RdCaptureDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->camera != NULL)
    rd_camera_stop (self->camera);
  g_clear_object (&self->camera);
  g_clear_object (&self->still);

  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_CAPTURE_DIALOG);

  G_OBJECT_CLASS (rd_capture_dialog_parent_class)->dispose (object);
}

static void
rd_capture_dialog_class_init (RdCaptureDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rd_capture_dialog_dispose;

  /**
   * RdCaptureDialog::photo-taken:
   * @self: the dialog
   * @jpeg: the photo, a JPEG
   * @description: what the user wrote about it, maybe empty
   *
   * Emitted by Use Photo, just before the dialog closes.
   */
  signals[PHOTO_TAKEN] =
    g_signal_new ("photo-taken",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-capture-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, shutter_button);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, still_picture);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, retake_button);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, use_button);
  gtk_widget_class_bind_template_child (widget_class, RdCaptureDialog, error_page);

  gtk_widget_class_install_action (widget_class, "capture.shutter", NULL, rd_capture_dialog_shutter_action);
  gtk_widget_class_install_action (widget_class, "capture.retake", NULL, rd_capture_dialog_retake_action);
  gtk_widget_class_install_action (widget_class, "capture.use", NULL, rd_capture_dialog_use_action);
  gtk_widget_class_install_action (widget_class, "capture.retry", NULL, rd_capture_dialog_retry_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rd_capture_dialog_init (RdCaptureDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->camera = rd_camera_new ();
  g_object_bind_property (self->camera, "frame", self->preview_picture, "paintable", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->camera, "failed", G_CALLBACK (on_camera_failed), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.use", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.retake", FALSE);
  rd_capture_dialog_start (self);
}

/**
 * rd_capture_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 *
 * Returns: (transfer none): a dialog that opens the camera at once; GTK
 *   keeps it until it is closed
 */
GtkWidget *
rd_capture_dialog_new (GtkWindow *parent)
{
  return g_object_new (RD_TYPE_CAPTURE_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
}
