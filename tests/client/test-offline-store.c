/* test-offline-store.c: the client's offline store and its outbox
 *
 * The store on a real SQLite file in a temporary folder: its schema, the
 * order of the outbox, a reopen, damaged rows. The outbox against a real
 * ringdesk-server: replay in order, the conflict rule, refusals, an
 * unreachable server, a ticket created offline and edited before it has a
 * number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestOfflineStore"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rd-connection.h"
#include "rd-offline-store.h"
#include "rd-outbox.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-ticket-change.h"
#include "rd-ticket-model.h"

static RdTestServer *server;
static RdConnection *api;
static char *tmp_dir;
static guint n_stores;

static char *
new_store_path (void)
{
  return g_strdup_printf ("%s/store-%u/offline.sqlite", tmp_dir, ++n_stores);
}

static RdOfflineStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  RdOfflineStore *store = rd_offline_store_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = rd_json_parse_object (json, -1, &error);

  g_assert_no_error (error);

  return object;
}

/* Runs one SQL statement on the store's file from outside, as a damaged or
 * older file would have it */
static void
sql (const char *path,
     const char *statement)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, statement, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", statement, message);
  sqlite3_close (db);
}

static int
sql_int (const char *path,
         const char *query)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static RdTicket *
ticket_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  RdTicket *ticket = rd_codec_new_from_json_string (RD_TYPE_TICKET, json, -1, &error);

  g_assert_no_error (error);

  return ticket;
}

static void
test_schema (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdOfflineStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdOfflineStore) newer = NULL;
  g_autofree char *default_a = NULL;
  g_autofree char *default_b = NULL;

  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, RD_OFFLINE_STORE_VERSION);
  g_assert_cmpint (sql_int (path,
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                            "name IN ('meta', 'tickets', 'my_queue', 'customers', 'outbox')"),
                   ==, 5);
  g_assert_true (g_file_test (rd_offline_store_get_files_dir (store), G_FILE_TEST_IS_DIR));
  g_clear_object (&store);

  /* WAL stays on the file */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* Reopening keeps the schema; a file of a newer client is refused */
  store = open_store (path);
  g_clear_object (&store);
  sql (path, "PRAGMA user_version = 99");
  newer = rd_offline_store_new (path, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_null (newer);

  /* One file per server and user, under the data folder, named by neither */
  default_a = rd_offline_store_default_path ("http://a.example/", "ana");
  default_b = rd_offline_store_default_path ("http://a.example/", "bob");
  g_assert_cmpstr (default_a, !=, default_b);
  g_assert_true (g_str_has_prefix (default_a, g_get_user_data_dir ()));
  g_assert_null (strstr (default_a, "ana"));
  g_assert_null (strstr (default_a, "example"));
}

static void
assert_ops (RdOfflineStore     *store,
            const char * const *tickets)
{
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last = 0;

  ops = rd_offline_store_list_ops (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, g_strv_length ((char **) tickets));

  for (guint i = 0; i < ops->len; i++)
    {
      RdOfflineOp *op = g_ptr_array_index (ops, i);

      g_assert_cmpstr (op->ticket, ==, tickets[i]);
      g_assert_cmpint (op->id, >, last);
      last = op->id;
    }
}

static void
test_order_and_reopen (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdOfflineStore) store = open_store (path);
  g_autoptr(JsonObject) body = parse ("{\"subject\":\"New\"}");
  g_autoptr(JsonObject) base = parse ("{\"subject\":\"Old\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(RdTicket) one = ticket_from_json ("{\"number\":\"1\",\"subject\":\"One\"}");
  g_autoptr(RdTicket) two = ticket_from_json ("{\"number\":\"2\",\"subject\":\"Two\"}");
  g_autoptr(RdTicket) ten = ticket_from_json ("{\"number\":\"10\",\"subject\":\"Ten\"}");
  g_autoptr(GListStore) queue = g_list_store_new (RD_TYPE_TICKET);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) mine = NULL;
  g_autoptr(RdTicket) cached = NULL;
  g_autoptr(RdTicket) first = NULL;
  g_autofree char *resolved = NULL;
  gint64 a, b, c, d;

  a = rd_offline_store_add_op (store, RD_OFFLINE_OP_PATCH, "1", body, base, NULL, &error);
  g_assert_no_error (error);
  b = rd_offline_store_add_op (store, RD_OFFLINE_OP_TRANSITION, "2", body, NULL, NULL, &error);
  g_assert_no_error (error);
  c = rd_offline_store_add_op (store, RD_OFFLINE_OP_PATCH, "3", body, base, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a, <, b);
  g_assert_cmpint (b, <, c);
  assert_ops (store, (const char * const[]) { "1", "2", "3", NULL });

  /* Removing one keeps the order; an id is never reused */
  rd_offline_store_remove_op (store, b, &error);
  g_assert_no_error (error);
  d = rd_offline_store_add_op (store, RD_OFFLINE_OP_PATCH, "4", body, base, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d, >, c);
  assert_ops (store, (const char * const[]) { "1", "3", "4", NULL });

  rd_offline_store_set_op_status (store, c, RD_OFFLINE_OP_CONFLICT, "subject", FALSE, &error);
  g_assert_no_error (error);
  rd_offline_store_set_op_status (store, 12345, RD_OFFLINE_OP_CONFLICT, NULL, FALSE, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_list_store_append (queue, one);
  g_list_store_append (queue, ten);
  /* a page is written in a thread, on a connection of its own */
  {
    g_autoptr(GAsyncResult) result = NULL;

    rd_offline_store_cache_tickets_async (store, G_LIST_MODEL (queue), TRUE, NULL,
                                          rd_test_store_result_cb, &result);
    rd_test_wait_result (&result);
    rd_offline_store_cache_tickets_finish (store, result, &error);
    g_assert_no_error (error);
  }
  rd_offline_store_cache_ticket (store, two, &error);
  g_assert_no_error (error);

  /* Closed and opened again: as it was */
  g_clear_object (&store);
  store = open_store (path);
  assert_ops (store, (const char * const[]) { "1", "3", "4", NULL });
  ops = rd_offline_store_list_ops (store, "3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((RdOfflineOp *) ops->pdata[0])->status, ==, RD_OFFLINE_OP_CONFLICT);
  g_assert_cmpstr (((RdOfflineOp *) ops->pdata[0])->message, ==, "subject");
  {
    const char *base_subject = NULL;

    g_assert_true (rd_json_get_string (((RdOfflineOp *) ops->pdata[0])->base, "subject",
                                       RD_JSON_REQUIRED, &base_subject, NULL));
    g_assert_cmpstr (base_subject, ==, "Old");
  }

  cached = rd_offline_store_get_ticket (store, "2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_ticket_get_subject (cached), ==, "Two");

  /* Newest number first (10 after 2, not as text); my queue is 1 and 10 */
  all = rd_offline_store_list_tickets (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 3);
  first = g_list_model_get_item (all, 0);
  g_assert_cmpstr (rd_ticket_get_number (first), ==, "10");
  mine = rd_offline_store_list_tickets (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (mine), ==, 2);

  /* A label renumbered: its operations follow, and so do later ones */
  rd_offline_store_add_op (store, RD_OFFLINE_OP_PATCH, RD_OFFLINE_LOCAL_PREFIX "1", body, base,
                           NULL, &error);
  g_assert_no_error (error);
  rd_offline_store_renumber (store, RD_OFFLINE_LOCAL_PREFIX "1", "77", &error);
  g_assert_no_error (error);
  assert_ops (store, (const char * const[]) { "1", "3", "4", "77", NULL });
  resolved = rd_offline_store_resolve_label (store, RD_OFFLINE_LOCAL_PREFIX "1");
  g_assert_cmpstr (resolved, ==, "77");
}

static void
test_customers (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdOfflineStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCustomer) customer = NULL;
  g_autoptr(RdCustomer) cached = NULL;
  g_autoptr(RdCustomer) damaged = NULL;

  customer = rd_codec_new_from_json_string (RD_TYPE_CUSTOMER,
                                            "{\"id\":\"c7\",\"name\":\"Ana Lima\"}", -1, &error);
  g_assert_no_error (error);
  rd_offline_store_cache_customer (store, customer, &error);
  g_assert_no_error (error);

  g_clear_object (&store);
  store = open_store (path);
  cached = rd_offline_store_get_customer (store, "c7", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_customer_get_name (cached), ==, "Ana Lima");

  g_assert_null (rd_offline_store_get_customer (store, "c8", &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sql (path, "INSERT INTO customers (id, json, cached_at) VALUES ('c9', '{\"id\":9}', 0)");
  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*cached RdCustomer*");
  damaged = rd_offline_store_get_customer (store, "c9", &error);
  g_test_assert_expected_messages ();
  g_assert_null (damaged);
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
}

/* A cached customer is found by any spelling of one of its numbers */
static void
test_customer_by_phone (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdOfflineStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCustomer) customer = NULL;
  const char * const found_by[] = { "+34911234567", "91 123 45 67", "0034 911-23-45-67", "612 345 678" };
  const char * const not_by[] = { "911234568", "201", "", "4567" };

  customer = rd_codec_new_from_json_string (RD_TYPE_CUSTOMER,
                                            "{\"id\":\"1\",\"name\":\"Mario Rossi\","
                                            "\"phones\":[\"+34911234567\",\"+34612345678\"]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (rd_offline_store_cache_customer (store, customer, &error));
  g_assert_no_error (error);
  /* a damaged row (read first: newest) is passed over, with a warning */
  sql (path, "INSERT INTO customers (id, json, cached_at) VALUES ('9', '{\"id\":9}', 9000000000000000)");

  for (guint i = 0; i < G_N_ELEMENTS (found_by); i++)
    {
      g_autoptr(RdCustomer) found = NULL;

      g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*damaged cached customer*");
      found = rd_offline_store_find_customer (store, found_by[i], &error);
      g_test_assert_expected_messages ();
      g_assert_no_error (error);
      g_assert_cmpstr (rd_customer_get_name (found), ==, "Mario Rossi");
    }

  for (guint i = 0; i < G_N_ELEMENTS (not_by); i++)
    {
      g_autoptr(RdCustomer) found = NULL;

      g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*damaged cached customer*");
      found = rd_offline_store_find_customer (store, not_by[i], &error);
      g_test_assert_expected_messages ();
      g_assert_null (found);
      g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
}

static void
test_damaged (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdOfflineStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tickets = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(RdTicket) good = ticket_from_json ("{\"number\":\"5\",\"subject\":\"Fine\"}");
  g_autofree char *outside = NULL;

  rd_offline_store_cache_ticket (store, good, &error);
  g_assert_no_error (error);

  sql (path, "INSERT INTO tickets (number, json, cached_at) VALUES "
             "('6', '{\"number\":\"6\",\"subject\":', 0),"
             "('7', '[1,2]', 0),"
             "('8', '{\"number\":\"8\",\"subject\":42}', 0)");
  sql (path, "INSERT INTO outbox (kind, ticket, body, queued_at) VALUES "
             "('patch', '5', '{\"subject\":\"ok\"}', 0),"
             "('teleport', '5', '{}', 0),"
             "('patch', '5', 'not json', 0)");
  sql (path, "INSERT INTO outbox (kind, ticket, body, file, queued_at) VALUES "
             "('evidence', '5', '{}', '../../etc/passwd', 0)");

  /* Each damaged row is reported and skipped; the good ones are there */
  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*cached RdTicket “8”*");
  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*cached RdTicket “7”*");
  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*cached RdTicket “6”*");
  tickets = rd_offline_store_list_tickets (store, FALSE, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tickets), ==, 1);

  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*cached RdTicket “6”*");
  ticket = rd_offline_store_get_ticket (store, "6", &error);
  g_test_assert_expected_messages ();
  g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  g_assert_null (ticket);
  g_clear_error (&error);

  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*unknown kind*");
  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*queued operation*");
  g_test_expect_message ("RdOfflineStore", G_LOG_LEVEL_WARNING, "*invalid file name*");
  ops = rd_offline_store_list_ops (store, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);

  /* No path outside the store's folder */
  g_assert_null (rd_offline_store_get_file_path (store, "../x.jpg"));
  g_assert_null (rd_offline_store_get_file_path (store, "/etc/passwd"));
  g_assert_null (rd_offline_store_get_file_path (store, "abc.JPG"));
  outside = rd_offline_store_new_file_name (store, "jpg");
  g_assert_nonnull (rd_offline_store_get_file_path (store, outside));
}

static void
assert_conflicts (const char         *base,
                  const char         *mine,
                  const char         *current,
                  const char * const *expected)
{
  g_autoptr(JsonObject) base_object = parse (base);
  g_autoptr(JsonObject) mine_object = parse (mine);
  g_autoptr(JsonObject) current_object = parse (current);
  g_auto(GStrv) conflicts = rd_outbox_find_conflicts (base_object, mine_object, current_object);

  g_assert_cmpstrv (conflicts, expected);
}

static void
test_conflict_rule (void)
{
  const char * const none[] = { NULL };

  /* Nobody else changed it */
  assert_conflicts ("{\"subject\":\"A\"}", "{\"subject\":\"B\"}", "{\"subject\":\"A\"}", none);
  /* Someone else changed it to something else */
  assert_conflicts ("{\"subject\":\"A\"}", "{\"subject\":\"B\"}", "{\"subject\":\"C\"}",
                    (const char * const[]) { "subject", NULL });
  /* Someone else made the same change */
  assert_conflicts ("{\"subject\":\"A\"}", "{\"subject\":\"B\"}", "{\"subject\":\"B\"}", none);
  /* Another member changed: no conflict on mine */
  assert_conflicts ("{\"subject\":\"A\"}", "{\"subject\":\"B\"}",
                    "{\"subject\":\"A\",\"priority\":\"urgent\"}", none);
  /* null, "" and absent are one value */
  assert_conflicts ("{\"assignee\":null}", "{\"assignee\":\"ana\"}", "{\"assignee\":\"\"}", none);
  assert_conflicts ("{\"assignee\":null}", "{\"assignee\":\"ana\"}", "{}", none);
  assert_conflicts ("{\"assignee\":null}", "{\"assignee\":\"ana\"}", "{\"assignee\":\"bob\"}",
                    (const char * const[]) { "assignee", NULL });
  /* Only the members I changed count, each on its own */
  assert_conflicts ("{\"subject\":\"A\",\"area\":\"X\"}", "{\"subject\":\"B\",\"area\":\"Y\"}",
                    "{\"subject\":\"A\",\"area\":\"Z\"}", (const char * const[]) { "area", NULL });
}

/* Outbox against the real server */

static RdTicket *
api_ticket (const char *number)
{
  return rd_test_get_ticket (api, number);
}

static RdTicket *
api_patch (const char *number,
           const char *changes)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse (changes);
  RdTicket *ticket;

  rd_connection_update_ticket_async (api, number, object, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  ticket = rd_connection_ticket_finish (api, result, &error);
  g_assert_no_error (error);

  return ticket;
}

static gboolean
outbox_settled (gpointer data)
{
  RdOutbox *outbox = data;
  g_autoptr(GPtrArray) ops = rd_outbox_list_ops (outbox, NULL);

  for (guint i = 0; i < ops->len; i++)
    if (((RdOfflineOp *) ops->pdata[i])->status == RD_OFFLINE_OP_PENDING)
      return FALSE;

  return TRUE;
}

static RdOutbox *
new_outbox (RdConnection *connection,
            const char   *path)
{
  g_autoptr(RdOfflineStore) store = open_store (path);

  return rd_outbox_new (connection, store);
}

static void
test_replay_in_order (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Leak in room 4", "Ana",
                                                      "+34 600 000 001");
  g_autoptr(RdOutbox) outbox = new_outbox (api, path);
  g_autoptr(JsonObject) subject = parse ("{\"subject\":\"Leak in room 4, second floor\"}");
  g_autoptr(JsonObject) priority = parse ("{\"priority\":\"urgent\"}");
  g_autoptr(RdTicket) shown = NULL;
  g_autoptr(RdTicket) moved = NULL;
  g_autoptr(RdTicket) after = NULL;
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GError) error = NULL;

  shown = rd_outbox_queue_patch (outbox, ticket, subject, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_ticket_get_subject (shown), ==, "Leak in room 4, second floor");
  moved = rd_outbox_queue_transition (outbox, shown, RD_TICKET_STATE_IN_PROGRESS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rd_ticket_get_state (moved), ==, RD_TICKET_STATE_IN_PROGRESS);
  g_assert_true (rd_outbox_ticket_is_unsent (moved));
  after = rd_outbox_queue_patch (outbox, moved, priority, &error);
  g_assert_no_error (error);

  rd_test_spin_until (outbox_settled, outbox, "the outbox sent");
  g_assert_cmpuint (rd_outbox_get_n_queued (outbox), ==, 0);
  g_assert_true (rd_outbox_get_online (outbox));

  on_server = api_ticket (rd_ticket_get_number (ticket));
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, "Leak in room 4, second floor");
  g_assert_cmpint (rd_ticket_get_state (on_server), ==, RD_TICKET_STATE_IN_PROGRESS);
  g_assert_cmpint (rd_ticket_get_priority (on_server), ==, RD_PRIORITY_URGENT);
}

static void
test_conflict_and_refusal (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdTicket) seen = rd_test_create_ticket (api, "Door sticks", "Bob", "+34 600 000 002");
  g_autoptr(RdTicket) other = api_patch (rd_ticket_get_number (seen),
                                         "{\"subject\":\"Door sticks at the back\"}");
  g_autoptr(RdOutbox) outbox = new_outbox (api, path);
  g_autoptr(JsonObject) mine = parse ("{\"subject\":\"Front door sticks\"}");
  g_autoptr(JsonObject) bad = parse ("{\"priority\":\"whenever\"}");
  g_autoptr(RdTicket) shown = NULL;
  g_autoptr(RdTicket) refused = NULL;
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  RdOfflineOp *op;

  shown = rd_outbox_queue_patch (outbox, seen, mine, &error);
  g_assert_no_error (error);
  refused = rd_outbox_queue_patch (outbox, seen, bad, &error);
  g_assert_no_error (error);
  rd_test_spin_until (outbox_settled, outbox, "the outbox tried");

  /* Neither is lost; the server still has the other change */
  ops = rd_outbox_list_ops (outbox, rd_ticket_get_number (seen));
  g_assert_cmpuint (ops->len, ==, 2);
  op = ops->pdata[0];
  g_assert_cmpint (op->status, ==, RD_OFFLINE_OP_CONFLICT);
  g_assert_cmpstr (op->message, ==, "subject");
  g_assert_cmpint (((RdOfflineOp *) ops->pdata[1])->status, ==, RD_OFFLINE_OP_REFUSED);
  g_assert_nonnull (((RdOfflineOp *) ops->pdata[1])->message);
  on_server = api_ticket (rd_ticket_get_number (seen));
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, "Door sticks at the back");
  g_clear_object (&on_server);

  /* Keep mine: it goes over the other change; discard the refused one */
  rd_outbox_resolve (outbox, op->id, TRUE, &error);
  g_assert_no_error (error);
  rd_outbox_resolve (outbox, ((RdOfflineOp *) ops->pdata[1])->id, FALSE, &error);
  g_assert_no_error (error);
  rd_test_spin_until (outbox_settled, outbox, "the kept change sent");
  g_assert_cmpuint (rd_outbox_get_n_queued (outbox), ==, 0);
  on_server = api_ticket (rd_ticket_get_number (seen));
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, "Front door sticks");
  g_assert_cmpint (rd_ticket_get_priority (on_server), ==, rd_ticket_get_priority (other));
}

/* Two outboxes on one store file (a new session while the old one winds
 * down) send each operation once */
static void
test_two_on_one_store (void)
{
  g_autofree char *path = new_store_path ();
  g_autoptr(RdTicket) ticket = rd_test_create_ticket (api, "Tap drips", "Ines", NULL);
  g_autoptr(RdOutbox) first = new_outbox (api, path);
  g_autoptr(RdOutbox) second = new_outbox (api, path);
  g_autoptr(JsonObject) changes = parse ("{\"priority\":\"low\"}");
  g_autoptr(JsonObject) more = parse ("{\"category\":\"Plumbing\"}");
  g_autoptr(RdTicket) shown = NULL;
  g_autoptr(RdTicket) after = NULL;
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rd_outbox_get_store (first) == rd_outbox_get_store (second));

  /* a move sent twice would be refused the second time */
  shown = rd_outbox_queue_transition (first, ticket, RD_TICKET_STATE_IN_PROGRESS, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&shown);
  shown = rd_outbox_queue_patch (first, ticket, changes, &error);
  g_assert_no_error (error);
  after = rd_outbox_queue_patch (second, shown, more, &error);
  g_assert_no_error (error);
  rd_outbox_replay (first);
  rd_outbox_replay (second);
  rd_test_spin_until (outbox_settled, first, "the first outbox");
  rd_test_spin_until (outbox_settled, second, "the second outbox");
  g_assert_cmpuint (rd_outbox_get_n_queued (first), ==, 0);

  on_server = api_ticket (rd_ticket_get_number (ticket));
  g_assert_cmpint (rd_ticket_get_priority (on_server), ==, RD_PRIORITY_LOW);
  g_assert_cmpstr (rd_ticket_get_category (on_server), ==, "Plumbing");
  g_assert_cmpint (rd_ticket_get_state (on_server), ==, RD_TICKET_STATE_IN_PROGRESS);

  /* one history row each: nothing was sent twice */
  rd_connection_get_history_async (api, rd_ticket_get_number (ticket), NULL,
                                   rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  history = rd_connection_get_history_finish (api, result, &error);
  g_assert_no_error (error);
  {
    guint priority_rows = 0;

    for (guint i = 0; i < g_list_model_get_n_items (history); i++)
      {
        g_autoptr(RdTicketChange) change = g_list_model_get_item (history, i);

        if (g_strcmp0 (rd_ticket_change_get_field (change), "priority") == 0)
          priority_rows++;
      }
    g_assert_cmpuint (priority_rows, ==, 1);
  }
}

static gboolean
is_offline (gpointer data)
{
  return !rd_outbox_get_online (RD_OUTBOX (data));
}

static void
test_unreachable_then_back (void)
{
  g_autofree char *path = new_store_path ();
  g_autofree char *nowhere = rd_test_unreachable_url ();
  g_autoptr(RdConnection) offline = NULL;
  g_autoptr(RdOutbox) outbox = NULL;
  g_autoptr(JsonObject) fields = parse ("{\"subject\":\"Made offline\",\"requester\":\"Eva\"}");
  g_autoptr(JsonObject) changes = parse ("{\"priority\":\"high\"}");
  g_autoptr(RdTicket) local = NULL;
  g_autoptr(RdTicket) edited = NULL;
  g_autoptr(RdTicket) on_server = NULL;
  g_autoptr(GListModel) kept = NULL;
  g_autoptr(GListModel) cached = NULL;
  g_autoptr(RdTicket) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autofree char *photo_path = g_build_filename (tmp_dir, "meter.png", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  /* The smallest PNG the server's type check takes: signature and IHDR */
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
  };

  offline = rd_connection_new (nowhere, &error);
  g_assert_no_error (error);
  rd_connection_set_token (offline, rd_connection_get_token (api));
  outbox = new_outbox (offline, path);

  /* A ticket made offline, edited under its label, with a photo */
  local = rd_outbox_queue_create (outbox, fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (rd_ticket_get_number (local), RD_OFFLINE_LOCAL_PREFIX));
  edited = rd_outbox_queue_patch (outbox, local, changes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rd_ticket_get_priority (edited), ==, RD_PRIORITY_HIGH);

  g_file_set_contents (photo_path, (const char *) png, sizeof png, &error);
  g_assert_no_error (error);
  photo = g_file_new_for_path (photo_path);
  rd_outbox_queue_evidence_async (outbox, rd_ticket_get_number (local), photo, "image/png",
                                  "Meter 12", NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  rd_outbox_queue_evidence_finish (outbox, result, &error);
  g_assert_no_error (error);
  /* The copy is the store's: the user's file may go */
  g_unlink (photo_path);

  rd_test_spin_until (is_offline, outbox, "the outbox offline");
  g_assert_cmpuint (rd_outbox_get_n_queued (outbox), ==, 3);
  kept = rd_offline_store_list_tickets (rd_outbox_get_store (outbox), TRUE, &error);
  g_assert_no_error (error);
  cached = rd_outbox_overlay_list (outbox, kept, FALSE);
  first = g_list_model_get_item (cached, 0);
  g_assert_cmpstr (rd_ticket_get_number (first), ==, rd_ticket_get_number (local));
  g_assert_cmpint (rd_ticket_get_priority (first), ==, RD_PRIORITY_HIGH);

  /* The client restarts, and the server is there: all goes, in order */
  g_clear_object (&outbox);
  outbox = new_outbox (api, path);
  rd_test_spin_until (outbox_settled, outbox, "the outbox sent after the restart");
  g_assert_cmpuint (rd_outbox_get_n_queued (outbox), ==, 0);

  number = rd_offline_store_resolve_label (rd_outbox_get_store (outbox),
                                           rd_ticket_get_number (local));
  g_assert_false (g_str_has_prefix (number, RD_OFFLINE_LOCAL_PREFIX));
  on_server = api_ticket (number);
  g_assert_cmpstr (rd_ticket_get_subject (on_server), ==, "Made offline");
  g_assert_cmpint (rd_ticket_get_priority (on_server), ==, RD_PRIORITY_HIGH);
  g_assert_cmpuint (rd_ticket_get_evidence_count (on_server), ==, 1);
}

static gboolean
model_settled (gpointer data)
{
  return !rd_ticket_model_get_loading (RD_TICKET_MODEL (data));
}

/* The numbers @model shows, e.g. "3,1" */
static char *
model_numbers (RdTicketModel *model,
               const char    *states,
               const char    *q)
{
  RdTicketFilter filter = { states, NULL, q };
  g_autoptr(GString) numbers = g_string_new (NULL);

  rd_ticket_model_set_filter (model, &filter);
  rd_ticket_model_reload (model);
  rd_test_spin_until (model_settled, model, "the list of kept tickets");
  g_assert_true (rd_ticket_model_get_offline (model));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_string_append_printf (numbers, "%s%s", i > 0 ? "," : "", rd_ticket_get_number (ticket));
    }

  return g_string_free (g_steal_pointer (&numbers), FALSE);
}

/* The ticket list of a connection whose server cannot be reached: the
 * kept tickets, filtered here as the server would, with what is queued */
static void
test_model_offline (void)
{
  g_autofree char *nowhere = rd_test_unreachable_url ();
  g_autoptr(RdConnection) offline = rd_connection_new (nowhere, NULL);
  g_autoptr(RdTicketModel) model = rd_ticket_model_new ();
  g_autoptr(GListStore) kept = g_list_store_new (RD_TYPE_TICKET);
  g_autoptr(JsonObject) changes = parse ("{\"subject\":\"Lamp flickers in hall B\"}");
  g_autoptr(RdTicket) one = ticket_from_json ("{\"number\":\"1\",\"subject\":\"Lamp flickers\","
                                              "\"state\":\"open\"}");
  g_autoptr(RdTicket) two = ticket_from_json ("{\"number\":\"2\",\"subject\":\"Door squeaks\","
                                              "\"state\":\"closed\",\"requester\":\"Zoë\"}");
  g_autoptr(RdTicket) three = ticket_from_json ("{\"number\":\"3\",\"subject\":\"Lamp broken\","
                                                "\"state\":\"in_progress\"}");
  g_autoptr(RdTicket) edited = NULL;
  g_autoptr(RdTicket) first = NULL;
  g_autoptr(GError) error = NULL;
  RdOutbox *outbox;
  char *numbers;

  rd_connection_set_token (offline, "a-token");
  outbox = rd_outbox_attach (offline, RD_TEST_USERNAME, &error);
  g_assert_no_error (error);
  g_assert_true (rd_outbox_get_for_connection (offline) == outbox);
  g_assert_true (g_str_has_prefix (rd_offline_store_get_path (rd_outbox_get_store (outbox)),
                                   tmp_dir));

  g_list_store_append (kept, one);
  g_list_store_append (kept, two);
  g_list_store_append (kept, three);
  rd_offline_store_cache_tickets (rd_outbox_get_store (outbox), G_LIST_MODEL (kept), FALSE, &error);
  g_assert_no_error (error);
  edited = rd_outbox_queue_patch (outbox, one, changes, &error);
  g_assert_no_error (error);

  rd_ticket_model_set_connection (model, offline);

  numbers = model_numbers (model, NULL, NULL);
  g_assert_cmpstr (numbers, ==, "3,2,1");
  g_free (numbers);
  numbers = model_numbers (model, "open,in_progress,resolved", NULL);
  g_assert_cmpstr (numbers, ==, "3,1");
  g_free (numbers);
  /* words of the subject or the requester, any case and accents folded */
  numbers = model_numbers (model, NULL, "LAMP");
  g_assert_cmpstr (numbers, ==, "3,1");
  g_free (numbers);
  numbers = model_numbers (model, NULL, "zoe");
  g_assert_cmpstr (numbers, ==, "2");
  g_free (numbers);
  /* the queued edit shows, and is found by its new words */
  numbers = model_numbers (model, NULL, "hall");
  g_assert_cmpstr (numbers, ==, "1");
  g_free (numbers);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (rd_ticket_get_subject (first), ==, "Lamp flickers in hall B");
  g_assert_true (rd_outbox_ticket_is_unsent (first));
  g_assert_false (rd_outbox_get_online (outbox));

  rd_ticket_model_set_connection (model, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("ringdesk-offline-XXXXXX", &error);
  g_assert_no_error (error);
  /* rd_outbox_attach() keeps its store in the user data folder: this one */
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);

  g_test_add_func ("/offline-store/schema", test_schema);
  g_test_add_func ("/offline-store/order-and-reopen", test_order_and_reopen);
  g_test_add_func ("/offline-store/damaged", test_damaged);
  g_test_add_func ("/offline-store/customers", test_customers);
  g_test_add_func ("/offline-store/customer-by-phone", test_customer_by_phone);
  g_test_add_func ("/outbox/conflict-rule", test_conflict_rule);
  g_test_add_func ("/outbox/model-offline", test_model_offline);

  server = rd_test_server_new (&error);
  g_assert_no_error (error);
  if (server != NULL)
    {
      api = rd_test_sign_in (rd_test_server_get_url (server));
      g_test_add_func ("/outbox/replay-in-order", test_replay_in_order);
      g_test_add_func ("/outbox/conflict-and-refusal", test_conflict_and_refusal);
      g_test_add_func ("/outbox/unreachable-then-back", test_unreachable_then_back);
      g_test_add_func ("/outbox/two-on-one-store", test_two_on_one_store);
    }

  ret = g_test_run ();

  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);
  rd_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return ret;
}
