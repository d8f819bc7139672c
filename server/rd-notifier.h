/* rd-notifier.h: the ticket message by SMS (HTTP template or gammu-smsd spool)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-call.h"
#include "rd-config.h"

G_BEGIN_DECLS

#define RD_TYPE_NOTIFIER (rd_notifier_get_type ())

G_DECLARE_FINAL_TYPE (RdNotifier, rd_notifier, RD, NOTIFIER, GObject)

RdNotifier *rd_notifier_new_from_config (RdConfig             *config);
RdNotifier *rd_notifier_new_http        (const char           *url_template,
                                         const char           *method);
RdNotifier *rd_notifier_new_gammu       (const char           *spool_dir);
gboolean    rd_notifier_is_enabled      (RdNotifier           *self);
char       *rd_notifier_format_text     (RdCall               *call,
                                         const char           *ticket,
                                         const char           *extension);
void        rd_notifier_send_sms_async  (RdNotifier           *self,
                                         const char           *to,
                                         const char           *text,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    rd_notifier_send_sms_finish (RdNotifier           *self,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
