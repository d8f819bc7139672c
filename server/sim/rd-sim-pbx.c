/* rd-sim-pbx.c: a model of a Panasonic KX-NS PBX that reports RdCtiEvents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PBX keeps stations, trunks and calls, and reports everything that
 * happens to a call as the normalised RdCtiEvent stream on its "event"
 * signal, in the order the KX-NS reports it over CSTA (see
 * docs/panasonic-protocols.md §2.7): Delivered → RINGING, Established →
 * ANSWERED, Diverted → DIVERTED, ConnectionCleared → CLEARED and so on, and a
 * RECORD (the SMDR line / CSTA CDR) once the call is over.
 *
 * Time is virtual: the PBX has its own clock (an epoch plus elapsed
 * milliseconds) and a queue of scheduled actions. With a time scale of 0 the
 * clock only moves in rd_sim_pbx_advance(), which is what the tests use;
 * with a scale > 0 a main-loop timeout moves it with the wall clock, scaled
 * (2 = twice as fast). Nothing ever sleeps.
 */

#define G_LOG_DOMAIN "RdSimPbx"

#include "config.h"

#include <string.h>

#include "rd-common.h"
#include "rd-sim-pbx.h"

typedef enum
{
  CALL_RINGING,      /* offered to @station */
  CALL_DIALLING,     /* outgoing: the far end has not answered */
  CALL_TALKING,
  CALL_HELD,
} CallState;

typedef struct
{
  char            *call_id;
  RdCallDirection  direction;
  CallState        state;
  char            *origin;     /* the station that placed it (out, internal) */
  char            *station;    /* the station it rings or talks at */
  char            *calling;
  char            *called;
  char            *ddi;
  char            *trunk;
  char            *consult;    /* the consultation leg this call holds for */
  char            *consult_of; /* for a consultation leg: the held call */
  char            *dial_to;    /* click-to-dial: the number to dial */
  gint64           started;
  gint64           answered;   /* -1 until answered */
} SimCall;

typedef struct
{
  gint64          due;
  guint64         seq;
  RdSimPbxFunc    func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} SimTimer;

struct _RdSimPbx
{
  GObject     parent_instance;

  GStrv       stations;
  GStrv       trunks;
  GPtrArray  *calls;          /* SimCall, oldest first */
  guint       next_call_id;

  GDateTime  *epoch;
  gint64      elapsed;        /* msec since the epoch */
  double      scale;
  gint64      wall_base;      /* monotonic usec when elapsed was sim_base */
  gint64      sim_base;
  GSequence  *timers;
  guint64     timer_seq;
  guint       timeout_id;
  gboolean    running_timers;

  /* generated traffic */
  GRand      *rand;
  guint       traffic_generation;
  double      load_rate;
  char       *load_first;
  guint       load_span;
  gint64      load_until;
  guint64     load_count;
  char       *demo_agent;
  guint64     demo_count;
};

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RdSimPbx, rd_sim_pbx, G_TYPE_OBJECT)

static const char * const default_stations[] = {
  "201", "202", "203", "204", "205", "206", "207", "208", "209", "210", NULL
};
static const char * const default_trunks[] = { "01", "02", "03", "04", NULL };

static void
sim_call_free (SimCall *call)
{
  g_free (call->call_id);
  g_free (call->origin);
  g_free (call->station);
  g_free (call->calling);
  g_free (call->called);
  g_free (call->ddi);
  g_free (call->trunk);
  g_free (call->consult);
  g_free (call->consult_of);
  g_free (call->dial_to);
  g_free (call);
}

static void
sim_timer_free (SimTimer *timer)
{
  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static int
sim_timer_compare (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const SimTimer *ta = a;
  const SimTimer *tb = b;

  if (ta->due != tb->due)
    return ta->due < tb->due ? -1 : 1;
  if (ta->seq != tb->seq)
    return ta->seq < tb->seq ? -1 : 1;
  return 0;
}

static void
rd_sim_pbx_dispose (GObject *object)
{
  RdSimPbx *self = (RdSimPbx *)object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (rd_sim_pbx_parent_class)->dispose (object);
}

static void
rd_sim_pbx_finalize (GObject *object)
{
  RdSimPbx *self = (RdSimPbx *)object;

  g_strfreev (self->stations);
  g_strfreev (self->trunks);
  g_ptr_array_unref (self->calls);
  g_date_time_unref (self->epoch);
  g_sequence_foreach (self->timers, (GFunc) sim_timer_free, NULL);
  g_sequence_free (self->timers);
  g_clear_pointer (&self->rand, g_rand_free);
  g_free (self->load_first);
  g_free (self->demo_agent);

  G_OBJECT_CLASS (rd_sim_pbx_parent_class)->finalize (object);
}

static void
rd_sim_pbx_class_init (RdSimPbxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_sim_pbx_dispose;
  object_class->finalize = rd_sim_pbx_finalize;

  /**
   * RdSimPbx::event:
   * @pbx: the PBX
   * @event: what happened (link "sim")
   *
   * Everything that happens in the PBX, in order.
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  RD_TYPE_CTI_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
rd_sim_pbx_init (RdSimPbx *self)
{
  self->stations = g_strdupv ((char **) default_stations);
  self->trunks = g_strdupv ((char **) default_trunks);
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_call_free);
  self->next_call_id = 1;
  self->epoch = g_date_time_new_now_local ();
  self->scale = 0;
  /* no free function: rd_sim_pbx_run_until() takes timers out to run them */
  self->timers = g_sequence_new (NULL);
}

/**
 * rd_sim_pbx_new:
 *
 * Returns: (transfer full): a PBX with stations 201–210 and trunks 01–04,
 *   its clock stopped (time scale 0)
 */
RdSimPbx *
rd_sim_pbx_new (void)
{
  return g_object_new (RD_TYPE_SIM_PBX, NULL);
}

void
rd_sim_pbx_set_stations (RdSimPbx           *self,
                         const char * const *stations)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (stations != NULL);

  g_strfreev (self->stations);
  self->stations = g_strdupv ((char **) stations);
}

const char * const *
rd_sim_pbx_get_stations (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);

  return (const char * const *) self->stations;
}

void
rd_sim_pbx_set_trunks (RdSimPbx           *self,
                       const char * const *trunks)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (trunks != NULL);

  g_strfreev (self->trunks);
  self->trunks = g_strdupv ((char **) trunks);
}

const char * const *
rd_sim_pbx_get_trunks (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);

  return (const char * const *) self->trunks;
}

gboolean
rd_sim_pbx_has_station (RdSimPbx   *self,
                        const char *extension)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  return extension != NULL && g_strv_contains ((const char * const *) self->stations, extension);
}

/* ------------------------------------------------------------------ clock */

static void rd_sim_pbx_update_timeout (RdSimPbx *self);

static void
rd_sim_pbx_rebase (RdSimPbx *self)
{
  self->wall_base = g_get_monotonic_time ();
  self->sim_base = self->elapsed;
}

/* in real time, where the clock should be now */
static gint64
rd_sim_pbx_wall_target (RdSimPbx *self)
{
  gint64 wall = g_get_monotonic_time () - self->wall_base;

  return self->sim_base + (gint64) ((double) wall / 1000.0 * self->scale);
}

static void
rd_sim_pbx_sync_clock (RdSimPbx *self)
{
  if (self->scale > 0 && !self->running_timers)
    self->elapsed = MAX (self->elapsed, rd_sim_pbx_wall_target (self));
}

void
rd_sim_pbx_set_epoch (RdSimPbx  *self,
                      GDateTime *epoch)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (epoch != NULL);

  g_date_time_unref (self->epoch);
  self->epoch = g_date_time_ref (epoch);
}

/**
 * rd_sim_pbx_dup_now:
 * @self: a PBX
 *
 * Returns: (transfer full): the PBX's current time
 */
GDateTime *
rd_sim_pbx_dup_now (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);

  rd_sim_pbx_sync_clock (self);
  return g_date_time_add (self->epoch, self->elapsed * G_TIME_SPAN_MILLISECOND);
}

/**
 * rd_sim_pbx_get_elapsed:
 * @self: a PBX
 *
 * Returns: milliseconds of PBX time since the epoch
 */
gint64
rd_sim_pbx_get_elapsed (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), 0);

  rd_sim_pbx_sync_clock (self);
  return self->elapsed;
}

/**
 * rd_sim_pbx_set_time_scale:
 * @self: a PBX
 * @scale: PBX seconds per wall-clock second, or 0 to stop the clock
 *
 * With 0, time only passes through rd_sim_pbx_advance().
 */
void
rd_sim_pbx_set_time_scale (RdSimPbx *self,
                           double    scale)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (scale >= 0);

  rd_sim_pbx_sync_clock (self);
  self->scale = scale;
  rd_sim_pbx_rebase (self);
  rd_sim_pbx_update_timeout (self);
}

double
rd_sim_pbx_get_time_scale (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), 0);

  return self->scale;
}

static void
rd_sim_pbx_run_until (RdSimPbx *self,
                      gint64    target)
{
  if (self->running_timers)
    return;

  self->running_timers = TRUE;
  while (!g_sequence_is_empty (self->timers))
    {
      GSequenceIter *iter = g_sequence_get_begin_iter (self->timers);
      SimTimer *timer = g_sequence_get (iter);

      if (timer->due > target)
        break;

      self->elapsed = MAX (self->elapsed, timer->due);
      /* steal it from the queue before running it: the action may schedule
       * more */
      g_sequence_remove (iter);
      timer->func (self, timer->user_data);
      sim_timer_free (timer);
    }
  self->elapsed = MAX (self->elapsed, target);
  self->running_timers = FALSE;
}

/**
 * rd_sim_pbx_advance:
 * @self: a PBX
 * @msec: how much PBX time passes
 *
 * Moves the clock on, running every scheduled action that falls due on the
 * way, in order and each at its own time.
 */
void
rd_sim_pbx_advance (RdSimPbx *self,
                    gint64    msec)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (msec >= 0);

  rd_sim_pbx_sync_clock (self);
  rd_sim_pbx_run_until (self, self->elapsed + msec);
  rd_sim_pbx_rebase (self);
  rd_sim_pbx_update_timeout (self);
}

/**
 * rd_sim_pbx_run_pending:
 * @self: a PBX
 *
 * Advances the clock until nothing is scheduled any more (all scenarios and
 * traffic have played out). Mind endless traffic such as demo mode.
 */
void
rd_sim_pbx_run_pending (RdSimPbx *self)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));

  while (!g_sequence_is_empty (self->timers) && !self->running_timers)
    {
      SimTimer *timer = g_sequence_get (g_sequence_get_begin_iter (self->timers));

      rd_sim_pbx_advance (self, MAX (timer->due - self->elapsed, 0));
    }
}

guint
rd_sim_pbx_get_n_pending (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), 0);

  return (guint) g_sequence_get_length (self->timers);
}

static gboolean
rd_sim_pbx_timeout_cb (gpointer user_data)
{
  RdSimPbx *self = user_data;

  self->timeout_id = 0;
  rd_sim_pbx_run_until (self, rd_sim_pbx_wall_target (self));
  rd_sim_pbx_update_timeout (self);

  return G_SOURCE_REMOVE;
}

static void
rd_sim_pbx_update_timeout (RdSimPbx *self)
{
  SimTimer *first;
  gint64 wait_msec;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->scale <= 0 || g_sequence_is_empty (self->timers) || self->running_timers)
    return;

  first = g_sequence_get (g_sequence_get_begin_iter (self->timers));
  wait_msec = (gint64) ((double) (first->due - rd_sim_pbx_wall_target (self)) / self->scale);
  wait_msec = CLAMP (wait_msec, 0, G_MAXINT);
  self->timeout_id = g_timeout_add ((guint) wait_msec, rd_sim_pbx_timeout_cb, self);
}

/**
 * rd_sim_pbx_schedule:
 * @self: a PBX
 * @delay_msec: PBX milliseconds from now
 * @func: what to run
 * @user_data: its data
 * @destroy: (nullable): frees @user_data after the run (or with the PBX)
 *
 * Runs @func when the PBX clock has moved on by @delay_msec. Actions due at
 * the same time run in the order they were scheduled.
 */
void
rd_sim_pbx_schedule (RdSimPbx       *self,
                     gint64          delay_msec,
                     RdSimPbxFunc    func,
                     gpointer        user_data,
                     GDestroyNotify  destroy)
{
  SimTimer *timer;

  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (func != NULL);

  rd_sim_pbx_sync_clock (self);

  timer = g_new0 (SimTimer, 1);
  timer->due = self->elapsed + MAX (delay_msec, 0);
  timer->seq = self->timer_seq++;
  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;
  g_sequence_insert_sorted (self->timers, timer, sim_timer_compare, NULL);

  rd_sim_pbx_update_timeout (self);
}

/* ------------------------------------------------------------------ calls */

static SimCall *
rd_sim_pbx_lookup (RdSimPbx   *self,
                   const char *call_id,
                   GError    **error)
{
  if (call_id != NULL)
    {
      for (guint i = 0; i < self->calls->len; i++)
        {
          SimCall *call = g_ptr_array_index (self->calls, i);

          if (g_str_equal (call->call_id, call_id))
            return call;
        }
    }

  g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND,
               "No call %s in the PBX", call_id != NULL ? call_id : "(null)");
  return NULL;
}

static gboolean
rd_sim_pbx_check_station (RdSimPbx    *self,
                          const char  *extension,
                          GError     **error)
{
  if (rd_sim_pbx_has_station (self, extension))
    return TRUE;

  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
               "%s is not a station of this PBX", extension != NULL ? extension : "(null)");
  return FALSE;
}

static gboolean
rd_sim_pbx_check_number (const char  *number,
                         GError     **error)
{
  gsize len = number != NULL ? strlen (number) : 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (number[i]) && number[i] != '+' && number[i] != '*' && number[i] != '#')
      len = 0;
  if (len > 0 && len <= 32)
    return TRUE;

  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
               "“%s” is not a phone number (up to 32 of 0-9 + * #)", number != NULL ? number : "");
  return FALSE;
}

static gboolean
rd_sim_pbx_trunk_busy (RdSimPbx   *self,
                       const char *trunk)
{
  for (guint i = 0; i < self->calls->len; i++)
    {
      SimCall *call = g_ptr_array_index (self->calls, i);

      if (g_strcmp0 (call->trunk, trunk) == 0)
        return TRUE;
    }
  return FALSE;
}

/* the trunk a trunk call seizes: @wanted if free, else the first free one */
static char *
rd_sim_pbx_seize_trunk (RdSimPbx    *self,
                        const char  *wanted,
                        GError     **error)
{
  if (wanted != NULL)
    {
      if (!g_strv_contains ((const char * const *) self->trunks, wanted))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "%s is not a trunk of this PBX", wanted);
          return NULL;
        }
      if (rd_sim_pbx_trunk_busy (self, wanted))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT, "Trunk %s is busy", wanted);
          return NULL;
        }
      return g_strdup (wanted);
    }

  for (guint i = 0; self->trunks[i] != NULL; i++)
    if (!rd_sim_pbx_trunk_busy (self, self->trunks[i]))
      return g_strdup (self->trunks[i]);

  g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT, "All trunks are busy");
  return NULL;
}

static SimCall *
rd_sim_pbx_add_call (RdSimPbx        *self,
                     RdCallDirection  direction,
                     CallState        state)
{
  SimCall *call = g_new0 (SimCall, 1);

  call->call_id = g_strdup_printf ("%u", self->next_call_id);
  /* the KX-NS call id is a 16-bit counter */
  self->next_call_id = self->next_call_id >= 65535 ? 1 : self->next_call_id + 1;
  call->direction = direction;
  call->state = state;
  call->started = self->elapsed;
  call->answered = -1;
  g_ptr_array_add (self->calls, call);

  return call;
}

static RdCtiEvent *
rd_sim_pbx_new_event (RdSimPbx       *self,
                      SimCall        *call,
                      RdCtiEventType  type,
                      const char     *extension,
                      const char     *cause)
{
  RdCtiEvent *event = rd_cti_event_new (type, "sim");

  g_date_time_unref (event->at);
  event->at = g_date_time_add (self->epoch, self->elapsed * G_TIME_SPAN_MILLISECOND);
  event->call_id = g_strdup (call->call_id);
  event->extension = g_strdup (extension);
  event->calling = g_strdup (call->calling);
  event->called = g_strdup (call->called);
  event->ddi = g_strdup (call->ddi);
  event->trunk = g_strdup (call->trunk);
  event->direction = call->direction;
  event->cause = g_strdup (cause);

  return event;
}

static void
rd_sim_pbx_emit (RdSimPbx   *self,
                 RdCtiEvent *event)
{
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE)
    {
      g_autofree char *text = rd_cti_event_to_string (event);

      g_debug ("%s", text);
    }

  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
  rd_cti_event_unref (event);
}

static void
rd_sim_pbx_report (RdSimPbx       *self,
                   SimCall        *call,
                   RdCtiEventType  type,
                   const char     *extension,
                   const char     *target,
                   const char     *cause)
{
  RdCtiEvent *event = rd_sim_pbx_new_event (self, call, type, extension, cause);

  event->target = g_strdup (target);
  rd_sim_pbx_emit (self, event);
}

static gint64
msec_to_sec (gint64 msec)
{
  return (msec + 500) / 1000;
}

/* the whole call is over: CLEARED without extension, then its record */
static void
rd_sim_pbx_end_call (RdSimPbx      *self,
                     SimCall       *call,
                     RdCallOutcome  outcome,
                     const char    *cause)
{
  RdCtiEvent *record;

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_CLEARED, NULL, NULL, cause);

  record = rd_sim_pbx_new_event (self, call, RD_CTI_EVENT_RECORD, call->station, cause);
  record->outcome = outcome;
  if (call->answered >= 0)
    {
      record->ring_time = msec_to_sec (call->answered - call->started);
      record->duration = msec_to_sec (self->elapsed - call->answered);
    }
  else
    {
      record->ring_time = msec_to_sec (self->elapsed - call->started);
      record->duration = 0;
    }
  rd_sim_pbx_emit (self, record);

  g_ptr_array_remove (self->calls, call);
}

/* a consultation leg that is dropped when its held call goes away */
static void
rd_sim_pbx_drop_consult (RdSimPbx *self,
                         SimCall  *call)
{
  SimCall *leg;

  if (call->consult == NULL)
    return;

  leg = rd_sim_pbx_lookup (self, call->consult, NULL);
  g_clear_pointer (&call->consult, g_free);
  if (leg == NULL)
    return;

  rd_sim_pbx_report (self, leg, RD_CTI_EVENT_CLEARED, leg->station, NULL, "normal");
  rd_sim_pbx_end_call (self, leg,
                       leg->answered >= 0 ? RD_CALL_OUTCOME_ANSWERED : RD_CALL_OUTCOME_MISSED,
                       "normal");
}

static gboolean
rd_sim_pbx_check_state (SimCall     *call,
                        CallState    state,
                        const char  *action,
                        GError     **error)
{
  static const char * const names[] = { "ringing", "dialling", "talking", "on hold" };

  if (call->state == state)
    return TRUE;

  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
               "Cannot %s call %s: it is %s", action, call->call_id, names[call->state]);
  return FALSE;
}

/**
 * rd_sim_pbx_incoming:
 * @self: a PBX
 * @calling: the caller's number as the network signals it
 * @trunk: (nullable): the trunk it arrives on, %NULL for the first free one
 * @ddi: (nullable): the DDI number dialled
 * @extension: the station it rings first
 * @error: return location for an error
 *
 * An incoming trunk call starts ringing @extension (RINGING).
 *
 * Returns: (transfer full): the new call id, or %NULL
 */
char *
rd_sim_pbx_incoming (RdSimPbx    *self,
                     const char  *calling,
                     const char  *trunk,
                     const char  *ddi,
                     const char  *extension,
                     GError     **error)
{
  g_autofree char *seized = NULL;
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);
  rd_sim_pbx_sync_clock (self);
  if (!rd_sim_pbx_check_number (calling, error) ||
      (ddi != NULL && !rd_sim_pbx_check_number (ddi, error)) ||
      !rd_sim_pbx_check_station (self, extension, error))
    return NULL;
  seized = rd_sim_pbx_seize_trunk (self, trunk, error);
  if (seized == NULL)
    return NULL;

  call = rd_sim_pbx_add_call (self, RD_CALL_DIRECTION_IN, CALL_RINGING);
  call->station = g_strdup (extension);
  call->calling = g_strdup (calling);
  call->called = g_strdup (ddi != NULL ? ddi : extension);
  call->ddi = g_strdup (ddi);
  call->trunk = g_steal_pointer (&seized);

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_RINGING, extension, NULL, "new_call");

  return g_strdup (call->call_id);
}

/**
 * rd_sim_pbx_outgoing:
 * @self: a PBX
 * @extension: the station that dials
 * @called: the external number
 * @trunk: (nullable): the trunk to seize, %NULL for the first free one
 * @error: return location for an error
 *
 * @extension dials out (ORIGINATED); the call waits for the far end to
 * answer (rd_sim_pbx_answer()).
 *
 * Returns: (transfer full): the new call id, or %NULL
 */
char *
rd_sim_pbx_outgoing (RdSimPbx    *self,
                     const char  *extension,
                     const char  *called,
                     const char  *trunk,
                     GError     **error)
{
  g_autofree char *seized = NULL;
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);
  rd_sim_pbx_sync_clock (self);
  if (!rd_sim_pbx_check_station (self, extension, error) ||
      !rd_sim_pbx_check_number (called, error))
    return NULL;
  seized = rd_sim_pbx_seize_trunk (self, trunk, error);
  if (seized == NULL)
    return NULL;

  call = rd_sim_pbx_add_call (self, RD_CALL_DIRECTION_OUT, CALL_DIALLING);
  call->origin = g_strdup (extension);
  call->station = g_strdup (extension);
  call->calling = g_strdup (extension);
  call->called = g_strdup (called);
  call->trunk = g_steal_pointer (&seized);

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_ORIGINATED, extension, NULL, "new_call");

  return g_strdup (call->call_id);
}

static SimCall *
rd_sim_pbx_start_internal (RdSimPbx    *self,
                           const char  *extension,
                           const char  *called,
                           GError     **error)
{
  SimCall *call;

  if (!rd_sim_pbx_check_station (self, extension, error) ||
      !rd_sim_pbx_check_station (self, called, error))
    return NULL;
  if (g_str_equal (extension, called))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "%s cannot call itself", extension);
      return NULL;
    }

  call = rd_sim_pbx_add_call (self, RD_CALL_DIRECTION_INTERNAL, CALL_RINGING);
  call->origin = g_strdup (extension);
  call->station = g_strdup (called);
  call->calling = g_strdup (extension);
  call->called = g_strdup (called);

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_ORIGINATED, extension, NULL, "new_call");
  rd_sim_pbx_report (self, call, RD_CTI_EVENT_RINGING, called, NULL, "new_call");

  return call;
}

/**
 * rd_sim_pbx_internal:
 * @self: a PBX
 * @extension: the calling station
 * @called: the called station
 * @error: return location for an error
 *
 * An intercom call: ORIGINATED at @extension, RINGING at @called.
 *
 * Returns: (transfer full): the new call id, or %NULL
 */
char *
rd_sim_pbx_internal (RdSimPbx    *self,
                     const char  *extension,
                     const char  *called,
                     GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_start_internal (self, extension, called, error);

  return call != NULL ? g_strdup (call->call_id) : NULL;
}

static gboolean rd_sim_pbx_dial (RdSimPbx    *self,
                                 const char  *call_id,
                                 GError     **error);

/**
 * rd_sim_pbx_answer:
 * @self: a PBX
 * @call_id: a ringing call, or an outgoing one still dialling
 * @error: return location for an error
 *
 * The ringing station (or, for an outgoing call, the far end) answers:
 * ANSWERED.
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_answer (RdSimPbx    *self,
                   const char  *call_id,
                   GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL)
    return FALSE;
  if (call->state != CALL_DIALLING && !rd_sim_pbx_check_state (call, CALL_RINGING, "answer", error))
    return FALSE;
  /* click-to-dial: picking the ringing station up makes the PBX dial */
  if (call->dial_to != NULL)
    return rd_sim_pbx_dial (self, call_id, error);

  call->state = CALL_TALKING;
  if (call->answered < 0)
    call->answered = self->elapsed;
  rd_sim_pbx_report (self, call, RD_CTI_EVENT_ANSWERED, call->station, NULL, NULL);

  return TRUE;
}

/* the call leaves its station for @to without being answered there
 * (DIVERTED, TRANSFERRED): @type from → to, then RINGING at @to */
static gboolean
rd_sim_pbx_move (RdSimPbx        *self,
                 SimCall         *call,
                 const char      *to,
                 RdCtiEventType   type,
                 const char      *cause,
                 GError         **error)
{
  g_autofree char *from = NULL;

  if (g_str_equal (call->station, to))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s is already at %s", call->call_id, to);
      return FALSE;
    }

  from = g_steal_pointer (&call->station);
  call->station = g_strdup (to);
  call->state = CALL_RINGING;
  rd_sim_pbx_report (self, call, type, from, to, cause);
  rd_sim_pbx_report (self, call, RD_CTI_EVENT_RINGING, to, NULL, cause);

  return TRUE;
}

/**
 * rd_sim_pbx_divert:
 * @self: a PBX
 * @call_id: a ringing call
 * @to_extension: the station it moves to
 * @cause: (nullable): why, "no_answer" by default
 * @error: return location for an error
 *
 * The call stops ringing where it rings and rings @to_extension instead
 * (a hunt group step, forwarding on no answer, a deflection): DIVERTED,
 * then RINGING.
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_divert (RdSimPbx    *self,
                   const char  *call_id,
                   const char  *to_extension,
                   const char  *cause,
                   GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL ||
      !rd_sim_pbx_check_state (call, CALL_RINGING, "divert", error) ||
      !rd_sim_pbx_check_station (self, to_extension, error))
    return FALSE;
  return rd_sim_pbx_move (self, call, to_extension, RD_CTI_EVENT_DIVERTED,
                          cause != NULL ? cause : "no_answer", error);
}

gboolean
rd_sim_pbx_hold (RdSimPbx    *self,
                 const char  *call_id,
                 GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL || !rd_sim_pbx_check_state (call, CALL_TALKING, "hold", error))
    return FALSE;

  call->state = CALL_HELD;
  rd_sim_pbx_report (self, call, RD_CTI_EVENT_HELD, call->station, NULL, NULL);

  return TRUE;
}

gboolean
rd_sim_pbx_retrieve (RdSimPbx    *self,
                     const char  *call_id,
                     GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL || !rd_sim_pbx_check_state (call, CALL_HELD, "retrieve", error))
    return FALSE;

  /* taking the call back abandons a consultation in progress */
  rd_sim_pbx_drop_consult (self, call);
  call->state = CALL_TALKING;
  rd_sim_pbx_report (self, call, RD_CTI_EVENT_RETRIEVED, call->station, NULL, NULL);

  return TRUE;
}

/**
 * rd_sim_pbx_transfer:
 * @self: a PBX
 * @call_id: a call talking or on hold
 * @to_extension: the station it goes to
 * @error: return location for an error
 *
 * A blind transfer: TRANSFERRED from the current station to @to_extension,
 * which then rings (RINGING).
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_transfer (RdSimPbx    *self,
                     const char  *call_id,
                     const char  *to_extension,
                     GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL || !rd_sim_pbx_check_station (self, to_extension, error))
    return FALSE;
  if (call->state != CALL_HELD && !rd_sim_pbx_check_state (call, CALL_TALKING, "transfer", error))
    return FALSE;
  if (call->consult != NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s has a consultation in progress", call->call_id);
      return FALSE;
    }

  return rd_sim_pbx_move (self, call, to_extension, RD_CTI_EVENT_TRANSFERRED, "transfer", error);
}

/**
 * rd_sim_pbx_consult:
 * @self: a PBX
 * @call_id: a call talking at a station
 * @to_extension: the station consulted
 * @error: return location for an error
 *
 * The first half of a consultation transfer: the call is put on hold (HELD)
 * and its station calls @to_extension on a new internal call (ORIGINATED,
 * RINGING), which rd_sim_pbx_answer() answers. rd_sim_pbx_complete_transfer()
 * then joins the two.
 *
 * Returns: (transfer full): the consultation call's id, or %NULL
 */
char *
rd_sim_pbx_consult (RdSimPbx    *self,
                    const char  *call_id,
                    const char  *to_extension,
                    GError     **error)
{
  SimCall *call;
  SimCall *leg;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL || !rd_sim_pbx_check_state (call, CALL_TALKING, "consult on", error))
    return NULL;
  if (call->consult_of != NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s is itself a consultation", call->call_id);
      return NULL;
    }
  if (!rd_sim_pbx_check_station (self, to_extension, error))
    return NULL;
  if (g_str_equal (call->station, to_extension))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s is already at %s", call->call_id, to_extension);
      return NULL;
    }

  call->state = CALL_HELD;
  rd_sim_pbx_report (self, call, RD_CTI_EVENT_HELD, call->station, NULL, "consultation");

  leg = rd_sim_pbx_start_internal (self, call->station, to_extension, error);
  /* both stations were checked above */
  g_assert (leg != NULL);
  leg->consult_of = g_strdup (call->call_id);
  call->consult = g_strdup (leg->call_id);

  return g_strdup (leg->call_id);
}

/**
 * rd_sim_pbx_complete_transfer:
 * @self: a PBX
 * @call_id: a held call with a consultation leg
 * @error: return location for an error
 *
 * The consulting station hangs up and joins the held call to the consulted
 * station: TRANSFERRED on the held call, and the consultation leg is cleared
 * (CLEARED with cause "transfer"; being merged, it has no record of its own).
 * The call talks at the consulted station, or rings it when the consultation
 * was not answered yet (transfer on ringing).
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_complete_transfer (RdSimPbx    *self,
                              const char  *call_id,
                              GError     **error)
{
  SimCall *call;
  SimCall *leg;
  g_autofree char *from = NULL;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL)
    return FALSE;
  leg = call->consult != NULL ? rd_sim_pbx_lookup (self, call->consult, NULL) : NULL;
  if (leg == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s has no consultation to transfer to", call->call_id);
      return FALSE;
    }

  from = g_strdup (call->station);
  rd_set_str (&call->station, leg->station);
  call->state = leg->state == CALL_TALKING ? CALL_TALKING : CALL_RINGING;
  g_clear_pointer (&call->consult, g_free);

  rd_sim_pbx_report (self, leg, RD_CTI_EVENT_CLEARED, NULL, NULL, "transfer");
  g_ptr_array_remove (self->calls, leg);

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_TRANSFERRED, from, call->station, "transfer");
  if (call->state == CALL_RINGING)
    rd_sim_pbx_report (self, call, RD_CTI_EVENT_RINGING, call->station, NULL, "transfer");

  return TRUE;
}

/**
 * rd_sim_pbx_hangup:
 * @self: a PBX
 * @call_id: a call talking, on hold or dialling
 * @error: return location for an error
 *
 * The station hangs up: CLEARED at the station, CLEARED for the call and
 * its RECORD (answered, or missed for an outgoing call nobody answered).
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_hangup (RdSimPbx    *self,
                   const char  *call_id,
                   GError     **error)
{
  SimCall *call;
  SimCall *held = NULL;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL)
    return FALSE;
  if (call->state == CALL_RINGING && call->dial_to == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Cannot hang up call %s: it is ringing (abandon it, or let it go unanswered)",
                   call->call_id);
      return FALSE;
    }

  if (call->consult_of != NULL)
    {
      /* hanging up a consultation leg goes back to the held call */
      held = rd_sim_pbx_lookup (self, call->consult_of, NULL);
      if (held != NULL)
        g_clear_pointer (&held->consult, g_free);
    }
  rd_sim_pbx_drop_consult (self, call);

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_CLEARED, call->station, NULL, "normal");
  rd_sim_pbx_end_call (self, call,
                       call->answered >= 0 ? RD_CALL_OUTCOME_ANSWERED : RD_CALL_OUTCOME_MISSED,
                       "normal");

  return TRUE;
}

static gboolean
rd_sim_pbx_end_ringing (RdSimPbx       *self,
                        const char     *call_id,
                        RdCallOutcome   outcome,
                        const char     *cause,
                        GError        **error)
{
  SimCall *call;

  rd_sim_pbx_sync_clock (self);
  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL || !rd_sim_pbx_check_state (call, CALL_RINGING, cause, error))
    return FALSE;

  if (call->consult_of != NULL)
    {
      SimCall *held = rd_sim_pbx_lookup (self, call->consult_of, NULL);

      if (held != NULL)
        g_clear_pointer (&held->consult, g_free);
    }

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_CLEARED, call->station, NULL, cause);
  rd_sim_pbx_end_call (self, call, outcome, cause);

  return TRUE;
}

/**
 * rd_sim_pbx_abandon:
 * @self: a PBX
 * @call_id: a ringing call
 * @error: return location for an error
 *
 * The caller hangs up while it rings: an abandoned call.
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_abandon (RdSimPbx    *self,
                    const char  *call_id,
                    GError     **error)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  return rd_sim_pbx_end_ringing (self, call_id, RD_CALL_OUTCOME_ABANDONED, "abandoned", error);
}

/**
 * rd_sim_pbx_no_answer:
 * @self: a PBX
 * @call_id: a ringing call
 * @error: return location for an error
 *
 * Nobody answers before the PBX gives up (the no-answer time of the last
 * hunt group member): a missed call.
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_no_answer (RdSimPbx    *self,
                      const char  *call_id,
                      GError     **error)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  return rd_sim_pbx_end_ringing (self, call_id, RD_CALL_OUTCOME_MISSED, "no_answer", error);
}

/**
 * rd_sim_pbx_find_call:
 * @self: a PBX
 * @extension: a station
 * @ringing: only a call that rings @extension
 *
 * Returns: (transfer full) (nullable): the newest live call at @extension
 */
char *
rd_sim_pbx_find_call (RdSimPbx   *self,
                      const char *extension,
                      gboolean    ringing)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  for (guint i = self->calls->len; i > 0; i--)
    {
      SimCall *call = g_ptr_array_index (self->calls, i - 1);

      if (ringing)
        {
          if (call->state == CALL_RINGING && g_strcmp0 (call->station, extension) == 0)
            return g_strdup (call->call_id);
        }
      else if (g_strcmp0 (call->station, extension) == 0 ||
               g_strcmp0 (call->origin, extension) == 0)
        {
          return g_strdup (call->call_id);
        }
    }

  return NULL;
}

/**
 * rd_sim_pbx_snapshot:
 * @self: a PBX
 * @extension: a station
 *
 * Returns: (transfer full): the ids of the live calls at @extension, oldest
 *   first (an empty vector when it is idle)
 */
GStrv
rd_sim_pbx_snapshot (RdSimPbx   *self,
                     const char *extension)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  for (guint i = 0; i < self->calls->len; i++)
    {
      SimCall *call = g_ptr_array_index (self->calls, i);

      if (g_strcmp0 (call->station, extension) == 0 ||
          g_strcmp0 (call->origin, extension) == 0)
        g_strv_builder_add (builder, call->call_id);
    }

  return g_strv_builder_end (builder);
}

guint
rd_sim_pbx_get_n_calls (RdSimPbx *self)
{
  g_return_val_if_fail (RD_IS_SIM_PBX (self), 0);

  return self->calls->len;
}

/* ----------------------------------------------------- click-to-dial etc. */

typedef enum
{
  ACTION_ANSWER,
  ACTION_HANGUP,
  ACTION_ABANDON,
  ACTION_NO_ANSWER,
  ACTION_DIVERT,
  ACTION_TRANSFER,
  ACTION_DIAL,
} ActionKind;

typedef struct
{
  ActionKind  kind;
  char       *call_id;
  char       *arg;
} Action;

static void
action_free (Action *action)
{
  g_free (action->call_id);
  g_free (action->arg);
  g_free (action);
}

static void
rd_sim_pbx_run_action (RdSimPbx *self,
                       gpointer  user_data)
{
  Action *action = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  /* the call may have ended meanwhile (a command, a fault): then the action
   * has nothing left to do, and that is normal */
  if (rd_sim_pbx_lookup (self, action->call_id, NULL) == NULL)
    return;

  switch (action->kind)
    {
    case ACTION_ANSWER:
      ok = rd_sim_pbx_answer (self, action->call_id, &error);
      break;
    case ACTION_HANGUP:
      ok = rd_sim_pbx_hangup (self, action->call_id, &error);
      break;
    case ACTION_ABANDON:
      ok = rd_sim_pbx_abandon (self, action->call_id, &error);
      break;
    case ACTION_NO_ANSWER:
      ok = rd_sim_pbx_no_answer (self, action->call_id, &error);
      break;
    case ACTION_DIVERT:
      ok = rd_sim_pbx_divert (self, action->call_id, action->arg, NULL, &error);
      break;
    case ACTION_TRANSFER:
      ok = rd_sim_pbx_transfer (self, action->call_id, action->arg, &error);
      break;
    case ACTION_DIAL:
      ok = rd_sim_pbx_dial (self, action->call_id, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_debug ("Scheduled action on call %s skipped: %s", action->call_id, error->message);
}

static void
rd_sim_pbx_schedule_action (RdSimPbx   *self,
                            gint64      delay_msec,
                            ActionKind  kind,
                            const char *call_id,
                            const char *arg)
{
  Action *action = g_new0 (Action, 1);

  action->kind = kind;
  action->call_id = g_strdup (call_id);
  action->arg = g_strdup (arg);
  rd_sim_pbx_schedule (self, delay_msec, rd_sim_pbx_run_action, action,
                       (GDestroyNotify) action_free);
}

#define MAKE_CALL_PICKUP_MSEC 2000
#define MAKE_CALL_FAR_END_MSEC 4000

/* click-to-dial, second half: the station went off-hook, now it dials */
static gboolean
rd_sim_pbx_dial (RdSimPbx    *self,
                 const char  *call_id,
                 GError     **error)
{
  SimCall *call = rd_sim_pbx_lookup (self, call_id, error);

  if (call == NULL || !rd_sim_pbx_check_state (call, CALL_RINGING, "dial", error))
    return FALSE;
  if (call->dial_to == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s has already been dialled", call->call_id);
      return FALSE;
    }

  if (rd_sim_pbx_has_station (self, call->dial_to))
    {
      call->direction = RD_CALL_DIRECTION_INTERNAL;
      call->state = CALL_RINGING;
      call->started = self->elapsed;
      rd_set_str (&call->station, call->dial_to);
      rd_sim_pbx_report (self, call, RD_CTI_EVENT_ORIGINATED, call->origin, NULL, "make_call");
      rd_sim_pbx_report (self, call, RD_CTI_EVENT_RINGING, call->station, NULL, "make_call");
    }
  else
    {
      g_autofree char *trunk = rd_sim_pbx_seize_trunk (self, NULL, error);

      if (trunk == NULL)
        {
          rd_sim_pbx_report (self, call, RD_CTI_EVENT_FAILED, call->origin, NULL, "trunks_busy");
          rd_sim_pbx_end_call (self, call, RD_CALL_OUTCOME_MISSED, "trunks_busy");
          return FALSE;
        }
      call->trunk = g_steal_pointer (&trunk);
      call->state = CALL_DIALLING;
      call->started = self->elapsed;
      rd_sim_pbx_report (self, call, RD_CTI_EVENT_ORIGINATED, call->origin, NULL, "make_call");
      rd_sim_pbx_schedule_action (self, MAKE_CALL_FAR_END_MSEC, ACTION_ANSWER, call->call_id, NULL);
    }
  g_clear_pointer (&call->dial_to, g_free);

  return TRUE;
}

/**
 * rd_sim_pbx_make_call:
 * @self: a PBX
 * @from_extension: the station that places the call
 * @to: a station, or an external number
 * @error: return location for an error
 *
 * Click-to-dial, as the KX-NS does it for a CSTA MakeCall: the PBX first
 * rings @from_extension (RINGING, cause "make_call"); two seconds later the
 * user picks up and the PBX dials @to (ORIGINATED). An external number is
 * answered by the far end four seconds later (ANSWERED); a station rings
 * until it is answered. The call then lasts until it is hung up.
 *
 * Returns: (transfer full): the call id, or %NULL
 */
char *
rd_sim_pbx_make_call (RdSimPbx    *self,
                      const char  *from_extension,
                      const char  *to,
                      GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), NULL);

  rd_sim_pbx_sync_clock (self);
  if (!rd_sim_pbx_check_station (self, from_extension, error))
    return NULL;
  if (!rd_sim_pbx_check_number (to, error))
    return NULL;
  if (g_str_equal (to, from_extension))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "%s cannot call itself", from_extension);
      return NULL;
    }

  call = rd_sim_pbx_add_call (self, RD_CALL_DIRECTION_OUT, CALL_RINGING);
  call->origin = g_strdup (from_extension);
  call->station = g_strdup (from_extension);
  call->calling = g_strdup (from_extension);
  call->called = g_strdup (to);
  call->dial_to = g_strdup (to);

  rd_sim_pbx_report (self, call, RD_CTI_EVENT_RINGING, from_extension, NULL, "make_call");
  rd_sim_pbx_schedule_action (self, MAKE_CALL_PICKUP_MSEC, ACTION_DIAL, call->call_id, NULL);

  return g_strdup (call->call_id);
}

/**
 * rd_sim_pbx_deflect:
 * @self: a PBX
 * @call_id: a call ringing @from_extension
 * @from_extension: where it rings
 * @to_extension: where it should ring
 * @error: return location for an error
 *
 * A CSTA DeflectCall: DIVERTED (cause "deflected") and RINGING at
 * @to_extension.
 *
 * Returns: %TRUE on success
 */
gboolean
rd_sim_pbx_deflect (RdSimPbx    *self,
                    const char  *call_id,
                    const char  *from_extension,
                    const char  *to_extension,
                    GError     **error)
{
  SimCall *call;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  call = rd_sim_pbx_lookup (self, call_id, error);
  if (call == NULL)
    return FALSE;
  if (call->state != CALL_RINGING || g_strcmp0 (call->station, from_extension) != 0 ||
      call->dial_to != NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION,
                   "Call %s does not ring %s", call_id, from_extension != NULL ? from_extension : "(null)");
      return FALSE;
    }

  return rd_sim_pbx_divert (self, call_id, to_extension, "deflected", error);
}

/* ------------------------------------------------------- generated traffic */

static char *
rd_sim_pbx_random_number (RdSimPbx *self)
{
  /* Spanish mobiles and Italian landlines, as a Spanish or Italian PBX
   * signals them (national format, no prefix) */
  if (g_rand_boolean (self->rand))
    return g_strdup_printf ("6%08d", g_rand_int_range (self->rand, 0, 100000000));
  return g_strdup_printf ("0%d%07d", g_rand_int_range (self->rand, 2, 100),
                          g_rand_int_range (self->rand, 0, 10000000));
}

typedef struct
{
  guint generation;
} TrafficTick;

static gboolean
rd_sim_pbx_traffic_current (RdSimPbx *self,
                            gpointer  user_data)
{
  TrafficTick *tick = user_data;

  return tick->generation == self->traffic_generation;
}

static TrafficTick *
traffic_tick_new (RdSimPbx *self)
{
  TrafficTick *tick = g_new0 (TrafficTick, 1);

  tick->generation = self->traffic_generation;
  return tick;
}

static void
rd_sim_pbx_load_arrival (RdSimPbx *self,
                         gpointer  user_data)
{
  g_autofree char *calling = NULL;
  g_autofree char *station = NULL;
  g_autofree char *call_id = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ring;
  gint64 talk;
  gint64 first;
  gint64 interval;

  if (!rd_sim_pbx_traffic_current (self, user_data))
    return;

  first = g_ascii_strtoll (self->load_first, NULL, 10);
  station = g_strdup_printf ("%0*" G_GINT64_FORMAT, (int) strlen (self->load_first),
                             first + g_rand_int_range (self->rand, 0, (gint32) self->load_span));
  calling = rd_sim_pbx_random_number (self);
  ring = g_rand_int_range (self->rand, 1000, 6000);
  talk = g_rand_int_range (self->rand, 2000, 15000);

  call_id = rd_sim_pbx_incoming (self, calling, NULL, NULL, station, &error);
  if (call_id == NULL)
    g_debug ("Load call to %s not placed: %s", station, error->message);
  else
    {
      rd_sim_pbx_schedule_action (self, ring, ACTION_ANSWER, call_id, NULL);
      rd_sim_pbx_schedule_action (self, ring + talk, ACTION_HANGUP, call_id, NULL);
    }

  self->load_count++;
  interval = (gint64) ((double) (self->load_count + 1) * 1000.0 / self->load_rate) -
             (gint64) ((double) self->load_count * 1000.0 / self->load_rate);
  if (self->elapsed + interval < self->load_until)
    rd_sim_pbx_schedule (self, interval, rd_sim_pbx_load_arrival, traffic_tick_new (self), g_free);
}

/**
 * rd_sim_pbx_start_load:
 * @self: a PBX
 * @calls_per_second: the arrival rate R
 * @first_extension: the first station of the range
 * @last_extension: the last one (numeric, not before @first_extension)
 * @seconds: for how long calls arrive
 * @seed: the random seed: the same seed gives the same calls
 * @error: return location for an error
 *
 * Load mode: R incoming calls a second, each to a random station of the
 * range, rung 1–6 s, answered, talking 2–15 s, then hung up. Trunks are
 * added as needed so no call is refused. Replaces running traffic.
 *
 * Returns: %TRUE when the range is valid
 */
gboolean
rd_sim_pbx_start_load (RdSimPbx    *self,
                       double       calls_per_second,
                       const char  *first_extension,
                       const char  *last_extension,
                       guint        seconds,
                       guint32      seed,
                       GError     **error)
{
  guint64 first;
  guint64 last;
  g_autoptr(GStrvBuilder) stations = NULL;
  g_autoptr(GStrvBuilder) trunks = NULL;
  g_auto(GStrv) new_stations = NULL;
  g_auto(GStrv) new_trunks = NULL;
  guint n_trunks;

  g_return_val_if_fail (RD_IS_SIM_PBX (self), FALSE);

  if (!(calls_per_second > 0 && calls_per_second <= 10000))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "The call rate must be above 0 and at most 10000 calls/s");
      return FALSE;
    }
  if (first_extension == NULL || last_extension == NULL ||
      !g_ascii_string_to_unsigned (first_extension, 10, 0, 99999999, &first, NULL) ||
      !g_ascii_string_to_unsigned (last_extension, 10, first, 99999999, &last, NULL) ||
      last - first >= 10000)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "The extension range must be two numbers A-B with A ≤ B and at most 10000 stations");
      return FALSE;
    }

  rd_sim_pbx_stop_traffic (self);

  /* every station of the range exists, and there are enough trunks for
   * every call in flight (at most about 21 s each) */
  stations = g_strv_builder_new ();
  g_strv_builder_addv (stations, (const char **) self->stations);
  for (guint64 ext = first; ext <= last; ext++)
    {
      g_autofree char *name = g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) strlen (first_extension), ext);

      if (!rd_sim_pbx_has_station (self, name))
        g_strv_builder_add (stations, name);
    }
  new_stations = g_strv_builder_end (stations);
  rd_sim_pbx_set_stations (self, (const char * const *) new_stations);

  n_trunks = (guint) MIN (calls_per_second * 25 + 4, 99999);
  if (g_strv_length (self->trunks) < n_trunks)
    {
      trunks = g_strv_builder_new ();
      for (guint i = 1; i <= n_trunks; i++)
        {
          g_autofree char *name = g_strdup_printf ("%02u", i);

          g_strv_builder_add (trunks, name);
        }
      new_trunks = g_strv_builder_end (trunks);
      rd_sim_pbx_set_trunks (self, (const char * const *) new_trunks);
    }

  self->rand = g_rand_new_with_seed (seed);
  self->load_rate = calls_per_second;
  rd_set_str (&self->load_first, first_extension);
  self->load_span = (guint) (last - first + 1);
  rd_sim_pbx_sync_clock (self);
  self->load_until = self->elapsed + (gint64) seconds * 1000;
  self->load_count = 0;
  rd_sim_pbx_schedule (self, 0, rd_sim_pbx_load_arrival, traffic_tick_new (self), g_free);

  return TRUE;
}

#define DEMO_INTERVAL_MSEC 12000

static const RdSimDemoCaller demo_callers[] = {
  { "612345678", "Lucía Fernández",  "Fontanería Fernández", "Boiler shows error E04 after the service visit" },
  { "915550123", "Javier Ortega",    "Ortega y Asociados",   "No heating on the second floor" },
  { "934567210", "Marta Soler",      "Hotel Miramar",        "Water leak under the kitchen sink of room 12" },
  { "655443322", "Giulia Bianchi",   "Trattoria da Giulia",  NULL },
  { "963218877", "Pablo Ruiz",       "Colegio San Blas",     "Radiators cold in the gym" },
  { "622198765", "Elena Navarro",    "Clínica Dental Navarro", NULL },
};

/**
 * rd_sim_pbx_get_demo_callers:
 * @n_callers: (out): how many
 *
 * Returns: (array length=n_callers): the demo's regular callers
 */
const RdSimDemoCaller *
rd_sim_pbx_get_demo_callers (guint *n_callers)
{
  *n_callers = G_N_ELEMENTS (demo_callers);
  return demo_callers;
}
#define DEMO_MIN_TRUNKS 10

static void
rd_sim_pbx_demo_call (RdSimPbx *self,
                      gpointer  user_data)
{
  g_autofree char *calling = NULL;
  g_autofree char *call_id = NULL;
  g_autoptr(GError) error = NULL;
  const char *station;
  const char *other;
  guint n_stations = g_strv_length (self->stations);
  guint kind;
  gint64 ring;
  gint64 talk;

  if (!rd_sim_pbx_traffic_current (self, user_data))
    return;

  /* every fourth call (so about one in 48 s, the first at once) rings the
   * agent; the others spread over the other stations */
  if (self->demo_count % 4 == 0 || n_stations < 2)
    station = self->demo_agent;
  else
    {
      do
        station = self->stations[g_rand_int_range (self->rand, 0, (gint32) n_stations)];
      while (g_str_equal (station, self->demo_agent));
    }
  do
    other = self->stations[g_rand_int_range (self->rand, 0, (gint32) n_stations)];
  while (n_stations > 1 && g_str_equal (other, station));

  /* three calls in four come from the regular callers, the rest from
   * numbers nobody knows */
  if (g_rand_int_range (self->rand, 0, 4) < 3)
    calling = g_strdup (demo_callers[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (demo_callers))].number);
  else
    calling = rd_sim_pbx_random_number (self);
  ring = g_rand_int_range (self->rand, 3000, 9000);
  talk = g_rand_int_range (self->rand, 8000, 40000);
  /* the agent's calls: mostly answered, some missed and transferred; the
   * rest of the office also calls out */
  kind = self->demo_count % 4 == 0 ? (guint) g_rand_int_range (self->rand, 0, 6)
                                   : (guint) g_rand_int_range (self->rand, 0, 8);
  self->demo_count++;

  switch (kind)
    {
    case 0: case 1: case 2:
      call_id = rd_sim_pbx_incoming (self, calling, NULL, "912345678", station, &error);
      if (call_id != NULL)
        {
          rd_sim_pbx_schedule_action (self, ring, ACTION_ANSWER, call_id, NULL);
          rd_sim_pbx_schedule_action (self, ring + talk, ACTION_HANGUP, call_id, NULL);
        }
      break;
    case 3:
      /* missed: rings the station, then a colleague, then gives up */
      call_id = rd_sim_pbx_incoming (self, calling, NULL, "912345678", station, &error);
      if (call_id != NULL && !g_str_equal (other, station))
        {
          rd_sim_pbx_schedule_action (self, 15000, ACTION_DIVERT, call_id, other);
          rd_sim_pbx_schedule_action (self, 30000, ACTION_NO_ANSWER, call_id, NULL);
        }
      else if (call_id != NULL)
        rd_sim_pbx_schedule_action (self, 15000, ACTION_NO_ANSWER, call_id, NULL);
      break;
    case 4:
      /* abandoned: the caller gives up */
      call_id = rd_sim_pbx_incoming (self, calling, NULL, "912345679", station, &error);
      if (call_id != NULL)
        rd_sim_pbx_schedule_action (self, ring, ACTION_ABANDON, call_id, NULL);
      break;
    case 5:
      /* answered, then transferred to a colleague who answers */
      call_id = rd_sim_pbx_incoming (self, calling, NULL, "912345678", station, &error);
      if (call_id != NULL && !g_str_equal (other, station))
        {
          rd_sim_pbx_schedule_action (self, ring, ACTION_ANSWER, call_id, NULL);
          rd_sim_pbx_schedule_action (self, ring + 6000, ACTION_TRANSFER, call_id, other);
          rd_sim_pbx_schedule_action (self, ring + 9000, ACTION_ANSWER, call_id, NULL);
          rd_sim_pbx_schedule_action (self, ring + 9000 + talk, ACTION_HANGUP, call_id, NULL);
        }
      else if (call_id != NULL)
        rd_sim_pbx_schedule_action (self, ring, ACTION_NO_ANSWER, call_id, NULL);
      break;
    default:
      call_id = rd_sim_pbx_outgoing (self, station, calling, NULL, &error);
      if (call_id != NULL)
        {
          rd_sim_pbx_schedule_action (self, ring, ACTION_ANSWER, call_id, NULL);
          rd_sim_pbx_schedule_action (self, ring + talk, ACTION_HANGUP, call_id, NULL);
        }
      break;
    }
  if (call_id == NULL)
    g_debug ("Demo call at %s not placed: %s", station, error->message);

  rd_sim_pbx_schedule (self, DEMO_INTERVAL_MSEC, rd_sim_pbx_demo_call, traffic_tick_new (self), g_free);
}

/**
 * rd_sim_pbx_start_demo:
 * @self: a PBX
 * @agent_extension: the station of the person watching the demo
 * @seed: the random seed
 *
 * A steady trickle of realistic calls over the stations: answered, missed,
 * abandoned, transferred and outgoing, one every 12 s. Every fourth rings
 * @agent_extension, the first one 5 s from now. @agent_extension is added
 * to the stations when missing, and trunks up to ten. Runs until
 * rd_sim_pbx_stop_traffic().
 */
void
rd_sim_pbx_start_demo (RdSimPbx   *self,
                       const char *agent_extension,
                       guint32     seed)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));
  g_return_if_fail (agent_extension != NULL);

  rd_sim_pbx_stop_traffic (self);

  if (!rd_sim_pbx_has_station (self, agent_extension))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) stations = NULL;

      g_strv_builder_addv (builder, (const char **) self->stations);
      g_strv_builder_add (builder, agent_extension);
      stations = g_strv_builder_end (builder);
      rd_sim_pbx_set_stations (self, (const char * const *) stations);
    }

  /* enough trunks that no demo call finds them all busy */
  if (g_strv_length (self->trunks) < DEMO_MIN_TRUNKS)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) trunks = NULL;

      g_strv_builder_addv (builder, (const char **) self->trunks);
      for (guint have = g_strv_length (self->trunks), next = 1; have < DEMO_MIN_TRUNKS; next++)
        {
          g_autofree char *name = g_strdup_printf ("%02u", next);

          if (!g_strv_contains ((const char * const *) self->trunks, name))
            {
              g_strv_builder_add (builder, name);
              have++;
            }
        }
      trunks = g_strv_builder_end (builder);
      rd_sim_pbx_set_trunks (self, (const char * const *) trunks);
    }

  self->rand = g_rand_new_with_seed (seed);
  rd_set_str (&self->demo_agent, agent_extension);
  self->demo_count = 0;
  rd_sim_pbx_schedule (self, 5000, rd_sim_pbx_demo_call, traffic_tick_new (self), g_free);
}

/**
 * rd_sim_pbx_stop_traffic:
 * @self: a PBX
 *
 * Stops load or demo calls from arriving; calls in progress play out.
 */
void
rd_sim_pbx_stop_traffic (RdSimPbx *self)
{
  g_return_if_fail (RD_IS_SIM_PBX (self));

  self->traffic_generation++;
  g_clear_pointer (&self->rand, g_rand_free);
}
