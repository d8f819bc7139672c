/* rd-csta-channel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The socket side both ends of the CSTA wire share (RdCstaLink, RdSimCsta):
 * an asynchronous read loop through the 2-octet framer, and a queue of
 * outgoing frames written one at a time with write_all_async, so nothing
 * ever blocks the main loop. Callbacks stop the moment the channel is
 * closed, whoever closes it; pending I/O holds a reference and finishes
 * quietly.
 */

#define G_LOG_DOMAIN "RdCstaChannel"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "rd-csta-channel.h"
#include "rd-csta-frame.h"

#define READ_SIZE 4096

struct _RdCstaChannel
{
  GIOStream                *stream;
  GCancellable             *cancellable;
  RdCstaFramer             *framer;
  GQueue                    out;        /* Frame */
  gboolean                  writing;
  gboolean                  closed;
  RdCstaChannelPduFunc      on_pdu;
  RdCstaChannelClosedFunc   on_closed;
  RdCstaChannelWrittenFunc  on_written;
  GDestroyNotify            tag_destroy;
  gpointer                  user_data;
};

typedef struct
{
  GBytes   *frame;
  gpointer  tag;
} Frame;

static void read_next (RdCstaChannel *self);
static void flush     (RdCstaChannel *self);

static void
frame_free (RdCstaChannel *self,
            Frame         *frame)
{
  g_bytes_unref (frame->frame);
  if (frame->tag != NULL && self->tag_destroy != NULL)
    self->tag_destroy (frame->tag);
  g_free (frame);
}

static void
channel_free (RdCstaChannel *self)
{
  Frame *frame;

  while ((frame = g_queue_pop_head (&self->out)) != NULL)
    frame_free (self, frame);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  rd_csta_framer_free (self->framer);
}

/**
 * rd_csta_channel_new:
 * @stream: a connected socket stream
 * @max_frame_size: the largest PDU accepted (0 for the protocol maximum)
 * @on_pdu: called for each PDU received
 * @on_closed: called once when the peer closes or the stream breaks
 * @user_data: for the callbacks; must outlive the channel or its close
 *
 * Returns: (transfer full): a channel; call rd_csta_channel_start() to read
 */
RdCstaChannel *
rd_csta_channel_new (GIOStream               *stream,
                     gsize                    max_frame_size,
                     RdCstaChannelPduFunc     on_pdu,
                     RdCstaChannelClosedFunc  on_closed,
                     gpointer                 user_data)
{
  RdCstaChannel *self = g_rc_box_new0 (RdCstaChannel);

  /* Small request/answer PDUs: without TCP_NODELAY, Nagle and delayed ACKs
   * hold some of them back by tens of milliseconds. */
  if (G_IS_TCP_CONNECTION (stream))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)),
                         IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  self->stream = g_object_ref (stream);
  self->cancellable = g_cancellable_new ();
  self->framer = rd_csta_framer_new (max_frame_size);
  g_queue_init (&self->out);
  self->on_pdu = on_pdu;
  self->on_closed = on_closed;
  self->user_data = user_data;
  return self;
}

/* @on_written is called with the tag of each frame sent with one. */
void
rd_csta_channel_set_written_func (RdCstaChannel            *self,
                                  RdCstaChannelWrittenFunc  on_written,
                                  GDestroyNotify            tag_destroy)
{
  self->on_written = on_written;
  self->tag_destroy = tag_destroy;
}

RdCstaChannel *
rd_csta_channel_ref (RdCstaChannel *self)
{
  return g_rc_box_acquire (self);
}

void
rd_csta_channel_unref (RdCstaChannel *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) channel_free);
}

gboolean
rd_csta_channel_is_closed (RdCstaChannel *self)
{
  return self->closed;
}

/* Closes the socket; no callback runs after this. Safe to call twice. */
void
rd_csta_channel_close (RdCstaChannel *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  /* Closing a socket stream does not block. */
  g_io_stream_close (self->stream, NULL, NULL);
}

static void
fail (RdCstaChannel *self,
      const GError  *error)
{
  if (self->closed)
    return;
  rd_csta_channel_close (self);
  self->on_closed (self, error, self->user_data);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RdCstaChannel) self = user_data;
  g_autoptr(GError) error = NULL;
  Frame *frame;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      fail (self, error);
      return;
    }

  self->writing = FALSE;
  frame = g_queue_pop_head (&self->out);
  if (frame != NULL && frame->tag != NULL && self->on_written != NULL && !self->closed)
    self->on_written (self, frame->tag, self->user_data);
  if (frame != NULL)
    frame_free (self, frame);
  flush (self);
}

static void
flush (RdCstaChannel *self)
{
  Frame *frame;

  if (self->writing || self->closed)
    return;
  frame = g_queue_peek_head (&self->out);
  if (frame == NULL)
    return;

  self->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   g_bytes_get_data (frame->frame, NULL),
                                   g_bytes_get_size (frame->frame),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   on_written, rd_csta_channel_ref (self));
}

/* Queues an already framed chunk of bytes (the simulator's garbage fault). */
void
rd_csta_channel_send_frame (RdCstaChannel *self,
                            GBytes        *bytes)
{
  Frame *frame;

  if (self->closed)
    return;
  frame = g_new0 (Frame, 1);
  frame->frame = g_bytes_ref (bytes);
  g_queue_push_tail (&self->out, frame);
  flush (self);
}

/**
 * rd_csta_channel_send:
 * @self: a channel
 * @pdu: a BER PDU
 * @tag: (transfer full) (nullable): handed to the written func once sent
 *
 * Returns: %FALSE if the channel is closed or @pdu too large for a frame
 *   (@tag is then destroyed)
 */
gboolean
rd_csta_channel_send (RdCstaChannel *self,
                      GBytes        *pdu,
                      gpointer       tag)
{
  g_autoptr(GError) error = NULL;
  Frame *frame;
  GBytes *wrapped = NULL;

  if (!self->closed)
    wrapped = rd_csta_frame_wrap (pdu, &error);
  if (wrapped == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot frame a CSTA PDU: %s", error->message);
      if (tag != NULL && self->tag_destroy != NULL)
        self->tag_destroy (tag);
      return FALSE;
    }
  frame = g_new0 (Frame, 1);
  frame->frame = wrapped;
  frame->tag = tag;
  g_queue_push_tail (&self->out, frame);
  flush (self);
  return TRUE;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RdCstaChannel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (self->closed)
    return;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      fail (self, error);
      return;
    }

  rd_csta_framer_push (self->framer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  while (!self->closed)
    {
      g_autoptr(GBytes) pdu = rd_csta_framer_pop (self->framer, &error);

      if (pdu == NULL)
        {
          if (error != NULL)
            fail (self, error);
          break;
        }
      self->on_pdu (self, pdu, self->user_data);
    }

  read_next (self);
}

static void
read_next (RdCstaChannel *self)
{
  if (self->closed)
    return;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (self->stream), READ_SIZE,
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   on_read, rd_csta_channel_ref (self));
}

void
rd_csta_channel_start (RdCstaChannel *self)
{
  read_next (self);
}
