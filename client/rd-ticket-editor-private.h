/* rd-ticket-editor-private.h: the instance of RdTicketEditor, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-ticket-editor.h"

G_BEGIN_DECLS

struct _RdTicketEditor
{
  AdwWindow      parent_instance;

  /* Template Widgets */
  AdwWindowTitle *window_title;
  GtkStack       *save_stack;
  GtkButton      *save_button;
  GtkLabel       *message_label;
  AdwEntryRow    *subject_row;
  AdwComboRow    *priority_row;
  AdwEntryRow    *area_row;
  AdwEntryRow    *category_row;
  GtkFrame       *description_frame;
  GtkTextView    *description_view;
  AdwEntryRow    *requester_row;
  AdwEntryRow    *requester_phone_row;
  AdwComboRow    *location_row;
  AdwComboRow    *asset_row;
  AdwEntryRow    *external_number_row;

  /* Owned References */
  RdConnection   *connection;
  RdTicket       *ticket;
  GCancellable   *cancellable;
  /* The call a new ticket is created from and bound to */
  char           *call_id;
  /* The pickers: what the server has, and the ids behind their rows ("" is none) */
  GListModel     *locations;
  GListModel     *assets;
  GPtrArray      *location_ids;
  GPtrArray      *asset_ids;
  gboolean        filling_places;
};

G_END_DECLS
