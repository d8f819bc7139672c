/* rd-ticket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ticket: a request or incident worked by agents and technicians, with its
 * state (see rd_ticket_state_can_transition()), its SLA figures and the calls
 * that are bound to it. The number is assigned by the server; it is null only
 * in a create request. The nested `sla` object of API.md is flattened into
 * the sla-* properties.
 */

#define G_LOG_DOMAIN "RdTicket"

#include "config.h"

#include "rd-codec.h"
#include "rd-enums.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-ticket.h"
#include "rd-user.h"
#include "rd-util.h"

struct _RdTicket
{
  GObject       parent_instance;

  char         *number;
  char         *external_number;
  char         *subject;
  char         *description;
  char         *area;
  RdPriority    priority;
  char         *category;
  char         *location_id;
  char         *asset_id;
  char         *requester;
  char         *requester_phone;
  char         *assignee;
  char         *group;
  RdTicketState state;
  GDateTime    *created_at;
  GDateTime    *first_response_at;
  GDateTime    *resolved_at;
  GDateTime    *closed_at;
  gboolean      active;
  GDateTime    *last_synced_at;
  char        **call_ids;
  guint         evidence_count;
  GDateTime    *sla_response_due;
  GDateTime    *sla_resolution_due;
  RdSlaState    sla_state;
};

static void rd_ticket_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdTicket, rd_ticket, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_ticket_codec_iface_init))

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_EXTERNAL_NUMBER,
  PROP_SUBJECT,
  PROP_DESCRIPTION,
  PROP_AREA,
  PROP_PRIORITY,
  PROP_CATEGORY,
  PROP_LOCATION_ID,
  PROP_ASSET_ID,
  PROP_REQUESTER,
  PROP_REQUESTER_PHONE,
  PROP_ASSIGNEE,
  PROP_GROUP,
  PROP_STATE,
  PROP_CREATED_AT,
  PROP_FIRST_RESPONSE_AT,
  PROP_RESOLVED_AT,
  PROP_CLOSED_AT,
  PROP_ACTIVE,
  PROP_LAST_SYNCED_AT,
  PROP_CALL_IDS,
  PROP_EVIDENCE_COUNT,
  PROP_SLA_RESPONSE_DUE,
  PROP_SLA_RESOLUTION_DUE,
  PROP_SLA_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const ticket_members[] = {
  "number", "external_number", "subject", "description", "area", "priority", "category",
  "location_id", "asset_id", "requester", "requester_phone", "assignee", "group", "state",
  "created_at", "first_response_at", "resolved_at", "closed_at", "active", "last_synced_at",
  "call_ids", "evidence_count", "sla", NULL
};

static const char * const sla_members[] = {
  "response_due", "resolution_due", "state", NULL
};

static gboolean
read_sla (JsonObject     *sla,
          RdCodecFlags    flags,
          GDateTime     **response_due,
          GDateTime     **resolution_due,
          int            *state,
          GError        **error)
{
  if (sla == NULL)
    return TRUE;

  if (!rd_codec_check_members (flags, sla, sla_members, error) ||
      !rd_json_get_datetime (sla, "response_due", RD_JSON_NULLABLE, response_due, error) ||
      !rd_json_get_datetime (sla, "resolution_due", RD_JSON_NULLABLE, resolution_due, error) ||
      !rd_json_get_enum (sla, "state", RD_JSON_OPTIONAL, RD_TYPE_SLA_STATE, -1, state, error))
    {
      g_prefix_error (error, "Field “sla”: ");
      return FALSE;
    }

  return TRUE;
}

static void
rd_ticket_to_json (RdCodec     *codec,
                   JsonBuilder *builder)
{
  RdTicket *self = RD_TICKET (codec);

  rd_json_builder_add_string (builder, "number", self->number);
  rd_json_builder_add_string (builder, "external_number", self->external_number);
  rd_json_builder_add_string (builder, "subject", self->subject ? self->subject : "");
  rd_json_builder_add_string (builder, "description", self->description ? self->description : "");
  rd_json_builder_add_string (builder, "area", self->area ? self->area : "");
  rd_json_builder_add_string (builder, "priority", rd_priority_to_string (self->priority));
  rd_json_builder_add_string (builder, "category", self->category ? self->category : "");
  rd_json_builder_add_string (builder, "location_id", self->location_id);
  rd_json_builder_add_string (builder, "asset_id", self->asset_id);
  rd_json_builder_add_string (builder, "requester", self->requester ? self->requester : "");
  rd_json_builder_add_string (builder, "requester_phone", self->requester_phone);
  rd_json_builder_add_string (builder, "assignee", self->assignee);
  rd_json_builder_add_string (builder, "group", self->group);
  rd_json_builder_add_string (builder, "state", rd_ticket_state_to_string (self->state));
  rd_json_builder_add_datetime (builder, "created_at", self->created_at);
  rd_json_builder_add_datetime (builder, "first_response_at", self->first_response_at);
  rd_json_builder_add_datetime (builder, "resolved_at", self->resolved_at);
  rd_json_builder_add_datetime (builder, "closed_at", self->closed_at);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, self->active);
  rd_json_builder_add_datetime (builder, "last_synced_at", self->last_synced_at);
  rd_json_builder_add_strv (builder, "call_ids", (const char * const *) self->call_ids);
  json_builder_set_member_name (builder, "evidence_count");
  json_builder_add_int_value (builder, self->evidence_count);

  json_builder_set_member_name (builder, "sla");
  json_builder_begin_object (builder);
  rd_json_builder_add_datetime (builder, "response_due", self->sla_response_due);
  rd_json_builder_add_datetime (builder, "resolution_due", self->sla_resolution_due);
  rd_json_builder_add_string (builder, "state", rd_sla_state_to_string (self->sla_state));
  json_builder_end_object (builder);
}

static gboolean
rd_ticket_from_json (RdCodec       *codec,
                     JsonObject    *object,
                     RdCodecFlags   flags,
                     GError       **error)
{
  RdTicket *self = RD_TICKET (codec);
  const char *number = NULL;
  const char *external_number = NULL;
  const char *subject = NULL;
  const char *description = NULL;
  const char *area = NULL;
  int priority = RD_PRIORITY_NORMAL;
  const char *category = NULL;
  const char *location_id = NULL;
  const char *asset_id = NULL;
  const char *requester = NULL;
  const char *requester_phone = NULL;
  const char *assignee = NULL;
  const char *group = NULL;
  int state = RD_TICKET_STATE_OPEN;
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) first_response_at = NULL;
  g_autoptr(GDateTime) resolved_at = NULL;
  g_autoptr(GDateTime) closed_at = NULL;
  gboolean active = TRUE;
  g_autoptr(GDateTime) last_synced_at = NULL;
  g_auto(GStrv) call_ids = NULL;
  gint64 evidence_count = 0;
  JsonObject *sla = NULL;
  g_autoptr(GDateTime) sla_response_due = NULL;
  g_autoptr(GDateTime) sla_resolution_due = NULL;
  int sla_state = RD_SLA_STATE_OK;

  if (!rd_codec_check_members (flags, object, ticket_members, error) ||
      !rd_json_get_string (object, "number", RD_JSON_NULLABLE, &number, error) ||
      !rd_json_get_string (object, "external_number", RD_JSON_NULLABLE, &external_number, error) ||
      !rd_json_get_string (object, "subject", RD_JSON_REQUIRED, &subject, error) ||
      !rd_json_get_string (object, "description", RD_JSON_OPTIONAL, &description, error) ||
      !rd_json_get_string (object, "area", RD_JSON_OPTIONAL, &area, error) ||
      !rd_json_get_enum (object, "priority", RD_JSON_OPTIONAL,
                         RD_TYPE_PRIORITY, -1, &priority, error) ||
      !rd_json_get_string (object, "category", RD_JSON_OPTIONAL, &category, error) ||
      !rd_json_get_string (object, "location_id", RD_JSON_NULLABLE, &location_id, error) ||
      !rd_json_get_string (object, "asset_id", RD_JSON_NULLABLE, &asset_id, error) ||
      !rd_json_get_string (object, "requester", RD_JSON_OPTIONAL, &requester, error) ||
      !rd_json_get_string (object, "requester_phone", RD_JSON_NULLABLE, &requester_phone, error) ||
      !rd_json_get_string (object, "assignee", RD_JSON_NULLABLE, &assignee, error) ||
      !rd_json_get_string (object, "group", RD_JSON_NULLABLE, &group, error) ||
      !rd_json_get_enum (object, "state", RD_JSON_OPTIONAL,
                         RD_TYPE_TICKET_STATE, -1, &state, error) ||
      !rd_json_get_datetime (object, "created_at", RD_JSON_OPTIONAL, &created_at, error) ||
      !rd_json_get_datetime (object, "first_response_at", RD_JSON_NULLABLE, &first_response_at, error) ||
      !rd_json_get_datetime (object, "resolved_at", RD_JSON_NULLABLE, &resolved_at, error) ||
      !rd_json_get_datetime (object, "closed_at", RD_JSON_NULLABLE, &closed_at, error) ||
      !rd_json_get_boolean (object, "active", RD_JSON_OPTIONAL, &active, error) ||
      !rd_json_get_datetime (object, "last_synced_at", RD_JSON_NULLABLE, &last_synced_at, error) ||
      !rd_json_dup_strv (object, "call_ids", RD_JSON_OPTIONAL, &call_ids, error) ||
      !rd_json_get_int (object, "evidence_count", RD_JSON_OPTIONAL, &evidence_count, error) ||
      !rd_json_get_object (object, "sla", RD_JSON_OPTIONAL, &sla, error) ||
      !read_sla (sla, flags, &sla_response_due, &sla_resolution_due, &sla_state, error) ||
      !rd_check_not_empty ("number", number, error) ||
      !rd_check_not_empty ("external_number", external_number, error) ||
      !rd_check_not_empty ("subject", subject, error))
    return FALSE;

  if (evidence_count < 0 || evidence_count > G_MAXUINT)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “evidence_count” must be a whole number from 0");
      return FALSE;
    }

  if (assignee != NULL && !rd_username_is_valid (assignee))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “assignee” must be a username");
      return FALSE;
    }

  for (guint i = 0; call_ids != NULL && call_ids[i] != NULL; i++)
    {
      if (!rd_check_not_empty ("call_ids", call_ids[i], error))
        return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_ticket_set_number (self, number);
  rd_ticket_set_external_number (self, external_number);
  rd_ticket_set_subject (self, subject);
  rd_ticket_set_description (self, description);
  rd_ticket_set_area (self, area);
  rd_ticket_set_priority (self, (RdPriority) priority);
  rd_ticket_set_category (self, category);
  rd_ticket_set_location_id (self, location_id);
  rd_ticket_set_asset_id (self, asset_id);
  rd_ticket_set_requester (self, requester);
  rd_ticket_set_requester_phone (self, requester_phone);
  rd_ticket_set_assignee (self, assignee);
  rd_ticket_set_group (self, group);
  rd_ticket_set_state (self, (RdTicketState) state);
  if (created_at != NULL)
    rd_ticket_set_created_at (self, created_at);
  rd_ticket_set_first_response_at (self, first_response_at);
  rd_ticket_set_resolved_at (self, resolved_at);
  rd_ticket_set_closed_at (self, closed_at);
  rd_ticket_set_active (self, active);
  rd_ticket_set_last_synced_at (self, last_synced_at);
  rd_ticket_set_call_ids (self, (const char * const *) call_ids);
  rd_ticket_set_evidence_count (self, (guint) evidence_count);
  rd_ticket_set_sla_response_due (self, sla_response_due);
  rd_ticket_set_sla_resolution_due (self, sla_resolution_due);
  rd_ticket_set_sla_state (self, (RdSlaState) sla_state);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_ticket_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_ticket_to_json;
  iface->from_json = rd_ticket_from_json;
}

static void
rd_ticket_finalize (GObject *object)
{
  RdTicket *self = (RdTicket *) object;

  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->external_number, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->area, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->location_id, g_free);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->requester, g_free);
  g_clear_pointer (&self->requester_phone, g_free);
  g_clear_pointer (&self->assignee, g_free);
  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->first_response_at, g_date_time_unref);
  g_clear_pointer (&self->resolved_at, g_date_time_unref);
  g_clear_pointer (&self->closed_at, g_date_time_unref);
  g_clear_pointer (&self->last_synced_at, g_date_time_unref);
  g_clear_pointer (&self->call_ids, g_strfreev);
  g_clear_pointer (&self->sla_response_due, g_date_time_unref);
  g_clear_pointer (&self->sla_resolution_due, g_date_time_unref);

  G_OBJECT_CLASS (rd_ticket_parent_class)->finalize (object);
}

static void
rd_ticket_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdTicket *self = RD_TICKET (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_EXTERNAL_NUMBER:
      g_value_set_string (value, self->external_number);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;

    case PROP_PRIORITY:
      g_value_set_enum (value, self->priority);
      break;

    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;

    case PROP_LOCATION_ID:
      g_value_set_string (value, self->location_id);
      break;

    case PROP_ASSET_ID:
      g_value_set_string (value, self->asset_id);
      break;

    case PROP_REQUESTER:
      g_value_set_string (value, self->requester);
      break;

    case PROP_REQUESTER_PHONE:
      g_value_set_string (value, self->requester_phone);
      break;

    case PROP_ASSIGNEE:
      g_value_set_string (value, self->assignee);
      break;

    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_FIRST_RESPONSE_AT:
      g_value_set_boxed (value, self->first_response_at);
      break;

    case PROP_RESOLVED_AT:
      g_value_set_boxed (value, self->resolved_at);
      break;

    case PROP_CLOSED_AT:
      g_value_set_boxed (value, self->closed_at);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    case PROP_LAST_SYNCED_AT:
      g_value_set_boxed (value, self->last_synced_at);
      break;

    case PROP_CALL_IDS:
      g_value_set_boxed (value, self->call_ids);
      break;

    case PROP_EVIDENCE_COUNT:
      g_value_set_uint (value, self->evidence_count);
      break;

    case PROP_SLA_RESPONSE_DUE:
      g_value_set_boxed (value, self->sla_response_due);
      break;

    case PROP_SLA_RESOLUTION_DUE:
      g_value_set_boxed (value, self->sla_resolution_due);
      break;

    case PROP_SLA_STATE:
      g_value_set_enum (value, self->sla_state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RdTicket *self = RD_TICKET (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      rd_ticket_set_number (self, g_value_get_string (value));
      break;

    case PROP_EXTERNAL_NUMBER:
      rd_ticket_set_external_number (self, g_value_get_string (value));
      break;

    case PROP_SUBJECT:
      rd_ticket_set_subject (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      rd_ticket_set_description (self, g_value_get_string (value));
      break;

    case PROP_AREA:
      rd_ticket_set_area (self, g_value_get_string (value));
      break;

    case PROP_PRIORITY:
      rd_ticket_set_priority (self, g_value_get_enum (value));
      break;

    case PROP_CATEGORY:
      rd_ticket_set_category (self, g_value_get_string (value));
      break;

    case PROP_LOCATION_ID:
      rd_ticket_set_location_id (self, g_value_get_string (value));
      break;

    case PROP_ASSET_ID:
      rd_ticket_set_asset_id (self, g_value_get_string (value));
      break;

    case PROP_REQUESTER:
      rd_ticket_set_requester (self, g_value_get_string (value));
      break;

    case PROP_REQUESTER_PHONE:
      rd_ticket_set_requester_phone (self, g_value_get_string (value));
      break;

    case PROP_ASSIGNEE:
      rd_ticket_set_assignee (self, g_value_get_string (value));
      break;

    case PROP_GROUP:
      rd_ticket_set_group (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      rd_ticket_set_state (self, g_value_get_enum (value));
      break;

    case PROP_CREATED_AT:
      rd_ticket_set_created_at (self, g_value_get_boxed (value));
      break;

    case PROP_FIRST_RESPONSE_AT:
      rd_ticket_set_first_response_at (self, g_value_get_boxed (value));
      break;

    case PROP_RESOLVED_AT:
      rd_ticket_set_resolved_at (self, g_value_get_boxed (value));
      break;

    case PROP_CLOSED_AT:
      rd_ticket_set_closed_at (self, g_value_get_boxed (value));
      break;

    case PROP_ACTIVE:
      rd_ticket_set_active (self, g_value_get_boolean (value));
      break;

    case PROP_LAST_SYNCED_AT:
      rd_ticket_set_last_synced_at (self, g_value_get_boxed (value));
      break;

    case PROP_CALL_IDS:
      rd_ticket_set_call_ids (self, g_value_get_boxed (value));
      break;

    case PROP_EVIDENCE_COUNT:
      rd_ticket_set_evidence_count (self, g_value_get_uint (value));
      break;

    case PROP_SLA_RESPONSE_DUE:
      rd_ticket_set_sla_response_due (self, g_value_get_boxed (value));
      break;

    case PROP_SLA_RESOLUTION_DUE:
      rd_ticket_set_sla_resolution_due (self, g_value_get_boxed (value));
      break;

    case PROP_SLA_STATE:
      rd_ticket_set_sla_state (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_class_init (RdTicketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_ticket_finalize;
  object_class->get_property = rd_ticket_get_property;
  object_class->set_property = rd_ticket_set_property;

  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTERNAL_NUMBER] =
    g_param_spec_string ("external-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AREA] =
    g_param_spec_string ("area", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL,
                       RD_TYPE_PRIORITY, RD_PRIORITY_NORMAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION_ID] =
    g_param_spec_string ("location-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSET_ID] =
    g_param_spec_string ("asset-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTER] =
    g_param_spec_string ("requester", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTER_PHONE] =
    g_param_spec_string ("requester-phone", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSIGNEE] =
    g_param_spec_string ("assignee", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       RD_TYPE_TICKET_STATE, RD_TICKET_STATE_OPEN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_RESPONSE_AT] =
    g_param_spec_boxed ("first-response-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLVED_AT] =
    g_param_spec_boxed ("resolved-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOSED_AT] =
    g_param_spec_boxed ("closed-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNCED_AT] =
    g_param_spec_boxed ("last-synced-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL_IDS] =
    g_param_spec_boxed ("call-ids", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVIDENCE_COUNT] =
    g_param_spec_uint ("evidence-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLA_RESPONSE_DUE] =
    g_param_spec_boxed ("sla-response-due", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLA_RESOLUTION_DUE] =
    g_param_spec_boxed ("sla-resolution-due", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLA_STATE] =
    g_param_spec_enum ("sla-state", NULL, NULL,
                       RD_TYPE_SLA_STATE, RD_SLA_STATE_OK,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_ticket_init (RdTicket *self)
{
  self->priority = RD_PRIORITY_NORMAL;
  self->created_at = g_date_time_new_now_utc ();
  self->active = TRUE;
  self->call_ids = g_new0 (char *, 1);
}

RdTicket *
rd_ticket_new (const char *number)
{
  return g_object_new (RD_TYPE_TICKET, "number", number, NULL);
}

const char *
rd_ticket_get_number (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->number;
}

void
rd_ticket_set_number (RdTicket   *self,
                      const char *number)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->number, number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

const char *
rd_ticket_get_external_number (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->external_number;
}

void
rd_ticket_set_external_number (RdTicket   *self,
                               const char *external_number)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->external_number, external_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_NUMBER]);
}

const char *
rd_ticket_get_subject (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->subject;
}

void
rd_ticket_set_subject (RdTicket   *self,
                       const char *subject)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->subject, subject))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT]);
}

const char *
rd_ticket_get_description (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->description;
}

void
rd_ticket_set_description (RdTicket   *self,
                           const char *description)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
rd_ticket_get_area (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->area;
}

void
rd_ticket_set_area (RdTicket   *self,
                    const char *area)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->area, area))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
}

RdPriority
rd_ticket_get_priority (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), RD_PRIORITY_NORMAL);

  return self->priority;
}

void
rd_ticket_set_priority (RdTicket  *self,
                        RdPriority priority)
{
  g_return_if_fail (RD_IS_TICKET (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_PRIORITY, priority) != NULL);

  if (self->priority != priority)
    {
      self->priority = priority;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
    }
}

const char *
rd_ticket_get_category (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->category;
}

void
rd_ticket_set_category (RdTicket   *self,
                        const char *category)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->category, category))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

const char *
rd_ticket_get_location_id (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->location_id;
}

void
rd_ticket_set_location_id (RdTicket   *self,
                           const char *location_id)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->location_id, location_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION_ID]);
}

const char *
rd_ticket_get_asset_id (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->asset_id;
}

void
rd_ticket_set_asset_id (RdTicket   *self,
                        const char *asset_id)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->asset_id, asset_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSET_ID]);
}

const char *
rd_ticket_get_requester (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->requester;
}

void
rd_ticket_set_requester (RdTicket   *self,
                         const char *requester)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->requester, requester))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTER]);
}

const char *
rd_ticket_get_requester_phone (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->requester_phone;
}

void
rd_ticket_set_requester_phone (RdTicket   *self,
                               const char *requester_phone)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->requester_phone, requester_phone))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTER_PHONE]);
}

const char *
rd_ticket_get_assignee (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->assignee;
}

void
rd_ticket_set_assignee (RdTicket   *self,
                        const char *assignee)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->assignee, assignee))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSIGNEE]);
}

const char *
rd_ticket_get_group (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->group;
}

void
rd_ticket_set_group (RdTicket   *self,
                     const char *group)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_str (&self->group, group))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
}

RdTicketState
rd_ticket_get_state (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), RD_TICKET_STATE_OPEN);

  return self->state;
}

void
rd_ticket_set_state (RdTicket     *self,
                     RdTicketState state)
{
  g_return_if_fail (RD_IS_TICKET (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_TICKET_STATE, state) != NULL);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

GDateTime *
rd_ticket_get_created_at (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->created_at;
}

void
rd_ticket_set_created_at (RdTicket  *self,
                          GDateTime *created_at)
{
  g_return_if_fail (RD_IS_TICKET (self));
  g_return_if_fail (created_at != NULL);

  if (rd_set_datetime (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

GDateTime *
rd_ticket_get_first_response_at (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->first_response_at;
}

void
rd_ticket_set_first_response_at (RdTicket  *self,
                                 GDateTime *first_response_at)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_datetime (&self->first_response_at, first_response_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_RESPONSE_AT]);
}

GDateTime *
rd_ticket_get_resolved_at (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->resolved_at;
}

void
rd_ticket_set_resolved_at (RdTicket  *self,
                           GDateTime *resolved_at)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_datetime (&self->resolved_at, resolved_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVED_AT]);
}

GDateTime *
rd_ticket_get_closed_at (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->closed_at;
}

void
rd_ticket_set_closed_at (RdTicket  *self,
                         GDateTime *closed_at)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_datetime (&self->closed_at, closed_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED_AT]);
}

gboolean
rd_ticket_get_active (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), FALSE);

  return self->active;
}

void
rd_ticket_set_active (RdTicket *self,
                      gboolean  active)
{
  g_return_if_fail (RD_IS_TICKET (self));

  active = !!active;
  if (self->active != active)
    {
      self->active = active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
}

GDateTime *
rd_ticket_get_last_synced_at (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->last_synced_at;
}

void
rd_ticket_set_last_synced_at (RdTicket  *self,
                              GDateTime *last_synced_at)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_datetime (&self->last_synced_at, last_synced_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED_AT]);
}

const char * const *
rd_ticket_get_call_ids (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return (const char * const *) self->call_ids;
}

void
rd_ticket_set_call_ids (RdTicket           *self,
                        const char * const *call_ids)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_strv (&self->call_ids, call_ids))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL_IDS]);
}

guint
rd_ticket_get_evidence_count (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), 0);

  return self->evidence_count;
}

void
rd_ticket_set_evidence_count (RdTicket *self,
                              guint     evidence_count)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (self->evidence_count != evidence_count)
    {
      self->evidence_count = evidence_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVIDENCE_COUNT]);
    }
}

GDateTime *
rd_ticket_get_sla_response_due (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->sla_response_due;
}

void
rd_ticket_set_sla_response_due (RdTicket  *self,
                                GDateTime *sla_response_due)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_datetime (&self->sla_response_due, sla_response_due))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLA_RESPONSE_DUE]);
}

GDateTime *
rd_ticket_get_sla_resolution_due (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), NULL);

  return self->sla_resolution_due;
}

void
rd_ticket_set_sla_resolution_due (RdTicket  *self,
                                  GDateTime *sla_resolution_due)
{
  g_return_if_fail (RD_IS_TICKET (self));

  if (rd_set_datetime (&self->sla_resolution_due, sla_resolution_due))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLA_RESOLUTION_DUE]);
}

RdSlaState
rd_ticket_get_sla_state (RdTicket *self)
{
  g_return_val_if_fail (RD_IS_TICKET (self), RD_SLA_STATE_OK);

  return self->sla_state;
}

void
rd_ticket_set_sla_state (RdTicket  *self,
                         RdSlaState sla_state)
{
  g_return_if_fail (RD_IS_TICKET (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_SLA_STATE, sla_state) != NULL);

  if (self->sla_state != sla_state)
    {
      self->sla_state = sla_state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLA_STATE]);
    }
}

/**
 * rd_ticket_state_can_transition:
 *
 * The transition rule of API.md: open → in_progress | cancelled,
 * in_progress → resolved | open | cancelled, resolved → closed | in_progress;
 * closed and cancelled are final. Staying in the same state is not a
 * transition.
 *
 * Returns: whether a ticket in state @from may be moved to state @to
 */
gboolean
rd_ticket_state_can_transition (RdTicketState from,
                                RdTicketState to)
{
  switch (from)
    {
    case RD_TICKET_STATE_OPEN:
      return to == RD_TICKET_STATE_IN_PROGRESS || to == RD_TICKET_STATE_CANCELLED;

    case RD_TICKET_STATE_IN_PROGRESS:
      return to == RD_TICKET_STATE_RESOLVED || to == RD_TICKET_STATE_OPEN ||
             to == RD_TICKET_STATE_CANCELLED;

    case RD_TICKET_STATE_RESOLVED:
      return to == RD_TICKET_STATE_CLOSED || to == RD_TICKET_STATE_IN_PROGRESS;

    case RD_TICKET_STATE_CLOSED:
    case RD_TICKET_STATE_CANCELLED:
      return FALSE;

    default:
      return FALSE;
    }
}

/**
 * rd_ticket_state_is_final:
 *
 * Returns: whether no transition leaves @state (closed, cancelled)
 */
gboolean
rd_ticket_state_is_final (RdTicketState state)
{
  return state == RD_TICKET_STATE_CLOSED || state == RD_TICKET_STATE_CANCELLED;
}
