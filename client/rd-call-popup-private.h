/* rd-call-popup-private.h: the instance of RdCallPopup, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-call-popup.h"

G_BEGIN_DECLS

struct _RdCallPopup
{
  AdwWindow             parent_instance;

  /* Template Widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkLabel             *name_label;
  GtkLabel             *company_label;
  GtkLabel             *number_label;
  GtkLabel             *status_label;
  GtkButton            *new_ticket_button;
  GtkButton            *dismiss_button;
  AdwPreferencesGroup  *tickets_group;
  GtkListBox           *tickets_list;
  AdwPreferencesGroup  *calls_group;
  GtkListBox           *calls_list;
  GtkButton            *customer_page_button;

  /* Owned References */
  RdConnection         *connection;
  RdCall               *call;
  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *tickets_cancellable;
  GtkWidget            *editor;
  gboolean              transferred;
  /* Last calls loaded (for tests) */
  guint                 n_last_calls;
  gboolean              last_calls_loaded;
  /* Tickets of the call still being read (for tests) */
  guint                 pending_tickets;
};

G_END_DECLS
