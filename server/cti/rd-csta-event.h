/* rd-csta-event.h: CSTA event reports (operation 21)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-csta-device.h"

G_BEGIN_DECLS

/* The values are the CallControlEvents tags. */
typedef enum
{
  RD_CSTA_EVENT_UNKNOWN            = -1,
  RD_CSTA_EVENT_CONFERENCED        = 2,
  RD_CSTA_EVENT_CONNECTION_CLEARED = 3,
  RD_CSTA_EVENT_DELIVERED          = 4,
  RD_CSTA_EVENT_DIVERTED           = 6,
  RD_CSTA_EVENT_ESTABLISHED        = 7,
  RD_CSTA_EVENT_FAILED             = 8,
  RD_CSTA_EVENT_HELD               = 9,
  RD_CSTA_EVENT_NETWORK_REACHED    = 11,
  RD_CSTA_EVENT_ORIGINATED         = 13,
  RD_CSTA_EVENT_QUEUED             = 14,
  RD_CSTA_EVENT_RETRIEVED          = 15,
  RD_CSTA_EVENT_SERVICE_INITIATED  = 16,
  RD_CSTA_EVENT_TRANSFERRED        = 17,
} RdCstaEventType;

/**
 * RdCstaEvent:
 * @cross_ref: the MonitorCrossRefID contents, mapping the event to its monitor
 * @connection: the event's connection (callID + device); primaryOldCall for
 *   Transferred and Conferenced
 * @secondary: secondaryOldCall of Transferred and Conferenced
 * @device: the subject device: alerting (Delivered), answering (Established),
 *   releasing, holding, retrieving, initiating, failing, diverting,
 *   transferring, conferencing, queue, network interface used; for
 *   Originated the calling device
 * @other_device: newDestination (Diverted), transferredToDevice, addedParty
 * @connections: (element-type RdCstaConnection): the new connections of
 *   Transferred and Conferenced
 * @local_state, @cause, @calls_in_front: -1 when absent
 * @category, @tag: of an event outside call control (type UNKNOWN)
 * @priv: Panasonic private data: DDI (didNo), hold type, …
 */
typedef struct
{
  RdCstaEventType   type;
  guint             category;
  guint             tag;
  GBytes           *cross_ref;
  RdCstaConnection  connection;
  RdCstaConnection  secondary;
  RdCstaDevice      device;
  RdCstaDevice      other_device;
  RdCstaDevice      calling;
  RdCstaDevice      called;
  RdCstaDevice      last_redirection;
  RdCstaDevice      associated_calling;
  RdCstaDevice      associated_called;
  RdCstaDevice      network_calling;
  RdCstaDevice      network_called;
  GArray           *connections;
  gint              local_state;
  gint              cause;
  gint              calls_in_front;
  RdCstaPrivate     priv;
} RdCstaEvent;

RdCstaEvent *rd_csta_event_new            (RdCstaEventType  type);
void         rd_csta_event_free           (RdCstaEvent     *event);
const char  *rd_csta_event_type_to_string (RdCstaEventType  type);
RdCstaEvent *rd_csta_event_decode         (GBytes          *argument,
                                           GError         **error);
GBytes      *rd_csta_event_encode         (const RdCstaEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCstaEvent, rd_csta_event_free)

G_END_DECLS
