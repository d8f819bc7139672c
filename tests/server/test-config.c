/* test-config.c: RdConfig defaults, file and command-line overrides, validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestConfig"

#include "config.h"

#include <glib/gstdio.h>

#include "rd-config.h"

static void
test_defaults (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autofree char *host = rd_config_get_listen_host (config);
  g_autofree char *data_dir = rd_config_get_data_dir (config);
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "ringdesk-server", NULL);
  g_autofree char *layout = rd_config_get_string (config, "smdr", "layout");
  g_autofree char *password = rd_config_get_string (config, "smdr", "password");
  g_autofree char *per = rd_config_get_string (config, "numbering", "per");
  g_autofree char *folder = rd_config_get_string (config, "exttext", "folder");
  g_autofree char *secret = rd_config_get_string (config, "generic", "secret");
  g_auto(GStrv) links = rd_config_get_strv (config, "cti", "links");
  g_auto(GStrv) hunts = rd_config_get_hunt_groups (config);
  g_autoptr(GError) error = NULL;

  g_assert_true (rd_config_validate (config, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (rd_config_get_listen_port (config), ==, 8765);
  g_assert_cmpuint (rd_config_get_max_body_size (config), ==, 1024 * 1024);
  g_assert_cmpint (rd_config_get_token_lifetime (config), ==, 12 * 3600);
  g_assert_cmpstr (data_dir, ==, expected_dir);
  g_assert_cmpstrv (links, ((const char * const []) { "csta", NULL }));
  g_assert_cmpint (rd_config_get_int (config, "csta", "port"), ==, 33333);
  g_assert_cmpint (rd_config_get_int (config, "smdr", "port"), ==, 2300);
  g_assert_cmpstr (password, ==, "PCCSMDR");
  g_assert_cmpstr (layout, ==, "auto");
  g_assert_cmpstr (per, ==, "call");
  g_assert_cmpint (rd_config_get_int (config, "numbering", "start"), ==, 1);
  g_assert_cmpstr (folder, ==, "/srv/callmonitor/ExtText");
  g_assert_cmpstr (secret, ==, "");
  g_assert_cmpuint (g_strv_length (hunts), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) rd_config_get_warnings (config)), ==, 0);
}

static void
test_data_dir_sources (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autofree char *demo_dir = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *explicit_dir = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "ringdesk-server-demo", NULL);

  rd_config_set_demo (config, TRUE);
  demo_dir = rd_config_get_data_dir (config);
  g_assert_cmpstr (demo_dir, ==, expected);
  rd_config_set_demo (config, FALSE);

  g_setenv ("STATE_DIRECTORY", "/var/lib/ringdesk-server:/var/lib/other", TRUE);
  state_dir = rd_config_get_data_dir (config);
  g_assert_cmpstr (state_dir, ==, "/var/lib/ringdesk-server");

  /* an explicit setting wins over systemd's */
  rd_config_set_data_dir (config, "/srv/ringdesk");
  explicit_dir = rd_config_get_data_dir (config);
  g_assert_cmpstr (explicit_dir, ==, "/srv/ringdesk");
  g_unsetenv ("STATE_DIRECTORY");
}

static char *
write_temp_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "server.conf", NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_file_overrides (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp_file ("[server]\n"
                                           "listen=[::1]:9000\n"
                                           "max-body-size=2048\n"
                                           "[storage]\n"
                                           "data-dir=/srv/desk\n"
                                           "[auth]\n"
                                           "token-lifetime=600\n"
                                           "[cti]\n"
                                           "links=smdr;exttext\n"
                                           "[smdr]\n"
                                           "layout=b\n"
                                           "date-order=dmy\n"
                                           "[numbering]\n"
                                           "start=1234\n"
                                           "per=hop\n"
                                           "[hunt:service]\n"
                                           "members=732;731\n"
                                           "first=731\n"
                                           "wrap=false\n");
  g_autofree char *host = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *layout = NULL;
  g_auto(GStrv) links = NULL;
  g_auto(GStrv) hunts = NULL;
  g_auto(GStrv) members = NULL;

  g_assert_true (rd_config_load_file (config, path, &error));
  g_assert_no_error (error);

  host = rd_config_get_listen_host (config);
  g_assert_cmpstr (host, ==, "::1");
  g_assert_cmpuint (rd_config_get_listen_port (config), ==, 9000);
  g_assert_cmpuint (rd_config_get_max_body_size (config), ==, 2048);
  g_assert_cmpint (rd_config_get_token_lifetime (config), ==, 600);
  data_dir = rd_config_get_data_dir (config);
  g_assert_cmpstr (data_dir, ==, "/srv/desk");
  links = rd_config_get_strv (config, "cti", "links");
  g_assert_cmpstrv (links, ((const char * const []) { "smdr", "exttext", NULL }));
  layout = rd_config_get_string (config, "smdr", "layout");
  g_assert_cmpstr (layout, ==, "b");
  g_assert_cmpint (rd_config_get_int (config, "numbering", "start"), ==, 1234);
  hunts = rd_config_get_hunt_groups (config);
  g_assert_cmpstrv (hunts, ((const char * const []) { "service", NULL }));
  members = rd_config_get_strv (config, "hunt:service", "members");
  g_assert_cmpstrv (members, ((const char * const []) { "732", "731", NULL }));
  g_assert_false (rd_config_get_boolean (config, "hunt:service", "wrap"));
  g_assert_cmpint (rd_config_get_int (config, "hunt:service", "no-answer-timeout"), ==, 15);

  /* a key the file does not set keeps its default */
  g_assert_cmpint (rd_config_get_int (config, "csta", "port"), ==, 33333);

  g_unlink (path);
}

static void
test_command_line_overrides (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *expected_dir = g_build_filename (cwd, "relative", "dir", NULL);
  const char *file = "[server]\nlisten=0.0.0.0:80\n[storage]\ndata-dir=/srv/from-file\n";

  g_assert_true (rd_config_load_from_data (config, file, strlen (file), &error));
  g_assert_no_error (error);

  g_assert_true (rd_config_set_listen (config, "127.0.0.1:0", &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (config, "relative/dir");

  host = rd_config_get_listen_host (config);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (rd_config_get_listen_port (config), ==, 0);
  data_dir = rd_config_get_data_dir (config);
  g_assert_cmpstr (data_dir, ==, expected_dir);

  g_assert_false (rd_config_set_listen (config, "nowhere:80", &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "nowhere:80"));
}

static void
test_parse_listen (void)
{
  const struct {
    const char *text;
    const char *host;
    guint16     port;
  } good[] = {
    { "127.0.0.1:8765", "127.0.0.1", 8765 },
    { "0.0.0.0:0", "0.0.0.0", 0 },
    { "localhost:80", "127.0.0.1", 80 },
    { "[::1]:443", "::1", 443 },
    { "[::]:65535", "::", 65535 },
  };
  const char *bad[] = {
    "", ":", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:8x",
    "example.com:80", "::1:80", "[::1]", "[127.0.0.1]:80", "[::1:80", "300.1.1.1:80",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 1;
      g_autoptr(GError) error = NULL;

      g_assert_true (rd_config_parse_listen (good[i].text, &host, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, good[i].host);
      g_assert_cmpuint (port, ==, good[i].port);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("listen=%s", bad[i]);
      g_assert_false (rd_config_parse_listen (bad[i], NULL, NULL, &error));
      g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
    }
}

static void
test_invalid_values (void)
{
  /* every invalid value is an error naming the group, the key and the value */
  const struct {
    const char *data;
    const char *group;
    const char *key;
    const char *value;
  } cases[] = {
    { "[server]\nlisten=x\n", "server", "listen", "x" },
    { "[server]\nlisten=127.0.0.1:99999\n", "server", "listen", "127.0.0.1:99999" },
    { "[server]\nmax-body-size=10\n", "server", "max-body-size", "10" },
    { "[server]\nmax-body-size=big\n", "server", "max-body-size", "big" },
    { "[storage]\ndata-dir=relative/path\n", "storage", "data-dir", "relative/path" },
    { "[auth]\ntoken-lifetime=0\n", "auth", "token-lifetime", "0" },
    { "[cti]\nlinks=csta;fax\n", "cti", "links", "fax" },
    { "[csta]\nport=0\n", "csta", "port", "0" },
    { "[csta]\nport=70000\n", "csta", "port", "70000" },
    { "[smdr]\nport=abc\n", "smdr", "port", "abc" },
    { "[smdr]\nlayout=x\n", "smdr", "layout", "x" },
    { "[smdr]\ndate-order=ymd\n", "smdr", "date-order", "ymd" },
    { "[exttext]\nfolder=ExtText\n", "exttext", "folder", "ExtText" },
    { "[numbering]\nstart=0\n", "numbering", "start", "0" },
    { "[numbering]\nper=day\n", "numbering", "per", "day" },
    { "[hunt:x]\nmembers=1;2\nwrap=maybe\n", "hunt:x", "wrap", "maybe" },
    { "[hunt:x]\nmembers=1;2\nno-answer-timeout=0\n", "hunt:x", "no-answer-timeout", "0" },
    { "[hunt:x]\nmembers=1;2\nfirst=3\n", "hunt:x", "first", "3" },
    { "[log]\nhop-log-dir=logs\n", "log", "hop-log-dir", "logs" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RdConfig) config = rd_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *group_text = g_strdup_printf ("[%s]", cases[i].group);
      g_autofree char *key_text = g_strdup_printf ("“%s”", cases[i].key);
      g_autofree char *value_text = g_strdup_printf ("“%s”", cases[i].value);
      g_autofree char *layout = NULL;

      g_test_message ("%s", cases[i].data);
      g_assert_false (rd_config_load_from_data (config, cases[i].data, strlen (cases[i].data), &error));
      g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, group_text));
      g_assert_nonnull (strstr (error->message, key_text));
      g_assert_nonnull (strstr (error->message, value_text));

      /* a failed load leaves the configuration as it was */
      g_assert_true (rd_config_validate (config, NULL));
      layout = rd_config_get_string (config, "smdr", "layout");
      g_assert_cmpstr (layout, ==, "auto");
    }
}

static void
test_hunt_group_needs_members (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  const char *data = "[hunt:empty]\nwrap=true\n";

  g_assert_false (rd_config_load_from_data (config, data, strlen (data), &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "[hunt:empty]"));
  g_assert_nonnull (strstr (error->message, "members"));
}

static void
test_unknown_is_warning (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  const char *data = "[server]\nlisten=127.0.0.1:1\ncolour=blue\n[mystery]\nkey=1\n";
  const char * const *warnings;

  g_test_expect_message ("RdConfig", G_LOG_LEVEL_WARNING, "*unknown key “colour” in group [server]*");
  g_test_expect_message ("RdConfig", G_LOG_LEVEL_WARNING, "*unknown group [mystery]*");
  g_assert_true (rd_config_load_from_data (config, data, strlen (data), &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  warnings = rd_config_get_warnings (config);
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 2);
  g_assert_cmpuint (rd_config_get_listen_port (config), ==, 1);
}

static void
test_malformed_data (void)
{
  const char *cases[] = {
    "this is not a key file",
    "[server\nlisten=1",
    "=value\n",
    "[server]\nlisten\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RdConfig) config = rd_config_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (rd_config_load_from_data (config, cases[i], strlen (cases[i]), &error));
      g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
    }

  {
    g_autoptr(RdConfig) config = rd_config_new ();
    g_autoptr(GError) error = NULL;
    const char bytes[] = { '[', 's', 'e', 'r', 'v', 'e', 'r', ']', '\n', 'l', '=', (char) 0xff, 0, '\n' };

    g_assert_false (rd_config_load_from_data (config, bytes, sizeof bytes, &error));
    g_assert_nonnull (error);
  }
}

static void
test_missing_file (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "does-not-exist.conf", NULL);

  g_assert_false (rd_config_load_file (config, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_ensure_data_dir (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "data", "nested", NULL);
  GStatBuf st;

  rd_config_set_data_dir (config, dir);
  g_assert_true (rd_config_ensure_data_dir (config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/data-dir-sources", test_data_dir_sources);
  g_test_add_func ("/config/file-overrides", test_file_overrides);
  g_test_add_func ("/config/command-line-overrides", test_command_line_overrides);
  g_test_add_func ("/config/parse-listen", test_parse_listen);
  g_test_add_func ("/config/invalid-values", test_invalid_values);
  g_test_add_func ("/config/hunt-group-needs-members", test_hunt_group_needs_members);
  g_test_add_func ("/config/unknown-is-warning", test_unknown_is_warning);
  g_test_add_func ("/config/malformed-data", test_malformed_data);
  g_test_add_func ("/config/missing-file", test_missing_file);
  g_test_add_func ("/config/ensure-data-dir", test_ensure_data_dir);

  return g_test_run ();
}
