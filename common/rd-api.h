/* rd-api.h: the wire contract of API.md as constants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RD_API_PREFIX             "/api/v1"

#define RD_API_PATH_SESSION       RD_API_PREFIX "/session"
#define RD_API_PATH_ME            RD_API_PREFIX "/me"
#define RD_API_PATH_USERS         RD_API_PREFIX "/users"
#define RD_API_PATH_GROUPS        RD_API_PREFIX "/groups"
#define RD_API_PATH_TICKETS       RD_API_PREFIX "/tickets"
#define RD_API_PATH_EVIDENCE      RD_API_PREFIX "/evidence"
#define RD_API_PATH_CUSTOMERS     RD_API_PREFIX "/customers"
#define RD_API_PATH_LOCATIONS     RD_API_PREFIX "/locations"
#define RD_API_PATH_ASSETS        RD_API_PREFIX "/assets"
#define RD_API_PATH_CALLS         RD_API_PREFIX "/calls"
#define RD_API_PATH_CALL_LOG      RD_API_PREFIX "/calls/log.txt"
#define RD_API_PATH_RECORDINGS    RD_API_PREFIX "/recordings"
#define RD_API_PATH_CTI_GENERIC   RD_API_PREFIX "/cti/generic"
#define RD_API_PATH_SLA           RD_API_PREFIX "/sla"
#define RD_API_PATH_SYNC_SIG      RD_API_PREFIX "/sync/sig"
#define RD_API_PATH_EVENTS        RD_API_PREFIX "/events"
#define RD_API_PATH_HEALTHZ       "/healthz"
#define RD_API_PATH_METRICS       "/metrics"

#define RD_API_LIST_LIMIT_DEFAULT 50
#define RD_API_LIST_LIMIT_MAX     500

/* Roles */
#define RD_ROLE_AGENT             "agent"
#define RD_ROLE_TECHNICIAN        "technician"
#define RD_ROLE_SUPERVISOR        "supervisor"
#define RD_ROLE_ADMIN             "admin"

/* Live event types sent on RD_API_PATH_EVENTS */
#define RD_EVENT_CALL_RINGING     "call.ringing"
#define RD_EVENT_CALL_ANSWERED    "call.answered"
#define RD_EVENT_CALL_HELD        "call.held"
#define RD_EVENT_CALL_RETRIEVED   "call.retrieved"
#define RD_EVENT_CALL_TRANSFERRED "call.transferred"
#define RD_EVENT_CALL_ENDED       "call.ended"
#define RD_EVENT_TICKET_CREATED   "ticket.created"
#define RD_EVENT_TICKET_UPDATED   "ticket.updated"
#define RD_EVENT_TICKET_ASSIGNED  "ticket.assigned"
#define RD_EVENT_NOTIFY_IM        "notify.im"
#define RD_EVENT_SLA_AT_RISK      "sla.at_risk"
#define RD_EVENT_SYNC_FINISHED    "sync.finished"

/* Messages the client sends on RD_API_PATH_EVENTS */
#define RD_EVENT_SUBSCRIBE        "subscribe"
#define RD_EVENT_SUBSCRIBED       "subscribed"

G_END_DECLS
