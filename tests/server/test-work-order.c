/* test-work-order.c: POST|GET /tickets/{n}/work-order over HTTP against an
 * in-process daemon on a real sqlite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestWorkOrder"

#include "config.h"

#include "rd-common.h"
#include "rd-test-people.h"

typedef RdTestPeople Fixture;

static char *
work_order_path (const char *number)
{
  return g_strdup_printf (RD_API_PATH_TICKETS "/%s/work-order", number);
}

static void
test_convert (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *loc = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue, "{\"name\":\"A\"}", "id");
  g_autofree char *number = rd_test_people_create (f, RD_API_PATH_TICKETS, f->ana,
                                                   "{\"subject\":\"Replace boiler\",\"description\":\"Old one leaks\","
                                                   "\"area\":\"Gas\",\"priority\":\"urgent\",\"category\":\"Leak\","
                                                   "\"location_id\":\"1\",\"requester\":\"María\","
                                                   "\"requester_phone\":\"612345678\",\"assignee\":\"tim\"}",
                                                   "number");
  g_autofree char *second = rd_test_people_create (f, RD_API_PATH_TICKETS, f->ana,
                                                   "{\"subject\":\"Second\",\"assignee\":\"tim\"}", "number");
  g_autofree char *path = work_order_path (number);
  g_autofree char *history = g_strdup_printf (RD_API_PATH_TICKETS "/%s/history", number);
  g_autoptr(GDateTime) created_at = NULL;
  JsonArray *items = NULL;
  JsonObject *last = NULL;
  Reply reply;

  /* the assigned technician converts it */
  rd_test_people_expect (f, "POST", path, f->tim, NULL, 201, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "number"), ==, "1");
  g_assert_cmpstr (rd_test_member (reply.json, "ticket"), ==, number);
  g_assert_cmpstr (rd_test_member (reply.json, "state"), ==, "open");
  g_assert_cmpstr (rd_test_member (reply.json, "subject"), ==, "Replace boiler");
  g_assert_cmpstr (rd_test_member (reply.json, "description"), ==, "Old one leaks");
  g_assert_cmpstr (rd_test_member (reply.json, "area"), ==, "Gas");
  g_assert_cmpstr (rd_test_member (reply.json, "priority"), ==, "urgent");
  g_assert_cmpstr (rd_test_member (reply.json, "category"), ==, "Leak");
  g_assert_cmpstr (rd_test_member (reply.json, "location_id"), ==, loc);
  g_assert_null (rd_test_member (reply.json, "asset_id"));
  g_assert_cmpstr (rd_test_member (reply.json, "requester"), ==, "María");
  g_assert_cmpstr (rd_test_member (reply.json, "requester_phone"), ==, "612345678");
  g_assert_cmpstr (rd_test_member (reply.json, "assignee"), ==, "tim");
  g_assert_cmpstr (rd_test_member (reply.json, "created_by"), ==, "tim");
  g_assert_true (rd_json_get_datetime (reply.json, "created_at", RD_JSON_REQUIRED, &created_at, NULL));
  rd_test_reply_clear (&reply);

  /* one work order per ticket */
  rd_test_people_expect_error (f, "POST", path, f->sue, NULL, 409, "conflict");

  /* linked back from the ticket: the route, and the history */
  rd_test_people_expect (f, "GET", path, f->ana, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "number"), ==, "1");
  rd_test_reply_clear (&reply);
  rd_test_people_expect (f, "GET", history, f->sue, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_true (rd_json_array_get_object (items, json_array_get_length (items) - 1, &last, NULL));
  g_assert_cmpstr (rd_test_member (last, "field"), ==, "work_order");
  g_assert_null (rd_test_member (last, "old_value"));
  g_assert_cmpstr (rd_test_member (last, "new_value"), ==, "1");
  g_assert_cmpstr (rd_test_member (last, "username"), ==, "tim");
  rd_test_reply_clear (&reply);

  /* numbers go up, and survive a restart */
  rd_test_people_restart (f);
  {
    g_autofree char *second_path = work_order_path (second);

    rd_test_people_expect (f, "POST", second_path, f->root, NULL, 201, &reply);
    g_assert_cmpstr (rd_test_member (reply.json, "number"), ==, "2");
    g_assert_cmpstr (rd_test_member (reply.json, "created_by"), ==, "root");
    rd_test_reply_clear (&reply);
  }
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *mine = rd_test_people_create (f, RD_API_PATH_TICKETS, f->ana,
                                                 "{\"subject\":\"For tim\",\"assignee\":\"tim\"}", "number");
  g_autofree char *cancelled = rd_test_people_create (f, RD_API_PATH_TICKETS, f->ana,
                                                      "{\"subject\":\"Never mind\"}", "number");
  g_autofree char *path = work_order_path (mine);
  g_autofree char *cancelled_path = work_order_path (cancelled);
  g_autofree char *transition = g_strdup_printf (RD_API_PATH_TICKETS "/%s/transition", cancelled);
  Reply reply;

  /* agents do not convert; technicians only what is theirs */
  rd_test_people_expect_error (f, "POST", path, f->ana, NULL, 403, "forbidden");
  rd_test_people_expect_error (f, "POST", path, f->tom, NULL, 403, "forbidden");
  rd_test_people_expect_error (f, "GET", path, f->tom, NULL, 403, "forbidden");
  rd_test_people_expect_error (f, "POST", path, NULL, NULL, 401, "unauthorized");
  rd_test_people_expect_error (f, "GET", path, f->ana, NULL, 404, "not_found");

  rd_test_people_expect_error (f, "POST", RD_API_PATH_TICKETS "/99999/work-order", f->sue, NULL, 404,
                               "not_found");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_TICKETS "/abc/work-order", f->sue, NULL, 404,
                               "not_found");
  rd_test_people_expect_error (f, "DELETE", path, f->sue, NULL, 405, "method_not_allowed");

  rd_test_people_expect (f, "POST", transition, f->sue, "{\"to\":\"cancelled\"}", 200, &reply);
  rd_test_reply_clear (&reply);
  rd_test_people_expect_error (f, "POST", cancelled_path, f->sue, NULL, 409, "invalid_transition");

  /* none of that made a work order */
  rd_test_people_expect_error (f, "GET", cancelled_path, f->sue, NULL, 404, "not_found");
  rd_test_people_expect (f, "POST", path, f->sue, NULL, 201, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "number"), ==, "1");
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

  ADD ("/work-order/convert", test_convert);
  ADD ("/work-order/refused", test_refused);

#undef ADD

  return g_test_run ();
}
