/* rd-evidence-upload.h: an evidence file on its way to disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RD_TYPE_EVIDENCE_UPLOAD (rd_evidence_upload_get_type ())

G_DECLARE_FINAL_TYPE (RdEvidenceUpload, rd_evidence_upload, RD, EVIDENCE_UPLOAD, GOutputStream)

RdEvidenceUpload *rd_evidence_upload_new              (const char        *tmp_dir,
                                                       const char        *content_type,
                                                       GError           **error);
const char       *rd_evidence_upload_get_path         (RdEvidenceUpload  *self);
const char       *rd_evidence_upload_get_content_type (RdEvidenceUpload  *self);
guint64           rd_evidence_upload_get_size         (RdEvidenceUpload  *self);
const char       *rd_evidence_upload_get_sha256       (RdEvidenceUpload  *self);
gboolean          rd_evidence_upload_finish_body      (RdEvidenceUpload  *self,
                                                       GError           **error);
gboolean          rd_evidence_upload_sync             (RdEvidenceUpload  *self,
                                                       GError           **error);

G_END_DECLS
