/* bench-events.c: publish → receive latency of the event WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real RdServer + RdEventHub (sqlite store in a temp dir, 127.0.0.1 port
 * 0) runs in this process; N SoupSession WebSocket clients run in a child
 * process (this program again, with --connect), each subscribed to its own
 * extension. The server publishes M events at R per second, event i to
 * extension i mod N, each carrying the monotonic time of its publish
 * (CLOCK_MONOTONIC is shared by the processes); a client takes the
 * difference on receipt. Printed: p50/p99/max latency, the same for a
 * baseline of one client measured first in the same run and the ratios, the
 * server's CPU time while publishing, and the RSS of the server and of the
 * clients' process.
 */

#define G_LOG_DOMAIN "RdBenchEvents"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-event-hub.h"
#include "rd-server.h"
#include "rd-test-http.h"

#define FIRST_EXTENSION 1000
#define MAX_CONNECTING  64

static guint opt_clients = 1000;
static guint opt_events = 5000;
static guint opt_rate = 1000;
static guint opt_size = 600;
static char *opt_connect = NULL;

static double
cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;

  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return 0;

  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

static void
extension_name (char  *buffer,
                gsize  size,
                guint  i)
{
  g_snprintf (buffer, size, "%u", FIRST_EXTENSION + i);
}

/* the clients: a child process */

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
} Connect;

typedef struct
{
  GArray *latencies;     /* gint64 µs */
  guint   expected;
  guint   acked;         /* "subscribed" acknowledgements */
} Receiver;

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Connect *connect = user_data;

  connect->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                         &connect->error);
  connect->done = TRUE;
}

static void
message_cb (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            Receiver                *receiver)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(JsonObject) object = NULL;
  const char *text = NULL;
  const char *stamp;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  gint64 latency;
  g_auto(GStrv) acked = NULL;

  object = rd_json_parse_object (data, (gssize) length, NULL);
  if (object == NULL || !rd_json_get_string (object, "text", RD_JSON_REQUIRED, &text, NULL))
    {
      /* the one message that is not an event: the subscribe's acknowledgement */
      if (!rd_event_parse_subscribed (data, (gssize) length, &acked, NULL))
        g_error ("unexpected message: %.*s", (int) MIN (length, 200), data);
      receiver->acked++;
      return;
    }
  stamp = strrchr (text, ' ');
  latency = now - g_ascii_strtoll (stamp != NULL ? stamp + 1 : text, NULL, 10);
  g_array_append_val (receiver->latencies, latency);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Connects opt_clients clients to opt_connect with the token on stdin,
 * waits for opt_events events and prints "p50 p99 max" in µs, the RSS in MiB
 * and the CPU seconds spent receiving. */
static int
run_clients (void)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree Connect *connects = g_new0 (Connect, opt_clients);
  char token[256];
  Receiver receiver = { 0 };
  double cpu_start = 0;
  gint64 *sorted;
  guint done = 0;
  guint n;

  if (fgets (token, sizeof token, stdin) == NULL)
    g_error ("no token on standard input");
  token[strcspn (token, "\r\n")] = '\0';

  /* no timeout: on a loaded machine 1000 handshakes may take a while */
  session = soup_session_new_with_options ("max-conns", opt_clients + 16,
                                           "max-conns-per-host", opt_clients + 16,
                                           "timeout", 0,
                                           NULL);
  /* at most MAX_CONNECTING handshakes at a time */
  for (guint started = 0; done < opt_clients; )
    {
      while (started < opt_clients && started - done < MAX_CONNECTING)
        {
          g_autoptr(SoupMessage) msg = soup_message_new ("GET", opt_connect);
          g_autofree char *value = g_strdup_printf ("Bearer %s", token);

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
          soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                                connect_cb, &connects[started]);
          started++;
        }
      g_main_context_iteration (NULL, TRUE);
      while (done < started && connects[done].done)
        done++;
    }

  receiver.latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), opt_events);
  receiver.expected = opt_events;
  for (guint i = 0; i < opt_clients; i++)
    {
      char extension[16];
      const char *exts[] = { extension, NULL };
      g_autofree char *subscribe = NULL;

      if (connects[i].error != NULL)
        g_error ("client %u: %s", i, connects[i].error->message);
      extension_name (extension, sizeof extension, i);
      subscribe = rd_event_build_subscribe (exts);
      g_signal_connect (connects[i].conn, "message", G_CALLBACK (message_cb), &receiver);
      soup_websocket_connection_send_text (connects[i].conn, subscribe);
      g_ptr_array_add (conns, connects[i].conn);
    }

  /* from the first event on */
  while (receiver.latencies->len == 0)
    g_main_context_iteration (NULL, TRUE);
  cpu_start = cpu_seconds ();
  while (receiver.latencies->len < receiver.expected)
    g_main_context_iteration (NULL, TRUE);
  /* every subscription was acknowledged before its first event */
  if (receiver.acked != opt_clients)
    g_error ("%u of %u subscriptions acknowledged", receiver.acked, opt_clients);

  n = receiver.latencies->len;
  sorted = (gint64 *) (gpointer) receiver.latencies->data;
  qsort (sorted, n, sizeof (gint64), compare_gint64);
  g_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %.1f %.2f\n",
           sorted[n / 2], sorted[MIN (n - 1, (n * 99) / 100)], sorted[n - 1], rss_mib (),
           cpu_seconds () - cpu_start);

  for (guint i = 0; i < conns->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (conns, i), &receiver);
  g_array_unref (receiver.latencies);

  return 0;
}

/* the server: this process */

typedef struct
{
  guint       n_clients;
  guint       subscribed;  /* clients known to have subscribed */
  RdEventHub *hub;
  GSource    *publisher;
  gint64      started;     /* monotonic, first publish */
  guint       published;
  double      cpu_start;
  char       *padding;

  gboolean    done;
  char       *output;
  GError     *error;
} Server;

typedef struct
{
  double p50;          /* ms */
  double p99;
  double max;
  double cpu;          /* server CPU seconds while publishing */
  double rss_server;   /* MiB, clients connected */
  double rss_clients;  /* MiB, the clients' process */
  double cpu_clients;  /* the clients' process while receiving */
} Result;

static void
publish_one (Server *server)
{
  g_autoptr(RdEvent) event = rd_event_new (RD_EVENT_CALL_RINGING);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char extension[16];
  const char *to[] = { extension, NULL };
  g_autofree char *text = NULL;

  extension_name (extension, sizeof extension, server->published % server->n_clients);
  rd_event_set_at (event, now);
  rd_event_set_extension (event, extension);
  /* the publish time goes last, so nothing after it delays the stamp */
  text = g_strdup_printf ("%s %" G_GINT64_FORMAT, server->padding, g_get_monotonic_time ());
  rd_event_set_text (event, text);
  rd_event_hub_publish (server->hub, event, to);
  server->published++;
}

/* Whether every client has subscribed; walks on from where it stopped. */
static gboolean
all_subscribed (Server *server)
{
  for (; server->subscribed < server->n_clients; server->subscribed++)
    {
      char extension[16];

      extension_name (extension, sizeof extension, server->subscribed);
      if (rd_event_hub_get_n_subscribers (server->hub, extension) == 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
publish_cb (gpointer user_data)
{
  Server *server = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 due;

  if (server->started == 0)
    {
      if (!all_subscribed (server))
        return G_SOURCE_CONTINUE;
      server->started = now;
      server->cpu_start = cpu_seconds ();
    }

  /* keep the rate whatever the timer's jitter */
  due = (guint64) (now - server->started) * opt_rate / G_USEC_PER_SEC + 1;
  while (server->published < opt_events && server->published < due)
    publish_one (server);

  if (server->published < opt_events)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&server->publisher, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Server *server = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &server->output, NULL, &server->error);
  server->done = TRUE;
}

static void
run (guint   n_clients,
     Result *result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rd-bench-events-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *ws_uri = NULL;
  g_autofree char *input = NULL;
  g_autofree char *clients_arg = g_strdup_printf ("%u", n_clients);
  g_autofree char *events_arg = g_strdup_printf ("%u", opt_events);
  g_autoptr(RdStore) store = NULL;
  g_autoptr(RdAuth) auth = NULL;
  g_autoptr(RdMetrics) metrics = NULL;
  g_autoptr(RdServer) http = NULL;
  g_autoptr(RdUser) user = rd_user_new ("bench");
  g_autoptr(GSubprocess) child = NULL;
  g_auto(GStrv) figures = NULL;
  const char *roles[] = { RD_ROLE_SUPERVISOR, NULL };
  Server server = { 0 };

  g_assert_no_error (error);
  path = g_build_filename (dir, "ringdesk.db", NULL);
  store = rd_store_new (path);
  g_assert_true (rd_store_open (store, &error));
  rd_user_set_roles (user, roles);
  hash = rd_auth_hash_password ("benchmark-password", &error);
  g_assert_true (rd_store_add_user (store, user, hash, &error));
  auth = rd_auth_new (store, 3600);
  token = rd_auth_issue_token (auth, user, &error);
  g_assert_no_error (error);

  metrics = rd_metrics_new ();
  http = rd_server_new (auth, metrics, 1024 * 1024);
  server.hub = rd_event_hub_new (http);
  /* a burst to one client must not look slow */
  rd_event_hub_set_max_queued (server.hub, 64 * 1024 * 1024);
  /* all the clients are one user here */
  rd_event_hub_set_max_per_user (server.hub, n_clients);
  g_assert_true (rd_server_listen (http, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  uri = rd_server_get_uri (http);
  ws_uri = g_strconcat ("ws", uri + strlen ("http"), RD_API_PATH_EVENTS + 1, NULL);

  server.n_clients = n_clients;
  server.padding = g_strnfill (opt_size, 'p');

  /* the token goes on stdin, not on a command line */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            "/proc/self/exe", "--connect", ws_uri, "--clients", clients_arg,
                            "--events", events_arg, NULL);
  g_assert_no_error (error);
  input = g_strconcat (token, "\n", NULL);
  g_subprocess_communicate_utf8_async (child, input, NULL, communicate_cb, &server);

  server.publisher = g_timeout_source_new (1);
  g_source_set_callback (server.publisher, publish_cb, &server, NULL);
  g_source_attach (server.publisher, NULL);

  while (!server.done)
    g_main_context_iteration (NULL, TRUE);
  result->cpu = cpu_seconds () - server.cpu_start;
  result->rss_server = rss_mib ();

  g_assert_no_error (server.error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  figures = g_strsplit (g_strstrip (server.output), " ", -1);
  g_assert_cmpuint (g_strv_length (figures), ==, 5);
  result->p50 = g_ascii_strtod (figures[0], NULL) / 1000.0;
  result->p99 = g_ascii_strtod (figures[1], NULL) / 1000.0;
  result->max = g_ascii_strtod (figures[2], NULL) / 1000.0;
  result->rss_clients = g_ascii_strtod (figures[3], NULL);
  result->cpu_clients = g_ascii_strtod (figures[4], NULL);

  if (server.publisher != NULL)
    {
      g_source_destroy (server.publisher);
      g_clear_pointer (&server.publisher, g_source_unref);
    }
  rd_server_disconnect (http);
  g_clear_object (&server.hub);
  g_clear_object (&http);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&store);
  rd_test_remove_tree (dir);
  g_free (server.padding);
  g_free (server.output);
}

static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- event WebSocket latency");
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "clients", 'n', 0, G_OPTION_ARG_INT, &opt_clients, "WebSocket clients (default 1000)", "N" },
    { "events", 'm', 0, G_OPTION_ARG_INT, &opt_events, "Events to publish (default 5000)", "M" },
    { "rate", 'r', 0, G_OPTION_ARG_INT, &opt_rate, "Events per second (default 1000)", "R" },
    { "size", 's', 0, G_OPTION_ARG_INT, &opt_size, "Bytes of padding per event (default 600)", "B" },
    { "connect", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_connect,
      "Run the clients against this URI (the token on stdin)", "URI" },
    { NULL }
  };
  Result base = { 0 };
  Result many = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_clients < 1 || opt_events < 1 || opt_rate < 1)
    {
      g_printerr ("--clients, --events and --rate must be 1 or more\n");
      return 2;
    }
  raise_fd_limit ();

  if (opt_connect != NULL)
    return run_clients ();

  run (1, &base);
  run (opt_clients, &many);

  g_print ("bench-events: %u events at %u/s, %u bytes of padding, clients in a second process (%u CPUs)\n",
           opt_events, opt_rate, opt_size, g_get_num_processors ());
  g_print ("  baseline, 1 client:  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  CPU server %.2f s, clients %.2f s\n",
           base.p50, base.p99, base.max, base.cpu, base.cpu_clients);
  g_print ("  %5u clients:       p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  CPU server %.2f s, clients %.2f s\n",
           opt_clients, many.p50, many.p99, many.max, many.cpu, many.cpu_clients);
  g_print ("  ratio to baseline:   p50 x%.2f  p99 x%.2f  max x%.2f  CPU x%.2f\n",
           many.p50 / MAX (base.p50, 0.001), many.p99 / MAX (base.p99, 0.001),
           many.max / MAX (base.max, 0.001), many.cpu / MAX (base.cpu, 0.001));
  g_print ("  RSS: server %.1f MiB with 1 client, %.1f MiB with %u (%.1f KiB per client); "
           "clients' process %.1f MiB\n",
           base.rss_server, many.rss_server, opt_clients,
           (many.rss_server - base.rss_server) * 1024.0 / MAX (opt_clients - 1, 1),
           many.rss_clients);

  g_free (opt_connect);
  return 0;
}
