/* rd-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A call as the call engine sees it: who called whom, over which trunk and DDI,
 * its state and outcome, the customer matched by the number, the tickets bound
 * to it and its hops (every extension rung). `from` and `to` are the numbers
 * as the PBX reported them; match them with rd_phone_normalize().
 */

#define G_LOG_DOMAIN "RdCall"

#include "config.h"

#include "rd-call.h"
#include "rd-codec.h"
#include "rd-customer.h"
#include "rd-enums.h"
#include "rd-error.h"
#include "rd-hop.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-ticket.h"
#include "rd-util.h"

struct _RdCall
{
  GObject         parent_instance;

  char           *id;
  RdCallDirection direction;
  char           *from;
  char           *to;
  char           *ddi;
  char           *trunk;
  GDateTime      *started_at;
  GDateTime      *answered_at;
  GDateTime      *ended_at;
  RdCallState     state;
  RdCallOutcome   outcome;
  char           *recording_id;
  RdCustomer     *customer;
  char          **tickets;
  GListStore     *ticket_objects;
  GListStore     *hops;
};

static void rd_call_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdCall, rd_call, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_call_codec_iface_init))

enum {
  PROP_0,
  PROP_ID,
  PROP_DIRECTION,
  PROP_FROM,
  PROP_TO,
  PROP_DDI,
  PROP_TRUNK,
  PROP_STARTED_AT,
  PROP_ANSWERED_AT,
  PROP_ENDED_AT,
  PROP_STATE,
  PROP_OUTCOME,
  PROP_RECORDING_ID,
  PROP_CUSTOMER,
  PROP_TICKETS,
  PROP_TICKET_OBJECTS,
  PROP_HOPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const call_members[] = {
  "id", "direction", "from", "to", "ddi", "trunk", "started_at", "answered_at", "ended_at",
  "state", "outcome", "recording_id", "customer", "tickets", "hops", NULL
};

static gboolean
mixed_tickets (GError **error)
{
  g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “tickets” must be all numbers or all ticket objects");
  return FALSE;
}

/* The `tickets` of a call are ticket numbers, or (in `call.ringing` events)
 * whole ticket objects; never a mix. */
static gboolean
read_tickets (JsonArray     *array,
              RdCodecFlags   flags,
              char        ***numbers,
              GListStore   **objects,
              GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GListStore) store = NULL;
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *number = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autoptr(RdTicket) ticket = NULL;

          if (i > 0 && store == NULL)
            return mixed_tickets (error);
          if (store == NULL)
            store = g_list_store_new (RD_TYPE_TICKET);

          ticket = rd_codec_new_from_json_full (RD_TYPE_TICKET, json_node_get_object (element),
                                                flags, error);
          if (ticket == NULL)
            {
              g_prefix_error (error, "Field “tickets”, item %u: ", i);
              return FALSE;
            }

          number = rd_ticket_get_number (ticket);
          if (number == NULL)
            {
              g_set_error (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                           "Field “tickets”, item %u: Missing field “number”", i);
              return FALSE;
            }
          g_list_store_append (store, ticket);
        }
      else
        {
          if (store != NULL)
            return mixed_tickets (error);

          if (!rd_json_array_get_string (array, i, &number, error))
            {
              g_prefix_error (error, "Field “tickets”: ");
              return FALSE;
            }
          if (!rd_check_not_empty ("tickets", number, error))
            return FALSE;
        }

      g_strv_builder_add (builder, number);
    }

  *numbers = g_strv_builder_end (builder);
  *objects = g_steal_pointer (&store);

  return TRUE;
}

static void
replace_items (GListStore *store,
               GListModel *items)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = items != NULL ? g_list_model_get_n_items (items) : 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (copy, g_list_model_get_item (items, i));

  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       copy->pdata, copy->len);
}

static void
rd_call_to_json (RdCodec     *codec,
                 JsonBuilder *builder)
{
  RdCall *self = RD_CALL (codec);

  rd_json_builder_add_string (builder, "id", self->id ? self->id : "");
  rd_json_builder_add_string (builder, "direction", rd_call_direction_to_string (self->direction));
  rd_json_builder_add_string (builder, "from", self->from ? self->from : "");
  rd_json_builder_add_string (builder, "to", self->to ? self->to : "");
  rd_json_builder_add_string (builder, "ddi", self->ddi);
  rd_json_builder_add_string (builder, "trunk", self->trunk);
  rd_json_builder_add_datetime (builder, "started_at", self->started_at);
  rd_json_builder_add_datetime (builder, "answered_at", self->answered_at);
  rd_json_builder_add_datetime (builder, "ended_at", self->ended_at);
  rd_json_builder_add_string (builder, "state", rd_call_state_to_string (self->state));
  rd_json_builder_add_string (builder, "outcome", rd_call_outcome_to_string (self->outcome));
  rd_json_builder_add_string (builder, "recording_id", self->recording_id);

  json_builder_set_member_name (builder, "customer");
  if (self->customer != NULL)
    {
      json_builder_begin_object (builder);
      rd_codec_to_json (RD_CODEC (self->customer), builder);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->ticket_objects)) > 0)
    {
      json_builder_set_member_name (builder, "tickets");
      json_builder_add_value (builder, rd_codec_list_to_node (G_LIST_MODEL (self->ticket_objects)));
    }
  else
    {
      rd_json_builder_add_strv (builder, "tickets", (const char * const *) self->tickets);
    }

  json_builder_set_member_name (builder, "hops");
  json_builder_add_value (builder, rd_codec_list_to_node (G_LIST_MODEL (self->hops)));
}

static gboolean
rd_call_from_json (RdCodec       *codec,
                   JsonObject    *object,
                   RdCodecFlags   flags,
                   GError       **error)
{
  RdCall *self = RD_CALL (codec);
  const char *id = NULL;
  int direction = RD_CALL_DIRECTION_IN;
  const char *from = NULL;
  const char *to = NULL;
  const char *ddi = NULL;
  const char *trunk = NULL;
  g_autoptr(GDateTime) started_at = NULL;
  g_autoptr(GDateTime) answered_at = NULL;
  g_autoptr(GDateTime) ended_at = NULL;
  int state = RD_CALL_STATE_RINGING;
  int outcome = RD_CALL_OUTCOME_NONE;
  const char *recording_id = NULL;
  JsonObject *customer_object = NULL;
  JsonArray *tickets_array = NULL;
  JsonArray *hops_array = NULL;
  g_autoptr(RdCustomer) customer = NULL;
  g_auto(GStrv) tickets = NULL;
  g_autoptr(GListStore) ticket_objects = NULL;
  g_autoptr(GListStore) hops = NULL;

  if (!rd_codec_check_members (flags, object, call_members, error) ||
      !rd_json_get_string (object, "id", RD_JSON_REQUIRED, &id, error) ||
      !rd_json_get_enum (object, "direction", RD_JSON_OPTIONAL,
                         RD_TYPE_CALL_DIRECTION, -1, &direction, error) ||
      !rd_json_get_string (object, "from", RD_JSON_OPTIONAL, &from, error) ||
      !rd_json_get_string (object, "to", RD_JSON_OPTIONAL, &to, error) ||
      !rd_json_get_string (object, "ddi", RD_JSON_NULLABLE, &ddi, error) ||
      !rd_json_get_string (object, "trunk", RD_JSON_NULLABLE, &trunk, error) ||
      !rd_json_get_datetime (object, "started_at", RD_JSON_OPTIONAL, &started_at, error) ||
      !rd_json_get_datetime (object, "answered_at", RD_JSON_NULLABLE, &answered_at, error) ||
      !rd_json_get_datetime (object, "ended_at", RD_JSON_NULLABLE, &ended_at, error) ||
      !rd_json_get_enum (object, "state", RD_JSON_OPTIONAL,
                         RD_TYPE_CALL_STATE, -1, &state, error) ||
      !rd_json_get_enum (object, "outcome", RD_JSON_NULLABLE,
                         RD_TYPE_CALL_OUTCOME, RD_CALL_OUTCOME_NONE, &outcome, error) ||
      !rd_json_get_string (object, "recording_id", RD_JSON_NULLABLE, &recording_id, error) ||
      !rd_json_get_object (object, "customer", RD_JSON_NULLABLE, &customer_object, error) ||
      !rd_json_get_array (object, "tickets", RD_JSON_OPTIONAL, &tickets_array, error) ||
      !rd_json_get_array (object, "hops", RD_JSON_OPTIONAL, &hops_array, error) ||
      !rd_check_not_empty ("id", id, error) ||
      !rd_check_not_empty ("recording_id", recording_id, error))
    return FALSE;

  if (customer_object != NULL)
    {
      customer = rd_codec_new_from_json_full (RD_TYPE_CUSTOMER, customer_object, flags, error);
      if (customer == NULL)
        {
          g_prefix_error (error, "Field “customer”: ");
          return FALSE;
        }
    }

  if (tickets_array != NULL &&
      !read_tickets (tickets_array, flags, &tickets, &ticket_objects, error))
    return FALSE;

  if (hops_array != NULL)
    {
      hops = rd_codec_list_from_array (RD_TYPE_HOP, hops_array, flags, error);
      if (hops == NULL)
        {
          g_prefix_error (error, "Field “hops”: ");
          return FALSE;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_call_set_id (self, id);
  rd_call_set_direction (self, (RdCallDirection) direction);
  rd_call_set_from (self, from);
  rd_call_set_to (self, to);
  rd_call_set_ddi (self, ddi);
  rd_call_set_trunk (self, trunk);
  if (started_at != NULL)
    rd_call_set_started_at (self, started_at);
  rd_call_set_answered_at (self, answered_at);
  rd_call_set_ended_at (self, ended_at);
  rd_call_set_state (self, (RdCallState) state);
  rd_call_set_outcome (self, (RdCallOutcome) outcome);
  rd_call_set_recording_id (self, recording_id);
  rd_call_set_customer (self, customer);
  if (ticket_objects != NULL)
    rd_call_set_ticket_objects (self, G_LIST_MODEL (ticket_objects));
  else
    rd_call_set_tickets (self, (const char * const *) tickets);
  rd_call_set_hops (self, G_LIST_MODEL (hops));
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_call_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_call_to_json;
  iface->from_json = rd_call_from_json;
}

static void
rd_call_finalize (GObject *object)
{
  RdCall *self = (RdCall *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->ddi, g_free);
  g_clear_pointer (&self->trunk, g_free);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->answered_at, g_date_time_unref);
  g_clear_pointer (&self->ended_at, g_date_time_unref);
  g_clear_pointer (&self->recording_id, g_free);
  g_clear_object (&self->customer);
  g_clear_pointer (&self->tickets, g_strfreev);
  g_clear_object (&self->ticket_objects);
  g_clear_object (&self->hops);

  G_OBJECT_CLASS (rd_call_parent_class)->finalize (object);
}

static void
rd_call_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RdCall *self = RD_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;

    case PROP_FROM:
      g_value_set_string (value, self->from);
      break;

    case PROP_TO:
      g_value_set_string (value, self->to);
      break;

    case PROP_DDI:
      g_value_set_string (value, self->ddi);
      break;

    case PROP_TRUNK:
      g_value_set_string (value, self->trunk);
      break;

    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;

    case PROP_ANSWERED_AT:
      g_value_set_boxed (value, self->answered_at);
      break;

    case PROP_ENDED_AT:
      g_value_set_boxed (value, self->ended_at);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;

    case PROP_RECORDING_ID:
      g_value_set_string (value, self->recording_id);
      break;

    case PROP_CUSTOMER:
      g_value_set_object (value, self->customer);
      break;

    case PROP_TICKETS:
      g_value_set_boxed (value, self->tickets);
      break;

    case PROP_TICKET_OBJECTS:
      g_value_set_object (value, self->ticket_objects);
      break;

    case PROP_HOPS:
      g_value_set_object (value, self->hops);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RdCall *self = RD_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      rd_call_set_id (self, g_value_get_string (value));
      break;

    case PROP_DIRECTION:
      rd_call_set_direction (self, g_value_get_enum (value));
      break;

    case PROP_FROM:
      rd_call_set_from (self, g_value_get_string (value));
      break;

    case PROP_TO:
      rd_call_set_to (self, g_value_get_string (value));
      break;

    case PROP_DDI:
      rd_call_set_ddi (self, g_value_get_string (value));
      break;

    case PROP_TRUNK:
      rd_call_set_trunk (self, g_value_get_string (value));
      break;

    case PROP_STARTED_AT:
      rd_call_set_started_at (self, g_value_get_boxed (value));
      break;

    case PROP_ANSWERED_AT:
      rd_call_set_answered_at (self, g_value_get_boxed (value));
      break;

    case PROP_ENDED_AT:
      rd_call_set_ended_at (self, g_value_get_boxed (value));
      break;

    case PROP_STATE:
      rd_call_set_state (self, g_value_get_enum (value));
      break;

    case PROP_OUTCOME:
      rd_call_set_outcome (self, g_value_get_enum (value));
      break;

    case PROP_RECORDING_ID:
      rd_call_set_recording_id (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER:
      rd_call_set_customer (self, g_value_get_object (value));
      break;

    case PROP_TICKETS:
      rd_call_set_tickets (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_call_class_init (RdCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_call_finalize;
  object_class->get_property = rd_call_get_property;
  object_class->set_property = rd_call_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL,
                       RD_TYPE_CALL_DIRECTION, RD_CALL_DIRECTION_IN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FROM] =
    g_param_spec_string ("from", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TO] =
    g_param_spec_string ("to", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DDI] =
    g_param_spec_string ("ddi", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRUNK] =
    g_param_spec_string ("trunk", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANSWERED_AT] =
    g_param_spec_boxed ("answered-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDED_AT] =
    g_param_spec_boxed ("ended-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       RD_TYPE_CALL_STATE, RD_CALL_STATE_RINGING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL,
                       RD_TYPE_CALL_OUTCOME, RD_CALL_OUTCOME_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDING_ID] =
    g_param_spec_string ("recording-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER] =
    g_param_spec_object ("customer", NULL, NULL, RD_TYPE_CUSTOMER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKETS] =
    g_param_spec_boxed ("tickets", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKET_OBJECTS] =
    g_param_spec_object ("ticket-objects", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOPS] =
    g_param_spec_object ("hops", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_call_init (RdCall *self)
{
  self->started_at = g_date_time_new_now_utc ();
  self->tickets = g_new0 (char *, 1);
  self->ticket_objects = g_list_store_new (RD_TYPE_TICKET);
  self->hops = g_list_store_new (RD_TYPE_HOP);
}

RdCall *
rd_call_new (const char *id)
{
  return g_object_new (RD_TYPE_CALL, "id", id, NULL);
}

const char *
rd_call_get_id (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->id;
}

void
rd_call_set_id (RdCall     *self,
                const char *id)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

RdCallDirection
rd_call_get_direction (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), RD_CALL_DIRECTION_IN);

  return self->direction;
}

void
rd_call_set_direction (RdCall         *self,
                       RdCallDirection direction)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_CALL_DIRECTION, direction) != NULL);

  if (self->direction != direction)
    {
      self->direction = direction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
    }
}

const char *
rd_call_get_from (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->from;
}

void
rd_call_set_from (RdCall     *self,
                  const char *from)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_str (&self->from, from))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM]);
}

const char *
rd_call_get_to (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->to;
}

void
rd_call_set_to (RdCall     *self,
                const char *to)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_str (&self->to, to))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TO]);
}

const char *
rd_call_get_ddi (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->ddi;
}

void
rd_call_set_ddi (RdCall     *self,
                 const char *ddi)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_str (&self->ddi, ddi))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DDI]);
}

const char *
rd_call_get_trunk (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->trunk;
}

void
rd_call_set_trunk (RdCall     *self,
                   const char *trunk)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_str (&self->trunk, trunk))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNK]);
}

GDateTime *
rd_call_get_started_at (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->started_at;
}

void
rd_call_set_started_at (RdCall    *self,
                        GDateTime *started_at)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (started_at != NULL);

  if (rd_set_datetime (&self->started_at, started_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
}

GDateTime *
rd_call_get_answered_at (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->answered_at;
}

void
rd_call_set_answered_at (RdCall    *self,
                         GDateTime *answered_at)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_datetime (&self->answered_at, answered_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED_AT]);
}

GDateTime *
rd_call_get_ended_at (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->ended_at;
}

void
rd_call_set_ended_at (RdCall    *self,
                      GDateTime *ended_at)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_datetime (&self->ended_at, ended_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED_AT]);
}

RdCallState
rd_call_get_state (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), RD_CALL_STATE_RINGING);

  return self->state;
}

void
rd_call_set_state (RdCall     *self,
                   RdCallState state)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_CALL_STATE, state) != NULL);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

RdCallOutcome
rd_call_get_outcome (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), RD_CALL_OUTCOME_NONE);

  return self->outcome;
}

void
rd_call_set_outcome (RdCall       *self,
                     RdCallOutcome outcome)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (rd_enum_to_string (RD_TYPE_CALL_OUTCOME, outcome) != NULL);

  if (self->outcome != outcome)
    {
      self->outcome = outcome;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
    }
}

const char *
rd_call_get_recording_id (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->recording_id;
}

void
rd_call_set_recording_id (RdCall     *self,
                          const char *recording_id)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (rd_set_str (&self->recording_id, recording_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING_ID]);
}

/**
 * rd_call_get_customer:
 *
 * Returns: (transfer none) (nullable): the customer matched by the caller's
 *   number, or %NULL
 */
RdCustomer *
rd_call_get_customer (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return self->customer;
}

void
rd_call_set_customer (RdCall     *self,
                      RdCustomer *customer)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (customer == NULL || RD_IS_CUSTOMER (customer));

  if (g_set_object (&self->customer, customer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER]);
}

/**
 * rd_call_get_tickets:
 *
 * Returns: (transfer none): the numbers of the tickets bound to the call;
 *   always set, also when the tickets came as objects
 */
const char * const *
rd_call_get_tickets (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return (const char * const *) self->tickets;
}

/**
 * rd_call_set_tickets:
 *
 * Sets the ticket numbers and drops any ticket objects.
 */
void
rd_call_set_tickets (RdCall             *self,
                     const char * const *tickets)
{
  g_return_if_fail (RD_IS_CALL (self));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->ticket_objects)) > 0)
    g_list_store_remove_all (self->ticket_objects);

  if (rd_set_strv (&self->tickets, tickets))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKETS]);
}

/**
 * rd_call_get_ticket_objects:
 *
 * The caller's open tickets as sent in a `call.ringing` event, so the popup
 * needs no second request. Empty when the call carried only numbers.
 *
 * Returns: (transfer none): a #GListModel of #RdTicket
 */
GListModel *
rd_call_get_ticket_objects (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return G_LIST_MODEL (self->ticket_objects);
}

/**
 * rd_call_set_ticket_objects:
 * @tickets: (nullable): a #GListModel of #RdTicket, each with a number
 *
 * Sets the ticket objects and the ticket numbers from them; the call is then
 * serialised with ticket objects.
 */
void
rd_call_set_ticket_objects (RdCall     *self,
                            GListModel *tickets)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) numbers = NULL;
  guint n;

  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (tickets == NULL || G_IS_LIST_MODEL (tickets));
  g_return_if_fail (tickets == NULL ||
                    g_type_is_a (g_list_model_get_item_type (tickets), RD_TYPE_TICKET));

  n = tickets != NULL ? g_list_model_get_n_items (tickets) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (tickets, i);

      if (rd_ticket_get_number (ticket) != NULL)
        g_strv_builder_add (builder, rd_ticket_get_number (ticket));
    }
  numbers = g_strv_builder_end (builder);

  replace_items (self->ticket_objects, tickets);

  if (rd_set_strv (&self->tickets, (const char * const *) numbers))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKETS]);
}

/**
 * rd_call_get_hops:
 *
 * Every extension rung during the call, in order. The model stays the same
 * object for the life of the call; it changes with items-changed.
 *
 * Returns: (transfer none): a #GListModel of #RdHop
 */
GListModel *
rd_call_get_hops (RdCall *self)
{
  g_return_val_if_fail (RD_IS_CALL (self), NULL);

  return G_LIST_MODEL (self->hops);
}

/**
 * rd_call_set_hops:
 * @hops: (nullable): a #GListModel of #RdHop
 *
 * Replaces the hops with the items of @hops (the hops are shared, not copied).
 */
void
rd_call_set_hops (RdCall     *self,
                  GListModel *hops)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (hops == NULL || G_IS_LIST_MODEL (hops));
  g_return_if_fail (hops == NULL || g_type_is_a (g_list_model_get_item_type (hops), RD_TYPE_HOP));

  replace_items (self->hops, hops);
}

void
rd_call_append_hop (RdCall *self,
                    RdHop  *hop)
{
  g_return_if_fail (RD_IS_CALL (self));
  g_return_if_fail (RD_IS_HOP (hop));

  g_list_store_append (self->hops, hop);
}
