/* test-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"

static void
test_user_round_trip (void)
{
  static const char * const roles[] = { "agent", "technician", NULL };
  g_autoptr(RdUser) user = rd_user_new ("tech2");
  g_autoptr(RdUser) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  rd_user_set_display_name (user, "Teresa Técnica");
  rd_user_set_roles (user, roles);
  rd_user_set_extension (user, "732");
  rd_user_set_mobile (user, "+393472619287");
  rd_user_set_active (user, FALSE);

  json = rd_codec_to_json_string (RD_CODEC (user));
  g_assert_cmpstr (json, ==,
                   "{\"username\":\"tech2\",\"display_name\":\"Teresa Técnica\","
                   "\"roles\":[\"agent\",\"technician\"],\"extension\":\"732\","
                   "\"mobile\":\"+393472619287\",\"active\":false}");

  copy = rd_codec_new_from_json_string (RD_TYPE_USER, json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_user_get_username (copy), ==, "tech2");
  g_assert_cmpstr (rd_user_get_display_name (copy), ==, "Teresa Técnica");
  g_assert_true (rd_user_has_role (copy, "technician"));
  g_assert_false (rd_user_has_role (copy, "admin"));
  g_assert_cmpstr (rd_user_get_extension (copy), ==, "732");
  g_assert_false (rd_user_get_active (copy));

  json2 = rd_codec_to_json_string (RD_CODEC (copy));
  g_assert_cmpstr (json, ==, json2);
}

static void
test_user_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = rd_codec_new_from_json_string (RD_TYPE_USER,
                                                          "{\"username\":\"ana\"}", -1,
                                                          &error);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rd_user_get_display_name (user), ==, "ana");
  g_assert_cmpuint (g_strv_length ((char **) rd_user_get_roles (user)), ==, 0);
  g_assert_null (rd_user_get_extension (user));
  g_assert_true (rd_user_get_active (user));

  json = rd_codec_to_json_string (RD_CODEC (user));
  g_assert_cmpstr (json, ==,
                   "{\"username\":\"ana\",\"display_name\":\"ana\",\"roles\":[],"
                   "\"extension\":null,\"mobile\":null,\"active\":true}");
}

static void
test_user_invalid (void)
{
  static const struct {
    const char *json;
    RdError     code;
  } bad[] = {
    { "{}", RD_ERROR_MISSING_FIELD },
    { "{\"username\":null}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":42}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"\"}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"a b\"}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"../etc\"}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"ana\",\"roles\":\"admin\"}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"ana\",\"roles\":[1]}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"ana\",\"roles\":[\"root\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"ana\",\"extension\":201}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"ana\",\"active\":\"yes\"}", RD_ERROR_INVALID_FIELD },
    { "{\"username\":\"ana\",\"display_name\":{}}", RD_ERROR_INVALID_FIELD },
    { "[\"ana\"]", RD_ERROR_INVALID_JSON },
    { "{\"username\":\"ana\"", RD_ERROR_INVALID_JSON },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RdUser) user = NULL;

      g_test_message ("input %s", bad[i].json);
      user = rd_codec_new_from_json_string (RD_TYPE_USER, bad[i].json, -1, &error);
      g_assert_null (user);
      g_assert_error (error, RD_ERROR, bad[i].code);
    }
}

/* Clients read leniently (a newer server may add members); the server reads
 * requests strictly, so a typo is an error. */
static void
test_user_unknown_members (void)
{
  const char *json = "{\"username\":\"ana\",\"surprise\":1,\"roles\":[\"agent\"]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = rd_json_parse_object (json, -1, &error);
  g_autoptr(RdUser) lenient = NULL;
  g_autoptr(RdUser) strict = NULL;

  g_assert_no_error (error);
  lenient = rd_codec_new_from_json (RD_TYPE_USER, object, &error);
  g_assert_no_error (error);
  g_assert_true (rd_user_has_role (lenient, "agent"));

  strict = rd_codec_new_from_json_full (RD_TYPE_USER, object, RD_CODEC_STRICT, &error);
  g_assert_null (strict);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "surprise"));
}

static void
test_user_usernames (void)
{
  g_autofree char *long_name = g_strnfill (65, 'a');
  g_autofree char *max_name = g_strnfill (64, 'a');

  g_assert_true (rd_username_is_valid ("agent"));
  g_assert_true (rd_username_is_valid ("tech.2_north-1"));
  g_assert_true (rd_username_is_valid (max_name));
  g_assert_false (rd_username_is_valid (long_name));
  g_assert_false (rd_username_is_valid (NULL));
  g_assert_false (rd_username_is_valid (""));
  g_assert_false (rd_username_is_valid (".hidden"));
  g_assert_false (rd_username_is_valid ("-x"));
  g_assert_false (rd_username_is_valid ("ana/../x"));
  g_assert_false (rd_username_is_valid ("josé"));

  g_assert_true (rd_role_is_valid ("agent"));
  g_assert_true (rd_role_is_valid ("admin"));
  g_assert_false (rd_role_is_valid ("Admin"));
  g_assert_false (rd_role_is_valid (NULL));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_user_notify (void)
{
  static const char * const roles[] = { "agent", NULL };
  g_autoptr(RdUser) user = rd_user_new ("ana");
  guint count = 0;

  g_signal_connect (user, "notify", G_CALLBACK (on_notify), &count);

  rd_user_set_extension (user, "201");
  g_assert_cmpuint (count, ==, 1);
  rd_user_set_extension (user, "201");
  g_assert_cmpuint (count, ==, 1);
  rd_user_set_roles (user, roles);
  g_assert_cmpuint (count, ==, 2);
  rd_user_set_roles (user, roles);
  g_assert_cmpuint (count, ==, 2);
  rd_user_set_active (user, TRUE);
  g_assert_cmpuint (count, ==, 2);
  g_object_set (user, "active", FALSE, "mobile", "+34600000000", NULL);
  g_assert_cmpuint (count, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/user/round-trip", test_user_round_trip);
  g_test_add_func ("/common/user/defaults", test_user_defaults);
  g_test_add_func ("/common/user/invalid", test_user_invalid);
  g_test_add_func ("/common/user/unknown-members", test_user_unknown_members);
  g_test_add_func ("/common/user/usernames", test_user_usernames);
  g_test_add_func ("/common/user/notify", test_user_notify);

  return g_test_run ();
}
