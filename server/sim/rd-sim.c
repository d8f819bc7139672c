/* rd-sim.c: the PBX simulator: one PBX and the responders of its wires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RdSim owns the PBX model and one responder per wire, and wires them:
 * whatever happens in the PBX (RdSimPbx::event) goes to the CSTA responder,
 * the SMDR responder, the ExtText folder (when set), the generic CTI webhook
 * (when set) and the RTP sender (when set); CSTA clients' commands (make-call, deflect-call, snapshot-device)
 * go to the PBX. The faults act on the responders.
 */

#define G_LOG_DOMAIN "RdSim"

#include "config.h"

#include <string.h>

#include "rd-common.h"
#include "rd-sim.h"

#define RELISTEN_RETRY_MSEC 500

struct _RdSim
{
  GObject       parent_instance;

  RdSimPbx     *pbx;
  RdSimCsta    *csta;
  RdSimSmdr    *smdr;
  RdSimExtText *ext_text;
  RdSimWebhook *webhook;
  RdSimRtp     *rtp;

  char         *host;
  guint16       csta_port;
  guint16       smdr_port;
  gboolean      listening;
  guint         restart_id;
};

enum {
  PROP_0,
  PROP_LISTENING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RdSim, rd_sim, G_TYPE_OBJECT)

static void
on_pbx_event (RdSimPbx   *pbx,
              RdCtiEvent *event,
              RdSim      *self)
{
  rd_sim_csta_send_event (self->csta, event);
  rd_sim_smdr_send_event (self->smdr, event);
  if (self->ext_text != NULL)
    rd_sim_ext_text_send_event (self->ext_text, event);
  if (self->webhook != NULL)
    rd_sim_webhook_send_event (self->webhook, event);
  if (self->rtp != NULL)
    rd_sim_rtp_handle_event (self->rtp, event);
}

static char *
on_make_call (RdSimCsta  *csta,
              const char *from_extension,
              const char *to,
              RdSim      *self)
{
  g_autoptr(GError) error = NULL;
  char *call_id = rd_sim_pbx_make_call (self->pbx, from_extension, to, &error);

  if (call_id == NULL)
    g_message ("MakeCall %s → %s refused: %s", from_extension, to, error->message);

  return call_id;
}

static gboolean
on_deflect_call (RdSimCsta  *csta,
                 const char *call_id,
                 const char *from_extension,
                 const char *to_extension,
                 RdSim      *self)
{
  g_autoptr(GError) error = NULL;

  if (!rd_sim_pbx_deflect (self->pbx, call_id, from_extension, to_extension, &error))
    {
      g_message ("DeflectCall %s %s → %s refused: %s", call_id, from_extension, to_extension,
                 error->message);
      return FALSE;
    }

  return TRUE;
}

static GStrv
on_snapshot_device (RdSimCsta  *csta,
                    const char *extension,
                    RdSim      *self)
{
  return rd_sim_pbx_snapshot (self->pbx, extension);
}

static void
rd_sim_dispose (GObject *object)
{
  RdSim *self = (RdSim *)object;

  g_clear_handle_id (&self->restart_id, g_source_remove);
  if (self->pbx != NULL)
    g_signal_handlers_disconnect_by_data (self->pbx, self);
  if (self->csta != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->csta, self);
      rd_sim_csta_close (self->csta);
    }
  if (self->smdr != NULL)
    rd_sim_smdr_close (self->smdr);
  g_clear_object (&self->pbx);
  g_clear_object (&self->csta);
  g_clear_object (&self->smdr);
  g_clear_object (&self->ext_text);
  g_clear_object (&self->webhook);
  g_clear_object (&self->rtp);

  G_OBJECT_CLASS (rd_sim_parent_class)->dispose (object);
}

static void
rd_sim_finalize (GObject *object)
{
  RdSim *self = (RdSim *)object;

  g_free (self->host);

  G_OBJECT_CLASS (rd_sim_parent_class)->finalize (object);
}

static void
rd_sim_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  RdSim *self = RD_SIM (object);

  switch (prop_id)
    {
    case PROP_LISTENING:
      g_value_set_boolean (value, self->listening);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_sim_class_init (RdSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_sim_dispose;
  object_class->finalize = rd_sim_finalize;
  object_class->get_property = rd_sim_get_property;

  /**
   * RdSim:listening:
   *
   * Whether the responders accept connections (FALSE during a restart).
   */
  properties[PROP_LISTENING] =
    g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_sim_sync_devices (RdSim *self)
{
  rd_sim_csta_set_devices (self->csta, rd_sim_pbx_get_stations (self->pbx),
                           rd_sim_pbx_get_trunks (self->pbx));
}

static void
rd_sim_init (RdSim *self)
{
  self->pbx = rd_sim_pbx_new ();
  self->csta = rd_sim_csta_new ();
  self->smdr = rd_sim_smdr_new ();

  /* a simulator runs in real time unless told otherwise */
  rd_sim_pbx_set_time_scale (self->pbx, 1.0);
  rd_sim_sync_devices (self);

  g_signal_connect (self->pbx, "event", G_CALLBACK (on_pbx_event), self);
  g_signal_connect (self->csta, "make-call", G_CALLBACK (on_make_call), self);
  g_signal_connect (self->csta, "deflect-call", G_CALLBACK (on_deflect_call), self);
  g_signal_connect (self->csta, "snapshot-device", G_CALLBACK (on_snapshot_device), self);
}

/**
 * rd_sim_new:
 *
 * Returns: (transfer full): a simulator with the default PBX (stations
 *   201–210, trunks 01–04) in real time, not listening yet
 */
RdSim *
rd_sim_new (void)
{
  return g_object_new (RD_TYPE_SIM, NULL);
}

RdSimPbx *
rd_sim_get_pbx (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), NULL);

  return self->pbx;
}

RdSimCsta *
rd_sim_get_csta (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), NULL);

  return self->csta;
}

RdSimSmdr *
rd_sim_get_smdr (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), NULL);

  return self->smdr;
}

/**
 * rd_sim_set_devices:
 * @self: a simulator
 * @stations: (nullable): the PBX's extensions, %NULL to keep them
 * @trunks: (nullable): its trunks (CO lines), %NULL to keep them
 *
 * Sets what the PBX has, and what CSTA device discovery reports.
 */
void
rd_sim_set_devices (RdSim              *self,
                    const char * const *stations,
                    const char * const *trunks)
{
  g_return_if_fail (RD_IS_SIM (self));

  if (stations != NULL)
    rd_sim_pbx_set_stations (self->pbx, stations);
  if (trunks != NULL)
    rd_sim_pbx_set_trunks (self->pbx, trunks);
  rd_sim_sync_devices (self);
}

/**
 * rd_sim_set_ext_text:
 * @self: a simulator
 * @folder: (nullable): where to write the Call Monitor ExtText files, or
 *   %NULL for none
 */
void
rd_sim_set_ext_text (RdSim *self,
                     GFile *folder)
{
  g_return_if_fail (RD_IS_SIM (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  g_clear_object (&self->ext_text);
  if (folder != NULL)
    self->ext_text = rd_sim_ext_text_new (folder);
}

/**
 * rd_sim_set_webhook:
 * @self: a simulator
 * @url: (nullable): where to POST the Zammad generic CTI events
 *   (`…/api/v1/cti/generic/{secret}`), or %NULL for none
 */
void
rd_sim_set_webhook (RdSim      *self,
                    const char *url)
{
  g_return_if_fail (RD_IS_SIM (self));

  if (self->webhook != NULL)
    rd_sim_webhook_close (self->webhook);
  g_clear_object (&self->webhook);
  if (url != NULL)
    self->webhook = rd_sim_webhook_new (url);
}

/**
 * rd_sim_get_webhook:
 *
 * Returns: (transfer none) (nullable): the webhook sender, when set
 */
RdSimWebhook *
rd_sim_get_webhook (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), NULL);

  return self->webhook;
}

/**
 * rd_sim_set_rtp:
 * @self: a simulator
 * @host: (nullable): where answered calls send their audio, %NULL for no
 *   audio (the default)
 * @port: the UDP port there
 * @error: return location for an error
 *
 * Returns: %TRUE when RTP is set up (or switched off)
 */
gboolean
rd_sim_set_rtp (RdSim       *self,
                const char  *host,
                guint16      port,
                GError     **error)
{
  g_return_val_if_fail (RD_IS_SIM (self), FALSE);

  g_clear_object (&self->rtp);
  if (host == NULL)
    return TRUE;

  self->rtp = rd_sim_rtp_new (host, port, error);
  return self->rtp != NULL;
}

RdSimRtp *
rd_sim_get_rtp (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), NULL);

  return self->rtp;
}

static void
rd_sim_set_listening (RdSim    *self,
                      gboolean  listening)
{
  if (self->listening == listening)
    return;

  self->listening = listening;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
}

static gboolean
rd_sim_listen_on (RdSim       *self,
                  guint16      csta_port,
                  guint16      smdr_port,
                  GError     **error)
{
  if (!rd_sim_csta_listen (self->csta, self->host, csta_port, error))
    {
      g_prefix_error (error, "CSTA on %s port %u: ", self->host, csta_port);
      return FALSE;
    }
  if (!rd_sim_smdr_listen (self->smdr, self->host, smdr_port, error))
    {
      g_prefix_error (error, "SMDR on %s port %u: ", self->host, smdr_port);
      rd_sim_csta_close (self->csta);
      return FALSE;
    }

  self->csta_port = rd_sim_csta_get_port (self->csta);
  self->smdr_port = rd_sim_smdr_get_port (self->smdr);
  rd_sim_set_listening (self, TRUE);

  return TRUE;
}

/**
 * rd_sim_listen:
 * @self: a simulator
 * @host: the address to listen on
 * @csta_port: the CSTA port (0 for an ephemeral one)
 * @smdr_port: the SMDR port (0 for an ephemeral one)
 * @error: return location for an error
 *
 * Returns: %TRUE when both responders listen
 */
gboolean
rd_sim_listen (RdSim       *self,
               const char  *host,
               guint16      csta_port,
               guint16      smdr_port,
               GError     **error)
{
  g_return_val_if_fail (RD_IS_SIM (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  rd_set_str (&self->host, host);
  return rd_sim_listen_on (self, csta_port, smdr_port, error);
}

guint16
rd_sim_get_csta_port (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), 0);

  return self->csta_port;
}

guint16
rd_sim_get_smdr_port (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), 0);

  return self->smdr_port;
}

gboolean
rd_sim_get_listening (RdSim *self)
{
  g_return_val_if_fail (RD_IS_SIM (self), FALSE);

  return self->listening;
}

/**
 * rd_sim_close:
 * @self: a simulator
 *
 * Stops listening and drops every client and the webhook's POSTs still
 * queued; a pending restart is cancelled.
 */
void
rd_sim_close (RdSim *self)
{
  g_return_if_fail (RD_IS_SIM (self));

  g_clear_handle_id (&self->restart_id, g_source_remove);
  rd_sim_csta_close (self->csta);
  rd_sim_smdr_close (self->smdr);
  if (self->webhook != NULL)
    rd_sim_webhook_close (self->webhook);
  if (self->rtp != NULL)
    rd_sim_rtp_stop_all (self->rtp);
  rd_sim_set_listening (self, FALSE);
}

gboolean
rd_sim_run_scenario (RdSim          *self,
                     RdSimScenario  *scenario,
                     GError        **error)
{
  g_return_val_if_fail (RD_IS_SIM (self), FALSE);

  return rd_sim_scenario_run (scenario, self->pbx, error);
}

/**
 * rd_sim_start_load:
 *
 * See rd_sim_pbx_start_load(); the new stations and trunks are announced to
 * CSTA clients that discover devices afterwards.
 */
gboolean
rd_sim_start_load (RdSim       *self,
                   double       calls_per_second,
                   const char  *first_extension,
                   const char  *last_extension,
                   guint        seconds,
                   guint32      seed,
                   GError     **error)
{
  g_return_val_if_fail (RD_IS_SIM (self), FALSE);

  if (!rd_sim_pbx_start_load (self->pbx, calls_per_second, first_extension, last_extension,
                              seconds, seed, error))
    return FALSE;
  rd_sim_sync_devices (self);

  return TRUE;
}

/**
 * rd_sim_start_demo:
 * @self: a simulator
 * @agent_extension: the extension of the person trying Ringdesk out
 *
 * A steady trickle of realistic calls over the stations (answered, missed,
 * abandoned, transferred, outgoing), the first one ringing @agent_extension
 * within about 5 s and one in four after that (about one a minute or more).
 */
void
rd_sim_start_demo (RdSim      *self,
                   const char *agent_extension)
{
  g_return_if_fail (RD_IS_SIM (self));
  g_return_if_fail (agent_extension != NULL);

  rd_sim_pbx_start_demo (self->pbx, agent_extension, (guint32) g_get_real_time ());
  rd_sim_sync_devices (self);
}

/**
 * rd_sim_drop_links:
 * @self: a simulator
 *
 * Fault: closes every client connection (CSTA and SMDR); the responders
 * keep listening, so clients can reconnect.
 */
void
rd_sim_drop_links (RdSim *self)
{
  g_return_if_fail (RD_IS_SIM (self));

  rd_sim_csta_drop_clients (self->csta);
  rd_sim_smdr_drop_clients (self->smdr);
}

/**
 * rd_sim_set_keepalives_enabled:
 * @self: a simulator
 * @enabled: FALSE to stop sending (and answering) CSTA keepalives
 *
 * Fault: a PBX that hangs without closing the connection.
 */
void
rd_sim_set_keepalives_enabled (RdSim    *self,
                               gboolean  enabled)
{
  g_return_if_fail (RD_IS_SIM (self));

  rd_sim_csta_set_keepalives_enabled (self->csta, enabled);
}

/**
 * rd_sim_send_garbage:
 * @self: a simulator
 *
 * Fault: one malformed frame to every CSTA client and a malformed line to
 * every SMDR client.
 */
void
rd_sim_send_garbage (RdSim *self)
{
  g_return_if_fail (RD_IS_SIM (self));

  rd_sim_csta_send_garbage (self->csta);
  rd_sim_smdr_send_garbage (self->smdr);
}

static gboolean
rd_sim_relisten_cb (gpointer user_data)
{
  RdSim *self = user_data;
  g_autoptr(GError) error = NULL;

  self->restart_id = 0;
  if (!rd_sim_listen_on (self, self->csta_port, self->smdr_port, &error))
    {
      /* the old sockets may linger a moment: try again */
      g_message ("Restart: cannot listen again yet (%s); retrying", error->message);
      self->restart_id = g_timeout_add (RELISTEN_RETRY_MSEC, rd_sim_relisten_cb, self);
    }
  else
    {
      g_message ("Restart: listening again on CSTA port %u, SMDR port %u",
                 self->csta_port, self->smdr_port);
    }

  return G_SOURCE_REMOVE;
}

/**
 * rd_sim_restart:
 * @self: a listening simulator
 * @msec: how long the PBX is away (wall-clock milliseconds)
 *
 * Fault: the PBX reboots. Both responders close (clients are dropped and
 * connections refused), then listen again on the same ports after @msec.
 * Calls in the PBX model go on; RdSim:listening tells when it is back.
 */
void
rd_sim_restart (RdSim *self,
                guint  msec)
{
  g_return_if_fail (RD_IS_SIM (self));

  if (self->host == NULL)
    return;

  g_clear_handle_id (&self->restart_id, g_source_remove);
  rd_sim_csta_close (self->csta);
  rd_sim_smdr_close (self->smdr);
  rd_sim_set_listening (self, FALSE);
  self->restart_id = g_timeout_add (msec, rd_sim_relisten_cb, self);
}

#define MAX_DEVICES 10000

static gboolean
is_digits (const char *text)
{
  if (*text == '\0' || strlen (text) > 8)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/**
 * rd_sim_parse_device_list:
 * @text: extensions or trunks and ranges, such as `201-210,301` or `01-04`
 * @error: return location for an error
 *
 * A range keeps the width of its first number (`01-04` gives 01 … 04).
 *
 * Returns: (transfer full): the devices in order, or %NULL
 */
GStrv
rd_sim_parse_device_list (const char  *text,
                          GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  items = g_strsplit (text, ",", -1);
  if (items[0] == NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "The list of devices is empty");
      return NULL;
    }
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) bounds = g_strsplit (g_strstrip (items[i]), "-", 3);
      guint64 first;
      guint64 last;

      if (bounds[0] == NULL || !is_digits (bounds[0]) ||
          (bounds[1] != NULL && (!is_digits (bounds[1]) || bounds[2] != NULL)))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "“%s” is not a number or a range like 201-210", items[i]);
          return NULL;
        }
      first = g_ascii_strtoull (bounds[0], NULL, 10);
      last = bounds[1] != NULL ? g_ascii_strtoull (bounds[1], NULL, 10) : first;
      if (last < first || last - first >= MAX_DEVICES || n + (last - first) >= MAX_DEVICES)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "“%s” is not a range from low to high of at most %u devices",
                       items[i], MAX_DEVICES);
          return NULL;
        }

      for (guint64 number = first; number <= last; number++, n++)
        {
          g_autofree char *name = g_strdup_printf ("%0*" G_GUINT64_FORMAT,
                                                   (int) strlen (bounds[0]), number);

          g_strv_builder_add (builder, name);
        }
    }

  return g_strv_builder_end (builder);
}
