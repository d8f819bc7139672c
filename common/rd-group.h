/* rd-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-enums.h"

G_BEGIN_DECLS

#define RD_TYPE_GROUP (rd_group_get_type ())

G_DECLARE_FINAL_TYPE (RdGroup, rd_group, RD, GROUP, GObject)

RdGroup            *rd_group_new             (const char         *name);
const char         *rd_group_get_name        (RdGroup            *self);
void                rd_group_set_name        (RdGroup            *self,
                                              const char         *name);
const char         *rd_group_get_description (RdGroup            *self);
void                rd_group_set_description (RdGroup            *self,
                                              const char         *description);
const char * const *rd_group_get_members     (RdGroup            *self);
void                rd_group_set_members     (RdGroup            *self,
                                              const char * const *members);
const char * const *rd_group_get_areas       (RdGroup            *self);
void                rd_group_set_areas       (RdGroup            *self,
                                              const char * const *areas);
RdGroupStrategy     rd_group_get_strategy    (RdGroup            *self);
void                rd_group_set_strategy    (RdGroup            *self,
                                              RdGroupStrategy     strategy);

G_END_DECLS
