/* rd-sla-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the SLA report: the tickets of one key (an area, a priority, an
 * assignee, a group or a day) with how many met or breached their targets and
 * the response and resolution times in hours. A figure that has no data (no
 * ticket resolved yet) is NAN in C and null in JSON.
 */

#define G_LOG_DOMAIN "RdSlaRow"

#include "config.h"

#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-sla-row.h"
#include "rd-util.h"

struct _RdSlaRow
{
  GObject parent_instance;

  char   *key;
  guint   tickets;
  guint   met;
  guint   breached;
  double  compliance;
  double  response_avg_h;
  double  resolution_avg_h;
  double  resolution_median_h;
  double  resolution_p90_h;
};

static void rd_sla_row_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdSlaRow, rd_sla_row, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_sla_row_codec_iface_init))

enum {
  PROP_0,
  PROP_KEY,
  PROP_TICKETS,
  PROP_MET,
  PROP_BREACHED,
  PROP_COMPLIANCE,
  PROP_RESPONSE_AVG_H,
  PROP_RESOLUTION_AVG_H,
  PROP_RESOLUTION_MEDIAN_H,
  PROP_RESOLUTION_P90_H,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const sla_row_members[] = {
  "key", "tickets", "met", "breached", "compliance", "response_avg_h", "resolution_avg_h",
  "resolution_median_h", "resolution_p90_h", NULL
};

static void
rd_sla_row_to_json (RdCodec     *codec,
                    JsonBuilder *builder)
{
  RdSlaRow *self = RD_SLA_ROW (codec);

  rd_json_builder_add_string (builder, "key", self->key ? self->key : "");
  json_builder_set_member_name (builder, "tickets");
  json_builder_add_int_value (builder, self->tickets);
  json_builder_set_member_name (builder, "met");
  json_builder_add_int_value (builder, self->met);
  json_builder_set_member_name (builder, "breached");
  json_builder_add_int_value (builder, self->breached);
  json_builder_set_member_name (builder, "compliance");
  if (isnan (self->compliance))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->compliance);
  json_builder_set_member_name (builder, "response_avg_h");
  if (isnan (self->response_avg_h))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->response_avg_h);
  json_builder_set_member_name (builder, "resolution_avg_h");
  if (isnan (self->resolution_avg_h))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->resolution_avg_h);
  json_builder_set_member_name (builder, "resolution_median_h");
  if (isnan (self->resolution_median_h))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->resolution_median_h);
  json_builder_set_member_name (builder, "resolution_p90_h");
  if (isnan (self->resolution_p90_h))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->resolution_p90_h);
}

static gboolean
rd_sla_row_from_json (RdCodec       *codec,
                      JsonObject    *object,
                      RdCodecFlags   flags,
                      GError       **error)
{
  RdSlaRow *self = RD_SLA_ROW (codec);
  const char *key = NULL;
  gint64 tickets = 0;
  gint64 met = 0;
  gint64 breached = 0;
  double compliance = NAN;
  double response_avg_h = NAN;
  double resolution_avg_h = NAN;
  double resolution_median_h = NAN;
  double resolution_p90_h = NAN;

  if (!rd_codec_check_members (flags, object, sla_row_members, error) ||
      !rd_json_get_string (object, "key", RD_JSON_REQUIRED, &key, error) ||
      !rd_json_get_int (object, "tickets", RD_JSON_OPTIONAL, &tickets, error) ||
      !rd_json_get_int (object, "met", RD_JSON_OPTIONAL, &met, error) ||
      !rd_json_get_int (object, "breached", RD_JSON_OPTIONAL, &breached, error) ||
      !rd_json_get_double (object, "compliance", RD_JSON_NULLABLE, &compliance, error) ||
      !rd_json_get_double (object, "response_avg_h", RD_JSON_NULLABLE, &response_avg_h, error) ||
      !rd_json_get_double (object, "resolution_avg_h", RD_JSON_NULLABLE, &resolution_avg_h, error) ||
      !rd_json_get_double (object, "resolution_median_h", RD_JSON_NULLABLE, &resolution_median_h, error) ||
      !rd_json_get_double (object, "resolution_p90_h", RD_JSON_NULLABLE, &resolution_p90_h, error))
    return FALSE;

  if (tickets < 0 || tickets > G_MAXUINT)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “tickets” must be a whole number from 0");
      return FALSE;
    }

  if (met < 0 || met > G_MAXUINT)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “met” must be a whole number from 0");
      return FALSE;
    }

  if (breached < 0 || breached > G_MAXUINT)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “breached” must be a whole number from 0");
      return FALSE;
    }

  if (!isnan (compliance) && (compliance < 0.0 || compliance > 1.0))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “compliance” must be a number from 0.0 to 1.0");
      return FALSE;
    }

  if (!isnan (response_avg_h) && (response_avg_h < 0.0))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “response_avg_h” must be a number from 0.0");
      return FALSE;
    }

  if (!isnan (resolution_avg_h) && (resolution_avg_h < 0.0))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “resolution_avg_h” must be a number from 0.0");
      return FALSE;
    }

  if (!isnan (resolution_median_h) && (resolution_median_h < 0.0))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “resolution_median_h” must be a number from 0.0");
      return FALSE;
    }

  if (!isnan (resolution_p90_h) && (resolution_p90_h < 0.0))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “resolution_p90_h” must be a number from 0.0");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_sla_row_set_key (self, key);
  rd_sla_row_set_tickets (self, (guint) tickets);
  rd_sla_row_set_met (self, (guint) met);
  rd_sla_row_set_breached (self, (guint) breached);
  rd_sla_row_set_compliance (self, compliance);
  rd_sla_row_set_response_avg_h (self, response_avg_h);
  rd_sla_row_set_resolution_avg_h (self, resolution_avg_h);
  rd_sla_row_set_resolution_median_h (self, resolution_median_h);
  rd_sla_row_set_resolution_p90_h (self, resolution_p90_h);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_sla_row_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_sla_row_to_json;
  iface->from_json = rd_sla_row_from_json;
}

static void
rd_sla_row_finalize (GObject *object)
{
  RdSlaRow *self = (RdSlaRow *) object;

  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (rd_sla_row_parent_class)->finalize (object);
}

static void
rd_sla_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RdSlaRow *self = RD_SLA_ROW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_TICKETS:
      g_value_set_uint (value, self->tickets);
      break;

    case PROP_MET:
      g_value_set_uint (value, self->met);
      break;

    case PROP_BREACHED:
      g_value_set_uint (value, self->breached);
      break;

    case PROP_COMPLIANCE:
      g_value_set_double (value, self->compliance);
      break;

    case PROP_RESPONSE_AVG_H:
      g_value_set_double (value, self->response_avg_h);
      break;

    case PROP_RESOLUTION_AVG_H:
      g_value_set_double (value, self->resolution_avg_h);
      break;

    case PROP_RESOLUTION_MEDIAN_H:
      g_value_set_double (value, self->resolution_median_h);
      break;

    case PROP_RESOLUTION_P90_H:
      g_value_set_double (value, self->resolution_p90_h);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_sla_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RdSlaRow *self = RD_SLA_ROW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      rd_sla_row_set_key (self, g_value_get_string (value));
      break;

    case PROP_TICKETS:
      rd_sla_row_set_tickets (self, g_value_get_uint (value));
      break;

    case PROP_MET:
      rd_sla_row_set_met (self, g_value_get_uint (value));
      break;

    case PROP_BREACHED:
      rd_sla_row_set_breached (self, g_value_get_uint (value));
      break;

    case PROP_COMPLIANCE:
      rd_sla_row_set_compliance (self, g_value_get_double (value));
      break;

    case PROP_RESPONSE_AVG_H:
      rd_sla_row_set_response_avg_h (self, g_value_get_double (value));
      break;

    case PROP_RESOLUTION_AVG_H:
      rd_sla_row_set_resolution_avg_h (self, g_value_get_double (value));
      break;

    case PROP_RESOLUTION_MEDIAN_H:
      rd_sla_row_set_resolution_median_h (self, g_value_get_double (value));
      break;

    case PROP_RESOLUTION_P90_H:
      rd_sla_row_set_resolution_p90_h (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_sla_row_class_init (RdSlaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_sla_row_finalize;
  object_class->get_property = rd_sla_row_get_property;
  object_class->set_property = rd_sla_row_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKETS] =
    g_param_spec_uint ("tickets", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MET] =
    g_param_spec_uint ("met", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BREACHED] =
    g_param_spec_uint ("breached", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLIANCE] =
    g_param_spec_double ("compliance", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESPONSE_AVG_H] =
    g_param_spec_double ("response-avg-h", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLUTION_AVG_H] =
    g_param_spec_double ("resolution-avg-h", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLUTION_MEDIAN_H] =
    g_param_spec_double ("resolution-median-h", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLUTION_P90_H] =
    g_param_spec_double ("resolution-p90-h", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_sla_row_init (RdSlaRow *self)
{
  self->compliance = NAN;
  self->response_avg_h = NAN;
  self->resolution_avg_h = NAN;
  self->resolution_median_h = NAN;
  self->resolution_p90_h = NAN;
}

RdSlaRow *
rd_sla_row_new (const char *key)
{
  return g_object_new (RD_TYPE_SLA_ROW, "key", key, NULL);
}

const char *
rd_sla_row_get_key (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), NULL);

  return self->key;
}

void
rd_sla_row_set_key (RdSlaRow   *self,
                    const char *key)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (rd_set_str (&self->key, key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

guint
rd_sla_row_get_tickets (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), 0);

  return self->tickets;
}

void
rd_sla_row_set_tickets (RdSlaRow *self,
                        guint     tickets)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (self->tickets != tickets)
    {
      self->tickets = tickets;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKETS]);
    }
}

guint
rd_sla_row_get_met (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), 0);

  return self->met;
}

void
rd_sla_row_set_met (RdSlaRow *self,
                    guint     met)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (self->met != met)
    {
      self->met = met;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MET]);
    }
}

guint
rd_sla_row_get_breached (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), 0);

  return self->breached;
}

void
rd_sla_row_set_breached (RdSlaRow *self,
                         guint     breached)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (self->breached != breached)
    {
      self->breached = breached;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BREACHED]);
    }
}

double
rd_sla_row_get_compliance (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), NAN);

  return self->compliance;
}

void
rd_sla_row_set_compliance (RdSlaRow *self,
                           double    compliance)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (rd_set_double (&self->compliance, compliance))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLIANCE]);
}

double
rd_sla_row_get_response_avg_h (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), NAN);

  return self->response_avg_h;
}

void
rd_sla_row_set_response_avg_h (RdSlaRow *self,
                               double    response_avg_h)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (rd_set_double (&self->response_avg_h, response_avg_h))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE_AVG_H]);
}

double
rd_sla_row_get_resolution_avg_h (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), NAN);

  return self->resolution_avg_h;
}

void
rd_sla_row_set_resolution_avg_h (RdSlaRow *self,
                                 double    resolution_avg_h)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (rd_set_double (&self->resolution_avg_h, resolution_avg_h))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLUTION_AVG_H]);
}

double
rd_sla_row_get_resolution_median_h (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), NAN);

  return self->resolution_median_h;
}

void
rd_sla_row_set_resolution_median_h (RdSlaRow *self,
                                    double    resolution_median_h)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (rd_set_double (&self->resolution_median_h, resolution_median_h))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLUTION_MEDIAN_H]);
}

double
rd_sla_row_get_resolution_p90_h (RdSlaRow *self)
{
  g_return_val_if_fail (RD_IS_SLA_ROW (self), NAN);

  return self->resolution_p90_h;
}

void
rd_sla_row_set_resolution_p90_h (RdSlaRow *self,
                                 double    resolution_p90_h)
{
  g_return_if_fail (RD_IS_SLA_ROW (self));

  if (rd_set_double (&self->resolution_p90_h, resolution_p90_h))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLUTION_P90_H]);
}
