/* test-json.c: the getters against every wrong type, with fatal criticals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "rd-common.h"

/* One object holding a member of every JSON type. */
static const char *all_types =
  "{\"s\":\"text\",\"i\":42,\"d\":1.5,\"b\":true,\"n\":null,"
  "\"o\":{\"k\":1},\"a\":[1,2],\"sa\":[\"x\",\"y\"],\"e\":\"\","
  "\"t\":\"2026-11-22T14:05:00+01:00\",\"big\":9223372036854775807}";

static JsonObject *
parse_all (void)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = rd_json_parse_object (all_types, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static void
test_json_parse_errors (void)
{
  static const struct {
    const char *data;
    gssize      length;
  } bad[] = {
    { "", 0 },
    { "{", -1 },
    { "}", -1 },
    { "{\"a\":}", -1 },
    { "{\"a\":1,}", -1 },
    { "[1,2]", -1 },
    { "\"just a string\"", -1 },
    { "42", -1 },
    { "null", -1 },
    { "{\"a\":1} trailing", -1 },
    { "{\"a\":\"\xff\xfe\"}", -1 },
    { "{\"a\":1}\0{}", 9 },
    { "{'a':1}", -1 },
    { "{\"a\":\"unterminated}", -1 },
    { "   ", -1 },
    /* json-glib 1.6 accepts these; strict RFC 8259 does not */
    { "{\"a\":1 /* comment */}", -1 },
    { "{\"a\":0x10}", -1 },
    { "{\"a\":.5}", -1 },
    { "{\"a\":01}", -1 },
    { "{\"a\":1.}", -1 },
    { "{\"a\":1e}", -1 },
    { "{\"a\":\"x\\u0000y\"}", -1 },
    { "{\"a\":\"tab\there\"}", -1 },
    { "{\"a\":\"\\q\"}", -1 },
    { "{\"a\":\"\\u12G4\"}", -1 },
    { "{\"a\":tru}", -1 },
    { "{a:1}", -1 },
    { "{\"a\":9223372036854775808}", -1 },
    { "{\"a\":-9223372036854775809}", -1 },
    { "{\"a\":123456789012345678901234567890}", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = rd_json_parse_object (bad[i].data, bad[i].length, &error);

      g_test_message ("input %u", i);
      g_assert_null (object);
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_JSON);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) object = rd_json_parse_object (NULL, 0, &error);

    g_assert_null (object);
    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_JSON);
  }
}

static void
test_json_parse_strict_good (void)
{
  static const char *good[] = {
    "{}",
    " { \"a\" : [ 1 , -0.5e+3 , 0 , 10E-2 , true , false , null ] } ",
    "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}",
    "{\"a\":{\"b\":{\"c\":[]}}}",
    "{\"ñ\":\"été 電話\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = rd_json_parse_object (good[i], -1, &error);

      g_test_message ("input %s", good[i]);
      g_assert_no_error (error);
      g_assert_nonnull (object);
    }
}

static void
test_json_parse_depth (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"a\":");
  g_autoptr(GString) ok = g_string_new ("{\"a\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;

  /* Far beyond the limit: must be refused before json-glib recurses. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  object = rd_json_parse_object (deep->str, deep->len, &error);
  g_assert_null (object);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_JSON);
  g_clear_error (&error);

  /* Just inside the limit parses; brackets inside strings do not count. */
  for (guint i = 0; i < RD_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < RD_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (ok, ']');
  g_string_append (ok, ",\"s\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}");
  object = rd_json_parse_object (ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
}

/* Every getter against every member: only the right type may succeed. */
static void
test_json_getters_wrong_types (void)
{
  g_autoptr(JsonObject) object = parse_all ();
  const char *members[] = { "s", "i", "d", "b", "o", "a", "sa", "e", "t" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      const char *member = members[m];
      g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;
      g_autoptr(GError) e7 = NULL, e8 = NULL;
      const char *s = NULL;
      gint64 i = 0;
      double d = 0;
      gboolean b = FALSE;
      JsonObject *o = NULL;
      JsonArray *a = NULL;
      g_auto(GStrv) sv = NULL;
      g_autoptr(GDateTime) t = NULL;
      gboolean ok;

      g_test_message ("member %s", member);

      ok = rd_json_get_string (object, member, RD_JSON_REQUIRED, &s, &e1);
      g_assert_true (ok == (g_str_equal (member, "s") || g_str_equal (member, "e") ||
                            g_str_equal (member, "t")));
      if (!ok)
        g_assert_error (e1, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_get_int (object, member, RD_JSON_REQUIRED, &i, &e2);
      g_assert_true (ok == g_str_equal (member, "i"));
      if (!ok)
        g_assert_error (e2, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_get_double (object, member, RD_JSON_REQUIRED, &d, &e3);
      g_assert_true (ok == (g_str_equal (member, "i") || g_str_equal (member, "d")));
      if (!ok)
        g_assert_error (e3, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_get_boolean (object, member, RD_JSON_REQUIRED, &b, &e4);
      g_assert_true (ok == g_str_equal (member, "b"));
      if (!ok)
        g_assert_error (e4, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_get_object (object, member, RD_JSON_REQUIRED, &o, &e5);
      g_assert_true (ok == g_str_equal (member, "o"));
      if (!ok)
        g_assert_error (e5, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_get_array (object, member, RD_JSON_REQUIRED, &a, &e6);
      g_assert_true (ok == (g_str_equal (member, "a") || g_str_equal (member, "sa")));
      if (!ok)
        g_assert_error (e6, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_dup_strv (object, member, RD_JSON_REQUIRED, &sv, &e7);
      g_assert_true (ok == g_str_equal (member, "sa"));
      if (!ok)
        g_assert_error (e7, RD_ERROR, RD_ERROR_INVALID_FIELD);

      ok = rd_json_get_datetime (object, member, RD_JSON_REQUIRED, &t, &e8);
      g_assert_true (ok == g_str_equal (member, "t"));
      if (!ok)
        g_assert_error (e8, RD_ERROR, RD_ERROR_INVALID_FIELD);
    }
}

static void
test_json_getters_values (void)
{
  g_autoptr(JsonObject) object = parse_all ();
  g_autoptr(GError) error = NULL;
  const char *s = NULL;
  g_autofree char *dup = NULL;
  gint64 i = 0;
  double d = 0;
  gboolean b = FALSE;
  JsonObject *o = NULL;
  JsonArray *a = NULL;
  g_auto(GStrv) sv = NULL;
  g_autoptr(GDateTime) t = NULL;

  g_assert_true (rd_json_get_string (object, "s", RD_JSON_REQUIRED, &s, &error));
  g_assert_cmpstr (s, ==, "text");
  g_assert_true (rd_json_dup_string (object, "s", RD_JSON_REQUIRED, &dup, &error));
  g_assert_cmpstr (dup, ==, "text");
  g_assert_true (rd_json_get_int (object, "i", RD_JSON_REQUIRED, &i, &error));
  g_assert_cmpint (i, ==, 42);
  g_assert_true (rd_json_get_int (object, "big", RD_JSON_REQUIRED, &i, &error));
  g_assert_cmpint (i, ==, G_MAXINT64);
  g_assert_true (rd_json_get_double (object, "d", RD_JSON_REQUIRED, &d, &error));
  g_assert_cmpfloat (d, ==, 1.5);
  g_assert_true (rd_json_get_double (object, "i", RD_JSON_REQUIRED, &d, &error));
  g_assert_cmpfloat (d, ==, 42.0);
  g_assert_true (rd_json_get_boolean (object, "b", RD_JSON_REQUIRED, &b, &error));
  g_assert_true (b);
  g_assert_true (rd_json_get_object (object, "o", RD_JSON_REQUIRED, &o, &error));
  g_assert_true (rd_json_has_member (o, "k"));
  g_assert_true (rd_json_get_array (object, "a", RD_JSON_REQUIRED, &a, &error));
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  g_assert_true (rd_json_dup_strv (object, "sa", RD_JSON_REQUIRED, &sv, &error));
  g_assert_cmpuint (g_strv_length (sv), ==, 2);
  g_assert_cmpstr (sv[1], ==, "y");
  g_assert_true (rd_json_get_datetime (object, "t", RD_JSON_REQUIRED, &t, &error));
  g_assert_cmpint (g_date_time_get_hour (t), ==, 14);
  g_assert_cmpint (g_date_time_get_utc_offset (t), ==, G_TIME_SPAN_HOUR);
  g_assert_no_error (error);

  /* An array with a non-string element is not a strv, and the old value stays. */
  {
    g_autoptr(GError) local_error = NULL;

    g_assert_false (rd_json_dup_strv (object, "a", RD_JSON_REQUIRED, &sv, &local_error));
    g_assert_error (local_error, RD_ERROR, RD_ERROR_INVALID_FIELD);
    g_assert_cmpuint (g_strv_length (sv), ==, 2);
  }
}

static void
test_json_missing_and_null (void)
{
  g_autoptr(JsonObject) object = parse_all ();
  g_autoptr(GError) error = NULL;
  const char *s = "unchanged";
  gint64 i = 7;
  JsonObject *o = (JsonObject *) 0x1;
  g_autofree char *dup = g_strdup ("kept");

  /* optional + absent: untouched, success */
  g_assert_true (rd_json_get_string (object, "nope", RD_JSON_OPTIONAL, &s, &error));
  g_assert_cmpstr (s, ==, "unchanged");
  g_assert_true (rd_json_get_int (object, "nope", RD_JSON_OPTIONAL, &i, &error));
  g_assert_cmpint (i, ==, 7);
  g_assert_true (rd_json_dup_string (object, "nope", RD_JSON_OPTIONAL, &dup, &error));
  g_assert_cmpstr (dup, ==, "kept");
  g_assert_no_error (error);

  /* required + absent */
  g_assert_false (rd_json_get_string (object, "nope", RD_JSON_REQUIRED, &s, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);

  /* null without NULLABLE is a type error */
  g_assert_false (rd_json_get_string (object, "n", RD_JSON_OPTIONAL, &s, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (rd_json_get_int (object, "n", RD_JSON_REQUIRED, &i, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  /* null with NULLABLE */
  g_assert_true (rd_json_get_string (object, "n", RD_JSON_NULLABLE, &s, &error));
  g_assert_null (s);
  g_assert_true (rd_json_get_object (object, "n", RD_JSON_NULLABLE | RD_JSON_REQUIRED, &o, &error));
  g_assert_null (o);
  g_assert_true (rd_json_dup_string (object, "n", RD_JSON_NULLABLE, &dup, &error));
  g_assert_null (dup);
  g_assert_true (rd_json_get_int (object, "n", RD_JSON_NULLABLE, &i, &error));
  g_assert_cmpint (i, ==, 7);
  g_assert_no_error (error);
}

static void
test_json_array_getters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = rd_json_parse ("[{\"a\":1},\"s\",3]", -1, &error);
  JsonArray *array;
  JsonObject *o = NULL;
  const char *s = NULL;

  g_assert_no_error (error);
  array = json_node_get_array (root);
  g_assert_true (rd_json_array_get_object (array, 0, &o, &error));
  g_assert_true (rd_json_array_get_string (array, 1, &s, &error));
  g_assert_cmpstr (s, ==, "s");
  g_assert_false (rd_json_array_get_object (array, 1, &o, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (rd_json_array_get_string (array, 2, &s, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (rd_json_array_get_string (array, 3, &s, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
}

static void
test_json_check_members (void)
{
  static const char * const allowed[] = { "s", "i", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) good = rd_json_parse_object ("{\"s\":\"x\",\"i\":1}", -1, &error);
  g_autoptr(JsonObject) bad = rd_json_parse_object ("{\"s\":\"x\",\"typo\":1}", -1, &error);

  g_assert_no_error (error);
  g_assert_true (rd_json_check_members (good, allowed, &error));
  g_assert_false (rd_json_check_members (bad, allowed, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "typo"));
}

static void
test_json_datetime (void)
{
  static const char *good[] = {
    "2026-11-22T14:05:00+01:00",
    "2026-11-22T13:05:00Z",
    "2026-11-22T13:05:00.250Z",
    "2026-02-28T23:59:59-05:30",
    "0012-10-12T14:00:15+02:00",
    "1999-12-31T23:59:59-00:30",
  };
  static const char *bad[] = {
    "", "2026-11-22", "2026-11-22T14:05:00", "14:05", "2026-W47-7T10:00:00Z",
    "2026-13-01T00:00:00Z", "2026-11-22T25:00:00Z", "yesterday", "2026-11-22T14:05:00+99:00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) parsed = rd_datetime_parse (good[i], &error);
      g_autoptr(GDateTime) again = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = rd_datetime_format (parsed);
      again = rd_datetime_parse (text, &error);
      g_assert_no_error (error);
      /* the format keeps whole seconds */
      g_assert_cmpint (g_date_time_to_unix (parsed), ==, g_date_time_to_unix (again));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) parsed = rd_datetime_parse (bad[i], &error);

      g_test_message ("bad time %s", bad[i]);
      g_assert_null (parsed);
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
    }

  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600);
    g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 11, 22, 14, 5, 0);
    g_autofree char *text = rd_datetime_format (dt);

    g_assert_cmpstr (text, ==, "2026-11-22T14:05:00+01:00");
  }
}

static void
test_json_builder_helpers (void)
{
  static const char * const roles[] = { "agent", "admin", NULL };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 1, 2, 3, 4, 5);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "s", "x");
  rd_json_builder_add_string (builder, "n", NULL);
  rd_json_builder_add_datetime (builder, "t", dt);
  rd_json_builder_add_datetime (builder, "tn", NULL);
  rd_json_builder_add_strv (builder, "r", roles);
  rd_json_builder_add_strv (builder, "e", NULL);
  rd_json_builder_add_double (builder, "d1", 0.93);
  rd_json_builder_add_double (builder, "d2", 3.0);
  rd_json_builder_add_double (builder, "d3", -3e20);
  rd_json_builder_add_double (builder, "d4", NAN);
  rd_json_builder_add_double (builder, "d5", 1e-300);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = rd_json_to_string (root, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"s\":\"x\",\"n\":null,\"t\":\"2026-01-02T03:04:05+00:00\","
                   "\"tn\":null,\"r\":[\"agent\",\"admin\"],\"e\":[],"
                   "\"d1\":0.93000000000000005,\"d2\":3,\"d3\":null,\"d4\":null,\"d5\":0}");

  /* and what we write, we read */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) again = rd_json_parse (text, -1, &error);

    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/json/parse-errors", test_json_parse_errors);
  g_test_add_func ("/common/json/parse-strict-good", test_json_parse_strict_good);
  g_test_add_func ("/common/json/parse-depth", test_json_parse_depth);
  g_test_add_func ("/common/json/getters-wrong-types", test_json_getters_wrong_types);
  g_test_add_func ("/common/json/getters-values", test_json_getters_values);
  g_test_add_func ("/common/json/missing-and-null", test_json_missing_and_null);
  g_test_add_func ("/common/json/array-getters", test_json_array_getters);
  g_test_add_func ("/common/json/check-members", test_json_check_members);
  g_test_add_func ("/common/json/datetime", test_json_datetime);
  g_test_add_func ("/common/json/builder-helpers", test_json_builder_helpers);

  return g_test_run ();
}
