/* rd-sla-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_SLA_ROW (rd_sla_row_get_type ())

G_DECLARE_FINAL_TYPE (RdSlaRow, rd_sla_row, RD, SLA_ROW, GObject)

RdSlaRow   *rd_sla_row_new                     (const char *key);
const char *rd_sla_row_get_key                 (RdSlaRow   *self);
void        rd_sla_row_set_key                 (RdSlaRow   *self,
                                                const char *key);
guint       rd_sla_row_get_tickets             (RdSlaRow   *self);
void        rd_sla_row_set_tickets             (RdSlaRow   *self,
                                                guint       tickets);
guint       rd_sla_row_get_met                 (RdSlaRow   *self);
void        rd_sla_row_set_met                 (RdSlaRow   *self,
                                                guint       met);
guint       rd_sla_row_get_breached            (RdSlaRow   *self);
void        rd_sla_row_set_breached            (RdSlaRow   *self,
                                                guint       breached);
double      rd_sla_row_get_compliance          (RdSlaRow   *self);
void        rd_sla_row_set_compliance          (RdSlaRow   *self,
                                                double      compliance);
double      rd_sla_row_get_response_avg_h      (RdSlaRow   *self);
void        rd_sla_row_set_response_avg_h      (RdSlaRow   *self,
                                                double      response_avg_h);
double      rd_sla_row_get_resolution_avg_h    (RdSlaRow   *self);
void        rd_sla_row_set_resolution_avg_h    (RdSlaRow   *self,
                                                double      resolution_avg_h);
double      rd_sla_row_get_resolution_median_h (RdSlaRow   *self);
void        rd_sla_row_set_resolution_median_h (RdSlaRow   *self,
                                                double      resolution_median_h);
double      rd_sla_row_get_resolution_p90_h    (RdSlaRow   *self);
void        rd_sla_row_set_resolution_p90_h    (RdSlaRow   *self,
                                                double      resolution_p90_h);

G_END_DECLS
