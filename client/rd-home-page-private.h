/* rd-home-page-private.h: the instance of RdHomePage, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-home-page.h"

G_BEGIN_DECLS

struct _RdHomePage
{
  AdwBin                parent_instance;

  /* Template Widgets */
  AdwAvatar            *avatar;
  GtkLabel             *display_name_label;
  GtkLabel             *username_label;
  AdwPreferencesGroup  *account_group;
  GtkLabel             *roles_label;
  GtkLabel             *extension_label;
  AdwPreferencesGroup  *server_group;
  AdwActionRow         *address_row;
  GtkLabel             *status_label;
  GtkLabel             *db_label;
  GtkLabel             *cti_label;
  GtkSpinner           *spinner;

  /* Owned References */
  RdConnection         *connection;
  GCancellable         *cancellable;

  guint                 pending;
};

G_END_DECLS
