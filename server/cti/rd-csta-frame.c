/* rd-csta-frame.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Panasonic CSTA puts a 2-octet big-endian length before every BER PDU, the
 * header not counted (protocol notes §2.2). The framer is fed whatever the
 * socket returns, in any chunking, and hands out whole PDUs. A zero length or
 * one above the limit means the stream is out of step: there is no way to
 * find the next frame, so the framer fails for good and the link must
 * reconnect (rd_csta_framer_reset()).
 */

#define G_LOG_DOMAIN "RdCstaFramer"

#include "config.h"

#include <string.h>

#include "rd-csta-frame.h"
#include "rd-error.h"

struct _RdCstaFramer
{
  GByteArray *buffer;
  gsize       consumed;
  gsize       max_frame_size;
  GError     *failure;
};

/**
 * rd_csta_framer_new:
 * @max_frame_size: the largest PDU accepted, at most %RD_CSTA_FRAME_MAX_SIZE;
 *   0 for that maximum
 */
RdCstaFramer *
rd_csta_framer_new (gsize max_frame_size)
{
  RdCstaFramer *self = g_new0 (RdCstaFramer, 1);

  if (max_frame_size == 0 || max_frame_size > RD_CSTA_FRAME_MAX_SIZE)
    max_frame_size = RD_CSTA_FRAME_MAX_SIZE;
  self->buffer = g_byte_array_new ();
  self->max_frame_size = max_frame_size;
  return self;
}

void
rd_csta_framer_free (RdCstaFramer *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->buffer);
  g_clear_error (&self->failure);
  g_free (self);
}

/* Call rd_csta_framer_pop() until it returns NULL after each push. */
void
rd_csta_framer_push (RdCstaFramer *self,
                     const guint8 *data,
                     gsize         size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || size == 0);

  if (self->failure != NULL || size == 0)
    return;

  if (self->consumed > 0 && self->consumed * 2 >= self->buffer->len)
    {
      g_byte_array_remove_range (self->buffer, 0, self->consumed);
      self->consumed = 0;
    }
  g_byte_array_append (self->buffer, data, size);
}

/**
 * rd_csta_framer_pop:
 *
 * Returns: (transfer full) (nullable): the next whole PDU; %NULL without an
 *   error when more input is needed, %NULL with an error when the stream is
 *   broken (and from then on)
 */
GBytes *
rd_csta_framer_pop (RdCstaFramer  *self,
                    GError       **error)
{
  const guint8 *p;
  gsize available;
  gsize length;
  GBytes *frame;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      return NULL;
    }

  available = self->buffer->len - self->consumed;
  if (available < 2)
    return NULL;

  p = self->buffer->data + self->consumed;
  length = (gsize) p[0] << 8 | p[1];
  if (length == 0 || length > self->max_frame_size)
    {
      self->failure = g_error_new (RD_ERROR, RD_ERROR_INVALID_DATA,
                                   length == 0 ? "CSTA: empty frame at stream offset %" G_GSIZE_FORMAT
                                               : "CSTA: frame length above the limit at stream offset %"
                                                 G_GSIZE_FORMAT, self->consumed);
      if (length != 0)
        g_prefix_error (&self->failure, "%" G_GSIZE_FORMAT " octets: ", length);
      g_propagate_error (error, g_error_copy (self->failure));
      return NULL;
    }
  if (available - 2 < length)
    return NULL;

  frame = g_bytes_new (p + 2, length);
  self->consumed += 2 + length;
  if (self->consumed == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->consumed = 0;
    }
  return frame;
}

/* Octets received but not yet handed out. */
gsize
rd_csta_framer_get_pending (RdCstaFramer *self)
{
  return self->buffer->len - self->consumed;
}

void
rd_csta_framer_reset (RdCstaFramer *self)
{
  g_byte_array_set_size (self->buffer, 0);
  self->consumed = 0;
  g_clear_error (&self->failure);
}

/**
 * rd_csta_frame_wrap:
 *
 * Returns: (transfer full): the length header followed by @pdu
 */
GBytes *
rd_csta_frame_wrap (GBytes  *pdu,
                    GError **error)
{
  gsize size = g_bytes_get_size (pdu);
  guint8 *out;

  if (size == 0 || size > RD_CSTA_FRAME_MAX_SIZE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_TOO_LARGE,
                   "CSTA: a PDU of %" G_GSIZE_FORMAT " octets cannot be framed", size);
      return NULL;
    }

  out = g_malloc (size + 2);
  out[0] = (guint8) (size >> 8);
  out[1] = (guint8) (size & 0xff);
  memcpy (out + 2, g_bytes_get_data (pdu, NULL), size);
  return g_bytes_new_take (out, size + 2);
}
