/* rd-handler-ops.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operations endpoints, no token needed: GET /healthz and GET /metrics.
 */

#define G_LOG_DOMAIN "RdHandlerOps"

#include "config.h"

#include "rd-api.h"
#include "rd-handlers.h"
#include "rd-json.h"

static void
healthz_get (RdServer  *server,
             RdRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean db_ok;

  db_ok = rd_store_check (rd_server_get_store (server), &error);
  if (!db_ok)
    g_warning ("health check: %s", error->message);

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "status", db_ok ? "ok" : "error");
  /* no CTI link exists yet, so the link is down */
  rd_json_builder_add_string (builder, "cti", "down");
  rd_json_builder_add_string (builder, "db", db_ok ? "ok" : "error");
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, db_ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, node);
}

static void
metrics_get (RdServer  *server,
             RdRequest *request)
{
  g_autoptr(GString) out = g_string_new (NULL);
  RdStore *store = rd_server_get_store (server);
  gint64 users = rd_store_count_users (store, NULL);
  gint64 tokens = rd_store_count_tokens (store, NULL);

  rd_metrics_render (rd_server_get_metrics (server), out);
  if (users >= 0)
    rd_metrics_render_gauge (out, "ringdesk_users", "Users in the store.", (double) users);
  if (tokens >= 0)
    rd_metrics_render_gauge (out, "ringdesk_sessions", "Session tokens in the store (including expired ones not yet swept).",
                             (double) tokens);

  rd_request_reply_text (request, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", out->str);
}

void
rd_handler_ops_register (RdServer *server)
{
  rd_server_add_route (server, "GET", RD_API_PATH_HEALTHZ, RD_ROUTE_PUBLIC, NULL, healthz_get);
  rd_server_add_route (server, "GET", RD_API_PATH_METRICS, RD_ROUTE_PUBLIC, NULL, metrics_get);
}
