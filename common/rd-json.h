/* rd-json.h: type-checked JSON getters that never raise a critical
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RdJsonFlags:
 * @RD_JSON_OPTIONAL: a missing member is fine; the out value is left untouched
 * @RD_JSON_REQUIRED: a missing member is %RD_ERROR_MISSING_FIELD
 * @RD_JSON_NULLABLE: a JSON `null` is accepted and gives %NULL (or leaves numbers untouched)
 *
 * Every getter checks the member's JSON type before reading it: a wrong type is
 * %RD_ERROR_INVALID_FIELD naming the member, never a critical.
 */
typedef enum
{
  RD_JSON_OPTIONAL = 0,
  RD_JSON_REQUIRED = 1 << 0,
  RD_JSON_NULLABLE = 1 << 1,
} RdJsonFlags;

#define RD_JSON_MAX_DEPTH 32

JsonNode   *rd_json_parse             (const char   *data,
                                       gssize        length,
                                       GError      **error);
JsonObject *rd_json_parse_object      (const char   *data,
                                       gssize        length,
                                       GError      **error);
JsonObject *rd_json_parse_bytes       (GBytes       *bytes,
                                       GError      **error);
gboolean    rd_json_has_member        (JsonObject   *object,
                                       const char   *member);
gboolean    rd_json_get_string        (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       const char  **out,
                                       GError      **error);
gboolean    rd_json_dup_string        (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       char        **out,
                                       GError      **error);
gboolean    rd_json_get_int           (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       gint64       *out,
                                       GError      **error);
gboolean    rd_json_get_double        (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       double       *out,
                                       GError      **error);
gboolean    rd_json_get_boolean       (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       gboolean     *out,
                                       GError      **error);
gboolean    rd_json_get_object        (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       JsonObject  **out,
                                       GError      **error);
gboolean    rd_json_get_array         (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       JsonArray   **out,
                                       GError      **error);
gboolean    rd_json_dup_strv          (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       char       ***out,
                                       GError      **error);
gboolean    rd_json_get_datetime      (JsonObject   *object,
                                       const char   *member,
                                       RdJsonFlags   flags,
                                       GDateTime   **out,
                                       GError      **error);
gboolean    rd_json_array_get_object  (JsonArray    *array,
                                       guint         index,
                                       JsonObject  **out,
                                       GError      **error);
gboolean    rd_json_array_get_string  (JsonArray    *array,
                                       guint         index,
                                       const char  **out,
                                       GError      **error);
gboolean    rd_json_check_members     (JsonObject   *object,
                                       const char * const *allowed,
                                       GError      **error);

char       *rd_json_to_string         (JsonNode     *node,
                                       gboolean      pretty);
char       *rd_json_object_to_string  (JsonObject   *object);

void        rd_json_builder_add_string   (JsonBuilder *builder,
                                          const char  *member,
                                          const char  *value);
void        rd_json_builder_add_double   (JsonBuilder *builder,
                                          const char  *member,
                                          double       value);
void        rd_json_builder_add_datetime (JsonBuilder *builder,
                                          const char  *member,
                                          GDateTime   *value);
void        rd_json_builder_add_strv     (JsonBuilder *builder,
                                          const char  *member,
                                          const char * const *values);

char       *rd_datetime_format        (GDateTime    *datetime);
GDateTime  *rd_datetime_parse         (const char   *text,
                                       GError      **error);

G_END_DECLS
