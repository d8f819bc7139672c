/* rd-state-badge.c: a ticket's state as a coloured pill
 *
 * The colour comes from style.css (.state-badge.open, .in-progress, …) so
 * that it follows the dark and high-contrast styles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdStateBadge"

#include "config.h"

#include "rd-state-badge.h"
#include "rd-utils-private.h"

struct _RdStateBadge
{
  AdwBin         parent_instance;

  GtkLabel      *label;
  RdTicketState  state;
};

G_DEFINE_FINAL_TYPE (RdStateBadge, rd_state_badge, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_classes[] = {
  [RD_TICKET_STATE_OPEN] = "open",
  [RD_TICKET_STATE_IN_PROGRESS] = "in-progress",
  [RD_TICKET_STATE_RESOLVED] = "resolved",
  [RD_TICKET_STATE_CLOSED] = "closed",
  [RD_TICKET_STATE_CANCELLED] = "cancelled",
};

static void
rd_state_badge_update (RdStateBadge *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), state_classes[i]);

  if ((guint) self->state < G_N_ELEMENTS (state_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->label), state_classes[self->state]);

  gtk_label_set_label (self->label, rd_utils_ticket_state_name (self->state));
}

static void
rd_state_badge_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RdStateBadge *self = RD_STATE_BADGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_state_badge_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RdStateBadge *self = RD_STATE_BADGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      rd_state_badge_set_state (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_state_badge_class_init (RdStateBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rd_state_badge_get_property;
  object_class->set_property = rd_state_badge_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       RD_TYPE_TICKET_STATE,
                       RD_TICKET_STATE_OPEN,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_state_badge_init (RdStateBadge *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "state-badge");
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption-heading");
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->label));

  self->state = RD_TICKET_STATE_OPEN;
  rd_state_badge_update (self);
}

GtkWidget *
rd_state_badge_new (void)
{
  return g_object_new (RD_TYPE_STATE_BADGE, NULL);
}

RdTicketState
rd_state_badge_get_state (RdStateBadge *self)
{
  g_return_val_if_fail (RD_IS_STATE_BADGE (self), RD_TICKET_STATE_OPEN);

  return self->state;
}

void
rd_state_badge_set_state (RdStateBadge  *self,
                          RdTicketState  state)
{
  g_return_if_fail (RD_IS_STATE_BADGE (self));

  if (self->state == state)
    return;

  self->state = state;
  rd_state_badge_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}
