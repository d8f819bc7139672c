/* rd-evidence.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_EVIDENCE (rd_evidence_get_type ())

G_DECLARE_FINAL_TYPE (RdEvidence, rd_evidence, RD, EVIDENCE, GObject)

RdEvidence *rd_evidence_new              (const char *id);
const char *rd_evidence_get_id           (RdEvidence *self);
void        rd_evidence_set_id           (RdEvidence *self,
                                          const char *id);
const char *rd_evidence_get_ticket       (RdEvidence *self);
void        rd_evidence_set_ticket       (RdEvidence *self,
                                          const char *ticket);
const char *rd_evidence_get_filename     (RdEvidence *self);
void        rd_evidence_set_filename     (RdEvidence *self,
                                          const char *filename);
const char *rd_evidence_get_content_type (RdEvidence *self);
void        rd_evidence_set_content_type (RdEvidence *self,
                                          const char *content_type);
gint64      rd_evidence_get_size         (RdEvidence *self);
void        rd_evidence_set_size         (RdEvidence *self,
                                          gint64      size);
const char *rd_evidence_get_sha256       (RdEvidence *self);
void        rd_evidence_set_sha256       (RdEvidence *self,
                                          const char *sha256);
const char *rd_evidence_get_description  (RdEvidence *self);
void        rd_evidence_set_description  (RdEvidence *self,
                                          const char *description);
const char *rd_evidence_get_uploaded_by  (RdEvidence *self);
void        rd_evidence_set_uploaded_by  (RdEvidence *self,
                                          const char *uploaded_by);
GDateTime  *rd_evidence_get_uploaded_at  (RdEvidence *self);
void        rd_evidence_set_uploaded_at  (RdEvidence *self,
                                          GDateTime  *uploaded_at);
gboolean    rd_evidence_sha256_is_valid  (const char *sha256);

G_END_DECLS
