/* test-groups.c: the group routes and the absent flag, over HTTP against an
 * in-process daemon on a real sqlite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestGroups"

#include "config.h"

#include "rd-common.h"
#include "rd-test-people.h"

typedef RdTestPeople Fixture;

#define GROUP_JSON \
  "{\"name\":\"Gas-North\",\"description\":\"Gas, north side\",\"members\":[\"tim\",\"tom\"]," \
  "\"areas\":[\"Gas\"],\"strategy\":\"round_robin\",\"categories\":[\"Leak\"]}"

static void
assert_strv_member (JsonObject         *object,
                    const char         *name,
                    const char * const *expected)
{
  g_auto(GStrv) values = NULL;

  g_assert_true (rd_json_dup_strv (object, name, RD_JSON_REQUIRED, &values, NULL));
  g_assert_true (g_strv_equal ((const char * const *) values, expected));
}

static void
test_create_and_get (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const members[] = { "tim", "tom", NULL };
  static const char * const areas[] = { "Gas", NULL };
  static const char * const categories[] = { "Leak", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(RdGroup) group = NULL;
  g_autoptr(GError) error = NULL;
  Reply reply;

  rd_test_people_expect (f, "POST", RD_API_PATH_GROUPS, f->root, GROUP_JSON, 201, &reply);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==,
                   RD_API_PATH_GROUPS "/Gas-North");
  /* the reply is a group object of API.md plus the rules */
  group = rd_codec_new_from_json (RD_TYPE_GROUP, reply.json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_group_get_name (group), ==, "Gas-North");
  g_assert_cmpstr (rd_group_get_description (group), ==, "Gas, north side");
  g_assert_true (g_strv_equal (rd_group_get_members (group), members));
  g_assert_true (g_strv_equal (rd_group_get_areas (group), areas));
  g_assert_cmpint (rd_group_get_strategy (group), ==, RD_GROUP_STRATEGY_ROUND_ROBIN);
  assert_strv_member (reply.json, "categories", categories);
  assert_strv_member (reply.json, "locations", none);
  rd_test_reply_clear (&reply);

  /* everyone signed in reads it */
  rd_test_people_expect (f, "GET", RD_API_PATH_GROUPS "/Gas-North", f->tim, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Gas-North");
  assert_strv_member (reply.json, "members", members);
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "GET", RD_API_PATH_GROUPS "/Gas-North", f->ana, NULL, 200, &reply);
  rd_test_reply_clear (&reply);

  /* a name that needs escaping in the path, and reads back through it */
  rd_test_people_expect (f, "POST", RD_API_PATH_GROUPS, f->root,
                         "{\"name\":\"Gas Süd 2\",\"strategy\":\"random\"}", 201, &reply);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==,
                   RD_API_PATH_GROUPS "/Gas%20S%C3%BCd%202");
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "GET", RD_API_PATH_GROUPS "/Gas%20S%C3%BCd%202", f->tim, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "strategy"), ==, "random");
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "POST", RD_API_PATH_GROUPS, f->root, GROUP_JSON, 409, "conflict");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_GROUPS "/nope", f->ana, NULL, 404, "not_found");
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *next = NULL;
  JsonArray *items = NULL;
  JsonObject *item = NULL;
  const char *cursor = NULL;
  Reply reply;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"name\":\"g%u\",\"members\":[\"tim\"]}", i);
      g_autofree char *name = rd_test_people_create (f, RD_API_PATH_GROUPS, f->root, json, "name");
    }

  rd_test_people_expect (f, "GET", RD_API_PATH_GROUPS "?limit=3", f->tom, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_true (rd_json_array_get_object (items, 0, &item, NULL));
  g_assert_cmpstr (rd_test_member (item, "name"), ==, "g0");
  g_assert_true (rd_json_has_member (item, "categories"));
  g_assert_true (rd_json_get_string (reply.json, "next_cursor", RD_JSON_REQUIRED, &cursor, NULL));
  g_assert_cmpstr (cursor, ==, "g2");
  next = g_strdup_printf (RD_API_PATH_GROUPS "?limit=3&cursor=%s", cursor);
  rd_test_reply_clear (&reply);

  rd_test_people_expect (f, "GET", next, f->tom, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_true (rd_json_array_get_object (items, 1, &item, NULL));
  g_assert_cmpstr (rd_test_member (item, "name"), ==, "g4");
  g_assert_null (rd_test_member (reply.json, "next_cursor"));
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "GET", RD_API_PATH_GROUPS "?limit=0", f->tom, NULL, 422, "invalid_field");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_GROUPS, NULL, NULL, 401, "unauthorized");
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  static const struct
  {
    const char *json;
    guint       status;
    const char *code;
  } cases[] = {
    { "{}", 422, "missing_field" },
    { "{\"description\":\"x\"}", 422, "missing_field" },
    { "{\"name\":\"\"}", 422, "invalid_field" },
    { "{\"name\":\"   \"}", 422, "invalid_field" },
    { "{\"name\":3}", 422, "invalid_field" },
    { "{\"name\":null}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"members\":\"tim\"}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"members\":[1]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"members\":[\"nobody\"]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"members\":[\"not valid\"]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"areas\":[\"\"]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"areas\":{}}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"strategy\":\"fastest\"}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"strategy\":null}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"categories\":[\"\"]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"categories\":\"Leak\"}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"locations\":[\"99\"]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"locations\":[\"x\"]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"locations\":[7]}", 422, "invalid_field" },
    { "{\"name\":\"a\",\"color\":\"red\"}", 422, "invalid_field" },
    { "{\"name\":\"a\\u0001b\"}", 422, "invalid_field" },
    { "{\"name\":\"North/South\"}", 422, "invalid_field" },
  };
  g_autofree char *long_name = g_strnfill (RD_GROUP_MAX_NAME + 1, 'n');
  g_autofree char *long_json = g_strdup_printf ("{\"name\":\"%s\"}", long_name);
  Reply reply;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    rd_test_people_expect_error (f, "POST", RD_API_PATH_GROUPS, f->root, cases[i].json,
                                 cases[i].status, cases[i].code);
  rd_test_people_expect_error (f, "POST", RD_API_PATH_GROUPS, f->root, long_json, 422, "invalid_field");
  rd_test_people_common_errors (f, "POST", RD_API_PATH_GROUPS, f->root);

  /* nothing was stored by any of them */
  rd_test_people_expect (f, "GET", RD_API_PATH_GROUPS, f->root, NULL, 200, &reply);
  {
    JsonArray *items = NULL;

    g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
    g_assert_cmpuint (json_array_get_length (items), ==, 0);
  }
  rd_test_reply_clear (&reply);
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *name = rd_test_people_create (f, RD_API_PATH_GROUPS, f->root, GROUP_JSON, "name");
  const char *path = RD_API_PATH_GROUPS "/Gas-North";

  /* only admins write */
  rd_test_people_expect_error (f, "POST", RD_API_PATH_GROUPS, f->sue, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_GROUPS, f->ana, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_GROUPS, f->tim, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"strategy\":\"random\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", path, f->ana, "{\"strategy\":\"random\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", path, f->tim, "{\"strategy\":\"random\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", path, NULL, "{\"strategy\":\"random\"}", 401, "unauthorized");
  rd_test_people_expect_error (f, "GET", path, NULL, NULL, 401, "unauthorized");
  rd_test_people_expect_error (f, "DELETE", path, f->root, NULL, 405, "method_not_allowed");
}

static void
test_patch (Fixture       *f,
            gconstpointer  data)
{
  static const char * const members[] = { "ted", "tim", NULL };
  static const char * const areas[] = { "Gas", NULL };
  static const char * const locations[] = { "1", NULL };
  g_autofree char *name = rd_test_people_create (f, RD_API_PATH_GROUPS, f->root, GROUP_JSON, "name");
  g_autofree char *location = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue,
                                                     "{\"name\":\"Plant 1\"}", "id");
  const char *path = RD_API_PATH_GROUPS "/Gas-North";
  Reply reply;

  rd_test_people_expect (f, "PATCH", path, f->root,
                         "{\"members\":[\"ted\",\"tim\"],\"strategy\":\"least_open\",\"locations\":[\"1\"]}",
                         200, &reply);
  assert_strv_member (reply.json, "members", members);
  assert_strv_member (reply.json, "areas", areas);
  assert_strv_member (reply.json, "locations", locations);
  g_assert_cmpstr (rd_test_member (reply.json, "strategy"), ==, "least_open");
  g_assert_cmpstr (rd_test_member (reply.json, "description"), ==, "Gas, north side");
  rd_test_reply_clear (&reply);

  /* stored, not only answered */
  rd_test_people_expect (f, "GET", path, f->ana, NULL, 200, &reply);
  assert_strv_member (reply.json, "members", members);
  g_assert_cmpstr (rd_test_member (reply.json, "strategy"), ==, "least_open");
  rd_test_reply_clear (&reply);

  /* the same name is fine, another is not */
  rd_test_people_expect (f, "PATCH", path, f->root, "{\"name\":\"Gas-North\"}", 200, &reply);
  rd_test_reply_clear (&reply);
  rd_test_people_expect_error (f, "PATCH", path, f->root, "{\"name\":\"Gas-South\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->root, "{\"members\":[\"ghost\"]}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->root, "{\"members\":null}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->root, "{\"strategy\":1}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->root, "{\"locations\":[\"2\"]}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->root, "{\"owner\":\"tim\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_GROUPS "/nope", f->root, "{}", 404, "not_found");
  rd_test_people_common_errors (f, "PATCH", path, f->root);

  /* a refused PATCH changed nothing */
  rd_test_people_expect (f, "GET", path, f->ana, NULL, 200, &reply);
  assert_strv_member (reply.json, "members", members);
  assert_strv_member (reply.json, "locations", locations);
  rd_test_reply_clear (&reply);
}

static gboolean
get_absent (JsonObject *object)
{
  gboolean absent = FALSE;

  g_assert_true (rd_json_get_boolean (object, "absent", RD_JSON_REQUIRED, &absent, NULL));
  return absent;
}

static void
test_absent (Fixture       *f,
             gconstpointer  data)
{
  RdGroupStore *groups = rd_server_get_group_store (rd_test_people_server (f));
  g_autoptr(GError) error = NULL;
  gboolean absent = TRUE;
  Reply reply;

  g_assert_true (rd_group_store_get_absent (groups, "tim", &absent, &error));
  g_assert_no_error (error);
  g_assert_false (absent);

  /* an admin marks a user absent */
  rd_test_people_expect (f, "PATCH", RD_API_PATH_USERS "/tim", f->root, "{\"absent\":true}", 200, &reply);
  g_assert_true (get_absent (reply.json));
  g_assert_cmpstr (rd_test_member (reply.json, "username"), ==, "tim");
  rd_test_reply_clear (&reply);
  g_assert_true (rd_group_store_get_absent (groups, "tim", &absent, &error));
  g_assert_true (absent);

  rd_test_people_expect (f, "GET", RD_API_PATH_USERS "/tim", f->root, NULL, 200, &reply);
  g_assert_true (get_absent (reply.json));
  rd_test_reply_clear (&reply);

  /* with a password change in the same PATCH (hashed asynchronously) */
  rd_test_people_expect (f, "PATCH", RD_API_PATH_USERS "/tom", f->root,
                         "{\"absent\":true,\"password\":\"another-pass1\"}", 200, &reply);
  g_assert_true (get_absent (reply.json));
  rd_test_reply_clear (&reply);
  g_assert_true (rd_group_store_get_absent (groups, "tom", &absent, &error));
  g_assert_true (absent);

  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_USERS "/tim", f->root, "{\"absent\":\"yes\"}",
                               422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_USERS "/tim", f->root, "{\"absent\":null}",
                               422, "invalid_field");

  /* users mark themselves, and only themselves */
  rd_test_people_expect (f, "PATCH", RD_API_PATH_ME, f->ted, "{\"absent\":true}", 200, &reply);
  g_assert_true (get_absent (reply.json));
  g_assert_cmpstr (rd_test_member (reply.json, "username"), ==, "ted");
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "PATCH", RD_API_PATH_ME, f->ted, "{\"absent\":false}", 200, &reply);
  g_assert_false (get_absent (reply.json));
  rd_test_reply_clear (&reply);
  g_assert_true (rd_group_store_get_absent (groups, "ted", &absent, &error));
  g_assert_false (absent);
  rd_test_people_expect (f, "GET", RD_API_PATH_ME, f->tim, NULL, 200, &reply);
  g_assert_true (get_absent (reply.json));
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "GET", RD_API_PATH_ME, f->ted, NULL, 200, &reply);
  g_assert_false (get_absent (reply.json));
  rd_test_reply_clear (&reply);

  /* the user list says it too */
  rd_test_people_expect (f, "GET", RD_API_PATH_USERS, f->root, NULL, 200, &reply);
  {
    JsonArray *items = NULL;
    guint n_absent = 0;

    g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
    g_assert_cmpuint (json_array_get_length (items), ==, 6);
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = NULL;

        g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
        if (get_absent (item))
          {
            const char *name = rd_test_member (item, "username");

            g_assert_true (g_str_equal (name, "tim") || g_str_equal (name, "tom"));
            n_absent++;
          }
      }
    g_assert_cmpuint (n_absent, ==, 2);
  }
  rd_test_reply_clear (&reply);

  /* an empty PATCH changes nothing and says how things are */
  rd_test_people_expect (f, "PATCH", RD_API_PATH_ME, f->tim, "{}", 200, &reply);
  g_assert_true (get_absent (reply.json));
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_ME, f->ted, "{\"absent\":1}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_ME, f->ted, "{\"roles\":[\"admin\"]}", 422,
                               "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_USERS "/tim", f->tim, "{\"absent\":false}", 403,
                               "forbidden");
  rd_test_people_common_errors (f, "PATCH", RD_API_PATH_ME, f->ted);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  rd_test_people_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, rd_test_people_set_up, func, rd_test_people_tear_down)

  ADD ("/groups/create-and-get", test_create_and_get);
  ADD ("/groups/list", test_list);
  ADD ("/groups/invalid", test_invalid);
  ADD ("/groups/roles", test_roles);
  ADD ("/groups/patch", test_patch);
  ADD ("/groups/absent", test_absent);

#undef ADD

  return g_test_run ();
}
