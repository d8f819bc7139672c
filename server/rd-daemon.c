/* rd-daemon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon: opens the store in the data directory, builds auth and the HTTP
 * server on top, listens, and on SIGTERM or SIGINT stops listening and closes
 * the database cleanly.
 *
 * It also wires the live side together: the CTI links named in [cti] links
 * (or, for --demo and the "sim" link, the PBX simulator run in-process and a
 * CSTA link to it over loopback TCP) feed the call engine; the engine's
 * events and the ticket store's assignments go to the WebSocket event hub;
 * the engine matches callers through the customer store.
 */

#define G_LOG_DOMAIN "RdDaemon"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "rd-api.h"
#include "rd-csta-link.h"
#include "rd-daemon.h"
#include "rd-event-hub.h"
#include "rd-evidence-store.h"
#include "rd-ext-text-link.h"
#include "rd-generic-link.h"
#include "rd-handlers.h"
#include "rd-metrics.h"
#include "rd-sim.h"
#include "rd-smdr-link.h"

/* the demo agent's extension (rd-demo.c) gets a call within seconds */
#define DEMO_AGENT_EXTENSION "201"

struct _RdDaemon
{
  GObject    parent_instance;

  RdConfig  *config;
  RdStore   *store;
  RdAuth    *auth;
  RdMetrics *metrics;
  RdServer  *server;
  RdCallEngine *call_engine;
  RdEventHub *hub;
  GPtrArray  *links;
  RdSim      *sim;
  GMainLoop *loop;
};

G_DEFINE_FINAL_TYPE (RdDaemon, rd_daemon, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * rd_daemon_open_store:
 *
 * Creates the data directory (0700) and opens the store in it; enough for
 * the command-line tools such as add-user.
 */
gboolean
rd_daemon_open_store (RdDaemon  *self,
                      GError   **error)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *filename = NULL;

  g_return_val_if_fail (RD_IS_DAEMON (self), FALSE);

  if (self->store != NULL && rd_store_is_open (self->store))
    return TRUE;

  if (!rd_config_ensure_data_dir (self->config, error))
    return FALSE;

  data_dir = rd_config_get_data_dir (self->config);
  filename = g_build_filename (data_dir, RD_STORE_FILENAME, NULL);

  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  self->store = rd_store_new (filename);
  if (!rd_store_open (self->store, error))
    return FALSE;
  rd_store_set_ticket_number_start (self->store,
                                    rd_config_get_int (self->config, "numbering", "start"));

  self->auth = rd_auth_new (self->store, rd_config_get_token_lifetime (self->config));
  return TRUE;
}

static void
engine_event_cb (RdCallEngine *engine,
                 RdEvent      *event,
                 GStrv         extensions,
                 RdDaemon     *self)
{
  if (self->hub != NULL)
    rd_event_hub_publish (self->hub, event, (const char * const *) extensions);
}

/* ticket.assigned goes to the assignee's extension (and to "*") */
static void
ticket_assigned_cb (RdTicketStore *tickets,
                    RdTicket      *ticket,
                    const char    *username,
                    RdDaemon      *self)
{
  g_autoptr(RdEvent) event = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *extensions[2] = { NULL, NULL };

  if (self->hub == NULL)
    return;

  user = rd_store_get_user (self->store, username, NULL);
  if (user != NULL)
    extensions[0] = rd_user_get_extension (user);

  event = rd_event_new (RD_EVENT_TICKET_ASSIGNED);
  rd_event_set_at (event, now);
  rd_event_set_extension (event, extensions[0]);
  rd_event_set_ticket (event, ticket);
  rd_event_hub_publish (self->hub, event, extensions);
}

/* The simulator on loopback ports, and a CSTA link to it: the real wire. */
static RdCtiLink *
start_simulator (RdDaemon  *self,
                 GError   **error)
{
  self->sim = rd_sim_new ();
  if (!rd_sim_listen (self->sim, "127.0.0.1", 0, 0, error))
    {
      g_prefix_error (error, "The PBX simulator could not start: ");
      g_clear_object (&self->sim);
      return NULL;
    }
  rd_sim_start_demo (self->sim, DEMO_AGENT_EXTENSION);
  g_message ("PBX simulator: CSTA on 127.0.0.1:%u, SMDR on 127.0.0.1:%u",
             rd_sim_get_csta_port (self->sim), rd_sim_get_smdr_port (self->sim));

  return RD_CTI_LINK (rd_csta_link_new ("127.0.0.1", rd_sim_get_csta_port (self->sim)));
}

static gboolean
start_links (RdDaemon  *self,
             GError   **error)
{
  g_auto(GStrv) names = NULL;

  if (rd_config_get_demo (self->config))
    names = g_strsplit ("sim", ";", -1);
  else
    names = rd_config_get_strv (self->config, "cti", "links");

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(RdCtiLink) link = NULL;

      if (g_str_equal (names[i], "csta"))
        link = RD_CTI_LINK (rd_csta_link_new_from_config (self->config));
      else if (g_str_equal (names[i], "smdr"))
        link = RD_CTI_LINK (rd_smdr_link_new_from_config (self->config));
      else if (g_str_equal (names[i], "exttext"))
        link = RD_CTI_LINK (rd_ext_text_link_new_from_config (self->config));
      else if (g_str_equal (names[i], "generic"))
        {
          link = RD_CTI_LINK (rd_generic_link_new_from_config (self->config));
          rd_generic_link_register (RD_GENERIC_LINK (link), self->server);
        }
      else if (g_str_equal (names[i], "sim"))
        {
          if (self->sim != NULL)
            continue;
          if ((link = start_simulator (self, error)) == NULL)
            return FALSE;
        }
      else
        {
          /* rd_config_validate() refuses unknown names; be safe anyway */
          g_warning ("Unknown CTI link “%s” in [cti] links, ignored", names[i]);
          continue;
        }

      g_ptr_array_add (self->links, g_object_ref (link));
      rd_server_add_cti_link (self->server, link);
      rd_call_engine_add_link (self->call_engine, link);
      rd_cti_link_start (link);
    }

  return TRUE;
}

static void
stop_links (RdDaemon *self)
{
  for (guint i = 0; self->links != NULL && i < self->links->len; i++)
    rd_cti_link_stop (g_ptr_array_index (self->links, i));
  if (self->links != NULL)
    g_ptr_array_set_size (self->links, 0);
  if (self->sim != NULL)
    rd_sim_close (self->sim);
  g_clear_object (&self->sim);
}

/**
 * rd_daemon_start:
 *
 * Opens the store and starts listening on `[server] listen`.
 */
gboolean
rd_daemon_start (RdDaemon  *self,
                 GError   **error)
{
  g_autofree char *host = NULL;
  g_autofree char *country = NULL;
  g_autoptr(RdPhonePlan) plan = NULL;
  g_autoptr(RdEvidenceStore) evidence = NULL;

  g_return_val_if_fail (RD_IS_DAEMON (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!rd_daemon_open_store (self, error))
    return FALSE;

  self->metrics = rd_metrics_new ();
  self->server = rd_server_new (self->auth, self->metrics,
                                rd_config_get_max_body_size (self->config));
  rd_throttle_set_limits (rd_server_get_user_throttle (self->server),
                          (guint) rd_config_get_int (self->config, "auth", "login-max-failures"),
                          (guint) rd_config_get_int (self->config, "auth", "login-window"));
  rd_throttle_set_limits (rd_server_get_address_throttle (self->server),
                          (guint) rd_config_get_int (self->config, "auth", "login-max-failures-per-address"),
                          (guint) rd_config_get_int (self->config, "auth", "login-window"));

  self->call_engine = rd_call_engine_new (self->config, self->store, error);
  if (self->call_engine == NULL)
    {
      g_clear_object (&self->server);
      g_clear_object (&self->metrics);
      return FALSE;
    }
  rd_server_set_call_engine (self->server, self->call_engine);
  rd_call_engine_set_ticket_store (self->call_engine, rd_server_get_ticket_store (self->server));
  rd_call_engine_set_customer_lookup (self->call_engine, rd_customer_store_lookup,
                                      g_object_ref (rd_server_get_customer_store (self->server)),
                                      g_object_unref);
  self->hub = rd_event_hub_new (self->server);
  g_signal_connect_object (self->call_engine, "event", G_CALLBACK (engine_event_cb), self, 0);
  g_signal_connect_object (rd_server_get_ticket_store (self->server), "assigned",
                           G_CALLBACK (ticket_assigned_cb), self, 0);
  country = rd_config_get_string (self->config, "phone", "country");
  plan = rd_phone_plan_new_for_country (country);
  if (plan != NULL)
    rd_customer_store_set_phone_plan (rd_server_get_customer_store (self->server), plan);

  /* evidence: removes what a crash left before the first upload comes in */
  evidence = rd_evidence_store_new_from_config (self->config, self->store);
  if (!rd_evidence_store_prepare (evidence, error))
    {
      g_clear_object (&self->server);
      g_clear_object (&self->metrics);
      return FALSE;
    }
  rd_handler_evidence_register (self->server, evidence);

  host = rd_config_get_listen_host (self->config);
  if (!start_links (self, error) ||
      !rd_server_listen (self->server, host, rd_config_get_listen_port (self->config), error))
    {
      stop_links (self);
      g_clear_object (&self->hub);
      g_clear_object (&self->call_engine);
      g_clear_object (&self->server);
      g_clear_object (&self->metrics);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_daemon_stop:
 *
 * Stops listening and closes the store. Safe to call twice.
 */
void
rd_daemon_stop (RdDaemon *self)
{
  g_return_if_fail (RD_IS_DAEMON (self));

  stop_links (self);
  g_clear_object (&self->hub);
  if (self->server != NULL)
    {
      rd_server_set_call_engine (self->server, NULL);
      rd_server_disconnect (self->server);
    }
  /* the hop log files of calls that just ended are a short write away */
  while (self->call_engine != NULL && rd_call_engine_get_n_pending_writes (self->call_engine) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->call_engine);
  g_clear_object (&self->server);
  g_clear_object (&self->metrics);
  if (self->store != NULL)
    rd_store_close (self->store);
}

static gboolean
quit_cb (gpointer user_data)
{
  RdDaemon *self = user_data;

  g_message ("signal received, stopping");
  g_main_loop_quit (self->loop);

  return G_SOURCE_CONTINUE;
}

/**
 * rd_daemon_run:
 *
 * Runs the main loop of a started daemon until SIGTERM or SIGINT, then stops.
 *
 * Returns: the exit status (0)
 */
int
rd_daemon_run (RdDaemon *self)
{
  guint term_id;
  guint int_id;

  g_return_val_if_fail (RD_IS_DAEMON (self), 1);

  self->loop = g_main_loop_new (NULL, FALSE);
  term_id = g_unix_signal_add (SIGTERM, quit_cb, self);
  int_id = g_unix_signal_add (SIGINT, quit_cb, self);

  g_main_loop_run (self->loop);

  g_source_remove (term_id);
  g_source_remove (int_id);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  rd_daemon_stop (self);
  g_info ("stopped cleanly");

  return 0;
}

char *
rd_daemon_get_uri (RdDaemon *self)
{
  g_return_val_if_fail (RD_IS_DAEMON (self), NULL);

  if (self->server == NULL)
    return NULL;

  return rd_server_get_uri (self->server);
}

RdConfig *
rd_daemon_get_config (RdDaemon *self)
{
  g_return_val_if_fail (RD_IS_DAEMON (self), NULL);

  return self->config;
}

RdStore *
rd_daemon_get_store (RdDaemon *self)
{
  g_return_val_if_fail (RD_IS_DAEMON (self), NULL);

  return self->store;
}

RdAuth *
rd_daemon_get_auth (RdDaemon *self)
{
  g_return_val_if_fail (RD_IS_DAEMON (self), NULL);

  return self->auth;
}

/**
 * rd_daemon_get_call_engine:
 *
 * Returns: (transfer none) (nullable): the call engine of a started daemon
 */
RdCallEngine *
rd_daemon_get_call_engine (RdDaemon *self)
{
  g_return_val_if_fail (RD_IS_DAEMON (self), NULL);

  return self->call_engine;
}

RdServer *
rd_daemon_get_server (RdDaemon *self)
{
  g_return_val_if_fail (RD_IS_DAEMON (self), NULL);

  return self->server;
}

static void
rd_daemon_dispose (GObject *object)
{
  RdDaemon *self = (RdDaemon *) object;

  rd_daemon_stop (self);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_pointer (&self->links, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_daemon_parent_class)->dispose (object);
}

static void
rd_daemon_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdDaemon *self = RD_DAEMON (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_daemon_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RdDaemon *self = RD_DAEMON (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_daemon_class_init (RdDaemonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_daemon_dispose;
  object_class->get_property = rd_daemon_get_property;
  object_class->set_property = rd_daemon_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, RD_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_daemon_init (RdDaemon *self)
{
  self->links = g_ptr_array_new_with_free_func (g_object_unref);
}

RdDaemon *
rd_daemon_new (RdConfig *config)
{
  g_return_val_if_fail (RD_IS_CONFIG (config), NULL);

  return g_object_new (RD_TYPE_DAEMON, "config", config, NULL);
}
