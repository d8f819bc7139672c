/* rd-enums.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdEnums"

#include "config.h"

#include "rd-util.h"

#include "rd-enums.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-model-private.h"

G_DEFINE_ENUM_TYPE (RdTicketState, rd_ticket_state,
  G_DEFINE_ENUM_VALUE (RD_TICKET_STATE_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (RD_TICKET_STATE_IN_PROGRESS, "in_progress"),
  G_DEFINE_ENUM_VALUE (RD_TICKET_STATE_RESOLVED, "resolved"),
  G_DEFINE_ENUM_VALUE (RD_TICKET_STATE_CLOSED, "closed"),
  G_DEFINE_ENUM_VALUE (RD_TICKET_STATE_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (RdPriority, rd_priority,
  G_DEFINE_ENUM_VALUE (RD_PRIORITY_LOW, "low"),
  G_DEFINE_ENUM_VALUE (RD_PRIORITY_NORMAL, "normal"),
  G_DEFINE_ENUM_VALUE (RD_PRIORITY_HIGH, "high"),
  G_DEFINE_ENUM_VALUE (RD_PRIORITY_URGENT, "urgent"))

G_DEFINE_ENUM_TYPE (RdSlaState, rd_sla_state,
  G_DEFINE_ENUM_VALUE (RD_SLA_STATE_OK, "ok"),
  G_DEFINE_ENUM_VALUE (RD_SLA_STATE_AT_RISK, "at_risk"),
  G_DEFINE_ENUM_VALUE (RD_SLA_STATE_BREACHED, "breached"),
  G_DEFINE_ENUM_VALUE (RD_SLA_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (RD_SLA_STATE_MET, "met"))

G_DEFINE_ENUM_TYPE (RdCallDirection, rd_call_direction,
  G_DEFINE_ENUM_VALUE (RD_CALL_DIRECTION_IN, "in"),
  G_DEFINE_ENUM_VALUE (RD_CALL_DIRECTION_OUT, "out"),
  G_DEFINE_ENUM_VALUE (RD_CALL_DIRECTION_INTERNAL, "internal"))

G_DEFINE_ENUM_TYPE (RdCallState, rd_call_state,
  G_DEFINE_ENUM_VALUE (RD_CALL_STATE_RINGING, "ringing"),
  G_DEFINE_ENUM_VALUE (RD_CALL_STATE_ANSWERED, "answered"),
  G_DEFINE_ENUM_VALUE (RD_CALL_STATE_HELD, "held"),
  G_DEFINE_ENUM_VALUE (RD_CALL_STATE_ENDED, "ended"))

G_DEFINE_ENUM_TYPE (RdCallOutcome, rd_call_outcome,
  G_DEFINE_ENUM_VALUE (RD_CALL_OUTCOME_NONE, "none"),
  G_DEFINE_ENUM_VALUE (RD_CALL_OUTCOME_ANSWERED, "answered"),
  G_DEFINE_ENUM_VALUE (RD_CALL_OUTCOME_MISSED, "missed"),
  G_DEFINE_ENUM_VALUE (RD_CALL_OUTCOME_ABANDONED, "abandoned"))

G_DEFINE_ENUM_TYPE (RdHopOutcome, rd_hop_outcome,
  G_DEFINE_ENUM_VALUE (RD_HOP_OUTCOME_NONE, "none"),
  G_DEFINE_ENUM_VALUE (RD_HOP_OUTCOME_NO_ANSWER, "no_answer"),
  G_DEFINE_ENUM_VALUE (RD_HOP_OUTCOME_ANSWERED, "answered"),
  G_DEFINE_ENUM_VALUE (RD_HOP_OUTCOME_ABANDONED, "abandoned"),
  G_DEFINE_ENUM_VALUE (RD_HOP_OUTCOME_TRANSFERRED, "transferred"))

G_DEFINE_ENUM_TYPE (RdGroupStrategy, rd_group_strategy,
  G_DEFINE_ENUM_VALUE (RD_GROUP_STRATEGY_ROUND_ROBIN, "round_robin"),
  G_DEFINE_ENUM_VALUE (RD_GROUP_STRATEGY_LEAST_OPEN, "least_open"),
  G_DEFINE_ENUM_VALUE (RD_GROUP_STRATEGY_RANDOM, "random"))

G_DEFINE_ENUM_TYPE (RdPhoneKind, rd_phone_kind,
  G_DEFINE_ENUM_VALUE (RD_PHONE_KIND_INVALID, "invalid"),
  G_DEFINE_ENUM_VALUE (RD_PHONE_KIND_EXTENSION, "extension"),
  G_DEFINE_ENUM_VALUE (RD_PHONE_KIND_EXTERNAL, "external"))

G_DEFINE_ENUM_TYPE (RdPhoneSource, rd_phone_source,
  G_DEFINE_ENUM_VALUE (RD_PHONE_SOURCE_ANY, "any"),
  G_DEFINE_ENUM_VALUE (RD_PHONE_SOURCE_PBX, "pbx"),
  G_DEFINE_ENUM_VALUE (RD_PHONE_SOURCE_TYPED, "typed"))

/**
 * rd_enum_to_string:
 * @enum_type: one of the RD_TYPE_* enum types
 *
 * Returns: (nullable): the wire string of @value, or %NULL if @value is not
 *   a member of @enum_type
 */
const char *
rd_enum_to_string (GType enum_type,
                   int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value (klass, value);

  /* Static enum classes are never finalised, so the nick outlives @klass. */
  return found != NULL ? found->value_nick : NULL;
}

/**
 * rd_enum_from_string:
 * @string: (nullable): untrusted text
 * @value: (out): the matching value, untouched on failure
 *
 * Matches the wire string exactly (case-sensitive). Total: %NULL or unknown
 * text gives %FALSE.
 */
gboolean
rd_enum_from_string (GType       enum_type,
                     const char *string,
                     int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (string == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value_by_nick (klass, string);
  if (found == NULL)
    return FALSE;

  *value = found->value;
  return TRUE;
}

/* Reads an enum member of untrusted JSON. @none_value (or -1) is the value that
 * stands for JSON null; its nick is never accepted as a string. */
gboolean
rd_json_get_enum (JsonObject   *object,
                  const char   *member,
                  RdJsonFlags   flags,
                  GType         enum_type,
                  int           none_value,
                  int          *out,
                  GError      **error)
{
  const char *text = NULL;
  int value;

  if (!rd_json_get_string (object, member, flags, &text, error))
    return FALSE;
  if (!rd_json_has_member (object, member))
    return TRUE;

  if (text == NULL)
    {
      *out = none_value;
      return TRUE;
    }

  if (!rd_enum_from_string (enum_type, text, &value) ||
      (none_value >= 0 && value == none_value))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “%s” has an unknown value “%.*s”", member, rd_utf8_prefix_length (text, 32), text);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

#define DEFINE_STRING_HELPERS(TypeName, type_name, TYPE_MACRO, none)          \
const char *                                                                  \
type_name##_to_string (TypeName value)                                        \
{                                                                             \
  if ((int) value == (none))                                                  \
    return NULL;                                                              \
  return rd_enum_to_string (TYPE_MACRO, (int) value);                         \
}                                                                             \
                                                                              \
gboolean                                                                      \
type_name##_from_string (const char *string,                                  \
                         TypeName   *out)                                     \
{                                                                             \
  int value;                                                                  \
                                                                              \
  g_return_val_if_fail (out != NULL, FALSE);                                  \
                                                                              \
  if (!rd_enum_from_string (TYPE_MACRO, string, &value) || value == (none))   \
    return FALSE;                                                             \
  *out = (TypeName) value;                                                    \
  return TRUE;                                                                \
}

DEFINE_STRING_HELPERS (RdTicketState, rd_ticket_state, RD_TYPE_TICKET_STATE, -1)
DEFINE_STRING_HELPERS (RdPriority, rd_priority, RD_TYPE_PRIORITY, -1)
DEFINE_STRING_HELPERS (RdSlaState, rd_sla_state, RD_TYPE_SLA_STATE, -1)
DEFINE_STRING_HELPERS (RdCallDirection, rd_call_direction, RD_TYPE_CALL_DIRECTION, -1)
DEFINE_STRING_HELPERS (RdCallState, rd_call_state, RD_TYPE_CALL_STATE, -1)
DEFINE_STRING_HELPERS (RdCallOutcome, rd_call_outcome, RD_TYPE_CALL_OUTCOME, RD_CALL_OUTCOME_NONE)
DEFINE_STRING_HELPERS (RdHopOutcome, rd_hop_outcome, RD_TYPE_HOP_OUTCOME, RD_HOP_OUTCOME_NONE)
DEFINE_STRING_HELPERS (RdGroupStrategy, rd_group_strategy, RD_TYPE_GROUP_STRATEGY, -1)
