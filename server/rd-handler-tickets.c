/* rd-handler-tickets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|POST /api/v1/tickets, GET|PATCH /api/v1/tickets/{number},
 * POST /api/v1/tickets/{number}/transition and
 * GET /api/v1/tickets/{number}/history, POST|GET
 * /api/v1/tickets/{number}/work-order.
 *
 * Who sees what: supervisors and admins every ticket; agents the tickets they
 * created or that are assigned to them (their queue); technicians the tickets
 * assigned to them or to a group they are a member of. Whoever sees a ticket may edit and move it; agents,
 * supervisors and admins create tickets. A ticket the user may not see is 403.
 * Technicians, supervisors and admins convert a ticket they see into a work
 * order. location_id, asset_id and group must name existing ones.
 */

#define G_LOG_DOMAIN "RdHandlerTickets"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"
#include "rd-ticket-store.h"

static const char * const any_role[] = {
  RD_ROLE_AGENT, RD_ROLE_TECHNICIAN, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const creators[] = {
  RD_ROLE_AGENT, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const work_order_makers[] = {
  RD_ROLE_TECHNICIAN, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

/* what POST and PATCH take */
static const char * const writable_members[] = {
  "external_number", "subject", "description", "area", "priority", "category", "location_id",
  "asset_id", "requester", "requester_phone", "assignee", "group", "active", NULL
};

/* members of the ticket object the server alone sets */
static const char * const server_members[] = {
  "number", "state", "created_at", "first_response_at", "resolved_at", "closed_at",
  "last_synced_at", "call_ids", "evidence_count", "sla", NULL
};

static const char * const transition_members[] = { "to", "note", NULL };

typedef struct
{
  const char  *member;
  guint        max_length;
  gboolean     nullable;
  void       (*set) (RdTicket *ticket, const char *value);
} TextMember;

static const TextMember text_members[] = {
  { "external_number", RD_TICKET_MAX_ID,          TRUE,  rd_ticket_set_external_number },
  { "subject",         RD_TICKET_MAX_SUBJECT,     FALSE, rd_ticket_set_subject },
  { "description",     RD_TICKET_MAX_DESCRIPTION, FALSE, rd_ticket_set_description },
  { "area",            RD_TICKET_MAX_SHORT,       FALSE, rd_ticket_set_area },
  { "category",        RD_TICKET_MAX_SHORT,       FALSE, rd_ticket_set_category },
  { "location_id",     RD_TICKET_MAX_ID,          TRUE,  rd_ticket_set_location_id },
  { "asset_id",        RD_TICKET_MAX_ID,          TRUE,  rd_ticket_set_asset_id },
  { "requester",       RD_TICKET_MAX_SUBJECT,     FALSE, rd_ticket_set_requester },
  { "requester_phone", RD_TICKET_MAX_PHONE,       TRUE,  rd_ticket_set_requester_phone },
  { "assignee",        RD_TICKET_MAX_ID,          TRUE,  rd_ticket_set_assignee },
  { "group",           RD_TICKET_MAX_ID,          TRUE,  rd_ticket_set_group },
};

/* the server's one ticket store, with its assigner */
static RdTicketStore *
ticket_store (RdServer *server)
{
  return g_object_ref (rd_server_get_ticket_store (server));
}

static RdTicketScope
scope_for (RdUser *user)
{
  RdTicketScope scope = 0;

  if (user == NULL)
    return 0;

  if (rd_user_has_role (user, RD_ROLE_SUPERVISOR) || rd_user_has_role (user, RD_ROLE_ADMIN))
    return RD_TICKET_SCOPE_ALL;
  if (rd_user_has_role (user, RD_ROLE_AGENT))
    scope |= RD_TICKET_SCOPE_CREATED | RD_TICKET_SCOPE_ASSIGNED;
  if (rd_user_has_role (user, RD_ROLE_TECHNICIAN))
    scope |= RD_TICKET_SCOPE_ASSIGNED | RD_TICKET_SCOPE_GROUPS;

  return scope;
}

/**
 * rd_handler_tickets_can_see:
 * @created_by: (nullable): who created @ticket
 *
 * Whether @user sees (and so may edit) @ticket; also used for its evidence.
 */
gboolean
rd_handler_tickets_can_see (RdServer   *server,
                            RdUser     *user,
                            RdTicket   *ticket,
                            const char *created_by)
{
  RdTicketScope scope = scope_for (user);
  const char *username = rd_user_get_username (user);

  if (scope & RD_TICKET_SCOPE_ALL)
    return TRUE;
  if ((scope & RD_TICKET_SCOPE_CREATED) && g_strcmp0 (created_by, username) == 0)
    return TRUE;
  if ((scope & RD_TICKET_SCOPE_ASSIGNED) && g_strcmp0 (rd_ticket_get_assignee (ticket), username) == 0)
    return TRUE;
  if ((scope & RD_TICKET_SCOPE_GROUPS) && rd_ticket_get_group (ticket) != NULL)
    {
      g_auto(GStrv) groups = rd_group_store_get_user_groups (rd_server_get_group_store (server), username,
                                                             NULL);

      if (groups != NULL && g_strv_contains ((const char * const *) groups, rd_ticket_get_group (ticket)))
        return TRUE;
    }

  return FALSE;
}

static gboolean
get_number (RdRequest  *request,
            gint64     *number,
            GError    **error)
{
  const char *text = rd_request_get_param (request, "number");

  if (!rd_ticket_number_parse (text, number))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No ticket “%.32s”", text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_handler_tickets_get_visible:
 *
 * Returns: (transfer full): ticket @number if the user of @request may see
 *   it; otherwise %NULL with %RD_ERROR_NOT_FOUND or %RD_ERROR_FORBIDDEN
 */
RdTicket *
rd_handler_tickets_get_visible (RdServer       *server,
                                RdRequest      *request,
                                RdTicketStore  *tickets,
                                gint64          number,
                                GError        **error)
{
  g_autoptr(RdTicket) ticket = NULL;
  g_autofree char *created_by = NULL;

  ticket = rd_ticket_store_get (tickets, number, &created_by, error);
  if (ticket == NULL)
    return NULL;

  if (!rd_handler_tickets_can_see (server, rd_request_get_user (request), ticket, created_by))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_FORBIDDEN,
                   "Ticket %" G_GINT64_FORMAT " is not in your queue", number);
      return NULL;
    }

  return g_steal_pointer (&ticket);
}

/**
 * rd_handler_tickets_load_visible:
 * @number: (out): the number of the path
 *
 * Returns: (transfer full): the ticket of the path (`{number}`), if the user
 *   may see it
 */
RdTicket *
rd_handler_tickets_load_visible (RdServer       *server,
                                 RdRequest      *request,
                                 RdTicketStore  *tickets,
                                 gint64         *number,
                                 GError        **error)
{
  if (!get_number (request, number, error))
    return NULL;

  return rd_handler_tickets_get_visible (server, request, tickets, *number, error);
}

/* Applies the writable members of @body to @ticket; @creating requires a subject. */
static gboolean
apply_members (RdServer    *server,
               RdTicket    *ticket,
               JsonObject  *body,
               gboolean     creating,
               GError     **error)
{
  for (guint i = 0; server_members[i] != NULL; i++)
    {
      if (rd_json_has_member (body, server_members[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “%s” is set by the server%s", server_members[i],
                       g_str_equal (server_members[i], "state")
                         ? "; use POST " RD_API_PATH_TICKETS "/{number}/transition" : "");
          return FALSE;
        }
    }

  if (!rd_json_check_members (body, writable_members, error))
    return FALSE;

  if (creating && !rd_json_has_member (body, "subject"))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD, "Field “subject” is required");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    {
      const TextMember *m = &text_members[i];
      const char *value = NULL;

      if (!rd_json_has_member (body, m->member))
        continue;

      if (!rd_json_get_string (body, m->member, m->nullable ? RD_JSON_NULLABLE : RD_JSON_REQUIRED,
                               &value, error) ||
          !rd_check_text (m->member, value, m->max_length, error))
        return FALSE;

      /* an empty optional member is the same as null */
      if (m->nullable && value != NULL && value[0] == '\0')
        value = NULL;

      if (g_str_equal (m->member, "subject"))
        {
          g_autofree char *stripped = g_strstrip (g_strdup (value));

          if (stripped[0] == '\0')
            {
              g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                                   "Field “subject” must not be empty");
              return FALSE;
            }
        }

      if (g_str_equal (m->member, "assignee") && value != NULL)
        {
          g_autoptr(RdUser) assignee = NULL;

          if (rd_username_is_valid (value))
            assignee = rd_store_get_user (rd_server_get_store (server), value, NULL);
          if (assignee == NULL || !rd_user_get_active (assignee))
            {
              g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “assignee” names no active user “%.32s”", value);
              return FALSE;
            }
        }

      if (g_str_equal (m->member, "location_id") &&
          !rd_place_store_check_ref (rd_server_get_place_store (server), "location_id", "location",
                                     value, error))
        return FALSE;

      if (g_str_equal (m->member, "asset_id") &&
          !rd_place_store_check_ref (rd_server_get_place_store (server), "asset_id", "asset",
                                     value, error))
        return FALSE;

      if (g_str_equal (m->member, "group") && value != NULL)
        {
          g_autoptr(RdGroup) group = rd_group_store_get (rd_server_get_group_store (server), value,
                                                         NULL, NULL);

          if (group == NULL)
            {
              g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “group” names no group “%.64s”", value);
              return FALSE;
            }
        }

      if (g_str_equal (m->member, "requester_phone") && value != NULL)
        {
          g_autofree char *key = rd_ticket_store_make_phone_key (value);

          if (key == NULL)
            {
              g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                                   "Field “requester_phone” has no digits");
              return FALSE;
            }
        }

      m->set (ticket, value);
    }

  if (rd_json_has_member (body, "priority"))
    {
      const char *text = NULL;
      RdPriority priority;

      if (!rd_json_get_string (body, "priority", RD_JSON_REQUIRED, &text, error))
        return FALSE;
      if (!rd_priority_from_string (text, &priority))
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "Field “priority” must be one of low, normal, high, urgent");
          return FALSE;
        }
      rd_ticket_set_priority (ticket, priority);
    }

  if (rd_json_has_member (body, "active"))
    {
      gboolean active = TRUE;

      if (!rd_json_get_boolean (body, "active", RD_JSON_REQUIRED, &active, error))
        return FALSE;
      rd_ticket_set_active (ticket, active);
    }

  return TRUE;
}

static void
reply_ticket (RdRequest *request,
              RdTicket  *ticket,
              gboolean   created)
{
  if (created)
    {
      g_autofree char *location = g_strdup_printf (RD_API_PATH_TICKETS "/%s", rd_ticket_get_number (ticket));
      SoupServerMessage *msg = rd_request_get_message (request);

      if (msg != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Location", location);
    }

  rd_request_reply_codec (request, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, RD_CODEC (ticket));
}

/* A comma-separated list of enum nicks, or NULL when the parameter is absent. */
static gboolean
parse_nicks (RdRequest    *request,
             const char   *param,
             GType         enum_type,
             char       ***out,
             GError      **error)
{
  const char *text = rd_request_get_query (request, param);
  g_auto(GStrv) nicks = NULL;

  *out = NULL;
  if (text == NULL || text[0] == '\0')
    return TRUE;

  nicks = g_strsplit (text, ",", -1);
  for (guint i = 0; nicks[i] != NULL; i++)
    {
      int value;

      if (!rd_enum_from_string (enum_type, nicks[i], &value))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Parameter “%s” has an unknown value “%.32s”", param, nicks[i]);
          return FALSE;
        }
    }

  *out = g_steal_pointer (&nicks);
  return TRUE;
}

/* ?scope=mine|groups|all: which of the tickets the user sees to list; all is
 * for those who see every ticket */
static gboolean
parse_view (RdRequest      *request,
            RdTicketScope   scope,
            RdTicketScope  *view,
            GError        **error)
{
  const char *text = rd_check_query_text (request, "scope", 16, error);

  *view = 0;
  if (text == NULL)
    return error == NULL || *error == NULL;

  if (g_str_equal (text, "mine"))
    *view = RD_TICKET_SCOPE_ASSIGNED;
  else if (g_str_equal (text, "groups"))
    *view = RD_TICKET_SCOPE_ASSIGNED | RD_TICKET_SCOPE_GROUPS;
  else if (!g_str_equal (text, "all"))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Parameter “scope” must be mine, groups or all");
      return FALSE;
    }
  else if ((scope & RD_TICKET_SCOPE_ALL) == 0)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_FORBIDDEN,
                           "Only supervisors and admins list all tickets");
      return FALSE;
    }

  return TRUE;
}

/* GET /tickets */
static void
tickets_list (RdServer  *server,
              RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  g_auto(GStrv) states = NULL;
  g_auto(GStrv) priorities = NULL;
  g_autofree char *match = NULL;
  g_autofree char *phone_key = NULL;
  g_autoptr(GDateTime) since = NULL;
  RdUser *user = rd_request_get_user (request);
  RdTicketFilter filter = { 0 };
  const char *text;
  guint limit = 0;

  if (!rd_request_get_limit (request, &limit, &error) ||
      !parse_nicks (request, "state", RD_TYPE_TICKET_STATE, &states, &error) ||
      !parse_nicks (request, "priority", RD_TYPE_PRIORITY, &priorities, &error))
    goto fail;

  filter.states = (const char * const *) states;
  filter.priorities = (const char * const *) priorities;

  filter.area = rd_check_query_text (request, "area", RD_TICKET_MAX_SHORT, &error);
  if (error != NULL)
    goto fail;

  filter.assignee = rd_check_query_text (request, "assignee", RD_TICKET_MAX_ID, &error);
  if (error != NULL)
    goto fail;
  if (filter.assignee != NULL && !rd_username_is_valid (filter.assignee))
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Parameter “assignee” must be a username");
      goto fail;
    }

  text = rd_check_query_text (request, "q", RD_TICKET_MAX_SUBJECT, &error);
  if (error != NULL)
    goto fail;
  match = rd_ticket_store_make_match (text);
  filter.match = match;

  text = rd_check_query_text (request, "phone", RD_TICKET_MAX_PHONE, &error);
  if (error != NULL)
    goto fail;
  if (text != NULL && (phone_key = rd_ticket_store_make_phone_key (text)) == NULL)
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Parameter “phone” has no digits");
      goto fail;
    }
  filter.phone_key = phone_key;

  if (!rd_check_query_datetime (request, "since", &since, &error) ||
      !rd_check_cursor_id (request, &filter.before, &error))
    goto fail;
  filter.since = since;

  filter.group = rd_check_query_text (request, "group", RD_GROUP_MAX_NAME, &error);
  if (error != NULL)
    goto fail;

  filter.scope = scope_for (user);
  filter.username = rd_user_get_username (user);
  if (!parse_view (request, filter.scope, &filter.view, &error))
    goto fail;

  /* one more than asked, to know whether there is a next page */
  found = rd_ticket_store_list (tickets, &filter, limit + 1, &error);
  if (found == NULL)
    goto fail;

  rd_check_reply_page (request, found, limit, (RdCheckCursorFunc) rd_ticket_get_number);
  return;

fail:
  rd_request_reply_error (request, error);
}

/* POST /tickets */
static void
tickets_post (RdServer  *server,
              RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) draft = rd_ticket_new (NULL);
  g_autoptr(RdTicket) ticket = NULL;
  const char *username = rd_user_get_username (rd_request_get_user (request));

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !apply_members (server, draft, body, TRUE, &error) ||
      (ticket = rd_ticket_store_create (tickets, draft, username, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("ticket %s created by %s", rd_ticket_get_number (ticket), username);
  reply_ticket (request, ticket, TRUE);
}

/* GET /tickets/{number} */
static void
ticket_get (RdServer  *server,
            RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  gint64 number = 0;

  ticket = rd_handler_tickets_load_visible (server, request, tickets, &number, &error);
  if (ticket == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_ticket (request, ticket, FALSE);
}

/* PATCH /tickets/{number} */
static void
ticket_patch (RdServer  *server,
              RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) before = NULL;
  g_autoptr(RdTicket) after = NULL;
  const char *username = rd_user_get_username (rd_request_get_user (request));
  gint64 number = 0;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      (before = rd_handler_tickets_load_visible (server, request, tickets, &number, &error)) == NULL ||
      (after = rd_ticket_store_get (tickets, number, NULL, &error)) == NULL ||
      !apply_members (server, after, body, FALSE, &error) ||
      !rd_ticket_store_update (tickets, before, after, username, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_clear_object (&after);
  after = rd_ticket_store_get (tickets, number, NULL, &error);
  if (after == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_ticket (request, after, FALSE);
}

/* POST /tickets/{number}/transition */
static void
ticket_transition (RdServer  *server,
                   RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(RdTicket) moved = NULL;
  const char *username = rd_user_get_username (rd_request_get_user (request));
  const char *to_text = NULL;
  const char *note = NULL;
  RdTicketState to = RD_TICKET_STATE_OPEN;
  gint64 number = 0;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, transition_members, &error) ||
      !rd_json_get_string (body, "to", RD_JSON_REQUIRED, &to_text, &error) ||
      !rd_json_get_string (body, "note", RD_JSON_NULLABLE, &note, &error) ||
      !rd_check_text ("note", note, RD_TICKET_MAX_NOTE, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (!rd_ticket_state_from_string (to_text, &to))
    {
      rd_request_reply_error_literal (request, RD_ERROR_INVALID_FIELD,
                                      "Field “to” must be one of open, in_progress, resolved, "
                                      "closed, cancelled");
      return;
    }

  ticket = rd_handler_tickets_load_visible (server, request, tickets, &number, &error);
  if (ticket == NULL ||
      (moved = rd_ticket_store_transition (tickets, number, to, note, username, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("ticket %s moved to %s by %s", rd_ticket_get_number (moved), to_text, username);
  reply_ticket (request, moved, FALSE);
}

/* GET /tickets/{number}/history */
static void
ticket_history (RdServer  *server,
                RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  gint64 number = 0;

  ticket = rd_handler_tickets_load_visible (server, request, tickets, &number, &error);
  if (ticket == NULL ||
      (changes = rd_ticket_store_get_history (tickets, number, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      RdTicketChange *change = g_ptr_array_index (changes, i);

      json_builder_begin_object (builder);
      rd_json_builder_add_datetime (builder, "at", change->at);
      rd_json_builder_add_string (builder, "username", change->username);
      rd_json_builder_add_string (builder, "field", change->field);
      rd_json_builder_add_string (builder, "old_value", change->old_value);
      rd_json_builder_add_string (builder, "new_value", change->new_value);
      rd_json_builder_add_string (builder, "note", change->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, SOUP_STATUS_OK, node);
}

static void
reply_work_order (RdRequest   *request,
                  guint        status,
                  RdWorkOrder *order)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, order->number);
  RdTicket *f = order->fields;

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "number", number);
  rd_json_builder_add_string (builder, "ticket", rd_ticket_get_number (f));
  rd_json_builder_add_string (builder, "state", order->state);
  rd_json_builder_add_string (builder, "subject", rd_ticket_get_subject (f));
  rd_json_builder_add_string (builder, "description", rd_ticket_get_description (f));
  rd_json_builder_add_string (builder, "area", rd_ticket_get_area (f));
  rd_json_builder_add_string (builder, "priority", rd_priority_to_string (rd_ticket_get_priority (f)));
  rd_json_builder_add_string (builder, "category", rd_ticket_get_category (f));
  rd_json_builder_add_string (builder, "location_id", rd_ticket_get_location_id (f));
  rd_json_builder_add_string (builder, "asset_id", rd_ticket_get_asset_id (f));
  rd_json_builder_add_string (builder, "requester", rd_ticket_get_requester (f));
  rd_json_builder_add_string (builder, "requester_phone", rd_ticket_get_requester_phone (f));
  rd_json_builder_add_string (builder, "assignee", rd_ticket_get_assignee (f));
  rd_json_builder_add_string (builder, "group", rd_ticket_get_group (f));
  rd_json_builder_add_string (builder, "created_by", order->created_by);
  rd_json_builder_add_datetime (builder, "created_at", order->created_at);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, status, node);
}

/* POST /tickets/{number}/work-order */
static void
ticket_work_order_post (RdServer  *server,
                        RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(RdWorkOrder) order = NULL;
  const char *username = rd_user_get_username (rd_request_get_user (request));
  gint64 number = 0;

  ticket = rd_handler_tickets_load_visible (server, request, tickets, &number, &error);
  if (ticket == NULL ||
      (order = rd_work_order_store_create (rd_server_get_work_order_store (server), number, username,
                                           &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("ticket %s converted to work order %" G_GINT64_FORMAT " by %s", rd_ticket_get_number (ticket),
          order->number, username);
  reply_work_order (request, SOUP_STATUS_CREATED, order);
}

/* GET /tickets/{number}/work-order */
static void
ticket_work_order_get (RdServer  *server,
                       RdRequest *request)
{
  g_autoptr(RdTicketStore) tickets = ticket_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(RdWorkOrder) order = NULL;
  gint64 number = 0;

  ticket = rd_handler_tickets_load_visible (server, request, tickets, &number, &error);
  if (ticket == NULL ||
      (order = rd_work_order_store_get_for_ticket (rd_server_get_work_order_store (server), number,
                                                   &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_work_order (request, SOUP_STATUS_OK, order);
}

void
rd_handler_tickets_register (RdServer *server)
{
  rd_server_add_route (server, "GET", RD_API_PATH_TICKETS, RD_ROUTE_DEFAULT, any_role, tickets_list);
  rd_server_add_route (server, "POST", RD_API_PATH_TICKETS, RD_ROUTE_JSON_BODY, creators, tickets_post);
  rd_server_add_route (server, "GET", RD_API_PATH_TICKETS "/{number}", RD_ROUTE_DEFAULT, any_role,
                       ticket_get);
  rd_server_add_route (server, "PATCH", RD_API_PATH_TICKETS "/{number}", RD_ROUTE_JSON_BODY, any_role,
                       ticket_patch);
  rd_server_add_route (server, "POST", RD_API_PATH_TICKETS "/{number}/transition", RD_ROUTE_JSON_BODY,
                       any_role, ticket_transition);
  rd_server_add_route (server, "GET", RD_API_PATH_TICKETS "/{number}/history", RD_ROUTE_DEFAULT,
                       any_role, ticket_history);
  rd_server_add_route (server, "POST", RD_API_PATH_TICKETS "/{number}/work-order", RD_ROUTE_DEFAULT,
                       work_order_makers, ticket_work_order_post);
  rd_server_add_route (server, "GET", RD_API_PATH_TICKETS "/{number}/work-order", RD_ROUTE_DEFAULT,
                       any_role, ticket_work_order_get);
}
