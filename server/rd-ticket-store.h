/* rd-ticket-store.h: tickets and their history in the server's sqlite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-assigner.h"
#include "rd-store.h"
#include "rd-ticket.h"

G_BEGIN_DECLS

#define RD_TYPE_TICKET_STORE (rd_ticket_store_get_type ())

G_DECLARE_FINAL_TYPE (RdTicketStore, rd_ticket_store, RD, TICKET_STORE, GObject)

/* the longest text each member takes, in characters */
#define RD_TICKET_MAX_SUBJECT     200
#define RD_TICKET_MAX_DESCRIPTION 20000
#define RD_TICKET_MAX_SHORT       100
#define RD_TICKET_MAX_ID          64
#define RD_TICKET_MAX_PHONE       32
#define RD_TICKET_MAX_NOTE        2000

/**
 * RdTicketScope:
 * @RD_TICKET_SCOPE_ALL: every ticket (supervisors, admins)
 * @RD_TICKET_SCOPE_CREATED: tickets the user created (agents)
 * @RD_TICKET_SCOPE_ASSIGNED: tickets assigned to the user (agents, technicians)
 * @RD_TICKET_SCOPE_GROUPS: tickets of the groups the user is a member of
 *   (technicians)
 *
 * Which tickets a user sees; flags add up. No flag sees nothing.
 */
typedef enum
{
  RD_TICKET_SCOPE_ALL      = 1 << 0,
  RD_TICKET_SCOPE_CREATED  = 1 << 1,
  RD_TICKET_SCOPE_ASSIGNED = 1 << 2,
  RD_TICKET_SCOPE_GROUPS   = 1 << 3,
} RdTicketScope;

/**
 * RdTicketFilter:
 * @states: (nullable): state nicks, any of which matches
 * @priorities: (nullable): priority nicks, any of which matches
 * @area: (nullable): exact area
 * @assignee: (nullable): exact assignee username
 * @match: (nullable): an FTS5 expression from rd_ticket_store_make_match()
 * @phone_key: (nullable): from rd_ticket_store_make_phone_key()
 * @since: (nullable): created at or after
 * @before: the cursor: only numbers below it; 0 for none
 * @scope: what @username may see
 * @username: the user asking
 * @view: (optional): narrows @scope to these flags of the user's own tickets
 *   (`?scope=mine|groups`); 0 for all of @scope
 * @group: (nullable): exact group
 *
 * Everything set must match. The handler owns the strings.
 */
typedef struct
{
  const char * const *states;
  const char * const *priorities;
  const char         *area;
  const char         *assignee;
  const char         *match;
  const char         *phone_key;
  GDateTime          *since;
  gint64              before;
  RdTicketScope       scope;
  const char         *username;
  RdTicketScope       view;
  const char         *group;
} RdTicketFilter;

/**
 * RdTicketChange:
 *
 * One row of a ticket's audit trail: @field went from @old_value to @new_value
 * (either may be %NULL), done by @username at @at, with an optional @note.
 */
typedef struct
{
  gint64     id;
  GDateTime *at;
  char      *username;
  char      *field;
  char      *old_value;
  char      *new_value;
  char      *note;
} RdTicketChange;

void            rd_ticket_change_free          (RdTicketChange  *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdTicketChange, rd_ticket_change_free)

RdTicketStore  *rd_ticket_store_new            (RdStore         *store);
void            rd_ticket_store_set_assigner   (RdTicketStore   *self,
                                                RdAssigner      *assigner);
RdTicket       *rd_ticket_store_create         (RdTicketStore   *self,
                                                RdTicket        *draft,
                                                const char      *username,
                                                GError         **error);
RdTicket       *rd_ticket_store_get            (RdTicketStore   *self,
                                                gint64           number,
                                                char           **created_by,
                                                GError         **error);
GListModel     *rd_ticket_store_list           (RdTicketStore   *self,
                                                const RdTicketFilter *filter,
                                                guint            limit,
                                                GError         **error);
gboolean        rd_ticket_store_update         (RdTicketStore   *self,
                                                RdTicket        *before,
                                                RdTicket        *after,
                                                const char      *username,
                                                GError         **error);
RdTicket       *rd_ticket_store_transition     (RdTicketStore   *self,
                                                gint64           number,
                                                RdTicketState    to,
                                                const char      *note,
                                                const char      *username,
                                                GError         **error);
GPtrArray      *rd_ticket_store_get_history    (RdTicketStore   *self,
                                                gint64           number,
                                                GError         **error);

char           *rd_ticket_store_build_list_sql (const RdTicketFilter *filter);
const char     *rd_ticket_store_get_sql        (void);

char           *rd_ticket_store_make_match     (const char      *text);
char           *rd_ticket_store_make_phone_key (const char      *phone);
gboolean        rd_ticket_number_parse         (const char      *text,
                                                gint64          *number);

G_END_DECLS
