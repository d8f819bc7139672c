/* rd-ws-output-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup 3.2 keeps the frames a SoupWebsocketConnection could not write yet
 * in its own queue and offers no way to ask how much is waiting. This filter
 * sits between the connection and the socket and follows the server → client
 * frame stream (server frames are never masked, and the hub negotiates no
 * extension): it counts the bytes of data frames (text, binary, continuation;
 * header included) that the socket took. What the hub queued minus what went
 * out is what libsoup still holds for that client. Control frames (pings,
 * pongs, close) are written too but not counted, so the figure is exact.
 *
 * It is pollable when the base stream is, as SoupWebsocketConnection needs.
 */

#define G_LOG_DOMAIN "RdWsOutputStream"

#include "config.h"

#include "rd-ws-output-stream.h"

#define MAX_HEADER 14

struct _RdWsOutputStream
{
  GFilterOutputStream parent_instance;

  guint64 written;          /* every byte */
  guint64 data_written;     /* bytes of data frames */

  /* the frame being written */
  guint8  header[MAX_HEADER];
  guint   header_len;       /* bytes of it seen */
  guint   header_need;      /* its full length, once known (else 2) */
  guint64 payload_left;     /* payload bytes still to come */
  gboolean is_data;
};

static void rd_ws_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdWsOutputStream, rd_ws_output_stream, G_TYPE_FILTER_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      rd_ws_output_stream_pollable_iface_init))

/**
 * rd_ws_frame_size:
 *
 * Returns: the bytes an unmasked server frame with @payload_length bytes of
 *   payload takes on the wire
 */
gsize
rd_ws_frame_size (gsize payload_length)
{
  if (payload_length < 126)
    return 2 + payload_length;
  if (payload_length < 65536)
    return 4 + payload_length;
  return 10 + payload_length;
}

/* Header bytes after the first two, known from the second. */
static guint
header_length (guint8 second)
{
  guint len = 2;
  guint len7 = second & 0x7f;

  if (len7 == 126)
    len += 2;
  else if (len7 == 127)
    len += 8;
  if (second & 0x80)
    len += 4;

  return len;
}

static guint64
payload_length (const guint8 *header)
{
  guint len7 = header[1] & 0x7f;
  guint64 len = 0;

  if (len7 < 126)
    return len7;
  if (len7 == 126)
    return ((guint64) header[2] << 8) | header[3];
  for (guint i = 2; i < 10; i++)
    len = (len << 8) | header[i];

  return len;
}

/* Follows @count bytes that the base stream took. */
static void
account (RdWsOutputStream *self,
         const guint8     *data,
         gsize             count)
{
  self->written += count;

  while (count > 0)
    {
      if (self->payload_left > 0)
        {
          gsize n = (gsize) MIN ((guint64) count, self->payload_left);

          if (self->is_data)
            self->data_written += n;
          self->payload_left -= n;
          data += n;
          count -= n;
          continue;
        }

      /* a header byte */
      if (self->header_len == 0)
        {
          self->is_data = (data[0] & 0x08) == 0;
          self->header_need = 2;
        }
      self->header[self->header_len++] = data[0];
      if (self->is_data)
        self->data_written++;
      data++;
      count--;

      if (self->header_len == 2)
        self->header_need = header_length (self->header[1]);
      if (self->header_len == self->header_need)
        {
          self->payload_left = payload_length (self->header);
          self->header_len = 0;
        }
    }
}

static GOutputStream *
get_base (RdWsOutputStream *self)
{
  return g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));
}

static gssize
rd_ws_output_stream_write (GOutputStream  *stream,
                           const void     *buffer,
                           gsize           count,
                           GCancellable   *cancellable,
                           GError        **error)
{
  RdWsOutputStream *self = RD_WS_OUTPUT_STREAM (stream);
  gssize n;

  n = g_output_stream_write (get_base (self), buffer, count, cancellable, error);
  if (n > 0)
    account (self, buffer, (gsize) n);

  return n;
}

static gboolean
rd_ws_output_stream_can_poll (GPollableOutputStream *stream)
{
  GOutputStream *base = get_base (RD_WS_OUTPUT_STREAM (stream));

  return G_IS_POLLABLE_OUTPUT_STREAM (base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static gboolean
rd_ws_output_stream_is_writable (GPollableOutputStream *stream)
{
  GOutputStream *base = get_base (RD_WS_OUTPUT_STREAM (stream));

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (base));
}

static gssize
rd_ws_output_stream_write_nonblocking (GPollableOutputStream  *stream,
                                       const void             *buffer,
                                       gsize                   count,
                                       GError                **error)
{
  RdWsOutputStream *self = RD_WS_OUTPUT_STREAM (stream);
  gssize n;

  n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (get_base (self)),
                                                  buffer, count, NULL, error);
  if (n > 0)
    account (self, buffer, (gsize) n);

  return n;
}

static GSource *
rd_ws_output_stream_create_source (GPollableOutputStream *stream,
                                   GCancellable          *cancellable)
{
  GOutputStream *base = get_base (RD_WS_OUTPUT_STREAM (stream));

  /* readiness is the base's; the callback gets the base stream, which
   * SoupWebsocketConnection does not look at */
  return g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (base), cancellable);
}

/**
 * rd_ws_output_stream_get_data_written:
 *
 * Returns: the bytes of data frames, headers included, the base stream took
 */
guint64
rd_ws_output_stream_get_data_written (RdWsOutputStream *self)
{
  g_return_val_if_fail (RD_IS_WS_OUTPUT_STREAM (self), 0);

  return self->data_written;
}

/**
 * rd_ws_output_stream_get_written:
 *
 * Returns: every byte the base stream took
 */
guint64
rd_ws_output_stream_get_written (RdWsOutputStream *self)
{
  g_return_val_if_fail (RD_IS_WS_OUTPUT_STREAM (self), 0);

  return self->written;
}

static void
rd_ws_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = rd_ws_output_stream_can_poll;
  iface->is_writable = rd_ws_output_stream_is_writable;
  iface->create_source = rd_ws_output_stream_create_source;
  iface->write_nonblocking = rd_ws_output_stream_write_nonblocking;
}

static void
rd_ws_output_stream_class_init (RdWsOutputStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = rd_ws_output_stream_write;
}

static void
rd_ws_output_stream_init (RdWsOutputStream *self)
{
  self->header_need = 2;
}

/**
 * rd_ws_output_stream_new:
 * @base_stream: a pollable output stream; closed with this one
 */
GOutputStream *
rd_ws_output_stream_new (GOutputStream *base_stream)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (base_stream), NULL);

  return g_object_new (RD_TYPE_WS_OUTPUT_STREAM,
                       "base-stream", base_stream,
                       "close-base-stream", TRUE,
                       NULL);
}
