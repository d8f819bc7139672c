/* rd-customer-store.h: customers and their phone numbers, CSV import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-customer.h"
#include "rd-phone.h"
#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TYPE_CUSTOMER_STORE (rd_customer_store_get_type ())

G_DECLARE_FINAL_TYPE (RdCustomerStore, rd_customer_store, RD, CUSTOMER_STORE, GObject)

#define RD_CUSTOMER_MAX_NAME   200
#define RD_CUSTOMER_MAX_NOTES  2000
#define RD_CUSTOMER_MAX_PHONES 20
/* rows of one CSV import, so it stays a short write on the main loop */
#define RD_CUSTOMER_IMPORT_MAX_ROWS 1000

/**
 * RdCustomerImport:
 * @imported: rows that made a new customer
 * @updated: rows that updated an existing one
 * @errors: (element-type RdCustomerImportError): rows refused, in order
 */
typedef struct
{
  guint      imported;
  guint      updated;
  GPtrArray *errors;
} RdCustomerImport;

typedef struct
{
  guint  row;
  char  *message;
} RdCustomerImportError;

/* the lookups by number (caller id) and by name and company (CSV upsert),
 * for the query-plan test */
extern const char * const rd_customer_store_queries[];

void             rd_customer_import_clear            (RdCustomerImport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RdCustomerImport, rd_customer_import_clear)

RdCustomerStore *rd_customer_store_new               (RdStore          *store);
void             rd_customer_store_set_phone_plan    (RdCustomerStore  *self,
                                                      RdPhonePlan      *plan);
RdPhonePlan     *rd_customer_store_get_phone_plan    (RdCustomerStore  *self);
gboolean         rd_customer_store_check             (RdCustomerStore  *self,
                                                      RdCustomer       *customer,
                                                      GError          **error);
RdCustomer      *rd_customer_store_add               (RdCustomerStore  *self,
                                                      RdCustomer       *customer,
                                                      GError          **error);
gboolean         rd_customer_store_update            (RdCustomerStore  *self,
                                                      RdCustomer       *customer,
                                                      GError          **error);
RdCustomer      *rd_customer_store_get               (RdCustomerStore  *self,
                                                      const char       *id,
                                                      GError          **error);
GListModel      *rd_customer_store_list              (RdCustomerStore  *self,
                                                      gint64            after,
                                                      guint             limit,
                                                      GError          **error);
RdCustomer      *rd_customer_store_find_by_phone     (RdCustomerStore  *self,
                                                      const char       *e164,
                                                      GError          **error);
RdCustomer      *rd_customer_store_lookup            (const char       *e164,
                                                      gpointer          user_data);
gboolean         rd_customer_store_import_csv        (RdCustomerStore  *self,
                                                      const char       *data,
                                                      gsize             length,
                                                      RdCustomerImport *report,
                                                      GError          **error);

G_END_DECLS
