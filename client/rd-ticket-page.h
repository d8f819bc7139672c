/* rd-ticket-page.h: one ticket with every field, its moves and history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET_PAGE (rd_ticket_page_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketPage, rd_ticket_page, RD, TICKET_PAGE, AdwBin)

GtkWidget    *rd_ticket_page_new            (void);
RdConnection *rd_ticket_page_get_connection (RdTicketPage *self);
void          rd_ticket_page_set_connection (RdTicketPage *self,
                                             RdConnection *connection);
RdTicket     *rd_ticket_page_get_ticket     (RdTicketPage *self);
void          rd_ticket_page_show_ticket    (RdTicketPage *self,
                                             RdTicket     *ticket);
void          rd_ticket_page_refresh        (RdTicketPage *self);
gboolean      rd_ticket_page_get_busy       (RdTicketPage *self);

G_END_DECLS
