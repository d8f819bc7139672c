/* fuzz-config.c: the server's configuration parser on arbitrary text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-config.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(RdConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_set_up ();

  config = rd_config_new ();
  if (!rd_config_load_from_data (config, (const char *) data, size, &error))
    g_assert (error != NULL);

  return 0;
}
