/* rd-credentials.c: the session token in the user's keyring
 *
 * Only the bearer token is kept, under the attributes "server" (the
 * normalised server address) and "username". The server address and the
 * username themselves live in GSettings; the password is never stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdCredentials"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-credentials.h"

/**
 * rd_credentials_get_schema:
 *
 * Returns: (transfer none): the libsecret schema of Ringdesk session tokens
 */
const SecretSchema *
rd_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.ringdesk.Ringdesk.Token",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
rd_credentials_store_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_prefix_error (&error, "Could not save the session in the keyring: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * rd_credentials_store_async:
 * @server: the normalised server address
 * @username: the signed-in user
 * @token: the session token to keep
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring has stored the token
 * @user_data: data for @callback
 *
 * Saves @token for @server and @username, replacing an older one.
 */
void
rd_credentials_store_async (const char          *server,
                            const char          *username,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_credentials_store_async);

  /* Translators: the label of the keyring item; the first %s is a user name,
   * the second a server address */
  label = g_strdup_printf (_("Ringdesk session of %s on %s"), username, server);

  secret_password_store (rd_credentials_get_schema (),
                         SECRET_COLLECTION_DEFAULT,
                         label,
                         token,
                         cancellable,
                         rd_credentials_store_cb,
                         g_steal_pointer (&task),
                         "server", server,
                         "username", username,
                         NULL);
}

gboolean
rd_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rd_credentials_lookup_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "Could not read the session from the keyring: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

/**
 * rd_credentials_lookup_async:
 *
 * Looks up the token saved for @server and @username.
 */
void
rd_credentials_lookup_async (const char          *server,
                             const char          *username,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_credentials_lookup_async);

  secret_password_lookup (rd_credentials_get_schema (),
                          cancellable,
                          rd_credentials_lookup_cb,
                          g_steal_pointer (&task),
                          "server", server,
                          "username", username,
                          NULL);
}

/**
 * rd_credentials_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token (free it with
 *   secret_password_free()), or %NULL with no error when none is saved
 */
char *
rd_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_credentials_clear_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means there was nothing to remove */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_prefix_error (&error, "Could not remove the session from the keyring: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * rd_credentials_clear_async:
 *
 * Removes the token saved for @server and @username, if any.
 */
void
rd_credentials_clear_async (const char          *server,
                            const char          *username,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_credentials_clear_async);

  secret_password_clear (rd_credentials_get_schema (),
                         cancellable,
                         rd_credentials_clear_cb,
                         g_steal_pointer (&task),
                         "server", server,
                         "username", username,
                         NULL);
}

gboolean
rd_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_credentials_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
