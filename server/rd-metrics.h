/* rd-metrics.h: Prometheus metrics of the HTTP layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_METRICS (rd_metrics_get_type ())

G_DECLARE_FINAL_TYPE (RdMetrics, rd_metrics, RD, METRICS, GObject)

/**
 * RdMetricsWsClose:
 * Why the server closed an event WebSocket.
 */
typedef enum
{
  RD_METRICS_WS_CLOSE_SLOW,      /* too much output queued (backpressure) */
  RD_METRICS_WS_CLOSE_DEAD,      /* no pong or message for too long */
  RD_METRICS_WS_CLOSE_SESSION,   /* token expired, signed out, deactivated */
  RD_METRICS_WS_CLOSE_PROTOCOL,  /* invalid or forbidden message */
  RD_METRICS_WS_CLOSE_LAST,
} RdMetricsWsClose;

RdMetrics *rd_metrics_new             (void);
void       rd_metrics_set_ws_clients  (RdMetrics        *self,
                                       guint             n_clients);
void       rd_metrics_add_events      (RdMetrics        *self,
                                       guint64           published,
                                       guint64           sent);
void       rd_metrics_add_ws_close    (RdMetrics        *self,
                                       RdMetricsWsClose  reason);
void       rd_metrics_observe_request (RdMetrics  *self,
                                       const char *method,
                                       const char *route,
                                       guint       status,
                                       double      seconds);
void       rd_metrics_render          (RdMetrics  *self,
                                       GString    *out);
void       rd_metrics_render_gauge    (GString    *out,
                                       const char *name,
                                       const char *help,
                                       double      value);

G_END_DECLS
