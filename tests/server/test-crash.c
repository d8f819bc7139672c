/* test-crash.c: SIGKILL the real server while clients write, again and again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the ringdesk-server binary ($RD_SERVER_BINARY) on one data dir for
 * ROUNDS rounds. In each, WORKERS clients create tickets and upload evidence
 * (seeded sizes and types, some chunked) as fast as they are answered, and
 * after a seeded random delay the server is killed with SIGKILL, mid-write.
 * After each restart:
 *
 *  - every ticket acknowledged with 201 is there, with its subject;
 *  - every evidence acknowledged with 201 is there, with its bytes (SHA-256);
 *  - ticket numbers are unique, grow along each client's sequence of
 *    creations and across restarts;
 *  - every evidence row the API lists (acknowledged or not) has its file,
 *    byte for byte, and no temp file is left or visible.
 *
 * The seed is printed; RD_CRASH_SEED=N repeats a run.
 */

#define G_LOG_DOMAIN "RdTestCrash"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>

#include "rd-common.h"
#include "rd-auth.h"
#include "rd-store.h"
#include "rd-test-http.h"
#include "rd-ticket-store.h"

#define ROUNDS   10
#define WORKERS  6
#define PASSWORD "secretpass1"

typedef struct
{
  char   *number;
  char   *subject;
  guint   worker;
  guint   sequence;   /* this worker's n-th acknowledged creation */
  guint   round;
} AckedTicket;

typedef struct
{
  char   *id;
  char   *number;
  char   *sha256;
  gsize   size;
} AckedEvidence;

typedef struct _Crash Crash;

typedef struct
{
  Crash   *crash;
  guint    index;
  char    *ticket;      /* the last acknowledged ticket of this worker */
  guint    created;
  gboolean busy;
} Worker;

struct _Crash
{
  char        *dir;
  GRand       *rand;
  GPtrArray   *tickets;     /* AckedTicket */
  GPtrArray   *evidence;    /* AckedEvidence */
  gint64       max_number;  /* the largest number seen before this round */
  guint        round;

  /* this round */
  GSubprocess *process;
  SoupSession *session;
  char        *base;
  char        *token;
  GMainLoop   *loop;
  gboolean     killed;
  Worker       workers[WORKERS];
  guint        n_acked;
  guint        n_failed;
};

static void
acked_ticket_free (AckedTicket *ticket)
{
  g_free (ticket->number);
  g_free (ticket->subject);
  g_free (ticket);
}

static void
acked_evidence_free (AckedEvidence *evidence)
{
  g_free (evidence->id);
  g_free (evidence->number);
  g_free (evidence->sha256);
  g_free (evidence);
}

/* a file of a random accepted type and size */
static GBytes *
random_file (GRand       *rand,
             const char **type)
{
  static const struct { const char *type; const char *magic; gsize length; } kinds[] = {
    { "image/jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", 11 },
    { "image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16 },
    { "application/pdf", "%PDF-1.7\n", 9 },
  };
  guint kind = g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds));
  gsize size = g_rand_int_range (rand, 100, 300 * 1024);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i += 4)
    {
      guint32 value = g_rand_int (rand);
      memcpy (data + i, &value, MIN (4, size - i));
    }
  memcpy (data, kinds[kind].magic, kinds[kind].length);
  *type = kinds[kind].type;

  return g_bytes_new_take (data, size);
}

static void worker_next (Worker *worker);

typedef struct
{
  Worker     *worker;
  SoupMessage *msg;
  char       *subject;    /* a ticket creation */
  char       *sha256;     /* an upload */
  gsize       size;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->msg);
  g_free (pending->subject);
  g_free (pending->sha256);
  g_free (pending);
}

static void
maybe_quit (Crash *crash)
{
  if (!crash->killed)
    return;

  for (guint i = 0; i < WORKERS; i++)
    {
      if (crash->workers[i].busy)
        return;
    }

  g_main_loop_quit (crash->loop);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;
  Worker *worker = pending->worker;
  Crash *crash = worker->crash;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (pending->msg);
  g_autoptr(JsonObject) json = NULL;
  const char *value = NULL;

  worker->busy = FALSE;

  if (bytes == NULL || status != 201)
    {
      /* the kill, mid-request: nothing was acknowledged */
      if (!crash->killed)
        g_error ("Request failed before the kill: %u %s", status, error != NULL ? error->message : "");
      crash->n_failed++;
      pending_free (pending);
      maybe_quit (crash);
      return;
    }

  json = rd_json_parse_object (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (json == NULL)
    {
      /* killed between the status line and the body: a reply cut short is
       * no acknowledgement (the client cannot know the number or id) */
      if (!crash->killed)
        g_error ("Unreadable reply before the kill: %s", error->message);
      crash->n_failed++;
      pending_free (pending);
      maybe_quit (crash);
      return;
    }
  crash->n_acked++;

  if (pending->subject != NULL)
    {
      AckedTicket *ticket = g_new0 (AckedTicket, 1);

      g_assert_true (rd_json_get_string (json, "number", RD_JSON_REQUIRED, &value, NULL));
      ticket->number = g_strdup (value);
      ticket->subject = g_strdup (pending->subject);
      ticket->worker = worker->index;
      ticket->sequence = worker->created++;
      ticket->round = crash->round;
      g_ptr_array_add (crash->tickets, ticket);
      g_free (worker->ticket);
      worker->ticket = g_strdup (value);
    }
  else
    {
      AckedEvidence *evidence = g_new0 (AckedEvidence, 1);

      g_assert_true (rd_json_get_string (json, "sha256", RD_JSON_REQUIRED, &value, NULL));
      g_assert_cmpstr (value, ==, pending->sha256);
      g_assert_true (rd_json_get_string (json, "id", RD_JSON_REQUIRED, &value, NULL));
      evidence->id = g_strdup (value);
      g_assert_true (rd_json_get_string (json, "ticket", RD_JSON_REQUIRED, &value, NULL));
      evidence->number = g_strdup (value);
      evidence->sha256 = g_strdup (pending->sha256);
      evidence->size = pending->size;
      g_ptr_array_add (crash->evidence, evidence);
    }

  pending_free (pending);
  if (crash->killed)
    maybe_quit (crash);
  else
    worker_next (worker);
}

static void
worker_next (Worker *worker)
{
  Crash *crash = worker->crash;
  Pending *pending = g_new0 (Pending, 1);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", crash->token);
  g_autofree char *uri = NULL;

  pending->worker = worker;

  if (worker->ticket == NULL || g_rand_int_range (crash->rand, 0, 3) == 0)
    {
      g_autofree char *body = NULL;
      g_autoptr(GBytes) bytes = NULL;

      pending->subject = g_strdup_printf ("Crash round %u worker %u #%u", crash->round, worker->index,
                                          g_rand_int (crash->rand));
      body = g_strdup_printf ("{\"subject\":\"%s\",\"area\":\"north\"}", pending->subject);
      uri = g_strconcat (crash->base, "api/v1/tickets", NULL);
      pending->msg = soup_message_new ("POST", uri);
      bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (pending->msg, "application/json", bytes);
    }
  else
    {
      const char *type = NULL;
      g_autoptr(GBytes) file = random_file (crash->rand, &type);
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (file);
      gboolean chunked = g_rand_boolean (crash->rand);

      pending->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
      pending->size = g_bytes_get_size (file);
      uri = g_strdup_printf ("%sapi/v1/tickets/%s/evidence?filename=crash.bin", crash->base, worker->ticket);
      pending->msg = soup_message_new ("POST", uri);
      soup_message_set_request_body (pending->msg, type, stream, chunked ? -1 : (gssize) pending->size);
    }

  soup_message_headers_replace (soup_message_get_request_headers (pending->msg), "Authorization", auth);
  worker->busy = TRUE;
  soup_session_send_and_read_async (crash->session, pending->msg, G_PRIORITY_DEFAULT, NULL, sent_cb, pending);
}

static void
start_server (Crash *crash)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_strdup_printf ("%s/server-%u.log", crash->dir, crash->round);
  g_autofree char *data_dir = g_build_filename (crash->dir, "data", NULL);

  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_unsetenv (launcher, "STATE_DIRECTORY");
  crash->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RD_SERVER_BINARY"),
                                                "--listen", "127.0.0.1:0", "--data-dir", data_dir, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (crash->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);   /* EOF: the server died; see its log */
      if (g_str_has_prefix (line, "ringdesk-server: listening on "))
        {
          crash->base = g_strdup (line + strlen ("ringdesk-server: listening on "));
          break;
        }
    }

  crash->session = soup_session_new ();
  crash->token = rd_test_sign_in (crash->session, crash->base, "crash", PASSWORD);
}

static void
forget_server (Crash *crash)
{
  g_clear_object (&crash->session);
  g_clear_object (&crash->process);
  g_clear_pointer (&crash->base, g_free);
  g_clear_pointer (&crash->token, g_free);
}

static gboolean
kill_cb (gpointer user_data)
{
  Crash *crash = user_data;

  g_test_message ("round %u: SIGKILL after %u acknowledged", crash->round, crash->n_acked);
  g_subprocess_send_signal (crash->process, SIGKILL);
  crash->killed = TRUE;
  maybe_quit (crash);

  return G_SOURCE_REMOVE;
}

static GBytes *
get_raw (Crash      *crash,
         const char *path,
         guint      *status)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;

  return rd_test_request_raw (crash->session, crash->base, "GET", path, crash->token, NULL, NULL, FALSE,
                              NULL, status, &headers);
}

/* Every evidence row of ticket @number has its file, byte for byte. */
static guint
check_ticket_evidence (Crash      *crash,
                       const char *number)
{
  g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s/evidence", number);
  JsonArray *items = NULL;
  RdTestReply reply;
  guint n;

  rd_test_request (crash->session, crash->base, "GET", path, crash->token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  n = json_array_get_length (items);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *id = NULL;
      const char *sha256 = NULL;
      g_autofree char *content = NULL;
      g_autofree char *got = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gint64 size = 0;
      guint status = 0;

      g_assert_true (rd_json_get_string (item, "id", RD_JSON_REQUIRED, &id, NULL));
      g_assert_true (rd_json_get_string (item, "sha256", RD_JSON_REQUIRED, &sha256, NULL));
      g_assert_true (rd_json_get_int (item, "size", RD_JSON_REQUIRED, &size, NULL));
      content = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", id);
      bytes = get_raw (crash, content, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpint (g_bytes_get_size (bytes), ==, size);
      got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_assert_cmpstr (got, ==, sha256);
    }

  rd_test_reply_clear (&reply);
  return n;
}

static void
verify (Crash *crash)
{
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *tmp = g_build_filename (crash->dir, "data", "evidence", "tmp", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *cursor = NULL;
  gint64 last[WORKERS];
  gint64 max_number = 0;
  guint n_rows = 0;
  guint n_listed = 0;

  for (guint w = 0; w < WORKERS; w++)
    last[w] = 0;

  /* acknowledged tickets: there, and numbered in each client's order */
  for (guint i = 0; i < crash->tickets->len; i++)
    {
      AckedTicket *ticket = g_ptr_array_index (crash->tickets, i);
      g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s", ticket->number);
      const char *subject = NULL;
      gint64 number = 0;
      RdTestReply reply;

      g_assert_true (rd_ticket_number_parse (ticket->number, &number));
      g_assert_false (g_hash_table_contains (numbers, ticket->number));
      g_hash_table_add (numbers, ticket->number);

      rd_test_request (crash->session, crash->base, "GET", path, crash->token, NULL, &reply);
      g_assert_cmpuint (reply.status, ==, 200);
      g_assert_true (rd_json_get_string (reply.json, "subject", RD_JSON_REQUIRED, &subject, NULL));
      g_assert_cmpstr (subject, ==, ticket->subject);
      rd_test_reply_clear (&reply);

      g_assert_cmpint (number, >, last[ticket->worker]);
      last[ticket->worker] = number;
      /* later rounds only hand out larger numbers */
      if (ticket->round == crash->round)
        g_assert_cmpint (number, >, crash->max_number);
      max_number = MAX (max_number, number);
    }

  /* acknowledged evidence: there, byte for byte */
  for (guint i = 0; i < crash->evidence->len; i++)
    {
      AckedEvidence *evidence = g_ptr_array_index (crash->evidence, i);
      g_autofree char *path = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", evidence->id);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sha256 = NULL;
      guint status = 0;

      bytes = get_raw (crash, path, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, evidence->size);
      sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_assert_cmpstr (sha256, ==, evidence->sha256);
    }

  /* every ticket the server has (acknowledged or not): its evidence rows all
   * have their files, and the numbers are unique */
  for (;;)
    {
      g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "?limit=500%s%s",
                                               cursor != NULL ? "&cursor=" : "",
                                               cursor != NULL ? cursor : "");
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      JsonArray *items = NULL;
      const char *next = NULL;
      RdTestReply reply;

      rd_test_request (crash->session, crash->base, "GET", path, crash->token, NULL, &reply);
      g_assert_cmpuint (reply.status, ==, 200);
      g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *number = NULL;
          gint64 count = 0;

          g_assert_true (rd_json_get_string (item, "number", RD_JSON_REQUIRED, &number, NULL));
          g_assert_true (rd_json_get_int (item, "evidence_count", RD_JSON_REQUIRED, &count, NULL));
          g_assert_false (g_hash_table_contains (seen, number));
          g_hash_table_add (seen, g_strdup (number));
          n_rows++;
          if (count > 0)
            g_assert_cmpuint (check_ticket_evidence (crash, number), ==, count);
          n_listed += count;
        }
      g_assert_true (rd_json_get_string (reply.json, "next_cursor", RD_JSON_NULLABLE, &next, NULL));
      g_free (cursor);
      cursor = g_strdup (next);
      rd_test_reply_clear (&reply);
      if (cursor == NULL)
        break;
    }

  g_assert_cmpuint (n_rows, >=, crash->tickets->len);
  g_assert_cmpuint (n_listed, >=, crash->evidence->len);

  /* the startup collected what the kill left in tmp */
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));

  crash->max_number = MAX (crash->max_number, max_number);
  g_test_message ("round %u verified: %u tickets (%u acknowledged), %u evidence (%u acknowledged)",
                  crash->round, n_rows, crash->tickets->len, n_listed, crash->evidence->len);
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *hash = NULL;
  const char *seed_text = g_getenv ("RD_CRASH_SEED");
  guint32 seed = g_test_rand_int ();
  Crash crash = { 0 };

  if (seed_text != NULL)
    seed = (guint32) g_ascii_strtoull (seed_text, NULL, 10);
  g_test_message ("RD_CRASH_SEED=%u", seed);

  crash.dir = g_dir_make_tmp ("rd-crash-XXXXXX", &error);
  g_assert_no_error (error);
  crash.rand = g_rand_new_with_seed (seed);
  crash.tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) acked_ticket_free);
  crash.evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) acked_evidence_free);

  /* the user, straight into a fresh store that the server then opens */
  data_dir = g_build_filename (crash.dir, "data", NULL);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  filename = g_build_filename (data_dir, RD_STORE_FILENAME, NULL);
  hash = rd_auth_hash_password (PASSWORD, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RdStore) store = rd_store_new (filename);

    g_assert_true (rd_store_open (store, &error));
    g_assert_no_error (error);
    rd_test_add_user (store, "crash", hash, RD_ROLE_SUPERVISOR);
    rd_store_close (store);
  }

  for (crash.round = 1; crash.round <= ROUNDS; crash.round++)
    {
      start_server (&crash);
      if (crash.round > 1)
        verify (&crash);

      crash.killed = FALSE;
      crash.n_acked = 0;
      crash.n_failed = 0;
      crash.loop = g_main_loop_new (NULL, FALSE);
      for (guint i = 0; i < WORKERS; i++)
        {
          crash.workers[i].crash = &crash;
          crash.workers[i].index = i;
          worker_next (&crash.workers[i]);
        }
      g_timeout_add (g_rand_int_range (crash.rand, 100, 700), kill_cb, &crash);
      g_main_loop_run (crash.loop);
      g_clear_pointer (&crash.loop, g_main_loop_unref);

      g_assert_true (g_subprocess_wait (crash.process, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (crash.process));
      g_assert_cmpint (g_subprocess_get_term_sig (crash.process), ==, SIGKILL);
      g_test_message ("round %u: %u acknowledged, %u cut off", crash.round, crash.n_acked, crash.n_failed);
      forget_server (&crash);
    }

  /* the last kill too, then a clean stop */
  start_server (&crash);
  verify (&crash);
  g_assert_cmpuint (crash.tickets->len, >, ROUNDS);
  g_assert_cmpuint (crash.evidence->len, >, ROUNDS);
  g_subprocess_send_signal (crash.process, SIGTERM);
  g_assert_true (g_subprocess_wait (crash.process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (crash.process));
  g_assert_cmpint (g_subprocess_get_exit_status (crash.process), ==, 0);
  forget_server (&crash);

  for (guint i = 0; i < WORKERS; i++)
    g_free (crash.workers[i].ticket);
  g_ptr_array_unref (crash.tickets);
  g_ptr_array_unref (crash.evidence);
  g_rand_free (crash.rand);
  rd_test_remove_tree (crash.dir);
  g_free (crash.dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("RD_SERVER_BINARY") == NULL)
    {
      g_print ("1..0 # SKIP RD_SERVER_BINARY is not set\n");
      return 0;
    }

  g_test_add_func ("/crash/sigkill-while-writing", test_crash);

  return g_test_run ();
}
