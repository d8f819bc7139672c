/* bench-events.c: publish → receive latency of the event WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real RdServer + RdEventHub (sqlite store in a temp dir, 127.0.0.1 port
 * 0) runs in its own thread and main context; N SoupSession WebSocket
 * clients run in the main thread, each subscribed to its own extension.
 * The server thread publishes M events at R per second, event i to extension
 * i mod N, each carrying the monotonic time of its publish; a client takes
 * the difference on receipt. Printed: p50/p99/max latency, the same for a
 * baseline of one client measured first in the same run and the ratios, the
 * server thread's CPU time, and the process RSS (clients included).
 */

#define G_LOG_DOMAIN "RdBenchEvents"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-event-hub.h"
#include "rd-server.h"

#define FIRST_EXTENSION 1000

typedef struct
{
  guint         n_clients;
  guint         n_events;
  guint         rate;

  GAsyncQueue  *ready;       /* the server thread pushes 1 when listening */
  GMainContext *context;
  GMainLoop    *loop;
  char         *dir;
  char         *uri;
  char         *token;
  RdEventHub   *hub;
  GSource      *publisher;
  gint64        started;     /* monotonic, first publish */
  guint         published;
  double        cpu_start;
  double        cpu_seconds;
  char         *padding;
} Server;

typedef struct
{
  GArray     *latencies;     /* gint64 µs */
  guint       expected;
  gboolean    done;
} Receiver;

static guint opt_clients = 1000;
static guint opt_events = 5000;
static guint opt_rate = 1000;
static guint opt_size = 600;

static double
thread_cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
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

/* server thread */

static void
publish_one (Server *server)
{
  g_autoptr(RdEvent) event = rd_event_new (RD_EVENT_CALL_RINGING);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char extension[16];
  const char *to[] = { extension, NULL };
  g_autofree char *text = NULL;

  g_snprintf (extension, sizeof extension, "%u",
              FIRST_EXTENSION + server->published % server->n_clients);
  rd_event_set_at (event, now);
  rd_event_set_extension (event, extension);
  /* the publish time goes last, so nothing after it delays the stamp */
  text = g_strdup_printf ("%s %" G_GINT64_FORMAT, server->padding, g_get_monotonic_time ());
  rd_event_set_text (event, text);
  rd_event_hub_publish (server->hub, event, to);
  server->published++;
}

static gboolean
all_subscribed (Server *server)
{
  for (guint i = 0; i < server->n_clients; i++)
    {
      char extension[16];

      g_snprintf (extension, sizeof extension, "%u", FIRST_EXTENSION + i);
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
      server->cpu_start = thread_cpu_seconds ();
    }

  /* keep the rate whatever the timer's jitter */
  due = (guint64) (now - server->started) * server->rate / G_USEC_PER_SEC + 1;
  while (server->published < server->n_events && server->published < due)
    publish_one (server);

  if (server->published < server->n_events)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&server->publisher, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
start_cb (gpointer user_data)
{
  Server *server = user_data;

  server->publisher = g_timeout_source_new (1);
  g_source_set_callback (server->publisher, publish_cb, server, NULL);
  g_source_attach (server->publisher, server->context);

  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Server *server = user_data;

  server->cpu_seconds = thread_cpu_seconds () - server->cpu_start;
  g_main_loop_quit (server->loop);

  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer user_data)
{
  Server *server = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(RdStore) store = NULL;
  g_autoptr(RdAuth) auth = NULL;
  g_autoptr(RdMetrics) metrics = NULL;
  g_autoptr(RdServer) http = NULL;
  g_autoptr(RdUser) user = rd_user_new ("bench");
  const char *roles[] = { RD_ROLE_SUPERVISOR, NULL };

  g_main_context_push_thread_default (server->context);

  server->dir = g_dir_make_tmp ("rd-bench-events-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (server->dir, "ringdesk.db", NULL);
  store = rd_store_new (path);
  g_assert_true (rd_store_open (store, &error));
  rd_user_set_roles (user, roles);
  hash = rd_auth_hash_password ("benchmark-password", &error);
  g_assert_true (rd_store_add_user (store, user, hash, &error));
  auth = rd_auth_new (store, 3600);
  server->token = rd_auth_issue_token (auth, user, &error);
  g_assert_no_error (error);

  metrics = rd_metrics_new ();
  http = rd_server_new (auth, metrics, 1024 * 1024);
  server->hub = rd_event_hub_new (http);
  /* a burst to one client must not look slow */
  rd_event_hub_set_max_queued (server->hub, 64 * 1024 * 1024);
  g_assert_true (rd_server_listen (http, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  server->uri = rd_server_get_uri (http);

  g_async_queue_push (server->ready, GUINT_TO_POINTER (1));
  g_main_loop_run (server->loop);

  if (server->publisher != NULL)
    {
      g_source_destroy (server->publisher);
      g_clear_pointer (&server->publisher, g_source_unref);
    }
  rd_server_disconnect (http);
  g_clear_object (&server->hub);
  g_clear_object (&http);
  while (g_main_context_iteration (server->context, FALSE))
    ;
  g_clear_object (&store);
  path[0] = '\0';
  {
    g_autoptr(GDir) dir = g_dir_open (server->dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (server->dir, name, NULL);
        g_unlink (child);
      }
    g_rmdir (server->dir);
  }

  g_main_context_pop_thread_default (server->context);

  return NULL;
}

/* clients, in the main thread */

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
} Connect;

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

  object = rd_json_parse_object (data, (gssize) length, NULL);
  if (object == NULL || !rd_json_get_string (object, "text", RD_JSON_REQUIRED, &text, NULL))
    g_error ("unexpected message: %.*s", (int) MIN (length, 200), data);
  stamp = strrchr (text, ' ');
  latency = now - g_ascii_strtoll (stamp != NULL ? stamp + 1 : text, NULL, 10);
  g_array_append_val (receiver->latencies, latency);
  if (receiver->latencies->len == receiver->expected)
    receiver->done = TRUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  double p50;
  double p99;
  double max;
  double cpu;
  double rss_idle;
  double rss_clients;
} Result;

static void
run (guint   n_clients,
     Result *result)
{
  Server server = { 0 };
  Receiver receiver = { 0 };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree Connect *connects = g_new0 (Connect, n_clients);
  g_autofree char *ws_uri = NULL;
  GThread *thread;
  guint done = 0;
  gint64 *sorted;
  guint n;

  server.n_clients = n_clients;
  server.n_events = opt_events;
  server.rate = opt_rate;
  server.ready = g_async_queue_new ();
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  server.padding = g_strnfill (opt_size, 'p');

  thread = g_thread_new ("bench-server", server_thread, &server);
  g_async_queue_pop (server.ready);
  result->rss_idle = rss_mib ();

  session = soup_session_new_with_options ("max-conns", n_clients + 16,
                                           "max-conns-per-host", n_clients + 16,
                                           NULL);
  ws_uri = g_strconcat ("ws", server.uri + strlen ("http"), RD_API_PATH_EVENTS + 1, NULL);

  for (guint i = 0; i < n_clients; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", ws_uri);
      g_autofree char *value = g_strdup_printf ("Bearer %s", server.token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connect_cb, &connects[i]);
    }
  while (done < n_clients)
    {
      g_main_context_iteration (NULL, TRUE);
      for (done = 0; done < n_clients && connects[done].done; done++)
        ;
    }

  receiver.latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), opt_events);
  receiver.expected = opt_events;
  for (guint i = 0; i < n_clients; i++)
    {
      char extension[16];
      const char *exts[] = { extension, NULL };
      g_autofree char *subscribe = NULL;

      if (connects[i].error != NULL)
        g_error ("client %u: %s", i, connects[i].error->message);
      g_snprintf (extension, sizeof extension, "%u", FIRST_EXTENSION + i);
      subscribe = rd_event_build_subscribe (exts);
      g_signal_connect (connects[i].conn, "message", G_CALLBACK (message_cb), &receiver);
      soup_websocket_connection_send_text (connects[i].conn, subscribe);
      g_ptr_array_add (conns, connects[i].conn);
    }
  result->rss_clients = rss_mib ();

  g_main_context_invoke (server.context, start_cb, &server);
  while (!receiver.done)
    g_main_context_iteration (NULL, TRUE);

  g_main_context_invoke (server.context, stop_cb, &server);
  g_thread_join (thread);
  result->cpu = server.cpu_seconds;

  n = receiver.latencies->len;
  sorted = (gint64 *) (gpointer) receiver.latencies->data;
  qsort (sorted, n, sizeof (gint64), compare_gint64);
  result->p50 = sorted[n / 2] / 1000.0;
  result->p99 = sorted[MIN (n - 1, (n * 99) / 100)] / 1000.0;
  result->max = sorted[n - 1] / 1000.0;

  for (guint i = 0; i < conns->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (conns, i);

      g_signal_handlers_disconnect_by_data (conn, &receiver);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_pointer (&conns, g_ptr_array_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_array_unref (receiver.latencies);
  g_async_queue_unref (server.ready);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_free (server.dir);
  g_free (server.uri);
  g_free (server.token);
  g_free (server.padding);
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

  run (1, &base);
  run (opt_clients, &many);

  g_print ("bench-events: %u events at %u/s, %u bytes of padding, server and clients in one process (%u CPUs)\n",
           opt_events, opt_rate, opt_size, g_get_num_processors ());
  g_print ("  baseline, 1 client:  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  server CPU %.2f s\n",
           base.p50, base.p99, base.max, base.cpu);
  g_print ("  %u clients:%*s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  server CPU %.2f s\n",
           opt_clients, (int) (10 - MIN (10, (guint) log10 (opt_clients) + 1)), "",
           many.p50, many.p99, many.max, many.cpu);
  g_print ("  ratio to baseline:   p50 x%.2f  p99 x%.2f  max x%.2f  CPU x%.2f\n",
           many.p50 / MAX (base.p50, 0.001), many.p99 / MAX (base.p99, 0.001),
           many.max / MAX (base.max, 0.001), many.cpu / MAX (base.cpu, 0.001));
  g_print ("  RSS: %.1f MiB with the server idle, %.1f MiB with %u clients connected "
           "(%.1f KiB per client, both ends)\n",
           many.rss_idle, many.rss_clients, opt_clients,
           (many.rss_clients - many.rss_idle) * 1024.0 / opt_clients);

  return 0;
}
