/* rd-work-order-store.h: work orders made from tickets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-store.h"
#include "rd-ticket.h"

G_BEGIN_DECLS

#define RD_TYPE_WORK_ORDER_STORE (rd_work_order_store_get_type ())

G_DECLARE_FINAL_TYPE (RdWorkOrderStore, rd_work_order_store, RD, WORK_ORDER_STORE, GObject)

/**
 * RdWorkOrder:
 * @number: its own number, from the "work_order" counter
 * @ticket: the number of the ticket it was made from
 * @state: open, in_progress, done or cancelled
 * @fields: the ticket's members as they were when it was made (its number
 *   is the ticket's)
 */
typedef struct
{
  gint64     number;
  gint64     ticket;
  char      *state;
  char      *created_by;
  GDateTime *created_at;
  RdTicket  *fields;
} RdWorkOrder;

void              rd_work_order_free            (RdWorkOrder       *order);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdWorkOrder, rd_work_order_free)

RdWorkOrderStore *rd_work_order_store_new       (RdStore           *store);
RdWorkOrder      *rd_work_order_store_create    (RdWorkOrderStore  *self,
                                                 gint64             ticket,
                                                 const char        *username,
                                                 GError           **error);
RdWorkOrder      *rd_work_order_store_get_for_ticket (RdWorkOrderStore *self,
                                                 gint64             ticket,
                                                 GError           **error);

G_END_DECLS
