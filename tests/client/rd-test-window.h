/* rd-test-window.h: helpers for the client tests that open windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rd-application.h"
#include "rd-test-client.h"
#include "rd-window.h"

G_BEGIN_DECLS

gboolean  rd_test_gtk_init          (int            *argc,
                                     char         ***argv);
void      rd_test_store_result_cb   (GObject        *object,
                                     GAsyncResult   *result,
                                     gpointer        user_data);
void      rd_test_close_windows     (RdApplication  *app);
RdWindow *rd_test_open_window       (RdApplication  *app);
RdWindow *rd_test_open_window_sized (RdApplication  *app,
                                     int             width,
                                     int             height);
void      rd_test_wait_window_size  (GtkWindow      *window,
                                     int             width,
                                     int             height);
void      rd_test_save_screenshot   (GtkWindow      *window,
                                     GtkStack       *stack,
                                     const char     *name);
GtkWindow *rd_test_find_window      (GType           type);

void          rd_test_wait_ms                 (guint          ms);
RdConnection *rd_test_sign_in                 (const char    *url);
RdConnection *rd_test_sign_in_as              (const char    *url,
                                               const char    *username);
RdTicket     *rd_test_create_ticket_fields    (RdConnection  *api,
                                               JsonObject    *fields);
guint         rd_test_api_post                (RdConnection  *api,
                                               const char    *path,
                                               const char    *json);
guint         rd_test_api_post_full           (RdConnection  *api,
                                               const char    *path,
                                               const char    *json,
                                               GBytes       **reply_body);
RdTicket     *rd_test_create_ticket           (RdConnection  *api,
                                               const char    *subject,
                                               const char    *requester,
                                               const char    *phone);
RdApplication *rd_test_app_new                (RdTestServer  *server);
RdTicket     *rd_test_get_ticket              (RdConnection  *api,
                                               const char    *number);
gboolean      rd_test_page_is_home            (gpointer       data);
void          rd_test_wait_cti_connected      (RdConnection  *api);
GHashTable   *rd_test_own_notification_server (void);
void          rd_test_wait_subscribed         (RdWindow      *window);

G_END_DECLS
