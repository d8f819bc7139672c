/* rd-codec.h: the JSON codec interface every model implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RD_TYPE_CODEC (rd_codec_get_type ())

G_DECLARE_INTERFACE (RdCodec, rd_codec, RD, CODEC, GObject)

struct _RdCodecInterface
{
  GTypeInterface parent_iface;

  /* Adds the object's members to @builder, which is inside an object. */
  void     (*to_json)   (RdCodec      *self,
                         JsonBuilder  *builder);
  /* Reads the members from untrusted @object with the rd_json_get_* getters. */
  gboolean (*from_json) (RdCodec      *self,
                         JsonObject   *object,
                         GError      **error);
};

void      rd_codec_to_json              (RdCodec      *self,
                                         JsonBuilder  *builder);
gboolean  rd_codec_from_json            (RdCodec      *self,
                                         JsonObject   *object,
                                         GError      **error);
JsonNode *rd_codec_to_node              (RdCodec      *self);
char     *rd_codec_to_json_string       (RdCodec      *self);
gpointer  rd_codec_new_from_json        (GType         type,
                                         JsonObject   *object,
                                         GError      **error);
gpointer  rd_codec_new_from_json_string (GType         type,
                                         const char   *data,
                                         gssize        length,
                                         GError      **error);
JsonNode *rd_codec_list_to_node         (GListModel   *list);
GListStore *rd_codec_list_from_array    (GType         type,
                                         JsonArray    *array,
                                         GError      **error);

G_END_DECLS
