/* rd-csta-link.c: the CSTA link to a Panasonic PBX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One session per TCP connection (protocol notes §2): connect (with a
 * timeout) → AARQ/AARE → escape 51 discovery of the stations, then of the
 * trunks → MonitorStart for every station → startCDRTransmission → CONNECTED,
 * then SnapshotDevice per station when calls were live across a drop, so
 * the calls the PBX no longer has end with a CLEARED "lost". systemStatus
 * invokes are answered and feed a watchdog: when they stop for
 * keepalive-timeout, or on a malformed or oversize frame, or when the PBX
 * closes, the session ends, the link goes DOWN and retries with a backoff
 * of 100 ms doubling to 1 s, with jitter.
 *
 * Event reports become RdCtiEvents (call id = the CallID as a decimal
 * number, extension = the station's dialling number); the link keeps the
 * calls it has seen live, to fill in the numbers of events that do not carry
 * them (Held, ConnectionCleared, …) and to reconcile after a reconnect.
 * docs/cti.md has the mapping in both directions.
 */

#define G_LOG_DOMAIN "RdCstaLink"

#include "config.h"

#include "rd-csta-acse.h"
#include "rd-csta-channel.h"
#include "rd-csta-event.h"
#include "rd-csta-link.h"
#include "rd-csta-ops.h"
#include "rd-csta-private.h"
#include "rd-csta-rose.h"
#include "rd-csta-services.h"
#include "rd-error.h"

#define LINK_NAME             "csta"
#define BACKOFF_MIN_MSEC      100
#define BACKOFF_MAX_MSEC      1000
#define CONNECT_TIMEOUT_SEC   5
#define DEFAULT_KEEPALIVE_MSEC (30 * 1000)
#define DEFAULT_REQUEST_MSEC  (10 * 1000)

typedef enum
{
  PHASE_ASSOCIATING,
  PHASE_DISCOVERING,
  PHASE_MONITORING,
  PHASE_STARTING_CDR,
  PHASE_READY,
} Phase;

typedef enum
{
  REQUEST_DISCOVERY,
  REQUEST_MONITOR,
  REQUEST_CDR,
  REQUEST_SNAPSHOT,
  REQUEST_MAKE_CALL,
  REQUEST_DEFLECT_CALL,
} RequestKind;

typedef struct _Session Session;

typedef struct
{
  Session     *session;
  RequestKind  kind;
  gint         invoke_id;
  gint         opcode;
  char        *device;         /* the station of a monitor or snapshot */
  GTask       *task;           /* make/deflect call */
  guint        timeout_source;
} Request;

struct _Session
{
  RdCstaLink     *link;
  RdCstaChannel  *channel;
  Phase           phase;
  gint            invoke_counter;
  GHashTable     *requests;       /* invoke id → Request */
  RdCstaCategory  discovering;
  GHashTable     *device_numbers; /* gint64* → dialling number */
  GPtrArray      *stations;       /* dialling numbers */
  GPtrArray      *trunks;
  GHashTable     *monitors;       /* cross-ref hex → station */
  guint           monitors_pending;
  GHashTable     *candidates;     /* call ids to reconcile → NULL */
  GHashTable     *seen;           /* call ids the snapshots reported */
  guint           snapshots_pending;
};

typedef struct
{
  char            *calling;
  char            *called;
  char            *ddi;
  char            *trunk;
  RdCallDirection  direction;
  GHashTable      *extensions;
} LiveCall;

struct _RdCstaLink
{
  GObject          parent_instance;

  char            *host;
  guint16          port;
  guint            keepalive_timeout;
  guint            request_timeout;

  RdCtiLinkState   state;
  char            *detail;
  guint            reconnects;
  guint            n_bad_frames;
  gboolean         running;

  GCancellable    *connect_cancellable;
  Session         *session;
  guint            retry_source;
  guint            backoff;
  guint            watchdog_source;
  guint            handshake_source;
  gint64           down_since;

  GHashTable      *calls;          /* decimal call id → LiveCall */
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_NAME,
  PROP_STATE,
  PROP_DETAIL,
  PROP_RECONNECTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rd_csta_link_iface_init (RdCtiLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdCstaLink, rd_csta_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CTI_LINK, rd_csta_link_iface_init))

static void link_connect        (RdCstaLink *self);
static void session_fail        (Session    *session,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (2, 3);
static void start_monitors      (Session    *session);

/* ---- state ------------------------------------------------------------- */

static void
set_state (RdCstaLink     *self,
           RdCtiLinkState  state,
           const char     *detail)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->detail, detail) != 0)
    {
      g_free (self->detail);
      self->detail = g_strdup (detail);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---- live calls -------------------------------------------------------- */

static void
live_call_free (gpointer data)
{
  LiveCall *call = data;

  g_free (call->calling);
  g_free (call->called);
  g_free (call->ddi);
  g_free (call->trunk);
  g_hash_table_unref (call->extensions);
  g_free (call);
}

static void
remember (char       **slot,
          char       **value)
{
  if (*value == NULL)
    *value = g_strdup (*slot);
  else if (g_strcmp0 (*slot, *value) != 0)
    {
      g_free (*slot);
      *slot = g_strdup (*value);
    }
}

/* Completes @event from what the link knows of its call and keeps the call
 * table up to date. */
static void
track_call (RdCstaLink *self,
            RdCtiEvent *event,
            gboolean    has_direction)
{
  LiveCall *call;

  if (event->call_id == NULL)
    return;

  if (self->session != NULL && self->session->candidates != NULL)
    g_hash_table_remove (self->session->candidates, event->call_id);

  call = g_hash_table_lookup (self->calls, event->call_id);
  if (call == NULL)
    {
      if (event->type == RD_CTI_EVENT_CLEARED || event->type == RD_CTI_EVENT_FAILED)
        return;
      call = g_new0 (LiveCall, 1);
      call->direction = event->direction;
      call->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->calls, g_strdup (event->call_id), call);
    }
  else if (!has_direction)
    event->direction = call->direction;
  else
    call->direction = event->direction;

  remember (&call->calling, &event->calling);
  remember (&call->called, &event->called);
  remember (&call->ddi, &event->ddi);
  remember (&call->trunk, &event->trunk);

  switch (event->type)
    {
    case RD_CTI_EVENT_TRANSFERRED:
    case RD_CTI_EVENT_DIVERTED:
      if (event->extension != NULL)
        g_hash_table_remove (call->extensions, event->extension);
      if (event->target != NULL)
        g_hash_table_add (call->extensions, g_strdup (event->target));
      break;
    case RD_CTI_EVENT_CLEARED:
    case RD_CTI_EVENT_FAILED:
      if (event->extension != NULL)
        g_hash_table_remove (call->extensions, event->extension);
      if (event->extension == NULL || g_hash_table_size (call->extensions) == 0)
        g_hash_table_remove (self->calls, event->call_id);
      break;
    case RD_CTI_EVENT_RINGING:
    case RD_CTI_EVENT_ANSWERED:
    case RD_CTI_EVENT_HELD:
    case RD_CTI_EVENT_RETRIEVED:
    case RD_CTI_EVENT_ORIGINATED:
    case RD_CTI_EVENT_QUEUED:
      if (event->extension != NULL)
        g_hash_table_add (call->extensions, g_strdup (event->extension));
      break;
    case RD_CTI_EVENT_RECORD:
    default:
      break;
    }
}

static void
session_free (Session *session)
{
  g_clear_pointer (&session->requests, g_hash_table_unref);
  g_clear_pointer (&session->channel, rd_csta_channel_unref);
  g_clear_pointer (&session->device_numbers, g_hash_table_unref);
  g_clear_pointer (&session->stations, g_ptr_array_unref);
  g_clear_pointer (&session->trunks, g_ptr_array_unref);
  g_clear_pointer (&session->monitors, g_hash_table_unref);
  g_clear_pointer (&session->candidates, g_hash_table_unref);
  g_clear_pointer (&session->seen, g_hash_table_unref);
}

static Session *
session_ref (Session *session)
{
  return g_rc_box_acquire (session);
}

static void
session_unref (Session *session)
{
  g_rc_box_release_full (session, (GDestroyNotify) session_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_unref)

/* ---- requests ---------------------------------------------------------- */

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_handle_id (&request->timeout_source, g_source_remove);
  if (request->task != NULL)
    {
      g_task_return_new_error (request->task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                               "The CSTA link went down before the PBX answered");
      g_clear_object (&request->task);
    }
  g_free (request->device);
  g_free (request);
}

static gboolean
on_request_timeout (gpointer user_data)
{
  Request *request = user_data;
  g_autoptr(Session) session = session_ref (request->session);

  request->timeout_source = 0;
  if (request->task != NULL)
    {
      /* Out of the table first: the callback may stop the link. */
      GTask *task = g_steal_pointer (&request->task);

      g_hash_table_steal (session->requests, GINT_TO_POINTER (request->invoke_id));
      request_free (request);
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                               "The PBX did not answer in time");
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  session_fail (session, "The PBX did not answer operation %d in time", request->opcode);
  return G_SOURCE_REMOVE;
}

/* Sends an invoke and remembers it; takes @task. */
static void
session_request (Session     *session,
                 RequestKind  kind,
                 gint         opcode,
                 GBytes      *argument,
                 const char  *device,
                 GTask       *task)
{
  g_autoptr(GBytes) pdu = NULL;
  Request *request = g_new0 (Request, 1);

  request->session = session;
  request->kind = kind;
  request->opcode = opcode;
  request->invoke_id = rd_csta_invoke_id_next (&session->invoke_counter);
  request->device = g_strdup (device);
  request->task = task;
  request->timeout_source = g_timeout_add (session->link->request_timeout, on_request_timeout, request);
  g_hash_table_replace (session->requests, GINT_TO_POINTER (request->invoke_id), request);

  pdu = rd_csta_rose_encode_invoke (request->invoke_id, opcode, argument);
  rd_csta_channel_send (session->channel, pdu, NULL);
}

/* ---- sessions ------------------------------------------------------------ */

/* Detaches the session from the link: closes the socket, fails the pending
 * requests; callbacks running on it see session->link == NULL. */
static void
link_end_session (RdCstaLink *self)
{
  Session *session = g_steal_pointer (&self->session);

  g_clear_handle_id (&self->watchdog_source, g_source_remove);
  g_clear_handle_id (&self->handshake_source, g_source_remove);
  if (session == NULL)
    return;
  session->link = NULL;
  rd_csta_channel_close (session->channel);
  g_hash_table_remove_all (session->requests);
  session_unref (session);
}

static gboolean
on_retry (gpointer user_data)
{
  RdCstaLink *self = user_data;

  self->retry_source = 0;
  self->reconnects++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECTS]);
  link_connect (self);
  return G_SOURCE_REMOVE;
}

/* Ends the session (if any), goes DOWN with @detail and schedules a retry. */
static void
link_down (RdCstaLink *self,
           const char *detail)
{
  guint delay;

  link_end_session (self);
  if (!self->running)
    return;

  if (self->state == RD_CTI_LINK_STATE_CONNECTED)
    self->down_since = g_get_monotonic_time ();
  g_message ("CSTA link to %s:%u down: %s", self->host, self->port, detail);
  set_state (self, RD_CTI_LINK_STATE_DOWN, detail);

  /* 100 ms doubling to 1 s, minus up to a quarter so that many links do
   * not retry in step; jitter needs no cryptographic randomness. */
  delay = self->backoff - (guint) g_random_int_range (0, (gint32) self->backoff / 4 + 1);
  self->backoff = MIN (self->backoff * 2, BACKOFF_MAX_MSEC);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (delay, on_retry, self);
}

static void
session_fail (Session    *session,
              const char *format,
              ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  if (session->link == NULL)
    return;
  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  link_down (session->link, detail);
}

static gboolean
on_watchdog (gpointer user_data)
{
  RdCstaLink *self = user_data;
  g_autofree char *detail = NULL;

  self->watchdog_source = 0;
  detail = g_strdup_printf ("No keepalive from the PBX for %u ms", self->keepalive_timeout);
  link_down (self, detail);
  return G_SOURCE_REMOVE;
}

static void
rearm_watchdog (RdCstaLink *self)
{
  g_clear_handle_id (&self->watchdog_source, g_source_remove);
  self->watchdog_source = g_timeout_add (self->keepalive_timeout, on_watchdog, self);
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  RdCstaLink *self = user_data;

  self->handshake_source = 0;
  link_down (self, "The PBX did not finish the login and device discovery in time");
  return G_SOURCE_REMOVE;
}

/* Each step of the login (association, discovery segments, monitors) must
 * come within request-timeout, also the ones that are not answers to a
 * request (the discovery replies are invokes from the PBX). */
static void
rearm_handshake (RdCstaLink *self)
{
  g_clear_handle_id (&self->handshake_source, g_source_remove);
  self->handshake_source = g_timeout_add (self->request_timeout, on_handshake_timeout, self);
}

/* ---- device numbers -------------------------------------------------------- */

static gboolean
is_station (Session    *session,
            const char *number)
{
  for (guint i = 0; number != NULL && i < session->stations->len; i++)
    if (g_str_equal (g_ptr_array_index (session->stations, i), number))
      return TRUE;
  return FALSE;
}

/* Returns: (nullable): the number a device stands for: its dialling number,
 * or the number discovery gave its deviceNumber */
static const char *
device_number (Session            *session,
               const RdCstaDevice *device)
{
  switch (device->kind)
    {
    case RD_CSTA_DEVICE_DIALING_NUMBER:
      return device->number != NULL && device->number[0] != '\0' ? device->number : NULL;
    case RD_CSTA_DEVICE_DEVICE_NUMBER:
      return g_hash_table_lookup (session->device_numbers, &device->device_number);
    case RD_CSTA_DEVICE_OTHER:
    case RD_CSTA_DEVICE_NONE:
    case RD_CSTA_DEVICE_NOT_KNOWN:
    case RD_CSTA_DEVICE_NOT_REQUIRED:
    case RD_CSTA_DEVICE_NOT_SPECIFIED:
    default:
      return NULL;
    }
}

static const char *
device_station (Session            *session,
                const RdCstaDevice *device)
{
  const char *number = device_number (session, device);

  return is_station (session, number) ? number : NULL;
}

/* ---- event reports ---------------------------------------------------------- */

static RdCtiEventType
map_event_type (RdCstaEventType type,
                gboolean       *known)
{
  *known = TRUE;
  switch (type)
    {
    case RD_CSTA_EVENT_DELIVERED:         return RD_CTI_EVENT_RINGING;
    case RD_CSTA_EVENT_ESTABLISHED:       return RD_CTI_EVENT_ANSWERED;
    case RD_CSTA_EVENT_HELD:              return RD_CTI_EVENT_HELD;
    case RD_CSTA_EVENT_RETRIEVED:         return RD_CTI_EVENT_RETRIEVED;
    case RD_CSTA_EVENT_TRANSFERRED:       return RD_CTI_EVENT_TRANSFERRED;
    case RD_CSTA_EVENT_DIVERTED:          return RD_CTI_EVENT_DIVERTED;
    case RD_CSTA_EVENT_CONNECTION_CLEARED: return RD_CTI_EVENT_CLEARED;
    case RD_CSTA_EVENT_ORIGINATED:        return RD_CTI_EVENT_ORIGINATED;
    case RD_CSTA_EVENT_QUEUED:            return RD_CTI_EVENT_QUEUED;
    case RD_CSTA_EVENT_FAILED:            return RD_CTI_EVENT_FAILED;
    case RD_CSTA_EVENT_CONFERENCED:
    case RD_CSTA_EVENT_NETWORK_REACHED:
    case RD_CSTA_EVENT_SERVICE_INITIATED:
    case RD_CSTA_EVENT_UNKNOWN:
    default:
      *known = FALSE;
      return RD_CTI_EVENT_CLEARED;
    }
}

/* Direction from the trunk's position, else from which parties are stations. */
static gboolean
guess_direction (Session                *session,
                 const RdCstaDevice     *associated_calling,
                 const RdCstaDevice     *associated_called,
                 const char             *calling,
                 const char             *called,
                 RdCallDirection        *direction)
{
  if (associated_calling->kind != RD_CSTA_DEVICE_NONE &&
      associated_calling->kind != RD_CSTA_DEVICE_NOT_KNOWN)
    *direction = RD_CALL_DIRECTION_IN;
  else if (associated_called->kind != RD_CSTA_DEVICE_NONE &&
           associated_called->kind != RD_CSTA_DEVICE_NOT_KNOWN)
    *direction = RD_CALL_DIRECTION_OUT;
  else if (calling != NULL && called != NULL && is_station (session, calling) &&
           is_station (session, called))
    *direction = RD_CALL_DIRECTION_INTERNAL;
  else if (calling != NULL && is_station (session, calling))
    *direction = RD_CALL_DIRECTION_OUT;
  else if (calling != NULL)
    *direction = RD_CALL_DIRECTION_IN;
  else
    return FALSE;
  return TRUE;
}

static void
handle_event_report (Session *session,
                     GBytes  *argument)
{
  RdCstaLink *self = session->link;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCstaEvent) csta = NULL;
  g_autoptr(RdCtiEvent) event = NULL;
  RdCtiEventType type;
  const char *trunk;
  gboolean known, has_direction;

  csta = rd_csta_event_decode (argument, &error);
  if (csta == NULL)
    {
      self->n_bad_frames++;
      g_debug ("Ignoring an undecodable event report: %s", error->message);
      return;
    }
  type = map_event_type (csta->type, &known);
  if (!known)
    {
      g_debug ("Ignoring CSTA event %s", rd_csta_event_type_to_string (csta->type));
      return;
    }

  event = rd_cti_event_new (type, LINK_NAME);
  event->call_id = rd_csta_call_id_to_decimal (csta->connection.call_id);

  switch (csta->type)
    {
    case RD_CSTA_EVENT_ORIGINATED:
      event->extension = g_strdup (device_station (session, &csta->calling));
      break;
    case RD_CSTA_EVENT_QUEUED:
      event->extension = g_strdup (device_station (session, &csta->connection.device));
      event->target = g_strdup (device_number (session, &csta->device));
      break;
    case RD_CSTA_EVENT_TRANSFERRED:
      event->target = g_strdup (device_number (session, &csta->other_device));
      if (event->target == NULL && csta->connections->len > 0)
        event->target = g_strdup (device_number (session,
                                                 &g_array_index (csta->connections, RdCstaConnection, 0).device));
      event->extension = g_strdup (device_station (session, &csta->device));
      break;
    case RD_CSTA_EVENT_DIVERTED:
      event->target = g_strdup (device_number (session, &csta->other_device));
      event->extension = g_strdup (device_station (session, &csta->device));
      break;
    case RD_CSTA_EVENT_DELIVERED:
    case RD_CSTA_EVENT_ESTABLISHED:
    case RD_CSTA_EVENT_HELD:
    case RD_CSTA_EVENT_RETRIEVED:
    case RD_CSTA_EVENT_CONNECTION_CLEARED:
    case RD_CSTA_EVENT_FAILED:
    case RD_CSTA_EVENT_CONFERENCED:
    case RD_CSTA_EVENT_NETWORK_REACHED:
    case RD_CSTA_EVENT_SERVICE_INITIATED:
    case RD_CSTA_EVENT_UNKNOWN:
    default:
      event->extension = g_strdup (device_station (session, &csta->device));
      break;
    }

  event->calling = g_strdup (device_number (session, &csta->calling));
  event->called = g_strdup (device_number (session, &csta->called));
  event->ddi = g_strdup (device_number (session, &csta->priv.ddi));
  trunk = device_number (session, &csta->associated_calling);
  if (trunk == NULL)
    trunk = device_number (session, &csta->associated_called);
  event->trunk = g_strdup (trunk);
  if (csta->type == RD_CSTA_EVENT_CONNECTION_CLEARED || csta->type == RD_CSTA_EVENT_FAILED)
    event->cause = g_strdup (rd_csta_cause_to_string (csta->cause));

  has_direction = guess_direction (session, &csta->associated_calling, &csta->associated_called,
                                   event->calling, event->called, &event->direction);
  track_call (self, event, has_direction);
  rd_cti_link_emit_event (RD_CTI_LINK (self), event);
}

/* ---- CDR ---------------------------------------------------------------------- */

static void
emit_record (Session               *session,
             const RdCstaCdrReport *report,
             const RdCstaCdrRecord *record)
{
  RdCstaLink *self = session->link;
  g_autoptr(RdCtiEvent) event = rd_cti_event_new (RD_CTI_EVENT_RECORD, LINK_NAME);
  const char *calling = device_number (session, &record->calling);
  const char *called = device_number (session, &record->called);
  const char *network_calling = device_number (session, &record->network_calling);
  const char *network_called = device_number (session, &record->network_called);
  const char *trunk;
  LiveCall *call;

  if (record->record_number >= 0)
    event->call_id = g_strdup_printf ("%d", record->record_number);
  if (record->end != NULL || record->created != NULL)
    {
      g_date_time_unref (event->at);
      event->at = g_date_time_ref (record->end != NULL ? record->end : record->created);
    }

  if (!guess_direction (session, &record->associated_calling, &record->associated_called,
                        calling, called, &event->direction))
    event->direction = RD_CALL_DIRECTION_IN;
  trunk = device_number (session, &record->associated_calling);
  if (trunk == NULL)
    trunk = device_number (session, &record->associated_called);
  event->trunk = g_strdup (trunk);

  if (event->direction == RD_CALL_DIRECTION_OUT)
    {
      event->extension = g_strdup (is_station (session, calling) ? calling : NULL);
      event->calling = g_strdup (network_calling != NULL ? network_calling : calling);
      event->called = g_strdup (called);
    }
  else
    {
      event->extension = g_strdup (is_station (session, called) ? called : NULL);
      event->calling = g_strdup (calling);
      event->called = g_strdup (network_called != NULL ? network_called : called);
    }

  if (record->duration >= 0)
    event->duration = (record->duration + 5) / 10;   /* 100 ms units */
  if (record->start != NULL && record->end != NULL)
    {
      gint64 total = g_date_time_difference (record->end, record->start) / G_TIME_SPAN_SECOND;

      event->ring_time = MAX (total - MAX (event->duration, 0), 0);
    }
  if (report->condition_code == 5)
    event->outcome = record->reason == 5 ? RD_CALL_OUTCOME_ABANDONED : RD_CALL_OUTCOME_MISSED;
  else
    event->outcome = RD_CALL_OUTCOME_ANSWERED;

  call = event->call_id != NULL ? g_hash_table_lookup (self->calls, event->call_id) : NULL;
  if (call != NULL && event->ddi == NULL)
    event->ddi = g_strdup (call->ddi);

  rd_cti_link_emit_event (RD_CTI_LINK (self), event);
}

static void
handle_cdr_report (Session    *session,
                   RdCstaRose *rose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCstaCdrReport) report = NULL;
  g_autoptr(GBytes) answer = NULL;

  report = rd_csta_cdr_report_decode (rose->argument, &error);
  if (report == NULL)
    {
      session->link->n_bad_frames++;
      g_debug ("Ignoring an undecodable CDR report: %s", error->message);
      return;
    }

  /* Acknowledge first: the PBX keeps the records until it is answered. */
  answer = rd_csta_cdr_report_encode_answer (rose->invoke_id);
  rd_csta_channel_send (session->channel, answer, NULL);

  for (guint i = 0; i < report->records->len && session->link != NULL; i++)
    emit_record (session, report, g_ptr_array_index (report->records, i));
}

/* ---- the handshake -------------------------------------------------------------- */

static void
start_discovery (Session        *session,
                 RdCstaCategory  category)
{
  g_autoptr(GBytes) argument = rd_csta_discovery_encode_request (category);

  session->phase = PHASE_DISCOVERING;
  session->discovering = category;
  rearm_handshake (session->link);
  session_request (session, REQUEST_DISCOVERY, RD_CSTA_OP_ESCAPE, argument, NULL, NULL);
}

static void
handle_discovery_reply (Session *session,
                        GBytes  *argument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCstaDiscoveryReply) reply = NULL;
  GPtrArray *list;

  if (session->phase != PHASE_DISCOVERING)
    {
      g_debug ("Ignoring an escape outside discovery");
      return;
    }
  reply = rd_csta_discovery_decode_reply (argument, &error);
  if (reply == NULL)
    {
      g_debug ("Ignoring an escape: %s", error->message);
      return;
    }
  rearm_handshake (session->link);

  list = session->discovering == RD_CSTA_CATEGORY_STATION ? session->stations : session->trunks;
  for (guint i = 0; i < reply->devices->len; i++)
    {
      const RdCstaDiscoveredDevice *d = &g_array_index (reply->devices, RdCstaDiscoveredDevice, i);

      if (d->number == NULL || d->number[0] == '\0')
        continue;
      g_ptr_array_add (list, g_strdup (d->number));
      if (d->device.kind == RD_CSTA_DEVICE_DEVICE_NUMBER)
        g_hash_table_replace (session->device_numbers, g_memdup2 (&d->device.device_number, sizeof (gint64)),
                              g_strdup (d->number));
    }

  if (!reply->last)
    return;
  if (session->discovering == RD_CSTA_CATEGORY_STATION)
    start_discovery (session, RD_CSTA_CATEGORY_NETWORK_INTERFACE);
  else
    start_monitors (session);
}

static void
start_reconcile (Session *session)
{
  RdCstaLink *self = session->link;
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (self->calls) == 0)
    return;

  session->candidates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  session->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (session->candidates, g_strdup (key));

  for (guint i = 0; i < session->stations->len; i++)
    {
      const char *station = g_ptr_array_index (session->stations, i);
      RdCstaDevice device = { 0, };
      g_autoptr(GBytes) argument = NULL;

      rd_csta_device_set_dialing (&device, station);
      argument = rd_csta_snapshot_device_encode_argument (&device);
      rd_csta_device_clear (&device);
      session->snapshots_pending++;
      session_request (session, REQUEST_SNAPSHOT, RD_CSTA_OP_SNAPSHOT_DEVICE, argument, station, NULL);
    }
}

static void
finish_reconcile (Session *session)
{
  RdCstaLink *self = session->link;
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, session->candidates);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (session->seen, key) && g_hash_table_contains (self->calls, key))
      g_ptr_array_add (lost, g_strdup (key));
  g_clear_pointer (&session->candidates, g_hash_table_unref);
  g_clear_pointer (&session->seen, g_hash_table_unref);

  for (guint i = 0; i < lost->len && session->link != NULL; i++)
    {
      const char *call_id = g_ptr_array_index (lost, i);
      g_autoptr(RdCtiEvent) event = rd_cti_event_new (RD_CTI_EVENT_CLEARED, LINK_NAME);
      LiveCall *call = g_hash_table_lookup (self->calls, call_id);

      g_message ("CSTA call %s was lost while the link was down", call_id);
      event->call_id = g_strdup (call_id);
      event->cause = g_strdup ("lost");
      event->direction = call->direction;
      event->calling = g_strdup (call->calling);
      event->called = g_strdup (call->called);
      event->ddi = g_strdup (call->ddi);
      event->trunk = g_strdup (call->trunk);
      g_hash_table_remove (self->calls, call_id);
      rd_cti_link_emit_event (RD_CTI_LINK (self), event);
    }
}

static void
session_ready (Session *session)
{
  RdCstaLink *self = session->link;
  g_autofree char *detail = NULL;

  session->phase = PHASE_READY;
  g_clear_handle_id (&self->handshake_source, g_source_remove);
  self->backoff = BACKOFF_MIN_MSEC;
  if (self->down_since != 0)
    {
      g_message ("CSTA link to %s:%u up again with %u monitors, %" G_GINT64_FORMAT " ms after it went down",
                 self->host, self->port, g_hash_table_size (session->monitors),
                 (g_get_monotonic_time () - self->down_since) / 1000);
      self->down_since = 0;
    }
  else
    {
      g_message ("CSTA link to %s:%u up with %u monitors", self->host, self->port,
                 g_hash_table_size (session->monitors));
    }
  set_state (self, RD_CTI_LINK_STATE_CONNECTED, NULL);
  if (self->session == session)
    start_reconcile (session);
}

static void
start_monitors (Session *session)
{
  /* From here on every step is a request with its own timeout. */
  g_clear_handle_id (&session->link->handshake_source, g_source_remove);
  session->phase = PHASE_MONITORING;
  for (guint i = 0; i < session->stations->len; i++)
    {
      const char *station = g_ptr_array_index (session->stations, i);
      RdCstaDevice device = { 0, };
      g_autoptr(GBytes) argument = NULL;

      rd_csta_device_set_dialing (&device, station);
      argument = rd_csta_monitor_start_encode_argument (&device);
      rd_csta_device_clear (&device);
      session->monitors_pending++;
      session_request (session, REQUEST_MONITOR, RD_CSTA_OP_MONITOR_START, argument, station, NULL);
    }
  if (session->monitors_pending == 0)
    {
      g_autoptr(GBytes) argument = rd_csta_cdr_start_encode_argument (0);

      session->phase = PHASE_STARTING_CDR;
      session_request (session, REQUEST_CDR, RD_CSTA_OP_START_CDR, argument, NULL, NULL);
    }
}

/* A ReturnResult (@rose) or, with @rose %NULL, a ReturnError or Reject. */
static void
handle_answer (Session    *session,
               Request    *request,
               RdCstaRose *rose)
{
  g_autoptr(GError) error = NULL;

  switch (request->kind)
    {
    case REQUEST_DISCOVERY:
      if (rose == NULL)
        {
          session_fail (session, "The PBX refused device discovery");
          return;
        }
      break;

    case REQUEST_MONITOR:
      {
        g_autoptr(GBytes) cross_ref = NULL;

        if (rose != NULL)
          cross_ref = rd_csta_monitor_start_decode_result (rose->argument, &error);
        if (cross_ref != NULL)
          g_hash_table_replace (session->monitors,
                                rd_csta_hex (g_bytes_get_data (cross_ref, NULL), g_bytes_get_size (cross_ref)),
                                g_strdup (request->device));
        else
          g_message ("Cannot monitor extension %s: %s", request->device,
                     error != NULL ? error->message : "the PBX refused");
        if (--session->monitors_pending == 0)
          {
            g_autoptr(GBytes) argument = rd_csta_cdr_start_encode_argument (0);

            session->phase = PHASE_STARTING_CDR;
            session_request (session, REQUEST_CDR, RD_CSTA_OP_START_CDR, argument, NULL, NULL);
          }
      }
      break;

    case REQUEST_CDR:
      if (rose == NULL)
        g_message ("The PBX refused CDR transmission (another application may have it)");
      session_ready (session);
      break;

    case REQUEST_SNAPSHOT:
      {
        g_autoptr(GArray) connections = NULL;

        if (rose != NULL)
          connections = rd_csta_snapshot_device_decode_result (rose->argument, &error);
        if (connections == NULL)
          g_debug ("No snapshot of %s: %s", request->device,
                   error != NULL ? error->message : "the PBX refused");
        for (guint i = 0; connections != NULL && i < connections->len; i++)
          {
            char *call_id = rd_csta_call_id_to_decimal (g_array_index (connections, RdCstaConnection, i).call_id);

            if (call_id != NULL && session->seen != NULL)
              g_hash_table_add (session->seen, call_id);
            else
              g_free (call_id);
          }
        if (--session->snapshots_pending == 0 && session->candidates != NULL)
          finish_reconcile (session);
      }
      break;

    case REQUEST_MAKE_CALL:
      {
        GTask *task = g_steal_pointer (&request->task);
        RdCstaConnection connection = { NULL, };
        char *call_id = NULL;

        if (rose == NULL)
          g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA, "The PBX refused the call");
        else if (!rd_csta_make_call_decode_result (rose->argument, &connection, &error) ||
                 (call_id = rd_csta_call_id_to_decimal (connection.call_id)) == NULL)
          g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA,
                                   "The PBX gave no call id: %s",
                                   error != NULL ? error->message : "empty");
        else
          g_task_return_pointer (task, call_id, g_free);
        rd_csta_connection_clear (&connection);
        g_object_unref (task);
      }
      break;

    case REQUEST_DEFLECT_CALL:
      {
        GTask *task = g_steal_pointer (&request->task);

        if (rose == NULL)
          g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_DATA, "The PBX refused to move the call");
        else
          g_task_return_boolean (task, TRUE);
        g_object_unref (task);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
handle_invoke (Session    *session,
               RdCstaRose *rose)
{
  switch (rose->opcode)
    {
    case RD_CSTA_OP_SYSTEM_STATUS:
    case RD_CSTA_OP_LEGACY_STATUS:
      {
        g_autoptr(GBytes) answer = rd_csta_encode_no_data_answer (rose->invoke_id, rose->opcode);

        rd_csta_channel_send (session->channel, answer, NULL);
        rearm_watchdog (session->link);
      }
      break;
    case RD_CSTA_OP_EVENT_REPORT:
      handle_event_report (session, rose->argument);
      break;
    case RD_CSTA_OP_ESCAPE:
      handle_discovery_reply (session, rose->argument);
      break;
    case RD_CSTA_OP_CDR_REPORT:
      handle_cdr_report (session, rose);
      break;
    default:
      g_debug ("Ignoring CSTA operation %d from the PBX", rose->opcode);
      break;
    }
}

static void
handle_aare (Session *session,
             GBytes  *pdu)
{
  g_autoptr(GError) error = NULL;
  RdCstaAssociation assoc = { NULL, };

  if (!rd_csta_acse_decode_aare (pdu, &assoc, &error))
    {
      session->link->n_bad_frames++;
      session_fail (session, "Bad association reply from the PBX: %s", error->message);
      return;
    }
  if (assoc.result != RD_CSTA_AARE_ACCEPTED)
    {
      session_fail (session, "The PBX refused the CSTA association (result %d, diagnostic %d)",
                    assoc.result, assoc.diagnostic);
      rd_csta_association_clear (&assoc);
      return;
    }
  rd_csta_association_clear (&assoc);
  start_discovery (session, RD_CSTA_CATEGORY_STATION);
}

static void
on_pdu (RdCstaChannel *channel,
        GBytes        *pdu,
        gpointer       user_data)
{
  g_autoptr(Session) session = session_ref (user_data);
  g_autoptr(GError) error = NULL;
  RdCstaPduKind kind = rd_csta_pdu_get_kind (pdu);
  RdCstaRose rose;
  Request *request;

  if (session->link == NULL)
    return;

  if (session->phase == PHASE_ASSOCIATING)
    {
      if (kind != RD_CSTA_PDU_AARE)
        {
          session->link->n_bad_frames++;
          session_fail (session, "The PBX sent %s instead of an association reply",
                        rd_csta_pdu_kind_to_string (kind));
          return;
        }
      handle_aare (session, pdu);
      return;
    }

  if (kind == RD_CSTA_PDU_ABRT || kind == RD_CSTA_PDU_RLRQ)
    {
      session_fail (session, "The PBX ended the CSTA association");
      return;
    }

  if (!rd_csta_rose_decode (pdu, &rose, &error))
    {
      session->link->n_bad_frames++;
      g_message ("Malformed PDU from the PBX, reconnecting: %s", error->message);
      session_fail (session, "Malformed PDU from the PBX: %s", error->message);
      return;
    }

  switch (rose.kind)
    {
    case RD_CSTA_PDU_INVOKE:
      handle_invoke (session, &rose);
      break;
    case RD_CSTA_PDU_RETURN_RESULT:
    case RD_CSTA_PDU_RETURN_ERROR:
    case RD_CSTA_PDU_REJECT:
      request = g_hash_table_lookup (session->requests, GINT_TO_POINTER (rose.invoke_id));
      if (request == NULL)
        {
          g_debug ("Ignoring an answer to unknown invoke %d", rose.invoke_id);
          break;
        }
      g_hash_table_steal (session->requests, GINT_TO_POINTER (rose.invoke_id));
      handle_answer (session, request, rose.kind == RD_CSTA_PDU_RETURN_RESULT ? &rose : NULL);
      request_free (request);
      break;
    case RD_CSTA_PDU_AARQ:
    case RD_CSTA_PDU_AARE:
    case RD_CSTA_PDU_RLRQ:
    case RD_CSTA_PDU_RLRE:
    case RD_CSTA_PDU_ABRT:
    case RD_CSTA_PDU_UNKNOWN:
    default:
      g_debug ("Ignoring a %s PDU", rd_csta_pdu_kind_to_string (rose.kind));
      break;
    }
  rd_csta_rose_clear (&rose);
}

static void
on_closed (RdCstaChannel *channel,
           const GError  *error,
           gpointer       user_data)
{
  g_autoptr(Session) session = session_ref (user_data);

  if (session->link == NULL)
    return;
  if (error != NULL && error->domain != G_IO_ERROR)
    {
      session->link->n_bad_frames++;
      g_message ("Bad frame from the PBX, reconnecting: %s", error->message);
    }
  if (error != NULL)
    session_fail (session, "Connection to the PBX failed: %s", error->message);
  else
    session_fail (session, "The PBX closed the connection");
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RdCstaLink) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GBytes) aarq = NULL;
  Session *session;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->connect_cancellable);
  if (connection == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("Cannot connect to %s:%u: %s",
                                                 self->host, self->port, error->message);

      link_down (self, detail);
      return;
    }

  g_socket_set_keepalive (g_socket_connection_get_socket (connection), TRUE);
  /* the client's timeout is for connecting only: an idle PBX is not a dead
   * one (the keepalive watchdog decides that) */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  session = g_rc_box_new0 (Session);
  session->link = self;
  session->phase = PHASE_ASSOCIATING;
  session->requests = g_hash_table_new_full (NULL, NULL, NULL, request_free);
  session->device_numbers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  session->stations = g_ptr_array_new_with_free_func (g_free);
  session->trunks = g_ptr_array_new_with_free_func (g_free);
  session->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  session->channel = rd_csta_channel_new (G_IO_STREAM (connection), 0, on_pdu, on_closed, session);
  self->session = session;

  set_state (self, RD_CTI_LINK_STATE_CONNECTING, "Logging in to the PBX");
  rearm_watchdog (self);
  rearm_handshake (self);
  rd_csta_channel_start (session->channel);
  aarq = rd_csta_acse_encode_aarq (RD_CSTA_VERSION_FIVE);
  rd_csta_channel_send (session->channel, aarq, NULL);
}

static void
link_connect (RdCstaLink *self)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree char *detail = g_strdup_printf ("Connecting to %s:%u", self->host, self->port);

  link_end_session (self);
  set_state (self, RD_CTI_LINK_STATE_CONNECTING, detail);

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_SEC);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();
  g_socket_client_connect_to_host_async (client, self->host, self->port, self->connect_cancellable,
                                         on_connected, g_object_ref (self));
}

/* ---- RdCtiLink ------------------------------------------------------------------- */

static void
rd_csta_link_start (RdCtiLink *link)
{
  RdCstaLink *self = RD_CSTA_LINK (link);

  if (self->running)
    return;
  self->running = TRUE;
  self->backoff = BACKOFF_MIN_MSEC;
  link_connect (self);
}

static void
rd_csta_link_stop (RdCtiLink *link)
{
  RdCstaLink *self = RD_CSTA_LINK (link);

  self->running = FALSE;
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  link_end_session (self);
  g_hash_table_remove_all (self->calls);
  self->down_since = 0;
  set_state (self, RD_CTI_LINK_STATE_STOPPED, NULL);
}

static GTask *
ready_task (RdCstaLink          *self,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->session == NULL || self->session->phase != PHASE_READY)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE, "The CSTA link is not connected");
      g_object_unref (task);
      return NULL;
    }
  return task;
}

static void
rd_csta_link_make_call_async (RdCtiLink           *link,
                              const char          *from_extension,
                              const char          *to,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RdCstaLink *self = RD_CSTA_LINK (link);
  GTask *task = ready_task (self, rd_csta_link_make_call_async, cancellable, callback, user_data);
  g_autoptr(GBytes) argument = NULL;
  RdCstaDevice calling = { 0, };

  if (task == NULL)
    return;
  rd_csta_device_set_dialing (&calling, from_extension);
  argument = rd_csta_make_call_encode_argument (&calling, to);
  rd_csta_device_clear (&calling);
  session_request (self->session, REQUEST_MAKE_CALL, RD_CSTA_OP_MAKE_CALL, argument, from_extension, task);
}

static char *
rd_csta_link_make_call_finish (RdCtiLink     *link,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, link), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_csta_link_make_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_csta_link_deflect_call_async (RdCtiLink           *link,
                                 const char          *call_id,
                                 const char          *from_extension,
                                 const char          *to_extension,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RdCstaLink *self = RD_CSTA_LINK (link);
  GTask *task = ready_task (self, rd_csta_link_deflect_call_async, cancellable, callback, user_data);
  g_autoptr(GBytes) argument = NULL;
  RdCstaConnection connection = { NULL, };
  RdCstaDevice destination = { 0, };

  if (task == NULL)
    return;
  connection.call_id = rd_csta_call_id_from_decimal (call_id);
  if (connection.call_id == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“%s” is not a CSTA call id", call_id);
      g_object_unref (task);
      return;
    }
  rd_csta_device_set_dialing (&connection.device, from_extension);
  rd_csta_device_set_dialing (&destination, to_extension);
  argument = rd_csta_deflect_call_encode_argument (&connection, &destination);
  rd_csta_connection_clear (&connection);
  rd_csta_device_clear (&destination);
  session_request (self->session, REQUEST_DEFLECT_CALL, RD_CSTA_OP_DEFLECT_CALL, argument, from_extension, task);
}

static gboolean
rd_csta_link_deflect_call_finish (RdCtiLink     *link,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, link), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_csta_link_deflect_call_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rd_csta_link_iface_init (RdCtiLinkInterface *iface)
{
  iface->start = rd_csta_link_start;
  iface->stop = rd_csta_link_stop;
  iface->make_call_async = rd_csta_link_make_call_async;
  iface->make_call_finish = rd_csta_link_make_call_finish;
  iface->deflect_call_async = rd_csta_link_deflect_call_async;
  iface->deflect_call_finish = rd_csta_link_deflect_call_finish;
}

/* ---- public API ------------------------------------------------------------------- */

/**
 * rd_csta_link_new:
 * @host: the PBX's host name or address
 * @port: its CSTA port (33333 on Panasonic)
 *
 * Returns: (transfer full): a stopped link; rd_cti_link_start() it
 */
RdCstaLink *
rd_csta_link_new (const char *host,
                  guint16     port)
{
  g_return_val_if_fail (host != NULL, NULL);

  return g_object_new (RD_TYPE_CSTA_LINK, "host", host, "port", (guint) port, NULL);
}

/* Reads [csta] host, port, keepalive-timeout and request-timeout (seconds). */
RdCstaLink *
rd_csta_link_new_from_config (RdConfig *config)
{
  g_autofree char *host = rd_config_get_string (config, "csta", "host");
  RdCstaLink *self = rd_csta_link_new (host, (guint16) rd_config_get_int (config, "csta", "port"));

  rd_csta_link_set_keepalive_timeout (self, (guint) rd_config_get_int (config, "csta", "keepalive-timeout") * 1000);
  rd_csta_link_set_request_timeout (self, (guint) rd_config_get_int (config, "csta", "request-timeout") * 1000);
  return self;
}

/* How long without a systemStatus from the PBX before the link is declared dead. */
void
rd_csta_link_set_keepalive_timeout (RdCstaLink *self,
                                    guint       msec)
{
  g_return_if_fail (RD_IS_CSTA_LINK (self));
  g_return_if_fail (msec > 0);

  self->keepalive_timeout = msec;
}

/* How long to wait for the PBX to answer a request. */
void
rd_csta_link_set_request_timeout (RdCstaLink *self,
                                  guint       msec)
{
  g_return_if_fail (RD_IS_CSTA_LINK (self));
  g_return_if_fail (msec > 0);

  self->request_timeout = msec;
}

/* Returns: the monitors the current session holds (0 when not connected) */
guint
rd_csta_link_get_n_monitors (RdCstaLink *self)
{
  g_return_val_if_fail (RD_IS_CSTA_LINK (self), 0);

  return self->session != NULL ? g_hash_table_size (self->session->monitors) : 0;
}

/* Returns: malformed PDUs and frames received since the link was made */
guint
rd_csta_link_get_n_bad_frames (RdCstaLink *self)
{
  g_return_val_if_fail (RD_IS_CSTA_LINK (self), 0);

  return self->n_bad_frames;
}

/* Returns: the calls the link believes are live */
guint
rd_csta_link_get_n_live_calls (RdCstaLink *self)
{
  g_return_val_if_fail (RD_IS_CSTA_LINK (self), 0);

  return g_hash_table_size (self->calls);
}

/* Returns: (transfer full): the stations discovery reported in this session */
GStrv
rd_csta_link_dup_stations (RdCstaLink *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (RD_IS_CSTA_LINK (self), NULL);

  for (guint i = 0; self->session != NULL && i < self->session->stations->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->session->stations, i));
  return g_strv_builder_end (builder);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
rd_csta_link_dispose (GObject *object)
{
  RdCstaLink *self = RD_CSTA_LINK (object);

  self->running = FALSE;
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  link_end_session (self);

  G_OBJECT_CLASS (rd_csta_link_parent_class)->dispose (object);
}

static void
rd_csta_link_finalize (GObject *object)
{
  RdCstaLink *self = RD_CSTA_LINK (object);

  g_free (self->host);
  g_free (self->detail);
  g_hash_table_unref (self->calls);

  G_OBJECT_CLASS (rd_csta_link_parent_class)->finalize (object);
}

static void
rd_csta_link_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RdCstaLink *self = RD_CSTA_LINK (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_NAME:
      g_value_set_string (value, LINK_NAME);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_RECONNECTS:
      g_value_set_uint (value, self->reconnects);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_csta_link_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RdCstaLink *self = RD_CSTA_LINK (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = (guint16) g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_csta_link_class_init (RdCstaLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_csta_link_dispose;
  object_class->finalize = rd_csta_link_finalize;
  object_class->get_property = rd_csta_link_get_property;
  object_class->set_property = rd_csta_link_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, 33333,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_HOST, properties[PROP_HOST]);
  g_object_class_install_property (object_class, PROP_PORT, properties[PROP_PORT]);

  g_object_class_override_property (object_class, PROP_NAME, "name");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_DETAIL, "detail");
  g_object_class_override_property (object_class, PROP_RECONNECTS, "reconnects");
  properties[PROP_STATE] = g_object_class_find_property (object_class, "state");
  properties[PROP_DETAIL] = g_object_class_find_property (object_class, "detail");
  properties[PROP_RECONNECTS] = g_object_class_find_property (object_class, "reconnects");
}

static void
rd_csta_link_init (RdCstaLink *self)
{
  self->state = RD_CTI_LINK_STATE_STOPPED;
  self->keepalive_timeout = DEFAULT_KEEPALIVE_MSEC;
  self->request_timeout = DEFAULT_REQUEST_MSEC;
  self->backoff = BACKOFF_MIN_MSEC;
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, live_call_free);
}
