/* rd-call-log-page.h: the call log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"
#include "rd-live-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_CALL_LOG_PAGE (rd_call_log_page_get_type ())

G_DECLARE_FINAL_TYPE (RdCallLogPage, rd_call_log_page, RD, CALL_LOG_PAGE, AdwBin)

GtkWidget    *rd_call_log_page_new                 (void);
RdConnection *rd_call_log_page_get_connection      (RdCallLogPage    *self);
void          rd_call_log_page_set_connection      (RdCallLogPage    *self,
                                                    RdConnection     *connection);
void          rd_call_log_page_set_live_connection (RdCallLogPage    *self,
                                                    RdLiveConnection *live);
GListModel   *rd_call_log_page_get_calls           (RdCallLogPage    *self);
void          rd_call_log_page_refresh             (RdCallLogPage    *self);
void          rd_call_log_page_show_call           (RdCallLogPage    *self,
                                                    const char       *id);

G_END_DECLS
