/* rd-hunt-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hunt group as configured in `[hunt:NAME]`: ordered members, the member
 * first in charge, wrap-around, the no-answer timeout and the pilot (the
 * extension or DDI that selects the group). It only decides whom to ring;
 * the call engine owns the timers and drives the PBX.
 *
 * Round robin: the first call of a group rings `first`; every later call
 * starts one member further on (rd_hunt_group_take_start()). The engine
 * stores the position so it survives restarts. Within one call the hunt
 * steps through the members from the start member, each once: with
 * `wrap=true` past the end of the list back to its beginning, with
 * `wrap=false` only to the end of the list. Then it gives up.
 */

#define G_LOG_DOMAIN "RdHuntGroup"

#include "config.h"

#include "rd-hunt-group.h"

struct _RdHuntGroup
{
  GObject   parent_instance;

  char     *name;
  char    **members;
  char     *pilot;
  gboolean  wrap;
  guint     no_answer_timeout;
  guint     position;
};

G_DEFINE_FINAL_TYPE (RdHuntGroup, rd_hunt_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * rd_hunt_group_new:
 * @members: the extensions, in hunt order (not empty)
 * @first: (nullable): the member first in charge; %NULL or "" for the first one
 * @no_answer_timeout: seconds a member rings before the hunt moves on
 * @pilot: (nullable): the extension or DDI that selects the group
 */
RdHuntGroup *
rd_hunt_group_new (const char         *name,
                   const char * const *members,
                   const char         *first,
                   gboolean            wrap,
                   guint               no_answer_timeout,
                   const char         *pilot)
{
  RdHuntGroup *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (members != NULL && members[0] != NULL, NULL);

  self = g_object_new (RD_TYPE_HUNT_GROUP, NULL);
  self->name = g_strdup (name);
  self->members = g_strdupv ((char **) members);
  self->wrap = wrap;
  self->no_answer_timeout = MAX (no_answer_timeout, 1);
  self->pilot = (pilot != NULL && pilot[0] != '\0') ? g_strdup (pilot) : NULL;

  for (guint i = 0; first != NULL && self->members[i] != NULL; i++)
    {
      if (g_str_equal (self->members[i], first))
        self->position = i;
    }

  return self;
}

/**
 * rd_hunt_group_new_from_config:
 * @name: NAME of `[hunt:NAME]`
 */
RdHuntGroup *
rd_hunt_group_new_from_config (RdConfig   *config,
                               const char *name)
{
  g_autofree char *group = g_strconcat ("hunt:", name, NULL);
  g_auto(GStrv) members = rd_config_get_strv (config, group, "members");
  g_autofree char *first = rd_config_get_string (config, group, "first");
  g_autofree char *pilot = rd_config_get_string (config, group, "pilot");

  g_return_val_if_fail (members[0] != NULL, NULL);

  return rd_hunt_group_new (name, (const char * const *) members, first,
                            rd_config_get_boolean (config, group, "wrap"),
                            (guint) rd_config_get_int (config, group, "no-answer-timeout"),
                            pilot);
}

const char *
rd_hunt_group_get_name (RdHuntGroup *self)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), NULL);

  return self->name;
}

const char * const *
rd_hunt_group_get_members (RdHuntGroup *self)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), NULL);

  return (const char * const *) self->members;
}

const char *
rd_hunt_group_get_pilot (RdHuntGroup *self)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), NULL);

  return self->pilot;
}

guint
rd_hunt_group_get_no_answer_timeout (RdHuntGroup *self)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), 0);

  return self->no_answer_timeout;
}

gboolean
rd_hunt_group_get_wrap (RdHuntGroup *self)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), FALSE);

  return self->wrap;
}

/**
 * rd_hunt_group_get_position:
 *
 * Returns: the index of the member the next call starts at
 */
guint
rd_hunt_group_get_position (RdHuntGroup *self)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), 0);

  return self->position;
}

/**
 * rd_hunt_group_set_position:
 *
 * Restores a stored position; out-of-range values wrap around.
 */
void
rd_hunt_group_set_position (RdHuntGroup *self,
                            guint        position)
{
  g_return_if_fail (RD_IS_HUNT_GROUP (self));

  position %= g_strv_length (self->members);
  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gboolean
rd_hunt_group_has_member (RdHuntGroup *self,
                          const char  *extension)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), FALSE);

  return extension != NULL && g_strv_contains ((const char * const *) self->members, extension);
}

gboolean
rd_hunt_group_is_pilot (RdHuntGroup *self,
                        const char  *number)
{
  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), FALSE);

  return self->pilot != NULL && number != NULL && g_str_equal (self->pilot, number);
}

/**
 * rd_hunt_group_take_start:
 *
 * Picks the member a new call rings first and moves the round robin on.
 *
 * Returns: the member's index
 */
guint
rd_hunt_group_take_start (RdHuntGroup *self)
{
  guint start;

  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), 0);

  start = self->position;
  rd_hunt_group_set_position (self, start + 1);

  return start;
}

/**
 * rd_hunt_group_step:
 * @start: the index the call started at
 * @tried: how many members have rung so far
 *
 * Returns: the index of the member to ring next, or -1 when the hunt gives up
 */
int
rd_hunt_group_step (RdHuntGroup *self,
                    guint        start,
                    guint        tried)
{
  guint n;

  g_return_val_if_fail (RD_IS_HUNT_GROUP (self), -1);

  n = g_strv_length (self->members);
  if (tried >= n)
    return -1;
  if (self->wrap)
    return (int) ((start + tried) % n);
  if (start + tried >= n)
    return -1;

  return (int) (start + tried);
}

static void
rd_hunt_group_finalize (GObject *object)
{
  RdHuntGroup *self = (RdHuntGroup *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->members, g_strfreev);
  g_clear_pointer (&self->pilot, g_free);

  G_OBJECT_CLASS (rd_hunt_group_parent_class)->finalize (object);
}

static void
rd_hunt_group_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RdHuntGroup *self = RD_HUNT_GROUP (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_hunt_group_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RdHuntGroup *self = RD_HUNT_GROUP (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      rd_hunt_group_set_position (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_hunt_group_class_init (RdHuntGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_hunt_group_finalize;
  object_class->get_property = rd_hunt_group_get_property;
  object_class->set_property = rd_hunt_group_set_property;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_hunt_group_init (RdHuntGroup *self)
{
}
