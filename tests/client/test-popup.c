/* test-popup.c: the caller popup of the real client under Xvfb, against a
 * real ringdesk-server linked over CSTA to the real ringdesk-pbx-sim
 *
 * Calls are placed with the simulator's stdin commands; what the client
 * shows is checked in its widgets, and what it did on the server through
 * the API. Screenshots of the popup are written under the build dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestPopup"

#include "config.h"

#include <adwaita.h>

#include "rd-application.h"
#include "rd-call-popup-private.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-ticket-editor-private.h"
#include "rd-window-private.h"

#define CALLER       "612345678"
#define OTHER_CALLER "699000111"

static RdTestSim *sim;
static RdTestServer *server;
static RdApplication *app;
static RdConnection *api;
static char *open_ticket;
static GHashTable *shown_notifications;

/* POST /customers through a plain libsoup session, as another tool would */
static void
api_create_customer (void)
{
  static const char json[] =
    "{\"name\":\"Mario Rossi\",\"company\":\"Rossi SL\",\"phones\":[\"+34 612 345 678\"]}";

  g_assert_cmpuint (rd_test_api_post (api, RD_API_PATH_CUSTOMERS, json), ==, 201);
}

static RdCall *
api_get_call (const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RdCall *call;

  rd_connection_get_call_async (api, id, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  call = rd_connection_call_finish (api, result, &error);
  g_assert_no_error (error);

  return call;
}

static gboolean
server_shows (gpointer data)
{
  return g_hash_table_contains (shown_notifications, data);
}

static gboolean
server_lacks (gpointer data)
{
  return !server_shows (data);
}

/* The signed-in main window whose live events are subscribed, the same
 * for every test: a new session per test would race its subscribe against
 * the test's first call */
static RdWindow *main_window;

static RdWindow *
open_signed_in_window (void)
{
  if (main_window == NULL)
    {
      main_window = rd_test_open_window_sized (app, 1280, 800);
      if (!rd_test_page_is_home (main_window))
        rd_window_sign_in (main_window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
      rd_test_spin_until (rd_test_page_is_home, main_window, "the sign-in");
      /* subscribed with the window's session, not the one of a window before */
      rd_test_wait_subscribed (main_window);
    }

  g_assert_cmpstr (rd_live_connection_get_extension (rd_application_get_live_connection (app)), ==,
                   RD_TEST_EXTENSION);

  return main_window;
}

static gboolean
has_popups (gpointer data)
{
  GListModel *popups = rd_call_notifier_get_popups (rd_application_get_call_notifier (app));

  return g_list_model_get_n_items (popups) == GPOINTER_TO_UINT (data);
}

static gboolean
popup_ready (gpointer data)
{
  RdCallPopup *popup = data;

  return gtk_widget_get_mapped (GTK_WIDGET (popup)) && popup->last_calls_loaded;
}

/* Waits for the one popup a call makes, mapped with its last calls read */
static RdCallPopup *
wait_popup (void)
{
  GListModel *popups = rd_call_notifier_get_popups (rd_application_get_call_notifier (app));
  g_autoptr(RdCallPopup) popup = NULL;

  rd_test_spin_until (has_popups, GUINT_TO_POINTER (1), "the caller popup");
  popup = g_list_model_get_item (popups, 0);
  rd_test_spin_until (popup_ready, popup, "the popup to show");

  return popup;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static gboolean
list_has_title (GtkListBox *list,
                const char *needle)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PREFERENCES_ROW (child) &&
          strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static gboolean
popup_call_ended (gpointer data)
{
  return rd_call_get_state (rd_call_popup_get_call (RD_CALL_POPUP (data))) == RD_CALL_STATE_ENDED;
}

static gboolean
editor_saved (gpointer data)
{
  return rd_ticket_editor_get_ticket (RD_TICKET_EDITOR (data)) != NULL;
}

static gboolean
call_has_ticket (RdCall     *call,
                 const char *number)
{
  const char * const *tickets = rd_call_get_tickets (call);

  return tickets != NULL && g_strv_contains (tickets, number);
}

/* A call to the agent's extension raises the popup with the customer the
 * server matched and their open ticket; "New ticket" creates a ticket bound
 * to the call */
static void
test_ringing_and_new_ticket (void)
{
  g_autofree char *reply = NULL;
  g_autofree char *number = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *url = NULL;
  g_autoptr(RdCall) stored = NULL;
  RdTicketEditor *editor;
  RdCallPopup *popup;

  open_signed_in_window ();

  reply = rd_test_sim_command (sim, "call " CALLER " " RD_TEST_EXTENSION);
  popup = wait_popup ();
  call_id = g_strdup (rd_call_get_id (rd_call_popup_get_call (popup)));

  g_assert_cmpstr (gtk_label_get_text (popup->name_label), ==, "Mario Rossi");
  g_assert_cmpstr (gtk_label_get_text (popup->company_label), ==, "Rossi SL");
  g_assert_cmpstr (gtk_label_get_text (popup->number_label), ==, CALLER);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popup->tickets_group)));
  g_assert_cmpuint (count_rows (popup->tickets_list), ==, 1);
  g_assert_true (list_has_title (popup->tickets_list, "Heating broken"));
  g_assert_true (list_has_title (popup->tickets_list, open_ticket));
  url = rd_call_popup_customer_page_url (popup);
  g_assert_cmpstr (url, ==, "https://crm.example.com/find?phone=" CALLER "&src=ringdesk");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popup->customer_page_button)));

  rd_test_save_screenshot (GTK_WINDOW (popup), NULL, "popup");
  rd_test_wait_window_size (GTK_WINDOW (popup), 1280, 800);
  rd_test_save_screenshot (GTK_WINDOW (popup), NULL, "popup");
  rd_test_wait_window_size (GTK_WINDOW (popup), 360, 720);
  rd_test_save_screenshot (GTK_WINDOW (popup), NULL, "popup");

  /* New ticket: the form comes filled from the call */
  editor = RD_TICKET_EDITOR (rd_call_popup_new_ticket (popup));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->requester_row)), ==, "Mario Rossi");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->requester_phone_row)), ==, CALLER);
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "Radiator leaks after repair");
  g_object_ref (editor);
  rd_ticket_editor_save (editor);
  rd_test_spin_until (editor_saved, editor, "the new ticket");
  number = g_strdup (rd_ticket_get_number (rd_ticket_editor_get_ticket (editor)));
  g_assert_cmpstr (rd_ticket_get_subject (rd_ticket_editor_get_ticket (editor)), ==, "Radiator leaks after repair");
  g_object_unref (editor);

  /* …and the server has the call bound to it, both ways */
  stored = api_get_call (call_id);
  g_assert_true (call_has_ticket (stored, number));

  /* Answered here, the popup stays for the agent and says so; dismissed,
   * it goes */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popup->status_label)));
  g_free (rd_test_sim_command (sim, "answer " RD_TEST_EXTENSION));
  g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));
  rd_test_spin_until (popup_call_ended, popup, "the call to end");
  g_assert_cmpstr (gtk_label_get_text (popup->status_label), ==, "Call ended");
  g_assert_true (has_popups (GUINT_TO_POINTER (1)));
  gtk_window_close (GTK_WINDOW (popup));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to close");
}

/* "Attach" binds the call to one of the caller's open tickets */
static void
test_attach (void)
{
  g_autofree char *call_id = NULL;
  g_autoptr(RdCall) stored = NULL;
  RdCallPopup *popup;

  open_signed_in_window ();

  g_free (rd_test_sim_command (sim, "call " CALLER " " RD_TEST_EXTENSION));
  popup = wait_popup ();
  call_id = g_strdup (rd_call_get_id (rd_call_popup_get_call (popup)));
  /* The earlier call is among the last calls now */
  g_assert_cmpuint (popup->n_last_calls, >=, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popup->calls_group)));
  rd_test_save_screenshot (GTK_WINDOW (popup), NULL, "popup-last-calls");

  stored = api_get_call (call_id);
  g_assert_false (call_has_ticket (stored, open_ticket));
  g_clear_object (&stored);

  rd_call_popup_attach_ticket (popup, open_ticket);
  while (stored == NULL || !call_has_ticket (stored, open_ticket))
    {
      g_clear_object (&stored);
      rd_test_wait_ms (50);
      stored = api_get_call (call_id);
    }

  g_free (rd_test_sim_command (sim, "answer " RD_TEST_EXTENSION));
  g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));
  gtk_window_close (GTK_WINDOW (popup));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to close");
}

/* A call answered at another extension withdraws the popup, and it is
 * not a missed call */
static void
test_answered_elsewhere (void)
{
  RdCallNotifier *notifier = rd_application_get_call_notifier (app);
  g_autofree char *missed = NULL;
  RdCallPopup *popup;

  open_signed_in_window ();

  g_free (rd_test_sim_command (sim, "call " OTHER_CALLER " " RD_TEST_EXTENSION));
  popup = wait_popup ();
  /* Not a customer: the number is the title */
  g_assert_cmpstr (gtk_label_get_text (popup->name_label), ==, OTHER_CALLER);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popup->tickets_group)));
  missed = g_strconcat ("missed-", rd_call_get_id (rd_call_popup_get_call (popup)), NULL);

  g_free (rd_test_sim_command (sim, "divert " RD_TEST_EXTENSION " 202"));
  g_free (rd_test_sim_command (sim, "answer 202"));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to be withdrawn");
  g_free (rd_test_sim_command (sim, "hangup 202"));

  g_assert_false (rd_call_notifier_has_notification (notifier, missed));
}

/* A caller who gives up while it rings: the popup goes, a missed-call
 * notification stays */
static void
test_missed (void)
{
  RdCallNotifier *notifier = rd_application_get_call_notifier (app);
  g_autofree char *missed = NULL;
  g_autofree char *ringing = NULL;
  RdCallPopup *popup;

  open_signed_in_window ();

  g_free (rd_test_sim_command (sim, "call " CALLER " " RD_TEST_EXTENSION));
  popup = wait_popup ();
  missed = g_strconcat ("missed-", rd_call_get_id (rd_call_popup_get_call (popup)), NULL);
  ringing = g_strconcat ("call-", rd_call_get_id (rd_call_popup_get_call (popup)), NULL);

  g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to be withdrawn");
  g_assert_true (rd_call_notifier_has_notification (notifier, missed));
  g_assert_false (rd_call_notifier_has_notification (notifier, ringing));

  /* …and the notification server has it, with its title */
  rd_test_spin_until (server_shows, missed, "the missed-call notification on the bus");
  g_assert_cmpstr (g_hash_table_lookup (shown_notifications, missed), ==, "Missed call");
}

static gboolean
tickets_read (gpointer data)
{
  RdCallPopup *popup = data;

  return popup->pending_tickets == 0;
}

/* A call transferred to this desk raises the popup with the call's ticket:
 * 201 takes the call and makes a ticket, passes it to 202, which passes it
 * back */
static void
test_transferred (void)
{
  g_autofree char *number = NULL;
  RdTicketEditor *editor;
  RdCallPopup *popup;

  open_signed_in_window ();

  g_free (rd_test_sim_command (sim, "call " OTHER_CALLER " " RD_TEST_EXTENSION));
  popup = wait_popup ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popup->tickets_group)));
  editor = g_object_ref (RD_TICKET_EDITOR (rd_call_popup_new_ticket (popup)));
  gtk_editable_set_text (GTK_EDITABLE (editor->subject_row), "Wants a quote");
  rd_ticket_editor_save (editor);
  rd_test_spin_until (editor_saved, editor, "the new ticket");
  number = g_strdup (rd_ticket_get_number (rd_ticket_editor_get_ticket (editor)));
  g_object_unref (editor);
  g_free (rd_test_sim_command (sim, "answer " RD_TEST_EXTENSION));

  /* Passed on: this desk's popup goes */
  g_free (rd_test_sim_command (sim, "transfer " RD_TEST_EXTENSION " 202"));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to be withdrawn");
  g_free (rd_test_sim_command (sim, "answer 202"));

  /* …and back: it comes again, with the call's ticket */
  g_free (rd_test_sim_command (sim, "transfer 202 " RD_TEST_EXTENSION));
  popup = wait_popup ();
  rd_test_spin_until (tickets_read, popup, "the call's tickets");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (popup)), ==, "Transferred Call");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popup->tickets_group)));
  g_assert_true (list_has_title (popup->tickets_list, "Wants a quote"));
  g_assert_true (list_has_title (popup->tickets_list, number));

  g_free (rd_test_sim_command (sim, "answer " RD_TEST_EXTENSION));
  g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));
  gtk_window_close (GTK_WINDOW (popup));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to close");
}

static void
remember_ringing_cb (RdLiveConnection *live,
                     RdEvent          *event,
                     char            **id)
{
  if (g_str_equal (rd_event_get_event_type (event), RD_EVENT_CALL_RINGING) && *id == NULL)
    *id = g_strconcat ("call-", rd_call_get_id (rd_event_get_call (event)), NULL);
}

static gboolean
has_notification (gpointer data)
{
  char **id = data;

  return *id != NULL &&
         rd_call_notifier_has_notification (rd_application_get_call_notifier (app), *id);
}

static gboolean
lacks_notification (gpointer data)
{
  return !has_notification (data);
}

/* popup-mode "notify": no window, an urgent notification, withdrawn when
 * answered elsewhere */
static void
test_notify_mode (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  RdCallNotifier *notifier = rd_application_get_call_notifier (app);
  RdLiveConnection *live = rd_application_get_live_connection (app);
  g_autofree char *ringing = NULL;
  gulong handler;

  open_signed_in_window ();
  g_settings_set_string (settings, "popup-mode", "notify");
  handler = g_signal_connect (live, "event", G_CALLBACK (remember_ringing_cb), &ringing);

  g_free (rd_test_sim_command (sim, "call " OTHER_CALLER " " RD_TEST_EXTENSION));
  rd_test_spin_until (has_notification, &ringing, "the ringing notification");
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_notifier_get_popups (notifier)), ==, 0);
  rd_test_spin_until (server_shows, ringing, "the ringing notification on the bus");
  g_assert_cmpstr (g_hash_table_lookup (shown_notifications, ringing), ==, "Incoming call");

  g_free (rd_test_sim_command (sim, "divert " RD_TEST_EXTENSION " 202"));
  g_free (rd_test_sim_command (sim, "answer 202"));
  rd_test_spin_until (lacks_notification, &ringing, "the notification to be withdrawn");
  rd_test_spin_until (server_lacks, ringing, "the notification to leave the bus");
  g_free (rd_test_sim_command (sim, "hangup 202"));

  g_signal_handler_disconnect (live, handler);
  g_settings_reset (settings, "popup-mode");
}

/* With run-in-background, closing the signed-in window only hides it: the
 * live events go on and a call still raises the popup */
static void
test_background (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  RdWindow *window;
  RdCallPopup *popup;

  window = open_signed_in_window ();
  g_settings_set_boolean (settings, "run-in-background", TRUE);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (rd_window_get_connection (window) != NULL);
  g_assert_cmpint (rd_live_connection_get_state (rd_application_get_live_connection (app)), ==,
                   RD_LIVE_STATE_CONNECTED);

  g_free (rd_test_sim_command (sim, "call " CALLER " " RD_TEST_EXTENSION));
  popup = wait_popup ();
  g_assert_cmpstr (gtk_label_get_text (popup->name_label), ==, "Mario Rossi");
  g_free (rd_test_sim_command (sim, "answer " RD_TEST_EXTENSION));
  g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));
  gtk_window_close (GTK_WINDOW (popup));
  rd_test_spin_until (has_popups, GUINT_TO_POINTER (0), "the popup to close");

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
  main_window = NULL;
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

  shown_notifications = rd_test_own_notification_server ();
  if (shown_notifications == NULL)
    {
      g_print ("1..0 # SKIP no session bus (run under dbus-run-session)\n");
      return 0;
    }

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
  api_create_customer ();
  {
    g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Heating broken", "Mario Rossi", CALLER);

    open_ticket = g_strdup (rd_ticket_get_number (ticket));
  }

  settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  g_settings_set_string (settings, "username", "");
  g_settings_set_string (settings, "customer-url", "https://crm.example.com/find?phone={number}&src=ringdesk");

  app = rd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/popup/ringing-and-new-ticket", test_ringing_and_new_ticket);
  g_test_add_func ("/popup/attach", test_attach);
  g_test_add_func ("/popup/answered-elsewhere", test_answered_elsewhere);
  g_test_add_func ("/popup/missed", test_missed);
  g_test_add_func ("/popup/transferred", test_transferred);
  g_test_add_func ("/popup/notify-mode", test_notify_mode);
  g_test_add_func ("/popup/background", test_background);

  ret = g_test_run ();

  rd_test_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);
  g_clear_pointer (&sim, rd_test_sim_free);
  g_free (open_ticket);

  return ret;
}
