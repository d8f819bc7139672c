/* rd-debug.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging for ringdesk-server (after fwupd's fu-debug.c): a `--verbose` option
 * that shows info and debug messages of our own domains, and a structured log
 * writer that goes to the journal when stderr is connected to it and to
 * stderr otherwise. Standard output is kept for the few lines scripts read
 * (the "listening on" line), so nothing is logged there.
 *
 * Meanings of the levels: g_debug() low-level detail; g_info() shown with
 * --verbose (one line per HTTP request); g_message() important, always shown;
 * g_warning() something is wrong but the server goes on. Never g_error().
 * Callers never pass passwords, tokens or Authorization headers to a log call.
 */

#define G_LOG_DOMAIN "RdDebug"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "rd-debug.h"

static gboolean verbose;
static gboolean installed;

static gboolean
domain_is_ours (const char *domain)
{
  return domain != NULL && domain[0] == 'R' && domain[1] == 'd';
}

static const char *
find_domain (const GLogField *fields,
             gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        return fields[i].value;
    }

  return NULL;
}

static GLogWriterOutput
rd_debug_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_autofree char *line = NULL;

  if ((log_level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)) != 0)
    {
      const char *domain = find_domain (fields, n_fields);

      if (!verbose)
        return G_LOG_WRITER_HANDLED;
      /* other libraries' debug output stays behind G_MESSAGES_DEBUG */
      if (!domain_is_ours (domain) && g_log_writer_default_would_drop (log_level, domain))
        return G_LOG_WRITER_HANDLED;
    }

  if (g_log_writer_is_journald (fileno (stderr)) &&
      g_log_writer_journald (log_level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;

  line = g_log_writer_format_fields (log_level, fields, n_fields,
                                     g_log_writer_supports_color (fileno (stderr)));
  fprintf (stderr, "%s\n", line);
  fflush (stderr);

  return G_LOG_WRITER_HANDLED;
}

static gboolean
verbose_arg_cb (const char  *option_name,
                const char  *value,
                gpointer     data,
                GError     **error)
{
  verbose = TRUE;
  return TRUE;
}

static gboolean
post_parse_cb (GOptionContext  *context,
               GOptionGroup    *group,
               gpointer         data,
               GError         **error)
{
  rd_debug_setup (verbose);
  return TRUE;
}

/**
 * rd_debug_get_option_group:
 *
 * Returns: (transfer full): a group with `--verbose` that installs the writer
 *   once the command line is parsed
 */
GOptionGroup *
rd_debug_get_option_group (void)
{
  const GOptionEntry entries[] = {
    { "verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, (gpointer) verbose_arg_cb,
      "Show informational and debug messages", NULL },
    { NULL }
  };
  GOptionGroup *group;

  group = g_option_group_new ("debug", "Debugging Options", "Show debugging options", NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_parse_hooks (group, NULL, post_parse_cb);

  return group;
}

void
rd_debug_setup (gboolean enable_verbose)
{
  verbose = enable_verbose;

  if (installed)
    return;

  installed = TRUE;
  g_log_set_writer_func (rd_debug_writer, NULL, NULL);
}

gboolean
rd_debug_get_verbose (void)
{
  return verbose;
}
