/* test-sim-scenario.c: the scenario format, and the shipped scenarios played
 * on the simulated PBX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-sim-scenario.h"
#include "rd-sim-recorder.h"

/* plays a shipped scenario to its end; returns the events described */
static char *
play (const char *file_name,
      gint64     *elapsed)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(RdSimRecorder) rec = rd_sim_recorder_new (pbx);
  g_autoptr(GError) error = NULL;
  const char *dir = g_getenv ("RD_SIM_SCENARIO_DIR");

  g_assert_nonnull (dir);
  file = g_file_new_build_filename (dir, file_name, NULL);
  scenario = rd_sim_scenario_new_from_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rd_sim_scenario_run (scenario, pbx, &error));
  g_assert_no_error (error);

  rd_sim_pbx_run_pending (pbx);
  g_assert_cmpuint (rd_sim_pbx_get_n_calls (pbx), ==, 0);
  if (elapsed != NULL)
    *elapsed = rd_sim_pbx_get_elapsed (pbx);
  g_assert_cmpint (rd_sim_pbx_get_elapsed (pbx), >=, rd_sim_scenario_get_duration (scenario));

  return rd_sim_recorder_take (rec);
}

typedef struct
{
  const char *file;
  const char *events;
} Shipped;

static const Shipped shipped[] = {
  { "incoming-answered.scn",
    "ringing 201, answered 201, cleared 201, cleared *, record 201 answered 5/30" },
  { "hunt.scn",
    "ringing 201, diverted 201>202, ringing 202, diverted 202>203, ringing 203, answered 203, "
    "cleared 203, cleared *, record 203 answered 24/20, "
    "ringing 202, diverted 202>203, ringing 203, diverted 203>201, ringing 201, answered 201, "
    "cleared 201, cleared *, record 201 answered 23/15, "
    "ringing 203, diverted 203>201, ringing 201, diverted 201>202, ringing 202, "
    "cleared 202, cleared *, record 202 missed 30/0" },
  { "no-answer.scn",
    "ringing 201, diverted 201>202, ringing 202, cleared 202, cleared *, record 202 missed 30/0" },
  { "abandon.scn",
    "ringing 202, cleared 202, cleared *, record 202 abandoned 8/0" },
  { "transfer.scn",
    "ringing 201, answered 201, transferred 201>203, ringing 203, answered 203, "
    "cleared 203, cleared *, record 203 answered 4/65, "
    "ringing 202, answered 202, held 202, originated 202, ringing 204, answered 204, "
    "cleared *, transferred 202>204, cleared 204, cleared *, record 204 answered 3/43" },
  { "hold.scn",
    "ringing 201, answered 201, held 201, retrieved 201, held 201, retrieved 201, "
    "cleared 201, cleared *, record 201 answered 3/60" },
  { "outgoing.scn",
    "originated 203, answered 203, cleared 203, cleared *, record 203 answered 7/45" },
  { "click-to-dial.scn",
    "ringing 201, originated 201, answered 201, cleared 201, cleared *, record 201 answered 4/24" },
  { "internal.scn",
    "originated 204, ringing 201, answered 201, cleared 201, cleared *, record 201 answered 3/20" },
};

static void
test_shipped (gconstpointer data)
{
  const Shipped *s = data;
  g_autofree char *events = play (s->file, NULL);

  g_assert_cmpstr (events, ==, s->events);
}

static void
test_shipped_details (void)
{
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(RdSimRecorder) rec = rd_sim_recorder_new (pbx);
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  RdCtiEvent *event;

  scenario = rd_sim_scenario_new_from_data ("t.scn",
                                            "call in +34612345678 trunk 03 ddi 912345678 at 10s\n"
                                            "  ring 205\n"
                                            "  answer 1m\n"
                                            "  hangup\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_sim_scenario_get_name (scenario), ==, "t.scn");
  g_assert_cmpuint (rd_sim_scenario_get_n_calls (scenario), ==, 1);
  g_assert_cmpint (rd_sim_scenario_get_duration (scenario), ==, 70000);

  /* a scenario can play more than once */
  g_assert_true (rd_sim_scenario_run (scenario, pbx, &error));
  rd_sim_pbx_advance (pbx, 9999);
  g_assert_cmpuint (rec->events->len, ==, 0);
  rd_sim_pbx_advance (pbx, 1);
  g_assert_cmpuint (rec->events->len, ==, 2);

  event = g_ptr_array_index (rec->events, 0);
  g_assert_cmpstr (event->calling, ==, "+34612345678");
  g_assert_cmpstr (event->trunk, ==, "03");
  g_assert_cmpstr (event->ddi, ==, "912345678");

  rd_sim_pbx_run_pending (pbx);
  g_assert_cmpint (rd_sim_pbx_get_elapsed (pbx), ==, 70000);
  g_assert_cmpuint (rd_sim_recorder_count (rec, RD_CTI_EVENT_RECORD), ==, 1);

  /* the trunk is free again for a second run */
  g_assert_true (rd_sim_scenario_run (scenario, pbx, &error));
  rd_sim_pbx_run_pending (pbx);
  g_assert_cmpuint (rd_sim_recorder_count (rec, RD_CTI_EVENT_RECORD), ==, 2);
}

static void
test_overlap (void)
{
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(RdSimRecorder) rec = rd_sim_recorder_new (pbx);
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *events = NULL;

  /* two calls at once; steps run each at their own time */
  scenario = rd_sim_scenario_new_from_data ("t.scn",
                                            "call in 0611111111\n"
                                            "  ring 201 10s\n"
                                            "  abandon\n"
                                            "call in 0622222222 at 2s\n"
                                            "  ring 202 2s\n"
                                            "  answer 2s\n"
                                            "  hangup\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (rd_sim_scenario_run (scenario, pbx, &error));
  rd_sim_pbx_run_pending (pbx);
  events = rd_sim_recorder_take (rec);
  g_assert_cmpstr (events, ==,
                   "ringing 201, ringing 202, answered 202, cleared 202, cleared *, "
                   "record 202 answered 2/2, cleared 201, cleared *, record 201 abandoned 10/0");
}

static void
test_run_checks_pbx (void)
{
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(RdSimRecorder) rec = rd_sim_recorder_new (pbx);
  g_autoptr(GError) error = NULL;
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "call in 061\n ring 299\n", "t.scn:2: 299 is not a station of the PBX" },
    { "call in 061\n ring 201\n divert 202\n\n divert 777 5s\n", "t.scn:5: 777 is not a station of the PBX" },
    { "call in 061 trunk 09\n ring 201\n", "t.scn:1: 09 is not a trunk of the PBX" },
    { "call out 555 0612345678\n", "t.scn:1: 555 is not a station of the PBX" },
    { "call internal 201 555\n", "t.scn:1: 555 is not a station of the PBX" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RdSimScenario) scenario = rd_sim_scenario_new_from_data ("t.scn", cases[i].text, -1, &error);

      g_assert_no_error (error);
      g_assert_false (rd_sim_scenario_run (scenario, pbx, &error));
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  /* nothing was scheduled */
  g_assert_cmpuint (rd_sim_pbx_get_n_pending (pbx), ==, 0);
  g_assert_cmpuint (rec->events->len, ==, 0);
}

static void
test_runtime_clash (void)
{
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(RdSimRecorder) rec = rd_sim_recorder_new (pbx);
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* the scripted call is hung up from outside before its `hangup`: the rest
   * of the script is dropped with a message, nothing else happens */
  scenario = rd_sim_scenario_new_from_data ("t.scn",
                                            "call in 0611111111\n"
                                            "  ring 201 2s\n"
                                            "  answer 10s\n"
                                            "  hold 5s\n"
                                            "  hangup\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (rd_sim_scenario_run (scenario, pbx, &error));
  rd_sim_pbx_advance (pbx, 4000);
  id = rd_sim_pbx_find_call (pbx, "201", FALSE);
  g_assert_nonnull (id);
  g_assert_true (rd_sim_pbx_hangup (pbx, id, NULL));
  g_test_expect_message ("RdSimScenario", G_LOG_LEVEL_MESSAGE, "t.scn:4: No call * in the PBX");
  rd_sim_pbx_run_pending (pbx);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (rd_sim_recorder_count (rec, RD_CTI_EVENT_RECORD), ==, 1);
  g_assert_cmpuint (rd_sim_recorder_count (rec, RD_CTI_EVENT_HELD), ==, 0);
}

typedef struct
{
  const char *text;
  const char *message;
} Malformed;

static const Malformed malformed[] = {
  { "", "t.scn:1: no `call` in the scenario" },
  { "# only a comment\n\n", "t.scn:1: no `call` in the scenario" },
  { "ring 201\n", "t.scn:1: step “ring” before the first `call` line" },
  { "call\n", "t.scn:1: unknown call kind “” (expected in, out, internal or dial)" },
  { "call sideways 201\n", "t.scn:1: unknown call kind “sideways” (expected in, out, internal or dial)" },
  { "call in\n", "t.scn:1: expected `call in CALLER`, CALLER a phone number" },
  { "call in 06-12\n", "t.scn:1: expected `call in CALLER`, CALLER a phone number" },
  { "call in 061 trunk\n", "t.scn:1: option “trunk” needs a value" },
  { "call in 061 trunk x1\n", "t.scn:1: “x1” is not a trunk number" },
  { "call in 061 trunk 01 trunk 02\n", "t.scn:1: option “trunk” given twice" },
  { "call in 061 at 5\n", "t.scn:1: “5” is not a duration (like 5s, 500ms, 2m)" },
  { "call in 061 at 5s at 6s\n", "t.scn:1: option “at” given twice" },
  { "call in 061 colour red\n", "t.scn:1: unknown option “colour” for a `call in`" },
  { "call out 201 061 ddi 912\n", "t.scn:1: unknown option “ddi” for a `call out`" },
  { "call out 201\n", "t.scn:1: expected `call out STATION NUMBER`" },
  { "call internal 201 201\n", "t.scn:1: station 201 cannot call itself" },
  { "call internal 201 abc\n", "t.scn:1: expected `call internal STATION STATION`" },
  { "call in 061\n", "t.scn:1: the incoming call has no `ring STATION` step" },
  { "call in 061\n  answer\n", "t.scn:2: an incoming call starts with `ring STATION`" },
  { "call in 061\n  ring\n", "t.scn:2: `ring` needs a station (digits)" },
  { "call in 061\n  ring 201 soon\n", "t.scn:2: “soon” is not a duration (like 5s, 500ms, 2m)" },
  { "call in 061\n  ring 201 5s extra\n", "t.scn:2: unexpected “extra” after `ring`" },
  { "call in 061\n  ring 201\n  ring 202\n", "t.scn:3: `ring` only starts an incoming call; use `divert` or `transfer`" },
  { "call in 061\n  ring 201\n  dance\n", "t.scn:3: unknown step “dance”" },
  { "call in 061\n  ring 201\n  divert 201\n", "t.scn:3: the call is already at 201" },
  { "call in 061\n  ring 201\n  hangup\n", "t.scn:3: cannot `hangup`: the call is ringing" },
  { "call in 061\n  ring 201\n  hold\n", "t.scn:3: cannot `hold`: the call is ringing" },
  { "call in 061\n  ring 201\n  answer\n  answer\n", "t.scn:4: cannot `answer`: the call is talking" },
  { "call in 061\n  ring 201\n  answer\n  abandon\n", "t.scn:4: cannot `abandon`: the call is talking" },
  { "call in 061\n  ring 201\n  answer\n  retrieve\n", "t.scn:4: cannot `retrieve`: the call is talking" },
  { "call in 061\n  ring 201\n  answer\n  hold\n  consult 202\n", "t.scn:5: cannot `consult`: the call is on hold" },
  { "call in 061\n  ring 201\n  answer\n  hangup\n  wait 5s\n", "t.scn:5: `wait` after the call is over" },
  { "call in 061\n  ring 201\n  wait\n", "t.scn:3: `wait` needs a duration (like 5s)" },
  { "call in 061\n  ring 201\n  noanswer 5s\n", "t.scn:3: unexpected “5s” after `noanswer`" },
  { "call in 061\n  ring 201 25h\n", "t.scn:2: “25h” is not a duration (like 5s, 500ms, 2m)" },
  { "call in 061\n  ring 201 9999999999s\n", "t.scn:2: “9999999999s” is not a duration (like 5s, 500ms, 2m)" },
  { "call out 201 0612345678\n  divert 202\n", "t.scn:2: cannot `divert`: the call is dialling" },
  { "call dial 201 0612345678\n  hangup\n",
    "t.scn:2: a click-to-dial call starts with `wait` of at least 6s "
    "(2s for the station to pick up, 4s for the far end to answer)" },
  { "call in 061\n  ring 201\n\xff\n", "t.scn:3: not a text file (NUL bytes or invalid UTF-8)" },
};

static void
test_malformed (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RdSimScenario) scenario = NULL;

      scenario = rd_sim_scenario_new_from_data ("t.scn", malformed[i].text, -1, &error);
      g_assert_null (scenario);
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, malformed[i].message);
    }
}

static void
test_binary (void)
{
  static const char data[] = "call in 061\n  ring 201\0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/ringdesk/x.scn");

  scenario = rd_sim_scenario_new_from_data ("t.scn", data, sizeof data - 1, &error);
  g_assert_null (scenario);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "t.scn:2: not a text file (NUL bytes or invalid UTF-8)");
  g_clear_error (&error);

  scenario = rd_sim_scenario_new_from_file (missing, NULL, &error);
  g_assert_null (scenario);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Cannot read scenario /nonexistent/ringdesk/x.scn: "));
}

static void
test_duration (void)
{
  struct {
    const char *text;
    gboolean    ok;
    gint64      msec;
  } cases[] = {
    { "0s", TRUE, 0 },
    { "500ms", TRUE, 500 },
    { "5s", TRUE, 5000 },
    { "2m", TRUE, 120000 },
    { "24h", TRUE, 86400000 },
    { "86400s", TRUE, 86400000 },
    { "86401s", FALSE, 0 },
    { "5", FALSE, 0 },
    { "s", FALSE, 0 },
    { "-5s", FALSE, 0 },
    { "5 s", FALSE, 0 },
    { "5sec", FALSE, 0 },
    { "", FALSE, 0 },
    { NULL, FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 msec = -1;

      g_assert_cmpint (rd_sim_parse_duration (cases[i].text, &msec), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (msec, ==, cases[i].msec);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sim/scenario/shipped/%s", shipped[i].file);

      g_test_add_data_func (path, &shipped[i], test_shipped);
    }
  g_test_add_func ("/sim/scenario/details", test_shipped_details);
  g_test_add_func ("/sim/scenario/overlap", test_overlap);
  g_test_add_func ("/sim/scenario/run-checks-pbx", test_run_checks_pbx);
  g_test_add_func ("/sim/scenario/runtime-clash", test_runtime_clash);
  g_test_add_func ("/sim/scenario/malformed", test_malformed);
  g_test_add_func ("/sim/scenario/binary", test_binary);
  g_test_add_func ("/sim/scenario/duration", test_duration);

  return g_test_run ();
}
