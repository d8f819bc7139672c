/* rd-demo.h: the demo accounts of `ringdesk-server --demo`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-customer-store.h"
#include "rd-store.h"
#include "rd-ticket-store.h"

G_BEGIN_DECLS

#define RD_DEMO_ACCOUNTS_FILENAME "demo-accounts.txt"

gboolean rd_demo_seed_users (RdStore     *store,
                             const char  *data_dir,
                             GPtrArray  **accounts,
                             GError     **error);

gboolean rd_demo_seed_customers (RdCustomerStore  *customers,
                                 RdTicketStore    *tickets,
                                 GError          **error);

G_END_DECLS
