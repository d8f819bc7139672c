/* rd-sim-recorder.c: collects what a simulated PBX reports, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdSimRecorder"

#include "config.h"

#include "rd-common.h"
#include "rd-sim-recorder.h"

static void
on_event (RdSimPbx   *pbx,
          RdCtiEvent *event,
          gpointer    user_data)
{
  RdSimRecorder *self = user_data;

  g_ptr_array_add (self->events, rd_cti_event_ref (event));
}

RdSimRecorder *
rd_sim_recorder_new (RdSimPbx *pbx)
{
  RdSimRecorder *self = g_new0 (RdSimRecorder, 1);

  self->pbx = g_object_ref (pbx);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  self->handler = g_signal_connect (pbx, "event", G_CALLBACK (on_event), self);

  return self;
}

void
rd_sim_recorder_free (RdSimRecorder *self)
{
  g_signal_handler_disconnect (self->pbx, self->handler);
  g_object_unref (self->pbx);
  g_ptr_array_unref (self->events);
  g_free (self);
}

static const char *
outcome_name (RdCallOutcome outcome)
{
  switch (outcome)
    {
    case RD_CALL_OUTCOME_NONE:      return "none";
    case RD_CALL_OUTCOME_ANSWERED:  return "answered";
    case RD_CALL_OUTCOME_MISSED:    return "missed";
    case RD_CALL_OUTCOME_ABANDONED: return "abandoned";
    default:                        return "?";
    }
}

/* "ringing 201", "diverted 201>202", "cleared *", "record 203 answered 4/20" */
char *
rd_sim_event_describe (const RdCtiEvent *event)
{
  GString *str = g_string_new (rd_cti_event_type_to_string (event->type));

  g_string_append_printf (str, " %s", event->extension != NULL ? event->extension : "*");
  if (event->target != NULL)
    g_string_append_printf (str, ">%s", event->target);
  if (event->type == RD_CTI_EVENT_RECORD)
    g_string_append_printf (str, " %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                            outcome_name (event->outcome), event->ring_time, event->duration);

  return g_string_free (str, FALSE);
}

/* every event so far, described and joined with ", "; then forgets them */
char *
rd_sim_recorder_take (RdSimRecorder *self)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < self->events->len; i++)
    {
      g_autofree char *text = rd_sim_event_describe (g_ptr_array_index (self->events, i));

      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, text);
    }
  g_ptr_array_set_size (self->events, 0);

  return g_string_free (str, FALSE);
}

guint
rd_sim_recorder_count (RdSimRecorder  *self,
                       RdCtiEventType  type)
{
  guint n = 0;

  for (guint i = 0; i < self->events->len; i++)
    if (((RdCtiEvent *) g_ptr_array_index (self->events, i))->type == type)
      n++;

  return n;
}

RdCtiEvent *
rd_sim_recorder_last (RdSimRecorder  *self,
                      RdCtiEventType  type)
{
  for (guint i = self->events->len; i > 0; i--)
    {
      RdCtiEvent *event = g_ptr_array_index (self->events, i - 1);

      if (event->type == type)
        return event;
    }

  return NULL;
}
