/* test-roles.c: every registered route against every role, through an
 * in-process RdDaemon on 127.0.0.1:0
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected table below is the contract: a route added, removed or given
 * other roles fails this test until the table says so, so access rules cannot
 * drift silently. For each route, a token of each role must be let through
 * (any status but 401/403) or refused with 403 `forbidden`, exactly as the
 * table says; without a token, or with an unknown one, every route that is
 * not public must answer 401 `unauthorized`.
 */

#define G_LOG_DOMAIN "RdTestRoles"

#include "config.h"

#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-event-hub.h"
#include "rd-test-http.h"

/* roles: "public" (no token needed), "any" (any signed-in user), or the
 * ";"-separated roles of the route in its order */
typedef struct
{
  const char *method;
  const char *pattern;
  const char *roles;
} Expected;

#define ALL_ROLES "agent;technician;supervisor;admin"

static const Expected expected[] = {
  { "GET",    "/healthz",                               "public" },
  { "GET",    "/metrics",                               "public" },
  { "POST",   "/api/v1/session",                        "public" },
  { "DELETE", "/api/v1/session",                        "any" },
  { "GET",    "/api/v1/me",                             "any" },
  { "GET",    "/api/v1/users",                          "admin" },
  { "POST",   "/api/v1/users",                          "admin" },
  { "GET",    "/api/v1/users/{username}",               "admin" },
  { "PATCH",  "/api/v1/users/{username}",               "admin" },
  { "GET",    "/api/v1/tickets",                        ALL_ROLES },
  { "POST",   "/api/v1/tickets",                        "agent;supervisor;admin" },
  { "GET",    "/api/v1/tickets/{number}",               ALL_ROLES },
  { "PATCH",  "/api/v1/tickets/{number}",               ALL_ROLES },
  { "POST",   "/api/v1/tickets/{number}/transition",    ALL_ROLES },
  { "GET",    "/api/v1/tickets/{number}/history",       ALL_ROLES },
  { "GET",    "/api/v1/events",                         "any" },
  { "DELETE","/api/v1/evidence/{id}",                 "supervisor;admin" },
  { "DELETE","/api/v1/tickets/{number}",              "admin" },
  { "GET",   "/api/v1/evidence/{id}/content",         "agent;technician;supervisor;admin" },
  { "GET",   "/api/v1/tickets/{number}/evidence",     "agent;technician;supervisor;admin" },
  { "POST",  "/api/v1/tickets/{number}/evidence",     "agent;technician;supervisor;admin" },
  { "PATCH", "/api/v1/assets/{id}",                   "supervisor;admin" },
  { "GET",   "/api/v1/assets/{id}",                   "any" },
  { "POST",  "/api/v1/assets",                        "supervisor;admin" },
  { "GET",   "/api/v1/assets",                        "any" },
  { "PATCH", "/api/v1/locations/{id}",                "supervisor;admin" },
  { "GET",   "/api/v1/locations/{id}",                "any" },
  { "POST",  "/api/v1/locations",                     "supervisor;admin" },
  { "GET",   "/api/v1/locations",                     "any" },
  { "PATCH", "/api/v1/customers/{id}",                "agent;supervisor;admin" },
  { "GET",   "/api/v1/customers/{id}",                "any" },
  { "POST",  "/api/v1/customers/import",              "agent;supervisor;admin" },
  { "POST",  "/api/v1/customers",                     "agent;supervisor;admin" },
  { "GET",   "/api/v1/customers",                     "any" },
  { "PATCH", "/api/v1/me",                            "any" },
  { "PATCH", "/api/v1/groups/{name}",                 "admin" },
  { "GET",   "/api/v1/groups/{name}",                 "any" },
  { "POST",  "/api/v1/groups",                        "admin" },
  { "GET",   "/api/v1/groups",                        "any" },
  { "POST",  "/api/v1/calls/{id}/tickets",            "agent;supervisor;admin" },
  { "GET",   "/api/v1/calls/{id}",                    "agent;technician;supervisor;admin" },
  { "POST",  "/api/v1/calls",                         "agent;technician;supervisor;admin" },
  { "GET",   "/api/v1/calls",                         "agent;technician;supervisor;admin" },
  { "GET",   "/api/v1/calls/log.txt",                 "supervisor;admin" },
  { "GET",   "/api/v1/tickets/{number}/work-order",   "agent;technician;supervisor;admin" },
  { "POST",  "/api/v1/tickets/{number}/work-order",   "technician;supervisor;admin" },
};

static const char * const roles[] = {
  RD_ROLE_AGENT, RD_ROLE_TECHNICIAN, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

typedef struct
{
  char         *method;
  char         *pattern;
  RdRouteFlags  flags;
  char         *roles;    /* as in Expected */
} Route;

typedef struct
{
  char        *dir;
  RdConfig    *config;
  RdDaemon    *daemon;
  RdEventHub  *hub;
  SoupSession *session;
  char        *base;
  GPtrArray   *routes;    /* Route* */
} Fixture;

static void
route_free (Route *route)
{
  g_free (route->method);
  g_free (route->pattern);
  g_free (route->roles);
  g_free (route);
}

static void
collect_route (const char         *method,
               const char         *pattern,
               RdRouteFlags        flags,
               const char * const *route_roles,
               gpointer            user_data)
{
  GPtrArray *routes = user_data;
  Route *route = g_new0 (Route, 1);

  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  route->flags = flags;
  if ((flags & RD_ROUTE_PUBLIC) != 0)
    route->roles = g_strdup ("public");
  else if (route_roles == NULL || route_roles[0] == NULL)
    route->roles = g_strdup ("any");
  else
    route->roles = g_strjoinv (";", (char **) route_roles);
  g_ptr_array_add (routes, route);
}

static GPtrArray *
list_routes (RdServer *server)
{
  GPtrArray *routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);

  rd_server_foreach_route (server, collect_route, routes);
  return routes;
}

static gboolean
has_route (GPtrArray  *routes,
           const char *method,
           const char *pattern)
{
  for (guint i = 0; i < routes->len; i++)
    {
      Route *route = g_ptr_array_index (routes, i);

      if (g_str_equal (route->method, method) && g_str_equal (route->pattern, pattern))
        return TRUE;
    }

  return FALSE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  const char *conf = "[server]\nlisten=127.0.0.1:0\n";
  RdStore *store;

  f->dir = g_dir_make_tmp ("rd-roles-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = rd_test_config_new (conf, f->dir);
  f->daemon = rd_test_start_daemon (f->config, &f->base);

  /* the event hub, unless the daemon already runs one */
  before = list_routes (rd_daemon_get_server (f->daemon));
  if (!has_route (before, "GET", RD_API_PATH_EVENTS))
    f->hub = rd_event_hub_new (rd_daemon_get_server (f->daemon));
  f->routes = list_routes (rd_daemon_get_server (f->daemon));

  store = rd_daemon_get_store (f->daemon);
  for (guint i = 0; roles[i] != NULL; i++)
    rd_test_add_user (store, roles[i], rd_test_password_hash (), roles[i]);   /* user "agent" is an agent… */

  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->hub);
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  g_clear_object (&f->config);
  g_clear_pointer (&f->routes, g_ptr_array_unref);

  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
}

/* A fresh token for the user named after @role (no yescrypt: issued directly,
 * and fresh so DELETE /session cannot spoil the next request). */
static char *
issue_token (Fixture    *f,
             const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdUser) user = rd_store_get_user (rd_daemon_get_store (f->daemon), role, &error);
  char *token;

  g_assert_no_error (error);
  token = rd_auth_issue_token (rd_daemon_get_auth (f->daemon), user, &error);
  g_assert_no_error (error);

  return token;
}

/* @pattern with every {param} filled in */
static char *
fill_pattern (const char *pattern)
{
  g_auto(GStrv) segments = g_strsplit (pattern, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (segments[i][0] == '{')
        {
          g_free (segments[i]);
          segments[i] = g_strdup ("no-such-thing");
        }
    }

  return g_strjoinv ("/", segments);
}

static guint
send_route (Fixture     *f,
            Route       *route,
            const char  *token,
            RdTestReply *reply)
{
  g_autofree char *path = fill_pattern (route->pattern);
  gboolean body = g_str_equal (route->method, "POST") || g_str_equal (route->method, "PATCH") ||
                  g_str_equal (route->method, "PUT");

  rd_test_request (f->session, f->base, route->method, path, token, body ? "{}" : NULL, reply);
  g_test_message ("%s %s -> %u", route->method, path, reply->status);

  return reply->status;
}

static const Expected *
find_expected (const char *method,
               const char *pattern)
{
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (g_str_equal (expected[i].method, method) && g_str_equal (expected[i].pattern, pattern))
        return &expected[i];
    }

  return NULL;
}

static gboolean
role_allowed (const char *want,
              const char *role)
{
  g_auto(GStrv) list = NULL;

  if (g_str_equal (want, "any") || g_str_equal (want, "public"))
    return TRUE;

  list = g_strsplit (want, ";", -1);
  return g_strv_contains ((const char * const *) list, role);
}

/* The route table is exactly the expected one. */
static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 0; i < f->routes->len; i++)
    {
      Route *route = g_ptr_array_index (f->routes, i);
      const Expected *want = find_expected (route->method, route->pattern);

      if (want == NULL)
        g_error ("Route %s %s (roles %s) is not in the expected table of test-roles.c: add it",
                 route->method, route->pattern, route->roles);
      g_assert_cmpstr (route->roles, ==, want->roles);

      for (guint j = 0; j < i; j++)
        {
          Route *other = g_ptr_array_index (f->routes, j);

          if (g_str_equal (other->method, route->method) && g_str_equal (other->pattern, route->pattern))
            g_error ("Route %s %s is registered twice", route->method, route->pattern);
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (!has_route (f->routes, expected[i].method, expected[i].pattern))
        g_error ("Route %s %s of the expected table is not registered",
                 expected[i].method, expected[i].pattern);
    }
}

/* Each route, each role: allowed or 403, as declared. */
static void
test_each_role (Fixture       *f,
                gconstpointer  data)
{
  for (guint i = 0; i < f->routes->len; i++)
    {
      Route *route = g_ptr_array_index (f->routes, i);
      const Expected *want = find_expected (route->method, route->pattern);

      g_assert_nonnull (want);
      for (guint r = 0; roles[r] != NULL; r++)
        {
          g_autofree char *token = issue_token (f, roles[r]);
          RdTestReply reply;
          guint status = send_route (f, route, token, &reply);

          if (role_allowed (want->roles, roles[r]))
            {
              if (status == 401 || status == 403)
                g_error ("%s %s refused role %s (%u): %s", route->method, route->pattern,
                         roles[r], status, reply.body);
            }
          else
            {
              rd_test_assert_error (&reply, 403, "forbidden");
            }
          rd_test_reply_clear (&reply);
        }
    }
}

/* Without a token, or with a bad one: 401 on every route that is not public. */
static void
test_no_token (Fixture       *f,
               gconstpointer  data)
{
  for (guint i = 0; i < f->routes->len; i++)
    {
      Route *route = g_ptr_array_index (f->routes, i);
      RdTestReply reply;
      guint status;

      status = send_route (f, route, NULL, &reply);
      if ((route->flags & RD_ROUTE_PUBLIC) != 0)
        {
          g_assert_cmpuint (status, !=, 401);
          g_assert_cmpuint (status, !=, 403);
        }
      else
        {
          rd_test_assert_error (&reply, 401, "unauthorized");
          g_assert_nonnull (soup_message_headers_get_one (reply.headers, "WWW-Authenticate"));
        }
      rd_test_reply_clear (&reply);

      if ((route->flags & RD_ROUTE_PUBLIC) == 0)
        {
          send_route (f, route, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &reply);
          rd_test_assert_error (&reply, 401, "unauthorized");
          rd_test_reply_clear (&reply);
        }
    }
}

/* What a route's roles cannot say: GET /tickets?scope=all is for those who
 * see every ticket; mine and groups for everyone. */
static void
test_ticket_scopes (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    const char *query;
    const char *roles;
  } scopes[] = {
    { "?scope=all",    "supervisor;admin" },
    { "?scope=mine",   ALL_ROLES },
    { "?scope=groups", ALL_ROLES },
  };

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    for (guint r = 0; roles[r] != NULL; r++)
      {
        g_autofree char *token = issue_token (f, roles[r]);
        g_autofree char *path = g_strconcat (RD_API_PATH_TICKETS, scopes[s].query, NULL);
        RdTestReply reply;

        rd_test_request (f->session, f->base, "GET", path, token, NULL, &reply);
        if (role_allowed (scopes[s].roles, roles[r]))
          g_assert_cmpuint (reply.status, ==, 200);
        else
          rd_test_assert_error (&reply, 403, "forbidden");
        rd_test_reply_clear (&reply);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/roles/table", Fixture, NULL, fixture_set_up, test_table, fixture_tear_down);
  g_test_add ("/roles/each-role", Fixture, NULL, fixture_set_up, test_each_role, fixture_tear_down);
  g_test_add ("/roles/no-token", Fixture, NULL, fixture_set_up, test_no_token, fixture_tear_down);
  g_test_add ("/roles/ticket-scopes", Fixture, NULL, fixture_set_up, test_ticket_scopes, fixture_tear_down);

  return g_test_run ();
}
