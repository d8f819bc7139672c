/* rd-offline-banner.h: says that the server is away and what waits for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-outbox.h"

G_BEGIN_DECLS

#define RD_TYPE_OFFLINE_BANNER (rd_offline_banner_get_type ())

G_DECLARE_FINAL_TYPE (RdOfflineBanner, rd_offline_banner, RD, OFFLINE_BANNER, AdwBin)

GtkWidget  *rd_offline_banner_new        (void);
void        rd_offline_banner_set_outbox (RdOfflineBanner *self,
                                          RdOutbox        *outbox);
gboolean    rd_offline_banner_get_shown  (RdOfflineBanner *self);
const char *rd_offline_banner_get_text   (RdOfflineBanner *self);
void        rd_offline_banner_retry      (RdOfflineBanner *self);

G_END_DECLS
