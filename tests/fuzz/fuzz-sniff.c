/* fuzz-sniff.c: the evidence sniffer on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rd-sniff.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  /* an exact-size copy, so that a sanitizer sees any read past the end */
  g_autofree guint8 *copy = g_memdup2 (data, size);
  const char *type;
  const char *head_type;

  fuzz_set_up ();

  type = rd_sniff_content_type (copy, size);

  /* the answer is one of the accepted types or none */
  g_assert (type == NULL || rd_sniff_type_is_allowed (type));

  /* and depends on the head only: the upload decides from that much */
  head_type = rd_sniff_content_type (copy, MIN (size, RD_SNIFF_HEAD_SIZE));
  g_assert (g_strcmp0 (type, head_type) == 0);

  /* every shorter prefix is either unknown or the same type */
  for (gsize n = 0; n < MIN (size, RD_SNIFF_HEAD_SIZE); n++)
    {
      const char *prefix_type = rd_sniff_content_type (copy, n);

      g_assert (prefix_type == NULL || g_strcmp0 (prefix_type, type) == 0);
    }

  return 0;
}
