/* rd-daemon.h: owns the config, the store and the HTTP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-auth.h"
#include "rd-config.h"
#include "rd-server.h"
#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TYPE_DAEMON (rd_daemon_get_type ())

G_DECLARE_FINAL_TYPE (RdDaemon, rd_daemon, RD, DAEMON, GObject)

RdDaemon *rd_daemon_new        (RdConfig  *config);
gboolean  rd_daemon_open_store (RdDaemon  *self,
                                GError   **error);
gboolean  rd_daemon_start      (RdDaemon  *self,
                                GError   **error);
void      rd_daemon_stop       (RdDaemon  *self);
int       rd_daemon_run        (RdDaemon  *self);
char     *rd_daemon_get_uri    (RdDaemon  *self);
RdConfig *rd_daemon_get_config (RdDaemon  *self);
RdStore  *rd_daemon_get_store  (RdDaemon  *self);
RdAuth   *rd_daemon_get_auth   (RdDaemon  *self);
RdServer *rd_daemon_get_server (RdDaemon  *self);
RdCallEngine *rd_daemon_get_call_engine (RdDaemon *self);

G_END_DECLS
