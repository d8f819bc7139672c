/* rd-test-link.h: a scripted RdCtiLink for the call engine tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-cti-link.h"

G_BEGIN_DECLS

#define RD_TYPE_TEST_LINK (rd_test_link_get_type ())

G_DECLARE_FINAL_TYPE (RdTestLink, rd_test_link, RD, TEST_LINK, GObject)

RdTestLink *rd_test_link_new                (const char      *name);
void        rd_test_link_set_state          (RdTestLink      *self,
                                             RdCtiLinkState   state);
void        rd_test_link_set_refuse         (RdTestLink      *self,
                                             gboolean         refuse);
void        rd_test_link_emit               (RdTestLink      *self,
                                             RdCtiEvent      *event);
GPtrArray  *rd_test_link_get_deflections    (RdTestLink      *self);
GPtrArray  *rd_test_link_get_dials          (RdTestLink      *self);

/* for the call tests that use the link */
void        rd_test_wait_for                (const guint     *counter,
                                             guint            n);

typedef gboolean (*RdTestCondition) (gpointer data);

void        rd_test_wait_until              (RdTestCondition  condition,
                                             gpointer         data,
                                             guint            bound_sec,
                                             const char      *what);

G_END_DECLS
