/* rd-call-log-page-private.h: the instance of RdCallLogPage, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-call-log-page.h"

G_BEGIN_DECLS

struct _RdCallLogPage
{
  AdwBin             parent_instance;

  /* Template Widgets */
  AdwLeaflet        *leaflet;
  GtkToggleButton   *mine_button;
  GtkToggleButton   *all_button;
  GtkWidget         *scope_box;
  GtkStack          *list_stack;
  GtkListView       *list_view;
  AdwStatusPage     *error_status;
  GtkStack          *detail_stack;
  GtkButton         *back_button;
  AdwActionRow      *from_row;
  AdwActionRow      *to_row;
  AdwActionRow      *direction_row;
  AdwActionRow      *trunk_row;
  AdwActionRow      *ddi_row;
  AdwActionRow      *started_row;
  AdwActionRow      *outcome_row;
  AdwActionRow      *customer_row;
  GtkListBox        *hops_list;
  GtkListBox        *tickets_list;
  GtkButton         *call_back_button;

  /* Owned References */
  RdConnection      *connection;
  RdLiveConnection  *live;
  GListStore        *calls;
  GtkSingleSelection *selection;
  RdCall            *call;          /* the call shown in the detail pane */
  GCancellable      *list_cancellable;
  GCancellable      *call_cancellable;
  GCancellable      *dial_cancellable;
  guint              pending;
};

G_END_DECLS
