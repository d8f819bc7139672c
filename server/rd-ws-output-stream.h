/* rd-ws-output-stream.h: counts the WebSocket data frames that reach the socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RD_TYPE_WS_OUTPUT_STREAM (rd_ws_output_stream_get_type ())

G_DECLARE_FINAL_TYPE (RdWsOutputStream, rd_ws_output_stream, RD, WS_OUTPUT_STREAM, GFilterOutputStream)

GOutputStream *rd_ws_output_stream_new              (GOutputStream    *base_stream);
guint64        rd_ws_output_stream_get_data_written (RdWsOutputStream *self);
guint64        rd_ws_output_stream_get_written      (RdWsOutputStream *self);
gsize          rd_ws_frame_size                     (gsize             payload_length);

G_END_DECLS
