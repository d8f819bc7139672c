/* rd-cti-link-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every RdCtiLink implementation keeps the same way: its state, the
 * English detail of why it is down or connecting, and how often it tried
 * again, with notifications when they change. A link embeds an
 * RdCtiLinkStatus, calls rd_cti_link_status_install() in class_init and
 * rd_cti_link_status_get_property() from get_property.
 */

#define G_LOG_DOMAIN "RdCtiLinkStatus"

#include "config.h"

#include "rd-cti-link-status.h"

/**
 * rd_cti_link_status_install:
 * @klass: a link class
 *
 * Overrides the interface's properties "name", "state", "detail" and
 * "reconnects" with the RD_CTI_LINK_STATUS_PROP_* ids.
 */
void
rd_cti_link_status_install (GObjectClass *klass)
{
  g_object_class_override_property (klass, RD_CTI_LINK_STATUS_PROP_NAME, "name");
  g_object_class_override_property (klass, RD_CTI_LINK_STATUS_PROP_STATE, "state");
  g_object_class_override_property (klass, RD_CTI_LINK_STATUS_PROP_DETAIL, "detail");
  g_object_class_override_property (klass, RD_CTI_LINK_STATUS_PROP_RECONNECTS, "reconnects");
}

void
rd_cti_link_status_init (RdCtiLinkStatus *status)
{
  status->state = RD_CTI_LINK_STATE_STOPPED;
  status->detail = NULL;
  status->reconnects = 0;
}

void
rd_cti_link_status_clear (RdCtiLinkStatus *status)
{
  g_clear_pointer (&status->detail, g_free);
}

/**
 * rd_cti_link_status_set:
 * @link: the link, notified of what changed
 * @state: the new state
 * @detail: (nullable): why, in English
 */
void
rd_cti_link_status_set (RdCtiLinkStatus *status,
                        GObject         *link,
                        RdCtiLinkState   state,
                        const char      *detail)
{
  if (g_strcmp0 (status->detail, detail) != 0)
    {
      g_free (status->detail);
      status->detail = g_strdup (detail);
      g_object_notify (link, "detail");
    }
  if (status->state != state)
    {
      status->state = state;
      g_debug ("%s is %s%s%s", G_OBJECT_TYPE_NAME (link), rd_cti_link_state_to_string (state),
               detail != NULL ? ": " : "", detail != NULL ? detail : "");
      g_object_notify (link, "state");
    }
}

void
rd_cti_link_status_add_reconnect (RdCtiLinkStatus *status,
                                  GObject         *link)
{
  status->reconnects++;
  g_object_notify (link, "reconnects");
}

/**
 * rd_cti_link_status_get_property:
 * @name: the link's name
 *
 * Returns: %FALSE when @prop_id is none of the status properties
 */
gboolean
rd_cti_link_status_get_property (const RdCtiLinkStatus *status,
                                 const char            *name,
                                 guint                  prop_id,
                                 GValue                *value)
{
  switch (prop_id)
    {
    case RD_CTI_LINK_STATUS_PROP_NAME:
      g_value_set_string (value, name);
      return TRUE;
    case RD_CTI_LINK_STATUS_PROP_STATE:
      g_value_set_enum (value, status->state);
      return TRUE;
    case RD_CTI_LINK_STATUS_PROP_DETAIL:
      g_value_set_string (value, status->detail);
      return TRUE;
    case RD_CTI_LINK_STATUS_PROP_RECONNECTS:
      g_value_set_uint (value, status->reconnects);
      return TRUE;
    default:
      return FALSE;
    }
}
