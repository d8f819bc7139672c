/* main.c: ringdesk-pbx-sim, a Panasonic KX-NS PBX simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdPbxSim"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "rd-common.h"
#include "rd-sim.h"

#define EXIT_USAGE 2

typedef struct
{
  RdSim            *sim;
  GMainLoop        *loop;
  GDataInputStream *input;
  GCancellable     *cancellable;
  int               status;
  guint             sigint_id;
  guint             sigterm_id;
} App;

static char *opt_listen = NULL;
static int opt_csta_port = RD_SIM_DEFAULT_CSTA_PORT;
static int opt_smdr_port = RD_SIM_DEFAULT_SMDR_PORT;
static char *opt_smdr_password = NULL;
static char *opt_smdr_layout = NULL;
static char *opt_date_order = NULL;
static char *opt_ext_text = NULL;
static char *opt_webhook = NULL;
static char *opt_stations = NULL;
static char *opt_trunks = NULL;
static char **opt_scenarios = NULL;
static double opt_load = 0;
static char *opt_range = NULL;
static int opt_seconds = 60;
static gint64 opt_seed = 1;
static char *opt_demo = NULL;
static char *opt_rtp = NULL;
static double opt_speed = 1.0;
static int opt_keepalive = 5000;

static const GOptionEntry entries[] = {
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    "Address to listen on (default 127.0.0.1)", "HOST" },
  { "csta-port", 0, 0, G_OPTION_ARG_INT, &opt_csta_port,
    "CSTA port (default 33333; 0 = any free port)", "PORT" },
  { "smdr-port", 0, 0, G_OPTION_ARG_INT, &opt_smdr_port,
    "SMDR port (default 2300; 0 = any free port)", "PORT" },
  { "smdr-password", 0, 0, G_OPTION_ARG_STRING, &opt_smdr_password,
    "SMDR login password (default PCCSMDR)", "PASSWORD" },
  { "smdr-layout", 0, 0, G_OPTION_ARG_STRING, &opt_smdr_layout,
    "SMDR record pattern: a, b or c (default a)", "a|b|c" },
  { "date-order", 0, 0, G_OPTION_ARG_STRING, &opt_date_order,
    "SMDR date order (default mdy)", "mdy|dmy" },
  { "ext-text", 0, 0, G_OPTION_ARG_FILENAME, &opt_ext_text,
    "Also write Call Monitor ExtText files (<ext>.txt) into DIR", "DIR" },
  { "webhook", 0, 0, G_OPTION_ARG_STRING, &opt_webhook,
    "Also POST the calls to a Zammad generic CTI webhook", "URL" },
  { "stations", 0, 0, G_OPTION_ARG_STRING, &opt_stations,
    "Extensions of the PBX (default 201-210)", "LIST" },
  { "trunks", 0, 0, G_OPTION_ARG_STRING, &opt_trunks,
    "Trunks (CO lines) of the PBX (default 01-04)", "LIST" },
  { "scenario", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_scenarios,
    "Play a scenario file (repeatable)", "FILE" },
  { "load", 0, 0, G_OPTION_ARG_DOUBLE, &opt_load,
    "Load mode: R incoming calls per second", "R" },
  { "range", 0, 0, G_OPTION_ARG_STRING, &opt_range,
    "Load mode: the extensions called, e.g. 301-350", "A-B" },
  { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds,
    "Load mode: for how long calls arrive (default 60)", "S" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed,
    "Load mode: random seed (default 1)", "N" },
  { "demo", 0, 0, G_OPTION_ARG_STRING, &opt_demo,
    "Demo traffic, regularly ringing extension EXT", "EXT" },
  { "rtp", 0, 0, G_OPTION_ARG_STRING, &opt_rtp,
    "Send G.711 µ-law RTP of answered calls to HOST:PORT (default off)", "HOST:PORT" },
  { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &opt_speed,
    "PBX seconds per real second (default 1)", "F" },
  { "keepalive", 0, 0, G_OPTION_ARG_INT, &opt_keepalive,
    "CSTA keepalive interval (default 5000; 0 = never)", "MS" },
  { NULL }
};

static const char description[] =
  "ringdesk-pbx-sim plays a Panasonic KX-NS PBX for Ringdesk: it answers CSTA\n"
  "Phase III clients on the CSTA port (ACSE login, device discovery, monitors,\n"
  "event reports, MakeCall, DeflectCall, SnapshotDevice, CDR), logs SMDR clients\n"
  "in on the SMDR port and prints call records to them, and can write Call\n"
  "Monitor ExtText files and send RTP audio of answered calls.\n"
  "\n"
  "When it listens it prints one line on standard output:\n"
  "  ringdesk-pbx-sim: csta port N smdr port M\n"
  "\n"
  "Commands, one a line on standard input (answered by \"ok …\" or \"error: …\"):\n"
  "  call FROM EXT [DDI]   an incoming call from FROM rings EXT\n"
  "  dial EXT TO           click-to-dial from EXT to TO\n"
  "  internal EXT TO       EXT calls station TO\n"
  "  answer EXT            EXT answers the call ringing there\n"
  "  divert EXT TO         the call ringing at EXT moves to TO\n"
  "  hold EXT | retrieve EXT\n"
  "  transfer EXT TO       blind transfer of EXT's call to TO\n"
  "  hangup EXT            EXT's call ends (a ringing call is abandoned)\n"
  "  drop                  close every CSTA and SMDR connection\n"
  "  keepalives off|on     stop or resume CSTA keepalives\n"
  "  garbage               send a malformed frame/line to every client\n"
  "  restart MS            close, and listen again on the same ports after MS ms\n"
  "  scenario FILE         play a scenario file\n"
  "  quit                  exit\n"
  "\n"
  "Scenario files (see docs/sim.md; examples in " RD_SIM_SCENARIO_INSTALL_DIR "):\n"
  "  call in 0612345678 trunk 01 ddi 912345678 at 5s\n"
  "    ring 201 10s\n"
  "    divert 202 5s\n"
  "    answer 30s\n"
  "    hangup\n"
  "\n"
  "Examples:\n"
  "  ringdesk-pbx-sim --scenario hunt.scn --speed 10\n"
  "  ringdesk-pbx-sim --load 20 --range 301-350 --seconds 120 --seed 7\n"
  "  ringdesk-pbx-sim --demo 201 --rtp 127.0.0.1:5004\n"
  "\n"
  "SIGINT and SIGTERM exit cleanly.";

static void
reply (const char *format,
       ...) G_GNUC_PRINTF (1, 2);

static void
reply (const char *format,
       ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static gboolean
on_signal (gpointer user_data)
{
  App *app = user_data;

  g_main_loop_quit (app->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_scenario_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (source));
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        reply ("error: cannot read scenario %s: %s", name, error->message);
      return;
    }

  scenario = rd_sim_scenario_new_from_data (name, contents, (gssize) length, &error);
  if (scenario == NULL || !rd_sim_run_scenario (app->sim, scenario, &error))
    {
      reply ("error: %s", error->message);
      return;
    }
  reply ("ok scenario %s (%u calls)", name, rd_sim_scenario_get_n_calls (scenario));
}

/* the call to act on at @extension: ringing there, or else any */
static char *
find_call (App        *app,
           const char *extension,
           gboolean    ringing)
{
  char *call_id = rd_sim_pbx_find_call (rd_sim_get_pbx (app->sim), extension, ringing);

  if (call_id == NULL)
    reply ("error: no %scall at %s", ringing ? "ringing " : "", extension);

  return call_id;
}

static GStrv
split_words (const char *line)
{
  g_auto(GStrv) parts = g_strsplit_set (line, " \t\r", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

static void
run_command (App        *app,
             const char *line)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = NULL;
  RdSimPbx *pbx = rd_sim_get_pbx (app->sim);
  const char *verb;
  guint argc;
  gboolean ok = TRUE;

  argv = split_words (line);
  if (argv[0] == NULL || argv[0][0] == '#')
    return;
  verb = argv[0];
  argc = g_strv_length (argv);

  if (g_str_equal (verb, "call") && (argc == 3 || argc == 4))
    {
      call_id = rd_sim_pbx_incoming (pbx, argv[1], NULL, argc == 4 ? argv[3] : NULL, argv[2], &error);
      ok = call_id != NULL;
    }
  else if (g_str_equal (verb, "dial") && argc == 3)
    {
      call_id = rd_sim_pbx_make_call (pbx, argv[1], argv[2], &error);
      ok = call_id != NULL;
    }
  else if (g_str_equal (verb, "internal") && argc == 3)
    {
      call_id = rd_sim_pbx_internal (pbx, argv[1], argv[2], &error);
      ok = call_id != NULL;
    }
  else if (g_str_equal (verb, "answer") && argc == 2)
    {
      if ((call_id = find_call (app, argv[1], TRUE)) == NULL)
        return;
      ok = rd_sim_pbx_answer (pbx, call_id, &error);
    }
  else if (g_str_equal (verb, "divert") && argc == 3)
    {
      if ((call_id = find_call (app, argv[1], TRUE)) == NULL)
        return;
      ok = rd_sim_pbx_divert (pbx, call_id, argv[2], NULL, &error);
    }
  else if ((g_str_equal (verb, "hold") || g_str_equal (verb, "retrieve")) && argc == 2)
    {
      if ((call_id = find_call (app, argv[1], FALSE)) == NULL)
        return;
      ok = g_str_equal (verb, "hold") ? rd_sim_pbx_hold (pbx, call_id, &error)
                                      : rd_sim_pbx_retrieve (pbx, call_id, &error);
    }
  else if (g_str_equal (verb, "transfer") && argc == 3)
    {
      if ((call_id = find_call (app, argv[1], FALSE)) == NULL)
        return;
      ok = rd_sim_pbx_transfer (pbx, call_id, argv[2], &error);
    }
  else if (g_str_equal (verb, "hangup") && argc == 2)
    {
      g_autofree char *ringing = rd_sim_pbx_find_call (pbx, argv[1], TRUE);

      if ((call_id = find_call (app, argv[1], FALSE)) == NULL)
        return;
      if (g_strcmp0 (ringing, call_id) == 0 &&
          rd_sim_pbx_abandon (pbx, call_id, NULL))
        ok = TRUE;
      else
        ok = rd_sim_pbx_hangup (pbx, call_id, &error);
    }
  else if (g_str_equal (verb, "drop") && argc == 1)
    {
      rd_sim_drop_links (app->sim);
    }
  else if (g_str_equal (verb, "keepalives") && argc == 2 &&
           (g_str_equal (argv[1], "on") || g_str_equal (argv[1], "off")))
    {
      rd_sim_set_keepalives_enabled (app->sim, g_str_equal (argv[1], "on"));
    }
  else if (g_str_equal (verb, "garbage") && argc == 1)
    {
      rd_sim_send_garbage (app->sim);
    }
  else if (g_str_equal (verb, "restart") && argc == 2)
    {
      guint64 msec;

      if (!g_ascii_string_to_unsigned (argv[1], 10, 0, 3600000, &msec, NULL))
        {
          reply ("error: restart needs milliseconds (0 to 3600000)");
          return;
        }
      rd_sim_restart (app->sim, (guint) msec);
    }
  else if (g_str_equal (verb, "scenario") && argc == 2)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      /* answered when loaded */
      g_file_load_contents_async (file, app->cancellable, on_scenario_loaded, app);
      return;
    }
  else if (g_str_equal (verb, "quit") && argc == 1)
    {
      reply ("ok quit");
      g_main_loop_quit (app->loop);
      return;
    }
  else
    {
      reply ("error: unknown command or wrong arguments: %s (see --help)", verb);
      return;
    }

  if (!ok)
    reply ("error: %s", error->message);
  else if (call_id != NULL)
    reply ("ok %s %s", verb, call_id);
  else
    reply ("ok %s", verb);
}

static void read_next_line (App *app);

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    &length, &error);
  if (line == NULL)
    {
      /* end of input (or unreadable input): the simulator keeps running
       * until a signal */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Standard input: %s; no more commands", error->message);
      return;
    }

  run_command (app, line);
  read_next_line (app);
}

static void
read_next_line (App *app)
{
  g_data_input_stream_read_line_async (app->input, G_PRIORITY_DEFAULT, app->cancellable,
                                       on_line_read, app);
}

static gboolean
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static gboolean
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("ringdesk-pbx-sim: %s\n", message);

  return FALSE;
}

static gboolean
parse_rtp (const char *text,
           char      **host,
           guint16    *port)
{
  const char *colon = strrchr (text, ':');
  guint64 value;

  if (colon == NULL || colon == text ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    return FALSE;

  *host = g_strndup (text, (gsize) (colon - text));
  *port = (guint16) value;
  return TRUE;
}

static gboolean
configure (App *app)
{
  g_autoptr(GError) error = NULL;
  RdSimSmdr *smdr = rd_sim_get_smdr (app->sim);

  if (opt_csta_port < 0 || opt_csta_port > 65535 || opt_smdr_port < 0 || opt_smdr_port > 65535)
    return usage_error ("ports are 0 to 65535");
  if (opt_keepalive < 0)
    return usage_error ("--keepalive is milliseconds, 0 or more");
  if (!(opt_speed > 0 && opt_speed <= 10000))
    return usage_error ("--speed must be above 0 and at most 10000");

  if (opt_stations != NULL || opt_trunks != NULL)
    {
      g_auto(GStrv) stations = NULL;
      g_auto(GStrv) trunks = NULL;

      if (opt_stations != NULL &&
          (stations = rd_sim_parse_device_list (opt_stations, &error)) == NULL)
        return usage_error ("--stations: %s", error->message);
      if (opt_trunks != NULL &&
          (trunks = rd_sim_parse_device_list (opt_trunks, &error)) == NULL)
        return usage_error ("--trunks: %s", error->message);
      rd_sim_set_devices (app->sim, (const char * const *) stations, (const char * const *) trunks);
    }

  if (opt_smdr_password != NULL)
    rd_sim_smdr_set_password (smdr, opt_smdr_password);
  if (opt_smdr_layout != NULL)
    {
      if (strlen (opt_smdr_layout) != 1 || strchr ("abc", opt_smdr_layout[0]) == NULL)
        return usage_error ("--smdr-layout is a, b or c");
      rd_sim_smdr_set_layout (smdr, opt_smdr_layout[0]);
    }
  if (opt_date_order != NULL)
    {
      if (!g_str_equal (opt_date_order, "mdy") && !g_str_equal (opt_date_order, "dmy"))
        return usage_error ("--date-order is mdy or dmy");
      rd_sim_smdr_set_date_order (smdr, g_str_equal (opt_date_order, "dmy"));
    }
  rd_sim_csta_set_keepalive_interval (rd_sim_get_csta (app->sim), (guint) opt_keepalive);

  if (opt_ext_text != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_commandline_arg (opt_ext_text);

      if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
        return usage_error ("--ext-text: %s is not a folder", opt_ext_text);
      rd_sim_set_ext_text (app->sim, folder);
    }

  if (opt_webhook != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (opt_webhook, G_URI_FLAGS_NONE, NULL);

      /* the URL holds the webhook's secret: never echoed */
      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        return usage_error ("--webhook is an http:// or https:// URL");
      rd_sim_set_webhook (app->sim, opt_webhook);
    }

  if (opt_rtp != NULL)
    {
      g_autofree char *host = NULL;
      guint16 port;

      if (!parse_rtp (opt_rtp, &host, &port))
        return usage_error ("--rtp is HOST:PORT");
      if (!rd_sim_set_rtp (app->sim, host, port, &error))
        return usage_error ("--rtp: %s", error->message);
    }

  rd_sim_pbx_set_time_scale (rd_sim_get_pbx (app->sim), opt_speed);

  return TRUE;
}

static gboolean
start_traffic (App *app)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; opt_scenarios != NULL && opt_scenarios[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (opt_scenarios[i]);
      g_autoptr(RdSimScenario) scenario = NULL;

      /* before the main loop runs: reading a small file is fine here */
      scenario = rd_sim_scenario_new_from_file (file, NULL, &error);
      if (scenario == NULL || !rd_sim_run_scenario (app->sim, scenario, &error))
        return usage_error ("%s", error->message);
    }

  if (opt_load > 0 && opt_demo != NULL)
    return usage_error ("--load and --demo do not go together");
  if (opt_load > 0)
    {
      g_auto(GStrv) range = NULL;

      if (opt_range == NULL || (range = g_strsplit (opt_range, "-", 3))[1] == NULL || range[2] != NULL)
        return usage_error ("--load needs --range A-B");
      if (opt_seconds <= 0)
        return usage_error ("--seconds must be above 0");
      if (!rd_sim_start_load (app->sim, opt_load, range[0], range[1], (guint) opt_seconds,
                              (guint32) opt_seed, &error))
        return usage_error ("--load: %s", error->message);
    }
  else if (opt_range != NULL)
    {
      return usage_error ("--range only goes with --load");
    }

  if (opt_demo != NULL)
    {
      if (*opt_demo == '\0' || strspn (opt_demo, "0123456789") != strlen (opt_demo))
        return usage_error ("--demo needs an extension number");
      rd_sim_start_demo (app->sim, opt_demo);
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  App app = { 0 };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— simulate a Panasonic KX-NS PBX (CSTA, SMDR, ExtText, RTP)");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ringdesk-pbx-sim: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_printerr ("ringdesk-pbx-sim: unexpected argument “%s” (see --help)\n", argv[1]);
      return EXIT_USAGE;
    }

  app.sim = rd_sim_new ();
  app.loop = g_main_loop_new (NULL, FALSE);
  app.cancellable = g_cancellable_new ();
  app.status = EXIT_SUCCESS;

  if (!configure (&app))
    {
      app.status = EXIT_USAGE;
      goto out;
    }
  if (!rd_sim_listen (app.sim, opt_listen != NULL ? opt_listen : "127.0.0.1",
                      (guint16) opt_csta_port, (guint16) opt_smdr_port, &error))
    {
      g_printerr ("ringdesk-pbx-sim: %s\n", error->message);
      app.status = EXIT_FAILURE;
      goto out;
    }
  if (!start_traffic (&app))
    {
      app.status = EXIT_USAGE;
      goto out;
    }

  reply ("ringdesk-pbx-sim: csta port %u smdr port %u",
         rd_sim_get_csta_port (app.sim), rd_sim_get_smdr_port (app.sim));

  app.sigint_id = g_unix_signal_add (SIGINT, on_signal, &app);
  app.sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &app);

  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  app.input = g_data_input_stream_new (stdin_stream);
  read_next_line (&app);

  g_main_loop_run (app.loop);

out:
  g_clear_handle_id (&app.sigint_id, g_source_remove);
  g_clear_handle_id (&app.sigterm_id, g_source_remove);
  g_cancellable_cancel (app.cancellable);
  if (app.sim != NULL)
    rd_sim_close (app.sim);
  g_clear_object (&app.input);
  g_clear_object (&app.cancellable);
  g_clear_object (&app.sim);
  g_main_loop_unref (app.loop);

  return app.status;
}
