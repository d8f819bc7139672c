/* fuzz-event.c: WebSocket messages in both directions on arbitrary bytes
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
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sub_error = NULL;
  g_autoptr(RdEvent) event = NULL;
  g_auto(GStrv) extensions = NULL;

  fuzz_set_up ();

  /* server → client */
  event = rd_event_new_from_json_string ((const char *) data, (gssize) size, &error);
  if (event != NULL)
    {
      g_autofree char *text = rd_codec_to_json_string (RD_CODEC (event));
      g_autoptr(RdEvent) again = rd_event_new_from_json_string (text, -1, &error);

      g_assert (again != NULL);
    }
  else
    g_assert (error != NULL && error->domain == RD_ERROR);

  /* client → server */
  if (rd_event_parse_subscribe ((const char *) data, (gssize) size, &extensions, &sub_error))
    {
      g_autofree char *text = rd_event_build_subscribe ((const char * const *) extensions);
      g_auto(GStrv) again = NULL;

      g_assert (rd_event_parse_subscribe (text, -1, &again, NULL));
      g_assert (g_strv_equal ((const char * const *) extensions, (const char * const *) again));
    }
  else
    g_assert (sub_error != NULL && sub_error->domain == RD_ERROR);
  g_clear_pointer (&extensions, g_strfreev);
  g_clear_error (&sub_error);

  /* server → client: the subscribe's acknowledgement */
  if (rd_event_parse_subscribed ((const char *) data, (gssize) size, &extensions, &sub_error))
    {
      g_autofree char *text = rd_event_build_subscribed ((const char * const *) extensions);
      g_auto(GStrv) again = NULL;

      g_assert (rd_event_parse_subscribed (text, -1, &again, NULL));
      g_assert (g_strv_equal ((const char * const *) extensions, (const char * const *) again));
    }
  else
    g_assert (sub_error != NULL && sub_error->domain == RD_ERROR);

  return 0;
}
