/* rd-connection-private.h: RdConnection's internals for the requests kept
 * in files of their own (rd-connection-evidence.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-connection.h"

G_BEGIN_DECLS

SoupMessage *_rd_connection_new_message     (RdConnection         *self,
                                             const char           *method,
                                             const char           *path,
                                             gboolean              authorized,
                                             GError              **error);
void         _rd_connection_send_async      (RdConnection         *self,
                                             SoupMessage          *message,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
JsonObject  *_rd_connection_request_finish  (RdConnection         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
SoupSession *_rd_connection_get_session     (RdConnection         *self);
void         _rd_connection_set_reply_error (SoupMessage          *message,
                                             GBytes               *bytes,
                                             GError              **error);
gboolean     _rd_connection_number_is_valid (const char           *number);
void         _rd_connection_items_reply     (RdConnection         *self,
                                             GAsyncResult         *result,
                                             GTask                *task_ref,
                                             GType                 type,
                                             const char           *what);
void         _rd_connection_object_reply    (RdConnection         *self,
                                             GAsyncResult         *result,
                                             GTask                *task_ref,
                                             GType                 type,
                                             const char           *what);
void         _rd_connection_add_query       (GString              *path,
                                             const char           *name,
                                             const char           *value);

G_END_DECLS
