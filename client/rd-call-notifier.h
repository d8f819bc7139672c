/* rd-call-notifier.h: turns the live call events into popups and notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rd-live-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_CALL_NOTIFIER (rd_call_notifier_get_type ())

G_DECLARE_FINAL_TYPE (RdCallNotifier, rd_call_notifier, RD, CALL_NOTIFIER, GObject)

RdCallNotifier *rd_call_notifier_new         (GtkApplication   *application,
                                              RdLiveConnection *live);
GtkWindow      *rd_call_notifier_get_popup   (RdCallNotifier   *self,
                                              const char       *call_id);
GListModel     *rd_call_notifier_get_popups  (RdCallNotifier   *self);
void            rd_call_notifier_handle_event (RdCallNotifier  *self,
                                              RdEvent          *event);
gboolean        rd_call_notifier_has_notification (RdCallNotifier *self,
                                                   const char     *id);
void            rd_call_notifier_call_back   (RdCallNotifier   *self,
                                              const char       *number);

G_END_DECLS
