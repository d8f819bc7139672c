/* test-notifier.c: the ticket message and its SMS providers: an HTTP
 * template against a local SoupServer, and gammu-smsd spool files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestNotifier"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-notifier.h"

typedef struct
{
  SoupServer *server;
  char       *base;
  guint       status;     /* what the provider answers */
  char       *method;
  char       *path;
  GHashTable *query;
  GMainLoop  *loop;
  GError     *error;
  gboolean    ok;
} Fixture;

static void
provider_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fixture *f = user_data;

  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_clear_pointer (&f->query, g_hash_table_unref);
  if (query != NULL)
    f->query = g_hash_table_ref (query);
  soup_server_message_set_status (msg, f->status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "done", 4);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->status = SOUP_STATUS_OK;
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/send", provider_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->base, g_free);
  g_clear_pointer (&f->method, g_free);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->query, g_hash_table_unref);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_error (&f->error);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  f->ok = rd_notifier_send_sms_finish (RD_NOTIFIER (source), result, &f->error);
  g_main_loop_quit (f->loop);
}

static void
send_and_wait (Fixture    *f,
               RdNotifier *notifier,
               const char *to,
               const char *text)
{
  rd_notifier_send_sms_async (notifier, to, text, NULL, sent_cb, f);
  g_main_loop_run (f->loop);
}

static void
test_text (void)
{
  g_autoptr(RdCall) call = rd_call_new ("1");
  g_autoptr(GDateTime) started = g_date_time_new_local (2012, 10, 12, 14, 0, 0);
  g_autofree char *text = NULL;
  g_autofree char *anonymous = NULL;

  rd_call_set_from (call, "03472619287");
  rd_call_set_started_at (call, started);
  text = rd_notifier_format_text (call, "1234", "732");
  g_assert_cmpstr (text, ==, "Ticket 1234 Caller 03472619287 Called 732 12.10.2012 14:00");

  rd_call_set_from (call, NULL);
  anonymous = rd_notifier_format_text (call, "9", "731");
  g_assert_cmpstr (anonymous, ==, "Ticket 9 Caller unknown Called 731 12.10.2012 14:00");
}

static void
test_http (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "send?key=SECRETKEY&to={to}&text={text}", NULL);
  g_autoptr(RdNotifier) get = rd_notifier_new_http (url, "GET");
  g_autoptr(RdNotifier) post = rd_notifier_new_http (url, "POST");
  const char *text = "Ticket 12 Caller 0347 Called 732 & más";

  g_assert_true (rd_notifier_is_enabled (get));

  /* {to} and {text} arrive URL-encoded, and decode to what was sent */
  send_and_wait (f, get, "+34600111222", text);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, "/send");
  g_assert_cmpstr (g_hash_table_lookup (f->query, "to"), ==, "+34600111222");
  g_assert_cmpstr (g_hash_table_lookup (f->query, "text"), ==, text);
  g_assert_cmpstr (g_hash_table_lookup (f->query, "key"), ==, "SECRETKEY");

  send_and_wait (f, post, "600111222", "hello");
  g_assert_true (f->ok);
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (g_hash_table_lookup (f->query, "to"), ==, "600111222");

  /* a failing provider is an error that never shows the URL (it holds the key) */
  f->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  send_and_wait (f, get, "+34600111222", "hello");
  g_assert_false (f->ok);
  g_assert_error (f->error, RD_ERROR, RD_ERROR_UNAVAILABLE);
  g_assert_null (strstr (f->error->message, "SECRETKEY"));
  g_assert_nonnull (strstr (f->error->message, "500"));

  /* what is not a number never reaches the provider */
  g_clear_pointer (&f->path, g_free);
  send_and_wait (f, get, "600&to=1", "hello");
  g_assert_error (f->error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  send_and_wait (f, get, "+", "hello");
  g_assert_error (f->error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_assert_null (f->path);
}

static void
test_gammu (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spool = g_dir_make_tmp ("rd-gammu-XXXXXX", &error);
  g_autoptr(RdNotifier) gammu = rd_notifier_new_gammu (spool);
  g_autoptr(RdNotifier) none = NULL;
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_no_error (error);

  send_and_wait (f, gammu, "+34600111222", "Ticket 5 Caller 0347 Called 732 12.10.2012 14:00");
  g_assert_no_error (f->error);
  send_and_wait (f, gammu, "+34600111222", "Técnico");
  g_assert_no_error (f->error);
  send_and_wait (f, gammu, "../../x", "nope");
  g_assert_error (f->error, RD_ERROR, RD_ERROR_INVALID_FIELD);

  dir = g_dir_open (spool, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* two messages, nothing half-written left behind */
  g_assert_cmpuint (names->len, ==, 2);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (spool, file, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      /* OUTC<YYYYMMDD>_<HHMMSS>_<NN>_<number>_ringdesk.txt */
      g_assert_true (g_str_has_prefix (file, "OUTC"));
      g_assert_true (g_str_has_suffix (file, "_+34600111222_ringdesk.txt"));
      g_assert_cmpuint (strlen (file), ==, strlen ("OUTC20121012_140000_00_+34600111222_ringdesk.txt"));
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

      if (contents[0] == 'T' && contents[1] == 'i')
        {
          g_assert_cmpstr (contents, ==, "Ticket 5 Caller 0347 Called 732 12.10.2012 14:00");
        }
      else
        {
          /* not ASCII: UTF-16LE with a byte-order mark */
          static const char expected[] = "\xff\xfeT\0\xe9\0c\0n\0i\0c\0o\0";

          g_assert_cmpuint (length, ==, sizeof expected - 1);
          g_assert_cmpmem (contents, length, expected, sizeof expected - 1);
        }
      g_unlink (path);
    }
  g_rmdir (spool);

  /* no provider configured: off, and saying so */
  none = rd_notifier_new_from_config (config);
  g_assert_false (rd_notifier_is_enabled (none));
  send_and_wait (f, none, "+34600111222", "x");
  g_assert_error (f->error, RD_ERROR, RD_ERROR_UNAVAILABLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/notifier/text", test_text);
  g_test_add ("/notifier/http", Fixture, NULL, fixture_set_up, test_http, fixture_tear_down);
  g_test_add ("/notifier/gammu", Fixture, NULL, fixture_set_up, test_gammu, fixture_tear_down);

  return g_test_run ();
}
