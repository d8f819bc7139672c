/* rd-customer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_CUSTOMER (rd_customer_get_type ())

G_DECLARE_FINAL_TYPE (RdCustomer, rd_customer, RD, CUSTOMER, GObject)

RdCustomer         *rd_customer_new             (const char         *id);
const char         *rd_customer_get_id          (RdCustomer         *self);
void                rd_customer_set_id          (RdCustomer         *self,
                                                 const char         *id);
const char         *rd_customer_get_name        (RdCustomer         *self);
void                rd_customer_set_name        (RdCustomer         *self,
                                                 const char         *name);
const char         *rd_customer_get_company     (RdCustomer         *self);
void                rd_customer_set_company     (RdCustomer         *self,
                                                 const char         *company);
const char * const *rd_customer_get_phones      (RdCustomer         *self);
void                rd_customer_set_phones      (RdCustomer         *self,
                                                 const char * const *phones);
const char         *rd_customer_get_email       (RdCustomer         *self);
void                rd_customer_set_email       (RdCustomer         *self,
                                                 const char         *email);
const char         *rd_customer_get_notes       (RdCustomer         *self);
void                rd_customer_set_notes       (RdCustomer         *self,
                                                 const char         *notes);
const char         *rd_customer_get_location_id (RdCustomer         *self);
void                rd_customer_set_location_id (RdCustomer         *self,
                                                 const char         *location_id);
GDateTime          *rd_customer_get_created_at  (RdCustomer         *self);
void                rd_customer_set_created_at  (RdCustomer         *self,
                                                 GDateTime          *created_at);

G_END_DECLS
