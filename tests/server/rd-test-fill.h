/* rd-test-fill.h: a store full of tickets, fast, for plan tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TEST_FILL_N_AREAS     40
#define RD_TEST_FILL_N_ASSIGNEES 20

void rd_test_fill_tickets (RdStore *store,
                           guint    n_tickets,
                           guint32  seed);

G_END_DECLS
