/* test-cli.c: the real ringdesk-server binary (path in $RD_SERVER_BINARY)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestCli"

#include "config.h"

#include <signal.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-test-http.h"

typedef struct
{
  char *dir;
  char *data_dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("rd-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
}

static GSubprocessLauncher *
make_launcher (Fixture *f)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *xdg = g_build_filename (f->dir, "xdg-data", NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "STATE_DIRECTORY");

  return launcher;
}

/* Runs the binary to completion with @input on stdin. */
static int
run (Fixture     *f,
     const char  *input,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RD_SERVER_BINARY"));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);

  /* a command refused from its arguments may exit before it reads stdin;
   * then writing the input fails, and the same command runs again without */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_test_message ("the command exited before reading its input: running it without");
      g_clear_error (&error);
      g_subprocess_wait (process, NULL, NULL);
      g_clear_object (&process);
      process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
    }
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *uri;
  GString          *before;   /* the lines printed before the listening line */
} Server;

static void
server_start (Fixture    *f,
              Server     *server,
              const char *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f);
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("RD_SERVER_BINARY");

  memset (server, 0, sizeof *server);
  server->before = g_string_new (NULL);
  if (extra != NULL)
    server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", "127.0.0.1:0",
                                                   extra, NULL);
  else
    server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", "127.0.0.1:0",
                                                   "--data-dir", f->data_dir, NULL);
  g_assert_no_error (error);

  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  /* blocking reads are fine: the server is another process */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);   /* EOF: the server died */
      if (g_str_has_prefix (line, "ringdesk-server: listening on "))
        {
          server->uri = g_strdup (line + strlen ("ringdesk-server: listening on "));
          break;
        }
      g_string_append_printf (server->before, "%s\n", line);
    }

  g_assert_true (g_str_has_prefix (server->uri, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (server->uri, "/"));
  g_assert_false (g_str_has_suffix (server->uri, ":0/"));
}

static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_assert_true (g_subprocess_wait (server->process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

  /* nothing more on stdout: the listening line was the only one */
  rest = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (rest);

  g_clear_object (&server->out);
  g_clear_object (&server->process);
  g_clear_pointer (&server->uri, g_free);
  g_string_free (server->before, TRUE);
}

/* Signs in over HTTP with a synchronous SoupSession (the server is another
 * process) and returns the user object's member @member. */
static char *
sign_in (const char *base,
         const char *username,
         const char *password,
         const char *member)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base, "api/v1/session", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *user = NULL;
  const char *token = NULL;
  const char *value = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  object = rd_json_parse_bytes (reply, &error);
  g_assert_no_error (error);
  g_assert_true (rd_json_get_string (object, "token", RD_JSON_REQUIRED, &token, NULL));
  g_assert_cmpuint (strlen (token), >, 20);
  if (g_str_equal (member, "token"))
    return g_strdup (token);
  g_assert_true (rd_json_get_object (object, "user", RD_JSON_REQUIRED, &user, NULL));
  g_assert_true (rd_json_get_string (user, member, RD_JSON_NULLABLE, &value, NULL));

  return g_strdup (value);
}

static JsonObject *
get_json (const char *base,
          const char *path,
          const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  object = rd_json_parse_bytes (reply, &error);
  g_assert_no_error (error);

  return object;
}

typedef struct
{
  GMainLoop                *loop;
  SoupWebsocketConnection  *ws;
  char                     *ringing_extension;
  gboolean                  timed_out;
} DemoWatch;

static void
demo_message_cb (SoupWebsocketConnection *ws,
                 int                      type,
                 GBytes                  *message,
                 DemoWatch               *watch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdEvent) event = NULL;
  g_auto(GStrv) acked = NULL;

  /* the hub's acknowledgement of the subscribe is not an event */
  if (rd_event_parse_subscribed (g_bytes_get_data (message, NULL), (gssize) g_bytes_get_size (message),
                                 &acked, NULL))
    return;

  event = rd_event_new_from_json_string (g_bytes_get_data (message, NULL),
                                         (gssize) g_bytes_get_size (message), &error);
  g_assert_no_error (error);
  if (g_str_equal (rd_event_get_event_type (event), RD_EVENT_CALL_RINGING) && watch->ringing_extension == NULL)
    {
      watch->ringing_extension = g_strdup (rd_event_get_extension (event));
      g_assert_nonnull (rd_event_get_call (event));
      g_main_loop_quit (watch->loop);
    }
}

static void
demo_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DemoWatch *watch = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *subscribe = NULL;
  const char *extensions[] = { "201", NULL };

  watch->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (watch->ws, "message", G_CALLBACK (demo_message_cb), watch);
  subscribe = rd_event_build_subscribe (extensions);
  soup_websocket_connection_send_text (watch->ws, subscribe);
}

static gboolean
demo_timeout_cb (gpointer user_data)
{
  DemoWatch *watch = user_data;

  watch->timed_out = TRUE;
  g_main_loop_quit (watch->loop);

  return G_SOURCE_REMOVE;
}

/* The demo's promise: the agent's extension rings within a minute of the
 * start, seen through the server's WebSocket like the client sees it. */
static void
assert_demo_rings_agent (const char *base,
                         const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base, "api/v1/events", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  DemoWatch watch = { 0, };
  guint timeout_id;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  watch.loop = g_main_loop_new (NULL, FALSE);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        demo_connected_cb, &watch);
  timeout_id = g_timeout_add_seconds (60, demo_timeout_cb, &watch);
  g_main_loop_run (watch.loop);
  if (!watch.timed_out)
    g_source_remove (timeout_id);

  g_assert_false (watch.timed_out);
  g_assert_cmpstr (watch.ringing_extension, ==, "201");

  if (watch.ws != NULL)
    {
      soup_websocket_connection_close (watch.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&watch.ws);
    }
  g_free (watch.ringing_extension);
  g_main_loop_unref (watch.loop);
}

static void
test_add_user_and_serve (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *extension = NULL;
  Server server;
  int status;

  status = run (f, "firstadminpass\n", &out, &err,
                "--data-dir", f->data_dir, "add-user", "boss", "--roles", "admin,supervisor",
                "--display-name", "The Boss", "--extension", "700", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "ringdesk-server: added user boss"));
  g_assert_null (strchr (strchr (out, '\n') + 1, '\n'));   /* one line */
  g_assert_null (strstr (out, "firstadminpass"));
  g_assert_null (strstr (err, "firstadminpass"));

  server_start (f, &server, NULL);
  extension = sign_in (server.uri, "boss", "firstadminpass", "extension");
  g_assert_cmpstr (extension, ==, "700");
  server_stop (&server);
}

static void
test_add_user_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (f, "goodpassword\n", &out, &err,
                        "--data-dir", f->data_dir, "add-user", "x", "--roles", "admin,king", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "Unknown role “king”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "\n", &out, &err,
                        "--data-dir", f->data_dir, "add-user", "x", "--roles", "admin", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "password is empty"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "", &out, &err,
                        "--data-dir", f->data_dir, "add-user", "x", "--roles", "admin", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "No password"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "goodpassword\n", &out, &err,
                        "--data-dir", f->data_dir, "add-user", "x", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "--roles"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "goodpassword\n", &out, &err,
                        "--data-dir", f->data_dir, "add-user", "x", "--roles", "agent", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, "otherpassword\n", &out, &err,
                        "--data-dir", f->data_dir, "add-user", "x", "--roles", "admin", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "already exists"));
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *accounts_path = g_build_filename (f->dir, "xdg-data", "ringdesk-server-demo",
                                                     "demo-accounts.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *extension = NULL;
  const char *names[] = { "agent", "technician", "supervisor", "admin" };
  GStatBuf st;
  Server server;

  server_start (f, &server, "--demo");
  g_assert_true (g_file_get_contents (accounts_path, &contents, NULL, NULL));
  g_assert_cmpint (g_stat (accounts_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* four lines and the final "" */
  for (guint i = 0; i < 4; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", -1);
      g_autofree char *username = NULL;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_assert_cmpstr (parts[0], ==, names[i]);
      g_assert_cmpuint (strlen (parts[1]), ==, 12);
      /* printed once, in the block before the listening line */
      g_assert_nonnull (strstr (server.before->str, lines[i]));
      username = sign_in (server.uri, parts[0], parts[1], "username");
      g_assert_cmpstr (username, ==, names[i]);
    }

  {
    g_auto(GStrv) agent = g_strsplit (lines[0], " ", 2);
    display_name = sign_in (server.uri, "agent", agent[1], "display_name");
    extension = sign_in (server.uri, "agent", agent[1], "extension");
    g_assert_cmpstr (display_name, ==, "Ana Agent");
    g_assert_cmpstr (extension, ==, "201");
  }

  /* the simulator runs in the server: the CSTA link comes up, the demo
   * callers are customers, and the agent's phone rings */
  {
    g_auto(GStrv) agent = g_strsplit (lines[0], " ", 2);
    g_autofree char *token = sign_in (server.uri, "agent", agent[1], "token");
    g_autoptr(JsonObject) customers = NULL;
    JsonArray *items = NULL;
    g_autofree char *cti = NULL;

    for (guint i = 0; i < 100; i++)
      {
        g_autoptr(JsonObject) health = get_json (server.uri, "/healthz", NULL);
        const char *value = NULL;

        g_assert_true (rd_json_get_string (health, "cti", RD_JSON_REQUIRED, &value, NULL));
        rd_set_str (&cti, value);
        if (g_str_equal (cti, "connected"))
          break;
        g_usleep (100 * 1000);
      }
    g_assert_cmpstr (cti, ==, "connected");

    customers = get_json (server.uri, "/api/v1/customers", token);
    g_assert_true (rd_json_get_array (customers, "items", RD_JSON_REQUIRED, &items, NULL));
    g_assert_cmpuint (json_array_get_length (items), ==, 6);

    assert_demo_rings_agent (server.uri, token);
  }
  server_stop (&server);

  /* the second start keeps the users and only says where the file is */
  server_start (f, &server, "--demo");
  g_assert_nonnull (strstr (server.before->str, accounts_path));
  for (guint i = 0; i < 4; i++)
    g_assert_null (strstr (server.before->str, lines[i]));
  {
    g_auto(GStrv) admin = g_strsplit (lines[3], " ", 2);
    g_autofree char *username = sign_in (server.uri, "admin", admin[1], "username");
    g_assert_cmpstr (username, ==, "admin");
  }
  server_stop (&server);
}

static void
test_bad_config (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *conf = g_build_filename (f->dir, "server.conf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (conf, "[smdr]\nlayout=x\n", -1, NULL));
  g_assert_cmpint (run (f, "", &out, &err, "--config", conf, "--data-dir", f->data_dir,
                        "--listen", "127.0.0.1:0", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "“layout”"));
  g_assert_nonnull (strstr (err, "[smdr]"));
  g_assert_nonnull (strstr (err, "“x”"));
  g_assert_null (strstr (out, "listening"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "", &out, &err, "--data-dir", f->data_dir, "--listen", "nowhere", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--listen"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "", &out, &err, "--config", "/nonexistent/server.conf", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent/server.conf"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "", &out, &err, "--no-such-option", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, "", &out, &err, "--version", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ringdesk-server " PACKAGE_VERSION));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("RD_SERVER_BINARY") == NULL)
    {
      g_print ("1..0 # SKIP RD_SERVER_BINARY is not set\n");
      return 0;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/add-user-and-serve", test_add_user_and_serve);
  ADD ("/cli/add-user-errors", test_add_user_errors);
  ADD ("/cli/demo", test_demo);
  ADD ("/cli/bad-config", test_bad_config);

#undef ADD

  return g_test_run ();
}
