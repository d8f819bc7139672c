/* rd-evidence-list-private.h: the instance of RdEvidenceList, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-evidence-list.h"

G_BEGIN_DECLS

struct _RdEvidenceList
{
  AdwBin               parent_instance;

  /* Template Widgets */
  AdwPreferencesGroup *group;
  GtkButton           *add_photo_button;
  GtkButton           *add_file_button;
  GtkListBox          *list_box;
  AdwActionRow        *upload_row;
  GtkProgressBar      *upload_progress;
  GtkButton           *cancel_button;
  AdwActionRow        *empty_row;

  /* Owned References */
  RdConnection        *connection;
  char                *number;
  GListModel          *items;
  GPtrArray           *item_rows;
  GHashTable          *thumbnails;
  GCancellable        *cancellable;
  GCancellable        *upload_cancellable;
  GCancellable        *list_cancellable;
  GtkFileChooserNative *chooser;
  /* What the running upload sends, kept for the outbox if the server is away */
  GFile               *upload_file;
  GBytes              *upload_bytes;
  char                *upload_type;
  char                *upload_description;

  /* What the last upload did, for the tests */
  GError              *upload_error;
  guint                n_uploads;
  guint                n_queued;
  guint                n_thumbnail_downloads;
  goffset              upload_sent;
  goffset              upload_total;

  guint                pending;
  guint                thumbnails_pending;
};

G_END_DECLS
