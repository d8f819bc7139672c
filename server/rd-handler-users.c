/* rd-handler-users.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|POST /api/v1/users and GET|PATCH /api/v1/users/{username}, for admins.
 * POST and PATCH take a "password" that is hashed in a worker thread and never
 * returned. Deactivating a user or changing the password ends their sessions.
 * User objects carry "absent" (rd-group-store.c), which PATCH sets.
 */

#define G_LOG_DOMAIN "RdHandlerUsers"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"

static const char * const admin_only[] = { RD_ROLE_ADMIN, NULL };

static const char * const patch_members[] = {
  "username", "display_name", "roles", "extension", "mobile", "active", "password", "absent", NULL
};

typedef struct
{
  RdServer  *server;
  RdRequest *request;
  RdUser    *user;
  gboolean   created;
  int        absent;  /* -1: unchanged */
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->server);
  g_clear_object (&pending->request);
  g_clear_object (&pending->user);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static Pending *
pending_new (RdServer  *server,
             RdRequest *request,
             RdUser    *user,
             gboolean   created)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->server = g_object_ref (server);
  pending->request = g_object_ref (request);
  pending->user = g_object_ref (user);
  pending->created = created;
  pending->absent = -1;

  return pending;
}

static gboolean
check_roles (const char * const  *roles,
             GError             **error)
{
  if (roles == NULL || roles[0] == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “roles” must name at least one role");
      return FALSE;
    }

  for (guint i = 0; roles[i] != NULL; i++)
    {
      if (!rd_role_is_valid (roles[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “roles” has an unknown role “%.32s”", roles[i]);
          return FALSE;
        }
    }

  return TRUE;
}

static void
reply_user (RdServer  *server,
            RdRequest *request,
            RdUser    *user,
            gboolean   created)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean absent = FALSE;

  if (created)
    {
      g_autofree char *escaped = g_uri_escape_string (rd_user_get_username (user), NULL, FALSE);
      g_autofree char *location = g_strdup_printf (RD_API_PATH_USERS "/%s", escaped);
      SoupServerMessage *msg = rd_request_get_message (request);

      if (msg != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Location", location);
    }

  if (!rd_group_store_get_absent (rd_server_get_group_store (server), rd_user_get_username (user),
                                  &absent, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  node = rd_check_user_to_node (user, absent);
  rd_request_reply_json (request, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, node);
}

/* GET /users */
static void
users_list (RdServer  *server,
            RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) users = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(RdUser) last = NULL;
  const char *cursor = rd_request_get_query (request, "cursor");
  guint limit = 0;
  guint n;

  if (!rd_request_get_limit (request, &limit, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (cursor != NULL && cursor[0] != '\0' && !rd_username_is_valid (cursor))
    {
      rd_request_reply_error_literal (request, RD_ERROR_INVALID_FIELD, "Parameter “cursor” is not valid");
      return;
    }

  /* one more than asked, to know whether there is a next page */
  users = rd_store_list_users (rd_server_get_store (server), cursor, limit + 1, &error);
  if (users == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  n = MIN (g_list_model_get_n_items (users), limit);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdUser) user = g_list_model_get_item (users, i);
      gboolean absent = FALSE;

      if (!rd_group_store_get_absent (rd_server_get_group_store (server), rd_user_get_username (user),
                                      &absent, &error))
        {
          rd_request_reply_error (request, error);
          return;
        }
      json_array_add_element (items, rd_check_user_to_node (user, absent));
    }

  if (g_list_model_get_n_items (users) > limit && n > 0)
    last = g_list_model_get_item (users, n - 1);

  rd_check_reply_items (request, json_node_init_array (json_node_alloc (), items),
                        last != NULL ? rd_user_get_username (last) : NULL);
}

static void
users_post_hashed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  RdServer *server = pending->server;

  hash = rd_auth_hash_password_finish (result, &error);
  if (hash == NULL ||
      !rd_store_add_user (rd_server_get_store (server), pending->user, hash, &error))
    {
      rd_request_reply_error (pending->request, error);
      return;
    }

  g_info ("user %s created by %s", rd_user_get_username (pending->user),
          rd_user_get_username (rd_request_get_user (pending->request)));
  reply_user (server, pending->request, pending->user, TRUE);
}

/* POST /users */
static void
users_post (RdServer  *server,
            RdRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  g_autoptr(RdUser) existing = NULL;
  const char *password = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      (user = rd_codec_new_from_json_full (RD_TYPE_USER, body, RD_CODEC_STRICT, &error)) == NULL ||
      !rd_json_get_string (body, "password", RD_JSON_REQUIRED, &password, &error) ||
      !rd_auth_check_password_rules (password, &error) ||
      !check_roles (rd_user_get_roles (user), &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  /* fail fast on a duplicate; the insert checks again */
  existing = rd_store_get_user (rd_server_get_store (server), rd_user_get_username (user), NULL);
  if (existing != NULL)
    {
      g_autofree char *message = g_strdup_printf ("A user named “%s” already exists",
                                                  rd_user_get_username (user));
      rd_request_reply_error_literal (request, RD_ERROR_CONFLICT, message);
      return;
    }

  rd_request_pause (request);
  rd_auth_hash_password_async (password, NULL, users_post_hashed_cb,
                               pending_new (server, request, user, TRUE));
}

/* GET /users/{username} */
static void
user_get (RdServer  *server,
          RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;

  user = rd_store_get_user (rd_server_get_store (server), rd_request_get_param (request, "username"),
                            &error);
  if (user == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_user (server, request, user, FALSE);
}

static gboolean
save_user (RdServer     *server,
           RdUser       *user,
           const char   *hash,
           int           absent,
           GError      **error)
{
  RdStore *store = rd_server_get_store (server);

  if (!rd_store_update_user (store, user, hash, error))
    return FALSE;

  if (absent >= 0 &&
      !rd_group_store_set_absent (rd_server_get_group_store (server), rd_user_get_username (user),
                                  absent != 0, error))
    return FALSE;

  /* a new password or a deactivation ends every session of the user */
  if ((hash != NULL || !rd_user_get_active (user)) &&
      !rd_store_delete_user_tokens (store, rd_user_get_username (user), error))
    return FALSE;

  return TRUE;
}

static void
user_patch_hashed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  RdServer *server = pending->server;

  hash = rd_auth_hash_password_finish (result, &error);
  if (hash == NULL || !save_user (server, pending->user, hash, pending->absent, &error))
    {
      rd_request_reply_error (pending->request, error);
      return;
    }

  reply_user (server, pending->request, pending->user, FALSE);
}

static gboolean
apply_patch (RdUser      *user,
             JsonObject  *body,
             GError     **error)
{
  const char *username = NULL;
  const char *text = NULL;
  gboolean active = TRUE;

  if (!rd_json_check_members (body, patch_members, error) ||
      !rd_json_get_string (body, "username", RD_JSON_OPTIONAL, &username, error))
    return FALSE;

  if (username != NULL && !g_str_equal (username, rd_user_get_username (user)))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “username” cannot be changed");
      return FALSE;
    }

  if (rd_json_has_member (body, "display_name"))
    {
      text = NULL;
      if (!rd_json_get_string (body, "display_name", RD_JSON_NULLABLE, &text, error))
        return FALSE;
      rd_user_set_display_name (user, text);
    }

  if (rd_json_has_member (body, "roles"))
    {
      g_auto(GStrv) roles = NULL;

      if (!rd_json_dup_strv (body, "roles", RD_JSON_REQUIRED, &roles, error) ||
          !check_roles ((const char * const *) roles, error))
        return FALSE;
      rd_user_set_roles (user, (const char * const *) roles);
    }

  if (rd_json_has_member (body, "extension"))
    {
      text = NULL;
      if (!rd_json_get_string (body, "extension", RD_JSON_NULLABLE, &text, error))
        return FALSE;
      rd_user_set_extension (user, text);
    }

  if (rd_json_has_member (body, "mobile"))
    {
      text = NULL;
      if (!rd_json_get_string (body, "mobile", RD_JSON_NULLABLE, &text, error))
        return FALSE;
      rd_user_set_mobile (user, text);
    }

  if (rd_json_has_member (body, "active"))
    {
      if (!rd_json_get_boolean (body, "active", RD_JSON_REQUIRED, &active, error))
        return FALSE;
      rd_user_set_active (user, active);
    }

  return TRUE;
}

/* PATCH /users/{username} */
static void
user_patch (RdServer  *server,
            RdRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = NULL;
  Pending *pending;
  const char *password = NULL;
  gboolean absent = FALSE;
  int absent_change = -1;

  body = rd_request_read_json (request, &error);
  if (body == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (rd_json_has_member (body, "absent"))
    {
      if (!rd_json_get_boolean (body, "absent", RD_JSON_REQUIRED, &absent, &error))
        {
          rd_request_reply_error (request, error);
          return;
        }
      absent_change = absent ? 1 : 0;
    }

  user = rd_store_get_user (rd_server_get_store (server), rd_request_get_param (request, "username"),
                            &error);
  if (user == NULL ||
      !apply_patch (user, body, &error) ||
      !rd_json_get_string (body, "password", RD_JSON_OPTIONAL, &password, &error) ||
      (password != NULL && !rd_auth_check_password_rules (password, &error)))
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (password == NULL)
    {
      if (!save_user (server, user, NULL, absent_change, &error))
        rd_request_reply_error (request, error);
      else
        reply_user (server, request, user, FALSE);
      return;
    }

  rd_request_pause (request);
  pending = pending_new (server, request, user, FALSE);
  pending->absent = absent_change;
  rd_auth_hash_password_async (password, NULL, user_patch_hashed_cb, pending);
}

void
rd_handler_users_register (RdServer *server)
{
  rd_server_add_route (server, "GET", RD_API_PATH_USERS, RD_ROUTE_DEFAULT, admin_only, users_list);
  rd_server_add_route (server, "POST", RD_API_PATH_USERS, RD_ROUTE_JSON_BODY, admin_only, users_post);
  rd_server_add_route (server, "GET", RD_API_PATH_USERS "/{username}", RD_ROUTE_DEFAULT, admin_only,
                       user_get);
  rd_server_add_route (server, "PATCH", RD_API_PATH_USERS "/{username}", RD_ROUTE_JSON_BODY, admin_only,
                       user_patch);
}
