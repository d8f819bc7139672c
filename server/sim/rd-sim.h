/* rd-sim.h: the PBX simulator: one PBX and the responders of its wires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-sim-csta.h"
#include "rd-sim-exttext.h"
#include "rd-sim-pbx.h"
#include "rd-sim-rtp.h"
#include "rd-sim-scenario.h"
#include "rd-sim-smdr.h"
#include "rd-sim-webhook.h"

G_BEGIN_DECLS

#define RD_SIM_DEFAULT_CSTA_PORT 33333
#define RD_SIM_DEFAULT_SMDR_PORT 2300

#define RD_TYPE_SIM (rd_sim_get_type ())

G_DECLARE_FINAL_TYPE (RdSim, rd_sim, RD, SIM, GObject)

RdSim      *rd_sim_new               (void);
RdSimPbx   *rd_sim_get_pbx           (RdSim               *self);
RdSimCsta  *rd_sim_get_csta          (RdSim               *self);
RdSimSmdr  *rd_sim_get_smdr          (RdSim               *self);
void        rd_sim_set_devices       (RdSim               *self,
                                      const char * const  *stations,
                                      const char * const  *trunks);
void        rd_sim_set_ext_text      (RdSim               *self,
                                      GFile               *folder);
void        rd_sim_set_webhook       (RdSim               *self,
                                      const char          *url);
RdSimWebhook *
            rd_sim_get_webhook       (RdSim               *self);
gboolean    rd_sim_set_rtp           (RdSim               *self,
                                      const char          *host,
                                      guint16              port,
                                      GError             **error);
RdSimRtp   *rd_sim_get_rtp           (RdSim               *self);
gboolean    rd_sim_listen            (RdSim               *self,
                                      const char          *host,
                                      guint16              csta_port,
                                      guint16              smdr_port,
                                      GError             **error);
guint16     rd_sim_get_csta_port     (RdSim               *self);
guint16     rd_sim_get_smdr_port     (RdSim               *self);
gboolean    rd_sim_get_listening     (RdSim               *self);
void        rd_sim_close             (RdSim               *self);

/* traffic */
gboolean    rd_sim_run_scenario      (RdSim               *self,
                                      RdSimScenario       *scenario,
                                      GError             **error);
gboolean    rd_sim_start_load        (RdSim               *self,
                                      double               calls_per_second,
                                      const char          *first_extension,
                                      const char          *last_extension,
                                      guint                seconds,
                                      guint32              seed,
                                      GError             **error);
void        rd_sim_start_demo        (RdSim               *self,
                                      const char          *agent_extension);

GStrv       rd_sim_parse_device_list (const char          *text,
                                      GError             **error);

/* faults */
void        rd_sim_drop_links        (RdSim               *self);
void        rd_sim_set_keepalives_enabled (RdSim          *self,
                                           gboolean        enabled);
void        rd_sim_send_garbage      (RdSim               *self);
void        rd_sim_restart           (RdSim               *self,
                                      guint                msec);

G_END_DECLS
