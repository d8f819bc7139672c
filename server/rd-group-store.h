/* rd-group-store.h: groups of responsible users, their rules, and who is absent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-group.h"
#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TYPE_GROUP_STORE (rd_group_store_get_type ())

G_DECLARE_FINAL_TYPE (RdGroupStore, rd_group_store, RD, GROUP_STORE, GObject)

#define RD_GROUP_MAX_NAME   64
#define RD_GROUP_MAX_RULES  100

/**
 * RdGroupRules:
 * @categories: ticket categories the group takes (empty: any)
 * @locations: location ids the group takes (empty: any)
 *
 * What a group adds to its areas to match tickets (see rd-assigner.c).
 */
typedef struct
{
  char **categories;
  char **locations;
} RdGroupRules;

void          rd_group_rules_clear         (RdGroupRules  *rules);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RdGroupRules, rd_group_rules_clear)

RdGroupStore *rd_group_store_new           (RdStore       *store);
RdStore      *rd_group_store_get_store     (RdGroupStore  *self);
gboolean      rd_group_store_add           (RdGroupStore  *self,
                                            RdGroup       *group,
                                            const RdGroupRules *rules,
                                            GError       **error);
gboolean      rd_group_store_update        (RdGroupStore  *self,
                                            RdGroup       *group,
                                            const RdGroupRules *rules,
                                            GError       **error);
RdGroup      *rd_group_store_get           (RdGroupStore  *self,
                                            const char    *name,
                                            RdGroupRules  *rules,
                                            GError       **error);
GListModel   *rd_group_store_list          (RdGroupStore  *self,
                                            const char    *after,
                                            guint          limit,
                                            GError       **error);
gboolean      rd_group_store_get_rules     (RdGroupStore  *self,
                                            const char    *name,
                                            RdGroupRules  *rules,
                                            GError       **error);
char        **rd_group_store_get_user_groups (RdGroupStore *self,
                                            const char    *username,
                                            GError       **error);

/* absence: absent members are skipped by auto-assignment */
gboolean      rd_group_store_get_absent    (RdGroupStore  *self,
                                            const char    *username,
                                            gboolean      *absent,
                                            GError       **error);
gboolean      rd_group_store_set_absent    (RdGroupStore  *self,
                                            const char    *username,
                                            gboolean       absent,
                                            GError       **error);

G_END_DECLS
