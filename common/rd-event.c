/* rd-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A live event as the server sends it on the WebSocket: its type (one of the
 * RD_EVENT_* names), when it happened, the extension it is routed to (null
 * for events to supervisors), and its payload: the call of `call.*`, the
 * ticket of `ticket.*` and `sla.at_risk`, the text of `notify.im`. Payload
 * members are written only when set. The client → server `subscribe` message
 * has its own parse and build helpers here.
 */

#define G_LOG_DOMAIN "RdEvent"

#include "config.h"

#include "rd-api.h"
#include "rd-call.h"
#include "rd-codec.h"
#include "rd-error.h"
#include "rd-event.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-phone.h"
#include "rd-ticket.h"
#include "rd-util.h"

struct _RdEvent
{
  GObject    parent_instance;

  char      *event_type;
  GDateTime *at;
  char      *extension;
  char      *text;
  RdCall    *call;
  RdTicket  *ticket;
};

static void rd_event_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdEvent, rd_event, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_event_codec_iface_init))

enum {
  PROP_0,
  PROP_EVENT_TYPE,
  PROP_AT,
  PROP_EXTENSION,
  PROP_TEXT,
  PROP_CALL,
  PROP_TICKET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const event_members[] = {
  "type", "at", "extension", "text", "call", "ticket", NULL
};

static const char * const event_types[] = {
  RD_EVENT_CALL_RINGING,
  RD_EVENT_CALL_ANSWERED,
  RD_EVENT_CALL_HELD,
  RD_EVENT_CALL_RETRIEVED,
  RD_EVENT_CALL_TRANSFERRED,
  RD_EVENT_CALL_ENDED,
  RD_EVENT_TICKET_CREATED,
  RD_EVENT_TICKET_UPDATED,
  RD_EVENT_TICKET_ASSIGNED,
  RD_EVENT_NOTIFY_IM,
  RD_EVENT_SLA_AT_RISK,
  RD_EVENT_SYNC_FINISHED,
  NULL
};

static const char * const subscribe_members[] = {
  "type", "extensions", NULL
};

/**
 * rd_event_type_is_valid:
 *
 * Returns: whether @type is one of the RD_EVENT_* names the server sends
 */
gboolean
rd_event_type_is_valid (const char *type)
{
  return type != NULL && g_strv_contains (event_types, type);
}

static void
rd_event_to_json (RdCodec     *codec,
                  JsonBuilder *builder)
{
  RdEvent *self = RD_EVENT (codec);

  rd_json_builder_add_string (builder, "type", self->event_type ? self->event_type : "");
  rd_json_builder_add_datetime (builder, "at", self->at);
  rd_json_builder_add_string (builder, "extension", self->extension);
  if (self->text != NULL)
    rd_json_builder_add_string (builder, "text", self->text);

  if (self->call != NULL)
    {
      json_builder_set_member_name (builder, "call");
      json_builder_begin_object (builder);
      rd_codec_to_json (RD_CODEC (self->call), builder);
      json_builder_end_object (builder);
    }

  if (self->ticket != NULL)
    {
      json_builder_set_member_name (builder, "ticket");
      json_builder_begin_object (builder);
      rd_codec_to_json (RD_CODEC (self->ticket), builder);
      json_builder_end_object (builder);
    }
}

static gboolean
rd_event_from_json (RdCodec       *codec,
                    JsonObject    *object,
                    RdCodecFlags   flags,
                    GError       **error)
{
  RdEvent *self = RD_EVENT (codec);
  const char *event_type = NULL;
  g_autoptr(GDateTime) at = NULL;
  const char *extension = NULL;
  const char *text = NULL;
  JsonObject *call_object = NULL;
  JsonObject *ticket_object = NULL;
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  const char *needed = NULL;

  if (!rd_codec_check_members (flags, object, event_members, error) ||
      !rd_json_get_string (object, "type", RD_JSON_REQUIRED, &event_type, error) ||
      !rd_json_get_datetime (object, "at", RD_JSON_REQUIRED, &at, error) ||
      !rd_json_get_string (object, "extension", RD_JSON_NULLABLE, &extension, error) ||
      !rd_json_get_string (object, "text", RD_JSON_NULLABLE, &text, error) ||
      !rd_json_get_object (object, "call", RD_JSON_NULLABLE, &call_object, error) ||
      !rd_json_get_object (object, "ticket", RD_JSON_NULLABLE, &ticket_object, error))
    return FALSE;

  if (!rd_event_type_is_valid (event_type))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “type” has an unknown event type “%.*s”", rd_utf8_prefix_length (event_type, 32), event_type);
      return FALSE;
    }

  if (extension != NULL && !rd_extension_is_valid (extension))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “extension” must be 1–16 digits");
      return FALSE;
    }

  if (call_object != NULL)
    {
      call = rd_codec_new_from_json_full (RD_TYPE_CALL, call_object, flags, error);
      if (call == NULL)
        {
          g_prefix_error (error, "Field “call”: ");
          return FALSE;
        }
    }

  if (ticket_object != NULL)
    {
      ticket = rd_codec_new_from_json_full (RD_TYPE_TICKET, ticket_object, flags, error);
      if (ticket == NULL)
        {
          g_prefix_error (error, "Field “ticket”: ");
          return FALSE;
        }
    }

  /* The payload each type needs (API.md, Live events). */
  if (g_str_has_prefix (event_type, "call.") && call == NULL)
    needed = "call";
  else if (g_str_has_prefix (event_type, "ticket.") && ticket == NULL)
    needed = "ticket";
  else if (g_str_equal (event_type, RD_EVENT_NOTIFY_IM) && text == NULL)
    needed = "text";

  if (needed != NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                   "Missing field “%s” for a “%s” event", needed, event_type);
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_event_set_event_type (self, event_type);
  if (at != NULL)
    rd_event_set_at (self, at);
  rd_event_set_extension (self, extension);
  rd_event_set_text (self, text);
  rd_event_set_call (self, call);
  rd_event_set_ticket (self, ticket);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_event_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_event_to_json;
  iface->from_json = rd_event_from_json;
}

static void
rd_event_finalize (GObject *object)
{
  RdEvent *self = (RdEvent *) object;

  g_clear_pointer (&self->event_type, g_free);
  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->extension, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_object (&self->call);
  g_clear_object (&self->ticket);

  G_OBJECT_CLASS (rd_event_parent_class)->finalize (object);
}

static void
rd_event_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RdEvent *self = RD_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_TYPE:
      g_value_set_string (value, self->event_type);
      break;

    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;

    case PROP_EXTENSION:
      g_value_set_string (value, self->extension);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_CALL:
      g_value_set_object (value, self->call);
      break;

    case PROP_TICKET:
      g_value_set_object (value, self->ticket);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_event_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  RdEvent *self = RD_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_TYPE:
      rd_event_set_event_type (self, g_value_get_string (value));
      break;

    case PROP_AT:
      rd_event_set_at (self, g_value_get_boxed (value));
      break;

    case PROP_EXTENSION:
      rd_event_set_extension (self, g_value_get_string (value));
      break;

    case PROP_TEXT:
      rd_event_set_text (self, g_value_get_string (value));
      break;

    case PROP_CALL:
      rd_event_set_call (self, g_value_get_object (value));
      break;

    case PROP_TICKET:
      rd_event_set_ticket (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_event_class_init (RdEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_event_finalize;
  object_class->get_property = rd_event_get_property;
  object_class->set_property = rd_event_set_property;

  properties[PROP_EVENT_TYPE] =
    g_param_spec_string ("event-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL] =
    g_param_spec_object ("call", NULL, NULL, RD_TYPE_CALL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKET] =
    g_param_spec_object ("ticket", NULL, NULL, RD_TYPE_TICKET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_event_init (RdEvent *self)
{
  self->at = g_date_time_new_now_utc ();
}

RdEvent *
rd_event_new (const char *event_type)
{
  return g_object_new (RD_TYPE_EVENT, "event-type", event_type, NULL);
}

const char *
rd_event_get_event_type (RdEvent *self)
{
  g_return_val_if_fail (RD_IS_EVENT (self), NULL);

  return self->event_type;
}

void
rd_event_set_event_type (RdEvent    *self,
                         const char *event_type)
{
  g_return_if_fail (RD_IS_EVENT (self));

  if (rd_set_str (&self->event_type, event_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_TYPE]);
}

GDateTime *
rd_event_get_at (RdEvent *self)
{
  g_return_val_if_fail (RD_IS_EVENT (self), NULL);

  return self->at;
}

void
rd_event_set_at (RdEvent   *self,
                 GDateTime *at)
{
  g_return_if_fail (RD_IS_EVENT (self));
  g_return_if_fail (at != NULL);

  if (rd_set_datetime (&self->at, at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
}

const char *
rd_event_get_extension (RdEvent *self)
{
  g_return_val_if_fail (RD_IS_EVENT (self), NULL);

  return self->extension;
}

void
rd_event_set_extension (RdEvent    *self,
                        const char *extension)
{
  g_return_if_fail (RD_IS_EVENT (self));

  if (rd_set_str (&self->extension, extension))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTENSION]);
}

const char *
rd_event_get_text (RdEvent *self)
{
  g_return_val_if_fail (RD_IS_EVENT (self), NULL);

  return self->text;
}

void
rd_event_set_text (RdEvent    *self,
                   const char *text)
{
  g_return_if_fail (RD_IS_EVENT (self));

  if (rd_set_str (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/**
 * rd_event_get_call:
 *
 * Returns: (transfer none) (nullable): the call of a `call.*` event
 */
RdCall *
rd_event_get_call (RdEvent *self)
{
  g_return_val_if_fail (RD_IS_EVENT (self), NULL);

  return self->call;
}

void
rd_event_set_call (RdEvent *self,
                   RdCall  *call)
{
  g_return_if_fail (RD_IS_EVENT (self));
  g_return_if_fail (call == NULL || RD_IS_CALL (call));

  if (g_set_object (&self->call, call))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL]);
}

/**
 * rd_event_get_ticket:
 *
 * Returns: (transfer none) (nullable): the ticket of a `ticket.*` event
 */
RdTicket *
rd_event_get_ticket (RdEvent *self)
{
  g_return_val_if_fail (RD_IS_EVENT (self), NULL);

  return self->ticket;
}

void
rd_event_set_ticket (RdEvent  *self,
                     RdTicket *ticket)
{
  g_return_if_fail (RD_IS_EVENT (self));
  g_return_if_fail (ticket == NULL || RD_IS_TICKET (ticket));

  if (g_set_object (&self->ticket, ticket))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET]);
}

/**
 * rd_event_new_from_json_string:
 * @data: one WebSocket text message, untrusted
 * @length: its length, or -1 if nul-terminated
 *
 * Validates a whole server → client message: its size, its JSON, the type,
 * the time, the extension and the payload the type needs. Total on any input.
 *
 * Returns: (transfer full) (nullable): the event, or %NULL with @error set
 */
RdEvent *
rd_event_new_from_json_string (const char  *data,
                               gssize       length,
                               GError     **error)
{
  gsize len;

  if (data == NULL)
    len = 0;
  else if (length < 0)
    len = strnlen (data, RD_EVENT_MAX_SIZE + 1);
  else
    len = (gsize) length;

  if (len > RD_EVENT_MAX_SIZE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_TOO_LARGE,
                   "Event message larger than %u bytes", RD_EVENT_MAX_SIZE);
      return NULL;
    }

  return rd_codec_new_from_json_string (RD_TYPE_EVENT, data, (gssize) len, error);
}

/* a {"type":…,"extensions":[…]} message of @expected_type */
static gboolean
parse_extensions_message (const char   *data,
                          gssize        length,
                          const char   *expected_type,
                          char       ***extensions,
                          GError      **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_auto(GStrv) list = NULL;
  const char *type = NULL;
  gsize len;

  g_return_val_if_fail (extensions != NULL, FALSE);

  if (data == NULL)
    len = 0;
  else if (length < 0)
    len = strnlen (data, RD_EVENT_MAX_SIZE + 1);
  else
    len = (gsize) length;

  if (len > RD_EVENT_MAX_SIZE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_TOO_LARGE,
                   "Message larger than %u bytes", RD_EVENT_MAX_SIZE);
      return FALSE;
    }

  object = rd_json_parse_object (data, (gssize) len, error);
  if (object == NULL)
    return FALSE;

  /* strict, so a typo is reported */
  if (!rd_json_check_members (object, subscribe_members, error) ||
      !rd_json_get_string (object, "type", RD_JSON_REQUIRED, &type, error) ||
      !rd_json_dup_strv (object, "extensions", RD_JSON_REQUIRED, &list, error))
    return FALSE;

  if (g_strcmp0 (type, expected_type) != 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Unknown message type “%.*s”", rd_utf8_prefix_length (type, 32), type);
      return FALSE;
    }

  if (g_strv_length (list) > RD_EVENT_MAX_SUBSCRIPTIONS)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “extensions” has more than %u items", RD_EVENT_MAX_SUBSCRIPTIONS);
      return FALSE;
    }

  for (guint i = 0; list[i] != NULL; i++)
    {
      if (g_strcmp0 (list[i], "*") != 0 && !rd_extension_is_valid (list[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “extensions” has an invalid extension “%.*s”", rd_utf8_prefix_length (list[i], 16), list[i]);
          return FALSE;
        }
    }

  *extensions = g_steal_pointer (&list);

  return TRUE;
}

/**
 * rd_event_parse_subscribe:
 * @data: one client → server WebSocket text message, untrusted
 * @length: its length, or -1 if nul-terminated
 * @extensions: (out) (transfer full): the extensions, or `["*"]` for all
 *
 * Parses `{"type":"subscribe","extensions":["732"]}`. Every extension must be
 * an extension number or "*"; at most %RD_EVENT_MAX_SUBSCRIPTIONS of them.
 * Whether the user may subscribe to "*" is the server's decision.
 */
gboolean
rd_event_parse_subscribe (const char   *data,
                          gssize        length,
                          char       ***extensions,
                          GError      **error)
{
  return parse_extensions_message (data, length, RD_EVENT_SUBSCRIBE, extensions, error);
}

/**
 * rd_event_parse_subscribed:
 * @data: one server → client WebSocket text message, untrusted
 * @length: its length, or -1 if nul-terminated
 * @extensions: (out) (transfer full): the extensions now subscribed
 *
 * Parses the server's acknowledgement of a subscribe,
 * `{"type":"subscribed","extensions":["732"]}`, as strictly as
 * rd_event_parse_subscribe().
 */
gboolean
rd_event_parse_subscribed (const char   *data,
                           gssize        length,
                           char       ***extensions,
                           GError      **error)
{
  return parse_extensions_message (data, length, RD_EVENT_SUBSCRIBED, extensions, error);
}

static char *
build_extensions_message (const char         *type,
                          const char * const *extensions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "type", type);
  rd_json_builder_add_strv (builder, "extensions", extensions);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return rd_json_to_string (root, FALSE);
}

/**
 * rd_event_build_subscribe:
 * @extensions: (nullable): the extensions to receive events for, or `"*"`
 *
 * Returns: (transfer full): the `subscribe` message as JSON text
 */
char *
rd_event_build_subscribe (const char * const *extensions)
{
  return build_extensions_message (RD_EVENT_SUBSCRIBE, extensions);
}

/**
 * rd_event_build_subscribed:
 * @extensions: the extensions the client is now subscribed to
 *
 * Returns: (transfer full): the server's `subscribed` acknowledgement as JSON text
 */
char *
rd_event_build_subscribed (const char * const *extensions)
{
  return build_extensions_message (RD_EVENT_SUBSCRIBED, extensions);
}
