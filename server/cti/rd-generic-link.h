/* rd-generic-link.h: the generic CTI webhook (Zammad-compatible), a RdCtiLink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-config.h"
#include "rd-cti-link.h"
#include "rd-server.h"

G_BEGIN_DECLS

typedef enum
{
  RD_GENERIC_EVENT_NEW_CALL,
  RD_GENERIC_EVENT_ANSWER,
  RD_GENERIC_EVENT_HANGUP,
} RdGenericEventType;

/**
 * RdGenericForm:
 * @event: newCall, answer or hangup
 * @from: the calling number (nullable for answer and hangup)
 * @to: the called number (nullable for answer and hangup)
 * @direction: in or out (required for newCall)
 * @call_id: the PBX's call id (required)
 * @users: the `user[]` values, the extensions concerned (may be empty)
 * @queue: the queue, or %NULL
 * @cause: the hangup cause as Ringdesk names it ("normal", "busy", …)
 * @answering_number: who answered, or %NULL
 *
 * One webhook body, validated.
 */
typedef struct
{
  RdGenericEventType  event;
  char               *from;
  char               *to;
  RdCallDirection     direction;
  gboolean            has_direction;
  char               *call_id;
  GStrv               users;
  char               *queue;
  char               *cause;
  char               *answering_number;
} RdGenericForm;

void        rd_generic_form_clear      (RdGenericForm  *form);
gboolean    rd_generic_form_parse      (const char     *body,
                                        gsize           length,
                                        RdGenericForm  *form,
                                        GError        **error);
GPtrArray  *rd_generic_form_to_events  (const RdGenericForm *form);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RdGenericForm, rd_generic_form_clear)

#define RD_TYPE_GENERIC_LINK (rd_generic_link_get_type ())

G_DECLARE_FINAL_TYPE (RdGenericLink, rd_generic_link, RD, GENERIC_LINK, GObject)

RdGenericLink *rd_generic_link_new             (const char     *secret);
RdGenericLink *rd_generic_link_new_from_config (RdConfig       *config);
void           rd_generic_link_register        (RdGenericLink  *self,
                                                RdServer       *server);

G_END_DECLS
