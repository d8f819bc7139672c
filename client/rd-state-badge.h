/* rd-state-badge.h: a ticket's state as a coloured pill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-common.h"

G_BEGIN_DECLS

#define RD_TYPE_STATE_BADGE (rd_state_badge_get_type ())

G_DECLARE_FINAL_TYPE (RdStateBadge, rd_state_badge, RD, STATE_BADGE, AdwBin)

GtkWidget     *rd_state_badge_new       (void);
RdTicketState  rd_state_badge_get_state (RdStateBadge  *self);
void           rd_state_badge_set_state (RdStateBadge  *self,
                                         RdTicketState  state);

G_END_DECLS
