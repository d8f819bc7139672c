/* test-call-log.c: the call log page of the real client, under Xvfb, against
 * a real ringdesk-server linked to the PBX simulator
 *
 * A call rings this desk's extension, goes on to 202 and is answered there:
 * the list gains it from the live events, the detail pane shows both hops as
 * a timeline, a bound ticket opens the ticket page, and "Call Back" makes
 * the PBX ring this desk (click-to-dial). An admin also has "All Calls".
 * Screenshots at 1280×800 and 360 wide.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestCallLog"

#include "config.h"

#include <adwaita.h>

#include "rd-application.h"
#include "rd-call-log-page-private.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-window-private.h"

#define CALLER "612345678"

static RdTestSim *sim;
static RdTestServer *server;
static RdApplication *app;
static RdConnection *api;

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;

  return n;
}

static RdCall *
find_call_from (GListModel *calls,
                const char *number,
                const char *not_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(RdCall) call = g_list_model_get_item (calls, i);

      if ((g_strcmp0 (rd_call_get_from (call), number) == 0 || g_strcmp0 (rd_call_get_to (call), number) == 0) &&
          g_strcmp0 (rd_call_get_id (call), not_id) != 0)
        return g_steal_pointer (&call);
    }

  return NULL;
}

static gboolean
list_has_call (gpointer data)
{
  RdCallLogPage *page = data;
  g_autoptr(RdCall) call = find_call_from (rd_call_log_page_get_calls (page), CALLER, NULL);

  return call != NULL && rd_call_get_state (call) == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "state"));
}

static void
wait_call_state (RdCallLogPage *page,
                 RdCallState    state,
                 const char    *what)
{
  g_object_set_data (G_OBJECT (page), "state", GINT_TO_POINTER (state));
  rd_test_spin_until (list_has_call, page, what);
}

/* the detail pane shows the call ended, with its two hops */
static gboolean
detail_has_hops (gpointer data)
{
  RdCallLogPage *page = data;

  return page->call != NULL && rd_call_get_outcome (page->call) == RD_CALL_OUTCOME_ANSWERED &&
         page->pending == 0 && count_rows (page->hops_list) == 2;
}

static gboolean
detail_has_ticket (gpointer data)
{
  RdCallLogPage *page = data;
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (page->tickets_list));

  return page->pending == 0 && row != NULL && g_object_get_data (G_OBJECT (row), "number") != NULL;
}

static gboolean
ticket_page_shown (gpointer data)
{
  RdWindow *window = data;

  return g_strcmp0 (adw_view_stack_get_visible_child_name (window->view_stack), "tickets") == 0 &&
         g_strcmp0 (adw_leaflet_get_visible_child_name (window->ticket_leaflet), "ticket") == 0;
}

static gboolean
list_has_dial (gpointer data)
{
  RdCallLogPage *page = data;
  const char *first_id = g_object_get_data (G_OBJECT (page), "first-id");
  g_autoptr(RdCall) call = find_call_from (rd_call_log_page_get_calls (page), CALLER, first_id);

  return call != NULL;
}

static gboolean
page_folded (gpointer data)
{
  return adw_leaflet_get_folded (RD_CALL_LOG_PAGE (data)->leaflet);
}

static gboolean
page_idle (gpointer data)
{
  return RD_CALL_LOG_PAGE (data)->pending == 0;
}

static void
bind_ticket (const char *call_id,
             const char *number)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCall) call = NULL;

  rd_connection_bind_ticket_async (api, call_id, number, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  call = rd_connection_call_finish (api, result, &error);
  g_assert_no_error (error);
}

static void
test_call_log (void)
{
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "No hot water", "Mario Rossi", CALLER);
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdCall) dial = NULL;
  g_autofree char *first_id = NULL;
  RdWindow *window;
  RdCallLogPage *page;
  GListModel *hops;
  GtkWidget *row;

  window = rd_test_open_window_sized (app, 1280, 800);
  if (!rd_test_page_is_home (window))
    rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  rd_test_spin_until (rd_test_page_is_home, window, "the sign-in");
  rd_test_wait_subscribed (window);

  page = window->call_log_page;
  adw_view_stack_set_visible_child_name (window->view_stack, "calls");
  rd_test_spin_until (page_idle, page, "the first list");

  /* an agent has only her own calls: no "All Calls" */
  g_assert_false (gtk_widget_get_visible (page->scope_box));

  /* rings 201, no answer, goes on to 202 which answers: the list learns it
   * from the live events, without a refresh */
  g_free (rd_test_sim_command (sim, "call " CALLER " " RD_TEST_EXTENSION));
  g_free (rd_test_sim_command (sim, "divert " RD_TEST_EXTENSION " 202"));
  wait_call_state (page, RD_CALL_STATE_RINGING, "the call ringing in the list");
  g_free (rd_test_sim_command (sim, "answer 202"));
  g_free (rd_test_sim_command (sim, "hangup 202"));
  wait_call_state (page, RD_CALL_STATE_ENDED, "the call ended in the list");
  call = find_call_from (rd_call_log_page_get_calls (page), CALLER, NULL);
  first_id = g_strdup (rd_call_get_id (call));
  g_object_set_data_full (G_OBJECT (page), "first-id", g_strdup (first_id), g_free);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->list_stack), ==, "list");

  /* picking it shows the hops as a timeline */
  g_signal_emit_by_name (page->list_view, "activate", 0);
  rd_test_spin_until (detail_has_hops, page, "the hops of the call");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->detail_stack), ==, "call");
  g_assert_cmpstr (rd_call_get_id (page->call), ==, first_id);
  hops = rd_call_get_hops (page->call);
  g_assert_cmpuint (g_list_model_get_n_items (hops), ==, 2);
  row = gtk_widget_get_first_child (GTK_WIDGET (page->hops_list));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Extension 201");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_next_sibling (row))), ==,
                   "Extension 202");
  g_assert_cmpstr (adw_action_row_get_subtitle (page->from_row), ==, CALLER);
  g_assert_cmpstr (adw_action_row_get_subtitle (page->direction_row), ==, "Incoming");
  g_assert_cmpstr (adw_action_row_get_subtitle (page->outcome_row), ==, "Answered");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (page->call_back_button)));

  /* a ticket bound to the call shows, and opens the ticket page */
  bind_ticket (first_id, rd_ticket_get_number (ticket));
  rd_call_log_page_show_call (page, first_id);
  rd_test_spin_until (detail_has_ticket, page, "the ticket of the call");
  rd_test_save_screenshot (GTK_WINDOW (window), NULL, "call-log");

  row = gtk_widget_get_first_child (GTK_WIDGET (page->tickets_list));
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "number"), ==, rd_ticket_get_number (ticket));
  g_signal_emit_by_name (page->tickets_list, "row-activated", row);
  rd_test_spin_until (ticket_page_shown, window, "the ticket page");

  /* narrow: the list and the call one at a time, with a way back */
  adw_view_stack_set_visible_child_name (window->view_stack, "calls");
  window = rd_test_open_window_sized (app, 360, 720);
  rd_test_spin_until (rd_test_page_is_home, window, "the restored session");
  page = window->call_log_page;
  g_object_set_data_full (G_OBJECT (page), "first-id", g_strdup (first_id), g_free);
  adw_view_stack_set_visible_child_name (window->view_stack, "calls");
  wait_call_state (page, RD_CALL_STATE_ENDED, "the call in the narrow list");
  rd_test_spin_until (page_folded, page, "the narrow layout");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (page->leaflet), ==, "list");
  rd_test_save_screenshot (GTK_WINDOW (window), NULL, "call-log-list");
  rd_call_log_page_show_call (page, first_id);
  rd_test_spin_until (detail_has_ticket, page, "the call in the narrow window");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (page->leaflet), ==, "detail");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->back_button)));
  rd_test_save_screenshot (GTK_WINDOW (window), NULL, "call-log");

  /* Call Back: the PBX rings this desk to call the number (click-to-dial) */
  rd_test_wait_subscribed (window);
  g_signal_emit_by_name (page->call_back_button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (page->call_back_button)));
  rd_test_spin_until (list_has_dial, page, "the dialled call in the list");
  dial = find_call_from (rd_call_log_page_get_calls (page), CALLER, first_id);
  g_assert_cmpstr (rd_call_get_to (dial), ==, CALLER);
  rd_test_spin_until (page_idle, page, "the dial to finish");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (page->call_back_button)));
  g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));

  g_signal_emit_by_name (page->back_button, "clicked");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (page->leaflet), ==, "list");

  /* an admin also has All Calls */
  rd_window_sign_out (window);
  rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_ADMIN, RD_TEST_PASSWORD);
  rd_test_spin_until (rd_test_page_is_home, window, "the admin's sign-in");
  page = window->call_log_page;
  rd_test_spin_until (page_idle, page, "the admin's list");
  g_assert_true (gtk_widget_get_visible (page->scope_box));
  gtk_toggle_button_set_active (page->all_button, TRUE);
  rd_test_spin_until (page_idle, page, "all the calls");
  g_object_set_data (G_OBJECT (page), "first-id", NULL);
  wait_call_state (page, RD_CALL_STATE_ENDED, "the agent's call among all the calls");
  rd_window_sign_out (window);

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

  sim = rd_test_sim_new (&error);
  g_assert_no_error (error);
  if (sim == NULL)
    {
      g_print ("1..0 # SKIP ringdesk-pbx-sim is not built (RD_PBX_SIM_BINARY unset)\n");
      return 0;
    }

  server = rd_test_server_new_for_sim (sim, &error);
  g_assert_no_error (error);
  if (server == NULL)
    {
      g_print ("1..0 # SKIP ringdesk-server is not built (RD_SERVER_BINARY unset)\n");
      return 0;
    }

  api = rd_test_sign_in (rd_test_server_get_url (server));
  rd_test_wait_cti_connected (api);

  settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  g_settings_set_string (settings, "username", "");

  app = rd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/call-log/calls", test_call_log);

  ret = g_test_run ();

  rd_test_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);
  g_clear_pointer (&sim, rd_test_sim_free);

  return ret;
}
