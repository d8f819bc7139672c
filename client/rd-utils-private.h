/* rd-utils-private.h: small helpers shared by the client's widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "rd-common.h"

G_BEGIN_DECLS

char       *rd_utils_describe_error    (const GError  *error);
char       *rd_utils_describe_ticket_error (const GError *error);
const char *rd_utils_ticket_state_name (RdTicketState  state);
const char *rd_utils_ticket_state_action (RdTicketState state);
const char *rd_utils_priority_name     (RdPriority     priority);
const char *rd_utils_sla_state_name    (RdSlaState     state);
char       *rd_utils_format_relative   (GDateTime     *datetime,
                                        GDateTime     *now);
char       *rd_utils_format_datetime   (GDateTime     *datetime);
char       *rd_utils_error_field       (const GError  *error);
const char *rd_utils_ticket_field_name (const char    *field);

G_END_DECLS
