/* rd-capture-dialog-private.h: the instance of RdCaptureDialog, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-camera.h"
#include "rd-capture-dialog.h"

G_BEGIN_DECLS

struct _RdCaptureDialog
{
  AdwWindow        parent_instance;

  /* Template Widgets */
  GtkStack        *stack;
  GtkPicture      *preview_picture;
  GtkButton       *shutter_button;
  GtkPicture      *still_picture;
  AdwEntryRow     *description_row;
  GtkButton       *retake_button;
  GtkButton       *use_button;
  AdwStatusPage   *error_page;

  /* Owned References */
  RdCamera        *camera;
  GdkTexture      *still;
  GCancellable    *cancellable;
};

G_END_DECLS
