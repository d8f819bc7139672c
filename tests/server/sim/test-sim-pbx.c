/* test-sim-pbx.c: the event sequences of the simulated Panasonic PBX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-sim-pbx.h"
#include "rd-sim-recorder.h"

typedef struct
{
  RdSimPbx      *pbx;
  RdSimRecorder *rec;
  GDateTime     *epoch;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->pbx = rd_sim_pbx_new ();
  f->epoch = g_date_time_new_utc (2026, 3, 2, 9, 0, 0);
  rd_sim_pbx_set_epoch (f->pbx, f->epoch);
  f->rec = rd_sim_recorder_new (f->pbx);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  rd_sim_recorder_free (f->rec);
  g_assert_finalize_object (f->pbx);
  g_date_time_unref (f->epoch);
}

static void
assert_taken (Fixture    *f,
              const char *expected)
{
  g_autofree char *got = rd_sim_recorder_take (f->rec);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_incoming_answered (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  RdCtiEvent *event;
  g_autoptr(GDateTime) expected_at = NULL;

  id = rd_sim_pbx_incoming (f->pbx, "0612345678", "01", "912345678", "201", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  event = g_ptr_array_index (f->rec->events, 0);
  g_assert_cmpint (event->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (event->link, ==, "sim");
  g_assert_cmpstr (event->call_id, ==, id);
  g_assert_cmpstr (event->extension, ==, "201");
  g_assert_cmpstr (event->calling, ==, "0612345678");
  g_assert_cmpstr (event->called, ==, "912345678");
  g_assert_cmpstr (event->ddi, ==, "912345678");
  g_assert_cmpstr (event->trunk, ==, "01");
  g_assert_cmpint (event->direction, ==, RD_CALL_DIRECTION_IN);
  g_assert_true (g_date_time_equal (event->at, f->epoch));

  /* the trunk is busy while the call lasts */
  g_assert_null (rd_sim_pbx_incoming (f->pbx, "0600000000", "01", NULL, "202", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_CONFLICT);
  g_clear_error (&error);

  rd_sim_pbx_advance (f->pbx, 5000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, &error));
  g_assert_no_error (error);
  rd_sim_pbx_advance (f->pbx, 30000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, &error));
  g_assert_no_error (error);

  event = rd_sim_recorder_last (f->rec, RD_CTI_EVENT_RECORD);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->call_id, ==, id);
  g_assert_cmpstr (event->trunk, ==, "01");
  g_assert_cmpint (event->outcome, ==, RD_CALL_OUTCOME_ANSWERED);
  expected_at = g_date_time_add_seconds (f->epoch, 35);
  g_assert_true (g_date_time_equal (event->at, expected_at));

  assert_taken (f, "ringing 201, answered 201, cleared 201, cleared *, record 201 answered 5/30");
  g_assert_cmpuint (rd_sim_pbx_get_n_calls (f->pbx), ==, 0);

  /* the trunk is free again, and call ids are new */
  id2 = rd_sim_pbx_incoming (f->pbx, "0600000000", "01", NULL, "202", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id2, !=, id);
}

static void
test_hunt_missed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  RdCtiEvent *event;

  id = rd_sim_pbx_incoming (f->pbx, "0612345678", NULL, NULL, "201", &error);
  g_assert_no_error (error);
  rd_sim_pbx_advance (f->pbx, 10000);
  g_assert_true (rd_sim_pbx_divert (f->pbx, id, "202", NULL, &error));
  rd_sim_pbx_advance (f->pbx, 10000);
  g_assert_true (rd_sim_pbx_divert (f->pbx, id, "203", NULL, &error));
  g_assert_false (rd_sim_pbx_divert (f->pbx, id, "203", NULL, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  rd_sim_pbx_advance (f->pbx, 10000);
  g_assert_true (rd_sim_pbx_no_answer (f->pbx, id, &error));
  g_assert_no_error (error);

  event = g_ptr_array_index (f->rec->events, 1);
  g_assert_cmpstr (event->cause, ==, "no_answer");
  /* the first free trunk was seized */
  g_assert_cmpstr (event->trunk, ==, "01");
  /* without a DDI the called number is the station */
  g_assert_cmpstr (event->called, ==, "201");

  assert_taken (f, "ringing 201, diverted 201>202, ringing 202, diverted 202>203, ringing 203, "
                   "cleared 203, cleared *, record 203 missed 30/0");
}

static void
test_abandon (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = rd_sim_pbx_incoming (f->pbx, "0612345678", "02", NULL, "202", &error);
  rd_sim_pbx_advance (f->pbx, 8000);

  /* a ringing call cannot be hung up by the station, only abandoned */
  g_assert_false (rd_sim_pbx_hangup (f->pbx, id, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  g_assert_true (rd_sim_pbx_abandon (f->pbx, id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rd_sim_recorder_last (f->rec, RD_CTI_EVENT_RECORD)->cause, ==, "abandoned");
  assert_taken (f, "ringing 202, cleared 202, cleared *, record 202 abandoned 8/0");

  /* the call is gone */
  g_assert_false (rd_sim_pbx_answer (f->pbx, id, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
}

static void
test_hold_retrieve (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = rd_sim_pbx_incoming (f->pbx, "0612345678", NULL, NULL, "201", &error);
  g_assert_false (rd_sim_pbx_hold (f->pbx, id, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  rd_sim_pbx_advance (f->pbx, 2000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  g_assert_false (rd_sim_pbx_answer (f->pbx, id, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  g_assert_true (rd_sim_pbx_hold (f->pbx, id, NULL));
  g_assert_false (rd_sim_pbx_hold (f->pbx, id, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  rd_sim_pbx_advance (f->pbx, 20000);
  g_assert_true (rd_sim_pbx_retrieve (f->pbx, id, NULL));
  rd_sim_pbx_advance (f->pbx, 3000);
  /* hanging up on hold works too */
  g_assert_true (rd_sim_pbx_hold (f->pbx, id, NULL));
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));

  assert_taken (f, "ringing 201, answered 201, held 201, retrieved 201, held 201, "
                   "cleared 201, cleared *, record 201 answered 2/23");
}

static void
test_blind_transfer (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = rd_sim_pbx_incoming (f->pbx, "0612345678", NULL, NULL, "201", &error);
  rd_sim_pbx_advance (f->pbx, 4000);
  g_assert_false (rd_sim_pbx_transfer (f->pbx, id, "203", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  rd_sim_pbx_advance (f->pbx, 20000);
  g_assert_false (rd_sim_pbx_transfer (f->pbx, id, "999", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_true (rd_sim_pbx_transfer (f->pbx, id, "203", &error));
  g_assert_no_error (error);
  rd_sim_pbx_advance (f->pbx, 5000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  rd_sim_pbx_advance (f->pbx, 40000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));

  /* the ring time is until the first answer; the talk time includes the
   * transfer */
  assert_taken (f, "ringing 201, answered 201, transferred 201>203, ringing 203, answered 203, "
                   "cleared 203, cleared *, record 203 answered 4/65");
}

static void
test_consultation_transfer (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *leg = NULL;
  g_auto(GStrv) at_202 = NULL;
  RdCtiEvent *event;

  id = rd_sim_pbx_incoming (f->pbx, "0277889900", NULL, "912345679", "202", &error);
  rd_sim_pbx_advance (f->pbx, 3000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  rd_sim_pbx_advance (f->pbx, 15000);

  g_assert_false (rd_sim_pbx_complete_transfer (f->pbx, id, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  leg = rd_sim_pbx_consult (f->pbx, id, "204", &error);
  g_assert_no_error (error);
  g_assert_nonnull (leg);
  g_assert_cmpstr (leg, !=, id);

  /* the consultation leg is an internal call from 202 */
  event = g_ptr_array_index (f->rec->events, f->rec->events->len - 1);
  g_assert_cmpstr (event->call_id, ==, leg);
  g_assert_cmpint (event->direction, ==, RD_CALL_DIRECTION_INTERNAL);
  g_assert_cmpstr (event->calling, ==, "202");
  at_202 = rd_sim_pbx_snapshot (f->pbx, "202");
  g_assert_cmpuint (g_strv_length (at_202), ==, 2);

  rd_sim_pbx_advance (f->pbx, 3000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, leg, NULL));
  g_assert_true (rd_sim_pbx_complete_transfer (f->pbx, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rd_sim_pbx_get_n_calls (f->pbx), ==, 1);
  rd_sim_pbx_advance (f->pbx, 25000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));

  assert_taken (f, "ringing 202, answered 202, held 202, originated 202, ringing 204, "
                   "answered 204, cleared *, transferred 202>204, "
                   "cleared 204, cleared *, record 204 answered 3/43");
}

static void
test_consultation_abandoned (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *leg = NULL;

  id = rd_sim_pbx_incoming (f->pbx, "0277889900", NULL, NULL, "202", &error);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  leg = rd_sim_pbx_consult (f->pbx, id, "204", &error);
  rd_sim_pbx_advance (f->pbx, 4000);
  /* 204 does not answer; 202 takes the caller back */
  g_assert_true (rd_sim_pbx_retrieve (f->pbx, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rd_sim_pbx_get_n_calls (f->pbx), ==, 1);

  assert_taken (f, "ringing 202, answered 202, held 202, originated 202, ringing 204, "
                   "cleared 204, cleared *, record 204 missed 4/0, retrieved 202");
}

static void
test_outgoing (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  RdCtiEvent *event;

  id = rd_sim_pbx_outgoing (f->pbx, "203", "0612345678", "04", &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (f->rec->events, 0);
  g_assert_cmpint (event->direction, ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (event->calling, ==, "203");
  g_assert_cmpstr (event->called, ==, "0612345678");
  g_assert_cmpstr (event->trunk, ==, "04");

  rd_sim_pbx_advance (f->pbx, 7000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  rd_sim_pbx_advance (f->pbx, 45000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));
  assert_taken (f, "originated 203, answered 203, cleared 203, cleared *, "
                   "record 203 answered 7/45");

  /* nobody answers an outgoing call: missed */
  g_clear_pointer (&id, g_free);
  id = rd_sim_pbx_outgoing (f->pbx, "203", "0612345678", NULL, &error);
  rd_sim_pbx_advance (f->pbx, 20000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));
  assert_taken (f, "originated 203, cleared 203, cleared *, record 203 missed 20/0");
}

static void
test_internal (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  RdCtiEvent *event;

  g_assert_null (rd_sim_pbx_internal (f->pbx, "204", "204", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  id = rd_sim_pbx_internal (f->pbx, "204", "201", &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (f->rec->events, 1);
  g_assert_cmpint (event->direction, ==, RD_CALL_DIRECTION_INTERNAL);
  g_assert_null (event->trunk);
  g_assert_cmpstr (event->calling, ==, "204");
  g_assert_cmpstr (event->called, ==, "201");

  rd_sim_pbx_advance (f->pbx, 3000);
  g_assert_true (rd_sim_pbx_answer (f->pbx, id, NULL));
  rd_sim_pbx_advance (f->pbx, 20000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));
  assert_taken (f, "originated 204, ringing 201, answered 201, cleared 201, cleared *, "
                   "record 201 answered 3/20");
}

static void
test_make_call (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *found = NULL;
  RdCtiEvent *event;

  g_assert_null (rd_sim_pbx_make_call (f->pbx, "999", "0612345678", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (rd_sim_pbx_make_call (f->pbx, "201", "", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (rd_sim_pbx_make_call (f->pbx, "201", "201", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (rd_sim_pbx_make_call (f->pbx, "201", "06 12", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (rd_sim_pbx_incoming (f->pbx, "caller\xc3\xa9", NULL, NULL, "201", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (rd_sim_pbx_incoming (f->pbx, "0612345678", NULL, "9123456789012345678901234567890123", "201", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (rd_sim_pbx_outgoing (f->pbx, "201", NULL, NULL, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_cmpuint (f->rec->events->len, ==, 0);

  id = rd_sim_pbx_make_call (f->pbx, "201", "0612345678", &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (f->rec->events, 0);
  g_assert_cmpstr (event->cause, ==, "make_call");
  g_assert_cmpint (event->direction, ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (event->called, ==, "0612345678");
  assert_taken (f, "ringing 201");

  rd_sim_pbx_advance (f->pbx, 2000);
  assert_taken (f, "originated 201");
  rd_sim_pbx_advance (f->pbx, 4000);
  assert_taken (f, "answered 201");
  found = rd_sim_pbx_find_call (f->pbx, "201", FALSE);
  g_assert_cmpstr (found, ==, id);
  rd_sim_pbx_advance (f->pbx, 10000);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));
  assert_taken (f, "cleared 201, cleared *, record 201 answered 4/10");

  /* to a station: an internal call that rings there */
  id2 = rd_sim_pbx_make_call (f->pbx, "201", "202", &error);
  g_assert_no_error (error);
  rd_sim_pbx_advance (f->pbx, 2000);
  rd_sim_pbx_advance (f->pbx, 10000);
  assert_taken (f, "ringing 201, originated 201, ringing 202");
  g_assert_true (rd_sim_pbx_answer (f->pbx, id2, NULL));
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id2, NULL));
  assert_taken (f, "answered 202, cleared 202, cleared *, record 202 answered 10/0");
  g_assert_cmpuint (rd_sim_pbx_get_n_pending (f->pbx), ==, 0);
}

static void
test_deflect_snapshot (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *ringing = NULL;
  g_auto(GStrv) idle = NULL;
  g_auto(GStrv) busy = NULL;

  a = rd_sim_pbx_incoming (f->pbx, "0612345678", NULL, NULL, "201", &error);
  b = rd_sim_pbx_internal (f->pbx, "201", "205", &error);
  g_assert_no_error (error);

  idle = rd_sim_pbx_snapshot (f->pbx, "207");
  g_assert_cmpuint (g_strv_length (idle), ==, 0);
  busy = rd_sim_pbx_snapshot (f->pbx, "201");
  g_assert_cmpuint (g_strv_length (busy), ==, 2);
  g_assert_cmpstr (busy[0], ==, a);
  g_assert_cmpstr (busy[1], ==, b);
  ringing = rd_sim_pbx_find_call (f->pbx, "201", TRUE);
  g_assert_cmpstr (ringing, ==, a);

  /* the call does not ring 202 */
  g_assert_false (rd_sim_pbx_deflect (f->pbx, a, "202", "203", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_false (rd_sim_pbx_deflect (f->pbx, "4242", "201", "203", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_free (rd_sim_recorder_take (f->rec));

  g_assert_true (rd_sim_pbx_deflect (f->pbx, a, "201", "203", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rd_sim_recorder_last (f->rec, RD_CTI_EVENT_DIVERTED)->cause, ==, "deflected");
  assert_taken (f, "diverted 201>203, ringing 203");
}

static char *
run_load (guint32 seed,
          guint  *n_records,
          guint  *n_answered)
{
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(RdSimRecorder) rec = rd_sim_recorder_new (pbx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) stations = g_hash_table_new (g_str_hash, g_str_equal);
  GString *all = g_string_new (NULL);

  g_assert_true (rd_sim_pbx_start_load (pbx, 5, "301", "320", 10, seed, &error));
  g_assert_no_error (error);
  rd_sim_pbx_run_pending (pbx);

  *n_records = rd_sim_recorder_count (rec, RD_CTI_EVENT_RECORD);
  *n_answered = rd_sim_recorder_count (rec, RD_CTI_EVENT_ANSWERED);
  for (guint i = 0; i < rec->events->len; i++)
    {
      RdCtiEvent *event = g_ptr_array_index (rec->events, i);
      g_autofree char *text = rd_cti_event_to_string (event);
      guint64 ext;

      if (event->type == RD_CTI_EVENT_RINGING)
        {
          g_assert_true (g_ascii_string_to_unsigned (event->extension, 10, 301, 320, &ext, NULL));
          g_hash_table_add (stations, event->extension);
        }
      g_string_append_printf (all, "%s\n", text);
    }
  /* the calls spread over the range */
  g_assert_cmpuint (g_hash_table_size (stations), >, 5);
  g_assert_cmpuint (rd_sim_pbx_get_n_calls (pbx), ==, 0);

  return g_string_free (all, FALSE);
}

static void
test_load (void)
{
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autoptr(GError) error = NULL;
  guint n_records;
  guint n_answered;

  first = run_load (7, &n_records, &n_answered);
  /* 5 calls/s for 10 s, each answered and hung up */
  g_assert_cmpuint (n_records, ==, 50);
  g_assert_cmpuint (n_answered, ==, 50);

  again = run_load (7, &n_records, &n_answered);
  g_assert_cmpstr (first, ==, again);
  other = run_load (8, &n_records, &n_answered);
  g_assert_cmpstr (first, !=, other);

  g_assert_false (rd_sim_pbx_start_load (pbx, 0, "301", "320", 10, 1, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (rd_sim_pbx_start_load (pbx, 1, "320", "301", 10, 1, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (rd_sim_pbx_start_load (pbx, 1, "3x", "301", 10, 1, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  guint agent_rings = 0;
  gint64 first_ring = -1;
  guint outcomes[4] = { 0 };
  guint n_out = 0;
  guint n_transfers = 0;
  guint n_records = 0;
  guint n_started = 0;

  rd_sim_pbx_start_demo (f->pbx, "250", 42);
  g_assert_true (rd_sim_pbx_has_station (f->pbx, "250"));
  /* trunks are added so that demo calls always find one */
  g_assert_cmpuint (g_strv_length ((GStrv) rd_sim_pbx_get_trunks (f->pbx)), ==, 10);
  g_assert_cmpstr (rd_sim_pbx_get_trunks (f->pbx)[0], ==, "01");
  g_assert_cmpstr (rd_sim_pbx_get_trunks (f->pbx)[9], ==, "10");

  for (guint second = 0; second < 600; second++)
    {
      guint before = f->rec->events->len;

      rd_sim_pbx_advance (f->pbx, 1000);
      for (guint i = before; i < f->rec->events->len; i++)
        {
          RdCtiEvent *event = g_ptr_array_index (f->rec->events, i);

          if (event->type == RD_CTI_EVENT_RINGING && g_strcmp0 (event->extension, "250") == 0 &&
              g_strcmp0 (event->cause, "new_call") == 0)
            {
              agent_rings++;
              if (first_ring < 0)
                first_ring = second + 1;
            }
        }
    }

  /* no more calls; those in progress play out */
  rd_sim_pbx_stop_traffic (f->pbx);
  rd_sim_pbx_run_pending (f->pbx);
  g_assert_cmpuint (rd_sim_pbx_get_n_calls (f->pbx), ==, 0);

  for (guint i = 0; i < f->rec->events->len; i++)
    {
      RdCtiEvent *event = g_ptr_array_index (f->rec->events, i);

      if (event->type == RD_CTI_EVENT_RECORD)
        {
          outcomes[event->outcome]++;
          n_records++;
        }
      if ((event->type == RD_CTI_EVENT_RINGING || event->type == RD_CTI_EVENT_ORIGINATED) &&
          g_strcmp0 (event->cause, "new_call") == 0)
        n_started++;
      if (event->type == RD_CTI_EVENT_ORIGINATED && event->direction == RD_CALL_DIRECTION_OUT)
        n_out++;
      if (event->type == RD_CTI_EVENT_TRANSFERRED)
        n_transfers++;
    }

  /* the first call for the agent within 10 s, then at least one a minute */
  g_assert_cmpint (first_ring, >=, 0);
  g_assert_cmpint (first_ring, <=, 10);
  g_assert_cmpuint (agent_rings, >=, 10);
  g_assert_cmpuint (outcomes[RD_CALL_OUTCOME_ANSWERED], >, 0);
  g_assert_cmpuint (outcomes[RD_CALL_OUTCOME_MISSED], >, 0);
  g_assert_cmpuint (outcomes[RD_CALL_OUTCOME_ABANDONED], >, 0);
  g_assert_cmpuint (n_out, >, 0);
  g_assert_cmpuint (n_transfers, >, 0);
  /* a call every 12 s from 5 s on, each placed (a trunk free) and ended */
  g_assert_cmpuint (n_started, ==, 50);
  g_assert_cmpuint (n_records, ==, n_started);

}

static void
test_time_scale (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* with the clock running 100× faster, click-to-dial plays out in the main
   * loop by itself: 6 s of PBX time until the far end answers */
  id = rd_sim_pbx_make_call (f->pbx, "201", "0612345678", &error);
  g_assert_no_error (error);
  rd_sim_pbx_set_time_scale (f->pbx, 100);
  g_assert_cmpfloat (rd_sim_pbx_get_time_scale (f->pbx), ==, 100);
  while (rd_sim_recorder_count (f->rec, RD_CTI_EVENT_ANSWERED) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (rd_sim_pbx_get_elapsed (f->pbx), >=, 6000);
  assert_taken (f, "ringing 201, originated 201, answered 201");

  /* stopped again, the clock only moves when told */
  rd_sim_pbx_set_time_scale (f->pbx, 0);
  g_assert_true (rd_sim_pbx_hangup (f->pbx, id, NULL));
  assert_taken (f, "cleared 201, cleared *, record 201 answered 4/0");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sim/pbx/incoming-answered", test_incoming_answered);
  ADD ("/sim/pbx/hunt-missed", test_hunt_missed);
  ADD ("/sim/pbx/abandon", test_abandon);
  ADD ("/sim/pbx/hold-retrieve", test_hold_retrieve);
  ADD ("/sim/pbx/blind-transfer", test_blind_transfer);
  ADD ("/sim/pbx/consultation-transfer", test_consultation_transfer);
  ADD ("/sim/pbx/consultation-abandoned", test_consultation_abandoned);
  ADD ("/sim/pbx/outgoing", test_outgoing);
  ADD ("/sim/pbx/internal", test_internal);
  ADD ("/sim/pbx/make-call", test_make_call);
  ADD ("/sim/pbx/deflect-snapshot", test_deflect_snapshot);
  ADD ("/sim/pbx/demo", test_demo);
  ADD ("/sim/pbx/time-scale", test_time_scale);
  g_test_add_func ("/sim/pbx/load", test_load);

#undef ADD

  return g_test_run ();
}
