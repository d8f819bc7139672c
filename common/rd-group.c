/* rd-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A group of responsible users (technicians, agents) that tickets of some areas
 * are assigned to, in turn by its strategy.
 */

#define G_LOG_DOMAIN "RdGroup"

#include "config.h"

#include "rd-codec.h"
#include "rd-enums.h"
#include "rd-error.h"
#include "rd-group.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-user.h"
#include "rd-util.h"

struct _RdGroup
{
  GObject         parent_instance;

  char           *name;
  char           *description;
  char          **members;
  char          **areas;
  RdGroupStrategy strategy;
};

static void rd_group_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdGroup, rd_group, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_group_codec_iface_init))

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_MEMBERS,
  PROP_AREAS,
  PROP_STRATEGY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const group_members[] = {
  "name", "description", "members", "areas", "strategy", NULL
};

static void
rd_group_to_json (RdCodec     *codec,
                  JsonBuilder *builder)
{
  RdGroup *self = RD_GROUP (codec);

  rd_json_builder_add_string (builder, "name", self->name ? self->name : "");
  rd_json_builder_add_string (builder, "description", self->description ? self->description : "");
  rd_json_builder_add_strv (builder, "members", (const char * const *) self->members);
  rd_json_builder_add_strv (builder, "areas", (const char * const *) self->areas);
  rd_json_builder_add_string (builder, "strategy", rd_group_strategy_to_string (self->strategy));
}

static gboolean
rd_group_from_json (RdCodec       *codec,
                    JsonObject    *object,
                    RdCodecFlags   flags,
                    GError       **error)
{
  RdGroup *self = RD_GROUP (codec);
  const char *name = NULL;
  const char *description = NULL;
  g_auto(GStrv) members = NULL;
  g_auto(GStrv) areas = NULL;
  int strategy = RD_GROUP_STRATEGY_ROUND_ROBIN;

  if (!rd_codec_check_members (flags, object, group_members, error) ||
      !rd_json_get_string (object, "name", RD_JSON_REQUIRED, &name, error) ||
      !rd_json_get_string (object, "description", RD_JSON_OPTIONAL, &description, error) ||
      !rd_json_dup_strv (object, "members", RD_JSON_OPTIONAL, &members, error) ||
      !rd_json_dup_strv (object, "areas", RD_JSON_OPTIONAL, &areas, error) ||
      !rd_json_get_enum (object, "strategy", RD_JSON_OPTIONAL,
                         RD_TYPE_GROUP_STRATEGY, -1, &strategy, error) ||
      !rd_check_not_empty ("name", name, error))
    return FALSE;

  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    {
      if (!rd_username_is_valid (members[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “members” has an invalid username “%.*s”", rd_utf8_prefix_length (members[i], 32), members[i]);
          return FALSE;
        }
    }

  for (guint i = 0; areas != NULL && areas[i] != NULL; i++)
    {
      if (!rd_check_not_empty ("areas", areas[i], error))
        return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_group_set_name (self, name);
  rd_group_set_description (self, description);
  rd_group_set_members (self, (const char * const *) members);
  rd_group_set_areas (self, (const char * const *) areas);
  rd_group_set_strategy (self, (RdGroupStrategy) strategy);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_group_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_group_to_json;
  iface->from_json = rd_group_from_json;
}

static void
rd_group_finalize (GObject *object)
{
  RdGroup *self = (RdGroup *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->members, g_strfreev);
  g_clear_pointer (&self->areas, g_strfreev);

  G_OBJECT_CLASS (rd_group_parent_class)->finalize (object);
}

static void
rd_group_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RdGroup *self = RD_GROUP (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_MEMBERS:
      g_value_set_boxed (value, self->members);
      break;

    case PROP_AREAS:
      g_value_set_boxed (value, self->areas);
      break;

    case PROP_STRATEGY:
      g_value_set_enum (value, self->strategy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_group_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  RdGroup *self = RD_GROUP (object);

  switch (prop_id)
    {
    case PROP_NAME:
      rd_group_set_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      rd_group_set_description (self, g_value_get_string (value));
      break;

    case PROP_MEMBERS:
      rd_group_set_members (self, g_value_get_boxed (value));
      break;

    case PROP_AREAS:
      rd_group_set_areas (self, g_value_get_boxed (value));
      break;

    case PROP_STRATEGY:
      rd_group_set_strategy (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_group_class_init (RdGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_group_finalize;
  object_class->get_property = rd_group_get_property;
  object_class->set_property = rd_group_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMBERS] =
    g_param_spec_boxed ("members", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AREAS] =
    g_param_spec_boxed ("areas", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL,
                       RD_TYPE_GROUP_STRATEGY, RD_GROUP_STRATEGY_ROUND_ROBIN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_group_init (RdGroup *self)
{
  self->members = g_new0 (char *, 1);
  self->areas = g_new0 (char *, 1);
}

RdGroup *
rd_group_new (const char *name)
{
  return g_object_new (RD_TYPE_GROUP, "name", name, NULL);
}

const char *
rd_group_get_name (RdGroup *self)
{
  g_return_val_if_fail (RD_IS_GROUP (self), NULL);

  return self->name;
}

void
rd_group_set_name (RdGroup    *self,
                   const char *name)
{
  g_return_if_fail (RD_IS_GROUP (self));

  if (rd_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
rd_group_get_description (RdGroup *self)
{
  g_return_val_if_fail (RD_IS_GROUP (self), NULL);

  return self->description;
}

void
rd_group_set_description (RdGroup    *self,
                          const char *description)
{
  g_return_if_fail (RD_IS_GROUP (self));

  if (rd_set_str (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char * const *
rd_group_get_members (RdGroup *self)
{
  g_return_val_if_fail (RD_IS_GROUP (self), NULL);

  return (const char * const *) self->members;
}

void
rd_group_set_members (RdGroup            *self,
                      const char * const *members)
{
  g_return_if_fail (RD_IS_GROUP (self));

  if (rd_set_strv (&self->members, members))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBERS]);
}

const char * const *
rd_group_get_areas (RdGroup *self)
{
  g_return_val_if_fail (RD_IS_GROUP (self), NULL);

  return (const char * const *) self->areas;
}

void
rd_group_set_areas (RdGroup            *self,
                    const char * const *areas)
{
  g_return_if_fail (RD_IS_GROUP (self));

  if (rd_set_strv (&self->areas, areas))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREAS]);
}

RdGroupStrategy
rd_group_get_strategy (RdGroup *self)
{
  g_return_val_if_fail (RD_IS_GROUP (self), RD_GROUP_STRATEGY_ROUND_ROBIN);

  return self->strategy;
}

void
rd_group_set_strategy (RdGroup        *self,
                       RdGroupStrategy strategy)
{
  g_return_if_fail (RD_IS_GROUP (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_GROUP_STRATEGY, strategy) != NULL);

  if (self->strategy != strategy)
    {
      self->strategy = strategy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STRATEGY]);
    }
}
