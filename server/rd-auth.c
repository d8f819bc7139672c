/* rd-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who may do what. Passwords are hashed with yescrypt through libxcrypt
 * (crypt_gensalt_rn ("$y$") + crypt_rn with the crypt_data on the heap) and
 * compared in constant time; an unknown user is checked against a dummy hash
 * so the time taken does not tell which usernames exist. Hashing runs in a
 * worker thread so the main loop never waits for it.
 *
 * Tokens are 32 bytes from getrandom(), sent as base64url without padding and
 * stored only as their SHA-256 (hex). They expire after the token lifetime;
 * signing out deletes the token, and a deactivated user's tokens stop working.
 */

#define G_LOG_DOMAIN "RdAuth"

#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "rd-auth.h"
#include "rd-error.h"
#include "rd-user.h"

#define TOKEN_BYTES 32

struct _RdAuth
{
  GObject  parent_instance;

  RdStore *store;
  gint64   token_lifetime;
};

G_DEFINE_FINAL_TYPE (RdAuth, rd_auth, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TOKEN_LIFETIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
crypt_data_free (struct crypt_data *data)
{
  explicit_bzero (data, sizeof *data);
  g_free (data);
}

typedef struct crypt_data CryptData;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryptData, crypt_data_free)

static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/**
 * rd_auth_check_password_rules:
 *
 * Passwords are 8 to 1024 bytes of UTF-8.
 */
gboolean
rd_auth_check_password_rules (const char  *password,
                              GError     **error)
{
  gsize len = password != NULL ? strlen (password) : 0;

  if (password == NULL || !g_utf8_validate (password, -1, NULL) ||
      g_utf8_strlen (password, -1) < RD_AUTH_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “password” must be at least %d characters",
                   RD_AUTH_PASSWORD_MIN_LENGTH);
      return FALSE;
    }

  if (len > RD_AUTH_PASSWORD_MAX_LENGTH)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “password” must be at most %d bytes",
                   RD_AUTH_PASSWORD_MAX_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_auth_hash_password:
 *
 * Returns: (transfer full): a `$y$…` yescrypt hash of @password
 */
char *
rd_auth_hash_password (const char  *password,
                       GError     **error)
{
  g_autoptr(CryptData) data = g_new0 (CryptData, 1);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  const char *hash;

  g_return_val_if_fail (password != NULL, NULL);

  /* NULL random bytes: libxcrypt reads them from the kernel */
  if (crypt_gensalt_rn ("$y$", 0, NULL, 0, setting, sizeof setting) == NULL)
    {
      int errsv = errno;
      g_set_error (error, RD_ERROR, RD_ERROR_INTERNAL, "Cannot make a password salt: %s",
                   g_strerror (errsv));
      return NULL;
    }

  hash = crypt_rn (password, setting, data, sizeof *data);
  if (hash == NULL || hash[0] == '*')
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INTERNAL, "Cannot hash the password");
      return NULL;
    }

  return g_strdup (hash);
}

static gboolean
constant_time_equal (const char *a,
                     const char *b)
{
  gsize len_a = strlen (a);
  gsize len_b = strlen (b);
  guchar diff = len_a != len_b;

  for (gsize i = 0; i < len_a; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i % MAX (len_b, 1)];

  return diff == 0;
}

/**
 * rd_auth_verify_password:
 *
 * Returns: %TRUE if @password matches @hash (compared in constant time)
 */
gboolean
rd_auth_verify_password (const char *password,
                         const char *hash)
{
  g_autoptr(CryptData) data = g_new0 (CryptData, 1);
  const char *computed;

  if (password == NULL || hash == NULL || hash[0] != '$')
    return FALSE;

  computed = crypt_rn (password, hash, data, sizeof *data);
  if (computed == NULL || computed[0] == '*')
    return FALSE;

  return constant_time_equal (computed, hash);
}

/* A hash of a random password, made once, to spend the same time on unknown
 * usernames as on known ones. */
static const char *
get_dummy_hash (void)
{
  static char *dummy_hash;

  if (g_once_init_enter (&dummy_hash))
    {
      g_autofree char *token = rd_auth_generate_token (NULL);
      char *hash = rd_auth_hash_password (token != NULL ? token : "dummy-password", NULL);

      g_once_init_leave (&dummy_hash, hash != NULL ? hash : g_strdup ("$y$j9T$invalid$"));
    }

  return dummy_hash;
}

static void
hash_password_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *password = task_data;
  GError *error = NULL;
  char *hash;

  hash = rd_auth_hash_password (password, &error);
  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

/**
 * rd_auth_hash_password_async:
 *
 * Hashes @password in a worker thread.
 */
void
rd_auth_hash_password_async (const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_auth_hash_password_async);
  g_task_set_task_data (task, g_strdup (password), (GDestroyNotify) secret_free);
  g_task_run_in_thread (task, hash_password_thread);
}

char *
rd_auth_hash_password_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_auth_hash_password_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rd_auth_generate_token:
 *
 * Returns: (transfer full): 32 random bytes from getrandom() as base64url
 */
char *
rd_auth_generate_token (GError **error)
{
  guchar bytes[TOKEN_BYTES];
  gsize filled = 0;
  g_autofree char *encoded = NULL;
  gsize len;

  while (filled < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          g_set_error (error, RD_ERROR, RD_ERROR_INTERNAL, "Cannot read random bytes: %s",
                       g_strerror (errsv));
          return NULL;
        }
      filled += (gsize) n;
    }

  encoded = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);

  for (char *p = encoded; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  len = strlen (encoded);
  while (len > 0 && encoded[len - 1] == '=')
    encoded[--len] = '\0';

  return g_steal_pointer (&encoded);
}

/**
 * rd_auth_generate_password:
 *
 * Returns: (transfer full): @length random letters and digits (getrandom(),
 *   without modulo bias), for the demo accounts
 */
char *
rd_auth_generate_password (guint    length,
                           GError **error)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const guint n = sizeof alphabet - 1;
  g_autoptr(GString) password = g_string_new (NULL);

  while (password->len < length)
    {
      guchar byte;
      ssize_t got = getrandom (&byte, 1, 0);

      if (got < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          g_set_error (error, RD_ERROR, RD_ERROR_INTERNAL, "Cannot read random bytes: %s",
                       g_strerror (errsv));
          return NULL;
        }
      if (got == 1 && byte < 256 - (256 % n))
        g_string_append_c (password, alphabet[byte % n]);
    }

  return g_string_free (g_steal_pointer (&password), FALSE);
}

/**
 * rd_auth_hash_token:
 *
 * Returns: (transfer full): the SHA-256 of @token in hex, the form stored
 */
char *
rd_auth_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* sign in */

typedef struct
{
  char     *username;
  char     *password;
  char     *hash;
  gboolean  known;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_free (data->username);
  secret_free (data->password);
  g_free (data->hash);
  g_free (data);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignInData *data = task_data;
  gboolean ok;

  ok = rd_auth_verify_password (data->password, data->hash);
  g_task_return_boolean (task, ok && data->known);
}

static void
set_bad_credentials (GError **error)
{
  g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAUTHORIZED, "Invalid username or password");
}

/**
 * rd_auth_sign_in_async:
 *
 * Checks @password in a worker thread; rd_auth_sign_in_finish() then issues a
 * token. Unknown users, wrong passwords and deactivated users all fail with
 * the same %RD_ERROR_UNAUTHORIZED.
 */
void
rd_auth_sign_in_async (RdAuth              *self,
                       const char          *username,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) local_error = NULL;
  SignInData *data;

  g_return_if_fail (RD_IS_AUTH (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_auth_sign_in_async);

  data = g_new0 (SignInData, 1);
  data->username = g_strdup (username);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  if (strlen (password) <= RD_AUTH_PASSWORD_MAX_LENGTH &&
      rd_username_is_valid (username) &&
      rd_store_get_password_hash (self->store, username, &data->hash, &local_error))
    {
      data->known = TRUE;
    }
  else if (local_error != NULL && !g_error_matches (local_error, RD_ERROR, RD_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&local_error));
      return;
    }

  if (data->hash == NULL)
    data->hash = g_strdup (get_dummy_hash ());

  g_task_run_in_thread (task, sign_in_thread);
}

/**
 * rd_auth_sign_in_finish:
 * @token: (out): the new bearer token (shown to the client once)
 *
 * Returns: (transfer full): the signed-in user
 */
RdUser *
rd_auth_sign_in_finish (RdAuth        *self,
                        GAsyncResult  *result,
                        char         **token,
                        GError       **error)
{
  SignInData *data;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  char *new_token;

  g_return_val_if_fail (RD_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_auth_sign_in_async, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  data = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_bad_credentials (error);
      /* the name is untrusted: log it only when it is a possible username,
       * so no control characters or pasted passwords reach the log */
      if (rd_username_is_valid (data->username))
        g_info ("failed sign-in for %s", data->username);
      else
        g_info ("failed sign-in for a malformed username");
      return NULL;
    }

  user = rd_store_get_user (self->store, data->username, &local_error);
  if (user == NULL)
    {
      if (g_error_matches (local_error, RD_ERROR, RD_ERROR_NOT_FOUND))
        set_bad_credentials (error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!rd_user_get_active (user))
    {
      g_info ("sign-in refused for deactivated user %s", data->username);
      set_bad_credentials (error);
      return NULL;
    }

  new_token = rd_auth_issue_token (self, user, error);
  if (new_token == NULL)
    return NULL;

  g_info ("user %s signed in", data->username);
  *token = new_token;
  return g_steal_pointer (&user);
}

/**
 * rd_auth_issue_token:
 *
 * Returns: (transfer full): a new token for @user, valid for the token lifetime
 */
char *
rd_auth_issue_token (RdAuth  *self,
                     RdUser  *user,
                     GError **error)
{
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (RD_IS_AUTH (self), NULL);
  g_return_val_if_fail (RD_IS_USER (user), NULL);

  token = rd_auth_generate_token (error);
  if (token == NULL)
    return NULL;

  token_hash = rd_auth_hash_token (token);
  if (!rd_store_add_token (self->store, token_hash, rd_user_get_username (user),
                           now, now + self->token_lifetime, error))
    return NULL;

  /* an occasional sweep keeps the table small */
  rd_store_delete_expired_tokens (self->store, now, NULL);

  return g_steal_pointer (&token);
}

static void
set_bad_token (GError    **error,
               const char *why)
{
  g_set_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED, "%s", why);
}

/**
 * rd_auth_authenticate:
 *
 * Returns: (transfer full): the user @token belongs to, or %NULL with
 *   %RD_ERROR_UNAUTHORIZED for an unknown or expired token or a deactivated user
 */
RdUser *
rd_auth_authenticate (RdAuth      *self,
                      const char  *token,
                      GError     **error)
{
  g_autofree char *token_hash = NULL;
  g_autofree char *username = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 expires_at = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (RD_IS_AUTH (self), NULL);

  if (token == NULL || token[0] == '\0' || strlen (token) > 256)
    {
      set_bad_token (error, "Invalid or expired token");
      return NULL;
    }

  token_hash = rd_auth_hash_token (token);
  if (!rd_store_get_token (self->store, token_hash, &username, &expires_at, &local_error))
    {
      if (g_error_matches (local_error, RD_ERROR, RD_ERROR_NOT_FOUND))
        set_bad_token (error, "Invalid or expired token");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (expires_at <= now)
    {
      rd_store_delete_token (self->store, token_hash, NULL);
      set_bad_token (error, "The token has expired; sign in again");
      return NULL;
    }

  user = rd_store_get_user (self->store, username, &local_error);
  if (user == NULL)
    {
      if (g_error_matches (local_error, RD_ERROR, RD_ERROR_NOT_FOUND))
        set_bad_token (error, "Invalid or expired token");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!rd_user_get_active (user))
    {
      set_bad_token (error, "The account is deactivated");
      return NULL;
    }

  if (!rd_store_touch_token (self->store, token_hash, now, &local_error))
    g_debug ("cannot record token use: %s", local_error->message);

  return g_steal_pointer (&user);
}

/**
 * rd_auth_sign_out:
 *
 * Deletes @token; fails with %RD_ERROR_UNAUTHORIZED if it did not exist.
 */
gboolean
rd_auth_sign_out (RdAuth      *self,
                  const char  *token,
                  GError     **error)
{
  g_autofree char *token_hash = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RD_IS_AUTH (self), FALSE);

  if (token == NULL)
    {
      set_bad_token (error, "Invalid or expired token");
      return FALSE;
    }

  token_hash = rd_auth_hash_token (token);
  if (!rd_store_delete_token (self->store, token_hash, &local_error))
    {
      if (g_error_matches (local_error, RD_ERROR, RD_ERROR_NOT_FOUND))
        set_bad_token (error, "Invalid or expired token");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_auth_require_role:
 * @roles: (nullable): the roles that may go on; %NULL or empty means any user
 *
 * Returns: %TRUE if @user holds at least one of @roles, else %FALSE with
 *   %RD_ERROR_FORBIDDEN
 */
gboolean
rd_auth_require_role (RdUser              *user,
                      const char * const  *roles,
                      GError             **error)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (RD_IS_USER (user), FALSE);

  if (roles == NULL || roles[0] == NULL)
    return TRUE;

  for (guint i = 0; roles[i] != NULL; i++)
    {
      if (rd_user_has_role (user, roles[i]))
        return TRUE;
    }

  wanted = g_strjoinv (" or ", (char **) roles);
  g_set_error (error, RD_ERROR, RD_ERROR_FORBIDDEN, "This needs the role %s", wanted);
  return FALSE;
}

/* GObject */

RdStore *
rd_auth_get_store (RdAuth *self)
{
  g_return_val_if_fail (RD_IS_AUTH (self), NULL);

  return self->store;
}

gint64
rd_auth_get_token_lifetime (RdAuth *self)
{
  g_return_val_if_fail (RD_IS_AUTH (self), 0);

  return self->token_lifetime;
}

static void
rd_auth_dispose (GObject *object)
{
  RdAuth *self = (RdAuth *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rd_auth_parent_class)->dispose (object);
}

static void
rd_auth_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RdAuth *self = RD_AUTH (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TOKEN_LIFETIME:
      g_value_set_int64 (value, self->token_lifetime);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_auth_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RdAuth *self = RD_AUTH (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TOKEN_LIFETIME:
      self->token_lifetime = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_auth_class_init (RdAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_auth_dispose;
  object_class->get_property = rd_auth_get_property;
  object_class->set_property = rd_auth_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_LIFETIME] =
    g_param_spec_int64 ("token-lifetime", NULL, NULL, 1, G_MAXINT32, 12 * 60 * 60,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_auth_init (RdAuth *self)
{
}

RdAuth *
rd_auth_new (RdStore *store,
             gint64   token_lifetime)
{
  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  return g_object_new (RD_TYPE_AUTH,
                       "store", store,
                       "token-lifetime", token_lifetime,
                       NULL);
}
