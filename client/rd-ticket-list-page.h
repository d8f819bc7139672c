/* rd-ticket-list-page.h: the tickets list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"
#include "rd-ticket-model.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET_LIST_PAGE (rd_ticket_list_page_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketListPage, rd_ticket_list_page, RD, TICKET_LIST_PAGE, AdwBin)

GtkWidget     *rd_ticket_list_page_new            (void);
RdConnection  *rd_ticket_list_page_get_connection (RdTicketListPage *self);
void           rd_ticket_list_page_set_connection (RdTicketListPage *self,
                                                   RdConnection     *connection);
RdTicketModel *rd_ticket_list_page_get_model      (RdTicketListPage *self);
GListModel    *rd_ticket_list_page_get_shown      (RdTicketListPage *self);
void           rd_ticket_list_page_refresh        (RdTicketListPage *self);
void           rd_ticket_list_page_focus_search   (RdTicketListPage *self);

G_END_DECLS
