/* rd-csta-frame.h: the 2-octet length framing of CSTA over TCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RD_CSTA_FRAME_MAX_SIZE 65535

typedef struct _RdCstaFramer RdCstaFramer;

RdCstaFramer *rd_csta_framer_new         (gsize          max_frame_size);
void          rd_csta_framer_free        (RdCstaFramer  *self);
void          rd_csta_framer_push        (RdCstaFramer  *self,
                                          const guint8  *data,
                                          gsize          size);
GBytes       *rd_csta_framer_pop         (RdCstaFramer  *self,
                                          GError       **error);
gsize         rd_csta_framer_get_pending (RdCstaFramer  *self);
void          rd_csta_framer_reset       (RdCstaFramer  *self);

GBytes       *rd_csta_frame_wrap         (GBytes        *pdu,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCstaFramer, rd_csta_framer_free)

G_END_DECLS
