/* rd-window-private.h: the instance of RdWindow, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-call-log-page.h"
#include "rd-home-page.h"
#include "rd-login-page.h"
#include "rd-ticket-list-page.h"
#include "rd-ticket-page.h"
#include "rd-window.h"

G_BEGIN_DECLS

struct _RdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template Widgets */
  AdwHeaderBar         *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkButton            *back_button;
  GtkButton            *new_ticket_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  RdLoginPage          *login_page;
  RdHomePage           *home_page;
  AdwViewStack         *view_stack;
  AdwViewSwitcherBar   *switcher_bar;
  AdwLeaflet           *ticket_leaflet;
  RdTicketListPage     *ticket_list_page;
  RdTicketPage         *ticket_page;
  RdCallLogPage        *call_log_page;

  /* Owned References */
  GSettings            *settings;
  RdConnection         *connection;
  GCancellable         *cancellable;
  RdLiveConnection     *live;
  GtkButton            *live_button;
};

G_END_DECLS
