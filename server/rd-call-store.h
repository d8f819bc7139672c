/* rd-call-store.h: calls, their hops and their tickets in the server's sqlite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-call.h"
#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TYPE_CALL_STORE (rd_call_store_get_type ())

G_DECLARE_FINAL_TYPE (RdCallStore, rd_call_store, RD, CALL_STORE, GObject)

/**
 * RdCallFilter:
 * @since: (nullable): started at or after
 * @extension: (nullable): calls that rang this extension
 * @phone_key: (nullable): calls from these digits (rd_ticket_store_make_phone_key())
 * @visible_to: (nullable): only calls that rang this extension (the user's
 *   own); used with @restricted
 * @restricted: when %TRUE only calls that rang @visible_to (none when it is %NULL)
 * @before: the cursor: only ids below it; 0 for none
 */
typedef struct
{
  GDateTime  *since;
  const char *extension;
  const char *phone_key;
  const char *visible_to;
  gboolean    restricted;
  gint64      before;
} RdCallFilter;

RdCallStore *rd_call_store_new                (RdStore       *store);
gboolean     rd_call_store_save               (RdCallStore   *self,
                                               RdCall        *call,
                                               const char    *link,
                                               const char    *link_call_id,
                                               GError       **error);
RdCall      *rd_call_store_get                (RdCallStore   *self,
                                               const char    *id,
                                               GError       **error);
GListModel  *rd_call_store_list               (RdCallStore   *self,
                                               const RdCallFilter *filter,
                                               guint          limit,
                                               GError       **error);
GListModel  *rd_call_store_list_live          (RdCallStore   *self,
                                               GError       **error);
gboolean     rd_call_store_bind_ticket        (RdCallStore   *self,
                                               const char    *call_id,
                                               gint64         number,
                                               GError       **error);
char        *rd_call_store_find_mobile        (RdCallStore   *self,
                                               const char    *extension,
                                               GError       **error);
gboolean     rd_call_store_get_hunt_position  (RdCallStore   *self,
                                               const char    *name,
                                               gint64        *position,
                                               GError       **error);
gboolean     rd_call_store_set_hunt_position  (RdCallStore   *self,
                                               const char    *name,
                                               gint64         position,
                                               GError       **error);
gboolean     rd_call_id_parse                 (const char    *text,
                                               gint64        *id);
gboolean     rd_call_store_rang_at            (RdCall        *call,
                                               const char    *extension);

G_END_DECLS
