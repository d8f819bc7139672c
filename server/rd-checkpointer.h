/* rd-checkpointer.h: WAL checkpoints off the event loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _RdCheckpointer RdCheckpointer;

RdCheckpointer *rd_checkpointer_new      (sqlite3         *db,
                                          const char      *filename,
                                          guint            threshold_pages,
                                          GError         **error);
void            rd_checkpointer_free     (RdCheckpointer  *self);
guint64         rd_checkpointer_get_runs (RdCheckpointer  *self);
void            rd_checkpointer_wait     (RdCheckpointer  *self,
                                          guint64          runs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCheckpointer, rd_checkpointer_free)

G_END_DECLS
