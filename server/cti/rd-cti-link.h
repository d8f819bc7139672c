/* rd-cti-link.h: the interface every CTI link implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

/**
 * RdCtiLinkState:
 * @RD_CTI_LINK_STATE_STOPPED: not started, or stopped
 * @RD_CTI_LINK_STATE_CONNECTING: connecting, logging in or discovering;
 *   also while waiting to reconnect after a failure
 * @RD_CTI_LINK_STATE_CONNECTED: events flow
 * @RD_CTI_LINK_STATE_DOWN: the last attempt failed and the link waits to
 *   retry; rd_cti_link_get_detail() says why
 *
 * The wire values for `/healthz` are given by rd_cti_link_state_to_string().
 */
typedef enum
{
  RD_CTI_LINK_STATE_STOPPED,
  RD_CTI_LINK_STATE_CONNECTING,
  RD_CTI_LINK_STATE_CONNECTED,
  RD_CTI_LINK_STATE_DOWN,
} RdCtiLinkState;

#define RD_TYPE_CTI_LINK_STATE (rd_cti_link_state_get_type ())
#define RD_TYPE_CTI_LINK (rd_cti_link_get_type ())

G_DECLARE_INTERFACE (RdCtiLink, rd_cti_link, RD, CTI_LINK, GObject)

/**
 * RdCtiLinkInterface:
 * @start: begin connecting (or watching); returns at once, never blocks
 * @stop: disconnect and stop retrying; state becomes STOPPED
 * @make_call_async: click-to-dial from @from_extension to @to, or %NULL when
 *   the link cannot originate calls
 * @deflect_call_async: move the ringing call @call_id from @from_extension to
 *   @to_extension (a hunt group step driven by the server), or %NULL when the
 *   link cannot drive the PBX
 *
 * Implementations also provide the read-only properties "name", "state",
 * "detail" and "reconnects" (installed on the interface), and emit "event"
 * through rd_cti_link_emit_event().
 */
struct _RdCtiLinkInterface
{
  GTypeInterface parent_iface;

  void     (*start)               (RdCtiLink            *self);
  void     (*stop)                (RdCtiLink            *self);
  void     (*make_call_async)     (RdCtiLink            *self,
                                   const char           *from_extension,
                                   const char           *to,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
  char    *(*make_call_finish)    (RdCtiLink            *self,
                                   GAsyncResult         *result,
                                   GError              **error);
  void     (*deflect_call_async)  (RdCtiLink            *self,
                                   const char           *call_id,
                                   const char           *from_extension,
                                   const char           *to_extension,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
  gboolean (*deflect_call_finish) (RdCtiLink            *self,
                                   GAsyncResult         *result,
                                   GError              **error);
};

GType           rd_cti_link_state_get_type       (void) G_GNUC_CONST;
const char     *rd_cti_link_state_to_string      (RdCtiLinkState        state);

const char     *rd_cti_link_get_name             (RdCtiLink            *self);
RdCtiLinkState  rd_cti_link_get_state            (RdCtiLink            *self);
char           *rd_cti_link_dup_detail           (RdCtiLink            *self);
guint           rd_cti_link_get_reconnects       (RdCtiLink            *self);
void            rd_cti_link_start                (RdCtiLink            *self);
void            rd_cti_link_stop                 (RdCtiLink            *self);
gboolean        rd_cti_link_can_make_call        (RdCtiLink            *self);
void            rd_cti_link_make_call_async      (RdCtiLink            *self,
                                                  const char           *from_extension,
                                                  const char           *to,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char           *rd_cti_link_make_call_finish     (RdCtiLink            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
gboolean        rd_cti_link_can_deflect_call     (RdCtiLink            *self);
void            rd_cti_link_deflect_call_async   (RdCtiLink            *self,
                                                  const char           *call_id,
                                                  const char           *from_extension,
                                                  const char           *to_extension,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        rd_cti_link_deflect_call_finish  (RdCtiLink            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            rd_cti_link_emit_event           (RdCtiLink            *self,
                                                  RdCtiEvent           *event);

G_END_DECLS
