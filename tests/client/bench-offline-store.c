/* bench-offline-store.c: what the offline store costs the client's main loop
 *
 * The client keeps every page of tickets it loads, and reads the kept
 * tickets when the server is away, with SQLite statements on the main
 * loop. The baseline is what the client already does on the main loop
 * for the same tickets: parse the server's JSON into RdTicket objects.
 * Printed as ratios against it, measured in the same run (and the
 * milliseconds, for a feel of this machine); it never fails on timing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BenchOfflineStore"

#include "config.h"

#include "rd-offline-store.h"
#include "rd-test-client.h"
#include "rd-test-window.h"

#define PAGE_SIZE 500
#define N_PAGES   100

/* A page of the list as GET /tickets sends it */
static JsonArray *
make_page (guint page)
{
  JsonArray *items = json_array_new ();

  for (guint i = 0; i < PAGE_SIZE; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"number\":\"%u\",\"subject\":\"Printer jam on floor %u\",\"description\":\"Paper stuck "
        "in tray 2 again; the toner light blinks.\",\"area\":\"Offices\",\"priority\":\"normal\","
        "\"category\":\"Printers\",\"requester\":\"María Pérez\","
        "\"requester_phone\":\"+34 600 000 %03u\","
        "\"assignee\":\"agent1\",\"state\":\"open\",\"created_at\":\"2026-11-22T08:19:05+00:00\","
        "\"active\":true,\"call_ids\":[],\"evidence_count\":0,"
        "\"sla\":{\"response_due\":null,\"resolution_due\":null,\"state\":\"ok\"}}",
        page * PAGE_SIZE + i + 1, i % 9, i % 1000);

      json_array_add_object_element (items, rd_json_parse_object (json, -1, NULL));
    }

  return items;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(RdOfflineStore) store = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) kept = NULL;
  gint64 start;
  double parse_ms;
  double cache_ms;
  double async_ms;
  double async_total_ms;
  double list_ms;
  double list_async_ms;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("ringdesk-bench-offline-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "offline.sqlite", NULL);
  store = rd_offline_store_new (path, &error);
  g_assert_no_error (error);

  for (guint p = 0; p < N_PAGES; p++)
    g_ptr_array_add (pages, make_page (p));

  /* Baseline: the pages parsed into tickets, as the connection does */
  start = g_get_monotonic_time ();
  for (guint p = 0; p < N_PAGES; p++)
    {
      GListStore *list = rd_codec_list_from_array (RD_TYPE_TICKET, pages->pdata[p],
                                                   RD_CODEC_NONE, &error);

      g_assert_no_error (error);
      g_ptr_array_add (parsed, list);
    }
  parse_ms = (g_get_monotonic_time () - start) / 1000.0;

  /* Kept: each page in one transaction, as the list loads it */
  start = g_get_monotonic_time ();
  for (guint p = 0; p < N_PAGES; p++)
    {
      rd_offline_store_cache_tickets (store, parsed->pdata[p], p == 0, &error);
      g_assert_no_error (error);
    }
  cache_ms = (g_get_monotonic_time () - start) / 1000.0;

  /* Kept off the main loop: what the list does; the main loop only makes
   * the JSON and waits for nothing */
  {
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
    gint64 blocked;
    gint64 waited;

    g_ptr_array_set_size (results, N_PAGES);
    start = g_get_monotonic_time ();
    for (guint p = 0; p < N_PAGES; p++)
      rd_offline_store_cache_tickets_async (store, parsed->pdata[p], FALSE, NULL,
                                            rd_test_store_result_cb, &results->pdata[p]);
    blocked = g_get_monotonic_time () - start;
    for (guint p = 0; p < N_PAGES; p++)
      {
        rd_test_wait_result ((GAsyncResult **) &results->pdata[p]);
        rd_offline_store_cache_tickets_finish (store, results->pdata[p], &error);
        g_assert_no_error (error);
      }
    waited = g_get_monotonic_time () - start;
    async_ms = blocked / 1000.0;
    async_total_ms = waited / 1000.0;
  }

  /* Read back while offline: every kept ticket */
  start = g_get_monotonic_time ();
  kept = rd_offline_store_list_tickets (store, FALSE, &error);
  g_assert_no_error (error);
  list_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (g_list_model_get_n_items (kept), ==, N_PAGES * PAGE_SIZE);

  /* The same read as the offline list does it, in a thread */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GListModel) read = NULL;

    start = g_get_monotonic_time ();
    rd_offline_store_list_tickets_async (store, FALSE, NULL, rd_test_store_result_cb, &result);
    rd_test_wait_result (&result);
    read = rd_offline_store_list_tickets_finish (store, result, &error);
    g_assert_no_error (error);
    list_async_ms = (g_get_monotonic_time () - start) / 1000.0;
    g_assert_cmpuint (g_list_model_get_n_items (read), ==, N_PAGES * PAGE_SIZE);
  }

  g_print ("bench-offline-store: %u pages of %u tickets\n", N_PAGES, PAGE_SIZE);
  g_print ("  parse from JSON (baseline): %.1f ms, %.2f ms a page\n", parse_ms, parse_ms / N_PAGES);
  g_print ("  keep in the store:          %.1f ms, %.2f ms a page, %.2fx the parse\n",
           cache_ms, cache_ms / N_PAGES, cache_ms / parse_ms);
  g_print ("  keep, written in a thread:  %.1f ms on the main loop (%.2fx the parse), "
           "%.1f ms until written\n",
           async_ms, async_ms / parse_ms, async_total_ms);
  g_print ("  list all kept, in a thread: %.1f ms until read (the main loop runs meanwhile)\n",
           list_async_ms);
  g_print ("  list all kept, main loop:   %.1f ms for %u, %.2fx the parse\n",
           list_ms, N_PAGES * PAGE_SIZE, list_ms / parse_ms);

  g_clear_object (&store);
  rd_test_remove_tree (dir);

  return 0;
}
