/* rd-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server configuration: a GKeyFile whose every key has a default in code
 * (fwupd style). Values are merged in this order: defaults, the file, then the
 * command-line overrides. Unknown groups and keys are warnings, invalid values
 * errors that name the group, the key and the value.
 */

#define G_LOG_DOMAIN "RdConfig"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "rd-config.h"

typedef enum
{
  KEY_STRING,
  KEY_INT,
  KEY_BOOLEAN,
  KEY_ENUM,
  KEY_ENUM_LIST,
  KEY_LIST,
  KEY_LISTEN,
  KEY_PATH,
} KeyType;

typedef struct
{
  const char *group;
  const char *key;
  KeyType     type;
  const char *default_value;
  gint64      min;
  gint64      max;
  const char *choices;   /* ";"-separated, for KEY_ENUM and KEY_ENUM_LIST */
} KeyInfo;

/* "hunt:" groups are templates: the group name after the colon is free. */
#define HUNT_PREFIX "hunt:"

static const KeyInfo keys[] = {
  { "server",    "listen",            KEY_LISTEN,    RD_CONFIG_DEFAULT_LISTEN, 0, 0, NULL },
  { "server",    "max-body-size",     KEY_INT,       "1048576", 1024, G_MAXINT32, NULL },
  { "storage",   "data-dir",          KEY_PATH,      "", 0, 0, NULL },
  { "auth",      "token-lifetime",    KEY_INT,       "43200", 60, 366 * 24 * 3600, NULL },
  { "auth",      "login-max-failures", KEY_INT,      "5", 1, 1000, NULL },
  { "auth",      "login-max-failures-per-address", KEY_INT, "20", 1, 1000, NULL },
  { "auth",      "login-window",      KEY_INT,       "300", 1, 24 * 3600, NULL },
  { "cti",       "links",             KEY_ENUM_LIST, "csta", 0, 0, "csta;smdr;exttext;generic;sim" },
  { "csta",      "host",              KEY_STRING,    "192.0.2.10", 0, 0, NULL },
  { "csta",      "port",              KEY_INT,       "33333", 1, 65535, NULL },
  { "csta",      "keepalive-timeout", KEY_INT,       "30", 1, 3600, NULL },
  { "csta",      "request-timeout",   KEY_INT,       "10", 1, 300, NULL },
  { "smdr",      "host",              KEY_STRING,    "192.0.2.10", 0, 0, NULL },
  { "smdr",      "port",              KEY_INT,       "2300", 1, 65535, NULL },
  { "smdr",      "password",          KEY_STRING,    "PCCSMDR", 0, 0, NULL },
  { "smdr",      "layout",            KEY_ENUM,      "auto", 0, 0, "auto;a;b;c" },
  { "smdr",      "date-order",        KEY_ENUM,      "mdy", 0, 0, "mdy;dmy" },
  { "smdr",      "idle-timeout",      KEY_INT,       "0", 0, 24 * 3600, NULL },
  { "exttext",   "folder",            KEY_PATH,      "/srv/callmonitor/ExtText", 0, 0, NULL },
  { "generic",   "secret",            KEY_STRING,    "", 0, 0, NULL },
  { "numbering", "start",             KEY_INT,       "1", 1, G_MAXINT32, NULL },
  { "numbering", "per",               KEY_ENUM,      "call", 0, 0, "call;hop" },
  { "numbering", "auto-ticket",       KEY_ENUM,      "hunt", 0, 0, "hunt;incoming;none" },
  { HUNT_PREFIX, "members",           KEY_LIST,      "", 0, 0, NULL },
  { HUNT_PREFIX, "first",             KEY_STRING,    "", 0, 0, NULL },
  { HUNT_PREFIX, "wrap",              KEY_BOOLEAN,   "true", 0, 0, NULL },
  { HUNT_PREFIX, "no-answer-timeout", KEY_INT,       "15", 1, 600, NULL },
  { HUNT_PREFIX, "pilot",             KEY_STRING,    "", 0, 0, NULL },
  { "log",       "hop-log-dir",       KEY_PATH,      "", 0, 0, NULL },
  { "phone",     "country",           KEY_ENUM,      "ES", 0, 0, "ES;IT;GB;DE;FR;PT;AT;CH;NL;BE;US" },
  { "sms",       "provider",          KEY_ENUM,      "none", 0, 0, "none;http;gammu" },
  { "sms",       "url",               KEY_STRING,    "", 0, 0, NULL },
  { "sms",       "method",            KEY_ENUM,      "GET", 0, 0, "GET;POST" },
  { "sms",       "spool-dir",         KEY_PATH,      "", 0, 0, NULL },
  { "evidence",  "max-size",          KEY_INT,       "26214400", 1024, G_MAXINT32, NULL },
};

struct _RdConfig
{
  GObject    parent_instance;

  GKeyFile  *keyfile;
  GPtrArray *warnings;
  gboolean   demo;
};

G_DEFINE_FINAL_TYPE (RdConfig, rd_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
group_is_hunt (const char *group)
{
  return g_str_has_prefix (group, HUNT_PREFIX) && group[strlen (HUNT_PREFIX)] != '\0';
}

static const KeyInfo *
find_key (const char *group,
          const char *key)
{
  const char *lookup_group = group_is_hunt (group) ? HUNT_PREFIX : group;

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_str_equal (keys[i].group, lookup_group) && g_str_equal (keys[i].key, key))
        return &keys[i];
    }

  return NULL;
}

static gboolean
group_is_known (const char *group)
{
  if (group_is_hunt (group))
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_str_equal (keys[i].group, group))
        return TRUE;
    }

  return FALSE;
}

static void
set_invalid (GError     **error,
             const char  *group,
             const char  *key,
             const char  *value,
             const char  *reason)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               "Invalid value “%s” for key “%s” in group [%s]: %s",
               value, key, group, reason);
}

/**
 * rd_config_parse_listen:
 * @listen: `HOST:PORT`, where HOST is an IP address (IPv6 in brackets) or
 *   `localhost`, and PORT is 0–65535 (0 picks a free port)
 *
 * Returns: %TRUE if @listen is valid
 */
gboolean
rd_config_parse_listen (const char  *listen,
                        char       **host,
                        guint16     *port,
                        GError     **error)
{
  g_autofree char *host_part = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *colon;
  guint64 port_value = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (listen != NULL, FALSE);

  colon = strrchr (listen, ':');
  if (colon == NULL || colon == listen)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           "expected HOST:PORT");
      return FALSE;
    }

  if (listen[0] == '[')
    {
      if (colon[-1] != ']' || colon - listen < 3)
        {
          g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                               "expected [IPV6]:PORT");
          return FALSE;
        }
      host_part = g_strndup (listen + 1, colon - listen - 2);
      address = g_inet_address_new_from_string (host_part);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "“%s” is not an IPv6 address", host_part);
          return FALSE;
        }
    }
  else
    {
      host_part = g_strndup (listen, colon - listen);
      if (g_str_equal (host_part, "localhost"))
        {
          g_free (host_part);
          host_part = g_strdup ("127.0.0.1");
        }
      address = g_inet_address_new_from_string (host_part);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "“%s” is not an IPv4 address (write IPv6 as [ADDRESS]:PORT)",
                       host_part);
          return FALSE;
        }
    }

  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port_value, &local_error))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "port “%s” is not a number from 0 to 65535", colon + 1);
      return FALSE;
    }

  if (host != NULL)
    *host = g_steal_pointer (&host_part);
  if (port != NULL)
    *port = (guint16) port_value;

  return TRUE;
}

static gboolean
validate_value (GKeyFile       *keyfile,
                const char     *group,
                const KeyInfo  *info,
                GError        **error)
{
  g_autofree char *value = g_key_file_get_value (keyfile, group, info->key, NULL);
  g_autoptr(GError) local_error = NULL;

  if (value == NULL)
    return TRUE;

  switch (info->type)
    {
    case KEY_STRING:
    case KEY_PATH:
      if (!g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "Invalid value for key “%s” in group [%s]: not UTF-8",
                       info->key, group);
          return FALSE;
        }
      if (info->type == KEY_PATH && value[0] != '\0' && !g_path_is_absolute (value))
        {
          set_invalid (error, group, info->key, value, "expected an absolute path");
          return FALSE;
        }
      return TRUE;

    case KEY_INT:
      {
        gint64 number;

        if (!g_ascii_string_to_signed (value, 10, info->min, info->max, &number, &local_error))
          {
            g_autofree char *reason =
              g_strdup_printf ("expected a whole number from %" G_GINT64_FORMAT
                               " to %" G_GINT64_FORMAT, info->min, info->max);
            set_invalid (error, group, info->key, value, reason);
            return FALSE;
          }
        return TRUE;
      }

    case KEY_BOOLEAN:
      g_key_file_get_boolean (keyfile, group, info->key, &local_error);
      if (local_error != NULL)
        {
          set_invalid (error, group, info->key, value, "expected true or false");
          return FALSE;
        }
      return TRUE;

    case KEY_ENUM:
    case KEY_ENUM_LIST:
      {
        g_auto(GStrv) choices = g_strsplit (info->choices, ";", -1);
        g_auto(GStrv) items = NULL;

        if (info->type == KEY_ENUM)
          {
            items = g_new0 (char *, 2);
            items[0] = g_strdup (value);
          }
        else
          {
            items = g_key_file_get_string_list (keyfile, group, info->key, NULL, NULL);
          }

        for (guint i = 0; items != NULL && items[i] != NULL; i++)
          {
            if (!g_strv_contains ((const char * const *) choices, items[i]))
              {
                g_autofree char *list = g_strjoinv (", ", choices);
                g_autofree char *reason = g_strdup_printf ("expected %s%s",
                                                           info->type == KEY_ENUM ? "one of " : "a list of ",
                                                           list);
                set_invalid (error, group, info->key, items[i], reason);
                return FALSE;
              }
          }
        return TRUE;
      }

    case KEY_LIST:
      {
        g_auto(GStrv) items = g_key_file_get_string_list (keyfile, group, info->key, NULL, NULL);

        for (guint i = 0; items != NULL && items[i] != NULL; i++)
          {
            if (items[i][0] == '\0' || !g_utf8_validate (items[i], -1, NULL))
              {
                set_invalid (error, group, info->key, value, "list has an empty or non-UTF-8 item");
                return FALSE;
              }
          }
        return TRUE;
      }

    case KEY_LISTEN:
      if (!rd_config_parse_listen (value, NULL, NULL, &local_error))
        {
          set_invalid (error, group, info->key, value, local_error->message);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
validate_hunt_group (GKeyFile    *keyfile,
                     const char  *group,
                     GError     **error)
{
  g_auto(GStrv) members = g_key_file_get_string_list (keyfile, group, "members", NULL, NULL);
  g_autofree char *first = g_key_file_get_string (keyfile, group, "first", NULL);

  if (members == NULL || members[0] == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "Group [%s] needs a non-empty key “members”", group);
      return FALSE;
    }

  if (first != NULL && first[0] != '\0' &&
      !g_strv_contains ((const char * const *) members, first))
    {
      set_invalid (error, group, "first", first, "not one of the group's members");
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_config_validate:
 *
 * Checks every value that is set (defaults are valid by construction).
 */
gboolean
rd_config_validate (RdConfig  *self,
                    GError   **error)
{
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (RD_IS_CONFIG (self), FALSE);

  groups = g_key_file_get_groups (self->keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) group_keys = g_key_file_get_keys (self->keyfile, groups[i], NULL, NULL);

      for (guint j = 0; group_keys != NULL && group_keys[j] != NULL; j++)
        {
          const KeyInfo *info = find_key (groups[i], group_keys[j]);

          if (info != NULL && !validate_value (self->keyfile, groups[i], info, error))
            return FALSE;
        }

      if (group_is_hunt (groups[i]) && !validate_hunt_group (self->keyfile, groups[i], error))
        return FALSE;
    }

  return TRUE;
}

static void
add_warning (RdConfig   *self,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_warning (RdConfig   *self,
             const char *format,
             ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_warning ("%s", text);
  g_ptr_array_insert (self->warnings, self->warnings->len - 1, text);
}

static gboolean
merge_keyfile (RdConfig   *self,
               GKeyFile   *source,
               const char *origin,
               GError    **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (source, NULL);
  g_autoptr(GKeyFile) backup = g_key_file_new ();
  g_autofree char *backup_data = g_key_file_to_data (self->keyfile, NULL, NULL);

  /* keep the old values so a failed load leaves the config unchanged */
  g_key_file_load_from_data (backup, backup_data, (gsize) -1, G_KEY_FILE_NONE, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) group_keys = NULL;

      if (!group_is_known (groups[i]))
        {
          add_warning (self, "%s: unknown group [%s] ignored", origin, groups[i]);
          continue;
        }

      group_keys = g_key_file_get_keys (source, groups[i], NULL, NULL);
      for (guint j = 0; group_keys != NULL && group_keys[j] != NULL; j++)
        {
          g_autofree char *value = NULL;

          if (find_key (groups[i], group_keys[j]) == NULL)
            {
              add_warning (self, "%s: unknown key “%s” in group [%s] ignored",
                           origin, group_keys[j], groups[i]);
              continue;
            }

          value = g_key_file_get_value (source, groups[i], group_keys[j], NULL);
          if (value != NULL)
            g_key_file_set_value (self->keyfile, groups[i], group_keys[j], value);
        }
    }

  if (!rd_config_validate (self, error))
    {
      g_prefix_error (error, "%s: ", origin);
      g_key_file_free (self->keyfile);
      self->keyfile = g_steal_pointer (&backup);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_config_load_from_data:
 * @data: (array length=length): GKeyFile text, possibly hostile
 *
 * Merges @data over the current values and validates the result. Safe to feed
 * arbitrary bytes (this is the fuzzing entry point).
 */
gboolean
rd_config_load_from_data (RdConfig    *self,
                          const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(GKeyFile) source = g_key_file_new ();

  g_return_val_if_fail (RD_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!g_utf8_validate_len (data != NULL ? data : "", length, NULL))
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                           "Configuration is not valid UTF-8");
      return FALSE;
    }

  if (!g_key_file_load_from_data (source, data != NULL ? data : "", length,
                                  G_KEY_FILE_NONE, error))
    return FALSE;

  return merge_keyfile (self, source, "configuration", error);
}

gboolean
rd_config_load_file (RdConfig    *self,
                     const char  *filename,
                     GError     **error)
{
  g_autoptr(GKeyFile) source = g_key_file_new ();

  g_return_val_if_fail (RD_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  if (!g_key_file_load_from_file (source, filename, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "Cannot read %s: ", filename);
      return FALSE;
    }

  g_debug ("loaded configuration from %s", filename);

  return merge_keyfile (self, source, filename, error);
}

gboolean
rd_config_set_listen (RdConfig    *self,
                      const char  *listen,
                      GError     **error)
{
  g_return_val_if_fail (RD_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (listen != NULL, FALSE);

  if (!rd_config_parse_listen (listen, NULL, NULL, error))
    {
      g_prefix_error (error, "Invalid --listen “%s”: ", listen);
      return FALSE;
    }

  g_key_file_set_string (self->keyfile, "server", "listen", listen);
  return TRUE;
}

void
rd_config_set_data_dir (RdConfig   *self,
                        const char *data_dir)
{
  g_autofree char *absolute = NULL;

  g_return_if_fail (RD_IS_CONFIG (self));
  g_return_if_fail (data_dir != NULL);

  absolute = g_canonicalize_filename (data_dir, NULL);
  g_key_file_set_string (self->keyfile, "storage", "data-dir", absolute);
}

void
rd_config_set_demo (RdConfig *self,
                    gboolean  demo)
{
  g_return_if_fail (RD_IS_CONFIG (self));

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

gboolean
rd_config_get_demo (RdConfig *self)
{
  g_return_val_if_fail (RD_IS_CONFIG (self), FALSE);

  return self->demo;
}

/**
 * rd_config_get_warnings:
 *
 * Returns: (transfer none): the warnings collected while loading
 */
const char * const *
rd_config_get_warnings (RdConfig *self)
{
  g_return_val_if_fail (RD_IS_CONFIG (self), NULL);

  return (const char * const *) self->warnings->pdata;
}

static const char *
get_default (const char *group,
             const char *key)
{
  const KeyInfo *info = find_key (group, key);

  g_return_val_if_fail (info != NULL, NULL);

  return info->default_value;
}

/**
 * rd_config_get_string:
 *
 * Returns: (transfer full): the value, or the default when it is not set
 */
char *
rd_config_get_string (RdConfig   *self,
                      const char *group,
                      const char *key)
{
  char *value;

  g_return_val_if_fail (RD_IS_CONFIG (self), NULL);

  value = g_key_file_get_string (self->keyfile, group, key, NULL);
  if (value != NULL)
    return value;

  return g_strdup (get_default (group, key));
}

gint64
rd_config_get_int (RdConfig   *self,
                   const char *group,
                   const char *key)
{
  g_autofree char *value = NULL;
  gint64 number = 0;

  g_return_val_if_fail (RD_IS_CONFIG (self), 0);

  value = rd_config_get_string (self, group, key);
  if (value == NULL || !g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
    g_ascii_string_to_signed (get_default (group, key), 10, G_MININT64, G_MAXINT64, &number, NULL);

  return number;
}

gboolean
rd_config_get_boolean (RdConfig   *self,
                       const char *group,
                       const char *key)
{
  g_autoptr(GError) local_error = NULL;
  gboolean value;

  g_return_val_if_fail (RD_IS_CONFIG (self), FALSE);

  value = g_key_file_get_boolean (self->keyfile, group, key, &local_error);
  if (local_error == NULL)
    return value;

  return g_strcmp0 (get_default (group, key), "true") == 0;
}

/**
 * rd_config_get_strv:
 *
 * Returns: (transfer full): the list (possibly empty, never %NULL)
 */
char **
rd_config_get_strv (RdConfig   *self,
                    const char *group,
                    const char *key)
{
  char **value;
  const char *fallback;

  g_return_val_if_fail (RD_IS_CONFIG (self), NULL);

  value = g_key_file_get_string_list (self->keyfile, group, key, NULL, NULL);
  if (value != NULL)
    return value;

  fallback = get_default (group, key);
  if (fallback == NULL || fallback[0] == '\0')
    return g_new0 (char *, 1);

  return g_strsplit (fallback, ";", -1);
}

/**
 * rd_config_get_hunt_groups:
 *
 * Returns: (transfer full): the names of the `[hunt:NAME]` groups
 */
char **
rd_config_get_hunt_groups (RdConfig *self)
{
  g_auto(GStrv) groups = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (RD_IS_CONFIG (self), NULL);

  groups = g_key_file_get_groups (self->keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (group_is_hunt (groups[i]))
        g_strv_builder_add (builder, groups[i] + strlen (HUNT_PREFIX));
    }

  return g_strv_builder_end (builder);
}

char *
rd_config_get_listen_host (RdConfig *self)
{
  g_autofree char *listen = rd_config_get_string (self, "server", "listen");
  char *host = NULL;

  if (!rd_config_parse_listen (listen, &host, NULL, NULL))
    rd_config_parse_listen (RD_CONFIG_DEFAULT_LISTEN, &host, NULL, NULL);

  return host;
}

guint16
rd_config_get_listen_port (RdConfig *self)
{
  g_autofree char *listen = rd_config_get_string (self, "server", "listen");
  guint16 port = 0;

  if (!rd_config_parse_listen (listen, NULL, &port, NULL))
    rd_config_parse_listen (RD_CONFIG_DEFAULT_LISTEN, NULL, &port, NULL);

  return port;
}

/**
 * rd_config_get_data_dir:
 *
 * `[storage] data-dir` when set; else `$STATE_DIRECTORY` (systemd) or
 * `$XDG_DATA_HOME/ringdesk-server` (`ringdesk-server-demo` in demo mode).
 */
char *
rd_config_get_data_dir (RdConfig *self)
{
  g_autofree char *value = NULL;
  const char *state_directory;

  g_return_val_if_fail (RD_IS_CONFIG (self), NULL);

  value = rd_config_get_string (self, "storage", "data-dir");
  if (value != NULL && value[0] != '\0')
    return g_steal_pointer (&value);

  if (self->demo)
    return g_build_filename (g_get_user_data_dir (), "ringdesk-server-demo", NULL);

  /* systemd may pass several directories separated by ":"; ours is the first */
  state_directory = g_getenv ("STATE_DIRECTORY");
  if (state_directory != NULL && state_directory[0] == '/')
    {
      g_auto(GStrv) dirs = g_strsplit (state_directory, ":", 2);
      return g_strdup (dirs[0]);
    }

  return g_build_filename (g_get_user_data_dir (), "ringdesk-server", NULL);
}

gsize
rd_config_get_max_body_size (RdConfig *self)
{
  return (gsize) rd_config_get_int (self, "server", "max-body-size");
}

gint64
rd_config_get_token_lifetime (RdConfig *self)
{
  return rd_config_get_int (self, "auth", "token-lifetime");
}

/**
 * rd_config_ensure_data_dir:
 *
 * Creates the data directory with mode 0700 if it does not exist.
 */
gboolean
rd_config_ensure_data_dir (RdConfig  *self,
                           GError   **error)
{
  g_autofree char *data_dir = rd_config_get_data_dir (self);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot create data directory %s: %s", data_dir, g_strerror (errsv));
      return FALSE;
    }

  return TRUE;
}

static void
rd_config_finalize (GObject *object)
{
  RdConfig *self = (RdConfig *) object;

  g_clear_pointer (&self->keyfile, g_key_file_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_config_parent_class)->finalize (object);
}

static void
rd_config_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdConfig *self = RD_CONFIG (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_config_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RdConfig *self = RD_CONFIG (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      rd_config_set_demo (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_config_class_init (RdConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_config_finalize;
  object_class->get_property = rd_config_get_property;
  object_class->set_property = rd_config_set_property;

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_config_init (RdConfig *self)
{
  self->keyfile = g_key_file_new ();
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
}

RdConfig *
rd_config_new (void)
{
  return g_object_new (RD_TYPE_CONFIG, NULL);
}
