/* fuzz-api-routes.c: arbitrary bodies for every route that reads a body
 * (JSON, CSV, the webhook's form, evidence bytes), sent to a server running
 * in this process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte of an input picks the route, the rest is the body. The
 * server is started once, with an admin signed in and one group, customer,
 * location, asset and ticket for the PATCH routes to change. Whatever the
 * body, the reply must be a 2xx, or a 4xx with the error object of API.md:
 * never a 5xx, a crash or a critical.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-test-http.h"

#include "fuzz.h"

#define PASSWORD "fuzzing-password"
#define WEBHOOK_SECRET "fuzz-webhook-secret"

typedef struct
{
  const char *method;
  const char *path;
  const char *content_type;
  guint       allowed_5xx;   /* a 5xx the route may answer whatever the body */
} Route;

static const Route routes[] = {
  { "POST", RD_API_PATH_GROUPS, "application/json" },
  { "PATCH", RD_API_PATH_GROUPS "/fuzz", "application/json" },
  { "PATCH", RD_API_PATH_ME, "application/json" },
  { "POST", RD_API_PATH_CUSTOMERS, "application/json" },
  { "PATCH", RD_API_PATH_CUSTOMERS "/1", "application/json" },
  { "POST", RD_API_PATH_CUSTOMERS "/import", "text/csv" },
  { "POST", RD_API_PATH_LOCATIONS, "application/json" },
  { "PATCH", RD_API_PATH_LOCATIONS "/1", "application/json" },
  { "POST", RD_API_PATH_ASSETS, "application/json" },
  { "PATCH", RD_API_PATH_ASSETS "/1", "application/json" },
  { "POST", RD_API_PATH_TICKETS, "application/json" },
  { "PATCH", RD_API_PATH_TICKETS "/1", "application/json" },
  /* appended, so that the first byte of the older seeds keeps its route */
  { "POST", RD_API_PATH_SESSION, "application/json" },
  { "POST", RD_API_PATH_USERS, "application/json" },
  { "PATCH", RD_API_PATH_USERS "/tech", "application/json" },
  { "POST", RD_API_PATH_TICKETS "/1/transition", "application/json" },
  /* no link can dial here: a valid body gets 503 unavailable */
  { "POST", RD_API_PATH_CALLS, "application/json", 503 },
  { "POST", RD_API_PATH_CALLS "/1/tickets", "application/json" },
  { "POST", RD_API_PREFIX "/cti/generic/" WEBHOOK_SECRET, "application/x-www-form-urlencoded" },
  { "POST", RD_API_PATH_TICKETS "/1/evidence", "image/jpeg" },
  { "POST", RD_API_PATH_TICKETS "/1/evidence?description=x&filename=a.pdf", "application/pdf" },
};

static struct
{
  char        *dir;
  RdConfig    *config;
  RdDaemon    *daemon;
  SoupSession *session;
  char        *base;
  char        *token;
} server;

static void
stop_server (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&server.session);
  if (server.daemon != NULL)
    rd_daemon_stop (server.daemon);
  g_clear_object (&server.daemon);
  g_clear_object (&server.config);

  dir = g_dir_open (server.dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (server.dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (server.dir);
  g_clear_pointer (&server.dir, g_free);
  g_clear_pointer (&server.base, g_free);
  g_clear_pointer (&server.token, g_free);
}

static void
seed (const char *path,
      const char *json)
{
  RdTestReply reply;

  rd_test_request (server.session, server.base, "POST", path, server.token, json, &reply);
  g_assert (reply.status == 201);
  rd_test_reply_clear (&reply);
}

static void
start_server (void)
{
  static const char conf[] = "[server]\nlisten=127.0.0.1:0\n"
                             "[cti]\nlinks=generic\n"
                             "[generic]\nsecret=" WEBHOOK_SECRET "\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  server.dir = g_dir_make_tmp ("rd-fuzz-api-XXXXXX", &error);
  g_assert_no_error (error);
  server.config = rd_config_new ();
  g_assert (rd_config_load_from_data (server.config, conf, strlen (conf), &error));
  rd_config_set_data_dir (server.config, server.dir);
  server.daemon = rd_daemon_new (server.config);
  g_assert (rd_daemon_start (server.daemon, &error));
  server.base = rd_daemon_get_uri (server.daemon);

  hash = rd_auth_hash_password (PASSWORD, &error);
  g_assert_no_error (error);
  rd_test_add_user (rd_daemon_get_store (server.daemon), "fuzzer", hash, RD_ROLE_ADMIN);
  rd_test_add_user (rd_daemon_get_store (server.daemon), "tech", hash, RD_ROLE_TECHNICIAN);

  server.session = soup_session_new ();
  server.token = rd_test_sign_in (server.session, server.base, "fuzzer", PASSWORD);

  seed (RD_API_PATH_LOCATIONS, "{\"name\":\"Plant\"}");
  seed (RD_API_PATH_ASSETS, "{\"name\":\"Boiler\",\"location_id\":\"1\"}");
  seed (RD_API_PATH_GROUPS, "{\"name\":\"fuzz\",\"members\":[\"tech\"],\"areas\":[\"Gas\"]}");
  seed (RD_API_PATH_CUSTOMERS, "{\"name\":\"Ana\",\"phones\":[\"612345678\"]}");
  seed (RD_API_PATH_TICKETS, "{\"subject\":\"Leak\",\"area\":\"Gas\"}");

  atexit (stop_server);
}

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
} Wait;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Like rd_test_request_full(), but on one kept-alive connection: a POST is
 * marked idempotent so libsoup reuses the connection instead of opening one
 * per request (libsoup 3.2 servers keep the sockets of idle connections the
 * client closed, which would run this process out of descriptors). */
static guint
send (const Route  *route,
      const guint8 *body,
      gsize         length,
      JsonObject  **json)
{
  g_autofree char *uri = g_strconcat (server.base, route->path + 1, NULL);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", server.token);
  g_autoptr(SoupMessage) msg = soup_message_new (route->method, uri);
  g_autoptr(GBytes) request_body = g_bytes_new (body, length);
  Wait wait = { 0 };
  const char *content_type;

  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_set_request_body_from_bytes (msg, route->content_type, request_body);

  wait.loop = g_main_loop_new (NULL, FALSE);
  soup_session_send_and_read_async (server.session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_assert_no_error (wait.error);

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (content_type, "application/json") == 0)
    *json = rd_json_parse_bytes (wait.bytes, NULL);
  g_bytes_unref (wait.bytes);

  return soup_message_get_status (msg);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonObject) json = NULL;
  const Route *route;
  guint status;

  fuzz_set_up ();
  if (server.daemon == NULL)
    start_server ();

  if (size == 0)
    return 0;

  route = &routes[data[0] % G_N_ELEMENTS (routes)];
  status = send (route, data + 1, size - 1, &json);

  if (status < 200 || (status >= 500 && status != route->allowed_5xx))
    {
      g_printerr ("%s %s: %u\n", route->method, route->path, status);
      g_assert_not_reached ();
    }
  if (status >= 400)
    {
      JsonObject *error_object = NULL;
      const char *code = NULL;

      g_assert (json != NULL);
      g_assert (rd_json_get_object (json, "error", RD_JSON_REQUIRED, &error_object, NULL));
      g_assert (rd_json_get_string (error_object, "code", RD_JSON_REQUIRED, &code, NULL));
    }

  return 0;
}
