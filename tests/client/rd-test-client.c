/* rd-test-client.c: helpers for the client tests
 *
 * The server is the real ringdesk-server binary (RD_SERVER_BINARY), run on
 * 127.0.0.1 with port 0, with a fresh data dir and a config without PBX links.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestClient"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "rd-test-client.h"

/* Not a timing assertion: a bound that turns a hang into a clear failure */
#define RD_TEST_GIVE_UP_SECONDS 60

struct _RdTestServer
{
  GSubprocess      *process;
  GDataInputStream *output;
  GCancellable     *cancellable;
  char             *data_dir;
  char             *url;
};

static char *keyring_dir;

/**
 * rd_test_remove_tree:
 * @path: a temporary folder of a test
 *
 * Removes @path and everything in it.
 */
void
rd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rd_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static void
rd_test_remove_keyring (void)
{
  if (keyring_dir != NULL)
    rd_test_remove_tree (keyring_dir);
  g_clear_pointer (&keyring_dir, g_free);
}

/**
 * rd_test_init_keyring:
 *
 * Selects libsecret's file backend and points it at a keyring file in a
 * fresh temporary folder, and XDG_DATA_HOME (where the client keeps its
 * offline stores) at a folder in it. Call before any libsecret use.
 */
void
rd_test_init_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data_dir = NULL;

  /* Never the user's real keyring, however the test is started */
  g_setenv ("SECRET_BACKEND", "file", TRUE);

  keyring_dir = g_dir_make_tmp ("ringdesk-keyring-XXXXXX", &error);
  g_assert_no_error (error);

  path = g_build_filename (keyring_dir, "test.keyring", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);

  /* The client's offline stores go there too, never into the user's data */
  data_dir = g_build_filename (keyring_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  if (g_getenv ("SECRET_FILE_TEST_PASSWORD") == NULL)
    g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  atexit (rd_test_remove_keyring);
}

static gboolean
rd_test_give_up_cb (gpointer data)
{
  g_error ("Gave up waiting for %s", (const char *) data);

  return G_SOURCE_REMOVE;
}

/**
 * rd_test_spin_until:
 * @condition: checked after every main loop iteration
 * @data: for @condition
 * @what: what is waited for, for the failure message
 *
 * Runs the default main context until @condition holds.
 */
void
rd_test_spin_until (RdTestCondition  condition,
                    gpointer         data,
                    const char      *what)
{
  guint give_up;

  give_up = g_timeout_add_seconds (RD_TEST_GIVE_UP_SECONDS, rd_test_give_up_cb, (gpointer) what);

  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (give_up);
}

static gboolean
rd_test_has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/**
 * rd_test_wait_result:
 * @result: a location that a #GAsyncReadyCallback fills
 *
 * Spins the main loop until *@result is set.
 */
void
rd_test_wait_result (GAsyncResult **result)
{
  rd_test_spin_until (rd_test_has_result, result, "an asynchronous result");
}

/**
 * rd_test_unreachable_url:
 *
 * Returns: the URL of a loopback port on which nothing listens
 */
char *
rd_test_unreachable_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) any_port = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  any_port = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);

  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* Bound but never listening, then closed: connections are refused */
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* A test that aborts must not leave its server behind */
static void
rd_test_server_child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
rd_test_server_run_add_user (RdTestServer  *self,
                             const char    *binary,
                             const char    *config,
                             const char    *username,
                             const char    *roles,
                             const char    *extension,
                             GError       **error)
{
  g_autoptr(GSubprocess) add_user = NULL;
  g_autofree char *output = NULL;

  add_user = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                               binary,
                               "--config", config,
                               "--data-dir", self->data_dir,
                               "add-user", username,
                               "--roles", roles,
                               extension != NULL ? "--extension" : NULL, extension,
                               NULL);
  if (add_user == NULL)
    return FALSE;

  if (!g_subprocess_communicate_utf8 (add_user, RD_TEST_PASSWORD "\n", NULL, &output, NULL, error))
    return FALSE;

  g_test_message ("add-user: %s", output);

  if (!g_subprocess_get_successful (add_user))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "ringdesk-server add-user failed (status %d)",
                   g_subprocess_get_status (add_user));
      return FALSE;
    }

  return TRUE;
}

static void
rd_test_server_drain_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GInputStream *stream = G_INPUT_STREAM (object);
  GCancellable *cancellable = user_data;
  gssize skipped;

  skipped = g_input_stream_skip_finish (stream, result, NULL);
  if (skipped > 0 && !g_cancellable_is_cancelled (cancellable))
    g_input_stream_skip_async (stream, 65536, G_PRIORITY_DEFAULT, cancellable,
                               rd_test_server_drain_cb, cancellable);
  else
    g_object_unref (cancellable);
}

/* Runs the server on its data dir, listening on @listen, until it says
 * where it listens */
static gboolean
rd_test_server_spawn (RdTestServer  *self,
                      const char    *listen,
                      GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *config = g_build_filename (self->data_dir, "server.conf", NULL);
  const char *binary = g_getenv ("RD_SERVER_BINARY");
  const char *prefix = "ringdesk-server: listening on ";

  self->cancellable = g_cancellable_new ();

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, rd_test_server_child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, error,
                                               binary,
                                               "--config", config,
                                               "--data-dir", self->data_dir,
                                               "--listen", listen,
                                               NULL);
  if (self->process == NULL)
    return FALSE;

  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));

  while (self->url == NULL)
    {
      g_autofree char *line = NULL;

      line = g_data_input_stream_read_line_utf8 (self->output, NULL, NULL, error);
      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 "ringdesk-server exited before it listened");
          return FALSE;
        }

      g_test_message ("server: %s", line);

      if (g_str_has_prefix (line, prefix))
        self->url = g_strdup (line + strlen (prefix));
    }

  /* Keep reading what it prints so that it never blocks on a full pipe */
  g_input_stream_skip_async (G_INPUT_STREAM (self->output), 65536, G_PRIORITY_DEFAULT,
                             self->cancellable, rd_test_server_drain_cb,
                             g_object_ref (self->cancellable));

  return TRUE;
}

/**
 * rd_test_server_new:
 * @error: return location for a #GError
 *
 * Starts ringdesk-server with one agent, RD_TEST_USERNAME, whose password is
 * RD_TEST_PASSWORD and extension RD_TEST_EXTENSION, and a supervisor,
 * RD_TEST_SUPERVISOR, with the same password.
 *
 * Returns: (transfer full) (nullable): the running server, or %NULL without
 *   error when RD_SERVER_BINARY is not set (the server is not built)
 */
RdTestServer *
rd_test_server_new (GError **error)
{
  /* No PBX links: the test must not reach for any address but loopback */
  return rd_test_server_new_with_config ("[cti]\n"
                                         "links=\n",
                                         error);
}

/**
 * rd_test_server_new_with_config:
 * @config_text: what follows the [server] group of the server's config
 * @error: return location for a #GError
 *
 * As rd_test_server_new(), with @config_text in the config file (e.g. the
 * [cti] and [csta] groups of a link to a simulator on loopback).
 */
RdTestServer *
rd_test_server_new_with_config (const char  *config_text,
                                GError     **error)
{
  g_autoptr(RdTestServer) self = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_contents = NULL;
  const char *binary = g_getenv ("RD_SERVER_BINARY");

  if (binary == NULL || *binary == '\0')
    return NULL;

  self = g_new0 (RdTestServer, 1);
  self->data_dir = g_dir_make_tmp ("ringdesk-client-test-XXXXXX", error);
  if (self->data_dir == NULL)
    return NULL;

  config = g_build_filename (self->data_dir, "server.conf", NULL);
  config_contents = g_strconcat ("[server]\n"
                                 "listen=127.0.0.1:0\n",
                                 config_text, NULL);
  if (!g_file_set_contents (config, config_contents, -1, error))
    return NULL;

  if (!rd_test_server_run_add_user (self, binary, config, RD_TEST_USERNAME, "agent",
                                    RD_TEST_EXTENSION, error) ||
      !rd_test_server_run_add_user (self, binary, config, RD_TEST_SUPERVISOR, "supervisor",
                                    NULL, error) ||
      !rd_test_server_run_add_user (self, binary, config, RD_TEST_ADMIN, "admin", NULL, error))
    return NULL;

  if (!rd_test_server_spawn (self, "127.0.0.1:0", error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rd_test_server_stop:
 * @self: a running server
 *
 * Stops the server (SIGTERM) and waits for it to exit; its data dir stays,
 * for rd_test_server_start().
 */
void
rd_test_server_stop (RdTestServer *self)
{
  g_assert_nonnull (self->process);

  g_cancellable_cancel (self->cancellable);
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);

  g_clear_object (&self->output);
  g_clear_object (&self->process);
  g_clear_object (&self->cancellable);
}

/**
 * rd_test_server_start:
 * @self: a server stopped by rd_test_server_stop()
 * @error: return location for a #GError
 *
 * Starts the server again on the same data dir and the same address, as
 * a restarted server is for its clients.
 */
gboolean
rd_test_server_start (RdTestServer  *self,
                      GError       **error)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, error);
  g_autofree char *listen = NULL;
  g_autofree char *old_url = NULL;

  g_assert_null (self->process);

  if (uri == NULL)
    return FALSE;

  listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  old_url = g_steal_pointer (&self->url);
  if (!rd_test_server_spawn (self, listen, error))
    return FALSE;

  g_assert_cmpstr (self->url, ==, old_url);

  return TRUE;
}

const char *
rd_test_server_get_url (RdTestServer *self)
{
  return self->url;
}

void
rd_test_server_free (RdTestServer *self)
{
  if (self == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
    }

  if (self->data_dir != NULL)
    rd_test_remove_tree (self->data_dir);

  g_clear_object (&self->output);
  g_clear_object (&self->process);
  g_clear_object (&self->cancellable);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self);
}

typedef struct
{
  const RdTestReply *replies;
  gsize              n_replies;
} RdTestReplies;

static void
rd_test_fake_handler (SoupServer        *soup_server,
                      SoupServerMessage *message,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  RdTestReplies *table = user_data;

  for (gsize i = 0; i < table->n_replies; i++)
    {
      const RdTestReply *reply = &table->replies[i];

      if (g_str_equal (path, reply->path))
        {
          soup_server_message_set_status (message, reply->status, NULL);
          soup_server_message_set_response (message, reply->content_type, SOUP_MEMORY_STATIC,
                                            reply->body, strlen (reply->body));
          return;
        }
    }

  soup_server_message_set_status (message, 404, NULL);
}

/**
 * rd_test_fake_server_new:
 * @replies: (array length=n_replies): what to answer, by path; kept, not copied
 * @n_replies: the length of @replies
 *
 * Starts a SoupServer on 127.0.0.1 that gives the canned @replies, and
 * 404 for any other path: a server that replies what the real one never
 * would.
 *
 * Returns: (transfer full): the listening server
 */
SoupServer *
rd_test_fake_server_new (const RdTestReply *replies,
                         gsize              n_replies)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  RdTestReplies *table = g_new (RdTestReplies, 1);

  table->replies = replies;
  table->n_replies = n_replies;
  soup_server_add_handler (soup_server, NULL, rd_test_fake_handler, table, g_free);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&soup_server);
}

/**
 * rd_test_fake_server_url:
 * @soup_server: a server of rd_test_fake_server_new()
 * @prefix: a path prefix, e.g. "bad-item/"
 *
 * Returns: (transfer full): the server's address with @prefix
 */
char *
rd_test_fake_server_url (SoupServer *soup_server,
                         const char *prefix)
{
  GSList *uris = soup_server_get_uris (soup_server);
  g_autofree char *base = NULL;
  char *url;

  g_assert_nonnull (uris);
  base = g_uri_to_string (uris->data);
  url = g_strconcat (base, prefix, NULL);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return url;
}

struct _RdTestSim
{
  GSubprocess      *process;
  GOutputStream    *input;
  GDataInputStream *output;
  guint             csta_port;
};

/**
 * rd_test_sim_new:
 * @error: return location for a #GError
 *
 * Starts the real ringdesk-pbx-sim (RD_PBX_SIM_BINARY) on loopback with
 * free ports, stations 201-210.
 *
 * Returns: (transfer full) (nullable): the simulator, or %NULL without
 *   error when RD_PBX_SIM_BINARY is not set
 */
RdTestSim *
rd_test_sim_new (GError **error)
{
  g_autoptr(RdTestSim) self = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  const char *binary = g_getenv ("RD_PBX_SIM_BINARY");
  guint smdr_port;

  if (binary == NULL || *binary == '\0')
    return NULL;

  self = g_new0 (RdTestSim, 1);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Its standard output carries the answers: no debug messages there */
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, rd_test_server_child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, error,
                                               binary,
                                               "--listen", "127.0.0.1",
                                               "--csta-port", "0",
                                               "--smdr-port", "0",
                                               NULL);
  if (self->process == NULL)
    return NULL;

  self->input = g_object_ref (g_subprocess_get_stdin_pipe (self->process));
  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));

  line = g_data_input_stream_read_line_utf8 (self->output, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "ringdesk-pbx-sim exited before it listened");
      return NULL;
    }

  g_test_message ("sim: %s", line);
  if (sscanf (line, "ringdesk-pbx-sim: csta port %u smdr port %u", &self->csta_port, &smdr_port) != 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Unexpected first line from the simulator: %s", line);
      return NULL;
    }

  return g_steal_pointer (&self);
}

guint
rd_test_sim_get_csta_port (RdTestSim *self)
{
  return self->csta_port;
}

/**
 * rd_test_sim_command:
 * @self: a #RdTestSim
 * @command: one command line, e.g. "call 612345678 201"
 *
 * Sends @command and reads the simulator's answer; fails the test on an
 * error answer.
 *
 * Returns: (transfer full): the answer after "ok "
 */
char *
rd_test_sim_command (RdTestSim  *self,
                     const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (command, "\n", NULL);
  g_autofree char *line = NULL;

  g_output_stream_write_all (self->input, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (self->input, NULL, &error);
  g_assert_no_error (error);

  /* Blocking, but the simulator answers at once and the client is idle */
  line = g_data_input_stream_read_line_utf8 (self->output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("sim %s: %s", command, line);
  if (!g_str_has_prefix (line, "ok"))
    g_error ("The simulator refused “%s”: %s", command, line);

  return g_strdup (line[2] == ' ' ? line + 3 : "");
}

void
rd_test_sim_free (RdTestSim *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
    }

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->process);
  g_free (self);
}

/**
 * rd_test_server_new_for_sim:
 * @sim: a running simulator
 * @error: return location for a #GError
 *
 * As rd_test_server_new(), with a CSTA link to @sim and no tickets opened
 * by calls on their own (auto-ticket=none).
 */
RdTestServer *
rd_test_server_new_for_sim (RdTestSim  *sim,
                            GError    **error)
{
  g_autofree char *config = NULL;

  config = g_strdup_printf ("[cti]\n"
                            "links=csta\n"
                            "[csta]\n"
                            "host=127.0.0.1\n"
                            "port=%u\n"
                            "[numbering]\n"
                            "auto-ticket=none\n",
                            sim->csta_port);

  return rd_test_server_new_with_config (config, error);
}
