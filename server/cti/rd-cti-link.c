/* rd-cti-link.c: the interface every CTI link implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A link turns one PBX interface (CSTA, SMDR, the ExtText folder, the
 * generic webhook) into RdCtiEvents. It owns its reconnect policy and reports
 * its health through the "state" and "detail" properties; the daemon turns
 * the states of all links into the `cti` member of /healthz.
 */

#define G_LOG_DOMAIN "RdCtiLink"

#include "config.h"

#include "rd-error.h"
#include "rd-cti-link.h"

G_DEFINE_INTERFACE (RdCtiLink, rd_cti_link, G_TYPE_OBJECT)

enum {
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GType
rd_cti_link_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { RD_CTI_LINK_STATE_STOPPED, "RD_CTI_LINK_STATE_STOPPED", "stopped" },
        { RD_CTI_LINK_STATE_CONNECTING, "RD_CTI_LINK_STATE_CONNECTING", "connecting" },
        { RD_CTI_LINK_STATE_CONNECTED, "RD_CTI_LINK_STATE_CONNECTED", "connected" },
        { RD_CTI_LINK_STATE_DOWN, "RD_CTI_LINK_STATE_DOWN", "down" },
        { 0, NULL, NULL },
      };
      GType id = g_enum_register_static (g_intern_static_string ("RdCtiLinkState"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

/**
 * rd_cti_link_state_to_string:
 * @state: a state
 *
 * Returns: the `/healthz` word: "connected", "connecting" or "down"
 *   (a stopped link is "down")
 */
const char *
rd_cti_link_state_to_string (RdCtiLinkState state)
{
  switch (state)
    {
    case RD_CTI_LINK_STATE_CONNECTED:  return "connected";
    case RD_CTI_LINK_STATE_CONNECTING: return "connecting";
    case RD_CTI_LINK_STATE_STOPPED:
    case RD_CTI_LINK_STATE_DOWN:
    default:                           return "down";
    }
}

static void
rd_cti_link_default_init (RdCtiLinkInterface *iface)
{
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("name", NULL, NULL,
                                                            NULL,
                                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
                                       g_param_spec_enum ("state", NULL, NULL,
                                                          RD_TYPE_CTI_LINK_STATE,
                                                          RD_CTI_LINK_STATE_STOPPED,
                                                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                          G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("detail", NULL, NULL,
                                                            NULL,
                                                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                            G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
                                       g_param_spec_uint ("reconnects", NULL, NULL,
                                                          0, G_MAXUINT, 0,
                                                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                          G_PARAM_STATIC_STRINGS));

  /**
   * RdCtiLink::event:
   * @self: the link
   * @event: the normalised event
   *
   * Emitted on the link's main context for every call event.
   */
  signals[EVENT] = g_signal_new ("event",
                                 G_TYPE_FROM_INTERFACE (iface),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1,
                                 RD_TYPE_CTI_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

const char *
rd_cti_link_get_name (RdCtiLink *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (RD_IS_CTI_LINK (self), NULL);

  g_object_get (self, "name", &name, NULL);

  return g_intern_string (name);
}

RdCtiLinkState
rd_cti_link_get_state (RdCtiLink *self)
{
  RdCtiLinkState state = RD_CTI_LINK_STATE_STOPPED;

  g_return_val_if_fail (RD_IS_CTI_LINK (self), RD_CTI_LINK_STATE_STOPPED);

  g_object_get (self, "state", &state, NULL);

  return state;
}

/**
 * rd_cti_link_dup_detail:
 * @self: a link
 *
 * Returns: (transfer full) (nullable): why the link is down or connecting,
 *   in English, for logs and the admin
 */
char *
rd_cti_link_dup_detail (RdCtiLink *self)
{
  char *detail = NULL;

  g_return_val_if_fail (RD_IS_CTI_LINK (self), NULL);

  g_object_get (self, "detail", &detail, NULL);

  return detail;
}

guint
rd_cti_link_get_reconnects (RdCtiLink *self)
{
  guint reconnects = 0;

  g_return_val_if_fail (RD_IS_CTI_LINK (self), 0);

  g_object_get (self, "reconnects", &reconnects, NULL);

  return reconnects;
}

void
rd_cti_link_start (RdCtiLink *self)
{
  g_return_if_fail (RD_IS_CTI_LINK (self));

  RD_CTI_LINK_GET_IFACE (self)->start (self);
}

void
rd_cti_link_stop (RdCtiLink *self)
{
  g_return_if_fail (RD_IS_CTI_LINK (self));

  RD_CTI_LINK_GET_IFACE (self)->stop (self);
}

gboolean
rd_cti_link_can_make_call (RdCtiLink *self)
{
  g_return_val_if_fail (RD_IS_CTI_LINK (self), FALSE);

  return RD_CTI_LINK_GET_IFACE (self)->make_call_async != NULL;
}

static void
report_unsupported (RdCtiLink           *self,
                    gpointer             source_tag,
                    const char          *what,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, source_tag,
                           RD_ERROR, RD_ERROR_UNAVAILABLE,
                           "The %s link cannot %s", rd_cti_link_get_name (self), what);
}

/**
 * rd_cti_link_make_call_async:
 * @self: a link
 * @from_extension: the station that places the call
 * @to: the number to dial, as the PBX expects it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the PBX accepted or refused the call
 * @user_data: for @callback
 *
 * Click-to-dial. Links that cannot originate calls fail with
 * %RD_ERROR_UNAVAILABLE.
 */
void
rd_cti_link_make_call_async (RdCtiLink           *self,
                             const char          *from_extension,
                             const char          *to,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  RdCtiLinkInterface *iface;

  g_return_if_fail (RD_IS_CTI_LINK (self));
  g_return_if_fail (from_extension != NULL);
  g_return_if_fail (to != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = RD_CTI_LINK_GET_IFACE (self);
  if (iface->make_call_async == NULL)
    report_unsupported (self, rd_cti_link_make_call_async, "place calls", callback, user_data);
  else
    iface->make_call_async (self, from_extension, to, cancellable, callback, user_data);
}

/**
 * rd_cti_link_make_call_finish:
 * @self: a link
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the link's call id of the new call, or %NULL
 */
char *
rd_cti_link_make_call_finish (RdCtiLink     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (RD_IS_CTI_LINK (self), NULL);

  if (g_async_result_is_tagged (result, rd_cti_link_make_call_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return RD_CTI_LINK_GET_IFACE (self)->make_call_finish (self, result, error);
}

gboolean
rd_cti_link_can_deflect_call (RdCtiLink *self)
{
  g_return_val_if_fail (RD_IS_CTI_LINK (self), FALSE);

  return RD_CTI_LINK_GET_IFACE (self)->deflect_call_async != NULL;
}

/**
 * rd_cti_link_deflect_call_async:
 * @self: a link
 * @call_id: the link's id of the ringing call
 * @from_extension: where it rings now
 * @to_extension: where it should ring instead
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the PBX accepted or refused
 * @user_data: for @callback
 *
 * A hunt group step driven by the server. Links that cannot drive the PBX
 * fail with %RD_ERROR_UNAVAILABLE.
 */
void
rd_cti_link_deflect_call_async (RdCtiLink           *self,
                                const char          *call_id,
                                const char          *from_extension,
                                const char          *to_extension,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  RdCtiLinkInterface *iface;

  g_return_if_fail (RD_IS_CTI_LINK (self));
  g_return_if_fail (call_id != NULL);
  g_return_if_fail (from_extension != NULL);
  g_return_if_fail (to_extension != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = RD_CTI_LINK_GET_IFACE (self);
  if (iface->deflect_call_async == NULL)
    report_unsupported (self, rd_cti_link_deflect_call_async, "move ringing calls", callback, user_data);
  else
    iface->deflect_call_async (self, call_id, from_extension, to_extension, cancellable, callback, user_data);
}

gboolean
rd_cti_link_deflect_call_finish (RdCtiLink     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RD_IS_CTI_LINK (self), FALSE);

  if (g_async_result_is_tagged (result, rd_cti_link_deflect_call_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  return RD_CTI_LINK_GET_IFACE (self)->deflect_call_finish (self, result, error);
}

/**
 * rd_cti_link_emit_event:
 * @self: a link
 * @event: the event
 *
 * For implementations: hands @event to whoever listens (the call engine).
 */
void
rd_cti_link_emit_event (RdCtiLink  *self,
                        RdCtiEvent *event)
{
  g_return_if_fail (RD_IS_CTI_LINK (self));
  g_return_if_fail (event != NULL);

  g_signal_emit (self, signals[EVENT], 0, event);
}
