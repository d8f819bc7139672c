/* rd-test-wire.h: every simulator scenario over one wire, end to end,
 * checked against a table of what that wire can carry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RdTestWireCase:
 * @scenario: the scenario file's name, without `.scn`
 * @n_ended: how many calls end (hop-log files written)
 * @calls: the stored calls in id order, `|` between calls, each
 *   `direction state outcome hop,hop,…` and a hop `extension:outcome:ticket`
 *   (`-` for none)
 * @events: the WebSocket events each extension received, in order,
 *   `ext=type,type,… ext=…` (`call.` left off; a ringing shows the ticket
 *   numbers it carries: `ringing(1001,1000)`); every extension not named
 *   received nothing
 * @log: the day's hop-log lines without their times, sorted, `|` between
 * @why: what the wire cannot tell (for the docs and the failure message)
 */
typedef struct
{
  const char *scenario;
  guint       n_ended;
  const char *calls;
  const char *events;
  const char *log;
  const char *why;
} RdTestWireCase;

int rd_test_wire_run (int                   argc,
                      char                 *argv[],
                      const char           *wire,
                      const RdTestWireCase *cases,
                      guint                 n_cases);

G_END_DECLS
