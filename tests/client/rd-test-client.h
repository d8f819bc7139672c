/* rd-test-client.h: helpers for the client tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define RD_TEST_USERNAME  "agent1"
#define RD_TEST_PASSWORD  "correct horse battery"
#define RD_TEST_EXTENSION "201"
/* a supervisor, with the same password, for what agents may not do */
#define RD_TEST_SUPERVISOR "super1"
/* an admin with the same password and no extension */
#define RD_TEST_ADMIN     "admin1"

typedef struct _RdTestServer RdTestServer;
typedef struct _RdTestSim RdTestSim;

typedef gboolean (*RdTestCondition) (gpointer data);

/* One canned reply of a fake server: @body with @status for @path */
typedef struct
{
  const char *path;
  guint       status;
  const char *content_type;
  const char *body;
} RdTestReply;

void          rd_test_init_keyring      (void);
RdTestServer *rd_test_server_new        (GError          **error);
RdTestServer *rd_test_server_new_with_config (const char  *config_text,
                                             GError     **error);
const char   *rd_test_server_get_url    (RdTestServer     *self);
void          rd_test_server_free       (RdTestServer     *self);
void          rd_test_server_stop       (RdTestServer     *self);
gboolean      rd_test_server_start      (RdTestServer     *self,
                                         GError          **error);
void          rd_test_remove_tree       (const char       *path);
char         *rd_test_unreachable_url   (void);
void          rd_test_spin_until        (RdTestCondition   condition,
                                         gpointer          data,
                                         const char       *what);
void          rd_test_wait_result       (GAsyncResult    **result);
SoupServer   *rd_test_fake_server_new   (const RdTestReply *replies,
                                         gsize             n_replies);
char         *rd_test_fake_server_url   (SoupServer       *soup_server,
                                         const char       *prefix);

RdTestSim    *rd_test_sim_new           (GError          **error);
guint         rd_test_sim_get_csta_port (RdTestSim        *self);
char         *rd_test_sim_command       (RdTestSim        *self,
                                         const char       *command);
RdTestServer *rd_test_server_new_for_sim (RdTestSim        *sim,
                                          GError          **error);
void          rd_test_sim_free          (RdTestSim        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdTestServer, rd_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdTestSim, rd_test_sim_free)

G_END_DECLS
