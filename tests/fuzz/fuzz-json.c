/* fuzz-json.c: rd_json_parse and every type-checked getter on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rd-common.h"

#include "fuzz.h"

static void
walk_object (JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *s = NULL;
      g_autofree char *dup = NULL;
      gint64 i = 0;
      double d = 0;
      gboolean b = FALSE;
      JsonObject *o = NULL;
      JsonArray *a = NULL;
      g_auto(GStrv) strv = NULL;
      g_autoptr(GDateTime) dt = NULL;
      RdJsonFlags flags[] = { RD_JSON_OPTIONAL, RD_JSON_REQUIRED, RD_JSON_NULLABLE };

      for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
        {
          g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;
          g_autoptr(GError) e6 = NULL, e7 = NULL, e8 = NULL, e9 = NULL;

          rd_json_get_string (object, name, flags[f], &s, &e1);
          rd_json_dup_string (object, name, flags[f], &dup, &e2);
          rd_json_get_int (object, name, flags[f], &i, &e3);
          rd_json_get_double (object, name, flags[f], &d, &e4);
          rd_json_get_boolean (object, name, flags[f], &b, &e5);
          rd_json_get_object (object, name, flags[f], &o, &e6);
          rd_json_get_array (object, name, flags[f], &a, &e7);
          rd_json_dup_strv (object, name, flags[f], &strv, &e8);
          rd_json_get_datetime (object, name, flags[f], &dt, &e9);
        }

      if (o != NULL)
        walk_object (o);
      if (a != NULL)
        {
          for (guint k = 0; k < json_array_get_length (a); k++)
            {
              g_autoptr(GError) error = NULL;
              JsonObject *element = NULL;

              if (rd_json_array_get_object (a, k, &element, &error))
                walk_object (element);
              else
                rd_json_array_get_string (a, k, &s, NULL);
            }
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  fuzz_set_up ();

  root = rd_json_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      g_assert (error != NULL && error->domain == RD_ERROR);
      return 0;
    }

  if (JSON_NODE_HOLDS_OBJECT (root))
    walk_object (json_node_get_object (root));

  /* What we accept we can write back. (json-glib 1.6 writes some doubles as
   * invalid JSON, "1e+20.0"; our own output goes through
   * rd_json_builder_add_double, so only check trees without doubles here.) */
  text = rd_json_to_string (root, FALSE);
  if (strstr (text, "e+") == NULL && strstr (text, "e-") == NULL)
    {
      g_autoptr(JsonNode) again = rd_json_parse (text, -1, &error);

      g_assert (again != NULL);
    }

  return 0;
}
