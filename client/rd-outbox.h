/* rd-outbox.h: the changes made while the server is away, sent when it is back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-connection.h"
#include "rd-offline-store.h"

G_BEGIN_DECLS

#define RD_TYPE_OUTBOX (rd_outbox_get_type ())

G_DECLARE_FINAL_TYPE (RdOutbox, rd_outbox, RD, OUTBOX, GObject)

gboolean        rd_outbox_error_is_unreachable (const GError    *error);
gboolean        rd_outbox_ticket_is_unsent     (RdTicket        *ticket);
gboolean        rd_outbox_ticket_is_local      (RdTicket        *ticket);
char           *rd_outbox_format_number        (RdTicket        *ticket);
char           *rd_outbox_format_subject       (RdTicket        *ticket);
char          **rd_outbox_find_conflicts       (JsonObject      *base,
                                                JsonObject      *mine,
                                                JsonObject      *current);

RdOutbox       *rd_outbox_new                  (RdConnection    *connection,
                                                RdOfflineStore  *store);
RdOutbox       *rd_outbox_attach               (RdConnection    *connection,
                                                const char      *username,
                                                GError         **error);
RdOutbox       *rd_outbox_get_for_connection   (RdConnection    *connection);
gboolean        rd_outbox_replace              (RdOutbox       **slot,
                                                RdOutbox        *outbox,
                                                gpointer         data);
RdOfflineStore *rd_outbox_get_store            (RdOutbox        *self);
RdUser         *rd_outbox_dup_cached_user      (RdOutbox        *self);
gboolean        rd_outbox_get_online           (RdOutbox        *self);
void            rd_outbox_set_online           (RdOutbox        *self,
                                                gboolean         online);
guint           rd_outbox_get_n_queued         (RdOutbox        *self);
guint           rd_outbox_get_n_held           (RdOutbox        *self);
gboolean        rd_outbox_has_ops              (RdOutbox        *self,
                                                const char      *ticket);
GPtrArray      *rd_outbox_list_ops             (RdOutbox        *self,
                                                const char      *ticket);
GListModel     *rd_outbox_overlay_list         (RdOutbox        *self,
                                                GListModel      *tickets,
                                                gboolean         with_local);
RdTicket       *rd_outbox_dup_cached_ticket    (RdOutbox        *self,
                                                const char      *number);

RdTicket       *rd_outbox_queue_create         (RdOutbox        *self,
                                                JsonObject      *fields,
                                                const char      *call_id,
                                                GError         **error);
RdTicket       *rd_outbox_queue_patch          (RdOutbox        *self,
                                                RdTicket        *seen,
                                                JsonObject      *changes,
                                                GError         **error);
RdTicket       *rd_outbox_queue_transition     (RdOutbox        *self,
                                                RdTicket        *seen,
                                                RdTicketState    to,
                                                const char      *note,
                                                GError         **error);
void            rd_outbox_queue_evidence_async (RdOutbox        *self,
                                                const char      *number,
                                                GFile           *file,
                                                const char      *content_type,
                                                const char      *description,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
gboolean        rd_outbox_queue_evidence_finish (RdOutbox       *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

gboolean        rd_outbox_resolve              (RdOutbox        *self,
                                                gint64           id,
                                                gboolean         keep_mine,
                                                GError         **error);
void            rd_outbox_replay               (RdOutbox        *self);

G_END_DECLS
