/* rd-handler-customers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|POST /api/v1/customers (GET takes ?phone= for the normalised match),
 * GET|PATCH /api/v1/customers/{id} and POST /api/v1/customers/import with a
 * text/csv body. Everyone signed in reads; agents, supervisors and admins
 * write and import.
 */

#define G_LOG_DOMAIN "RdHandlerCustomers"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"
#include "rd-ticket-store.h"

static const char * const writers[] = {
  RD_ROLE_AGENT, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const writable_members[] = {
  "name", "company", "phones", "email", "notes", "location_id", NULL
};

static gboolean
check_no_server_members (JsonObject  *body,
                         GError     **error)
{
  static const char * const server_members[] = { "id", "created_at", NULL };

  for (guint i = 0; server_members[i] != NULL; i++)
    {
      if (rd_json_has_member (body, server_members[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Field “%s” is set by the server",
                       server_members[i]);
          return FALSE;
        }
    }

  return TRUE;
}

static void
reply_list (RdRequest  *request,
            GListModel *found,
            guint       limit)
{
  rd_check_reply_page (request, found, limit, (RdCheckCursorFunc) rd_customer_get_id);
}

/* GET /customers */
static void
customers_list (RdServer  *server,
                RdRequest *request)
{
  RdCustomerStore *customers = rd_server_get_customer_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  const char *phone = rd_request_get_query (request, "phone");
  gint64 after = 0;
  guint limit = 0;

  if (!rd_request_get_limit (request, &limit, &error))
    goto fail;

  if (phone != NULL && phone[0] != '\0')
    {
      g_autoptr(GListStore) list = g_list_store_new (RD_TYPE_CUSTOMER);
      g_autofree char *e164 = NULL;
      g_autoptr(RdCustomer) customer = NULL;

      e164 = rd_phone_normalize (rd_customer_store_get_phone_plan (customers), phone, NULL);
      if (e164 == NULL)
        {
          g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "Parameter “phone” is not a phone number");
          goto fail;
        }
      customer = rd_customer_store_find_by_phone (customers, e164, &error);
      if (error != NULL)
        goto fail;
      if (customer != NULL)
        g_list_store_append (list, customer);
      reply_list (request, G_LIST_MODEL (list), limit);
      return;
    }

  if (!rd_check_cursor_id (request, &after, &error))
    goto fail;

  found = rd_customer_store_list (customers, after, limit + 1, &error);
  if (found == NULL)
    goto fail;

  reply_list (request, found, limit);
  return;

fail:
  rd_request_reply_error (request, error);
}

static void
reply_customer (RdRequest  *request,
                guint       status,
                RdCustomer *customer)
{
  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strdup_printf (RD_API_PATH_CUSTOMERS "/%s", rd_customer_get_id (customer));
      SoupServerMessage *msg = rd_request_get_message (request);

      if (msg != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Location", location);
    }

  rd_request_reply_codec (request, status, RD_CODEC (customer));
}

/* POST /customers */
static void
customers_post (RdServer  *server,
                RdRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCustomer) draft = NULL;
  g_autoptr(RdCustomer) customer = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !check_no_server_members (body, &error) ||
      (draft = rd_codec_new_from_json_full (RD_TYPE_CUSTOMER, body, RD_CODEC_STRICT, &error)) == NULL ||
      (customer = rd_customer_store_add (rd_server_get_customer_store (server), draft, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_customer (request, SOUP_STATUS_CREATED, customer);
}

/* GET /customers/{id} */
static void
customer_get (RdServer  *server,
              RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCustomer) customer = NULL;

  customer = rd_customer_store_get (rd_server_get_customer_store (server),
                                    rd_request_get_param (request, "id"), &error);
  if (customer == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_customer (request, SOUP_STATUS_OK, customer);
}

/* PATCH /customers/{id} */
static void
customer_patch (RdServer  *server,
                RdRequest *request)
{
  RdCustomerStore *customers = rd_server_get_customer_store (server);
  const char *id = rd_request_get_param (request, "id");
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCustomer) current = NULL;
  g_autoptr(RdCustomer) customer = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !check_no_server_members (body, &error) ||
      (current = rd_customer_store_get (customers, id, &error)) == NULL ||
      (customer = rd_check_apply_patch (RD_CODEC (current), body, writable_members, &error)) == NULL ||
      !rd_customer_store_update (customers, customer, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_clear_object (&customer);
  customer = rd_customer_store_get (customers, id, &error);
  if (customer == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_customer (request, SOUP_STATUS_OK, customer);
}

/* POST /customers/import */
static void
customers_import (RdServer  *server,
                  RdRequest *request)
{
  SoupServerMessage *msg = rd_request_get_message (request);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_auto(RdCustomerImport) report = { 0 };
  gsize length = 0;
  const char *data;

  if (content_type == NULL || g_ascii_strcasecmp (content_type, "text/csv") != 0)
    {
      rd_request_reply_error_literal (request, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                                      "The body must be CSV (Content-Type: text/csv)");
      return;
    }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &length);

  if (!rd_customer_store_import_csv (rd_server_get_customer_store (server), data != NULL ? data : "",
                                     length, &report, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("customer import by %s: %u new, %u updated, %u refused",
          rd_user_get_username (rd_request_get_user (request)), report.imported, report.updated,
          report.errors->len);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, report.imported);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, report.updated);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report.errors->len; i++)
    {
      RdCustomerImportError *e = g_ptr_array_index (report.errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, e->row);
      rd_json_builder_add_string (builder, "message", e->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, SOUP_STATUS_OK, node);
}

void
rd_handler_customers_register (RdServer *server)
{
  rd_server_add_route (server, "GET", RD_API_PATH_CUSTOMERS, RD_ROUTE_DEFAULT, NULL, customers_list);
  rd_server_add_route (server, "POST", RD_API_PATH_CUSTOMERS, RD_ROUTE_JSON_BODY, writers, customers_post);
  rd_server_add_route (server, "POST", RD_API_PATH_CUSTOMERS "/import", RD_ROUTE_DEFAULT, writers,
                       customers_import);
  rd_server_add_route (server, "GET", RD_API_PATH_CUSTOMERS "/{id}", RD_ROUTE_DEFAULT, NULL, customer_get);
  rd_server_add_route (server, "PATCH", RD_API_PATH_CUSTOMERS "/{id}", RD_ROUTE_JSON_BODY, writers,
                       customer_patch);
}
