/* test-evidence.c: evidence of the real client under Xvfb, against a real
 * ringdesk-server; screenshots of the capture dialog for review
 *
 * RdConnection's evidence requests (list, download with a cap, upload with
 * progress, a cancel that aborts the transfer mid-body) and the ticket
 * page's evidence: a photo taken through the capture dialog from a real
 * GStreamer pipeline (RD_VIDEOSRC, videotestsrc) and a file, both checked
 * on the server through the API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestEvidence"

#include "config.h"

#include <adwaita.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include <fcntl.h>
#include <unistd.h>

#include "rd-application.h"
#include "rd-capture-dialog-private.h"
#include "rd-evidence-list-private.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-ticket-page-private.h"
#include "rd-window-private.h"

/* Larger than a photo may be: the dialog scales it to 1920 × 1080 */
#define TEST_VIDEOSRC "videotestsrc is-live=true pattern=ball ! video/x-raw,width=2560,height=1440,framerate=10/1"

/* The server's limit here, so that refusing a large file is quick */
#define TEST_MAX_SIZE 2097152

static RdTestServer *server;
/* where the desktop's PDF viewer (a script) copies what it opens */
static char *viewer_dir;
static RdApplication *app;
static RdConnection *api;

static GListModel *
api_list (const char *number)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *items;

  rd_connection_list_evidence_async (api, number, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  items = rd_connection_list_evidence_finish (api, result, &error);
  g_assert_no_error (error);

  return items;
}

static GBytes *
api_download (const char  *id,
              gsize        max_size,
              char       **content_type,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_download_evidence_async (api, id, max_size, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_download_evidence_finish (api, result, content_type, error);
}

typedef struct
{
  goffset  sent;
  goffset  total;
  guint    calls;
  gboolean monotonic;
  GCancellable *cancel_on_progress;
} Progress;

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (sent < progress->sent)
    progress->monotonic = FALSE;
  progress->sent = sent;
  progress->total = total;
  progress->calls++;
}

static RdEvidence *
api_upload (const char    *number,
            GBytes        *bytes,
            const char    *content_type,
            const char    *description,
            Progress      *progress,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  rd_connection_upload_evidence_async (api, number, stream, g_bytes_get_size (bytes), content_type,
                                       "test.bin", description,
                                       progress ? progress_cb : NULL, progress, NULL,
                                       rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_upload_evidence_finish (api, result, error);
}

/* A real image of @width × @height in @type ("jpeg" or "png") */
static GBytes *
make_image (int         width,
            int         height,
            const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  gchar *data = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &length, type, &error, NULL));
  g_assert_no_error (error);

  return g_bytes_new_take (data, length);
}

static void
assert_jpeg_of_size (GBytes *bytes,
                     int     width,
                     int     height)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  g_autoptr(GError) error = NULL;
  const guchar *data = g_bytes_get_data (bytes, NULL);
  GdkPixbuf *pixbuf;

  g_assert_cmpuint (g_bytes_get_size (bytes), >, 3);
  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);
  g_assert_cmpuint (data[2], ==, 0xff);

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

/* RdConnection: upload with progress, list, download with a cap, refusals */
static void
test_connection (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Meter cover cracked", "Ana Lima", NULL);
  const char *number = rd_ticket_get_number (ticket);
  g_autoptr(GBytes) jpeg = make_image (800, 600, "jpeg");
  g_autoptr(GBytes) png = make_image (40, 30, "png");
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GBytes) downloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  Progress progress = { 0, 0, 0, TRUE, NULL };

  evidence = api_upload (number, jpeg, "image/jpeg", "Cover of meter 12 — cracked", &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_evidence_get_ticket (evidence), ==, number);
  g_assert_cmpstr (rd_evidence_get_content_type (evidence), ==, "image/jpeg");
  g_assert_cmpint (rd_evidence_get_size (evidence), ==, g_bytes_get_size (jpeg));
  g_assert_cmpstr (rd_evidence_get_filename (evidence), ==, "test.bin");
  g_assert_cmpstr (rd_evidence_get_description (evidence), ==, "Cover of meter 12 — cracked");
  /* the progress reached the whole body, never going back */
  g_assert_cmpuint (progress.calls, >, 0);
  g_assert_true (progress.monotonic);
  g_assert_cmpint (progress.sent, ==, g_bytes_get_size (jpeg));
  g_assert_cmpint (progress.total, ==, g_bytes_get_size (jpeg));

  items = api_list (number);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);

  downloaded = api_download (rd_evidence_get_id (evidence), 32 * 1024 * 1024, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/jpeg");
  g_assert_true (g_bytes_equal (downloaded, jpeg));

  /* the cap: refused from the Content-Length */
  g_clear_pointer (&downloaded, g_bytes_unref);
  downloaded = api_download (rd_evidence_get_id (evidence), g_bytes_get_size (jpeg) - 1, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_TOO_LARGE);
  g_assert_null (downloaded);
  g_clear_error (&error);

  /* an id that is not one, and one that does not exist */
  downloaded = api_download ("../1", 1024, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  downloaded = api_download ("999999", 1024, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a type the server does not take is refused before anything is sent */
  g_clear_object (&evidence);
  evidence = api_upload (number, jpeg, "text/plain", NULL, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_clear_error (&error);

  /* a PNG declared as a JPEG: the server's 415 arrives whole */
  evidence = api_upload (number, png, "image/jpeg", NULL, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_clear_error (&error);

  /* larger than the server takes: its 413 arrives, not a broken pipe */
  {
    g_autoptr(GBytes) large = g_bytes_new_take (g_malloc0 (4 * TEST_MAX_SIZE), 4 * TEST_MAX_SIZE);
    guchar *data = (guchar *) g_bytes_get_data (large, NULL);

    memcpy (data, g_bytes_get_data (jpeg, NULL), 4);
    evidence = api_upload (number, large, "image/jpeg", NULL, NULL, &error);
    g_assert_error (error, RD_ERROR, RD_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  /* a ticket number that is not one */
  evidence = api_upload ("1/../2", jpeg, "image/jpeg", NULL, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  /* a ticket that does not exist: refused from the headers */
  evidence = api_upload ("987654", jpeg, "image/jpeg", NULL, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&items);
  items = api_list (number);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
}

/* A server that replies what the real one never does */
static void
test_bad_replies (void)
{
  g_autofree char *big_error = g_strnfill (200 * 1024, 'x');
  const RdTestReply replies[] = {
    { "/html/api/v1/tickets/1/evidence", 200, "text/html", "<html><body>It works!</body></html>" },
    { "/no-items/api/v1/tickets/1/evidence", 200, "application/json", "{\"next_cursor\": null}" },
    { "/bad-item/api/v1/tickets/1/evidence", 200, "application/json", "{\"items\": [{\"id\": [5]}]}" },
    { "/not-object/api/v1/tickets/1/evidence", 200, "application/json", "{\"items\": [\"1\"]}" },
    { "/bad-upload/api/v1/tickets/1/evidence", 201, "application/json", "{\"id\": {\"x\": 1}}" },
    { "/big-error/api/v1/evidence/1/content", 500, "text/html", big_error },
    { "/proxy/api/v1/evidence/1/content", 502, "text/html", "<h1>Bad Gateway</h1>" },
    { "/json-error/api/v1/evidence/1/content", 403, "application/json",
      "{\"error\": {\"code\": \"forbidden\", \"message\": \"Not your ticket\"}}" },
  };
  g_autoptr(SoupServer) soup_server = rd_test_fake_server_new (replies, G_N_ELEMENTS (replies));
  g_autoptr(GBytes) jpeg = make_image (16, 16, "jpeg");
  static const char * const bad_lists[] = { "html/", "no-items/", "bad-item/", "not-object/" };
  static const struct {
    const char *prefix;
    int         code;
  } downloads[] = {
    { "big-error/", -500 },
    { "proxy/", -502 },
    { "json-error/", RD_ERROR_FORBIDDEN },
    { "missing/", RD_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_lists); i++)
    {
      g_autofree char *url = rd_test_fake_server_url (soup_server, bad_lists[i]);
      g_autoptr(RdConnection) connection = rd_connection_new (url, NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GListModel) items = NULL;
      g_autoptr(GError) error = NULL;

      rd_connection_set_token (connection, "not-a-real-token");
      rd_connection_list_evidence_async (connection, "1", NULL, rd_test_store_result_cb, &result);
      rd_test_wait_result (&result);
      items = rd_connection_list_evidence_finish (connection, result, &error);
      g_test_message ("%s: %s", bad_lists[i], error ? error->message : "(no error!)");
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
      g_assert_null (items);
    }

  for (guint i = 0; i < G_N_ELEMENTS (downloads); i++)
    {
      g_autofree char *url = rd_test_fake_server_url (soup_server, downloads[i].prefix);
      g_autoptr(RdConnection) connection = rd_connection_new (url, NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      int code = downloads[i].code < 0 ? (int) rd_error_from_http_status (-downloads[i].code)
                                       : downloads[i].code;

      rd_connection_set_token (connection, "not-a-real-token");
      rd_connection_download_evidence_async (connection, "1", 1024 * 1024, NULL, rd_test_store_result_cb, &result);
      rd_test_wait_result (&result);
      bytes = rd_connection_download_evidence_finish (connection, result, NULL, &error);
      g_test_message ("%s: %s", downloads[i].prefix, error ? error->message : "(no error!)");
      g_assert_error (error, RD_ERROR, code);
      g_assert_null (bytes);
    }

  {
    g_autofree char *url = rd_test_fake_server_url (soup_server, "bad-upload/");
    g_autoptr(RdConnection) connection = rd_connection_new (url, NULL);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (jpeg);
    g_autoptr(RdEvidence) evidence = NULL;
    g_autoptr(GError) error = NULL;

    /* signed out: refused before anything is sent */
    rd_connection_upload_evidence_async (connection, "1", stream, g_bytes_get_size (jpeg), "image/jpeg",
                                         NULL, NULL, NULL, NULL, NULL, rd_test_store_result_cb, &result);
    rd_test_wait_result (&result);
    evidence = rd_connection_upload_evidence_finish (connection, result, &error);
    g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
    g_clear_object (&result);

    rd_connection_set_token (connection, "not-a-real-token");
    rd_connection_upload_evidence_async (connection, "1", stream, g_bytes_get_size (jpeg), "image/jpeg",
                                         NULL, NULL, NULL, NULL, NULL, rd_test_store_result_cb, &result);
    rd_test_wait_result (&result);
    evidence = rd_connection_upload_evidence_finish (connection, result, &error);
    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_assert_null (evidence);
  }
}

static gboolean
progress_started (gpointer data)
{
  Progress *progress = data;

  return progress->sent > 0;
}

/* Cancelling aborts the transfer in the middle of the body: the server
 * keeps nothing. The body comes from a pipe that holds only its start, so
 * the upload cannot finish before the cancel. */
static void
test_cancel_mid_body (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Door sensor", "Jürgen Weiß", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *start = g_malloc0 (16 * 1024);
  Progress progress = { 0, 0, 0, TRUE, NULL };
  int fds[2];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  stream = g_unix_input_stream_new (fds[0], TRUE);
  start[0] = 0xff;
  start[1] = 0xd8;
  start[2] = 0xff;
  start[3] = 0xe0;
  g_assert_cmpint (write (fds[1], start, 16 * 1024), ==, 16 * 1024);

  rd_connection_upload_evidence_async (api, rd_ticket_get_number (ticket), stream, TEST_MAX_SIZE / 2,
                                       "image/jpeg", NULL, "never stored", progress_cb, &progress,
                                       cancellable, rd_test_store_result_cb, &result);
  rd_test_spin_until (progress_started, &progress, "the first bytes of the body");
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  rd_test_wait_result (&result);
  close (fds[1]);

  evidence = rd_connection_upload_evidence_finish (api, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (evidence);
  g_assert_cmpint (progress.sent, <, TEST_MAX_SIZE / 2);
  g_clear_error (&error);

  items = api_list (rd_ticket_get_number (ticket));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 0);

  /* and the connection still works */
  g_clear_object (&items);
  {
    g_autoptr(GBytes) jpeg = make_image (64, 48, "jpeg");

    evidence = api_upload (rd_ticket_get_number (ticket), jpeg, "image/jpeg", NULL, NULL, &error);
    g_assert_no_error (error);
  }
  items = api_list (rd_ticket_get_number (ticket));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
}

/* The ticket page, on @ticket, in a signed-in window of @width × @height */

static gboolean
is_home (gpointer data)
{
  return g_strcmp0 (rd_window_get_page_name (RD_WINDOW (data)), "home") == 0;
}

static gboolean
evidence_settled (gpointer data)
{
  RdTicketPage *page = data;

  return !rd_ticket_page_get_busy (page) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (page->page_stack), "ticket") == 0 &&
         rd_evidence_list_get_items (page->evidence_list) != NULL &&
         !rd_evidence_list_get_busy (page->evidence_list);
}

static RdWindow *
open_ticket (RdTicket *ticket,
             int       width,
             int       height)
{
  RdWindow *window = rd_test_open_window_sized (app, width, height);

  if (!is_home (window))
    rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  rd_test_spin_until (is_home, window, "the signed-in window");

  rd_window_open_ticket (window, ticket);
  rd_test_spin_until (evidence_settled, window->ticket_page, "the ticket page and its evidence");

  return window;
}

static gboolean
dialog_previews (gpointer data)
{
  RdCaptureDialog *dialog = data;

  /* a few frames: the preview is live, not one picture */
  return g_strcmp0 (gtk_stack_get_visible_child_name (dialog->stack), "preview") == 0 &&
         rd_camera_get_n_frames (dialog->camera) >= 3 &&
         gtk_picture_get_paintable (dialog->preview_picture) != NULL;
}

static gboolean
capture_dialog_open (gpointer data)
{
  return rd_test_find_window (RD_TYPE_CAPTURE_DIALOG) != NULL;
}

static gboolean
capture_dialog_closed (gpointer data)
{
  return !capture_dialog_open (data);
}

static RdCaptureDialog *
open_capture_dialog (RdTicketPage *page)
{
  RdCaptureDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page->evidence_list), "evidence.add-photo", NULL));
  rd_test_spin_until (capture_dialog_open, NULL, "the capture dialog");
  dialog = RD_CAPTURE_DIALOG (rd_test_find_window (RD_TYPE_CAPTURE_DIALOG));
  rd_test_spin_until (dialog_previews, dialog, "the live preview");

  return dialog;
}

static gboolean
uploads_done (gpointer data)
{
  RdEvidenceList *list = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "expected-uploads"));

  return list->n_uploads == expected && !rd_evidence_list_get_busy (list);
}

static void
wait_uploads (RdEvidenceList *list,
              guint           expected)
{
  g_object_set_data (G_OBJECT (list), "expected-uploads", GUINT_TO_POINTER (expected));
  rd_test_spin_until (uploads_done, list, "the upload");
}

static gboolean
list_has_items (gpointer data)
{
  RdEvidenceList *list = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "expected-items"));

  return list->items != NULL && g_list_model_get_n_items (list->items) == expected &&
         !rd_evidence_list_get_busy (list);
}

static void
wait_items (RdEvidenceList *list,
            guint           expected)
{
  g_object_set_data (G_OBJECT (list), "expected-items", GUINT_TO_POINTER (expected));
  rd_test_spin_until (list_has_items, list, "the evidence list");
}

/* The photo row's thumbnail, decoded from the file on the server */
static GdkPaintable *
row_thumbnail (RdEvidenceList *list,
               guint           index)
{
  GtkWidget *row = g_ptr_array_index (list->item_rows, index);
  GtkPicture *picture = g_object_get_data (G_OBJECT (row), "thumbnail");

  g_assert_nonnull (picture);

  return gtk_picture_get_paintable (picture);
}

/* The ticket page scrolled down to its evidence */
static void
save_evidence_screenshot (RdWindow *window)
{
  GtkWidget *list = GTK_WIDGET (window->ticket_page->evidence_list);
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (list, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                            &bounds));
  gtk_adjustment_set_value (adjustment, bounds.origin.y - 24);
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "ticket-evidence");
}

/* Done when: a camera capture with videotestsrc adds an evidence JPEG to a
 * ticket on the server */
static void
test_capture (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Water meter 12 fogged", "María Pérez", NULL);
  const char *description = "Meter 12, front, after cleaning";
  g_autoptr(GListModel) items = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  RdCaptureDialog *dialog;
  RdWindow *window;
  RdTicketPage *page;
  GdkPaintable *thumbnail;

  g_setenv ("RD_VIDEOSRC", TEST_VIDEOSRC, TRUE);

  window = open_ticket (ticket, 1280, 800);
  page = window->ticket_page;
  g_assert_cmpuint (g_list_model_get_n_items (rd_evidence_list_get_items (page->evidence_list)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->evidence_list->empty_row)));

  dialog = open_capture_dialog (page);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  {
    GdkTexture *frame = rd_camera_get_frame (dialog->camera);

    g_assert_cmpint (gdk_texture_get_width (frame), ==, 2560);
    g_assert_cmpint (gdk_texture_get_height (frame), ==, 1440);
  }
  rd_test_wait_window_size (GTK_WINDOW (dialog), 1280, 800);
  rd_test_save_screenshot (GTK_WINDOW (dialog), dialog->stack, "capture");

  /* Shutter, then Retake: the preview comes back live */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.shutter", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (dialog->stack), ==, "still");
  g_assert_nonnull (gtk_picture_get_paintable (dialog->still_picture));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.retake", NULL));
  rd_test_spin_until (dialog_previews, dialog, "the preview after Retake");

  /* Shutter, a description, Use Photo */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.shutter", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (dialog->stack), ==, "still");
  gtk_editable_set_text (GTK_EDITABLE (dialog->description_row), description);
  rd_test_save_screenshot (GTK_WINDOW (dialog), dialog->stack, "capture-still");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.use", NULL));
  rd_test_spin_until (capture_dialog_closed, NULL, "the dialog to close");

  wait_uploads (page->evidence_list, 1);
  g_assert_null (page->evidence_list->upload_error);
  g_assert_cmpint (page->evidence_list->upload_sent, ==, page->evidence_list->upload_total);

  /* On the server: one JPEG with the description, scaled to 1920 px */
  items = api_list (rd_ticket_get_number (ticket));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  evidence = g_list_model_get_item (items, 0);
  g_assert_cmpstr (rd_evidence_get_content_type (evidence), ==, "image/jpeg");
  g_assert_cmpstr (rd_evidence_get_description (evidence), ==, description);
  g_assert_cmpstr (rd_evidence_get_uploaded_by (evidence), ==, RD_TEST_USERNAME);
  g_assert_true (g_str_has_suffix (rd_evidence_get_filename (evidence), ".jpg"));

  jpeg = api_download (rd_evidence_get_id (evidence), 32 * 1024 * 1024, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/jpeg");
  g_assert_cmpint (g_bytes_get_size (jpeg), ==, rd_evidence_get_size (evidence));
  assert_jpeg_of_size (jpeg, 1920, 1080);

  /* The ticket page lists it with a thumbnail, and the ticket counts it */
  wait_items (page->evidence_list, 1);
  thumbnail = row_thumbnail (page->evidence_list, 0);
  g_assert_nonnull (thumbnail);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (thumbnail), <=, 96);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->evidence_list->empty_row)));
  rd_test_spin_until (evidence_settled, page, "the ticket to reload");
  g_assert_cmpuint (rd_ticket_get_evidence_count (rd_ticket_page_get_ticket (page)), ==, 1);
  save_evidence_screenshot (window);

  /* The narrow capture dialog */
  window = open_ticket (ticket, 360, 720);
  wait_items (window->ticket_page->evidence_list, 1);
  save_evidence_screenshot (window);
  dialog = open_capture_dialog (window->ticket_page);
  rd_test_wait_window_size (GTK_WINDOW (dialog), 360, 720);
  rd_test_save_screenshot (GTK_WINDOW (dialog), dialog->stack, "capture");
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (dialog))), ==, 360);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.shutter", NULL));
  gtk_editable_set_text (GTK_EDITABLE (dialog->description_row), description);
  rd_test_save_screenshot (GTK_WINDOW (dialog), dialog->stack, "capture-still");
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (dialog))), ==, 360);
  gtk_window_close (GTK_WINDOW (dialog));
  rd_test_spin_until (capture_dialog_closed, NULL, "the dialog to close");

  rd_test_close_windows (app);
}

static gboolean
dialog_shows_error (gpointer data)
{
  RdCaptureDialog *dialog = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (dialog->stack), "error") == 0;
}

/* Without a working camera the dialog says what to do; Try Again opens
 * the camera once there is one */
static void
test_no_camera (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Broken lock", "Ana Lima", NULL);
  RdCaptureDialog *dialog;
  RdWindow *window;

  g_setenv ("RD_VIDEOSRC", "rdnosuchcamerasrc", TRUE);
  window = open_ticket (ticket, 1280, 800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->ticket_page->evidence_list),
                                             "evidence.add-photo", NULL));
  rd_test_spin_until (capture_dialog_open, NULL, "the capture dialog");
  dialog = RD_CAPTURE_DIALOG (rd_test_find_window (RD_TYPE_CAPTURE_DIALOG));
  rd_test_spin_until (dialog_shows_error, dialog, "the error page");
  g_assert_cmpstr (adw_status_page_get_title (dialog->error_page), ==, "Camera Support Missing");
  g_assert_true (strstr (adw_status_page_get_description (dialog->error_page), "gstreamer1.0-plugins-good") != NULL);
  /* no shutter without a picture */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.shutter", NULL) &&
                  g_strcmp0 (gtk_stack_get_visible_child_name (dialog->stack), "still") == 0);
  /* at its own size (which lets it settle before it is made narrow), then narrow */
  rd_test_save_screenshot (GTK_WINDOW (dialog), dialog->stack, "capture-error");
  rd_test_wait_window_size (GTK_WINDOW (dialog), 360, 720);
  rd_test_save_screenshot (GTK_WINDOW (dialog), dialog->stack, "capture-error");

  g_setenv ("RD_VIDEOSRC", TEST_VIDEOSRC, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "capture.retry", NULL));
  rd_test_spin_until (dialog_previews, dialog, "the preview after Try Again");

  /* Cancel closes it and adds nothing */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  rd_test_spin_until (capture_dialog_closed, NULL, "the dialog to close");
  g_assert_cmpuint (window->ticket_page->evidence_list->n_uploads, ==, 0);

  rd_test_close_windows (app);
}

static gboolean
viewer_open (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), data) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
chooser_has_file (gpointer data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (data));

  return file != NULL;
}

/* Add File…: a PNG from disk, with its name; opening it shows it full size */
static void
test_file (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Cracked tile", "Ana Lima", NULL);
  g_autoptr(GBytes) png = make_image (300, 200, "png");
  g_autoptr(GListModel) items = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GBytes) downloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) text = NULL;
  g_autofree char *dir = NULL;
  RdEvidenceList *list;
  RdWindow *window;

  dir = g_dir_make_tmp ("test-evidence-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_file_new_build_filename (dir, "tile.png", NULL);
  g_assert_true (g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                          NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_assert_no_error (error);
  text = g_file_new_build_filename (dir, "notes.txt", NULL);
  g_assert_true (g_file_replace_contents (text, "not a photo\n", 12, NULL, FALSE,
                                          G_FILE_CREATE_NONE, NULL, NULL, &error));

  window = open_ticket (ticket, 1280, 800);
  list = window->ticket_page->evidence_list;

  /* a text file is refused, and says so */
  rd_evidence_list_upload_file (list, text);
  wait_uploads (list, 1);
  g_assert_error (list->upload_error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE);

  /* Add File…: the native chooser, filtered to what the server takes; the
   * PNG chosen there is uploaded */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "evidence.add-file", NULL));
  g_assert_nonnull (list->chooser);
  {
    GtkFileChooserNative *chooser = g_object_ref (list->chooser);
    g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
    g_autoptr(GtkFilter) filter = g_list_model_get_item (filters, 0);
    g_autoptr(GFileInfo) png_info = g_file_info_new ();
    g_autoptr(GFileInfo) text_info = g_file_info_new ();

    g_file_info_set_content_type (png_info, "image/png");
    g_file_info_set_display_name (png_info, "tile.png");
    g_file_info_set_content_type (text_info, "text/plain");
    g_file_info_set_display_name (text_info, "notes.txt");
    g_assert_true (gtk_filter_match (filter, png_info));
    g_assert_false (gtk_filter_match (filter, text_info));

    g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
    g_assert_no_error (error);
    /* the chooser selects it once it has read the folder */
    rd_test_spin_until (chooser_has_file, chooser, "the file chooser's selection");
    gtk_native_dialog_hide (GTK_NATIVE_DIALOG (chooser));
    g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
    g_assert_null (list->chooser);
    g_object_unref (chooser);
  }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list->upload_row)));
  wait_uploads (list, 2);
  g_assert_null (list->upload_error);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (list->upload_row)));

  items = api_list (rd_ticket_get_number (ticket));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  evidence = g_list_model_get_item (items, 0);
  g_assert_cmpstr (rd_evidence_get_content_type (evidence), ==, "image/png");
  g_assert_cmpstr (rd_evidence_get_filename (evidence), ==, "tile.png");
  downloaded = api_download (rd_evidence_get_id (evidence), 1024 * 1024, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (downloaded, png));

  /* the row opens the photo full size */
  wait_items (list, 1);
  g_assert_nonnull (row_thumbnail (list, 0));
  g_assert_cmpuint (list->n_thumbnail_downloads, ==, 1);
  g_signal_emit_by_name (list->list_box, "row-activated", g_ptr_array_index (list->item_rows, 0));
  rd_test_spin_until (viewer_open, (gpointer) "Photo", "the full-size viewer");

  /* a second photo: only its thumbnail is downloaded, the first is kept */
  {
    g_autoptr(GBytes) jpeg = make_image (120, 90, "jpeg");

    rd_evidence_list_upload_bytes (list, jpeg, "image/jpeg", "second.jpg", "Second");
    wait_uploads (list, 3);
    wait_items (list, 2);
    g_assert_nonnull (row_thumbnail (list, 0));
    g_assert_nonnull (row_thumbnail (list, 1));
    g_assert_cmpuint (list->n_thumbnail_downloads, ==, 2);
  }

  /* larger than the server takes: refused, and said so */
  {
    g_autoptr(GBytes) large = g_bytes_new_take (g_malloc0 (TEST_MAX_SIZE + 1), TEST_MAX_SIZE + 1);

    rd_evidence_list_upload_bytes (list, large, "image/jpeg", "large.jpg", NULL);
    wait_uploads (list, 4);
    g_assert_error (list->upload_error, RD_ERROR, RD_ERROR_TOO_LARGE);
  }

  /* Cancel: nothing reaches the server */
  {
    g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (TEST_MAX_SIZE / 2), TEST_MAX_SIZE / 2);
    g_autoptr(GListModel) after = NULL;
    guchar *data = (guchar *) g_bytes_get_data (big, NULL);

    data[0] = 0xff;
    data[1] = 0xd8;
    data[2] = 0xff;
    data[3] = 0xe0;
    rd_evidence_list_upload_bytes (list, big, "image/jpeg", "big.jpg", "cancelled");
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list->upload_row)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "evidence.cancel-upload", NULL));
    wait_uploads (list, 5);
    g_assert_error (list->upload_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

    after = api_list (rd_ticket_get_number (ticket));
    g_assert_cmpuint (g_list_model_get_n_items (after), ==, 2);
  }

  g_file_delete (file, NULL, NULL);
  g_file_delete (text, NULL, NULL);
  g_rmdir (dir);
  rd_test_close_windows (app);
}

/* A "PDF viewer" for this test's desktop: a script that copies the file it
 * is given, registered for application/pdf in the test's data dir */
static void
install_pdf_viewer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *applications = NULL;
  g_autofree char *desktop_path = NULL;
  g_autofree char *mimeapps_path = NULL;

  /* the test's own data dir (rd_test_gtk_init() made it), which GIO reads */
  viewer_dir = g_strdup (g_getenv ("XDG_DATA_HOME"));
  g_assert_nonnull (viewer_dir);
  applications = g_build_filename (viewer_dir, "applications", NULL);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);

  script_path = g_build_filename (viewer_dir, "viewer.sh", NULL);
  script = g_strdup_printf ("#!/bin/sh\nprintf %%s \"$1\" > '%s/opened.path'\n"
                            "cp \"$1\" '%s/opened.pdf.part' && mv '%s/opened.pdf.part' '%s/opened.pdf'\n",
                            viewer_dir, viewer_dir, viewer_dir, viewer_dir);
  g_assert_true (g_file_set_contents (script_path, script, -1, &error));
  g_assert_cmpint (g_chmod (script_path, 0700), ==, 0);

  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test PDF Viewer\n"
                             "Exec=%s %%f\nMimeType=application/pdf;\n", script_path);
  desktop_path = g_build_filename (applications, "rd-test-pdf-viewer.desktop", NULL);
  g_assert_true (g_file_set_contents (desktop_path, desktop, -1, &error));

  /* the default, over whatever the machine has for PDF */
  mimeapps_path = g_build_filename (applications, "mimeapps.list", NULL);
  g_assert_true (g_file_set_contents (mimeapps_path,
                                      "[Default Applications]\n"
                                      "application/pdf=rd-test-pdf-viewer.desktop\n",
                                      -1, &error));
}

static gboolean
viewer_opened (gpointer data)
{
  g_autofree char *path = g_build_filename (viewer_dir, "opened.pdf", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A document opens with the desktop's application, from a temporary file
 * with the bytes of the server */
static void
test_open_document (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Signed work order", "Ana Lima", NULL);
  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, strlen (pdf));
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *contents = NULL;
  RdEvidenceList *list;
  RdWindow *window;
  gsize length = 0;
  guint tick;

  evidence = api_upload (rd_ticket_get_number (ticket), bytes, "application/pdf", "Work order", NULL, &error);
  g_assert_no_error (error);

  window = open_ticket (ticket, 1280, 800);
  list = window->ticket_page->evidence_list;
  wait_items (list, 1);
  /* no thumbnail for a document */
  g_assert_null (g_object_get_data (G_OBJECT (g_ptr_array_index (list->item_rows, 0)), "thumbnail"));

  g_signal_emit_by_name (list->list_box, "row-activated", g_ptr_array_index (list->item_rows, 0));
  /* the viewer is another process: look for what it wrote now and then */
  tick = g_timeout_add (20, tick_cb, NULL);
  rd_test_spin_until (viewer_opened, NULL, "the PDF viewer");
  g_source_remove (tick);

  opened = g_build_filename (viewer_dir, "opened.pdf", NULL);
  g_assert_true (g_file_get_contents (opened, &contents, &length, &error));
  g_assert_cmpmem (contents, length, pdf, strlen (pdf));
  g_unlink (opened);

  /* the temporary file the client wrote, named by us and not the uploader */
  {
    g_autofree char *record = g_build_filename (viewer_dir, "opened.path", NULL);
    g_autofree char *temp = NULL;
    g_autofree char *name = NULL;

    g_assert_true (g_file_get_contents (record, &temp, NULL, &error));
    name = g_path_get_basename (temp);
    g_assert_true (g_str_has_prefix (name, "ringdesk-evidence-"));
    g_assert_true (g_str_has_suffix (name, ".pdf"));
    g_unlink (temp);
    g_unlink (record);
  }

  rd_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  if (!rd_test_gtk_init (&argc, &argv))
    return 0;
  install_pdf_viewer ();

  server = rd_test_server_new_with_config ("[cti]\n"
                                           "links=\n"
                                           "[evidence]\n"
                                           "max-size=" G_STRINGIFY (TEST_MAX_SIZE) "\n",
                                           &error);
  g_assert_no_error (error);
  if (server == NULL)
    {
      g_print ("1..0 # SKIP ringdesk-server is not built (RD_SERVER_BINARY unset)\n");
      return 0;
    }

  api = rd_test_sign_in (rd_test_server_get_url (server));

  settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  g_settings_set_string (settings, "username", "");

  app = rd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/evidence/connection", test_connection);
  g_test_add_func ("/evidence/bad-replies", test_bad_replies);
  g_test_add_func ("/evidence/cancel-mid-body", test_cancel_mid_body);
  g_test_add_func ("/evidence/capture", test_capture);
  g_test_add_func ("/evidence/no-camera", test_no_camera);
  g_test_add_func ("/evidence/file", test_file);
  g_test_add_func ("/evidence/open-document", test_open_document);

  ret = g_test_run ();

  rd_test_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);

  {
    static const char * const files[] = {
      "applications/rd-test-pdf-viewer.desktop", "applications/mimeapps.list", "applications", "viewer.sh", "",
    };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *path = g_build_filename (viewer_dir, files[i], NULL);

        g_remove (path);
      }
    g_clear_pointer (&viewer_dir, g_free);
  }

  return ret;
}
