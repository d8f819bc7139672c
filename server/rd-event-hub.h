/* rd-event-hub.h: the live event WebSocket, GET /api/v1/events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-event.h"
#include "rd-server.h"

G_BEGIN_DECLS

#define RD_TYPE_EVENT_HUB (rd_event_hub_get_type ())

G_DECLARE_FINAL_TYPE (RdEventHub, rd_event_hub, RD, EVENT_HUB, GObject)

/* Close codes the hub uses besides the standard ones (documented in docs/events.md) */
#define RD_EVENT_HUB_CLOSE_SESSION_ENDED 4401

#define RD_EVENT_HUB_DEFAULT_KEEPALIVE   30                  /* seconds */
#define RD_EVENT_HUB_DEFAULT_MAX_QUEUED  (1024 * 1024)       /* bytes per client */
#define RD_EVENT_HUB_DEFAULT_MAX_PER_USER 32                 /* sockets per user */

RdEventHub *rd_event_hub_new                    (RdServer           *server);
void        rd_event_hub_publish                (RdEventHub         *self,
                                                 RdEvent            *event,
                                                 const char * const *extensions);
guint       rd_event_hub_get_n_clients          (RdEventHub         *self);
guint       rd_event_hub_get_n_subscribers      (RdEventHub         *self,
                                                 const char         *extension);
void        rd_event_hub_set_keepalive_interval (RdEventHub         *self,
                                                 guint               seconds);
void        rd_event_hub_set_max_queued         (RdEventHub         *self,
                                                 gsize               bytes);
void        rd_event_hub_set_max_per_user       (RdEventHub         *self,
                                                 guint               n_clients);

G_END_DECLS
