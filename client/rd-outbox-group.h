/* rd-outbox-group.h: the changes of one ticket that the server does not have yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-outbox.h"

G_BEGIN_DECLS

#define RD_TYPE_OUTBOX_GROUP (rd_outbox_group_get_type ())

G_DECLARE_FINAL_TYPE (RdOutboxGroup, rd_outbox_group, RD, OUTBOX_GROUP, AdwPreferencesGroup)

GtkWidget *rd_outbox_group_new        (void);
void       rd_outbox_group_set_outbox (RdOutboxGroup *self,
                                       RdOutbox      *outbox);
void       rd_outbox_group_set_ticket (RdOutboxGroup *self,
                                       const char    *number);
guint      rd_outbox_group_get_n_rows (RdOutboxGroup *self);
GtkWidget *rd_outbox_group_get_row    (RdOutboxGroup *self,
                                       guint          position);

G_END_DECLS
