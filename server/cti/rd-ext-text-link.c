/* rd-ext-text-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sites that keep the Windows "Call Monitor 3" TAPI tool (patched as in
 * AbiudSM/CallCenterVDE) get `ExtText/<ext>.txt` files holding
 * `entrante:<CLI>` when <ext> rings and `saliente:<number>` when it dials.
 * This link watches that folder with a GFileMonitor and turns every finished
 * write (or a file renamed or moved in) into RINGING or ORIGINATED at <ext>.
 *
 * The files come from Windows: the parser takes a UTF-8 or UTF-16 BOM,
 * UTF-16 without one, CR+LF, spaces and any case. Files that are not
 * `<ext>.txt` are ignored; files too big or not understood are counted and
 * skipped. The folder is CONNECTED while it exists and DOWN (with the reason)
 * while it does not; it is checked again every second and the watch is made
 * again when it comes back. Files are read one at a time, in the order the
 * monitor reported them, off the main loop.
 *
 * A folder on a network share (SMB/CIFS) does not report remote writes to
 * inotify; mount it so it does, or run the Windows tool on a local folder.
 */

#define G_LOG_DOMAIN "RdExtTextLink"

#include "config.h"

#include "rd-cti-link-status.h"
#include "rd-error.h"
#include "rd-ext-text-link.h"

#define RECHECK_SECONDS 1
#define MAX_NUMBER 32

/* ---- the file content -------------------------------------------------- */

static char *
to_utf8 (const char *data,
         gsize       length)
{
  const guchar *u = (const guchar *) data;
  const char *charset = NULL;

  if (length >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
    return g_strndup (data + 3, length - 3);
  if (length >= 2 && u[0] == 0xff && u[1] == 0xfe)
    charset = "UTF-16LE", data += 2, length -= 2;
  else if (length >= 2 && u[0] == 0xfe && u[1] == 0xff)
    charset = "UTF-16BE", data += 2, length -= 2;
  else if (length >= 2 && u[1] == 0 && u[0] != 0)
    charset = "UTF-16LE";
  else if (length >= 2 && u[0] == 0 && u[1] != 0)
    charset = "UTF-16BE";

  if (charset != NULL)
    return g_convert (data, length - (length % 2), "UTF-8", charset, NULL, NULL, NULL);

  /* the ANSI code page: only ASCII matters below */
  return g_strndup (data, length);
}

/**
 * rd_ext_text_parse:
 * @data: the file's bytes
 * @length: their number
 * @number: (out) (optional): the number written after the colon
 *
 * Returns: what the file says; RD_EXT_TEXT_EMPTY for an empty (or blank)
 *   file, which a writer truncating it in place leaves for a moment. On
 *   content that is not `entrante:`/`saliente:` and a number, returns
 *   RD_EXT_TEXT_EMPTY with an RD_ERROR_INVALID_DATA error.
 */
RdExtTextKind
rd_ext_text_parse (const char  *data,
                   gsize        length,
                   char       **number,
                   GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *line = NULL;
  const char *colon;
  g_autofree char *key = NULL;
  GString *digits;
  RdExtTextKind kind;

  g_return_val_if_fail (data != NULL || length == 0, RD_EXT_TEXT_EMPTY);

  if (number != NULL)
    *number = NULL;

  if (length > RD_EXT_TEXT_MAX_SIZE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "ExtText file larger than %d bytes", RD_EXT_TEXT_MAX_SIZE);
      return RD_EXT_TEXT_EMPTY;
    }

  text = to_utf8 (data, length);
  if (text == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                           "ExtText file is not valid UTF-16");
      return RD_EXT_TEXT_EMPTY;
    }

  /* the last line with something on it (a NUL ends the text) */
  lines = g_strsplit_set (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_strstrip (lines[i])[0] != '\0')
      line = lines[i];
  if (line == NULL)
    return RD_EXT_TEXT_EMPTY;

  colon = strchr (line, ':');
  if (colon == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                           "ExtText file has no “entrante:” or “saliente:”");
      return RD_EXT_TEXT_EMPTY;
    }

  key = g_strstrip (g_strndup (line, colon - line));
  if (g_ascii_strcasecmp (key, "entrante") == 0)
    kind = RD_EXT_TEXT_INCOMING;
  else if (g_ascii_strcasecmp (key, "saliente") == 0)
    kind = RD_EXT_TEXT_OUTGOING;
  else
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                           "ExtText file is neither “entrante:” nor “saliente:”");
      return RD_EXT_TEXT_EMPTY;
    }

  digits = g_string_new (NULL);
  for (const char *p = colon + 1; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#' || (*p == '+' && digits->len == 0))
        g_string_append_c (digits, *p);
      else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' || *p == '\t')
        continue;
      else
        {
          g_string_free (digits, TRUE);
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                       "ExtText number has a “%c” at column %d",
                       g_ascii_isprint (*p) ? *p : '?', (int) (p - line) + 1);
          return RD_EXT_TEXT_EMPTY;
        }
    }

  if (digits->len == 0 || digits->len > MAX_NUMBER ||
      (digits->len == 1 && digits->str[0] == '+'))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   digits->len == 0 ? "ExtText file has no number"
                                    : "ExtText number longer than %d digits", MAX_NUMBER);
      g_string_free (digits, TRUE);
      return RD_EXT_TEXT_EMPTY;
    }

  if (number != NULL)
    *number = g_string_free (digits, FALSE);
  else
    g_string_free (digits, TRUE);

  return kind;
}

/**
 * rd_ext_text_extension_from_name:
 * @basename: a file name in the folder
 *
 * Returns: (transfer full) (nullable): the extension of `<ext>.txt` (letters
 *   and digits, at most 16), or %NULL for any other file
 */
char *
rd_ext_text_extension_from_name (const char *basename)
{
  gsize len;

  if (basename == NULL)
    return NULL;

  len = strlen (basename);
  if (len < 5 || len > 16 + 4 || g_ascii_strcasecmp (basename + len - 4, ".txt") != 0)
    return NULL;

  for (gsize i = 0; i < len - 4; i++)
    if (!g_ascii_isalnum (basename[i]))
      return NULL;

  return g_strndup (basename, len - 4);
}

/* ---- the link ---------------------------------------------------------- */

struct _RdExtTextLink
{
  GObject          parent_instance;

  GFile           *folder;
  RdCtiLinkStatus  status;
  gboolean         was_connected;

  GFileMonitor    *monitor;
  GCancellable    *cancellable;
  guint            recheck_id;
  gboolean         checking;
  GQueue           pending;     /* of GFile: to read, in order */
  gboolean         reading;
  guint            invalid_files;
};

static void rd_ext_text_link_iface_init (RdCtiLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdExtTextLink, rd_ext_text_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CTI_LINK, rd_ext_text_link_iface_init))

static void read_next (RdExtTextLink *self);

static void
set_state (RdExtTextLink  *self,
           RdCtiLinkState  state,
           const char     *detail)
{
  rd_cti_link_status_set (&self->status, G_OBJECT (self), state, detail);
}

typedef struct
{
  RdExtTextLink *self;
  GFile         *file;
  char          *extension;
} Read;

static void
read_free (Read *read)
{
  g_object_unref (read->self);
  g_object_unref (read->file);
  g_free (read->extension);
  g_free (read);
}

static void
emit_for (RdExtTextLink *self,
          const char    *extension,
          const char    *data,
          gsize          length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autoptr(RdCtiEvent) event = NULL;
  RdExtTextKind kind;

  kind = rd_ext_text_parse (data, length, &number, &error);
  if (error != NULL)
    {
      self->invalid_files++;
      g_debug ("Skipping %s.txt: %s", extension, error->message);
      return;
    }

  switch (kind)
    {
    case RD_EXT_TEXT_INCOMING:
      event = rd_cti_event_new (RD_CTI_EVENT_RINGING, "exttext");
      event->direction = RD_CALL_DIRECTION_IN;
      event->calling = g_steal_pointer (&number);
      event->called = g_strdup (extension);
      break;

    case RD_EXT_TEXT_OUTGOING:
      event = rd_cti_event_new (RD_CTI_EVENT_ORIGINATED, "exttext");
      event->direction = RD_CALL_DIRECTION_OUT;
      event->calling = g_strdup (extension);
      event->called = g_steal_pointer (&number);
      break;

    case RD_EXT_TEXT_EMPTY:
    default:
      return;
    }

  event->extension = g_strdup (extension);
  rd_cti_link_emit_event (RD_CTI_LINK (self), event);
}

static void
read_bytes_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Read *read = user_data;
  RdExtTextLink *self = read->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  g_input_stream_close_async (G_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_free (read);
      return;
    }

  if (bytes == NULL)
    {
      self->invalid_files++;
      g_debug ("Cannot read %s.txt: %s", read->extension, error->message);
    }
  else if (g_bytes_get_size (bytes) > RD_EXT_TEXT_MAX_SIZE)
    {
      self->invalid_files++;
      g_debug ("Skipping %s.txt: larger than %d bytes", read->extension, RD_EXT_TEXT_MAX_SIZE);
    }
  else
    {
      emit_for (self, read->extension, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }

  self->reading = FALSE;
  read_free (read);
  read_next (self);
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Read *read = user_data;
  RdExtTextLink *self = read->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) stream = NULL;

  stream = g_file_read_finish (G_FILE (source), result, &error);
  if (stream == NULL)
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      /* gone again before it could be read: nothing to say */
      if (!cancelled && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          self->invalid_files++;
          g_debug ("Cannot open %s.txt: %s", read->extension, error->message);
        }
      if (!cancelled)
        {
          self->reading = FALSE;
          read_next (self);
        }
      read_free (read);
      return;
    }

  /* one more than allowed, to see that it is too big */
  g_input_stream_read_bytes_async (G_INPUT_STREAM (stream), RD_EXT_TEXT_MAX_SIZE + 1,
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   read_bytes_cb, read);
}

static void
read_next (RdExtTextLink *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  Read *read;

  if (self->reading || self->cancellable == NULL)
    return;

  file = g_queue_pop_head (&self->pending);
  if (file == NULL)
    return;

  basename = g_file_get_basename (file);
  read = g_new0 (Read, 1);
  read->self = g_object_ref (self);
  read->file = g_object_ref (file);
  read->extension = rd_ext_text_extension_from_name (basename);
  self->reading = TRUE;
  g_file_read_async (file, G_PRIORITY_DEFAULT, self->cancellable, open_cb, read);
}

static void
queue_file (RdExtTextLink *self,
            GFile         *file)
{
  g_autofree char *basename = NULL;
  g_autofree char *extension = NULL;
  g_autoptr(GFile) parent = NULL;

  if (file == NULL)
    return;

  /* only `<ext>.txt` right in the folder */
  parent = g_file_get_parent (file);
  if (parent == NULL || !g_file_equal (parent, self->folder))
    return;
  basename = g_file_get_basename (file);
  extension = rd_ext_text_extension_from_name (basename);
  if (extension == NULL)
    return;

  g_queue_push_tail (&self->pending, g_object_ref (file));
  read_next (self);
}

static void stop_watching (RdExtTextLink *self,
                           const char    *detail);

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other_file,
            GFileMonitorEvent  event_type,
            RdExtTextLink     *self)
{
  switch (event_type)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      queue_file (self, file);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      /* written to a temporary name, then renamed (an atomic replace) */
      queue_file (self, other_file);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
      if (g_file_equal (file, self->folder) || event_type == G_FILE_MONITOR_EVENT_UNMOUNTED)
        {
          g_autofree char *path = g_file_get_parse_name (self->folder);
          g_autofree char *detail = g_strdup_printf ("folder %s is gone", path);

          stop_watching (self, detail);
        }
      break;

    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

static void
stop_watching (RdExtTextLink *self,
               const char    *detail)
{
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, changed_cb, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  set_state (self, RD_CTI_LINK_STATE_DOWN, detail);
}

static void
start_watching (RdExtTextLink *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;

  monitor = g_file_monitor_directory (self->folder, G_FILE_MONITOR_WATCH_MOVES,
                                      self->cancellable, &error);
  if (monitor == NULL)
    {
      g_autofree char *path = g_file_get_parse_name (self->folder);
      g_autofree char *detail = g_strdup_printf ("cannot watch %s: %s", path, error->message);

      set_state (self, RD_CTI_LINK_STATE_DOWN, detail);
      return;
    }

  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), self);
  self->monitor = g_steal_pointer (&monitor);
  if (self->was_connected)
    {
      rd_cti_link_status_add_reconnect (&self->status, G_OBJECT (self));
    }
  self->was_connected = TRUE;
  set_state (self, RD_CTI_LINK_STATE_CONNECTED, NULL);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RdExtTextLink) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  if (self->cancellable == NULL)
    return;

  path = g_file_get_parse_name (self->folder);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *detail = NULL;

      if (info != NULL)
        detail = g_strdup_printf ("%s is not a folder", path);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        detail = g_strdup_printf ("folder %s does not exist", path);
      else
        detail = g_strdup_printf ("folder %s: %s", path, error->message);
      stop_watching (self, detail);
      return;
    }

  if (self->monitor == NULL)
    start_watching (self);
}

static gboolean
recheck_cb (gpointer user_data)
{
  RdExtTextLink *self = user_data;

  if (!self->checking && self->cancellable != NULL)
    {
      self->checking = TRUE;
      g_file_query_info_async (self->folder, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                               self->cancellable, query_cb, g_object_ref (self));
    }

  return G_SOURCE_CONTINUE;
}

static void
rd_ext_text_link_start (RdCtiLink *link)
{
  RdExtTextLink *self = RD_EXT_TEXT_LINK (link);

  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_state (self, RD_CTI_LINK_STATE_CONNECTING, "checking the folder");
  recheck_cb (self);
  self->recheck_id = g_timeout_add_seconds (RECHECK_SECONDS, recheck_cb, self);
}

static void
rd_ext_text_link_stop (RdCtiLink *link)
{
  RdExtTextLink *self = RD_EXT_TEXT_LINK (link);

  g_clear_handle_id (&self->recheck_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->checking = FALSE;
  self->reading = FALSE;
  g_queue_clear_full (&self->pending, g_object_unref);
  stop_watching (self, NULL);
  set_state (self, RD_CTI_LINK_STATE_STOPPED, NULL);
}

static void
rd_ext_text_link_iface_init (RdCtiLinkInterface *iface)
{
  iface->start = rd_ext_text_link_start;
  iface->stop = rd_ext_text_link_stop;
}

static void
rd_ext_text_link_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RdExtTextLink *self = RD_EXT_TEXT_LINK (object);

  if (!rd_cti_link_status_get_property (&self->status, "exttext", prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rd_ext_text_link_dispose (GObject *object)
{
  RdExtTextLink *self = RD_EXT_TEXT_LINK (object);

  if (self->cancellable != NULL || self->monitor != NULL)
    rd_ext_text_link_stop (RD_CTI_LINK (self));

  G_OBJECT_CLASS (rd_ext_text_link_parent_class)->dispose (object);
}

static void
rd_ext_text_link_finalize (GObject *object)
{
  RdExtTextLink *self = RD_EXT_TEXT_LINK (object);

  g_clear_object (&self->folder);
  rd_cti_link_status_clear (&self->status);

  G_OBJECT_CLASS (rd_ext_text_link_parent_class)->finalize (object);
}

static void
rd_ext_text_link_class_init (RdExtTextLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rd_ext_text_link_get_property;
  object_class->dispose = rd_ext_text_link_dispose;
  object_class->finalize = rd_ext_text_link_finalize;

  rd_cti_link_status_install (object_class);
}

static void
rd_ext_text_link_init (RdExtTextLink *self)
{
  g_queue_init (&self->pending);
  rd_cti_link_status_init (&self->status);
}

/**
 * rd_ext_text_link_new:
 * @folder: the ExtText folder the Windows tool writes to
 *
 * Returns: (transfer full): a stopped link; call rd_cti_link_start()
 */
RdExtTextLink *
rd_ext_text_link_new (GFile *folder)
{
  RdExtTextLink *self;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  self = g_object_new (RD_TYPE_EXT_TEXT_LINK, NULL);
  self->folder = g_object_ref (folder);

  return self;
}

/**
 * rd_ext_text_link_new_from_config:
 * @config: the server configuration
 *
 * Reads [exttext] folder.
 *
 * Returns: (transfer full): a stopped link
 */
RdExtTextLink *
rd_ext_text_link_new_from_config (RdConfig *config)
{
  g_autofree char *path = rd_config_get_string (config, "exttext", "folder");
  g_autoptr(GFile) folder = g_file_new_for_path (path);

  return rd_ext_text_link_new (folder);
}

/**
 * rd_ext_text_link_get_invalid_files:
 *
 * Returns: how many file writes could not be read or understood so far
 */
guint
rd_ext_text_link_get_invalid_files (RdExtTextLink *self)
{
  g_return_val_if_fail (RD_IS_EXT_TEXT_LINK (self), 0);

  return self->invalid_files;
}
