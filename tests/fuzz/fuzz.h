/* fuzz.h: shared set-up for the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target defines LLVMFuzzerTestOneInput(). Under clang it is linked with
 * libFuzzer; otherwise fuzz-driver.c replays the corpus (and seeded mutations
 * of it) through the same entry point, so every build runs the targets.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int  LLVMFuzzerTestOneInput (const guint8 *data,
                             size_t        size);

static inline GLogWriterOutput
fuzz_silent_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  /* criticals abort, and are what we are looking for; warnings about bad
   * input (an unknown config key, say) are expected and muted */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/* Call at the start of every input; cheap after the first time. */
static inline void
fuzz_set_up (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  g_setenv ("G_DEBUG", "fatal-criticals", TRUE);
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (fuzz_silent_writer, NULL, NULL);
}

G_END_DECLS
