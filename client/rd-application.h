/* rd-application.h: the Ringdesk desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-call-notifier.h"
#include "rd-live-connection.h"

G_BEGIN_DECLS

#define RD_TYPE_APPLICATION (rd_application_get_type ())

G_DECLARE_FINAL_TYPE (RdApplication, rd_application, RD, APPLICATION, AdwApplication)

RdApplication    *rd_application_new                   (void);
RdLiveConnection *rd_application_get_live_connection   (RdApplication *self);
RdCallNotifier   *rd_application_get_call_notifier     (RdApplication *self);
gboolean          rd_application_get_runs_in_background (RdApplication *self);

G_END_DECLS
