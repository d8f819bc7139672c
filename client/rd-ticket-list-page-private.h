/* rd-ticket-list-page-private.h: the instance of RdTicketListPage, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-offline-banner.h"
#include "rd-ticket-list-page.h"

G_BEGIN_DECLS

struct _RdTicketListPage
{
  AdwBin              parent_instance;

  /* Template Widgets */
  GtkSearchEntry     *search_entry;
  GtkDropDown        *scope_dropdown;
  GtkDropDown        *state_dropdown;
  GtkLabel           *count_label;
  GtkStack           *content_stack;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *error_page;
  AdwSqueezer        *squeezer;
  GtkScrolledWindow  *columns_scroller;
  GtkColumnView      *column_view;
  GtkScrolledWindow  *compact_scroller;
  GtkListView        *compact_list;

  /* Owned References */
  RdConnection       *connection;
  RdTicketModel      *model;
  GtkSortListModel   *sorted;
  RdOfflineBanner    *offline_banner;
  RdOutbox           *outbox;
};

G_END_DECLS
