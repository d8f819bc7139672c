/* rd-metrics.h: Prometheus metrics of the HTTP layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_METRICS (rd_metrics_get_type ())

G_DECLARE_FINAL_TYPE (RdMetrics, rd_metrics, RD, METRICS, GObject)

RdMetrics *rd_metrics_new             (void);
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
