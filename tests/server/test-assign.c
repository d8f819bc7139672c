/* test-assign.c: auto-assignment of tickets to groups and members, over HTTP
 * against an in-process daemon on a real sqlite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestAssign"

#include "config.h"

#include "rd-common.h"
#include "rd-test-people.h"

typedef RdTestPeople Fixture;

static void
make_group (Fixture    *f,
            const char *json)
{
  g_autofree char *name = rd_test_people_create (f, RD_API_PATH_GROUPS, f->root, json, "name");
}

/* Creates a ticket as ana with @members_json inside the object; returns its
 * number and sets the group and assignee it got. */
static char *
create_ticket (Fixture     *f,
               const char  *members_json,
               char       **group,
               char       **assignee)
{
  g_autofree char *json = g_strdup_printf ("{\"subject\":\"Smell of gas\"%s%s}",
                                           members_json != NULL ? "," : "",
                                           members_json != NULL ? members_json : "");
  Reply reply;
  char *number;

  rd_test_people_expect (f, "POST", RD_API_PATH_TICKETS, f->ana, json, 201, &reply);
  number = g_strdup (rd_test_member (reply.json, "number"));
  if (group != NULL)
    *group = g_strdup (rd_test_member (reply.json, "group"));
  if (assignee != NULL)
    *assignee = g_strdup (rd_test_member (reply.json, "assignee"));
  rd_test_reply_clear (&reply);

  return number;
}

static char *
assignee_of (Fixture    *f,
             const char *members_json)
{
  g_autofree char *number = NULL;
  char *assignee = NULL;

  number = create_ticket (f, members_json, NULL, &assignee);
  return assignee;
}

/* The note of the last history row of @field, and its new value. */
static char *
history_note (Fixture    *f,
              const char *number,
              const char *field,
              char      **new_value)
{
  g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s/history", number);
  JsonArray *items = NULL;
  char *note = NULL;
  Reply reply;

  rd_test_people_expect (f, "GET", path, f->sue, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = NULL;

      g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
      if (g_strcmp0 (rd_test_member (item, "field"), field) == 0)
        {
          g_free (note);
          note = g_strdup (rd_test_member (item, "note"));
          /* what the assigner did is the server's doing */
          if (note != NULL)
            g_assert_null (rd_test_member (item, "username"));
          if (new_value != NULL)
            {
              g_free (*new_value);
              *new_value = g_strdup (rd_test_member (item, "new_value"));
            }
        }
    }
  rd_test_reply_clear (&reply);

  return note;
}

/* PATCH /users/{username} as root with @json */
static void
patch_user (Fixture    *f,
            const char *username,
            const char *json)
{
  g_autofree char *path = g_strdup_printf (RD_API_PATH_USERS "/%s", username);
  Reply reply;

  rd_test_people_expect (f, "PATCH", path, f->root, json, 200, &reply);
  rd_test_reply_clear (&reply);
}

static void
on_assigned (RdTicketStore *store,
             RdTicket      *ticket,
             const char    *username,
             GPtrArray     *seen)
{
  g_assert_true (RD_IS_TICKET (ticket));
  g_assert_cmpstr (rd_ticket_get_assignee (ticket), ==, username);
  g_ptr_array_add (seen, g_strdup (username));
}

static void
test_round_robin (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const order[] = { "tim", "tom", "ted" };
  RdTicketStore *tickets = rd_server_get_ticket_store (rd_test_people_server (f));
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *number = NULL;
  g_autofree char *group = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *note = NULL;
  g_autofree char *group_note = NULL;
  g_autofree char *value = NULL;
  gulong id;

  make_group (f, "{\"name\":\"Gas-North\",\"members\":[\"tim\",\"tom\",\"ted\"],\"areas\":[\"Gas\"],"
                 "\"strategy\":\"round_robin\"}");
  id = g_signal_connect (tickets, "assigned", G_CALLBACK (on_assigned), seen);

  number = create_ticket (f, "\"area\":\"Gas\"", &group, &assignee);
  g_assert_cmpstr (group, ==, "Gas-North");
  g_assert_cmpstr (assignee, ==, "tim");

  /* the history says why, with the server as the actor */
  note = history_note (f, number, "assignee", &value);
  g_assert_cmpstr (note, ==, "assigned to tim by round_robin in group Gas-North");
  g_assert_cmpstr (value, ==, "tim");
  group_note = history_note (f, number, "group", NULL);
  g_assert_cmpstr (group_note, ==, "group Gas-North chosen by area “Gas”");

  /* 29 more: the members take turns, in order, and share them evenly */
  for (guint i = 1; i < 30; i++)
    {
      g_autofree char *who = assignee_of (f, "\"area\":\"gas\",\"priority\":\"high\"");

      g_assert_cmpstr (who, ==, order[i % 3]);
      g_hash_table_replace (counts, g_strdup (who),
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, who)) + 1));
    }
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "tim")), ==, 9);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "tom")), ==, 10);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "ted")), ==, 10);

  /* every assignment was signalled once */
  g_assert_cmpuint (seen->len, ==, 30);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "tim");
  g_signal_handler_disconnect (tickets, id);
}

static void
test_round_robin_persisted (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  make_group (f, "{\"name\":\"Water\",\"members\":[\"tim\",\"tom\",\"ted\"],\"areas\":[\"Water\"]}");
  first = assignee_of (f, "\"area\":\"Water\"");
  second = assignee_of (f, "\"area\":\"Water\"");
  g_assert_cmpstr (first, ==, "tim");
  g_assert_cmpstr (second, ==, "tom");

  /* the position survives a restart of the server */
  rd_test_people_restart (f);
  third = assignee_of (f, "\"area\":\"Water\"");
  g_assert_cmpstr (third, ==, "ted");
}

static void
test_skip_inactive_and_absent (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *group = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *note = NULL;
  g_autofree char *back = NULL;

  make_group (f, "{\"name\":\"Gas-North\",\"members\":[\"tim\",\"tom\",\"ted\"],\"areas\":[\"Gas\"]}");
  patch_user (f, "tom", "{\"absent\":true}");
  patch_user (f, "ted", "{\"active\":false}");

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *who = assignee_of (f, "\"area\":\"Gas\"");
      g_assert_cmpstr (who, ==, "tim");
    }

  /* a user marking themself absent counts too */
  {
    Reply reply;

    rd_test_people_expect (f, "PATCH", RD_API_PATH_ME, f->tim, "{\"absent\":true}", 200, &reply);
    rd_test_reply_clear (&reply);
  }

  /* nobody left: the ticket stays in the group, unassigned, and says why */
  number = create_ticket (f, "\"area\":\"Gas\"", &group, &assignee);
  g_assert_cmpstr (group, ==, "Gas-North");
  g_assert_null (assignee);
  note = history_note (f, number, "assignee", NULL);
  g_assert_cmpstr (note, ==, "no member available in group Gas-North");

  patch_user (f, "tom", "{\"absent\":false}");
  back = assignee_of (f, "\"area\":\"Gas\"");
  g_assert_cmpstr (back, ==, "tom");
}

static void
test_least_open (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *closed = NULL;
  g_autofree char *number = NULL;
  g_autofree char *note = NULL;

  make_group (f, "{\"name\":\"Field\",\"members\":[\"tim\",\"tom\",\"ted\"],\"areas\":[\"Field\"],"
                 "\"strategy\":\"least_open\"}");

  /* tim has 3 open tickets and tom one in progress; closed ones do not count */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *n = create_ticket (f, "\"assignee\":\"tim\"", NULL, NULL);
    }
  {
    g_autofree char *n = create_ticket (f, "\"assignee\":\"tom\"", NULL, NULL);
    g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s/transition", n);
    Reply reply;

    rd_test_people_expect (f, "POST", path, f->sue, "{\"to\":\"in_progress\"}", 200, &reply);
    rd_test_reply_clear (&reply);
  }
  {
    g_autofree char *n = create_ticket (f, "\"assignee\":\"ted\"", NULL, NULL);
    g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s/transition", n);
    Reply reply;

    rd_test_people_expect (f, "POST", path, f->sue, "{\"to\":\"cancelled\"}", 200, &reply);
    rd_test_reply_clear (&reply);
  }

  number = create_ticket (f, "\"area\":\"Field\"", NULL, &closed);
  g_assert_cmpstr (closed, ==, "ted");
  note = history_note (f, number, "assignee", NULL);
  g_assert_cmpstr (note, ==, "assigned to ted by least_open in group Field");

  /* 11 more: ted catches up with tom, then both with tim, then all share */
  for (guint i = 0; i < 11; i++)
    {
      g_autofree char *who = assignee_of (f, "\"area\":\"Field\"");

      g_hash_table_replace (counts, g_strdup (who),
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, who)) + 1));
    }
  /* ties go to the member listed first: tom, ted, tom, ted, then tim, tom,
   * ted in turn; open + in_progress end at tim 3 + 3, tom 1 + 4, ted 1 + 4 */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "tim")), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "tom")), ==, 4);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "ted")), ==, 4);
}

static void
test_random (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint n = 300;

  make_group (f, "{\"name\":\"Lottery\",\"members\":[\"tim\",\"tom\",\"ted\",\"sue\"],\"areas\":[\"Any\"],"
                 "\"strategy\":\"random\"}");
  patch_user (f, "sue", "{\"absent\":true}");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *who = assignee_of (f, "\"area\":\"Any\"");

      g_assert_nonnull (who);
      g_hash_table_replace (counts, g_strdup (who),
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, who)) + 1));
    }

  /* never the absent member; each of the three gets about a third (100 ± 8
   * standard deviations: 50 is more than six away) */
  g_assert_false (g_hash_table_contains (counts, "sue"));
  g_assert_cmpuint (g_hash_table_size (counts), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "tim")), >, 50);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "tom")), >, 50);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "ted")), >, 50);
}

static void
test_group_rules (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *loc = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue,
                                                "{\"name\":\"Plant 1\"}", "id");
  g_autofree char *other = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue,
                                                  "{\"name\":\"Plant 2\"}", "id");
  g_autofree char *json = NULL;
  static const struct
  {
    const char *members;
    const char *group;
  } cases[] = {
    { "\"area\":\"Gas\"", "A-gas" },
    { "\"area\":\"Gas\",\"category\":\"Other\"", "A-gas" },
    { "\"area\":\"Gas\",\"category\":\"leak\"", "B-gas-leak" },
    { "\"area\":\"Gas\",\"category\":\"Leak\",\"location_id\":\"2\"", "B-gas-leak" },
    { "\"area\":\"Gas\",\"category\":\"Leak\",\"location_id\":\"1\"", "C-gas-leak-plant1" },
    { "\"area\":\"Water\",\"location_id\":\"1\"", "D-plant1" },
    { "\"category\":\"Leak\"", "E-leak" },
    { "\"area\":\"Power\"", NULL },
    { NULL, NULL },
  };

  g_assert_cmpstr (loc, ==, "1");
  g_assert_cmpstr (other, ==, "2");
  make_group (f, "{\"name\":\"A-gas\",\"members\":[\"tim\"],\"areas\":[\"Gas\"]}");
  make_group (f, "{\"name\":\"B-gas-leak\",\"members\":[\"tom\"],\"areas\":[\"Gas\"],\"categories\":[\"Leak\"]}");
  json = g_strdup_printf ("{\"name\":\"C-gas-leak-plant1\",\"members\":[\"ted\"],\"areas\":[\"Gas\"],"
                          "\"categories\":[\"Leak\"],\"locations\":[\"%s\"]}", loc);
  make_group (f, json);
  make_group (f, "{\"name\":\"D-plant1\",\"members\":[\"tim\"],\"locations\":[\"1\"]}");
  make_group (f, "{\"name\":\"E-leak\",\"members\":[\"tim\"],\"categories\":[\"Leak\"]}");
  /* a group without rules takes only tickets sent to it */
  make_group (f, "{\"name\":\"F-catch-all\",\"members\":[\"tom\"]}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = NULL;
      g_autofree char *group = NULL;
      g_autofree char *assignee = NULL;

      number = create_ticket (f, cases[i].members, &group, &assignee);
      g_test_message ("%s → %s", cases[i].members, group);
      g_assert_cmpstr (group, ==, cases[i].group);
      if (cases[i].group == NULL)
        g_assert_null (assignee);
      else
        g_assert_nonnull (assignee);
    }

  /* sent to a group: that group, whatever the rules say */
  {
    g_autofree char *number = NULL;
    g_autofree char *group = NULL;
    g_autofree char *assignee = NULL;
    g_autofree char *note = NULL;

    number = create_ticket (f, "\"area\":\"Gas\",\"group\":\"F-catch-all\"", &group, &assignee);
    g_assert_cmpstr (group, ==, "F-catch-all");
    g_assert_cmpstr (assignee, ==, "tom");
    note = history_note (f, number, "group", NULL);
    g_assert_null (note);
  }

  /* a named assignee is kept */
  {
    g_autofree char *number = NULL;
    g_autofree char *group = NULL;
    g_autofree char *assignee = NULL;

    number = create_ticket (f, "\"area\":\"Gas\",\"assignee\":\"ted\"", &group, &assignee);
    g_assert_null (group);
    g_assert_cmpstr (assignee, ==, "ted");
  }

  rd_test_people_expect_error (f, "POST", RD_API_PATH_TICKETS, f->ana,
                               "{\"subject\":\"x\",\"group\":\"Nope\"}", 422, "invalid_field");
}

static void
test_moved_to_group (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;
  g_autofree char *note = NULL;
  g_autofree char *group = NULL;
  g_autofree char *assignee = NULL;
  Reply reply;

  make_group (f, "{\"name\":\"Gas-North\",\"members\":[\"tom\",\"ted\"],\"areas\":[\"Gas\"]}");
  make_group (f, "{\"name\":\"Empty\",\"members\":[]}");

  number = create_ticket (f, "\"area\":\"Power\"", &group, &assignee);
  g_assert_null (group);
  g_assert_null (assignee);
  path = g_strdup_printf (RD_API_PATH_TICKETS "/%s", number);

  /* moved to a group without an assignee: the group's strategy picks */
  rd_test_people_expect (f, "PATCH", path, f->sue, "{\"group\":\"Gas-North\"}", 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "group"), ==, "Gas-North");
  g_assert_cmpstr (rd_test_member (reply.json, "assignee"), ==, "tom");
  rd_test_reply_clear (&reply);
  note = history_note (f, number, "assignee", NULL);
  g_assert_cmpstr (note, ==, "assigned to tom by round_robin in group Gas-North");

  /* moved again with an assignee named: kept */
  rd_test_people_expect (f, "PATCH", path, f->sue, "{\"group\":\"Empty\",\"assignee\":\"tim\"}", 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "assignee"), ==, "tim");
  rd_test_reply_clear (&reply);

  /* moved back with the assignee cleared: picked again */
  rd_test_people_expect (f, "PATCH", path, f->sue, "{\"group\":\"Gas-North\",\"assignee\":null}", 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "assignee"), ==, "ted");
  rd_test_reply_clear (&reply);

  /* to a group nobody can take it in */
  rd_test_people_expect (f, "PATCH", path, f->sue, "{\"group\":\"Empty\",\"assignee\":null}", 200, &reply);
  g_assert_null (rd_test_member (reply.json, "assignee"));
  rd_test_reply_clear (&reply);
  g_clear_pointer (&note, g_free);
  note = history_note (f, number, "assignee", NULL);
  g_assert_cmpstr (note, ==, "no member available in group Empty");

  /* other edits do not reassign */
  rd_test_people_expect (f, "PATCH", path, f->sue, "{\"priority\":\"urgent\"}", 200, &reply);
  g_assert_null (rd_test_member (reply.json, "assignee"));
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"group\":\"Nope\"}", 422, "invalid_field");
}

static gboolean
list_has (Fixture    *f,
          const char *token,
          const char *number)
{
  JsonArray *items = NULL;
  gboolean found = FALSE;
  Reply reply;

  rd_test_people_expect (f, "GET", RD_API_PATH_TICKETS, token, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = NULL;

      g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
      found |= g_strcmp0 (rd_test_member (item, "number"), number) == 0;
    }
  rd_test_reply_clear (&reply);

  return found;
}

static void
test_group_visibility (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *path = NULL;
  Reply reply;

  make_group (f, "{\"name\":\"Gas-North\",\"members\":[\"tim\",\"ted\"],\"areas\":[\"Gas\"]}");
  number = create_ticket (f, "\"area\":\"Gas\"", NULL, &assignee);
  g_assert_cmpstr (assignee, ==, "tim");
  path = g_strdup_printf (RD_API_PATH_TICKETS "/%s", number);

  /* technicians see and work the tickets of their groups, not of others */
  g_assert_true (list_has (f, f->tim, number));
  g_assert_true (list_has (f, f->ted, number));
  g_assert_false (list_has (f, f->tom, number));
  rd_test_people_expect (f, "GET", path, f->ted, NULL, 200, &reply);
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "PATCH", path, f->ted, "{\"assignee\":\"ted\"}", 200, &reply);
  rd_test_reply_clear (&reply);
  rd_test_people_expect_error (f, "GET", path, f->tom, NULL, 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", path, f->tom, "{\"priority\":\"low\"}", 403, "forbidden");

  /* leaving the group ends it */
  {
    Reply patched;

    rd_test_people_expect (f, "PATCH", RD_API_PATH_GROUPS "/Gas-North", f->root, "{\"members\":[\"tim\"]}",
                           200, &patched);
    rd_test_reply_clear (&patched);
  }
  g_assert_true (list_has (f, f->ted, number));  /* still assigned to ted */
  rd_test_people_expect (f, "PATCH", path, f->sue, "{\"assignee\":\"tim\"}", 200, &reply);
  rd_test_reply_clear (&reply);
  g_assert_false (list_has (f, f->ted, number));
  rd_test_people_expect_error (f, "GET", path, f->ted, NULL, 403, "forbidden");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  rd_test_people_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, rd_test_people_set_up, func, rd_test_people_tear_down)

  ADD ("/assign/round-robin", test_round_robin);
  ADD ("/assign/round-robin-persisted", test_round_robin_persisted);
  ADD ("/assign/skip-inactive-and-absent", test_skip_inactive_and_absent);
  ADD ("/assign/least-open", test_least_open);
  ADD ("/assign/random", test_random);
  ADD ("/assign/group-rules", test_group_rules);
  ADD ("/assign/moved-to-group", test_moved_to_group);
  ADD ("/assign/group-visibility", test_group_visibility);

#undef ADD

  return g_test_run ();
}
