/* rd-call-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The call engine turns the RdCtiEvents of every link into calls with hops,
 * stores them, opens and binds tickets, drives hunt groups, writes the hop
 * log, notifies the technician in charge and emits the live events of
 * API.md with the extensions each is routed to. docs/calls.md tells the
 * rules; the short version:
 *
 * - A call is found by (link, call_id); for links without call ids (SMDR,
 *   ExtText) by the link, the extension and the number.
 * - Every extension rung is a hop (rung_at, answered_at, ended_at, outcome).
 *   Transfers and diversions add hops to the same call, which keeps its
 *   tickets.
 * - A RECORD completes the call the live events made, or makes one after the
 *   fact when there was none; it never makes a second one.
 * - The call and its hops are written after every event that changes them,
 *   in one transaction (a new call with its first hop); a call that has its
 *   id already publishes its live event first, in the same turn of the
 *   main loop. Calls left live by a crash or a restart are ended ("lost")
 *   when the next engine starts on the same store.
 * - Tickets: `[numbering] auto-ticket` picks the calls that open one
 *   (hunt: incoming external calls to a hunt group's pilot; incoming: every
 *   incoming external call; none), `per=call` binds one ticket to the call,
 *   `per=hop` opens one per hop; hop tickets that were not answered are
 *   cancelled when the call ends, so the numbers technicians see have gaps
 *   where hops went unanswered, as with innovaphone. Numbers come from the
 *   tickets' crash-safe counter (rd_ticket_store_create()).
 * - Hunt groups: over a link that can deflect, the engine rings the members
 *   itself (round robin from `first`, the position stored across restarts)
 *   and moves on after the no-answer timeout; otherwise it follows what the
 *   PBX reports.
 */

#define G_LOG_DOMAIN "RdCallEngine"

#include "config.h"

#include "rd-api.h"
#include "rd-codec.h"
#include "rd-error.h"
#include "rd-event.h"
#include "rd-hunt-group.h"
#include "rd-phone.h"
#include "rd-call-engine.h"
#include "rd-ticket-store.h"

typedef enum
{
  AUTO_TICKET_HUNT,
  AUTO_TICKET_INCOMING,
  AUTO_TICKET_NONE,
} AutoTicket;

/* ended calls kept for matching a late RECORD */
#define MAX_RECENT      128
/* a RECORD matches a call that started this close to it */
#define RECORD_SLACK_S  300
/* tickets of the caller sent with call.ringing */
#define MAX_OPEN_TICKETS 20

typedef struct _LiveCall LiveCall;

struct _RdCallEngine
{
  GObject               parent_instance;

  RdConfig             *config;
  RdStore              *store;
  RdCallStore          *calls;
  RdTicketStore        *tickets;
  RdPhonePlan          *plan;
  RdHopLog             *hop_log;
  RdNotifier           *notifier;
  GPtrArray            *hunt_groups;
  GPtrArray            *links;
  GPtrArray            *live;
  GQueue               *recent;
  GCancellable         *cancellable;
  gboolean              per_hop;
  AutoTicket            auto_ticket;
  guint                 pending_writes;
  RdCustomerLookupFunc  lookup;
  gpointer              lookup_data;
  GDestroyNotify        lookup_destroy;
};

G_DEFINE_FINAL_TYPE (RdCallEngine, rd_call_engine, G_TYPE_OBJECT)

enum {
  EVENT,
  HOP_LOG_WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _LiveCall
{
  RdCallEngine *engine;
  RdCall       *call;
  char         *link;
  char         *link_call_id;
  gboolean      ticketing;
  gboolean      recorded;
  gboolean      notified;
  gboolean      missed;       /* the hunt gave up or the PBX said no answer */
  RdHuntGroup  *hunt;
  guint         hunt_start;
  guint         hunt_tried;
  char         *hunt_at;      /* the extension the hunt rings now */
  guint         hunt_timer;
};

static void
live_call_free (LiveCall *lc)
{
  g_clear_handle_id (&lc->hunt_timer, g_source_remove);
  g_clear_object (&lc->call);
  g_clear_object (&lc->hunt);
  g_free (lc->link);
  g_free (lc->link_call_id);
  g_free (lc->hunt_at);
  g_free (lc);
}

static LiveCall *
live_call_new (RdCallEngine *self,
               RdCtiEvent   *event)
{
  LiveCall *lc = g_new0 (LiveCall, 1);

  lc->engine = self;
  lc->call = rd_call_new (NULL);
  lc->link = g_strdup (event->link);
  lc->link_call_id = g_strdup (event->call_id);
  rd_call_set_started_at (lc->call, event->at);
  rd_call_set_direction (lc->call, event->direction);
  rd_call_set_ddi (lc->call, event->ddi);
  rd_call_set_trunk (lc->call, event->trunk);
  rd_call_set_state (lc->call, RD_CALL_STATE_RINGING);

  return lc;
}

/* helpers on calls and hops */

static gboolean
digits_equal (const char *a,
              const char *b)
{
  g_autofree char *ka = rd_ticket_store_make_phone_key (a);
  g_autofree char *kb = rd_ticket_store_make_phone_key (b);

  return ka != NULL && kb != NULL && g_str_equal (ka, kb);
}

static RdHop *
find_open_hop (RdCall     *call,
               const char *extension)
{
  GListModel *hops = rd_call_get_hops (call);

  if (extension == NULL)
    return NULL;

  for (guint i = g_list_model_get_n_items (hops); i > 0; i--)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i - 1);

      if (rd_hop_get_ended_at (hop) == NULL && g_strcmp0 (rd_hop_get_extension (hop), extension) == 0)
        return hop;  /* the call's model keeps it alive */
    }

  return NULL;
}

static RdHop *
last_hop (RdCall *call)
{
  GListModel *hops = rd_call_get_hops (call);
  guint n = g_list_model_get_n_items (hops);
  g_autoptr(RdHop) hop = NULL;

  if (n == 0)
    return NULL;

  hop = g_list_model_get_item (hops, n - 1);
  return hop;
}

static guint
count_open_hops (RdCall *call)
{
  GListModel *hops = rd_call_get_hops (call);
  guint open = 0;

  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);

      if (rd_hop_get_ended_at (hop) == NULL)
        open++;
    }

  return open;
}

/* Returns: (transfer full): the distinct extensions of the call's hops, in order */
static GStrv
hop_extensions (RdCall *call)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GListModel *hops = rd_call_get_hops (call);

  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);
      const char *ext = rd_hop_get_extension (hop);

      if (ext == NULL || g_ptr_array_find_with_equal_func (seen, ext, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) ext);
      g_strv_builder_add (builder, ext);
    }

  return g_strv_builder_end (builder);
}

static RdCall *
clone_call (RdCall *call)
{
  g_autofree char *json = rd_codec_to_json_string (RD_CODEC (call));
  g_autoptr(GError) error = NULL;
  RdCall *copy = rd_codec_new_from_json_string (RD_TYPE_CALL, json, -1, &error);

  if (copy == NULL)
    {
      g_warning ("Cannot copy call %s: %s", rd_call_get_id (call), error->message);
      return g_object_ref (call);
    }

  return copy;
}

/* the number of the other party: the caller of incoming calls, the called of outgoing ones */
static const char *
external_number (RdCall *call)
{
  return rd_call_get_direction (call) == RD_CALL_DIRECTION_OUT ? rd_call_get_to (call)
                                                                : rd_call_get_from (call);
}

static gboolean
is_external (RdCallEngine *self,
             const char   *number)
{
  g_autofree char *normal = NULL;
  RdPhoneKind kind = RD_PHONE_KIND_INVALID;

  if (number == NULL)
    return FALSE;

  normal = rd_phone_normalize_full (self->plan, number, RD_PHONE_SOURCE_PBX, &kind);
  return normal != NULL && kind == RD_PHONE_KIND_EXTERNAL;
}

/* store, log, events */

static gboolean
save (RdCallEngine *self,
      LiveCall     *lc)
{
  g_autoptr(GError) error = NULL;

  if (!rd_call_store_save (self->calls, lc->call, lc->link, lc->link_call_id, &error))
    {
      g_warning ("Cannot store call %s: %s",
                 rd_call_get_id (lc->call) ? rd_call_get_id (lc->call) : "(new)", error->message);
      return FALSE;
    }

  return TRUE;
}

/* Before an event of @lc: a call with its id is written after the event,
 * which needs nothing else from the write; both happen in this turn of the
 * main loop, so no request reads the store in between, and the write's
 * latency stays off the live path. A call without an id yet is written now
 * (the write gives the id the event carries).
 *
 * Returns: whether the write is still to do, after the event */
static gboolean
save_before_event (RdCallEngine *self,
                   LiveCall     *lc)
{
  if (rd_call_get_id (lc->call) != NULL)
    return TRUE;

  save (self, lc);
  return FALSE;
}

static void
emit (RdCallEngine       *self,
      const char         *type,
      LiveCall           *lc,
      GDateTime          *at,
      const char         *extension,
      const char * const *extensions,
      GListModel         *ticket_objects)
{
  g_autoptr(RdEvent) event = rd_event_new (type);
  g_autoptr(RdCall) snapshot = clone_call (lc->call);

  if (ticket_objects != NULL)
    rd_call_set_ticket_objects (snapshot, ticket_objects);

  rd_event_set_at (event, at);
  rd_event_set_extension (event, extension);
  rd_event_set_call (event, snapshot);

  g_signal_emit (self, signals[EVENT], 0, event, extensions);
}

static void
emit_to_call (RdCallEngine *self,
              const char   *type,
              LiveCall     *lc,
              GDateTime    *at,
              const char   *extension)
{
  g_auto(GStrv) extensions = hop_extensions (lc->call);

  emit (self, type, lc, at, extension, (const char * const *) extensions, NULL);
}

typedef struct
{
  RdCallEngine *engine;
  RdCall       *call;
} HopLogJob;

static void
hop_log_job_free (gpointer data)
{
  HopLogJob *job = data;

  g_clear_object (&job->engine);
  g_clear_object (&job->call);
  g_free (job);
}

static void
hop_log_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HopLogJob *job = task_data;
  GError *error = NULL;
  char *filename = NULL;

  if (rd_hop_log_write_call (job->engine->hop_log, job->call, &filename, &error))
    g_task_return_pointer (task, filename, g_free);
  else
    g_task_return_error (task, error);
}

static void
hop_log_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RdCallEngine *self = RD_CALL_ENGINE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = g_task_propagate_pointer (G_TASK (result), &error);

  self->pending_writes--;
  if (error != NULL)
    g_warning ("%s", error->message);

  g_signal_emit (self, signals[HOP_LOG_WRITTEN], 0, filename);
}

/* the file is written in a thread: no blocking I/O on the main loop */
static void
write_hop_log (RdCallEngine *self,
               LiveCall     *lc)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, hop_log_done_cb, NULL);
  HopLogJob *job = g_new0 (HopLogJob, 1);

  self->pending_writes++;
  job->engine = g_object_ref (self);
  job->call = clone_call (lc->call);
  g_task_set_source_tag (task, write_hop_log);
  g_task_set_task_data (task, job, hop_log_job_free);
  g_task_run_in_thread (task, hop_log_thread);
}

/* tickets */

static char *
open_ticket (RdCallEngine *self,
             LiveCall     *lc,
             const char   *extension)
{
  g_autoptr(RdTicket) draft = rd_ticket_new (NULL);
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *phone_key = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) numbers = NULL;
  RdCustomer *customer = rd_call_get_customer (lc->call);
  const char *from = external_number (lc->call);
  gint64 number = 0;

  /* bounded, so the subject stays within RD_TICKET_MAX_SUBJECT whatever the PBX sends */
  subject = lc->hunt != NULL
            ? g_strdup_printf ("Call from %.40s to %.60s", from != NULL && from[0] ? from : "unknown",
                               rd_hunt_group_get_name (lc->hunt))
            : g_strdup_printf ("Call from %.40s", from != NULL && from[0] ? from : "unknown");
  rd_ticket_set_subject (draft, subject);
  rd_ticket_set_description (draft, "Opened by the call engine when the call came in.");
  rd_ticket_set_requester (draft, customer != NULL && rd_customer_get_name (customer) != NULL
                                    ? rd_customer_get_name (customer) : (from != NULL ? from : ""));
  phone_key = rd_ticket_store_make_phone_key (from);
  if (phone_key != NULL && strlen (from) <= RD_TICKET_MAX_PHONE)
    rd_ticket_set_requester_phone (draft, from);
  if (lc->hunt != NULL)
    rd_ticket_set_group (draft, rd_hunt_group_get_name (lc->hunt));

  ticket = rd_ticket_store_create (self->tickets, draft, NULL, &error);
  /* a [hunt:NAME] without a ticket group of that name: the call still gets its ticket */
  if (ticket == NULL && lc->hunt != NULL && g_error_matches (error, RD_ERROR, RD_ERROR_INVALID_FIELD))
    {
      g_message ("No ticket group “%s” for the hunt group; the ticket has no group",
                 rd_hunt_group_get_name (lc->hunt));
      g_clear_error (&error);
      rd_ticket_set_group (draft, NULL);
      ticket = rd_ticket_store_create (self->tickets, draft, NULL, &error);
    }
  if (ticket == NULL ||
      !rd_ticket_number_parse (rd_ticket_get_number (ticket), &number) ||
      !rd_call_store_bind_ticket (self->calls, rd_call_get_id (lc->call), number, &error))
    {
      g_warning ("Cannot open a ticket for call %s: %s", rd_call_get_id (lc->call),
                 error != NULL ? error->message : "bad number");
      return NULL;
    }

  g_strv_builder_addv (builder, (const char **) rd_call_get_tickets (lc->call));
  g_strv_builder_add (builder, rd_ticket_get_number (ticket));
  numbers = g_strv_builder_end (builder);
  rd_call_set_tickets (lc->call, (const char * const *) numbers);

  g_info ("call %s opened ticket %s%s%s", rd_call_get_id (lc->call), rd_ticket_get_number (ticket),
          extension != NULL ? " for hop " : "", extension != NULL ? extension : "");

  {
    g_autoptr(RdEvent) event = rd_event_new (RD_EVENT_TICKET_CREATED);

    rd_event_set_ticket (event, ticket);
    rd_event_set_extension (event, extension);
    g_signal_emit (self, signals[EVENT], 0, event, NULL);
  }

  return g_strdup (rd_ticket_get_number (ticket));
}

static const char *
call_ticket (RdCall *call)
{
  const char * const *tickets = rd_call_get_tickets (call);

  return tickets != NULL ? tickets[0] : NULL;
}

static RdHop *
add_hop (RdCallEngine *self,
         LiveCall     *lc,
         const char   *extension,
         GDateTime    *at)
{
  g_autoptr(RdHop) hop = rd_hop_new (extension);

  rd_hop_set_rung_at (hop, at);
  if (lc->ticketing && self->per_hop)
    {
      g_autofree char *number = NULL;

      /* the call needs its id before a ticket can point at it */
      if (rd_call_get_id (lc->call) != NULL || save (self, lc))
        number = open_ticket (self, lc, extension);
      rd_hop_set_ticket (hop, number);
    }
  else
    {
      rd_hop_set_ticket (hop, call_ticket (lc->call));
    }

  rd_call_append_hop (lc->call, hop);
  return hop;
}

static void
end_hop (RdHop        *hop,
         GDateTime    *at,
         RdHopOutcome  outcome)
{
  if (rd_hop_get_ended_at (hop) != NULL)
    return;

  rd_hop_set_ended_at (hop, at);
  if (rd_hop_get_outcome (hop) != RD_HOP_OUTCOME_ANSWERED || outcome == RD_HOP_OUTCOME_TRANSFERRED)
    rd_hop_set_outcome (hop, outcome);
}

/* the caller's open tickets for call.ringing: the call's own first */
static GListModel *
ringing_tickets (RdCallEngine *self,
                 LiveCall     *lc)
{
  g_autoptr(GListStore) list = g_list_store_new (RD_TYPE_TICKET);
  g_autofree char *phone_key = rd_ticket_store_make_phone_key (external_number (lc->call));
  const char * const *own = rd_call_get_tickets (lc->call);
  static const char * const open_states[] = { "open", "in_progress", NULL };

  for (guint i = 0; own != NULL && own[i] != NULL; i++)
    {
      g_autoptr(RdTicket) ticket = NULL;
      gint64 number;

      if (rd_ticket_number_parse (own[i], &number) &&
          (ticket = rd_ticket_store_get (self->tickets, number, NULL, NULL)) != NULL)
        g_list_store_append (list, ticket);
    }

  if (phone_key != NULL)
    {
      RdTicketFilter filter = { 0 };
      g_autoptr(GListModel) found = NULL;
      g_autoptr(GError) error = NULL;

      filter.states = open_states;
      filter.phone_key = phone_key;
      filter.scope = RD_TICKET_SCOPE_ALL;
      found = rd_ticket_store_list (self->tickets, &filter, MAX_OPEN_TICKETS, &error);
      if (found == NULL)
        g_warning ("Cannot list the caller's tickets: %s", error->message);

      for (guint i = 0; found != NULL && i < g_list_model_get_n_items (found); i++)
        {
          g_autoptr(RdTicket) ticket = g_list_model_get_item (found, i);

          if (own == NULL || !g_strv_contains (own, rd_ticket_get_number (ticket)))
            g_list_store_append (list, ticket);
        }
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

static void
emit_ringing (RdCallEngine *self,
              LiveCall     *lc,
              GDateTime    *at,
              const char   *extension)
{
  g_autoptr(GListModel) tickets = ringing_tickets (self, lc);
  const char *extensions[] = { extension, NULL };

  emit (self, RD_EVENT_CALL_RINGING, lc, at, extension, extensions, tickets);
}

/* notifier */

static void
sms_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *extension = user_data;

  if (!rd_notifier_send_sms_finish (RD_NOTIFIER (source), result, &error))
    g_warning ("SMS to the technician at %s failed: %s", extension, error->message);
  else
    g_info ("SMS sent to the technician at %s", extension);
}

/* The ticket message goes to one extension: who answered, or who was rung last. */
static void
notify (RdCallEngine *self,
        LiveCall     *lc,
        RdHop        *hop,
        GDateTime    *at)
{
  g_autoptr(RdEvent) event = NULL;
  g_autofree char *text = NULL;
  g_autofree char *mobile = NULL;
  g_autoptr(GError) error = NULL;
  const char *extension;
  const char *ticket;
  const char *extensions[2] = { NULL, NULL };

  if (lc->notified || hop == NULL)
    return;

  ticket = rd_hop_get_ticket (hop) != NULL ? rd_hop_get_ticket (hop) : call_ticket (lc->call);
  if (ticket == NULL)
    return;

  lc->notified = TRUE;
  extension = rd_hop_get_extension (hop);
  text = rd_notifier_format_text (lc->call, ticket, extension);

  event = rd_event_new (RD_EVENT_NOTIFY_IM);
  rd_event_set_at (event, at);
  rd_event_set_extension (event, extension);
  rd_event_set_text (event, text);
  extensions[0] = extension;
  g_signal_emit (self, signals[EVENT], 0, event, extensions);

  if (self->notifier == NULL || !rd_notifier_is_enabled (self->notifier))
    return;

  mobile = rd_call_store_find_mobile (self->calls, extension, &error);
  if (mobile == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot find the mobile of extension %s: %s", extension, error->message);
      return;
    }

  rd_notifier_send_sms_async (self->notifier, mobile, text, self->cancellable, sms_sent_cb,
                              g_strdup (extension));
}

/* ending calls */

static void
remember_recent (RdCallEngine *self,
                 LiveCall     *lc)
{
  g_ptr_array_remove_fast (self->live, lc);  /* no free func: moved, not freed */
  g_queue_push_head (self->recent, lc);
  while (g_queue_get_length (self->recent) > MAX_RECENT)
    live_call_free (g_queue_pop_tail (self->recent));
}

/* cancels the unanswered hop tickets of a per=hop call but the one in charge */
static void
cancel_spare_tickets (RdCallEngine *self,
                      LiveCall     *lc,
                      RdHop        *in_charge)
{
  GListModel *hops = rd_call_get_hops (lc->call);

  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);
      g_autoptr(RdTicket) moved = NULL;
      g_autoptr(GError) error = NULL;
      gint64 number;

      if (hop == in_charge || rd_hop_get_outcome (hop) == RD_HOP_OUTCOME_ANSWERED ||
          !rd_ticket_number_parse (rd_hop_get_ticket (hop), &number))
        continue;

      moved = rd_ticket_store_transition (self->tickets, number, RD_TICKET_STATE_CANCELLED,
                                          "Hop not answered; the call went on", NULL, &error);
      if (moved == NULL)
        g_debug ("ticket %" G_GINT64_FORMAT " stays: %s", number, error->message);
    }
}

static RdHop *
answered_hop (RdCall *call)
{
  GListModel *hops = rd_call_get_hops (call);

  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);

      if (rd_hop_get_answered_at (hop) != NULL)
        return hop;
    }

  return NULL;
}

static void
end_call (RdCallEngine *self,
          LiveCall     *lc,
          GDateTime    *at,
          const char   *cause)
{
  GListModel *hops = rd_call_get_hops (lc->call);
  gboolean answered = rd_call_get_answered_at (lc->call) != NULL;
  RdCallOutcome outcome;
  RdHop *in_charge;
  gboolean later;

  if (rd_call_get_state (lc->call) == RD_CALL_STATE_ENDED)
    return;

  g_clear_handle_id (&lc->hunt_timer, g_source_remove);

  if (answered)
    outcome = RD_CALL_OUTCOME_ANSWERED;
  else if (lc->missed || g_strcmp0 (cause, "no_answer") == 0 || g_strcmp0 (cause, "lost") == 0 ||
           g_strcmp0 (cause, "superseded") == 0)
    outcome = RD_CALL_OUTCOME_MISSED;
  else
    outcome = RD_CALL_OUTCOME_ABANDONED;

  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);

      end_hop (hop, at, outcome == RD_CALL_OUTCOME_ABANDONED ? RD_HOP_OUTCOME_ABANDONED
                                                              : RD_HOP_OUTCOME_NO_ANSWER);
    }

  rd_call_set_ended_at (lc->call, at);
  rd_call_set_state (lc->call, RD_CALL_STATE_ENDED);
  rd_call_set_outcome (lc->call, outcome);

  in_charge = answered ? answered_hop (lc->call) : last_hop (lc->call);
  if (lc->ticketing && self->per_hop)
    cancel_spare_tickets (self, lc, in_charge);

  later = save_before_event (self, lc);

  /* clients see the technician's message, then call.ended */
  if (!answered && rd_call_get_direction (lc->call) != RD_CALL_DIRECTION_OUT)
    notify (self, lc, in_charge, at);

  emit_to_call (self, RD_EVENT_CALL_ENDED, lc, at, NULL);
  if (later)
    save (self, lc);
  g_info ("call %s ended: %s", rd_call_get_id (lc->call), rd_call_outcome_to_string (outcome));

  write_hop_log (self, lc);
  remember_recent (self, lc);
}

/* hunt groups */

static RdHuntGroup *
find_hunt_group (RdCallEngine *self,
                 RdCtiEvent   *event)
{
  for (guint i = 0; i < self->hunt_groups->len; i++)
    {
      RdHuntGroup *group = g_ptr_array_index (self->hunt_groups, i);

      if (rd_hunt_group_is_pilot (group, event->extension) ||
          rd_hunt_group_is_pilot (group, event->ddi) ||
          rd_hunt_group_is_pilot (group, event->called))
        return group;
    }

  return NULL;
}

static RdCtiLink *
find_link (RdCallEngine *self,
           const char   *name)
{
  for (guint i = 0; name != NULL && i < self->links->len; i++)
    {
      RdCtiLink *link = g_ptr_array_index (self->links, i);

      if (g_strcmp0 (rd_cti_link_get_name (link), name) == 0)
        return link;
    }

  return NULL;
}

static LiveCall *
find_live (RdCallEngine *self,
           const char   *call_id)
{
  for (guint i = 0; call_id != NULL && i < self->live->len; i++)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i);

      if (g_strcmp0 (rd_call_get_id (lc->call), call_id) == 0)
        return lc;
    }

  return NULL;
}

static void hunt_next (RdCallEngine *self, LiveCall *lc);

typedef struct
{
  RdCallEngine *engine;
  char         *call_id;
  char         *to;
} DeflectJob;

static void
deflect_job_free (DeflectJob *job)
{
  g_clear_object (&job->engine);
  g_free (job->call_id);
  g_free (job->to);
  g_free (job);
}

static gboolean
hunt_timeout_cb (gpointer user_data)
{
  LiveCall *lc = user_data;

  lc->hunt_timer = 0;
  g_debug ("call %s: no answer at %s", rd_call_get_id (lc->call), lc->hunt_at);
  hunt_next (lc->engine, lc);

  return G_SOURCE_REMOVE;
}

static void
deflected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DeflectJob *job = user_data;
  RdCallEngine *self = job->engine;
  g_autoptr(GError) error = NULL;
  gboolean ok = rd_cti_link_deflect_call_finish (RD_CTI_LINK (source), result, &error);
  LiveCall *lc;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (lc = find_live (self, job->call_id)) == NULL ||
      rd_call_get_state (lc->call) != RD_CALL_STATE_RINGING)
    {
      deflect_job_free (job);
      return;
    }

  if (!ok)
    {
      g_info ("call %s: cannot ring %s: %s", rd_call_get_id (lc->call), job->to, error->message);
      g_clear_handle_id (&lc->hunt_timer, g_source_remove);
      hunt_next (self, lc);
      deflect_job_free (job);
      return;
    }

  /* the PBX rings the member now; its own report of it finds this hop */
  if (find_open_hop (lc->call, job->to) == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      add_hop (self, lc, job->to, now);
      save (self, lc);
      emit_ringing (self, lc, now, job->to);
    }

  deflect_job_free (job);
}

static void
hunt_ring (RdCallEngine *self,
           LiveCall     *lc,
           const char   *member)
{
  RdCtiLink *link = find_link (self, lc->link);
  DeflectJob *job = g_new0 (DeflectJob, 1);
  g_autofree char *from = g_strdup (lc->hunt_at);

  job->engine = g_object_ref (self);
  job->call_id = g_strdup (rd_call_get_id (lc->call));
  job->to = g_strdup (member);
  g_free (lc->hunt_at);
  lc->hunt_at = g_strdup (member);
  lc->hunt_tried++;

  g_clear_handle_id (&lc->hunt_timer, g_source_remove);
  lc->hunt_timer = g_timeout_add_seconds (rd_hunt_group_get_no_answer_timeout (lc->hunt),
                                          hunt_timeout_cb, lc);

  g_debug ("call %s: hunt %s rings %s", rd_call_get_id (lc->call), rd_hunt_group_get_name (lc->hunt),
           member);
  rd_cti_link_deflect_call_async (link, lc->link_call_id, from, member, self->cancellable,
                                  deflected_cb, job);
}

static void
hunt_next (RdCallEngine *self,
           LiveCall     *lc)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  RdHop *current = find_open_hop (lc->call, lc->hunt_at);
  int next;

  if (rd_call_get_state (lc->call) != RD_CALL_STATE_RINGING)
    return;

  if (current != NULL && rd_hop_get_answered_at (current) == NULL)
    end_hop (current, now, RD_HOP_OUTCOME_NO_ANSWER);

  next = rd_hunt_group_step (lc->hunt, lc->hunt_start, lc->hunt_tried);
  if (next < 0)
    {
      /* nobody answered: the call is missed, the last one rung is in charge */
      g_info ("call %s: hunt %s gave up", rd_call_get_id (lc->call), rd_hunt_group_get_name (lc->hunt));
      lc->missed = TRUE;
      save (self, lc);
      return;
    }

  save (self, lc);
  hunt_ring (self, lc, rd_hunt_group_get_members (lc->hunt)[next]);
}

static void
hunt_start (RdCallEngine *self,
            LiveCall     *lc,
            const char   *rings_at)
{
  g_autoptr(GError) error = NULL;
  const char *name = rd_hunt_group_get_name (lc->hunt);

  lc->hunt_start = rd_hunt_group_take_start (lc->hunt);
  lc->hunt_tried = 0;
  g_free (lc->hunt_at);
  lc->hunt_at = g_strdup (rings_at);
  if (!rd_call_store_set_hunt_position (self->calls, name, rd_hunt_group_get_position (lc->hunt), &error))
    g_warning ("Cannot store the position of hunt group %s: %s", name, error->message);

  hunt_ring (self, lc, rd_hunt_group_get_members (lc->hunt)[lc->hunt_start]);
}

/* finding the call of an event */

static gboolean
call_matches_number (LiveCall   *lc,
                     RdCtiEvent *event)
{
  const char *theirs = rd_call_get_direction (lc->call) == RD_CALL_DIRECTION_OUT ? event->called
                                                                                  : event->calling;

  if (theirs == NULL || theirs[0] == '\0' || external_number (lc->call) == NULL ||
      external_number (lc->call)[0] == '\0')
    return TRUE;

  return digits_equal (theirs, external_number (lc->call));
}

static LiveCall *
find_call (RdCallEngine *self,
           RdCtiEvent   *event)
{
  for (guint i = 0; i < self->live->len; i++)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i);

      if (g_strcmp0 (lc->link, event->link) != 0)
        continue;

      if (event->call_id != NULL)
        {
          if (g_strcmp0 (lc->link_call_id, event->call_id) == 0)
            return lc;
          continue;
        }

      if (lc->link_call_id == NULL && find_open_hop (lc->call, event->extension) != NULL &&
          call_matches_number (lc, event))
        return lc;
    }

  return NULL;
}

/* a link without call ids: the same caller ringing elsewhere is the same call */
static LiveCall *
find_call_by_caller (RdCallEngine *self,
                     RdCtiEvent   *event)
{
  for (guint i = 0; event->call_id == NULL && event->calling != NULL && i < self->live->len; i++)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i);

      if (g_strcmp0 (lc->link, event->link) == 0 && lc->link_call_id == NULL &&
          rd_call_get_direction (lc->call) != RD_CALL_DIRECTION_OUT &&
          digits_equal (rd_call_get_from (lc->call), event->calling))
        return lc;
    }

  return NULL;
}

/* a link without call ids never says when a call at @extension ended; a new one says it */
static void
supersede (RdCallEngine *self,
           RdCtiEvent   *event,
           LiveCall     *keep)
{
  for (guint i = self->live->len; event->call_id == NULL && event->extension != NULL && i > 0; i--)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i - 1);

      if (lc != keep && g_strcmp0 (lc->link, event->link) == 0 && lc->link_call_id == NULL &&
          find_open_hop (lc->call, event->extension) != NULL)
        end_call (self, lc, event->at, "superseded");
    }
}

static void
match_customer (RdCallEngine *self,
                LiveCall     *lc)
{
  g_autofree char *e164 = NULL;
  g_autoptr(RdCustomer) customer = NULL;
  RdPhoneKind kind = RD_PHONE_KIND_INVALID;
  const char *number = external_number (lc->call);

  if (self->lookup == NULL || number == NULL)
    return;

  e164 = rd_phone_normalize_full (self->plan, number, RD_PHONE_SOURCE_PBX, &kind);
  if (e164 == NULL || kind != RD_PHONE_KIND_EXTERNAL)
    return;

  customer = self->lookup (e164, self->lookup_data);
  rd_call_set_customer (lc->call, customer);
}

static gboolean
wants_ticket (RdCallEngine *self,
              LiveCall     *lc)
{
  if (rd_call_get_direction (lc->call) != RD_CALL_DIRECTION_IN ||
      !is_external (self, rd_call_get_from (lc->call)))
    return FALSE;

  switch (self->auto_ticket)
    {
    case AUTO_TICKET_INCOMING:
      return TRUE;
    case AUTO_TICKET_HUNT:
      return lc->hunt != NULL;
    case AUTO_TICKET_NONE:
    default:
      return FALSE;
    }
}

/* Returns: (transfer none): a new live call for an incoming or outgoing
 * event, not stored yet unless it opened a ticket: the caller saves it */
static LiveCall *
start_call (RdCallEngine *self,
            RdCtiEvent   *event)
{
  LiveCall *lc = live_call_new (self, event);

  if (event->type == RD_CTI_EVENT_ORIGINATED)
    {
      /* a link that says "out" without knowing (ExtText's saliente:) may
       * have dialled a station */
      if (event->direction != RD_CALL_DIRECTION_INTERNAL)
        rd_call_set_direction (lc->call, is_external (self, event->called) || event->called == NULL
                                         ? RD_CALL_DIRECTION_OUT : RD_CALL_DIRECTION_INTERNAL);
      rd_call_set_from (lc->call, event->calling != NULL ? event->calling : event->extension);
      rd_call_set_to (lc->call, event->called);
    }
  else
    {
      rd_call_set_from (lc->call, event->calling);
      rd_call_set_to (lc->call, event->called != NULL ? event->called
                                : event->ddi != NULL ? event->ddi : event->extension);
    }

  lc->hunt = find_hunt_group (self, event);
  if (lc->hunt != NULL)
    g_object_ref (lc->hunt);
  match_customer (self, lc);
  lc->ticketing = wants_ticket (self, lc);

  g_ptr_array_add (self->live, lc);

  /* the ticket points at the call, which needs its id first; otherwise the
   * caller's save, with the first hop, writes the call (one transaction) */
  if (lc->ticketing && !self->per_hop && save (self, lc))
    {
      g_autofree char *number = open_ticket (self, lc, NULL);

      if (number != NULL)
        save (self, lc);
    }

  return lc;
}

/* events */

static void
on_ringing (RdCallEngine *self,
            RdCtiEvent   *event)
{
  LiveCall *lc = find_call (self, event);
  RdCtiLink *link;
  gboolean drive;
  gboolean later;

  if (lc == NULL)
    lc = find_call_by_caller (self, event);
  supersede (self, event, lc);

  if (lc == NULL)
    lc = start_call (self, event);
  else if (rd_call_get_ddi (lc->call) == NULL && event->ddi != NULL)
    rd_call_set_ddi (lc->call, event->ddi);

  if (event->extension == NULL)
    {
      if (rd_call_get_id (lc->call) == NULL)
        save (self, lc);
      return;
    }

  link = find_link (self, lc->link);
  drive = lc->hunt != NULL && lc->link_call_id != NULL && rd_call_get_answered_at (lc->call) == NULL &&
          link != NULL && rd_cti_link_can_deflect_call (link);

  /* the pilot is not a person: over a link that deflects, the engine rings the members */
  if (drive && rd_hunt_group_is_pilot (lc->hunt, event->extension))
    {
      if (rd_call_get_id (lc->call) == NULL)
        save (self, lc);
      if (lc->hunt_tried == 0)
        hunt_start (self, lc, event->extension);
      return;
    }

  /* already ringing there (a diversion or the engine's own deflection said so) */
  if (find_open_hop (lc->call, event->extension) != NULL)
    return;

  add_hop (self, lc, event->extension, event->at);
  later = save_before_event (self, lc);
  emit_ringing (self, lc, event->at, event->extension);
  if (later)
    save (self, lc);

  /* the PBX rang a member of the group first (DDI pilot): hunt on from that member */
  if (drive && lc->hunt_tried == 0 && rd_hunt_group_has_member (lc->hunt, event->extension))
    {
      const char * const *members = rd_hunt_group_get_members (lc->hunt);

      for (guint i = 0; members[i] != NULL; i++)
        {
          if (g_str_equal (members[i], event->extension))
            lc->hunt_start = i;
        }
      g_free (lc->hunt_at);
      lc->hunt_at = g_strdup (event->extension);
      lc->hunt_tried = 1;
      lc->hunt_timer = g_timeout_add_seconds (rd_hunt_group_get_no_answer_timeout (lc->hunt),
                                              hunt_timeout_cb, lc);
    }
}

static void
on_originated (RdCallEngine *self,
               RdCtiEvent   *event)
{
  LiveCall *lc = event->call_id != NULL ? find_call (self, event) : NULL;

  if (lc == NULL)
    {
      supersede (self, event, NULL);
      lc = start_call (self, event);
    }

  if (event->extension != NULL && find_open_hop (lc->call, event->extension) == NULL)
    add_hop (self, lc, event->extension, event->at);
  save (self, lc);
}

static void
on_answered (RdCallEngine *self,
             RdCtiEvent   *event)
{
  LiveCall *lc = find_call (self, event);
  GListModel *hops;
  RdHop *hop;
  gboolean first;
  gboolean later;

  if (lc == NULL && event->call_id == NULL && event->extension != NULL)
    {
      /* links without call ids: the call that rings at this extension */
      for (guint i = 0; lc == NULL && i < self->live->len; i++)
        {
          LiveCall *candidate = g_ptr_array_index (self->live, i);

          if (g_strcmp0 (candidate->link, event->link) == 0 && candidate->link_call_id == NULL &&
              find_open_hop (candidate->call, event->extension) != NULL)
            lc = candidate;
        }
    }
  if (lc == NULL)
    {
      g_debug ("answered: no call for %s/%s at %s", event->link, event->call_id, event->extension);
      return;
    }

  hop = find_open_hop (lc->call, event->extension);
  if (hop == NULL && rd_call_get_direction (lc->call) == RD_CALL_DIRECTION_OUT)
    hop = last_hop (lc->call);  /* the far end answered the originator's call */
  if (hop == NULL && event->extension != NULL)
    hop = add_hop (self, lc, event->extension, event->at);
  if (hop == NULL)
    return;

  first = rd_call_get_answered_at (lc->call) == NULL;
  g_clear_handle_id (&lc->hunt_timer, g_source_remove);

  if (rd_hop_get_answered_at (hop) == NULL)
    {
      rd_hop_set_answered_at (hop, event->at);
      rd_hop_set_outcome (hop, RD_HOP_OUTCOME_ANSWERED);
    }

  /* the others that rang with it stop ringing */
  hops = rd_call_get_hops (lc->call);
  for (guint i = 0; i < g_list_model_get_n_items (hops); i++)
    {
      g_autoptr(RdHop) other = g_list_model_get_item (hops, i);

      if (other != hop && rd_hop_get_answered_at (other) == NULL)
        end_hop (other, event->at, RD_HOP_OUTCOME_NO_ANSWER);
    }

  if (first)
    rd_call_set_answered_at (lc->call, event->at);
  rd_call_set_state (lc->call, RD_CALL_STATE_ANSWERED);
  later = save_before_event (self, lc);
  emit_to_call (self, RD_EVENT_CALL_ANSWERED, lc, event->at, rd_hop_get_extension (hop));
  if (later)
    save (self, lc);
  if (first && rd_call_get_direction (lc->call) != RD_CALL_DIRECTION_OUT)
    notify (self, lc, hop, event->at);
}

static void
on_hold (RdCallEngine *self,
         RdCtiEvent   *event,
         gboolean      held)
{
  LiveCall *lc = find_call (self, event);
  gboolean later;

  if (lc == NULL || rd_call_get_answered_at (lc->call) == NULL)
    return;

  rd_call_set_state (lc->call, held ? RD_CALL_STATE_HELD : RD_CALL_STATE_ANSWERED);
  later = save_before_event (self, lc);
  emit_to_call (self, held ? RD_EVENT_CALL_HELD : RD_EVENT_CALL_RETRIEVED, lc, event->at,
                event->extension);
  if (later)
    save (self, lc);
}

static void
on_moved (RdCallEngine *self,
          RdCtiEvent   *event)
{
  LiveCall *lc = find_call (self, event);
  gboolean transfer = event->type == RD_CTI_EVENT_TRANSFERRED;
  RdHop *hop;
  gboolean later;

  if (lc == NULL || event->target == NULL)
    return;

  hop = find_open_hop (lc->call, event->extension);
  if (hop != NULL)
    end_hop (hop, event->at, transfer ? RD_HOP_OUTCOME_TRANSFERRED : RD_HOP_OUTCOME_NO_ANSWER);

  /* the call keeps its state: a consulted transfer is already talking at
   * the target, a blind one is answered there later (ANSWERED says so) */
  if (find_open_hop (lc->call, event->target) == NULL)
    add_hop (self, lc, event->target, event->at);
  later = save_before_event (self, lc);

  if (transfer)
    {
      const char *extensions[] = { event->extension, event->target, NULL };

      if (event->extension == NULL)
        extensions[0] = event->target, extensions[1] = NULL;
      emit (self, RD_EVENT_CALL_TRANSFERRED, lc, event->at, event->target, extensions, NULL);
    }
  else
    {
      emit_ringing (self, lc, event->at, event->target);
    }
  if (later)
    save (self, lc);
}

static void
on_cleared (RdCallEngine *self,
            RdCtiEvent   *event)
{
  LiveCall *lc = find_call (self, event);
  RdHop *hop;

  if (lc == NULL)
    return;

  if (event->extension == NULL)
    {
      end_call (self, lc, event->at, event->cause);
      return;
    }

  hop = find_open_hop (lc->call, event->extension);
  if (hop == NULL)
    {
      /* the external party (or one never rung) left: the call is over */
      if (!rd_call_store_rang_at (lc->call, event->extension))
        end_call (self, lc, event->at, event->cause);
      return;
    }

  /* the last party leaves: the call ends, and its outcome decides the hop's
   * (a caller who hung up while it rang there abandoned it) */
  if (count_open_hops (lc->call) == 1 && lc->hunt_timer == 0)
    {
      end_call (self, lc, event->at, event->cause);
      return;
    }

  end_hop (hop, event->at, RD_HOP_OUTCOME_NO_ANSWER);
  save (self, lc);
}

static void
on_failed (RdCallEngine *self,
           RdCtiEvent   *event)
{
  LiveCall *lc = find_call (self, event);
  RdHop *hop;

  if (lc == NULL)
    return;

  hop = find_open_hop (lc->call, event->extension);
  if (hop != NULL && rd_hop_get_answered_at (hop) == NULL)
    end_hop (hop, event->at, RD_HOP_OUTCOME_NO_ANSWER);

  if (lc->hunt_timer != 0 && g_strcmp0 (lc->hunt_at, event->extension) == 0)
    {
      g_clear_handle_id (&lc->hunt_timer, g_source_remove);
      hunt_next (self, lc);
      return;
    }

  save (self, lc);
}

/* RECORD: complete the call the live events made, or make it after the fact */

static gboolean
record_matches (LiveCall   *lc,
                RdCtiEvent *event,
                gboolean    any_extension)
{
  GDateTime *started = rd_call_get_started_at (lc->call);
  gint64 slack = RECORD_SLACK_S + MAX (event->ring_time, 0) + MAX (event->duration, 0);
  GTimeSpan diff;

  if (lc->recorded || g_strcmp0 (lc->link, event->link) != 0)
    return FALSE;
  if (event->call_id != NULL)
    return g_strcmp0 (lc->link_call_id, event->call_id) == 0;
  if (!any_extension && event->extension != NULL && !rd_call_store_rang_at (lc->call, event->extension))
    return FALSE;
  if (!call_matches_number (lc, event) || started == NULL)
    return FALSE;

  diff = g_date_time_difference (event->at, started) / G_TIME_SPAN_SECOND;
  return ABS (diff) <= slack;
}

static LiveCall *
find_recorded_call (RdCallEngine *self,
                    RdCtiEvent   *event)
{
  for (guint i = 0; i < self->live->len; i++)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i);

      if (record_matches (lc, event, FALSE))
        return lc;
    }

  for (GList *l = self->recent->head; l != NULL; l = l->next)
    {
      if (record_matches (l->data, event, FALSE))
        return l->data;
    }

  /* a call the PBX moved on without saying so (a consulted transfer over
   * SMDR): the record names the last station, which the live call never
   * rang; the live call of the same caller is the one, or it would stay
   * open for ever and the record would make a second call */
  for (guint i = 0; i < self->live->len; i++)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i);

      if (record_matches (lc, event, TRUE))
        return lc;
    }

  return NULL;
}

static void
on_record (RdCallEngine *self,
           RdCtiEvent   *event)
{
  LiveCall *lc = find_recorded_call (self, event);
  g_autoptr(GDateTime) answered_at = NULL;
  g_autoptr(GDateTime) ended_at = NULL;
  gint64 ring = MAX (event->ring_time, 0);
  gint64 talk = MAX (event->duration, 0);
  gboolean answered = event->outcome == RD_CALL_OUTCOME_ANSWERED ||
                      (event->outcome == RD_CALL_OUTCOME_NONE && event->duration > 0);

  if (lc != NULL)
    {
      lc->recorded = TRUE;
      if (rd_call_get_state (lc->call) == RD_CALL_STATE_ENDED)
        return;

      /* the live events left it open (SMDR sends no clear): the record ends it */
      if (answered && rd_call_get_answered_at (lc->call) == NULL)
        {
          RdCtiEvent answer = *event;

          answer.type = RD_CTI_EVENT_ANSWERED;
          on_answered (self, &answer);
        }
      if (answered && rd_call_get_answered_at (lc->call) == NULL && rd_call_get_started_at (lc->call) != NULL)
        {
          /* the extension of the record no longer rings (diverted on): answer it quietly */
          RdHop *hop = last_hop (lc->call);

          answered_at = g_date_time_add_seconds (rd_call_get_started_at (lc->call), ring);
          rd_call_set_answered_at (lc->call, answered_at);
          if (hop != NULL)
            {
              rd_hop_set_answered_at (hop, answered_at);
              rd_hop_set_outcome (hop, RD_HOP_OUTCOME_ANSWERED);
            }
        }
      if (!answered && event->outcome == RD_CALL_OUTCOME_MISSED)
        lc->missed = TRUE;
      if (rd_call_get_started_at (lc->call) != NULL)
        ended_at = g_date_time_add_seconds (rd_call_get_started_at (lc->call), ring + talk);
      end_call (self, lc, ended_at != NULL ? ended_at : event->at, "record");
      return;
    }

  /* nothing live saw it: the record is the whole call */
  lc = live_call_new (self, event);
  lc->recorded = TRUE;
  if (event->direction == RD_CALL_DIRECTION_OUT)
    {
      rd_call_set_from (lc->call, event->calling != NULL ? event->calling : event->extension);
      rd_call_set_to (lc->call, event->called);
    }
  else
    {
      rd_call_set_from (lc->call, event->calling);
      rd_call_set_to (lc->call, event->called != NULL ? event->called : event->extension);
    }
  match_customer (self, lc);

  if (event->extension != NULL)
    {
      g_autoptr(RdHop) hop = rd_hop_new (event->extension);

      rd_hop_set_rung_at (hop, event->at);
      rd_call_append_hop (lc->call, hop);
    }
  if (answered)
    {
      RdHop *hop = last_hop (lc->call);

      answered_at = g_date_time_add_seconds (event->at, ring);
      rd_call_set_answered_at (lc->call, answered_at);
      if (hop != NULL)
        {
          rd_hop_set_answered_at (hop, answered_at);
          rd_hop_set_outcome (hop, RD_HOP_OUTCOME_ANSWERED);
        }
    }
  lc->missed = event->outcome == RD_CALL_OUTCOME_MISSED;
  ended_at = g_date_time_add_seconds (event->at, ring + talk);
  g_ptr_array_add (self->live, lc);
  end_call (self, lc, ended_at, event->outcome == RD_CALL_OUTCOME_ABANDONED ? "abandoned" : "record");
}

static const char *
valid_extension (const char *extension)
{
  return extension != NULL && rd_extension_is_valid (extension) ? extension : NULL;
}

/* Returns: (transfer full): @event, or a copy without the extensions that are
 * none (a hop is always at a real extension) and with empty strings as NULL */
static RdCtiEvent *
sanitize (RdCtiEvent *event)
{
  RdCtiEvent *copy;

#define EMPTY_TO_NULL(s) ((s) != NULL && (s)[0] != '\0' ? (s) : NULL)
  if (valid_extension (event->extension) == event->extension &&
      valid_extension (event->target) == event->target &&
      EMPTY_TO_NULL (event->call_id) == event->call_id &&
      EMPTY_TO_NULL (event->calling) == event->calling &&
      EMPTY_TO_NULL (event->called) == event->called &&
      EMPTY_TO_NULL (event->ddi) == event->ddi &&
      EMPTY_TO_NULL (event->trunk) == event->trunk)
    return rd_cti_event_ref (event);

  copy = rd_cti_event_new (event->type, event->link);
  g_date_time_unref (copy->at);
  copy->at = g_date_time_ref (event->at);
  copy->call_id = g_strdup (EMPTY_TO_NULL (event->call_id));
  copy->extension = g_strdup (valid_extension (event->extension));
  copy->target = g_strdup (valid_extension (event->target));
  copy->calling = g_strdup (EMPTY_TO_NULL (event->calling));
  copy->called = g_strdup (EMPTY_TO_NULL (event->called));
  copy->ddi = g_strdup (EMPTY_TO_NULL (event->ddi));
  copy->trunk = g_strdup (EMPTY_TO_NULL (event->trunk));
  copy->direction = event->direction;
  copy->cause = g_strdup (event->cause);
  copy->outcome = event->outcome;
  copy->duration = event->duration;
  copy->ring_time = event->ring_time;
#undef EMPTY_TO_NULL

  return copy;
}

/**
 * rd_call_engine_handle_event:
 *
 * Applies one event; what links emit arrives here. Extensions that are not
 * 1–16 digits are taken as absent.
 */
void
rd_call_engine_handle_event (RdCallEngine *self,
                             RdCtiEvent   *raw)
{
  g_autoptr(RdCtiEvent) event = NULL;

  g_return_if_fail (RD_IS_CALL_ENGINE (self));
  g_return_if_fail (raw != NULL && raw->link != NULL && raw->at != NULL);

  event = sanitize (raw);
  switch (event->type)
    {
    case RD_CTI_EVENT_RINGING:
      on_ringing (self, event);
      break;
    case RD_CTI_EVENT_ORIGINATED:
      on_originated (self, event);
      break;
    case RD_CTI_EVENT_ANSWERED:
      on_answered (self, event);
      break;
    case RD_CTI_EVENT_HELD:
      on_hold (self, event, TRUE);
      break;
    case RD_CTI_EVENT_RETRIEVED:
      on_hold (self, event, FALSE);
      break;
    case RD_CTI_EVENT_TRANSFERRED:
    case RD_CTI_EVENT_DIVERTED:
      on_moved (self, event);
      break;
    case RD_CTI_EVENT_CLEARED:
      on_cleared (self, event);
      break;
    case RD_CTI_EVENT_FAILED:
      on_failed (self, event);
      break;
    case RD_CTI_EVENT_RECORD:
      on_record (self, event);
      break;
    case RD_CTI_EVENT_QUEUED:
      /* waiting in a queue changes nothing until it rings somewhere */
      break;
    default:
      g_debug ("ignoring event type %d", event->type);
      break;
    }
}

static void
link_event_cb (RdCtiLink    *link,
               RdCtiEvent   *event,
               RdCallEngine *self)
{
  rd_call_engine_handle_event (self, event);
}

/**
 * rd_call_engine_add_link:
 *
 * Feeds the events of @link to the engine; links that can deflect let it
 * drive hunt groups, links that can make calls serve click-to-dial.
 */
void
rd_call_engine_add_link (RdCallEngine *self,
                         RdCtiLink    *link)
{
  g_return_if_fail (RD_IS_CALL_ENGINE (self));
  g_return_if_fail (RD_IS_CTI_LINK (link));

  g_ptr_array_add (self->links, g_object_ref (link));
  g_signal_connect_object (link, "event", G_CALLBACK (link_event_cb), self, 0);
}

void
rd_call_engine_set_customer_lookup (RdCallEngine         *self,
                                    RdCustomerLookupFunc  func,
                                    gpointer              user_data,
                                    GDestroyNotify        destroy)
{
  g_return_if_fail (RD_IS_CALL_ENGINE (self));

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);

  self->lookup = func;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
}

/**
 * rd_call_engine_set_ticket_store:
 * @tickets: the server's ticket store, so tickets the engine opens go
 *   through the same auto-assignment and "assigned" signal as the API's
 *
 * Replaces the engine's own ticket store (same database).
 */
void
rd_call_engine_set_ticket_store (RdCallEngine  *self,
                                 RdTicketStore *tickets)
{
  g_return_if_fail (RD_IS_CALL_ENGINE (self));
  g_return_if_fail (RD_IS_TICKET_STORE (tickets));

  g_set_object (&self->tickets, tickets);
}

/**
 * rd_call_engine_set_notifier:
 * @notifier: (nullable): the SMS sender; %NULL for IM only
 */
void
rd_call_engine_set_notifier (RdCallEngine *self,
                             RdNotifier   *notifier)
{
  g_return_if_fail (RD_IS_CALL_ENGINE (self));

  g_set_object (&self->notifier, notifier);
}

RdCallStore *
rd_call_engine_get_call_store (RdCallEngine *self)
{
  g_return_val_if_fail (RD_IS_CALL_ENGINE (self), NULL);

  return self->calls;
}

RdHopLog *
rd_call_engine_get_hop_log (RdCallEngine *self)
{
  g_return_val_if_fail (RD_IS_CALL_ENGINE (self), NULL);

  return self->hop_log;
}

/**
 * rd_call_engine_get_n_pending_writes:
 *
 * Returns: how many hop log writes are still running in threads
 */
guint
rd_call_engine_get_n_pending_writes (RdCallEngine *self)
{
  g_return_val_if_fail (RD_IS_CALL_ENGINE (self), 0);

  return self->pending_writes;
}

guint
rd_call_engine_get_n_live_calls (RdCallEngine *self)
{
  g_return_val_if_fail (RD_IS_CALL_ENGINE (self), 0);

  return self->live->len;
}

/**
 * rd_call_engine_bind_ticket:
 *
 * Binds ticket @number to call @call_id both ways, also on the live call.
 *
 * Returns: (transfer full): the call as stored afterwards
 */
RdCall *
rd_call_engine_bind_ticket (RdCallEngine  *self,
                            const char    *call_id,
                            gint64         number,
                            GError       **error)
{
  RdCall *call;

  g_return_val_if_fail (RD_IS_CALL_ENGINE (self), NULL);

  if (!rd_call_store_bind_ticket (self->calls, call_id, number, error) ||
      (call = rd_call_store_get (self->calls, call_id, error)) == NULL)
    return NULL;

  for (guint i = 0; i < self->live->len; i++)
    {
      LiveCall *lc = g_ptr_array_index (self->live, i);

      if (g_strcmp0 (rd_call_get_id (lc->call), call_id) == 0)
        rd_call_set_tickets (lc->call, rd_call_get_tickets (call));
    }

  return call;
}

static RdCtiLink *
find_dialler (RdCallEngine *self)
{
  for (guint i = 0; i < self->links->len; i++)
    {
      RdCtiLink *link = g_ptr_array_index (self->links, i);

      if (rd_cti_link_can_make_call (link) &&
          rd_cti_link_get_state (link) == RD_CTI_LINK_STATE_CONNECTED)
        return link;
    }

  return NULL;
}

gboolean
rd_call_engine_can_make_call (RdCallEngine *self)
{
  g_return_val_if_fail (RD_IS_CALL_ENGINE (self), FALSE);

  return find_dialler (self) != NULL;
}

static void
make_call_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *id = rd_cti_link_make_call_finish (RD_CTI_LINK (source), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

/**
 * rd_call_engine_make_call_async:
 *
 * Click-to-dial through the first connected link that can make calls;
 * %RD_ERROR_UNAVAILABLE when there is none.
 */
void
rd_call_engine_make_call_async (RdCallEngine        *self,
                                const char          *from_extension,
                                const char          *to,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RdCtiLink *link;

  g_return_if_fail (RD_IS_CALL_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_call_engine_make_call_async);

  link = find_dialler (self);
  if (link == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                               "No connected PBX link can make calls");
      return;
    }

  rd_cti_link_make_call_async (link, from_extension, to, cancellable, make_call_cb,
                               g_steal_pointer (&task));
}

/**
 * rd_call_engine_make_call_finish:
 *
 * Returns: (transfer full) (nullable): the link's id of the new call, if it gave one
 */
char *
rd_call_engine_make_call_finish (RdCallEngine  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_call_engine_make_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* set-up */

static gboolean
load_hunt_groups (RdCallEngine  *self,
                  GError       **error)
{
  g_auto(GStrv) names = rd_config_get_hunt_groups (self->config);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(RdHuntGroup) group = rd_hunt_group_new_from_config (self->config, names[i]);
      gint64 position = 0;

      if (group == NULL)
        continue;
      if (rd_call_store_get_hunt_position (self->calls, names[i], &position, error))
        rd_hunt_group_set_position (group, (guint) CLAMP (position, 0, G_MAXUINT));
      else if (error != NULL && *error != NULL)
        return FALSE;
      g_ptr_array_add (self->hunt_groups, g_steal_pointer (&group));
    }

  return TRUE;
}

/* calls live when the last engine stopped (or crashed) are over: end them as lost */
static gboolean
reconcile (RdCallEngine  *self,
           GError       **error)
{
  g_autoptr(GListModel) live = rd_call_store_list_live (self->calls, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (live == NULL)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (live); i++)
    {
      LiveCall *lc = g_new0 (LiveCall, 1);

      lc->engine = self;
      lc->call = g_list_model_get_item (live, i);
      lc->recorded = TRUE;
      g_ptr_array_add (self->live, lc);
      g_info ("call %s was live at the last stop: ending it as lost", rd_call_get_id (lc->call));
      end_call (self, lc, now, "lost");
    }

  return TRUE;
}

static void
rd_call_engine_dispose (GObject *object)
{
  RdCallEngine *self = (RdCallEngine *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->live != NULL)
    {
      for (guint i = 0; i < self->live->len; i++)
        live_call_free (g_ptr_array_index (self->live, i));
      g_ptr_array_set_size (self->live, 0);
    }
  if (self->recent != NULL)
    g_queue_clear_full (self->recent, (GDestroyNotify) live_call_free);
  if (self->links != NULL)
    g_ptr_array_set_size (self->links, 0);

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->lookup = NULL;
  self->lookup_destroy = NULL;

  G_OBJECT_CLASS (rd_call_engine_parent_class)->dispose (object);
}

static void
rd_call_engine_finalize (GObject *object)
{
  RdCallEngine *self = (RdCallEngine *) object;

  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->calls);
  g_clear_object (&self->tickets);
  g_clear_object (&self->plan);
  g_clear_object (&self->hop_log);
  g_clear_object (&self->notifier);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->hunt_groups, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->live, g_ptr_array_unref);
  g_clear_pointer (&self->recent, g_queue_free);

  G_OBJECT_CLASS (rd_call_engine_parent_class)->finalize (object);
}

static void
rd_call_engine_class_init (RdCallEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_call_engine_dispose;
  object_class->finalize = rd_call_engine_finalize;

  /**
   * RdCallEngine::event:
   * @event: the live event
   * @extensions: (nullable): the extensions it is routed to; %NULL for
   *   supervisors' "*" subscriptions only
   */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, RD_TYPE_EVENT, G_TYPE_STRV);

  /**
   * RdCallEngine::hop-log-written:
   * @filename: (nullable): the file the lines of an ended call went to;
   *   %NULL when it had no hops or the write failed (logged)
   *
   * Emitted once for every ended call, when its hop log write is over.
   */
  signals[HOP_LOG_WRITTEN] = g_signal_new ("hop-log-written", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rd_call_engine_init (RdCallEngine *self)
{
  self->hunt_groups = g_ptr_array_new_with_free_func (g_object_unref);
  self->links = g_ptr_array_new_with_free_func (g_object_unref);
  self->live = g_ptr_array_new ();
  self->recent = g_queue_new ();
  self->cancellable = g_cancellable_new ();
}

/**
 * rd_call_engine_new:
 * @store: an open store
 *
 * Reads `[numbering]`, `[hunt:*]`, `[phone]`, `[log]` and `[sms]`, and ends
 * the calls the store still has live (see reconcile()).
 */
RdCallEngine *
rd_call_engine_new (RdConfig  *config,
                    RdStore   *store,
                    GError   **error)
{
  g_autoptr(RdCallEngine) self = NULL;
  g_autofree char *per = NULL;
  g_autofree char *auto_ticket = NULL;
  g_autofree char *country = NULL;
  g_autofree char *hop_dir = NULL;

  g_return_val_if_fail (RD_IS_CONFIG (config), NULL);
  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  self = g_object_new (RD_TYPE_CALL_ENGINE, NULL);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);
  self->calls = rd_call_store_new (store);
  self->tickets = rd_ticket_store_new (store);

  per = rd_config_get_string (config, "numbering", "per");
  self->per_hop = g_strcmp0 (per, "hop") == 0;
  auto_ticket = rd_config_get_string (config, "numbering", "auto-ticket");
  self->auto_ticket = g_strcmp0 (auto_ticket, "none") == 0 ? AUTO_TICKET_NONE
                      : g_strcmp0 (auto_ticket, "incoming") == 0 ? AUTO_TICKET_INCOMING
                      : AUTO_TICKET_HUNT;

  /* [phone] country is an ISO 3166 code (ES, IT, …), shared with the
   * customer store so callers and customers normalise alike */
  country = rd_config_get_string (config, "phone", "country");
  self->plan = rd_phone_plan_new_for_country (country);
  if (self->plan == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "[phone] country “%s” is not a known country", country);
      return NULL;
    }

  hop_dir = rd_config_get_string (config, "log", "hop-log-dir");
  if (hop_dir == NULL || hop_dir[0] == '\0')
    {
      g_autofree char *data_dir = rd_config_get_data_dir (config);

      g_free (hop_dir);
      hop_dir = g_build_filename (data_dir, "hop-log", NULL);
    }
  self->hop_log = rd_hop_log_new (hop_dir);
  self->notifier = rd_notifier_new_from_config (config);

  if (!load_hunt_groups (self, error) || !reconcile (self, error))
    return NULL;

  return g_steal_pointer (&self);
}
