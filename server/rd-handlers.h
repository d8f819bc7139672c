/* rd-handlers.h: the route tables of each resource (rd-handler-*.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-server.h"

G_BEGIN_DECLS

void rd_handler_ops_register     (RdServer *server);
void rd_handler_session_register (RdServer *server);
void rd_handler_users_register   (RdServer *server);
void rd_handler_tickets_register (RdServer *server);
void rd_handler_calls_register   (RdServer *server);
void rd_handler_groups_register    (RdServer *server);
void rd_handler_customers_register (RdServer *server);
void rd_handler_places_register    (RdServer *server);

G_END_DECLS
