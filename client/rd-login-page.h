/* rd-login-page.h: the sign-in form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RD_TYPE_LOGIN_PAGE (rd_login_page_get_type ())

G_DECLARE_FINAL_TYPE (RdLoginPage, rd_login_page, RD, LOGIN_PAGE, AdwBin)

GtkWidget  *rd_login_page_new            (void);
gboolean    rd_login_page_get_busy       (RdLoginPage *self);
void        rd_login_page_set_server_url (RdLoginPage *self,
                                          const char  *server_url);
void        rd_login_page_set_username   (RdLoginPage *self,
                                          const char  *username);
void        rd_login_page_set_message    (RdLoginPage *self,
                                          const char  *message);
void        rd_login_page_sign_in        (RdLoginPage *self,
                                          const char  *password);
void        rd_login_page_reset          (RdLoginPage *self);

G_END_DECLS
