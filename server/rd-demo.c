/* rd-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeds the demo users on a fresh store: agent, technician, supervisor and
 * admin, each with a random 12-character password, and writes them to
 * `<data-dir>/demo-accounts.txt` (mode 0600, lines `username password`) for the
 * run-demo script; and the simulator's regular callers as customers, with an
 * open ticket for those who have an issue, so the demo's popups show names.
 */

#define G_LOG_DOMAIN "RdDemo"

#include "config.h"

#include <glib/gstdio.h>

#include "rd-api.h"
#include "rd-auth.h"
#include "rd-demo.h"
#include "rd-sim-pbx.h"
#include "rd-error.h"

static const struct {
  const char *username;
  const char *role;
  const char *display_name;
  const char *extension;
} demo_users[] = {
  { "agent",      RD_ROLE_AGENT,      "Ana Agent",        "201" },
  { "technician", RD_ROLE_TECHNICIAN, "Tomás Technician", "732" },
  { "supervisor", RD_ROLE_SUPERVISOR, "Sara Supervisor",  NULL },
  { "admin",      RD_ROLE_ADMIN,      "Adam Admin",       NULL },
};

/**
 * rd_demo_seed_users:
 * @accounts: (out) (transfer full) (nullable): `username password` lines when
 *   users were created, %NULL when the store already had users
 */
gboolean
rd_demo_seed_users (RdStore     *store,
                    const char  *data_dir,
                    GPtrArray  **accounts,
                    GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autofree char *path = NULL;
  gint64 count;

  g_return_val_if_fail (RD_IS_STORE (store), FALSE);
  g_return_val_if_fail (accounts != NULL, FALSE);

  *accounts = NULL;

  count = rd_store_count_users (store, error);
  if (count < 0)
    return FALSE;
  if (count > 0)
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      const char *roles[] = { demo_users[i].role, NULL };
      g_autoptr(RdUser) user = rd_user_new (demo_users[i].username);
      g_autofree char *password = NULL;
      g_autofree char *hash = NULL;

      rd_user_set_display_name (user, demo_users[i].display_name);
      rd_user_set_roles (user, roles);
      rd_user_set_extension (user, demo_users[i].extension);

      password = rd_auth_generate_password (12, error);
      if (password == NULL)
        return FALSE;
      hash = rd_auth_hash_password (password, error);
      if (hash == NULL || !rd_store_add_user (store, user, hash, error))
        {
          g_prefix_error (error, "Cannot create demo user %s: ", demo_users[i].username);
          return FALSE;
        }

      g_ptr_array_add (lines, g_strdup_printf ("%s %s", demo_users[i].username, password));
      g_string_append_printf (contents, "%s %s\n", demo_users[i].username, password);
    }

  path = g_build_filename (data_dir, RD_DEMO_ACCOUNTS_FILENAME, NULL);
  if (!g_file_set_contents_full (path, contents->str, contents->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_prefix_error (error, "Cannot write %s: ", path);
      return FALSE;
    }

  *accounts = g_steal_pointer (&lines);
  return TRUE;
}

/**
 * rd_demo_seed_customers:
 *
 * Adds the PBX simulator's regular callers (rd_sim_pbx_get_demo_callers())
 * as customers, and an open ticket for each one's issue, unless the store
 * already has customers.
 */
gboolean
rd_demo_seed_customers (RdCustomerStore  *customers,
                        RdTicketStore    *tickets,
                        GError          **error)
{
  g_autoptr(GListModel) existing = NULL;
  const RdSimDemoCaller *callers;
  guint n_callers;

  existing = rd_customer_store_list (customers, 0, 1, error);
  if (existing == NULL)
    return FALSE;
  if (g_list_model_get_n_items (existing) > 0)
    return TRUE;

  callers = rd_sim_pbx_get_demo_callers (&n_callers);
  for (guint i = 0; i < n_callers; i++)
    {
      g_autoptr(RdCustomer) draft = rd_customer_new (NULL);
      g_autoptr(RdCustomer) customer = NULL;
      const char *phones[] = { callers[i].number, NULL };

      rd_customer_set_name (draft, callers[i].name);
      rd_customer_set_company (draft, callers[i].company);
      rd_customer_set_phones (draft, phones);
      if ((customer = rd_customer_store_add (customers, draft, error)) == NULL)
        return FALSE;

      if (callers[i].issue != NULL)
        {
          g_autoptr(RdTicket) ticket = rd_ticket_new (NULL);
          g_autoptr(RdTicket) created = NULL;

          rd_ticket_set_subject (ticket, callers[i].issue);
          rd_ticket_set_requester (ticket, callers[i].name);
          rd_ticket_set_requester_phone (ticket, callers[i].number);
          if ((created = rd_ticket_store_create (tickets, ticket, "agent", error)) == NULL)
            return FALSE;
        }
    }

  return TRUE;
}
