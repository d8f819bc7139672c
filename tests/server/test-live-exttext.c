/* test-live-exttext.c: every scenario through the Call Monitor ExtText
 * folder, end to end: the simulator's ExtText writer → `<ext>.txt` files →
 * GFileMonitor → RdExtTextLink → the call engine → the store → WebSocket
 * clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Windows tool writes `entrante:<caller>` when an extension rings and
 * `saliente:<number>` when it dials; nothing else. Calls end only when
 * another caller rings one of their extensions (superseded, missed). The
 * table says, per scenario, what comes through (docs/calls.md has it too).
 */

#define G_LOG_DOMAIN "RdTestLiveExtText"

#include "config.h"

#include "rd-test-wire.h"

static const RdTestWireCase cases[] = {
  { "incoming-answered", 0,
    "in ringing - 201:-:1001",
    "201=ringing(1001,1000)",
    "",
    "only entrante:: the call rings until another caller rings 201" },
  { "hunt", 2,
    "in ended missed 201:no_answer:1001,202:no_answer:1001,203:no_answer:1001|"
    "in ended missed 202:no_answer:1002,203:no_answer:1002,201:no_answer:1002|"
    "in ringing - 203:-:1003,201:-:1003,202:-:1003",
    "201=ringing(1001,1000),ended,ringing(1002),notify.im,ended,ringing(1003) 202=ringing(1001,"
    "1000),ended,ringing(1002),ended,ringing(1003) 203=ringing(1001,1000),notify.im,ended,"
    "ringing(1002),ended,ringing(1003)",
    "Ticket_1001_Caller_0612345678_Called_201|Ticket_1001_Caller_0612345678_Called_202|"
    "Ticket_1001_Caller_0612345678_Called_203_END|Ticket_1002_Caller_0698765432_Called_201_END|"
    "Ticket_1002_Caller_0698765432_Called_202|Ticket_1002_Caller_0698765432_Called_203",
    "the same caller at the next extension is the same call; a call ends missed when another "
    "caller rings one of its extensions; the last one stays ringing" },
  { "no-answer", 0,
    "in ringing - 201:-:1001,202:-:1001",
    "201=ringing(1001) 202=ringing(1001)",
    "",
    "rings at 201, then at 202; nothing says it ended" },
  { "abandon", 0,
    "in ringing - 202:-:1001",
    "202=ringing(1001)",
    "",
    "rings; nothing says it ended" },
  { "transfer", 1,
    "in ringing - 201:-:1001,203:-:1001|in ended missed 202:no_answer:1002|"
    "internal ringing - 202:-:-,204:-:-",
    "201=ringing(1001,1000) 202=ringing(1002),notify.im,ended 203=ringing(1001,1000) 204=ringing()",
    "Ticket_1002_Caller_0277889900_Called_202_END",
    "the blind transfer is the caller ringing at 203; the consultation (saliente:204 at 202) "
    "supersedes the held customer call, which ends missed" },
  { "hold", 0,
    "in ringing - 201:-:1001",
    "201=ringing(1001,1000)",
    "",
    "only entrante:" },
  { "outgoing", 0,
    "out ringing - 203:-:-",
    "",
    "",
    "saliente: an outgoing call at 203 that never ends; nobody rang, so no event" },
  { "internal", 0,
    "internal ringing - 204:-:-,201:-:-",
    "201=ringing()",
    "",
    "saliente:201 at 204, then entrante:204 at 201: one internal call" },
  { "click-to-dial", 0,
    "out ringing - 201:-:-",
    "",
    "",
    "only saliente: (the ring back carries 201's own number, which the tool does not write)" },
};

int
main (int   argc,
      char *argv[])
{
  return rd_test_wire_run (argc, argv, "exttext", cases, G_N_ELEMENTS (cases));
}
