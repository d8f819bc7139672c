/* rd-codec.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCodec"

#include "config.h"

#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"

G_DEFINE_INTERFACE (RdCodec, rd_codec, G_TYPE_OBJECT)

static void
rd_codec_default_init (RdCodecInterface *iface)
{
}

void
rd_codec_to_json (RdCodec     *self,
                  JsonBuilder *builder)
{
  g_return_if_fail (RD_IS_CODEC (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  RD_CODEC_GET_IFACE (self)->to_json (self, builder);
}

gboolean
rd_codec_from_json (RdCodec       *self,
                    JsonObject    *object,
                    RdCodecFlags   flags,
                    GError       **error)
{
  g_return_val_if_fail (RD_IS_CODEC (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  return RD_CODEC_GET_IFACE (self)->from_json (self, object, flags, error);
}

/**
 * rd_codec_check_members:
 *
 * For from_json implementations: with %RD_CODEC_STRICT, fails on a member
 * not in @allowed; otherwise always succeeds.
 */
gboolean
rd_codec_check_members (RdCodecFlags         flags,
                        JsonObject          *object,
                        const char * const  *allowed,
                        GError             **error)
{
  if (!(flags & RD_CODEC_STRICT))
    return TRUE;

  return rd_json_check_members (object, allowed, error);
}

/**
 * rd_codec_to_node:
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
rd_codec_to_node (RdCodec *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (RD_IS_CODEC (self), NULL);

  json_builder_begin_object (builder);
  rd_codec_to_json (self, builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
rd_codec_to_json_string (RdCodec *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (RD_IS_CODEC (self), NULL);

  node = rd_codec_to_node (self);
  return rd_json_to_string (node, FALSE);
}

/**
 * rd_codec_new_from_json_full:
 * @type: a #GType implementing #RdCodec
 *
 * Returns: (transfer full) (type GObject): a new object, or %NULL with @error set
 */
gpointer
rd_codec_new_from_json_full (GType          type,
                             JsonObject    *object,
                             RdCodecFlags   flags,
                             GError       **error)
{
  g_autoptr(GObject) instance = NULL;

  g_return_val_if_fail (g_type_is_a (type, RD_TYPE_CODEC), NULL);
  g_return_val_if_fail (object != NULL, NULL);

  instance = g_object_new (type, NULL);
  if (!rd_codec_from_json (RD_CODEC (instance), object, flags, error))
    return NULL;

  return g_steal_pointer (&instance);
}

/**
 * rd_codec_new_from_json:
 *
 * rd_codec_new_from_json_full() with %RD_CODEC_NONE: unknown members are ignored.
 */
gpointer
rd_codec_new_from_json (GType        type,
                        JsonObject  *object,
                        GError     **error)
{
  return rd_codec_new_from_json_full (type, object, RD_CODEC_NONE, error);
}

gpointer
rd_codec_new_from_json_string (GType        type,
                               const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (g_type_is_a (type, RD_TYPE_CODEC), NULL);

  object = rd_json_parse_object (data, length, error);
  if (object == NULL)
    return NULL;

  return rd_codec_new_from_json (type, object, error);
}

/**
 * rd_codec_list_to_node:
 * @list: a #GListModel of #RdCodec objects
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
rd_codec_list_to_node (GListModel *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (list), NULL);

  n = g_list_model_get_n_items (list);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      json_builder_begin_object (builder);
      rd_codec_to_json (RD_CODEC (item), builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/**
 * rd_codec_list_from_array:
 * @type: the item #GType, implementing #RdCodec
 * @array: untrusted JSON array of objects
 *
 * Returns: (transfer full): a #GListStore of @type, or %NULL with @error set
 */
GListStore *
rd_codec_list_from_array (GType          type,
                          JsonArray     *array,
                          RdCodecFlags   flags,
                          GError       **error)
{
  g_autoptr(GListStore) store = NULL;
  guint n;

  g_return_val_if_fail (g_type_is_a (type, RD_TYPE_CODEC), NULL);
  g_return_val_if_fail (array != NULL, NULL);

  store = g_list_store_new (type);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = NULL;
      g_autoptr(GObject) item = NULL;

      if (!rd_json_array_get_object (array, i, &object, error))
        return NULL;

      item = rd_codec_new_from_json_full (type, object, flags, error);
      if (item == NULL)
        {
          g_prefix_error (error, "Item %u: ", i);
          return NULL;
        }
      g_list_store_append (store, item);
    }

  return g_steal_pointer (&store);
}
