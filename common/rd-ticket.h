/* rd-ticket.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-enums.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET (rd_ticket_get_type ())

G_DECLARE_FINAL_TYPE (RdTicket, rd_ticket, RD, TICKET, GObject)

RdTicket           *rd_ticket_new                    (const char         *number);
const char         *rd_ticket_get_number             (RdTicket           *self);
void                rd_ticket_set_number             (RdTicket           *self,
                                                      const char         *number);
const char         *rd_ticket_get_external_number    (RdTicket           *self);
void                rd_ticket_set_external_number    (RdTicket           *self,
                                                      const char         *external_number);
const char         *rd_ticket_get_subject            (RdTicket           *self);
void                rd_ticket_set_subject            (RdTicket           *self,
                                                      const char         *subject);
const char         *rd_ticket_get_description        (RdTicket           *self);
void                rd_ticket_set_description        (RdTicket           *self,
                                                      const char         *description);
const char         *rd_ticket_get_area               (RdTicket           *self);
void                rd_ticket_set_area               (RdTicket           *self,
                                                      const char         *area);
RdPriority          rd_ticket_get_priority           (RdTicket           *self);
void                rd_ticket_set_priority           (RdTicket           *self,
                                                      RdPriority          priority);
const char         *rd_ticket_get_category           (RdTicket           *self);
void                rd_ticket_set_category           (RdTicket           *self,
                                                      const char         *category);
const char         *rd_ticket_get_location_id        (RdTicket           *self);
void                rd_ticket_set_location_id        (RdTicket           *self,
                                                      const char         *location_id);
const char         *rd_ticket_get_asset_id           (RdTicket           *self);
void                rd_ticket_set_asset_id           (RdTicket           *self,
                                                      const char         *asset_id);
const char         *rd_ticket_get_requester          (RdTicket           *self);
void                rd_ticket_set_requester          (RdTicket           *self,
                                                      const char         *requester);
const char         *rd_ticket_get_requester_phone    (RdTicket           *self);
void                rd_ticket_set_requester_phone    (RdTicket           *self,
                                                      const char         *requester_phone);
const char         *rd_ticket_get_assignee           (RdTicket           *self);
void                rd_ticket_set_assignee           (RdTicket           *self,
                                                      const char         *assignee);
const char         *rd_ticket_get_group              (RdTicket           *self);
void                rd_ticket_set_group              (RdTicket           *self,
                                                      const char         *group);
RdTicketState       rd_ticket_get_state              (RdTicket           *self);
void                rd_ticket_set_state              (RdTicket           *self,
                                                      RdTicketState       state);
GDateTime          *rd_ticket_get_created_at         (RdTicket           *self);
void                rd_ticket_set_created_at         (RdTicket           *self,
                                                      GDateTime          *created_at);
GDateTime          *rd_ticket_get_first_response_at  (RdTicket           *self);
void                rd_ticket_set_first_response_at  (RdTicket           *self,
                                                      GDateTime          *first_response_at);
GDateTime          *rd_ticket_get_resolved_at        (RdTicket           *self);
void                rd_ticket_set_resolved_at        (RdTicket           *self,
                                                      GDateTime          *resolved_at);
GDateTime          *rd_ticket_get_closed_at          (RdTicket           *self);
void                rd_ticket_set_closed_at          (RdTicket           *self,
                                                      GDateTime          *closed_at);
gboolean            rd_ticket_get_active             (RdTicket           *self);
void                rd_ticket_set_active             (RdTicket           *self,
                                                      gboolean            active);
GDateTime          *rd_ticket_get_last_synced_at     (RdTicket           *self);
void                rd_ticket_set_last_synced_at     (RdTicket           *self,
                                                      GDateTime          *last_synced_at);
const char * const *rd_ticket_get_call_ids           (RdTicket           *self);
void                rd_ticket_set_call_ids           (RdTicket           *self,
                                                      const char * const *call_ids);
guint               rd_ticket_get_evidence_count     (RdTicket           *self);
void                rd_ticket_set_evidence_count     (RdTicket           *self,
                                                      guint               evidence_count);
GDateTime          *rd_ticket_get_sla_response_due   (RdTicket           *self);
void                rd_ticket_set_sla_response_due   (RdTicket           *self,
                                                      GDateTime          *sla_response_due);
GDateTime          *rd_ticket_get_sla_resolution_due (RdTicket           *self);
void                rd_ticket_set_sla_resolution_due (RdTicket           *self,
                                                      GDateTime          *sla_resolution_due);
RdSlaState          rd_ticket_get_sla_state          (RdTicket           *self);
void                rd_ticket_set_sla_state          (RdTicket           *self,
                                                      RdSlaState          sla_state);
gboolean            rd_ticket_state_can_transition   (RdTicketState       from,
                                                      RdTicketState       to);
gboolean            rd_ticket_state_is_final         (RdTicketState       state);

G_END_DECLS
