/* rd-home-page.h: the signed-in page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_HOME_PAGE (rd_home_page_get_type ())

G_DECLARE_FINAL_TYPE (RdHomePage, rd_home_page, RD, HOME_PAGE, AdwBin)

GtkWidget    *rd_home_page_new            (void);
RdConnection *rd_home_page_get_connection (RdHomePage   *self);
void          rd_home_page_set_connection (RdHomePage   *self,
                                           RdConnection *connection);
void          rd_home_page_refresh        (RdHomePage   *self);

G_END_DECLS
