/* rd-handler-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /api/v1/session (sign in), DELETE /api/v1/session (sign out) and
 * GET /api/v1/me.
 */

#define G_LOG_DOMAIN "RdHandlerSession"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"

static const char * const session_members[] = { "username", "password", NULL };

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RdRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;

  user = rd_auth_sign_in_finish (RD_AUTH (source), result, &token, &error);
  if (user == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  rd_request_set_auth (request, user, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "token", token);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, rd_codec_to_node (RD_CODEC (user)));
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, SOUP_STATUS_OK, node);
}

static void
session_post (RdServer  *server,
              RdRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *username = NULL;
  const char *password = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, session_members, &error) ||
      !rd_json_get_string (body, "username", RD_JSON_REQUIRED, &username, &error) ||
      !rd_json_get_string (body, "password", RD_JSON_REQUIRED, &password, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  rd_request_pause (request);
  rd_auth_sign_in_async (rd_server_get_auth (server), username, password, NULL,
                         sign_in_cb, g_object_ref (request));
}

static void
session_delete (RdServer  *server,
                RdRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!rd_auth_sign_out (rd_server_get_auth (server), rd_request_get_token (request), &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  rd_request_reply_empty (request, SOUP_STATUS_NO_CONTENT);
}

/* the user, with the "absent" flag of PATCH /me (rd-handler-groups.c) */
static void
me_get (RdServer  *server,
        RdRequest *request)
{
  RdUser *user = rd_request_get_user (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean absent = FALSE;

  if (!rd_group_store_get_absent (rd_server_get_group_store (server), rd_user_get_username (user),
                                  &absent, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  node = rd_check_user_to_node (user, absent);
  rd_request_reply_json (request, SOUP_STATUS_OK, node);
}

void
rd_handler_session_register (RdServer *server)
{
  rd_server_add_route (server, "POST", RD_API_PATH_SESSION,
                       RD_ROUTE_PUBLIC | RD_ROUTE_JSON_BODY, NULL, session_post);
  rd_server_add_route (server, "DELETE", RD_API_PATH_SESSION, RD_ROUTE_DEFAULT, NULL, session_delete);
  rd_server_add_route (server, "GET", RD_API_PATH_ME, RD_ROUTE_DEFAULT, NULL, me_get);
}
