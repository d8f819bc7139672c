/* rd-handlers.h: the route tables of each resource (rd-handler-*.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-evidence-store.h"
#include "rd-server.h"
#include "rd-ticket-store.h"

G_BEGIN_DECLS

void rd_handler_ops_register     (RdServer *server);
void rd_handler_session_register (RdServer *server);
void rd_handler_users_register   (RdServer *server);
void rd_handler_tickets_register (RdServer *server);
void rd_handler_calls_register   (RdServer *server);
void rd_handler_groups_register    (RdServer *server);
void rd_handler_customers_register (RdServer *server);
void rd_handler_places_register    (RdServer *server);
void rd_handler_evidence_register (RdServer        *server,
                                   RdEvidenceStore *evidence);

gboolean  rd_handler_tickets_can_see     (RdServer       *server,
                                          RdUser         *user,
                                          RdTicket       *ticket,
                                          const char     *created_by);
RdTicket *rd_handler_tickets_load_visible (RdServer     *server,
                                          RdRequest      *request,
                                          RdTicketStore  *tickets,
                                          gint64         *number,
                                          GError        **error);
RdTicket *rd_handler_tickets_get_visible (RdServer       *server,
                                          RdRequest      *request,
                                          RdTicketStore  *tickets,
                                          gint64          number,
                                          GError        **error);

G_END_DECLS
