/* bench-popup.c: how fast the caller popup comes, and the client's memory
 * with a long ticket list
 *
 * 1. Popup latency: the real client under Xvfb, signed in to the real
 *    ringdesk-server linked over CSTA to ringdesk-pbx-sim. For each of N
 *    calls, the time from the live event's arrival on the WebSocket
 *    (an emission hook on RdLiveConnection::event, which runs before any
 *    handler) to the popup's "map". Baseline in the same run: the time
 *    from an idle callback to an empty AdwWindow being mapped, i.e. what
 *    any new window costs on this display.
 * 2. RSS: RdTicketModel loads 100,000 tickets page by page (500 a page)
 *    from a fake server that generates them, as the ticket list does;
 *    VmRSS before and after, per ticket.
 *
 * Prints figures; never fails on timing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BenchPopup"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "rd-application.h"
#include "rd-call-popup-private.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-ticket-model.h"
#include "rd-window-private.h"

#define CALLER    "612345678"
#define PAGE_SIZE 500

static int opt_calls = 20;
static int opt_tickets = 100000;

static gint64 event_time;
static gint64 map_time;

static gboolean
event_hook (GSignalInvocationHint *hint,
            guint                  n_params,
            const GValue          *params,
            gpointer               data)
{
  if (event_time == 0)
    event_time = g_get_monotonic_time ();

  return TRUE;
}

static void
mapped_cb (GtkWidget *widget)
{
  if (map_time == 0)
    map_time = g_get_monotonic_time ();
}

static void
popups_changed_cb (GListModel *popups,
                   guint       position,
                   guint       removed,
                   guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) popup = g_list_model_get_item (popups, i);

      g_signal_connect (popup, "map", G_CALLBACK (mapped_cb), NULL);
    }
}

static gboolean
is_mapped (gpointer data)
{
  return *(gint64 *) data != 0;
}

static gboolean
no_popups (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static gboolean
present_window_cb (gpointer data)
{
  event_time = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

/* Baseline: an idle callback presents an empty window */
static double
baseline_once (void)
{
  GtkWidget *window = adw_window_new ();
  double ms;

  event_time = map_time = 0;
  g_signal_connect (window, "map", G_CALLBACK (mapped_cb), NULL);
  g_idle_add (present_window_cb, window);
  rd_test_spin_until (is_mapped, &map_time, "the baseline window");
  ms = (map_time - event_time) / 1000.0;
  gtk_window_destroy (GTK_WINDOW (window));

  return ms;
}

static void
bench_popup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTestSim) sim = NULL;
  g_autoptr(RdTestServer) server = NULL;
  g_autoptr(RdConnection) api = NULL;
  g_autoptr(RdApplication) app = NULL;
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autofree double *popup_ms = g_new (double, opt_calls);
  g_autofree double *base_ms = g_new (double, opt_calls);
  GListModel *popups;
  RdWindow *window;
  double popup_median;
  double base_median;

  if (rd_test_own_notification_server () == NULL)
    {
      g_print ("bench-popup: no session bus (run under dbus-run-session); popup latency skipped\n");
      return;
    }

  sim = rd_test_sim_new (&error);
  g_assert_no_error (error);
  if (sim == NULL)
    {
      g_print ("bench-popup: ringdesk-pbx-sim not built; popup latency skipped\n");
      return;
    }
  server = rd_test_server_new_for_sim (sim, &error);
  g_assert_no_error (error);
  if (server == NULL)
    {
      g_print ("bench-popup: ringdesk-server not built; popup latency skipped\n");
      return;
    }

  api = rd_test_sign_in (rd_test_server_get_url (server));
  rd_test_wait_cti_connected (api);

  g_settings_set_string (settings, "server-url", rd_test_server_get_url (server));
  app = rd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = rd_test_open_window_sized (app, 1280, 800);
  rd_window_sign_in (window, rd_test_server_get_url (server), RD_TEST_USERNAME, RD_TEST_PASSWORD);
  rd_test_spin_until (rd_test_page_is_home, window, "the sign-in");
  rd_test_wait_subscribed (window);

  g_signal_add_emission_hook (g_signal_lookup ("event", RD_TYPE_LIVE_CONNECTION), 0,
                              event_hook, NULL, NULL);
  popups = rd_call_notifier_get_popups (rd_application_get_call_notifier (app));
  g_signal_connect (popups, "items-changed", G_CALLBACK (popups_changed_cb), NULL);

  for (int i = 0; i < opt_calls; i++)
    {
      base_ms[i] = baseline_once ();

      event_time = map_time = 0;
      g_free (rd_test_sim_command (sim, "call " CALLER " " RD_TEST_EXTENSION));
      rd_test_spin_until (is_mapped, &map_time, "the popup");
      popup_ms[i] = (map_time - event_time) / 1000.0;

      /* The caller gives up: the popup is withdrawn */
      g_free (rd_test_sim_command (sim, "hangup " RD_TEST_EXTENSION));
      rd_test_spin_until (no_popups, popups, "the popup to go");
    }

  popup_median = median (popup_ms, opt_calls);
  base_median = median (base_ms, opt_calls);
  g_print ("bench-popup: %d calls, event on the WebSocket -> popup mapped (Xvfb, cairo renderer)\n", opt_calls);
  g_print ("  baseline, empty window:  median %7.2f ms  max %7.2f ms\n", base_median, base_ms[opt_calls - 1]);
  g_print ("  caller popup:            median %7.2f ms  max %7.2f ms\n", popup_median, popup_ms[opt_calls - 1]);
  g_print ("  ratio to baseline:       median x%.2f\n", base_median > 0 ? popup_median / base_median : 0);

  rd_test_close_windows (app);
}

/* The fake server: GET /api/v1/tickets pages of generated tickets */
static void
tickets_handler (SoupServer        *soup_server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  guint64 start = cursor ? g_ascii_strtoull (cursor, NULL, 10) : (guint64) opt_tickets + 1;
  g_autoptr(GListStore) page = g_list_store_new (RD_TYPE_TICKET);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *next = NULL;
  g_autofree char *text = NULL;
  guint64 number = start;
  gsize length;

  for (guint i = 0; i < PAGE_SIZE && number > 1; i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, --number);
      g_autofree char *subject = g_strdup_printf ("Boiler %" G_GUINT64_FORMAT " leaks in room %u", number, i);
      g_autoptr(RdTicket) ticket = rd_ticket_new (id);

      rd_ticket_set_subject (ticket, subject);
      rd_ticket_set_requester (ticket, "María Pérez");
      rd_ticket_set_requester_phone (ticket, "+34612345678");
      rd_ticket_set_created_at (ticket, now);
      g_list_store_append (page, ticket);
    }
  if (number > 1)
    next = g_strdup_printf ("%" G_GUINT64_FORMAT, number);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_add_value (builder, rd_codec_list_to_node (G_LIST_MODEL (page)));
  json_builder_set_member_name (builder, "next_cursor");
  if (next != NULL)
    json_builder_add_string_value (builder, next);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  length = strlen (text);

  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");

  return line ? strtol (line + 6, NULL, 10) : -1;
}

static gboolean
model_idle (gpointer data)
{
  return !rd_ticket_model_get_loading (RD_TICKET_MODEL (data));
}

static void
bench_rss (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConnection) connection = NULL;
  g_autoptr(RdTicketModel) model = rd_ticket_model_new ();
  g_autofree char *url = NULL;
  long before;
  long after;
  guint n;

  soup_server_add_handler (soup_server, RD_API_PATH_TICKETS, tickets_handler, NULL, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  url = rd_test_fake_server_url (soup_server, "");
  connection = rd_connection_new (url, &error);
  g_assert_no_error (error);
  rd_connection_set_token (connection, "bench");

  before = rss_kib ();
  rd_ticket_model_set_page_size (model, PAGE_SIZE);
  rd_ticket_model_set_connection (model, connection);
  rd_ticket_model_reload (model);
  rd_test_spin_until (model_idle, model, "the first page");
  while (rd_ticket_model_get_has_more (model))
    {
      rd_ticket_model_load_more (model);
      rd_test_spin_until (model_idle, model, "a page");
    }
  after = rss_kib ();
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (rd_ticket_model_get_error (model) != NULL)
    g_error ("The list did not load: %s", rd_ticket_model_get_error (model)->message);

  g_print ("bench-popup: RSS with %u tickets in the list model: %.1f MiB before, %.1f MiB after"
           " (%.2f KiB per ticket)\n",
           n, before / 1024.0, after / 1024.0, n ? (double) (after - before) / n : 0);
}

static const GOptionEntry entries[] = {
  { "calls", 0, 0, G_OPTION_ARG_INT, &opt_calls, "Calls to time (default 20)", "N" },
  { "tickets", 0, 0, G_OPTION_ARG_INT, &opt_tickets, "Tickets in the list (default 100000)", "N" },
  { NULL }
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_calls < 1 || opt_tickets < 1)
    {
      g_printerr ("%s\n", error ? error->message : "--calls and --tickets must be positive");
      return 2;
    }

  rd_test_init_keyring ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      bench_rss ();
      g_print ("bench-popup: no display (run under xvfb-run); popup latency skipped\n");
      return 0;
    }

  /* The RSS is the client's: GTK and libadwaita are loaded first */
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  {
    g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);

    g_settings_set_boolean (settings, "run-in-background", FALSE);
  }

  bench_rss ();
  bench_popup ();

  return 0;
}
