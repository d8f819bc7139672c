/* rd-location.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A place where tickets happen and assets live: a site, a building, a room.
 * The id is assigned by the server; it is null only in a create request.
 */

#define G_LOG_DOMAIN "RdLocation"

#include "config.h"

#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-location.h"
#include "rd-model-private.h"
#include "rd-util.h"

struct _RdLocation
{
  GObject parent_instance;

  char   *id;
  char   *name;
  char   *address;
  char   *notes;
};

static void rd_location_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdLocation, rd_location, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_location_codec_iface_init))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_NOTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const location_members[] = {
  "id", "name", "address", "notes", NULL
};

static void
rd_location_to_json (RdCodec     *codec,
                     JsonBuilder *builder)
{
  RdLocation *self = RD_LOCATION (codec);

  rd_json_builder_add_string (builder, "id", self->id);
  rd_json_builder_add_string (builder, "name", self->name ? self->name : "");
  rd_json_builder_add_string (builder, "address", self->address);
  rd_json_builder_add_string (builder, "notes", self->notes);
}

static gboolean
rd_location_from_json (RdCodec       *codec,
                       JsonObject    *object,
                       RdCodecFlags   flags,
                       GError       **error)
{
  RdLocation *self = RD_LOCATION (codec);
  const char *id = NULL;
  const char *name = NULL;
  const char *address = NULL;
  const char *notes = NULL;

  if (!rd_codec_check_members (flags, object, location_members, error) ||
      !rd_json_get_string (object, "id", RD_JSON_NULLABLE, &id, error) ||
      !rd_json_get_string (object, "name", RD_JSON_REQUIRED, &name, error) ||
      !rd_json_get_string (object, "address", RD_JSON_NULLABLE, &address, error) ||
      !rd_json_get_string (object, "notes", RD_JSON_NULLABLE, &notes, error) ||
      !rd_check_not_empty ("id", id, error) ||
      !rd_check_not_empty ("name", name, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  rd_location_set_id (self, id);
  rd_location_set_name (self, name);
  rd_location_set_address (self, address);
  rd_location_set_notes (self, notes);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_location_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_location_to_json;
  iface->from_json = rd_location_from_json;
}

static void
rd_location_finalize (GObject *object)
{
  RdLocation *self = (RdLocation *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->notes, g_free);

  G_OBJECT_CLASS (rd_location_parent_class)->finalize (object);
}

static void
rd_location_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RdLocation *self = RD_LOCATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_location_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RdLocation *self = RD_LOCATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      rd_location_set_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      rd_location_set_name (self, g_value_get_string (value));
      break;

    case PROP_ADDRESS:
      rd_location_set_address (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      rd_location_set_notes (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_location_class_init (RdLocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_location_finalize;
  object_class->get_property = rd_location_get_property;
  object_class->set_property = rd_location_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_location_init (RdLocation *self)
{
}

RdLocation *
rd_location_new (const char *id)
{
  return g_object_new (RD_TYPE_LOCATION, "id", id, NULL);
}

const char *
rd_location_get_id (RdLocation *self)
{
  g_return_val_if_fail (RD_IS_LOCATION (self), NULL);

  return self->id;
}

void
rd_location_set_id (RdLocation *self,
                    const char *id)
{
  g_return_if_fail (RD_IS_LOCATION (self));

  if (rd_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
rd_location_get_name (RdLocation *self)
{
  g_return_val_if_fail (RD_IS_LOCATION (self), NULL);

  return self->name;
}

void
rd_location_set_name (RdLocation *self,
                      const char *name)
{
  g_return_if_fail (RD_IS_LOCATION (self));

  if (rd_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
rd_location_get_address (RdLocation *self)
{
  g_return_val_if_fail (RD_IS_LOCATION (self), NULL);

  return self->address;
}

void
rd_location_set_address (RdLocation *self,
                         const char *address)
{
  g_return_if_fail (RD_IS_LOCATION (self));

  if (rd_set_str (&self->address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

const char *
rd_location_get_notes (RdLocation *self)
{
  g_return_val_if_fail (RD_IS_LOCATION (self), NULL);

  return self->notes;
}

void
rd_location_set_notes (RdLocation *self,
                       const char *notes)
{
  g_return_if_fail (RD_IS_LOCATION (self));

  if (rd_set_str (&self->notes, notes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}
