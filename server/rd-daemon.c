/* rd-daemon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon: opens the store in the data directory, builds auth and the HTTP
 * server on top, listens, and on SIGTERM or SIGINT stops listening and closes
 * the database cleanly. Later parts (CTI links, call engine) hang off here.
 */

#define G_LOG_DOMAIN "RdDaemon"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "rd-daemon.h"
#include "rd-evidence-store.h"
#include "rd-handlers.h"
#include "rd-metrics.h"

struct _RdDaemon
{
  GObject    parent_instance;

  RdConfig  *config;
  RdStore   *store;
  RdAuth    *auth;
  RdMetrics *metrics;
  RdServer  *server;
  RdCallEngine *call_engine;
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
  if (!rd_server_listen (self->server, host, rd_config_get_listen_port (self->config), error))
    {
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
}

RdDaemon *
rd_daemon_new (RdConfig *config)
{
  g_return_val_if_fail (RD_IS_CONFIG (config), NULL);

  return g_object_new (RD_TYPE_DAEMON, "config", config, NULL);
}
