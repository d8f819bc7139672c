/* rd-sniff.h: what a file is, from its first bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the head of a file rd_sniff_content_type() looks at: room for an Ogg
 * page header with 255 segments and the codec id after it */
#define RD_SNIFF_HEAD_SIZE 512

const char *rd_sniff_content_type    (const guint8 *data,
                                      gsize         length);
gboolean    rd_sniff_type_is_allowed (const char   *content_type);

G_END_DECLS
