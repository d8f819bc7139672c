/* test-call-engine.c: the call engine fed by a scripted link, on a real
 * sqlite file in a temp dir; every scenario checks the stored call, its
 * hops and tickets, and the extensions each live event is routed to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestCallEngine"

#include "config.h"

#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-call-engine.h"
#include "rd-ticket-store.h"
#include "rd-test-http.h"
#include "rd-test-link.h"

#define WAIT_LIMIT_S 20


typedef struct
{
  char         *dir;
  RdConfig     *config;
  RdStore      *store;
  RdCallEngine *engine;
  RdTestLink   *link;
  GPtrArray    *events;   /* Seen */
  GPtrArray    *logs;     /* hop log files written */
  GDateTime    *base;
} Fixture;

typedef struct
{
  RdEvent *event;
  char    *routed;        /* "732,733" or "*" for NULL */
} Seen;

static void
seen_free (gpointer data)
{
  Seen *seen = data;

  g_clear_object (&seen->event);
  g_free (seen->routed);
  g_free (seen);
}

static void
event_cb (RdCallEngine *engine,
          RdEvent      *event,
          GStrv         extensions,
          Fixture      *f)
{
  Seen *seen = g_new0 (Seen, 1);

  seen->event = g_object_ref (event);
  seen->routed = extensions != NULL ? g_strjoinv (",", extensions) : g_strdup ("*");
  g_ptr_array_add (f->events, seen);
}

static void
hop_log_cb (RdCallEngine *engine,
            const char   *filename,
            Fixture      *f)
{
  g_ptr_array_add (f->logs, g_strdup (filename != NULL ? filename : ""));
}

static void
start_engine (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->engine = rd_call_engine_new (f->config, f->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->engine);
  g_signal_connect (f->engine, "event", G_CALLBACK (event_cb), f);
  g_signal_connect (f->engine, "hop-log-written", G_CALLBACK (hop_log_cb), f);
  rd_call_engine_add_link (f->engine, RD_CTI_LINK (f->link));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *conf = NULL;

  f->dir = g_dir_make_tmp ("rd-engine-XXXXXX", &error);
  g_assert_no_error (error);

  conf = g_strdup_printf ("[numbering]\nstart=1000\n%s", data != NULL ? (const char *) data : "");
  f->config = rd_config_new ();
  g_assert_true (rd_config_load_from_data (f->config, conf, strlen (conf), &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (f->config, f->dir);

  db = g_build_filename (f->dir, RD_STORE_FILENAME, NULL);
  f->store = rd_store_new (db);
  g_assert_true (rd_store_open (f->store, &error));
  g_assert_no_error (error);
  rd_store_set_ticket_number_start (f->store, 1000);

  f->events = g_ptr_array_new_with_free_func (seen_free);
  f->logs = g_ptr_array_new_with_free_func (g_free);
  f->link = rd_test_link_new ("test");
  rd_cti_link_start (RD_CTI_LINK (f->link));
  f->base = g_date_time_new_local (2026, 11, 22, 14, 0, 0);

  start_engine (f);
}

static void
stop_engine (Fixture *f)
{
  /* every ended call's hop log write is over before its folder goes */
  while (rd_call_engine_get_n_pending_writes (f->engine) > 0)
    g_main_context_iteration (NULL, TRUE);

  /* hop log writes still running keep the engine alive: they must not call back here */
  g_signal_handlers_disconnect_by_data (f->engine, f);
  g_clear_object (&f->engine);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_engine (f);
  g_clear_object (&f->link);
  g_clear_object (&f->store);
  g_clear_object (&f->config);
  g_clear_pointer (&f->events, g_ptr_array_unref);
  g_clear_pointer (&f->logs, g_ptr_array_unref);
  g_clear_pointer (&f->base, g_date_time_unref);
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* scripting */

static RdCtiEvent *
make_event (Fixture        *f,
            RdCtiEventType  type,
            const char     *call_id,
            const char     *extension,
            int             seconds)
{
  RdCtiEvent *event = rd_cti_event_new (type, "test");

  event->call_id = g_strdup (call_id);
  event->extension = g_strdup (extension);
  g_date_time_unref (event->at);
  event->at = g_date_time_add_seconds (f->base, seconds);

  return event;
}

static void
send (Fixture        *f,
      RdCtiEventType  type,
      const char     *call_id,
      const char     *extension,
      int             seconds)
{
  g_autoptr(RdCtiEvent) event = make_event (f, type, call_id, extension, seconds);

  rd_test_link_emit (f->link, event);
}

static void
send_ringing (Fixture    *f,
              const char *call_id,
              const char *extension,
              const char *calling,
              const char *ddi,
              int         seconds)
{
  g_autoptr(RdCtiEvent) event = make_event (f, RD_CTI_EVENT_RINGING, call_id, extension, seconds);

  event->calling = g_strdup (calling);
  event->called = g_strdup (ddi);
  event->ddi = g_strdup (ddi);
  event->trunk = g_strdup ("01");
  rd_test_link_emit (f->link, event);
}

static void
send_move (Fixture        *f,
           RdCtiEventType  type,
           const char     *call_id,
           const char     *from,
           const char     *to,
           int             seconds)
{
  g_autoptr(RdCtiEvent) event = make_event (f, type, call_id, from, seconds);

  event->target = g_strdup (to);
  rd_test_link_emit (f->link, event);
}

static void
send_cleared (Fixture    *f,
              const char *call_id,
              const char *cause,
              int         seconds)
{
  g_autoptr(RdCtiEvent) event = make_event (f, RD_CTI_EVENT_CLEARED, call_id, NULL, seconds);

  event->cause = g_strdup (cause);
  rd_test_link_emit (f->link, event);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* checks */

static Seen *
nth_event (Fixture    *f,
           const char *type,
           guint       nth)
{
  for (guint i = 0; i < f->events->len; i++)
    {
      Seen *seen = g_ptr_array_index (f->events, i);

      if (g_str_equal (rd_event_get_event_type (seen->event), type) && nth-- == 0)
        return seen;
    }

  return NULL;
}

static guint
count_events (Fixture    *f,
              const char *type)
{
  guint n = 0;

  while (nth_event (f, type, n) != NULL)
    n++;

  return n;
}

static void
assert_routed (Fixture    *f,
               const char *type,
               guint       nth,
               const char *routed)
{
  Seen *seen = nth_event (f, type, nth);

  g_assert_nonnull (seen);
  g_assert_cmpstr (seen->routed, ==, routed);
}

static RdCall *
get_call (Fixture    *f,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  RdCall *call = rd_call_store_get (rd_call_engine_get_call_store (f->engine), id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (call);
  return call;
}

static RdHop *
hop_at (RdCall *call,
        guint   i)
{
  RdHop *hop = g_list_model_get_item (rd_call_get_hops (call), i);

  g_assert_nonnull (hop);
  g_object_unref (hop);  /* the call keeps it */
  return hop;
}

static void
assert_hop (RdCall       *call,
            guint         i,
            const char   *extension,
            const char   *ticket,
            RdHopOutcome  outcome)
{
  RdHop *hop = hop_at (call, i);

  g_assert_cmpstr (rd_hop_get_extension (hop), ==, extension);
  g_assert_cmpstr (rd_hop_get_ticket (hop), ==, ticket);
  g_assert_cmpint (rd_hop_get_outcome (hop), ==, outcome);
  g_assert_nonnull (rd_hop_get_rung_at (hop));
  if (rd_call_get_state (call) == RD_CALL_STATE_ENDED)
    g_assert_nonnull (rd_hop_get_ended_at (hop));
}

static RdTicket *
get_ticket (Fixture *f,
            gint64   number)
{
  g_autoptr(RdTicketStore) tickets = rd_ticket_store_new (f->store);
  g_autoptr(GError) error = NULL;
  RdTicket *ticket = rd_ticket_store_get (tickets, number, NULL, &error);

  g_assert_no_error (error);
  return ticket;
}

static gint64
count_calls (Fixture *f)
{
  RdCallFilter filter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) calls = rd_call_store_list (rd_call_engine_get_call_store (f->engine), &filter, 500,
                                                    &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (calls);
}

static void
assert_tickets (RdCall     *call,
                const char *joined)
{
  g_autofree char *actual = g_strjoinv (",", (char **) rd_call_get_tickets (call));

  g_assert_cmpstr (actual, ==, joined);
}

/* scenarios */

#define INCOMING "[numbering]\nauto-ticket=incoming\n"

static void
test_incoming_answered (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  Seen *ringing;
  RdCall *payload;
  const char *notice;

  send_ringing (f, "c1", "732", "03472619287", "720", 0);
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 1);

  /* the ringing popup only to the rung extension, with the ticket as an object */
  assert_routed (f, RD_EVENT_CALL_RINGING, 0, "732");
  assert_routed (f, RD_EVENT_TICKET_CREATED, 0, "*");
  ringing = nth_event (f, RD_EVENT_CALL_RINGING, 0);
  payload = rd_event_get_call (ringing->event);
  g_assert_cmpstr (rd_event_get_extension (ringing->event), ==, "732");
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_ticket_objects (payload)), ==, 1);
  g_assert_cmpstr (rd_call_get_tickets (payload)[0], ==, "1000");
  g_assert_cmpstr (rd_call_get_ddi (payload), ==, "720");
  g_assert_cmpint (rd_call_get_direction (payload), ==, RD_CALL_DIRECTION_IN);

  send (f, RD_CTI_EVENT_ANSWERED, "c1", "732", 5);
  assert_routed (f, RD_EVENT_CALL_ANSWERED, 0, "732");
  assert_routed (f, RD_EVENT_NOTIFY_IM, 0, "732");
  notice = rd_event_get_text (nth_event (f, RD_EVENT_NOTIFY_IM, 0)->event);
  g_assert_cmpstr (notice, ==, "Ticket 1000 Caller 03472619287 Called 732 22.11.2026 14:00");

  send_cleared (f, "c1", "normal", 65);
  assert_routed (f, RD_EVENT_CALL_ENDED, 0, "732");
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 0);
  g_assert_cmpuint (count_events (f, RD_EVENT_NOTIFY_IM), ==, 1);

  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_state (call), ==, RD_CALL_STATE_ENDED);
  g_assert_cmpint (rd_call_get_outcome (call), ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_cmpstr (rd_call_get_from (call), ==, "03472619287");
  g_assert_cmpstr (rd_call_get_trunk (call), ==, "01");
  g_assert_nonnull (rd_call_get_answered_at (call));
  g_assert_cmpint (g_date_time_difference (rd_call_get_ended_at (call), rd_call_get_started_at (call)),
                   ==, 65 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_hops (call)), ==, 1);
  assert_hop (call, 0, "732", "1000", RD_HOP_OUTCOME_ANSWERED);
  assert_tickets (call, "1000");

  /* the ticket knows its call and the caller */
  ticket = get_ticket (f, 1000);
  g_assert_cmpstr (rd_ticket_get_requester_phone (ticket), ==, "03472619287");
  g_assert_cmpstr (rd_ticket_get_call_ids (ticket)[0], ==, "1");

  /* the ended call's hop log went to disk */
  rd_test_wait_for (&f->logs->len, 1);
}

static void
test_abandoned_and_missed (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RdCall) abandoned = NULL;
  g_autoptr(RdCall) missed = NULL;

  /* the caller hangs up while it rings */
  send_ringing (f, "a1", "732", "0612345678", "720", 0);
  send_cleared (f, "a1", NULL, 20);
  abandoned = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (abandoned), ==, RD_CALL_OUTCOME_ABANDONED);
  assert_hop (abandoned, 0, "732", "1000", RD_HOP_OUTCOME_ABANDONED);
  /* nobody answered: the message goes to who was rung last */
  assert_routed (f, RD_EVENT_NOTIFY_IM, 0, "732");
  assert_routed (f, RD_EVENT_CALL_ENDED, 0, "732");

  /* the PBX gives up: missed */
  send_ringing (f, "m1", "731", "0612345679", "720", 100);
  send (f, RD_CTI_EVENT_FAILED, "m1", "731", 110);
  send_cleared (f, "m1", "no_answer", 120);
  missed = get_call (f, "2");
  g_assert_cmpint (rd_call_get_outcome (missed), ==, RD_CALL_OUTCOME_MISSED);
  g_assert_null (rd_call_get_answered_at (missed));
  assert_hop (missed, 0, "731", "1001", RD_HOP_OUTCOME_NO_ANSWER);
  assert_routed (f, RD_EVENT_NOTIFY_IM, 1, "731");
}

static void
test_transfer_and_hold (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  RdCall *payload;

  send_ringing (f, "t1", "732", "03472619287", "720", 0);
  send (f, RD_CTI_EVENT_ANSWERED, "t1", "732", 3);

  send (f, RD_CTI_EVENT_HELD, "t1", "732", 10);
  assert_routed (f, RD_EVENT_CALL_HELD, 0, "732");
  g_assert_cmpint (rd_call_get_state (rd_event_get_call (nth_event (f, RD_EVENT_CALL_HELD, 0)->event)),
                   ==, RD_CALL_STATE_HELD);
  send (f, RD_CTI_EVENT_RETRIEVED, "t1", "732", 20);
  assert_routed (f, RD_EVENT_CALL_RETRIEVED, 0, "732");

  /* the transfer goes to the old and the new extension; the ticket follows */
  send_move (f, RD_CTI_EVENT_TRANSFERRED, "t1", "732", "733", 30);
  assert_routed (f, RD_EVENT_CALL_TRANSFERRED, 0, "732,733");
  payload = rd_event_get_call (nth_event (f, RD_EVENT_CALL_TRANSFERRED, 0)->event);
  g_assert_cmpstr (rd_call_get_tickets (payload)[0], ==, "1000");

  send (f, RD_CTI_EVENT_ANSWERED, "t1", "733", 35);
  /* answered goes to every extension rung */
  assert_routed (f, RD_EVENT_CALL_ANSWERED, 1, "732,733");
  /* the message went once, to who answered first */
  g_assert_cmpuint (count_events (f, RD_EVENT_NOTIFY_IM), ==, 1);
  send_cleared (f, "t1", "normal", 90);
  assert_routed (f, RD_EVENT_CALL_ENDED, 0, "732,733");

  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (call), ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_hops (call)), ==, 2);
  assert_hop (call, 0, "732", "1000", RD_HOP_OUTCOME_TRANSFERRED);
  assert_hop (call, 1, "733", "1000", RD_HOP_OUTCOME_ANSWERED);
  assert_tickets (call, "1000");
  ticket = get_ticket (f, 1000);
  g_assert_cmpuint (g_strv_length ((char **) rd_ticket_get_call_ids (ticket)), ==, 1);
}

static void
test_outgoing (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RdCtiEvent) event = make_event (f, RD_CTI_EVENT_ORIGINATED, "o1", "201", 0);
  g_autoptr(RdCall) call = NULL;

  event->direction = RD_CALL_DIRECTION_OUT;
  event->called = g_strdup ("0612345678");
  rd_test_link_emit (f->link, event);
  send (f, RD_CTI_EVENT_ANSWERED, "o1", NULL, 8);
  send_cleared (f, "o1", "normal", 70);

  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_direction (call), ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpstr (rd_call_get_from (call), ==, "201");
  g_assert_cmpstr (rd_call_get_to (call), ==, "0612345678");
  g_assert_cmpint (rd_call_get_outcome (call), ==, RD_CALL_OUTCOME_ANSWERED);
  assert_hop (call, 0, "201", NULL, RD_HOP_OUTCOME_ANSWERED);
  /* outgoing calls open no ticket and page nobody */
  assert_tickets (call, "");
  g_assert_cmpuint (count_events (f, RD_EVENT_NOTIFY_IM), ==, 0);
  g_assert_cmpuint (count_events (f, RD_EVENT_TICKET_CREATED), ==, 0);
  g_assert_cmpuint (count_events (f, RD_EVENT_CALL_RINGING), ==, 0);
}

/* a link that reports every dialling as outgoing (ExtText) dials a station:
 * the call is internal, as the number says */
static void
test_outgoing_to_station (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RdCtiEvent) event = make_event (f, RD_CTI_EVENT_ORIGINATED, "o1", "201", 0);
  g_autoptr(RdCall) call = NULL;

  event->direction = RD_CALL_DIRECTION_OUT;
  event->called = g_strdup ("204");
  rd_test_link_emit (f->link, event);
  send_cleared (f, "o1", "normal", 30);

  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_direction (call), ==, RD_CALL_DIRECTION_INTERNAL);
  g_assert_cmpstr (rd_call_get_to (call), ==, "204");
  assert_tickets (call, "");
}

static void
emit_smdr (Fixture        *f,
           RdCtiEventType  type,
           const char     *extension,
           const char     *calling,
           RdCallOutcome   outcome,
           int             seconds,
           gint64          ring,
           gint64          duration)
{
  g_autoptr(RdCtiEvent) event = rd_cti_event_new (type, "smdr");

  event->extension = g_strdup (extension);
  event->calling = g_strdup (calling);
  event->outcome = outcome;
  event->ring_time = ring;
  event->duration = duration;
  g_date_time_unref (event->at);
  event->at = g_date_time_add_seconds (f->base, seconds);
  /* the SMDR link is not one the engine drives: its events come straight in */
  rd_call_engine_handle_event (f->engine, event);
}

static void
test_smdr_records (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RdCall) live = NULL;
  g_autoptr(RdCall) after = NULL;

  /* RC and AN lines: a live call without call ids, found by extension and number */
  emit_smdr (f, RD_CTI_EVENT_RINGING, "732", "03472619287", RD_CALL_OUTCOME_NONE, 0, -1, -1);
  emit_smdr (f, RD_CTI_EVENT_ANSWERED, "732", NULL, RD_CALL_OUTCOME_NONE, 6, -1, -1);
  assert_routed (f, RD_EVENT_CALL_RINGING, 0, "732");
  assert_routed (f, RD_EVENT_CALL_ANSWERED, 0, "732");
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 1);

  /* the call record completes that call: no second one */
  emit_smdr (f, RD_CTI_EVENT_RECORD, "732", "03472619287", RD_CALL_OUTCOME_ANSWERED, 0, 6, 120);
  g_assert_cmpint (count_calls (f), ==, 1);
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 0);
  live = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (live), ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_cmpint (g_date_time_difference (rd_call_get_ended_at (live), rd_call_get_started_at (live)),
                   ==, 126 * G_TIME_SPAN_SECOND);
  assert_hop (live, 0, "732", "1000", RD_HOP_OUTCOME_ANSWERED);

  /* a record nothing live saw makes the call after the fact */
  emit_smdr (f, RD_CTI_EVENT_RECORD, "733", "0611223344", RD_CALL_OUTCOME_ABANDONED, 600, 12, 0);
  g_assert_cmpint (count_calls (f), ==, 2);
  after = get_call (f, "2");
  g_assert_cmpint (rd_call_get_state (after), ==, RD_CALL_STATE_ENDED);
  g_assert_cmpint (rd_call_get_outcome (after), ==, RD_CALL_OUTCOME_ABANDONED);
  g_assert_cmpstr (rd_call_get_from (after), ==, "0611223344");
  assert_hop (after, 0, "733", NULL, RD_HOP_OUTCOME_ABANDONED);
}

/* a link without call ids never clears: the next call at the extension ends the last */
static void
test_smdr_superseded (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RdCall) first = NULL;

  emit_smdr (f, RD_CTI_EVENT_RINGING, "732", "0611111111", RD_CALL_OUTCOME_NONE, 0, -1, -1);
  emit_smdr (f, RD_CTI_EVENT_RINGING, "732", "0622222222", RD_CALL_OUTCOME_NONE, 300, -1, -1);
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 1);
  first = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (first), ==, RD_CALL_OUTCOME_MISSED);
}

#define PER_HOP_HUNT "[numbering]\nper=hop\nauto-ticket=hunt\n" \
  "[hunt:service]\nmembers=731;732;733\nfirst=732\nwrap=true\nno-answer-timeout=1\npilot=600\n"

static void
test_hunt_wrap_per_hop (Fixture       *f,
                        gconstpointer  data)
{
  GPtrArray *deflections = rd_test_link_get_deflections (f->link);
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdTicket) first = NULL;
  g_autoptr(RdTicket) second = NULL;
  g_autoptr(RdTicket) third = NULL;
  guint n_ringing;

  /* the call reaches the pilot: the engine rings `first`, then the next on no answer */
  send_ringing (f, "h1", "600", "03472619287", "600", 0);
  rd_test_wait_for (&deflections->len, 3);
  g_assert_cmpstr (g_ptr_array_index (deflections, 0), ==, "h1:600>732");
  g_assert_cmpstr (g_ptr_array_index (deflections, 1), ==, "h1:732>733");
  /* past the end of the list back to its start */
  g_assert_cmpstr (g_ptr_array_index (deflections, 2), ==, "h1:733>731");

  /* each member rang: a popup each, only to that member */
  n_ringing = 0;
  while (count_events (f, RD_EVENT_CALL_RINGING) < 3)
    {
      g_main_context_iteration (NULL, TRUE);
      if (++n_ringing > 1000)
        g_assert_not_reached ();
    }
  assert_routed (f, RD_EVENT_CALL_RINGING, 0, "732");
  assert_routed (f, RD_EVENT_CALL_RINGING, 1, "733");
  assert_routed (f, RD_EVENT_CALL_RINGING, 2, "731");

  send (f, RD_CTI_EVENT_ANSWERED, "h1", "731", 2);
  assert_routed (f, RD_EVENT_CALL_ANSWERED, 0, "732,733,731");
  assert_routed (f, RD_EVENT_NOTIFY_IM, 0, "731");
  send_cleared (f, "h1", "normal", 60);
  /* no further step once answered */
  g_assert_cmpuint (deflections->len, ==, 3);

  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (call), ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_hops (call)), ==, 3);
  /* per=hop: a number per hop, from the tickets' counter */
  assert_hop (call, 0, "732", "1000", RD_HOP_OUTCOME_NO_ANSWER);
  assert_hop (call, 1, "733", "1001", RD_HOP_OUTCOME_NO_ANSWER);
  assert_hop (call, 2, "731", "1002", RD_HOP_OUTCOME_ANSWERED);
  assert_tickets (call, "1000,1001,1002");
  g_assert_cmpstr (rd_event_get_text (nth_event (f, RD_EVENT_NOTIFY_IM, 0)->event), ==,
                   "Ticket 1002 Caller 03472619287 Called 731 22.11.2026 14:00");

  /* the unanswered hops' numbers are gaps: their tickets are cancelled */
  first = get_ticket (f, 1000);
  second = get_ticket (f, 1001);
  third = get_ticket (f, 1002);
  g_assert_cmpint (rd_ticket_get_state (first), ==, RD_TICKET_STATE_CANCELLED);
  g_assert_cmpint (rd_ticket_get_state (second), ==, RD_TICKET_STATE_CANCELLED);
  g_assert_cmpint (rd_ticket_get_state (third), ==, RD_TICKET_STATE_OPEN);
  g_assert_cmpstr (rd_ticket_get_group (third), ==, "service");

  /* round robin: the next call starts one member on, also after a restart */
  stop_engine (f);
  start_engine (f);
  send_ringing (f, "h2", "600", "0612345678", "600", 100);
  rd_test_wait_for (&deflections->len, 4);
  g_assert_cmpstr (g_ptr_array_index (deflections, 3), ==, "h2:600>733");
  send_cleared (f, "h2", NULL, 101);
}

#define NO_WRAP_HUNT "[numbering]\nauto-ticket=hunt\n" \
  "[hunt:night]\nmembers=731;732\nfirst=732\nwrap=false\nno-answer-timeout=1\npilot=600\n"

static void
test_hunt_gives_up (Fixture       *f,
                    gconstpointer  data)
{
  GPtrArray *deflections = rd_test_link_get_deflections (f->link);
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdCall) passive = NULL;
  gboolean expired = FALSE;

  send_ringing (f, "g1", "600", "03472619287", "600", 0);
  rd_test_wait_for (&deflections->len, 1);
  g_assert_cmpstr (g_ptr_array_index (deflections, 0), ==, "g1:600>732");

  /* 732 is the last member: after its timeout the hunt gives up, no wrap */
  g_timeout_add_seconds (3, wait_timeout_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (deflections->len, ==, 1);

  send_cleared (f, "g1", NULL, 40);
  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (call), ==, RD_CALL_OUTCOME_MISSED);
  assert_hop (call, 0, "732", "1000", RD_HOP_OUTCOME_NO_ANSWER);
  /* per=call: one ticket; the message to who was rung last */
  assert_tickets (call, "1000");
  assert_routed (f, RD_EVENT_NOTIFY_IM, 0, "732");

  /* a link that cannot deflect: the engine follows what the PBX reports */
  {
    g_autoptr(RdCtiEvent) ring = rd_cti_event_new (RD_CTI_EVENT_RINGING, "pbx");
    g_autoptr(RdCtiEvent) divert = rd_cti_event_new (RD_CTI_EVENT_DIVERTED, "pbx");
    g_autoptr(RdCtiEvent) clear = rd_cti_event_new (RD_CTI_EVENT_CLEARED, "pbx");

    ring->call_id = g_strdup ("p1");
    ring->extension = g_strdup ("731");
    ring->calling = g_strdup ("0699887766");
    ring->ddi = g_strdup ("600");
    rd_call_engine_handle_event (f->engine, ring);
    divert->call_id = g_strdup ("p1");
    divert->extension = g_strdup ("731");
    divert->target = g_strdup ("732");
    rd_call_engine_handle_event (f->engine, divert);
    clear->call_id = g_strdup ("p1");
    rd_call_engine_handle_event (f->engine, clear);
  }
  g_assert_cmpuint (deflections->len, ==, 1);
  passive = get_call (f, "2");
  assert_hop (passive, 0, "731", "1001", RD_HOP_OUTCOME_NO_ANSWER);
  assert_hop (passive, 1, "732", "1001", RD_HOP_OUTCOME_ABANDONED);
  assert_routed (f, RD_EVENT_CALL_RINGING, 2, "732");
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RdCall) lost = NULL;
  g_autoptr(RdCall) next = NULL;

  send_ringing (f, "r1", "732", "03472619287", "720", 0);
  send (f, RD_CTI_EVENT_ANSWERED, "r1", "732", 4);
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 1);

  /* the server stops with the call live; the next engine on the same file ends it */
  stop_engine (f);
  start_engine (f);
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 0);
  lost = get_call (f, "1");
  g_assert_cmpint (rd_call_get_state (lost), ==, RD_CALL_STATE_ENDED);
  g_assert_cmpint (rd_call_get_outcome (lost), ==, RD_CALL_OUTCOME_ANSWERED);
  assert_hop (lost, 0, "732", "1000", RD_HOP_OUTCOME_ANSWERED);

  /* numbers go on from where they were, never reused */
  send_ringing (f, "r2", "731", "0612345678", "720", 100);
  next = get_call (f, "2");
  assert_tickets (next, "1001");
  send_cleared (f, "r2", NULL, 101);
}

static void
test_customer_lookup (Fixture       *f,
                      gconstpointer  data);

static RdCustomer *
lookup_cb (const char *e164,
           gpointer    user_data)
{
  RdCustomer *customer;

  if (g_strcmp0 (e164, "+34612345678") != 0)
    return NULL;

  customer = rd_customer_new ("cu-1");
  rd_customer_set_name (customer, "Ana Ruiz");
  return customer;
}

static void
test_customer_lookup (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdTicketStore) tickets = rd_ticket_store_new (f->store);
  g_autoptr(RdTicket) draft = rd_ticket_new (NULL);
  g_autoptr(RdTicket) older = NULL;
  g_autoptr(GError) error = NULL;
  RdCall *payload;

  /* an open ticket of this caller from before */
  rd_ticket_set_subject (draft, "Heating broken");
  rd_ticket_set_requester_phone (draft, "612345678");
  older = rd_ticket_store_create (tickets, draft, NULL, &error);
  g_assert_no_error (error);

  rd_call_engine_set_customer_lookup (f->engine, lookup_cb, NULL, NULL);
  send_ringing (f, "k1", "732", "612345678", "720", 0);

  payload = rd_event_get_call (nth_event (f, RD_EVENT_CALL_RINGING, 0)->event);
  g_assert_nonnull (rd_call_get_customer (payload));
  g_assert_cmpstr (rd_customer_get_name (rd_call_get_customer (payload)), ==, "Ana Ruiz");
  /* the call's own new ticket, then the caller's open one */
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_ticket_objects (payload)), ==, 2);
  g_assert_cmpstr (rd_call_get_tickets (payload)[0], ==, "1001");
  g_assert_cmpstr (rd_call_get_tickets (payload)[1], ==, "1000");

  send_cleared (f, "k1", NULL, 10);
  call = get_call (f, "1");
  g_assert_cmpstr (rd_customer_get_id (rd_call_get_customer (call)), ==, "cu-1");
  /* the ticket opened for the call names the customer */
  {
    g_autoptr(RdTicket) opened = get_ticket (f, 1001);
    g_assert_cmpstr (rd_ticket_get_requester (opened), ==, "Ana Ruiz");
  }
}

static void
test_no_auto_ticket (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RdCall) call = NULL;

  /* auto-ticket=hunt (the default) and no hunt group: no ticket, no message */
  send_ringing (f, "n1", "732", "03472619287", "720", 0);
  send (f, RD_CTI_EVENT_ANSWERED, "n1", "732", 2);
  send_cleared (f, "n1", NULL, 30);
  call = get_call (f, "1");
  assert_tickets (call, "");
  assert_hop (call, 0, "732", NULL, RD_HOP_OUTCOME_ANSWERED);
  g_assert_cmpuint (count_events (f, RD_EVENT_NOTIFY_IM), ==, 0);
  g_assert_cmpuint (count_events (f, RD_EVENT_TICKET_CREATED), ==, 0);
}

static void
test_hop_log_written (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autofree char *day = NULL;
  g_autoptr(GError) error = NULL;

  send_ringing (f, "l1", "732", "03472619287", "720", 0);
  send_move (f, RD_CTI_EVENT_DIVERTED, "l1", "732", "733", 60);
  send (f, RD_CTI_EVENT_ANSWERED, "l1", "733", 90);
  send_cleared (f, "l1", "normal", 300);
  rd_test_wait_for (&f->logs->len, 1);

  g_assert_true (g_str_has_suffix (g_ptr_array_index (f->logs, 0), "/2026-11-22/22.11.2026_14.00.log"));
  g_assert_true (g_file_get_contents (g_ptr_array_index (f->logs, 0), &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==,
                   "22.11.2026_14.00_22.11.2026_14.01_Ticket_1000_Caller_03472619287_Called_732\n"
                   "22.11.2026_14.01_22.11.2026_14.05_Ticket_1000_Caller_03472619287_Called_733_END\n");

  /* a second call of the same minute gets the _2 serial, and the day reads both */
  send_ringing (f, "l2", "731", "0612345678", "720", 30);
  send_cleared (f, "l2", NULL, 45);
  rd_test_wait_for (&f->logs->len, 2);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (f->logs, 1), "/22.11.2026_14.00_2.log"));

  day = rd_hop_log_read_day (rd_call_engine_get_hop_log (f->engine), "2026-11-22", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (day, ==,
                   "22.11.2026_14.00_22.11.2026_14.01_Ticket_1000_Caller_03472619287_Called_732\n"
                   "22.11.2026_14.01_22.11.2026_14.05_Ticket_1000_Caller_03472619287_Called_733_END\n"
                   "22.11.2026_14.00_22.11.2026_14.00_Ticket_1001_Caller_0612345678_Called_731_END\n");
}

static void
sms_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *done = user_data;

  (*done)++;
}

static guint
count_spool (const char *spool)
{
  g_autoptr(GDir) dir = g_dir_open (spool, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "OUTC") ? 1 : 0;

  return n;
}

static void
test_sms_to_answering_technician (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *spool = g_build_filename (f->dir, "outbox", NULL);
  g_autoptr(RdNotifier) notifier = rd_notifier_new_gammu (spool);
  g_autoptr(RdUser) tech = rd_user_new ("tim");
  g_autoptr(RdUser) other = rd_user_new ("tom");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *roles[] = { RD_ROLE_TECHNICIAN, NULL };
  const char *name;
  guint files = 0;
  guint done = 0;

  g_assert_cmpint (g_mkdir (spool, 0700), ==, 0);
  rd_user_set_roles (tech, roles);
  rd_user_set_extension (tech, "733");
  rd_user_set_mobile (tech, "+34600111222");
  g_assert_true (rd_store_add_user (f->store, tech, "x", &error));
  rd_user_set_roles (other, roles);
  rd_user_set_extension (other, "732");
  rd_user_set_mobile (other, "+34600999888");
  g_assert_true (rd_store_add_user (f->store, other, "x", &error));
  g_assert_no_error (error);
  rd_call_engine_set_notifier (f->engine, notifier);

  send_ringing (f, "s1", "732", "03472619287", "720", 0);
  send_move (f, RD_CTI_EVENT_DIVERTED, "s1", "732", "733", 15);
  send (f, RD_CTI_EVENT_ANSWERED, "s1", "733", 20);
  send_cleared (f, "s1", "normal", 80);

  /* the spool write runs in a thread: wait for its file, and a marker SMS's */
  rd_notifier_send_sms_async (notifier, "+1555", "marker", NULL, sms_done_cb, &done);
  rd_test_wait_for (&done, 1);
  {
    gboolean expired = FALSE;
    guint guard = g_timeout_add_seconds (WAIT_LIMIT_S, wait_timeout_cb, &expired);

    while (count_spool (spool) < 2 && !expired)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (expired);
    g_source_remove (guard);
  }

  dir = g_dir_open (spool, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (spool, name, NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_str_has_prefix (name, "OUTC"));
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      if (strstr (name, "_+1555_") != NULL)
        continue;
      /* only the one who answered, never the one rung first */
      g_assert_nonnull (strstr (name, "_+34600111222_ringdesk.txt"));
      g_assert_cmpstr (contents, ==, "Ticket 1000 Caller 03472619287 Called 733 22.11.2026 14:00");
      files++;
    }
  g_assert_cmpuint (files, ==, 1);
}

/* a group that rings several phones at once: one popup each, the first
 * answer withdraws the others; a phone that stops ringing ends only its hop */
static void
test_parallel_ringing (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RdCall) call = NULL;

  send_ringing (f, "p1", "731", "03472619287", "720", 0);
  send_ringing (f, "p1", "732", "03472619287", "720", 0);
  send_ringing (f, "p1", "733", "03472619287", "720", 0);
  /* the same report twice is one hop */
  send_ringing (f, "p1", "733", "03472619287", "720", 1);
  assert_routed (f, RD_EVENT_CALL_RINGING, 0, "731");
  assert_routed (f, RD_EVENT_CALL_RINGING, 1, "732");
  assert_routed (f, RD_EVENT_CALL_RINGING, 2, "733");
  g_assert_cmpuint (count_events (f, RD_EVENT_CALL_RINGING), ==, 3);

  send (f, RD_CTI_EVENT_CLEARED, "p1", "731", 4);
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 1);
  send (f, RD_CTI_EVENT_ANSWERED, "p1", "733", 6);
  assert_routed (f, RD_EVENT_CALL_ANSWERED, 0, "731,732,733");
  send (f, RD_CTI_EVENT_CLEARED, "p1", "733", 50);
  /* the last party left: the call is over */
  g_assert_cmpuint (rd_call_engine_get_n_live_calls (f->engine), ==, 0);

  call = get_call (f, "1");
  g_assert_cmpint (rd_call_get_outcome (call), ==, RD_CALL_OUTCOME_ANSWERED);
  assert_hop (call, 0, "731", "1000", RD_HOP_OUTCOME_NO_ANSWER);
  assert_hop (call, 1, "732", "1000", RD_HOP_OUTCOME_NO_ANSWER);
  assert_hop (call, 2, "733", "1000", RD_HOP_OUTCOME_ANSWERED);
  assert_routed (f, RD_EVENT_NOTIFY_IM, 0, "733");
}

/* every event type with and without its members, in every order that matters:
 * nothing may crash or warn, and whatever was stored stays readable */
static void
test_malformed_events (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const call_ids[] = { NULL, "x1", "" };
  static const char * const extensions[] = { NULL, "732", "", "600" };
  static const char * const numbers[] = { NULL, "", "+34 612 345 678", "abc", "0000000000000000000000000000000000001" };

  for (guint round = 0; round < 2; round++)
    for (int type = RD_CTI_EVENT_RINGING; type <= RD_CTI_EVENT_RECORD; type++)
      for (gsize c = 0; c < G_N_ELEMENTS (call_ids); c++)
        for (gsize e = 0; e < G_N_ELEMENTS (extensions); e++)
          for (gsize n = 0; n < G_N_ELEMENTS (numbers); n++)
            {
              g_autoptr(RdCtiEvent) event = rd_cti_event_new (type, round == 0 ? "test" : "other");

              event->call_id = g_strdup (call_ids[c]);
              event->extension = g_strdup (extensions[e]);
              event->calling = g_strdup (numbers[n]);
              event->called = g_strdup (numbers[(n + 1) % G_N_ELEMENTS (numbers)]);
              event->target = g_strdup (extensions[(e + 1) % G_N_ELEMENTS (extensions)]);
              event->ddi = g_strdup (numbers[(n + 2) % G_N_ELEMENTS (numbers)]);
              event->direction = (RdCallDirection) ((c + n) % 3);
              event->outcome = (RdCallOutcome) ((e + n) % 4);
              event->duration = (gint64) n * 7 - 1;
              event->ring_time = (gint64) e * 3 - 1;
              rd_call_engine_handle_event (f->engine, event);
            }

  g_assert_cmpint (count_calls (f), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, conf, func) \
  g_test_add (path, Fixture, conf, fixture_set_up, func, fixture_tear_down)

  ADD ("/call-engine/incoming-answered", INCOMING, test_incoming_answered);
  ADD ("/call-engine/abandoned-and-missed", INCOMING, test_abandoned_and_missed);
  ADD ("/call-engine/transfer-and-hold", INCOMING, test_transfer_and_hold);
  ADD ("/call-engine/outgoing", INCOMING, test_outgoing);
  ADD ("/call-engine/outgoing-to-station", INCOMING, test_outgoing_to_station);
  ADD ("/call-engine/smdr-records", INCOMING, test_smdr_records);
  ADD ("/call-engine/smdr-superseded", INCOMING, test_smdr_superseded);
  ADD ("/call-engine/hunt-wrap-per-hop", PER_HOP_HUNT, test_hunt_wrap_per_hop);
  ADD ("/call-engine/hunt-gives-up", NO_WRAP_HUNT, test_hunt_gives_up);
  ADD ("/call-engine/restart", INCOMING, test_restart);
  ADD ("/call-engine/customer-lookup", INCOMING, test_customer_lookup);
  ADD ("/call-engine/no-auto-ticket", NULL, test_no_auto_ticket);
  ADD ("/call-engine/hop-log", INCOMING, test_hop_log_written);
  ADD ("/call-engine/sms-to-answering-technician", INCOMING, test_sms_to_answering_technician);
  ADD ("/call-engine/parallel-ringing", INCOMING, test_parallel_ringing);
  ADD ("/call-engine/malformed-events", PER_HOP_HUNT, test_malformed_events);

  return g_test_run ();
}
