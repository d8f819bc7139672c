/* fuzz-webhook.c: the generic CTI webhook's form parser on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-generic-link.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  RdGenericForm form = { 0, };
  GError *error = NULL;

  fuzz_set_up ();

  if (rd_generic_form_parse ((const char *) data, size, &form, &error))
    {
      g_autoptr(GPtrArray) events = rd_generic_form_to_events (&form);

      g_assert (error == NULL);
      g_assert (form.call_id != NULL && form.users != NULL);
      g_assert (events->len >= 1);
      for (guint i = 0; i < events->len; i++)
        {
          RdCtiEvent *event = g_ptr_array_index (events, i);

          g_assert (g_str_equal (event->call_id, form.call_id));
        }
    }
  else
    {
      g_assert (g_error_matches (error, RD_ERROR, RD_ERROR_MISSING_FIELD) ||
                g_error_matches (error, RD_ERROR, RD_ERROR_INVALID_FIELD));
      g_assert (form.call_id == NULL);
      g_clear_error (&error);
    }
  rd_generic_form_clear (&form);

  return 0;
}
