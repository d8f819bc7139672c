/* rd-hop.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One extension rung during a call: when it rang, whether and when it answered,
 * when it stopped and how. A hop that is still ringing or talking has no
 * outcome yet (null). In per-hop numbering each hop has its own ticket.
 */

#define G_LOG_DOMAIN "RdHop"

#include "config.h"

#include "rd-codec.h"
#include "rd-enums.h"
#include "rd-error.h"
#include "rd-hop.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-phone.h"
#include "rd-util.h"

struct _RdHop
{
  GObject      parent_instance;

  char        *extension;
  char        *ticket;
  GDateTime   *rung_at;
  GDateTime   *answered_at;
  GDateTime   *ended_at;
  RdHopOutcome outcome;
};

static void rd_hop_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdHop, rd_hop, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_hop_codec_iface_init))

enum {
  PROP_0,
  PROP_EXTENSION,
  PROP_TICKET,
  PROP_RUNG_AT,
  PROP_ANSWERED_AT,
  PROP_ENDED_AT,
  PROP_OUTCOME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const hop_members[] = {
  "extension", "ticket", "rung_at", "answered_at", "ended_at", "outcome", NULL
};

static void
rd_hop_to_json (RdCodec     *codec,
                JsonBuilder *builder)
{
  RdHop *self = RD_HOP (codec);

  rd_json_builder_add_string (builder, "extension", self->extension ? self->extension : "");
  rd_json_builder_add_string (builder, "ticket", self->ticket);
  rd_json_builder_add_datetime (builder, "rung_at", self->rung_at);
  rd_json_builder_add_datetime (builder, "answered_at", self->answered_at);
  rd_json_builder_add_datetime (builder, "ended_at", self->ended_at);
  rd_json_builder_add_string (builder, "outcome", rd_hop_outcome_to_string (self->outcome));
}

static gboolean
rd_hop_from_json (RdCodec       *codec,
                  JsonObject    *object,
                  RdCodecFlags   flags,
                  GError       **error)
{
  RdHop *self = RD_HOP (codec);
  const char *extension = NULL;
  const char *ticket = NULL;
  g_autoptr(GDateTime) rung_at = NULL;
  g_autoptr(GDateTime) answered_at = NULL;
  g_autoptr(GDateTime) ended_at = NULL;
  int outcome = RD_HOP_OUTCOME_NONE;

  if (!rd_codec_check_members (flags, object, hop_members, error) ||
      !rd_json_get_string (object, "extension", RD_JSON_REQUIRED, &extension, error) ||
      !rd_json_get_string (object, "ticket", RD_JSON_NULLABLE, &ticket, error) ||
      !rd_json_get_datetime (object, "rung_at", RD_JSON_OPTIONAL, &rung_at, error) ||
      !rd_json_get_datetime (object, "answered_at", RD_JSON_NULLABLE, &answered_at, error) ||
      !rd_json_get_datetime (object, "ended_at", RD_JSON_NULLABLE, &ended_at, error) ||
      !rd_json_get_enum (object, "outcome", RD_JSON_NULLABLE,
                         RD_TYPE_HOP_OUTCOME, RD_HOP_OUTCOME_NONE, &outcome, error) ||
      !rd_check_not_empty ("ticket", ticket, error))
    return FALSE;

  if (!rd_extension_is_valid (extension))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “extension” must be 1–16 digits");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_hop_set_extension (self, extension);
  rd_hop_set_ticket (self, ticket);
  if (rung_at != NULL)
    rd_hop_set_rung_at (self, rung_at);
  rd_hop_set_answered_at (self, answered_at);
  rd_hop_set_ended_at (self, ended_at);
  rd_hop_set_outcome (self, (RdHopOutcome) outcome);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_hop_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_hop_to_json;
  iface->from_json = rd_hop_from_json;
}

static void
rd_hop_finalize (GObject *object)
{
  RdHop *self = (RdHop *) object;

  g_clear_pointer (&self->extension, g_free);
  g_clear_pointer (&self->ticket, g_free);
  g_clear_pointer (&self->rung_at, g_date_time_unref);
  g_clear_pointer (&self->answered_at, g_date_time_unref);
  g_clear_pointer (&self->ended_at, g_date_time_unref);

  G_OBJECT_CLASS (rd_hop_parent_class)->finalize (object);
}

static void
rd_hop_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  RdHop *self = RD_HOP (object);

  switch (prop_id)
    {
    case PROP_EXTENSION:
      g_value_set_string (value, self->extension);
      break;

    case PROP_TICKET:
      g_value_set_string (value, self->ticket);
      break;

    case PROP_RUNG_AT:
      g_value_set_boxed (value, self->rung_at);
      break;

    case PROP_ANSWERED_AT:
      g_value_set_boxed (value, self->answered_at);
      break;

    case PROP_ENDED_AT:
      g_value_set_boxed (value, self->ended_at);
      break;

    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_hop_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  RdHop *self = RD_HOP (object);

  switch (prop_id)
    {
    case PROP_EXTENSION:
      rd_hop_set_extension (self, g_value_get_string (value));
      break;

    case PROP_TICKET:
      rd_hop_set_ticket (self, g_value_get_string (value));
      break;

    case PROP_RUNG_AT:
      rd_hop_set_rung_at (self, g_value_get_boxed (value));
      break;

    case PROP_ANSWERED_AT:
      rd_hop_set_answered_at (self, g_value_get_boxed (value));
      break;

    case PROP_ENDED_AT:
      rd_hop_set_ended_at (self, g_value_get_boxed (value));
      break;

    case PROP_OUTCOME:
      rd_hop_set_outcome (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_hop_class_init (RdHopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_hop_finalize;
  object_class->get_property = rd_hop_get_property;
  object_class->set_property = rd_hop_set_property;

  properties[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKET] =
    g_param_spec_string ("ticket", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNG_AT] =
    g_param_spec_boxed ("rung-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANSWERED_AT] =
    g_param_spec_boxed ("answered-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDED_AT] =
    g_param_spec_boxed ("ended-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL,
                       RD_TYPE_HOP_OUTCOME, RD_HOP_OUTCOME_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_hop_init (RdHop *self)
{
  self->rung_at = g_date_time_new_now_utc ();
}

RdHop *
rd_hop_new (const char *extension)
{
  return g_object_new (RD_TYPE_HOP, "extension", extension, NULL);
}

const char *
rd_hop_get_extension (RdHop *self)
{
  g_return_val_if_fail (RD_IS_HOP (self), NULL);

  return self->extension;
}

void
rd_hop_set_extension (RdHop      *self,
                      const char *extension)
{
  g_return_if_fail (RD_IS_HOP (self));

  if (rd_set_str (&self->extension, extension))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTENSION]);
}

const char *
rd_hop_get_ticket (RdHop *self)
{
  g_return_val_if_fail (RD_IS_HOP (self), NULL);

  return self->ticket;
}

void
rd_hop_set_ticket (RdHop      *self,
                   const char *ticket)
{
  g_return_if_fail (RD_IS_HOP (self));

  if (rd_set_str (&self->ticket, ticket))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET]);
}

GDateTime *
rd_hop_get_rung_at (RdHop *self)
{
  g_return_val_if_fail (RD_IS_HOP (self), NULL);

  return self->rung_at;
}

void
rd_hop_set_rung_at (RdHop     *self,
                    GDateTime *rung_at)
{
  g_return_if_fail (RD_IS_HOP (self));
  g_return_if_fail (rung_at != NULL);

  if (rd_set_datetime (&self->rung_at, rung_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNG_AT]);
}

GDateTime *
rd_hop_get_answered_at (RdHop *self)
{
  g_return_val_if_fail (RD_IS_HOP (self), NULL);

  return self->answered_at;
}

void
rd_hop_set_answered_at (RdHop     *self,
                        GDateTime *answered_at)
{
  g_return_if_fail (RD_IS_HOP (self));

  if (rd_set_datetime (&self->answered_at, answered_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED_AT]);
}

GDateTime *
rd_hop_get_ended_at (RdHop *self)
{
  g_return_val_if_fail (RD_IS_HOP (self), NULL);

  return self->ended_at;
}

void
rd_hop_set_ended_at (RdHop     *self,
                     GDateTime *ended_at)
{
  g_return_if_fail (RD_IS_HOP (self));

  if (rd_set_datetime (&self->ended_at, ended_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED_AT]);
}

RdHopOutcome
rd_hop_get_outcome (RdHop *self)
{
  g_return_val_if_fail (RD_IS_HOP (self), RD_HOP_OUTCOME_NONE);

  return self->outcome;
}

void
rd_hop_set_outcome (RdHop       *self,
                    RdHopOutcome outcome)
{
  g_return_if_fail (RD_IS_HOP (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_HOP_OUTCOME, outcome) != NULL);

  if (self->outcome != outcome)
    {
      self->outcome = outcome;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
    }
}
