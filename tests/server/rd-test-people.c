/* rd-test-people.c: a daemon with users, for the groups, customers, places and
 * work-order tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test gets an RdDaemon on 127.0.0.1:0 with a fresh sqlite file in a
 * temp dir, six users of every role signed in over HTTP, and a SoupSession.
 * The config may be extended per test with the fixture's data (a keyfile
 * fragment).
 */

#define G_LOG_DOMAIN "RdTestPeople"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rd-test-people.h"

/* Hashes the one password every test user has (yescrypt is slow). */
void
rd_test_people_init (void)
{
  rd_test_password_hash ();
}

static void
start_daemon (RdTestPeople *f)
{
  g_clear_object (&f->config);
  f->config = rd_test_config_new (f->conf, f->dir);
  g_free (f->base);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
}

/**
 * rd_test_people_set_up:
 * @data: (nullable): more server.conf text
 */
void
rd_test_people_set_up (RdTestPeople  *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const RdTestUser users[] = {
    { "root", RD_ROLE_ADMIN, NULL, &f->root },
    { "sue", RD_ROLE_SUPERVISOR, NULL, &f->sue },
    { "ana", RD_ROLE_AGENT, NULL, &f->ana },
    { "tim", RD_ROLE_TECHNICIAN, NULL, &f->tim },
    { "tom", RD_ROLE_TECHNICIAN, NULL, &f->tom },
    { "ted", RD_ROLE_TECHNICIAN, NULL, &f->ted },
  };

  rd_test_people_init ();

  f->dir = g_dir_make_tmp ("rd-people-XXXXXX", &error);
  g_assert_no_error (error);
  f->conf = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n[numbering]\nstart=100\n%s",
                             data != NULL ? (const char *) data : "");
  start_daemon (f);

  f->session = soup_session_new ();
  rd_test_add_users (rd_daemon_get_store (f->daemon), f->session, f->base, users, G_N_ELEMENTS (users));
}

/* Stops the daemon and starts a new one on the same data dir (tokens stay). */
void
rd_test_people_restart (RdTestPeople *f)
{
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  start_daemon (f);
}

void
rd_test_people_tear_down (RdTestPeople  *f,
                          gconstpointer  data)
{
  g_clear_object (&f->session);
  if (f->daemon != NULL)
    rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  g_clear_object (&f->config);

  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->conf);
  g_free (f->base);
  g_free (f->root);
  g_free (f->sue);
  g_free (f->ana);
  g_free (f->tim);
  g_free (f->tom);
  g_free (f->ted);
}

RdServer *
rd_test_people_server (RdTestPeople *f)
{
  return rd_daemon_get_server (f->daemon);
}

void
rd_test_people_request (RdTestPeople *f,
                        const char   *method,
                        const char   *path,
                        const char   *token,
                        const char   *json,
                        Reply        *reply)
{
  rd_test_request (f->session, f->base, method, path, token, json, reply);
  g_test_message ("%s %s: %u %s", method, path, reply->status, reply->body);
}

/* A request that must answer @status with a JSON body; clear @reply after. */
void
rd_test_people_expect (RdTestPeople *f,
                       const char   *method,
                       const char   *path,
                       const char   *token,
                       const char   *json,
                       guint         status,
                       Reply        *reply)
{
  rd_test_people_request (f, method, path, token, json, reply);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->json);
}

void
rd_test_people_expect_error (RdTestPeople *f,
                             const char   *method,
                             const char   *path,
                             const char   *token,
                             const char   *json,
                             guint         status,
                             const char   *code)
{
  rd_test_expect_error (f->session, f->base, method, path, token, json, status, code);
}

/**
 * rd_test_people_common_errors:
 *
 * What every JSON-body route must refuse the same way: no token, malformed
 * JSON, JSON that is not an object, another Content-Type, a body over the
 * limit (announced and chunked).
 */
void
rd_test_people_common_errors (RdTestPeople *f,
                              const char   *method,
                              const char   *path,
                              const char   *token)
{
  g_autofree char *big = NULL;
  gsize size = rd_config_get_max_body_size (f->config) + 16;
  Reply reply;

  rd_test_people_expect_error (f, method, path, NULL, "{}", 401, "unauthorized");
  rd_test_people_expect_error (f, method, path, token, "{\"name\":", 400, "invalid_json");
  rd_test_people_expect_error (f, method, path, token, "[1,2]", 400, "invalid_json");
  rd_test_people_expect_error (f, method, path, token, "{\"name\":\"a\",}", 400, "invalid_json");

  rd_test_request_full (f->session, f->base, method, path, token, "text/plain", "{}", 2, &reply);
  rd_test_assert_error (&reply, 415, "unsupported_media_type");
  rd_test_reply_clear (&reply);

  big = g_malloc (size + 1);
  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';
  big[size] = '\0';
  rd_test_request_full (f->session, f->base, method, path, token, "application/json", big,
                        (gssize) size, &reply);
  rd_test_assert_error (&reply, 413, "too_large");
  rd_test_reply_clear (&reply);
  rd_test_request_full (f->session, f->base, method, path, token, "application/json", big, -1,
                        &reply);
  rd_test_assert_error (&reply, 413, "too_large");
  rd_test_reply_clear (&reply);
}

/* POSTs @json, expects 201 and returns @id_member of the reply. */
char *
rd_test_people_create (RdTestPeople *f,
                       const char   *path,
                       const char   *token,
                       const char   *json,
                       const char   *id_member)
{
  Reply reply;
  char *id;

  rd_test_people_expect (f, "POST", path, token, json, 201, &reply);
  id = g_strdup (rd_test_member (reply.json, id_member));
  g_assert_nonnull (id);
  g_assert_nonnull (soup_message_headers_get_one (reply.headers, "Location"));
  rd_test_reply_clear (&reply);

  return id;
}
