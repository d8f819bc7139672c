/* test-store.c: RdStore on real sqlite files in a temporary directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestStore"

#include "config.h"

#include <sqlite3.h>
#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-store.h"
#include "rd-test-http.h"

typedef struct
{
  char    *dir;
  char    *path;
  RdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("rd-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ringdesk.db", NULL);
  f->store = rd_store_new (f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Runs @sql on the file through a separate connection and returns the first
 * column of the first row as text. */
static char *
raw_query (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return result;
}

static RdUser *
make_user (const char *username,
           const char *role,
           const char *extension)
{
  const char *roles[] = { role, NULL };
  RdUser *user = rd_user_new (username);

  rd_user_set_roles (user, roles);
  rd_user_set_extension (user, extension);

  return user;
}

static void
test_fresh (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *version = NULL;
  g_autofree char *rows = NULL;

  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (rd_store_open (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (rd_store_is_open (f->store));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (rd_store_get_schema_version (f->store, &error), ==, RD_STORE_SCHEMA_VERSION);
  g_assert_true (rd_store_check (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rd_store_count_users (f->store, &error), ==, 0);

  journal = raw_query (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  version = raw_query (f->path, "SELECT version FROM schema");
  g_assert_cmpstr (version, ==, G_STRINGIFY (RD_STORE_SCHEMA_VERSION));
  rows = raw_query (f->path, "SELECT count(*) FROM schema");
  g_assert_cmpstr (rows, ==, "1");
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = make_user ("ana", RD_ROLE_AGENT, "201");
  g_autoptr(RdUser) again = NULL;
  g_autofree char *rows = NULL;

  g_assert_true (rd_store_open (f->store, &error));
  g_assert_true (rd_store_open (f->store, &error));   /* open twice: nothing happens */
  g_assert_true (rd_store_add_user (f->store, user, "$y$hash", &error));
  g_assert_no_error (error);
  rd_store_close (f->store);
  g_assert_false (rd_store_is_open (f->store));
  g_assert_false (rd_store_check (f->store, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_clear_object (&f->store);
  f->store = rd_store_new (f->path);
  g_assert_true (rd_store_open (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rd_store_get_schema_version (f->store, &error), ==, RD_STORE_SCHEMA_VERSION);

  again = rd_store_get_user (f->store, "ana", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_user_get_extension (again), ==, "201");

  /* no second migration ran */
  rows = raw_query (f->path, "SELECT count(*) FROM schema");
  g_assert_cmpstr (rows, ==, "1");
}

static void
test_newer_version_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ignored = NULL;

  g_assert_true (rd_store_open (f->store, &error));
  rd_store_close (f->store);

  ignored = raw_query (f->path, "UPDATE schema SET version = 99 RETURNING version");
  g_assert_cmpstr (ignored, ==, "99");

  g_assert_false (rd_store_open (f->store, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_false (rd_store_is_open (f->store));
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (f->path, "this is not sqlite, just some text that is long enough "
                                      "to be looked at as a header by sqlite3 itself", -1, NULL));
  g_assert_false (rd_store_open (f->store, &error));
  g_assert_nonnull (error);
  g_assert_false (rd_store_is_open (f->store));
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) ana = make_user ("ana", RD_ROLE_AGENT, "201");
  g_autoptr(RdUser) tom = make_user ("tom", RD_ROLE_TECHNICIAN, "732");
  g_autoptr(RdUser) zed = make_user ("zed", RD_ROLE_ADMIN, NULL);
  g_autoptr(RdUser) dup = make_user ("ana", RD_ROLE_ADMIN, NULL);
  g_autoptr(RdUser) got = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(RdUser) first = NULL;
  g_autofree char *hash = NULL;
  const char *both[] = { RD_ROLE_SUPERVISOR, RD_ROLE_AGENT, NULL };

  g_assert_true (rd_store_open (f->store, &error));
  rd_user_set_display_name (ana, "Ana Agent");
  rd_user_set_mobile (ana, "+34600000000");

  g_assert_true (rd_store_add_user (f->store, ana, "$y$ana", &error));
  g_assert_true (rd_store_add_user (f->store, tom, "$y$tom", &error));
  g_assert_true (rd_store_add_user (f->store, zed, "$y$zed", &error));
  g_assert_no_error (error);
  g_assert_cmpint (rd_store_count_users (f->store, NULL), ==, 3);

  g_assert_false (rd_store_add_user (f->store, dup, "$y$dup", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (rd_store_count_users (f->store, NULL), ==, 3);

  got = rd_store_get_user (f->store, "ana", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_user_get_display_name (got), ==, "Ana Agent");
  g_assert_cmpstr (rd_user_get_mobile (got), ==, "+34600000000");
  g_assert_cmpstrv (rd_user_get_roles (got), ((const char * const []) { RD_ROLE_AGENT, NULL }));
  g_assert_true (rd_user_get_active (got));
  g_clear_object (&got);

  g_assert_true (rd_store_get_password_hash (f->store, "tom", &hash, &error));
  g_assert_cmpstr (hash, ==, "$y$tom");
  g_clear_pointer (&hash, g_free);

  /* update: roles keep their order, password only when given */
  rd_user_set_roles (ana, both);
  rd_user_set_active (ana, FALSE);
  rd_user_set_extension (ana, NULL);
  g_assert_true (rd_store_update_user (f->store, ana, NULL, &error));
  g_assert_no_error (error);
  got = rd_store_get_user (f->store, "ana", &error);
  g_assert_cmpstrv (rd_user_get_roles (got), both);
  g_assert_false (rd_user_get_active (got));
  g_assert_null (rd_user_get_extension (got));
  g_assert_true (rd_store_get_password_hash (f->store, "ana", &hash, &error));
  g_assert_cmpstr (hash, ==, "$y$ana");
  g_clear_pointer (&hash, g_free);
  g_assert_true (rd_store_update_user (f->store, ana, "$y$new", &error));
  g_assert_true (rd_store_get_password_hash (f->store, "ana", &hash, &error));
  g_assert_cmpstr (hash, ==, "$y$new");

  /* missing users */
  g_assert_null (rd_store_get_user (f->store, "nobody", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(RdUser) nobody = make_user ("nobody", RD_ROLE_AGENT, NULL);
    g_assert_false (rd_store_update_user (f->store, nobody, NULL, &error));
    g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* paging by cursor */
  page = rd_store_list_users (f->store, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 2);
  first = g_list_model_get_item (page, 0);
  g_assert_cmpstr (rd_user_get_username (first), ==, "ana");
  g_clear_object (&page);
  g_clear_object (&first);
  page = rd_store_list_users (f->store, "tom", 2, &error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 1);
  first = g_list_model_get_item (page, 0);
  g_assert_cmpstr (rd_user_get_username (first), ==, "zed");
}

static void
test_hostile_strings (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = make_user ("x", RD_ROLE_AGENT, "1'; DROP TABLE users; --");
  g_autoptr(RdUser) got = NULL;

  g_assert_true (rd_store_open (f->store, &error));
  rd_user_set_display_name (user, "Robert'); DROP TABLE users;--");
  g_assert_true (rd_store_add_user (f->store, user, "$y$x", &error));
  g_assert_no_error (error);
  got = rd_store_get_user (f->store, "x", &error);
  g_assert_cmpstr (rd_user_get_display_name (got), ==, "Robert'); DROP TABLE users;--");
  g_assert_cmpint (rd_store_count_users (f->store, NULL), ==, 1);
  g_assert_null (rd_store_get_user (f->store, "' OR '1'='1", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
}

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) ana = make_user ("ana", RD_ROLE_AGENT, NULL);
  g_autofree char *username = NULL;
  g_autofree char *used = NULL;
  gint64 expires = 0;

  g_assert_true (rd_store_open (f->store, &error));
  g_assert_true (rd_store_add_user (f->store, ana, "$y$ana", &error));

  g_assert_true (rd_store_add_token (f->store, "h1", "ana", 1000, 2000, &error));
  g_assert_true (rd_store_add_token (f->store, "h2", "ana", 1000, 5000, &error));
  g_assert_true (rd_store_add_token (f->store, "h3", "ana", 1000, 9000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rd_store_count_tokens (f->store, NULL), ==, 3);

  /* a token for an unknown user breaks the foreign key */
  g_assert_false (rd_store_add_token (f->store, "h4", "nobody", 1000, 2000, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (rd_store_get_token (f->store, "h2", &username, &expires, &error));
  g_assert_cmpstr (username, ==, "ana");
  g_assert_cmpint (expires, ==, 5000);

  g_assert_true (rd_store_touch_token (f->store, "h2", 4000, &error));
  used = raw_query (f->path, "SELECT last_used_at FROM tokens WHERE hash = 'h2'");
  g_assert_cmpstr (used, ==, "4000");

  g_assert_cmpint (rd_store_delete_expired_tokens (f->store, 3000, &error), ==, 1);
  g_assert_false (rd_store_get_token (f->store, "h1", NULL, NULL, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (rd_store_delete_token (f->store, "h2", &error));
  g_assert_false (rd_store_delete_token (f->store, "h2", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (rd_store_delete_user_tokens (f->store, "ana", &error));
  g_assert_cmpint (rd_store_count_tokens (f->store, NULL), ==, 0);
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  g_assert_true (rd_store_open (f->store, &error));
  g_assert_true (rd_store_counter_next (f->store, "ticket", 1000, &value, &error));
  g_assert_cmpint (value, ==, 1000);
  g_assert_true (rd_store_counter_next (f->store, "ticket", 1000, &value, &error));
  g_assert_cmpint (value, ==, 1001);
  g_assert_true (rd_store_counter_next (f->store, "other", 1, &value, &error));
  g_assert_cmpint (value, ==, 1);

  /* survives a reopen; a raised start jumps forward, never back */
  rd_store_close (f->store);
  g_assert_true (rd_store_open (f->store, &error));
  g_assert_true (rd_store_counter_next (f->store, "ticket", 1, &value, &error));
  g_assert_cmpint (value, ==, 1002);
  g_assert_true (rd_store_counter_next (f->store, "ticket", 5000, &value, &error));
  g_assert_cmpint (value, ==, 5000);
  g_assert_no_error (error);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Checkpoint;

static void
checkpoint_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Checkpoint *checkpoint = user_data;

  checkpoint->ok = rd_store_checkpoint_finish (RD_STORE (source), result, &checkpoint->error);
  checkpoint->done = TRUE;
}

static void
wait_checkpoint (Checkpoint *checkpoint)
{
  while (!checkpoint->done)
    g_main_context_iteration (NULL, TRUE);
}

/* The WAL is checkpointed by the store's thread, by itself past a threshold
 * of frames and when asked, and closing answers the checkpoints asked for. */
static void
test_checkpoint_thread (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Checkpoint asked = { 0 };
  Checkpoint at_close = { 0 };
  Checkpoint closed = { 0 };
  gint64 value = 0;

  g_assert_true (rd_store_open (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rd_store_get_n_checkpoints (f->store), ==, 0);

  /* one frame or more each: past sqlite's threshold of 1000 */
  for (guint i = 0; i < 1500; i++)
    g_assert_true (rd_store_counter_next (f->store, "call", 1, &value, &error));
  g_assert_no_error (error);

  /* the jobs run in order: once the asked one is done, the automatic one is too */
  rd_store_checkpoint_async (f->store, NULL, checkpoint_cb, &asked);
  wait_checkpoint (&asked);
  g_assert_no_error (asked.error);
  g_assert_true (asked.ok);
  g_assert_cmpuint (rd_store_get_n_checkpoints (f->store), >=, 2);

  /* asked just before closing: still answered */
  rd_store_checkpoint_async (f->store, NULL, checkpoint_cb, &at_close);
  rd_store_close (f->store);
  wait_checkpoint (&at_close);
  g_assert_no_error (at_close.error);
  g_assert_true (at_close.ok);

  rd_store_checkpoint_async (f->store, NULL, checkpoint_cb, &closed);
  wait_checkpoint (&closed);
  g_assert_error (closed.error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_assert_false (closed.ok);
  g_clear_error (&closed.error);

  /* nothing lost on the way */
  g_assert_true (rd_store_open (f->store, &error));
  g_assert_true (rd_store_counter_next (f->store, "call", 1, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 1501);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/fresh", test_fresh);
  ADD ("/store/reopen", test_reopen);
  ADD ("/store/newer-version-refused", test_newer_version_refused);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/users", test_users);
  ADD ("/store/hostile-strings", test_hostile_strings);
  ADD ("/store/tokens", test_tokens);
  ADD ("/store/counters", test_counters);
  ADD ("/store/checkpoint-thread", test_checkpoint_thread);

#undef ADD

  return g_test_run ();
}
