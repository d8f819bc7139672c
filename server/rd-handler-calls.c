/* rd-handler-calls.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|POST /api/v1/calls, GET /api/v1/calls/{id},
 * POST /api/v1/calls/{id}/tickets and GET /api/v1/calls/log.txt.
 *
 * Who sees what: supervisors and admins every call; agents and technicians
 * the calls that rang their own extension (a user without an extension sees
 * none). Click-to-dial: supervisors and admins from any extension, everyone
 * else from their own. The hop log is for supervisors and admins.
 */

#define G_LOG_DOMAIN "RdHandlerCalls"

#include "config.h"

#include "rd-api.h"
#include "rd-call-engine.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-hop-log.h"
#include "rd-json.h"
#include "rd-phone.h"
#include "rd-ticket-store.h"

static const char * const any_role[] = {
  RD_ROLE_AGENT, RD_ROLE_TECHNICIAN, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const creators[] = {
  RD_ROLE_AGENT, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const overseers[] = {
  RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const dial_members[] = { "from_extension", "to", NULL };
static const char * const bind_members[] = { "number", "create", NULL };

/* what {"create":{…}} takes: the members a ticket opened from a call needs */
typedef struct
{
  const char  *member;
  guint        max_length;
  void       (*set) (RdTicket *ticket, const char *value);
} CreateMember;

static const CreateMember create_members[] = {
  { "subject",         RD_TICKET_MAX_SUBJECT,     rd_ticket_set_subject },
  { "description",     RD_TICKET_MAX_DESCRIPTION, rd_ticket_set_description },
  { "area",            RD_TICKET_MAX_SHORT,       rd_ticket_set_area },
  { "category",        RD_TICKET_MAX_SHORT,       rd_ticket_set_category },
  { "requester",       RD_TICKET_MAX_SUBJECT,     rd_ticket_set_requester },
  { "requester_phone", RD_TICKET_MAX_PHONE,       rd_ticket_set_requester_phone },
};

static const char * const create_allowed[] = {
  "subject", "description", "area", "category", "requester", "requester_phone", "priority", NULL
};

#define MAX_NUMBER_LENGTH 32

static gboolean
sees_all (RdUser *user)
{
  return rd_user_has_role (user, RD_ROLE_SUPERVISOR) || rd_user_has_role (user, RD_ROLE_ADMIN);
}

static RdCallEngine *
get_engine (RdServer  *server,
            GError   **error)
{
  RdCallEngine *engine = rd_server_get_call_engine (server);

  if (engine == NULL)
    g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "The call engine is not running");

  return engine;
}

static RdTicketStore *
ticket_store_for (RdServer *server)
{
  return g_object_ref (rd_server_get_ticket_store (server));
}

/* The call of the path, if the user may see it. */
static RdCall *
load_visible (RdServer   *server,
              RdRequest  *request,
              GError    **error)
{
  RdCallEngine *engine = get_engine (server, error);
  RdUser *user = rd_request_get_user (request);
  g_autoptr(RdCall) call = NULL;

  if (engine == NULL)
    return NULL;

  call = rd_call_store_get (rd_call_engine_get_call_store (engine), rd_request_get_param (request, "id"),
                            error);
  if (call == NULL)
    return NULL;

  if (!sees_all (user) && !rd_call_store_rang_at (call, rd_user_get_extension (user)))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_FORBIDDEN, "Call %s did not ring your extension",
                   rd_call_get_id (call));
      return NULL;
    }

  return g_steal_pointer (&call);
}

/* GET /calls */
static void
calls_list (RdServer  *server,
            RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *phone_key = NULL;
  RdCallEngine *engine;
  RdUser *user = rd_request_get_user (request);
  RdCallFilter filter = { 0 };
  const char *text;
  guint limit = 0;

  if ((engine = get_engine (server, &error)) == NULL ||
      !rd_request_get_limit (request, &limit, &error) ||
      !rd_check_query_datetime (request, "since", &since, &error))
    goto fail;
  filter.since = since;

  filter.extension = rd_check_query_text (request, "extension", 16, &error);
  if (error != NULL)
    goto fail;
  if (filter.extension != NULL && !rd_extension_is_valid (filter.extension))
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Parameter “extension” must be an extension");
      goto fail;
    }

  text = rd_check_query_text (request, "phone", MAX_NUMBER_LENGTH, &error);
  if (error != NULL)
    goto fail;
  if (text != NULL && (phone_key = rd_ticket_store_make_phone_key (text)) == NULL)
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Parameter “phone” has no digits");
      goto fail;
    }
  filter.phone_key = phone_key;

  if (!rd_check_cursor_id (request, &filter.before, &error))
    goto fail;

  if (!sees_all (user))
    {
      filter.restricted = TRUE;
      filter.visible_to = rd_user_get_extension (user);
    }

  /* one more than asked, to know whether there is a next page */
  found = rd_call_store_list (rd_call_engine_get_call_store (engine), &filter, limit + 1, &error);
  if (found == NULL)
    goto fail;

  rd_check_reply_page (request, found, limit, (RdCheckCursorFunc) rd_call_get_id);
  return;

fail:
  rd_request_reply_error (request, error);
}

/* GET /calls/{id} */
static void
call_get (RdServer  *server,
          RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCall) call = load_visible (server, request, &error);

  if (call == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  rd_request_reply_codec (request, SOUP_STATUS_OK, RD_CODEC (call));
}

/* GET /calls/log.txt?date=YYYY-MM-DD */
static void
call_log (RdServer  *server,
          RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  RdCallEngine *engine = get_engine (server, &error);
  const char *date = rd_request_get_query (request, "date");

  if (engine == NULL)
    goto fail;

  if (date == NULL || date[0] == '\0')
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_MISSING_FIELD, "Parameter “date” is required");
      goto fail;
    }

  text = rd_hop_log_read_day (rd_call_engine_get_hop_log (engine), date, &error);
  if (text == NULL)
    goto fail;

  rd_request_reply_text (request, SOUP_STATUS_OK, "text/plain; charset=utf-8", text);
  return;

fail:
  rd_request_reply_error (request, error);
}

static gboolean
number_is_dialable (const char *to)
{
  g_autofree char *digits = rd_ticket_store_make_phone_key (to);

  if (digits == NULL || strlen (to) > MAX_NUMBER_LENGTH)
    return FALSE;

  for (const char *p = to; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) && strchr ("+*# -()", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
dialled_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RdRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rd_call_engine_make_call_finish (RD_CALL_ENGINE (source), result, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  if (error != NULL)
    {
      /* the link's own failures mean the PBX did not take it */
      if (error->domain != RD_ERROR)
        {
          g_autoptr(GError) wrapped = g_error_new (RD_ERROR, RD_ERROR_UNAVAILABLE,
                                                   "The PBX did not make the call: %s", error->message);
          rd_request_reply_error (request, wrapped);
          return;
        }
      rd_request_reply_error (request, error);
      return;
    }

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "status", "dialling");
  rd_json_builder_add_string (builder, "link_call_id", id);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, SOUP_STATUS_ACCEPTED, node);
}

/* POST /calls {"from_extension":"201","to":"0612345678"} */
static void
calls_post (RdServer  *server,
            RdRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  RdUser *user = rd_request_get_user (request);
  RdCallEngine *engine;
  const char *from = NULL;
  const char *to = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, dial_members, &error) ||
      !rd_json_get_string (body, "from_extension", RD_JSON_REQUIRED, &from, &error) ||
      !rd_json_get_string (body, "to", RD_JSON_REQUIRED, &to, &error))
    goto fail;

  if (!rd_extension_is_valid (from))
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “from_extension” must be an extension");
      goto fail;
    }
  if (!number_is_dialable (to))
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “to” must be a phone number");
      goto fail;
    }
  if (!sees_all (user) && g_strcmp0 (rd_user_get_extension (user), from) != 0)
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_FORBIDDEN, "You may only dial from your own extension");
      goto fail;
    }

  if ((engine = get_engine (server, &error)) == NULL)
    goto fail;
  if (!rd_call_engine_can_make_call (engine))
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_UNAVAILABLE, "No connected PBX link can make calls");
      goto fail;
    }

  g_info ("click-to-dial from %s by %s", from, rd_user_get_username (user));
  rd_request_pause (request);
  rd_call_engine_make_call_async (engine, from, to, NULL, dialled_cb, g_object_ref (request));
  return;

fail:
  rd_request_reply_error (request, error);
}

static gboolean
read_draft (JsonObject  *create,
            RdCall      *call,
            RdTicket    *draft,
            GError     **error)
{
  g_autofree char *key = NULL;
  const char *text = NULL;
  const char *number;

  if (!rd_json_check_members (create, create_allowed, error))
    return FALSE;

  if (!rd_json_has_member (create, "subject"))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD, "Field “create.subject” is required");
      return FALSE;
    }

  /* from the call unless the body says otherwise */
  number = rd_call_get_direction (call) == RD_CALL_DIRECTION_OUT ? rd_call_get_to (call) : rd_call_get_from (call);
  key = rd_ticket_store_make_phone_key (number);
  if (key != NULL && strlen (number) <= RD_TICKET_MAX_PHONE)
    rd_ticket_set_requester_phone (draft, number);
  if (rd_call_get_customer (call) != NULL && rd_customer_get_name (rd_call_get_customer (call)) != NULL)
    rd_ticket_set_requester (draft, rd_customer_get_name (rd_call_get_customer (call)));
  else
    rd_ticket_set_requester (draft, number);

  for (guint i = 0; i < G_N_ELEMENTS (create_members); i++)
    {
      const CreateMember *m = &create_members[i];

      if (!rd_json_has_member (create, m->member))
        continue;
      if (!rd_json_get_string (create, m->member, RD_JSON_REQUIRED, &text, error))
        {
          g_prefix_error (error, "Field “create”: ");
          return FALSE;
        }
      if (g_utf8_strlen (text, -1) > (glong) m->max_length)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “create.%s” is longer than %u characters", m->member, m->max_length);
          return FALSE;
        }
      for (const char *p = text; *p != '\0'; p++)
        {
          /* control characters but tab and line breaks never belong in a ticket */
          if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            {
              g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “create.%s” contains a control character", m->member);
              return FALSE;
            }
        }
      m->set (draft, text);
    }

  {
    g_autofree char *subject = g_strstrip (g_strdup (rd_ticket_get_subject (draft)));

    if (subject[0] == '\0')
      {
        g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Field “create.subject” must not be empty");
        return FALSE;
      }
  }

  if (rd_json_has_member (create, "priority"))
    {
      RdPriority priority;

      if (!rd_json_get_string (create, "priority", RD_JSON_REQUIRED, &text, error))
        return FALSE;
      if (!rd_priority_from_string (text, &priority))
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "Field “create.priority” must be one of low, normal, high, urgent");
          return FALSE;
        }
      rd_ticket_set_priority (draft, priority);
    }

  return TRUE;
}

/* POST /calls/{id}/tickets {"number":"1234"} or {"create":{…}} */
static void
call_tickets_post (RdServer  *server,
                   RdRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCall) call = NULL;
  g_autoptr(RdCall) bound = NULL;
  g_autoptr(RdTicketStore) tickets = ticket_store_for (server);
  JsonObject *create = NULL;
  const char *number_text = NULL;
  RdCallEngine *engine;
  gint64 number = 0;
  gboolean created = FALSE;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, bind_members, &error) ||
      !rd_json_get_string (body, "number", RD_JSON_OPTIONAL, &number_text, &error) ||
      !rd_json_get_object (body, "create", RD_JSON_OPTIONAL, &create, &error))
    goto fail;

  if ((number_text == NULL) == (create == NULL))
    {
      g_set_error_literal (&error, RD_ERROR, RD_ERROR_MISSING_FIELD,
                           "Give exactly one of “number” and “create”");
      goto fail;
    }

  if ((engine = get_engine (server, &error)) == NULL ||
      (call = load_visible (server, request, &error)) == NULL)
    goto fail;

  if (number_text != NULL)
    {
      g_autoptr(RdTicket) ticket = NULL;

      if (!rd_ticket_number_parse (number_text, &number))
        {
          g_set_error (&error, RD_ERROR, RD_ERROR_NOT_FOUND, "No ticket “%.32s”", number_text);
          goto fail;
        }
      ticket = rd_ticket_store_get (tickets, number, NULL, &error);
      if (ticket == NULL)
        goto fail;
    }
  else
    {
      g_autoptr(RdTicket) draft = rd_ticket_new (NULL);
      g_autoptr(RdTicket) ticket = NULL;
      const char *username = rd_user_get_username (rd_request_get_user (request));

      if (!read_draft (create, call, draft, &error) ||
          (ticket = rd_ticket_store_create (tickets, draft, username, &error)) == NULL ||
          !rd_ticket_number_parse (rd_ticket_get_number (ticket), &number))
        goto fail;
      created = TRUE;
      g_info ("ticket %s created from call %s by %s", rd_ticket_get_number (ticket),
              rd_call_get_id (call), username);
    }

  bound = rd_call_engine_bind_ticket (engine, rd_call_get_id (call), number, &error);
  if (bound == NULL)
    goto fail;

  rd_request_reply_codec (request, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, RD_CODEC (bound));
  return;

fail:
  rd_request_reply_error (request, error);
}

void
rd_handler_calls_register (RdServer *server)
{
  /* log.txt before {id}: the first matching route wins */
  rd_server_add_route (server, "GET", RD_API_PATH_CALL_LOG, RD_ROUTE_DEFAULT, overseers, call_log);
  rd_server_add_route (server, "GET", RD_API_PATH_CALLS, RD_ROUTE_DEFAULT, any_role, calls_list);
  rd_server_add_route (server, "POST", RD_API_PATH_CALLS, RD_ROUTE_JSON_BODY, any_role, calls_post);
  rd_server_add_route (server, "GET", RD_API_PATH_CALLS "/{id}", RD_ROUTE_DEFAULT, any_role, call_get);
  rd_server_add_route (server, "POST", RD_API_PATH_CALLS "/{id}/tickets", RD_ROUTE_JSON_BODY, creators,
                       call_tickets_post);
}
