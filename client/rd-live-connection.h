/* rd-live-connection.h: the WebSocket of the server's live events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-connection.h"

G_BEGIN_DECLS

/**
 * RdLiveState:
 * @RD_LIVE_STATE_OFFLINE: not connected; see #RdLiveConnection:reason
 * @RD_LIVE_STATE_CONNECTING: opening the WebSocket
 * @RD_LIVE_STATE_CONNECTED: subscribed, events arrive
 */
typedef enum
{
  RD_LIVE_STATE_OFFLINE,
  RD_LIVE_STATE_CONNECTING,
  RD_LIVE_STATE_CONNECTED,
} RdLiveState;

#define RD_TYPE_LIVE_STATE (rd_live_state_get_type ())
GType rd_live_state_get_type (void) G_GNUC_CONST;

#define RD_TYPE_LIVE_CONNECTION (rd_live_connection_get_type ())

G_DECLARE_FINAL_TYPE (RdLiveConnection, rd_live_connection, RD, LIVE_CONNECTION, GObject)

RdLiveConnection *rd_live_connection_new           (void);
RdConnection     *rd_live_connection_get_connection (RdLiveConnection *self);
void              rd_live_connection_set_connection (RdLiveConnection *self,
                                                     RdConnection     *connection);
const char       *rd_live_connection_get_extension  (RdLiveConnection *self);
void              rd_live_connection_set_extension  (RdLiveConnection *self,
                                                     const char       *extension);
RdLiveState       rd_live_connection_get_state      (RdLiveConnection *self);
const char       *rd_live_connection_get_reason     (RdLiveConnection *self);
guint             rd_live_connection_get_retry_delay (RdLiveConnection *self);
void              rd_live_connection_reconnect      (RdLiveConnection *self);

G_END_DECLS
