/* rd-test-fill.c: a store full of tickets, fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One transaction, one prepared INSERT run n times (the FTS triggers of the
 * schema keep the index in step), seeded values spread over states, areas,
 * priorities, RD_TEST_FILL_N_ASSIGNEES technicians "tech0"… and phone
 * numbers, and the "ticket" counter moved past the last number so that
 * tickets created afterwards follow on.
 */

#define G_LOG_DOMAIN "RdTestFill"

#include "config.h"

#include <sqlite3.h>

#include "rd-common.h"
#include "rd-sqlite.h"
#include "rd-test-fill.h"
#include "rd-ticket-store.h"

static const char * const words[] = {
  "leak", "meter", "boiler", "pressure", "valve", "noise", "smell", "gas", "water", "invoice",
  "reading", "broken", "pipe", "heating", "radiator", "thermostat", "outage", "street", "kitchen",
  "garage", "roof", "window", "alarm", "sensor", "cable", "pump", "tank", "drain", "filter", "fan",
};

static const char * const states[] = { "open", "in_progress", "resolved", "closed", "cancelled" };
static const char * const priorities[] = { "low", "normal", "high", "urgent" };

void
rd_test_fill_tickets (RdStore *store,
                      guint    n_tickets,
                      guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) counter = NULL;
  sqlite3 *db = rd_store_get_connection (store);
  gint64 start = g_get_real_time () / G_USEC_PER_SEC - (gint64) n_tickets * 60;

  g_assert_nonnull (db);

  for (guint i = 0; i < RD_TEST_FILL_N_ASSIGNEES; i++)
    {
      g_autofree char *name = g_strdup_printf ("tech%u", i);
      g_autoptr(RdUser) existing = rd_store_get_user (store, name, NULL);

      if (existing == NULL)
        {
          g_autoptr(RdUser) user = rd_user_new (name);
          const char *roles[] = { RD_ROLE_TECHNICIAN, NULL };

          rd_user_set_roles (user, roles);
          /* no password: nobody signs in as them */
          g_assert_true (rd_store_add_user (store, user, "*", &error));
          g_assert_no_error (error);
        }
    }

  /* room for the whole fill in memory; back to the default after */
  g_assert_true (rd_sqlite_exec (db, "PRAGMA cache_size = -262144", &error));
  g_assert_true (rd_sqlite_begin (db, &error));
  g_assert_no_error (error);

  insert = rd_sqlite_prepare (db,
                              "INSERT INTO tickets (number, subject, description, area, priority,"
                              " requester, requester_phone, requester_phone_key, assignee, state,"
                              " created_by, created_at, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'ana', ?11, ?11)",
                              &error);
  g_assert_no_error (error);

  for (guint n = 1; n <= n_tickets; n++)
    {
      char subject[128];
      char description[256];
      char area[32];
      char requester[32];
      char phone[32];
      char assignee[32];
      g_autofree char *phone_key = NULL;
      gint32 digits = g_rand_int_range (rand, 0, 10000000);

      g_snprintf (subject, sizeof subject, "%s %s in %s",
                  words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                  words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                  words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_snprintf (description, sizeof description, "Customer reports %s and %s near the %s, ticket %u",
                  words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                  words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                  words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], n);
      g_snprintf (area, sizeof area, "area-%02d", g_rand_int_range (rand, 0, RD_TEST_FILL_N_AREAS));
      g_snprintf (requester, sizeof requester, "Customer %u", g_rand_int_range (rand, 0, 100000));
      g_snprintf (phone, sizeof phone, "+34 61%07d", digits);
      phone_key = rd_ticket_store_make_phone_key (phone);
      g_snprintf (assignee, sizeof assignee, "tech%d", g_rand_int_range (rand, 0, RD_TEST_FILL_N_ASSIGNEES));

      sqlite3_bind_int64 (insert, 1, n);
      sqlite3_bind_text (insert, 2, subject, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, description, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 4, area, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 5, priorities[g_rand_int_range (rand, 0, G_N_ELEMENTS (priorities))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (insert, 6, requester, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 7, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 8, phone_key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 9, assignee, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 10, states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 11, start + (gint64) n * 60);

      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }

  counter = rd_sqlite_prepare (db,
                               "INSERT INTO counters (name, value) VALUES ('ticket', ?1)"
                               " ON CONFLICT (name) DO UPDATE SET value = max(value, ?1)",
                               &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (counter, 1, n_tickets);
  g_assert_cmpint (sqlite3_step (counter), ==, SQLITE_DONE);

  g_assert_true (rd_sqlite_commit (db, &error));
  g_assert_true (rd_sqlite_exec (db, "PRAGMA cache_size = -2000", &error));
  g_assert_no_error (error);
}
