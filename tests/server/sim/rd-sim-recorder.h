/* rd-sim-recorder.h: collects what a simulated PBX reports, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-sim-pbx.h"

G_BEGIN_DECLS

typedef struct
{
  RdSimPbx  *pbx;
  GPtrArray *events;   /* RdCtiEvent */
  gulong     handler;
} RdSimRecorder;

RdSimRecorder *rd_sim_recorder_new      (RdSimPbx       *pbx);
void           rd_sim_recorder_free     (RdSimRecorder  *self);
char          *rd_sim_recorder_take     (RdSimRecorder  *self);
guint          rd_sim_recorder_count    (RdSimRecorder  *self,
                                         RdCtiEventType  type);
RdCtiEvent    *rd_sim_recorder_last     (RdSimRecorder  *self,
                                         RdCtiEventType  type);
char          *rd_sim_event_describe    (const RdCtiEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdSimRecorder, rd_sim_recorder_free)

G_END_DECLS
