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
  GPtrArray *links;
  gboolean db_ok;

  db_ok = rd_store_check (rd_server_get_store (server), &error);
  if (!db_ok)
    g_warning ("health check: %s", error->message);

  json_builder_begin_object (builder);
  rd_json_builder_add_string (builder, "status", db_ok ? "ok" : "error");
  rd_json_builder_add_string (builder, "cti",
                              rd_cti_link_state_to_string (rd_server_get_cti_state (server)));
  rd_json_builder_add_string (builder, "db", db_ok ? "ok" : "error");
  /* an addition to API.md: each link's state and why, for the admin */
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  links = rd_server_get_cti_links (server);
  for (guint i = 0; i < links->len; i++)
    {
      RdCtiLink *link = g_ptr_array_index (links, i);
      g_autofree char *detail = rd_cti_link_dup_detail (link);

      json_builder_begin_object (builder);
      rd_json_builder_add_string (builder, "name", rd_cti_link_get_name (link));
      rd_json_builder_add_string (builder, "state",
                                  rd_cti_link_state_to_string (rd_cti_link_get_state (link)));
      rd_json_builder_add_string (builder, "detail", detail);
      json_builder_set_member_name (builder, "reconnects");
      json_builder_add_int_value (builder, rd_cti_link_get_reconnects (link));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  rd_request_reply_json (request, db_ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, node);
}

/* link names are fixed words ("csta", "smdr", …): safe as label values */
static void
render_cti (RdServer *server,
            GString  *out)
{
  GPtrArray *links = rd_server_get_cti_links (server);
  RdCallEngine *engine = rd_server_get_call_engine (server);

  if (links->len > 0)
    {
      g_string_append (out, "# HELP ringdesk_cti_link_up Whether a CTI link is connected (1) or not (0).\n"
                            "# TYPE ringdesk_cti_link_up gauge\n");
      for (guint i = 0; i < links->len; i++)
        {
          RdCtiLink *link = g_ptr_array_index (links, i);

          g_string_append_printf (out, "ringdesk_cti_link_up{link=\"%s\"} %d\n", rd_cti_link_get_name (link),
                                  rd_cti_link_get_state (link) == RD_CTI_LINK_STATE_CONNECTED);
        }
      g_string_append (out, "# HELP ringdesk_cti_reconnects_total Reconnections of a CTI link.\n"
                            "# TYPE ringdesk_cti_reconnects_total counter\n");
      for (guint i = 0; i < links->len; i++)
        {
          RdCtiLink *link = g_ptr_array_index (links, i);

          g_string_append_printf (out, "ringdesk_cti_reconnects_total{link=\"%s\"} %u\n",
                                  rd_cti_link_get_name (link), rd_cti_link_get_reconnects (link));
        }
    }
  if (engine != NULL)
    rd_metrics_render_gauge (out, "ringdesk_calls_live", "Calls ringing or in progress.",
                             (double) rd_call_engine_get_n_live_calls (engine));
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

  render_cti (server, out);

  rd_request_reply_text (request, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", out->str);
}

void
rd_handler_ops_register (RdServer *server)
{
  rd_server_add_route (server, "GET", RD_API_PATH_HEALTHZ, RD_ROUTE_PUBLIC, NULL, healthz_get);
  rd_server_add_route (server, "GET", RD_API_PATH_METRICS, RD_ROUTE_PUBLIC, NULL, metrics_get);
}
