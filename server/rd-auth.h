/* rd-auth.h: passwords (yescrypt), bearer tokens and role checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-store.h"
#include "rd-user.h"

G_BEGIN_DECLS

#define RD_TYPE_AUTH (rd_auth_get_type ())

G_DECLARE_FINAL_TYPE (RdAuth, rd_auth, RD, AUTH, GObject)

#define RD_AUTH_PASSWORD_MIN_LENGTH 8
#define RD_AUTH_PASSWORD_MAX_LENGTH 1024

RdAuth   *rd_auth_new                  (RdStore              *store,
                                        gint64                token_lifetime);
RdStore  *rd_auth_get_store            (RdAuth               *self);
gint64    rd_auth_get_token_lifetime   (RdAuth               *self);

char     *rd_auth_hash_password        (const char           *password,
                                        GError              **error);
gboolean  rd_auth_verify_password      (const char           *password,
                                        const char           *hash);
gboolean  rd_auth_check_password_rules (const char           *password,
                                        GError              **error);
void      rd_auth_hash_password_async  (const char           *password,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char     *rd_auth_hash_password_finish (GAsyncResult         *result,
                                        GError              **error);

char     *rd_auth_generate_token       (GError              **error);
char     *rd_auth_hash_token           (const char           *token);
char     *rd_auth_generate_password    (guint                 length,
                                        GError              **error);

void      rd_auth_sign_in_async        (RdAuth               *self,
                                        const char           *username,
                                        const char           *password,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
RdUser   *rd_auth_sign_in_finish       (RdAuth               *self,
                                        GAsyncResult         *result,
                                        char                **token,
                                        GError              **error);
char     *rd_auth_issue_token          (RdAuth               *self,
                                        RdUser               *user,
                                        GError              **error);
RdUser   *rd_auth_authenticate         (RdAuth               *self,
                                        const char           *token,
                                        GError              **error);
gboolean  rd_auth_sign_out             (RdAuth               *self,
                                        const char           *token,
                                        GError              **error);

gboolean  rd_auth_require_role         (RdUser               *user,
                                        const char * const   *roles,
                                        GError              **error);

G_END_DECLS
