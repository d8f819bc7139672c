/* rd-camera.c: live frames from a camera through GStreamer
 *
 * One pipeline, source ! videoconvert ! RGB ! appsink, whose newest frame
 * is handed to the main thread as a #GdkMemoryTexture (the appsink keeps
 * one buffer and drops the rest, so a slow main loop only skips frames).
 * No gtk4paintablesink: Debian 12 does not ship it.
 *
 * The source is chosen by rd_camera_choose_source(): a gst-launch
 * description in `RD_VIDEOSRC` (tests, unusual cameras) wins; otherwise the
 * "camera-source" setting, whose "auto" means the camera portal and
 * pipewiresrc inside a Flatpak (where /dev is closed) and v4l2src outside.
 * The portal is spoken to directly over D-Bus (org.freedesktop.portal.Camera:
 * AccessCamera, then OpenPipeWireRemote for the fd pipewiresrc reads).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCamera"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gunixfdlist.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <unistd.h>

#include "rd-camera.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_CAMERA      "org.freedesktop.portal.Camera"
#define PORTAL_REQUEST     "org.freedesktop.portal.Request"

struct _RdCamera
{
  GObject       parent_instance;

  GstElement   *pipeline;
  guint         bus_watch;
  int           pipewire_fd;
  GMainContext *context;
  GTask        *start_task;
  GCancellable *cancellable;

  /* the newest frame from the streaming thread, under lock */
  GMutex        lock;
  GstSample    *pending;
  gboolean      idle_scheduled;

  GdkTexture   *frame;
  guint         n_frames;
};

G_DEFINE_FINAL_TYPE (RdCamera, rd_camera, G_TYPE_OBJECT)

G_DEFINE_QUARK (rd-camera-error-quark, rd_camera_error)

enum {
  PROP_0,
  PROP_FRAME,
  N_PROPS
};

enum {
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  GstBuffer  *buffer;
  GstMapInfo  map;
} RdMappedBuffer;

static void
rd_mapped_buffer_free (gpointer data)
{
  RdMappedBuffer *mapped = data;

  gst_buffer_unmap (mapped->buffer, &mapped->map);
  gst_buffer_unref (mapped->buffer);
  g_free (mapped);
}

/* @sample's RGB frame as a texture that shares the buffer's memory */
static GdkTexture *
rd_camera_sample_to_texture (GstSample *sample)
{
  g_autoptr(GBytes) bytes = NULL;
  GstVideoInfo info;
  RdMappedBuffer *mapped;
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);

  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_RGB)
    return NULL;

  mapped = g_new0 (RdMappedBuffer, 1);
  mapped->buffer = gst_buffer_ref (buffer);
  if (!gst_buffer_map (buffer, &mapped->map, GST_MAP_READ))
    {
      gst_buffer_unref (buffer);
      g_free (mapped);
      return NULL;
    }

  if (mapped->map.size < (gsize) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) * GST_VIDEO_INFO_HEIGHT (&info))
    {
      rd_mapped_buffer_free (mapped);
      return NULL;
    }

  bytes = g_bytes_new_with_free_func (mapped->map.data, mapped->map.size, rd_mapped_buffer_free, mapped);

  return gdk_memory_texture_new (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                                 GDK_MEMORY_R8G8B8, bytes, GST_VIDEO_INFO_PLANE_STRIDE (&info, 0));
}

static gboolean
on_frame_idle (gpointer user_data)
{
  RdCamera *self = user_data;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->pending);
  self->idle_scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  if (sample == NULL || self->pipeline == NULL)
    return G_SOURCE_REMOVE;

  texture = rd_camera_sample_to_texture (sample);
  if (texture == NULL)
    return G_SOURCE_REMOVE;

  g_set_object (&self->frame, texture);
  self->n_frames++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      g_task_return_boolean (task, TRUE);
    }

  return G_SOURCE_REMOVE;
}

/* the streaming thread: keep the newest sample, wake the main thread once */
static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  RdCamera *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean schedule;

  if (sample == NULL)
    return GST_FLOW_EOS;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pending, gst_sample_unref);
  self->pending = sample;
  schedule = !self->idle_scheduled;
  self->idle_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, on_frame_idle,
                                g_object_ref (self), g_object_unref);

  return GST_FLOW_OK;
}

static void
rd_camera_fail (RdCamera *self,
                GError   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  rd_camera_stop (self);

  if (task != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_emit (self, signals[FAILED], 0, error);
  g_error_free (error);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  RdCamera *self = user_data;
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;
  RdCameraError code = RD_CAMERA_ERROR_FAILED;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    {
      self->bus_watch = 0;
      rd_camera_fail (self, g_error_new_literal (RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA,
                                                 "The camera stopped sending pictures"));
      return G_SOURCE_REMOVE;
    }

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;

  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("%s (%s)", gst_error->message, debug ? debug : "");

  if (gst_error->domain == GST_RESOURCE_ERROR)
    code = RD_CAMERA_ERROR_NO_CAMERA;
  else if (g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN))
    code = RD_CAMERA_ERROR_MISSING_PLUGIN;

  /* the watch goes with the pipeline */
  self->bus_watch = 0;
  rd_camera_fail (self, g_error_new (RD_CAMERA_ERROR, code, "%s", gst_error->message));

  return G_SOURCE_REMOVE;
}

static void
rd_camera_play (RdCamera   *self,
                const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstAppSinkCallbacks callbacks = { 0 };

  g_debug ("Pipeline: %s", description);
  callbacks.new_sample = on_new_sample;

  self->pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (self->pipeline == NULL)
    {
      RdCameraError code = g_error_matches (error, GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT)
                           ? RD_CAMERA_ERROR_MISSING_PLUGIN : RD_CAMERA_ERROR_FAILED;

      rd_camera_fail (self, g_error_new (RD_CAMERA_ERROR, code, "%s", error->message));
      return;
    }
  gst_object_ref_sink (self->pipeline);

  sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "rdsink");
  g_assert (GST_IS_APP_SINK (sink));
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);

  /* a failure to start is posted on the bus too, with its reason */
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
}

static void
on_portal_opened (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RdCamera) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  int fd;

  fd = rd_camera_open_portal_finish (result, &error);
  if (self->start_task == NULL)
    {
      /* stopped meanwhile */
      if (fd >= 0)
        close (fd);
      return;
    }

  if (fd < 0)
    {
      rd_camera_fail (self, g_steal_pointer (&error));
      return;
    }

  self->pipewire_fd = fd;
  description = rd_camera_describe_source (RD_CAMERA_SOURCE_PORTAL, NULL, fd);
  rd_camera_play (self, description);
}

static void
rd_camera_dispose (GObject *object)
{
  RdCamera *self = (RdCamera *)object;

  rd_camera_stop (self);
  g_clear_object (&self->frame);

  G_OBJECT_CLASS (rd_camera_parent_class)->dispose (object);
}

static void
rd_camera_finalize (GObject *object)
{
  RdCamera *self = (RdCamera *)object;

  g_clear_pointer (&self->pending, gst_sample_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (rd_camera_parent_class)->finalize (object);
}

static void
rd_camera_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdCamera *self = RD_CAMERA (object);

  switch (prop_id)
    {
    case PROP_FRAME:
      g_value_set_object (value, self->frame);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_camera_class_init (RdCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_camera_dispose;
  object_class->finalize = rd_camera_finalize;
  object_class->get_property = rd_camera_get_property;

  /**
   * RdCamera:frame:
   *
   * The newest frame, or %NULL before the first.
   */
  properties[PROP_FRAME] =
    g_param_spec_object ("frame", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdCamera::failed:
   * @self: the camera
   * @error: what went wrong, in the %RD_CAMERA_ERROR domain
   *
   * The camera stopped after it had started (unplugged, taken away).
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
rd_camera_init (RdCamera *self)
{
  g_mutex_init (&self->lock);
  self->pipewire_fd = -1;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * rd_camera_choose_source:
 * @launch: (nullable): the `RD_VIDEOSRC` override, a gst-launch description
 * @sandboxed: whether the client runs in a Flatpak
 * @preference: (nullable): the "camera-source" setting: "auto", "v4l2" or
 *   "pipewire"
 *
 * Returns: where the frames should come from
 */
RdCameraSource
rd_camera_choose_source (const char *launch,
                         gboolean    sandboxed,
                         const char *preference)
{
  if (launch != NULL && *launch != '\0')
    return RD_CAMERA_SOURCE_LAUNCH;

  if (g_strcmp0 (preference, "v4l2") == 0)
    return RD_CAMERA_SOURCE_V4L2;

  if (g_strcmp0 (preference, "pipewire") == 0 || sandboxed)
    return RD_CAMERA_SOURCE_PORTAL;

  return RD_CAMERA_SOURCE_V4L2;
}

/**
 * rd_camera_describe_source:
 * @source: where the frames come from
 * @launch: (nullable): for %RD_CAMERA_SOURCE_LAUNCH, the source's description
 * @pipewire_fd: for %RD_CAMERA_SOURCE_PORTAL, the portal's PipeWire fd
 *
 * Returns: (transfer full): the gst-launch description of the whole
 *   pipeline, ending in an appsink named "rdsink" that takes RGB frames
 */
char *
rd_camera_describe_source (RdCameraSource  source,
                           const char     *launch,
                           int             pipewire_fd)
{
  g_autofree char *head = NULL;

  switch (source)
    {
    case RD_CAMERA_SOURCE_LAUNCH:
      head = g_strdup (launch);
      break;

    case RD_CAMERA_SOURCE_PORTAL:
      head = g_strdup_printf ("pipewiresrc fd=%d", pipewire_fd);
      break;

    case RD_CAMERA_SOURCE_V4L2:
    default:
      head = g_strdup ("v4l2src");
      break;
    }

  return g_strdup_printf ("%s ! videoconvert ! video/x-raw,format=RGB ! "
                          "appsink name=rdsink max-buffers=1 drop=true sync=false",
                          head);
}

RdCamera *
rd_camera_new (void)
{
  return g_object_new (RD_TYPE_CAMERA, NULL);
}

/* The start, once GStreamer is ready: the portal first in a sandbox */
static void
rd_camera_open_source (RdCamera *self)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autofree char *preference = g_settings_get_string (settings, "camera-source");
  g_autofree char *description = NULL;
  const char *launch = g_getenv ("RD_VIDEOSRC");
  RdCameraSource source;

  source = rd_camera_choose_source (launch, g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS),
                                    preference);
  if (source == RD_CAMERA_SOURCE_PORTAL)
    {
      rd_camera_open_portal_async (self->cancellable, on_portal_opened, g_object_ref (self));
      return;
    }

  description = rd_camera_describe_source (source, launch, -1);
  rd_camera_play (self, description);
}

/* the first start scans the plugins, which may take a while */
static void
rd_camera_init_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;

  if (!gst_init_check (NULL, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_gst_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RdCamera *self = RD_CAMERA (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* cancelled: stopped, and the start already finished */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        rd_camera_fail (self, g_error_new (RD_CAMERA_ERROR, RD_CAMERA_ERROR_MISSING_PLUGIN,
                                           "GStreamer cannot start: %s", error->message));
      return;
    }

  rd_camera_open_source (self);
}

/**
 * rd_camera_start_async:
 * @self: a #RdCamera
 * @cancellable: (nullable): a #GCancellable
 *
 * Opens the camera (asking the portal first in a sandbox) and finishes
 * with the first frame, or with an %RD_CAMERA_ERROR that says why there
 * is none.
 */
void
rd_camera_start_async (RdCamera            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) init = NULL;

  g_return_if_fail (RD_IS_CAMERA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_camera_start_async);

  if (self->pipeline != NULL || self->start_task != NULL)
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                               "The camera is already started");
      return;
    }

  self->start_task = g_steal_pointer (&task);
  self->n_frames = 0;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (gst_is_initialized ())
    {
      rd_camera_open_source (self);
      return;
    }

  init = g_task_new (self, self->cancellable, on_gst_ready, NULL);
  g_task_set_source_tag (init, rd_camera_init_thread);
  g_task_run_in_thread (init, rd_camera_init_thread);
}

gboolean
rd_camera_start_finish (RdCamera      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (RD_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rd_camera_stop:
 * @self: a #RdCamera
 *
 * Closes the camera; the last frame stays. A start under way finishes
 * with %G_IO_ERROR_CANCELLED.
 */
void
rd_camera_stop (RdCamera *self)
{
  g_return_if_fail (RD_IS_CAMERA (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->pipeline != NULL)
    {
      /* joins the streaming thread: no new sample after this */
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_handle_id (&self->bus_watch, g_source_remove);
      gst_clear_object (&self->pipeline);
    }

  if (self->pipewire_fd >= 0)
    {
      close (self->pipewire_fd);
      self->pipewire_fd = -1;
    }

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The camera was stopped");
    }
}

/**
 * rd_camera_get_frame:
 *
 * Returns: (transfer none) (nullable): the newest frame
 */
GdkTexture *
rd_camera_get_frame (RdCamera *self)
{
  g_return_val_if_fail (RD_IS_CAMERA (self), NULL);

  return self->frame;
}

/**
 * rd_camera_get_n_frames:
 *
 * Returns: how many frames were shown since the camera started
 */
guint
rd_camera_get_n_frames (RdCamera *self)
{
  g_return_val_if_fail (RD_IS_CAMERA (self), 0);

  return self->n_frames;
}

/* The camera portal */

typedef struct
{
  GDBusConnection *bus;
  guint            response_id;
  gulong           cancel_id;
  char            *handle;
} RdPortalCall;

static void
rd_portal_call_free (RdPortalCall *call)
{
  if (call->response_id != 0)
    g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
  g_clear_object (&call->bus);
  g_free (call->handle);
  g_free (call);
}

static void
on_pipewire_remote (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  int index = -1;
  int fd;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), &fds,
                                                           result, &error);
  if (reply == NULL)
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                               "The camera portal did not open PipeWire: %s", error->message);
      return;
    }

  g_variant_get (reply, "(h)", &index);
  fd = fds != NULL ? g_unix_fd_list_get (fds, index, &error) : -1;
  if (fd < 0)
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                               "The camera portal sent no PipeWire fd");
      return;
    }

  g_task_return_int (task, fd);
}

static void
on_access_response (GDBusConnection *bus,
                    const char      *sender,
                    const char      *object_path,
                    const char      *interface_name,
                    const char      *signal_name,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  GTask *task = user_data;
  RdPortalCall *call = g_task_get_task_data (task);
  guint32 response = 2;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;

  g_variant_get (parameters, "(u@a{sv})", &response, NULL);

  /* once: the subscription holds the task's reference */
  g_dbus_connection_signal_unsubscribe (bus, call->response_id);
  call->response_id = 0;
  g_cancellable_disconnect (g_task_get_cancellable (task), call->cancel_id);
  call->cancel_id = 0;

  if (response != 0)
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_DENIED,
                               "The camera was not allowed (portal response %u)", response);
      g_object_unref (task);
      return;
    }

  g_dbus_connection_call_with_unix_fd_list (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_CAMERA,
                                            "OpenPipeWireRemote",
                                            g_variant_new ("(a{sv})", NULL),
                                            G_VARIANT_TYPE ("(h)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                            NULL, g_task_get_cancellable (task),
                                            on_pipewire_remote, task);
}

static void
on_portal_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  RdPortalCall *call = g_task_get_task_data (task);

  /* the response will not be waited for */
  if (call->response_id == 0)
    return;

  g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
  call->response_id = 0;
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
}

static void
on_access_camera (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  RdPortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply != NULL || call->response_id == 0)
    {
      /* the response comes as a signal (or the start was cancelled); the
       * task's reference now belongs to the subscription */
      g_object_unref (task);
      return;
    }

  g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
  call->response_id = 0;
  g_cancellable_disconnect (g_task_get_cancellable (task), call->cancel_id);
  call->cancel_id = 0;
  g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                           "The camera portal refused the request: %s", error->message);
  /* the call's and the subscription's references */
  g_object_unref (task);
  g_object_unref (task);
}

static void
on_camera_present (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdPortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) present = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  static guint counter;
  GVariantBuilder options;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                               "The camera portal is not available: %s", error->message);
      return;
    }

  g_variant_get (reply, "(v)", &present);
  if (g_variant_is_of_type (present, G_VARIANT_TYPE_BOOLEAN) && !g_variant_get_boolean (present))
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA,
                               "The camera portal knows no camera");
      return;
    }

  /* the request's object path is known before the call, so the response
   * cannot come before the subscription */
  sender = g_strdup (g_dbus_connection_get_unique_name (call->bus) + 1);
  g_strdelimit (sender, ".", '_');
  token = g_strdup_printf ("ringdesk%d_%u", (int) getpid (), ++counter);
  call->handle = g_strdup_printf (PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
  call->response_id = g_dbus_connection_signal_subscribe (call->bus, PORTAL_BUS_NAME, PORTAL_REQUEST,
                                                          "Response", call->handle, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          on_access_response, g_object_ref (task), NULL);
  if (g_task_get_cancellable (task) != NULL)
    call->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                             G_CALLBACK (on_portal_cancelled), task, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_dbus_connection_call (call->bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_CAMERA,
                          "AccessCamera", g_variant_new ("(a{sv})", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_access_camera, g_object_ref (task));
}

static void
on_session_bus (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdPortalCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  call->bus = g_bus_get_finish (result, &error);
  if (call->bus == NULL)
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                               "No session bus for the camera portal: %s", error->message);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_dbus_connection_call (call->bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", PORTAL_CAMERA, "IsCameraPresent"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          cancellable, on_camera_present, g_steal_pointer (&task));
}

/**
 * rd_camera_open_portal_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the camera portal for the camera (the desktop may ask the user)
 * and for the PipeWire remote that carries it.
 */
void
rd_camera_open_portal_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, rd_camera_open_portal_async);
  g_task_set_task_data (task, g_new0 (RdPortalCall, 1), (GDestroyNotify) rd_portal_call_free);
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, on_session_bus, g_steal_pointer (&task));
}

/**
 * rd_camera_open_portal_finish:
 *
 * Returns: an fd of the PipeWire remote for pipewiresrc (the caller closes
 *   it), or -1 with an %RD_CAMERA_ERROR (%RD_CAMERA_ERROR_DENIED when the
 *   user said no) or %G_IO_ERROR_CANCELLED
 */
int
rd_camera_open_portal_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

/* JPEG */

typedef struct
{
  guchar *pixels;
  int     width;
  int     height;
  int     max_size;
} RdEncodeJob;

static void
rd_encode_job_free (RdEncodeJob *job)
{
  g_free (job->pixels);
  g_free (job);
}

static void
rd_camera_encode_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  RdEncodeJob *job = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quality = g_strdup_printf ("%d", RD_CAMERA_JPEG_QUALITY);
  gchar *jpeg = NULL;
  gsize length = 0;
  guchar *out;
  int rowstride;
  int long_side = MAX (job->width, job->height);

  /* the download is cairo's ARGB32: native-endian 32-bit words */
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, job->width, job->height);
  out = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < job->height; y++)
    {
      const guint32 *in = (const guint32 *) (job->pixels + (gsize) y * job->width * 4);
      guchar *row = out + (gsize) y * rowstride;

      for (int x = 0; x < job->width; x++)
        {
          row[3 * x] = (in[x] >> 16) & 0xff;
          row[3 * x + 1] = (in[x] >> 8) & 0xff;
          row[3 * x + 2] = in[x] & 0xff;
        }
    }

  if (long_side > job->max_size)
    {
      int width = MAX (1, (int) ((gint64) job->width * job->max_size / long_side));
      int height = MAX (1, (int) ((gint64) job->height * job->max_size / long_side));

      scaled = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
    }
  else
    scaled = g_object_ref (pixbuf);

  if (!gdk_pixbuf_save_to_buffer (scaled, &jpeg, &length, "jpeg", &error, "quality", quality, NULL))
    {
      g_task_return_new_error (task, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED,
                               "Could not encode the photo: %s", error->message);
      return;
    }

  g_task_return_pointer (task, g_bytes_new_take (jpeg, length), (GDestroyNotify) g_bytes_unref);
}

/**
 * rd_camera_encode_jpeg_async:
 * @frame: a frame
 * @max_size: the longest side the photo may have, in pixels
 * @cancellable: (nullable): a #GCancellable
 *
 * Encodes @frame as a JPEG of quality RD_CAMERA_JPEG_QUALITY, scaled down
 * (never up) so that its long side is at most @max_size, in a thread.
 */
void
rd_camera_encode_jpeg_async (GdkTexture          *frame,
                             int                  max_size,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RdEncodeJob *job;

  g_return_if_fail (GDK_IS_TEXTURE (frame));
  g_return_if_fail (max_size > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_camera_encode_jpeg_async);

  job = g_new0 (RdEncodeJob, 1);
  job->width = gdk_texture_get_width (frame);
  job->height = gdk_texture_get_height (frame);
  job->max_size = max_size;
  job->pixels = g_malloc ((gsize) job->width * job->height * 4);
  gdk_texture_download (frame, job->pixels, (gsize) job->width * 4);
  g_task_set_task_data (task, job, (GDestroyNotify) rd_encode_job_free);

  g_task_run_in_thread (task, rd_camera_encode_thread);
}

/**
 * rd_camera_encode_jpeg_finish:
 *
 * Returns: (transfer full): the JPEG, or %NULL with an error
 */
GBytes *
rd_camera_encode_jpeg_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
