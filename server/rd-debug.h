/* rd-debug.h: logging options and the structured log writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GOptionGroup *rd_debug_get_option_group (void);
void          rd_debug_setup            (gboolean verbose);
gboolean      rd_debug_get_verbose      (void);

G_END_DECLS
