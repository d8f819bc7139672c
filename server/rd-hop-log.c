/* rd-hop-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hop log of the innovaphone ticketing script, which sites keep feeding
 * to their own tools. One line per hop of a call:
 *
 *   DD.MM.YYYY_HH.MM_DD.MM.YYYY_HH.MM_Ticket_N_Caller_X_Called_Y[_END]
 *
 * the hop's rung time and end time (server local time), the hop's ticket
 * number (the call's first ticket when the hop has none, 0 when the call has
 * no ticket), the calling number and the extension rung; `_END` marks the
 * last hop of the call. Lines end with "\n".
 *
 * Files: the lines of one call are written, when the call ends, into a file
 * of their own, `<dir>/YYYY-MM-DD/DD.MM.YYYY_HH.MM.log`, named after the
 * day and minute the call started, as the innovaphone script names them;
 * when a file of that minute exists, the next is `DD.MM.YYYY_HH.MM_2.log`,
 * then `_3`, … (the `_N` serial against same-minute collisions; a log
 * goes on from the last serial it used, so within a run a newer call never
 * takes a lower serial, even where a file was removed). One file
 * per call keeps every write independent: a file is written to a temporary
 * name and renamed into place (g_file_set_contents()), so a crash leaves
 * either the whole call or nothing, never half a line. The day folder keeps
 * a day's files together, and `GET /calls/log.txt?date=` concatenates them
 * in start order.
 */

#define G_LOG_DOMAIN "RdHopLog"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "rd-error.h"
#include "rd-hop-log.h"

struct _RdHopLog
{
  GObject     parent_instance;

  char       *directory;
  GHashTable *last_serials;  /* "<folder>/<minute>" → GUINT_TO_POINTER (serial); under write_lock */
};

G_DEFINE_FINAL_TYPE (RdHopLog, rd_hop_log, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define FILE_SUFFIX ".log"
#define MAX_SERIAL  10000
/* minutes whose last serial is kept */
#define MAX_MINUTES 16

static void
append_time (GString   *line,
             GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autofree char *text = g_date_time_format (local, "%d.%m.%Y_%H.%M");

  g_string_append (line, text);
}

/* keeps a number from breaking the `_`-separated format */
static void
append_field (GString    *line,
              const char *value)
{
  if (value == NULL || value[0] == '\0')
    {
      g_string_append_c (line, '0');
      return;
    }

  for (const char *p = value; *p != '\0'; p++)
    g_string_append_c (line, (g_ascii_isalnum (*p) || *p == '+' || *p == '*' || *p == '#') ? *p : '-');
}

/**
 * rd_hop_log_format_call:
 *
 * Returns: (transfer full): the lines of every hop of @call, "" when it has none
 */
char *
rd_hop_log_format_call (RdCall *call)
{
  GString *text = g_string_new (NULL);
  GListModel *hops;
  const char * const *tickets;
  guint n;

  g_return_val_if_fail (RD_IS_CALL (call), NULL);

  hops = rd_call_get_hops (call);
  tickets = rd_call_get_tickets (call);
  n = g_list_model_get_n_items (hops);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdHop) hop = g_list_model_get_item (hops, i);
      GDateTime *rung_at = rd_hop_get_rung_at (hop);
      GDateTime *ended_at = rd_hop_get_ended_at (hop);
      const char *ticket = rd_hop_get_ticket (hop);

      if (rung_at == NULL)
        rung_at = rd_call_get_started_at (call);
      if (ended_at == NULL)
        ended_at = rd_call_get_ended_at (call) != NULL ? rd_call_get_ended_at (call) : rung_at;
      if (ticket == NULL && tickets != NULL && tickets[0] != NULL)
        ticket = tickets[0];

      append_time (text, rung_at);
      g_string_append_c (text, '_');
      append_time (text, ended_at);
      g_string_append (text, "_Ticket_");
      append_field (text, ticket);
      g_string_append (text, "_Caller_");
      append_field (text, rd_call_get_from (call));
      g_string_append (text, "_Called_");
      append_field (text, rd_hop_get_extension (hop));
      if (i == n - 1)
        g_string_append (text, "_END");
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

static GMutex write_lock;

/**
 * rd_hop_log_write_call:
 * @filename: (out) (optional): the file written
 *
 * Writes the lines of @call into a new file of the day the call started
 * (see the top of this file). A call without hops writes nothing.
 */
gboolean
rd_hop_log_write_call (RdHopLog  *self,
                       RdCall    *call,
                       char     **filename,
                       GError   **error)
{
  g_autofree char *text = NULL;
  g_autofree char *day = NULL;
  g_autofree char *minute = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  guint first;

  g_return_val_if_fail (RD_IS_HOP_LOG (self), FALSE);
  g_return_val_if_fail (RD_IS_CALL (call), FALSE);

  text = rd_hop_log_format_call (call);
  if (text[0] == '\0')
    return TRUE;

  started = rd_call_get_started_at (call) != NULL
            ? g_date_time_to_local (rd_call_get_started_at (call))
            : g_date_time_new_now_local ();
  day = g_date_time_format (started, "%Y-%m-%d");
  minute = g_date_time_format (started, "%d.%m.%Y_%H.%M");
  folder = g_build_filename (self->directory, day, NULL);

  if (g_mkdir_with_parents (folder, 0750) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot create hop log folder %s: %s", folder, g_strerror (errsv));
      return FALSE;
    }

  /* the engine writes calls from a thread pool: choosing the serial and
   * writing must be one step, or two calls of the same minute take the same
   * name and the second rename replaces the first call's file */
  locker = g_mutex_locker_new (&write_lock);
  /* the next free serial of a minute is found from the last one this log
   * used, not from 1: testing every name from 1 is quadratic in the calls
   * of a minute (6,000 at 100 calls/s) */
  key = g_build_filename (folder, minute, NULL);
  first = GPOINTER_TO_UINT (g_hash_table_lookup (self->last_serials, key)) + 1;
  for (guint serial = first; serial < MAX_SERIAL; serial++)
    {
      g_autofree char *name = serial == 1
                              ? g_strconcat (minute, FILE_SUFFIX, NULL)
                              : g_strdup_printf ("%s_%u" FILE_SUFFIX, minute, serial);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;

      if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0640, error))
        {
          g_prefix_error (error, "Cannot write the hop log: ");
          return FALSE;
        }

      /* calls end in about start order: a few minutes are live at a time */
      if (g_hash_table_size (self->last_serials) >= MAX_MINUTES)
        g_hash_table_remove_all (self->last_serials);
      g_hash_table_insert (self->last_serials, g_steal_pointer (&key), GUINT_TO_POINTER (serial));
      if (filename != NULL)
        *filename = g_steal_pointer (&path);
      return TRUE;
    }

  g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE,
               "Too many hop log files for %s", minute);
  return FALSE;
}

/**
 * rd_hop_log_parse_date:
 * @text: `YYYY-MM-DD`, exactly
 */
gboolean
rd_hop_log_parse_date (const char *text,
                       GDate      *date)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

typedef struct
{
  char  *name;
  char  *minute;
  guint  serial;
} LogFile;

static void
log_file_free (gpointer data)
{
  LogFile *file = data;

  g_free (file->name);
  g_free (file->minute);
  g_free (file);
}

static int
log_file_compare (gconstpointer a,
                  gconstpointer b)
{
  const LogFile *x = *(LogFile * const *) a;
  const LogFile *y = *(LogFile * const *) b;
  int cmp = strcmp (x->minute, y->minute);

  if (cmp != 0)
    return cmp;

  return (x->serial > y->serial) - (x->serial < y->serial);
}

/* DD.MM.YYYY_HH.MM[_N].log → minute key "HH.MM" and serial N (1 without) */
static LogFile *
log_file_parse (const char *name)
{
  g_autofree char *stem = NULL;
  LogFile *file;
  guint64 serial = 1;

  if (!g_str_has_suffix (name, FILE_SUFFIX) || strlen (name) < 16)
    return NULL;

  stem = g_strndup (name, strlen (name) - strlen (FILE_SUFFIX));
  if (stem[16] == '_')
    {
      if (!g_ascii_string_to_unsigned (stem + 17, 10, 2, MAX_SERIAL, &serial, NULL))
        return NULL;
    }
  else if (stem[16] != '\0')
    {
      return NULL;
    }

  file = g_new0 (LogFile, 1);
  file->name = g_strdup (name);
  file->minute = g_strndup (stem + 11, 5);
  file->serial = (guint) serial;
  return file;
}

/**
 * rd_hop_log_read_day:
 * @date: `YYYY-MM-DD`
 *
 * Returns: (transfer full): every line of the calls that started on @date,
 *   in start order ("" for a day without calls); %RD_ERROR_INVALID_FIELD for
 *   a malformed date
 */
char *
rd_hop_log_read_day (RdHopLog    *self,
                     const char  *date,
                     GError     **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (log_file_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  GString *text;
  GDate parsed;
  const char *name;

  g_return_val_if_fail (RD_IS_HOP_LOG (self), NULL);

  /* the date names a folder: only a well-formed date ever reaches the path */
  if (!rd_hop_log_parse_date (date, &parsed))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Parameter “date” must be a date YYYY-MM-DD");
      return NULL;
    }

  folder = g_build_filename (self->directory, date, NULL);
  dir = g_dir_open (folder, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_strdup ("");
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Cannot read the hop log: ");
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      LogFile *file = log_file_parse (name);

      if (file != NULL)
        g_ptr_array_add (files, file);
    }
  g_ptr_array_sort (files, log_file_compare);

  text = g_string_new (NULL);
  for (guint i = 0; i < files->len; i++)
    {
      LogFile *file = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (folder, file->name, NULL);
      g_autofree char *contents = NULL;

      if (!g_file_get_contents (path, &contents, NULL, &local_error))
        {
          g_warning ("Skipping hop log file %s: %s", path, local_error->message);
          g_clear_error (&local_error);
          continue;
        }
      g_string_append (text, contents);
    }

  return g_string_free (text, FALSE);
}

const char *
rd_hop_log_get_directory (RdHopLog *self)
{
  g_return_val_if_fail (RD_IS_HOP_LOG (self), NULL);

  return self->directory;
}

static void
rd_hop_log_finalize (GObject *object)
{
  RdHopLog *self = (RdHopLog *) object;

  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->last_serials, g_hash_table_unref);

  G_OBJECT_CLASS (rd_hop_log_parent_class)->finalize (object);
}

static void
rd_hop_log_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RdHopLog *self = RD_HOP_LOG (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_hop_log_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RdHopLog *self = RD_HOP_LOG (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_hop_log_class_init (RdHopLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_hop_log_finalize;
  object_class->get_property = rd_hop_log_get_property;
  object_class->set_property = rd_hop_log_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_hop_log_init (RdHopLog *self)
{
  self->last_serials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * rd_hop_log_new:
 * @directory: an absolute folder; created on the first write
 */
RdHopLog *
rd_hop_log_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (RD_TYPE_HOP_LOG, "directory", directory, NULL);
}
