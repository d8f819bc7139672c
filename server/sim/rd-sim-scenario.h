/* rd-sim-scenario.h: scripted calls for the PBX simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-sim-pbx.h"

G_BEGIN_DECLS

#define RD_TYPE_SIM_SCENARIO (rd_sim_scenario_get_type ())

G_DECLARE_FINAL_TYPE (RdSimScenario, rd_sim_scenario, RD, SIM_SCENARIO, GObject)

RdSimScenario *rd_sim_scenario_new_from_data (const char     *name,
                                              const char     *data,
                                              gssize          length,
                                              GError        **error);
RdSimScenario *rd_sim_scenario_new_from_file (GFile          *file,
                                              GCancellable   *cancellable,
                                              GError        **error);
const char    *rd_sim_scenario_get_name      (RdSimScenario  *self);
guint          rd_sim_scenario_get_n_calls   (RdSimScenario  *self);
gint64         rd_sim_scenario_get_duration  (RdSimScenario  *self);
gboolean       rd_sim_scenario_run           (RdSimScenario  *self,
                                              RdSimPbx       *pbx,
                                              GError        **error);
gboolean       rd_sim_parse_duration         (const char     *text,
                                              gint64         *msec);

G_END_DECLS
