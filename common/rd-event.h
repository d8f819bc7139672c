/* rd-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-call.h"
#include "rd-ticket.h"

G_BEGIN_DECLS

/* Largest WebSocket message rd_event_new_from_json_string() reads. */
#define RD_EVENT_MAX_SIZE (1024 * 1024)
/* Most extensions one subscribe message may name. */
#define RD_EVENT_MAX_SUBSCRIPTIONS 256

#define RD_TYPE_EVENT (rd_event_get_type ())

G_DECLARE_FINAL_TYPE (RdEvent, rd_event, RD, EVENT, GObject)

RdEvent    *rd_event_new                  (const char         *event_type);
const char *rd_event_get_event_type       (RdEvent            *self);
void        rd_event_set_event_type       (RdEvent            *self,
                                           const char         *event_type);
GDateTime  *rd_event_get_at               (RdEvent            *self);
void        rd_event_set_at               (RdEvent            *self,
                                           GDateTime          *at);
const char *rd_event_get_extension        (RdEvent            *self);
void        rd_event_set_extension        (RdEvent            *self,
                                           const char         *extension);
const char *rd_event_get_text             (RdEvent            *self);
void        rd_event_set_text             (RdEvent            *self,
                                           const char         *text);
RdCall     *rd_event_get_call             (RdEvent            *self);
void        rd_event_set_call             (RdEvent            *self,
                                           RdCall             *call);
RdTicket   *rd_event_get_ticket           (RdEvent            *self);
void        rd_event_set_ticket           (RdEvent            *self,
                                           RdTicket           *ticket);
RdEvent    *rd_event_new_from_json_string (const char         *data,
                                           gssize              length,
                                           GError            **error);
gboolean    rd_event_type_is_valid        (const char         *type);
gboolean    rd_event_parse_subscribe      (const char         *data,
                                           gssize              length,
                                           char             ***extensions,
                                           GError            **error);
char       *rd_event_build_subscribe      (const char * const *extensions);
gboolean    rd_event_parse_subscribed     (const char         *data,
                                           gssize              length,
                                           char             ***extensions,
                                           GError            **error);
char       *rd_event_build_subscribed     (const char * const *extensions);

G_END_DECLS
