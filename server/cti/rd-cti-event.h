/* rd-cti-event.h: one normalised call event, whatever link it came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-enums.h"

G_BEGIN_DECLS

/**
 * RdCtiEventType:
 * @RD_CTI_EVENT_RINGING: the call is offered to @extension (alerting)
 * @RD_CTI_EVENT_ANSWERED: @extension answered
 * @RD_CTI_EVENT_HELD: @extension put the call on hold
 * @RD_CTI_EVENT_RETRIEVED: @extension took the call back from hold
 * @RD_CTI_EVENT_TRANSFERRED: @extension handed the call to @target
 * @RD_CTI_EVENT_DIVERTED: the call left @extension for @target without
 *   being answered there (forwarding, hunt group step, deflection)
 * @RD_CTI_EVENT_CLEARED: @extension left the call; with @extension %NULL
 *   the whole call ended
 * @RD_CTI_EVENT_ORIGINATED: @extension dials @called (an outgoing call)
 * @RD_CTI_EVENT_QUEUED: the call waits in the queue or hunt group @target
 * @RD_CTI_EVENT_FAILED: the call could not reach @extension (busy, …); see @cause
 * @RD_CTI_EVENT_RECORD: a finished call record (SMDR line, CSTA CDR) that
 *   summarises a whole call after the fact; see @duration and @ring_time
 *
 * The kinds of the one call-event stream every RdCtiLink produces.
 */
typedef enum
{
  RD_CTI_EVENT_RINGING,
  RD_CTI_EVENT_ANSWERED,
  RD_CTI_EVENT_HELD,
  RD_CTI_EVENT_RETRIEVED,
  RD_CTI_EVENT_TRANSFERRED,
  RD_CTI_EVENT_DIVERTED,
  RD_CTI_EVENT_CLEARED,
  RD_CTI_EVENT_ORIGINATED,
  RD_CTI_EVENT_QUEUED,
  RD_CTI_EVENT_FAILED,
  RD_CTI_EVENT_RECORD,
} RdCtiEventType;

/**
 * RdCtiEvent:
 * @type: what happened
 * @link: the name of the link that reported it ("csta", "smdr", "exttext",
 *   "generic")
 * @call_id: the link's own identity of the call (CSTA callID, webhook
 *   callId), or %NULL when the link has none (SMDR, ExtText): the call engine
 *   then matches by extension and number
 * @at: when it happened (the PBX's time when the link carries one), never %NULL
 * @extension: the station the event is about, or %NULL
 * @target: the new station of TRANSFERRED and DIVERTED, the queue of QUEUED
 * @calling: the calling number as signalled, not normalised
 * @called: the called number as signalled, not normalised
 * @ddi: the dialled DDI/DID number of an incoming call, or %NULL
 * @trunk: the trunk or CO line, or %NULL
 * @direction: in, out or internal, as far as the link knows
 * @cause: a short cause ("busy", "no_answer", "normal", …) or %NULL
 * @outcome: for RECORD, how the call ended
 * @duration: for RECORD, the talk time in seconds (-1 unknown)
 * @ring_time: for RECORD, the ringing time in seconds (-1 unknown)
 *
 * A reference-counted boxed type. Links fill it in and emit it with
 * rd_cti_link_emit_event(); the call engine reads it. Strings are owned.
 */
typedef struct
{
  RdCtiEventType   type;
  char            *link;
  char            *call_id;
  GDateTime       *at;
  char            *extension;
  char            *target;
  char            *calling;
  char            *called;
  char            *ddi;
  char            *trunk;
  RdCallDirection  direction;
  char            *cause;
  RdCallOutcome    outcome;
  gint64           duration;
  gint64           ring_time;
} RdCtiEvent;

#define RD_TYPE_CTI_EVENT (rd_cti_event_get_type ())

GType       rd_cti_event_get_type       (void) G_GNUC_CONST;
RdCtiEvent *rd_cti_event_new            (RdCtiEventType  type,
                                         const char     *link);
RdCtiEvent *rd_cti_event_ref            (RdCtiEvent     *event);
void        rd_cti_event_unref          (RdCtiEvent     *event);
const char *rd_cti_event_type_to_string (RdCtiEventType  type);
char       *rd_cti_event_to_string      (const RdCtiEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCtiEvent, rd_cti_event_unref)

G_END_DECLS
