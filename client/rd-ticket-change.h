/* rd-ticket-change.h: one row of a ticket's history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RD_TYPE_TICKET_CHANGE (rd_ticket_change_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketChange, rd_ticket_change, RD, TICKET_CHANGE, GObject)

RdTicketChange *rd_ticket_change_new_from_json  (JsonObject      *object,
                                                 GError         **error);
GDateTime      *rd_ticket_change_get_at         (RdTicketChange  *self);
const char     *rd_ticket_change_get_username   (RdTicketChange  *self);
const char     *rd_ticket_change_get_field      (RdTicketChange  *self);
const char     *rd_ticket_change_get_old_value  (RdTicketChange  *self);
const char     *rd_ticket_change_get_new_value  (RdTicketChange  *self);
const char     *rd_ticket_change_get_note       (RdTicketChange  *self);

G_END_DECLS
