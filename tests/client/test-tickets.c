/* test-tickets.c: the tickets screens of the real client under Xvfb,
 * against a real ringdesk-server; screenshots for review
 *
 * Tickets are made through the API, looked at and changed through the
 * windows, and what the windows did is checked on the server through the
 * API again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestTickets"

#include "config.h"

#include <adwaita.h>

#include "rd-application.h"
#include "rd-login-page-private.h"
#include "rd-preferences-window-private.h"
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

/* Subjects and requesters of the tickets made through the API */
static const char * const seeded[][2] = {
  { "Boiler leaks in room 12", "María Pérez" },
  { "Printer jam on the third floor", "Jürgen Weiß" },
  { "Wi-Fi down in the lobby", "Ana Lima" },
};

static RdTicket *
api_get (const char *number)
{
  return rd_test_get_ticket (api, number);
}

/* The unfinished tickets the server finds for @q (what the list shows by
 * default), asked without the client UI */
static GListModel *
api_search (const char *q)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RdTicketFilter filter = { "open,in_progress,resolved", NULL, q };
  GListModel *found;

  rd_connection_list_tickets_async (api, &filter, NULL, 0, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  found = rd_connection_list_tickets_finish (api, result, NULL, &error);
  g_assert_no_error (error);

  return found;
}

static gboolean
list_settled (gpointer data)
{
  RdTicketListPage *page = data;
  RdTicketModel *model = rd_ticket_list_page_get_model (page);

  return rd_ticket_list_page_get_connection (page) != NULL &&
         !rd_ticket_model_get_loading (model) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (page->content_stack), "loading") != 0;
}

static gboolean
list_has_count (gpointer data)
{
  RdTicketListPage *page = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (page), "expected-count"));

  return list_settled (page) &&
         g_list_model_get_n_items (rd_ticket_list_page_get_shown (page)) == expected;
}

static void
wait_for_count (RdTicketListPage *page,
                guint             expected,
                const char       *what)
{
  g_object_set_data (G_OBJECT (page), "expected-count", GUINT_TO_POINTER (expected));
  rd_test_spin_until (list_has_count, page, what);
}

/* The squeezer picks its child when it is allocated */
static gboolean
squeezer_shows (gpointer data)
{
  RdTicketListPage *page = data;

  return adw_squeezer_get_visible_child (page->squeezer) ==
         g_object_get_data (G_OBJECT (page), "expected-view");
}

static gboolean
is_home (gpointer data)
{
  return g_strcmp0 (rd_window_get_page_name (RD_WINDOW (data)), "home") == 0;
}

/* A window of @width × @height, signed in through the form */
static RdWindow *
open_signed_in (int width,
                int height)
{
  RdWindow *window = rd_test_open_window_sized (app, width, height);

  if (!is_home (window))
    rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  rd_test_spin_until (is_home, window, "the signed-in window");

  return window;
}

static void
test_list (void)
{
  RdWindow *window;
  RdTicketListPage *page;
  g_autoptr(GListModel) on_server = NULL;
  GListModel *shown;

  window = open_signed_in (1280, 800);
  page = window->ticket_list_page;

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "tickets");

  /* The keyboard shortcuts of the tickets, as the shortcuts window shows them */
  {
    g_auto(GStrv) new_ticket = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.new-ticket");
    g_auto(GStrv) search = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.search");
    g_auto(GStrv) refresh = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.refresh");

    g_assert_true (g_strv_contains ((const char * const *) new_ticket, "<Control>n"));
    g_assert_true (g_strv_contains ((const char * const *) search, "<Control>f"));
    g_assert_true (g_strv_contains ((const char * const *) refresh, "F5"));
  }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->new_ticket_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->back_button)));

  /* Unfinished tickets, newest first, as the server lists them */
  on_server = api_search (NULL);
  wait_for_count (page, g_list_model_get_n_items (on_server), "the tickets made through the API");
  g_assert_cmpuint (g_list_model_get_n_items (on_server), >=, G_N_ELEMENTS (seeded));

  shown = rd_ticket_list_page_get_shown (page);
  for (guint i = 0; i < g_list_model_get_n_items (on_server); i++)
    {
      g_autoptr(RdTicket) expected = g_list_model_get_item (on_server, i);
      g_autoptr(RdTicket) ticket = g_list_model_get_item (shown, i);

      g_assert_cmpstr (rd_ticket_get_number (ticket), ==, rd_ticket_get_number (expected));
      g_assert_cmpstr (rd_ticket_get_subject (ticket), ==, rd_ticket_get_subject (expected));
    }

  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->content_stack), ==, "list");
  /* Wide: the columns */
  g_object_set_data (G_OBJECT (page), "expected-view", page->columns_scroller);
  rd_test_spin_until (squeezer_shows, page, "the columns");
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "tickets");

  /* Sorting by the subject column sorts what is loaded */
  {
    GListModel *columns = gtk_column_view_get_columns (page->column_view);
    g_autoptr(GtkColumnViewColumn) subject = g_list_model_get_item (columns, 1);
    g_autoptr(RdTicket) first = NULL;

    gtk_column_view_sort_by_column (page->column_view, subject, GTK_SORT_ASCENDING);
    first = g_list_model_get_item (shown, 0);
    g_assert_cmpstr (rd_ticket_get_subject (first), ==, seeded[0][0]);
    gtk_column_view_sort_by_column (page->column_view, NULL, GTK_SORT_ASCENDING);
  }

  /* Narrow: the compact list */
  window = open_signed_in (360, 720);
  page = window->ticket_list_page;
  wait_for_count (page, g_list_model_get_n_items (on_server), "the tickets in the narrow window");
  g_object_set_data (G_OBJECT (page), "expected-view", page->compact_scroller);
  rd_test_spin_until (squeezer_shows, page, "the compact list");
  /* The views move from the header to a bar at the bottom */
  g_assert_true (adw_view_switcher_bar_get_reveal (window->switcher_bar));
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "tickets");

  rd_test_close_windows (app);
}

static void
test_search (void)
{
  RdWindow *window = open_signed_in (1280, 800);
  RdTicketListPage *page = window->ticket_list_page;
  g_autoptr(GListModel) on_server = NULL;
  g_autoptr(RdTicket) found = NULL;

  wait_for_count (page, G_N_ELEMENTS (seeded) + 0, "the first page");

  /* Ctrl+F's action puts the focus in the search entry */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (page->search_entry)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (page->search_entry)));

  /* Accents and case do not matter to the server's search */
  gtk_editable_set_text (GTK_EDITABLE (page->search_entry), "jurgen");
  on_server = api_search ("jurgen");
  g_assert_cmpuint (g_list_model_get_n_items (on_server), ==, 1);
  wait_for_count (page, 1, "the search to narrow the list");
  found = g_list_model_get_item (rd_ticket_list_page_get_shown (page), 0);
  g_assert_cmpstr (rd_ticket_get_subject (found), ==, seeded[1][0]);

  gtk_editable_set_text (GTK_EDITABLE (page->search_entry), "nothing-matches-this");
  wait_for_count (page, 0, "the search to find nothing");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->content_stack), ==, "empty");

  /* A state filter is sent to the server too: none is cancelled */
  gtk_editable_set_text (GTK_EDITABLE (page->search_entry), "");
  gtk_drop_down_set_selected (page->state_dropdown, 6);
  wait_for_count (page, 0, "the cancelled tickets");
  gtk_drop_down_set_selected (page->state_dropdown, 0);
  wait_for_count (page, G_N_ELEMENTS (seeded), "the unfinished tickets again");

  rd_test_close_windows (app);
}

static gboolean
ticket_page_settled (gpointer data)
{
  RdTicketPage *page = data;

  return !rd_ticket_page_get_busy (page) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (page->page_stack), "ticket") == 0;
}

static gboolean
ticket_has_state (gpointer data)
{
  RdTicketPage *page = data;
  RdTicketState expected = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "expected-state"));

  return ticket_page_settled (page) &&
         rd_ticket_get_state (rd_ticket_page_get_ticket (page)) == expected;
}

/* The names of the buttons the ticket page offers, e.g. "in_progress,cancelled,edit" */
static char *
offered_buttons (RdTicketPage *page)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (page->actions_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (names->len > 0)
        g_string_append_c (names, ',');
      g_string_append (names, gtk_widget_get_name (button));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static GtkWidget *
find_button (RdTicketPage *page,
             const char   *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (page->actions_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (gtk_widget_get_name (button), name) == 0)
        return button;
    }

  return NULL;
}

static guint
history_rows (RdTicketPage *page)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (page->history_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static void
test_ticket_page (void)
{
  RdWindow *window = open_signed_in (1280, 800);
  RdTicketListPage *list = window->ticket_list_page;
  RdTicketPage *page = window->ticket_page;
  g_autoptr(RdTicket) on_server = NULL;
  g_autofree char *buttons = NULL;
  g_autofree char *number = NULL;
  GListModel *shown;
  guint position = G_MAXUINT;

  wait_for_count (list, G_N_ELEMENTS (seeded), "the first page");

  /* Open the boiler ticket as a click on its row does */
  shown = rd_ticket_list_page_get_shown (list);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (shown, i);

      if (g_strcmp0 (rd_ticket_get_subject (ticket), seeded[0][0]) == 0)
        {
          position = i;
          number = g_strdup (rd_ticket_get_number (ticket));
        }
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_signal_emit_by_name (list->column_view, "activate", position);

  g_assert_cmpstr (adw_leaflet_get_visible_child_name (window->ticket_leaflet), ==, "ticket");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->back_button)));
  rd_test_spin_until (ticket_page_settled, page, "the ticket page");

  g_assert_cmpstr (gtk_label_get_label (page->subject_label), ==, seeded[0][0]);
  g_assert_true (strstr (gtk_label_get_label (page->number_label), number) != NULL);

  /* An open ticket can start or be cancelled, nothing else */
  buttons = offered_buttons (page);
  g_assert_cmpstr (buttons, ==, "in_progress,cancelled,edit");
  g_assert_cmpuint (history_rows (page), ==, 1);
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "ticket");

  /* Start Work reaches the server */
  g_signal_emit_by_name (find_button (page, "in_progress"), "clicked");
  g_object_set_data (G_OBJECT (page), "expected-state", GINT_TO_POINTER (RD_TICKET_STATE_IN_PROGRESS));
  rd_test_spin_until (ticket_has_state, page, "the move to in progress");

  on_server = api_get (number);
  g_assert_cmpint (rd_ticket_get_state (on_server), ==, RD_TICKET_STATE_IN_PROGRESS);
  g_assert_nonnull (rd_ticket_get_first_response_at (on_server));

  g_clear_pointer (&buttons, g_free);
  buttons = offered_buttons (page);
  g_assert_cmpstr (buttons, ==, "resolved,open,cancelled,edit");
  g_assert_cmpuint (history_rows (page), ==, 2);
  g_assert_cmpint (rd_state_badge_get_state (page->state_badge), ==, RD_TICKET_STATE_IN_PROGRESS);

  /* A move the server refuses (the ticket moved on elsewhere) is said in a toast */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(RdTicket) moved = NULL;

    rd_connection_transition_ticket_async (api, number, RD_TICKET_STATE_CANCELLED, NULL, NULL,
                                           rd_test_store_result_cb, &result);
    rd_test_wait_result (&result);
    moved = rd_connection_ticket_finish (api, result, &error);
    g_assert_no_error (error);
  }
  g_signal_emit_by_name (find_button (page, "resolved"), "clicked");
  rd_test_spin_until (ticket_page_settled, page, "the refused move");
  g_assert_cmpint (rd_ticket_get_state (rd_ticket_page_get_ticket (page)), ==, RD_TICKET_STATE_IN_PROGRESS);

  /* Back to the list, which shows the new state without loading again */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (window->ticket_leaflet), ==, "list");

  /* The narrow ticket page */
  window = open_signed_in (360, 720);
  wait_for_count (window->ticket_list_page, G_N_ELEMENTS (seeded) - 1, "the unfinished tickets");
  {
    g_autoptr(RdTicket) ticket = g_list_model_get_item (rd_ticket_list_page_get_shown (window->ticket_list_page), 0);

    g_signal_emit_by_name (window->ticket_list_page->compact_list, "activate", 0);
    rd_test_spin_until (ticket_page_settled, window->ticket_page, "the narrow ticket page");
    g_assert_cmpstr (rd_ticket_get_number (rd_ticket_page_get_ticket (window->ticket_page)), ==,
                     rd_ticket_get_number (ticket));
  }
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "ticket");
  /* The page fits the narrow window: it did not make it wider */
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, 360);

  rd_test_close_windows (app);
}

/* The one open window of @type */
static GtkWindow *
find_window (GType type)
{
  return rd_test_find_window (type);
}

static gboolean
editor_idle (gpointer data)
{
  return !rd_ticket_editor_get_busy (RD_TICKET_EDITOR (data));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_create (void)
{
  RdWindow *window = open_signed_in (1280, 800);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(RdTicket) created = NULL;
  RdTicketEditor *editor;
  gpointer weak;

  wait_for_count (window->ticket_list_page, G_N_ELEMENTS (seeded) - 1, "the first page");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-ticket", NULL);
  editor = RD_TICKET_EDITOR (find_window (RD_TYPE_TICKET_EDITOR));
  rd_test_save_screenshot (GTK_WINDOW (editor), NULL, "ticket-form");

  /* A phone number without digits: the server refuses it, the form says so
   * on the row and keeps what was typed */
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "Lift stuck between floors");
  gtk_editable_set_text (GTK_EDITABLE (editor->requester_row), "Chloé Martin");
  gtk_editable_set_text (GTK_EDITABLE (editor->requester_phone_row), "call reception");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor->description_view),
                            "Two people inside, alarm rang", -1);
  adw_combo_row_set_selected (editor->priority_row, RD_PRIORITY_URGENT);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (rd_ticket_editor_get_busy (editor));
  rd_test_spin_until (editor_idle, editor, "the server to refuse the phone");

  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (editor->requester_phone_row), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (editor->subject_row), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor->message_label)));
  g_assert_nonnull (strstr (gtk_label_get_label (editor->message_label), "digits"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->subject_row)), ==, "Lift stuck between floors");
  rd_test_save_screenshot (GTK_WINDOW (editor), NULL, "ticket-form-error");

  found = api_search ("lift stuck");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
  g_clear_object (&found);

  /* An empty subject is refused too, on its row */
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "   ");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  rd_test_spin_until (editor_idle, editor, "the server to refuse the subject");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (editor->subject_row), "error"));

  /* Corrected, it is created, and its page opens */
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "Lift stuck between floors");
  gtk_editable_set_text (GTK_EDITABLE (editor->requester_phone_row), "+34 600 123 456");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (editor->requester_phone_row), "error"));
  weak = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  rd_test_spin_until (pointer_cleared, &weak, "the form to close");

  found = api_search ("lift stuck");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  created = g_list_model_get_item (found, 0);
  g_assert_cmpstr (rd_ticket_get_requester (created), ==, "Chloé Martin");
  g_assert_cmpstr (rd_ticket_get_requester_phone (created), ==, "+34 600 123 456");
  g_assert_cmpstr (rd_ticket_get_description (created), ==, "Two people inside, alarm rang");
  g_assert_cmpint (rd_ticket_get_priority (created), ==, RD_PRIORITY_URGENT);

  g_assert_cmpstr (adw_leaflet_get_visible_child_name (window->ticket_leaflet), ==, "ticket");
  rd_test_spin_until (ticket_page_settled, window->ticket_page, "the new ticket's page");
  g_assert_cmpstr (rd_ticket_get_number (rd_ticket_page_get_ticket (window->ticket_page)), ==,
                   rd_ticket_get_number (created));

  /* Edit: only what changed goes to the server, and the page shows it */
  {
    g_autoptr(RdTicket) edited = NULL;
    gpointer weak_editor;

    gtk_widget_activate_action (GTK_WIDGET (window->ticket_page), "ticket.edit", NULL);
    editor = RD_TICKET_EDITOR (find_window (RD_TYPE_TICKET_EDITOR));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->subject_row)), ==, "Lift stuck between floors");
    g_assert_cmpuint (adw_combo_row_get_selected (editor->priority_row), ==, RD_PRIORITY_URGENT);
    gtk_editable_set_text (GTK_EDITABLE (editor->category_row), "Lifts");

    weak_editor = editor;
    g_object_add_weak_pointer (G_OBJECT (editor), &weak_editor);
    gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
    rd_test_spin_until (pointer_cleared, &weak_editor, "the edit form to close");
    rd_test_spin_until (ticket_page_settled, window->ticket_page, "the edited ticket");

    edited = api_get (rd_ticket_get_number (created));
    g_assert_cmpstr (rd_ticket_get_category (edited), ==, "Lifts");
    g_assert_cmpstr (rd_ticket_get_requester (edited), ==, "Chloé Martin");
    g_assert_cmpstr (rd_ticket_get_category (rd_ticket_page_get_ticket (window->ticket_page)), ==, "Lifts");
  }

  rd_test_close_windows (app);
}

/* POSTs @json to @path as whoever @as is signed in as; returns the new "id" */
static char *
api_create (RdConnection *as,
            const char   *path,
            const char   *json)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = NULL;

  g_assert_cmpuint (rd_test_api_post_full (as, path, json, &reply), ==, 201);
  object = rd_json_parse_bytes (reply, &error);
  g_assert_no_error (error);
  g_assert_true (rd_json_get_string (object, "id", RD_JSON_REQUIRED, &id, NULL));

  return g_strdup (id);
}

static gboolean
pickers_loaded (gpointer data)
{
  RdTicketEditor *editor = data;

  return editor->locations != NULL && editor->assets != NULL;
}

/* the asset list offers only the location's one asset (and "None") */
static gboolean
assets_narrowed (gpointer data)
{
  RdTicketEditor *editor = data;

  return g_list_model_get_n_items (adw_combo_row_get_model (editor->asset_row)) == 2;
}

static guint
picker_row (AdwComboRow *row,
            const char  *label)
{
  GListModel *labels = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (labels); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (labels), i), label))
      return i;

  g_error ("No row “%s” in the picker", label);
}

/* The location and asset pickers offer what the server has, narrow the
 * assets to the location, and save ids */
static void
test_places (void)
{
  g_autoptr(RdConnection) supervisor = rd_test_sign_in_as (rd_test_server_get_url (server),
                                                           RD_TEST_SUPERVISOR);
  g_autofree char *north = api_create (supervisor, "/api/v1/locations", "{\"name\":\"Plant North\"}");
  g_autofree char *south = api_create (supervisor, "/api/v1/locations", "{\"name\":\"Depot South\"}");
  g_autofree char *boiler_json = g_strdup_printf ("{\"name\":\"Boiler 2\",\"tag\":\"INV-0042\","
                                                  "\"location_id\":\"%s\"}", north);
  g_autofree char *forklift_json = g_strdup_printf ("{\"name\":\"Forklift\",\"location_id\":\"%s\"}",
                                                    south);
  g_autofree char *boiler = api_create (supervisor, "/api/v1/assets", boiler_json);
  g_autofree char *forklift = api_create (supervisor, "/api/v1/assets", forklift_json);
  RdWindow *window = open_signed_in (1280, 800);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(RdTicket) created = NULL;
  RdTicketEditor *editor;
  gpointer weak;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-ticket", NULL);
  editor = RD_TICKET_EDITOR (find_window (RD_TYPE_TICKET_EDITOR));
  rd_test_spin_until (pickers_loaded, editor, "the locations and assets");

  /* nothing picked: every location and every asset */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (editor->location_row)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (editor->asset_row)), ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (editor->location_row), ==, 0);

  /* an asset picked first brings its location */
  adw_combo_row_set_selected (editor->asset_row, picker_row (editor->asset_row, "Forklift"));
  g_assert_cmpuint (adw_combo_row_get_selected (editor->location_row), ==,
                    picker_row (editor->location_row, "Depot South"));
  rd_test_spin_until (assets_narrowed, editor, "the assets of the location");
  g_assert_cmpuint (adw_combo_row_get_selected (editor->asset_row), ==,
                    picker_row (editor->asset_row, "Forklift"));

  /* another location: only its assets, the forklift is not there */
  adw_combo_row_set_selected (editor->location_row, picker_row (editor->location_row, "Plant North"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (editor->asset_row)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (editor->asset_row), ==, 0);
  adw_combo_row_set_selected (editor->asset_row, picker_row (editor->asset_row, "Boiler 2 (INV-0042)"));

  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "Boiler pressure drops at night");
  weak = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  rd_test_spin_until (pointer_cleared, &weak, "the form to close");

  found = api_search ("pressure drops");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  created = g_list_model_get_item (found, 0);
  g_assert_cmpstr (rd_ticket_get_location_id (created), ==, north);
  g_assert_cmpstr (rd_ticket_get_asset_id (created), ==, boiler);

  /* editing shows them by name, and "None" clears the asset */
  rd_test_spin_until (ticket_page_settled, window->ticket_page, "the new ticket's page");
  gtk_widget_activate_action (GTK_WIDGET (window->ticket_page), "ticket.edit", NULL);
  editor = RD_TICKET_EDITOR (find_window (RD_TYPE_TICKET_EDITOR));
  rd_test_spin_until (pickers_loaded, editor, "the locations and assets");
  g_assert_cmpuint (adw_combo_row_get_selected (editor->location_row), ==,
                    picker_row (editor->location_row, "Plant North"));
  g_assert_cmpuint (adw_combo_row_get_selected (editor->asset_row), ==,
                    picker_row (editor->asset_row, "Boiler 2 (INV-0042)"));
  adw_combo_row_set_selected (editor->asset_row, 0);
  weak = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  rd_test_spin_until (pointer_cleared, &weak, "the edit form to close");
  rd_test_spin_until (ticket_page_settled, window->ticket_page, "the edited ticket");

  g_clear_object (&created);
  created = api_get (rd_ticket_get_number (rd_ticket_page_get_ticket (window->ticket_page)));
  g_assert_cmpstr (rd_ticket_get_location_id (created), ==, north);
  g_assert_null (rd_ticket_get_asset_id (created));

  rd_test_close_windows (app);
}

static gboolean
row_marked (gpointer data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (data), "error");
}

static void
click_and_wait (RdTicketPage  *page,
                RdTicketState  to)
{
  g_signal_emit_by_name (find_button (page, rd_ticket_state_to_string (to)), "clicked");
  g_object_set_data (G_OBJECT (page), "expected-state", GINT_TO_POINTER (to));
  rd_test_spin_until (ticket_has_state, page, "the move");
}

static void
test_assign_and_close (void)
{
  RdWindow *window = open_signed_in (1280, 800);
  RdTicketPage *page = window->ticket_page;
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Broken chair in room 4", "Ana Lima", NULL);
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) changes = NULL;
  g_autofree char *buttons = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *note;

  rd_window_open_ticket (window, ticket);
  rd_test_spin_until (ticket_page_settled, page, "the ticket page");

  /* Assign by username; the server checks it */
  gtk_editable_set_text (GTK_EDITABLE (page->assignee_row), RD_TEST_USERNAME);
  g_signal_emit_by_name (page->assignee_row, "apply");
  rd_test_spin_until (ticket_page_settled, page, "the assignment");
  on_server = api_get (rd_ticket_get_number (ticket));
  g_assert_cmpstr (rd_ticket_get_assignee (on_server), ==, RD_TEST_USERNAME);
  g_clear_object (&on_server);

  gtk_editable_set_text (GTK_EDITABLE (page->assignee_row), "nobody-by-this-name");
  g_signal_emit_by_name (page->assignee_row, "apply");
  rd_test_spin_until (row_marked, page->assignee_row, "the unknown user to be marked");
  rd_test_spin_until (ticket_page_settled, page, "the refused assignment");
  on_server = api_get (rd_ticket_get_number (ticket));
  g_assert_cmpstr (rd_ticket_get_assignee (on_server), ==, RD_TEST_USERNAME);
  g_clear_object (&on_server);

  click_and_wait (page, RD_TICKET_STATE_IN_PROGRESS);
  click_and_wait (page, RD_TICKET_STATE_RESOLVED);
  buttons = offered_buttons (page);
  g_assert_cmpstr (buttons, ==, "in_progress,closed,edit");

  /* Closing asks for the requester's confirmation, and needs it */
  g_signal_emit_by_name (find_button (page, "closed"), "clicked");
  dialog = ADW_MESSAGE_DIALOG (find_window (ADW_TYPE_MESSAGE_DIALOG));
  note = g_object_get_data (G_OBJECT (dialog), "note-entry");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "close"));
  gtk_editable_set_text (note, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "close"));
  gtk_editable_set_text (note, "Ms Lima confirmed by phone");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "close"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_object_set_data (G_OBJECT (page), "expected-state", GINT_TO_POINTER (RD_TICKET_STATE_CLOSED));
  rd_test_spin_until (ticket_has_state, page, "the ticket to close");
  g_clear_pointer (&buttons, g_free);
  buttons = offered_buttons (page);
  g_assert_cmpstr (buttons, ==, "edit");

  rd_connection_get_history_async (api, rd_ticket_get_number (ticket), NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  changes = rd_connection_get_history_finish (api, result, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RdTicketChange) last = g_list_model_get_item (changes, g_list_model_get_n_items (changes) - 1);

    g_assert_cmpstr (rd_ticket_change_get_new_value (last), ==, "closed");
    g_assert_cmpstr (rd_ticket_change_get_note (last), ==, "Ms Lima confirmed by phone");
  }

  rd_test_close_windows (app);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autofree char *extension = NULL;
  g_autofree char *popup_mode = NULL;
  RdPreferencesWindow *preferences;
  RdWindow *window = open_signed_in (1280, 800);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = RD_PREFERENCES_WINDOW (find_window (RD_TYPE_PREFERENCES_WINDOW));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (preferences->server_row)), ==,
                   rd_test_server_get_url (server));

  gtk_editable_set_text (GTK_EDITABLE (preferences->extension_row), "732");
  adw_combo_row_set_selected (preferences->popup_row, 1);
  extension = g_settings_get_string (settings, "extension");
  popup_mode = g_settings_get_string (settings, "popup-mode");
  g_assert_cmpstr (extension, ==, "732");
  g_assert_cmpstr (popup_mode, ==, "notify");

  /* the popup's customer page and the background mode */
  {
    g_autofree char *customer_url = NULL;
    gboolean background = g_settings_get_boolean (settings, "run-in-background");

    g_assert_cmpint (gtk_switch_get_active (preferences->background_switch), ==, background);
    gtk_switch_set_active (preferences->background_switch, !background);
    g_assert_cmpint (g_settings_get_boolean (settings, "run-in-background"), ==, !background);
    gtk_switch_set_active (preferences->background_switch, background);
    gtk_editable_set_text (GTK_EDITABLE (preferences->customer_url_row), "https://crm.example.com/c?tel={number}");
    customer_url = g_settings_get_string (settings, "customer-url");
    g_assert_cmpstr (customer_url, ==, "https://crm.example.com/c?tel={number}");
  }
  rd_test_save_screenshot (GTK_WINDOW (preferences), NULL, "preferences");

  /* Not an address: marked, nothing changes */
  gtk_editable_set_text (GTK_EDITABLE (preferences->server_row), "ftp://example.com");
  g_signal_emit_by_name (preferences->server_row, "apply");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (preferences->server_row), "error"));
  g_assert_cmpstr (rd_window_get_page_name (window), ==, "home");

  /* Another server: signed out, and asked to sign in there */
  {
    g_autofree char *other = rd_test_unreachable_url ();
    g_autofree char *saved = NULL;
    gpointer weak = preferences;

    g_object_add_weak_pointer (G_OBJECT (preferences), &weak);
    gtk_editable_set_text (GTK_EDITABLE (preferences->server_row), other);
    g_signal_emit_by_name (preferences->server_row, "apply");
    rd_test_spin_until (pointer_cleared, &weak, "the preferences to close");

    g_assert_cmpstr (rd_window_get_page_name (window), ==, "login");
    g_assert_null (rd_window_get_connection (window));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->server_row)), ==, other);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_page->username_row)), ==,
                     RD_TEST_USERNAME);
    saved = g_settings_get_string (settings, "server-url");
    g_assert_cmpstr (saved, ==, other);
    g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  }

  g_settings_reset (settings, "extension");
  g_settings_reset (settings, "popup-mode");
  g_settings_reset (settings, "customer-url");
  rd_test_close_windows (app);
}

static char *
create_with (RdConnection *connection,
             const char   *subject,
             const char   *assignee,
             const char   *group)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(RdTicket) ticket = NULL;

  json_object_set_string_member (fields, "subject", subject);
  json_object_set_string_member (fields, "assignee", assignee);
  if (group != NULL)
    json_object_set_string_member (fields, "group", group);
  ticket = rd_test_create_ticket_fields (connection, fields);

  return g_strdup (rd_ticket_get_number (ticket));
}

static gboolean
shown_contains (RdTicketListPage *page,
                const char       *number)
{
  GListModel *shown = rd_ticket_list_page_get_shown (page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (shown, i);

      if (g_strcmp0 (rd_ticket_get_number (ticket), number) == 0)
        return TRUE;
    }

  return FALSE;
}

/* My Queue, My Groups and All Tickets ask the server for ?scope=mine,
 * groups and (for an agent) everything she may see */
static void
test_scopes (void)
{
  g_autoptr(RdConnection) admin = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *other = NULL;
  static const char json[] = "{\"name\":\"Scopedesk\",\"members\":[\"" RD_TEST_USERNAME "\"]}";
  RdWindow *window;
  RdTicketListPage *page;

  admin = rd_connection_new (rd_test_server_get_url (server), &error);
  g_assert_no_error (error);
  rd_connection_sign_in_async (admin, RD_TEST_ADMIN, RD_TEST_PASSWORD, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  user = rd_connection_sign_in_finish (admin, result, &error);
  g_assert_no_error (error);

  /* agent1 is in the group Scopedesk */
  g_assert_cmpuint (rd_test_api_post (admin, RD_API_PATH_GROUPS, json), ==, 201);

  queue = create_with (admin, "Scopetest queue", RD_TEST_USERNAME, NULL);
  grouped = create_with (api, "Scopetest group", RD_TEST_ADMIN, "Scopedesk");
  other = create_with (api, "Scopetest other", RD_TEST_ADMIN, NULL);

  window = open_signed_in (1280, 800);
  page = window->ticket_list_page;
  gtk_editable_set_text (GTK_EDITABLE (page->search_entry), "Scopetest");

  gtk_drop_down_set_selected (page->scope_dropdown, 1);
  wait_for_count (page, 1, "my queue");
  g_assert_true (shown_contains (page, queue));

  gtk_drop_down_set_selected (page->scope_dropdown, 2);
  wait_for_count (page, 2, "my groups");
  g_assert_true (shown_contains (page, queue));
  g_assert_true (shown_contains (page, grouped));
  g_assert_false (shown_contains (page, other));
  rd_test_save_screenshot (GTK_WINDOW (window), window->stack, "tickets-my-groups");

  gtk_drop_down_set_selected (page->scope_dropdown, 0);
  wait_for_count (page, 3, "all the agent's tickets");
  g_assert_true (shown_contains (page, other));

  gtk_editable_set_text (GTK_EDITABLE (page->search_entry), "");
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
  for (guint i = 0; i < G_N_ELEMENTS (seeded); i++)
    g_object_unref (rd_test_create_ticket (api, seeded[i][0], seeded[i][1], NULL));

  app = rd_test_app_new (server);

  g_test_add_func ("/tickets/list", test_list);
  g_test_add_func ("/tickets/search", test_search);
  g_test_add_func ("/tickets/ticket-page", test_ticket_page);
  g_test_add_func ("/tickets/create", test_create);
  g_test_add_func ("/tickets/places", test_places);
  g_test_add_func ("/tickets/assign-and-close", test_assign_and_close);
  g_test_add_func ("/tickets/preferences", test_preferences);
  g_test_add_func ("/tickets/scopes", test_scopes);

  ret = g_test_run ();

  rd_test_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);

  return ret;
}
