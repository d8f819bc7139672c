/* test-offline.c: the real client under Xvfb while its real server is
 * stopped and started again
 *
 * An edit made with the server stopped is queued in the offline store,
 * survives a restart of the client (window, connection and outbox made
 * anew on the same store file), and arrives once the server runs again on the same
 * data dir, exactly once; an edit of a field someone else changed
 * meanwhile is shown as a conflict and nothing is lost; a ticket created
 * and edited offline gets its number and the edit. What arrived is checked
 * through the API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestOffline"

#include "config.h"

#include <adwaita.h>

#include "rd-application.h"
#include "rd-credentials.h"
#include "rd-evidence-list-private.h"
#include "rd-live-connection.h"
#include "rd-outbox.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-ticket-change.h"
#include "rd-ticket-editor-private.h"
#include "rd-ticket-list-page-private.h"
#include "rd-ticket-page-private.h"
#include "rd-window-private.h"

static RdTestServer *server;
static RdApplication *app;
static RdConnection *api;

static RdOutbox *
window_outbox (RdWindow *window)
{
  RdOutbox *outbox = rd_outbox_get_for_connection (rd_window_get_connection (window));

  g_assert_nonnull (outbox);

  return outbox;
}

static gboolean
token_saved (gpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;

  rd_credentials_lookup_async (rd_test_server_get_url (server), RD_TEST_USERNAME, NULL,
                               rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  token = rd_credentials_lookup_finish (result, NULL);

  return token != NULL;
}

static RdWindow *
open_signed_in (void)
{
  RdWindow *window = rd_test_open_window_sized (app, 1280, 800);

  if (!rd_test_page_is_home (window))
    rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  rd_test_spin_until (rd_test_page_is_home, window, "the signed-in window");
  /* the session a restart comes back to */
  rd_test_spin_until (token_saved, NULL, "the session in the keyring");

  return window;
}

static gboolean
list_shows_number (gpointer data)
{
  RdTicketListPage *page = data;
  const char *number = g_object_get_data (G_OBJECT (page), "expected-number");
  GListModel *shown = rd_ticket_list_page_get_shown (page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (shown, i);

      if (g_strcmp0 (rd_ticket_get_number (ticket), number) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The ticket @number as the list shows it */
static RdTicket *
listed (RdTicketListPage *page,
        const char       *number)
{
  GListModel *shown = rd_ticket_list_page_get_shown (page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (shown, i);

      if (g_strcmp0 (rd_ticket_get_number (ticket), number) == 0)
        return g_steal_pointer (&ticket);
    }

  return NULL;
}

/* Lists @ticket (so that the client keeps a copy) and opens its page */
static void
open_ticket (RdWindow *window,
             RdTicket *ticket)
{
  RdTicketListPage *list = window->ticket_list_page;

  rd_ticket_list_page_refresh (list);
  g_object_set_data_full (G_OBJECT (list), "expected-number",
                          g_strdup (rd_ticket_get_number (ticket)), g_free);
  rd_test_spin_until (list_shows_number, list, "the ticket in the list");

  rd_window_open_ticket (window, ticket);
}

static gboolean
page_idle (gpointer data)
{
  return !rd_ticket_page_get_busy (RD_TICKET_PAGE (data));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Edits the subject of the ticket on @window's page through the form */
static void
edit_subject (RdWindow   *window,
              const char *subject)
{
  RdTicketEditor *editor;
  gpointer weak;

  rd_test_spin_until (page_idle, window->ticket_page, "the ticket page");
  gtk_widget_activate_action (GTK_WIDGET (window->ticket_page), "ticket.edit", NULL);
  editor = RD_TICKET_EDITOR (rd_test_find_window (RD_TYPE_TICKET_EDITOR));
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), subject);

  weak = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  rd_test_spin_until (pointer_cleared, &weak, "the form to close");
}

static gboolean
offline (gpointer data)
{
  return !rd_outbox_get_online (RD_OUTBOX (data));
}

static gboolean
banner_shown (gpointer data)
{
  return rd_offline_banner_get_shown (RD_OFFLINE_BANNER (data));
}

static gboolean
outbox_empty (gpointer data)
{
  return rd_outbox_get_n_queued (RD_OUTBOX (data)) == 0;
}

static gboolean
outbox_waits_for_user (gpointer data)
{
  g_autoptr(GPtrArray) ops = rd_outbox_list_ops (RD_OUTBOX (data), NULL);

  return ops->len > 0 && ((RdOfflineOp *) ops->pdata[0])->status != RD_OFFLINE_OP_PENDING;
}

static guint
count_subject_changes (const char *number)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = NULL;
  guint n = 0;

  rd_connection_get_history_async (api, number, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  history = rd_connection_get_history_finish (api, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(RdTicketChange) change = g_list_model_get_item (history, i);

      if (g_strcmp0 (rd_ticket_change_get_field (change), "subject") == 0)
        n++;
    }

  return n;
}

static void
assert_queued_patch (RdOutbox   *outbox,
                     const char *number,
                     const char *base,
                     const char *mine)
{
  g_autoptr(GPtrArray) ops = rd_outbox_list_ops (outbox, NULL);
  RdOfflineOp *op;
  const char *value = NULL;

  g_assert_cmpuint (ops->len, ==, 1);
  op = ops->pdata[0];
  g_assert_cmpint (op->kind, ==, RD_OFFLINE_OP_PATCH);
  g_assert_cmpstr (op->ticket, ==, number);
  g_assert_true (rd_json_get_string (op->body, "subject", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, mine);
  g_assert_true (rd_json_get_string (op->base, "subject", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, base);
}

static void
test_edit_across_restart (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Radiator cold in room 7",
                                                      "Lena Fischer", NULL);
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(RdTicket) shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;
  const char *number = rd_ticket_get_number (ticket);
  const char *edited = "Radiator cold in room 7, east wall";
  RdWindow *window = open_signed_in ();
  RdOutbox *outbox;
  gpointer weak;
  gpointer store_weak;

  open_ticket (window, ticket);
  outbox = window_outbox (window);
  store_path = g_strdup (rd_offline_store_get_path (rd_outbox_get_store (outbox)));
  g_assert_true (g_str_has_prefix (store_path, g_get_user_data_dir ()));

  /* The server stops; the edit is queued, not refused */
  rd_test_server_stop (server);
  edit_subject (window, edited);
  assert_queued_patch (outbox, number, "Radiator cold in room 7", edited);
  g_assert_false (rd_outbox_get_online (outbox));
  g_assert_cmpstr (gtk_label_get_label (window->ticket_page->subject_label), ==, edited);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->ticket_page->outbox_group)));
  g_assert_cmpuint (rd_outbox_group_get_n_rows (window->ticket_page->outbox_group), ==, 1);
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "offline-ticket");

  /* The list marks it and says the client is offline */
  shown = listed (window->ticket_list_page, number);
  g_assert_nonnull (shown);
  g_assert_cmpstr (rd_ticket_get_subject (shown), ==, edited);
  g_assert_true (rd_outbox_ticket_is_unsent (shown));
  g_clear_object (&shown);
  rd_test_spin_until (banner_shown, window->ticket_list_page->offline_banner, "the offline banner");
  g_assert_nonnull (strstr (rd_offline_banner_get_text (window->ticket_list_page->offline_banner),
                            "Offline"));

  /* The client restarts, the server still stopped: the window, its
   * connection, outbox and store go (what the application's shutdown
   * does, which only g_application_run() calls, drops the live events'
   * hold on the connection); a new window opens the same store file, and
   * what it finds there is all it knows. The GApplication object stays:
   * GtkApplication keeps its D-Bus export for the life of the process. */
  weak = outbox;
  g_object_add_weak_pointer (G_OBJECT (outbox), &weak);
  store_weak = rd_outbox_get_store (outbox);
  g_object_add_weak_pointer (G_OBJECT (store_weak), &store_weak);
  gtk_window_destroy (GTK_WINDOW (window));
  rd_live_connection_set_connection (rd_application_get_live_connection (app), NULL);
  rd_test_spin_until (pointer_cleared, &weak, "the old outbox to go");
  rd_test_spin_until (pointer_cleared, &store_weak, "the old store to close");

  /* narrow this time: the bar wraps above the compact list */
  window = rd_test_open_window_sized (app, 360, 720);
  rd_test_spin_until (rd_test_page_is_home, window, "the window to open offline");
  outbox = window_outbox (window);
  g_assert_cmpstr (rd_offline_store_get_path (rd_outbox_get_store (outbox)), ==, store_path);
  assert_queued_patch (outbox, number, "Radiator cold in room 7", edited);
  rd_test_spin_until (offline, outbox, "the outbox to find the server away");
  rd_test_spin_until (banner_shown, window->ticket_list_page->offline_banner, "the offline banner");
  g_object_set_data_full (G_OBJECT (window->ticket_list_page), "expected-number",
                          g_strdup (number), g_free);
  rd_test_spin_until (list_shows_number, window->ticket_list_page, "the kept ticket in the list");
  shown = listed (window->ticket_list_page, number);
  g_assert_cmpstr (rd_ticket_get_subject (shown), ==, edited);
  g_assert_true (rd_outbox_ticket_is_unsent (shown));
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "offline-list");

  /* The server comes back on the same data dir: the edit arrives, once */
  rd_test_server_start (server, &error);
  g_assert_no_error (error);
  rd_test_spin_until (outbox_empty, outbox, "the queued edit to be sent");

  on_server = rd_test_get_ticket (api, number);
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, edited);
  g_assert_cmpuint (count_subject_changes (number), ==, 1);
  g_assert_cmpuint (rd_outbox_get_n_queued (outbox), ==, 0);
}

/* The button named @name under @widget */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *name)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
server_subject_is (gpointer data)
{
  const char *number = g_object_get_data (G_OBJECT (data), "number");
  g_autoptr(RdTicket) ticket = rd_test_get_ticket (api, number);

  return g_strcmp0 (rd_ticket_get_subject (ticket),
                    g_object_get_data (G_OBJECT (data), "subject")) == 0;
}

static void
test_conflict (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Window will not close",
                                                      "Omar Haddad", NULL);
  g_autoptr(RdTicket) theirs = NULL;
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  const char *number = rd_ticket_get_number (ticket);
  const char *mine = "Window will not close, room 3";
  RdWindow *window = open_signed_in ();
  RdOutbox *outbox = NULL;
  GtkWidget *row;
  GtkWidget *keep;

  open_ticket (window, ticket);
  rd_test_spin_until (page_idle, window->ticket_page, "the ticket page");
  outbox = window_outbox (window);

  /* Someone else renames it while this client looks at the old subject */
  {
    g_autoptr(JsonObject) changes = json_object_new ();
    g_autoptr(GAsyncResult) result = NULL;

    json_object_set_string_member (changes, "subject", "Window in room 3 stuck open");
    rd_connection_update_ticket_async (api, number, changes, NULL,
                                       rd_test_store_result_cb, &result);
    rd_test_wait_result (&result);
    theirs = rd_connection_ticket_finish (api, result, &error);
    g_assert_no_error (error);
  }

  rd_test_server_stop (server);
  edit_subject (window, mine);
  assert_queued_patch (outbox, number, "Window will not close", mine);

  rd_test_server_start (server, &error);
  g_assert_no_error (error);
  rd_test_spin_until (outbox_waits_for_user, outbox, "the conflict");

  /* Shown, kept, and not sent over the other change */
  ops = rd_outbox_list_ops (outbox, number);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((RdOfflineOp *) ops->pdata[0])->status, ==, RD_OFFLINE_OP_CONFLICT);
  on_server = rd_test_get_ticket (api, number);
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, "Window in room 3 stuck open");
  g_assert_cmpuint (rd_outbox_group_get_n_rows (window->ticket_page->outbox_group), ==, 1);
  row = rd_outbox_group_get_row (window->ticket_page->outbox_group, 0);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Subject"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->ticket_page->outbox_group)));
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "offline-conflict");
  /* the list says so too, whichever ticket is open */
  rd_test_spin_until (banner_shown, window->ticket_list_page->offline_banner, "the banner");
  g_assert_nonnull (strstr (rd_offline_banner_get_text (window->ticket_list_page->offline_banner),
                            "needs you"));

  /* Keep Mine: it goes over theirs */
  keep = find_button (row, "keep");
  g_assert_nonnull (keep);
  g_signal_emit_by_name (keep, "clicked");

  rd_test_spin_until (outbox_empty, outbox, "the kept change to be sent");
  g_object_set_data (G_OBJECT (outbox), "number", (gpointer) number);
  g_object_set_data (G_OBJECT (outbox), "subject", (gpointer) mine);
  rd_test_spin_until (server_subject_is, outbox, "the kept subject on the server");
  g_assert_cmpuint (count_subject_changes (number), ==, 2);
}

static gboolean
page_shows_number (gpointer data)
{
  RdWindow *window = data;
  RdTicket *ticket = rd_ticket_page_get_ticket (window->ticket_page);

  return ticket != NULL &&
         g_strcmp0 (rd_ticket_get_number (ticket),
                    g_object_get_data (G_OBJECT (window), "number")) == 0;
}

static void
test_create_offline (void)
{
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *number = NULL;
  RdWindow *window = open_signed_in ();
  RdOutbox *outbox = window_outbox (window);
  RdTicketEditor *editor;
  RdTicket *shown;
  gpointer weak;

  rd_test_server_stop (server);

  /* A new ticket: it opens under a label, with no number yet */
  editor = RD_TICKET_EDITOR (rd_window_new_ticket (window));
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "Boiler pressure low");
  gtk_editable_set_text (GTK_EDITABLE (editor->requester_row), "Sven Berg");
  weak = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  rd_test_spin_until (pointer_cleared, &weak, "the form to close");

  shown = rd_ticket_page_get_ticket (window->ticket_page);
  g_assert_nonnull (shown);
  g_assert_true (rd_outbox_ticket_is_local (shown));
  label = g_strdup (rd_ticket_get_number (shown));
  g_assert_nonnull (strstr (gtk_label_get_label (window->ticket_page->number_label), "pending"));

  /* Edited before the server numbers it: the edit waits behind it */
  edit_subject (window, "Boiler pressure low, plant room B");
  ops = rd_outbox_list_ops (outbox, NULL);
  g_assert_cmpuint (ops->len, ==, 2);
  g_assert_cmpint (((RdOfflineOp *) ops->pdata[0])->kind, ==, RD_OFFLINE_OP_CREATE);
  g_assert_cmpint (((RdOfflineOp *) ops->pdata[1])->kind, ==, RD_OFFLINE_OP_PATCH);
  g_assert_cmpstr (((RdOfflineOp *) ops->pdata[1])->ticket, ==, label);
  g_assert_cmpstr (gtk_label_get_label (window->ticket_page->subject_label), ==,
                   "Boiler pressure low, plant room B");

  /* The server is back: created, numbered, edited; the page follows */
  rd_test_server_start (server, &error);
  g_assert_no_error (error);
  rd_test_spin_until (outbox_empty, outbox, "the new ticket to be sent");

  number = rd_offline_store_resolve_label (rd_outbox_get_store (outbox), label);
  g_assert_false (g_str_has_prefix (number, RD_OFFLINE_LOCAL_PREFIX));
  on_server = rd_test_get_ticket (api, number);
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, "Boiler pressure low, plant room B");
  g_assert_cmpstr (rd_ticket_get_requester (on_server), ==, "Sven Berg");
  g_object_set_data_full (G_OBJECT (window), "number", g_strdup (number), g_free);
  rd_test_spin_until (page_shows_number, window, "the page to show the numbered ticket");
}

static guint
count_evidence (const char *number,
                const char *description)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) items = NULL;
  guint n = 0;

  rd_connection_list_evidence_async (api, number, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  items = rd_connection_list_evidence_finish (api, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(RdEvidence) evidence = g_list_model_get_item (items, i);

      if (g_strcmp0 (rd_evidence_get_description (evidence), description) == 0 &&
          g_strcmp0 (rd_evidence_get_content_type (evidence), "image/jpeg") == 0)
        n++;
    }

  return n;
}

static gboolean
photo_kept (gpointer data)
{
  RdEvidenceList *list = data;

  return list->n_queued > 0;
}

/* A photo taken while the server is away waits in the outbox and arrives
 * once it is back */
static void
test_photo_offline (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Meter cover cracked", "Lía Soto", NULL);
  const char *number = rd_ticket_get_number (ticket);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;
  RdWindow *window = open_signed_in ();
  RdOutbox *outbox = window_outbox (window);
  RdEvidenceList *list;

  gdk_pixbuf_fill (pixbuf, 0x3465a4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "jpeg", &error, NULL));
  g_assert_no_error (error);
  jpeg = g_bytes_new (data, size);

  open_ticket (window, ticket);
  rd_test_spin_until (page_idle, window->ticket_page, "the ticket page");
  list = window->ticket_page->evidence_list;

  rd_test_server_stop (server);
  rd_evidence_list_upload_bytes (list, jpeg, "image/jpeg", "meter.jpg", "Cracked cover, taken offline");
  rd_test_spin_until (photo_kept, list, "the photo to be kept for later");

  ops = rd_outbox_list_ops (outbox, NULL);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((RdOfflineOp *) ops->pdata[0])->kind, ==, RD_OFFLINE_OP_EVIDENCE);
  g_assert_cmpstr (((RdOfflineOp *) ops->pdata[0])->ticket, ==, number);

  rd_test_server_start (server, &error);
  g_assert_no_error (error);
  rd_test_spin_until (outbox_empty, outbox, "the photo to be sent");
  g_assert_cmpuint (count_evidence (number, "Cracked cover, taken offline"), ==, 1);

  rd_test_close_windows (app);
}

/* The list shows @data's "expected-in" ticket and not its "expected-out" one */
static gboolean
list_shows_queue (gpointer data)
{
  RdTicketListPage *page = data;
  g_autoptr(RdTicket) in = listed (page, g_object_get_data (G_OBJECT (page), "expected-in"));
  g_autoptr(RdTicket) out = listed (page, g_object_get_data (G_OBJECT (page), "expected-out"));

  return in != NULL && out == NULL;
}

/* My Queue is kept, and offline it is the queue, not every kept ticket */
static void
test_queue_offline (void)
{
  g_autoptr(JsonObject) mine_fields = json_object_new ();
  g_autoptr(JsonObject) other_fields = json_object_new ();
  g_autoptr(RdTicket) mine = NULL;
  g_autoptr(RdTicket) other = NULL;
  g_autoptr(GError) error = NULL;
  RdWindow *window = open_signed_in ();
  RdTicketListPage *list = window->ticket_list_page;

  json_object_set_string_member (mine_fields, "subject", "Fan noisy in the server room");
  json_object_set_string_member (mine_fields, "assignee", RD_TEST_USERNAME);
  mine = rd_test_create_ticket_fields (api, mine_fields);
  json_object_set_string_member (other_fields, "subject", "Door sticks at the entrance");
  other = rd_test_create_ticket_fields (api, other_fields);

  g_object_set_data_full (G_OBJECT (list), "expected-in", g_strdup (rd_ticket_get_number (mine)), g_free);
  g_object_set_data_full (G_OBJECT (list), "expected-out", g_strdup (rd_ticket_get_number (other)), g_free);

  /* both listed (and so kept) under All Tickets first */
  rd_ticket_list_page_refresh (list);
  g_object_set_data_full (G_OBJECT (list), "expected-number", g_strdup (rd_ticket_get_number (other)), g_free);
  rd_test_spin_until (list_shows_number, list, "the other ticket in the list");

  /* My Queue, second in the list's scopes */
  gtk_drop_down_set_selected (list->scope_dropdown, 1);
  rd_test_spin_until (list_shows_queue, list, "my queue");

  rd_test_server_stop (server);
  rd_ticket_list_page_refresh (list);
  rd_test_spin_until (offline, window_outbox (window), "the client to see the server gone");
  rd_test_spin_until (list_shows_queue, list, "my queue from the kept copies");

  rd_test_server_start (server, &error);
  g_assert_no_error (error);
  rd_test_close_windows (app);
}

/* The subtitle of the ticket page's "Customer" row, or NULL */
static const char *
customer_shown (RdTicketPage *page)
{
  for (guint i = 0; i < page->field_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (page->field_rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Customer") == 0)
        return adw_action_row_get_subtitle (row);
    }

  return NULL;
}

static gboolean
page_shows_customer (gpointer data)
{
  return g_strcmp0 (customer_shown (data), "Mario Rossi, Rossi SL") == 0;
}

/* The requester's customer on the ticket page, asked from the server and,
 * when it is away, from the customers kept */
static void
test_customer_offline (void)
{
  g_autoptr(JsonObject) first_fields = json_object_new ();
  g_autoptr(JsonObject) second_fields = json_object_new ();
  g_autoptr(RdTicket) first = NULL;
  g_autoptr(RdTicket) second = NULL;
  g_autoptr(GError) error = NULL;
  RdWindow *window = open_signed_in ();

  g_assert_cmpuint (rd_test_api_post (api, RD_API_PATH_CUSTOMERS,
                                      "{\"name\":\"Mario Rossi\",\"company\":\"Rossi SL\","
                                      "\"phones\":[\"+34 933 445 566\"]}"), ==, 201);
  json_object_set_string_member (first_fields, "subject", "Invoice address wrong");
  json_object_set_string_member (first_fields, "requester_phone", "933 44 55 66");
  first = rd_test_create_ticket_fields (api, first_fields);
  json_object_set_string_member (second_fields, "subject", "Second meter reading");
  json_object_set_string_member (second_fields, "requester_phone", "0034 933-445-566");
  second = rd_test_create_ticket_fields (api, second_fields);

  rd_window_open_ticket (window, first);
  rd_test_spin_until (page_shows_customer, window->ticket_page, "the customer from the server");

  /* another ticket of the same number, with the server away */
  rd_test_server_stop (server);
  rd_window_open_ticket (window, second);
  rd_test_spin_until (page_shows_customer, window->ticket_page, "the kept customer");

  rd_test_server_start (server, &error);
  g_assert_no_error (error);
  rd_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (!rd_test_gtk_init (&argc, &argv))
    return 0;

  server = rd_test_server_new (&error);
  g_assert_no_error (error);
  if (server == NULL)
    {
      g_print ("1..0 # SKIP ringdesk-server is not built (RD_SERVER_BINARY unset)\n");
      return 0;
    }

  api = rd_test_sign_in (rd_test_server_get_url (server));
  app = rd_test_app_new (server);

  g_test_add_func ("/offline/edit-across-restart", test_edit_across_restart);
  g_test_add_func ("/offline/conflict", test_conflict);
  g_test_add_func ("/offline/create", test_create_offline);
  g_test_add_func ("/offline/photo", test_photo_offline);
  g_test_add_func ("/offline/queue", test_queue_offline);
  g_test_add_func ("/offline/customer", test_customer_offline);

  ret = g_test_run ();

  rd_test_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);

  return ret;
}
