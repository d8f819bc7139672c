/* test-tickets.c: the ticket routes of an in-process RdDaemon on 127.0.0.1:0,
 * driven by a real SoupSession, on a real sqlite file in a temp dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestTickets"

#include "config.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-ticket-store.h"
#include "rd-test-http.h"

#define NUMBER_START 1000

typedef RdTestDesk Fixture;

typedef RdTestReply Reply;

#define reply_clear rd_test_reply_clear
#define assert_error rd_test_assert_error

static void
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *json,
         Reply      *reply)
{
  rd_test_request (f->session, f->base, method, path, token, json, reply);
}

/* sends and checks the error in one go */
static void
expect_error (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *json,
              guint       status,
              const char *code)
{
  rd_test_expect_error (f->session, f->base, method, path, token, json, status, code);
}

static char *
sign_in (Fixture    *f,
         const char *username)
{
  return rd_test_sign_in (f->session, f->base, username, RD_TEST_PASSWORD);
}

static void
start_daemon (Fixture *f)
{
  g_free (f->base);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
}

static char *
numbering_conf (gint64 start)
{
  return g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n[numbering]\nstart=%" G_GINT64_FORMAT "\n", start);
}

static void
load_config (Fixture *f,
             gint64   start)
{
  g_autofree char *conf = numbering_conf (start);

  g_clear_object (&f->config);
  f->config = rd_test_config_new (conf, f->dir);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *conf = numbering_conf (NUMBER_START);

  rd_test_desk_set_up (f, conf);
}

/* POSTs @json as @token and returns the new ticket's number */
static char *
create (Fixture    *f,
        const char *token,
        const char *json)
{
  Reply reply;
  char *number;

  request (f, "POST", RD_API_PATH_TICKETS, token, json, &reply);
  g_test_message ("create: %u %s", reply.status, reply.body);
  g_assert_cmpuint (reply.status, ==, 201);
  number = g_strdup (rd_test_member (reply.json, "number"));
  g_assert_nonnull (number);
  reply_clear (&reply);

  return number;
}

static char *
ticket_path (const char *number,
             const char *suffix)
{
  return g_strconcat (RD_API_PATH_TICKETS "/", number, suffix, NULL);
}

/* PATCH or POST that must succeed; the reply is the ticket */
static void
send_ok (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *json,
         Reply      *reply)
{
  request (f, method, path, token, json, reply);
  g_test_message ("%s %s: %u %s", method, path, reply->status, reply->body);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (reply->json);
}

static void
move (Fixture    *f,
      const char *number,
      const char *token,
      const char *to,
      const char *note)
{
  g_autofree char *path = ticket_path (number, "/transition");
  g_autofree char *body = NULL;
  Reply reply;

  if (note != NULL)
    body = g_strdup_printf ("{\"to\":\"%s\",\"note\":\"%s\"}", to, note);
  else
    body = g_strdup_printf ("{\"to\":\"%s\"}", to);
  send_ok (f, "POST", path, token, body, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "state"), ==, to);
  reply_clear (&reply);
}

/* the numbers of a list reply, in order */
static GPtrArray *
list_numbers (Fixture    *f,
              const char *token,
              const char *query,
              char      **next_cursor)
{
  g_autofree char *path = g_strconcat (RD_API_PATH_TICKETS, query, NULL);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items = NULL;
  Reply reply;

  request (f, "GET", path, token, NULL, &reply);
  g_test_message ("GET %s: %u %s", path, reply.status, reply.body);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = NULL;

      g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
      g_ptr_array_add (numbers, g_strdup (rd_test_member (item, "number")));
    }
  if (next_cursor != NULL)
    *next_cursor = g_strdup (rd_test_member (reply.json, "next_cursor"));
  reply_clear (&reply);

  return g_steal_pointer (&numbers);
}

/* the numbers, joined by commas, for compact comparisons */
static char *
list (Fixture    *f,
      const char *token,
      const char *query)
{
  g_autoptr(GPtrArray) numbers = list_numbers (f, token, query, NULL);

  g_ptr_array_add (numbers, NULL);
  return g_strjoinv (",", (char **) numbers->pdata);
}

static void
assert_list (Fixture    *f,
             const char *token,
             const char *query,
             const char *expected)
{
  g_autofree char *got = list (f, token, query);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_create_and_get (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *call_ids = NULL;
  JsonObject *sla = NULL;
  gboolean active = FALSE;
  gint64 evidence_count = -1;
  g_autoptr(RdLocation) location = rd_location_new (NULL);
  g_autoptr(RdLocation) stored = NULL;
  Reply reply;

  /* location_id must name a location (issue 4: places) */
  rd_location_set_name (location, "Room 12");
  stored = rd_place_store_add_location (rd_server_get_place_store (rd_daemon_get_server (f->daemon)),
                                        location, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_location_get_id (stored), ==, "1");

  request (f, "POST", RD_API_PATH_TICKETS, f->ana,
           "{\"subject\":\"Boiler leaks\",\"description\":\"Water on the floor of room 12\","
           "\"area\":\"Maintenance\",\"priority\":\"high\",\"category\":\"Plumbing\","
           "\"requester\":\"María Pérez\",\"requester_phone\":\"+49 30 1234567\","
           "\"external_number\":\"SIG-998\",\"location_id\":\"1\",\"asset_id\":null,"
           "\"assignee\":\"tim\",\"group\":null}",
           &reply);
  g_test_message ("%s", reply.body);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==,
                   RD_API_PATH_TICKETS "/1000");

  /* the reply is a ticket object of API.md, read back with the shared model */
  ticket = rd_codec_new_from_json (RD_TYPE_TICKET, reply.json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_ticket_get_number (ticket), ==, "1000");
  g_assert_cmpstr (rd_ticket_get_subject (ticket), ==, "Boiler leaks");
  g_assert_cmpstr (rd_ticket_get_description (ticket), ==, "Water on the floor of room 12");
  g_assert_cmpstr (rd_ticket_get_area (ticket), ==, "Maintenance");
  g_assert_cmpint (rd_ticket_get_priority (ticket), ==, RD_PRIORITY_HIGH);
  g_assert_cmpstr (rd_ticket_get_requester (ticket), ==, "María Pérez");
  g_assert_cmpstr (rd_ticket_get_requester_phone (ticket), ==, "+49 30 1234567");
  g_assert_cmpstr (rd_ticket_get_external_number (ticket), ==, "SIG-998");
  g_assert_cmpstr (rd_ticket_get_location_id (ticket), ==, "1");
  g_assert_null (rd_ticket_get_asset_id (ticket));
  g_assert_cmpstr (rd_ticket_get_assignee (ticket), ==, "tim");
  g_assert_null (rd_ticket_get_group (ticket));
  g_assert_cmpint (rd_ticket_get_state (ticket), ==, RD_TICKET_STATE_OPEN);
  g_assert_nonnull (rd_ticket_get_created_at (ticket));
  g_assert_null (rd_ticket_get_first_response_at (ticket));
  g_assert_null (rd_ticket_get_resolved_at (ticket));
  g_assert_null (rd_ticket_get_closed_at (ticket));
  g_assert_true (rd_json_get_boolean (reply.json, "active", RD_JSON_REQUIRED, &active, NULL));
  g_assert_true (active);
  g_assert_true (rd_json_get_array (reply.json, "call_ids", RD_JSON_REQUIRED, &call_ids, NULL));
  g_assert_cmpuint (json_array_get_length (call_ids), ==, 0);
  g_assert_true (rd_json_get_int (reply.json, "evidence_count", RD_JSON_REQUIRED, &evidence_count, NULL));
  g_assert_cmpint (evidence_count, ==, 0);
  g_assert_true (rd_json_get_object (reply.json, "sla", RD_JSON_REQUIRED, &sla, NULL));
  g_assert_cmpstr (rd_test_member (sla, "state"), ==, "ok");
  reply_clear (&reply);

  /* GET returns the same object */
  path = ticket_path ("1000", "");
  request (f, "GET", path, f->ana, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  {
    g_autofree char *expected = rd_codec_to_json_string (RD_CODEC (ticket));
    g_assert_cmpstr (reply.body, ==, expected);
  }
  reply_clear (&reply);

  /* the least a ticket needs is a subject; the rest has defaults */
  request (f, "POST", RD_API_PATH_TICKETS, f->sue, "{\"subject\":\"Printer\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpstr (rd_test_member (reply.json, "number"), ==, "1001");
  g_assert_cmpstr (rd_test_member (reply.json, "priority"), ==, "normal");
  g_assert_cmpstr (rd_test_member (reply.json, "description"), ==, "");
  g_assert_null (rd_test_member (reply.json, "assignee"));
  g_assert_null (rd_test_member (reply.json, "requester_phone"));
  reply_clear (&reply);

  /* a second ticket with the same external number is a conflict */
  expect_error (f, "POST", RD_API_PATH_TICKETS, f->ana,
                "{\"subject\":\"Dup\",\"external_number\":\"SIG-998\"}", 409, "conflict");

  /* 404s */
  expect_error (f, "GET", RD_API_PATH_TICKETS "/999", f->root, NULL, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/0", f->root, NULL, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/abc", f->root, NULL, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/-5", f->root, NULL, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/99999999999999999999999", f->root, NULL, 404, "not_found");
  expect_error (f, "PATCH", RD_API_PATH_TICKETS "/999", f->root, "{\"subject\":\"x\"}", 404, "not_found");
  expect_error (f, "POST", RD_API_PATH_TICKETS "/999/transition", f->root, "{\"to\":\"in_progress\"}",
                404, "not_found");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/999/history", f->root, NULL, 404, "not_found");
}

static void
test_create_invalid (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *long_subject = g_strnfill (RD_TICKET_MAX_SUBJECT + 1, 'x');
  g_autofree char *max_subject = g_strnfill (RD_TICKET_MAX_SUBJECT, 'x');
  g_autofree char *body = NULL;
  g_autofree char *number = NULL;
  static const struct
  {
    const char *json;
    guint       status;
    const char *code;
  } cases[] = {
    { "{}", 422, "missing_field" },
    { "{\"description\":\"no subject\"}", 422, "missing_field" },
    { "{\"subject\":\"\"}", 422, "invalid_field" },
    { "{\"subject\":\"   \"}", 422, "invalid_field" },
    { "{\"subject\":null}", 422, "invalid_field" },
    { "{\"subject\":5}", 422, "invalid_field" },
    { "{\"subject\":[\"a\"]}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"priority\":\"huge\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"priority\":2}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"active\":\"yes\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"assignee\":\"nobody\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"assignee\":\"not a user!\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"requester_phone\":\"call me\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\\u0007\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"colour\":\"red\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"number\":\"5\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"state\":\"closed\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"created_at\":\"2026-01-01T00:00:00Z\"}", 422, "invalid_field" },
    { "{\"subject\":\"a\",\"evidence_count\":3}", 422, "invalid_field" },
    { "{\"subject\":", 400, "invalid_json" },
    { "[\"subject\"]", 400, "invalid_json" },
    { "\"subject\"", 400, "invalid_json" },
    { "", 400, "invalid_json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].json);
      expect_error (f, "POST", RD_API_PATH_TICKETS, f->ana, cases[i].json, cases[i].status, cases[i].code);
    }

  body = g_strdup_printf ("{\"subject\":\"%s\"}", long_subject);
  expect_error (f, "POST", RD_API_PATH_TICKETS, f->ana, body, 422, "invalid_field");
  g_free (body);

  /* the limit counts characters, not bytes */
  body = g_strdup_printf ("{\"subject\":\"%s\"}", max_subject);
  number = create (f, f->ana, body);

  /* nothing refused took a number */
  g_assert_cmpstr (number, ==, "1000");
  assert_list (f, f->root, "", "1000");
}

static void
test_numbering (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *a = create (f, f->ana, "{\"subject\":\"a\"}");
  g_autofree char *b = create (f, f->ana, "{\"subject\":\"b\"}");
  g_autofree char *c = create (f, f->ana, "{\"subject\":\"c\"}");
  g_autofree char *d = NULL;
  g_autofree char *e = NULL;
  g_autofree char *token = NULL;

  g_assert_cmpstr (a, ==, "1000");
  g_assert_cmpstr (b, ==, "1001");
  g_assert_cmpstr (c, ==, "1002");

  /* a restart with a lower start reuses nothing */
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  load_config (f, 1);
  start_daemon (f);
  g_clear_object (&f->session);
  f->session = soup_session_new ();
  token = sign_in (f, "ana");
  d = create (f, token, "{\"subject\":\"d\"}");
  g_assert_cmpstr (d, ==, "1003");

  /* a higher start moves the numbers up */
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  load_config (f, 5000);
  start_daemon (f);
  e = create (f, token, "{\"subject\":\"e\"}");
  g_assert_cmpstr (e, ==, "5000");

  assert_list (f, token, "", "5000,1003,1002,1001,1000");
}

static void
test_patch (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *number = create (f, f->ana, "{\"subject\":\"Old subject\",\"requester_phone\":\"030 111\"}");
  g_autofree char *path = ticket_path (number, "");
  g_autofree char *history = ticket_path (number, "/history");
  g_autofree char *long_text = g_strnfill (RD_TICKET_MAX_DESCRIPTION + 1, 'y');
  g_autofree char *body = NULL;
  JsonArray *items = NULL;
  guint n_history;
  Reply reply;

  send_ok (f, "PATCH", path, f->ana,
           "{\"subject\":\"New subject\",\"priority\":\"urgent\",\"assignee\":\"tim\","
           "\"requester_phone\":null,\"area\":\"IT\",\"active\":false}",
           &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "number"), ==, number);
  g_assert_cmpstr (rd_test_member (reply.json, "subject"), ==, "New subject");
  g_assert_cmpstr (rd_test_member (reply.json, "priority"), ==, "urgent");
  g_assert_cmpstr (rd_test_member (reply.json, "assignee"), ==, "tim");
  g_assert_cmpstr (rd_test_member (reply.json, "area"), ==, "IT");
  g_assert_null (rd_test_member (reply.json, "requester_phone"));
  g_assert_cmpstr (rd_test_member (reply.json, "state"), ==, "open");
  reply_clear (&reply);

  /* stored, not just echoed */
  request (f, "GET", path, f->sue, NULL, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "subject"), ==, "New subject");
  g_assert_cmpstr (rd_test_member (reply.json, "assignee"), ==, "tim");
  reply_clear (&reply);

  /* unassigning, with "" meaning null for optional members */
  send_ok (f, "PATCH", path, f->ana, "{\"assignee\":\"\"}", &reply);
  g_assert_null (rd_test_member (reply.json, "assignee"));
  reply_clear (&reply);

  request (f, "GET", history, f->ana, NULL, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  n_history = json_array_get_length (items);
  reply_clear (&reply);

  /* refused patches change nothing */
  expect_error (f, "PATCH", path, f->ana, "{\"state\":\"closed\"}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"number\":\"1\"}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"closed_at\":null}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"subject\":\"x\",\"sujet\":\"y\"}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"subject\":null}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"subject\":true}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"priority\":\"HIGH\"}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"assignee\":\"ghost\"}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"area\":{}}", 422, "invalid_field");
  expect_error (f, "PATCH", path, f->ana, "{\"subject\":\"x\"", 400, "invalid_json");
  expect_error (f, "PATCH", path, f->ana, "[]", 400, "invalid_json");
  body = g_strdup_printf ("{\"description\":\"%s\"}", long_text);
  expect_error (f, "PATCH", path, f->ana, body, 422, "invalid_field");

  /* an empty patch and a patch to the same values write no history */
  send_ok (f, "PATCH", path, f->ana, "{}", &reply);
  reply_clear (&reply);
  send_ok (f, "PATCH", path, f->ana, "{\"subject\":\"New subject\",\"priority\":\"urgent\"}", &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "subject"), ==, "New subject");
  reply_clear (&reply);

  request (f, "GET", history, f->ana, NULL, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, n_history);
  reply_clear (&reply);

  request (f, "GET", path, f->ana, NULL, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "subject"), ==, "New subject");
  g_assert_cmpstr (rd_test_member (reply.json, "priority"), ==, "urgent");
  reply_clear (&reply);
}

/* API.md: open→in_progress|cancelled, in_progress→resolved|open|cancelled,
 * resolved→closed|in_progress; closed and cancelled are final */
static const char * const allowed_moves[] = {
  "open>in_progress", "open>cancelled",
  "in_progress>resolved", "in_progress>open", "in_progress>cancelled",
  "resolved>closed", "resolved>in_progress",
  NULL
};

static const char * const states[] = { "open", "in_progress", "resolved", "closed", "cancelled", NULL };

/* a new ticket driven into @state along allowed moves */
static char *
ticket_in_state (Fixture    *f,
                 const char *state)
{
  char *number = create (f, f->sue, "{\"subject\":\"moving\"}");

  if (g_str_equal (state, "cancelled"))
    move (f, number, f->sue, "cancelled", NULL);
  if (g_str_equal (state, "in_progress") || g_str_equal (state, "resolved") || g_str_equal (state, "closed"))
    move (f, number, f->sue, "in_progress", NULL);
  if (g_str_equal (state, "resolved") || g_str_equal (state, "closed"))
    move (f, number, f->sue, "resolved", NULL);
  if (g_str_equal (state, "closed"))
    move (f, number, f->sue, "closed", "Requester confirmed by phone");

  return number;
}

static void
test_transitions (Fixture       *f,
                  gconstpointer  data)
{
  guint n_allowed = 0;

  for (guint i = 0; states[i] != NULL; i++)
    {
      for (guint j = 0; states[j] != NULL; j++)
        {
          g_autofree char *number = ticket_in_state (f, states[i]);
          g_autofree char *path = ticket_path (number, "/transition");
          g_autofree char *pair = g_strdup_printf ("%s>%s", states[i], states[j]);
          g_autofree char *body = g_strdup_printf ("{\"to\":\"%s\",\"note\":\"because\"}", states[j]);
          g_autofree char *ticket = ticket_path (number, "");
          Reply reply;

          g_test_message ("move %s", pair);
          request (f, "POST", path, f->sue, body, &reply);
          if (g_strv_contains (allowed_moves, pair))
            {
              g_assert_cmpuint (reply.status, ==, 200);
              g_assert_cmpstr (rd_test_member (reply.json, "state"), ==, states[j]);
              n_allowed++;
            }
          else
            {
              assert_error (&reply, 409, "invalid_transition");
            }
          reply_clear (&reply);

          /* the stored state agrees with the reply */
          request (f, "GET", ticket, f->sue, NULL, &reply);
          g_assert_cmpstr (rd_test_member (reply.json, "state"), ==,
                           g_strv_contains (allowed_moves, pair) ? states[j] : states[i]);
          reply_clear (&reply);
        }
    }

  g_assert_cmpuint (n_allowed, ==, g_strv_length ((char **) allowed_moves));
}

static void
test_transition_times (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *number = create (f, f->ana, "{\"subject\":\"times\"}");
  g_autofree char *path = ticket_path (number, "/transition");
  g_autofree char *first_response = NULL;
  Reply reply;

  /* malformed transitions */
  expect_error (f, "POST", path, f->ana, "{}", 422, "missing_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":\"done\"}", 422, "invalid_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":3}", 422, "invalid_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":\"in_progress\",\"note\":5}", 422, "invalid_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":\"in_progress\",\"why\":\"x\"}", 422, "invalid_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":", 400, "invalid_json");
  /* an impossible move is refused as such, note or not */
  expect_error (f, "POST", path, f->ana, "{\"to\":\"closed\"}", 409, "invalid_transition");

  send_ok (f, "POST", path, f->ana, "{\"to\":\"in_progress\"}", &reply);
  first_response = g_strdup (rd_test_member (reply.json, "first_response_at"));
  g_assert_nonnull (first_response);
  g_assert_null (rd_test_member (reply.json, "resolved_at"));
  reply_clear (&reply);

  send_ok (f, "POST", path, f->ana, "{\"to\":\"resolved\",\"note\":\"Replaced the valve\"}", &reply);
  g_assert_nonnull (rd_test_member (reply.json, "resolved_at"));
  g_assert_null (rd_test_member (reply.json, "closed_at"));
  g_assert_cmpstr (rd_test_member (reply.json, "first_response_at"), ==, first_response);
  reply_clear (&reply);

  /* reopening clears resolved_at and keeps the first response */
  send_ok (f, "POST", path, f->ana, "{\"to\":\"in_progress\"}", &reply);
  g_assert_null (rd_test_member (reply.json, "resolved_at"));
  g_assert_cmpstr (rd_test_member (reply.json, "first_response_at"), ==, first_response);
  reply_clear (&reply);
  send_ok (f, "POST", path, f->ana, "{\"to\":\"resolved\"}", &reply);
  g_assert_nonnull (rd_test_member (reply.json, "resolved_at"));
  reply_clear (&reply);

  /* closing needs the requester's confirmation */
  expect_error (f, "POST", path, f->ana, "{\"to\":\"closed\"}", 422, "missing_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":\"closed\",\"note\":null}", 422, "missing_field");
  expect_error (f, "POST", path, f->ana, "{\"to\":\"closed\",\"note\":\"  \\n \"}", 422, "missing_field");
  {
    g_autofree char *ticket = ticket_path (number, "");

    request (f, "GET", ticket, f->ana, NULL, &reply);
  }
  g_assert_cmpstr (rd_test_member (reply.json, "state"), ==, "resolved");
  reply_clear (&reply);

  send_ok (f, "POST", path, f->ana, "{\"to\":\"closed\",\"note\":\"Requester confirmed by phone\"}", &reply);
  g_assert_nonnull (rd_test_member (reply.json, "closed_at"));
  g_assert_nonnull (rd_test_member (reply.json, "resolved_at"));
  g_assert_cmpstr (rd_test_member (reply.json, "first_response_at"), ==, first_response);
  reply_clear (&reply);

  /* a cancelled ticket got its first response when it left open */
  {
    g_autofree char *other = create (f, f->ana, "{\"subject\":\"cancel me\"}");
    g_autofree char *other_path = ticket_path (other, "/transition");

    send_ok (f, "POST", other_path, f->ana, "{\"to\":\"cancelled\",\"note\":\"duplicate\"}", &reply);
    g_assert_nonnull (rd_test_member (reply.json, "first_response_at"));
    g_assert_null (rd_test_member (reply.json, "closed_at"));
    reply_clear (&reply);
  }
}

static void
assert_change (JsonArray  *items,
               guint       index,
               const char *username,
               const char *field,
               const char *old_value,
               const char *new_value,
               const char *note)
{
  JsonObject *item = NULL;
  g_autoptr(GDateTime) at = NULL;

  g_assert_true (rd_json_array_get_object (items, index, &item, NULL));
  g_assert_cmpstr (rd_test_member (item, "username"), ==, username);
  g_assert_cmpstr (rd_test_member (item, "field"), ==, field);
  g_assert_cmpstr (rd_test_member (item, "old_value"), ==, old_value);
  g_assert_cmpstr (rd_test_member (item, "new_value"), ==, new_value);
  g_assert_cmpstr (rd_test_member (item, "note"), ==, note);
  g_assert_true (rd_json_get_datetime (item, "at", RD_JSON_REQUIRED, &at, NULL));
  g_assert_nonnull (at);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *number = create (f, f->ana, "{\"subject\":\"Door stuck\",\"priority\":\"low\"}");
  g_autofree char *path = ticket_path (number, "");
  g_autofree char *history = ticket_path (number, "/history");
  JsonArray *items = NULL;
  Reply reply;

  send_ok (f, "PATCH", path, f->ana, "{\"subject\":\"Door stuck in hall B\",\"assignee\":\"tim\"}", &reply);
  reply_clear (&reply);
  move (f, number, f->tim, "in_progress", "On my way");
  send_ok (f, "PATCH", path, f->tim, "{\"priority\":\"high\"}", &reply);
  reply_clear (&reply);
  move (f, number, f->tim, "resolved", NULL);
  move (f, number, f->sue, "closed", "Requester confirmed");

  request (f, "GET", history, f->ana, NULL, &reply);
  g_test_message ("%s", reply.body);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 7);
  assert_change (items, 0, "ana", "created", NULL, NULL, NULL);
  assert_change (items, 1, "ana", "subject", "Door stuck", "Door stuck in hall B", NULL);
  assert_change (items, 2, "ana", "assignee", NULL, "tim", NULL);
  assert_change (items, 3, "tim", "state", "open", "in_progress", "On my way");
  assert_change (items, 4, "tim", "priority", "low", "high", NULL);
  assert_change (items, 5, "tim", "state", "in_progress", "resolved", NULL);
  assert_change (items, 6, "sue", "state", "resolved", "closed", "Requester confirmed");
  reply_clear (&reply);

  /* refused moves leave no trace */
  {
    g_autofree char *transition = ticket_path (number, "/transition");

    expect_error (f, "POST", transition, f->sue, "{\"to\":\"open\"}", 409, "invalid_transition");
  }
  request (f, "GET", history, f->sue, NULL, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 7);
  reply_clear (&reply);
}

static void
test_list_filters (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = create (f, f->sue,
                               "{\"subject\":\"Boiler leaking\",\"area\":\"Maintenance\",\"priority\":\"high\","
                               "\"requester_phone\":\"+49 (30) 123-4567\",\"assignee\":\"tim\"}");
  g_autofree char *b = create (f, f->sue,
                               "{\"subject\":\"Printer jam\",\"area\":\"IT\",\"priority\":\"low\","
                               "\"description\":\"The office printer on floor 2\",\"requester\":\"Jürgen Groß\"}");
  g_autofree char *c = create (f, f->sue,
                               "{\"subject\":\"Lights out\",\"area\":\"Maintenance\",\"priority\":\"urgent\","
                               "\"external_number\":\"SIG-4711\",\"assignee\":\"tom\","
                               "\"requester_phone\":\"0301234567\"}");
  g_autofree char *query = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *tomorrow_text = rd_datetime_format (tomorrow);
  g_autofree char *yesterday_text = rd_datetime_format (yesterday);
  g_autofree char *tomorrow_escaped = g_uri_escape_string (tomorrow_text, NULL, FALSE);
  g_autofree char *yesterday_escaped = g_uri_escape_string (yesterday_text, NULL, FALSE);

  g_assert_cmpstr (a, ==, "1000");
  g_assert_cmpstr (b, ==, "1001");
  g_assert_cmpstr (c, ==, "1002");
  move (f, b, f->sue, "in_progress", NULL);
  move (f, c, f->sue, "cancelled", NULL);

  assert_list (f, f->sue, "", "1002,1001,1000");

  /* state, one or several */
  assert_list (f, f->sue, "?state=open", "1000");
  assert_list (f, f->sue, "?state=in_progress", "1001");
  assert_list (f, f->sue, "?state=open,in_progress", "1001,1000");
  assert_list (f, f->sue, "?state=closed", "");

  /* area, assignee, priority */
  assert_list (f, f->sue, "?area=Maintenance", "1002,1000");
  assert_list (f, f->sue, "?area=IT", "1001");
  assert_list (f, f->sue, "?area=it", "");
  assert_list (f, f->sue, "?assignee=tim", "1000");
  assert_list (f, f->sue, "?assignee=tom", "1002");
  assert_list (f, f->sue, "?assignee=ana", "");
  assert_list (f, f->sue, "?priority=urgent", "1002");
  assert_list (f, f->sue, "?priority=low,high", "1001,1000");
  assert_list (f, f->sue, "?area=Maintenance&priority=high&state=open", "1000");

  /* full-text search over subject, description, requester, numbers */
  assert_list (f, f->sue, "?q=boiler", "1000");
  assert_list (f, f->sue, "?q=BOIL", "1000");
  assert_list (f, f->sue, "?q=printer%20floor", "1001");
  assert_list (f, f->sue, "?q=printer%20basement", "");
  assert_list (f, f->sue, "?q=jurgen", "1001");
  assert_list (f, f->sue, "?q=SIG-4711", "1002");
  assert_list (f, f->sue, "?q=1001", "1001");
  /* FTS syntax in the box is just text */
  assert_list (f, f->sue, "?q=%22boiler%20AND%20(", "");
  assert_list (f, f->sue, "?q=NEAR(boiler*", "");
  assert_list (f, f->sue, "?q=%20%20", "1002,1001,1000");

  /* the search follows edits */
  {
    g_autofree char *path = ticket_path (a, "");
    Reply reply;

    send_ok (f, "PATCH", path, f->sue, "{\"subject\":\"Radiator cold\"}", &reply);
    reply_clear (&reply);
    assert_list (f, f->sue, "?q=boiler", "");
    assert_list (f, f->sue, "?q=radiator", "1000");
  }

  /* phone: digits match whatever the punctuation */
  assert_list (f, f->sue, "?phone=%2B49301234567", "1000");
  assert_list (f, f->sue, "?phone=49-30-123%204567", "1000");
  assert_list (f, f->sue, "?phone=0301234567", "1002");
  assert_list (f, f->sue, "?phone=999", "");

  /* since: created at or after */
  query = g_strdup_printf ("?since=%s", yesterday_escaped);
  assert_list (f, f->sue, query, "1002,1001,1000");
  g_free (query);
  query = g_strdup_printf ("?since=%s", tomorrow_escaped);
  assert_list (f, f->sue, query, "");

  /* bad parameters */
  expect_error (f, "GET", RD_API_PATH_TICKETS "?state=shut", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?state=open,", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?priority=medium", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?assignee=a%20b", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?phone=abc", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?since=yesterday", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?since=2026-01-01T00:00:00", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?cursor=abc", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?cursor=-1", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?limit=0", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?limit=501", f->sue, NULL, 422, "invalid_field");
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  g_autofree char *late = NULL;
  guint pages = 0;

  for (guint i = 0; i < 7; i++)
    g_free (create (f, f->sue, "{\"subject\":\"page me\"}"));

  do
    {
      g_autofree char *query = NULL;
      g_autoptr(GPtrArray) numbers = NULL;
      char *next = NULL;

      if (cursor != NULL)
        query = g_strdup_printf ("?limit=3&cursor=%s", cursor);
      else
        query = g_strdup ("?limit=3");
      numbers = list_numbers (f, f->sue, query, &next);
      g_free (cursor);
      cursor = next;

      g_assert_cmpuint (numbers->len, <=, 3);
      for (guint i = 0; i < numbers->len; i++)
        g_ptr_array_add (seen, g_strdup (g_ptr_array_index (numbers, i)));
      if (cursor != NULL)
        g_assert_cmpstr (cursor, ==, g_ptr_array_index (numbers, numbers->len - 1));

      /* a ticket created while paging does not shift the pages */
      if (pages == 0)
        late = create (f, f->sue, "{\"subject\":\"late\"}");
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen->len, ==, 7);
  for (guint i = 0; i < seen->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%u", 1006 - i);
      g_assert_cmpstr (g_ptr_array_index (seen, i), ==, expected);
    }
  g_assert_cmpstr (late, ==, "1007");

  /* an exact fit has no next page */
  {
    g_autofree char *next = NULL;
    g_autoptr(GPtrArray) numbers = list_numbers (f, f->sue, "?limit=8", &next);

    g_assert_cmpuint (numbers->len, ==, 8);
    g_assert_null (next);
  }
  assert_list (f, f->sue, "?cursor=1002", "1001,1000");
  assert_list (f, f->sue, "?cursor=1000", "");
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  /* ana's ticket goes to tim; bob's stays unassigned; sue's is assigned to ana */
  g_autofree char *t1 = create (f, f->ana, "{\"subject\":\"ana's\",\"assignee\":\"tim\"}");
  g_autofree char *t2 = create (f, f->bob, "{\"subject\":\"bob's\"}");
  g_autofree char *t3 = create (f, f->sue, "{\"subject\":\"for ana\",\"assignee\":\"ana\"}");
  g_autofree char *t4 = create (f, f->root, "{\"subject\":\"root's\"}");
  struct
  {
    const char *token;
    const char *visible;
  } who[] = {
    { f->root, "1003,1002,1001,1000" },
    { f->sue,  "1003,1002,1001,1000" },
    { f->ana,  "1002,1000" },
    { f->bob,  "1001" },
    { f->tim,  "1000" },
    { f->tom,  "" },
  };
  const char *numbers[] = { t1, t2, t3, t4 };
  Reply reply;

  g_assert_cmpstr (t1, ==, "1000");
  g_assert_cmpstr (t4, ==, "1003");

  /* technicians do not create tickets */
  expect_error (f, "POST", RD_API_PATH_TICKETS, f->tim, "{\"subject\":\"x\"}", 403, "forbidden");

  for (guint u = 0; u < G_N_ELEMENTS (who); u++)
    {
      g_auto(GStrv) visible = g_strsplit (who[u].visible, ",", -1);

      assert_list (f, who[u].token, "", who[u].visible);

      for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
        {
          g_autofree char *path = ticket_path (numbers[i], "");
          g_autofree char *history = ticket_path (numbers[i], "/history");
          gboolean sees = g_strv_contains ((const char * const *) visible, numbers[i]);

          g_test_message ("user %u, ticket %s: %s", u, numbers[i], sees ? "sees" : "does not see");
          request (f, "GET", path, who[u].token, NULL, &reply);
          if (sees)
            g_assert_cmpuint (reply.status, ==, 200);
          else
            assert_error (&reply, 403, "forbidden");
          reply_clear (&reply);

          request (f, "GET", history, who[u].token, NULL, &reply);
          if (sees)
            g_assert_cmpuint (reply.status, ==, 200);
          else
            assert_error (&reply, 403, "forbidden");
          reply_clear (&reply);

          request (f, "PATCH", path, who[u].token, "{\"category\":\"checked\"}", &reply);
          if (sees)
            g_assert_cmpuint (reply.status, ==, 200);
          else
            assert_error (&reply, 403, "forbidden");
          reply_clear (&reply);
        }
    }

  /* moving: tim works his ticket, tom cannot touch it, ana cannot touch bob's */
  move (f, t1, f->tim, "in_progress", NULL);
  expect_error (f, "POST", RD_API_PATH_TICKETS "/1000/transition", f->tom, "{\"to\":\"resolved\"}",
                403, "forbidden");
  expect_error (f, "POST", RD_API_PATH_TICKETS "/1001/transition", f->ana, "{\"to\":\"cancelled\"}",
                403, "forbidden");
  move (f, t2, f->bob, "cancelled", NULL);
  move (f, t3, f->ana, "in_progress", NULL);

  /* refused requests changed nothing */
  request (f, "GET", RD_API_PATH_TICKETS "/1000", f->root, NULL, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "state"), ==, "in_progress");
  reply_clear (&reply);

  /* once tim hands the ticket to tom, it leaves tim's queue */
  {
    Reply patched;

    send_ok (f, "PATCH", RD_API_PATH_TICKETS "/1000", f->tim, "{\"assignee\":\"tom\"}", &patched);
    reply_clear (&patched);
  }
  assert_list (f, f->tim, "", "");
  assert_list (f, f->tom, "", "1000");
  /* the filter never widens what a user sees */
  assert_list (f, f->bob, "?assignee=tom", "");

  /* no token, no tickets */
  expect_error (f, "GET", RD_API_PATH_TICKETS, NULL, NULL, 401, "unauthorized");
  expect_error (f, "POST", RD_API_PATH_TICKETS, NULL, "{\"subject\":\"x\"}", 401, "unauthorized");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/1000", NULL, NULL, 401, "unauthorized");
  expect_error (f, "PATCH", RD_API_PATH_TICKETS "/1000", NULL, "{}", 401, "unauthorized");
  expect_error (f, "POST", RD_API_PATH_TICKETS "/1000/transition", NULL, "{\"to\":\"open\"}",
                401, "unauthorized");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/1000/history", NULL, NULL, 401, "unauthorized");
}

/* ?scope=mine|groups|all and ?group= narrow the list within what each user sees */
static void
test_scopes (Fixture       *f,
             gconstpointer  data)
{
  const char *tickets[] = {
    "{\"subject\":\"desk, tom\",\"group\":\"Desk\",\"assignee\":\"tom\"}",
    "{\"subject\":\"field, ana\",\"group\":\"Field\",\"assignee\":\"ana\"}",
    "{\"subject\":\"bob's for ana\",\"assignee\":\"ana\"}",
    "{\"subject\":\"ana's, field\",\"group\":\"Field\",\"assignee\":\"tom\"}",
    "{\"subject\":\"ana's, desk\",\"group\":\"Desk\",\"assignee\":\"tom\"}",
    "{\"subject\":\"for tim\",\"assignee\":\"tim\"}",
  };
  const char *creators[] = { f->root, f->root, f->bob, f->ana, f->ana, f->root };
  struct
  {
    const char *token;
    const char *query;
    const char *expected;
  } lists[] = {
    { f->ana, "",                          "1004,1003,1002,1001" },
    { f->ana, "?scope=mine",               "1002,1001" },
    /* 1000 is Desk's but not ana's to see: an agent sees what she created or holds */
    { f->ana, "?scope=groups",             "1004,1002,1001" },
    { f->ana, "?group=Desk",               "1004" },
    { f->tim, "",                          "1005,1004,1000" },
    { f->tim, "?scope=mine",               "1005" },
    { f->tim, "?scope=groups",             "1005,1004,1000" },
    { f->tom, "?scope=mine",               "1004,1003,1000" },
    { f->tom, "?scope=groups",             "1004,1003,1001,1000" },
    { f->tom, "?scope=groups&group=Field", "1003,1001" },
    { f->sue, "",                          "1005,1004,1003,1002,1001,1000" },
    { f->sue, "?scope=all",                "1005,1004,1003,1002,1001,1000" },
    { f->sue, "?scope=mine",               "" },
    { f->sue, "?scope=groups",             "" },
    { f->sue, "?scope=all&group=Desk",     "1004,1000" },
    { f->root, "?group=Nobody",            "" },
  };
  Reply reply;

  request (f, "POST", RD_API_PATH_GROUPS, f->root, "{\"name\":\"Desk\",\"members\":[\"ana\",\"tim\"]}",
           &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  reply_clear (&reply);
  request (f, "POST", RD_API_PATH_GROUPS, f->root, "{\"name\":\"Field\",\"members\":[\"tom\"]}", &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  reply_clear (&reply);

  for (guint i = 0; i < G_N_ELEMENTS (tickets); i++)
    g_free (create (f, creators[i], tickets[i]));

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    assert_list (f, lists[i].token, lists[i].query, lists[i].expected);

  /* all is for supervisors and admins */
  expect_error (f, "GET", RD_API_PATH_TICKETS "?scope=all", f->ana, NULL, 403, "forbidden");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?scope=all", f->tim, NULL, 403, "forbidden");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?scope=everyone", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?scope=MINE", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_TICKETS "?group="
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", f->sue, NULL,
                422, "invalid_field");
}

static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RdStore *store = rd_daemon_get_store (f->daemon);

  /* the daemon's database is at the current version, and checks */
  g_assert_cmpuint (rd_store_get_schema_version (store, &error), ==, RD_STORE_SCHEMA_VERSION);
  g_assert_no_error (error);
  g_assert_true (rd_store_check (store, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* one yescrypt hash for every test user keeps the suite quick */
  rd_test_password_hash ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, rd_test_desk_tear_down)

  ADD ("/tickets/migration", test_migration);
  ADD ("/tickets/create-and-get", test_create_and_get);
  ADD ("/tickets/create-invalid", test_create_invalid);
  ADD ("/tickets/numbering", test_numbering);
  ADD ("/tickets/patch", test_patch);
  ADD ("/tickets/transitions", test_transitions);
  ADD ("/tickets/transition-times", test_transition_times);
  ADD ("/tickets/history", test_history);
  ADD ("/tickets/list-filters", test_list_filters);
  ADD ("/tickets/paging", test_paging);
  ADD ("/tickets/roles", test_roles);
  ADD ("/tickets/scopes", test_scopes);

#undef ADD

  ret = g_test_run ();

  return ret;
}
