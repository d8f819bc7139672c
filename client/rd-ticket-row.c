/* rd-ticket-row.c: a ticket in the compact (narrow) tickets list
 *
 * Two lines: number and subject with the state badge, then requester,
 * priority and age, dimmed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTicketRow"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-outbox.h"
#include "rd-state-badge.h"
#include "rd-ticket-row.h"
#include "rd-utils-private.h"

struct _RdTicketRow
{
  AdwBin        parent_instance;

  GtkLabel     *title_label;
  GtkLabel     *details_label;
  RdStateBadge *badge;
  RdTicket     *ticket;
};

G_DEFINE_FINAL_TYPE (RdTicketRow, rd_ticket_row, ADW_TYPE_BIN)

static void
rd_ticket_row_dispose (GObject *object)
{
  RdTicketRow *self = (RdTicketRow *)object;

  g_clear_object (&self->ticket);

  G_OBJECT_CLASS (rd_ticket_row_parent_class)->dispose (object);
}

static void
rd_ticket_row_class_init (RdTicketRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_ticket_row_dispose;
}

static void
rd_ticket_row_init (RdTicketRow *self)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  gtk_widget_add_css_class (grid, "ticket-row");

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_label_set_ellipsize (self->title_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->title_label), 0, 0, 1, 1);

  self->badge = RD_STATE_BADGE (rd_state_badge_new ());
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->badge), 1, 0, 1, 1);

  self->details_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->details_label, 0);
  gtk_label_set_ellipsize (self->details_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "caption");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->details_label), 0, 1, 2, 1);

  adw_bin_set_child (ADW_BIN (self), grid);
}

GtkWidget *
rd_ticket_row_new (void)
{
  return g_object_new (RD_TYPE_TICKET_ROW, NULL);
}

/**
 * rd_ticket_row_get_ticket:
 *
 * Returns: (transfer none) (nullable): the ticket shown
 */
RdTicket *
rd_ticket_row_get_ticket (RdTicketRow *self)
{
  g_return_val_if_fail (RD_IS_TICKET_ROW (self), NULL);

  return self->ticket;
}

void
rd_ticket_row_set_ticket (RdTicketRow *self,
                          RdTicket    *ticket)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *title = NULL;
  g_autofree char *age = NULL;
  g_autofree char *details = NULL;
  g_autofree char *number = NULL;
  const char *requester;

  g_return_if_fail (RD_IS_TICKET_ROW (self));
  g_return_if_fail (!ticket || RD_IS_TICKET (ticket));

  if (!g_set_object (&self->ticket, ticket) || ticket == NULL)
    return;

  /* Translators: a ticket's number and subject, as in "#12 · Printer jam" */
  number = rd_outbox_format_number (ticket);
  title = g_strdup_printf (_("#%s · %s"), number, rd_ticket_get_subject (ticket));
  gtk_label_set_label (self->title_label, title);

  now = g_date_time_new_now_utc ();
  age = rd_utils_format_relative (rd_ticket_get_created_at (ticket), now);
  requester = rd_ticket_get_requester (ticket);
  if (requester == NULL || *requester == '\0')
    requester = _("No requester");

  if (rd_outbox_ticket_is_unsent (ticket))
    /* Translators: requester, priority and age of a ticket in the narrow
     * list, whose changes wait for the server */
    details = g_strdup_printf (_("Not sent · %s · %s · %s"), requester,
                               rd_utils_priority_name (rd_ticket_get_priority (ticket)), age);
  else
    /* Translators: requester, priority and age of a ticket in the narrow list */
    details = g_strdup_printf (_("%s · %s · %s"), requester,
                               rd_utils_priority_name (rd_ticket_get_priority (ticket)), age);
  gtk_label_set_label (self->details_label, details);

  rd_state_badge_set_state (self->badge, rd_ticket_get_state (ticket));
}
