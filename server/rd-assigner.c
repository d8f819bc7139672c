/* rd-assigner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Auto-assignment. A ticket without an assignee goes to a group, then to a
 * member of it:
 *
 *  1. The group: the one given (a ticket created in, or moved to, a group),
 *     else the best-matching group. A group matches when every kind of rule it
 *     has is met: its areas contain the ticket's area, its categories the
 *     category, its locations the location id (areas and categories compare
 *     ASCII case-insensitively). A group without any rule only takes tickets
 *     sent to it. Among matching groups an area rule counts most, then a
 *     category rule, then a location rule ("by area, then category and
 *     location"); a tie goes to the name that sorts first.
 *  2. The member, by the group's strategy, skipping inactive and absent
 *     users: round_robin goes on from the member after the last one chosen
 *     (the position is stored in groups.next_position), least_open takes the
 *     member with the fewest open and in_progress tickets (a tie goes to the
 *     one listed first), random picks uniformly.
 *
 * rd_assigner_choose() runs inside the caller's transaction (the ticket
 * store's), so the round-robin position moves only if the ticket is stored.
 */

#define G_LOG_DOMAIN "RdAssigner"

#include "config.h"

#include <sqlite3.h>

#include "rd-assigner.h"
#include "rd-check.h"
#include "rd-error.h"
#include "rd-sqlite.h"
#include "rd-util.h"

struct _RdAssigner
{
  GObject       parent_instance;

  RdGroupStore *groups;
};

G_DEFINE_FINAL_TYPE (RdAssigner, rd_assigner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_GROUPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char     *username;
  gboolean  eligible;
  gint64    open;
} Member;

static void
member_clear (gpointer data)
{
  Member *member = data;

  g_free (member->username);
}

void
rd_assignment_clear (RdAssignment *assignment)
{
  g_clear_pointer (&assignment->group, g_free);
  g_clear_pointer (&assignment->group_reason, g_free);
  g_clear_pointer (&assignment->assignee, g_free);
  g_clear_pointer (&assignment->reason, g_free);
}

/* Finds the best group for the ticket's area, category and location; leaves
 * assignment->group NULL when none matches. */
static gboolean
choose_group (sqlite3       *db,
              const char    *area,
              const char    *category,
              const char    *location_id,
              RdAssignment  *assignment,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int best_score = 0;
  int rc;

  stmt = rd_sqlite_prepare (db,
                            "SELECT g.name,"
                            " EXISTS (SELECT 1 FROM group_rules r WHERE r.group_name = g.name AND r.kind = 'area'),"
                            " EXISTS (SELECT 1 FROM group_rules r WHERE r.group_name = g.name AND r.kind = 'area'"
                            "   AND r.value = ?1 COLLATE NOCASE),"
                            " EXISTS (SELECT 1 FROM group_rules r WHERE r.group_name = g.name AND r.kind = 'category'),"
                            " EXISTS (SELECT 1 FROM group_rules r WHERE r.group_name = g.name AND r.kind = 'category'"
                            "   AND r.value = ?2 COLLATE NOCASE),"
                            " EXISTS (SELECT 1 FROM group_rules r WHERE r.group_name = g.name AND r.kind = 'location'),"
                            " EXISTS (SELECT 1 FROM group_rules r WHERE r.group_name = g.name AND r.kind = 'location'"
                            "   AND r.value = ?3)"
                            " FROM groups g ORDER BY g.name",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, area != NULL ? area : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, category != NULL ? category : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, location_id != NULL ? location_id : "", -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean has_area = sqlite3_column_int (stmt, 1) != 0;
      gboolean area_ok = sqlite3_column_int (stmt, 2) != 0;
      gboolean has_category = sqlite3_column_int (stmt, 3) != 0;
      gboolean category_ok = sqlite3_column_int (stmt, 4) != 0;
      gboolean has_location = sqlite3_column_int (stmt, 5) != 0;
      gboolean location_ok = sqlite3_column_int (stmt, 6) != 0;
      int score;

      if ((has_area && !area_ok) || (has_category && !category_ok) || (has_location && !location_ok))
        continue;

      score = (has_area ? 4 : 0) + (has_category ? 2 : 0) + (has_location ? 1 : 0);
      if (score > best_score)
        {
          g_autoptr(GString) why = g_string_new (NULL);

          best_score = score;
          rd_set_str (&assignment->group, (const char *) sqlite3_column_text (stmt, 0));

          g_string_printf (why, "group %s chosen by", assignment->group);
          if (has_area)
            g_string_append_printf (why, " area “%s”", area);
          if (has_category)
            g_string_append_printf (why, "%s category “%s”", has_area ? "," : "", category);
          if (has_location)
            g_string_append_printf (why, "%s location %s", has_area || has_category ? "," : "",
                                    location_id);
          g_free (assignment->group_reason);
          assignment->group_reason = g_string_free (g_steal_pointer (&why), FALSE);
        }
    }
  if (rc != SQLITE_DONE)
    return rd_sqlite_set_error (db, error, "choose group");

  return TRUE;
}

static gboolean
read_group (sqlite3          *db,
            const char       *group,
            RdGroupStrategy  *strategy,
            gint64           *next_position,
            GArray           *members,
            GError          **error)
{
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  head = rd_sqlite_prepare (db, "SELECT strategy, next_position FROM groups WHERE name = ?1", error);
  if (head == NULL)
    return FALSE;
  sqlite3_bind_text (head, 1, group, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (head);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Field “group” names no group “%.64s”", group);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return rd_sqlite_set_error (db, error, "read group");

  *strategy = RD_GROUP_STRATEGY_ROUND_ROBIN;
  rd_group_strategy_from_string ((const char *) sqlite3_column_text (head, 0), strategy);
  *next_position = sqlite3_column_int64 (head, 1);

  stmt = rd_sqlite_prepare (db,
                            "SELECT m.username, u.active = 1 AND u.absent = 0,"
                            " (SELECT count(*) FROM tickets t WHERE t.assignee = m.username"
                            "   AND t.state IN ('open', 'in_progress'))"
                            " FROM group_members m JOIN users u ON u.username = m.username"
                            " WHERE m.group_name = ?1 ORDER BY m.position",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Member member;

      member.username = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      member.eligible = sqlite3_column_int (stmt, 1) != 0;
      member.open = sqlite3_column_int64 (stmt, 2);
      g_array_append_val (members, member);
    }
  if (rc != SQLITE_DONE)
    return rd_sqlite_set_error (db, error, "read group members");

  return TRUE;
}

static gboolean
save_position (sqlite3     *db,
               const char  *group,
               gint64       position,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rd_sqlite_prepare (db, "UPDATE groups SET next_position = ?2 WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, position);

  return rd_sqlite_step_done (db, stmt, error);
}

/* Returns the index of the chosen member, or -1 when none is eligible. */
static gint
choose_member (sqlite3          *db,
               const char       *group,
               RdGroupStrategy   strategy,
               gint64            next_position,
               GArray           *members,
               GError          **error)
{
  guint n = members->len;
  guint n_eligible = 0;
  gint chosen = -1;

  for (guint i = 0; i < n; i++)
    n_eligible += g_array_index (members, Member, i).eligible ? 1 : 0;
  if (n_eligible == 0)
    return -1;

  switch (strategy)
    {
    case RD_GROUP_STRATEGY_LEAST_OPEN:
      for (guint i = 0; i < n; i++)
        {
          Member *m = &g_array_index (members, Member, i);

          if (m->eligible && (chosen < 0 || m->open < g_array_index (members, Member, chosen).open))
            chosen = (gint) i;
        }
      break;

    case RD_GROUP_STRATEGY_RANDOM:
      {
        guint pick = (guint) g_random_int_range (0, (gint32) n_eligible);

        for (guint i = 0; i < n && chosen < 0; i++)
          {
            if (!g_array_index (members, Member, i).eligible)
              continue;
            if (pick == 0)
              chosen = (gint) i;
            else
              pick--;
          }
      }
      break;

    case RD_GROUP_STRATEGY_ROUND_ROBIN:
    default:
      {
        guint start = (guint) (CLAMP (next_position, 0, G_MAXINT32) % n);

        for (guint k = 0; k < n; k++)
          {
            guint i = (start + k) % n;

            if (g_array_index (members, Member, i).eligible)
              {
                chosen = (gint) i;
                break;
              }
          }
        if (chosen >= 0 && !save_position (db, group, ((guint) chosen + 1) % n, error))
          return -2;
      }
      break;
    }

  return chosen;
}

/**
 * rd_assigner_choose:
 * @group: (nullable): the ticket's group; %NULL to find one by the rules
 * @area: (nullable): the ticket's area
 * @category: (nullable): the ticket's category
 * @location_id: (nullable): the ticket's location id
 * @assignment: (out caller-allocates): the result, cleared first
 *
 * Decides where a ticket without an assignee goes. Call it inside the
 * transaction that writes the ticket. Without a group and no matching one,
 * returns %TRUE with @assignment->group %NULL: the ticket stays unassigned.
 * A @group that does not exist is %RD_ERROR_INVALID_FIELD.
 */
gboolean
rd_assigner_choose (RdAssigner    *self,
                    const char    *group,
                    const char    *area,
                    const char    *category,
                    const char    *location_id,
                    RdAssignment  *assignment,
                    GError       **error)
{
  g_autoptr(GArray) members = g_array_new (FALSE, TRUE, sizeof (Member));
  RdGroupStrategy strategy = RD_GROUP_STRATEGY_ROUND_ROBIN;
  gint64 next_position = 0;
  sqlite3 *db;
  gint chosen;

  g_return_val_if_fail (RD_IS_ASSIGNER (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  rd_assignment_clear (assignment);
  g_array_set_clear_func (members, member_clear);

  db = rd_check_connection (rd_group_store_get_store (self->groups), error);
  if (db == NULL)
    return FALSE;

  if (group != NULL)
    assignment->group = g_strdup (group);
  else if (!choose_group (db, area, category, location_id, assignment, error))
    goto fail;

  if (assignment->group == NULL)
    return TRUE;

  if (!read_group (db, assignment->group, &strategy, &next_position, members, error))
    goto fail;

  chosen = choose_member (db, assignment->group, strategy, next_position, members, error);
  if (chosen == -2)
    goto fail;

  if (chosen < 0)
    {
      assignment->reason = g_strdup_printf ("no member available in group %s", assignment->group);
      return TRUE;
    }

  assignment->assignee = g_strdup (g_array_index (members, Member, chosen).username);
  assignment->reason = g_strdup_printf ("assigned to %s by %s in group %s", assignment->assignee,
                                        rd_group_strategy_to_string (strategy), assignment->group);
  return TRUE;

fail:
  rd_assignment_clear (assignment);
  return FALSE;
}

/* GObject */

static void
rd_assigner_finalize (GObject *object)
{
  RdAssigner *self = (RdAssigner *) object;

  g_clear_object (&self->groups);

  G_OBJECT_CLASS (rd_assigner_parent_class)->finalize (object);
}

static void
rd_assigner_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RdAssigner *self = RD_ASSIGNER (object);

  switch (prop_id)
    {
    case PROP_GROUPS:
      g_value_set_object (value, self->groups);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_assigner_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RdAssigner *self = RD_ASSIGNER (object);

  switch (prop_id)
    {
    case PROP_GROUPS:
      self->groups = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_assigner_class_init (RdAssignerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_assigner_finalize;
  object_class->get_property = rd_assigner_get_property;
  object_class->set_property = rd_assigner_set_property;

  properties[PROP_GROUPS] =
    g_param_spec_object ("groups", NULL, NULL, RD_TYPE_GROUP_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_assigner_init (RdAssigner *self)
{
}

RdAssigner *
rd_assigner_new (RdGroupStore *groups)
{
  g_return_val_if_fail (RD_IS_GROUP_STORE (groups), NULL);

  return g_object_new (RD_TYPE_ASSIGNER, "groups", groups, NULL);
}
