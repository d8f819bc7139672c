/* rd-ticket-editor.h: the form that creates or edits a ticket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET_EDITOR (rd_ticket_editor_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketEditor, rd_ticket_editor, RD, TICKET_EDITOR, AdwWindow)

GtkWidget *rd_ticket_editor_new      (RdConnection   *connection,
                                      RdTicket       *ticket);
RdTicket  *rd_ticket_editor_get_ticket (RdTicketEditor *self);
gboolean   rd_ticket_editor_get_busy (RdTicketEditor *self);
void       rd_ticket_editor_save     (RdTicketEditor *self);
void       rd_ticket_editor_set_call (RdTicketEditor *self,
                                      RdCall         *call);

G_END_DECLS
