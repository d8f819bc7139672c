/* test-places.c: locations, assets, and tickets that point at them, over HTTP
 * against an in-process daemon on a real sqlite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestPlaces"

#include "config.h"

#include "rd-common.h"
#include "rd-test-people.h"

typedef RdTestPeople Fixture;

static guint
n_items (Fixture    *f,
         const char *path,
         char      **next_cursor)
{
  JsonArray *items = NULL;
  guint n;
  Reply reply;

  rd_test_people_expect (f, "GET", path, f->tim, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  n = json_array_get_length (items);
  if (next_cursor != NULL)
    *next_cursor = g_strdup (rd_test_member (reply.json, "next_cursor"));
  rd_test_reply_clear (&reply);

  return n;
}

static void
test_locations (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RdLocation) location = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  Reply reply;

  rd_test_people_expect (f, "POST", RD_API_PATH_LOCATIONS, f->sue,
                         "{\"name\":\"Warehouse B\",\"address\":\"Calle Mayor 1, Madrid\",\"notes\":\"Gate 4\"}",
                         201, &reply);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==, RD_API_PATH_LOCATIONS "/1");
  location = rd_codec_new_from_json (RD_TYPE_LOCATION, reply.json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_location_get_id (location), ==, "1");
  g_assert_cmpstr (rd_location_get_name (location), ==, "Warehouse B");
  g_assert_cmpstr (rd_location_get_address (location), ==, "Calle Mayor 1, Madrid");
  g_assert_cmpstr (rd_location_get_notes (location), ==, "Gate 4");
  rd_test_reply_clear (&reply);

  rd_test_people_expect (f, "GET", RD_API_PATH_LOCATIONS "/1", f->ana, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Warehouse B");
  rd_test_reply_clear (&reply);

  rd_test_people_expect (f, "PATCH", RD_API_PATH_LOCATIONS "/1", f->root, "{\"notes\":null,\"name\":\"Store B\"}",
                         200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Store B");
  g_assert_cmpstr (rd_test_member (reply.json, "address"), ==, "Calle Mayor 1, Madrid");
  g_assert_null (rd_test_member (reply.json, "notes"));
  rd_test_reply_clear (&reply);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->root, "{\"name\":\"More\"}", "id");
    }
  g_assert_cmpuint (n_items (f, RD_API_PATH_LOCATIONS "?limit=3", &cursor), ==, 3);
  g_assert_cmpstr (cursor, ==, "3");
  g_assert_cmpuint (n_items (f, RD_API_PATH_LOCATIONS "?limit=3&cursor=3", NULL), ==, 1);

  rd_test_people_expect_error (f, "GET", RD_API_PATH_LOCATIONS "/9", f->ana, NULL, 404, "not_found");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_LOCATIONS "/L1", f->ana, NULL, 404, "not_found");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_LOCATIONS "/9", f->sue, "{}", 404, "not_found");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_LOCATIONS "?cursor=x", f->ana, NULL, 422, "invalid_field");
}

static void
test_locations_invalid (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const invalid[] = {
    "{\"name\":3}", "{\"name\":\"\"}", "{\"name\":null}", "{\"name\":\"a\",\"address\":[]}",
    "{\"name\":\"a\",\"notes\":false}", "{\"name\":\"a\",\"id\":\"4\"}", "{\"name\":\"a\",\"parent\":\"1\"}",
    "{\"name\":\"a\\u0007b\"}",
  };
  g_autofree char *id = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue, "{\"name\":\"A\"}", "id");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    rd_test_people_expect_error (f, "POST", RD_API_PATH_LOCATIONS, f->sue, invalid[i], 422, "invalid_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_LOCATIONS, f->sue, "{}", 422, "missing_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_LOCATIONS "/1", f->sue, "{\"id\":\"2\"}", 422,
                               "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_LOCATIONS "/1", f->sue, "{\"name\":\"\"}", 422,
                               "invalid_field");
  rd_test_people_common_errors (f, "POST", RD_API_PATH_LOCATIONS, f->sue);
  rd_test_people_common_errors (f, "PATCH", RD_API_PATH_LOCATIONS "/1", f->sue);

  /* writes are for supervisors and admins */
  rd_test_people_expect_error (f, "POST", RD_API_PATH_LOCATIONS, f->ana, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_LOCATIONS, f->tim, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_LOCATIONS "/1", f->ana, "{\"name\":\"x\"}", 403,
                               "forbidden");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_LOCATIONS, NULL, NULL, 401, "unauthorized");

  g_assert_cmpuint (n_items (f, RD_API_PATH_LOCATIONS, NULL), ==, 1);
}

static void
test_assets (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *loc1 = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue, "{\"name\":\"A\"}", "id");
  g_autofree char *loc2 = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue, "{\"name\":\"B\"}", "id");
  g_autoptr(RdAsset) asset = NULL;
  g_autoptr(GError) error = NULL;
  Reply reply;

  rd_test_people_expect (f, "POST", RD_API_PATH_ASSETS, f->sue,
                         "{\"name\":\"Boiler\",\"tag\":\"INV-0042\",\"kind\":\"boiler\",\"location_id\":\"1\","
                         "\"serial\":\"SN123\"}",
                         201, &reply);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==, RD_API_PATH_ASSETS "/1");
  asset = rd_codec_new_from_json (RD_TYPE_ASSET, reply.json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_asset_get_id (asset), ==, "1");
  g_assert_cmpstr (rd_asset_get_tag (asset), ==, "INV-0042");
  g_assert_cmpstr (rd_asset_get_kind (asset), ==, "boiler");
  g_assert_cmpstr (rd_asset_get_location_id (asset), ==, loc1);
  g_assert_cmpstr (rd_asset_get_serial (asset), ==, "SN123");
  rd_test_reply_clear (&reply);

  {
    g_autofree char *a2 = rd_test_people_create (f, RD_API_PATH_ASSETS, f->root,
                                                 "{\"name\":\"Printer\",\"location_id\":\"2\"}", "id");
    g_autofree char *a3 = rd_test_people_create (f, RD_API_PATH_ASSETS, f->root, "{\"name\":\"Van\"}", "id");
  }

  /* assets at a location */
  g_assert_cmpuint (n_items (f, RD_API_PATH_ASSETS, NULL), ==, 3);
  g_assert_cmpuint (n_items (f, RD_API_PATH_ASSETS "?location_id=1", NULL), ==, 1);
  g_assert_cmpuint (n_items (f, RD_API_PATH_ASSETS "?location_id=2", NULL), ==, 1);
  g_assert_cmpuint (n_items (f, RD_API_PATH_ASSETS "?location_id=9", NULL), ==, 0);
  g_assert_cmpuint (n_items (f, RD_API_PATH_ASSETS "?location_id=x", NULL), ==, 0);

  /* moved to the other location, then to none */
  rd_test_people_expect (f, "PATCH", RD_API_PATH_ASSETS "/1", f->sue, "{\"location_id\":\"2\"}", 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "location_id"), ==, loc2);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Boiler");
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "PATCH", RD_API_PATH_ASSETS "/1", f->sue, "{\"location_id\":null}", 200, &reply);
  g_assert_null (rd_test_member (reply.json, "location_id"));
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "POST", RD_API_PATH_ASSETS, f->sue,
                               "{\"name\":\"Copy\",\"tag\":\"INV-0042\"}", 409, "conflict");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_ASSETS "/2", f->sue, "{\"tag\":\"INV-0042\"}", 409,
                               "conflict");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_ASSETS, f->sue,
                               "{\"name\":\"Lost\",\"location_id\":\"99\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_ASSETS, f->sue,
                               "{\"name\":\"Lost\",\"location_id\":\"x\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_ASSETS "/1", f->sue, "{\"location_id\":\"99\"}", 422,
                               "invalid_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_ASSETS, f->sue, "{\"name\":\"a\",\"tag\":42}", 422,
                               "invalid_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_ASSETS, f->sue, "{\"tag\":\"a\"}", 422, "missing_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_ASSETS, f->ana, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_ASSETS "/1", f->tim, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_ASSETS "/7", f->tim, NULL, 404, "not_found");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_ASSETS "/7", f->sue, "{}", 404, "not_found");
  rd_test_people_common_errors (f, "POST", RD_API_PATH_ASSETS, f->sue);
  rd_test_people_common_errors (f, "PATCH", RD_API_PATH_ASSETS "/1", f->sue);

  g_assert_cmpuint (n_items (f, RD_API_PATH_ASSETS, NULL), ==, 3);
}

static void
test_ticket_refs (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *loc = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue, "{\"name\":\"A\"}", "id");
  g_autofree char *asset = rd_test_people_create (f, RD_API_PATH_ASSETS, f->sue,
                                                  "{\"name\":\"Boiler\",\"location_id\":\"1\"}", "id");
  g_autofree char *json = g_strdup_printf ("{\"subject\":\"Boiler\",\"location_id\":\"%s\",\"asset_id\":\"%s\"}",
                                           loc, asset);
  g_autofree char *number = rd_test_people_create (f, RD_API_PATH_TICKETS, f->ana, json, "number");
  g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s", number);
  Reply reply;

  rd_test_people_expect (f, "GET", path, f->ana, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "location_id"), ==, loc);
  g_assert_cmpstr (rd_test_member (reply.json, "asset_id"), ==, asset);
  rd_test_reply_clear (&reply);

  /* a ticket may only point at places that exist */
  rd_test_people_expect_error (f, "POST", RD_API_PATH_TICKETS, f->ana,
                               "{\"subject\":\"x\",\"location_id\":\"2\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_TICKETS, f->ana,
                               "{\"subject\":\"x\",\"asset_id\":\"L1\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->ana, "{\"asset_id\":\"5\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->ana, "{\"location_id\":\"0\"}", 422, "invalid_field");

  /* and clearing them is fine */
  rd_test_people_expect (f, "PATCH", path, f->ana, "{\"asset_id\":null,\"location_id\":\"\"}", 200, &reply);
  g_assert_null (rd_test_member (reply.json, "location_id"));
  g_assert_null (rd_test_member (reply.json, "asset_id"));
  rd_test_reply_clear (&reply);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  rd_test_people_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, rd_test_people_set_up, func, rd_test_people_tear_down)

  ADD ("/places/locations", test_locations);
  ADD ("/places/locations-invalid", test_locations_invalid);
  ADD ("/places/assets", test_assets);
  ADD ("/places/ticket-refs", test_ticket_refs);

#undef ADD

  return g_test_run ();
}
