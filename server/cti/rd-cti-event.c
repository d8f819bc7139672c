/* rd-cti-event.c: one normalised call event, whatever link it came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCtiEvent"

#include "config.h"

#include "rd-cti-event.h"

G_DEFINE_BOXED_TYPE (RdCtiEvent, rd_cti_event, rd_cti_event_ref, rd_cti_event_unref)

static void
rd_cti_event_clear (RdCtiEvent *event)
{
  g_clear_pointer (&event->link, g_free);
  g_clear_pointer (&event->call_id, g_free);
  g_clear_pointer (&event->at, g_date_time_unref);
  g_clear_pointer (&event->extension, g_free);
  g_clear_pointer (&event->target, g_free);
  g_clear_pointer (&event->calling, g_free);
  g_clear_pointer (&event->called, g_free);
  g_clear_pointer (&event->ddi, g_free);
  g_clear_pointer (&event->trunk, g_free);
  g_clear_pointer (&event->cause, g_free);
}

/**
 * rd_cti_event_new:
 * @type: what happened
 * @link: the reporting link's name
 *
 * Returns: (transfer full): an event stamped with the current time, direction
 *   in, outcome none and unknown durations; the link fills in the rest
 */
RdCtiEvent *
rd_cti_event_new (RdCtiEventType  type,
                  const char     *link)
{
  RdCtiEvent *event;

  g_return_val_if_fail (link != NULL, NULL);

  event = g_atomic_rc_box_new0 (RdCtiEvent);
  event->type = type;
  event->link = g_strdup (link);
  event->at = g_date_time_new_now_local ();
  event->direction = RD_CALL_DIRECTION_IN;
  event->outcome = RD_CALL_OUTCOME_NONE;
  event->duration = -1;
  event->ring_time = -1;

  return event;
}

RdCtiEvent *
rd_cti_event_ref (RdCtiEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return g_atomic_rc_box_acquire (event);
}

void
rd_cti_event_unref (RdCtiEvent *event)
{
  g_return_if_fail (event != NULL);

  g_atomic_rc_box_release_full (event, (GDestroyNotify) rd_cti_event_clear);
}

const char *
rd_cti_event_type_to_string (RdCtiEventType type)
{
  switch (type)
    {
    case RD_CTI_EVENT_RINGING:     return "ringing";
    case RD_CTI_EVENT_ANSWERED:    return "answered";
    case RD_CTI_EVENT_HELD:        return "held";
    case RD_CTI_EVENT_RETRIEVED:   return "retrieved";
    case RD_CTI_EVENT_TRANSFERRED: return "transferred";
    case RD_CTI_EVENT_DIVERTED:    return "diverted";
    case RD_CTI_EVENT_CLEARED:     return "cleared";
    case RD_CTI_EVENT_ORIGINATED:  return "originated";
    case RD_CTI_EVENT_QUEUED:      return "queued";
    case RD_CTI_EVENT_FAILED:      return "failed";
    case RD_CTI_EVENT_RECORD:      return "record";
    default:                       return "unknown";
    }
}

/**
 * rd_cti_event_to_string:
 * @event: an event
 *
 * Returns: (transfer full): a one-line description for debug logs and test
 *   failure messages, e.g. `csta ringing call=12 ext=201 from=0612345678`
 */
char *
rd_cti_event_to_string (const RdCtiEvent *event)
{
  GString *str;

  g_return_val_if_fail (event != NULL, NULL);

  str = g_string_new (NULL);
  g_string_append_printf (str, "%s %s", event->link, rd_cti_event_type_to_string (event->type));
  if (event->call_id != NULL)
    g_string_append_printf (str, " call=%s", event->call_id);
  if (event->extension != NULL)
    g_string_append_printf (str, " ext=%s", event->extension);
  if (event->target != NULL)
    g_string_append_printf (str, " target=%s", event->target);
  if (event->calling != NULL)
    g_string_append_printf (str, " from=%s", event->calling);
  if (event->called != NULL)
    g_string_append_printf (str, " to=%s", event->called);
  if (event->ddi != NULL)
    g_string_append_printf (str, " ddi=%s", event->ddi);
  if (event->trunk != NULL)
    g_string_append_printf (str, " trunk=%s", event->trunk);
  if (event->cause != NULL)
    g_string_append_printf (str, " cause=%s", event->cause);
  if (event->type == RD_CTI_EVENT_RECORD)
    g_string_append_printf (str, " ring=%" G_GINT64_FORMAT "s talk=%" G_GINT64_FORMAT "s",
                            event->ring_time, event->duration);

  return g_string_free (str, FALSE);
}
