/* rd-check.h: checks the people, places and groups handlers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rd-codec.h"
#include "rd-request.h"
#include "rd-store.h"
#include "rd-user.h"

G_BEGIN_DECLS

gboolean  rd_check_text        (const char          *member,
                                const char          *value,
                                guint                max_length,
                                GError             **error);
gboolean  rd_check_strv        (const char          *member,
                                const char * const  *values,
                                guint                max_items,
                                guint                max_length,
                                GError             **error);
gpointer  rd_check_apply_patch (RdCodec             *current,
                                JsonObject          *patch,
                                const char * const  *allowed,
                                GError             **error);
char     *rd_check_id_to_string (gint64              id);
gboolean  rd_check_id_parse    (const char          *text,
                                gint64              *id);
struct sqlite3 *rd_check_connection (RdStore        *store,
                                 GError            **error);
typedef const char *(*RdCheckCursorFunc) (gpointer item);

gboolean  rd_check_cursor_id   (RdRequest          *request,
                                gint64             *after,
                                GError            **error);
void      rd_check_reply_page  (RdRequest          *request,
                                GListModel         *found,
                                guint               limit,
                                RdCheckCursorFunc   cursor);
void      rd_check_reply_items (RdRequest          *request,
                                JsonNode           *items,
                                const char         *next_cursor);
const char *rd_check_query_text (RdRequest         *request,
                                 const char        *param,
                                 guint              max_length,
                                 GError           **error);
gboolean  rd_check_query_datetime (RdRequest       *request,
                                   const char      *param,
                                   GDateTime      **datetime,
                                   GError         **error);
JsonNode *rd_check_user_to_node (RdUser             *user,
                                 gboolean            absent);

G_END_DECLS
