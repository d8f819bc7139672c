/* rd-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's own getters raise criticals when a member has an unexpected type
 * (see docs/anchor-codebases.md §3.2), so untrusted JSON is read only here: every
 * getter checks the node type first and reports RD_ERROR_INVALID_FIELD instead.
 */

#define G_LOG_DOMAIN "RdJson"

#include "config.h"

#include "rd-util.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "rd-error.h"
#include "rd-json.h"

/* json-glib 1.6 is lenient (comments, single quotes, hex numbers, ".5", "\u0000"
 * inside strings) and parses recursively with no depth limit, so a hostile
 * "[[[[…" could exhaust the stack. Untrusted input is therefore first checked
 * against the strict RFC 8259 grammar, with bounded nesting, by this small
 * validator; only then does json-glib build the tree. */
typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  const char *problem;
} Validator;

static gboolean validate_value (Validator *v,
                                guint      depth);

static inline int
peek (Validator *v)
{
  return v->pos < v->length ? (guchar) v->data[v->pos] : -1;
}

static void
skip_whitespace (Validator *v)
{
  while (v->pos < v->length)
    {
      char c = v->data[v->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      v->pos++;
    }
}

static gboolean
fail (Validator  *v,
      const char *problem)
{
  v->problem = problem;
  return FALSE;
}

static gboolean
expect_literal (Validator  *v,
                const char *literal)
{
  gsize len = strlen (literal);

  if (v->length - v->pos < len || memcmp (v->data + v->pos, literal, len) != 0)
    return fail (v, "unexpected token");
  v->pos += len;
  return TRUE;
}

static gboolean
validate_string (Validator *v)
{
  v->pos++; /* opening quote */

  while (v->pos < v->length)
    {
      guchar c = v->data[v->pos++];

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return fail (v, "control character in string");
      if (c != '\\')
        continue;

      if (v->pos >= v->length)
        break;
      c = v->data[v->pos++];
      if (c == 'u')
        {
          guint value = 0;

          if (v->length - v->pos < 4)
            break;
          for (guint i = 0; i < 4; i++)
            {
              int digit = g_ascii_xdigit_value (v->data[v->pos++]);

              if (digit < 0)
                return fail (v, "bad \\u escape");
              value = value * 16 + (guint) digit;
            }
          if (value == 0)
            return fail (v, "\\u0000 in string");
        }
      else if (strchr ("\"\\/bfnrt", c) == NULL || c == '\0')
        return fail (v, "bad escape in string");
    }

  return fail (v, "unterminated string");
}

static gboolean
validate_digits (Validator *v)
{
  gsize start = v->pos;

  while (v->pos < v->length && g_ascii_isdigit (v->data[v->pos]))
    v->pos++;

  return v->pos > start ? TRUE : fail (v, "bad number");
}

static gboolean
validate_number (Validator *v)
{
  gsize start = v->pos;
  gboolean integral = TRUE;

  if (peek (v) == '-')
    v->pos++;

  if (peek (v) == '0')
    v->pos++;
  else if (!validate_digits (v))
    return FALSE;

  if (peek (v) == '.')
    {
      integral = FALSE;
      v->pos++;
      if (!validate_digits (v))
        return FALSE;
    }

  if (peek (v) == 'e' || peek (v) == 'E')
    {
      integral = FALSE;
      v->pos++;
      if (peek (v) == '+' || peek (v) == '-')
        v->pos++;
      if (!validate_digits (v))
        return FALSE;
    }

  if (g_ascii_isalnum (peek (v)) || peek (v) == '.')
    return fail (v, "bad number");

  /* json-glib silently turns integers outside gint64 into garbage */
  if (integral)
    {
      char digits[24];
      gsize len = v->pos - start;
      gint64 value;

      if (len >= sizeof digits)
        return fail (v, "integer out of range");
      memcpy (digits, v->data + start, len);
      digits[len] = '\0';
      errno = 0;
      value = g_ascii_strtoll (digits, NULL, 10);
      if (errno == ERANGE && (value == G_MAXINT64 || value == G_MININT64))
        return fail (v, "integer out of range");
    }
  else
    {
      g_autofree char *text = g_strndup (v->data + start, v->pos - start);

      /* json-glib would store 1e999 as infinity, which it cannot write back */
      if (!isfinite (g_ascii_strtod (text, NULL)))
        return fail (v, "number out of range");
    }

  return TRUE;
}

static gboolean
validate_container (Validator *v,
                    guint      depth,
                    gboolean   is_object)
{
  char close = is_object ? '}' : ']';

  if (depth >= RD_JSON_MAX_DEPTH)
    return fail (v, "nested too deeply");

  v->pos++; /* opening bracket */
  skip_whitespace (v);
  if (peek (v) == close)
    {
      v->pos++;
      return TRUE;
    }

  for (;;)
    {
      if (is_object)
        {
          if (peek (v) != '"')
            return fail (v, "expected a member name");
          if (!validate_string (v))
            return FALSE;
          skip_whitespace (v);
          if (peek (v) != ':')
            return fail (v, "expected “:”");
          v->pos++;
          skip_whitespace (v);
        }

      if (!validate_value (v, depth + 1))
        return FALSE;

      skip_whitespace (v);
      if (peek (v) == close)
        {
          v->pos++;
          return TRUE;
        }
      if (peek (v) != ',')
        return fail (v, is_object ? "expected “,” or “}”" : "expected “,” or “]”");
      v->pos++;
      skip_whitespace (v);
    }
}

static gboolean
validate_value (Validator *v,
                guint      depth)
{
  switch (peek (v))
    {
    case '{':
      return validate_container (v, depth, TRUE);
    case '[':
      return validate_container (v, depth, FALSE);
    case '"':
      return validate_string (v);
    case 't':
      return expect_literal (v, "true");
    case 'f':
      return expect_literal (v, "false");
    case 'n':
      return expect_literal (v, "null");
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return validate_number (v);
    case -1:
      return fail (v, "unexpected end");
    default:
      return fail (v, "unexpected character");
    }
}

static gboolean
validate_strict (const char  *data,
                 gsize        length,
                 GError     **error)
{
  Validator v = { data, length, 0, NULL };

  skip_whitespace (&v);
  if (validate_value (&v, 0))
    {
      skip_whitespace (&v);
      if (v.pos == length)
        return TRUE;
      v.problem = "trailing data";
    }

  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_JSON,
               "Malformed JSON at byte %" G_GSIZE_FORMAT ": %s",
               MIN (v.pos, length), v.problem);
  return FALSE;
}

/**
 * rd_json_parse:
 * @data: the text, not necessarily nul-terminated
 * @length: its length, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Parses untrusted JSON. Rejects empty input, embedded nul bytes, invalid
 * UTF-8 and excessive nesting with %RD_ERROR_INVALID_JSON.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
rd_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len;

  if (data == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_JSON, "Empty JSON body");
      return NULL;
    }

  len = length < 0 ? strlen (data) : (gsize) length;

  if (len == 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_JSON, "Empty JSON body");
      return NULL;
    }

  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_JSON,
                           "JSON body contains a nul byte");
      return NULL;
    }

  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_JSON,
                           "JSON body is not valid UTF-8");
      return NULL;
    }

  if (!validate_strict (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_JSON,
                   "Malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_JSON, "Empty JSON body");
      return NULL;
    }

  return json_node_ref (root);
}

/**
 * rd_json_parse_object:
 *
 * Like rd_json_parse() but the root must be an object.
 *
 * Returns: (transfer full): the root object, or %NULL with @error set
 */
JsonObject *
rd_json_parse_object (const char  *data,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = rd_json_parse (data, length, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_JSON,
                           "JSON body must be an object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

JsonObject *
rd_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  gsize size = 0;
  const char *data = NULL;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);

  return rd_json_parse_object (data, (gssize) size, error);
}

gboolean
rd_json_has_member (JsonObject *object,
                    const char *member)
{
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);

  return json_object_get_member (object, member) != NULL;
}

/* Looks up @member. Returns FALSE with @error set on a missing required member;
 * TRUE with *node NULL when an optional member is absent, or when it is null and
 * nullable. */
static gboolean
lookup (JsonObject   *object,
        const char   *member,
        RdJsonFlags   flags,
        JsonNode    **node,
        gboolean     *is_null,
        GError      **error)
{
  JsonNode *found;

  *node = NULL;
  *is_null = FALSE;

  found = json_object_get_member (object, member);
  if (found == NULL)
    {
      if (flags & RD_JSON_REQUIRED)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                       "Missing field “%s”", member);
          return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (found))
    {
      if (flags & RD_JSON_NULLABLE)
        {
          *is_null = TRUE;
          return TRUE;
        }
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “%s” must not be null", member);
      return FALSE;
    }

  *node = found;
  return TRUE;
}

static gboolean
wrong_type (const char  *member,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
               "Field “%s” must be %s", member, expected);
  return FALSE;
}

static gboolean
node_holds_value_type (JsonNode *node,
                       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/**
 * rd_json_get_string:
 * @out: (out) (transfer none): the string, borrowed from @object
 */
gboolean
rd_json_get_string (JsonObject   *object,
                    const char   *member,
                    RdJsonFlags   flags,
                    const char  **out,
                    GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, member, flags, &node, &is_null, error))
    return FALSE;
  if (is_null)
    {
      *out = NULL;
      return TRUE;
    }
  if (node == NULL)
    return TRUE;
  if (!node_holds_value_type (node, G_TYPE_STRING))
    return wrong_type (member, "a string", error);

  *out = json_node_get_string (node);
  return TRUE;
}

/**
 * rd_json_dup_string:
 * @out: (out) (transfer full): replaced only when the member is present
 */
gboolean
rd_json_dup_string (JsonObject   *object,
                    const char   *member,
                    RdJsonFlags   flags,
                    char        **out,
                    GError      **error)
{
  const char *value = NULL;
  gboolean present;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!rd_json_get_string (object, member, flags, &value, error))
    return FALSE;

  present = json_object_get_member (object, member) != NULL;
  if (present)
    {
      g_free (*out);
      *out = g_strdup (value);
    }

  return TRUE;
}

gboolean
rd_json_get_int (JsonObject   *object,
                 const char   *member,
                 RdJsonFlags   flags,
                 gint64       *out,
                 GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, member, flags, &node, &is_null, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!node_holds_value_type (node, G_TYPE_INT64))
    return wrong_type (member, "an integer", error);

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
rd_json_get_double (JsonObject   *object,
                    const char   *member,
                    RdJsonFlags   flags,
                    double       *out,
                    GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, member, flags, &node, &is_null, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (node_holds_value_type (node, G_TYPE_INT64))
    *out = (double) json_node_get_int (node);
  else if (node_holds_value_type (node, G_TYPE_DOUBLE))
    *out = json_node_get_double (node);
  else
    return wrong_type (member, "a number", error);

  return TRUE;
}

gboolean
rd_json_get_boolean (JsonObject   *object,
                     const char   *member,
                     RdJsonFlags   flags,
                     gboolean     *out,
                     GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, member, flags, &node, &is_null, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!node_holds_value_type (node, G_TYPE_BOOLEAN))
    return wrong_type (member, "true or false", error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/**
 * rd_json_get_object:
 * @out: (out) (transfer none): the member object
 */
gboolean
rd_json_get_object (JsonObject   *object,
                    const char   *member,
                    RdJsonFlags   flags,
                    JsonObject  **out,
                    GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, member, flags, &node, &is_null, error))
    return FALSE;
  if (is_null)
    {
      *out = NULL;
      return TRUE;
    }
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, "an object", error);

  *out = json_node_get_object (node);
  return TRUE;
}

/**
 * rd_json_get_array:
 * @out: (out) (transfer none): the member array
 */
gboolean
rd_json_get_array (JsonObject   *object,
                   const char   *member,
                   RdJsonFlags   flags,
                   JsonArray   **out,
                   GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, member, flags, &node, &is_null, error))
    return FALSE;
  if (is_null)
    {
      *out = NULL;
      return TRUE;
    }
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (member, "an array", error);

  *out = json_node_get_array (node);
  return TRUE;
}

/**
 * rd_json_dup_strv:
 * @out: (out) (transfer full): a %NULL-terminated array; replaced only when present
 *
 * Every element must be a string.
 */
gboolean
rd_json_dup_strv (JsonObject   *object,
                  const char   *member,
                  RdJsonFlags   flags,
                  char       ***out,
                  GError      **error)
{
  JsonArray *array = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!rd_json_get_array (object, member, flags, &array, error))
    return FALSE;
  if (array == NULL)
    {
      if (json_object_get_member (object, member) != NULL)
        g_clear_pointer (out, g_strfreev);
      return TRUE;
    }

  builder = g_strv_builder_new ();
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_holds_value_type (element, G_TYPE_STRING))
        return wrong_type (member, "an array of strings", error);
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/**
 * rd_json_get_datetime:
 * @out: (out) (transfer full): replaced only when present; %NULL for JSON null
 *
 * The member must be an RFC 3339 string with a UTC offset.
 */
gboolean
rd_json_get_datetime (JsonObject   *object,
                      const char   *member,
                      RdJsonFlags   flags,
                      GDateTime   **out,
                      GError      **error)
{
  const char *text = NULL;
  g_autoptr(GDateTime) parsed = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!rd_json_get_string (object, member, flags, &text, error))
    return FALSE;
  if (json_object_get_member (object, member) == NULL)
    return TRUE;

  if (text != NULL)
    {
      parsed = rd_datetime_parse (text, NULL);
      if (parsed == NULL)
        return wrong_type (member, "an RFC 3339 time with offset", error);
    }

  g_clear_pointer (out, g_date_time_unref);
  *out = g_steal_pointer (&parsed);
  return TRUE;
}

gboolean
rd_json_array_get_object (JsonArray   *array,
                          guint        index,
                          JsonObject **out,
                          GError     **error)
{
  JsonNode *element;

  g_return_val_if_fail (array != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (index >= json_array_get_length (array))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Array has no element %u", index);
      return FALSE;
    }

  element = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Array element %u must be an object", index);
      return FALSE;
    }

  *out = json_node_get_object (element);
  return TRUE;
}

gboolean
rd_json_array_get_string (JsonArray   *array,
                          guint        index,
                          const char **out,
                          GError     **error)
{
  JsonNode *element;

  g_return_val_if_fail (array != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (index >= json_array_get_length (array))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Array has no element %u", index);
      return FALSE;
    }

  element = json_array_get_element (array, index);
  if (!node_holds_value_type (element, G_TYPE_STRING))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Array element %u must be a string", index);
      return FALSE;
    }

  *out = json_node_get_string (element);
  return TRUE;
}

/**
 * rd_json_check_members:
 * @allowed: %NULL-terminated list of accepted member names
 *
 * Fails with %RD_ERROR_INVALID_FIELD on the first member not in @allowed, so a
 * typo in a request is reported instead of silently ignored.
 */
gboolean
rd_json_check_members (JsonObject          *object,
                       const char * const  *allowed,
                       GError             **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (allowed != NULL, FALSE);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Unknown field “%s”", name);
          return FALSE;
        }
    }

  return TRUE;
}

char *
rd_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
rd_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (object != NULL, NULL);

  json_node_set_object (node, object);
  return rd_json_to_string (node, FALSE);
}

/* Adds "member": "value", or "member": null when @value is NULL. */
void
rd_json_builder_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * rd_json_builder_add_double:
 *
 * Adds a number so that the text json-glib 1.6 generates is valid JSON: its
 * generator appends ".0" to any "%.17g" form without a dot, which turns
 * 1e+20 into the invalid "1e+20.0". Integral values are written as integers,
 * others rounded to 6 decimals; NaN, infinities and magnitudes of 1e15 and
 * more (never meaningful in this API) are written as null.
 */
void
rd_json_builder_add_double (JsonBuilder *builder,
                            const char  *member,
                            double       value)
{
  json_builder_set_member_name (builder, member);

  if (isfinite (value) && fabs (value) < 1e15)
    value = round (value * 1e6) / 1e6;

  if (!isfinite (value) || fabs (value) >= 1e15)
    json_builder_add_null_value (builder);
  else if (value == floor (value))
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

void
rd_json_builder_add_datetime (JsonBuilder *builder,
                              const char  *member,
                              GDateTime   *value)
{
  g_autofree char *text = NULL;

  if (value != NULL)
    text = rd_datetime_format (value);
  rd_json_builder_add_string (builder, member, text);
}

void
rd_json_builder_add_strv (JsonBuilder        *builder,
                          const char         *member,
                          const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/**
 * rd_datetime_format:
 *
 * Returns: (transfer full): RFC 3339 with an explicit offset, e.g.
 *   `2026-11-22T14:05:00+01:00`; sub-second precision is dropped.
 */
char *
rd_datetime_format (GDateTime *datetime)
{
  GTimeSpan offset;
  gint64 minutes;

  g_return_val_if_fail (datetime != NULL, NULL);

  /* g_date_time_format()'s %Y does not pad years below 1000, which RFC 3339
   * needs; write the fields ourselves. */
  offset = g_date_time_get_utc_offset (datetime);
  minutes = ABS (offset) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                          g_date_time_get_year (datetime),
                          g_date_time_get_month (datetime),
                          g_date_time_get_day_of_month (datetime),
                          g_date_time_get_hour (datetime),
                          g_date_time_get_minute (datetime),
                          g_date_time_get_second (datetime),
                          offset < 0 ? '-' : '+',
                          (int) (minutes / 60),
                          (int) (minutes % 60));
}

/**
 * rd_datetime_parse:
 *
 * Parses RFC 3339 text; the offset (or `Z`) is required.
 *
 * Returns: (transfer full) (nullable): the time, or %NULL with @error set
 */
GDateTime *
rd_datetime_parse (const char  *text,
                   GError     **error)
{
  GDateTime *parsed = NULL;
  gsize len;

  if (text != NULL)
    {
      len = strlen (text);
      /* g_date_time_new_from_iso8601() also accepts ISO 8601 forms that are not
       * RFC 3339 (week dates, ordinal days); insist on the full date first. */
      if (len >= 20 && len <= 64 && text[4] == '-' && text[7] == '-' &&
          (text[10] == 'T' || text[10] == 't' || text[10] == ' '))
        parsed = g_date_time_new_from_iso8601 (text, NULL);
    }

  if (parsed == NULL)
    g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                 "“%.*s” is not an RFC 3339 time with offset", rd_utf8_prefix_length (text ? text : "", 64), text ? text : "");

  return parsed;
}
