/* rd-handler-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /api/v1/session (sign in), DELETE /api/v1/session (sign out) and
 * GET /api/v1/me.
 *
 * Sign-in is throttled: failures are counted per username and per client
 * address in a sliding window (RdThrottle, limits from [auth]); while either
 * is over its limit the answer is 429 `rate_limited` with Retry-After, before
 * the password is even checked. Each attempt counts as a failure from the
 * start, so parallel guesses cannot all pass the check while the hashes run;
 * a success takes its count back, and forgets the username's earlier
 * failures, not the address's (an attacker's own account must not reset
 * them).
 */

#define G_LOG_DOMAIN "RdHandlerSession"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"

static const char * const session_members[] = { "username", "password", NULL };

typedef struct
{
  RdRequest *request;
  RdServer  *server;
  char      *user_key;      /* NULL for an invalid username */
  char      *address_key;   /* NULL when the address is unknown */
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->request);
  g_clear_object (&sign_in->server);
  g_free (sign_in->user_key);
  g_free (sign_in->address_key);
  g_free (sign_in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

/* Answers 429 when @key of @throttle is blocked. */
static gboolean
check_throttle (RdThrottle *throttle,
                const char *key,
                RdRequest  *request)
{
  SoupServerMessage *msg = rd_request_get_message (request);
  guint retry_after = 0;
  char value[16];

  if (key == NULL || rd_throttle_check (throttle, key, g_get_monotonic_time (), &retry_after))
    return TRUE;

  g_snprintf (value, sizeof value, "%u", retry_after);
  if (msg != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", value);
  rd_request_reply_error_literal (request, RD_ERROR_RATE_LIMITED,
                                  "Too many failed sign-ins; try again later");
  return FALSE;
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  RdRequest *request = sign_in->request;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;

  user = rd_auth_sign_in_finish (RD_AUTH (source), result, &token, &error);
  if (user == NULL && g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED))
    {
      /* a failed guess: it stays counted */
      rd_request_reply_error (request, error);
      return;
    }

  /* not a guess that failed: take the attempt back */
  if (sign_in->user_key != NULL)
    rd_throttle_forgive (rd_server_get_user_throttle (sign_in->server), sign_in->user_key);
  if (sign_in->address_key != NULL)
    rd_throttle_forgive (rd_server_get_address_throttle (sign_in->server), sign_in->address_key);

  if (user == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (sign_in->user_key != NULL)
    rd_throttle_reset (rd_server_get_user_throttle (sign_in->server), sign_in->user_key);

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
  SoupServerMessage *msg = rd_request_get_message (request);
  const char *username = NULL;
  const char *password = NULL;
  const char *address = NULL;
  SignIn *sign_in;
  gint64 now;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, session_members, &error) ||
      !rd_json_get_string (body, "username", RD_JSON_REQUIRED, &username, &error) ||
      !rd_json_get_string (body, "password", RD_JSON_REQUIRED, &password, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->request = g_object_ref (request);
  sign_in->server = g_object_ref (server);
  /* only real usernames get a key, so junk cannot fill the table */
  if (rd_username_is_valid (username))
    sign_in->user_key = g_strdup (username);
  if (msg != NULL)
    address = soup_server_message_get_remote_host (msg);
  if (address != NULL)
    sign_in->address_key = g_strdup (address);

  if (!check_throttle (rd_server_get_user_throttle (server), sign_in->user_key, request) ||
      !check_throttle (rd_server_get_address_throttle (server), sign_in->address_key, request))
    {
      sign_in_free (sign_in);
      return;
    }

  /* counted until it succeeds */
  now = g_get_monotonic_time ();
  if (sign_in->user_key != NULL)
    rd_throttle_add_failure (rd_server_get_user_throttle (server), sign_in->user_key, now);
  if (sign_in->address_key != NULL)
    rd_throttle_add_failure (rd_server_get_address_throttle (server), sign_in->address_key, now);

  rd_request_pause (request);
  rd_auth_sign_in_async (rd_server_get_auth (server), username, password, NULL,
                         sign_in_cb, sign_in);
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

  rd_server_token_revoked (server, rd_request_get_token (request));

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
