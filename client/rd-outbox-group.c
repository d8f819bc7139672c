/* rd-outbox-group.c: the changes of one ticket that the server does not have yet
 *
 * A group of the ticket page, shown only when the outbox holds something
 * for the ticket: one row an operation, in order. A change waiting to be
 * sent says so; a change in conflict with someone else's (or refused by
 * the server) says why and offers "Keep Mine" (send it anyway, or again)
 * and "Discard Mine". Nothing leaves the outbox but through the server or
 * these buttons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdOutboxGroup"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-outbox-group.h"
#include "rd-utils-private.h"

struct _RdOutboxGroup
{
  AdwPreferencesGroup  parent_instance;

  RdOutbox            *outbox;
  char                *number;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (RdOutboxGroup, rd_outbox_group, ADW_TYPE_PREFERENCES_GROUP)

#define RD_OUTBOX_GROUP_OP_KEY "rd-outbox-op-id"

/* The fields of @members in words, e.g. "Subject, Priority" */
static char *
rd_outbox_group_field_names (const char * const *members)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    {
      if (names->len > 0)
        /* Translators: between the names of fields in a list */
        g_string_append (names, _(", "));
      g_string_append (names, rd_utils_ticket_field_name (members[i]));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
rd_outbox_group_describe (const RdOfflineOp *op)
{
  switch (op->kind)
    {
    case RD_OFFLINE_OP_CREATE:
      return g_strdup (_("New ticket"));

    case RD_OFFLINE_OP_PATCH:
      {
        g_autoptr(GList) members = json_object_get_members (op->body);
        g_autoptr(GPtrArray) fields = g_ptr_array_new ();
        g_autofree char *names = NULL;

        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (fields, l->data);
        g_ptr_array_add (fields, NULL);
        names = rd_outbox_group_field_names ((const char * const *) fields->pdata);

        /* Translators: %s lists the changed fields, e.g. "Subject, Priority" */
        return g_strdup_printf (_("Change of %s"), names);
      }

    case RD_OFFLINE_OP_TRANSITION:
      return g_strdup (_("Change of state"));

    case RD_OFFLINE_OP_EVIDENCE:
      return g_strdup (_("Evidence file"));

    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
rd_outbox_group_explain (const RdOfflineOp *op)
{
  switch (op->status)
    {
    case RD_OFFLINE_OP_CONFLICT:
      {
        g_auto(GStrv) members = g_strsplit (op->message ? op->message : "", ",", -1);
        g_autofree char *names = rd_outbox_group_field_names ((const char * const *) members);

        /* Translators: %s lists fields, e.g. "Subject" */
        return g_strdup_printf (_("Someone else changed %s meanwhile. "
                                  "Keep your change over theirs, or discard it."),
                                names);
      }

    case RD_OFFLINE_OP_REFUSED:
      /* Translators: %s is the server's reason, in English */
      return g_strdup_printf (_("The server refused it: %s. Try again, or discard it."),
                              op->message ? op->message : "");

    case RD_OFFLINE_OP_PENDING:
    default:
      return g_strdup (_("Waiting to be sent"));
    }
}

static void
rd_outbox_group_resolve (GtkButton     *button,
                         RdOutboxGroup *self,
                         gboolean       keep_mine)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  gint64 *id = g_object_get_data (G_OBJECT (row), RD_OUTBOX_GROUP_OP_KEY);
  g_autoptr(GError) error = NULL;

  if (self->outbox == NULL || id == NULL)
    return;

  if (!rd_outbox_resolve (self->outbox, *id, keep_mine, &error))
    g_warning ("%s", error->message);
}

static void
on_keep_clicked (GtkButton     *button,
                 RdOutboxGroup *self)
{
  rd_outbox_group_resolve (button, self, TRUE);
}

static void
on_discard_clicked (GtkButton     *button,
                    RdOutboxGroup *self)
{
  rd_outbox_group_resolve (button, self, FALSE);
}

static GtkWidget *
rd_outbox_group_button (RdOutboxGroup *self,
                        const char    *label,
                        const char    *name,
                        GCallback      callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", callback, self, 0);

  return button;
}

static void
rd_outbox_group_rebuild (RdOutboxGroup *self)
{
  g_autoptr(GPtrArray) ops = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (self->outbox != NULL && self->number != NULL)
    ops = rd_outbox_list_ops (self->outbox, self->number);

  for (guint i = 0; ops != NULL && i < ops->len; i++)
    {
      RdOfflineOp *op = g_ptr_array_index (ops, i);
      g_autofree char *title = rd_outbox_group_describe (op);
      g_autofree char *subtitle = rd_outbox_group_explain (op);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), RD_OUTBOX_GROUP_OP_KEY,
                              g_memdup2 (&op->id, sizeof op->id), g_free);

      if (op->status == RD_OFFLINE_OP_PENDING)
        {
          adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("document-send-symbolic"));
        }
      else
        {
          gtk_widget_add_css_class (row, "warning");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     rd_outbox_group_button (self,
                                                             op->status == RD_OFFLINE_OP_CONFLICT ?
                                                               _("_Keep Mine") : _("_Try Again"),
                                                             "keep", G_CALLBACK (on_keep_clicked)));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     rd_outbox_group_button (self, _("_Discard Mine"), "discard",
                                                             G_CALLBACK (on_discard_clicked)));
        }

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self), self->rows->len > 0);
}

static void
rd_outbox_group_dispose (GObject *object)
{
  RdOutboxGroup *self = (RdOutboxGroup *)object;

  rd_outbox_replace (&self->outbox, NULL, self);

  G_OBJECT_CLASS (rd_outbox_group_parent_class)->dispose (object);
}

static void
rd_outbox_group_finalize (GObject *object)
{
  RdOutboxGroup *self = (RdOutboxGroup *)object;

  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_outbox_group_parent_class)->finalize (object);
}

static void
rd_outbox_group_class_init (RdOutboxGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_outbox_group_dispose;
  object_class->finalize = rd_outbox_group_finalize;
}

static void
rd_outbox_group_init (RdOutboxGroup *self)
{
  self->rows = g_ptr_array_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Not Sent Yet"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Changes made while the server could not be reached"));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
rd_outbox_group_new (void)
{
  return g_object_new (RD_TYPE_OUTBOX_GROUP, NULL);
}

/**
 * rd_outbox_group_set_outbox:
 * @outbox: (nullable): the connection's outbox
 */
void
rd_outbox_group_set_outbox (RdOutboxGroup *self,
                            RdOutbox      *outbox)
{
  g_return_if_fail (RD_IS_OUTBOX_GROUP (self));
  g_return_if_fail (!outbox || RD_IS_OUTBOX (outbox));

  if (!rd_outbox_replace (&self->outbox, outbox, self))
    return;

  if (outbox != NULL)
    g_signal_connect_object (outbox, "changed", G_CALLBACK (rd_outbox_group_rebuild), self,
                             G_CONNECT_SWAPPED);

  rd_outbox_group_rebuild (self);
}

/**
 * rd_outbox_group_set_ticket:
 * @number: (nullable): the ticket number or local label
 */
void
rd_outbox_group_set_ticket (RdOutboxGroup *self,
                            const char    *number)
{
  g_return_if_fail (RD_IS_OUTBOX_GROUP (self));

  rd_set_str (&self->number, number);
  rd_outbox_group_rebuild (self);
}

guint
rd_outbox_group_get_n_rows (RdOutboxGroup *self)
{
  g_return_val_if_fail (RD_IS_OUTBOX_GROUP (self), 0);

  return self->rows->len;
}

/**
 * rd_outbox_group_get_row:
 *
 * Returns: (transfer none): the #AdwActionRow of the operation at @position
 */
GtkWidget *
rd_outbox_group_get_row (RdOutboxGroup *self,
                         guint          position)
{
  g_return_val_if_fail (RD_IS_OUTBOX_GROUP (self), NULL);
  g_return_val_if_fail (position < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, position);
}
