/* test-api-doc.c: the request and reply examples of docs/api.md, sent to a
 * real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between `<!-- example-test: begin -->` and `<!-- example-test: end -->`,
 * every ```http block that starts with a method is a request, and the ```http
 * block after it (starting with `HTTP/1.1 STATUS`) its documented reply. The
 * requests are sent in order to one fresh server with the users of
 * rd-test-people.c; `Authorization: Bearer <name>` is that user's token, and
 * `Bearer <session>` the token of the last sign-in example. The reply must
 * have the status, the headers shown (a header shown as "…" only has to be
 * there), and JSON with exactly the members shown, where the string "…"
 * matches any value. The server runs with the doc's configuration: the
 * webhook link on, one failed sign-in allowed per username.
 */

#define G_LOG_DOMAIN "RdTestApiDoc"

#include "config.h"

#include <string.h>

#include "rd-common.h"
#include "rd-test-people.h"

typedef RdTestPeople Fixture;

#define BEGIN_MARK "<!-- example-test: begin -->"
#define END_MARK   "<!-- example-test: end -->"
#define ANY_VALUE  "…"
#define DOC_CONF   "[cti]\nlinks=generic\n[generic]\nsecret=doc-secret\n" \
                   "[auth]\nlogin-max-failures=1\n"

typedef struct
{
  char        *first_line;
  GHashTable  *headers;   /* lower-case name → value */
  char        *body;      /* NULL when empty */
} Block;

static void
block_free (Block *block)
{
  g_free (block->first_line);
  g_hash_table_unref (block->headers);
  g_free (block->body);
  g_free (block);
}

static Block *
parse_block (const char *text)
{
  Block *block = g_new0 (Block, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint i = 1;

  block->first_line = g_strdup (lines[0]);
  block->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *colon = strchr (lines[i], ':');

      g_assert_nonnull (colon);
      g_hash_table_insert (block->headers, g_ascii_strdown (lines[i], colon - lines[i]),
                           g_strstrip (g_strdup (colon + 1)));
    }
  if (lines[i] != NULL && lines[i + 1] != NULL)
    {
      g_autofree char *body = g_strjoinv ("\n", lines + i + 1);

      if (body[0] != '\0')
        block->body = g_strconcat (body, "\n", NULL);
    }

  return block;
}

/* The ```http blocks of the checked regions, in order. */
static GPtrArray *
read_blocks (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "api.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  const char *p;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  p = text;
  while ((p = strstr (p, BEGIN_MARK)) != NULL)
    {
      const char *end = strstr (p, END_MARK);

      g_assert_nonnull (end);
      while ((p = strstr (p, "```http\n")) != NULL && p < end)
        {
          const char *start = p + strlen ("```http\n");
          const char *close = strstr (start, "\n```");
          g_autofree char *content = NULL;

          g_assert_nonnull (close);
          content = g_strndup (start, close - start);
          g_ptr_array_add (blocks, parse_block (content));
          p = close + strlen ("\n```");
        }
      p = end;
    }

  return blocks;
}

static void
assert_json_matches (JsonNode   *want,
                     JsonNode   *got,
                     const char *where)
{
  g_test_message ("checking %s", where);

  if (JSON_NODE_HOLDS_VALUE (want) && json_node_get_value_type (want) == G_TYPE_STRING &&
      g_str_equal (json_node_get_string (want), ANY_VALUE))
    return;

  g_assert_cmpint (json_node_get_node_type (got), ==, json_node_get_node_type (want));

  if (JSON_NODE_HOLDS_OBJECT (want))
    {
      JsonObject *w = json_node_get_object (want);
      JsonObject *g = json_node_get_object (got);
      g_autoptr(GList) members = json_object_get_members (w);

      g_assert_cmpuint (json_object_get_size (g), ==, json_object_get_size (w));
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *inner = g_strdup_printf ("%s.%s", where, (const char *) l->data);

          g_assert_true (json_object_has_member (g, l->data));
          assert_json_matches (json_object_get_member (w, l->data), json_object_get_member (g, l->data),
                               inner);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (want))
    {
      JsonArray *w = json_node_get_array (want);
      JsonArray *g = json_node_get_array (got);

      g_assert_cmpuint (json_array_get_length (g), ==, json_array_get_length (w));
      for (guint i = 0; i < json_array_get_length (w); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s[%u]", where, i);

          assert_json_matches (json_array_get_element (w, i), json_array_get_element (g, i), inner);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (want))
    {
      g_assert_true (json_node_equal (want, got));
    }
}

static const char *
token_for (Fixture    *f,
           const char *session,
           const char *authorization)
{
  static const char *names[] = { "root", "sue", "ana", "tim", "tom", "ted" };
  const char *tokens[] = { f->root, f->sue, f->ana, f->tim, f->tom, f->ted };

  if (authorization == NULL)
    return NULL;

  if (g_str_equal (authorization, "Bearer <session>"))
    {
      g_assert_nonnull (session);
      return session;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *want = g_strdup_printf ("Bearer <%s>", names[i]);

      if (g_str_equal (authorization, want))
        return tokens[i];
    }

  g_test_message ("unknown user in “%s”", authorization);
  g_assert_not_reached ();
}

static void
test_examples (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) blocks = read_blocks ();
  g_autofree char *session = NULL;
  guint checked = 0;

  g_assert_cmpuint (blocks->len % 2, ==, 0);

  for (guint i = 0; i < blocks->len; i += 2)
    {
      Block *request = g_ptr_array_index (blocks, i);
      Block *expected = g_ptr_array_index (blocks, i + 1);
      g_auto(GStrv) request_line = g_strsplit (request->first_line, " ", 2);
      g_auto(GStrv) status_line = g_strsplit (expected->first_line, " ", 3);
      const char *token = token_for (f, session, g_hash_table_lookup (request->headers, "authorization"));
      const char *content_type = g_hash_table_lookup (request->headers, "content-type");
      gsize body_length = request->body != NULL ? strlen (request->body) : 0;
      GHashTableIter iter;
      gpointer name, value;
      Reply reply;

      g_test_message ("example %u: %s", i / 2 + 1, request->first_line);
      g_assert_nonnull (request_line[1]);
      g_assert_cmpstr (status_line[0], ==, "HTTP/1.1");

      /* a form body is one line: the block's final line break is not part of it */
      if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") == 0 && body_length > 0)
        body_length--;

      /* the server logs why it is unavailable; the example shows the client's side */
      if (g_str_equal (status_line[1], "503"))
        g_test_expect_message ("RdRequest", G_LOG_LEVEL_WARNING, "*");

      rd_test_request_full (f->session, f->base, request_line[0], request_line[1], token, content_type,
                            request->body, body_length, &reply);
      g_test_assert_expected_messages ();
      g_test_message ("reply %u: %s", reply.status, reply.body);
      g_assert_cmpuint (reply.status, ==, (guint) g_ascii_strtoull (status_line[1], NULL, 10));

      g_hash_table_iter_init (&iter, expected->headers);
      while (g_hash_table_iter_next (&iter, &name, &value))
        {
          const char *got = soup_message_headers_get_one (reply.headers, name);

          g_test_message ("header %s: %s", (const char *) name, got);
          if (g_str_equal (value, ANY_VALUE))
            g_assert_nonnull (got);
          else
            g_assert_cmpstr (got, ==, value);
        }

      if (expected->body != NULL)
        {
          g_autoptr(JsonNode) want = NULL;
          g_autoptr(JsonNode) got = NULL;
          g_autoptr(GError) error = NULL;

          want = rd_json_parse (expected->body, -1, &error);
          g_assert_no_error (error);
          got = rd_json_parse (reply.body, -1, &error);
          g_assert_no_error (error);
          assert_json_matches (want, got, "reply");

          /* a sign-in: later examples may use its token as <session> */
          if (g_str_equal (request_line[1], "/api/v1/session") && reply.status == 200)
            {
              const char *signed_in = NULL;

              g_assert_true (rd_json_get_string (json_node_get_object (got), "token",
                                                 RD_JSON_REQUIRED, &signed_in, NULL));
              g_free (session);
              session = g_strdup (signed_in);
            }
        }

      rd_test_reply_clear (&reply);
      checked++;
    }

  /* the doc has examples, and they all ran */
  g_assert_cmpuint (checked, >=, 60);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  rd_test_people_init ();

  g_test_add ("/api-doc/examples", Fixture, DOC_CONF, rd_test_people_set_up, test_examples,
              rd_test_people_tear_down);

  return g_test_run ();
}
