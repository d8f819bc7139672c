/* rd-handler-groups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|POST /api/v1/groups, GET|PATCH /api/v1/groups/{name}: everyone signed
 * in reads, admins write. The group object of API.md gains two rule lists,
 * "categories" and "locations" (location ids), that auto-assignment matches
 * after the areas (rd-assigner.c).
 *
 * PATCH /api/v1/me {"absent":true|false}: users mark themselves absent (or
 * back); absent members are skipped by auto-assignment.
 */

#define G_LOG_DOMAIN "RdHandlerGroups"

#include "config.h"

#include <string.h>

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"
#include "rd-ticket-store.h"

static const char * const admin_only[] = { RD_ROLE_ADMIN, NULL };

static const char * const group_members[] = {
  "name", "description", "members", "areas", "strategy", "categories", "locations", NULL
};

static const char * const me_members[] = { "absent", NULL };

#define MAX_DESCRIPTION 2000
#define MAX_MEMBERS     200

static void
group_to_json (JsonBuilder        *builder,
               RdGroup            *group,
               const RdGroupRules *rules)
{
  json_builder_begin_object (builder);
  rd_codec_to_json (RD_CODEC (group), builder);
  rd_json_builder_add_strv (builder, "categories", (const char * const *) rules->categories);
  rd_json_builder_add_strv (builder, "locations", (const char * const *) rules->locations);
  json_builder_end_object (builder);
}

static JsonNode *
group_to_node (RdGroup            *group,
               const RdGroupRules *rules)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  group_to_json (builder, group, rules);
  return json_builder_get_root (builder);
}

/* Reads a whole group object (a POST body, or the stored group with a PATCH
 * laid over it) and checks it. */
static RdGroup *
read_group (RdServer      *server,
            JsonObject    *object,
            RdGroupRules  *rules,
            GError       **error)
{
  g_autoptr(RdGroup) group = NULL;
  g_autofree char *stripped = NULL;

  if (!rd_json_check_members (object, group_members, error) ||
      (group = rd_codec_new_from_json_full (RD_TYPE_GROUP, object, RD_CODEC_NONE, error)) == NULL ||
      !rd_json_dup_strv (object, "categories", RD_JSON_OPTIONAL, &rules->categories, error) ||
      !rd_json_dup_strv (object, "locations", RD_JSON_OPTIONAL, &rules->locations, error) ||
      !rd_check_text ("name", rd_group_get_name (group), RD_GROUP_MAX_NAME, error) ||
      !rd_check_text ("description", rd_group_get_description (group), MAX_DESCRIPTION, error) ||
      !rd_check_strv ("members", rd_group_get_members (group), MAX_MEMBERS, RD_TICKET_MAX_ID, error) ||
      !rd_check_strv ("areas", rd_group_get_areas (group), RD_GROUP_MAX_RULES, RD_TICKET_MAX_SHORT, error) ||
      !rd_check_strv ("categories", (const char * const *) rules->categories, RD_GROUP_MAX_RULES,
                      RD_TICKET_MAX_SHORT, error) ||
      !rd_check_strv ("locations", (const char * const *) rules->locations, RD_GROUP_MAX_RULES,
                      RD_TICKET_MAX_ID, error))
    return NULL;

  stripped = g_strstrip (g_strdup (rd_group_get_name (group)));
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Field “name” must not be blank");
      return NULL;
    }

  /* the name is a path segment of /groups/{name} */
  if (strchr (rd_group_get_name (group), '/') != NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Field “name” must not contain “/”");
      return NULL;
    }

  for (guint i = 0; rules->categories != NULL && rules->categories[i] != NULL; i++)
    {
      if (rules->categories[i][0] == '\0')
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "Field “categories” must not hold an empty category");
          return NULL;
        }
    }

  for (guint i = 0; rules->locations != NULL && rules->locations[i] != NULL; i++)
    {
      if (!rd_place_store_check_ref (rd_server_get_place_store (server), "locations", "location",
                                     rules->locations[i], error))
        return NULL;
    }

  return g_steal_pointer (&group);
}

static void
reply_group (RdRequest          *request,
             guint               status,
             RdGroup            *group,
             const RdGroupRules *rules)
{
  g_autoptr(JsonNode) node = group_to_node (group, rules);

  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *escaped = g_uri_escape_string (rd_group_get_name (group), NULL, FALSE);
      g_autofree char *location = g_strdup_printf (RD_API_PATH_GROUPS "/%s", escaped);
      SoupServerMessage *msg = rd_request_get_message (request);

      if (msg != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Location", location);
    }

  rd_request_reply_json (request, status, node);
}

/* GET /groups */
static void
groups_list (RdServer  *server,
             RdRequest *request)
{
  RdGroupStore *groups = rd_server_get_group_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(RdGroup) last = NULL;
  const char *cursor = rd_request_get_query (request, "cursor");
  guint limit = 0;
  guint n;

  if (!rd_request_get_limit (request, &limit, &error) ||
      !rd_check_text ("cursor", cursor, RD_GROUP_MAX_NAME, &error) ||
      (found = rd_group_store_list (groups, cursor, limit + 1, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  n = MIN (g_list_model_get_n_items (found), limit);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdGroup) group = g_list_model_get_item (found, i);
      g_auto(RdGroupRules) rules = { NULL, NULL };

      if (!rd_group_store_get_rules (groups, rd_group_get_name (group), &rules, &error))
        {
          rd_request_reply_error (request, error);
          return;
        }
      group_to_json (builder, group, &rules);
    }
  json_builder_end_array (builder);
  if (g_list_model_get_n_items (found) > limit && n > 0)
    last = g_list_model_get_item (found, n - 1);

  rd_check_reply_items (request, json_builder_get_root (builder),
                        last != NULL ? rd_group_get_name (last) : NULL);
}

/* POST /groups */
static void
groups_post (RdServer  *server,
             RdRequest *request)
{
  RdGroupStore *groups = rd_server_get_group_store (server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdGroup) group = NULL;
  g_autoptr(RdGroup) stored = NULL;
  g_auto(RdGroupRules) rules = { NULL, NULL };

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      (group = read_group (server, body, &rules, &error)) == NULL ||
      !rd_group_store_add (groups, group, &rules, &error) ||
      (stored = rd_group_store_get (groups, rd_group_get_name (group), &rules, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("group %s created by %s", rd_group_get_name (stored),
          rd_user_get_username (rd_request_get_user (request)));
  reply_group (request, SOUP_STATUS_CREATED, stored, &rules);
}

/* GET /groups/{name} */
static void
group_get (RdServer  *server,
           RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdGroup) group = NULL;
  g_auto(RdGroupRules) rules = { NULL, NULL };

  group = rd_group_store_get (rd_server_get_group_store (server), rd_request_get_param (request, "name"),
                              &rules, &error);
  if (group == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_group (request, SOUP_STATUS_OK, group, &rules);
}

/* PATCH /groups/{name} */
static void
group_patch (RdServer  *server,
             RdRequest *request)
{
  RdGroupStore *groups = rd_server_get_group_store (server);
  const char *name = rd_request_get_param (request, "name");
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdGroup) current = NULL;
  g_autoptr(RdGroup) group = NULL;
  g_autoptr(JsonNode) merged = NULL;
  g_autoptr(GList) names = NULL;
  g_auto(RdGroupRules) rules = { NULL, NULL };
  const char *new_name = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, group_members, &error) ||
      !rd_json_get_string (body, "name", RD_JSON_OPTIONAL, &new_name, &error) ||
      (current = rd_group_store_get (groups, name, &rules, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (new_name != NULL && !g_str_equal (new_name, name))
    {
      rd_request_reply_error_literal (request, RD_ERROR_INVALID_FIELD, "Field “name” cannot be changed");
      return;
    }

  /* the stored group with the request's members laid over it */
  merged = group_to_node (current, &rules);
  names = json_object_get_members (body);
  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (json_node_get_object (merged), l->data,
                            json_node_copy (json_object_get_member (body, l->data)));
  rd_group_rules_clear (&rules);

  group = read_group (server, json_node_get_object (merged), &rules, &error);
  if (group == NULL ||
      !rd_group_store_update (groups, group, &rules, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_clear_object (&group);
  group = rd_group_store_get (groups, name, &rules, &error);
  if (group == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_group (request, SOUP_STATUS_OK, group, &rules);
}

/* PATCH /me */
static void
me_patch (RdServer  *server,
          RdRequest *request)
{
  RdGroupStore *groups = rd_server_get_group_store (server);
  RdUser *user = rd_request_get_user (request);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean absent = FALSE;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, me_members, &error) ||
      !rd_group_store_get_absent (groups, rd_user_get_username (user), &absent, &error) ||
      !rd_json_get_boolean (body, "absent", RD_JSON_OPTIONAL, &absent, &error) ||
      !rd_group_store_set_absent (groups, rd_user_get_username (user), absent, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("%s is %s", rd_user_get_username (user), absent ? "absent" : "back");
  node = rd_check_user_to_node (user, absent);
  rd_request_reply_json (request, SOUP_STATUS_OK, node);
}

void
rd_handler_groups_register (RdServer *server)
{
  rd_server_add_route (server, "GET", RD_API_PATH_GROUPS, RD_ROUTE_DEFAULT, NULL, groups_list);
  rd_server_add_route (server, "POST", RD_API_PATH_GROUPS, RD_ROUTE_JSON_BODY, admin_only, groups_post);
  rd_server_add_route (server, "GET", RD_API_PATH_GROUPS "/{name}", RD_ROUTE_DEFAULT, NULL, group_get);
  rd_server_add_route (server, "PATCH", RD_API_PATH_GROUPS "/{name}", RD_ROUTE_JSON_BODY, admin_only,
                       group_patch);
  rd_server_add_route (server, "PATCH", RD_API_PATH_ME, RD_ROUTE_JSON_BODY, NULL, me_patch);
}
