/* test-sim-rtp.c: answered calls send PCMU RTP, received by a real udpsrc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/gst.h>

#include "rd-common.h"
#include "rd-sim-pbx.h"
#include "rd-sim-rtp.h"

typedef struct
{
  guint  packets;
  guint  bad;
  GMutex lock;
} Received;

/* runs on the receiver's streaming thread */
static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    user_data)
{
  Received *received = user_data;
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&received->lock);
  /* RTP version 2, payload type 0 (PCMU), 20 ms of 8 kHz µ-law */
  if (map.size == 12 + 160 && (map.data[0] >> 6) == 2 && (map.data[1] & 0x7f) == 0)
    received->packets++;
  else
    received->bad++;
  g_mutex_unlock (&received->lock);
  gst_buffer_unmap (buffer, &map);

  /* let the test's main loop look at the count */
  g_main_context_wakeup (NULL);
}

static guint
received_packets (Received *received)
{
  guint n;

  g_mutex_lock (&received->lock);
  n = received->packets;
  g_mutex_unlock (&received->lock);

  return n;
}

static void
on_pbx_event (RdSimPbx   *pbx,
              RdCtiEvent *event,
              gpointer    user_data)
{
  rd_sim_rtp_handle_event (user_data, event);
}

static gboolean
on_give_up (gpointer user_data)
{
  gboolean *gave_up = user_data;

  *gave_up = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_packets (Received *received,
                  guint     n)
{
  gboolean gave_up = FALSE;
  guint guard = g_timeout_add_seconds (30, on_give_up, &gave_up);

  /* a guard against hanging forever, not a timing assertion */
  while (received_packets (received) < n && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  if (!gave_up)
    g_source_remove (guard);
  if (gave_up)
    g_printerr ("received %u good, %u bad\n", received->packets, received->bad);
  g_assert_false (gave_up);
}

static void
test_rtp_answered_call (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GstElement) receiver = NULL;
  g_autoptr(RdSimRtp) rtp = NULL;
  g_autoptr(RdSimPbx) pbx = rd_sim_pbx_new ();
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  GstElement *src;
  GstElement *sink;
  Received received = { 0 };
  guint16 port;

  g_mutex_init (&received.lock);

  /* the receiver: a real udpsrc on a socket bound to an ephemeral port */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  rtp = rd_sim_rtp_new ("127.0.0.1", port, &error);
  g_assert_no_error (error);

  receiver = gst_object_ref_sink (gst_pipeline_new ("receiver"));
  src = gst_element_factory_make ("udpsrc", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  g_assert_nonnull (src);
  g_assert_nonnull (sink);
  g_object_set (src, "socket", socket, "close-socket", FALSE, NULL);
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &received);
  gst_bin_add_many (GST_BIN (receiver), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  g_assert_cmpint (gst_element_set_state (receiver, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);

  g_signal_connect (pbx, "event", G_CALLBACK (on_pbx_event), rtp);

  /* ringing: no audio yet */
  id = rd_sim_pbx_incoming (pbx, "0612345678", NULL, NULL, "201", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rtp), ==, 0);

  /* answered: one stream */
  g_assert_true (rd_sim_pbx_answer (pbx, id, NULL));
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rtp), ==, 1);
  wait_for_packets (&received, 25);

  /* a second answered call has its own stream; held calls keep theirs */
  id2 = rd_sim_pbx_internal (pbx, "202", "203", &error);
  g_assert_true (rd_sim_pbx_answer (pbx, id2, NULL));
  g_assert_true (rd_sim_pbx_hold (pbx, id, NULL));
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rtp), ==, 2);

  /* hung up: its stream stops */
  g_assert_true (rd_sim_pbx_hangup (pbx, id, NULL));
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rtp), ==, 1);
  g_assert_true (rd_sim_pbx_hangup (pbx, id2, NULL));
  g_assert_cmpuint (rd_sim_rtp_get_n_streams (rtp), ==, 0);

  gst_element_set_state (receiver, GST_STATE_NULL);
  g_assert_cmpuint (received.bad, ==, 0);
  g_mutex_clear (&received.lock);
}

static void
test_rtp_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdSimRtp) rtp = NULL;

  rtp = rd_sim_rtp_new ("127.0.0.1", 0, &error);
  g_assert_null (rtp);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  rtp = rd_sim_rtp_new ("", 5004, &error);
  g_assert_null (rtp);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/sim/rtp/answered-call", test_rtp_answered_call);
  g_test_add_func ("/sim/rtp/invalid", test_rtp_invalid);

  return g_test_run ();
}
