/* rd-hunt-group.h: a [hunt:NAME] group: whom to ring, in which order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-config.h"

G_BEGIN_DECLS

#define RD_TYPE_HUNT_GROUP (rd_hunt_group_get_type ())

G_DECLARE_FINAL_TYPE (RdHuntGroup, rd_hunt_group, RD, HUNT_GROUP, GObject)

RdHuntGroup        *rd_hunt_group_new              (const char         *name,
                                                    const char * const *members,
                                                    const char         *first,
                                                    gboolean            wrap,
                                                    guint               no_answer_timeout,
                                                    const char         *pilot);
RdHuntGroup        *rd_hunt_group_new_from_config  (RdConfig           *config,
                                                    const char         *name);
const char         *rd_hunt_group_get_name         (RdHuntGroup        *self);
const char * const *rd_hunt_group_get_members      (RdHuntGroup        *self);
const char         *rd_hunt_group_get_pilot        (RdHuntGroup        *self);
guint               rd_hunt_group_get_no_answer_timeout (RdHuntGroup   *self);
gboolean            rd_hunt_group_get_wrap         (RdHuntGroup        *self);
guint               rd_hunt_group_get_position     (RdHuntGroup        *self);
void                rd_hunt_group_set_position     (RdHuntGroup        *self,
                                                    guint               position);
gboolean            rd_hunt_group_has_member       (RdHuntGroup        *self,
                                                    const char         *extension);
gboolean            rd_hunt_group_is_pilot         (RdHuntGroup        *self,
                                                    const char         *number);
guint               rd_hunt_group_take_start       (RdHuntGroup        *self);
int                 rd_hunt_group_step             (RdHuntGroup        *self,
                                                    guint               start,
                                                    guint               tried);

G_END_DECLS
