/* test-ticket-model.c: the ticket requests of RdConnection and the paged
 * RdTicketModel, against a real ringdesk-server and a fake one that
 * replies nonsense
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestTicketModel"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-connection.h"
#include "rd-test-client.h"
#include "rd-test-window.h"
#include "rd-ticket-change.h"
#include "rd-ticket-model.h"

#define N_TICKETS 7

static RdTestServer *server;
static RdConnection *api;

static RdTicket *
finish_ticket (RdConnection  *connection,
               GAsyncResult **result,
               GError       **error)
{
  rd_test_wait_result (result);

  return rd_connection_ticket_finish (connection, *result, error);
}

static RdTicket *
create (const char  *subject,
        GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;

  json_object_set_string_member (fields, "subject", subject);
  rd_connection_create_ticket_async (api, fields, NULL, rd_test_store_result_cb, &result);

  return finish_ticket (api, &result, error);
}

static RdTicket *
transition (const char     *number,
            RdTicketState   to,
            const char     *note,
            GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_transition_ticket_async (api, number, to, note, NULL, rd_test_store_result_cb, &result);

  return finish_ticket (api, &result, error);
}

static GListModel *
history (RdConnection  *connection,
         const char    *number,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rd_connection_get_history_async (connection, number, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);

  return rd_connection_get_history_finish (connection, result, error);
}

static gboolean
model_idle (gpointer data)
{
  return !rd_ticket_model_get_loading (RD_TICKET_MODEL (data));
}

static void
test_paging (void)
{
  g_autoptr(RdTicketModel) model = rd_ticket_model_new ();
  RdTicketFilter filter = { NULL, NULL, "paging" };
  guint64 last = G_MAXUINT64;
  guint pages = 1;

  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("Paging check %u", i);
      g_autoptr(RdTicket) ticket = create (subject, &error);

      g_assert_no_error (error);
    }
  /* Not found by the filter: a different word */
  g_object_unref (create ("Something else", NULL));

  rd_ticket_model_set_connection (model, api);
  rd_ticket_model_set_page_size (model, 3);
  rd_ticket_model_set_filter (model, &filter);
  rd_ticket_model_reload (model);
  g_assert_true (rd_ticket_model_get_loading (model));
  rd_test_spin_until (model_idle, model, "the first page");
  g_assert_null (rd_ticket_model_get_error (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_true (rd_ticket_model_get_has_more (model));

  while (rd_ticket_model_get_has_more (model))
    {
      rd_ticket_model_load_more (model);
      /* A second call while a page is on its way asks nothing more */
      rd_ticket_model_load_more (model);
      rd_test_spin_until (model_idle, model, "the next page");
      g_assert_null (rd_ticket_model_get_error (model));
      pages++;
    }

  g_assert_cmpuint (pages, ==, (N_TICKETS + 2) / 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_TICKETS);

  /* Newest first, each ticket once */
  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (G_LIST_MODEL (model), i);
      guint64 number = g_ascii_strtoull (rd_ticket_get_number (ticket), NULL, 10);

      g_assert_cmpuint (number, <, last);
      g_assert_true (g_str_has_prefix (rd_ticket_get_subject (ticket), "Paging check"));
      last = number;
    }

  /* Reloading starts from the first page again */
  rd_ticket_model_reload (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  rd_test_spin_until (model_idle, model, "the reload");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);

  /* A replaced ticket takes its place */
  {
    g_autoptr(RdTicket) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(RdTicket) moved = transition (rd_ticket_get_number (first), RD_TICKET_STATE_IN_PROGRESS, NULL, NULL);
    g_autoptr(RdTicket) shown = NULL;

    g_assert_nonnull (moved);
    rd_ticket_model_replace (model, moved);
    shown = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_true (shown == moved);
  }

  /* A filter the server refuses leaves an error and no tickets */
  {
    RdTicketFilter bad = { "sleeping", NULL, NULL };

    rd_ticket_model_set_filter (model, &bad);
    rd_ticket_model_reload (model);
    rd_test_spin_until (model_idle, model, "the refused filter");
    g_assert_error ((GError *) rd_ticket_model_get_error (model), RD_ERROR, RD_ERROR_INVALID_FIELD);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  }
}

static void
test_moves_and_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) ticket = create ("History check", &error);
  g_autoptr(RdTicket) moved = NULL;
  g_autoptr(RdTicket) patched = NULL;
  g_autoptr(GListModel) changes = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  const char *number;
  RdTicketChange *last;

  g_assert_no_error (error);
  number = rd_ticket_get_number (ticket);

  json_object_set_string_member (patch, "priority", "urgent");
  rd_connection_update_ticket_async (api, number, patch, NULL, rd_test_store_result_cb, &result);
  patched = finish_ticket (api, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rd_ticket_get_priority (patched), ==, RD_PRIORITY_URGENT);

  moved = transition (number, RD_TICKET_STATE_IN_PROGRESS, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&moved);
  moved = transition (number, RD_TICKET_STATE_RESOLVED, "Valve replaced", &error);
  g_assert_no_error (error);
  g_clear_object (&moved);

  /* Closing without the requester's confirmation is refused */
  moved = transition (number, RD_TICKET_STATE_CLOSED, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_MISSING_FIELD);
  g_assert_null (moved);
  g_clear_error (&error);

  /* A move the state does not allow */
  moved = transition (number, RD_TICKET_STATE_OPEN, NULL, &error);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  moved = transition (number, RD_TICKET_STATE_CLOSED, "Confirmed by phone", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rd_ticket_get_state (moved), ==, RD_TICKET_STATE_CLOSED);

  changes = history (api, number, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (changes), ==, 5);
  last = g_list_model_get_item (changes, 4);
  g_assert_cmpstr (rd_ticket_change_get_field (last), ==, "state");
  g_assert_cmpstr (rd_ticket_change_get_old_value (last), ==, "resolved");
  g_assert_cmpstr (rd_ticket_change_get_new_value (last), ==, "closed");
  g_assert_cmpstr (rd_ticket_change_get_note (last), ==, "Confirmed by phone");
  g_assert_cmpstr (rd_ticket_change_get_username (last), ==, RD_TEST_USERNAME);
  g_assert_nonnull (rd_ticket_change_get_at (last));
  g_object_unref (last);
}

static void
test_bad_numbers (void)
{
  static const char * const numbers[] = { "", "../users", "12/history", "1 OR 1", "%2e%2e",
                                          "123456789012345678901234" };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(RdTicket) ticket = NULL;
      g_autoptr(GListModel) changes = NULL;

      rd_connection_get_ticket_async (api, numbers[i], NULL, rd_test_store_result_cb, &result);
      ticket = finish_ticket (api, &result, &error);
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
      g_assert_null (ticket);
      g_clear_error (&error);

      changes = history (api, numbers[i], &error);
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
      g_assert_null (changes);
    }

  /* A number that is not a ticket is the server's not_found */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(RdTicket) ticket = NULL;

    rd_connection_get_ticket_async (api, "999999", NULL, rd_test_store_result_cb, &result);
    ticket = finish_ticket (api, &result, &error);
    g_assert_error (error, RD_ERROR, RD_ERROR_NOT_FOUND);
  }
}

static const RdTestReply fake_replies[] = {
  { "/items-not-array/api/v1/tickets", 200, "application/json", "{\"items\": \"many\", \"next_cursor\": null}" },
  { "/bad-item/api/v1/tickets", 200, "application/json", "{\"items\": [{\"number\": \"1\", \"subject\": 5}], \"next_cursor\": null}" },
  { "/bad-cursor/api/v1/tickets", 200, "application/json", "{\"items\": [], \"next_cursor\": 7}" },
  { "/bad-item/api/v1/tickets/1", 200, "application/json", "{\"number\": \"1\", \"subject\": \"x\", \"state\": \"asleep\"}" },
  { "/bad-item/api/v1/tickets/1/history", 200, "application/json", "{\"items\": [{\"at\": \"yesterday\", \"field\": \"state\"}]}" },
  { "/items-not-array/api/v1/tickets/1/history", 200, "application/json", "{\"items\": [42]}" },
};

static RdConnection *
fake_connection (SoupServer *soup_server,
                 const char *prefix)
{
  g_autofree char *url = rd_test_fake_server_url (soup_server, prefix);
  g_autoptr(GError) error = NULL;
  RdConnection *connection;

  connection = rd_connection_new (url, &error);
  g_assert_no_error (error);
  rd_connection_set_token (connection, "not-a-real-token");

  return connection;
}

static void
test_bad_replies (void)
{
  g_autoptr(SoupServer) soup_server = rd_test_fake_server_new (fake_replies, G_N_ELEMENTS (fake_replies));
  g_autoptr(GError) error = NULL;
  static const char * const list_prefixes[] = { "items-not-array/", "bad-item/", "bad-cursor/" };

  for (guint i = 0; i < G_N_ELEMENTS (list_prefixes); i++)
    {
      g_autoptr(RdConnection) connection = fake_connection (soup_server, list_prefixes[i]);
      g_autoptr(RdTicketModel) model = rd_ticket_model_new ();

      rd_ticket_model_set_connection (model, connection);
      rd_ticket_model_reload (model);
      rd_test_spin_until (model_idle, model, "the bad list");
      g_test_message ("%s: %s", list_prefixes[i], rd_ticket_model_get_error (model)->message);
      g_assert_error ((GError *) rd_ticket_model_get_error (model), RD_ERROR, RD_ERROR_INVALID_DATA);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
      g_assert_false (rd_ticket_model_get_has_more (model));
    }

  {
    g_autoptr(RdConnection) connection = fake_connection (soup_server, "bad-item/");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(RdTicket) ticket = NULL;
    g_autoptr(GListModel) changes = NULL;

    rd_connection_get_ticket_async (connection, "1", NULL, rd_test_store_result_cb, &result);
    ticket = finish_ticket (connection, &result, &error);
    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_clear_error (&error);

    changes = history (connection, "1", &error);
    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }

  {
    g_autoptr(RdConnection) connection = fake_connection (soup_server, "items-not-array/");
    g_autoptr(GListModel) changes = history (connection, "1", &error);

    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_assert_null (changes);
  }

  soup_server_disconnect (soup_server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RdUser) user = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = rd_test_server_new (&error);
  g_assert_no_error (error);
  if (server == NULL)
    {
      g_print ("1..0 # SKIP ringdesk-server is not built (RD_SERVER_BINARY unset)\n");
      return 0;
    }

  api = rd_connection_new (rd_test_server_get_url (server), &error);
  g_assert_no_error (error);
  rd_connection_sign_in_async (api, RD_TEST_USERNAME, RD_TEST_PASSWORD, NULL, rd_test_store_result_cb, &result);
  rd_test_wait_result (&result);
  user = rd_connection_sign_in_finish (api, result, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ticket-model/paging", test_paging);
  g_test_add_func ("/ticket-model/moves-and-history", test_moves_and_history);
  g_test_add_func ("/ticket-model/bad-numbers", test_bad_numbers);
  g_test_add_func ("/ticket-model/bad-replies", test_bad_replies);

  ret = g_test_run ();

  g_clear_object (&api);
  g_clear_pointer (&server, rd_test_server_free);

  return ret;
}
