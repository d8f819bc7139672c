/* rd-window-private.h: the instance of RdWindow, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-home-page.h"
#include "rd-login-page.h"
#include "rd-window.h"

G_BEGIN_DECLS

struct _RdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template Widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  RdLoginPage          *login_page;
  RdHomePage           *home_page;

  /* Owned References */
  GSettings            *settings;
  RdConnection         *connection;
  GCancellable         *cancellable;
};

G_END_DECLS
