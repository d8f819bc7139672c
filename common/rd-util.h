/* rd-util.h: small helpers GLib 2.74 lacks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static inline gboolean
rd_set_str (char       **str_pointer,
            const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str ||
      (*str_pointer != NULL && new_str != NULL && strcmp (*str_pointer, new_str) == 0))
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

/* The length in bytes of the longest prefix of @text that is at most
 * @max_bytes long and does not cut a UTF-8 character, for quoting untrusted
 * text in error messages: `"%.*s", rd_utf8_prefix_length (text, 32), text`. */
static inline int
rd_utf8_prefix_length (const char *text,
                       gsize       max_bytes)
{
  gsize length;

  if (text == NULL)
    return 0;

  length = strnlen (text, max_bytes + 1);
  if (length <= max_bytes)
    return (int) length;

  length = max_bytes;
  while (length > 0 && ((guchar) text[length] & 0xC0) == 0x80)
    length--;

  return (int) length;
}

G_END_DECLS
