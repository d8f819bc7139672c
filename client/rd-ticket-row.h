/* rd-ticket-row.h: a ticket in the compact (narrow) tickets list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-common.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET_ROW (rd_ticket_row_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketRow, rd_ticket_row, RD, TICKET_ROW, AdwBin)

GtkWidget *rd_ticket_row_new        (void);
RdTicket  *rd_ticket_row_get_ticket (RdTicketRow *self);
void       rd_ticket_row_set_ticket (RdTicketRow *self,
                                     RdTicket    *ticket);

G_END_DECLS
