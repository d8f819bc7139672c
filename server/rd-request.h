/* rd-request.h: one HTTP request as the handlers see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rd-codec.h"
#include "rd-error.h"
#include "rd-user.h"

G_BEGIN_DECLS

#define RD_TYPE_REQUEST (rd_request_get_type ())

G_DECLARE_FINAL_TYPE (RdRequest, rd_request, RD, REQUEST, GObject)

const char         *rd_request_get_method      (RdRequest          *self);
const char         *rd_request_get_path        (RdRequest          *self);
const char         *rd_request_get_route       (RdRequest          *self);
const char         *rd_request_get_param       (RdRequest          *self,
                                                const char         *name);
const char         *rd_request_get_query       (RdRequest          *self,
                                                const char         *name);
gboolean            rd_request_get_limit       (RdRequest          *self,
                                                guint              *limit,
                                                GError            **error);
RdUser             *rd_request_get_user        (RdRequest          *self);
const char         *rd_request_get_token       (RdRequest          *self);
JsonObject         *rd_request_read_json       (RdRequest          *self,
                                                GError            **error);

void                rd_request_pause           (RdRequest          *self);
gboolean            rd_request_is_paused       (RdRequest          *self);
gboolean            rd_request_has_reply       (RdRequest          *self);
void                rd_request_reply_json      (RdRequest          *self,
                                                guint               status,
                                                JsonNode           *node);
void                rd_request_reply_codec     (RdRequest          *self,
                                                guint               status,
                                                RdCodec            *object);
void                rd_request_reply_text      (RdRequest          *self,
                                                guint               status,
                                                const char         *content_type,
                                                const char         *text);
void                rd_request_reply_bytes     (RdRequest          *self,
                                                guint               status,
                                                const char         *content_type,
                                                GBytes             *bytes);
void                rd_request_reply_empty     (RdRequest          *self,
                                                guint               status);
void                rd_request_reply_error     (RdRequest          *self,
                                                const GError       *error);
void                rd_request_reply_error_literal (RdRequest      *self,
                                                RdError             code,
                                                const char         *message);

/* for RdServer */
RdRequest          *rd_request_new             (SoupServerMessage  *message,
                                                gsize               max_body_size);
SoupServerMessage  *rd_request_get_message     (RdRequest          *self);
void                rd_request_set_route       (RdRequest          *self,
                                                const char         *route,
                                                GHashTable         *params);
void                rd_request_set_query       (RdRequest          *self,
                                                GHashTable         *query);
void                rd_request_set_auth        (RdRequest          *self,
                                                RdUser             *user,
                                                const char         *token);
gboolean            rd_request_add_body_bytes  (RdRequest          *self,
                                                gsize               n_bytes);
double              rd_request_get_elapsed     (RdRequest          *self);

G_END_DECLS
