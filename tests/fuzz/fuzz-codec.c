/* fuzz-codec.c: every RdCodec model's from_json on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a model accepts it must write back, and the written form must be
 * accepted again and written identically (a stable round trip).
 */

#include "config.h"

#include "rd-common.h"

#include "fuzz.h"

static GType *
codec_types (guint *n_types)
{
  static GType types[32];
  static guint n;

  if (n == 0)
    {
      types[n++] = RD_TYPE_USER;
      types[n++] = RD_TYPE_TICKET;
      types[n++] = RD_TYPE_CALL;
      types[n++] = RD_TYPE_HOP;
      types[n++] = RD_TYPE_CUSTOMER;
      types[n++] = RD_TYPE_GROUP;
      types[n++] = RD_TYPE_EVIDENCE;
      types[n++] = RD_TYPE_LOCATION;
      types[n++] = RD_TYPE_ASSET;
      types[n++] = RD_TYPE_SLA_ROW;
      types[n++] = RD_TYPE_EVENT;
    }

  *n_types = n;
  return types;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  guint n_types = 0;
  GType *types;

  fuzz_set_up ();
  types = codec_types (&n_types);

  for (guint i = 0; i < n_types; i++)
    {
      static const RdCodecFlags modes[] = { RD_CODEC_NONE, RD_CODEC_STRICT };

      for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonObject) object = NULL;
          g_autoptr(GObject) model = NULL;
          g_autoptr(GObject) again = NULL;
          g_autofree char *text = NULL;
          g_autofree char *text2 = NULL;

          object = rd_json_parse_object ((const char *) data, (gssize) size, &error);
          if (object == NULL)
            {
              g_assert (error != NULL && error->domain == RD_ERROR);
              break;
            }

          model = rd_codec_new_from_json_full (types[i], object, modes[m], &error);
          if (model == NULL)
            {
              g_assert (error != NULL && error->domain == RD_ERROR);
              continue;
            }

          /* what a model accepts it writes back, strictly readable and stable */
          text = rd_codec_to_json_string (RD_CODEC (model));
          again = rd_codec_new_from_json_string (types[i], text, -1, &error);
          g_assert (again != NULL);
          text2 = rd_codec_to_json_string (RD_CODEC (again));
          g_assert (g_str_equal (text, text2));
        }
    }

  return 0;
}
