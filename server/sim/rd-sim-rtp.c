/* rd-sim-rtp.c: G.711 µ-law RTP audio for the simulated PBX's calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GStreamer pipeline per answered call:
 *
 *   audiotestsrc is-live ! audioconvert ! audioresample
 *     ! audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay ! udpsink
 *
 * sending PCMU (payload type 0, 20 ms packets as phones do) to one configured UDP host:port, as a
 * recording tap or media server of a real PBX would receive it. Each call
 * gets its own tone so the streams can be told apart. The pipelines are
 * built element by element: nothing user-supplied goes through a
 * gst_parse_launch() description.
 */

#define G_LOG_DOMAIN "RdSimRtp"

#include "config.h"

#include <gst/gst.h>

#include "rd-common.h"
#include "rd-sim-rtp.h"

typedef struct
{
  GstElement *pipeline;
  guint       bus_watch;
} Stream;

struct _RdSimRtp
{
  GObject     parent_instance;

  char       *host;
  guint16     port;
  GHashTable *streams;   /* call id → Stream */
};

G_DEFINE_FINAL_TYPE (RdSimRtp, rd_sim_rtp, G_TYPE_OBJECT)

static void
stream_free (Stream *stream)
{
  g_clear_handle_id (&stream->bus_watch, g_source_remove);
  gst_element_set_state (stream->pipeline, GST_STATE_NULL);
  gst_object_unref (stream->pipeline);
  g_free (stream);
}

static void
rd_sim_rtp_finalize (GObject *object)
{
  RdSimRtp *self = (RdSimRtp *)object;

  g_hash_table_unref (self->streams);
  g_free (self->host);

  G_OBJECT_CLASS (rd_sim_rtp_parent_class)->finalize (object);
}

static void
rd_sim_rtp_class_init (RdSimRtpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_sim_rtp_finalize;
}

static void
rd_sim_rtp_init (RdSimRtp *self)
{
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) stream_free);
}

/**
 * rd_sim_rtp_new:
 * @host: where the audio goes (an address or a host name)
 * @port: the UDP port there
 * @error: return location for an error
 *
 * Returns: (transfer full): an RTP sender, or %NULL when GStreamer cannot
 *   start or misses an element
 */
RdSimRtp *
rd_sim_rtp_new (const char  *host,
                guint16      port,
                GError     **error)
{
  static const char * const needed[] = {
    "audiotestsrc", "audioconvert", "audioresample", "capsfilter", "mulawenc", "rtppcmupay", "udpsink",
  };
  RdSimRtp *self;

  g_return_val_if_fail (host != NULL, NULL);

  if (*host == '\0' || port == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "RTP needs a host and a port above 0");
      return NULL;
    }
  if (!gst_init_check (NULL, NULL, error))
    {
      g_prefix_error (error, "Cannot start GStreamer for RTP: ");
      return NULL;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (needed[i]);

      if (factory == NULL)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE,
                       "The GStreamer element %s is missing (gstreamer1.0-plugins-base/-good)",
                       needed[i]);
          return NULL;
        }
    }

  self = g_object_new (RD_TYPE_SIM_RTP, NULL);
  self->host = g_strdup (host);
  self->port = port;

  return self;
}

typedef struct
{
  RdSimRtp *self;
  char     *call_id;
} WatchData;

static void
watch_data_free (WatchData *data)
{
  g_free (data->call_id);
  g_free (data);
}

static gboolean
rd_sim_rtp_bus_cb (GstBus     *bus,
                   GstMessage *message,
                   gpointer    user_data)
{
  WatchData *data = user_data;
  g_autoptr(GError) error = NULL;
  Stream *stream;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;

  gst_message_parse_error (message, &error, NULL);
  g_message ("RTP for call %s stopped: %s", data->call_id, error->message);

  /* the watch goes with the stream: do not let stream_free() remove it */
  stream = g_hash_table_lookup (data->self->streams, data->call_id);
  if (stream != NULL)
    {
      stream->bus_watch = 0;
      g_hash_table_remove (data->self->streams, data->call_id);
    }

  return G_SOURCE_REMOVE;
}

static GstElement *
make_element (GstElement  *bin,
              const char  *factory,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE,
                   "Cannot create the GStreamer element %s", factory);
      return NULL;
    }
  gst_bin_add (GST_BIN (bin), element);

  return element;
}

/**
 * rd_sim_rtp_start:
 * @self: an RTP sender
 * @call_id: the call the audio belongs to
 * @error: return location for an error
 *
 * Starts streaming audio for @call_id (nothing happens when it already
 * streams).
 *
 * Returns: %TRUE when the pipeline is playing
 */
gboolean
rd_sim_rtp_start (RdSimRtp    *self,
                  const char  *call_id,
                  GError     **error)
{
  static const char * const chain[] = {
    "audiotestsrc", "audioconvert", "audioresample", "capsfilter", "mulawenc", "rtppcmupay", "udpsink",
  };
  GstElement *elements[G_N_ELEMENTS (chain)];
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  WatchData *data;
  Stream *stream;

  g_return_val_if_fail (RD_IS_SIM_RTP (self), FALSE);
  g_return_val_if_fail (call_id != NULL, FALSE);

  if (g_hash_table_contains (self->streams, call_id))
    return TRUE;

  pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (chain); i++)
    {
      elements[i] = make_element (pipeline, chain[i], error);
      if (elements[i] == NULL)
        return FALSE;
      if (i > 0 && !gst_element_link (elements[i - 1], elements[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INTERNAL,
                       "Cannot link %s to %s", chain[i - 1], chain[i]);
          return FALSE;
        }
    }

  /* a different tone per call: 300 Hz to 650 Hz */
  g_object_set (elements[0],
                "is-live", TRUE,
                "samplesperbuffer", 160,
                "freq", 300.0 + 50.0 * (double) (g_str_hash (call_id) % 8),
                "volume", 0.3,
                NULL);
  caps = gst_caps_new_simple ("audio/x-raw",
                              "rate", G_TYPE_INT, 8000,
                              "channels", G_TYPE_INT, 1,
                              NULL);
  g_object_set (elements[3], "caps", caps, NULL);
  g_object_set (elements[6],
                "host", self->host,
                "port", (int) self->port,
                "async", FALSE,
                NULL);

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      g_set_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE,
                   "Cannot start RTP to %s:%u", self->host, self->port);
      return FALSE;
    }

  stream = g_new0 (Stream, 1);
  stream->pipeline = g_steal_pointer (&pipeline);
  data = g_new0 (WatchData, 1);
  data->self = self;
  data->call_id = g_strdup (call_id);
  bus = gst_element_get_bus (stream->pipeline);
  stream->bus_watch = gst_bus_add_watch_full (bus, G_PRIORITY_DEFAULT, rd_sim_rtp_bus_cb,
                                              data, (GDestroyNotify) watch_data_free);
  g_hash_table_insert (self->streams, g_strdup (call_id), stream);

  return TRUE;
}

/**
 * rd_sim_rtp_stop:
 * @self: an RTP sender
 * @call_id: a call
 *
 * Stops the audio of @call_id, if any.
 */
void
rd_sim_rtp_stop (RdSimRtp   *self,
                 const char *call_id)
{
  g_return_if_fail (RD_IS_SIM_RTP (self));
  g_return_if_fail (call_id != NULL);

  g_hash_table_remove (self->streams, call_id);
}

void
rd_sim_rtp_stop_all (RdSimRtp *self)
{
  g_return_if_fail (RD_IS_SIM_RTP (self));

  g_hash_table_remove_all (self->streams);
}

guint
rd_sim_rtp_get_n_streams (RdSimRtp *self)
{
  g_return_val_if_fail (RD_IS_SIM_RTP (self), 0);

  return g_hash_table_size (self->streams);
}

/**
 * rd_sim_rtp_handle_event:
 * @self: an RTP sender
 * @event: an event of the simulated PBX
 *
 * Audio starts when a call is answered and stops when the whole call is
 * cleared; connect it to #RdSimPbx::event.
 */
void
rd_sim_rtp_handle_event (RdSimRtp   *self,
                         RdCtiEvent *event)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RD_IS_SIM_RTP (self));
  g_return_if_fail (event != NULL);

  if (event->call_id == NULL)
    return;

  if (event->type == RD_CTI_EVENT_ANSWERED)
    {
      if (!rd_sim_rtp_start (self, event->call_id, &error))
        g_message ("No RTP for call %s: %s", event->call_id, error->message);
    }
  else if (event->type == RD_CTI_EVENT_CLEARED && event->extension == NULL)
    {
      rd_sim_rtp_stop (self, event->call_id);
    }
}
