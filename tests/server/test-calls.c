/* test-calls.c: the /calls routes of an in-process RdDaemon on 127.0.0.1:0,
 * driven by a real SoupSession, with calls fed through a scripted link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestCalls"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-ticket-store.h"
#include "rd-test-http.h"
#include "rd-test-link.h"


typedef struct
{
  char         *dir;
  RdConfig     *config;
  RdDaemon     *daemon;
  RdCallEngine *engine;
  RdTestLink   *link;
  SoupSession  *session;
  char         *base;
  GDateTime    *base_time;
  guint         logs;
  char         *sue;   /* supervisor */
  char         *root;  /* admin */
  char         *ana;   /* agent at 732 */
  char         *bob;   /* agent at 733 */
  char         *tim;   /* technician at 731 */
  char         *nox;   /* agent without an extension */
} Fixture;

typedef RdTestReply Reply;

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

static void
hop_log_cb (RdCallEngine *engine,
            const char   *filename,
            Fixture      *f)
{
  f->logs++;
}

static void
emit (Fixture        *f,
      RdCtiEventType  type,
      const char     *call_id,
      const char     *extension,
      const char     *calling,
      int             seconds)
{
  g_autoptr(RdCtiEvent) event = rd_cti_event_new (type, "test");

  event->call_id = g_strdup (call_id);
  event->extension = g_strdup (extension);
  event->calling = g_strdup (calling);
  g_date_time_unref (event->at);
  event->at = g_date_time_add_seconds (f->base_time, seconds);
  rd_test_link_emit (f->link, event);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *conf = "[server]\nlisten=127.0.0.1:0\n[numbering]\nstart=1000\nauto-ticket=incoming\n";
  const RdTestUser users[] = {
    { "root", RD_ROLE_ADMIN, NULL, &f->root },
    { "sue", RD_ROLE_SUPERVISOR, NULL, &f->sue },
    { "ana", RD_ROLE_AGENT, "732", &f->ana },
    { "bob", RD_ROLE_AGENT, "733", &f->bob },
    { "tim", RD_ROLE_TECHNICIAN, "731", &f->tim },
    { "nox", RD_ROLE_AGENT, NULL, &f->nox },
  };

  f->dir = g_dir_make_tmp ("rd-calls-XXXXXX", &error);
  g_assert_no_error (error);

  f->config = rd_test_config_new (conf, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
  f->engine = rd_daemon_get_call_engine (f->daemon);
  g_assert_nonnull (f->engine);
  g_signal_connect (f->engine, "hop-log-written", G_CALLBACK (hop_log_cb), f);

  f->link = rd_test_link_new ("test");
  rd_cti_link_start (RD_CTI_LINK (f->link));
  rd_call_engine_add_link (f->engine, RD_CTI_LINK (f->link));
  f->base_time = g_date_time_new_local (2026, 11, 22, 14, 0, 0);

  f->session = soup_session_new ();
  rd_test_add_users (rd_daemon_get_store (f->daemon), f->session, f->base, users, G_N_ELEMENTS (users));

  /* call 1 rings 732 (ticket 1000), is answered there and ends;
   * call 2 rings 733 then 731 (ticket 1001), nobody answers */
  emit (f, RD_CTI_EVENT_RINGING, "c1", "732", "03472619287", 0);
  emit (f, RD_CTI_EVENT_ANSWERED, "c1", "732", NULL, 5);
  emit (f, RD_CTI_EVENT_CLEARED, "c1", NULL, NULL, 65);
  emit (f, RD_CTI_EVENT_RINGING, "c2", "733", "0612345678", 120);
  emit (f, RD_CTI_EVENT_RINGING, "c2", "731", "0612345678", 130);
  emit (f, RD_CTI_EVENT_CLEARED, "c2", NULL, NULL, 150);
  rd_test_wait_for (&f->logs, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  while (rd_call_engine_get_n_pending_writes (f->engine) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (f->engine, f);
  g_clear_object (&f->session);
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  g_clear_object (&f->link);
  g_clear_object (&f->config);
  g_clear_pointer (&f->base_time, g_date_time_unref);
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->sue);
  g_free (f->root);
  g_free (f->ana);
  g_free (f->bob);
  g_free (f->tim);
  g_free (f->nox);
}

/* "2,1": the ids of a list reply, in order */
static char *
list_ids (Fixture    *f,
          const char *token,
          const char *query,
          char      **next_cursor)
{
  g_autofree char *path = g_strconcat (RD_API_PATH_CALLS, query, NULL);
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *items = NULL;
  const char *cursor = NULL;
  Reply reply;

  request (f, "GET", path, token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = NULL;
      const char *id = NULL;

      g_assert_true (rd_json_array_get_object (items, i, &item, NULL));
      g_assert_true (rd_json_get_string (item, "id", RD_JSON_REQUIRED, &id, NULL));
      if (ids->len > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, id);
    }
  g_assert_true (rd_json_get_string (reply.json, "next_cursor", RD_JSON_NULLABLE, &cursor, NULL));
  if (next_cursor != NULL)
    *next_cursor = g_strdup (cursor);
  rd_test_reply_clear (&reply);

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
assert_ids (Fixture    *f,
            const char *token,
            const char *query,
            const char *expected)
{
  g_autofree char *ids = list_ids (f, token, query, NULL);

  g_assert_cmpstr (ids, ==, expected);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *page = NULL;
  g_autofree char *since = NULL;
  g_autofree char *since_query = NULL;
  g_autofree char *since_escaped = NULL;
  g_autoptr(GDateTime) after_first = g_date_time_add_seconds (f->base_time, 60);

  /* supervisors and admins see every call; the others what rang their extension */
  assert_ids (f, f->sue, "", "2,1");
  assert_ids (f, f->root, "", "2,1");
  assert_ids (f, f->ana, "", "1");
  assert_ids (f, f->bob, "", "2");
  assert_ids (f, f->tim, "", "2");
  assert_ids (f, f->nox, "", "");
  /* a filter never widens what a user sees */
  assert_ids (f, f->ana, "?extension=733", "");

  assert_ids (f, f->sue, "?extension=731", "2");
  assert_ids (f, f->sue, "?phone=03472619287", "1");
  assert_ids (f, f->sue, "?phone=%2B34%20612%20345%20678", "");
  since = rd_datetime_format (after_first);
  since_escaped = g_uri_escape_string (since, NULL, TRUE);
  since_query = g_strdup_printf ("?since=%s", since_escaped);
  assert_ids (f, f->sue, since_query, "2");

  page = list_ids (f, f->sue, "?limit=1", &cursor);
  g_assert_cmpstr (page, ==, "2");
  g_assert_cmpstr (cursor, ==, "2");
  {
    g_autofree char *query = g_strdup_printf ("?limit=1&cursor=%s", cursor);
    g_autofree char *last = NULL;
    g_autofree char *end = NULL;

    last = list_ids (f, f->sue, query, &end);
    g_assert_cmpstr (last, ==, "1");
    g_assert_null (end);
  }

  expect_error (f, "GET", RD_API_PATH_CALLS "?since=yesterday", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_CALLS "?extension=7x", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_CALLS "?phone=abc", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_CALLS "?cursor=-1", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_CALLS "?limit=0", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_CALLS, NULL, NULL, 401, "unauthorized");
}

static void
test_get (Fixture       *f,
          gconstpointer  data)
{
  JsonArray *hops = NULL;
  JsonArray *tickets = NULL;
  JsonObject *hop = NULL;
  const char *value = NULL;
  Reply reply;

  request (f, "GET", RD_API_PATH_CALLS "/1", f->ana, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_string (reply.json, "outcome", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "answered");
  g_assert_true (rd_json_get_string (reply.json, "from", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "03472619287");
  g_assert_true (rd_json_get_array (reply.json, "tickets", RD_JSON_REQUIRED, &tickets, NULL));
  g_assert_true (rd_json_array_get_string (tickets, 0, &value, NULL));
  g_assert_cmpstr (value, ==, "1000");
  g_assert_true (rd_json_get_array (reply.json, "hops", RD_JSON_REQUIRED, &hops, NULL));
  g_assert_cmpuint (json_array_get_length (hops), ==, 1);
  g_assert_true (rd_json_array_get_object (hops, 0, &hop, NULL));
  g_assert_true (rd_json_get_string (hop, "extension", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "732");
  g_assert_true (rd_json_get_string (hop, "outcome", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "answered");
  rd_test_reply_clear (&reply);

  request (f, "GET", RD_API_PATH_CALLS "/2", f->tim, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_string (reply.json, "outcome", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "abandoned");
  rd_test_reply_clear (&reply);

  expect_error (f, "GET", RD_API_PATH_CALLS "/2", f->ana, NULL, 403, "forbidden");
  expect_error (f, "GET", RD_API_PATH_CALLS "/1", f->nox, NULL, 403, "forbidden");
  expect_error (f, "GET", RD_API_PATH_CALLS "/99", f->sue, NULL, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_CALLS "/abc", f->sue, NULL, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_CALLS "/1", NULL, NULL, 401, "unauthorized");
}

static void
test_dial (Fixture       *f,
           gconstpointer  data)
{
  GPtrArray *dials = rd_test_link_get_dials (f->link);
  const char *value = NULL;
  Reply reply;

  request (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"732\",\"to\":\"0612345678\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 202);
  g_assert_true (rd_json_get_string (reply.json, "link_call_id", RD_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "mc-1");
  rd_test_reply_clear (&reply);
  g_assert_cmpuint (dials->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (dials, 0), ==, "732>0612345678");

  /* agents dial only from their own extension; supervisors from any */
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"733\",\"to\":\"0612345678\"}",
                403, "forbidden");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->nox, "{\"from_extension\":\"733\",\"to\":\"0612345678\"}",
                403, "forbidden");
  request (f, "POST", RD_API_PATH_CALLS, f->sue, "{\"from_extension\":\"733\",\"to\":\"+34 612 345 678\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 202);
  rd_test_reply_clear (&reply);
  g_assert_cmpuint (dials->len, ==, 2);

  /* malformed bodies */
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"732\"", 400, "invalid_json");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "[]", 400, "invalid_json");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"732\"}", 422, "missing_field");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":732,\"to\":\"0612\"}", 422,
                "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"732\",\"to\":\"call me\"}", 422,
                "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"7;2\",\"to\":\"0612\"}", 422,
                "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana,
                "{\"from_extension\":\"732\",\"to\":\"0612\",\"extra\":1}", 422, "invalid_field");
  g_assert_cmpuint (dials->len, ==, 2);

  /* the PBX refuses: 503; no connected link: 503 */
  rd_test_link_set_refuse (f->link, TRUE);
  g_test_expect_message ("RdHandlerCalls", G_LOG_LEVEL_INFO, "click-to-dial from 732 by ana");
  g_test_expect_message ("RdRequest", G_LOG_LEVEL_WARNING, "*The PBX refused*");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"732\",\"to\":\"0612345678\"}",
                503, "unavailable");
  rd_test_link_set_refuse (f->link, FALSE);
  rd_cti_link_stop (RD_CTI_LINK (f->link));
  g_test_expect_message ("RdRequest", G_LOG_LEVEL_WARNING, "*No connected PBX link*");
  expect_error (f, "POST", RD_API_PATH_CALLS, f->ana, "{\"from_extension\":\"732\",\"to\":\"0612345678\"}",
                503, "unavailable");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (dials->len, ==, 3);
}

static void
assert_call_tickets (JsonObject *call,
                     const char *expected)
{
  JsonArray *tickets = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);

  g_assert_true (rd_json_get_array (call, "tickets", RD_JSON_REQUIRED, &tickets, NULL));
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      const char *number = NULL;

      g_assert_true (rd_json_array_get_string (tickets, i, &number, NULL));
      if (joined->len > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, number);
    }
  g_assert_cmpstr (joined->str, ==, expected);
}

static void
test_bind (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RdTicketStore) tickets = rd_ticket_store_new (rd_daemon_get_store (f->daemon));
  g_autoptr(RdTicket) first = NULL;
  g_autoptr(RdTicket) created = NULL;
  g_autoptr(GError) error = NULL;
  Reply reply;

  /* an existing ticket, bound both ways */
  request (f, "POST", RD_API_PATH_CALLS "/2/tickets", f->sue, "{\"number\":\"1000\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_call_tickets (reply.json, "1001,1000");
  rd_test_reply_clear (&reply);
  first = rd_ticket_store_get (tickets, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_ticket_get_call_ids (first)[0], ==, "1");
  g_assert_cmpstr (rd_ticket_get_call_ids (first)[1], ==, "2");

  /* binding twice changes nothing */
  request (f, "POST", RD_API_PATH_CALLS "/2/tickets", f->sue, "{\"number\":\"1000\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_call_tickets (reply.json, "1001,1000");
  rd_test_reply_clear (&reply);

  /* a new ticket from the call carries the caller's number */
  request (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->ana,
           "{\"create\":{\"subject\":\"Leak in the kitchen\",\"priority\":\"high\"}}", &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  assert_call_tickets (reply.json, "1000,1002");
  rd_test_reply_clear (&reply);
  created = rd_ticket_store_get (tickets, 1002, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_ticket_get_subject (created), ==, "Leak in the kitchen");
  g_assert_cmpstr (rd_ticket_get_requester_phone (created), ==, "03472619287");
  g_assert_cmpint (rd_ticket_get_priority (created), ==, RD_PRIORITY_HIGH);
  g_assert_cmpstr (rd_ticket_get_call_ids (created)[0], ==, "1");

  /* refused and malformed */
  expect_error (f, "POST", RD_API_PATH_CALLS "/2/tickets", f->ana, "{\"number\":\"1000\"}", 403, "forbidden");
  expect_error (f, "POST", RD_API_PATH_CALLS "/2/tickets", f->tim, "{\"number\":\"1000\"}", 403, "forbidden");
  expect_error (f, "POST", RD_API_PATH_CALLS "/9/tickets", f->sue, "{\"number\":\"1000\"}", 404, "not_found");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"number\":\"99999\"}", 404, "not_found");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"number\":\"x1\"}", 404, "not_found");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"number\":1000}", 422, "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{}", 422, "missing_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue,
                "{\"number\":\"1000\",\"create\":{\"subject\":\"x\"}}", 422, "missing_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"create\":{}}", 422, "missing_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"create\":{\"subject\":5}}", 422,
                "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"create\":{\"subject\":\"  \"}}", 422,
                "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue,
                "{\"create\":{\"subject\":\"x\",\"state\":\"closed\"}}", 422, "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue,
                "{\"create\":{\"subject\":\"x\",\"priority\":\"now\"}}", 422, "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "{\"create\":[]}", 422, "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue,
                "{\"create\":{\"subject\":\"a\\u0007b\"}}", 422, "invalid_field");
  expect_error (f, "POST", RD_API_PATH_CALLS "/1/tickets", f->sue, "not json", 400, "invalid_json");

  /* nothing refused was created */
  {
    g_autoptr(RdTicket) none = rd_ticket_store_get (tickets, 1003, NULL, NULL);
    g_assert_null (none);
  }
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  const char *type;
  Reply reply;

  request (f, "GET", RD_API_PATH_CALL_LOG "?date=2026-11-22", f->sue, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  type = soup_message_headers_get_content_type (reply.headers, NULL);
  g_assert_cmpstr (type, ==, "text/plain");
  g_assert_cmpstr (reply.body, ==,
                   "22.11.2026_14.00_22.11.2026_14.01_Ticket_1000_Caller_03472619287_Called_732_END\n"
                   "22.11.2026_14.02_22.11.2026_14.02_Ticket_1001_Caller_0612345678_Called_733\n"
                   "22.11.2026_14.02_22.11.2026_14.02_Ticket_1001_Caller_0612345678_Called_731_END\n");
  rd_test_reply_clear (&reply);

  request (f, "GET", RD_API_PATH_CALL_LOG "?date=2026-11-23", f->root, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply.body, ==, "");
  rd_test_reply_clear (&reply);

  expect_error (f, "GET", RD_API_PATH_CALL_LOG "?date=2026-11-22", f->ana, NULL, 403, "forbidden");
  expect_error (f, "GET", RD_API_PATH_CALL_LOG "?date=2026-11-22", f->tim, NULL, 403, "forbidden");
  expect_error (f, "GET", RD_API_PATH_CALL_LOG, f->sue, NULL, 422, "missing_field");
  expect_error (f, "GET", RD_API_PATH_CALL_LOG "?date=..%2F..%2Fetc", f->sue, NULL, 422, "invalid_field");
  expect_error (f, "GET", RD_API_PATH_CALL_LOG "?date=2026-02-30", f->sue, NULL, 422, "invalid_field");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* one yescrypt hash for every test user keeps the suite quick */
  rd_test_password_hash ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/calls/list", test_list);
  ADD ("/calls/get", test_get);
  ADD ("/calls/dial", test_dial);
  ADD ("/calls/bind", test_bind);
  ADD ("/calls/log", test_log);

  ret = g_test_run ();
  return ret;
}
