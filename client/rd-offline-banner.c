/* rd-offline-banner.c: says that the server is away and what waits for it
 *
 * A bar over the tickets list, revealed while the outbox finds the server
 * unreachable ("Offline — changes will be sent when the server is back"),
 * while changes wait for the user (a conflict, a refusal: their ticket's
 * page says what to do) or while changes wait to be sent, with a button
 * that tries at once.
 * libadwaita 1.2 has no AdwBanner, so it is a revealer with the same look.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdOfflineBanner"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-offline-banner.h"

struct _RdOfflineBanner
{
  AdwBin       parent_instance;

  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *button;

  RdOutbox    *outbox;
};

G_DEFINE_FINAL_TYPE (RdOfflineBanner, rd_offline_banner, ADW_TYPE_BIN)

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rd_offline_banner_update (RdOfflineBanner *self)
{
  g_autofree char *text = NULL;
  guint n_queued = 0;
  guint n_held = 0;
  gboolean online = TRUE;

  if (self->outbox != NULL)
    {
      n_queued = rd_outbox_get_n_queued (self->outbox);
      n_held = rd_outbox_get_n_held (self->outbox);
      online = rd_outbox_get_online (self->outbox);
    }

  if (!online)
    text = g_strdup (_("Offline — changes will be sent when the server is back"));
  else if (n_held > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change was not sent and needs you: "
                                         "open its ticket",
                                         "%u changes were not sent and need you: "
                                         "open their tickets",
                                         n_held),
                            n_held);
  else if (n_queued > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change not sent yet",
                                         "%u changes not sent yet",
                                         n_queued),
                            n_queued);

  gtk_label_set_label (self->label, text ? text : "");
  gtk_button_set_label (self->button, online ? _("_Send Now") : _("_Try Again"));
  /* what waits for the user does not go with a click here */
  gtk_widget_set_visible (GTK_WIDGET (self->button), !online || n_queued > n_held);
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
}

static void
on_button_clicked (RdOfflineBanner *self)
{
  rd_offline_banner_retry (self);
}

static void
rd_offline_banner_dispose (GObject *object)
{
  RdOfflineBanner *self = (RdOfflineBanner *)object;

  rd_outbox_replace (&self->outbox, NULL, self);

  G_OBJECT_CLASS (rd_offline_banner_parent_class)->dispose (object);
}

static void
rd_offline_banner_class_init (RdOfflineBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_offline_banner_dispose;

  /**
   * RdOfflineBanner::retry:
   *
   * The user asked to try the server now.
   */
  signals[RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rd_offline_banner_init (RdOfflineBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);

  self->button = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_use_underline (self->button, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  g_signal_connect_object (self->button, "clicked", G_CALLBACK (on_button_clicked), self,
                           G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));
  gtk_widget_add_css_class (box, "offline-banner");
  g_object_set (box,
                "margin-top", 6, "margin-bottom", 6,
                "margin-start", 12, "margin-end", 12,
                NULL);

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->revealer, box);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connection to the server"),
                                  -1);

  rd_offline_banner_update (self);
}

GtkWidget *
rd_offline_banner_new (void)
{
  return g_object_new (RD_TYPE_OFFLINE_BANNER, NULL);
}

/**
 * rd_offline_banner_set_outbox:
 * @outbox: (nullable): the connection's outbox
 */
void
rd_offline_banner_set_outbox (RdOfflineBanner *self,
                              RdOutbox        *outbox)
{
  g_return_if_fail (RD_IS_OFFLINE_BANNER (self));
  g_return_if_fail (!outbox || RD_IS_OUTBOX (outbox));

  if (!rd_outbox_replace (&self->outbox, outbox, self))
    return;

  if (outbox != NULL)
    {
      g_signal_connect_object (outbox, "notify::online",
                               G_CALLBACK (rd_offline_banner_update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (outbox, "notify::n-queued",
                               G_CALLBACK (rd_offline_banner_update), self, G_CONNECT_SWAPPED);
    }

  rd_offline_banner_update (self);
}

/**
 * rd_offline_banner_get_shown:
 *
 * Returns: whether the banner is revealed
 */
gboolean
rd_offline_banner_get_shown (RdOfflineBanner *self)
{
  g_return_val_if_fail (RD_IS_OFFLINE_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
rd_offline_banner_get_text (RdOfflineBanner *self)
{
  g_return_val_if_fail (RD_IS_OFFLINE_BANNER (self), NULL);

  return gtk_label_get_label (self->label);
}

/**
 * rd_offline_banner_retry:
 * @self: a #RdOfflineBanner
 *
 * What the button does: the outbox tries the server now, and
 * #RdOfflineBanner::retry is emitted for the page to load again.
 */
void
rd_offline_banner_retry (RdOfflineBanner *self)
{
  g_return_if_fail (RD_IS_OFFLINE_BANNER (self));

  if (self->outbox != NULL)
    rd_outbox_replay (self->outbox);
  g_signal_emit (self, signals[RETRY], 0);
}
