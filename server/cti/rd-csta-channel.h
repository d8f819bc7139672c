/* rd-csta-channel.h: one framed CSTA connection (either end)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RdCstaChannel RdCstaChannel;

/* A whole PDU arrived. */
typedef void (*RdCstaChannelPduFunc)     (RdCstaChannel *channel,
                                          GBytes        *pdu,
                                          gpointer       user_data);
/* The peer closed (@error %NULL) or the stream broke; the channel is closed. */
typedef void (*RdCstaChannelClosedFunc)  (RdCstaChannel *channel,
                                          const GError  *error,
                                          gpointer       user_data);
/* The frame queued with @tag was written to the socket. */
typedef void (*RdCstaChannelWrittenFunc) (RdCstaChannel *channel,
                                          gpointer       tag,
                                          gpointer       user_data);

RdCstaChannel *rd_csta_channel_new         (GIOStream                *stream,
                                            gsize                     max_frame_size,
                                            RdCstaChannelPduFunc      on_pdu,
                                            RdCstaChannelClosedFunc   on_closed,
                                            gpointer                  user_data);
void           rd_csta_channel_set_written_func (RdCstaChannel       *self,
                                            RdCstaChannelWrittenFunc  on_written,
                                            GDestroyNotify            tag_destroy);
RdCstaChannel *rd_csta_channel_ref         (RdCstaChannel            *self);
void           rd_csta_channel_unref       (RdCstaChannel            *self);
void           rd_csta_channel_start       (RdCstaChannel            *self);
gboolean       rd_csta_channel_send        (RdCstaChannel            *self,
                                            GBytes                   *pdu,
                                            gpointer                  tag);
void           rd_csta_channel_send_frame  (RdCstaChannel            *self,
                                            GBytes                   *frame);
void           rd_csta_channel_close       (RdCstaChannel            *self);
gboolean       rd_csta_channel_is_closed   (RdCstaChannel            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCstaChannel, rd_csta_channel_unref)

G_END_DECLS
