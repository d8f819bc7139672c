/* rd-sim-exttext.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the patched Windows "Call Monitor 3" (AbiudSM/CallCenterVDE) does for
 * each call it sees on an extension line: it overwrites `ExtText/<ext>.txt`
 * with `entrante:<CLI>` (incoming) or `saliente:<number>` (outgoing), in the
 * ANSI code page, without a BOM or a line end, truncating the file in place
 * (not an atomic rename), so a reader may see the file empty for a moment.
 *
 * The Windows tool only writes when the number is longer than 8 digits and the
 * extension has 4; the simulator writes every RINGING and ORIGINATED event it
 * is fed, so short demo numbers show up too.
 *
 * The writes happen on one worker thread, in order, never on the main loop.
 */

#define G_LOG_DOMAIN "RdSimExtText"

#include "config.h"

#include "rd-sim-exttext.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct _RdSimExtText
{
  GObject      parent_instance;

  GFile       *folder;
  GThreadPool *writer;   /* one thread: writes stay in order */
};

G_DEFINE_FINAL_TYPE (RdSimExtText, rd_sim_ext_text, G_TYPE_OBJECT)

typedef struct
{
  char  *path;
  char  *contents;
} Write;

static void
write_free (Write *write)
{
  g_free (write->path);
  g_free (write->contents);
  g_free (write);
}

static void
write_func (gpointer data,
            gpointer user_data)
{
  Write *write = data;
  gsize length = strlen (write->contents);
  FILE *file;

  /* in place, like the Windows tool: truncate, then write. Not
   * g_file_set_contents_full (…NONE…): GLib 2.74 does not truncate there,
   * so a shorter text kept the end of the one before. */
  file = g_fopen (write->path, "wb");
  if (file == NULL)
    {
      int saved = errno;

      g_warning ("Cannot write %s: %s", write->path, g_strerror (saved));
    }
  else
    {
      gboolean ok = fwrite (write->contents, 1, length, file) == length;

      if (fclose (file) != 0 || !ok)
        g_warning ("Cannot write %s", write->path);
    }

  write_free (write);
}

static void
rd_sim_ext_text_finalize (GObject *object)
{
  RdSimExtText *self = RD_SIM_EXT_TEXT (object);

  /* finish what was queued */
  g_thread_pool_free (self->writer, FALSE, TRUE);
  g_clear_object (&self->folder);

  G_OBJECT_CLASS (rd_sim_ext_text_parent_class)->finalize (object);
}

static void
rd_sim_ext_text_class_init (RdSimExtTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_sim_ext_text_finalize;
}

static void
rd_sim_ext_text_init (RdSimExtText *self)
{
  self->writer = g_thread_pool_new (write_func, NULL, 1, FALSE, NULL);
}

/**
 * rd_sim_ext_text_new:
 * @folder: the ExtText folder (it must exist; the simulator does not make it)
 */
RdSimExtText *
rd_sim_ext_text_new (GFile *folder)
{
  RdSimExtText *self;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  self = g_object_new (RD_TYPE_SIM_EXT_TEXT, NULL);
  self->folder = g_object_ref (folder);

  return self;
}

GFile *
rd_sim_ext_text_get_folder (RdSimExtText *self)
{
  g_return_val_if_fail (RD_IS_SIM_EXT_TEXT (self), NULL);

  return self->folder;
}

static gboolean
extension_is_safe (const char *extension)
{
  if (extension == NULL || extension[0] == '\0' || strlen (extension) > 16)
    return FALSE;

  for (const char *p = extension; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;

  return TRUE;
}

/**
 * rd_sim_ext_text_format:
 * @event: an event
 *
 * Returns: (transfer full) (nullable): the file content the Windows tool
 *   writes for @event (`entrante:<calling>` for RINGING, `saliente:<called>`
 *   for ORIGINATED), or %NULL when it writes nothing (other events, and the
 *   ringing of a station with its own number)
 */
char *
rd_sim_ext_text_format (RdCtiEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  /* the PBX ringing a station back for its own click-to-dial shows the
   * station's own number, which the Windows tool (numbers of more than 8
   * digits only) never writes */
  if (event->type == RD_CTI_EVENT_RINGING && event->calling != NULL &&
      g_strcmp0 (event->calling, event->extension) != 0)
    return g_strconcat ("entrante:", event->calling, NULL);
  if (event->type == RD_CTI_EVENT_ORIGINATED && event->called != NULL)
    return g_strconcat ("saliente:", event->called, NULL);

  return NULL;
}

/**
 * rd_sim_ext_text_send_event:
 * @event: what happened in the PBX
 *
 * Writes `<extension>.txt` in the folder for RINGING and ORIGINATED events
 * (on a worker thread); ignores the rest.
 */
void
rd_sim_ext_text_send_event (RdSimExtText *self,
                            RdCtiEvent   *event)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) file = NULL;
  Write *write;

  g_return_if_fail (RD_IS_SIM_EXT_TEXT (self));
  g_return_if_fail (event != NULL);

  contents = rd_sim_ext_text_format (event);
  if (contents == NULL)
    return;

  /* the file name comes from the event: keep it a plain name */
  if (!extension_is_safe (event->extension))
    {
      g_debug ("No ExtText file for extension %s", event->extension);
      return;
    }

  name = g_strconcat (event->extension, ".txt", NULL);
  file = g_file_get_child (self->folder, name);

  write = g_new0 (Write, 1);
  write->path = g_file_get_path (file);
  if (write->path == NULL)
    {
      write_free (write);
      return;
    }
  write->contents = g_steal_pointer (&contents);
  g_thread_pool_push (self->writer, write, NULL);
}
