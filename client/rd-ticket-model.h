/* rd-ticket-model.h: the tickets of GET /tickets as a list model, page by page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET_MODEL (rd_ticket_model_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketModel, rd_ticket_model, RD, TICKET_MODEL, GObject)

RdTicketModel *rd_ticket_model_new            (void);
RdConnection  *rd_ticket_model_get_connection (RdTicketModel        *self);
void           rd_ticket_model_set_connection (RdTicketModel        *self,
                                               RdConnection         *connection);
void           rd_ticket_model_set_filter     (RdTicketModel        *self,
                                               const RdTicketFilter *filter);
guint          rd_ticket_model_get_page_size  (RdTicketModel        *self);
void           rd_ticket_model_set_page_size  (RdTicketModel        *self,
                                               guint                 page_size);
gboolean       rd_ticket_model_get_loading    (RdTicketModel        *self);
gboolean       rd_ticket_model_get_has_more   (RdTicketModel        *self);
gboolean       rd_ticket_model_get_offline    (RdTicketModel        *self);
const GError  *rd_ticket_model_get_error      (RdTicketModel        *self);
void           rd_ticket_model_reload         (RdTicketModel        *self);
void           rd_ticket_model_load_more      (RdTicketModel        *self);
void           rd_ticket_model_replace        (RdTicketModel        *self,
                                               RdTicket             *ticket);

G_END_DECLS
