/* test-evidence.c: the evidence routes of an in-process RdDaemon on
 * 127.0.0.1:0, driven by a real SoupSession, on a real data dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestEvidence"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-evidence-store.h"
#include "rd-sniff.h"
#include "rd-sqlite.h"
#include "rd-ticket-store.h"
#include "rd-test-http.h"

#define MAX_SIZE 65536

typedef RdTestDesk Fixture;

typedef RdTestReply Reply;

/* Sends @bytes raw (chunked when @chunked) and returns the raw reply body. */
static GBytes *
send_raw (Fixture             *f,
          const char          *method,
          const char          *path,
          const char          *token,
          const char          *content_type,
          GBytes              *bytes,
          gboolean             chunked,
          const char          *if_none_match,
          guint               *status,
          SoupMessageHeaders **headers)
{
  return rd_test_request_raw (f->session, f->base, method, path, token, content_type, bytes, chunked,
                              if_none_match, status, headers);
}

/* A raw request whose reply is JSON (or empty). */
static void
request_raw (Fixture    *f,
             const char *method,
             const char *path,
             const char *token,
             const char *content_type,
             GBytes     *bytes,
             gboolean    chunked,
             Reply      *reply)
{
  g_autoptr(GBytes) body = NULL;

  memset (reply, 0, sizeof *reply);
  body = send_raw (f, method, path, token, content_type, bytes, chunked, NULL,
                   &reply->status, &reply->headers);
  reply->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (g_strcmp0 (soup_message_headers_get_content_type (reply->headers, NULL), "application/json") == 0)
    {
      g_autoptr(GError) error = NULL;

      reply->json = rd_json_parse_object (reply->body, -1, &error);
      g_assert_no_error (error);
    }
}

static void
expect_upload_error (Fixture    *f,
                     const char *path,
                     const char *token,
                     const char *content_type,
                     GBytes     *bytes,
                     gboolean    chunked,
                     guint       status,
                     const char *code)
{
  Reply reply;

  request_raw (f, "POST", path, token, content_type, bytes, chunked, &reply);
  rd_test_assert_error (&reply, status, code);
  rd_test_reply_clear (&reply);
}

static void
expect_error (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              guint       status,
              const char *code)
{
  rd_test_expect_error (f->session, f->base, method, path, token, NULL, status, code);
}

/* A file of @type: its magic, then @size - magic bytes of seeded noise. */
static GBytes *
make_file (const char *type,
           gsize       size,
           guint32     seed)
{
  static const struct { const char *type; const char *magic; gsize length; } magics[] = {
    { "image/jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", 11 },
    { "image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16 },
    { "image/webp", "RIFF\x24\x00\x00\x00WEBPVP8 ", 16 },
    { "application/pdf", "%PDF-1.7\n", 9 },
    { "audio/ogg", "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"
                   "\x00\x00\x00\x00\x01\x13OpusHead", 36 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);

  for (i = 0; i < G_N_ELEMENTS (magics); i++)
    {
      if (g_str_equal (magics[i].type, type))
        {
          g_assert_cmpuint (size, >=, magics[i].length);
          memcpy (data, magics[i].magic, magics[i].length);
          return g_bytes_new_take (data, size);
        }
    }

  g_assert_not_reached ();
  return NULL;
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static char *
blob_path (Fixture    *f,
           const char *sha256)
{
  g_autofree char *a = g_strndup (sha256, 2);
  g_autofree char *b = g_strndup (sha256 + 2, 2);

  return g_build_filename (f->dir, "evidence", a, b, sha256, NULL);
}

static guint
count_temp_files (Fixture *f)
{
  g_autofree char *tmp = g_build_filename (f->dir, "evidence", "tmp", NULL);
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  guint n = 0;

  /* made by the first upload */
  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static char *
create_ticket (Fixture    *f,
               const char *assignee)
{
  g_autofree char *body = NULL;
  Reply reply;
  char *number;

  if (assignee != NULL)
    body = g_strdup_printf ("{\"subject\":\"Leak\",\"assignee\":\"%s\"}", assignee);
  else
    body = g_strdup ("{\"subject\":\"Leak\"}");

  rd_test_request (f->session, f->base, "POST", RD_API_PATH_TICKETS, f->ana, body, &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  number = g_strdup (rd_test_member (reply.json, "number"));
  rd_test_reply_clear (&reply);

  return number;
}

static void
assert_evidence_count (Fixture    *f,
                       const char *token,
                       const char *number,
                       gint64      expected)
{
  g_autofree char *path = g_strdup_printf (RD_API_PATH_TICKETS "/%s", number);
  gint64 count = -1;
  Reply reply;

  rd_test_request (f->session, f->base, "GET", path, token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_int (reply.json, "evidence_count", RD_JSON_REQUIRED, &count, NULL));
  g_assert_cmpint (count, ==, expected);
  rd_test_reply_clear (&reply);
}

static char *
evidence_path (const char *number,
               const char *query)
{
  return g_strdup_printf (RD_API_PATH_TICKETS "/%s/evidence%s", number, query != NULL ? query : "");
}

/* Uploads and checks the 201 reply; returns the evidence id. */
static char *
upload_ok (Fixture    *f,
           const char *token,
           const char *number,
           const char *query,
           const char *type,
           GBytes     *bytes,
           gboolean    chunked)
{
  g_autofree char *path = evidence_path (number, query);
  g_autofree char *sha256 = sha256_of (bytes);
  g_autofree char *location = NULL;
  gint64 size = 0;
  Reply reply;
  char *id;

  request_raw (f, "POST", path, token, type, bytes, chunked, &reply);
  g_test_message ("upload reply %u: %s", reply.status, reply.body);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpstr (rd_test_member (reply.json, "ticket"), ==, number);
  g_assert_cmpstr (rd_test_member (reply.json, "content_type"), ==, type);
  g_assert_cmpstr (rd_test_member (reply.json, "sha256"), ==, sha256);
  g_assert_true (rd_json_get_int (reply.json, "size", RD_JSON_REQUIRED, &size, NULL));
  g_assert_cmpint (size, ==, (gint64) g_bytes_get_size (bytes));
  g_assert_nonnull (rd_test_member (reply.json, "uploaded_at"));
  id = g_strdup (rd_test_member (reply.json, "id"));
  location = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", id);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==, location);
  rd_test_reply_clear (&reply);

  return id;
}

static GBytes *
download (Fixture             *f,
          const char          *token,
          const char          *id,
          guint               *status,
          SoupMessageHeaders **headers)
{
  g_autofree char *path = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", id);

  return send_raw (f, "GET", path, token, NULL, NULL, FALSE, NULL, status, headers);
}

static void
start_daemon (Fixture *f)
{
  g_free (f->base);
  f->daemon = rd_test_start_daemon (f->config, &f->base);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *conf = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n"
                                           "[evidence]\nmax-size=%d\n", MAX_SIZE);

  rd_test_desk_set_up (f, conf);
}

static const char * const types[] = {
  "image/jpeg", "image/png", "image/webp", "application/pdf", "audio/ogg", NULL
};

static void
test_each_type (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, "tim");
  g_autofree char *list_path = evidence_path (number, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items = NULL;
  Reply reply;

  for (guint i = 0; types[i] != NULL; i++)
    {
      g_autoptr(GBytes) file = make_file (types[i], 1000 + i * 7919, i + 1);
      g_autofree char *sha256 = sha256_of (file);
      g_autofree char *blob = blob_path (f, sha256);
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(GBytes) got = NULL;
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sha256);
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;
      guint status = 0;
      /* the assigned technician adds, every second one chunked */
      char *id = upload_ok (f, f->tim, number, "?description=Meter%20photo&filename=meter.bin",
                            types[i], file, i % 2 == 1);

      g_ptr_array_add (ids, id);
      g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));

      /* the agent who opened the ticket downloads it, byte for byte */
      got = download (f, f->ana, id, &status, &headers);
      g_assert_cmpuint (status, ==, 200);
      g_assert_true (g_bytes_equal (got, file));
      g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, types[i]);
      g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, g_bytes_get_size (file));
      g_assert_cmpstr (soup_message_headers_get_one (headers, "ETag"), ==, etag);
      g_assert_true (soup_message_headers_get_content_disposition (headers, &disposition, &params));
      g_assert_cmpstr (disposition, ==, "attachment");
      g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "meter.bin");

      /* revalidation */
      {
        g_autofree char *path = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", id);
        g_autoptr(SoupMessageHeaders) again_headers = NULL;
        g_autoptr(GBytes) again = send_raw (f, "GET", path, f->ana, NULL, NULL, FALSE, etag,
                                            &status, &again_headers);

        g_assert_cmpuint (status, ==, 304);
        g_assert_cmpuint (g_bytes_get_size (again), ==, 0);
      }
    }

  rd_test_request (f->session, f->base, "GET", list_path, f->tim, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpstr (rd_test_member (item, "id"), ==, g_ptr_array_index (ids, i));
      g_assert_cmpstr (rd_test_member (item, "description"), ==, "Meter photo");
      g_assert_cmpstr (rd_test_member (item, "uploaded_by"), ==, "tim");
      g_assert_cmpstr (rd_test_member (item, "content_type"), ==, types[i]);
    }
  rd_test_reply_clear (&reply);

  assert_evidence_count (f, f->tim, number, ids->len);

  g_assert_cmpuint (count_temp_files (f), ==, 0);
}

static void
test_mismatch (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, NULL);
  g_autofree char *path = evidence_path (number, NULL);
  g_autoptr(GBytes) png = make_file ("image/png", 5000, 7);
  g_autoptr(GBytes) short_png = make_file ("image/png", 20, 7);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("just some text, certainly not a picture of a meter",
                                               50);

  /* each type's bytes under each other declared type */
  for (guint i = 0; types[i] != NULL; i++)
    for (guint j = 0; types[j] != NULL; j++)
      {
        g_autoptr(GBytes) file = make_file (types[i], 3000, i + 11);

        if (i == j)
          continue;
        expect_upload_error (f, path, f->ana, types[j], file, j % 2 == 0, 415, "unsupported_media_type");
      }

  expect_upload_error (f, path, f->ana, "image/jpeg", short_png, FALSE, 415, "unsupported_media_type");
  expect_upload_error (f, path, f->ana, "image/gif", png, FALSE, 415, "unsupported_media_type");
  expect_upload_error (f, path, f->ana, "text/plain", text, FALSE, 415, "unsupported_media_type");
  expect_upload_error (f, path, f->ana, "application/json", text, FALSE, 415, "unsupported_media_type");
  expect_upload_error (f, path, f->ana, NULL, png, FALSE, 415, "unsupported_media_type");
  expect_upload_error (f, path, f->ana, "application/pdf", text, FALSE, 415, "unsupported_media_type");
  expect_upload_error (f, path, f->ana, "image/png", empty, FALSE, 422, "invalid_field");
  /* no body, so no Content-Type either */
  expect_upload_error (f, path, f->ana, "image/png", NULL, FALSE, 415, "unsupported_media_type");

  /* a bad description is refused before the body */
  {
    g_autofree char *bad = evidence_path (number, "?description=a%01b");
    expect_upload_error (f, bad, f->ana, "image/png", png, FALSE, 422, "invalid_field");
  }

  /* a file shorter than the sniffed head, of the right type, is fine */
  g_free (upload_ok (f, f->ana, number, NULL, "image/png", short_png, FALSE));
  assert_evidence_count (f, f->ana, number, 1);

  g_assert_cmpuint (count_temp_files (f), ==, 0);
}

static void
test_oversize (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, NULL);
  g_autofree char *path = evidence_path (number, NULL);
  g_autoptr(GBytes) big = make_file ("image/jpeg", MAX_SIZE + 1, 3);
  g_autoptr(GBytes) huge = make_file ("image/jpeg", MAX_SIZE * 4, 4);
  g_autoptr(GBytes) exact = make_file ("image/jpeg", MAX_SIZE, 5);
  JsonArray *items = NULL;
  Reply reply;

  /* by Content-Length, before reading */
  expect_upload_error (f, path, f->ana, "image/jpeg", big, FALSE, 413, "too_large");
  expect_upload_error (f, path, f->ana, "image/jpeg", huge, FALSE, 413, "too_large");
  /* chunked, while reading */
  expect_upload_error (f, path, f->ana, "image/jpeg", big, TRUE, 413, "too_large");
  expect_upload_error (f, path, f->ana, "image/jpeg", huge, TRUE, 413, "too_large");

  rd_test_request (f->session, f->base, "GET", path, f->ana, NULL, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 0);
  rd_test_reply_clear (&reply);
  g_assert_cmpuint (count_temp_files (f), ==, 0);

  /* the limit itself is fine, either way */
  g_free (upload_ok (f, f->ana, number, NULL, "image/jpeg", exact, FALSE));
  g_free (upload_ok (f, f->ana, number, NULL, "image/jpeg", exact, TRUE));
  g_assert_cmpuint (count_temp_files (f), ==, 0);
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, "tim");
  g_autofree char *path = evidence_path (number, NULL);
  g_autoptr(GBytes) pdf = make_file ("application/pdf", 4000, 9);
  g_autofree char *id = NULL;
  g_autofree char *content = NULL;
  g_autofree char *item = NULL;
  Reply reply;

  /* technician not on the ticket, agent who did not open it */
  expect_upload_error (f, path, f->tom, "application/pdf", pdf, FALSE, 403, "forbidden");
  expect_upload_error (f, path, f->bob, "application/pdf", pdf, FALSE, 403, "forbidden");
  expect_upload_error (f, path, NULL, "application/pdf", pdf, FALSE, 401, "unauthorized");

  /* the assigned technician, the agent who opened it, supervisors and admins */
  g_free (upload_ok (f, f->tim, number, NULL, "application/pdf", pdf, FALSE));
  g_free (upload_ok (f, f->ana, number, NULL, "application/pdf", pdf, FALSE));
  g_free (upload_ok (f, f->root, number, NULL, "application/pdf", pdf, FALSE));
  id = upload_ok (f, f->sue, number, NULL, "application/pdf", pdf, FALSE);

  content = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", id);
  item = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s", id);

  expect_error (f, "GET", path, f->tom, 403, "forbidden");
  expect_error (f, "GET", path, f->bob, 403, "forbidden");
  expect_error (f, "GET", path, NULL, 401, "unauthorized");
  expect_error (f, "GET", content, f->tom, 403, "forbidden");
  expect_error (f, "GET", content, f->bob, 403, "forbidden");
  expect_error (f, "GET", content, NULL, 401, "unauthorized");

  /* deleting is for supervisors and admins */
  expect_error (f, "DELETE", item, f->ana, 403, "forbidden");
  expect_error (f, "DELETE", item, f->tim, 403, "forbidden");
  expect_error (f, "DELETE", item, NULL, 401, "unauthorized");

  rd_test_request (f->session, f->base, "DELETE", item, f->sue, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 204);
  rd_test_reply_clear (&reply);
  expect_error (f, "GET", content, f->sue, 404, "not_found");
  expect_error (f, "DELETE", item, f->root, 404, "not_found");

  /* the other three rows still use the same file */
  {
    g_autofree char *sha256 = sha256_of (pdf);
    g_autofree char *blob = blob_path (f, sha256);

    g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_dedup_and_delete (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *one = create_ticket (f, NULL);
  g_autofree char *two = create_ticket (f, NULL);
  g_autoptr(GBytes) webp = make_file ("image/webp", 6000, 21);
  g_autofree char *sha256 = sha256_of (webp);
  g_autofree char *blob = blob_path (f, sha256);
  g_autofree char *a = upload_ok (f, f->ana, one, NULL, "image/webp", webp, FALSE);
  g_autofree char *b = upload_ok (f, f->ana, two, NULL, "image/webp", webp, TRUE);
  g_autofree char *a_path = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s", a);
  g_autofree char *b_path = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s", b);
  Reply reply;

  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));

  rd_test_request (f->session, f->base, "DELETE", a_path, f->root, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 204);
  rd_test_reply_clear (&reply);
  g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));

  rd_test_request (f->session, f->base, "DELETE", b_path, f->root, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 204);
  rd_test_reply_clear (&reply);
  g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
}

/* Deleting a ticket takes its rows and the files no other ticket uses. */
static void
test_delete_ticket (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *one = create_ticket (f, NULL);
  g_autofree char *two = create_ticket (f, NULL);
  g_autofree char *three = NULL;
  g_autoptr(GBytes) shared = make_file ("image/webp", 6000, 31);
  g_autoptr(GBytes) own = make_file ("application/pdf", 3000, 32);
  g_autofree char *shared_sha256 = sha256_of (shared);
  g_autofree char *own_sha256 = sha256_of (own);
  g_autofree char *shared_blob = blob_path (f, shared_sha256);
  g_autofree char *own_blob = blob_path (f, own_sha256);
  g_autofree char *a = upload_ok (f, f->ana, one, NULL, "image/webp", shared, FALSE);
  g_autofree char *b = upload_ok (f, f->ana, one, NULL, "application/pdf", own, TRUE);
  g_autofree char *c = upload_ok (f, f->ana, two, NULL, "image/webp", shared, FALSE);
  g_autofree char *one_path = g_strdup_printf (RD_API_PATH_TICKETS "/%s", one);
  g_autofree char *one_history = g_strdup_printf (RD_API_PATH_TICKETS "/%s/history", one);
  g_autofree char *a_content = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", a);
  g_autofree char *b_content = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", b);
  g_autofree char *c_content = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", c);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  gint64 two_number = 0, three_number = 0;
  Reply reply;
  guint status = 0;

  rd_test_request (f->session, f->base, "PATCH", one_path, f->ana, "{\"priority\":\"high\"}", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  rd_test_reply_clear (&reply);

  /* only admins erase a ticket */
  expect_error (f, "DELETE", one_path, f->ana, 403, "forbidden");
  expect_error (f, "DELETE", one_path, f->sue, 403, "forbidden");
  expect_error (f, "DELETE", one_path, f->tim, 403, "forbidden");
  g_assert_true (g_file_test (own_blob, G_FILE_TEST_IS_REGULAR));

  rd_test_request (f->session, f->base, "DELETE", one_path, f->root, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 204);
  rd_test_reply_clear (&reply);

  /* the ticket, its history and its evidence are gone, and the file only it used */
  expect_error (f, "GET", one_path, f->root, 404, "not_found");
  expect_error (f, "GET", one_history, f->root, 404, "not_found");
  expect_error (f, "GET", a_content, f->root, 404, "not_found");
  expect_error (f, "GET", b_content, f->root, 404, "not_found");
  expect_error (f, "DELETE", one_path, f->root, 404, "not_found");
  g_assert_false (g_file_test (own_blob, G_FILE_TEST_EXISTS));

  /* the other ticket keeps the content they shared */
  g_assert_true (g_file_test (shared_blob, G_FILE_TEST_IS_REGULAR));
  body = send_raw (f, "GET", c_content, f->ana, NULL, NULL, FALSE, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (body, shared));
  assert_evidence_count (f, f->ana, two, 1);

  /* the number is never handed out again */
  three = create_ticket (f, NULL);
  g_assert_true (rd_ticket_number_parse (two, &two_number));
  g_assert_true (rd_ticket_number_parse (three, &three_number));
  g_assert_cmpint (three_number, ==, two_number + 1);

  expect_error (f, "DELETE", RD_API_PATH_TICKETS "/abc", f->root, 404, "not_found");
  expect_error (f, "DELETE", RD_API_PATH_TICKETS "/999999", f->root, 404, "not_found");
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) png = make_file ("image/png", 100, 1);

  expect_upload_error (f, RD_API_PATH_TICKETS "/999999/evidence", f->root, "image/png", png, FALSE,
                       404, "not_found");
  expect_upload_error (f, RD_API_PATH_TICKETS "/abc/evidence", f->root, "image/png", png, FALSE,
                       404, "not_found");
  expect_error (f, "GET", RD_API_PATH_TICKETS "/999999/evidence", f->root, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_EVIDENCE "/999999/content", f->root, 404, "not_found");
  expect_error (f, "GET", RD_API_PATH_EVIDENCE "/-1/content", f->root, 404, "not_found");
  /* libsoup itself refuses an escaped "/" in a path */
  expect_error (f, "GET", RD_API_PATH_EVIDENCE "/..%2f..%2fringdesk.db/content", f->root, 400, "invalid_json");
  expect_error (f, "GET", RD_API_PATH_EVIDENCE "/1e3/content", f->root, 404, "not_found");
  expect_error (f, "DELETE", RD_API_PATH_EVIDENCE "/999999", f->root, 404, "not_found");
  expect_error (f, "PUT", RD_API_PATH_EVIDENCE "/1/content", f->root, 405, "method_not_allowed");
  g_assert_cmpuint (count_temp_files (f), ==, 0);
}

static void
test_filename (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *query; const char *stored; } cases[] = {
    { "?filename=..%2F..%2Fetc%2Fpasswd", "passwd" },
    { "?filename=C%3A%5Cfotos%5Cmeter.jpg", "meter.jpg" },
    { "?filename=a%22b%0D%0Ac.jpg", "abc.jpg" },
    { "?filename=.hidden", "hidden" },
    { "?filename=contador%20%C3%B1.jpg", "contador ñ.jpg" },
    { "", "" },
  };
  g_autofree char *number = create_ticket (f, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) jpeg = make_file ("image/jpeg", 500, 40 + i);
      g_autofree char *path = evidence_path (number, cases[i].query);
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(GBytes) got = NULL;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *expected = NULL;
      guint status = 0;
      Reply reply;
      char *id;

      request_raw (f, "POST", path, f->ana, "image/jpeg", jpeg, FALSE, &reply);
      g_assert_cmpuint (reply.status, ==, 201);
      g_assert_cmpstr (rd_test_member (reply.json, "filename"), ==, cases[i].stored);
      id = g_strdup (rd_test_member (reply.json, "id"));
      rd_test_reply_clear (&reply);

      got = download (f, f->ana, id, &status, &headers);
      g_assert_cmpuint (status, ==, 200);
      g_assert_true (soup_message_headers_get_content_disposition (headers, &disposition, &params));
      expected = cases[i].stored[0] != '\0' ? g_strdup (cases[i].stored)
                                            : g_strdup_printf ("evidence-%s.jpeg", id);
      g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, expected);
      g_free (id);
    }
}

static void
aborted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

/* A client that goes away mid-upload leaves nothing behind. */
static void
test_client_abort (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = make_file ("image/jpeg", 4096, 60);
  g_autoptr(GUri) uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, &error);
  g_autofree char *head = NULL;
  GOutputStream *out;
  gboolean done = FALSE;

  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);

  head = g_strdup_printf ("POST " RD_API_PATH_TICKETS "/%s/evidence HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: image/jpeg\r\nContent-Length: 60000\r\n\r\n",
                          number, f->ana);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                                            NULL, NULL, &error));
  g_assert_no_error (error);

  /* the server has the temp file once it read the first chunk */
  while (count_temp_files (f) == 0)
    g_main_context_iteration (NULL, TRUE);

  g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, aborted_cb, &done);
  while (!done || count_temp_files (f) > 0)
    g_main_context_iteration (NULL, TRUE);

  assert_evidence_count (f, f->ana, number, 0);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, NULL);
  g_autoptr(GBytes) kept = make_file ("audio/ogg", 2000, 50);
  g_autofree char *kept_sha = sha256_of (kept);
  g_autofree char *kept_blob = blob_path (f, kept_sha);
  g_autoptr(GBytes) orphan = make_file ("audio/ogg", 2000, 51);
  g_autofree char *orphan_sha = sha256_of (orphan);
  g_autofree char *orphan_blob = blob_path (f, orphan_sha);
  g_autofree char *orphan_dir = g_path_get_dirname (orphan_blob);
  g_autofree char *temp = g_build_filename (f->dir, "evidence", "tmp", "upload-0000000000000000", NULL);
  g_autofree char *stranger = g_build_filename (f->dir, "evidence", "README", NULL);
  g_autoptr(GError) error = NULL;

  g_free (upload_ok (f, f->ana, number, NULL, "audio/ogg", kept, FALSE));

  /* what a crash between the rename and the row leaves, and a temp file */
  g_assert_cmpint (g_mkdir_with_parents (orphan_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (orphan_blob, g_bytes_get_data (orphan, NULL),
                                      g_bytes_get_size (orphan), &error));
  g_assert_true (g_file_set_contents (temp, "half", 4, &error));
  g_assert_true (g_file_set_contents (stranger, "not ours", 8, &error));
  g_assert_no_error (error);

  /* a restart collects them */
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  start_daemon (f);

  g_assert_false (g_file_test (orphan_blob, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept_blob, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (stranger, G_FILE_TEST_IS_REGULAR));

  /* a deleted ticket (the API has no route for it yet) takes its rows, and
   * the next collection its files */
  {
    sqlite3 *db = rd_store_get_connection (rd_daemon_get_store (f->daemon));
    g_autoptr(sqlite3_stmt) stmt = rd_sqlite_prepare (db, "DELETE FROM tickets WHERE number = ?1", &error);

    g_assert_no_error (error);
    sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
    g_assert_true (rd_sqlite_step_done (db, stmt, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_test (kept_blob, G_FILE_TEST_IS_REGULAR));
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  start_daemon (f);
  g_assert_false (g_file_test (kept_blob, G_FILE_TEST_EXISTS));
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  RdEvidence **evidence = user_data;
  g_autoptr(GError) error = NULL;

  *evidence = rd_evidence_store_add_finish (RD_EVIDENCE_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* The collector runs again and again while files are being added (between
 * the rename and the row, a blob has no row yet): it never takes one. */
static void
test_collect_while_adding (Fixture       *f,
                           gconstpointer  data)
{
  RdStore *store = rd_daemon_get_store (f->daemon);
  g_autofree char *folder = g_build_filename (f->dir, "evidence", NULL);
  g_autoptr(RdEvidenceStore) evidence_store = rd_evidence_store_new (store, folder, MAX_SIZE);
  g_autoptr(RdTicketStore) tickets = rd_ticket_store_new (store);
  g_autoptr(RdTicket) draft = rd_ticket_new (NULL);
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  gint64 number = 0;

  rd_ticket_set_subject (draft, "Collector race");
  ticket = rd_ticket_store_create (tickets, draft, "ana", &error);
  g_assert_no_error (error);
  g_assert_true (rd_ticket_number_parse (rd_ticket_get_number (ticket), &number));

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GBytes) file = make_file ("image/png", 3000 + i, 100 + i);
      g_autofree char *sha256 = sha256_of (file);
      g_autofree char *blob = blob_path (f, sha256);
      g_autoptr(RdEvidenceUpload) upload = rd_evidence_store_begin_upload (evidence_store, "image/png", &error);
      g_autoptr(RdEvidence) evidence = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (upload), g_bytes_get_data (file, NULL),
                                                g_bytes_get_size (file), NULL, NULL, &error));
      g_assert_no_error (error);
      rd_evidence_store_add_async (evidence_store, upload, number, "race.png", "", "ana", NULL,
                                   added_cb, &evidence);
      while (evidence == NULL)
        {
          rd_evidence_store_collect_garbage (evidence_store, FALSE, &error);
          g_assert_no_error (error);
          g_main_context_iteration (NULL, FALSE);
        }

      g_assert_cmpstr (rd_evidence_get_sha256 (evidence), ==, sha256);
      g_assert_true (g_file_get_contents (blob, &contents, &length, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (contents, length, g_bytes_get_data (file, NULL), g_bytes_get_size (file));
    }
}

static void
test_sniff (void)
{
  for (guint i = 0; types[i] != NULL; i++)
    {
      g_autoptr(GBytes) file = make_file (types[i], 200, i);
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (file, &size);

      g_assert_cmpstr (rd_sniff_content_type (data, size), ==, types[i]);
      g_assert_true (rd_sniff_type_is_allowed (types[i]));
      /* a truncated head is nothing */
      g_assert_null (rd_sniff_content_type (data, 2));
    }

  g_assert_null (rd_sniff_content_type ((const guint8 *) "GIF89a", 6));
  g_assert_null (rd_sniff_content_type (NULL, 0));
  /* Ogg video is not audio */
  g_assert_null (rd_sniff_content_type ((const guint8 *) "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"
                                        "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x2a"
                                        "\x80theora", 35));
  /* an Ogg first page with 200 segments: the codec id is at byte 227 */
  {
    guint8 page[300] = "OggS\0\2";

    page[26] = 200;
    memcpy (page + 27 + 200, "OpusHead", 8);
    g_assert_cmpstr (rd_sniff_content_type (page, sizeof page), ==, "audio/ogg");
    g_assert_null (rd_sniff_content_type (page, 27 + 200 + 7));
  }
  g_assert_false (rd_sniff_type_is_allowed ("image/gif"));
  g_assert_false (rd_sniff_type_is_allowed (NULL));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  rd_test_password_hash ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, rd_test_desk_tear_down)

  g_test_add_func ("/evidence/sniff", test_sniff);
  ADD ("/evidence/each-type", test_each_type);
  ADD ("/evidence/mismatch", test_mismatch);
  ADD ("/evidence/oversize", test_oversize);
  ADD ("/evidence/roles", test_roles);
  ADD ("/evidence/dedup-and-delete", test_dedup_and_delete);
  ADD ("/evidence/delete-ticket", test_delete_ticket);
  ADD ("/evidence/not-found", test_not_found);
  ADD ("/evidence/filename", test_filename);
  ADD ("/evidence/garbage", test_garbage);
  ADD ("/evidence/client-abort", test_client_abort);
  ADD ("/evidence/collect-while-adding", test_collect_while_adding);

#undef ADD

  ret = g_test_run ();

  return ret;
}
