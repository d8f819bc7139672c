/* rd-preferences-window-private.h: the instance of RdPreferencesWindow, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-preferences-window.h"

G_BEGIN_DECLS

struct _RdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template Widgets */
  AdwEntryRow          *server_row;
  AdwEntryRow          *extension_row;
  AdwComboRow          *popup_row;
  GtkSwitch            *background_switch;
  AdwEntryRow          *customer_url_row;
  AdwComboRow          *camera_row;

  /* Owned References */
  GSettings            *settings;
};

G_END_DECLS
