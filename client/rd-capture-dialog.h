/* rd-capture-dialog.h: take a photo with the camera, for evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RD_TYPE_CAPTURE_DIALOG (rd_capture_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RdCaptureDialog, rd_capture_dialog, RD, CAPTURE_DIALOG, AdwWindow)

GtkWidget *rd_capture_dialog_new (GtkWindow *parent);

G_END_DECLS
