/* test-http.c: the HTTP API of an in-process RdDaemon on 127.0.0.1:0, driven by
 * a real SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestHttp"

#include "config.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-test-http.h"

#define MAX_BODY 4096

typedef struct
{
  char        *dir;
  RdDaemon    *daemon;
  SoupSession *session;
  char        *base;
  char        *admin_token;
  char        *agent_token;
} Fixture;

typedef RdTestReply Reply;

#define reply_clear rd_test_reply_clear
#define assert_error rd_test_assert_error

static void
request_full (Fixture     *f,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *content_type,
              const char  *body,
              gssize       body_length,
              Reply       *reply)
{
  rd_test_request_full (f->session, f->base, method, path, token, content_type, body,
                        body_length, reply);
}

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
add_user (RdStore    *store,
          const char *username,
          const char *password,
          const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = rd_auth_hash_password (password, &error);

  g_assert_no_error (error);
  rd_test_add_user (store, username, hash, role);
}

static char *
sign_in (Fixture    *f,
         const char *username,
         const char *password)
{
  return rd_test_sign_in (f->session, f->base, username, password);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConfig) config = rd_config_new ();
  const char *conf = "[server]\nlisten=127.0.0.1:0\nmax-body-size=" G_STRINGIFY (MAX_BODY) "\n";

  f->dir = g_dir_make_tmp ("rd-http-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_true (rd_config_load_from_data (config, conf, strlen (conf), &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (config, f->dir);

  f->daemon = rd_daemon_new (config);
  g_assert_true (rd_daemon_start (f->daemon, &error));
  g_assert_no_error (error);
  f->base = rd_daemon_get_uri (f->daemon);
  g_assert_true (g_str_has_prefix (f->base, "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (f->base, ":0/"));

  add_user (rd_daemon_get_store (f->daemon), "root", "rootpass1", RD_ROLE_ADMIN);
  add_user (rd_daemon_get_store (f->daemon), "ana", "anapass12", RD_ROLE_AGENT);

  f->session = soup_session_new ();
  f->admin_token = sign_in (f, "root", "rootpass1");
  f->agent_token = sign_in (f, "ana", "anapass12");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);

  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->admin_token);
  g_free (f->agent_token);
}

static void
test_healthz (Fixture       *f,
              gconstpointer  data)
{
  Reply reply;

  request (f, "GET", RD_API_PATH_HEALTHZ, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) health = rd_json_parse_object (reply.body, -1, &error);
    JsonArray *links = NULL;
    JsonObject *link = NULL;
    const char *value = NULL;

    g_assert_no_error (error);
    g_assert_true (rd_json_get_string (health, "status", RD_JSON_REQUIRED, &value, NULL));
    g_assert_cmpstr (value, ==, "ok");
    g_assert_true (rd_json_get_string (health, "db", RD_JSON_REQUIRED, &value, NULL));
    g_assert_cmpstr (value, ==, "ok");
    /* the default link, CSTA to 192.0.2.10 (TEST-NET-1: nobody answers) */
    g_assert_true (rd_json_get_string (health, "cti", RD_JSON_REQUIRED, &value, NULL));
    g_assert_true (g_str_equal (value, "connecting") || g_str_equal (value, "down"));
    g_assert_true (rd_json_get_array (health, "links", RD_JSON_REQUIRED, &links, NULL));
    g_assert_cmpuint (json_array_get_length (links), ==, 1);
    link = json_array_get_object_element (links, 0);
    g_assert_true (rd_json_get_string (link, "name", RD_JSON_REQUIRED, &value, NULL));
    g_assert_cmpstr (value, ==, "csta");
  }
  reply_clear (&reply);

  /* with the database closed, the health check says so */
  rd_store_close (rd_daemon_get_store (f->daemon));
  g_test_expect_message ("RdHandlerOps", G_LOG_LEVEL_WARNING, "*not open*");
  request (f, "GET", RD_API_PATH_HEALTHZ, NULL, NULL, &reply);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (reply.status, ==, 503);
  g_assert_nonnull (strstr (reply.body, "\"db\":\"error\""));
  reply_clear (&reply);
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  Reply reply;

  request (f, "GET", RD_API_PATH_ME, f->agent_token, NULL, &reply);
  reply_clear (&reply);
  request (f, "GET", "/nowhere", NULL, NULL, &reply);
  reply_clear (&reply);

  request (f, "GET", RD_API_PATH_METRICS, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply.headers, "Content-Type"),
                                   "text/plain; version=0.0.4"));
  g_assert_nonnull (strstr (reply.body, "http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 1\n"));
  g_assert_nonnull (strstr (reply.body, "http_requests_total{method=\"POST\",route=\"/api/v1/session\",status=\"200\"} 2\n"));
  g_assert_nonnull (strstr (reply.body, "http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  g_assert_nonnull (strstr (reply.body, "# TYPE http_request_duration_seconds histogram\n"));
  g_assert_nonnull (strstr (reply.body, "http_request_duration_seconds_count{route=\"/api/v1/me\"} 1\n"));
  g_assert_nonnull (strstr (reply.body, "process_start_time_seconds "));
  g_assert_nonnull (strstr (reply.body, "\nringdesk_users 2\n"));
  /* the path sent by the client never becomes a label */
  g_assert_null (strstr (reply.body, "nowhere"));
  reply_clear (&reply);
}

static void
test_session_and_me (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *token = sign_in (f, "ana", "anapass12");
  const char *username = NULL;
  g_autoptr(JsonArray) roles = NULL;
  Reply reply;

  request (f, "GET", RD_API_PATH_ME, token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_string (reply.json, "username", RD_JSON_REQUIRED, &username, NULL));
  g_assert_cmpstr (username, ==, "ana");
  reply_clear (&reply);

  /* logout invalidates the token, and only that one */
  request (f, "DELETE", RD_API_PATH_SESSION, token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 204);
  g_assert_cmpstr (reply.body, ==, "");
  reply_clear (&reply);

  request (f, "GET", RD_API_PATH_ME, token, NULL, &reply);
  assert_error (&reply, 401, "unauthorized");
  reply_clear (&reply);

  request (f, "GET", RD_API_PATH_ME, f->agent_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);

  /* wrong password */
  request (f, "POST", RD_API_PATH_SESSION, NULL, "{\"username\":\"ana\",\"password\":\"nopenope\"}", &reply);
  assert_error (&reply, 401, "unauthorized");
  reply_clear (&reply);
}

static void
test_users_crud (Fixture       *f,
                 gconstpointer  data)
{
  const char *text = NULL;
  const char *cursor = NULL;
  JsonArray *items = NULL;
  gboolean active = TRUE;
  g_autofree char *bob_token = NULL;
  g_autofree char *bob_new_token = NULL;
  Reply reply;

  request (f, "POST", RD_API_PATH_USERS, f->admin_token,
           "{\"username\":\"bob\",\"display_name\":\"Bob Tech\",\"roles\":[\"technician\"],"
           "\"extension\":\"732\",\"password\":\"bobpass12\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==, RD_API_PATH_USERS "/bob");
  g_assert_true (rd_json_get_string (reply.json, "display_name", RD_JSON_REQUIRED, &text, NULL));
  g_assert_cmpstr (text, ==, "Bob Tech");
  g_assert_false (rd_json_has_member (reply.json, "password"));
  reply_clear (&reply);

  bob_token = sign_in (f, "bob", "bobpass12");

  request (f, "GET", RD_API_PATH_USERS "/bob", f->admin_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_string (reply.json, "extension", RD_JSON_REQUIRED, &text, NULL));
  g_assert_cmpstr (text, ==, "732");
  reply_clear (&reply);

  request (f, "GET", RD_API_PATH_USERS "/nobody", f->admin_token, NULL, &reply);
  assert_error (&reply, 404, "not_found");
  reply_clear (&reply);

  /* list with paging: ana, bob, root */
  request (f, "GET", RD_API_PATH_USERS "?limit=2", f->admin_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_true (rd_json_get_string (reply.json, "next_cursor", RD_JSON_REQUIRED, &cursor, NULL));
  g_assert_cmpstr (cursor, ==, "bob");
  reply_clear (&reply);
  request (f, "GET", RD_API_PATH_USERS "?limit=2&cursor=bob", f->admin_token, NULL, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  cursor = "unset";
  g_assert_true (rd_json_get_string (reply.json, "next_cursor", RD_JSON_NULLABLE | RD_JSON_REQUIRED,
                                     &cursor, NULL));
  g_assert_null (cursor);
  reply_clear (&reply);

  request (f, "GET", RD_API_PATH_USERS "?limit=0", f->admin_token, NULL, &reply);
  assert_error (&reply, 422, "invalid_field");
  reply_clear (&reply);
  request (f, "GET", RD_API_PATH_USERS "?limit=501", f->admin_token, NULL, &reply);
  assert_error (&reply, 422, "invalid_field");
  reply_clear (&reply);

  /* patch: new password ends bob's sessions */
  request (f, "PATCH", RD_API_PATH_USERS "/bob", f->admin_token,
           "{\"display_name\":null,\"roles\":[\"technician\",\"agent\"],\"password\":\"bobnewpass\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_string (reply.json, "display_name", RD_JSON_REQUIRED, &text, NULL));
  g_assert_cmpstr (text, ==, "bob");
  reply_clear (&reply);
  request (f, "GET", RD_API_PATH_ME, bob_token, NULL, &reply);
  assert_error (&reply, 401, "unauthorized");
  reply_clear (&reply);
  bob_new_token = sign_in (f, "bob", "bobnewpass");

  /* deactivation: no sign-in, old tokens dead */
  request (f, "PATCH", RD_API_PATH_USERS "/bob", f->admin_token, "{\"active\":false}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_boolean (reply.json, "active", RD_JSON_REQUIRED, &active, NULL));
  g_assert_false (active);
  reply_clear (&reply);
  request (f, "GET", RD_API_PATH_ME, bob_new_token, NULL, &reply);
  assert_error (&reply, 401, "unauthorized");
  reply_clear (&reply);
  request (f, "POST", RD_API_PATH_SESSION, NULL, "{\"username\":\"bob\",\"password\":\"bobnewpass\"}", &reply);
  assert_error (&reply, 401, "unauthorized");
  reply_clear (&reply);

  request (f, "PATCH", RD_API_PATH_USERS "/bob", f->admin_token, "{\"username\":\"robert\"}", &reply);
  assert_error (&reply, 422, "invalid_field");
  reply_clear (&reply);
  request (f, "PATCH", RD_API_PATH_USERS "/nobody", f->admin_token, "{\"active\":true}", &reply);
  assert_error (&reply, 404, "not_found");
  reply_clear (&reply);
}

/* The last active admin cannot be deactivated or lose the role: nobody
 * could manage users any more. */
static void
test_last_admin (Fixture       *f,
                 gconstpointer  data)
{
  gboolean active = TRUE;
  Reply reply;

  request (f, "PATCH", RD_API_PATH_USERS "/root", f->admin_token, "{\"active\":false}", &reply);
  assert_error (&reply, 409, "conflict");
  reply_clear (&reply);
  request (f, "PATCH", RD_API_PATH_USERS "/root", f->admin_token, "{\"roles\":[\"supervisor\"]}", &reply);
  assert_error (&reply, 409, "conflict");
  reply_clear (&reply);

  /* refused whole: the display name of the same patch is not kept either */
  request (f, "PATCH", RD_API_PATH_USERS "/root", f->admin_token,
           "{\"display_name\":\"Gone\",\"active\":false}", &reply);
  assert_error (&reply, 409, "conflict");
  reply_clear (&reply);
  request (f, "GET", RD_API_PATH_USERS "/root", f->admin_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (rd_test_member (reply.json, "display_name"), ==, "root");
  g_assert_true (rd_json_get_boolean (reply.json, "active", RD_JSON_REQUIRED, &active, NULL));
  g_assert_true (active);
  reply_clear (&reply);

  /* other changes to the last admin are fine */
  request (f, "PATCH", RD_API_PATH_USERS "/root", f->admin_token, "{\"extension\":\"700\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);

  /* with a second admin, the first may step down */
  request (f, "PATCH", RD_API_PATH_USERS "/ana", f->admin_token, "{\"roles\":[\"agent\",\"admin\"]}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);
  request (f, "PATCH", RD_API_PATH_USERS "/root", f->admin_token, "{\"active\":false}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);

  /* and now ana is the last one */
  request (f, "PATCH", RD_API_PATH_USERS "/ana", f->agent_token, "{\"roles\":[\"agent\"]}", &reply);
  assert_error (&reply, 409, "conflict");
  reply_clear (&reply);
}

/* Every error object of API.md, each from a real request. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *big = NULL;
  g_autofree char *expired_token = rd_auth_generate_token (NULL);
  g_autofree char *expired_hash = rd_auth_hash_token (expired_token);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const struct {
    const char *json;
    const char *code;
  } bad_users[] = {
    /* wrong JSON types */
    { "{\"username\":42,\"roles\":[\"agent\"],\"password\":\"longenough\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":\"agent\",\"password\":\"longenough\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[\"agent\"],\"password\":12345678}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[\"agent\"],\"active\":\"yes\",\"password\":\"longenough\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[{}],\"password\":\"longenough\"}", "invalid_field" },
    /* rules */
    { "{\"username\":\"bad name\",\"roles\":[\"agent\"],\"password\":\"longenough\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[\"king\"],\"password\":\"longenough\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[],\"password\":\"longenough\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[\"agent\"],\"password\":\"short\"}", "invalid_field" },
    { "{\"username\":\"x\",\"roles\":[\"agent\"],\"password\":\"longenough\",\"shoe\":1}", "invalid_field" },
    /* missing fields */
    { "{\"roles\":[\"agent\"],\"password\":\"longenough\"}", "missing_field" },
    { "{\"username\":\"x\",\"roles\":[\"agent\"]}", "missing_field" },
  };
  const char *malformed[] = {
    "{", "not json", "[1,2,3]", "\"string\"", "{\"a\":}", "",
  };
  Reply reply;

  /* unknown route, wrong method */
  request (f, "GET", "/api/v1/nothing-here", f->admin_token, NULL, &reply);
  assert_error (&reply, 404, "not_found");
  reply_clear (&reply);
  request (f, "GET", "/", NULL, NULL, &reply);
  assert_error (&reply, 404, "not_found");
  reply_clear (&reply);
  request (f, "PUT", RD_API_PATH_SESSION, f->admin_token, "{}", &reply);
  assert_error (&reply, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Allow"), ==, "POST, DELETE");
  reply_clear (&reply);
  request (f, "DELETE", RD_API_PATH_USERS "/ana", f->admin_token, NULL, &reply);
  assert_error (&reply, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Allow"), ==, "GET, PATCH");
  reply_clear (&reply);

  /* no token, bad token, expired token */
  request (f, "GET", RD_API_PATH_ME, NULL, NULL, &reply);
  assert_error (&reply, 401, "unauthorized");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply.headers, "WWW-Authenticate"), "Bearer"));
  reply_clear (&reply);
  request (f, "GET", RD_API_PATH_USERS, "made-up-token", NULL, &reply);
  assert_error (&reply, 401, "unauthorized");
  g_assert_nonnull (strstr (soup_message_headers_get_one (reply.headers, "WWW-Authenticate"), "invalid_token"));
  reply_clear (&reply);
  g_assert_true (rd_store_add_token (rd_daemon_get_store (f->daemon), expired_hash, "root",
                                     now - 100, now - 10, NULL));
  request (f, "GET", RD_API_PATH_ME, expired_token, NULL, &reply);
  assert_error (&reply, 401, "unauthorized");
  reply_clear (&reply);

  /* wrong role, before the body is even looked at */
  request (f, "GET", RD_API_PATH_USERS, f->agent_token, NULL, &reply);
  assert_error (&reply, 403, "forbidden");
  reply_clear (&reply);
  request (f, "POST", RD_API_PATH_USERS, f->agent_token, "{", &reply);
  assert_error (&reply, 403, "forbidden");
  reply_clear (&reply);

  /* malformed JSON */
  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      request (f, "POST", RD_API_PATH_USERS, f->admin_token, malformed[i], &reply);
      assert_error (&reply, 400, "invalid_json");
      reply_clear (&reply);
    }
  request (f, "POST", RD_API_PATH_SESSION, NULL, "{\"username\":", &reply);
  assert_error (&reply, 400, "invalid_json");
  reply_clear (&reply);

  /* wrong types and missing fields */
  for (gsize i = 0; i < G_N_ELEMENTS (bad_users); i++)
    {
      request (f, "POST", RD_API_PATH_USERS, f->admin_token, bad_users[i].json, &reply);
      assert_error (&reply, 422, bad_users[i].code);
      reply_clear (&reply);
    }
  request (f, "POST", RD_API_PATH_SESSION, NULL, "{\"username\":[\"root\"],\"password\":\"x\"}", &reply);
  assert_error (&reply, 422, "invalid_field");
  reply_clear (&reply);
  request (f, "POST", RD_API_PATH_SESSION, NULL, "{\"username\":\"root\"}", &reply);
  assert_error (&reply, 422, "missing_field");
  reply_clear (&reply);

  /* oversize body: by Content-Length, and chunked without one */
  big = g_strnfill (MAX_BODY + 1, ' ');
  big[0] = '{';
  big[MAX_BODY] = '}';
  request (f, "POST", RD_API_PATH_SESSION, NULL, big, &reply);
  assert_error (&reply, 413, "too_large");
  reply_clear (&reply);
  request_full (f, "POST", RD_API_PATH_USERS, f->admin_token, "application/json", big, -1, &reply);
  assert_error (&reply, 413, "too_large");
  reply_clear (&reply);
  /* a chunked body under the limit is fine */
  request_full (f, "POST", RD_API_PATH_SESSION, NULL, "application/json",
                "{\"username\":\"root\",\"password\":\"rootpass1\"}", -1, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);

  /* wrong content type */
  request_full (f, "POST", RD_API_PATH_SESSION, NULL, "text/plain",
                "{\"username\":\"root\",\"password\":\"rootpass1\"}", 41, &reply);
  assert_error (&reply, 415, "unsupported_media_type");
  reply_clear (&reply);
  request_full (f, "POST", RD_API_PATH_USERS, f->admin_token, "application/x-www-form-urlencoded",
                "username=x", 10, &reply);
  assert_error (&reply, 415, "unsupported_media_type");
  reply_clear (&reply);

  /* duplicate user */
  request (f, "POST", RD_API_PATH_USERS, f->admin_token,
           "{\"username\":\"ana\",\"roles\":[\"agent\"],\"password\":\"longenough\"}", &reply);
  assert_error (&reply, 409, "conflict");
  reply_clear (&reply);

  /* after all that, the server still answers and nothing was stored */
  request (f, "GET", RD_API_PATH_HEALTHZ, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);
  g_assert_cmpint (rd_store_count_users (rd_daemon_get_store (f->daemon), NULL), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/http/healthz", test_healthz);
  ADD ("/http/metrics", test_metrics);
  ADD ("/http/session-and-me", test_session_and_me);
  ADD ("/http/users-crud", test_users_crud);
  ADD ("/http/last-admin", test_last_admin);
  ADD ("/http/errors", test_errors);

#undef ADD

  return g_test_run ();
}
