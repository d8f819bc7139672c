/* rd-evidence-store.h: evidence files, content-addressed under the data dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-config.h"
#include "rd-evidence.h"
#include "rd-evidence-upload.h"
#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TYPE_EVIDENCE_STORE (rd_evidence_store_get_type ())

G_DECLARE_FINAL_TYPE (RdEvidenceStore, rd_evidence_store, RD, EVIDENCE_STORE, GObject)

#define RD_EVIDENCE_DEFAULT_MAX_SIZE    (25 * 1024 * 1024)
#define RD_EVIDENCE_MAX_FILENAME        200
#define RD_EVIDENCE_MAX_DESCRIPTION     2000

RdEvidenceStore  *rd_evidence_store_new             (RdStore           *store,
                                                     const char        *folder,
                                                     guint64            max_size);
RdEvidenceStore  *rd_evidence_store_new_from_config (RdConfig          *config,
                                                     RdStore           *store);
gboolean          rd_evidence_store_prepare         (RdEvidenceStore   *self,
                                                     GError           **error);
const char       *rd_evidence_store_get_folder      (RdEvidenceStore   *self);
guint64           rd_evidence_store_get_max_size    (RdEvidenceStore   *self);

RdEvidenceUpload *rd_evidence_store_begin_upload    (RdEvidenceStore   *self,
                                                     const char        *content_type,
                                                     GError           **error);
void              rd_evidence_store_add_async       (RdEvidenceStore   *self,
                                                     RdEvidenceUpload  *upload,
                                                     gint64             number,
                                                     const char        *filename,
                                                     const char        *description,
                                                     const char        *username,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
RdEvidence       *rd_evidence_store_add_finish      (RdEvidenceStore   *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);

RdEvidence       *rd_evidence_store_get             (RdEvidenceStore   *self,
                                                     gint64             id,
                                                     gint64            *number,
                                                     GError           **error);
GListModel       *rd_evidence_store_list            (RdEvidenceStore   *self,
                                                     gint64             number,
                                                     GError           **error);
gboolean          rd_evidence_store_delete          (RdEvidenceStore   *self,
                                                     gint64             id,
                                                     GError           **error);
gboolean          rd_evidence_store_delete_ticket   (RdEvidenceStore   *self,
                                                     gint64             number,
                                                     GError           **error);
char             *rd_evidence_store_get_blob_path   (RdEvidenceStore   *self,
                                                     const char        *sha256);
guint             rd_evidence_store_collect_garbage (RdEvidenceStore   *self,
                                                     gboolean           all_temp_files,
                                                     GError           **error);

char             *rd_evidence_sanitize_filename     (const char        *filename);

G_END_DECLS
