/* rd-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-application.h"
#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_WINDOW (rd_window_get_type ())

G_DECLARE_FINAL_TYPE (RdWindow, rd_window, RD, WINDOW, AdwApplicationWindow)

RdWindow     *rd_window_new             (RdApplication *application);
RdConnection *rd_window_get_connection  (RdWindow      *self);
const char   *rd_window_get_page_name   (RdWindow      *self);
void          rd_window_restore_session (RdWindow      *self);
void          rd_window_sign_in         (RdWindow      *self,
                                         const char    *server_url,
                                         const char    *username,
                                         const char    *password);
void          rd_window_sign_out        (RdWindow      *self);
void          rd_window_add_toast       (RdWindow      *self,
                                         const char    *title);
GtkWidget    *rd_window_new_ticket      (RdWindow      *self);
void          rd_window_open_ticket     (RdWindow      *self,
                                         RdTicket      *ticket);
void          rd_window_set_server_url  (RdWindow      *self,
                                         const char    *server_url);
void          rd_window_set_live_connection (RdWindow         *self,
                                             RdLiveConnection *live);

G_END_DECLS
