/* rd-sim-rtp.h: G.711 µ-law RTP audio for the simulated PBX's calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

#define RD_TYPE_SIM_RTP (rd_sim_rtp_get_type ())

G_DECLARE_FINAL_TYPE (RdSimRtp, rd_sim_rtp, RD, SIM_RTP, GObject)

RdSimRtp   *rd_sim_rtp_new           (const char  *host,
                                      guint16      port,
                                      GError     **error);
gboolean    rd_sim_rtp_start         (RdSimRtp    *self,
                                      const char  *call_id,
                                      GError     **error);
void        rd_sim_rtp_stop          (RdSimRtp    *self,
                                      const char  *call_id);
void        rd_sim_rtp_stop_all      (RdSimRtp    *self);
guint       rd_sim_rtp_get_n_streams (RdSimRtp    *self);
void        rd_sim_rtp_handle_event  (RdSimRtp    *self,
                                      RdCtiEvent  *event);

G_END_DECLS
