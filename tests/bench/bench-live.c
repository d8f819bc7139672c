/* bench-live.c: latency of the live path, PBX frame to WebSocket client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator runs in this process in load mode (RD_BENCH_LIVE_RATE calls
 * a second, default 100, for RD_BENCH_LIVE_SECONDS, default 30, over
 * RD_BENCH_LIVE_CLIENTS extensions, default 1,000); the real ringdesk-server
 * binary ($RD_SERVER_BINARY) runs as a child with [cti] links=csta to it;
 * one WebSocket client per extension, in this process, subscribed to its
 * extension. For each call the latency is from the simulator's
 * "frame-written" (the CSTA Delivered report reached the socket) to the
 * client at the rung extension receiving call.ringing; both are
 * g_get_monotonic_time() (CLOCK_MONOTONIC) in this process. A baseline in
 * the same run: 1 client, 1 call a second. Printed: p50/p99/max and their
 * ratio to the baseline, the server's CPU time (utime+stime from
 * /proc/PID/stat) and RSS (/proc/PID/status). Not a test: it fails only
 * when a call never reaches its client.
 *
 * RD_BENCH_LIVE_REFERENCE=BINARY adds a reference server (an older build,
 * e.g. of main): each of RD_BENCH_LIVE_ROUNDS rounds (default 1) runs it
 * and then this one, each with its own simulator and data dir, and the
 * summary gives this server's figures as ratios to the reference's, both
 * measured in the same run on the same (shared, busy) machine.
 *
 * The users are written to the store before the server starts (as
 * `ringdesk-server add-user` does); they are agents without an extension
 * (hot desks), which may subscribe to any extension, 25 sockets each (the
 * hub allows 32 a user), so that 1,000 clients need only 40 sign-ins.
 */

#define G_LOG_DOMAIN "RdBenchLive"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "rd-auth.h"
#include "rd-sim.h"
#include "rd-store.h"
#include "rd-test-http.h"
#include "rd-test-live.h"

#define PASSWORD          "benchpass1"
#define SOCKETS_PER_USER  25
#define BASELINE_EXT      "2000"
#define FIRST_EXT         3000
#define BASELINE_SECONDS  5

typedef struct
{
  GHashTable *written;     /* "EXT|CALLING" → gint64* frame-written µs */
  GHashTable *arrived;     /* the same → gint64* arrival µs, when it came first */
  GArray     *latencies;   /* gint64 µs */
  guint       unmatched;
  guint       early;       /* arrived before the sim's write callback ran */
  gboolean    measuring;
} Phase;

typedef struct
{
  RdSim    *sim;
  Phase    *phase;
} Bench;

static char *
call_key (const char *extension,
          const char *calling)
{
  return g_strconcat (extension, "|", calling, NULL);
}

static void
frame_written_cb (RdSimCsta  *csta,
                  RdCtiEvent *event,
                  gint64      usec,
                  Bench      *bench)
{
  g_autofree char *key = NULL;
  gint64 *arrived;
  gint64 *at;

  if (bench->phase == NULL || event->type != RD_CTI_EVENT_RINGING ||
      event->extension == NULL || event->calling == NULL)
    return;

  /* the write callback runs in an idle of this process's loop, the client's
   * read may come before it: the frame was on the wire before the client
   * had it, so the latency is under what can be measured; count it as 0 */
  key = call_key (event->extension, event->calling);
  arrived = g_hash_table_lookup (bench->phase->arrived, key);
  if (arrived != NULL)
    {
      gint64 latency = MAX (*arrived - usec, 0);

      g_array_append_val (bench->phase->latencies, latency);
      bench->phase->early++;
      g_hash_table_remove (bench->phase->arrived, key);
      return;
    }

  at = g_new (gint64, 1);
  *at = usec;
  g_hash_table_replace (bench->phase->written, g_steal_pointer (&key), at);
}

static void
message_cb (JsonObject *message,
            gint64      arrived,
            gpointer    user_data)
{
  Bench *bench = user_data;
  g_autofree char *key = NULL;
  JsonObject *call;
  gint64 *written;
  gint64 latency;

  if (bench->phase == NULL ||
      g_strcmp0 (rd_test_json_string (message, "type"), RD_EVENT_CALL_RINGING) != 0)
    return;

  call = rd_test_json_object (message, "call");
  key = call_key (rd_test_json_string (message, "extension"), rd_test_json_string (call, "from"));
  written = g_hash_table_lookup (bench->phase->written, key);
  if (written == NULL)
    {
      gint64 *at = g_new (gint64, 1);

      *at = arrived;
      g_hash_table_replace (bench->phase->arrived, g_steal_pointer (&key), at);
      return;
    }
  latency = arrived - *written;
  g_array_append_val (bench->phase->latencies, latency);
  g_hash_table_remove (bench->phase->written, key);
}

static Phase *
phase_new (void)
{
  Phase *phase = g_new0 (Phase, 1);

  phase->written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  phase->arrived = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  phase->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  return phase;
}

static void
phase_free (Phase *phase)
{
  g_hash_table_unref (phase->written);
  g_hash_table_unref (phase->arrived);
  g_array_unref (phase->latencies);
  g_free (phase);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Phase, phase_free)

static gint
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, gint64, MIN (i, sorted->len - 1)) / 1000.0;
}

/* utime + stime of @pid, in seconds */
static double
cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  unsigned long utime = 0;
  unsigned long stime = 0;
  const char *rest;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (rest = strrchr (text, ')')) == NULL)
    return 0;
  /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
  if (sscanf (rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return 0;

  return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

/* VmRSS or VmHWM of @pid in kB */
static guint64
memory_kb (GPid        pid,
           const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

/* the figures of one server's load phase */
typedef struct
{
  double  p50;
  double  p99;
  double  max;
  double  cpu;        /* % of one core */
  guint64 rss;        /* kB at the end of the load */
  guint64 hwm;        /* kB, peak */
} Figures;

typedef struct
{
  Bench  *bench;
  guint   expected;
} Drain;

static gboolean
drained_cb (gpointer user_data)
{
  Drain *drain = user_data;
  Phase *phase = drain->bench->phase;

  return phase->latencies->len >= drain->expected &&
         g_hash_table_size (phase->written) == 0 && g_hash_table_size (phase->arrived) == 0;
}

static gboolean
load_done_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Runs the load and returns its figures; @pid's CPU is measured around it. */
static Phase *
run_phase (Bench      *bench,
           GPid        pid,
           const char *name,
           double      rate,
           const char *first,
           const char *last,
           guint       seconds,
           double     *baseline_p50,
           double     *baseline_p99,
           Figures    *figures)
{
  g_autoptr(GError) error = NULL;
  Phase *phase = phase_new ();
  gboolean done = FALSE;
  double cpu_before = cpu_seconds (pid);
  gint64 t0 = g_get_monotonic_time ();
  double cpu;
  double wall;
  double p50, p99, max;
  Drain drain;

  bench->phase = phase;
  g_assert_true (rd_sim_start_load (bench->sim, rate, first, last, seconds, 1, &error));
  g_assert_no_error (error);
  g_timeout_add_seconds (seconds, load_done_cb, &done);
  rd_test_live_wait (flag_cb, &done, seconds + 60);

  drain.bench = bench;
  drain.expected = (guint) (rate * seconds * 0.9);
  if (!rd_test_live_wait (drained_cb, &drain, 30))
    g_printerr ("%s: %u calls rang without reaching their client\n", name,
                g_hash_table_size (phase->written));
  wall = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  cpu = cpu_seconds (pid) - cpu_before;

  g_array_sort (phase->latencies, compare_gint64);
  p50 = percentile_ms (phase->latencies, 0.50);
  p99 = percentile_ms (phase->latencies, 0.99);
  max = percentile_ms (phase->latencies, 1.0);
  if (*baseline_p50 == 0)
    {
      *baseline_p50 = p50;
      *baseline_p99 = p99;
    }
  g_print ("%-34s %7u %8.3f %8.3f %8.3f %8.2f %8.2f %9.1f %10" G_GUINT64_FORMAT "\n",
           name, phase->latencies->len, p50, p99, max,
           *baseline_p50 > 0 ? p50 / *baseline_p50 : 0, *baseline_p99 > 0 ? p99 / *baseline_p99 : 0,
           100.0 * cpu / wall, memory_kb (pid, "VmRSS:"));
  if (figures != NULL)
    {
      figures->p50 = p50;
      figures->p99 = p99;
      figures->max = max;
      figures->cpu = 100.0 * cpu / wall;
      figures->rss = memory_kb (pid, "VmRSS:");
    }
  phase->unmatched = g_hash_table_size (phase->arrived);
  if (phase->unmatched > 0)
    g_print ("  (%u call.ringing without a frame: not counted)\n", phase->unmatched);
  if (phase->early > 0)
    g_print ("  (%u call.ringing read before the simulator's write callback ran: counted as 0 ms)\n",
             phase->early);

  bench->phase = NULL;
  return phase;
}

static guint
env_uint (const char *name,
          guint       fallback,
          guint       min,
          guint       max)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL)
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_printerr ("%s must be a number from %u to %u\n", name, min, max);
      exit (1);
    }
  return (guint) value;
}

static gboolean
server_ready_cb (gpointer user_data)
{
  RdSim *sim = user_data;

  return rd_sim_csta_get_n_monitors (rd_sim_get_csta (sim)) >=
         g_strv_length ((GStrv) rd_sim_pbx_get_stations (rd_sim_get_pbx (sim)));
}

/**
 * run_server:
 * @label: names the server in the output
 *
 * Starts @binary on a fresh data dir with its own simulator, connects the
 * clients, runs the 1-client baseline and the load, and stops it.
 *
 * Returns: %FALSE when no call reached its client
 */
static gboolean
run_server (const char *label,
            const char *binary,
            guint       rate,
            guint       seconds,
            guint       n_clients,
            Figures    *figures)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_test_ws_free);
  g_autoptr(GPtrArray) baseline_clients = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_test_ws_free);
  g_autoptr(GStrvBuilder) stations = g_strv_builder_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(Phase) baseline = NULL;
  g_autoptr(Phase) load = NULL;
  g_auto(GStrv) station_list = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *base = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  const char *trunks[] = { "01", NULL };
  guint n_users = (n_clients + SOCKETS_PER_USER - 1) / SOCKETS_PER_USER + 1;
  double base_p50 = 0, base_p99 = 0;
  Bench bench = { 0 };
  GPid pid;
  gint64 t0;

  g_print ("== %s: %s\n", label, binary);

  /* the PBX: a baseline station and the load's range, known before the
   * server discovers them */
  g_strv_builder_add (stations, BASELINE_EXT);
  for (guint i = 0; i < n_clients; i++)
    {
      g_autofree char *ext = g_strdup_printf ("%u", FIRST_EXT + i);
      g_strv_builder_add (stations, ext);
    }
  station_list = g_strv_builder_end (stations);
  first = g_strdup_printf ("%u", FIRST_EXT);
  last = g_strdup_printf ("%u", FIRST_EXT + n_clients - 1);
  bench.sim = rd_sim_new ();
  rd_sim_set_devices (bench.sim, (const char * const *) station_list, trunks);
  g_assert_true (rd_sim_listen (bench.sim, "127.0.0.1", 0, 0, &error));
  g_assert_no_error (error);
  g_signal_connect (rd_sim_get_csta (bench.sim), "frame-written", G_CALLBACK (frame_written_cb), &bench);

  /* the server's store, config and users */
  dir = g_dir_make_tmp ("rd-bench-live-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (dir, "data", NULL);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  hash = rd_auth_hash_password (PASSWORD, &error);
  g_assert_no_error (error);
  {
    g_autofree char *filename = g_build_filename (data_dir, RD_STORE_FILENAME, NULL);
    g_autoptr(RdStore) store = rd_store_new (filename);

    g_assert_true (rd_store_open (store, &error));
    g_assert_no_error (error);
    for (guint u = 0; u < n_users; u++)
      {
        g_autofree char *username = g_strdup_printf ("desk%03u", u);
        rd_test_add_user (store, username, hash, RD_ROLE_AGENT);
      }
    rd_store_close (store);
  }
  conf = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n[cti]\nlinks=csta\n"
                          "[csta]\nhost=127.0.0.1\nport=%u\n",
                          rd_sim_get_csta_port (bench.sim));
  conf_path = g_build_filename (dir, "server.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, &error));
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, "/dev/null");
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--config", conf_path,
                                         "--data-dir", data_dir, NULL);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while (base == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "ringdesk-server: listening on "))
        base = g_strdup (line + strlen ("ringdesk-server: listening on "));
    }

  t0 = g_get_monotonic_time ();
  if (!rd_test_live_wait (server_ready_cb, bench.sim, 60))
    g_error ("The server did not monitor every station");
  g_print ("server up, %u stations monitored in %.1f s, RSS %" G_GUINT64_FORMAT " kB\n",
           rd_sim_csta_get_n_monitors (rd_sim_get_csta (bench.sim)),
           (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC, memory_kb (pid, "VmRSS:"));

  /* the clients */
  t0 = g_get_monotonic_time ();
  session = soup_session_new ();
  {
    g_autofree char *token = rd_test_sign_in (session, base, "desk000", PASSWORD);
    RdTestWs *ws = rd_test_ws_connect (session, base, token, BASELINE_EXT);

    ws->func = message_cb;
    ws->func_data = &bench;
    g_ptr_array_add (baseline_clients, ws);
  }
  for (guint u = 1; u < n_users; u++)
    {
      g_autofree char *username = g_strdup_printf ("desk%03u", u);
      g_autofree char *token = rd_test_sign_in (session, base, username, PASSWORD);

      for (guint i = (u - 1) * SOCKETS_PER_USER; i < MIN (u * SOCKETS_PER_USER, n_clients); i++)
        {
          g_autofree char *ext = g_strdup_printf ("%u", FIRST_EXT + i);
          RdTestWs *ws = rd_test_ws_connect (session, base, token, ext);

          ws->func = message_cb;
          ws->func_data = &bench;
          g_ptr_array_add (clients, ws);
        }
    }
  rd_test_ws_wait_subscribed (baseline_clients);
  rd_test_ws_wait_subscribed (clients);
  g_print ("%u WebSocket clients subscribed in %.1f s, server RSS %" G_GUINT64_FORMAT " kB\n",
           clients->len + baseline_clients->len,
           (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC, memory_kb (pid, "VmRSS:"));

  g_print ("%-34s %7s %8s %8s %8s %8s %8s %9s %10s\n", "phase (frame -> call.ringing)", "calls",
           "p50 ms", "p99 ms", "max ms", "p50 x", "p99 x", "srv CPU%", "srv RSS kB");
  baseline = run_phase (&bench, pid, "baseline: 1 client, 1 call/s", 1, BASELINE_EXT, BASELINE_EXT,
                        BASELINE_SECONDS, &base_p50, &base_p99, NULL);
  {
    g_autofree char *name = g_strdup_printf ("load: %u clients, %u calls/s", clients->len, rate);

    load = run_phase (&bench, pid, name, rate, first, last, seconds, &base_p50, &base_p99, figures);
  }
  figures->hwm = memory_kb (pid, "VmHWM:");
  g_print ("server peak RSS (VmHWM) %" G_GUINT64_FORMAT " kB, CPU total %.1f s, %ld cores\n",
           figures->hwm, cpu_seconds (pid), sysconf (_SC_NPROCESSORS_ONLN));

  g_ptr_array_set_size (clients, 0);
  g_ptr_array_set_size (baseline_clients, 0);
  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  rd_sim_close (bench.sim);
  g_clear_object (&bench.sim);
  rd_test_remove_tree (dir);

  return load->latencies->len > 0 && baseline->latencies->len > 0;
}

static void
figures_add (Figures       *sum,
             const Figures *figures)
{
  sum->p50 += figures->p50;
  sum->p99 += figures->p99;
  sum->max += figures->max;
  sum->cpu += figures->cpu;
  sum->rss += figures->rss;
  sum->hwm += figures->hwm;
}

static double
ratio (double value,
       double reference)
{
  return reference > 0 ? value / reference : 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *binary = g_getenv ("RD_SERVER_BINARY");
  const char *reference = g_getenv ("RD_BENCH_LIVE_REFERENCE");
  guint rate = env_uint ("RD_BENCH_LIVE_RATE", 100, 1, 1000);
  guint seconds = env_uint ("RD_BENCH_LIVE_SECONDS", 30, 1, 3600);
  guint n_clients = env_uint ("RD_BENCH_LIVE_CLIENTS", 1000, 1, 5000);
  guint rounds = env_uint ("RD_BENCH_LIVE_ROUNDS", 1, 1, 10);
  Figures sum = { 0 };
  Figures ref_sum = { 0 };

  if (binary == NULL)
    {
      g_printerr ("RD_SERVER_BINARY is not set\n");
      return 77;
    }

  /* with a reference server (an older build), the two take turns, so both
   * see the same machine, and the summary is this one against it */
  for (guint r = 0; r < rounds; r++)
    {
      Figures figures = { 0 };

      if (reference != NULL)
        {
          Figures ref = { 0 };

          if (!run_server ("reference server", reference, rate, seconds, n_clients, &ref))
            {
              g_printerr ("No call reached its client (reference server)\n");
              return 1;
            }
          figures_add (&ref_sum, &ref);
        }
      if (!run_server ("server", binary, rate, seconds, n_clients, &figures))
        {
          g_printerr ("No call reached its client\n");
          return 1;
        }
      figures_add (&sum, &figures);
    }

  g_print ("== load, mean of %u round(s): p50 %.3f ms, p99 %.3f ms, max %.3f ms, CPU %.1f %%, "
           "RSS %" G_GUINT64_FORMAT " kB, peak %" G_GUINT64_FORMAT " kB\n",
           rounds, sum.p50 / rounds, sum.p99 / rounds, sum.max / rounds, sum.cpu / rounds,
           sum.rss / rounds, sum.hwm / rounds);
  if (reference != NULL)
    g_print ("== against the reference server in the same run (x = this / reference): "
             "p50 %.2f x, p99 %.2f x, max %.2f x, CPU %.2f x, RSS %.2f x, peak RSS %.2f x\n"
             "   (reference: p50 %.3f ms, p99 %.3f ms, max %.3f ms, CPU %.1f %%)\n",
             ratio (sum.p50, ref_sum.p50), ratio (sum.p99, ref_sum.p99), ratio (sum.max, ref_sum.max),
             ratio (sum.cpu, ref_sum.cpu), ratio (sum.rss, ref_sum.rss), ratio (sum.hwm, ref_sum.hwm),
             ref_sum.p50 / rounds, ref_sum.p99 / rounds, ref_sum.max / rounds, ref_sum.cpu / rounds);

  return 0;
}
