/* test-camera.c: RdCamera with real GStreamer pipelines, its choice of
 * source, the camera portal (served by this test on the session bus) and
 * the JPEG it makes of a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestCamera"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include <fcntl.h>
#include <unistd.h>

#include "rd-camera.h"
#include "rd-test-client.h"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_choose_source (void)
{
  static const struct {
    const char     *launch;
    gboolean        sandboxed;
    const char     *preference;
    RdCameraSource  expected;
  } cases[] = {
    /* the override wins over everything */
    { "videotestsrc", FALSE, "auto", RD_CAMERA_SOURCE_LAUNCH },
    { "videotestsrc", TRUE, "v4l2", RD_CAMERA_SOURCE_LAUNCH },
    { "videotestsrc", TRUE, "pipewire", RD_CAMERA_SOURCE_LAUNCH },
    /* automatic: the portal in a Flatpak, V4L2 outside */
    { NULL, TRUE, "auto", RD_CAMERA_SOURCE_PORTAL },
    { "", TRUE, "auto", RD_CAMERA_SOURCE_PORTAL },
    { NULL, FALSE, "auto", RD_CAMERA_SOURCE_V4L2 },
    { NULL, FALSE, NULL, RD_CAMERA_SOURCE_V4L2 },
    { NULL, TRUE, NULL, RD_CAMERA_SOURCE_PORTAL },
    /* the preference forces one */
    { NULL, FALSE, "pipewire", RD_CAMERA_SOURCE_PORTAL },
    { NULL, TRUE, "v4l2", RD_CAMERA_SOURCE_V4L2 },
    /* an unknown value is automatic */
    { NULL, FALSE, "bogus", RD_CAMERA_SOURCE_V4L2 },
    { NULL, TRUE, "bogus", RD_CAMERA_SOURCE_PORTAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (rd_camera_choose_source (cases[i].launch, cases[i].sandboxed, cases[i].preference),
                       ==, cases[i].expected);
    }
}

static void
test_describe (void)
{
  g_autofree char *launch = rd_camera_describe_source (RD_CAMERA_SOURCE_LAUNCH, "videotestsrc pattern=ball", -1);
  g_autofree char *portal = rd_camera_describe_source (RD_CAMERA_SOURCE_PORTAL, NULL, 7);
  g_autofree char *v4l2 = rd_camera_describe_source (RD_CAMERA_SOURCE_V4L2, NULL, -1);
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (launch, "videotestsrc pattern=ball ! videoconvert ! "));
  g_assert_true (g_str_has_prefix (portal, "pipewiresrc fd=7 ! videoconvert ! "));
  g_assert_true (g_str_has_prefix (v4l2, "v4l2src ! videoconvert ! "));

  /* a real pipeline with the sink RdCamera looks for */
  pipeline = gst_parse_launch (launch, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "rdsink");
  g_assert_nonnull (sink);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (sink), ==, "GstAppSink");
}

static gboolean
has_frames (gpointer data)
{
  return rd_camera_get_n_frames (RD_CAMERA (data)) >= 3;
}

static gboolean
start (RdCamera  *camera,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_camera_start_async (camera, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_camera_start_finish (camera, result, error);
}

/* RD_VIDEOSRC: frames of the size the source makes, live, again after a stop */
static void
test_live (void)
{
  g_autoptr(RdCamera) camera = rd_camera_new ();
  g_autoptr(GError) error = NULL;
  GdkTexture *frame;

  g_setenv ("RD_VIDEOSRC", "videotestsrc is-live=true ! video/x-raw,width=322,height=240,framerate=30/1", TRUE);

  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (start (camera, &error));
      g_assert_no_error (error);
      rd_test_spin_until (has_frames, camera, "three frames");

      /* an odd width: the rows of RGB are padded, the texture is not */
      frame = rd_camera_get_frame (camera);
      g_assert_cmpint (gdk_texture_get_width (frame), ==, 322);
      g_assert_cmpint (gdk_texture_get_height (frame), ==, 240);

      /* a second start while running is refused */
      g_assert_false (start (camera, &error));
      g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_FAILED);
      g_clear_error (&error);

      rd_camera_stop (camera);
      /* the last frame stays for the still */
      g_assert_true (rd_camera_get_frame (camera) == frame);
    }
}

static void
test_missing_element (void)
{
  g_autoptr(RdCamera) camera = rd_camera_new ();
  g_autoptr(GError) error = NULL;

  g_setenv ("RD_VIDEOSRC", "rdnosuchcamerasrc", TRUE);
  g_assert_false (start (camera, &error));
  g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_MISSING_PLUGIN);
  g_assert_null (rd_camera_get_frame (camera));
}

static void
on_failed (RdCamera *camera,
           GError   *error,
           gpointer  user_data)
{
  *(GError **) user_data = g_error_copy (error);
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* A source that ends: before the first frame the start fails, after it the
 * camera reports that it stopped */
static void
test_source_ends (void)
{
  g_autoptr(RdCamera) camera = rd_camera_new ();
  g_autoptr(GError) error = NULL;
  GError *failure = NULL;

  g_setenv ("RD_VIDEOSRC", "videotestsrc num-buffers=0", TRUE);
  g_assert_false (start (camera, &error));
  g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA);
  g_clear_error (&error);

  g_signal_connect (camera, "failed", G_CALLBACK (on_failed), &failure);
  g_setenv ("RD_VIDEOSRC", "videotestsrc is-live=true num-buffers=5", TRUE);
  g_assert_true (start (camera, &error));
  g_assert_no_error (error);
  rd_test_spin_until (error_set, &failure, "the end of the pictures");
  g_assert_error (failure, RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA);
  g_clear_error (&failure);
}

/* Without RD_VIDEOSRC and without a V4L2 device: no camera */
static void
test_no_device (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(RdCamera) camera = rd_camera_new ();
  g_autoptr(GError) error = NULL;

  if (g_file_test ("/dev/video0", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this machine has a camera");
      return;
    }

  g_unsetenv ("RD_VIDEOSRC");
  g_settings_set_string (settings, "camera-source", "v4l2");
  g_assert_false (start (camera, &error));
  g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA);
  g_settings_reset (settings, "camera-source");
}

/* The camera portal, served here on the session bus */

typedef struct
{
  GDBusConnection *bus;
  guint32          response;
  gboolean         present;
  guint            accessed;
  guint            opened;
  int              write_fd;
} FakePortal;

static FakePortal portal;

#define NO_RESPONSE G_MAXUINT32

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Camera'>"
  "    <method name='AccessCamera'>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <method name='OpenPipeWireRemote'>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='h' name='fd' direction='out'/>"
  "    </method>"
  "    <property name='IsCameraPresent' type='b' access='read'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  char *sender;
  char *handle;
} Response;

static gboolean
send_response (gpointer data)
{
  Response *response = data;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_dbus_connection_emit_signal (portal.bus, response->sender, response->handle,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", portal.response, &results), NULL);
  g_free (response->sender);
  g_free (response->handle);
  g_free (response);

  return G_SOURCE_REMOVE;
}

static void
portal_method_cb (GDBusConnection       *bus,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  if (g_str_equal (method_name, "AccessCamera"))
    {
      g_autoptr(GVariant) options = g_variant_get_child_value (parameters, 0);
      g_autofree char *escaped = g_strdelimit (g_strdup (sender + 1), ".", '_');
      const char *token = NULL;
      Response *response = g_new0 (Response, 1);

      g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
      response->sender = g_strdup (sender);
      response->handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", escaped, token);
      portal.accessed++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", response->handle));
      /* the user has not answered yet: no response */
      if (portal.response == NO_RESPONSE)
        {
          g_free (response->sender);
          g_free (response->handle);
          g_free (response);
          return;
        }
      g_idle_add (send_response, response);
    }
  else
    {
      g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
      g_autoptr(GError) error = NULL;
      int pipe_fds[2];
      int index;

      g_assert_true (g_unix_open_pipe (pipe_fds, FD_CLOEXEC, &error));
      index = g_unix_fd_list_append (fds, pipe_fds[0], &error);
      g_assert_no_error (error);
      close (pipe_fds[0]);
      portal.write_fd = pipe_fds[1];
      portal.opened++;
      g_dbus_method_invocation_return_value_with_unix_fd_list (invocation, g_variant_new ("(h)", index), fds);
    }
}

static GVariant *
portal_get_property_cb (GDBusConnection  *bus,
                        const char       *sender,
                        const char       *object_path,
                        const char       *interface_name,
                        const char       *property_name,
                        GError          **error,
                        gpointer          user_data)
{
  return g_variant_new_boolean (portal.present);
}

static const GDBusInterfaceVTable portal_vtable = { portal_method_cb, portal_get_property_cb, NULL, { 0 } };

static gboolean
own_fake_portal (void)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (portal.bus != NULL)
    return TRUE;

  portal.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (portal.bus == NULL)
    return FALSE;

  info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (portal.bus, "/org/freedesktop/portal/desktop", info->interfaces[0],
                                     &portal_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (portal.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  return TRUE;
}

static gboolean
portal_accessed_3 (gpointer data)
{
  return portal.accessed == 3;
}

static int
open_portal (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_camera_open_portal_async (NULL, store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_camera_open_portal_finish (result, error);
}

static void
test_portal (void)
{
  g_autoptr(GError) error = NULL;
  char byte = 0;
  int fd;

  if (!own_fake_portal ())
    {
      g_test_skip ("no session bus");
      return;
    }

  /* allowed: the fd is the portal's PipeWire remote */
  portal.present = TRUE;
  portal.response = 0;
  fd = open_portal (&error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (portal.accessed, ==, 1);
  g_assert_cmpuint (portal.opened, ==, 1);
  g_assert_cmpint (write (portal.write_fd, "k", 1), ==, 1);
  g_assert_cmpint (read (fd, &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'k');
  close (fd);
  close (portal.write_fd);

  /* the user said no */
  portal.response = 1;
  fd = open_portal (&error);
  g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_DENIED);
  g_assert_cmpint (fd, ==, -1);
  g_assert_cmpuint (portal.accessed, ==, 2);
  g_assert_cmpuint (portal.opened, ==, 1);
  g_clear_error (&error);

  /* cancelled while the desktop asks the user */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;

    portal.response = NO_RESPONSE;
    rd_camera_open_portal_async (cancellable, store_result_cb, &result);
    rd_test_spin_until (portal_accessed_3, NULL, "the portal's question");
    g_cancellable_cancel (cancellable);
    rd_test_wait_result (&result);
    fd = rd_camera_open_portal_finish (result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (fd, ==, -1);
    g_assert_cmpuint (portal.opened, ==, 1);
    g_clear_error (&error);
  }

  /* no camera at all: not even asked */
  portal.present = FALSE;
  portal.response = 0;
  fd = open_portal (&error);
  g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_NO_CAMERA);
  g_assert_cmpuint (portal.accessed, ==, 3);
  g_clear_error (&error);
}

/* The pipewire preference goes through the portal to pipewiresrc */
static void
test_portal_camera (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(RdCamera) camera = rd_camera_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElementFactory) pipewiresrc = NULL;
  guint opened;

  if (!own_fake_portal ())
    {
      g_test_skip ("no session bus");
      return;
    }

  portal.present = TRUE;
  portal.response = 0;
  opened = portal.opened;
  g_unsetenv ("RD_VIDEOSRC");
  g_settings_set_string (settings, "camera-source", "pipewire");

  /* our pipe is no PipeWire: the start fails after the portal opened it */
  g_assert_false (start (camera, &error));
  g_assert_cmpuint (portal.opened, ==, opened + 1);
  pipewiresrc = gst_element_factory_find ("pipewiresrc");
  if (pipewiresrc == NULL)
    g_assert_error (error, RD_CAMERA_ERROR, RD_CAMERA_ERROR_MISSING_PLUGIN);
  else
    g_assert_true (error->domain == RD_CAMERA_ERROR && error->code != RD_CAMERA_ERROR_DENIED);

  close (portal.write_fd);
  g_settings_reset (settings, "camera-source");
}

/* JPEG: scaled down to the limit on the long side, never up */

static GdkTexture *
make_frame (int width,
            int height)
{
  gsize stride = (gsize) width * 3;
  guchar *pixels = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < stride * height; i += 3)
    {
      pixels[i] = 200;
      pixels[i + 1] = 40;
      pixels[i + 2] = 90;
    }
  bytes = g_bytes_new_take (pixels, stride * height);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
}

static void
check_jpeg (int frame_width,
            int frame_height,
            int max_size,
            int width,
            int height)
{
  g_autoptr(GdkTexture) frame = make_frame (frame_width, frame_height);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  const guchar *data;
  const guchar *pixel;
  GdkPixbuf *pixbuf;

  rd_camera_encode_jpeg_async (frame, max_size, NULL, store_result_cb, &result);
  rd_test_wait_result (&result);
  jpeg = rd_camera_encode_jpeg_finish (result, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (jpeg, NULL);
  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);
  g_assert_cmpuint (data[2], ==, 0xff);

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, jpeg, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);

  /* the colour survives, red first */
  pixel = gdk_pixbuf_get_pixels (pixbuf) + (height / 2) * gdk_pixbuf_get_rowstride (pixbuf)
          + (width / 2) * gdk_pixbuf_get_n_channels (pixbuf);
  g_assert_cmpint (ABS (pixel[0] - 200), <=, 8);
  g_assert_cmpint (ABS (pixel[1] - 40), <=, 8);
  g_assert_cmpint (ABS (pixel[2] - 90), <=, 8);
}

static void
test_jpeg (void)
{
  check_jpeg (2560, 1440, RD_CAMERA_PHOTO_MAX_SIZE, 1920, 1080);
  check_jpeg (1000, 3000, RD_CAMERA_PHOTO_MAX_SIZE, 640, 1920);
  check_jpeg (640, 480, RD_CAMERA_PHOTO_MAX_SIZE, 640, 480);
  check_jpeg (1920, 1080, RD_CAMERA_PHOTO_MAX_SIZE, 1920, 1080);
  check_jpeg (333, 101, 100, 100, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/camera/choose-source", test_choose_source);
  g_test_add_func ("/camera/describe", test_describe);
  g_test_add_func ("/camera/live", test_live);
  g_test_add_func ("/camera/missing-element", test_missing_element);
  g_test_add_func ("/camera/source-ends", test_source_ends);
  g_test_add_func ("/camera/no-device", test_no_device);
  g_test_add_func ("/camera/portal", test_portal);
  g_test_add_func ("/camera/portal-camera", test_portal_camera);
  g_test_add_func ("/camera/jpeg", test_jpeg);

  return g_test_run ();
}
