/* fuzz-phone.c: phone-number normalisation on arbitrary text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *countries[] = { "ES", "IT", "GB", "DE", "US" };
  static const RdPhoneSource sources[] = {
    RD_PHONE_SOURCE_ANY, RD_PHONE_SOURCE_PBX, RD_PHONE_SOURCE_TYPED,
  };
  g_autofree char *raw = g_strndup ((const char *) data, size);

  fuzz_set_up ();

  for (guint c = 0; c < G_N_ELEMENTS (countries); c++)
    {
      g_autoptr(RdPhonePlan) plan = rd_phone_plan_new_for_country (countries[c]);

      for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
        {
          RdPhoneKind kind = RD_PHONE_KIND_INVALID;
          g_autofree char *normal = rd_phone_normalize_full (plan, raw, sources[s], &kind);

          g_assert ((normal == NULL) == (kind == RD_PHONE_KIND_INVALID));
          if (normal != NULL)
            {
              RdPhoneKind again_kind = RD_PHONE_KIND_INVALID;
              g_autofree char *again = rd_phone_normalize_full (plan, normal, RD_PHONE_SOURCE_TYPED,
                                                                &again_kind);

              /* a normalised number is a fixed point */
              g_assert (again != NULL && g_str_equal (again, normal));
              g_assert (again_kind == kind);
            }
        }
    }

  return 0;
}
