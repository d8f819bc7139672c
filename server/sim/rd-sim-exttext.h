/* rd-sim-exttext.h: the Windows "Call Monitor 3" ExtText writer, simulated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

#define RD_TYPE_SIM_EXT_TEXT (rd_sim_ext_text_get_type ())

G_DECLARE_FINAL_TYPE (RdSimExtText, rd_sim_ext_text, RD, SIM_EXT_TEXT, GObject)

RdSimExtText *rd_sim_ext_text_new        (GFile         *folder);
GFile        *rd_sim_ext_text_get_folder (RdSimExtText  *self);
void          rd_sim_ext_text_send_event (RdSimExtText  *self,
                                          RdCtiEvent    *event);
char         *rd_sim_ext_text_format     (RdCtiEvent    *event);

G_END_DECLS
