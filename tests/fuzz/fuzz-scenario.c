/* fuzz-scenario.c: the PBX simulator's scenario parser on arbitrary text,
 * and what parses played to its end on a PBX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-sim-scenario.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(RdSimScenario) scenario = NULL;
  g_autoptr(RdSimPbx) pbx = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_set_up ();

  if (size > G_MAXSSIZE)
    return 0;

  scenario = rd_sim_scenario_new_from_data ("fuzz.scn", (const char *) data, (gssize) size, &error);
  if (scenario == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  /* a scenario that parses must play out on the PBX without a critical;
   * runs of many hours of PBX time are cheap, the clock is virtual */
  pbx = rd_sim_pbx_new ();
  if (rd_sim_scenario_run (scenario, pbx, &error))
    rd_sim_pbx_run_pending (pbx);
  else
    g_assert (error != NULL);

  return 0;
}
