/* rd-credentials.h: the session token in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *rd_credentials_get_schema   (void) G_GNUC_CONST;
void                rd_credentials_store_async  (const char           *server,
                                                 const char           *username,
                                                 const char           *token,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean            rd_credentials_store_finish (GAsyncResult         *result,
                                                 GError              **error);
void                rd_credentials_lookup_async (const char           *server,
                                                 const char           *username,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char               *rd_credentials_lookup_finish (GAsyncResult        *result,
                                                  GError             **error);
void                rd_credentials_clear_async  (const char           *server,
                                                 const char           *username,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean            rd_credentials_clear_finish (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
