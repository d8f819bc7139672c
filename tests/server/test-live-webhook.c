/* test-live-webhook.c: every scenario through the generic CTI webhook, end
 * to end: the simulator's Zammad-style bridge (RdSimWebhook) POSTs to
 * /api/v1/cti/generic/{secret} → RdGenericLink → the call engine → the
 * store → WebSocket clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Zammad's generic CTI API has newCall, answer and hangup, with call ids;
 * no hold, no diversion, no transfer, no internal direction. The table
 * says, per scenario, what comes through (docs/calls.md has it too).
 */

#define G_LOG_DOMAIN "RdTestLiveWebhook"

#include "config.h"

#include "rd-test-wire.h"

static const RdTestWireCase cases[] = {
  { "incoming-answered", 1,
    "in ended answered 201:answered:1001",
    "201=ringing(1001,1000),answered,notify.im,ended",
    "Ticket_1001_Caller_0612345678_Called_201_END",
    "newCall, answer and hangup carry all of it" },
  { "hunt", 3,
    "in ended answered 201:no_answer:1001,202:no_answer:1001,203:answered:1001|"
    "in ended answered 202:no_answer:1002,203:no_answer:1002,201:answered:1002|"
    "in ended missed 203:no_answer:1003,201:no_answer:1003,202:no_answer:1003",
    "201=ringing(1001,1000),answered,ended,ringing(1002),answered,notify.im,ended,ringing(1003),"
    "ended 202=ringing(1001,1000),answered,ended,ringing(1002),answered,ended,ringing(1003),"
    "notify.im,ended 203=ringing(1001,1000),answered,notify.im,ended,ringing(1002),answered,ended,"
    "ringing(1003),ended",
    "Ticket_1001_Caller_0612345678_Called_201|Ticket_1001_Caller_0612345678_Called_202|"
    "Ticket_1001_Caller_0612345678_Called_203_END|Ticket_1002_Caller_0698765432_Called_201_END|"
    "Ticket_1002_Caller_0698765432_Called_202|Ticket_1002_Caller_0698765432_Called_203|"
    "Ticket_1003_Caller_0233445566_Called_201|Ticket_1003_Caller_0233445566_Called_202_END|"
    "Ticket_1003_Caller_0233445566_Called_203",
    "a newCall at each member rung; hangup noAnswer: the third call is missed" },
  { "no-answer", 1,
    "in ended missed 201:no_answer:1001,202:no_answer:1001",
    "201=ringing(1001),ended 202=ringing(1001),notify.im,ended",
    "Ticket_1001_Caller_0655443322_Called_201|Ticket_1001_Caller_0655443322_Called_202_END",
    "hangup cause noAnswer: missed" },
  { "abandon", 1,
    "in ended abandoned 202:abandoned:1001",
    "202=ringing(1001),notify.im,ended",
    "Ticket_1001_Caller_0611223344_Called_202_END",
    "hangup cause cancel: abandoned" },
  { "transfer", 3,
    "in ended answered 201:answered:1001,203:answered:1001|in ended answered 202:answered:1002,"
    "204:answered:1002|in ended answered 204:answered:-",
    "201=ringing(1001,1000),answered,notify.im,answered,ended 202=ringing(1002),answered,"
    "notify.im,answered,ended 203=ringing(1001,1000),answered,ended 204=ringing(),answered,ended,"
    "ringing(1002),answered,ended",
    "Ticket_0_Caller_202_Called_204_END|Ticket_1001_Caller_0612345678_Called_201|"
    "Ticket_1001_Caller_0612345678_Called_203_END|Ticket_1002_Caller_0277889900_Called_202|"
    "Ticket_1002_Caller_0277889900_Called_204_END",
    "a transfer is a newCall at the new extension, and an answer there when it had answered the "
    "consultation; the consultation is a call of its own, incoming (the API has only in and out)" },
  { "hold", 1,
    "in ended answered 201:answered:1001",
    "201=ringing(1001,1000),answered,notify.im,ended",
    "Ticket_1001_Caller_0612345678_Called_201_END",
    "no hold in the API" },
  { "outgoing", 1,
    "out ended answered 203:answered:-",
    "203=answered,ended",
    "Ticket_0_Caller_203_Called_203_END",
    "newCall out, answer (the far end), hangup" },
  { "internal", 1,
    "in ended answered 201:answered:-",
    "201=ringing(),answered,ended",
    "Ticket_0_Caller_204_Called_201_END",
    "reported at the extension rung as incoming from 204 (in and out only); no ticket: 204 is not "
    "external" },
  { "click-to-dial", 1,
    "out ended answered 201:answered:-",
    "201=answered,ended",
    "Ticket_0_Caller_201_Called_201_END",
    "newCall out at 201, answer when the far end answers" },
};

int
main (int   argc,
      char *argv[])
{
  return rd_test_wire_run (argc, argv, "generic", cases, G_N_ELEMENTS (cases));
}
