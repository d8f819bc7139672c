/* rd-enums.h: the enumerations of the shared model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every enum is registered as a GType whose value nicks are the exact wire
 * strings of API.md, so the nick is the one source of truth for the JSON form.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RD_TICKET_STATE_OPEN,
  RD_TICKET_STATE_IN_PROGRESS,
  RD_TICKET_STATE_RESOLVED,
  RD_TICKET_STATE_CLOSED,
  RD_TICKET_STATE_CANCELLED,
} RdTicketState;

typedef enum
{
  RD_PRIORITY_LOW,
  RD_PRIORITY_NORMAL,
  RD_PRIORITY_HIGH,
  RD_PRIORITY_URGENT,
} RdPriority;

typedef enum
{
  RD_SLA_STATE_OK,
  RD_SLA_STATE_AT_RISK,
  RD_SLA_STATE_BREACHED,
  RD_SLA_STATE_PAUSED,
  RD_SLA_STATE_MET,
} RdSlaState;

typedef enum
{
  RD_CALL_DIRECTION_IN,
  RD_CALL_DIRECTION_OUT,
  RD_CALL_DIRECTION_INTERNAL,
} RdCallDirection;

typedef enum
{
  RD_CALL_STATE_RINGING,
  RD_CALL_STATE_ANSWERED,
  RD_CALL_STATE_HELD,
  RD_CALL_STATE_ENDED,
} RdCallState;

/* RD_CALL_OUTCOME_NONE is JSON null: the call has not ended yet. */
typedef enum
{
  RD_CALL_OUTCOME_NONE,
  RD_CALL_OUTCOME_ANSWERED,
  RD_CALL_OUTCOME_MISSED,
  RD_CALL_OUTCOME_ABANDONED,
} RdCallOutcome;

/* RD_HOP_OUTCOME_NONE is JSON null: the extension is still ringing or talking. */
typedef enum
{
  RD_HOP_OUTCOME_NONE,
  RD_HOP_OUTCOME_NO_ANSWER,
  RD_HOP_OUTCOME_ANSWERED,
  RD_HOP_OUTCOME_ABANDONED,
  RD_HOP_OUTCOME_TRANSFERRED,
} RdHopOutcome;

typedef enum
{
  RD_GROUP_STRATEGY_ROUND_ROBIN,
  RD_GROUP_STRATEGY_LEAST_OPEN,
  RD_GROUP_STRATEGY_RANDOM,
} RdGroupStrategy;

typedef enum
{
  RD_PHONE_KIND_INVALID,
  RD_PHONE_KIND_EXTENSION,
  RD_PHONE_KIND_EXTERNAL,
} RdPhoneKind;

/* Where a number to normalise comes from; see rd_phone_normalize_full(). */
typedef enum
{
  RD_PHONE_SOURCE_ANY,
  RD_PHONE_SOURCE_PBX,
  RD_PHONE_SOURCE_TYPED,
} RdPhoneSource;

#define RD_TYPE_TICKET_STATE   (rd_ticket_state_get_type ())
#define RD_TYPE_PRIORITY       (rd_priority_get_type ())
#define RD_TYPE_SLA_STATE      (rd_sla_state_get_type ())
#define RD_TYPE_CALL_DIRECTION (rd_call_direction_get_type ())
#define RD_TYPE_CALL_STATE     (rd_call_state_get_type ())
#define RD_TYPE_CALL_OUTCOME   (rd_call_outcome_get_type ())
#define RD_TYPE_HOP_OUTCOME    (rd_hop_outcome_get_type ())
#define RD_TYPE_GROUP_STRATEGY (rd_group_strategy_get_type ())
#define RD_TYPE_PHONE_KIND     (rd_phone_kind_get_type ())
#define RD_TYPE_PHONE_SOURCE   (rd_phone_source_get_type ())

GType       rd_ticket_state_get_type      (void) G_GNUC_CONST;
GType       rd_priority_get_type          (void) G_GNUC_CONST;
GType       rd_sla_state_get_type         (void) G_GNUC_CONST;
GType       rd_call_direction_get_type    (void) G_GNUC_CONST;
GType       rd_call_state_get_type        (void) G_GNUC_CONST;
GType       rd_call_outcome_get_type      (void) G_GNUC_CONST;
GType       rd_hop_outcome_get_type       (void) G_GNUC_CONST;
GType       rd_group_strategy_get_type    (void) G_GNUC_CONST;
GType       rd_phone_kind_get_type        (void) G_GNUC_CONST;
GType       rd_phone_source_get_type      (void) G_GNUC_CONST;

const char *rd_enum_to_string             (GType            enum_type,
                                           int              value);
gboolean    rd_enum_from_string           (GType            enum_type,
                                           const char      *string,
                                           int             *value);

const char *rd_ticket_state_to_string     (RdTicketState    state);
gboolean    rd_ticket_state_from_string   (const char      *string,
                                           RdTicketState   *state);
const char *rd_priority_to_string         (RdPriority       priority);
gboolean    rd_priority_from_string       (const char      *string,
                                           RdPriority      *priority);
const char *rd_sla_state_to_string        (RdSlaState       state);
gboolean    rd_sla_state_from_string      (const char      *string,
                                           RdSlaState      *state);
const char *rd_call_direction_to_string   (RdCallDirection  direction);
gboolean    rd_call_direction_from_string (const char      *string,
                                           RdCallDirection *direction);
const char *rd_call_state_to_string       (RdCallState      state);
gboolean    rd_call_state_from_string     (const char      *string,
                                           RdCallState     *state);
const char *rd_call_outcome_to_string     (RdCallOutcome    outcome);
gboolean    rd_call_outcome_from_string   (const char      *string,
                                           RdCallOutcome   *outcome);
const char *rd_hop_outcome_to_string      (RdHopOutcome     outcome);
gboolean    rd_hop_outcome_from_string    (const char      *string,
                                           RdHopOutcome    *outcome);
const char *rd_group_strategy_to_string   (RdGroupStrategy  strategy);
gboolean    rd_group_strategy_from_string (const char      *string,
                                           RdGroupStrategy *strategy);

G_END_DECLS
