/* rd-codec.h: the JSON codec interface every model implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RD_TYPE_CODEC (rd_codec_get_type ())

G_DECLARE_INTERFACE (RdCodec, rd_codec, RD, CODEC, GObject)

/**
 * RdCodecFlags:
 * @RD_CODEC_NONE: lenient: members the model does not know are ignored, so a
 *   client keeps working when a newer server adds members (API.md welcomes
 *   additions)
 * @RD_CODEC_STRICT: unknown members are %RD_ERROR_INVALID_FIELD; the server
 *   reads requests this way so that a typo is reported, not ignored
 */
typedef enum
{
  RD_CODEC_NONE   = 0,
  RD_CODEC_STRICT = 1 << 0,
} RdCodecFlags;

struct _RdCodecInterface
{
  GTypeInterface parent_iface;

  /* Adds the object's members to @builder, which is inside an object. */
  void     (*to_json)   (RdCodec      *self,
                         JsonBuilder  *builder);
  /* Reads the members from untrusted @object with the rd_json_get_* getters. */
  gboolean (*from_json) (RdCodec      *self,
                         JsonObject   *object,
                         RdCodecFlags  flags,
                         GError      **error);
};

void      rd_codec_to_json              (RdCodec      *self,
                                         JsonBuilder  *builder);
gboolean  rd_codec_from_json            (RdCodec      *self,
                                         JsonObject   *object,
                                         RdCodecFlags  flags,
                                         GError      **error);
JsonNode *rd_codec_to_node              (RdCodec      *self);
char     *rd_codec_to_json_string       (RdCodec      *self);
gpointer  rd_codec_new_from_json        (GType         type,
                                         JsonObject   *object,
                                         GError      **error);
gpointer  rd_codec_new_from_json_full   (GType         type,
                                         JsonObject   *object,
                                         RdCodecFlags  flags,
                                         GError      **error);
gpointer  rd_codec_new_from_json_string (GType         type,
                                         const char   *data,
                                         gssize        length,
                                         GError      **error);
JsonNode *rd_codec_list_to_node         (GListModel   *list);
GListStore *rd_codec_list_from_array    (GType         type,
                                         JsonArray    *array,
                                         RdCodecFlags  flags,
                                         GError      **error);
gboolean  rd_codec_check_members        (RdCodecFlags  flags,
                                         JsonObject   *object,
                                         const char * const *allowed,
                                         GError      **error);

G_END_DECLS
