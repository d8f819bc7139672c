/* rd-test-live.h: the live path for the end-to-end tests: a simulated PBX,
 * an in-process daemon linked to it, and WebSocket clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-sim.h"
#include "rd-test-http.h"

G_BEGIN_DECLS

#define RD_TEST_LIVE_PASSWORD  "secretpass1"
#define RD_TEST_LIVE_BOUND_SEC 20

/* a message as it comes, with g_get_monotonic_time() at its arrival */
typedef void (*RdTestWsFunc) (JsonObject *message,
                              gint64      arrived_usec,
                              gpointer    user_data);

typedef struct
{
  SoupWebsocketConnection *conn;
  RdTestWsFunc             func;       /* when set, messages go here, not to @messages */
  gpointer                 func_data;
  GPtrArray               *messages;   /* JsonObject* */
  gboolean                 closed;
  gboolean                 subscribed;
} RdTestWs;

typedef gboolean (*RdTestCondition) (gpointer user_data);

typedef struct
{
  const char *username;
  const char *role;
  const char *extension;
} RdTestLiveUser;

#define RD_TEST_LIVE_N_USERS 7

extern const RdTestLiveUser rd_test_live_users[RD_TEST_LIVE_N_USERS];

gboolean  rd_test_live_wait        (RdTestCondition   condition,
                                    gpointer          user_data,
                                    guint             bound_sec);
RdTestWs *rd_test_ws_connect       (SoupSession      *session,
                                    const char       *base,
                                    const char       *token,
                                    const char       *extension);
void      rd_test_live_stop        (RdDaemon        **daemon,
                                    RdSim           **sim,
                                    RdConfig        **config,
                                    char            **dir);
void      rd_test_ws_wait_subscribed (GPtrArray      *clients);
const char *rd_test_json_string    (JsonObject       *object,
                                    const char       *member);
JsonObject *rd_test_json_object    (JsonObject       *object,
                                    const char       *member);
JsonArray *rd_test_json_array      (JsonObject       *object,
                                    const char       *member);
void      rd_test_ws_free          (RdTestWs         *ws);
JsonObject *rd_test_ws_find        (RdTestWs         *ws,
                                    const char       *type,
                                    const char       *call_id);
guint     rd_test_ws_count         (RdTestWs         *ws,
                                    const char       *type,
                                    const char       *call_id);
void      rd_test_ws_wait_for      (RdTestWs         *ws,
                                    const char       *type,
                                    const char       *call_id);

char     *rd_test_live_request     (SoupSession      *session,
                                    const char       *base,
                                    const char       *method,
                                    const char       *path,
                                    const char       *token,
                                    const char       *json,
                                    guint             status);
JsonObject *rd_test_live_get_object (SoupSession     *session,
                                    const char       *base,
                                    const char       *token,
                                    const char       *path);
RdSim    *rd_test_live_new_sim     (const char       *ext_text);
void      rd_test_live_add_users   (RdStore          *store,
                                    const char       *password_hash);
GStrv     rd_test_live_hop_log     (SoupSession      *session,
                                    const char       *base,
                                    const char       *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdTestWs, rd_test_ws_free)

G_END_DECLS
