/* test-pbx-sim-cli.c: the ringdesk-pbx-sim executable, driven on its
 * command channel and read by the server's SMDR link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "rd-common.h"
#include "rd-smdr-link.h"

#define WAIT_BOUND_SEC 20

typedef struct
{
  GSubprocess      *process;
  GOutputStream    *stdin_pipe;
  GDataInputStream *stdout_lines;
  guint             csta_port;
  guint             smdr_port;
} Sim;

/* if this test dies on a failed assertion, the simulator goes with it */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn (GSubprocessFlags    flags,
       const char * const *args,
       GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *binary = g_getenv ("RD_PBX_SIM_BINARY");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

static char *
read_line (Sim *sim)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (sim->stdout_lines, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
sim_start (Sim                *sim,
           const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  sim->process = spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, args, &error);
  g_assert_no_error (error);
  sim->stdin_pipe = g_subprocess_get_stdin_pipe (sim->process);
  sim->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));

  line = read_line (sim);
  g_assert_cmpint (sscanf (line, "ringdesk-pbx-sim: csta port %u smdr port %u",
                           &sim->csta_port, &sim->smdr_port), ==, 2);
  g_assert_cmpuint (sim->csta_port, >, 0);
  g_assert_cmpuint (sim->smdr_port, >, 0);
}

static void
sim_stop (Sim *sim)
{
  g_clear_object (&sim->stdout_lines);
  g_clear_object (&sim->process);
}

/* sends a command and returns the reply */
static char *
command (Sim        *sim,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  g_assert_true (g_output_stream_write_all (sim->stdin_pipe, line, strlen (line), NULL, NULL, &error));
  g_assert_no_error (error);

  return read_line (sim);
}

static void
assert_command (Sim        *sim,
                const char *text,
                const char *expected)
{
  g_autofree char *reply = command (sim, text);

  g_assert_cmpstr (reply, ==, expected);
}

static gboolean
on_bound (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_link_event (RdCtiLink  *link,
               RdCtiEvent *event,
               GPtrArray  *events)
{
  g_ptr_array_add (events, rd_cti_event_ref (event));
}

static RdCtiEvent *
wait_for_record (RdSmdrLink *link,
                 GPtrArray  *events)
{
  gboolean expired = FALSE;
  guint bound = g_timeout_add_seconds (WAIT_BOUND_SEC, on_bound, &expired);

  while (!expired)
    {
      for (guint i = 0; i < events->len; i++)
        {
          RdCtiEvent *event = g_ptr_array_index (events, i);

          if (event->type == RD_CTI_EVENT_RECORD)
            {
              g_source_remove (bound);
              return event;
            }
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_error ("Timed out waiting for an SMDR record");
}

static void
wait_connected (RdSmdrLink *link)
{
  gboolean expired = FALSE;
  guint bound = g_timeout_add_seconds (WAIT_BOUND_SEC, on_bound, &expired);

  while (rd_cti_link_get_state (RD_CTI_LINK (link)) != RD_CTI_LINK_STATE_CONNECTED && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("Timed out waiting for the SMDR link");
  g_source_remove (bound);
}

static void
test_commands (void)
{
  static const char * const args[] = {
    "--csta-port", "0", "--smdr-port", "0", "--stations", "201-205", "--trunks", "1-2",
    "--smdr-password", "s3cret", "--keepalive", "0", NULL,
  };
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  g_autoptr(RdSmdrLink) link = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *missing = NULL;
  RdCtiEvent *record;
  Sim sim = { 0 };

  sim_start (&sim, args);
  link = rd_smdr_link_new ("127.0.0.1", (guint16) sim.smdr_port, "s3cret");
  g_signal_connect (link, "event", G_CALLBACK (on_link_event), events);
  rd_cti_link_start (RD_CTI_LINK (link));
  wait_connected (link);

  assert_command (&sim, "call 0612345678 203", "ok call 1");
  assert_command (&sim, "answer 203", "ok answer 1");
  assert_command (&sim, "  hold   203 ", "ok hold 1");
  assert_command (&sim, "retrieve 203", "ok retrieve 1");
  assert_command (&sim, "hangup 203", "ok hangup 1");
  record = wait_for_record (link, events);
  g_assert_cmpstr (record->extension, ==, "203");
  g_assert_nonnull (strstr (record->calling, "0612345678"));

  /* a ringing call hung up is abandoned */
  assert_command (&sim, "call 0698765432 204 912345678", "ok call 2");
  assert_command (&sim, "hangup 204", "ok hangup 2");

  assert_command (&sim, "answer 205", "error: no ringing call at 205");
  assert_command (&sim, "call anonymous 201",
                  "error: “anonymous” is not a phone number (up to 32 of 0-9 + * #)");
  assert_command (&sim, "call 0612345678 299", "error: 299 is not a station of this PBX");
  /* two trunks: a third call at once finds them busy (three commands in
   * one write; the empty line is ignored and only collects the last reply) */
  assert_command (&sim, "call 0612345678 201\ncall 0612345679 202\ncall 0612345670 203",
                  "ok call 3");
  g_free (read_line (&sim));
  assert_command (&sim, "", "error: All trunks are busy");
  assert_command (&sim, "frobnicate", "error: unknown command or wrong arguments: frobnicate (see --help)");
  assert_command (&sim, "answer", "error: unknown command or wrong arguments: answer (see --help)");
  assert_command (&sim, "restart soon", "error: restart needs milliseconds (0 to 3600000)");
  assert_command (&sim, "keepalives off", "ok keepalives");
  assert_command (&sim, "garbage", "ok garbage");
  assert_command (&sim, "drop", "ok drop");

  missing = g_strdup_printf ("scenario %s/missing.scn", g_get_tmp_dir ());
  reply = command (&sim, missing);
  g_assert_true (g_str_has_prefix (reply, "error: cannot read scenario "));

  assert_command (&sim, "quit", "ok quit");
  g_assert_true (g_subprocess_wait_check (sim.process, NULL, &error));
  g_assert_no_error (error);

  rd_cti_link_stop (RD_CTI_LINK (link));
  sim_stop (&sim);
}

static void
test_scenario_and_signal (void)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("RD_SIM_SCENARIO_DIR"), "hold.scn", NULL);
  g_autofree char *scenario_command = g_strdup_printf ("scenario %s", scenario);
  const char * const args[] = {
    "--csta-port", "0", "--smdr-port", "0", "--speed", "50", "--scenario", scenario, NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  Sim sim = { 0 };

  sim_start (&sim, args);
  reply = command (&sim, scenario_command);
  g_assert_true (g_str_has_prefix (reply, "ok scenario "));
  g_assert_true (g_str_has_suffix (reply, "hold.scn (1 calls)"));

  g_subprocess_send_signal (sim.process, SIGTERM);
  g_assert_true (g_subprocess_wait_check (sim.process, NULL, &error));
  g_assert_no_error (error);
  sim_stop (&sim);
}

static void
test_bad_arguments (void)
{
  const char * const bad[][6] = {
    { "--smdr-layout", "x", NULL },
    { "--date-order", "ymd", NULL },
    { "--stations", "201-1x", NULL },
    { "--trunks", "4-1", NULL },
    { "--rtp", "nowhere", NULL },
    { "--webhook", "nowhere", NULL },
    { "--webhook", "ftp://127.0.0.1/api/v1/cti/generic/s", NULL },
    { "--speed", "0", NULL },
    { "--load", "5", NULL },
    { "--range", "201-205", NULL },
    { "--demo", "ab", NULL },
    { "--demo", "201", "--load", "1", NULL },
    { "--csta-port", "70000", NULL },
    { "--scenario", "/nonexistent/x.scn", NULL },
    { "stray", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *err = NULL;

      process = spawn (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                       bad[i], &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_true (g_str_has_prefix (err, "ringdesk-pbx-sim: "));
      /* refused for what it is, not as an unknown option */
      if (g_str_equal (bad[i][0], "--webhook"))
        g_assert_nonnull (strstr (err, "http:// or https://"));
    }
}

static void
test_help (void)
{
  static const char * const args[] = { "--help", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE, args, &error);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "--scenario=FILE"));
  g_assert_nonnull (strstr (out, "restart MS"));
  g_assert_nonnull (strstr (out, "ringdesk-pbx-sim: csta port N smdr port M"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/cli/commands", test_commands);
  g_test_add_func ("/sim/cli/scenario-signal", test_scenario_and_signal);
  g_test_add_func ("/sim/cli/bad-arguments", test_bad_arguments);
  g_test_add_func ("/sim/cli/help", test_help);

  return g_test_run ();
}
