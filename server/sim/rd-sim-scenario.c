/* rd-sim-scenario.c: scripted calls for the PBX simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scenario is a text file of call blocks; docs/sim.md describes the
 * format. Each block starts with a `call` line and lists the steps of that
 * call, one a line:
 *
 *   # an incoming call, not answered at 201, answered at 202
 *   call in 0612345678 trunk 01 ddi 912345678 at 2s
 *     ring 201 5s
 *     divert 202 3s
 *     answer 20s
 *     hangup
 *
 * The parser checks the syntax and that the steps fit the state of the call
 * (no `answer` on a call that talks, no step after `hangup`), and reports
 * the first error as NAME:LINE: message. rd_sim_scenario_run() then checks
 * the stations and trunks against the PBX and schedules the calls on the
 * PBX clock.
 */

#define G_LOG_DOMAIN "RdSimScenario"

#include "config.h"

#include <string.h>

#include "rd-common.h"
#include "rd-sim-scenario.h"

#define MAX_SCENARIO_BYTES (1024 * 1024)
#define MAX_DURATION_MSEC ((gint64) 24 * 3600 * 1000)
#define DIAL_SETTLE_MSEC 6000

typedef enum
{
  CALL_KIND_IN,
  CALL_KIND_OUT,
  CALL_KIND_INTERNAL,
  CALL_KIND_DIAL,
} CallKind;

typedef enum
{
  STEP_RING,
  STEP_DIVERT,
  STEP_ANSWER,
  STEP_HOLD,
  STEP_RETRIEVE,
  STEP_TRANSFER,
  STEP_CONSULT,
  STEP_WAIT,
  STEP_HANGUP,
  STEP_ABANDON,
  STEP_NO_ANSWER,
} StepKind;

typedef struct
{
  StepKind  kind;
  char     *extension;
  gint64    duration;   /* -1: none given */
  guint     line;
} Step;

typedef struct
{
  CallKind   kind;
  char      *from;
  char      *to;
  char      *trunk;
  char      *ddi;
  gint64     at;
  guint      line;
  GPtrArray *steps;
} ScnCall;

/* what the parser knows of a call while it reads the steps */
typedef enum
{
  STATE_NEW,
  STATE_RINGING,
  STATE_DIALLING,
  STATE_TALKING,
  STATE_HELD,
  STATE_ENDED,
} CallState;

struct _RdSimScenario
{
  GObject    parent_instance;

  char      *name;
  GPtrArray *calls;
};

G_DEFINE_FINAL_TYPE (RdSimScenario, rd_sim_scenario, G_TYPE_OBJECT)

static void
step_free (Step *step)
{
  g_free (step->extension);
  g_free (step);
}

static void
scn_call_free (ScnCall *call)
{
  g_free (call->from);
  g_free (call->to);
  g_free (call->trunk);
  g_free (call->ddi);
  g_ptr_array_unref (call->steps);
  g_free (call);
}

static void
rd_sim_scenario_finalize (GObject *object)
{
  RdSimScenario *self = (RdSimScenario *)object;

  g_free (self->name);
  g_ptr_array_unref (self->calls);

  G_OBJECT_CLASS (rd_sim_scenario_parent_class)->finalize (object);
}

static void
rd_sim_scenario_class_init (RdSimScenarioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_sim_scenario_finalize;
}

static void
rd_sim_scenario_init (RdSimScenario *self)
{
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) scn_call_free);
}

/* ----------------------------------------------------------------- tokens */

/**
 * rd_sim_parse_duration:
 * @text: a duration such as `5s`, `500ms`, `2m` or `1h`
 * @msec: (out): the duration in milliseconds
 *
 * Returns: %TRUE when @text is a duration of at most 24 hours
 */
gboolean
rd_sim_parse_duration (const char *text,
                       gint64     *msec)
{
  const char *unit;
  guint64 value;
  gint64 factor;
  g_autofree char *digits = NULL;

  g_return_val_if_fail (msec != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (unit = text; g_ascii_isdigit (*unit); unit++)
    ;
  if (unit == text || unit - text > 9)
    return FALSE;

  if (strcmp (unit, "ms") == 0)
    factor = 1;
  else if (strcmp (unit, "s") == 0)
    factor = 1000;
  else if (strcmp (unit, "m") == 0)
    factor = 60 * 1000;
  else if (strcmp (unit, "h") == 0)
    factor = 3600 * 1000;
  else
    return FALSE;

  digits = g_strndup (text, (gsize) (unit - text));
  if (!g_ascii_string_to_unsigned (digits, 10, 0, 999999999, &value, NULL))
    return FALSE;
  if ((gint64) value > MAX_DURATION_MSEC / factor)
    return FALSE;

  *msec = (gint64) value * factor;
  return TRUE;
}

static gboolean
is_station (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 8)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_number (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '+' && *p != '*' && *p != '#')
      return FALSE;
  return TRUE;
}

static gboolean
is_trunk (const char *text)
{
  return is_station (text) && strlen (text) <= 5;
}

/* ----------------------------------------------------------------- parser */

typedef struct
{
  const char *name;
  guint       line;
  GError    **error;
} Parser;

static gboolean parser_fail (Parser     *parser,
                             const char *format,
                             ...) G_GNUC_PRINTF (2, 3);

static gboolean
parser_fail (Parser     *parser,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (parser->error, RD_ERROR, RD_ERROR_INVALID_DATA,
               "%s:%u: %s", parser->name, parser->line, message);
  return FALSE;
}

static gboolean
parse_header (Parser   *parser,
              char    **tokens,
              ScnCall  *call)
{
  guint n = g_strv_length (tokens);
  guint i;
  const char *kind = n > 1 ? tokens[1] : "";
  gboolean seen_at = FALSE;

  if (g_str_equal (kind, "in"))
    {
      call->kind = CALL_KIND_IN;
      if (n < 3 || !is_number (tokens[2]))
        return parser_fail (parser, "expected `call in CALLER`, CALLER a phone number");
      call->from = g_strdup (tokens[2]);
      i = 3;
    }
  else if (g_str_equal (kind, "out") || g_str_equal (kind, "dial"))
    {
      call->kind = g_str_equal (kind, "out") ? CALL_KIND_OUT : CALL_KIND_DIAL;
      if (n < 4 || !is_station (tokens[2]) || !is_number (tokens[3]))
        return parser_fail (parser, "expected `call %s STATION NUMBER`", kind);
      call->from = g_strdup (tokens[2]);
      call->to = g_strdup (tokens[3]);
      i = 4;
    }
  else if (g_str_equal (kind, "internal"))
    {
      call->kind = CALL_KIND_INTERNAL;
      if (n < 4 || !is_station (tokens[2]) || !is_station (tokens[3]))
        return parser_fail (parser, "expected `call internal STATION STATION`");
      if (g_str_equal (tokens[2], tokens[3]))
        return parser_fail (parser, "station %s cannot call itself", tokens[2]);
      call->from = g_strdup (tokens[2]);
      call->to = g_strdup (tokens[3]);
      i = 4;
    }
  else
    {
      return parser_fail (parser, "unknown call kind “%s” (expected in, out, internal or dial)",
                          n > 1 ? tokens[1] : "");
    }

  for (; i < n; i += 2)
    {
      const char *key = tokens[i];
      const char *value = tokens[i + 1];

      if (value == NULL)
        return parser_fail (parser, "option “%s” needs a value", key);

      if (g_str_equal (key, "at"))
        {
          if (seen_at)
            return parser_fail (parser, "option “at” given twice");
          if (!rd_sim_parse_duration (value, &call->at))
            return parser_fail (parser, "“%s” is not a duration (like 5s, 500ms, 2m)", value);
          seen_at = TRUE;
        }
      else if (g_str_equal (key, "trunk") &&
               (call->kind == CALL_KIND_IN || call->kind == CALL_KIND_OUT))
        {
          if (call->trunk != NULL)
            return parser_fail (parser, "option “trunk” given twice");
          if (!is_trunk (value))
            return parser_fail (parser, "“%s” is not a trunk number", value);
          call->trunk = g_strdup (value);
        }
      else if (g_str_equal (key, "ddi") && call->kind == CALL_KIND_IN)
        {
          if (call->ddi != NULL)
            return parser_fail (parser, "option “ddi” given twice");
          if (!is_number (value))
            return parser_fail (parser, "“%s” is not a DDI number", value);
          call->ddi = g_strdup (value);
        }
      else
        {
          return parser_fail (parser, "unknown option “%s” for a `call %s`", key, kind);
        }
    }

  return TRUE;
}

typedef struct
{
  const char *verb;
  StepKind    kind;
  gboolean    takes_extension;
  gboolean    takes_duration;
  gboolean    needs_duration;
} StepSyntax;

static const StepSyntax step_syntax[] = {
  { "ring",     STEP_RING,      TRUE,  TRUE,  FALSE },
  { "divert",   STEP_DIVERT,    TRUE,  TRUE,  FALSE },
  { "answer",   STEP_ANSWER,    FALSE, TRUE,  FALSE },
  { "hold",     STEP_HOLD,      FALSE, TRUE,  FALSE },
  { "retrieve", STEP_RETRIEVE,  FALSE, TRUE,  FALSE },
  { "transfer", STEP_TRANSFER,  TRUE,  TRUE,  FALSE },
  { "consult",  STEP_CONSULT,   TRUE,  TRUE,  FALSE },
  { "wait",     STEP_WAIT,      FALSE, TRUE,  TRUE },
  { "talk",     STEP_WAIT,      FALSE, TRUE,  TRUE },
  { "hangup",   STEP_HANGUP,    FALSE, FALSE, FALSE },
  { "abandon",  STEP_ABANDON,   FALSE, FALSE, FALSE },
  { "noanswer", STEP_NO_ANSWER, FALSE, FALSE, FALSE },
};

typedef struct
{
  CallState  state;
  char      *station;    /* where it rings or talks, when known */
} Tracker;

static const char *
state_name (CallState state)
{
  switch (state)
    {
    case STATE_NEW:      return "not ringing yet";
    case STATE_RINGING:  return "ringing";
    case STATE_DIALLING: return "dialling";
    case STATE_TALKING:  return "talking";
    case STATE_HELD:     return "on hold";
    case STATE_ENDED:    return "over";
    default:             return "unknown";
    }
}

/* does @step fit the call's state; if so, move the state on */
static gboolean
track_step (Parser     *parser,
            ScnCall    *call,
            Tracker    *tracker,
            const Step *step,
            const char *verb)
{
  CallState state = tracker->state;
  gboolean ok;

  if (state == STATE_ENDED)
    return parser_fail (parser, "`%s` after the call is over", verb);
  if (call->kind == CALL_KIND_IN && state == STATE_NEW && step->kind != STEP_RING)
    return parser_fail (parser, "an incoming call starts with `ring STATION`");
  if (call->kind == CALL_KIND_DIAL && call->steps->len == 0 &&
      (step->kind != STEP_WAIT || step->duration < DIAL_SETTLE_MSEC))
    return parser_fail (parser, "a click-to-dial call starts with `wait` of at least 6s "
                                "(2s for the station to pick up, 4s for the far end to answer)");
  if ((step->kind == STEP_DIVERT || step->kind == STEP_TRANSFER || step->kind == STEP_CONSULT) &&
      g_strcmp0 (tracker->station, step->extension) == 0)
    return parser_fail (parser, "the call is already at %s", step->extension);

  switch (step->kind)
    {
    case STEP_RING:
      ok = call->kind == CALL_KIND_IN && state == STATE_NEW;
      if (!ok)
        return parser_fail (parser, "`ring` only starts an incoming call; use `divert` or `transfer`");
      tracker->state = STATE_RINGING;
      break;
    case STEP_DIVERT:
      ok = state == STATE_RINGING;
      break;
    case STEP_ANSWER:
      ok = state == STATE_RINGING || state == STATE_DIALLING;
      tracker->state = STATE_TALKING;
      break;
    case STEP_HOLD:
      ok = state == STATE_TALKING;
      tracker->state = step->duration >= 0 ? STATE_TALKING : STATE_HELD;
      break;
    case STEP_RETRIEVE:
      ok = state == STATE_HELD;
      tracker->state = STATE_TALKING;
      break;
    case STEP_TRANSFER:
      ok = state == STATE_TALKING || state == STATE_HELD;
      tracker->state = STATE_RINGING;
      break;
    case STEP_CONSULT:
      ok = state == STATE_TALKING;
      break;
    case STEP_WAIT:
      ok = TRUE;
      break;
    case STEP_HANGUP:
      ok = state == STATE_TALKING || state == STATE_HELD || state == STATE_DIALLING;
      tracker->state = STATE_ENDED;
      break;
    case STEP_ABANDON:
    case STEP_NO_ANSWER:
      ok = state == STATE_RINGING;
      tracker->state = STATE_ENDED;
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return parser_fail (parser, "cannot `%s`: the call is %s", verb, state_name (state));

  if (step->extension != NULL)
    rd_set_str (&tracker->station, step->extension);

  return TRUE;
}

static gboolean
parse_step (Parser   *parser,
            char    **tokens,
            ScnCall  *call,
            Tracker  *tracker)
{
  const StepSyntax *syntax = NULL;
  Step *step;
  guint n = g_strv_length (tokens);
  guint i = 1;
  gboolean ok;

  for (gsize k = 0; k < G_N_ELEMENTS (step_syntax); k++)
    if (g_str_equal (tokens[0], step_syntax[k].verb))
      syntax = &step_syntax[k];
  if (syntax == NULL)
    return parser_fail (parser, "unknown step “%s”", tokens[0]);

  step = g_new0 (Step, 1);
  step->kind = syntax->kind;
  step->duration = -1;
  step->line = parser->line;

  if (syntax->takes_extension)
    {
      if (i >= n || !is_station (tokens[i]))
        {
          step_free (step);
          return parser_fail (parser, "`%s` needs a station (digits)", syntax->verb);
        }
      step->extension = g_strdup (tokens[i++]);
    }
  if (syntax->takes_duration && i < n)
    {
      if (!rd_sim_parse_duration (tokens[i], &step->duration))
        {
          step_free (step);
          return parser_fail (parser, "“%s” is not a duration (like 5s, 500ms, 2m)", tokens[i]);
        }
      i++;
    }
  if (syntax->needs_duration && step->duration < 0)
    {
      step_free (step);
      return parser_fail (parser, "`%s` needs a duration (like 5s)", syntax->verb);
    }
  if (i < n)
    {
      step_free (step);
      return parser_fail (parser, "unexpected “%s” after `%s`", tokens[i], syntax->verb);
    }

  ok = track_step (parser, call, tracker, step, syntax->verb);
  if (!ok)
    {
      step_free (step);
      return FALSE;
    }

  g_ptr_array_add (call->steps, step);
  return TRUE;
}

static void
tracker_reset (Tracker *tracker,
               ScnCall *call)
{
  g_clear_pointer (&tracker->station, g_free);

  switch (call->kind)
    {
    case CALL_KIND_IN:
      tracker->state = STATE_NEW;
      break;
    case CALL_KIND_OUT:
      tracker->state = STATE_DIALLING;
      tracker->station = g_strdup (call->from);
      break;
    case CALL_KIND_INTERNAL:
      tracker->state = STATE_RINGING;
      tracker->station = g_strdup (call->to);
      break;
    case CALL_KIND_DIAL:
      /* after the first `wait`, the station and the far end talk */
      tracker->state = STATE_TALKING;
      tracker->station = g_strdup (call->from);
      break;
    default:
      g_assert_not_reached ();
    }
}

static char **
tokenize (const char *line)
{
  g_auto(GStrv) parts = g_strsplit_set (line, " \t\r", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

/**
 * rd_sim_scenario_new_from_data:
 * @name: the name errors start with (the file name)
 * @data: the scenario text
 * @length: its length, or -1 when nul-terminated
 * @error: return location for an error
 *
 * Parses a scenario. Errors are RD_ERROR_INVALID_DATA, "NAME:LINE: message".
 *
 * Returns: (transfer full): the scenario, or %NULL
 */
RdSimScenario *
rd_sim_scenario_new_from_data (const char  *name,
                               const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(RdSimScenario) self = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  ScnCall *call = NULL;
  Tracker tracker = { 0 };
  Parser parser = { name, 0, error };
  const char *bad = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (data);
  if (length > MAX_SCENARIO_BYTES)
    {
      parser_fail (&parser, "the scenario is larger than 1 MiB");
      return NULL;
    }
  if (!g_utf8_validate (data, length, &bad))
    {
      /* g_utf8_validate() also stops at a NUL byte */
      parser.line = 1;
      for (const char *p = data; p < bad; p++)
        if (*p == '\n')
          parser.line++;
      parser_fail (&parser, "not a text file (NUL bytes or invalid UTF-8)");
      return NULL;
    }

  self = g_object_new (RD_TYPE_SIM_SCENARIO, NULL);
  self->name = g_strdup (name);
  text = g_strndup (data, (gsize) length);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; ok && lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = NULL;
      char *hash = strchr (lines[i], '#');

      parser.line = i + 1;
      if (hash != NULL)
        *hash = '\0';
      tokens = tokenize (lines[i]);
      if (tokens[0] == NULL)
        continue;

      if (g_str_equal (tokens[0], "call"))
        {
          call = g_new0 (ScnCall, 1);
          call->line = parser.line;
          call->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
          g_ptr_array_add (self->calls, call);
          ok = parse_header (&parser, tokens, call);
          if (ok)
            tracker_reset (&tracker, call);
        }
      else if (call == NULL)
        {
          ok = parser_fail (&parser, "step “%s” before the first `call` line", tokens[0]);
        }
      else
        {
          ok = parse_step (&parser, tokens, call, &tracker);
        }
    }
  g_free (tracker.station);

  if (!ok)
    return NULL;

  if (self->calls->len == 0)
    {
      parser.line = 1;
      parser_fail (&parser, "no `call` in the scenario");
      return NULL;
    }
  for (guint i = 0; i < self->calls->len; i++)
    {
      ScnCall *c = g_ptr_array_index (self->calls, i);

      if (c->kind == CALL_KIND_IN && c->steps->len == 0)
        {
          parser.line = c->line;
          parser_fail (&parser, "the incoming call has no `ring STATION` step");
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * rd_sim_scenario_new_from_file:
 * @file: a scenario file
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Reads and parses @file (blocking: call it before the main loop runs, or
 * load the contents asynchronously and use rd_sim_scenario_new_from_data()).
 *
 * Returns: (transfer full): the scenario, or %NULL
 */
RdSimScenario *
rd_sim_scenario_new_from_file (GFile         *file,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    {
      g_prefix_error (error, "Cannot read scenario %s: ", name);
      return NULL;
    }

  return rd_sim_scenario_new_from_data (name, contents, (gssize) length, error);
}

const char *
rd_sim_scenario_get_name (RdSimScenario *self)
{
  g_return_val_if_fail (RD_IS_SIM_SCENARIO (self), NULL);

  return self->name;
}

guint
rd_sim_scenario_get_n_calls (RdSimScenario *self)
{
  g_return_val_if_fail (RD_IS_SIM_SCENARIO (self), 0);

  return self->calls->len;
}

/**
 * rd_sim_scenario_get_duration:
 * @self: a scenario
 *
 * Returns: the PBX milliseconds from the start until the last scripted step
 */
gint64
rd_sim_scenario_get_duration (RdSimScenario *self)
{
  gint64 longest = 0;

  g_return_val_if_fail (RD_IS_SIM_SCENARIO (self), 0);

  for (guint i = 0; i < self->calls->len; i++)
    {
      ScnCall *call = g_ptr_array_index (self->calls, i);
      gint64 end = call->at;

      for (guint k = 0; k < call->steps->len; k++)
        {
          Step *step = g_ptr_array_index (call->steps, k);

          end += MAX (step->duration, 0);
        }
      longest = MAX (longest, end);
    }

  return longest;
}

/* ----------------------------------------------------------------- runner */

#define CONSULT_RING_MSEC 3000

typedef enum
{
  PENDING_NONE,
  PENDING_RETRIEVE,
  PENDING_CONSULT,
} Pending;

typedef struct
{
  RdSimScenario *scenario;
  ScnCall       *call;
  guint          step;
  char          *call_id;
  char          *leg_id;
  Pending        pending;
} Run;

static void
run_clear (Run *run)
{
  g_object_unref (run->scenario);
  g_free (run->call_id);
  g_free (run->leg_id);
}

static void
run_unref (Run *run)
{
  g_rc_box_release_full (run, (GDestroyNotify) run_clear);
}

static void run_steps (RdSimPbx *pbx,
                       gpointer  user_data);

static void
run_later (RdSimPbx *pbx,
           Run      *run,
           gint64    delay)
{
  rd_sim_pbx_schedule (pbx, delay, run_steps, g_rc_box_acquire (run), (GDestroyNotify) run_unref);
}

static gboolean
run_pending (RdSimPbx  *pbx,
             Run       *run,
             GError   **error)
{
  Pending pending = run->pending;

  run->pending = PENDING_NONE;
  switch (pending)
    {
    case PENDING_NONE:
      return TRUE;
    case PENDING_RETRIEVE:
      return rd_sim_pbx_retrieve (pbx, run->call_id, error);
    case PENDING_CONSULT:
      return rd_sim_pbx_answer (pbx, run->leg_id, error) &&
             rd_sim_pbx_complete_transfer (pbx, run->call_id, error);
    default:
      g_assert_not_reached ();
    }
}

/* one step; returns the PBX time until the next one */
static gboolean
run_step (RdSimPbx    *pbx,
          Run         *run,
          const Step  *step,
          gint64      *delay,
          GError     **error)
{
  ScnCall *call = run->call;
  gboolean ok = TRUE;

  *delay = MAX (step->duration, 0);

  switch (step->kind)
    {
    case STEP_RING:
      g_clear_pointer (&run->call_id, g_free);
      run->call_id = rd_sim_pbx_incoming (pbx, call->from, call->trunk, call->ddi,
                                          step->extension, error);
      ok = run->call_id != NULL;
      break;
    case STEP_DIVERT:
      ok = rd_sim_pbx_divert (pbx, run->call_id, step->extension, NULL, error);
      break;
    case STEP_ANSWER:
      ok = rd_sim_pbx_answer (pbx, run->call_id, error);
      break;
    case STEP_HOLD:
      ok = rd_sim_pbx_hold (pbx, run->call_id, error);
      if (step->duration >= 0)
        run->pending = PENDING_RETRIEVE;
      break;
    case STEP_RETRIEVE:
      ok = rd_sim_pbx_retrieve (pbx, run->call_id, error);
      break;
    case STEP_TRANSFER:
      ok = rd_sim_pbx_transfer (pbx, run->call_id, step->extension, error);
      break;
    case STEP_CONSULT:
      g_clear_pointer (&run->leg_id, g_free);
      run->leg_id = rd_sim_pbx_consult (pbx, run->call_id, step->extension, error);
      ok = run->leg_id != NULL;
      run->pending = PENDING_CONSULT;
      if (step->duration < 0)
        *delay = CONSULT_RING_MSEC;
      break;
    case STEP_WAIT:
      break;
    case STEP_HANGUP:
      ok = rd_sim_pbx_hangup (pbx, run->call_id, error);
      break;
    case STEP_ABANDON:
      ok = rd_sim_pbx_abandon (pbx, run->call_id, error);
      break;
    case STEP_NO_ANSWER:
      ok = rd_sim_pbx_no_answer (pbx, run->call_id, error);
      break;
    default:
      g_assert_not_reached ();
    }

  return ok;
}

static void
run_steps (RdSimPbx *pbx,
           gpointer  user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  guint line = run->call->line;

  if (run->step == 0 && run->call_id == NULL && run->call->kind != CALL_KIND_IN)
    {
      ScnCall *call = run->call;

      switch (call->kind)
        {
        case CALL_KIND_OUT:
          run->call_id = rd_sim_pbx_outgoing (pbx, call->from, call->to, call->trunk, &error);
          break;
        case CALL_KIND_INTERNAL:
          run->call_id = rd_sim_pbx_internal (pbx, call->from, call->to, &error);
          break;
        case CALL_KIND_DIAL:
          run->call_id = rd_sim_pbx_make_call (pbx, call->from, call->to, &error);
          break;
        case CALL_KIND_IN:
        default:
          g_assert_not_reached ();
        }
    }
  else if (!run_pending (pbx, run, &error))
    {
      line = ((Step *) g_ptr_array_index (run->call->steps, run->step - 1))->line;
    }

  while (error == NULL && run->step < run->call->steps->len)
    {
      const Step *step = g_ptr_array_index (run->call->steps, run->step);
      gint64 delay;

      line = step->line;
      run->step++;
      if (!run_step (pbx, run, step, &delay, &error))
        break;
      if (delay > 0 || run->pending != PENDING_NONE)
        {
          run_later (pbx, run, delay);
          return;
        }
    }

  /* The parser checked the script; what is left are clashes with what else
   * happens in the PBX (a command hung the call up, all trunks busy). */
  if (error != NULL)
    g_message ("%s:%u: %s", run->scenario->name, line, error->message);
}

static gboolean
rd_sim_scenario_check_pbx (RdSimScenario  *self,
                           RdSimPbx       *pbx,
                           GError        **error)
{
  const char * const *trunks = rd_sim_pbx_get_trunks (pbx);

  for (guint i = 0; i < self->calls->len; i++)
    {
      ScnCall *call = g_ptr_array_index (self->calls, i);
      const char *stations[] = {
        call->kind != CALL_KIND_IN ? call->from : NULL,
        call->kind == CALL_KIND_INTERNAL ? call->to : NULL,
      };

      for (gsize k = 0; k < G_N_ELEMENTS (stations); k++)
        if (stations[k] != NULL && !rd_sim_pbx_has_station (pbx, stations[k]))
          {
            g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                         "%s:%u: %s is not a station of the PBX", self->name, call->line, stations[k]);
            return FALSE;
          }
      if (call->trunk != NULL && !g_strv_contains (trunks, call->trunk))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                       "%s:%u: %s is not a trunk of the PBX", self->name, call->line, call->trunk);
          return FALSE;
        }
      for (guint k = 0; k < call->steps->len; k++)
        {
          Step *step = g_ptr_array_index (call->steps, k);

          if (step->extension != NULL && !rd_sim_pbx_has_station (pbx, step->extension))
            {
              g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                           "%s:%u: %s is not a station of the PBX",
                           self->name, step->line, step->extension);
              return FALSE;
            }
        }
    }

  return TRUE;
}

/**
 * rd_sim_scenario_run:
 * @self: a scenario
 * @pbx: the PBX to play it on
 * @error: return location for an error
 *
 * Checks that every station and trunk of the scenario exists in @pbx, then
 * schedules its calls on the PBX clock, each `at` its offset from now. A
 * scenario can run several times, also at once.
 *
 * Returns: %TRUE when scheduled
 */
gboolean
rd_sim_scenario_run (RdSimScenario  *self,
                     RdSimPbx       *pbx,
                     GError        **error)
{
  g_return_val_if_fail (RD_IS_SIM_SCENARIO (self), FALSE);
  g_return_val_if_fail (RD_IS_SIM_PBX (pbx), FALSE);

  if (!rd_sim_scenario_check_pbx (self, pbx, error))
    return FALSE;

  for (guint i = 0; i < self->calls->len; i++)
    {
      Run *run = g_rc_box_new0 (Run);

      run->scenario = g_object_ref (self);
      run->call = g_ptr_array_index (self->calls, i);
      rd_sim_pbx_schedule (pbx, run->call->at, run_steps, run, (GDestroyNotify) run_unref);
    }

  return TRUE;
}
