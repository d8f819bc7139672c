/* rd-asset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thing a ticket can be about: a machine, a vehicle, a device, with the
 * inventory tag and serial number written on it and the location it is at.
 */

#define G_LOG_DOMAIN "RdAsset"

#include "config.h"

#include "rd-asset.h"
#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-util.h"

struct _RdAsset
{
  GObject parent_instance;

  char   *id;
  char   *name;
  char   *tag;
  char   *kind;
  char   *location_id;
  char   *serial;
};

static void rd_asset_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdAsset, rd_asset, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_asset_codec_iface_init))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TAG,
  PROP_KIND,
  PROP_LOCATION_ID,
  PROP_SERIAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const asset_members[] = {
  "id", "name", "tag", "kind", "location_id", "serial", NULL
};

static void
rd_asset_to_json (RdCodec     *codec,
                  JsonBuilder *builder)
{
  RdAsset *self = RD_ASSET (codec);

  rd_json_builder_add_string (builder, "id", self->id);
  rd_json_builder_add_string (builder, "name", self->name ? self->name : "");
  rd_json_builder_add_string (builder, "tag", self->tag);
  rd_json_builder_add_string (builder, "kind", self->kind);
  rd_json_builder_add_string (builder, "location_id", self->location_id);
  rd_json_builder_add_string (builder, "serial", self->serial);
}

static gboolean
rd_asset_from_json (RdCodec       *codec,
                    JsonObject    *object,
                    RdCodecFlags   flags,
                    GError       **error)
{
  RdAsset *self = RD_ASSET (codec);
  const char *id = NULL;
  const char *name = NULL;
  const char *tag = NULL;
  const char *kind = NULL;
  const char *location_id = NULL;
  const char *serial = NULL;

  if (!rd_codec_check_members (flags, object, asset_members, error) ||
      !rd_json_get_string (object, "id", RD_JSON_NULLABLE, &id, error) ||
      !rd_json_get_string (object, "name", RD_JSON_REQUIRED, &name, error) ||
      !rd_json_get_string (object, "tag", RD_JSON_NULLABLE, &tag, error) ||
      !rd_json_get_string (object, "kind", RD_JSON_NULLABLE, &kind, error) ||
      !rd_json_get_string (object, "location_id", RD_JSON_NULLABLE, &location_id, error) ||
      !rd_json_get_string (object, "serial", RD_JSON_NULLABLE, &serial, error) ||
      !rd_check_not_empty ("id", id, error) ||
      !rd_check_not_empty ("name", name, error) ||
      !rd_check_not_empty ("location_id", location_id, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  rd_asset_set_id (self, id);
  rd_asset_set_name (self, name);
  rd_asset_set_tag (self, tag);
  rd_asset_set_kind (self, kind);
  rd_asset_set_location_id (self, location_id);
  rd_asset_set_serial (self, serial);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_asset_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_asset_to_json;
  iface->from_json = rd_asset_from_json;
}

static void
rd_asset_finalize (GObject *object)
{
  RdAsset *self = (RdAsset *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->location_id, g_free);
  g_clear_pointer (&self->serial, g_free);

  G_OBJECT_CLASS (rd_asset_parent_class)->finalize (object);
}

static void
rd_asset_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RdAsset *self = RD_ASSET (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TAG:
      g_value_set_string (value, self->tag);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_LOCATION_ID:
      g_value_set_string (value, self->location_id);
      break;

    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_asset_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  RdAsset *self = RD_ASSET (object);

  switch (prop_id)
    {
    case PROP_ID:
      rd_asset_set_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      rd_asset_set_name (self, g_value_get_string (value));
      break;

    case PROP_TAG:
      rd_asset_set_tag (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      rd_asset_set_kind (self, g_value_get_string (value));
      break;

    case PROP_LOCATION_ID:
      rd_asset_set_location_id (self, g_value_get_string (value));
      break;

    case PROP_SERIAL:
      rd_asset_set_serial (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_asset_class_init (RdAssetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_asset_finalize;
  object_class->get_property = rd_asset_get_property;
  object_class->set_property = rd_asset_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TAG] =
    g_param_spec_string ("tag", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION_ID] =
    g_param_spec_string ("location-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_asset_init (RdAsset *self)
{
}

RdAsset *
rd_asset_new (const char *id)
{
  return g_object_new (RD_TYPE_ASSET, "id", id, NULL);
}

const char *
rd_asset_get_id (RdAsset *self)
{
  g_return_val_if_fail (RD_IS_ASSET (self), NULL);

  return self->id;
}

void
rd_asset_set_id (RdAsset    *self,
                 const char *id)
{
  g_return_if_fail (RD_IS_ASSET (self));

  if (rd_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
rd_asset_get_name (RdAsset *self)
{
  g_return_val_if_fail (RD_IS_ASSET (self), NULL);

  return self->name;
}

void
rd_asset_set_name (RdAsset    *self,
                   const char *name)
{
  g_return_if_fail (RD_IS_ASSET (self));

  if (rd_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
rd_asset_get_tag (RdAsset *self)
{
  g_return_val_if_fail (RD_IS_ASSET (self), NULL);

  return self->tag;
}

void
rd_asset_set_tag (RdAsset    *self,
                  const char *tag)
{
  g_return_if_fail (RD_IS_ASSET (self));

  if (rd_set_str (&self->tag, tag))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAG]);
}

const char *
rd_asset_get_kind (RdAsset *self)
{
  g_return_val_if_fail (RD_IS_ASSET (self), NULL);

  return self->kind;
}

void
rd_asset_set_kind (RdAsset    *self,
                   const char *kind)
{
  g_return_if_fail (RD_IS_ASSET (self));

  if (rd_set_str (&self->kind, kind))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
rd_asset_get_location_id (RdAsset *self)
{
  g_return_val_if_fail (RD_IS_ASSET (self), NULL);

  return self->location_id;
}

void
rd_asset_set_location_id (RdAsset    *self,
                          const char *location_id)
{
  g_return_if_fail (RD_IS_ASSET (self));

  if (rd_set_str (&self->location_id, location_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION_ID]);
}

const char *
rd_asset_get_serial (RdAsset *self)
{
  g_return_val_if_fail (RD_IS_ASSET (self), NULL);

  return self->serial;
}

void
rd_asset_set_serial (RdAsset    *self,
                     const char *serial)
{
  g_return_if_fail (RD_IS_ASSET (self));

  if (rd_set_str (&self->serial, serial))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIAL]);
}
