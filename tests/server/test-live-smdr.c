/* test-live-smdr.c: every scenario through SMDR, end to end: the
 * simulator's SMDR port over TCP → RdSmdrLink → the call engine → the
 * store → WebSocket clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SMDR says RC (ringing), AN (answered) and NA (not answered) as they
 * happen, and a call record when the call is over; nothing else. The table
 * says, per scenario, what comes through (docs/calls.md has it too).
 */

#define G_LOG_DOMAIN "RdTestLiveSmdr"

#include "config.h"

#include "rd-test-wire.h"

static const RdTestWireCase cases[] = {
  { "incoming-answered", 1,
    "in ended answered 201:answered:1001",
    "201=ringing(1001,1000),answered,notify.im,ended",
    "Ticket_1001_Caller_0612345678_Called_201_END",
    "RC, AN and the call record carry all of it" },
  { "hunt", 3,
    "in ended answered 201:no_answer:1001,202:no_answer:1001,203:answered:1001|"
    "in ended answered 202:no_answer:1002,203:no_answer:1002,201:answered:1002|"
    "in ended abandoned 203:abandoned:1003,201:abandoned:1003,202:abandoned:1003",
    "201=ringing(1001,1000),answered,ended,ringing(1002),answered,notify.im,ended,ringing(1003),"
    "ended 202=ringing(1001,1000),answered,ended,ringing(1002),answered,ended,ringing(1003),"
    "notify.im,ended 203=ringing(1001,1000),answered,notify.im,ended,ringing(1002),answered,ended,"
    "ringing(1003),ended",
    "Ticket_1001_Caller_0612345678_Called_201|Ticket_1001_Caller_0612345678_Called_202|"
    "Ticket_1001_Caller_0612345678_Called_203_END|Ticket_1002_Caller_0698765432_Called_201_END|"
    "Ticket_1002_Caller_0698765432_Called_202|Ticket_1002_Caller_0698765432_Called_203|"
    "Ticket_1003_Caller_0233445566_Called_201|Ticket_1003_Caller_0233445566_Called_202_END|"
    "Ticket_1003_Caller_0233445566_Called_203",
    "an RC at each member; NA does not tell missed from abandoned, so the third call ends "
    "abandoned at every hop" },
  { "no-answer", 1,
    "in ended abandoned 201:abandoned:1001,202:abandoned:1001",
    "201=ringing(1001),ended 202=ringing(1001),notify.im,ended",
    "Ticket_1001_Caller_0655443322_Called_201|Ticket_1001_Caller_0655443322_Called_202_END",
    "NA reads as abandoned: the call and its open hops end abandoned" },
  { "abandon", 1,
    "in ended abandoned 202:abandoned:1001",
    "202=ringing(1001),notify.im,ended",
    "Ticket_1001_Caller_0611223344_Called_202_END",
    "RC, then the NA record" },
  { "transfer", 2,
    "in ended answered 201:answered:1001,203:answered:1001|in ended answered 202:answered:1002",
    "201=ringing(1001,1000),answered,notify.im,answered,ended 202=ringing(1002),answered,"
    "notify.im,ended 203=ringing(1001,1000),answered,ended",
    "Ticket_1001_Caller_0612345678_Called_201|Ticket_1001_Caller_0612345678_Called_203_END|"
    "Ticket_1002_Caller_0277889900_Called_202_END",
    "no transfer events: the blind one is an RC at 203 (a second answered hop), the consulted one "
    "only the record, which completes the call at 202" },
  { "hold", 1,
    "in ended answered 201:answered:1001",
    "201=ringing(1001,1000),answered,notify.im,ended",
    "Ticket_1001_Caller_0612345678_Called_201_END",
    "no hold in SMDR: rung, answered, recorded" },
  { "outgoing", 1,
    "out ended answered 203:answered:-",
    "203=ended",
    "Ticket_0_Caller_203_Called_203_END",
    "only the record, after the fact: no ringing, the call ends at once" },
  { "internal", 1,
    "internal ended answered 204:answered:-",
    "204=ended",
    "Ticket_0_Caller_204_Called_204_END",
    "only the intercom record, printed for the station that dialled (204 EXT201): 201 is not named" },
  { "click-to-dial", 1,
    "out ended answered 201:answered:-",
    "201=ended",
    "Ticket_0_Caller_201_Called_201_END",
    "only the outgoing record of 201" },
};

int
main (int   argc,
      char *argv[])
{
  return rd_test_wire_run (argc, argv, "smdr", cases, G_N_ELEMENTS (cases));
}
