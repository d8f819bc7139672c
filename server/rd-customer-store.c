/* rd-customer-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customers (tables of schema v3, see rd-store.c). Their phone numbers are
 * stored normalised to E.164 with the server's RdPhonePlan (`[phone] country`),
 * in customer_phones whose primary key is the number: a number belongs to
 * one customer at most, so a caller id finds one customer, by index.
 *
 * CSV import (rd_customer_store_import_csv()) runs in one transaction. Each
 * row is checked completely (fields, numbers, who owns them) before anything
 * of it is written, so a bad row is reported and leaves nothing behind, and
 * good rows are kept; a database fault while writing ends the whole import. A row updates the customer that already has one of its
 * numbers (its numbers are added to that customer's); a row without such a
 * number updates the customer of the same name and company (ASCII
 * case-insensitive), else it makes a new customer. A row whose numbers belong
 * to two customers is refused.
 */

#define G_LOG_DOMAIN "RdCustomerStore"

#include "config.h"

#include <sqlite3.h>

#include "rd-check.h"
#include "rd-codec.h"
#include "rd-csv.h"
#include "rd-customer-store.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-sqlite.h"
#include "rd-ticket-store.h"

struct _RdCustomerStore
{
  GObject      parent_instance;

  RdStore     *store;
  RdPhonePlan *plan;
};

G_DEFINE_FINAL_TYPE (RdCustomerStore, rd_customer_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PHONE_PLAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CUSTOMER_COLUMNS \
  "c.id, c.name, c.company, c.email, c.notes, c.location_id, c.created_at," \
  " (SELECT group_concat(phone, ';') FROM" \
  "   (SELECT phone FROM customer_phones p WHERE p.customer_id = c.id ORDER BY p.position))"

#define PHONE_OWNER_QUERY "SELECT customer_id FROM customer_phones WHERE phone = ?1"
#define NAME_COMPANY_QUERY \
  "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE" \
  " AND coalesce (company, '') = ?2 COLLATE NOCASE ORDER BY id LIMIT 1"

const char * const rd_customer_store_queries[] = { PHONE_OWNER_QUERY, NAME_COMPANY_QUERY, NULL };

static const char * const csv_columns[] = { "name", "company", "phones", "email", "notes", NULL };

static void
import_error_free (gpointer data)
{
  RdCustomerImportError *e = data;

  g_free (e->message);
  g_free (e);
}

void
rd_customer_import_clear (RdCustomerImport *report)
{
  report->imported = 0;
  report->updated = 0;
  g_clear_pointer (&report->errors, g_ptr_array_unref);
}

static RdCustomer *
customer_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *id = rd_check_id_to_string (sqlite3_column_int64 (stmt, 0));
  g_autofree char *location_id = NULL;
  g_autoptr(GDateTime) created_at = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 6));
  const char *phones = (const char *) sqlite3_column_text (stmt, 7);
  RdCustomer *customer = rd_customer_new (id);

  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    location_id = rd_check_id_to_string (sqlite3_column_int64 (stmt, 5));

  rd_customer_set_name (customer, (const char *) sqlite3_column_text (stmt, 1));
  rd_customer_set_company (customer, (const char *) sqlite3_column_text (stmt, 2));
  rd_customer_set_email (customer, (const char *) sqlite3_column_text (stmt, 3));
  rd_customer_set_notes (customer, (const char *) sqlite3_column_text (stmt, 4));
  rd_customer_set_location_id (customer, location_id);
  rd_customer_set_created_at (customer, created_at);
  if (phones != NULL && phones[0] != '\0')
    {
      g_auto(GStrv) split = g_strsplit (phones, ";", -1);
      rd_customer_set_phones (customer, (const char * const *) split);
    }

  return customer;
}

static RdCustomer *
get_by_id (sqlite3     *db,
           gint64       id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rd_sqlite_prepare (db, "SELECT " CUSTOMER_COLUMNS " FROM customers c WHERE c.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!rd_sqlite_step_one (db, stmt, "get customer", error, "No customer %" G_GINT64_FORMAT, id))
    return NULL;

  return customer_from_row (stmt);
}

/* The customer that has @phone (normalised), 0 for none, -1 on error. */
static gint64
phone_owner (sqlite3     *db,
             const char  *phone,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = rd_sqlite_prepare (db, PHONE_OWNER_QUERY, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return 0;
  if (rc != SQLITE_ROW)
    {
      rd_sqlite_set_error (db, error, "find phone");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * rd_customer_store_check:
 *
 * Checks what the codec does not (lengths, control characters, that the
 * location exists) and replaces the phone numbers with their normalised
 * E.164 forms, without duplicates. A number that is not an outside number
 * is %RD_ERROR_INVALID_FIELD.
 */
gboolean
rd_customer_store_check (RdCustomerStore  *self,
                         RdCustomer       *customer,
                         GError          **error)
{
  const char * const *phones = rd_customer_get_phones (customer);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) normalised = NULL;
  const char *location_id = rd_customer_get_location_id (customer);

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_CUSTOMER (customer), FALSE);

  if (!rd_check_text ("name", rd_customer_get_name (customer), RD_CUSTOMER_MAX_NAME, error) ||
      !rd_check_text ("company", rd_customer_get_company (customer), RD_CUSTOMER_MAX_NAME, error) ||
      !rd_check_text ("email", rd_customer_get_email (customer), 254, error) ||
      !rd_check_text ("notes", rd_customer_get_notes (customer), RD_CUSTOMER_MAX_NOTES, error) ||
      !rd_check_strv ("phones", phones, RD_CUSTOMER_MAX_PHONES, 64, error))
    return FALSE;

  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    {
      RdPhoneKind kind = RD_PHONE_KIND_INVALID;
      g_autofree char *e164 = rd_phone_normalize (self->plan, phones[i], &kind);

      if (e164 == NULL || kind != RD_PHONE_KIND_EXTERNAL)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “phones” has “%.64s”, which is not an outside phone number", phones[i]);
          return FALSE;
        }
      if (g_ptr_array_find_with_equal_func (seen, e164, g_str_equal, NULL))
        continue;
      g_strv_builder_add (builder, e164);
      g_ptr_array_add (seen, g_steal_pointer (&e164));
    }
  normalised = g_strv_builder_end (builder);
  rd_customer_set_phones (customer, (const char * const *) normalised);

  if (location_id != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gint64 id = 0;
      sqlite3 *db;
      int rc = SQLITE_DONE;

      if ((db = rd_check_connection (self->store, error)) == NULL)
        return FALSE;
      if (rd_ticket_number_parse (location_id, &id))
        {
          stmt = rd_sqlite_prepare (db, "SELECT 1 FROM locations WHERE id = ?1", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          rc = sqlite3_step (stmt);
        }
      if (rc != SQLITE_ROW)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “location_id” names no location “%.32s”", location_id);
          return FALSE;
        }
    }

  return TRUE;
}

/* Refuses numbers another customer than @id (0: a new one) has. */
static gboolean
check_phone_owners (sqlite3     *db,
                    RdCustomer  *customer,
                    gint64       id,
                    GError     **error)
{
  const char * const *phones = rd_customer_get_phones (customer);

  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    {
      gint64 owner = phone_owner (db, phones[i], error);

      if (owner < 0)
        return FALSE;
      if (owner > 0 && owner != id)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT,
                       "The number %s belongs to customer %" G_GINT64_FORMAT, phones[i], owner);
          return FALSE;
        }
    }

  return TRUE;
}

/* Writes a checked customer inside a transaction (after
 * check_phone_owners()): a new one when *id is 0 (and sets *id), else the
 * one with that id. */
static gboolean
write_customer (sqlite3     *db,
                RdCustomer  *customer,
                gint64      *id,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  const char * const *phones = rd_customer_get_phones (customer);
  const char *location_id = rd_customer_get_location_id (customer);
  gint64 location = 0;
  gint64 now = rd_sqlite_now ();

  if (*id == 0)
    stmt = rd_sqlite_prepare (db,
                              "INSERT INTO customers (name, company, email, notes, location_id, created_at,"
                              " updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                              error);
  else
    stmt = rd_sqlite_prepare (db,
                              "UPDATE customers SET name = ?2, company = ?3, email = ?4, notes = ?5,"
                              " location_id = ?6, updated_at = ?7 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  if (*id != 0)
    sqlite3_bind_int64 (stmt, 1, *id);
  sqlite3_bind_text (stmt, 2, rd_customer_get_name (customer), -1, SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 3, rd_customer_get_company (customer));
  rd_sqlite_bind_text_or_null (stmt, 4, rd_customer_get_email (customer));
  rd_sqlite_bind_text_or_null (stmt, 5, rd_customer_get_notes (customer));
  if (location_id != NULL && rd_ticket_number_parse (location_id, &location))
    sqlite3_bind_int64 (stmt, 6, location);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_int64 (stmt, 7, now);
  if (!rd_sqlite_step_done (db, stmt, error))
    return FALSE;

  if (*id == 0)
    *id = sqlite3_last_insert_rowid (db);
  else if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No customer %" G_GINT64_FORMAT, *id);
      return FALSE;
    }

  del = rd_sqlite_prepare (db, "DELETE FROM customer_phones WHERE customer_id = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, *id);
  if (!rd_sqlite_step_done (db, del, error))
    return FALSE;

  ins = rd_sqlite_prepare (db, "INSERT INTO customer_phones (phone, customer_id, position) VALUES (?1, ?2, ?3)",
                           error);
  if (ins == NULL)
    return FALSE;
  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    {
      sqlite3_reset (ins);
      sqlite3_bind_text (ins, 1, phones[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (ins, 2, *id);
      sqlite3_bind_int (ins, 3, (int) i);
      if (!rd_sqlite_step_done (db, ins, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * rd_customer_store_add:
 * @customer: the new customer; its id and created_at are ignored
 *
 * Checks @customer (rd_customer_store_check()) and stores it. A number that
 * another customer has is %RD_ERROR_CONFLICT.
 *
 * Returns: (transfer full): the customer as stored
 */
RdCustomer *
rd_customer_store_add (RdCustomerStore  *self,
                       RdCustomer       *customer,
                       GError          **error)
{
  g_autoptr(RdCustomer) stored = NULL;
  gint64 id = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), NULL);
  g_return_val_if_fail (RD_IS_CUSTOMER (customer), NULL);

  if (!rd_customer_store_check (self, customer, error) ||
      (db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return NULL;

  if (!check_phone_owners (db, customer, id, error) ||
      !write_customer (db, customer, &id, error) ||
      (stored = get_by_id (db, id, error)) == NULL ||
      !rd_sqlite_commit (db, error))
    {
      rd_sqlite_rollback (db);
      return NULL;
    }

  return g_steal_pointer (&stored);
}

/**
 * rd_customer_store_update:
 *
 * Checks @customer and replaces the stored one of its id.
 */
gboolean
rd_customer_store_update (RdCustomerStore  *self,
                          RdCustomer       *customer,
                          GError          **error)
{
  gint64 id = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_CUSTOMER (customer), FALSE);

  if (!rd_ticket_number_parse (rd_customer_get_id (customer), &id))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No customer “%.32s”",
                   rd_customer_get_id (customer) != NULL ? rd_customer_get_id (customer) : "");
      return FALSE;
    }

  if (!rd_customer_store_check (self, customer, error) ||
      (db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  if (!check_phone_owners (db, customer, id, error) ||
      !write_customer (db, customer, &id, error) || !rd_sqlite_commit (db, error))
    {
      rd_sqlite_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_customer_store_get:
 *
 * Returns: (transfer full): the customer, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdCustomer *
rd_customer_store_get (RdCustomerStore  *self,
                       const char       *id,
                       GError          **error)
{
  gint64 number = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), NULL);

  if (!rd_ticket_number_parse (id, &number))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No customer “%.32s”", id != NULL ? id : "");
      return NULL;
    }
  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  return get_by_id (db, number, error);
}

/**
 * rd_customer_store_list:
 * @after: the cursor: ids above it, 0 for the first page
 *
 * Returns: (transfer full): customers by id
 */
GListModel *
rd_customer_store_list (RdCustomerStore  *self,
                        gint64            after,
                        guint             limit,
                        GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "SELECT " CUSTOMER_COLUMNS " FROM customers c WHERE c.id > ?1"
                            " ORDER BY c.id LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit);

  return rd_sqlite_list (db, stmt, RD_TYPE_CUSTOMER, (RdSqliteRowFunc) customer_from_row, "list customers",
                         error);
}

/**
 * rd_customer_store_find_by_phone:
 * @e164: a number, best already normalised (it is normalised again, so any
 *   spelling the phone plan understands works)
 *
 * The caller-id lookup of the call engine: one indexed query.
 *
 * Returns: (transfer full) (nullable): the customer with that number;
 *   %NULL without an error when there is none (or @e164 is no number)
 */
RdCustomer *
rd_customer_store_find_by_phone (RdCustomerStore  *self,
                                 const char       *e164,
                                 GError          **error)
{
  g_autofree char *phone = NULL;
  sqlite3 *db;
  gint64 owner;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), NULL);

  if (e164 == NULL || (phone = rd_phone_normalize (self->plan, e164, NULL)) == NULL)
    return NULL;
  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  owner = phone_owner (db, phone, error);
  if (owner <= 0)
    return NULL;

  return get_by_id (db, owner, error);
}

/**
 * rd_customer_store_lookup:
 * @user_data: the #RdCustomerStore
 *
 * rd_customer_store_find_by_phone() in the shape of the call engine's
 * RdCustomerLookupFunc: rd_call_engine_set_customer_lookup (engine,
 * rd_customer_store_lookup, g_object_ref (store), g_object_unref). A
 * database error is logged and counts as no match.
 *
 * Returns: (transfer full) (nullable): the customer with that number
 */
RdCustomer *
rd_customer_store_lookup (const char *e164,
                          gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  RdCustomer *customer;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (user_data), NULL);

  customer = rd_customer_store_find_by_phone (user_data, e164, &error);
  if (error != NULL)
    g_warning ("Cannot look up a caller's customer: %s", error->message);

  return customer;
}

/* CSV import */

static void
add_row_error (RdCustomerImport *report,
               guint             row,
               const char       *message)
{
  RdCustomerImportError *e = g_new0 (RdCustomerImportError, 1);

  e->row = row;
  e->message = g_strdup (message);
  g_ptr_array_add (report->errors, e);
}

/* Maps the header's columns to csv_columns; -1 for none. */
static gboolean
read_header (char   **fields,
             int     *columns,
             GError **error)
{
  gboolean has_name = FALSE;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip (fields[i]), -1);

      columns[i] = -1;
      for (int c = 0; csv_columns[c] != NULL; c++)
        {
          if (g_str_equal (name, csv_columns[c]))
            {
              for (guint j = 0; j < i; j++)
                {
                  if (columns[j] == c)
                    {
                      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                                   "The header names the column “%s” twice", csv_columns[c]);
                      return FALSE;
                    }
                }
              columns[i] = c;
              has_name |= c == 0;
            }
        }
      if (columns[i] < 0)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "The header has an unknown column “%.32s” (known: name, company, phones, "
                       "email, notes)", name);
          return FALSE;
        }
    }

  if (!has_name)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                           "The header has no “name” column");
      return FALSE;
    }

  return TRUE;
}

/* The row as the JSON of a POST, so it passes the same checks. */
static JsonObject *
row_to_json (char      **fields,
             const int  *columns)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *value = g_strstrip (g_strdup (fields[i]));
      const char *column = csv_columns[columns[i]];

      if (g_str_equal (column, "phones"))
        {
          g_auto(GStrv) phones = g_strsplit (value, ";", -1);

          json_builder_set_member_name (builder, "phones");
          json_builder_begin_array (builder);
          for (guint j = 0; phones[j] != NULL; j++)
            {
              g_strstrip (phones[j]);
              if (phones[j][0] != '\0')
                json_builder_add_string_value (builder, phones[j]);
            }
          json_builder_end_array (builder);
        }
      else if (g_str_equal (column, "name"))
        {
          rd_json_builder_add_string (builder, column, value);
        }
      else
        {
          rd_json_builder_add_string (builder, column, value[0] != '\0' ? value : NULL);
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_object_ref (json_node_get_object (root));
}

/* The customer a row updates: by its numbers, else by name and company; 0
 * for a new one, -1 on error. */
static gint64
find_row_target (sqlite3     *db,
                 RdCustomer  *customer,
                 GError     **error)
{
  const char * const *phones = rd_customer_get_phones (customer);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 target = 0;
  int rc;

  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    {
      gint64 owner = phone_owner (db, phones[i], error);

      if (owner < 0)
        return -1;
      if (owner > 0 && target > 0 && owner != target)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT,
                       "The numbers belong to two customers, %" G_GINT64_FORMAT " and %"
                       G_GINT64_FORMAT, target, owner);
          return -1;
        }
      if (owner > 0)
        target = owner;
    }
  if (target > 0)
    return target;

  stmt = rd_sqlite_prepare (db, NAME_COMPANY_QUERY, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, rd_customer_get_name (customer), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rd_customer_get_company (customer) != NULL
                              ? rd_customer_get_company (customer) : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      rd_sqlite_set_error (db, error, "find customer");
      return -1;
    }

  return 0;
}

/* Lays a row over the stored customer: numbers are added, empty members
 * keep the stored value. */
static gboolean
merge_row (sqlite3     *db,
           gint64       target,
           RdCustomer  *customer,
           GError     **error)
{
  g_autoptr(RdCustomer) stored = get_by_id (db, target, error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) phones = NULL;
  const char * const *add = rd_customer_get_phones (customer);

  if (stored == NULL)
    return FALSE;

  g_strv_builder_addv (builder, (const char **) rd_customer_get_phones (stored));
  for (guint i = 0; add != NULL && add[i] != NULL; i++)
    {
      if (!g_strv_contains (rd_customer_get_phones (stored), add[i]))
        g_strv_builder_add (builder, add[i]);
    }
  phones = g_strv_builder_end (builder);
  if (g_strv_length (phones) > RD_CUSTOMER_MAX_PHONES)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Customer %" G_GINT64_FORMAT " would have more than %u numbers", target,
                   RD_CUSTOMER_MAX_PHONES);
      return FALSE;
    }

  rd_customer_set_phones (customer, (const char * const *) phones);
  if (rd_customer_get_company (customer) == NULL)
    rd_customer_set_company (customer, rd_customer_get_company (stored));
  if (rd_customer_get_email (customer) == NULL)
    rd_customer_set_email (customer, rd_customer_get_email (stored));
  if (rd_customer_get_notes (customer) == NULL)
    rd_customer_set_notes (customer, rd_customer_get_notes (stored));
  rd_customer_set_location_id (customer, rd_customer_get_location_id (stored));

  return TRUE;
}

typedef enum
{
  ROW_STORED,
  ROW_REFUSED,
  ROW_FAILED,   /* a write failed: the import ends */
} RowResult;

/* One data row: every check comes before the first write. */
static RowResult
import_row (RdCustomerStore   *self,
            sqlite3           *db,
            char             **fields,
            const int         *columns,
            guint              n_columns,
            gboolean          *updated,
            GError           **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(RdCustomer) customer = NULL;
  guint n_fields = g_strv_length (fields);
  gint64 target;

  if (n_fields != n_columns)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA, "The row has %u fields, the header %u",
                   n_fields, n_columns);
      return ROW_REFUSED;
    }

  object = row_to_json (fields, columns);
  customer = rd_codec_new_from_json_full (RD_TYPE_CUSTOMER, object, RD_CODEC_STRICT, error);
  if (customer == NULL || !rd_customer_store_check (self, customer, error))
    return ROW_REFUSED;

  target = find_row_target (db, customer, error);
  /* find_row_target() refused numbers of another customer than the target */
  if (target < 0 || (target > 0 && !merge_row (db, target, customer, error)))
    return ROW_REFUSED;

  *updated = target > 0;
  return write_customer (db, customer, &target, error) ? ROW_STORED : ROW_FAILED;
}

/**
 * rd_customer_store_import_csv:
 * @data: CSV text: a header row naming the columns (name, company, phones,
 *   email, notes; name is needed), then one customer a row; phones are
 *   separated by ";" inside their field
 * @report: (out caller-allocates): what was imported and the refused rows
 *
 * Imports the good rows and reports the bad ones, in one transaction. Fails
 * as a whole only for a missing or bad header, more than
 * RD_CUSTOMER_IMPORT_MAX_ROWS rows (%RD_ERROR_TOO_LARGE), or a database fault.
 */
gboolean
rd_customer_store_import_csv (RdCustomerStore   *self,
                              const char        *data,
                              gsize              length,
                              RdCustomerImport  *report,
                              GError           **error)
{
  g_auto(GStrv) header = NULL;
  g_autofree int *columns = NULL;
  g_autoptr(GError) local_error = NULL;
  RdCsvReader reader;
  RdCsvResult result;
  guint n_columns;
  guint row = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  report->imported = 0;
  report->updated = 0;
  report->errors = g_ptr_array_new_with_free_func (import_error_free);

  rd_csv_reader_init (&reader, data, length);
  result = rd_csv_reader_next (&reader, &header, &row, &local_error);
  if (result == RD_CSV_END)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                           "The CSV has no header row (name,company,phones,email,notes)");
      return FALSE;
    }
  if (result == RD_CSV_ERROR)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "The header row: %s", local_error->message);
      return FALSE;
    }

  n_columns = g_strv_length (header);
  columns = g_new0 (int, n_columns + 1);
  if (!read_header (header, columns, error))
    return FALSE;

  if ((db = rd_check_connection (self->store, error)) == NULL || !rd_sqlite_begin (db, error))
    return FALSE;

  for (;;)
    {
      g_auto(GStrv) fields = NULL;
      gboolean updated = FALSE;
      RowResult row_result;

      g_clear_error (&local_error);
      result = rd_csv_reader_next (&reader, &fields, &row, &local_error);
      if (result == RD_CSV_END)
        break;
      if (row > RD_CUSTOMER_IMPORT_MAX_ROWS + 1)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_TOO_LARGE,
                       "An import takes at most %u rows; split the file", RD_CUSTOMER_IMPORT_MAX_ROWS);
          goto fail;
        }
      if (result == RD_CSV_ERROR)
        {
          add_row_error (report, row, local_error->message);
          continue;
        }

      row_result = import_row (self, db, fields, columns, n_columns, &updated, &local_error);
      if (row_result == ROW_FAILED ||
          (row_result == ROW_REFUSED &&
           (local_error->domain != RD_ERROR || local_error->code == RD_ERROR_INTERNAL ||
            local_error->code == RD_ERROR_UNAVAILABLE)))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Row %u: ", row);
          goto fail;
        }
      if (row_result == ROW_REFUSED)
        add_row_error (report, row, local_error->message);
      else if (updated)
        report->updated++;
      else
        report->imported++;
    }

  if (!rd_sqlite_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rd_sqlite_rollback (db);
  report->imported = 0;
  report->updated = 0;
  return FALSE;
}

/* GObject */

/**
 * rd_customer_store_set_phone_plan:
 *
 * The plan numbers are normalised with; the default is Spain's ("ES").
 */
void
rd_customer_store_set_phone_plan (RdCustomerStore *self,
                                  RdPhonePlan     *plan)
{
  g_return_if_fail (RD_IS_CUSTOMER_STORE (self));
  g_return_if_fail (RD_IS_PHONE_PLAN (plan));

  if (g_set_object (&self->plan, plan))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE_PLAN]);
}

RdPhonePlan *
rd_customer_store_get_phone_plan (RdCustomerStore *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER_STORE (self), NULL);

  return self->plan;
}

static void
rd_customer_store_finalize (GObject *object)
{
  RdCustomerStore *self = (RdCustomerStore *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->plan);

  G_OBJECT_CLASS (rd_customer_store_parent_class)->finalize (object);
}

static void
rd_customer_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RdCustomerStore *self = RD_CUSTOMER_STORE (object);

  switch (prop_id)
    {
    case PROP_PHONE_PLAN:
      g_value_set_object (value, self->plan);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_customer_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RdCustomerStore *self = RD_CUSTOMER_STORE (object);

  switch (prop_id)
    {
    case PROP_PHONE_PLAN:
      if (g_value_get_object (value) != NULL)
        rd_customer_store_set_phone_plan (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_customer_store_class_init (RdCustomerStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_customer_store_finalize;
  object_class->get_property = rd_customer_store_get_property;
  object_class->set_property = rd_customer_store_set_property;

  properties[PROP_PHONE_PLAN] =
    g_param_spec_object ("phone-plan", NULL, NULL, RD_TYPE_PHONE_PLAN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_customer_store_init (RdCustomerStore *self)
{
  self->plan = rd_phone_plan_new_for_country ("ES");
}

RdCustomerStore *
rd_customer_store_new (RdStore *store)
{
  RdCustomerStore *self;

  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  self = g_object_new (RD_TYPE_CUSTOMER_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}
