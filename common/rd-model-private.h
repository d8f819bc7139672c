/* rd-model-private.h: helpers the model objects of common/ share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not part of rd-common.h: only the model sources include this.
 */

#pragma once

#include <math.h>

#include <glib-object.h>

#include "rd-error.h"
#include "rd-json.h"

G_BEGIN_DECLS

gboolean rd_json_get_enum (JsonObject   *object,
                           const char   *member,
                           RdJsonFlags   flags,
                           GType         enum_type,
                           int           none_value,
                           int          *out,
                           GError      **error);

/* Ids, numbers and names may be absent or null where API.md allows it, but
 * never the empty string. */
static inline gboolean
rd_check_not_empty (const char  *member,
                    const char  *value,
                    GError     **error)
{
  if (value != NULL && value[0] == '\0')
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “%s” must not be empty", member);
      return FALSE;
    }

  return TRUE;
}

/* Like rd_set_str() for a NULL-terminated string array; %NULL and an empty
 * array are the same value, and the field always holds an array afterwards. */
static inline gboolean
rd_set_strv (char               ***strv_pointer,
             const char * const   *new_strv)
{
  static const char * const empty[] = { NULL };

  if (new_strv == NULL)
    new_strv = empty;

  if (*strv_pointer != NULL &&
      g_strv_equal ((const char * const *) *strv_pointer, new_strv))
    return FALSE;

  g_strfreev (*strv_pointer);
  *strv_pointer = g_strdupv ((char **) new_strv);

  return TRUE;
}

/* Replaces a GDateTime field; equal instants count as unchanged. */
static inline gboolean
rd_set_datetime (GDateTime **datetime_pointer,
                 GDateTime  *new_datetime)
{
  if (*datetime_pointer == new_datetime)
    return FALSE;

  if (*datetime_pointer != NULL && new_datetime != NULL &&
      g_date_time_equal (*datetime_pointer, new_datetime))
    return FALSE;

  g_clear_pointer (datetime_pointer, g_date_time_unref);
  if (new_datetime != NULL)
    *datetime_pointer = g_date_time_ref (new_datetime);

  return TRUE;
}

/* NAN stands for “no figure” (JSON null) and equals itself here. */
static inline gboolean
rd_set_double (double *double_pointer,
               double  new_double)
{
  if (isnan (*double_pointer) && isnan (new_double))
    return FALSE;
  if (*double_pointer == new_double)
    return FALSE;

  *double_pointer = new_double;

  return TRUE;
}

G_END_DECLS
