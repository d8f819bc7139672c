/* rd-csta-link.h: the CSTA link to a Panasonic PBX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-config.h"
#include "rd-cti-link.h"

G_BEGIN_DECLS

#define RD_TYPE_CSTA_LINK (rd_csta_link_get_type ())

G_DECLARE_FINAL_TYPE (RdCstaLink, rd_csta_link, RD, CSTA_LINK, GObject)

RdCstaLink *rd_csta_link_new                   (const char  *host,
                                                guint16      port);
RdCstaLink *rd_csta_link_new_from_config       (RdConfig    *config);
void        rd_csta_link_set_keepalive_timeout (RdCstaLink  *self,
                                                guint        msec);
void        rd_csta_link_set_request_timeout   (RdCstaLink  *self,
                                                guint        msec);
guint       rd_csta_link_get_n_monitors        (RdCstaLink  *self);
guint       rd_csta_link_get_n_bad_frames      (RdCstaLink  *self);
guint       rd_csta_link_get_n_live_calls      (RdCstaLink  *self);
GStrv       rd_csta_link_dup_stations          (RdCstaLink  *self);

G_END_DECLS
