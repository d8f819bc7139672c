/* rd-sim-webhook.h: a PBX bridge that reports calls to Zammad's generic CTI API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

#define RD_TYPE_SIM_WEBHOOK (rd_sim_webhook_get_type ())

G_DECLARE_FINAL_TYPE (RdSimWebhook, rd_sim_webhook, RD, SIM_WEBHOOK, GObject)

RdSimWebhook *rd_sim_webhook_new            (const char    *url);
const char   *rd_sim_webhook_get_url        (RdSimWebhook  *self);
void          rd_sim_webhook_send_event     (RdSimWebhook  *self,
                                             RdCtiEvent    *event);
GStrv         rd_sim_webhook_format         (RdSimWebhook  *self,
                                             RdCtiEvent    *event);
guint         rd_sim_webhook_get_n_pending  (RdSimWebhook  *self);
guint         rd_sim_webhook_get_n_failed   (RdSimWebhook  *self);
void          rd_sim_webhook_close          (RdSimWebhook  *self);

G_END_DECLS
