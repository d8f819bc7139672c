/* rd-connection.h: the client's HTTP session with one Ringdesk server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "rd-common.h"

G_BEGIN_DECLS

#define RD_TYPE_CONNECTION (rd_connection_get_type ())

G_DECLARE_FINAL_TYPE (RdConnection, rd_connection, RD, CONNECTION, GObject)

/**
 * RdServerHealth:
 * @status: the server's overall status ("ok" when it serves requests)
 * @db: the database status ("ok" when the store answers)
 * @cti: the PBX link status ("connected", "connecting" or "down")
 *
 * What GET /healthz reports.
 */
typedef struct
{
  char *status;
  char *db;
  char *cti;
} RdServerHealth;

#define RD_TYPE_SERVER_HEALTH (rd_server_health_get_type ())

GType           rd_server_health_get_type  (void) G_GNUC_CONST;
RdServerHealth *rd_server_health_copy      (const RdServerHealth *health);
void            rd_server_health_free      (RdServerHealth       *health);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdServerHealth, rd_server_health_free)

/**
 * RdTicketFilter:
 * @states: (nullable): comma-separated states, e.g. "open,in_progress"
 * @assignee: (nullable): only tickets assigned to this username
 * @q: (nullable): full-text search words
 * @scope: (nullable): "mine", "groups" or "all" (supervisors and admins)
 *
 * The server-side filters of GET /tickets; %NULL or "" members are not sent.
 * The strings are copied when the request is made.
 */
typedef struct
{
  const char *states;
  const char *assignee;
  const char *q;
  const char *scope;
} RdTicketFilter;

GUri           *rd_connection_parse_url        (const char           *url,
                                                GError              **error);
RdConnection   *rd_connection_new              (const char           *url,
                                                GError              **error);
const char     *rd_connection_get_url          (RdConnection         *self);
const char     *rd_connection_get_token        (RdConnection         *self);
void            rd_connection_set_token        (RdConnection         *self,
                                                const char           *token);
RdUser         *rd_connection_get_user         (RdConnection         *self);
void            rd_connection_set_user         (RdConnection         *self,
                                                RdUser               *user);
void            rd_connection_sign_in_async    (RdConnection         *self,
                                                const char           *username,
                                                const char           *password,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
RdUser         *rd_connection_sign_in_finish   (RdConnection         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            rd_connection_get_me_async     (RdConnection         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
RdUser         *rd_connection_get_me_finish    (RdConnection         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            rd_connection_sign_out_async   (RdConnection         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        rd_connection_sign_out_finish  (RdConnection         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            rd_connection_get_health_async (RdConnection         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
RdServerHealth *rd_connection_get_health_finish (RdConnection        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void            rd_connection_list_tickets_async     (RdConnection         *self,
                                                      const RdTicketFilter *filter,
                                                      const char           *cursor,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel     *rd_connection_list_tickets_finish    (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      char                **next_cursor,
                                                      GError              **error);
void            rd_connection_get_ticket_async       (RdConnection         *self,
                                                      const char           *number,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            rd_connection_create_ticket_async    (RdConnection         *self,
                                                      JsonObject           *fields,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            rd_connection_update_ticket_async    (RdConnection         *self,
                                                      const char           *number,
                                                      JsonObject           *changes,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            rd_connection_transition_ticket_async (RdConnection        *self,
                                                       const char          *number,
                                                       RdTicketState        to,
                                                       const char          *note,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
RdTicket       *rd_connection_ticket_finish          (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_get_history_async      (RdConnection         *self,
                                                      const char           *number,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel     *rd_connection_get_history_finish     (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_list_users_async       (RdConnection         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel     *rd_connection_list_users_finish      (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            rd_connection_find_customers_async   (RdConnection         *self,
                                                      const char           *phone,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel     *rd_connection_find_customers_finish  (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_list_places_async      (RdConnection         *self,
                                                      GType                 type,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel     *rd_connection_list_places_finish     (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            rd_connection_list_calls_async       (RdConnection         *self,
                                                      const char           *phone,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            rd_connection_list_extension_calls_async (RdConnection     *self,
                                                          const char       *extension,
                                                          guint             limit,
                                                          GCancellable     *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer          user_data);
GListModel     *rd_connection_list_calls_finish      (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_get_call_async         (RdConnection         *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void            rd_connection_bind_ticket_async      (RdConnection         *self,
                                                      const char           *call_id,
                                                      const char           *number,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
RdCall         *rd_connection_call_finish            (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_create_call_ticket_async (RdConnection       *self,
                                                        const char         *call_id,
                                                        JsonObject         *fields,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
void            rd_connection_dial_async             (RdConnection         *self,
                                                      const char           *from_extension,
                                                      const char           *to,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        rd_connection_dial_finish            (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_connect_events_async   (RdConnection         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SoupWebsocketConnection *rd_connection_connect_events_finish (RdConnection  *self,
                                                              GAsyncResult  *result,
                                                              GError       **error);

/* Evidence: rd-connection-evidence.c */

const char * const *rd_connection_get_evidence_types (void);
void            rd_connection_list_evidence_async    (RdConnection         *self,
                                                      const char           *number,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel     *rd_connection_list_evidence_finish   (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            rd_connection_download_evidence_async (RdConnection        *self,
                                                       const char          *id,
                                                       gsize                max_size,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GBytes         *rd_connection_download_evidence_finish (RdConnection       *self,
                                                        GAsyncResult       *result,
                                                        char              **content_type,
                                                        GError            **error);
void            rd_connection_upload_evidence_async  (RdConnection          *self,
                                                      const char            *number,
                                                      GInputStream          *body,
                                                      goffset                length,
                                                      const char            *content_type,
                                                      const char            *filename,
                                                      const char            *description,
                                                      GFileProgressCallback  progress,
                                                      gpointer               progress_data,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
void            rd_connection_upload_evidence_file_async (RdConnection          *self,
                                                          const char            *number,
                                                          GFile                 *file,
                                                          const char            *description,
                                                          GFileProgressCallback  progress,
                                                          gpointer               progress_data,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
RdEvidence     *rd_connection_upload_evidence_finish (RdConnection         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
