/* test-csta-link.c: RdCstaLink against RdSimCsta over real TCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test runs the server's link and the simulator's CSTA responder on
 * 127.0.0.1 (ephemeral port) in one main loop. Nothing is timed: the tests
 * wait for state changes and events, failing after a generous bound.
 */

#include "config.h"

#include <string.h>

#include "rd-common.h"
#include "rd-csta-acse.h"
#include "rd-csta-frame.h"
#include "rd-csta-link.h"
#include "rd-csta-ops.h"
#include "rd-csta-rose.h"
#include "rd-sim-csta.h"
#include "../rd-test-link.h"

#define WAIT_BOUND_SEC 10

static const char * const stations[] = { "201", "202", "203", NULL };
static const char * const trunks[] = { "1", "2", NULL };

typedef struct
{
  RdSimCsta  *sim;
  RdCstaLink *link;
  GPtrArray  *events;     /* RdCtiEvent */
  GArray     *states;     /* RdCtiLinkState, every change */
  GHashTable *live;       /* call ids the "PBX" still has, for snapshots */
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture);

static void
wait_until (Fixture    *fixture,
            Condition   condition,
            const char *what)
{
  rd_test_wait_until ((RdTestCondition) condition, fixture, WAIT_BOUND_SEC, what);
}

static gboolean
is_connected (Fixture *fixture)
{
  return rd_cti_link_get_state (RD_CTI_LINK (fixture->link)) == RD_CTI_LINK_STATE_CONNECTED;
}

static gboolean
is_down (Fixture *fixture)
{
  return rd_cti_link_get_state (RD_CTI_LINK (fixture->link)) == RD_CTI_LINK_STATE_DOWN;
}

static void
on_event (RdCtiLink  *link,
          RdCtiEvent *event,
          Fixture    *fixture)
{
  g_autofree char *text = rd_cti_event_to_string (event);

  g_test_message ("link event: %s", text);
  g_ptr_array_add (fixture->events, rd_cti_event_ref (event));
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          Fixture    *fixture)
{
  RdCtiLinkState state = rd_cti_link_get_state (RD_CTI_LINK (object));
  g_autofree char *detail = rd_cti_link_dup_detail (RD_CTI_LINK (object));

  g_test_message ("link state: %s (%s)", rd_cti_link_state_to_string (state),
                  detail != NULL ? detail : "-");
  g_array_append_val (fixture->states, state);
}

static char **
on_snapshot (RdSimCsta  *sim,
             const char *extension,
             Fixture    *fixture)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, fixture->live);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_equal (value, extension))
      g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

static RdCstaLink *
new_link (Fixture *fixture)
{
  RdCstaLink *link = rd_csta_link_new ("127.0.0.1", rd_sim_csta_get_port (fixture->sim));

  rd_csta_link_set_keepalive_timeout (link, 1000);
  rd_csta_link_set_request_timeout (link, 3000);
  return link;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = rd_sim_csta_new ();
  rd_sim_csta_set_devices (fixture->sim, stations, trunks);
  rd_sim_csta_set_keepalive_interval (fixture->sim, 200);
  g_assert_true (rd_sim_csta_listen (fixture->sim, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rd_sim_csta_get_port (fixture->sim), >, 0);

  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  fixture->states = g_array_new (FALSE, FALSE, sizeof (RdCtiLinkState));
  fixture->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect (fixture->sim, "snapshot-device", G_CALLBACK (on_snapshot), fixture);

  fixture->link = new_link (fixture);
  g_signal_connect (fixture->link, "event", G_CALLBACK (on_event), fixture);
  g_signal_connect (fixture->link, "notify::state", G_CALLBACK (on_state), fixture);
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_until (fixture, is_connected, "the link to connect");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)), ==, RD_CTI_LINK_STATE_STOPPED);
  g_signal_handlers_disconnect_by_data (fixture->link, fixture);
  g_clear_object (&fixture->link);
  rd_sim_csta_close (fixture->sim);
  g_clear_object (&fixture->sim);
  /* Let the cancelled I/O finish so that nothing leaks. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (fixture->events);
  g_array_unref (fixture->states);
  g_hash_table_unref (fixture->live);
}

static RdCtiEvent *
make_event (RdCtiEventType   type,
            const char      *call_id,
            const char      *extension,
            RdCallDirection  direction,
            const char      *calling,
            const char      *called)
{
  RdCtiEvent *event = rd_cti_event_new (type, "sim");

  event->call_id = g_strdup (call_id);
  event->extension = g_strdup (extension);
  event->direction = direction;
  event->calling = g_strdup (calling);
  event->called = g_strdup (called);
  return event;
}

/* Call 7: from 0612345678 on trunk 1 to the DDI 0301234567. */
static RdCtiEvent *
make_incoming (RdCtiEventType  type,
               const char     *extension)
{
  RdCtiEvent *event = make_event (type, "7", extension, RD_CALL_DIRECTION_IN, "0612345678", "0301234567");

  event->ddi = g_strdup ("0301234567");
  event->trunk = g_strdup ("1");
  return event;
}

static guint expected_events;

static gboolean
have_expected_events (Fixture *fixture)
{
  return fixture->events->len >= expected_events;
}

/* Sends @sent through the simulator and returns what the link made of it. */
static RdCtiEvent *
round_trip (Fixture    *fixture,
            RdCtiEvent *sent)
{
  expected_events = fixture->events->len + 1;
  rd_sim_csta_send_event (fixture->sim, sent);
  wait_until (fixture, have_expected_events, "an event from the link");
  return g_ptr_array_index (fixture->events, fixture->events->len - 1);
}

static void
assert_same_event (const RdCtiEvent *sent,
                   const RdCtiEvent *got)
{
  g_assert_cmpstr (rd_cti_event_type_to_string (got->type), ==, rd_cti_event_type_to_string (sent->type));
  g_assert_cmpstr (got->link, ==, "csta");
  g_assert_cmpstr (got->call_id, ==, sent->call_id);
  g_assert_cmpstr (got->extension, ==, sent->extension);
  g_assert_cmpstr (got->target, ==, sent->target);
  g_assert_cmpstr (got->calling, ==, sent->calling);
  g_assert_cmpstr (got->called, ==, sent->called);
  g_assert_cmpstr (got->ddi, ==, sent->ddi);
  g_assert_cmpstr (got->trunk, ==, sent->trunk);
  g_assert_cmpint (got->direction, ==, sent->direction);
  if (sent->cause != NULL)
    g_assert_cmpstr (got->cause, ==, sent->cause);
}

/* ---- tests ---------------------------------------------------------------------- */

static void
test_handshake (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(GStrv) discovered = rd_csta_link_dup_stations (fixture->link);
  g_autofree char *detail = rd_cti_link_dup_detail (RD_CTI_LINK (fixture->link));

  g_assert_true (g_strv_equal ((const char * const *) discovered, stations));
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture->link), ==, g_strv_length ((GStrv) stations));
  g_assert_cmpuint (rd_sim_csta_get_n_monitors (fixture->sim), ==, g_strv_length ((GStrv) stations));
  g_assert_cmpuint (rd_sim_csta_get_n_clients (fixture->sim), ==, 1);
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), ==, 0);
  g_assert_null (detail);
  g_assert_cmpstr (rd_cti_link_get_name (RD_CTI_LINK (fixture->link)), ==, "csta");

  /* CONNECTING (connect, login, discovery) then CONNECTED, nothing else. */
  g_assert_cmpuint (fixture->states->len, ==, 2);
  g_assert_cmpint (g_array_index (fixture->states, RdCtiLinkState, 0), ==, RD_CTI_LINK_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (fixture->states, RdCtiLinkState, 1), ==, RD_CTI_LINK_STATE_CONNECTED);
  g_assert_true (rd_cti_link_can_make_call (RD_CTI_LINK (fixture->link)));
  g_assert_true (rd_cti_link_can_deflect_call (RD_CTI_LINK (fixture->link)));
}

static void
on_frame_written (RdSimCsta  *sim,
                  RdCtiEvent *event,
                  gint64      monotonic_usec,
                  GPtrArray  *written)
{
  g_assert_cmpint (monotonic_usec, >, 0);
  g_ptr_array_add (written, rd_cti_event_ref (event));
}

static GPtrArray *written_events;
static guint n_script_events;

static gboolean
all_written (Fixture *fixture)
{
  return written_events->len >= n_script_events;
}

static void
test_every_event_type (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) script = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  RdCtiEvent *e;

  g_signal_connect (fixture->sim, "frame-written", G_CALLBACK (on_frame_written), written);

  /* An incoming call on trunk 1 to DDI 0301234567, rung at 201, answered,
   * held and retrieved (those carry no numbers: the link fills them in),
   * transferred to 202, who hangs up. */
  g_ptr_array_add (script, make_incoming (RD_CTI_EVENT_RINGING, "201"));
  g_ptr_array_add (script, make_incoming (RD_CTI_EVENT_ANSWERED, "201"));
  g_ptr_array_add (script, make_incoming (RD_CTI_EVENT_HELD, "201"));
  g_ptr_array_add (script, make_incoming (RD_CTI_EVENT_RETRIEVED, "201"));
  e = make_incoming (RD_CTI_EVENT_TRANSFERRED, "201");
  e->target = g_strdup ("202");
  g_ptr_array_add (script, e);
  e = make_incoming (RD_CTI_EVENT_CLEARED, "202");
  e->cause = g_strdup ("normal");
  g_ptr_array_add (script, e);

  /* Outgoing from 202 on trunk 2. */
  e = make_event (RD_CTI_EVENT_ORIGINATED, "8", "202", RD_CALL_DIRECTION_OUT, "202", "0699887766");
  e->trunk = g_strdup ("2");
  g_ptr_array_add (script, e);
  e = make_event (RD_CTI_EVENT_CLEARED, "8", NULL, RD_CALL_DIRECTION_OUT, "202", "0699887766");
  e->trunk = g_strdup ("2");
  e->cause = g_strdup ("normal");
  g_ptr_array_add (script, e);

  /* Queued in hunt group 600, diverted, failed busy. */
  e = make_event (RD_CTI_EVENT_QUEUED, "9", "203", RD_CALL_DIRECTION_IN, "0611111111", "600");
  e->target = g_strdup ("600");
  e->trunk = g_strdup ("1");
  g_ptr_array_add (script, e);
  e = make_event (RD_CTI_EVENT_DIVERTED, "9", "203", RD_CALL_DIRECTION_IN, "0611111111", "600");
  e->target = g_strdup ("201");
  e->trunk = g_strdup ("1");
  g_ptr_array_add (script, e);
  e = make_event (RD_CTI_EVENT_FAILED, "10", "203", RD_CALL_DIRECTION_IN, "0622222222", "203");
  e->cause = g_strdup ("busy");
  e->trunk = g_strdup ("1");
  g_ptr_array_add (script, e);

  /* Internal: 201 calls 203. */
  g_ptr_array_add (script, make_event (RD_CTI_EVENT_RINGING, "11", "203", RD_CALL_DIRECTION_INTERNAL,
                                       "201", "203"));

  for (guint i = 0; i < script->len; i++)
    {
      RdCtiEvent *sent = g_ptr_array_index (script, i);
      RdCtiEvent *got = round_trip (fixture, sent);

      assert_same_event (sent, got);
    }
  /* One event out for each event in (ORIGINATED travels as two reports),
   * and "frame-written" once for each, in order. */
  g_assert_cmpuint (fixture->events->len, ==, script->len);
  written_events = written;
  n_script_events = script->len;
  wait_until (fixture, all_written, "the simulator's frame-written signals");
  g_assert_cmpuint (written->len, ==, script->len);
  for (guint i = 0; i < script->len; i++)
    g_assert_true (g_ptr_array_index (written, i) == g_ptr_array_index (script, i));
  g_signal_handlers_disconnect_by_data (fixture->sim, written);
  /* Call 7 and 8 ended; 9 (diverted to 201) and 11 are live; 10 failed. */
  g_assert_cmpuint (rd_csta_link_get_n_live_calls (fixture->link), ==, 2);
}

/* Events naming stations and trunks by deviceNumber map back through
 * discovery. */
static void
test_device_numbers (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RdCtiEvent) ringing = make_incoming (RD_CTI_EVENT_RINGING, "202");
  g_autoptr(RdCtiEvent) transferred = make_incoming (RD_CTI_EVENT_TRANSFERRED, "202");
  g_autoptr(RdCtiEvent) internal = make_event (RD_CTI_EVENT_ANSWERED, "12", "203", RD_CALL_DIRECTION_INTERNAL,
                                               "201", "203");

  rd_sim_csta_set_use_device_numbers (fixture->sim, TRUE);
  transferred->target = g_strdup ("203");
  assert_same_event (ringing, round_trip (fixture, ringing));
  assert_same_event (transferred, round_trip (fixture, transferred));
  assert_same_event (internal, round_trip (fixture, internal));
}

static guint expected_acks;

static gboolean
have_expected_acks (Fixture *fixture)
{
  return rd_sim_csta_get_n_cdr_acks (fixture->sim) >= expected_acks;
}

static void
test_cdr (Fixture       *fixture,
          gconstpointer  data)
{
  struct
  {
    RdCallOutcome   outcome;
    RdCallDirection direction;
    const char     *extension;
    const char     *calling;
    const char     *called;
    const char     *trunk;
    gint64          talk;
    gint64          ring;
  } records[] = {
    { RD_CALL_OUTCOME_ANSWERED, RD_CALL_DIRECTION_IN, "201", "0612345678", "0301234567", "1", 42, 8 },
    { RD_CALL_OUTCOME_MISSED, RD_CALL_DIRECTION_IN, "202", "0612345678", "0301234567", "1", 0, 30 },
    { RD_CALL_OUTCOME_ABANDONED, RD_CALL_DIRECTION_IN, "203", "0655555555", "203", "2", 0, 4 },
    { RD_CALL_OUTCOME_ANSWERED, RD_CALL_DIRECTION_OUT, "202", "202", "0699887766", "2", 125, 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *call_id = g_strdup_printf ("%u", 30 + i);
      g_autoptr(RdCtiEvent) sent = make_event (RD_CTI_EVENT_RECORD, call_id, records[i].extension,
                                               records[i].direction, records[i].calling,
                                               records[i].called);
      RdCtiEvent *got;

      sent->trunk = g_strdup (records[i].trunk);
      sent->outcome = records[i].outcome;
      sent->duration = records[i].talk;
      sent->ring_time = records[i].ring;
      expected_acks = i + 1;
      got = round_trip (fixture, sent);
      assert_same_event (sent, got);
      g_assert_cmpint (got->outcome, ==, sent->outcome);
      g_assert_cmpint (got->duration, ==, sent->duration);
      g_assert_cmpint (got->ring_time, ==, sent->ring_time);
      g_assert_true (g_date_time_difference (got->at, sent->at) / G_TIME_SPAN_SECOND == 0);
      wait_until (fixture, have_expected_acks, "the CDR acknowledgement");
    }
  g_assert_cmpuint (rd_sim_csta_get_n_cdr_acks (fixture->sim), ==, G_N_ELEMENTS (records));
}

static char *
on_make_call (RdSimCsta  *sim,
              const char *from,
              const char *to,
              gpointer    user_data)
{
  if (g_str_equal (from, "201") && g_str_equal (to, "0612345678"))
    return g_strdup ("77");
  return NULL;
}

static gboolean
on_deflect_call (RdSimCsta  *sim,
                 const char *call_id,
                 const char *from,
                 const char *to,
                 gpointer    user_data)
{
  return g_str_equal (call_id, "7") && g_str_equal (from, "201") && g_str_equal (to, "202");
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *pending_result;

static gboolean
have_result (Fixture *fixture)
{
  return pending_result != NULL;
}

static char *
make_call (Fixture     *fixture,
           const char  *from,
           const char  *to,
           GError     **error)
{
  char *call_id;

  rd_cti_link_make_call_async (RD_CTI_LINK (fixture->link), from, to, NULL, on_result, &pending_result);
  wait_until (fixture, have_result, "the makeCall answer");
  call_id = rd_cti_link_make_call_finish (RD_CTI_LINK (fixture->link), pending_result, error);
  g_clear_object (&pending_result);
  return call_id;
}

static gboolean
deflect_call (Fixture     *fixture,
              const char  *call_id,
              const char  *from,
              const char  *to,
              GError     **error)
{
  gboolean ok;

  rd_cti_link_deflect_call_async (RD_CTI_LINK (fixture->link), call_id, from, to, NULL,
                                  on_result, &pending_result);
  wait_until (fixture, have_result, "the deflectCall answer");
  ok = rd_cti_link_deflect_call_finish (RD_CTI_LINK (fixture->link), pending_result, error);
  g_clear_object (&pending_result);
  return ok;
}

static void
test_make_call (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *stopped = NULL;

  g_signal_connect (fixture->sim, "make-call", G_CALLBACK (on_make_call), NULL);

  call_id = make_call (fixture, "201", "0612345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (call_id, ==, "77");

  refused = make_call (fixture, "202", "0612345678", &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_null (refused);
  g_clear_error (&error);

  /* Unknown extension: the PBX refuses it without asking the signal. */
  g_clear_pointer (&refused, g_free);
  refused = make_call (fixture, "999", "0612345678", &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);

  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  stopped = make_call (fixture, "201", "0612345678", &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_assert_null (stopped);
}

static char *
on_make_call_crash (RdSimCsta  *sim,
                    const char *from,
                    const char *to,
                    gpointer    user_data)
{
  /* The PBX goes away before it answers. */
  rd_sim_csta_drop_clients (sim);
  return g_strdup ("78");
}

static void
test_make_call_link_drops (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = NULL;

  g_signal_connect (fixture->sim, "make-call", G_CALLBACK (on_make_call_crash), NULL);
  call_id = make_call (fixture, "201", "0612345678", &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_assert_null (call_id);
  wait_until (fixture, is_connected, "the link to reconnect");
}

static void
test_deflect_call (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_signal_connect (fixture->sim, "deflect-call", G_CALLBACK (on_deflect_call), NULL);

  g_assert_true (deflect_call (fixture, "7", "201", "202", &error));
  g_assert_no_error (error);

  g_assert_false (deflect_call (fixture, "8", "201", "202", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (deflect_call (fixture, "7", "201", "999", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (deflect_call (fixture, "not-a-call", "201", "202", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  g_assert_false (deflect_call (fixture, "7", "201", "202", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
}

/* The states seen from index @from on include DOWN, later CONNECTING, later
 * CONNECTED. */
static void
assert_went_down_and_up (Fixture *fixture,
                         guint    from)
{
  RdCtiLinkState wanted[] = { RD_CTI_LINK_STATE_DOWN, RD_CTI_LINK_STATE_CONNECTING,
                              RD_CTI_LINK_STATE_CONNECTED };
  guint next = 0;

  for (guint i = from; i < fixture->states->len && next < G_N_ELEMENTS (wanted); i++)
    if (g_array_index (fixture->states, RdCtiLinkState, i) == wanted[next])
      next++;
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (wanted));
  g_assert_cmpint (g_array_index (fixture->states, RdCtiLinkState, fixture->states->len - 1), ==,
                   RD_CTI_LINK_STATE_CONNECTED);
}

static gboolean
have_lost_call (Fixture *fixture)
{
  for (guint i = 0; i < fixture->events->len; i++)
    {
      RdCtiEvent *event = g_ptr_array_index (fixture->events, i);

      if (event->type == RD_CTI_EVENT_CLEARED && g_strcmp0 (event->cause, "lost") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
went_down (Fixture *fixture)
{
  return !is_connected (fixture);
}

static void
test_drop_reconcile (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RdCtiEvent) first = make_event (RD_CTI_EVENT_RINGING, "21", "201", RD_CALL_DIRECTION_IN,
                                            "0612345678", "0301234567");
  g_autoptr(RdCtiEvent) second = make_event (RD_CTI_EVENT_ANSWERED, "22", "202", RD_CALL_DIRECTION_IN,
                                             "0687654321", "0301234567");
  guint before = fixture->states->len;
  guint n_lost = 0;
  RdCtiEvent *lost = NULL;

  first->trunk = g_strdup ("1");
  second->trunk = g_strdup ("2");
  round_trip (fixture, first);
  round_trip (fixture, second);
  g_assert_cmpuint (rd_csta_link_get_n_live_calls (fixture->link), ==, 2);

  /* While the link is away call 21 ends; call 22 goes on at 202. */
  g_hash_table_insert (fixture->live, g_strdup ("22"), g_strdup ("202"));
  rd_sim_csta_drop_clients (fixture->sim);
  wait_until (fixture, went_down, "the link to notice the drop");
  wait_until (fixture, is_connected, "the link to reconnect");
  wait_until (fixture, have_lost_call, "the lost call to be cleared");

  assert_went_down_and_up (fixture, before);
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), >=, 1);
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture->link), ==, g_strv_length ((GStrv) stations));
  g_assert_cmpuint (rd_sim_csta_get_n_clients (fixture->sim), ==, 1);

  for (guint i = 0; i < fixture->events->len; i++)
    {
      RdCtiEvent *event = g_ptr_array_index (fixture->events, i);

      if (event->type == RD_CTI_EVENT_CLEARED)
        {
          n_lost++;
          lost = event;
        }
    }
  g_assert_cmpuint (n_lost, ==, 1);
  g_assert_cmpstr (lost->call_id, ==, "21");
  g_assert_cmpstr (lost->cause, ==, "lost");
  g_assert_cmpstr (lost->calling, ==, "0612345678");
  g_assert_null (lost->extension);
  g_assert_cmpuint (rd_csta_link_get_n_live_calls (fixture->link), ==, 1);

  /* The monitors work again: events of the surviving call arrive. */
  {
    g_autoptr(RdCtiEvent) end = make_event (RD_CTI_EVENT_CLEARED, "22", "202", RD_CALL_DIRECTION_IN,
                                            "0687654321", "0301234567");

    end->trunk = g_strdup ("2");
    end->cause = g_strdup ("normal");
    assert_same_event (end, round_trip (fixture, end));
  }
  g_assert_cmpuint (rd_csta_link_get_n_live_calls (fixture->link), ==, 0);
}

static void
test_keepalives_stopped (Fixture       *fixture,
                         gconstpointer  data)
{
  guint before = fixture->states->len;
  g_autofree char *detail = NULL;

  rd_sim_csta_set_keepalives_enabled (fixture->sim, FALSE);
  wait_until (fixture, is_down, "the link to declare the PBX dead");
  detail = rd_cti_link_dup_detail (RD_CTI_LINK (fixture->link));
  g_assert_nonnull (strstr (detail, "keepalive"));

  rd_sim_csta_set_keepalives_enabled (fixture->sim, TRUE);
  wait_until (fixture, is_connected, "the link to reconnect");
  assert_went_down_and_up (fixture, before);
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), >=, 1);
}

static gboolean
saw_bad_frame (Fixture *fixture)
{
  return rd_csta_link_get_n_bad_frames (fixture->link) > 0;
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  guint before = fixture->states->len;
  g_autoptr(RdCtiEvent) after = make_event (RD_CTI_EVENT_RINGING, "40", "203", RD_CALL_DIRECTION_IN,
                                            "0612345678", "0301234567");

  g_assert_cmpuint (rd_csta_link_get_n_bad_frames (fixture->link), ==, 0);
  rd_sim_csta_send_garbage (fixture->sim);
  wait_until (fixture, saw_bad_frame, "the link to reject the garbage");
  wait_until (fixture, went_down, "the link to drop the connection");
  wait_until (fixture, is_connected, "the link to reconnect");
  assert_went_down_and_up (fixture, before);
  g_assert_cmpuint (rd_csta_link_get_n_bad_frames (fixture->link), ==, 1);

  after->trunk = g_strdup ("1");
  assert_same_event (after, round_trip (fixture, after));
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint before = fixture->states->len;
  guint16 port = rd_sim_csta_get_port (fixture->sim);
  gint64 start;

  rd_sim_csta_close (fixture->sim);
  wait_until (fixture, is_down, "the link to notice the PBX went away");

  start = g_get_monotonic_time ();
  rd_sim_csta_listen (fixture->sim, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rd_sim_csta_get_port (fixture->sim), ==, port);
  wait_until (fixture, is_connected, "the link to come back");
  /* Reported, not asserted: the benchmark measures it. */
  g_test_message ("reconnected %" G_GINT64_FORMAT " ms after the PBX listened again",
                  (g_get_monotonic_time () - start) / 1000);

  assert_went_down_and_up (fixture, before);
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), >=, 1);
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture->link), ==, g_strv_length ((GStrv) stations));
}

static RdCstaLink *second_link;

static gboolean
second_connected (Fixture *fixture)
{
  return rd_cti_link_get_state (RD_CTI_LINK (second_link)) == RD_CTI_LINK_STATE_CONNECTED;
}

static void
count_event (RdCtiLink  *link,
             RdCtiEvent *event,
             guint      *count)
{
  (*count)++;
}

static guint second_count;

static gboolean
second_has_event (Fixture *fixture)
{
  return second_count > 0;
}

static void
test_two_clients (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RdCtiEvent) ringing = make_event (RD_CTI_EVENT_RINGING, "50", "202", RD_CALL_DIRECTION_IN,
                                              "0612345678", "0301234567");

  second_link = new_link (fixture);
  second_count = 0;
  g_signal_connect (second_link, "event", G_CALLBACK (count_event), &second_count);
  rd_cti_link_start (RD_CTI_LINK (second_link));
  wait_until (fixture, second_connected, "the second link to connect");
  g_assert_cmpuint (rd_sim_csta_get_n_clients (fixture->sim), ==, 2);

  ringing->trunk = g_strdup ("1");
  assert_same_event (ringing, round_trip (fixture, ringing));
  wait_until (fixture, second_has_event, "the second link's event");
  g_assert_cmpuint (second_count, ==, 1);

  rd_cti_link_stop (RD_CTI_LINK (second_link));
  g_clear_object (&second_link);
}

static gboolean
sim_has_no_client (Fixture *fixture)
{
  return rd_sim_csta_get_n_clients (fixture->sim) == 0;
}

/* stop() closes the association; start() logs in afresh. */
static void
test_stop_start (Fixture       *fixture,
                 gconstpointer  data)
{
  guint before;

  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)), ==, RD_CTI_LINK_STATE_STOPPED);
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture->link), ==, 0);
  wait_until (fixture, sim_has_no_client, "the simulator to see the link go");

  before = fixture->states->len;
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_until (fixture, is_connected, "the link to connect again");
  g_assert_cmpint (g_array_index (fixture->states, RdCtiLinkState, before), ==, RD_CTI_LINK_STATE_CONNECTING);
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture->link), ==, g_strv_length ((GStrv) stations));
  /* A deliberate stop is not a reconnect. */
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), ==, 0);
}

static gboolean
is_connecting_or_down (Fixture *fixture)
{
  RdCtiLinkState state = rd_cti_link_get_state (RD_CTI_LINK (fixture->link));

  return state == RD_CTI_LINK_STATE_DOWN;
}

/* No PBX at all: the link keeps retrying, DOWN with a reason in between. */
static void
test_no_pbx (void)
{
  Fixture fixture = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  guint16 port;

  fixture.sim = rd_sim_csta_new ();
  g_assert_true (rd_sim_csta_listen (fixture.sim, "127.0.0.1", 0, &error));
  port = rd_sim_csta_get_port (fixture.sim);
  rd_sim_csta_close (fixture.sim);

  fixture.link = rd_csta_link_new ("127.0.0.1", port);
  rd_cti_link_start (RD_CTI_LINK (fixture.link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture.link)), ==, RD_CTI_LINK_STATE_CONNECTING);
  wait_until (&fixture, is_connecting_or_down, "the connection to be refused");
  detail = rd_cti_link_dup_detail (RD_CTI_LINK (fixture.link));
  g_assert_nonnull (strstr (detail, "Cannot connect"));

  rd_cti_link_stop (RD_CTI_LINK (fixture.link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (fixture.link)), ==, RD_CTI_LINK_STATE_STOPPED);
  g_clear_object (&fixture.link);
  g_clear_object (&fixture.sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- the simulator against a misbehaving client ---------------------------------- */

typedef struct
{
  GSocketConnection *connection;
  GByteArray        *received;
  gboolean           closed;
  gboolean           busy;
} RawClient;

static RawClient *raw;

static gboolean
raw_idle (Fixture *fixture)
{
  return !raw->busy;
}

static gboolean
raw_closed (Fixture *fixture)
{
  return raw->closed;
}

static void raw_read (void);

static void
on_raw_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawClient *client = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      client->closed = TRUE;
      return;
    }
  g_byte_array_append (client->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  raw_read ();
}

static void
raw_read (void)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (raw->connection)),
                                   1024, G_PRIORITY_DEFAULT, NULL, on_raw_read, raw);
}

static void
on_raw_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  raw->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  g_assert_no_error (error);
  raw->busy = FALSE;
}

static void
on_raw_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  g_assert_no_error (error);
  raw->busy = FALSE;
}

static void
raw_connect (Fixture *fixture)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  raw = g_new0 (RawClient, 1);
  raw->received = g_byte_array_new ();
  raw->busy = TRUE;
  g_socket_client_connect_to_host_async (client, "127.0.0.1", rd_sim_csta_get_port (fixture->sim),
                                         NULL, on_raw_connected, NULL);
  wait_until (fixture, raw_idle, "the raw client to connect");
  raw_read ();
}

static void
raw_send (Fixture      *fixture,
          const guint8 *data,
          gsize         size)
{
  raw->busy = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (raw->connection)),
                                   data, size, G_PRIORITY_DEFAULT, NULL, on_raw_written, NULL);
  wait_until (fixture, raw_idle, "the raw client to write");
}

static void
raw_send_pdu (Fixture *fixture,
              GBytes  *pdu)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = rd_csta_frame_wrap (pdu, &error);

  g_assert_no_error (error);
  raw_send (fixture, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

static void
raw_free (void)
{
  g_io_stream_close (G_IO_STREAM (raw->connection), NULL, NULL);
  g_clear_object (&raw->connection);
  g_byte_array_unref (raw->received);
  g_clear_pointer (&raw, g_free);
}

static void
raw_associate (Fixture *fixture)
{
  g_autoptr(GBytes) aarq = rd_csta_acse_encode_aarq (RD_CSTA_VERSION_FIVE);

  raw_connect (fixture);
  raw_send_pdu (fixture, aarq);
}

static void
test_sim_wants_aarq_first (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) argument = rd_csta_system_status_encode_argument (RD_CSTA_SYSTEM_STATUS_NORMAL);
  g_autoptr(GBytes) invoke = rd_csta_rose_encode_invoke (1, RD_CSTA_OP_SYSTEM_STATUS, argument);

  raw_connect (fixture);
  raw_send_pdu (fixture, invoke);
  wait_until (fixture, raw_closed, "the simulator to drop the client");
  g_assert_cmpuint (raw->received->len, ==, 0);
  raw_free ();
  g_assert_cmpuint (rd_sim_csta_get_n_clients (fixture->sim), ==, 1);
}

static void
test_sim_drops_garbage (Fixture       *fixture,
                        gconstpointer  data)
{
  static const guint8 garbage[] = { 0x00, 0x04, 0xa1, 0x85, 0xff, 0xff };

  raw_associate (fixture);
  raw_send (fixture, garbage, sizeof garbage);
  wait_until (fixture, raw_closed, "the simulator to drop the client");
  /* It did answer the AARQ first. */
  g_assert_cmpuint (raw->received->len, >, 2);
  g_assert_cmpuint (raw->received->data[2], ==, 0x61);
  raw_free ();
}

static void
test_sim_drops_zero_frame (Fixture       *fixture,
                           gconstpointer  data)
{
  static const guint8 empty[] = { 0x00, 0x00 };

  raw_associate (fixture);
  raw_send (fixture, empty, sizeof empty);
  wait_until (fixture, raw_closed, "the simulator to drop the client");
  raw_free ();
}

static void
test_sim_drops_silent_client (Fixture       *fixture,
                              gconstpointer  data)
{
  /* Associates, then never answers systemStatus. */
  raw_associate (fixture);
  wait_until (fixture, raw_closed, "the simulator to give up on the client");
  g_assert_cmpuint (raw->received->len, >, 2);
  raw_free ();
  /* The well-behaved link is still there. */
  g_assert_cmpuint (rd_sim_csta_get_n_clients (fixture->sim), ==, 1);
  g_assert_true (is_connected (fixture));
}

static guint many_events;

static void
count_many (RdCtiLink  *link,
            RdCtiEvent *event,
            RdCtiEvent *expected)
{
  if (g_strcmp0 (event->extension, expected->extension) == 0 &&
      g_strcmp0 (event->call_id, expected->call_id) == 0)
    many_events++;
}

static gboolean
have_many_event (Fixture *fixture)
{
  return many_events > 0;
}

/* Discovery in several segments (the simulator sends 32 devices a segment),
 * deviceNumbers of 100 stations, one monitor each. */
static void
test_many_stations (void)
{
  Fixture fixture = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) many = NULL;
  g_auto(GStrv) discovered = NULL;
  g_autoptr(RdCtiEvent) ringing = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", 1000 + i);

      g_strv_builder_add (builder, number);
    }
  many = g_strv_builder_end (builder);

  fixture.sim = rd_sim_csta_new ();
  rd_sim_csta_set_devices (fixture.sim, (const char * const *) many, trunks);
  rd_sim_csta_set_keepalive_interval (fixture.sim, 200);
  g_assert_true (rd_sim_csta_listen (fixture.sim, "127.0.0.1", 0, &error));
  fixture.link = new_link (&fixture);
  rd_cti_link_start (RD_CTI_LINK (fixture.link));
  wait_until (&fixture, is_connected, "the link to monitor 100 stations");

  discovered = rd_csta_link_dup_stations (fixture.link);
  g_assert_true (g_strv_equal ((const char * const *) discovered, (const char * const *) many));
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture.link), ==, 100);
  g_assert_cmpuint (rd_sim_csta_get_n_monitors (fixture.sim), ==, 100);

  ringing = make_event (RD_CTI_EVENT_RINGING, "60", "1099", RD_CALL_DIRECTION_IN, "0612345678", "1099");
  many_events = 0;
  g_signal_connect (fixture.link, "event", G_CALLBACK (count_many), ringing);
  rd_sim_csta_send_event (fixture.sim, ringing);
  wait_until (&fixture, have_many_event, "the event at the last station");

  rd_cti_link_stop (RD_CTI_LINK (fixture.link));
  g_clear_object (&fixture.link);
  g_clear_object (&fixture.sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* [csta] host/port/keepalive-timeout from the configuration. */
static void
test_from_config (void)
{
  Fixture fixture = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  guint port = 0;

  fixture.sim = rd_sim_csta_new ();
  rd_sim_csta_set_devices (fixture.sim, stations, NULL);
  rd_sim_csta_set_keepalive_interval (fixture.sim, 200);
  g_assert_true (rd_sim_csta_listen (fixture.sim, "127.0.0.1", 0, &error));

  text = g_strdup_printf ("[csta]\nhost=127.0.0.1\nport=%u\nkeepalive-timeout=2\nrequest-timeout=5\n",
                          rd_sim_csta_get_port (fixture.sim));
  g_assert_true (rd_config_load_from_data (config, text, strlen (text), &error));
  g_assert_no_error (error);

  fixture.link = rd_csta_link_new_from_config (config);
  g_object_get (fixture.link, "host", &host, "port", &port, NULL);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, rd_sim_csta_get_port (fixture.sim));
  rd_cti_link_start (RD_CTI_LINK (fixture.link));
  wait_until (&fixture, is_connected, "the configured link to connect");
  g_assert_cmpuint (rd_csta_link_get_n_monitors (fixture.link), ==, g_strv_length ((GStrv) stations));

  rd_cti_link_stop (RD_CTI_LINK (fixture.link));
  g_clear_object (&fixture.link);
  g_clear_object (&fixture.sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/csta-link/handshake", test_handshake);
  ADD ("/csta-link/every-event-type", test_every_event_type);
  ADD ("/csta-link/device-numbers", test_device_numbers);
  ADD ("/csta-link/cdr", test_cdr);
  ADD ("/csta-link/make-call", test_make_call);
  ADD ("/csta-link/make-call-link-drops", test_make_call_link_drops);
  ADD ("/csta-link/deflect-call", test_deflect_call);
  ADD ("/csta-link/drop-reconcile", test_drop_reconcile);
  ADD ("/csta-link/keepalives-stopped", test_keepalives_stopped);
  ADD ("/csta-link/garbage", test_garbage);
  ADD ("/csta-link/restart", test_restart);
  ADD ("/csta-link/two-clients", test_two_clients);
  ADD ("/csta-link/stop-start", test_stop_start);
  ADD ("/csta-sim/aarq-first", test_sim_wants_aarq_first);
  ADD ("/csta-sim/garbage-from-client", test_sim_drops_garbage);
  ADD ("/csta-sim/zero-length-frame", test_sim_drops_zero_frame);
  ADD ("/csta-sim/silent-client", test_sim_drops_silent_client);
  g_test_add_func ("/csta-link/no-pbx", test_no_pbx);
  g_test_add_func ("/csta-link/from-config", test_from_config);
  g_test_add_func ("/csta-link/many-stations", test_many_stations);

#undef ADD

  return g_test_run ();
}
