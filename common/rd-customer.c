/* rd-customer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Someone who calls: a person or a company contact, matched to incoming calls
 * by any of its phone numbers (normalised with RdPhonePlan). The id is
 * assigned by the server; it is null only in a create request.
 */

#define G_LOG_DOMAIN "RdCustomer"

#include "config.h"

#include "rd-codec.h"
#include "rd-customer.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-util.h"

struct _RdCustomer
{
  GObject    parent_instance;

  char      *id;
  char      *name;
  char      *company;
  char     **phones;
  char      *email;
  char      *notes;
  char      *location_id;
  GDateTime *created_at;
};

static void rd_customer_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdCustomer, rd_customer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_customer_codec_iface_init))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_COMPANY,
  PROP_PHONES,
  PROP_EMAIL,
  PROP_NOTES,
  PROP_LOCATION_ID,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const customer_members[] = {
  "id", "name", "company", "phones", "email", "notes", "location_id", "created_at", NULL
};

static void
rd_customer_to_json (RdCodec     *codec,
                     JsonBuilder *builder)
{
  RdCustomer *self = RD_CUSTOMER (codec);

  rd_json_builder_add_string (builder, "id", self->id);
  rd_json_builder_add_string (builder, "name", self->name ? self->name : "");
  rd_json_builder_add_string (builder, "company", self->company);
  rd_json_builder_add_strv (builder, "phones", (const char * const *) self->phones);
  rd_json_builder_add_string (builder, "email", self->email);
  rd_json_builder_add_string (builder, "notes", self->notes);
  rd_json_builder_add_string (builder, "location_id", self->location_id);
  rd_json_builder_add_datetime (builder, "created_at", self->created_at);
}

static gboolean
rd_customer_from_json (RdCodec       *codec,
                       JsonObject    *object,
                       RdCodecFlags   flags,
                       GError       **error)
{
  RdCustomer *self = RD_CUSTOMER (codec);
  const char *id = NULL;
  const char *name = NULL;
  const char *company = NULL;
  g_auto(GStrv) phones = NULL;
  const char *email = NULL;
  const char *notes = NULL;
  const char *location_id = NULL;
  g_autoptr(GDateTime) created_at = NULL;

  if (!rd_codec_check_members (flags, object, customer_members, error) ||
      !rd_json_get_string (object, "id", RD_JSON_NULLABLE, &id, error) ||
      !rd_json_get_string (object, "name", RD_JSON_REQUIRED, &name, error) ||
      !rd_json_get_string (object, "company", RD_JSON_NULLABLE, &company, error) ||
      !rd_json_dup_strv (object, "phones", RD_JSON_OPTIONAL, &phones, error) ||
      !rd_json_get_string (object, "email", RD_JSON_NULLABLE, &email, error) ||
      !rd_json_get_string (object, "notes", RD_JSON_NULLABLE, &notes, error) ||
      !rd_json_get_string (object, "location_id", RD_JSON_NULLABLE, &location_id, error) ||
      !rd_json_get_datetime (object, "created_at", RD_JSON_OPTIONAL, &created_at, error) ||
      !rd_check_not_empty ("id", id, error) ||
      !rd_check_not_empty ("name", name, error) ||
      !rd_check_not_empty ("location_id", location_id, error))
    return FALSE;

  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    {
      if (!rd_check_not_empty ("phones", phones[i], error))
        return FALSE;
    }

  if (email != NULL && (strchr (email, '@') == NULL || strlen (email) > 254))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “email” must be an e-mail address");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_customer_set_id (self, id);
  rd_customer_set_name (self, name);
  rd_customer_set_company (self, company);
  rd_customer_set_phones (self, (const char * const *) phones);
  rd_customer_set_email (self, email);
  rd_customer_set_notes (self, notes);
  rd_customer_set_location_id (self, location_id);
  if (created_at != NULL)
    rd_customer_set_created_at (self, created_at);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_customer_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_customer_to_json;
  iface->from_json = rd_customer_from_json;
}

static void
rd_customer_finalize (GObject *object)
{
  RdCustomer *self = (RdCustomer *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->company, g_free);
  g_clear_pointer (&self->phones, g_strfreev);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->location_id, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (rd_customer_parent_class)->finalize (object);
}

static void
rd_customer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RdCustomer *self = RD_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_COMPANY:
      g_value_set_string (value, self->company);
      break;

    case PROP_PHONES:
      g_value_set_boxed (value, self->phones);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_LOCATION_ID:
      g_value_set_string (value, self->location_id);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_customer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RdCustomer *self = RD_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      rd_customer_set_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      rd_customer_set_name (self, g_value_get_string (value));
      break;

    case PROP_COMPANY:
      rd_customer_set_company (self, g_value_get_string (value));
      break;

    case PROP_PHONES:
      rd_customer_set_phones (self, g_value_get_boxed (value));
      break;

    case PROP_EMAIL:
      rd_customer_set_email (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      rd_customer_set_notes (self, g_value_get_string (value));
      break;

    case PROP_LOCATION_ID:
      rd_customer_set_location_id (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      rd_customer_set_created_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_customer_class_init (RdCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_customer_finalize;
  object_class->get_property = rd_customer_get_property;
  object_class->set_property = rd_customer_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPANY] =
    g_param_spec_string ("company", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHONES] =
    g_param_spec_boxed ("phones", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION_ID] =
    g_param_spec_string ("location-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_customer_init (RdCustomer *self)
{
  self->phones = g_new0 (char *, 1);
  self->created_at = g_date_time_new_now_utc ();
}

RdCustomer *
rd_customer_new (const char *id)
{
  return g_object_new (RD_TYPE_CUSTOMER, "id", id, NULL);
}

const char *
rd_customer_get_id (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->id;
}

void
rd_customer_set_id (RdCustomer *self,
                    const char *id)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
rd_customer_get_name (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->name;
}

void
rd_customer_set_name (RdCustomer *self,
                      const char *name)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
rd_customer_get_company (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->company;
}

void
rd_customer_set_company (RdCustomer *self,
                         const char *company)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_str (&self->company, company))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPANY]);
}

const char * const *
rd_customer_get_phones (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return (const char * const *) self->phones;
}

void
rd_customer_set_phones (RdCustomer         *self,
                        const char * const *phones)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_strv (&self->phones, phones))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONES]);
}

const char *
rd_customer_get_email (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->email;
}

void
rd_customer_set_email (RdCustomer *self,
                       const char *email)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_str (&self->email, email))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

const char *
rd_customer_get_notes (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->notes;
}

void
rd_customer_set_notes (RdCustomer *self,
                       const char *notes)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_str (&self->notes, notes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

const char *
rd_customer_get_location_id (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->location_id;
}

void
rd_customer_set_location_id (RdCustomer *self,
                             const char *location_id)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));

  if (rd_set_str (&self->location_id, location_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION_ID]);
}

GDateTime *
rd_customer_get_created_at (RdCustomer *self)
{
  g_return_val_if_fail (RD_IS_CUSTOMER (self), NULL);

  return self->created_at;
}

void
rd_customer_set_created_at (RdCustomer *self,
                            GDateTime  *created_at)
{
  g_return_if_fail (RD_IS_CUSTOMER (self));
  g_return_if_fail (created_at != NULL);

  if (rd_set_datetime (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}
