/* fuzz-exttext.c: the Call Monitor ExtText content parser on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"
#include "rd-ext-text-link.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *name = NULL;
  g_autofree char *extension = NULL;
  RdExtTextKind kind;

  fuzz_set_up ();

  kind = rd_ext_text_parse ((const char *) data, size, &number, &error);
  if (error != NULL)
    {
      g_assert (g_error_matches (error, RD_ERROR, RD_ERROR_INVALID_DATA));
      g_assert (kind == RD_EXT_TEXT_EMPTY && number == NULL);
    }
  else if (kind == RD_EXT_TEXT_EMPTY)
    {
      g_assert (number == NULL);
    }
  else
    {
      /* a number of dialable characters only */
      g_assert (number != NULL && number[0] != '\0');
      for (const char *p = number; *p != '\0'; p++)
        g_assert (g_ascii_isdigit (*p) || *p == '*' || *p == '#' || (*p == '+' && p == number));
    }

  /* the same bytes as a file name */
  name = g_strndup ((const char *) data, MIN (size, 64));
  extension = rd_ext_text_extension_from_name (name);
  if (extension != NULL)
    {
      g_assert (extension[0] != '\0');
      for (const char *p = extension; *p != '\0'; p++)
        g_assert (g_ascii_isalnum (*p));
    }

  return 0;
}
