/* rd-login-page-private.h: the instance of RdLoginPage, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-login-page.h"

G_BEGIN_DECLS

struct _RdLoginPage
{
  AdwBin            parent_instance;

  /* Template Widgets */
  AdwStatusPage    *status_page;
  AdwEntryRow      *server_row;
  AdwEntryRow      *username_row;
  AdwEntryRow      *password_row;
  GtkLabel         *message_label;
  GtkButton        *sign_in_button;
  GtkLabel         *sign_in_label;
  GtkSpinner       *spinner;

  /* Owned References */
  GCancellable     *cancellable;

  guint             busy : 1;
};

G_END_DECLS
