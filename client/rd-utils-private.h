/* rd-utils-private.h: small helpers shared by the client's widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rd_utils_describe_error (const GError *error);

G_END_DECLS
