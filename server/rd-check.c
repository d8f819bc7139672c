/* rd-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small validations for the groups, customers, locations and assets routes:
 * text lengths and control characters, and PATCH as "the stored object with
 * the request's members laid over it, read again by the model's strict
 * codec", so a PATCH is checked exactly like a POST.
 */

#define G_LOG_DOMAIN "RdCheck"

#include "config.h"

#include "rd-check.h"
#include "rd-error.h"
#include "rd-json.h"

/**
 * rd_check_text:
 * @value: (nullable): the text; %NULL passes
 *
 * Refuses more than @max_length characters and control characters other
 * than tab, CR and LF.
 */
gboolean
rd_check_text (const char  *member,
               const char  *value,
               guint        max_length,
               GError     **error)
{
  if (value == NULL)
    return TRUE;

  if (g_utf8_strlen (value, -1) > (glong) max_length)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “%s” is longer than %u characters", member, max_length);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      if (((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “%s” contains a control character", member);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * rd_check_strv:
 *
 * rd_check_text() on every item, and at most @max_items of them.
 */
gboolean
rd_check_strv (const char          *member,
               const char * const  *values,
               guint                max_items,
               guint                max_length,
               GError             **error)
{
  if (values == NULL)
    return TRUE;

  if (g_strv_length ((char **) values) > max_items)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “%s” has more than %u items", member, max_items);
      return FALSE;
    }

  for (guint i = 0; values[i] != NULL; i++)
    {
      if (!rd_check_text (member, values[i], max_length, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * rd_check_apply_patch:
 * @current: the stored object
 * @patch: the request body
 * @allowed: the members a PATCH may carry
 *
 * Returns: (transfer full) (nullable): a new object of @current's type: its
 *   members with those of @patch laid over them, read by the strict codec
 */
gpointer
rd_check_apply_patch (RdCodec             *current,
                      JsonObject          *patch,
                      const char * const  *allowed,
                      GError             **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *merged;

  g_return_val_if_fail (RD_IS_CODEC (current), NULL);

  if (!rd_json_check_members (patch, allowed, error))
    return NULL;

  node = rd_codec_to_node (current);
  merged = json_node_get_object (node);
  names = json_object_get_members (patch);
  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (merged, l->data, json_node_copy (json_object_get_member (patch, l->data)));

  return rd_codec_new_from_json_full (G_OBJECT_TYPE (current), merged, RD_CODEC_STRICT, error);
}

char *
rd_check_id_to_string (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/**
 * rd_check_user_to_node:
 *
 * Returns: (transfer full): the user object with the `absent` member added
 */
JsonNode *
rd_check_user_to_node (RdUser   *user,
                       gboolean  absent)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  rd_codec_to_json (RD_CODEC (user), builder);
  json_builder_set_member_name (builder, "absent");
  json_builder_add_boolean_value (builder, absent);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
