/* test-auth.c: yescrypt passwords, tokens and roles with a real store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestAuth"

#include "config.h"

#include <sqlite3.h>
#include <glib/gstdio.h>

#include "rd-auth.h"
#include "rd-common.h"
#include "rd-test-http.h"

typedef struct
{
  char    *dir;
  char    *path;
  RdStore *store;
  RdAuth  *auth;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) ana = rd_user_new ("ana");
  g_autofree char *hash = NULL;
  const char *roles[] = { RD_ROLE_AGENT, NULL };

  f->dir = g_dir_make_tmp ("rd-auth-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ringdesk.db", NULL);
  f->store = rd_store_new (f->path);
  g_assert_true (rd_store_open (f->store, &error));
  f->auth = rd_auth_new (f->store, 3600);

  rd_user_set_roles (ana, roles);
  hash = rd_auth_hash_password ("correct horse", &error);
  g_assert_no_error (error);
  g_assert_true (rd_store_add_user (f->store, ana, hash, &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->auth);
  g_clear_object (&f->store);
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_hash_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = rd_auth_hash_password ("s3cret-pass", &error);
  g_autofree char *b = rd_auth_hash_password ("s3cret-pass", &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (a, "$y$"));
  g_assert_true (g_str_has_prefix (b, "$y$"));
  g_assert_null (strstr (a, "s3cret"));
  g_assert_cmpstr (a, !=, b);   /* salted */

  g_assert_true (rd_auth_verify_password ("s3cret-pass", a));
  g_assert_true (rd_auth_verify_password ("s3cret-pass", b));
  g_assert_false (rd_auth_verify_password ("s3cret-pasS", a));
  g_assert_false (rd_auth_verify_password ("", a));
  g_assert_false (rd_auth_verify_password ("s3cret-pass", "garbage"));
  g_assert_false (rd_auth_verify_password ("s3cret-pass", "$y$broken"));
  g_assert_false (rd_auth_verify_password ("s3cret-pass", ""));
}

static void
test_password_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_password = g_strnfill (RD_AUTH_PASSWORD_MAX_LENGTH + 1, 'a');

  g_assert_true (rd_auth_check_password_rules ("12345678", &error));
  g_assert_true (rd_auth_check_password_rules ("ñandú-ñandú", &error));
  g_assert_no_error (error);
  g_assert_false (rd_auth_check_password_rules ("1234567", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (rd_auth_check_password_rules (long_password, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
}

static void
test_token_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = rd_auth_generate_token (&error);
  g_autofree char *b = rd_auth_generate_token (&error);
  g_autofree char *hash = rd_auth_hash_token (a);
  g_autofree char *password = rd_auth_generate_password (12, &error);

  g_assert_no_error (error);
  /* 32 bytes in base64url without padding */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpstr (a, !=, b);
  for (const char *p = a; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_cmpstr (hash, !=, a);

  g_assert_cmpuint (strlen (password), ==, 12);
}

typedef struct
{
  GMainLoop *loop;
  RdUser    *user;
  char      *token;
  GError    *error;
} SignIn;

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignIn *s = user_data;

  s->user = rd_auth_sign_in_finish (RD_AUTH (source), result, &s->token, &s->error);
  g_main_loop_quit (s->loop);
}

static void
sign_in (Fixture    *f,
         const char *username,
         const char *password,
         SignIn     *s)
{
  memset (s, 0, sizeof *s);
  s->loop = g_main_loop_new (NULL, FALSE);
  rd_auth_sign_in_async (f->auth, username, password, NULL, sign_in_cb, s);
  g_main_loop_run (s->loop);
  g_main_loop_unref (s->loop);
}

static void
sign_in_clear (SignIn *s)
{
  g_clear_object (&s->user);
  g_clear_pointer (&s->token, g_free);
  g_clear_error (&s->error);
}

static char *
raw_query (const char *path,
           const char *sql,
           const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return result;
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *hash = NULL;
  SignIn s;

  sign_in (f, "ana", "correct horse", &s);
  g_assert_no_error (s.error);
  g_assert_nonnull (s.token);
  g_assert_cmpstr (rd_user_get_username (s.user), ==, "ana");

  /* only the SHA-256 of the token is stored */
  hash = rd_auth_hash_token (s.token);
  stored = raw_query (f->path, "SELECT hash FROM tokens WHERE username = ?1", "ana");
  g_assert_cmpstr (stored, ==, hash);
  raw = raw_query (f->path, "SELECT count(*) FROM tokens WHERE hash = ?1", s.token);
  g_assert_cmpstr (raw, ==, "0");
  expiry = raw_query (f->path, "SELECT expires_at - created_at FROM tokens WHERE hash = ?1", hash);
  g_assert_cmpstr (expiry, ==, "3600");

  user = rd_auth_authenticate (f->auth, s.token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_user_get_username (user), ==, "ana");

  g_assert_true (rd_auth_sign_out (f->auth, s.token, &error));
  g_assert_null (rd_auth_authenticate (f->auth, s.token, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_false (rd_auth_sign_out (f->auth, s.token, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  sign_in_clear (&s);
}

static void
test_sign_in_failures (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *long_password = g_strnfill (5000, 'x');
  const struct {
    const char *username;
    const char *password;
  } cases[] = {
    { "ana", "wrong horse" },
    { "ana", "" },
    { "nobody", "correct horse" },
    { "bad name!", "correct horse" },
    { "ana", long_password },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SignIn s;

      sign_in (f, cases[i].username, cases[i].password, &s);
      g_assert_null (s.user);
      g_assert_null (s.token);
      g_assert_error (s.error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
      /* the same words whatever went wrong */
      g_assert_cmpstr (s.error->message, ==, "Invalid username or password");
      sign_in_clear (&s);
    }

  g_assert_cmpint (rd_store_count_tokens (f->store, NULL), ==, 0);
}

static void
test_deactivated (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) ana = NULL;
  SignIn s, again;

  sign_in (f, "ana", "correct horse", &s);
  g_assert_no_error (s.error);

  ana = rd_store_get_user (f->store, "ana", &error);
  rd_user_set_active (ana, FALSE);
  g_assert_true (rd_store_update_user (f->store, ana, NULL, &error));

  /* the old token stops working even if it is still stored */
  g_assert_null (rd_auth_authenticate (f->auth, s.token, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  sign_in (f, "ana", "correct horse", &again);
  g_assert_error (again.error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  sign_in_clear (&again);
  sign_in_clear (&s);
}

static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = rd_auth_generate_token (NULL);
  g_autofree char *hash = rd_auth_hash_token (token);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_true (rd_store_add_token (f->store, hash, "ana", now - 7200, now - 1, &error));
  g_assert_null (rd_auth_authenticate (f->auth, token, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);

  /* the expired token is gone from the store */
  g_assert_false (rd_store_get_token (f->store, hash, NULL, NULL, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
}

static void
test_bad_tokens (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *huge = g_strnfill (100000, 'a');
  const char *tokens[] = { "", "x", "not-a-token", "' OR 1=1 --", huge };

  for (gsize i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (rd_auth_authenticate (f->auth, tokens[i], &error));
      g_assert_error (error, RD_ERROR, RD_ERROR_UNAUTHORIZED);
    }
}

static void
test_require_role (void)
{
  g_autoptr(RdUser) user = rd_user_new ("sam");
  g_autoptr(GError) error = NULL;
  const char *roles[] = { RD_ROLE_SUPERVISOR, RD_ROLE_AGENT, NULL };
  const char *admin[] = { RD_ROLE_ADMIN, NULL };
  const char *either[] = { RD_ROLE_ADMIN, RD_ROLE_AGENT, NULL };

  rd_user_set_roles (user, roles);
  g_assert_true (rd_auth_require_role (user, NULL, &error));
  g_assert_true (rd_auth_require_role (user, either, &error));
  g_assert_no_error (error);
  g_assert_false (rd_auth_require_role (user, admin, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "admin"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/auth/hash-format", test_hash_format);
  g_test_add_func ("/auth/password-rules", test_password_rules);
  g_test_add_func ("/auth/token-format", test_token_format);
  g_test_add_func ("/auth/require-role", test_require_role);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/auth/sign-in", test_sign_in);
  ADD ("/auth/sign-in-failures", test_sign_in_failures);
  ADD ("/auth/deactivated", test_deactivated);
  ADD ("/auth/expiry", test_expiry);
  ADD ("/auth/bad-tokens", test_bad_tokens);

#undef ADD

  return g_test_run ();
}
