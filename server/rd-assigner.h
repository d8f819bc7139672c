/* rd-assigner.h: picks the group and the member a new or moved ticket goes to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-group-store.h"

G_BEGIN_DECLS

#define RD_TYPE_ASSIGNER (rd_assigner_get_type ())

G_DECLARE_FINAL_TYPE (RdAssigner, rd_assigner, RD, ASSIGNER, GObject)

/**
 * RdAssignment:
 * @group: (nullable): the group chosen, or kept
 * @group_reason: (nullable): why the group was chosen (%NULL when it was given)
 * @assignee: (nullable): the member chosen, %NULL when nobody can take it
 * @reason: (nullable): the history note: "assigned to tech2 by round_robin in
 *   group Gas-North" or "no member available in group Gas-North"
 */
typedef struct
{
  char *group;
  char *group_reason;
  char *assignee;
  char *reason;
} RdAssignment;

void        rd_assignment_clear (RdAssignment  *assignment);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RdAssignment, rd_assignment_clear)

RdAssigner *rd_assigner_new     (RdGroupStore  *groups);
gboolean    rd_assigner_choose  (RdAssigner    *self,
                                 const char    *group,
                                 const char    *area,
                                 const char    *category,
                                 const char    *location_id,
                                 RdAssignment  *assignment,
                                 GError       **error);

G_END_DECLS
