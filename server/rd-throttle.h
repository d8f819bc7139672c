/* rd-throttle.h: sliding-window failure counting for sign-in throttling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_THROTTLE (rd_throttle_get_type ())

G_DECLARE_FINAL_TYPE (RdThrottle, rd_throttle, RD, THROTTLE, GObject)

/* The defaults of the [auth] login-* keys */
#define RD_THROTTLE_DEFAULT_MAX_FAILURES 5
#define RD_THROTTLE_DEFAULT_MAX_ADDRESS  20
#define RD_THROTTLE_DEFAULT_WINDOW       300
#define RD_THROTTLE_DEFAULT_MAX_ENTRIES  10000

RdThrottle *rd_throttle_new              (guint        max_failures,
                                          guint        window_seconds,
                                          guint        max_entries);
void        rd_throttle_set_limits       (RdThrottle  *self,
                                          guint        max_failures,
                                          guint        window_seconds);
guint       rd_throttle_get_max_failures (RdThrottle  *self);
gboolean    rd_throttle_check            (RdThrottle  *self,
                                          const char  *key,
                                          gint64       now_usec,
                                          guint       *retry_after);
void        rd_throttle_add_failure      (RdThrottle  *self,
                                          const char  *key,
                                          gint64       now_usec);
void        rd_throttle_forgive          (RdThrottle  *self,
                                          const char  *key);
void        rd_throttle_reset            (RdThrottle  *self,
                                          const char  *key);
guint       rd_throttle_get_n_entries    (RdThrottle  *self);

G_END_DECLS
