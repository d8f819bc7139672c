/* rd-hop.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-enums.h"

G_BEGIN_DECLS

#define RD_TYPE_HOP (rd_hop_get_type ())

G_DECLARE_FINAL_TYPE (RdHop, rd_hop, RD, HOP, GObject)

RdHop       *rd_hop_new             (const char  *extension);
const char  *rd_hop_get_extension   (RdHop       *self);
void         rd_hop_set_extension   (RdHop       *self,
                                     const char  *extension);
const char  *rd_hop_get_ticket      (RdHop       *self);
void         rd_hop_set_ticket      (RdHop       *self,
                                     const char  *ticket);
GDateTime   *rd_hop_get_rung_at     (RdHop       *self);
void         rd_hop_set_rung_at     (RdHop       *self,
                                     GDateTime   *rung_at);
GDateTime   *rd_hop_get_answered_at (RdHop       *self);
void         rd_hop_set_answered_at (RdHop       *self,
                                     GDateTime   *answered_at);
GDateTime   *rd_hop_get_ended_at    (RdHop       *self);
void         rd_hop_set_ended_at    (RdHop       *self,
                                     GDateTime   *ended_at);
RdHopOutcome rd_hop_get_outcome     (RdHop       *self);
void         rd_hop_set_outcome     (RdHop       *self,
                                     RdHopOutcome outcome);

G_END_DECLS
