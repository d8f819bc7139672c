/* rd-ticket-page-private.h: the instance of RdTicketPage, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-evidence-list.h"
#include "rd-outbox-group.h"
#include "rd-state-badge.h"
#include "rd-ticket-page.h"

G_BEGIN_DECLS

struct _RdTicketPage
{
  AdwBin               parent_instance;

  /* Template Widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  AdwStatusPage       *error_page;
  GtkLabel            *number_label;
  RdStateBadge        *state_badge;
  GtkLabel            *priority_label;
  GtkLabel            *subject_label;
  GtkLabel            *description_label;
  GtkFlowBox          *actions_box;
  AdwPreferencesGroup *assignment_group;
  AdwEntryRow         *assignee_row;
  GtkMenuButton       *assignee_menu_button;
  AdwActionRow        *group_row;
  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *dates_group;
  AdwPreferencesGroup *calls_group;
  AdwPreferencesGroup *history_group;
  GtkListBox          *history_list;
  RdEvidenceList      *evidence_list;
  RdOutboxGroup       *outbox_group;

  /* Owned References */
  RdConnection        *connection;
  RdTicket            *ticket;
  GCancellable        *cancellable;
  GPtrArray           *field_rows;
  GListModel          *history;
  RdOutbox            *outbox;
  /* The customer of the requester's phone, and the phone it was looked up for */
  RdCustomer          *customer;
  char                *customer_phone;
  GCancellable        *customer_cancellable;

  /* Requests under way */
  guint                pending;
};

G_END_DECLS
