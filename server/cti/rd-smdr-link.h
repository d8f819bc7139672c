/* rd-smdr-link.h: the Panasonic SMDR-over-LAN link (RdCtiLink)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-config.h"
#include "rd-cti-link.h"
#include "rd-smdr-parser.h"

G_BEGIN_DECLS

#define RD_TYPE_SMDR_LINK (rd_smdr_link_get_type ())

G_DECLARE_FINAL_TYPE (RdSmdrLink, rd_smdr_link, RD, SMDR_LINK, GObject)

RdSmdrLink *rd_smdr_link_new                (const char   *host,
                                             guint16       port,
                                             const char   *password);
RdSmdrLink *rd_smdr_link_new_from_config    (RdConfig     *config);
void        rd_smdr_link_set_layout         (RdSmdrLink   *self,
                                             RdSmdrLayout  layout);
void        rd_smdr_link_set_date_order     (RdSmdrLink   *self,
                                             gboolean      day_first);
void        rd_smdr_link_set_idle_timeout   (RdSmdrLink   *self,
                                             guint         seconds);
guint       rd_smdr_link_get_invalid_lines  (RdSmdrLink   *self);
guint       rd_smdr_link_get_records        (RdSmdrLink   *self);

G_END_DECLS
