/* rd-server.h: the HTTP transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-assigner.h"
#include "rd-auth.h"
#include "rd-call-engine.h"
#include "rd-customer-store.h"
#include "rd-group-store.h"
#include "rd-metrics.h"
#include "rd-place-store.h"
#include "rd-request.h"
#include "rd-store.h"
#include "rd-throttle.h"
#include "rd-ticket-store.h"
#include "rd-work-order-store.h"

G_BEGIN_DECLS

#define RD_TYPE_SERVER (rd_server_get_type ())

G_DECLARE_FINAL_TYPE (RdServer, rd_server, RD, SERVER, GObject)

/**
 * RdRouteFlags:
 * @RD_ROUTE_DEFAULT: needs a bearer token
 * @RD_ROUTE_PUBLIC: needs no token
 * @RD_ROUTE_JSON_BODY: takes a JSON body (Content-Type is checked before it is read)
 * @RD_ROUTE_QUERY_TOKEN: the token may also come as `?token=` (for WebSocket
 *   clients that cannot set headers); the Authorization header wins
 * @RD_ROUTE_SECRET_PATH: the path carries a secret (a webhook's): the access
 *   log shows the route's pattern instead of the path
 * @RD_ROUTE_STREAM_BODY: takes a raw body that is never kept in memory; set by
 *   rd_server_add_stream_route()
 */
typedef enum
{
  RD_ROUTE_DEFAULT     = 0,
  RD_ROUTE_PUBLIC      = 1 << 0,
  RD_ROUTE_JSON_BODY   = 1 << 1,
  RD_ROUTE_QUERY_TOKEN = 1 << 2,
  RD_ROUTE_SECRET_PATH = 1 << 3,
  RD_ROUTE_STREAM_BODY = 1 << 4,
} RdRouteFlags;

typedef void (*RdRouteFunc) (RdServer  *server,
                             RdRequest *request);

/**
 * RdRouteForeachFunc:
 * @roles: (nullable): the roles of the route, %NULL for any signed-in user
 */
typedef void (*RdRouteForeachFunc) (const char         *method,
                                    const char         *pattern,
                                    RdRouteFlags        flags,
                                    const char * const *roles,
                                    gpointer            user_data);

/**
 * RdStreamOpenFunc:
 *
 * Called once the headers of a streamed request passed the checks (route,
 * token, role, Content-Length), before any of the body is read. Fails to
 * refuse the request (the error is the reply), or gives the stream the body
 * is written to as it arrives. The query is available.
 *
 * Returns: (transfer full) (nullable): the stream
 */
typedef GOutputStream *(*RdStreamOpenFunc) (RdServer   *server,
                                            RdRequest  *request,
                                            GError    **error);

RdServer   *rd_server_new         (RdAuth              *auth,
                                   RdMetrics           *metrics,
                                   gsize                max_body_size);
void        rd_server_add_route   (RdServer            *self,
                                   const char          *method,
                                   const char          *pattern,
                                   RdRouteFlags         flags,
                                   const char * const  *roles,
                                   RdRouteFunc          func);
void        rd_server_add_stream_route (RdServer       *self,
                                   const char          *method,
                                   const char          *pattern,
                                   RdRouteFlags         flags,
                                   const char * const  *roles,
                                   guint64              max_body_size,
                                   RdStreamOpenFunc     open_func,
                                   RdRouteFunc          func);
GOutputStream *rd_server_get_body_stream (RdServer     *self,
                                   RdRequest           *request);
gboolean    rd_server_listen      (RdServer            *self,
                                   const char          *host,
                                   guint16              port,
                                   GError             **error);
void        rd_server_disconnect  (RdServer            *self);
char       *rd_server_get_uri     (RdServer            *self);
RdAuth     *rd_server_get_auth    (RdServer            *self);
RdStore    *rd_server_get_store   (RdServer            *self);
RdMetrics  *rd_server_get_metrics (RdServer            *self);
void        rd_server_set_call_engine      (RdServer           *self,
                                            RdCallEngine       *engine);
RdCallEngine *rd_server_get_call_engine    (RdServer           *self);
void        rd_server_add_cti_link         (RdServer           *self,
                                            RdCtiLink          *link);
GPtrArray  *rd_server_get_cti_links        (RdServer           *self);
RdCtiLinkState rd_server_get_cti_state     (RdServer           *self);
RdThrottle *rd_server_get_user_throttle    (RdServer           *self);
RdThrottle *rd_server_get_address_throttle (RdServer           *self);
void        rd_server_foreach_route        (RdServer           *self,
                                            RdRouteForeachFunc  func,
                                            gpointer            user_data);
void        rd_server_token_revoked        (RdServer           *self,
                                            const char         *token);

/* the stores on the connection of rd_server_get_store(), one of each */
RdTicketStore   *rd_server_get_ticket_store   (RdServer *self);
RdGroupStore    *rd_server_get_group_store    (RdServer *self);
RdCustomerStore *rd_server_get_customer_store (RdServer *self);
RdPlaceStore    *rd_server_get_place_store    (RdServer *self);
RdWorkOrderStore *rd_server_get_work_order_store (RdServer *self);

G_END_DECLS
