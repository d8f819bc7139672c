/* rd-sim-csta.h: the PBX side of the CSTA wire, for the simulator and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

#define RD_TYPE_SIM_CSTA (rd_sim_csta_get_type ())

G_DECLARE_FINAL_TYPE (RdSimCsta, rd_sim_csta, RD, SIM_CSTA, GObject)

RdSimCsta *rd_sim_csta_new                     (void);
void       rd_sim_csta_set_devices             (RdSimCsta          *self,
                                                const char * const *stations,
                                                const char * const *trunks);
void       rd_sim_csta_set_keepalive_interval  (RdSimCsta          *self,
                                                guint               msec);
gboolean   rd_sim_csta_listen                  (RdSimCsta          *self,
                                                const char         *host,
                                                guint16             port,
                                                GError            **error);
guint16    rd_sim_csta_get_port                (RdSimCsta          *self);
guint      rd_sim_csta_get_n_clients           (RdSimCsta          *self);
guint      rd_sim_csta_get_n_monitors          (RdSimCsta          *self);
guint      rd_sim_csta_get_n_cdr_acks          (RdSimCsta          *self);
void       rd_sim_csta_send_event              (RdSimCsta          *self,
                                                RdCtiEvent         *event);
void       rd_sim_csta_set_use_device_numbers  (RdSimCsta          *self,
                                                gboolean            use);

/* faults */
void       rd_sim_csta_drop_clients            (RdSimCsta          *self);
void       rd_sim_csta_set_keepalives_enabled  (RdSimCsta          *self,
                                                gboolean            enabled);
void       rd_sim_csta_send_garbage            (RdSimCsta          *self);
void       rd_sim_csta_close                   (RdSimCsta          *self);

G_END_DECLS
