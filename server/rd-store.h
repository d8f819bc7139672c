/* rd-store.h: the sqlite store (users, tokens, counters)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-user.h"

G_BEGIN_DECLS

#define RD_TYPE_STORE (rd_store_get_type ())

G_DECLARE_FINAL_TYPE (RdStore, rd_store, RD, STORE, GObject)

#define RD_STORE_SCHEMA_VERSION 5
#define RD_STORE_FILENAME       "ringdesk.db"

RdStore     *rd_store_new                (const char  *filename);
const char  *rd_store_get_filename       (RdStore     *self);
gboolean     rd_store_open               (RdStore     *self,
                                          GError     **error);
void         rd_store_close              (RdStore     *self);
gboolean     rd_store_is_open            (RdStore     *self);
guint        rd_store_get_schema_version (RdStore     *self,
                                          GError     **error);
gboolean     rd_store_check              (RdStore     *self,
                                          GError     **error);

/* users */
gboolean     rd_store_add_user           (RdStore     *self,
                                          RdUser      *user,
                                          const char  *password_hash,
                                          GError     **error);
gboolean     rd_store_update_user        (RdStore     *self,
                                          RdUser      *user,
                                          const char  *password_hash,
                                          GError     **error);
RdUser      *rd_store_get_user           (RdStore     *self,
                                          const char  *username,
                                          GError     **error);
gboolean     rd_store_get_password_hash  (RdStore     *self,
                                          const char  *username,
                                          char       **password_hash,
                                          GError     **error);
GListModel  *rd_store_list_users         (RdStore     *self,
                                          const char  *after,
                                          guint        limit,
                                          GError     **error);
gint64       rd_store_count_users        (RdStore     *self,
                                          GError     **error);

/* tokens: only SHA-256 hashes are stored, times are Unix seconds */
gboolean     rd_store_add_token          (RdStore     *self,
                                          const char  *token_hash,
                                          const char  *username,
                                          gint64       created_at,
                                          gint64       expires_at,
                                          GError     **error);
gboolean     rd_store_get_token          (RdStore     *self,
                                          const char  *token_hash,
                                          char       **username,
                                          gint64      *expires_at,
                                          GError     **error);
gboolean     rd_store_touch_token        (RdStore     *self,
                                          const char  *token_hash,
                                          gint64       now,
                                          GError     **error);
gboolean     rd_store_delete_token       (RdStore     *self,
                                          const char  *token_hash,
                                          GError     **error);
gboolean     rd_store_delete_user_tokens (RdStore     *self,
                                          const char  *username,
                                          GError     **error);
gint64       rd_store_delete_expired_tokens (RdStore  *self,
                                          gint64       now,
                                          GError     **error);
gint64       rd_store_count_tokens       (RdStore     *self,
                                          GError     **error);

/* counters: crash-safe monotonic numbers */
gboolean     rd_store_counter_next       (RdStore     *self,
                                          const char  *name,
                                          gint64       start,
                                          gint64      *value,
                                          GError     **error);

/* for the stores built on this connection (rd-ticket-store.c) */
struct sqlite3 *rd_store_get_connection  (RdStore     *self);
void         rd_store_set_ticket_number_start (RdStore *self,
                                          gint64       start);
gint64       rd_store_get_ticket_number_start (RdStore *self);

/* WAL checkpoints, run in a thread of the store's */
void         rd_store_checkpoint_async   (RdStore             *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     rd_store_checkpoint_finish  (RdStore             *self,
                                          GAsyncResult        *result,
                                          GError             **error);
guint        rd_store_get_n_checkpoints  (RdStore             *self);

G_END_DECLS
