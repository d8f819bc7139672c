/* rd-camera.h: live frames from a camera through GStreamer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * RdCameraSource:
 * @RD_CAMERA_SOURCE_LAUNCH: a gst-launch description from `RD_VIDEOSRC`
 * @RD_CAMERA_SOURCE_PORTAL: the camera portal and pipewiresrc (in a sandbox)
 * @RD_CAMERA_SOURCE_V4L2: the V4L2 device, v4l2src
 *
 * Where the frames come from.
 */
typedef enum
{
  RD_CAMERA_SOURCE_LAUNCH,
  RD_CAMERA_SOURCE_PORTAL,
  RD_CAMERA_SOURCE_V4L2,
} RdCameraSource;

/**
 * RdCameraError:
 * @RD_CAMERA_ERROR_NO_CAMERA: there is no camera, or it cannot be opened
 * @RD_CAMERA_ERROR_DENIED: the user or the sandbox refused the camera
 * @RD_CAMERA_ERROR_MISSING_PLUGIN: a GStreamer element is not installed
 * @RD_CAMERA_ERROR_FAILED: anything else
 */
typedef enum
{
  RD_CAMERA_ERROR_NO_CAMERA,
  RD_CAMERA_ERROR_DENIED,
  RD_CAMERA_ERROR_MISSING_PLUGIN,
  RD_CAMERA_ERROR_FAILED,
} RdCameraError;

#define RD_CAMERA_ERROR (rd_camera_error_quark ())

/* The long side of a photo, at most, and its JPEG quality */
#define RD_CAMERA_PHOTO_MAX_SIZE 1920
#define RD_CAMERA_JPEG_QUALITY   85

#define RD_TYPE_CAMERA (rd_camera_get_type ())

G_DECLARE_FINAL_TYPE (RdCamera, rd_camera, RD, CAMERA, GObject)

GQuark          rd_camera_error_quark         (void);
RdCameraSource  rd_camera_choose_source       (const char           *launch,
                                               gboolean              sandboxed,
                                               const char           *preference);
char           *rd_camera_describe_source     (RdCameraSource        source,
                                               const char           *launch,
                                               int                   pipewire_fd);
RdCamera       *rd_camera_new                 (void);
void            rd_camera_start_async         (RdCamera             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        rd_camera_start_finish        (RdCamera             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            rd_camera_stop                (RdCamera             *self);
GdkTexture     *rd_camera_get_frame           (RdCamera             *self);
guint           rd_camera_get_n_frames        (RdCamera             *self);
void            rd_camera_open_portal_async   (GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
int             rd_camera_open_portal_finish  (GAsyncResult         *result,
                                               GError              **error);
void            rd_camera_encode_jpeg_async   (GdkTexture           *frame,
                                               int                   max_size,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GBytes         *rd_camera_encode_jpeg_finish  (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
