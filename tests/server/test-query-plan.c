/* test-query-plan.c: the ticket queries use indexes, on a large store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every statement comes from the ticket store itself
 * (rd_ticket_store_build_list_sql(), rd_ticket_store_get_sql()). For each
 * filter combination of GET /tickets, with and without a cursor and for a
 * user who sees everything or only their queue, two things must hold:
 *
 *  - EXPLAIN QUERY PLAN has no full scan of tickets ("SCAN t", with or
 *    without an index) except for the unfiltered list, which walks the
 *    primary key backwards and stops at LIMIT;
 *  - run on the filled store, the statement makes at most LIMIT + 1
 *    full-scan steps (SQLITE_STMTSTATUS_FULLSCAN_STEP), which catches a
 *    plan that reads the whole table, whatever its wording.
 *
 * The store holds RD_QUERY_PLAN_TICKETS tickets (default 50000; the
 * benchmark runs the same queries on 1,000,000). The plan does not depend on
 * the row count, since the server never runs ANALYZE.
 */

#define G_LOG_DOMAIN "RdTestQueryPlan"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rd-common.h"
#include "rd-sqlite.h"
#include "rd-store.h"
#include "rd-test-fill.h"
#include "rd-ticket-store.h"

#define LIMIT 51

static RdStore *store;
static char *dir;

static char *
explain (sqlite3    *db,
         const char *sql)
{
  g_autofree char *query = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = rd_sqlite_prepare (db, query, &error);
  GString *plan = g_string_new (NULL);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));

  return g_string_free (plan, FALSE);
}

static gboolean
plan_scans_tickets (const char *plan)
{
  g_auto(GStrv) lines = g_strsplit (plan, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* "SCAN t" or "SCAN t USING [COVERING] INDEX …": every row of tickets */
      if (g_str_equal (lines[i], "SCAN t") || g_str_has_prefix (lines[i], "SCAN t "))
        return TRUE;
    }

  return FALSE;
}

static void
bind_if (sqlite3_stmt *stmt,
         const char   *name,
         const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_int_if (sqlite3_stmt *stmt,
             const char   *name,
             gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

/* Runs @sql with typical values and returns its full-scan steps. */
static int
run (sqlite3    *db,
     const char *sql,
     guint      *n_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = rd_sqlite_prepare (db, sql, &error);
  g_autofree char *match = rd_ticket_store_make_match ("boiler leak");
  int rc;

  g_assert_no_error (error);
  bind_if (stmt, ":me", "tech3");
  bind_if (stmt, ":states", "[\"open\",\"in_progress\"]");
  bind_if (stmt, ":priorities", "[\"urgent\"]");
  bind_if (stmt, ":area", "area-07");
  bind_if (stmt, ":assignee", "tech5");
  bind_if (stmt, ":match", match);
  bind_if (stmt, ":phone", "34610000042");
  bind_int_if (stmt, ":since", g_get_real_time () / G_USEC_PER_SEC - 3600);
  bind_int_if (stmt, ":before", 100000);
  bind_int_if (stmt, ":limit", LIMIT);
  bind_int_if (stmt, "?1", 4242);

  *n_rows = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    (*n_rows)++;
  g_assert_cmpint (rc, ==, SQLITE_DONE);

  return sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, FALSE);
}

static void
check_query (const char *name,
             const char *sql,
             gboolean    may_walk_primary_key)
{
  sqlite3 *db = rd_store_get_connection (store);
  g_autofree char *plan = explain (db, sql);
  guint n_rows = 0;
  int steps;

  g_test_message ("%s:\n%s", name, plan);
  if (!may_walk_primary_key)
    g_assert_false (plan_scans_tickets (plan));

  steps = run (db, sql, &n_rows);
  g_test_message ("%s: %u rows, %d full-scan steps", name, n_rows, steps);
  g_assert_cmpint (steps, <=, LIMIT + 1);
}

typedef enum
{
  F_STATE    = 1 << 0,
  F_PRIORITY = 1 << 1,
  F_AREA     = 1 << 2,
  F_ASSIGNEE = 1 << 3,
  F_MATCH    = 1 << 4,
  F_PHONE    = 1 << 5,
  F_SINCE    = 1 << 6,
  F_LAST     = 1 << 7,
} Filters;

static void
test_list (gconstpointer data)
{
  const RdTicketScope scopes[] = {
    RD_TICKET_SCOPE_ALL,
    RD_TICKET_SCOPE_ASSIGNED,
    RD_TICKET_SCOPE_CREATED | RD_TICKET_SCOPE_ASSIGNED,
  };
  const char * const states[] = { "open", "in_progress", NULL };
  const char * const priorities[] = { "urgent", NULL };
  g_autoptr(GDateTime) since = g_date_time_new_now_local ();
  gboolean with_cursor = GPOINTER_TO_INT (data);
  guint checked = 0;

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      /* single filters and pairs */
      for (guint f = 0; f < F_LAST; f++)
        {
          RdTicketFilter filter = { 0 };
          g_autofree char *sql = NULL;
          g_autofree char *name = NULL;
          gboolean unfiltered;

          if (g_bit_nth_lsf (f, -1) != -1 && g_bit_nth_lsf (f, g_bit_nth_lsf (f, -1)) != -1 &&
              g_bit_nth_lsf (f, g_bit_nth_lsf (f, g_bit_nth_lsf (f, -1))) != -1)
            continue;   /* more than two filters: covered by their parts */

          filter.scope = scopes[s];
          filter.username = "tech3";
          filter.states = (f & F_STATE) ? states : NULL;
          filter.priorities = (f & F_PRIORITY) ? priorities : NULL;
          filter.area = (f & F_AREA) ? "area-07" : NULL;
          filter.assignee = (f & F_ASSIGNEE) ? "tech5" : NULL;
          filter.match = (f & F_MATCH) ? "x" : NULL;
          filter.phone_key = (f & F_PHONE) ? "x" : NULL;
          filter.since = (f & F_SINCE) ? since : NULL;
          filter.before = with_cursor ? 100000 : 0;

          sql = rd_ticket_store_build_list_sql (&filter);
          name = g_strdup_printf ("list scope=%u filters=0x%x cursor=%d", scopes[s], f, with_cursor);
          unfiltered = f == 0 && scopes[s] == RD_TICKET_SCOPE_ALL && !with_cursor;
          check_query (name, sql, unfiltered);
          checked++;
        }
    }

  g_assert_cmpuint (checked, >, 30);
}

/* ?scope=mine and ?scope=groups for each kind of user, alone and with a filter:
 * the assignee and group indexes drive, never a walk of every ticket */
static void
test_views (void)
{
  const RdTicketScope scopes[] = {
    RD_TICKET_SCOPE_ALL,
    RD_TICKET_SCOPE_CREATED | RD_TICKET_SCOPE_ASSIGNED,
    RD_TICKET_SCOPE_ASSIGNED | RD_TICKET_SCOPE_GROUPS,
  };
  const RdTicketScope views[] = {
    RD_TICKET_SCOPE_ASSIGNED,
    RD_TICKET_SCOPE_ASSIGNED | RD_TICKET_SCOPE_GROUPS,
  };
  const char * const states[] = { "open", "in_progress", NULL };

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    for (guint v = 0; v < G_N_ELEMENTS (views); v++)
      for (guint f = 0; f < 3; f++)
        {
          RdTicketFilter filter = { 0 };
          g_autofree char *sql = NULL;
          g_autofree char *name = NULL;

          filter.scope = scopes[s];
          filter.view = views[v];
          filter.username = "tech3";
          filter.states = f == 1 ? states : NULL;
          filter.group = f == 2 ? "group-3" : NULL;

          sql = rd_ticket_store_build_list_sql (&filter);
          g_assert_nonnull (g_strrstr (sql, views[v] & RD_TICKET_SCOPE_GROUPS ? "group_members" : "assignee = :me"));
          name = g_strdup_printf ("list scope=%u view=%u filter=%u", scopes[s], views[v], f);
          check_query (name, sql, FALSE);
        }
}

static void
test_get (void)
{
  check_query ("get by number", rd_ticket_store_get_sql (), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;
  const char *env = g_getenv ("RD_QUERY_PLAN_TICKETS");
  guint64 n_tickets = 50000;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (env != NULL)
    g_assert_true (g_ascii_string_to_unsigned (env, 10, 1000, 10000000, &n_tickets, NULL));

  dir = g_dir_make_tmp ("rd-query-plan-XXXXXX", &error);
  g_assert_no_error (error);
  filename = g_build_filename (dir, RD_STORE_FILENAME, NULL);
  store = rd_store_new (filename);
  g_assert_true (rd_store_open (store, &error));
  g_assert_no_error (error);
  rd_test_fill_tickets (store, (guint) n_tickets, 1);

  g_test_add_func ("/query-plan/get", test_get);
  g_test_add_data_func ("/query-plan/list", GINT_TO_POINTER (FALSE), test_list);
  g_test_add_data_func ("/query-plan/list-cursor", GINT_TO_POINTER (TRUE), test_list);
  g_test_add_func ("/query-plan/views", test_views);

  ret = g_test_run ();

  rd_store_close (store);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (filename, "-wal", NULL);
    g_autofree char *shm = g_strconcat (filename, "-shm", NULL);

    g_unlink (filename);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  g_free (dir);

  return ret;
}
