/* rd-call-engine.h: from CTI events to calls, hops, tickets and live events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-call-store.h"
#include "rd-config.h"
#include "rd-cti-link.h"
#include "rd-customer.h"
#include "rd-hop-log.h"
#include "rd-notifier.h"
#include "rd-store.h"
#include "rd-ticket-store.h"

G_BEGIN_DECLS

#define RD_TYPE_CALL_ENGINE (rd_call_engine_get_type ())

G_DECLARE_FINAL_TYPE (RdCallEngine, rd_call_engine, RD, CALL_ENGINE, GObject)

/**
 * RdCustomerLookupFunc:
 * @e164: the caller's number in E.164 ("+34…")
 *
 * Returns: (transfer full) (nullable): the customer with that number
 */
typedef RdCustomer *(*RdCustomerLookupFunc) (const char *e164,
                                             gpointer    user_data);

RdCallEngine *rd_call_engine_new                 (RdConfig             *config,
                                                  RdStore              *store,
                                                  GError              **error);
void          rd_call_engine_add_link            (RdCallEngine         *self,
                                                  RdCtiLink            *link);
void          rd_call_engine_handle_event        (RdCallEngine         *self,
                                                  RdCtiEvent           *event);
void          rd_call_engine_set_customer_lookup (RdCallEngine         *self,
                                                  RdCustomerLookupFunc  func,
                                                  gpointer              user_data,
                                                  GDestroyNotify        destroy);
void          rd_call_engine_set_notifier        (RdCallEngine         *self,
                                                  RdNotifier           *notifier);
void          rd_call_engine_set_ticket_store    (RdCallEngine         *self,
                                                  RdTicketStore        *tickets);
RdCallStore  *rd_call_engine_get_call_store      (RdCallEngine         *self);
RdHopLog     *rd_call_engine_get_hop_log         (RdCallEngine         *self);
guint         rd_call_engine_get_n_live_calls    (RdCallEngine         *self);
guint         rd_call_engine_get_n_pending_writes (RdCallEngine        *self);
RdCall       *rd_call_engine_bind_ticket         (RdCallEngine         *self,
                                                  const char           *call_id,
                                                  gint64                number,
                                                  GError              **error);
gboolean      rd_call_engine_can_make_call       (RdCallEngine         *self);
void          rd_call_engine_make_call_async     (RdCallEngine         *self,
                                                  const char           *from_extension,
                                                  const char           *to,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char         *rd_call_engine_make_call_finish    (RdCallEngine         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
