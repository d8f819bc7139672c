/* test-customers.c: the customer routes, phone matching and CSV import, over
 * HTTP against an in-process daemon on a real sqlite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTestCustomers"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "rd-common.h"
#include "rd-test-people.h"

typedef RdTestPeople Fixture;

#define MARIO \
  "{\"name\":\"Mario Rossi\",\"company\":\"Rossi SL\",\"phones\":[\"+34 612.345.678\",\"0034612345678\"," \
  "\"91 123 45 67\"],\"email\":\"mario@example.com\",\"notes\":\"Prefers mornings\"}"

static void
assert_phones (JsonObject         *object,
               const char * const *expected)
{
  g_auto(GStrv) phones = NULL;

  g_assert_true (rd_json_dup_strv (object, "phones", RD_JSON_REQUIRED, &phones, NULL));
  g_assert_true (g_strv_equal ((const char * const *) phones, expected));
}

/* GET /customers?phone=… and the id of the one found, or NULL */
static char *
find (Fixture    *f,
      const char *phone)
{
  g_autofree char *escaped = g_uri_escape_string (phone, NULL, FALSE);
  g_autofree char *path = g_strdup_printf (RD_API_PATH_CUSTOMERS "?phone=%s", escaped);
  JsonArray *items = NULL;
  JsonObject *item = NULL;
  char *id = NULL;
  Reply reply;

  rd_test_people_expect (f, "GET", path, f->tim, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), <=, 1);
  if (json_array_get_length (items) == 1)
    {
      g_assert_true (rd_json_array_get_object (items, 0, &item, NULL));
      id = g_strdup (rd_test_member (item, "id"));
    }
  g_assert_null (rd_test_member (reply.json, "next_cursor"));
  rd_test_reply_clear (&reply);

  return id;
}

static void
test_create_and_get (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const phones[] = { "+34612345678", "+34911234567", NULL };
  g_autoptr(RdCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  Reply reply;

  rd_test_people_expect (f, "POST", RD_API_PATH_CUSTOMERS, f->ana, MARIO, 201, &reply);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Location"), ==,
                   RD_API_PATH_CUSTOMERS "/1");
  customer = rd_codec_new_from_json (RD_TYPE_CUSTOMER, reply.json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_customer_get_id (customer), ==, "1");
  g_assert_cmpstr (rd_customer_get_name (customer), ==, "Mario Rossi");
  g_assert_cmpstr (rd_customer_get_company (customer), ==, "Rossi SL");
  g_assert_cmpstr (rd_customer_get_email (customer), ==, "mario@example.com");
  g_assert_cmpstr (rd_customer_get_notes (customer), ==, "Prefers mornings");
  g_assert_nonnull (rd_customer_get_created_at (customer));
  /* normalised to E.164, the same number once */
  assert_phones (reply.json, phones);
  rd_test_reply_clear (&reply);

  rd_test_people_expect (f, "GET", RD_API_PATH_CUSTOMERS "/1", f->tim, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Mario Rossi");
  assert_phones (reply.json, phones);
  rd_test_reply_clear (&reply);

  /* any spelling of the number finds him */
  found = find (f, "612 34 56 78");
  g_assert_cmpstr (found, ==, "1");
  g_clear_pointer (&found, g_free);
  found = find (f, "+34911234567");
  g_assert_cmpstr (found, ==, "1");
  g_clear_pointer (&found, g_free);
  found = find (f, "(+34) 91 123 45 67");
  g_assert_cmpstr (found, ==, "1");
  g_clear_pointer (&found, g_free);
  found = find (f, "+34 600 000 000");
  g_assert_null (found);

  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "?phone=abc", f->tim, NULL, 422, "invalid_field");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "/2", f->tim, NULL, 404, "not_found");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "/x1", f->tim, NULL, 404, "not_found");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "/0", f->tim, NULL, 404, "not_found");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "/1", NULL, NULL, 401, "unauthorized");

  /* a number belongs to one customer */
  rd_test_people_expect_error (f, "POST", RD_API_PATH_CUSTOMERS, f->sue,
                               "{\"name\":\"Other\",\"phones\":[\"612345678\"]}", 409, "conflict");
}

static void
test_find_by_phone (Fixture       *f,
                    gconstpointer  data)
{
  RdCustomerStore *customers = rd_server_get_customer_store (rd_test_people_server (f));
  g_autoptr(RdCustomer) found = NULL;
  g_autoptr(RdCustomer) none = NULL;
  g_autoptr(RdCustomer) junk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rd_test_people_create (f, RD_API_PATH_CUSTOMERS, f->ana, MARIO, "id");

  /* the call engine's lookup: E.164 in, the customer or NULL out */
  found = rd_customer_store_find_by_phone (customers, "+34612345678", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (rd_customer_get_id (found), ==, id);

  none = rd_customer_store_find_by_phone (customers, "+34600000000", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  junk = rd_customer_store_find_by_phone (customers, "not a number", &error);
  g_assert_no_error (error);
  g_assert_null (junk);
  g_assert_null (rd_customer_store_find_by_phone (customers, NULL, &error));
  g_assert_no_error (error);

  /* the same, in the shape the call engine takes */
  {
    g_autoptr(RdCustomer) by_lookup = rd_customer_store_lookup ("+34911234567", customers);
    g_autoptr(RdCustomer) no_match = rd_customer_store_lookup ("+34600000000", customers);

    g_assert_nonnull (by_lookup);
    g_assert_cmpstr (rd_customer_get_id (by_lookup), ==, id);
    g_assert_null (no_match);
  }
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  static const char * const cases[] = {
    "{\"name\":3}",
    "{\"name\":\"\"}",
    "{\"name\":null}",
    "{\"name\":\"a\",\"phones\":\"612345678\"}",
    "{\"name\":\"a\",\"phones\":[612345678]}",
    "{\"name\":\"a\",\"phones\":[\"\"]}",
    "{\"name\":\"a\",\"phones\":[\"12ab\"]}",
    "{\"name\":\"a\",\"phones\":[\"1234\"]}",
    "{\"name\":\"a\",\"email\":\"nobody\"}",
    "{\"name\":\"a\",\"email\":7}",
    "{\"name\":\"a\",\"notes\":{}}",
    "{\"name\":\"a\",\"location_id\":\"9\"}",
    "{\"name\":\"a\",\"location_id\":\"\"}",
    "{\"name\":\"a\",\"id\":\"5\"}",
    "{\"name\":\"a\",\"created_at\":\"2026-01-02T03:04:05+00:00\"}",
    "{\"name\":\"a\",\"vip\":true}",
    "{\"name\":\"a\\u0007\"}",
  };
  g_autoptr(GString) many = g_string_new ("{\"name\":\"a\",\"phones\":[");
  g_autofree char *long_name = g_strnfill (RD_CUSTOMER_MAX_NAME + 1, 'x');
  g_autofree char *long_json = g_strdup_printf ("{\"name\":\"%s\"}", long_name);
  JsonArray *items = NULL;
  Reply reply;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    rd_test_people_expect_error (f, "POST", RD_API_PATH_CUSTOMERS, f->ana, cases[i], 422, "invalid_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_CUSTOMERS, f->ana, "{}", 422, "missing_field");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_CUSTOMERS, f->ana, long_json, 422, "invalid_field");

  for (guint i = 0; i <= RD_CUSTOMER_MAX_PHONES; i++)
    g_string_append_printf (many, "%s\"+3461234%04u\"", i > 0 ? "," : "", i);
  g_string_append (many, "]}");
  rd_test_people_expect_error (f, "POST", RD_API_PATH_CUSTOMERS, f->ana, many->str, 422, "invalid_field");

  rd_test_people_common_errors (f, "POST", RD_API_PATH_CUSTOMERS, f->ana);

  rd_test_people_expect (f, "GET", RD_API_PATH_CUSTOMERS, f->ana, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 0);
  rd_test_reply_clear (&reply);
}

static void
test_patch (Fixture       *f,
            gconstpointer  data)
{
  static const char * const phones[] = { "+34612345679", NULL };
  g_autofree char *id = rd_test_people_create (f, RD_API_PATH_CUSTOMERS, f->ana, MARIO, "id");
  g_autofree char *other = rd_test_people_create (f, RD_API_PATH_CUSTOMERS, f->ana,
                                                  "{\"name\":\"Luisa\",\"phones\":[\"600111222\"]}", "id");
  g_autofree char *loc = rd_test_people_create (f, RD_API_PATH_LOCATIONS, f->sue,
                                                "{\"name\":\"Shop\"}", "id");
  g_autofree char *found = NULL;
  g_autofree char *location_json = g_strdup_printf ("{\"location_id\":\"%s\"}", loc);
  const char *path = RD_API_PATH_CUSTOMERS "/1";
  Reply reply;

  g_assert_cmpstr (id, ==, "1");
  rd_test_people_expect (f, "PATCH", path, f->sue,
                         "{\"name\":\"Mario Rossi Jr\",\"phones\":[\"612 345 679\"],\"email\":null}", 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Mario Rossi Jr");
  g_assert_cmpstr (rd_test_member (reply.json, "company"), ==, "Rossi SL");
  g_assert_null (rd_test_member (reply.json, "email"));
  assert_phones (reply.json, phones);
  rd_test_reply_clear (&reply);

  /* the old numbers no longer find him, the new one does */
  found = find (f, "612345678");
  g_assert_null (found);
  found = find (f, "+34612345679");
  g_assert_cmpstr (found, ==, "1");

  rd_test_people_expect (f, "PATCH", path, f->ana, location_json, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "location_id"), ==, loc);
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"phones\":[\"600 111 222\"]}", 409, "conflict");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"id\":\"2\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"name\":\"\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"email\":\"x\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"phones\":[\"abc\"]}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"location_id\":\"77\"}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", path, f->sue, "{\"rank\":1}", 422, "invalid_field");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_CUSTOMERS "/99", f->sue, "{}", 404, "not_found");
  rd_test_people_common_errors (f, "PATCH", path, f->sue);

  /* refused PATCHes changed nothing */
  rd_test_people_expect (f, "GET", path, f->tim, NULL, 200, &reply);
  g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Mario Rossi Jr");
  assert_phones (reply.json, phones);
  rd_test_reply_clear (&reply);
}

static void
test_roles_and_list (Fixture       *f,
                     gconstpointer  data)
{
  JsonArray *items = NULL;
  const char *cursor = NULL;
  g_autofree char *next = NULL;
  Reply reply;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"name\":\"C%u\",\"phones\":[\"+3460000000%u\"]}", i, i);
      const char *token = i % 3 == 0 ? f->ana : i % 3 == 1 ? f->sue : f->root;
      g_autofree char *id = rd_test_people_create (f, RD_API_PATH_CUSTOMERS, token, json, "id");
    }

  /* technicians read, but do not write */
  rd_test_people_expect_error (f, "POST", RD_API_PATH_CUSTOMERS, f->tim, "{\"name\":\"x\"}", 403, "forbidden");
  rd_test_people_expect_error (f, "PATCH", RD_API_PATH_CUSTOMERS "/1", f->tim, "{\"name\":\"x\"}", 403,
                               "forbidden");
  rd_test_people_expect_error (f, "DELETE", RD_API_PATH_CUSTOMERS "/1", f->root, NULL, 405,
                               "method_not_allowed");

  rd_test_people_expect (f, "GET", RD_API_PATH_CUSTOMERS "?limit=2", f->tim, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_true (rd_json_get_string (reply.json, "next_cursor", RD_JSON_REQUIRED, &cursor, NULL));
  g_assert_cmpstr (cursor, ==, "2");
  next = g_strdup_printf (RD_API_PATH_CUSTOMERS "?limit=2&cursor=%s", cursor);
  rd_test_reply_clear (&reply);

  rd_test_people_expect (f, "GET", next, f->tim, NULL, 200, &reply);
  g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (rd_test_member (reply.json, "next_cursor"), ==, "4");
  rd_test_reply_clear (&reply);

  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "?cursor=abc", f->tim, NULL, 422, "invalid_field");
  rd_test_people_expect_error (f, "GET", RD_API_PATH_CUSTOMERS "?limit=501", f->tim, NULL, 422, "invalid_field");
}

/* CSV import */

static void
import (Fixture    *f,
        const char *token,
        const char *csv,
        gssize      length,
        Reply      *reply)
{
  rd_test_request_full (f->session, f->base, "POST", RD_API_PATH_CUSTOMERS "/import", token, "text/csv",
                        csv, length >= 0 ? length : (gssize) strlen (csv), reply);
  g_test_message ("import: %u %s", reply->status, reply->body);
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  gint64 value = -1;

  g_assert_true (rd_json_get_int (object, name, RD_JSON_REQUIRED, &value, NULL));
  return value;
}

/* Checks the report: counts, and the rows refused in order */
static void
assert_report (Reply              *reply,
               gint64              imported,
               gint64              updated,
               const guint        *rows,
               guint               n_rows)
{
  JsonArray *errors = NULL;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (int_member (reply->json, "imported"), ==, imported);
  g_assert_cmpint (int_member (reply->json, "updated"), ==, updated);
  g_assert_true (rd_json_get_array (reply->json, "errors", RD_JSON_REQUIRED, &errors, NULL));
  g_assert_cmpuint (json_array_get_length (errors), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      JsonObject *e = NULL;

      g_assert_true (rd_json_array_get_object (errors, i, &e, NULL));
      g_assert_cmpint (int_member (e, "row"), ==, rows[i]);
      g_assert_cmpuint (strlen (rd_test_member (e, "message")), >, 0);
    }
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  /* rows are numbered as in a spreadsheet: the header is row 1 */
  static const char csv[] =
    "\xef\xbb\xbfname,company,phones,email,notes\r\n"
    "Ana Gil,Gil SA,612 000 001;+34 612 000 002,ana@example.com,\r\n"     /* 2 ok */
    "\"Pérez, Juan\",,\"612000003\",,\"said \"\"call back\"\"\nafter 5\"\r\n" /* 3 ok, quotes */
    "Bad Quote,x\"y,612000004,,\r\n"                                      /* 4 quote in field */
    "Short,Co\r\n"                                                        /* 5 column count */
    "Bad Phone,,12ab,,\r\n"                                               /* 6 phone */
    "Bad Mail,,612000005,not-mail,\r\n"                                   /* 7 email */
    ",Nameless SL,612000006,,\r\n"                                        /* 8 no name */
    "Latin \xe9t\xe9,,612000007,,\r\n"                                    /* 9 not UTF-8 */
    "\r\n"
    "Eva,Eva SL,,eva@example.com,no phone\r\n"                            /* 10 ok */
    "\"Unclosed,,612000008,,\r\n";                                        /* 11 quote */
  static const guint refused[] = { 4, 5, 6, 7, 8, 9, 11 };
  g_autofree char *ana = NULL;
  g_autofree char *juan = NULL;
  g_autofree char *ghost = NULL;
  Reply reply;

  import (f, f->ana, csv, sizeof csv - 1, &reply);
  assert_report (&reply, 3, 0, refused, G_N_ELEMENTS (refused));
  rd_test_reply_clear (&reply);

  ana = find (f, "612000002");
  g_assert_nonnull (ana);
  juan = find (f, "+34612000003");
  g_assert_nonnull (juan);
  {
    g_autofree char *path = g_strdup_printf (RD_API_PATH_CUSTOMERS "/%s", juan);

    rd_test_people_expect (f, "GET", path, f->ana, NULL, 200, &reply);
    g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Pérez, Juan");
    g_assert_null (rd_test_member (reply.json, "company"));
    g_assert_cmpstr (rd_test_member (reply.json, "notes"), ==, "said \"call back\"\nafter 5");
    rd_test_reply_clear (&reply);
  }
  /* refused rows left nothing */
  ghost = find (f, "612000004");
  g_assert_null (ghost);
  g_clear_pointer (&ghost, g_free);
  ghost = find (f, "612000005");
  g_assert_null (ghost);
}

static void
test_import_upsert (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const phones[] = { "+34612000001", "+34612000009", NULL };
  static const guint conflict_row[] = { 4 };
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *eva = NULL;
  Reply reply;

  import (f, f->sue, "name,phones,company\nAna Gil,612000001,Gil SA\nEva,,Eva SL\nLuis,612000010,\n", -1,
          &reply);
  assert_report (&reply, 3, 0, NULL, 0);
  rd_test_reply_clear (&reply);
  first = find (f, "612000001");

  /* by phone: numbers are added, empty fields keep what is stored; by name
   * and company (any case) without a known number; a row whose numbers are
   * two customers' is refused */
  import (f, f->root,
          "phones,name,company,email\n"
          "612000001;612000009,Ana Gil-Ruiz,,ana@example.com\n"
          "600999999,EVA,eva sl,\n"
          "612000001;612000010,Mix,,\n", -1, &reply);
  assert_report (&reply, 0, 2, conflict_row, 1);
  rd_test_reply_clear (&reply);

  again = find (f, "612000009");
  g_assert_cmpstr (again, ==, first);
  {
    g_autofree char *path = g_strdup_printf (RD_API_PATH_CUSTOMERS "/%s", first);

    rd_test_people_expect (f, "GET", path, f->ana, NULL, 200, &reply);
    g_assert_cmpstr (rd_test_member (reply.json, "name"), ==, "Ana Gil-Ruiz");
    g_assert_cmpstr (rd_test_member (reply.json, "company"), ==, "Gil SA");
    g_assert_cmpstr (rd_test_member (reply.json, "email"), ==, "ana@example.com");
    assert_phones (reply.json, phones);
    rd_test_reply_clear (&reply);
  }
  eva = find (f, "600999999");
  g_assert_nonnull (eva);
}

static void
test_import_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *big = NULL;
  gsize size = rd_config_get_max_body_size (f->config) + 1;
  Reply reply;

  /* the whole import is refused for a bad header, and stores nothing */
  import (f, f->ana, "", 0, &reply);
  rd_test_assert_error (&reply, 422, "missing_field");
  rd_test_reply_clear (&reply);
  import (f, f->ana, "company,phones\nX,612000001\n", -1, &reply);
  rd_test_assert_error (&reply, 422, "missing_field");
  rd_test_reply_clear (&reply);
  import (f, f->ana, "name,fax\nX,1\n", -1, &reply);
  rd_test_assert_error (&reply, 422, "invalid_field");
  rd_test_reply_clear (&reply);
  import (f, f->ana, "name,name\nX,Y\n", -1, &reply);
  rd_test_assert_error (&reply, 422, "invalid_field");
  rd_test_reply_clear (&reply);
  import (f, f->ana, "\"name,phones\nX,612000001\n", -1, &reply);
  rd_test_assert_error (&reply, 422, "invalid_field");
  rd_test_reply_clear (&reply);

  /* not CSV, not allowed, too large */
  rd_test_request_full (f->session, f->base, "POST", RD_API_PATH_CUSTOMERS "/import", f->ana,
                        "application/json", "{}", 2, &reply);
  rd_test_assert_error (&reply, 415, "unsupported_media_type");
  rd_test_reply_clear (&reply);
  import (f, f->tim, "name\nX\n", -1, &reply);
  rd_test_assert_error (&reply, 403, "forbidden");
  rd_test_reply_clear (&reply);
  import (f, NULL, "name\nX\n", -1, &reply);
  rd_test_assert_error (&reply, 401, "unauthorized");
  rd_test_reply_clear (&reply);

  /* more rows than one import takes: nothing is stored */
  {
    g_autoptr(GString) rows = g_string_new ("name,phones\n");

    for (guint i = 0; i <= RD_CUSTOMER_IMPORT_MAX_ROWS; i++)
      g_string_append_printf (rows, "C%u,+346%08u\n", i, i);
    import (f, f->ana, rows->str, (gssize) rows->len, &reply);
    rd_test_assert_error (&reply, 413, "too_large");
    rd_test_reply_clear (&reply);

    /* one row fewer is fine */
    g_string_truncate (rows, strrchr (rows->str, 'C') - rows->str);
    import (f, f->ana, rows->str, (gssize) rows->len, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
    g_assert_cmpint (int_member (reply.json, "imported"), ==, RD_CUSTOMER_IMPORT_MAX_ROWS);
    rd_test_reply_clear (&reply);
  }

  big = g_malloc (size + 1);
  memset (big, 'a', size);
  memcpy (big, "name\n", 5);
  big[size] = '\0';
  import (f, f->ana, big, (gssize) size, &reply);
  rd_test_assert_error (&reply, 413, "too_large");
  rd_test_reply_clear (&reply);
  rd_test_request_full (f->session, f->base, "POST", RD_API_PATH_CUSTOMERS "/import", f->ana, "text/csv",
                        big, -1, &reply);
  rd_test_assert_error (&reply, 413, "too_large");
  rd_test_reply_clear (&reply);

  /* only the import of 1000 rows stored anything */
  rd_test_people_expect (f, "GET", RD_API_PATH_CUSTOMERS "?limit=500&cursor=1000", f->ana, NULL, 200, &reply);
  {
    JsonArray *items = NULL;

    g_assert_true (rd_json_get_array (reply.json, "items", RD_JSON_REQUIRED, &items, NULL));
    g_assert_cmpuint (json_array_get_length (items), ==, 0);
  }
  rd_test_reply_clear (&reply);
}

static void
test_phone_country (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const phones[] = { "+390212345678", "+393472619287", NULL };
  Reply reply;

  /* [phone] country=IT: Italian numbers keep their trunk 0 */
  rd_test_people_expect (f, "POST", RD_API_PATH_CUSTOMERS, f->ana,
                         "{\"name\":\"Rossi\",\"phones\":[\"02 1234 5678\",\"347 261 9287\"]}", 201, &reply);
  assert_phones (reply.json, phones);
  rd_test_reply_clear (&reply);
}

/* The lookups use indexes: no full scan of customers or their numbers. */
static void
test_query_plans (Fixture       *f,
                  gconstpointer  data)
{
  sqlite3 *db = rd_store_get_connection (rd_daemon_get_store (f->daemon));

  for (guint i = 0; rd_customer_store_queries[i] != NULL; i++)
    {
      g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", rd_customer_store_queries[i], NULL);
      g_autoptr(GString) plan = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);

      g_test_message ("%s\n%s", rd_customer_store_queries[i], plan->str);
      g_assert_nonnull (strstr (plan->str, "USING"));
      g_assert_null (strstr (plan->str, "SCAN customers"));
      g_assert_null (strstr (plan->str, "SCAN customer_phones"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  rd_test_people_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, rd_test_people_set_up, func, rd_test_people_tear_down)

  ADD ("/customers/create-and-get", test_create_and_get);
  ADD ("/customers/find-by-phone", test_find_by_phone);
  ADD ("/customers/invalid", test_invalid);
  ADD ("/customers/patch", test_patch);
  ADD ("/customers/roles-and-list", test_roles_and_list);
  ADD ("/customers/import", test_import);
  ADD ("/customers/import-upsert", test_import_upsert);
  ADD ("/customers/import-refused", test_import_refused);
  ADD ("/customers/query-plans", test_query_plans);
  g_test_add ("/customers/phone-country", Fixture, "[phone]\ncountry=IT\n", rd_test_people_set_up,
              test_phone_country, rd_test_people_tear_down);

#undef ADD

  return g_test_run ();
}
