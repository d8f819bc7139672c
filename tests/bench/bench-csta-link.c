/* bench-csta-link.c: how fast the CSTA link turns the PBX's frames into events,
 * and how soon it is back after the PBX restarts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures, each with the baseline measured in the same
 * run and their ratio.
 *
 *   event latency   rd_sim_csta_send_event() → the link's "event", one event
 *                   at a time over TCP on 127.0.0.1; baseline: a frame of the
 *                   same size sent through RdCstaChannel to a bare channel on
 *                   the other end (sockets, framing and main loop, no CSTA).
 *   reconnect       the simulator listens again on its port → the link is
 *                   CONNECTED again (backoff, connect, login, discovery,
 *                   monitors, CDR); baseline: the first connect of a fresh
 *                   link to a running simulator. The goal is under 2 s.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "rd-common.h"
#include "rd-csta-channel.h"
#include "rd-csta-event.h"
#include "rd-csta-link.h"
#include "rd-csta-rose.h"
#include "rd-sim-csta.h"

#define N_EVENTS   2000
#define N_RESTARTS 10

static const char * const stations[] = { "201", "202", "203", "204", "205", "206", "207", "208", NULL };
static const char * const trunks[] = { "1", "2", NULL };

static gboolean flag;
static gint64 stamp;

static void
spin_until_flag (void)
{
  while (!flag)
    g_main_context_iteration (NULL, TRUE);
  flag = FALSE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  gint64 p50, p99, max;
} Figures;

static Figures
summarise (GArray *samples)
{
  Figures f;

  g_array_sort (samples, compare_int64);
  f.p50 = g_array_index (samples, gint64, samples->len / 2);
  f.p99 = g_array_index (samples, gint64, samples->len * 99 / 100);
  f.max = g_array_index (samples, gint64, samples->len - 1);
  return f;
}

static void
print_ratio (const char    *what,
             const char    *unit,
             const Figures *measured,
             const Figures *baseline)
{
  printf ("%-22s p50 %6" G_GINT64_FORMAT " %s  p99 %6" G_GINT64_FORMAT " %s  max %7" G_GINT64_FORMAT " %s\n",
          what, measured->p50, unit, measured->p99, unit, measured->max, unit);
  printf ("%-22s p50 %6" G_GINT64_FORMAT " %s  p99 %6" G_GINT64_FORMAT " %s  max %7" G_GINT64_FORMAT " %s\n",
          "  baseline", baseline->p50, unit, baseline->p99, unit, baseline->max, unit);
  printf ("%-22s p50 x%.2f  p99 x%.2f\n", "  ratio",
          (double) measured->p50 / MAX (baseline->p50, 1), (double) measured->p99 / MAX (baseline->p99, 1));
}

/* ---- baseline: bare channels ------------------------------------------------ */

static void
on_bare_pdu (RdCstaChannel *channel,
             GBytes        *pdu,
             gpointer       user_data)
{
  stamp = g_get_monotonic_time ();
  flag = TRUE;
}

static void
on_bare_closed (RdCstaChannel *channel,
                const GError  *error,
                gpointer       user_data)
{
}

static RdCstaChannel *accepted;

static gboolean
on_bare_incoming (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source_object,
                  gpointer           user_data)
{
  accepted = rd_csta_channel_new (G_IO_STREAM (connection), 0, on_bare_pdu, on_bare_closed, NULL);
  rd_csta_channel_start (accepted);
  flag = TRUE;
  return TRUE;
}

static GArray *
measure_bare (GBytes *pdu)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(RdCstaChannel) sender = NULL;
  g_autoptr(GError) error = NULL;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_bare_incoming), NULL);
  g_socket_service_start (service);

  /* Blocking connect is fine here: the kernel completes it on loopback. */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  spin_until_flag ();
  sender = rd_csta_channel_new (G_IO_STREAM (connection), 0, on_bare_pdu, on_bare_closed, NULL);
  rd_csta_channel_start (sender);

  for (guint i = 0; i < N_EVENTS; i++)
    {
      gint64 start = g_get_monotonic_time ();

      rd_csta_channel_send (sender, pdu, NULL);
      spin_until_flag ();
      g_array_append_val (samples, (gint64) { stamp - start });
    }

  rd_csta_channel_close (sender);
  rd_csta_channel_close (accepted);
  g_clear_pointer (&accepted, rd_csta_channel_unref);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  return samples;
}

/* ---- the link ------------------------------------------------------------------- */

static void
on_link_event (RdCtiLink  *link,
               RdCtiEvent *event,
               gpointer    user_data)
{
  stamp = g_get_monotonic_time ();
  flag = TRUE;
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  if (rd_cti_link_get_state (RD_CTI_LINK (object)) == RD_CTI_LINK_STATE_CONNECTED)
    {
      stamp = g_get_monotonic_time ();
      flag = TRUE;
    }
}

static gboolean
on_reboot_done (gpointer user_data)
{
  flag = TRUE;
  return G_SOURCE_REMOVE;
}

static RdCtiEvent *
ringing (guint n)
{
  RdCtiEvent *event = rd_cti_event_new (RD_CTI_EVENT_RINGING, "sim");

  /* One call rung at each station in turn: the link keeps one live call. */
  event->call_id = g_strdup ("1000");
  event->extension = g_strdup (stations[n % (G_N_ELEMENTS (stations) - 1)]);
  event->calling = g_strdup ("0612345678");
  event->called = g_strdup ("0301234567");
  event->ddi = g_strdup ("0301234567");
  event->trunk = g_strdup ("1");
  return event;
}

/* The event report the simulator writes for ringing(0), to size the baseline's frame. */
static GBytes *
sample_pdu (void)
{
  g_autoptr(RdCstaEvent) csta = rd_csta_event_new (RD_CSTA_EVENT_DELIVERED);
  g_autoptr(GBytes) argument = NULL;
  static const guint8 cross_ref[] = { 0, 0, 0, 1 };

  csta->cross_ref = g_bytes_new_static (cross_ref, sizeof cross_ref);
  csta->connection.call_id = g_strdup ("03e8");
  rd_csta_device_set_dialing (&csta->connection.device, "201");
  rd_csta_device_set_dialing (&csta->device, "201");
  rd_csta_device_set_dialing (&csta->calling, "0612345678");
  rd_csta_device_set_dialing (&csta->called, "0301234567");
  rd_csta_device_set_dialing (&csta->associated_calling, "1");
  rd_csta_device_set_dialing (&csta->priv.ddi, "0301234567");
  csta->last_redirection.kind = RD_CSTA_DEVICE_NOT_KNOWN;
  csta->cause = 22;
  argument = rd_csta_event_encode (csta);
  return rd_csta_rose_encode_invoke (1, RD_CSTA_OP_EVENT_REPORT, argument);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RdSimCsta) sim = rd_sim_csta_new ();
  g_autoptr(RdCstaLink) link = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare = NULL;
  g_autoptr(GArray) connects = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) restarts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GBytes) pdu = sample_pdu ();
  Figures measured, baseline;
  guint16 port;

  rd_sim_csta_set_devices (sim, stations, trunks);
  rd_sim_csta_set_keepalive_interval (sim, 1000);
  if (!rd_sim_csta_listen (sim, "127.0.0.1", 0, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  port = rd_sim_csta_get_port (sim);

  /* Baseline of the reconnect: fresh links connecting to a running PBX. */
  for (guint i = 0; i < N_RESTARTS; i++)
    {
      g_autoptr(RdCstaLink) fresh = rd_csta_link_new ("127.0.0.1", port);
      gint64 start;

      g_signal_connect (fresh, "notify::state", G_CALLBACK (on_state), NULL);
      start = g_get_monotonic_time ();
      rd_cti_link_start (RD_CTI_LINK (fresh));
      spin_until_flag ();
      g_array_append_val (connects, (gint64) { (stamp - start) / 1000 });
      rd_cti_link_stop (RD_CTI_LINK (fresh));
    }

  link = rd_csta_link_new ("127.0.0.1", port);
  g_signal_connect (link, "event", G_CALLBACK (on_link_event), NULL);
  g_signal_connect (link, "notify::state", G_CALLBACK (on_state), NULL);
  rd_cti_link_start (RD_CTI_LINK (link));
  spin_until_flag ();

  for (guint i = 0; i < N_EVENTS; i++)
    {
      g_autoptr(RdCtiEvent) event = ringing (i);
      gint64 start = g_get_monotonic_time ();

      rd_sim_csta_send_event (sim, event);
      spin_until_flag ();
      g_array_append_val (latency, (gint64) { stamp - start });
    }

  /* The PBX restarts: it is gone until it listens again on the same port. */
  for (guint i = 0; i < N_RESTARTS; i++)
    {
      gint64 start;

      rd_sim_csta_close (sim);
      while (rd_cti_link_get_state (RD_CTI_LINK (link)) == RD_CTI_LINK_STATE_CONNECTED)
        g_main_context_iteration (NULL, TRUE);
      /* Let the backoff grow to its maximum, as while a real PBX reboots. */
      g_timeout_add (1500, on_reboot_done, NULL);
      spin_until_flag ();
      start = g_get_monotonic_time ();
      if (!rd_sim_csta_listen (sim, "127.0.0.1", port, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      spin_until_flag ();
      g_array_append_val (restarts, (gint64) { (stamp - start) / 1000 });
    }

  bare = measure_bare (pdu);

  printf ("CSTA link, %u events, %" G_GSIZE_FORMAT "-octet event reports, %u stations\n",
          N_EVENTS, g_bytes_get_size (pdu) + 2, g_strv_length ((GStrv) stations));
  measured = summarise (latency);
  baseline = summarise (bare);
  print_ratio ("event latency", "us", &measured, &baseline);
  measured = summarise (restarts);
  baseline = summarise (connects);
  print_ratio ("reconnect after restart", "ms", &measured, &baseline);
  printf ("%-22s %s (max %" G_GINT64_FORMAT " ms, goal 2000 ms)\n", "  within 2 s",
          measured.max < 2000 ? "yes" : "NO", measured.max);

  rd_cti_link_stop (RD_CTI_LINK (link));
  rd_sim_csta_close (sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return EXIT_SUCCESS;
}
