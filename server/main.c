/* main.c: ringdesk-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   ringdesk-server [--config F] [--listen HOST:PORT] [--data-dir D] [--demo] [--verbose]
 *   ringdesk-server [--config F] [--data-dir D] add-user NAME --roles admin[,…]
 *                   [--display-name TEXT] [--extension EXT]   (password on stdin)
 *
 * Once listening, exactly one line goes to stdout:
 *   ringdesk-server: listening on http://HOST:PORT/
 */

#define G_LOG_DOMAIN "RdMain"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rd-common.h"
#include "rd-auth.h"
#include "rd-config.h"
#include "rd-daemon.h"
#include "rd-debug.h"
#include "rd-demo.h"

#define EXIT_USAGE 2

static int
fail (const char *message)
{
  fprintf (stderr, "ringdesk-server: %s\n", message);
  return EXIT_FAILURE;
}

static char *
read_password_line (GError **error)
{
  char buffer[RD_AUTH_PASSWORD_MAX_LENGTH + 2];
  gsize len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                           "No password on standard input");
      return NULL;
    }

  len = strlen (buffer);
  if (len > 0 && buffer[len - 1] == '\n')
    buffer[--len] = '\0';
  if (len > 0 && buffer[len - 1] == '\r')
    buffer[--len] = '\0';

  if (len == 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD, "The password is empty");
      return NULL;
    }

  return g_strndup (buffer, len);
}

static int
add_user (RdDaemon   *daemon,
          const char *username,
          const char *roles_text,
          const char *display_name,
          const char *extension)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  g_auto(GStrv) roles = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;

  if (!rd_username_is_valid (username))
    return fail ("Invalid user name: use 1–64 letters, digits, “.”, “_” or “-”");

  if (roles_text == NULL || roles_text[0] == '\0')
    return fail ("add-user needs --roles ROLE[,ROLE…] (agent, technician, supervisor, admin)");

  roles = g_strsplit (roles_text, ",", -1);
  for (guint i = 0; roles[i] != NULL; i++)
    {
      g_strstrip (roles[i]);
      if (!rd_role_is_valid (roles[i]))
        {
          g_autofree char *message =
            g_strdup_printf ("Unknown role “%s” (known: agent, technician, supervisor, admin)", roles[i]);
          return fail (message);
        }
    }

  password = read_password_line (&error);
  if (password == NULL || !rd_auth_check_password_rules (password, &error))
    return fail (error->message);

  if (!rd_daemon_open_store (daemon, &error))
    return fail (error->message);

  user = rd_user_new (username);
  rd_user_set_roles (user, (const char * const *) roles);
  rd_user_set_display_name (user, display_name);
  rd_user_set_extension (user, extension);

  hash = rd_auth_hash_password (password, &error);
  if (hash == NULL || !rd_store_add_user (rd_daemon_get_store (daemon), user, hash, &error))
    return fail (error->message);

  rd_store_close (rd_daemon_get_store (daemon));

  {
    g_autofree char *joined = g_strjoinv (",", roles);
    printf ("ringdesk-server: added user %s (roles %s)\n", username, joined);
  }

  return EXIT_SUCCESS;
}

static void
print_demo_accounts (RdConfig  *config,
                     GPtrArray *accounts)
{
  g_autofree char *data_dir = rd_config_get_data_dir (config);
  g_autofree char *path = g_build_filename (data_dir, RD_DEMO_ACCOUNTS_FILENAME, NULL);

  if (accounts == NULL)
    {
      printf ("ringdesk-server: demo accounts are in %s\n", path);
      return;
    }

  printf ("ringdesk-server: demo accounts (shown once, also saved to %s):\n", path);
  for (guint i = 0; i < accounts->len; i++)
    printf ("    %s\n", (const char *) g_ptr_array_index (accounts, i));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConfig) config = NULL;
  g_autoptr(RdDaemon) daemon = NULL;
  g_autofree char *config_file = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *roles = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *uri = NULL;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
      "Read the configuration from FILE (default " SYSCONFDIR "/ringdesk/server.conf)", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Listen on HOST:PORT (port 0 picks a free one)", "HOST:PORT" },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Keep the database and files in DIR", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Run the demo: seed demo accounts in a separate data directory", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { "roles", 0, 0, G_OPTION_ARG_STRING, &roles,
      "add-user: comma-separated roles (agent, technician, supervisor, admin)", "ROLES" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name,
      "add-user: the name shown for the user", "TEXT" },
    { "extension", 0, 0, G_OPTION_ARG_STRING, &extension,
      "add-user: the user's phone extension", "EXT" },
    { NULL }
  };

  context = g_option_context_new ("[add-user NAME] - Ringdesk server");
  g_option_context_set_summary (context,
                                "Serves the Ringdesk HTTP API.\n\n"
                                "  add-user NAME --roles ROLES   create a user, reading the password\n"
                                "                                (one line) from standard input");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, rd_debug_get_option_group ());

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "ringdesk-server: %s (see --help)\n", error->message);
      return EXIT_USAGE;
    }

  if (version)
    {
      printf ("ringdesk-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  config = rd_config_new ();
  rd_config_set_demo (config, demo);

  if (config_file != NULL)
    {
      if (!rd_config_load_file (config, config_file, &error))
        return fail (error->message);
    }
  else
    {
      g_autofree char *system_file = g_build_filename (SYSCONFDIR, "ringdesk", "server.conf", NULL);

      if (g_file_test (system_file, G_FILE_TEST_EXISTS) &&
          !rd_config_load_file (config, system_file, &error))
        return fail (error->message);
    }

  if (listen != NULL && !rd_config_set_listen (config, listen, &error))
    return fail (error->message);
  if (data_dir != NULL)
    rd_config_set_data_dir (config, data_dir);
  if (!rd_config_validate (config, &error))
    return fail (error->message);

  daemon = rd_daemon_new (config);

  if (argc >= 2 && g_str_equal (argv[1], "add-user"))
    {
      if (argc != 3)
        {
          fprintf (stderr, "ringdesk-server: usage: ringdesk-server add-user NAME --roles ROLES\n");
          return EXIT_USAGE;
        }
      return add_user (daemon, argv[2], roles, display_name, extension);
    }
  if (argc >= 2)
    {
      fprintf (stderr, "ringdesk-server: unknown command “%s” (see --help)\n", argv[1]);
      return EXIT_USAGE;
    }

  if (!rd_daemon_start (daemon, &error))
    return fail (error->message);

  if (demo)
    {
      g_autoptr(GPtrArray) accounts = NULL;
      g_autofree char *dir = rd_config_get_data_dir (config);

      if (!rd_demo_seed_users (rd_daemon_get_store (daemon), dir, &accounts, &error))
        return fail (error->message);
      if (!rd_demo_seed_customers (rd_server_get_customer_store (rd_daemon_get_server (daemon)),
                                   rd_server_get_ticket_store (rd_daemon_get_server (daemon)),
                                   &error))
        return fail (error->message);
      print_demo_accounts (config, accounts);
    }

  uri = rd_daemon_get_uri (daemon);
  printf ("ringdesk-server: listening on %s\n", uri);
  fflush (stdout);
  g_message ("listening on %s", uri);

  return rd_daemon_run (daemon);
}
