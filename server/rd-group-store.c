/* rd-group-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Groups (tables of schema v3, see rd-store.c): a name, a description, an
 * ordered member list of existing users, the rules a ticket must meet to be
 * routed to the group (areas, categories, location ids, all in group_rules)
 * and the assignment strategy. A group is written with its members and rules
 * in one transaction. The `absent` flag of users lives here too, since only
 * assignment reads it.
 */

#define G_LOG_DOMAIN "RdGroupStore"

#include "config.h"

#include <sqlite3.h>

#include "rd-check.h"
#include "rd-error.h"
#include "rd-group-store.h"
#include "rd-sqlite.h"

struct _RdGroupStore
{
  GObject  parent_instance;

  RdStore *store;
};

G_DEFINE_FINAL_TYPE (RdGroupStore, rd_group_store, G_TYPE_OBJECT)

void
rd_group_rules_clear (RdGroupRules *rules)
{
  g_clear_pointer (&rules->categories, g_strfreev);
  g_clear_pointer (&rules->locations, g_strfreev);
}

static gboolean
user_exists (sqlite3     *db,
             const char  *username,
             gboolean    *exists,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = rd_sqlite_prepare (db, "SELECT 1 FROM users WHERE username = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rd_sqlite_set_error (db, error, "find user");

  *exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
write_list (sqlite3             *db,
            const char          *group,
            const char          *kind,
            const char * const  *values,
            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (g_str_equal (kind, "member"))
    stmt = rd_sqlite_prepare (db,
                              "INSERT OR IGNORE INTO group_members (group_name, username, position)"
                              " VALUES (?1, ?3, ?4)",
                              error);
  else
    stmt = rd_sqlite_prepare (db,
                              "INSERT OR IGNORE INTO group_rules (group_name, kind, value, position)"
                              " VALUES (?1, ?2, ?3, ?4)",
                              error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      if (g_str_equal (kind, "member"))
        {
          gboolean exists = FALSE;

          if (!user_exists (db, values[i], &exists, error))
            return FALSE;
          if (!exists)
            {
              g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “members” names no user “%.64s”", values[i]);
              return FALSE;
            }
        }

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, group, -1, SQLITE_TRANSIENT);
      if (!g_str_equal (kind, "member"))
        sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, values[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, (int) i);
      if (!rd_sqlite_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_members_and_rules (sqlite3             *db,
                         RdGroup             *group,
                         const RdGroupRules  *rules,
                         GError             **error)
{
  const char *name = rd_group_get_name (group);
  g_autoptr(sqlite3_stmt) del_members = NULL;
  g_autoptr(sqlite3_stmt) del_rules = NULL;

  del_members = rd_sqlite_prepare (db, "DELETE FROM group_members WHERE group_name = ?1", error);
  if (del_members == NULL)
    return FALSE;
  sqlite3_bind_text (del_members, 1, name, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_done (db, del_members, error))
    return FALSE;

  del_rules = rd_sqlite_prepare (db, "DELETE FROM group_rules WHERE group_name = ?1", error);
  if (del_rules == NULL)
    return FALSE;
  sqlite3_bind_text (del_rules, 1, name, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_done (db, del_rules, error))
    return FALSE;

  return write_list (db, name, "member", rd_group_get_members (group), error) &&
         write_list (db, name, "area", rd_group_get_areas (group), error) &&
         write_list (db, name, "category",
                     rules != NULL ? (const char * const *) rules->categories : NULL, error) &&
         write_list (db, name, "location",
                     rules != NULL ? (const char * const *) rules->locations : NULL, error);
}

/**
 * rd_group_store_add:
 * @rules: (nullable): category and location rules
 *
 * Fails with %RD_ERROR_CONFLICT when the name is taken and
 * %RD_ERROR_INVALID_FIELD when a member is not a user.
 */
gboolean
rd_group_store_add (RdGroupStore        *self,
                    RdGroup             *group,
                    const RdGroupRules  *rules,
                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = rd_sqlite_now ();
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_GROUP (group), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO groups (name, description, strategy, created_at, updated_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?4)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, rd_group_get_name (group), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rd_group_get_description (group) != NULL
                              ? rd_group_get_description (group) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rd_group_strategy_to_string (rd_group_get_strategy (group)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT, "A group named “%s” already exists",
                     rd_group_get_name (group));
      else
        rd_sqlite_set_error (db, error, "add group");
      goto fail;
    }

  if (!write_members_and_rules (db, group, rules, error) || !rd_sqlite_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rd_sqlite_rollback (db);
  return FALSE;
}

/**
 * rd_group_store_update:
 *
 * Replaces description, strategy, members and rules of an existing group;
 * %RD_ERROR_NOT_FOUND when there is none of that name.
 */
gboolean
rd_group_store_update (RdGroupStore        *self,
                       RdGroup             *group,
                       const RdGroupRules  *rules,
                       GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_GROUP (group), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  stmt = rd_sqlite_prepare (db,
                            "UPDATE groups SET description = ?2, strategy = ?3, updated_at = ?4"
                            " WHERE name = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, rd_group_get_name (group), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rd_group_get_description (group) != NULL
                              ? rd_group_get_description (group) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rd_group_strategy_to_string (rd_group_get_strategy (group)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, rd_sqlite_now ());
  if (!rd_sqlite_step_done (db, stmt, error))
    goto fail;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No group “%s”", rd_group_get_name (group));
      goto fail;
    }

  if (!write_members_and_rules (db, group, rules, error) || !rd_sqlite_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rd_sqlite_rollback (db);
  return FALSE;
}

static char **
read_list (sqlite3     *db,
           const char  *name,
           const char  *kind,
           GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (g_str_equal (kind, "member"))
    stmt = rd_sqlite_prepare (db,
                              "SELECT username FROM group_members WHERE group_name = ?1 AND ?2 = 'member'"
                              " ORDER BY position",
                              error);
  else
    stmt = rd_sqlite_prepare (db,
                              "SELECT value FROM group_rules WHERE group_name = ?1 AND kind = ?2"
                              " ORDER BY position",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "read group");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

static RdGroup *
group_from_row (sqlite3       *db,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  const char *name = (const char *) sqlite3_column_text (stmt, 0);
  g_autoptr(RdGroup) group = rd_group_new (name);
  g_auto(GStrv) members = NULL;
  g_auto(GStrv) areas = NULL;
  RdGroupStrategy strategy = RD_GROUP_STRATEGY_ROUND_ROBIN;

  if ((members = read_list (db, name, "member", error)) == NULL ||
      (areas = read_list (db, name, "area", error)) == NULL)
    return NULL;

  rd_group_strategy_from_string ((const char *) sqlite3_column_text (stmt, 2), &strategy);
  rd_group_set_description (group, (const char *) sqlite3_column_text (stmt, 1));
  rd_group_set_strategy (group, strategy);
  rd_group_set_members (group, (const char * const *) members);
  rd_group_set_areas (group, (const char * const *) areas);

  return g_steal_pointer (&group);
}

/**
 * rd_group_store_get_rules:
 *
 * Reads the category and location rules of @name into @rules (cleared first).
 */
gboolean
rd_group_store_get_rules (RdGroupStore  *self,
                          const char    *name,
                          RdGroupRules  *rules,
                          GError       **error)
{
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  rd_group_rules_clear (rules);
  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  if ((rules->categories = read_list (db, name, "category", error)) == NULL ||
      (rules->locations = read_list (db, name, "location", error)) == NULL)
    {
      rd_group_rules_clear (rules);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_group_store_get:
 * @rules: (out caller-allocates) (optional): the group's rules
 *
 * Returns: (transfer full): the group, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdGroup *
rd_group_store_get (RdGroupStore  *self,
                    const char    *name,
                    RdGroupRules  *rules,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RdGroup) group = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db, "SELECT name, description, strategy FROM groups WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_one (db, stmt, "get group", error, "No group “%.64s”", name))
    return NULL;

  group = group_from_row (db, stmt, error);
  if (group == NULL)
    return NULL;
  if (rules != NULL && !rd_group_store_get_rules (self, name, rules, error))
    return NULL;

  return g_steal_pointer (&group);
}

/**
 * rd_group_store_list:
 * @after: (nullable): the cursor: names sorting after it
 *
 * Returns: (transfer full): groups sorted by name
 */
GListModel *
rd_group_store_list (RdGroupStore  *self,
                     const char    *after,
                     guint          limit,
                     GError       **error)
{
  g_autoptr(GListStore) list = g_list_store_new (RD_TYPE_GROUP);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "SELECT name, description, strategy FROM groups WHERE name > ?1"
                            " ORDER BY name LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, after != NULL ? after : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RdGroup) group = group_from_row (db, stmt, error);

      if (group == NULL)
        return NULL;
      g_list_store_append (list, group);
    }
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "list groups");
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

/**
 * rd_group_store_get_user_groups:
 *
 * Returns: (transfer full): the names of the groups @username is a member of
 */
char **
rd_group_store_get_user_groups (RdGroupStore  *self,
                                const char    *username,
                                GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db, "SELECT group_name FROM group_members WHERE username = ?1 ORDER BY group_name",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "list user groups");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

gboolean
rd_group_store_get_absent (RdGroupStore  *self,
                           const char    *username,
                           gboolean      *absent,
                           GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  stmt = rd_sqlite_prepare (db, "SELECT absent FROM users WHERE username = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  if (!rd_sqlite_step_one (db, stmt, "get absent", error, "No user named “%.64s”", username))
    return FALSE;

  if (absent != NULL)
    *absent = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

gboolean
rd_group_store_set_absent (RdGroupStore  *self,
                           const char    *username,
                           gboolean       absent,
                           GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_GROUP_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  stmt = rd_sqlite_prepare (db, "UPDATE users SET absent = ?2 WHERE username = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, absent ? 1 : 0);
  if (!rd_sqlite_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No user named “%.64s”", username);
      return FALSE;
    }

  return TRUE;
}

/* GObject */

RdStore *
rd_group_store_get_store (RdGroupStore *self)
{
  g_return_val_if_fail (RD_IS_GROUP_STORE (self), NULL);

  return self->store;
}

static void
rd_group_store_finalize (GObject *object)
{
  RdGroupStore *self = (RdGroupStore *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rd_group_store_parent_class)->finalize (object);
}

static void
rd_group_store_class_init (RdGroupStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_group_store_finalize;
}

static void
rd_group_store_init (RdGroupStore *self)
{
}

RdGroupStore *
rd_group_store_new (RdStore *store)
{
  RdGroupStore *self;

  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  self = g_object_new (RD_TYPE_GROUP_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}
