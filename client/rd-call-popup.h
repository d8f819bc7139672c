/* rd-call-popup.h: the window that shows who is calling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_CALL_POPUP (rd_call_popup_get_type ())

G_DECLARE_FINAL_TYPE (RdCallPopup, rd_call_popup, RD, CALL_POPUP, AdwWindow)

GtkWidget *rd_call_popup_new             (RdConnection *connection,
                                          RdCall       *call,
                                          gboolean      transferred);
RdCall    *rd_call_popup_get_call        (RdCallPopup  *self);
void       rd_call_popup_set_call        (RdCallPopup  *self,
                                          RdCall       *call);
GtkWidget *rd_call_popup_new_ticket      (RdCallPopup  *self);
void       rd_call_popup_attach_ticket   (RdCallPopup  *self,
                                          const char   *number);
char      *rd_call_popup_customer_page_url (RdCallPopup *self);

G_END_DECLS
