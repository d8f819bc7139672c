/* rd-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counters and histograms rendered in the Prometheus text format 0.0.4.
 * Labels are bounded: the route is the matched pattern (or "unmatched"), the
 * method one of the known ones (or "other"), so clients cannot grow the set.
 * Only metrics for things that exist are here; later parts add their own.
 */

#define G_LOG_DOMAIN "RdMetrics"

#include "config.h"

#include "rd-metrics.h"

static const double buckets[] = {
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
};

typedef struct
{
  guint64 counts[G_N_ELEMENTS (buckets)];
  guint64 count;
  double  sum;
} Histogram;

struct _RdMetrics
{
  GObject     parent_instance;

  GHashTable *requests;    /* "method\nroute\nstatus" → guint64* */
  GHashTable *durations;   /* route → Histogram* */
  double      start_time;

  guint       ws_clients;
  guint64     events_published;
  guint64     events_sent;
  guint64     ws_closes[RD_METRICS_WS_CLOSE_LAST];
};

static const char * const ws_close_reasons[RD_METRICS_WS_CLOSE_LAST] = {
  "slow", "dead", "session", "protocol",
};

G_DEFINE_FINAL_TYPE (RdMetrics, rd_metrics, G_TYPE_OBJECT)

static const char *
bounded_method (const char *method)
{
  static const char * const known[] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", NULL
  };

  for (guint i = 0; method != NULL && known[i] != NULL; i++)
    {
      if (g_str_equal (method, known[i]))
        return known[i];
    }

  return "other";
}

void
rd_metrics_observe_request (RdMetrics  *self,
                            const char *method,
                            const char *route,
                            guint       status,
                            double      seconds)
{
  g_autofree char *key = NULL;
  guint64 *count;
  Histogram *histogram;

  g_return_if_fail (RD_IS_METRICS (self));

  if (route == NULL)
    route = "unmatched";

  key = g_strdup_printf ("%s\n%s\n%u", bounded_method (method), route, status);
  count = g_hash_table_lookup (self->requests, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->requests, g_steal_pointer (&key), count);
    }
  (*count)++;

  histogram = g_hash_table_lookup (self->durations, route);
  if (histogram == NULL)
    {
      histogram = g_new0 (Histogram, 1);
      g_hash_table_insert (self->durations, g_strdup (route), histogram);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      if (seconds <= buckets[i])
        histogram->counts[i]++;
    }
  histogram->count++;
  histogram->sum += seconds;
}

/**
 * rd_metrics_set_ws_clients:
 *
 * The number of event WebSocket clients now connected.
 */
void
rd_metrics_set_ws_clients (RdMetrics *self,
                           guint      n_clients)
{
  g_return_if_fail (RD_IS_METRICS (self));

  self->ws_clients = n_clients;
}

/**
 * rd_metrics_add_events:
 * @published: events published
 * @sent: WebSocket messages queued for clients
 */
void
rd_metrics_add_events (RdMetrics *self,
                       guint64    published,
                       guint64    sent)
{
  g_return_if_fail (RD_IS_METRICS (self));

  self->events_published += published;
  self->events_sent += sent;
}

void
rd_metrics_add_ws_close (RdMetrics        *self,
                         RdMetricsWsClose  reason)
{
  g_return_if_fail (RD_IS_METRICS (self));
  g_return_if_fail (reason < RD_METRICS_WS_CLOSE_LAST);

  self->ws_closes[reason]++;
}

static void
render_events (RdMetrics *self,
               GString   *out)
{
  rd_metrics_render_gauge (out, "ringdesk_websocket_clients",
                           "Event WebSocket clients connected.", self->ws_clients);
  g_string_append_printf (out,
                          "# HELP ringdesk_events_published_total Live events published.\n"
                          "# TYPE ringdesk_events_published_total counter\n"
                          "ringdesk_events_published_total %" G_GUINT64_FORMAT "\n"
                          "# HELP ringdesk_events_sent_total Live event messages queued for WebSocket clients.\n"
                          "# TYPE ringdesk_events_sent_total counter\n"
                          "ringdesk_events_sent_total %" G_GUINT64_FORMAT "\n"
                          "# HELP ringdesk_websocket_closed_total Event WebSockets closed by the server, by reason.\n"
                          "# TYPE ringdesk_websocket_closed_total counter\n",
                          self->events_published, self->events_sent);
  for (guint i = 0; i < RD_METRICS_WS_CLOSE_LAST; i++)
    g_string_append_printf (out, "ringdesk_websocket_closed_total{reason=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            ws_close_reasons[i], self->ws_closes[i]);
}

static void
append_label_value (GString    *out,
                    const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);

  return keys;
}

void
rd_metrics_render_gauge (GString    *out,
                         const char *name,
                         const char *help,
                         double      value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n",
                          name, help, name, name,
                          g_ascii_formatd (number, sizeof number, "%.15g", value));
}

/**
 * rd_metrics_render:
 *
 * Appends the HTTP metrics and the process start time to @out.
 */
void
rd_metrics_render (RdMetrics *self,
                   GString   *out)
{
  g_autoptr(GPtrArray) request_keys = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (RD_IS_METRICS (self));

  rd_metrics_render_gauge (out, "process_start_time_seconds",
                           "Start time of the process since the Unix epoch in seconds.",
                           self->start_time);

  g_string_append (out,
                   "# HELP http_requests_total HTTP requests answered, by method, route and status.\n"
                   "# TYPE http_requests_total counter\n");
  request_keys = sorted_keys (self->requests);
  for (guint i = 0; i < request_keys->len; i++)
    {
      const char *key = g_ptr_array_index (request_keys, i);
      g_auto(GStrv) parts = g_strsplit (key, "\n", 3);
      guint64 *count = g_hash_table_lookup (self->requests, key);

      g_string_append (out, "http_requests_total{method=\"");
      append_label_value (out, parts[0]);
      g_string_append (out, "\",route=\"");
      append_label_value (out, parts[1]);
      g_string_append_printf (out, "\",status=\"%s\"} %" G_GUINT64_FORMAT "\n", parts[2], *count);
    }

  g_string_append (out,
                   "# HELP http_request_duration_seconds Time from request start to response, by route.\n"
                   "# TYPE http_request_duration_seconds histogram\n");
  routes = sorted_keys (self->durations);
  for (guint i = 0; i < routes->len; i++)
    {
      const char *route = g_ptr_array_index (routes, i);
      Histogram *histogram = g_hash_table_lookup (self->durations, route);
      g_autoptr(GString) label = g_string_new (NULL);

      append_label_value (label, route);
      for (gsize b = 0; b < G_N_ELEMENTS (buckets); b++)
        g_string_append_printf (out,
                                "http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %"
                                G_GUINT64_FORMAT "\n",
                                label->str, g_ascii_formatd (number, sizeof number, "%g", buckets[b]),
                                histogram->counts[b]);
      g_string_append_printf (out,
                              "http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %"
                              G_GUINT64_FORMAT "\n", label->str, histogram->count);
      g_string_append_printf (out, "http_request_duration_seconds_sum{route=\"%s\"} %s\n",
                              label->str, g_ascii_formatd (number, sizeof number, "%.9g", histogram->sum));
      g_string_append_printf (out, "http_request_duration_seconds_count{route=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", label->str, histogram->count);
    }

  render_events (self, out);
}

static void
rd_metrics_finalize (GObject *object)
{
  RdMetrics *self = (RdMetrics *) object;

  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->durations, g_hash_table_unref);

  G_OBJECT_CLASS (rd_metrics_parent_class)->finalize (object);
}

static void
rd_metrics_class_init (RdMetricsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_metrics_finalize;
}

static void
rd_metrics_init (RdMetrics *self)
{
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->durations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->start_time = g_get_real_time () / (double) G_USEC_PER_SEC;
}

RdMetrics *
rd_metrics_new (void)
{
  return g_object_new (RD_TYPE_METRICS, NULL);
}
