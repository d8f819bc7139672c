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

#include <sqlite3.h>

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
 * rd_check_id_parse:
 *
 * Reads an id as the API writes it: decimal digits, from 1. @id is left
 * alone when @text is not one.
 */
gboolean
rd_check_id_parse (const char *text,
                   gint64     *id)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_isdigit (text[0]) ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;

  *id = (gint64) value;
  return TRUE;
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

/**
 * rd_check_connection:
 *
 * Returns: (transfer none) (nullable): the store's connection, or %NULL with
 *   %RD_ERROR_UNAVAILABLE when it is closed
 */
struct sqlite3 *
rd_check_connection (RdStore  *store,
                     GError  **error)
{
  sqlite3 *db = rd_store_get_connection (store);

  if (db == NULL)
    g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "The database is not open");

  return db;
}

/**
 * rd_check_reply_page:
 * @found: what the store listed: up to @limit + 1 codec objects
 * @cursor: the cursor of an item (its id)
 *
 * Replies `{"items":[…],"next_cursor":…}` with the first @limit items; the
 * cursor is the last one's when @found had more.
 */
void
rd_check_reply_page (RdRequest         *request,
                     GListModel        *found,
                     guint              limit,
                     RdCheckCursorFunc  cursor)
{
  g_autoptr(GListStore) page = g_list_store_new (g_list_model_get_item_type (found));
  g_autoptr(GObject) last = NULL;
  guint n = MIN (g_list_model_get_n_items (found), limit);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (found, i);
      g_list_store_append (page, item);
    }

  if (g_list_model_get_n_items (found) > limit && n > 0)
    last = g_list_model_get_item (G_LIST_MODEL (page), n - 1);

  rd_check_reply_items (request, rd_codec_list_to_node (G_LIST_MODEL (page)),
                        last != NULL ? cursor (last) : NULL);
}

/**
 * rd_check_reply_items:
 * @items: (transfer full): the page's items, a JSON array
 * @next_cursor: (nullable): the cursor of the next page, %NULL on the last
 *
 * Replies `{"items":[…],"next_cursor":…}`.
 */
void
rd_check_reply_items (RdRequest  *request,
                      JsonNode   *items,
                      const char *next_cursor)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_add_value (builder, items);
  rd_json_builder_add_string (builder, "next_cursor", next_cursor);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, SOUP_STATUS_OK, node);
}

/**
 * rd_check_query_text:
 * @max_length: the most characters it may have
 *
 * Returns: (transfer none) (nullable): the text of `?param=`, or %NULL when
 *   it is absent or empty, or with %RD_ERROR_INVALID_FIELD in @error when it
 *   is not UTF-8 or longer than @max_length characters
 */
const char *
rd_check_query_text (RdRequest   *request,
                     const char  *param,
                     guint        max_length,
                     GError     **error)
{
  const char *text = rd_request_get_query (request, param);

  if (text == NULL || text[0] == '\0')
    return NULL;

  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > (glong) max_length)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Parameter “%s” is longer than %u characters", param, max_length);
      return NULL;
    }

  return text;
}

/**
 * rd_check_query_datetime:
 * @datetime: (out) (transfer full): the time in `?param=`, %NULL when there
 *   is none
 *
 * An RFC 3339 time with offset; anything else is %RD_ERROR_INVALID_FIELD.
 */
gboolean
rd_check_query_datetime (RdRequest   *request,
                         const char  *param,
                         GDateTime  **datetime,
                         GError     **error)
{
  GError *local_error = NULL;
  const char *text = rd_check_query_text (request, param, 64, &local_error);

  *datetime = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (text != NULL && (*datetime = rd_datetime_parse (text, NULL)) == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Parameter “%s” must be an RFC 3339 time with offset", param);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_check_cursor_id:
 * @after: (out): the id in `?cursor=`, 0 when there is none
 *
 * For lists by id: a cursor that is not an id is %RD_ERROR_INVALID_FIELD.
 */
gboolean
rd_check_cursor_id (RdRequest  *request,
                    gint64     *after,
                    GError    **error)
{
  const char *cursor = rd_request_get_query (request, "cursor");

  *after = 0;
  if (cursor == NULL || cursor[0] == '\0')
    return TRUE;

  if (!rd_check_id_parse (cursor, after))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Parameter “cursor” is not valid");
      return FALSE;
    }

  return TRUE;
}
