/* rd-offline-store.h: the client's local copy of its tickets and its unsent changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-common.h"

G_BEGIN_DECLS

/* The schema version in PRAGMA user_version */
#define RD_OFFLINE_STORE_VERSION 1

/* The number a ticket created offline goes by until the server numbers it */
#define RD_OFFLINE_LOCAL_PREFIX "pending-"

/**
 * RdOfflineOpKind:
 * @RD_OFFLINE_OP_CREATE: a new ticket (POST /tickets, or /calls/{id}/ticket)
 * @RD_OFFLINE_OP_PATCH: changed members of a ticket, with the values the user saw
 * @RD_OFFLINE_OP_TRANSITION: a move to another state
 * @RD_OFFLINE_OP_EVIDENCE: a file to attach, copied into the store's folder
 */
typedef enum
{
  RD_OFFLINE_OP_CREATE,
  RD_OFFLINE_OP_PATCH,
  RD_OFFLINE_OP_TRANSITION,
  RD_OFFLINE_OP_EVIDENCE,
} RdOfflineOpKind;

/**
 * RdOfflineOpStatus:
 * @RD_OFFLINE_OP_PENDING: waits to be sent
 * @RD_OFFLINE_OP_CONFLICT: someone changed a member the user changed too;
 *   waits for the user to keep or discard it
 * @RD_OFFLINE_OP_REFUSED: the server refused it; waits for the user
 */
typedef enum
{
  RD_OFFLINE_OP_PENDING,
  RD_OFFLINE_OP_CONFLICT,
  RD_OFFLINE_OP_REFUSED,
} RdOfflineOpStatus;

/**
 * RdOfflineOp:
 * @id: the order of the operation in the outbox
 * @kind: what it does
 * @status: whether it waits to be sent or for the user
 * @ticket: the ticket number, or a local label for a ticket created offline
 * @body: the JSON body of the request
 * @base: (nullable): for a patch, the values the user saw of the members changed
 * @file: (nullable): for evidence, the file's name in the store's folder
 * @message: (nullable): why it waits for the user
 * @force: for a patch, send it even when it conflicts (the user said "keep mine")
 * @queued_at: when it was queued, Unix time
 *
 * One unsent operation.
 */
typedef struct
{
  gint64             id;
  RdOfflineOpKind    kind;
  RdOfflineOpStatus  status;
  char              *ticket;
  JsonObject        *body;
  JsonObject        *base;
  char              *file;
  char              *message;
  gboolean           force;
  gint64             queued_at;
} RdOfflineOp;

#define RD_TYPE_OFFLINE_OP (rd_offline_op_get_type ())

GType        rd_offline_op_get_type (void) G_GNUC_CONST;
RdOfflineOp *rd_offline_op_copy     (const RdOfflineOp *op);
void         rd_offline_op_free     (RdOfflineOp       *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdOfflineOp, rd_offline_op_free)

#define RD_TYPE_OFFLINE_STORE (rd_offline_store_get_type ())

G_DECLARE_FINAL_TYPE (RdOfflineStore, rd_offline_store, RD, OFFLINE_STORE, GObject)

char           *rd_offline_store_default_path   (const char      *server_url,
                                                 const char      *username);
RdOfflineStore *rd_offline_store_new            (const char      *path,
                                                 GError         **error);
const char     *rd_offline_store_get_path       (RdOfflineStore  *self);
const char     *rd_offline_store_get_files_dir  (RdOfflineStore  *self);
gboolean        rd_offline_store_begin_send     (RdOfflineStore  *self);
void            rd_offline_store_end_send       (RdOfflineStore  *self);

char           *rd_offline_store_get_meta       (RdOfflineStore  *self,
                                                 const char      *key);
gboolean        rd_offline_store_set_meta       (RdOfflineStore  *self,
                                                 const char      *key,
                                                 const char      *value,
                                                 GError         **error);

gboolean        rd_offline_store_cache_ticket   (RdOfflineStore  *self,
                                                 RdTicket        *ticket,
                                                 GError         **error);
gboolean        rd_offline_store_cache_tickets  (RdOfflineStore  *self,
                                                 GListModel      *tickets,
                                                 gboolean         my_queue,
                                                 GError         **error);
void            rd_offline_store_cache_tickets_async  (RdOfflineStore      *self,
                                                       GListModel          *tickets,
                                                       gboolean             my_queue,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        rd_offline_store_cache_tickets_finish (RdOfflineStore      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
gboolean        rd_offline_store_remove_ticket  (RdOfflineStore  *self,
                                                 const char      *number,
                                                 GError         **error);
RdTicket       *rd_offline_store_get_ticket     (RdOfflineStore  *self,
                                                 const char      *number,
                                                 GError         **error);
GListModel     *rd_offline_store_list_tickets   (RdOfflineStore  *self,
                                                 gboolean         my_queue,
                                                 GError         **error);
void            rd_offline_store_list_tickets_async  (RdOfflineStore      *self,
                                                      gboolean             my_queue,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GListModel     *rd_offline_store_list_tickets_finish (RdOfflineStore      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean        rd_offline_store_cache_customer (RdOfflineStore  *self,
                                                 RdCustomer      *customer,
                                                 GError         **error);
RdCustomer     *rd_offline_store_get_customer   (RdOfflineStore  *self,
                                                 const char      *id,
                                                 GError         **error);
RdCustomer     *rd_offline_store_find_customer  (RdOfflineStore  *self,
                                                 const char      *phone,
                                                 GError         **error);

gint64          rd_offline_store_add_op         (RdOfflineStore  *self,
                                                 RdOfflineOpKind  kind,
                                                 const char      *ticket,
                                                 JsonObject      *body,
                                                 JsonObject      *base,
                                                 const char      *file,
                                                 GError         **error);
GPtrArray      *rd_offline_store_list_ops       (RdOfflineStore  *self,
                                                 const char      *ticket,
                                                 GError         **error);
gboolean        rd_offline_store_set_op_status  (RdOfflineStore  *self,
                                                 gint64           id,
                                                 RdOfflineOpStatus status,
                                                 const char      *message,
                                                 gboolean         force,
                                                 GError         **error);
gboolean        rd_offline_store_remove_op      (RdOfflineStore  *self,
                                                 gint64           id,
                                                 GError         **error);
gboolean        rd_offline_store_renumber       (RdOfflineStore  *self,
                                                 const char      *label,
                                                 const char      *number,
                                                 GError         **error);
char           *rd_offline_store_resolve_label  (RdOfflineStore  *self,
                                                 const char      *ticket);
char           *rd_offline_store_new_file_name  (RdOfflineStore  *self,
                                                 const char      *extension);
char           *rd_offline_store_get_file_path  (RdOfflineStore  *self,
                                                 const char      *file);

G_END_DECLS
