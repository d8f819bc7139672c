/* rd-call.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-customer.h"
#include "rd-enums.h"
#include "rd-hop.h"

G_BEGIN_DECLS

#define RD_TYPE_CALL (rd_call_get_type ())

G_DECLARE_FINAL_TYPE (RdCall, rd_call, RD, CALL, GObject)

RdCall             *rd_call_new                (const char         *id);
const char         *rd_call_get_id             (RdCall             *self);
void                rd_call_set_id             (RdCall             *self,
                                                const char         *id);
RdCallDirection     rd_call_get_direction      (RdCall             *self);
void                rd_call_set_direction      (RdCall             *self,
                                                RdCallDirection     direction);
const char         *rd_call_get_from           (RdCall             *self);
void                rd_call_set_from           (RdCall             *self,
                                                const char         *from);
const char         *rd_call_get_to             (RdCall             *self);
void                rd_call_set_to             (RdCall             *self,
                                                const char         *to);
const char         *rd_call_get_ddi            (RdCall             *self);
void                rd_call_set_ddi            (RdCall             *self,
                                                const char         *ddi);
const char         *rd_call_get_trunk          (RdCall             *self);
void                rd_call_set_trunk          (RdCall             *self,
                                                const char         *trunk);
GDateTime          *rd_call_get_started_at     (RdCall             *self);
void                rd_call_set_started_at     (RdCall             *self,
                                                GDateTime          *started_at);
GDateTime          *rd_call_get_answered_at    (RdCall             *self);
void                rd_call_set_answered_at    (RdCall             *self,
                                                GDateTime          *answered_at);
GDateTime          *rd_call_get_ended_at       (RdCall             *self);
void                rd_call_set_ended_at       (RdCall             *self,
                                                GDateTime          *ended_at);
RdCallState         rd_call_get_state          (RdCall             *self);
void                rd_call_set_state          (RdCall             *self,
                                                RdCallState         state);
RdCallOutcome       rd_call_get_outcome        (RdCall             *self);
void                rd_call_set_outcome        (RdCall             *self,
                                                RdCallOutcome       outcome);
const char         *rd_call_get_recording_id   (RdCall             *self);
void                rd_call_set_recording_id   (RdCall             *self,
                                                const char         *recording_id);
RdCustomer         *rd_call_get_customer       (RdCall             *self);
void                rd_call_set_customer       (RdCall             *self,
                                                RdCustomer         *customer);
const char * const *rd_call_get_tickets        (RdCall             *self);
void                rd_call_set_tickets        (RdCall             *self,
                                                const char * const *tickets);
GListModel         *rd_call_get_ticket_objects (RdCall             *self);
void                rd_call_set_ticket_objects (RdCall             *self,
                                                GListModel         *tickets);
GListModel         *rd_call_get_hops           (RdCall             *self);
void                rd_call_set_hops           (RdCall             *self,
                                                GListModel         *hops);
void                rd_call_append_hop         (RdCall             *self,
                                                RdHop              *hop);

G_END_DECLS
