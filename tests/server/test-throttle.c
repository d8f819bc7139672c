/* test-throttle.c: sign-in throttling through an in-process RdDaemon on
 * 127.0.0.1:0 configured with [auth] login-* keys, and RdThrottle's window
 * and memory bound on a given clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestThrottle"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-test-http.h"
#include "rd-throttle.h"

#define PASSWORD RD_TEST_PASSWORD
#define SECOND   G_USEC_PER_SEC

typedef struct
{
  char        *dir;
  RdConfig    *config;
  RdDaemon    *daemon;
  SoupSession *session;
  char        *base;
} Fixture;

typedef struct
{
  const char *conf;
} Setup;

static const Setup per_user = {
  "[server]\nlisten=127.0.0.1:0\n"
  "[auth]\nlogin-max-failures=3\nlogin-max-failures-per-address=10\nlogin-window=600\n"
};

static const Setup per_address = {
  "[server]\nlisten=127.0.0.1:0\n"
  "[auth]\nlogin-max-failures=3\nlogin-max-failures-per-address=5\nlogin-window=600\n"
};

static const Setup short_window = {
  "[server]\nlisten=127.0.0.1:0\n"
  "[auth]\nlogin-max-failures=2\nlogin-max-failures-per-address=10\nlogin-window=1\n"
};

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Setup *setup = data;
  g_autoptr(GError) error = NULL;
  const RdTestUser users[] = {
    { "ana", RD_ROLE_AGENT, NULL, NULL },
    { "bob", RD_ROLE_AGENT, NULL, NULL },
  };

  f->dir = g_dir_make_tmp ("rd-throttle-XXXXXX", &error);
  g_assert_no_error (error);

  f->config = rd_test_config_new (setup->conf, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);

  rd_test_add_users (rd_daemon_get_store (f->daemon), NULL, NULL, users, G_N_ELEMENTS (users));
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  g_clear_object (&f->config);

  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
}

/* POST /session; returns the status, and Retry-After in @retry_after. */
static guint
sign_in (Fixture    *f,
         const char *username,
         const char *password,
         guint      *retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);
  RdTestReply reply;
  guint status;

  rd_test_request (f->session, f->base, "POST", RD_API_PATH_SESSION, NULL, body, &reply);
  status = reply.status;
  if (status == 429)
    {
      const char *value = soup_message_headers_get_one (reply.headers, "Retry-After");

      rd_test_assert_error (&reply, 429, "rate_limited");
      g_assert_nonnull (value);
      if (retry_after != NULL)
        *retry_after = (guint) g_ascii_strtoull (value, NULL, 10);
    }
  else if (status == 401)
    {
      rd_test_assert_error (&reply, 401, "unauthorized");
    }
  rd_test_reply_clear (&reply);

  return status;
}

static void
test_per_username (Fixture       *f,
                   gconstpointer  data)
{
  guint retry_after = 0;

  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 401);

  /* blocked, even with the right password, and told for how long */
  g_assert_cmpuint (sign_in (f, "ana", PASSWORD, &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, >=, 1);
  g_assert_cmpuint (retry_after, <=, 600);
  g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 429);

  /* other users from the same address are not */
  g_assert_cmpuint (sign_in (f, "bob", PASSWORD, NULL), ==, 200);
}

static void
test_success_resets (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (sign_in (f, "ana", PASSWORD, NULL), ==, 200);

  /* the count starts again: three more failures before the block */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (sign_in (f, "ana", PASSWORD, NULL), ==, 429);
}

typedef struct
{
  GMainLoop *loop;
  guint      pending;
  guint      unauthorized;
  guint      limited;
} Parallel;

static void
parallel_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Parallel *parallel = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) == 401)
    parallel->unauthorized++;
  else if (soup_message_get_status (msg) == 429)
    parallel->limited++;
  else
    g_error ("unexpected status %u", soup_message_get_status (msg));
  if (--parallel->pending == 0)
    g_main_loop_quit (parallel->loop);
}

/* Guesses sent at once cannot all pass the check while the hashes run. */
static void
test_parallel_guesses (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *uri = g_strconcat (f->base, RD_API_PATH_SESSION + 1, NULL);
  const char *body = "{\"username\":\"ana\",\"password\":\"wrong-password\"}";
  Parallel parallel = { 0 };

  parallel.loop = g_main_loop_new (NULL, FALSE);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        parallel_cb, &parallel);
      parallel.pending++;
    }
  g_main_loop_run (parallel.loop);
  g_main_loop_unref (parallel.loop);

  g_assert_cmpuint (parallel.unauthorized, ==, 3);
  g_assert_cmpuint (parallel.limited, ==, 5);
}

static void
test_per_address (Fixture       *f,
                  gconstpointer  data)
{
  guint retry_after = 0;

  /* five usernames, one failure each: under the username limit */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("nobody%u", i);

      g_assert_cmpuint (sign_in (f, name, "wrong-password", NULL), ==, 401);
    }

  /* the address is blocked now, for everyone */
  g_assert_cmpuint (sign_in (f, "bob", PASSWORD, &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, >=, 1);
  /* malformed usernames count against the address too, and are refused */
  g_assert_cmpuint (sign_in (f, "no such user!", "x", NULL), ==, 429);
}

static void
test_window_slides (Fixture       *f,
                    gconstpointer  data)
{
  guint retry_after = 0;

  g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (sign_in (f, "ana", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (sign_in (f, "ana", PASSWORD, &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, ==, 1);

  /* once the failures leave the one-second window, ana may sign in */
  while (sign_in (f, "ana", PASSWORD, NULL) == 429)
    g_usleep (100 * 1000);
  g_assert_cmpuint (sign_in (f, "ana", PASSWORD, NULL), ==, 200);
}

/* RdThrottle on a clock the test sets */
static void
test_sliding_window (void)
{
  g_autoptr(RdThrottle) throttle = rd_throttle_new (2, 60, 100);
  gint64 t0 = 1000 * SECOND;
  guint retry_after = 0;

  g_assert_true (rd_throttle_check (throttle, "ana", t0, NULL));
  rd_throttle_add_failure (throttle, "ana", t0);
  g_assert_true (rd_throttle_check (throttle, "ana", t0 + SECOND, NULL));
  rd_throttle_add_failure (throttle, "ana", t0 + 30 * SECOND);

  /* two failures in 60 s: blocked until the first is 60 s old */
  g_assert_false (rd_throttle_check (throttle, "ana", t0 + 40 * SECOND, &retry_after));
  g_assert_cmpuint (retry_after, ==, 20);
  g_assert_false (rd_throttle_check (throttle, "ana", t0 + 59 * SECOND, &retry_after));
  g_assert_cmpuint (retry_after, ==, 1);
  g_assert_true (rd_throttle_check (throttle, "ana", t0 + 60 * SECOND, NULL));

  /* the second failure is still in the window: one more blocks again */
  rd_throttle_add_failure (throttle, "ana", t0 + 61 * SECOND);
  g_assert_false (rd_throttle_check (throttle, "ana", t0 + 62 * SECOND, &retry_after));
  g_assert_cmpuint (retry_after, ==, 28);

  /* forgive takes back the newest failure only */
  rd_throttle_forgive (throttle, "ana");
  g_assert_true (rd_throttle_check (throttle, "ana", t0 + 62 * SECOND, NULL));
  rd_throttle_add_failure (throttle, "ana", t0 + 63 * SECOND);
  g_assert_false (rd_throttle_check (throttle, "ana", t0 + 63 * SECOND, NULL));
  rd_throttle_forgive (throttle, "nobody");

  /* other keys are untouched; reset forgets */
  g_assert_true (rd_throttle_check (throttle, "bob", t0 + 62 * SECOND, NULL));
  rd_throttle_reset (throttle, "ana");
  g_assert_true (rd_throttle_check (throttle, "ana", t0 + 62 * SECOND, NULL));
  g_assert_cmpuint (rd_throttle_get_n_entries (throttle), ==, 0);
}

static void
test_memory_bound (void)
{
  g_autoptr(RdThrottle) throttle = rd_throttle_new (3, 600, 100);
  gint64 now = 1000 * SECOND;

  /* "ana" is blocked, then 10,000 other keys fail once each */
  for (guint i = 0; i < 3; i++)
    rd_throttle_add_failure (throttle, "ana", now);
  g_assert_false (rd_throttle_check (throttle, "ana", now, NULL));

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *key = g_strdup_printf ("10.0.%u.%u", i / 256, i % 256);

      rd_throttle_add_failure (throttle, key, now + i);
      g_assert_cmpuint (rd_throttle_get_n_entries (throttle), <=, 100);
    }
  g_assert_cmpuint (rd_throttle_get_n_entries (throttle), ==, 100);

  /* the least recently failing keys went first; the newest are kept */
  g_assert_true (rd_throttle_check (throttle, "ana", now + 10000, NULL));
  rd_throttle_add_failure (throttle, "10.0.39.15", now + 20000);
  rd_throttle_add_failure (throttle, "10.0.39.15", now + 20001);
  g_assert_false (rd_throttle_check (throttle, "10.0.39.15", now + 20002, NULL));
}

static void
test_config_range (void)
{
  const char *bad[] = {
    "[auth]\nlogin-max-failures=0\n",
    "[auth]\nlogin-max-failures=1001\n",
    "[auth]\nlogin-max-failures-per-address=x\n",
    "[auth]\nlogin-window=0\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(RdConfig) config = rd_config_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = rd_config_load_from_data (config, bad[i], strlen (bad[i]), &error) &&
           rd_config_validate (config, &error);
      g_assert_false (ok);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  rd_test_password_hash ();

  g_test_add ("/throttle/per-username", Fixture, &per_user, fixture_set_up, test_per_username, fixture_tear_down);
  g_test_add ("/throttle/success-resets", Fixture, &per_user, fixture_set_up, test_success_resets, fixture_tear_down);
  g_test_add ("/throttle/parallel-guesses", Fixture, &per_user, fixture_set_up, test_parallel_guesses, fixture_tear_down);
  g_test_add ("/throttle/per-address", Fixture, &per_address, fixture_set_up, test_per_address, fixture_tear_down);
  g_test_add ("/throttle/window-slides", Fixture, &short_window, fixture_set_up, test_window_slides, fixture_tear_down);
  g_test_add_func ("/throttle/sliding-window", test_sliding_window);
  g_test_add_func ("/throttle/memory-bound", test_memory_bound);
  g_test_add_func ("/throttle/config-range", test_config_range);

  ret = g_test_run ();

  return ret;
}
