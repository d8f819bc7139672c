/* rd-evidence-list.h: a ticket's evidence, with thumbnails and uploads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_EVIDENCE_LIST (rd_evidence_list_get_type ())

G_DECLARE_FINAL_TYPE (RdEvidenceList, rd_evidence_list, RD, EVIDENCE_LIST, AdwBin)

GtkWidget  *rd_evidence_list_new          (void);
void        rd_evidence_list_set_ticket   (RdEvidenceList *self,
                                           RdConnection   *connection,
                                           RdTicket       *ticket);
void        rd_evidence_list_reload       (RdEvidenceList *self);
GListModel *rd_evidence_list_get_items    (RdEvidenceList *self);
gboolean    rd_evidence_list_get_busy     (RdEvidenceList *self);
void        rd_evidence_list_upload_bytes (RdEvidenceList *self,
                                           GBytes         *bytes,
                                           const char     *content_type,
                                           const char     *filename,
                                           const char     *description);
void        rd_evidence_list_upload_file  (RdEvidenceList *self,
                                           GFile          *file);
void        rd_evidence_list_open         (RdEvidenceList *self,
                                           RdEvidence     *evidence);

G_END_DECLS
