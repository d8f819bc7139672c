/* bench-tickets.c: ticket routes on a store of 1,000,000 tickets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a store (rd_test_fill_tickets(), RD_BENCH_TICKETS tickets, default
 * 1,000,000), runs the real ringdesk-server binary on it ($RD_SERVER_BINARY)
 * and drives it with CONCURRENCY requests in flight over keep-alive
 * connections. For each route: requests/s, the ratio to GET /healthz
 * measured in the same run, the server's CPU time per request (utime+stime
 * from /proc) and its resident memory after the phase. Not a test: it
 * asserts only that every reply is the expected status.
 */

#define G_LOG_DOMAIN "RdBenchTickets"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <unistd.h>

#include "rd-auth.h"
#include "rd-common.h"
#include "rd-store.h"
#include "rd-test-fill.h"
#include "rd-test-http.h"

#define CONCURRENCY 8
#define PASSWORD    "benchpass1"

typedef struct
{
  const char *name;
  const char *method;
  const char *path;      /* NULL: GET /tickets/{random} */
  const char *body;
  guint       status;
  guint       requests;
} Phase;

typedef struct
{
  SoupSession *session;
  char        *base;
  char        *token;
  GRand       *rand;
  guint64      n_tickets;
  const Phase *phase;
  guint        started;
  guint        done;
  GMainLoop   *loop;
} Bench;

static void send_one (Bench *bench);

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SoupMessage *msg = user_data;
  Bench *bench = g_object_get_data (G_OBJECT (msg), "bench");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  if (soup_message_get_status (msg) != bench->phase->status)
    g_error ("%s: status %u: %.*s", bench->phase->name, soup_message_get_status (msg),
             (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
  g_object_unref (msg);

  bench->done++;
  if (bench->started < bench->phase->requests)
    send_one (bench);
  else if (bench->done == bench->phase->requests)
    g_main_loop_quit (bench->loop);
}

static void
send_one (Bench *bench)
{
  const Phase *phase = bench->phase;
  g_autofree char *uri = NULL;
  g_autofree char *auth = g_strdup_printf ("Bearer %s", bench->token);
  SoupMessage *msg;

  if (phase->path != NULL)
    uri = g_strconcat (bench->base, phase->path + 1, NULL);
  else
    uri = g_strdup_printf ("%sapi/v1/tickets/%" G_GUINT64_FORMAT, bench->base,
                           (guint64) g_rand_int_range (bench->rand, 1, (gint32) MIN (bench->n_tickets, G_MAXINT32)));

  msg = soup_message_new (phase->method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (phase->body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (phase->body, strlen (phase->body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  g_object_set_data (G_OBJECT (msg), "bench", bench);

  bench->started++;
  soup_session_send_and_read_async (bench->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, msg);
}

/* utime + stime of @pid, in seconds */
static double
cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  after = strrchr (text, ')');
  g_assert_nonnull (after);
  fields = g_strsplit (after + 2, " ", -1);
  /* fields from "state": utime is the 12th, stime the 13th */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static char *
status_field (const char *pid,
              const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], name))
        return g_strstrip (g_strdup (lines[i] + strlen (name) + 1));
    }

  return g_strdup ("?");
}

int
main (int   argc,
      char *argv[])
{
  static const Phase phases[] = {
    { "GET /healthz (baseline)", "GET", "/healthz", NULL, 200, 4000 },
    { "GET /tickets?limit=50", "GET", "/api/v1/tickets?limit=50", NULL, 200, 1000 },
    { "GET /tickets/{n}", "GET", NULL, NULL, 200, 4000 },
    { "POST /tickets", "POST", "/api/v1/tickets", "{\"subject\":\"Bench boiler leak\",\"area\":\"area-01\"}",
      201, 2000 },
    /* two of the 30 words of the fill: matches a few % of the store */
    { "GET /tickets?state=open&q=boiler+leak", "GET", "/api/v1/tickets?state=open&q=boiler%20leak&limit=50",
      NULL, 200, 200 },
    /* a number that appears in few tickets (requester, description, number) */
    { "GET /tickets?state=open&q=4242", "GET", "/api/v1/tickets?state=open&q=4242&limit=50",
      NULL, 200, 500 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *hash = NULL;
  const char *env = g_getenv ("RD_BENCH_TICKETS");
  const char *binary = g_getenv ("RD_SERVER_BINARY");
  const char *pid;
  double baseline = 0;
  Bench bench = { 0 };
  gint64 t0;

  if (binary == NULL)
    {
      g_printerr ("RD_SERVER_BINARY is not set\n");
      return 77;
    }

  bench.n_tickets = 1000000;
  if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 1000, 100000000, &bench.n_tickets, NULL))
    {
      g_printerr ("RD_BENCH_TICKETS must be a number from 1000\n");
      return 1;
    }

  dir = g_dir_make_tmp ("rd-bench-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (dir, "data", NULL);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  filename = g_build_filename (data_dir, RD_STORE_FILENAME, NULL);
  hash = rd_auth_hash_password (PASSWORD, &error);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  {
    g_autoptr(RdStore) store = rd_store_new (filename);

    g_assert_true (rd_store_open (store, &error));
    g_assert_no_error (error);
    rd_test_add_user (store, "bench", hash, RD_ROLE_SUPERVISOR);
    rd_test_fill_tickets (store, (guint) bench.n_tickets, 1);
    rd_store_close (store);
  }
  g_print ("store: %" G_GUINT64_FORMAT " tickets, filled in %.1f s\n", bench.n_tickets,
           (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, "/dev/null");
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", "127.0.0.1:0",
                                         "--data-dir", data_dir, NULL);
  g_assert_no_error (error);
  pid = g_subprocess_get_identifier (process);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "ringdesk-server: listening on "))
        {
          bench.base = g_strdup (line + strlen ("ringdesk-server: listening on "));
          break;
        }
    }

  bench.session = soup_session_new_with_options ("max-conns", CONCURRENCY * 2,
                                                 "max-conns-per-host", CONCURRENCY, NULL);
  bench.token = rd_test_sign_in (bench.session, bench.base, "bench", PASSWORD);
  bench.rand = g_rand_new_with_seed (2);
  {
    g_autofree char *rss = status_field (pid, "VmRSS");
    g_print ("server started: RSS %s\n", rss);
  }

  g_print ("%-40s %10s %9s %14s %12s\n", "route", "req/s", "ratio", "CPU us/req", "RSS after");
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      double cpu_before = cpu_seconds (pid);
      g_autofree char *rss = NULL;
      double seconds;
      double rate;
      double cpu;

      bench.phase = &phases[i];
      bench.started = 0;
      bench.done = 0;
      bench.loop = g_main_loop_new (NULL, FALSE);
      t0 = g_get_monotonic_time ();
      for (guint c = 0; c < CONCURRENCY; c++)
        send_one (&bench);
      g_main_loop_run (bench.loop);
      seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
      g_clear_pointer (&bench.loop, g_main_loop_unref);

      cpu = cpu_seconds (pid) - cpu_before;
      rate = phases[i].requests / seconds;
      if (i == 0)
        baseline = rate;
      rss = status_field (pid, "VmRSS");
      g_print ("%-40s %10.0f %9.3f %14.0f %12s\n", phases[i].name, rate, rate / baseline,
               cpu * G_USEC_PER_SEC / phases[i].requests, rss);
    }

  {
    g_autofree char *hwm = status_field (pid, "VmHWM");
    g_print ("server peak RSS (VmHWM): %s\n", hwm);
  }

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_clear_object (&bench.session);
  g_free (bench.base);
  g_free (bench.token);
  g_rand_free (bench.rand);
  rd_test_remove_tree (dir);

  return 0;
}
