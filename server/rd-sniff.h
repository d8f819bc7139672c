/* rd-sniff.h: what a file is, from its first bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* enough of the head of a file for rd_sniff_content_type() */
#define RD_SNIFF_HEAD_SIZE 64

const char *rd_sniff_content_type    (const guint8 *data,
                                      gsize         length);
gboolean    rd_sniff_type_is_allowed (const char   *content_type);

G_END_DECLS
