/* rd-ticket-editor.c: the form that creates or edits a ticket
 *
 * Without a ticket it creates one (POST /tickets); with one it sends only
 * the members that changed (PATCH /tickets/{n}). Location and asset are
 * picked from the server's lists, the assets narrowed to the location. The server checks every
 * field; when it refuses one, the form marks that row and says why, and
 * stays open with what was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTicketEditor"

#include "config.h"

#include <glib/gi18n.h>

#include "rd-outbox.h"
#include "rd-ticket-editor-private.h"
#include "rd-utils-private.h"

G_DEFINE_FINAL_TYPE (RdTicketEditor, rd_ticket_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_TICKET,
  PROP_BUSY,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  const char *member;
  gsize       offset;
} RdEditorField;

/* The entry rows and the ticket members they edit */
static const RdEditorField entry_fields[] = {
  { "subject", G_STRUCT_OFFSET (RdTicketEditor, subject_row) },
  { "area", G_STRUCT_OFFSET (RdTicketEditor, area_row) },
  { "category", G_STRUCT_OFFSET (RdTicketEditor, category_row) },
  { "requester", G_STRUCT_OFFSET (RdTicketEditor, requester_row) },
  { "requester_phone", G_STRUCT_OFFSET (RdTicketEditor, requester_phone_row) },
  { "external_number", G_STRUCT_OFFSET (RdTicketEditor, external_number_row) },
};

#define FIELD_WIDGET(self, field) (*(GtkWidget **) G_STRUCT_MEMBER_P ((self), (field)->offset))

static const char *
rd_ticket_editor_ticket_value (RdTicket   *ticket,
                               const char *member)
{
  if (g_str_equal (member, "subject"))
    return rd_ticket_get_subject (ticket);
  if (g_str_equal (member, "area"))
    return rd_ticket_get_area (ticket);
  if (g_str_equal (member, "category"))
    return rd_ticket_get_category (ticket);
  if (g_str_equal (member, "requester"))
    return rd_ticket_get_requester (ticket);
  if (g_str_equal (member, "requester_phone"))
    return rd_ticket_get_requester_phone (ticket);
  if (g_str_equal (member, "location_id"))
    return rd_ticket_get_location_id (ticket);
  if (g_str_equal (member, "asset_id"))
    return rd_ticket_get_asset_id (ticket);
  if (g_str_equal (member, "external_number"))
    return rd_ticket_get_external_number (ticket);
  if (g_str_equal (member, "description"))
    return rd_ticket_get_description (ticket);

  g_return_val_if_reached (NULL);
}

/* The id behind the row a picker shows, "" for none */
static const char *
rd_ticket_editor_picked (AdwComboRow *row,
                         GPtrArray   *ids)
{
  guint selected = adw_combo_row_get_selected (row);

  if (ids == NULL || selected >= ids->len)
    return "";

  return g_ptr_array_index (ids, selected);
}

static char *
rd_ticket_editor_place_label (GObject *place)
{
  if (RD_IS_LOCATION (place))
    return g_strdup (rd_location_get_name (RD_LOCATION (place)));

  if (rd_asset_get_tag (RD_ASSET (place)) != NULL && *rd_asset_get_tag (RD_ASSET (place)) != '\0')
    /* Translators: an asset in the ticket form's picker: its name, then its inventory tag */
    return g_strdup_printf (_("%s (%s)"), rd_asset_get_name (RD_ASSET (place)),
                            rd_asset_get_tag (RD_ASSET (place)));

  return g_strdup (rd_asset_get_name (RD_ASSET (place)));
}

/* Offers "None" and @places in @row (assets only at @location when it is
 * not empty), keeping @keep selected; a kept id the list lacks (not loaded
 * yet, or beyond it) stays as a row of its own, so saving never drops it,
 * unless it is an asset at another location. */
static void
rd_ticket_editor_offer (RdTicketEditor  *self,
                        AdwComboRow     *row,
                        GPtrArray      **ids,
                        GListModel      *places,
                        const char      *location,
                        const char      *keep)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) new_ids = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;
  guint n = places != NULL ? g_list_model_get_n_items (places) : 0;
  gboolean filtered_out = FALSE;

  gtk_string_list_append (labels, C_("location or asset", "None"));
  g_ptr_array_add (new_ids, g_strdup (""));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) place = g_list_model_get_item (places, i);
      g_autofree char *label = rd_ticket_editor_place_label (place);
      const char *id;

      if (RD_IS_ASSET (place))
        {
          id = rd_asset_get_id (RD_ASSET (place));
          if (location != NULL && *location != '\0' &&
              g_strcmp0 (rd_asset_get_location_id (RD_ASSET (place)), location) != 0)
            {
              filtered_out |= g_strcmp0 (id, keep) == 0;
              continue;
            }
        }
      else
        {
          id = rd_location_get_id (RD_LOCATION (place));
        }

      if (g_strcmp0 (id, keep) == 0)
        selected = new_ids->len;
      gtk_string_list_append (labels, label);
      g_ptr_array_add (new_ids, g_strdup (id));
    }

  /* an asset elsewhere than the location picked now is dropped */
  if (selected == 0 && keep != NULL && *keep != '\0' && !filtered_out)
    {
      /* Translators: a location or asset the form could not name (yet), by its id */
      g_autofree char *label = g_strdup_printf (_("Number %s"), keep);

      selected = new_ids->len;
      gtk_string_list_append (labels, label);
      g_ptr_array_add (new_ids, g_strdup (keep));
    }

  self->filling_places = TRUE;
  g_clear_pointer (ids, g_ptr_array_unref);
  *ids = g_steal_pointer (&new_ids);
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, selected);
  self->filling_places = FALSE;
}

static void
rd_ticket_editor_offer_assets (RdTicketEditor *self,
                               const char     *keep)
{
  g_autofree char *kept = g_strdup (keep);

  rd_ticket_editor_offer (self, self->asset_row, &self->asset_ids, self->assets,
                          rd_ticket_editor_picked (self->location_row, self->location_ids), kept);
}

static void
rd_ticket_editor_offer_places (RdTicketEditor *self,
                               const char     *location,
                               const char     *asset)
{
  g_autofree char *kept_location = g_strdup (location);
  g_autofree char *kept_asset = g_strdup (asset);

  rd_ticket_editor_offer (self, self->location_row, &self->location_ids, self->locations, NULL,
                          kept_location);
  rd_ticket_editor_offer_assets (self, kept_asset);
}

/* Another location: the assets offered are the ones there */
static void
rd_ticket_editor_location_picked_cb (RdTicketEditor *self)
{
  if (self->filling_places)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self->location_row), "error");
  rd_ticket_editor_offer_assets (self, rd_ticket_editor_picked (self->asset_row, self->asset_ids));
}

static gboolean
rd_ticket_editor_narrow_assets_idle (gpointer data)
{
  RdTicketEditor *self = data;

  if (self->asset_row != NULL)
    rd_ticket_editor_offer_assets (self, rd_ticket_editor_picked (self->asset_row, self->asset_ids));

  return G_SOURCE_REMOVE;
}

/* An asset picked without a location brings its location along */
static void
rd_ticket_editor_asset_picked_cb (RdTicketEditor *self)
{
  const char *asset = rd_ticket_editor_picked (self->asset_row, self->asset_ids);
  guint n = self->assets != NULL ? g_list_model_get_n_items (self->assets) : 0;

  if (self->filling_places)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self->asset_row), "error");
  if (*rd_ticket_editor_picked (self->location_row, self->location_ids) != '\0')
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RdAsset) item = g_list_model_get_item (self->assets, i);

      if (g_str_equal (rd_asset_get_id (item), asset) && rd_asset_get_location_id (item) != NULL)
        {
          for (guint j = 0; j < self->location_ids->len; j++)
            {
              if (g_str_equal (g_ptr_array_index (self->location_ids, j), rd_asset_get_location_id (item)))
                {
                  self->filling_places = TRUE;
                  adw_combo_row_set_selected (self->location_row, j);
                  self->filling_places = FALSE;
                  /* not now: the asset row is still emitting its change */
                  g_idle_add_full (G_PRIORITY_DEFAULT, rd_ticket_editor_narrow_assets_idle,
                                   g_object_ref (self), g_object_unref);
                  break;
                }
            }
          return;
        }
    }
}

static void
rd_ticket_editor_places_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(RdTicketEditor) self = user_data;
  g_autoptr(GListModel) places = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *asset = NULL;

  places = rd_connection_list_places_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (places == NULL)
    {
      g_debug ("Cannot load the places: %s", error->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->location_row),
                                   _("The lists could not be loaded. Check the connection, then open the form again."));
      return;
    }

  if (g_list_model_get_item_type (places) == RD_TYPE_LOCATION)
    g_set_object (&self->locations, places);
  else
    g_set_object (&self->assets, places);

  location = g_strdup (rd_ticket_editor_picked (self->location_row, self->location_ids));
  asset = g_strdup (rd_ticket_editor_picked (self->asset_row, self->asset_ids));
  rd_ticket_editor_offer_places (self, location, asset);
}

static void
rd_ticket_editor_set_busy (RdTicketEditor *self,
                           gboolean        busy)
{
  gtk_stack_set_visible_child_name (self->save_stack, busy ? "spinner" : "button");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
rd_ticket_editor_clear_errors (RdTicketEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (entry_fields); i++)
    gtk_widget_remove_css_class (FIELD_WIDGET (self, &entry_fields[i]), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->description_frame), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->priority_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->location_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->asset_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
}

static char *
rd_ticket_editor_get_description (RdTicketEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Says which field the server refused, in words, and marks its row */
static void
rd_ticket_editor_show_error (RdTicketEditor *self,
                             const GError   *error)
{
  g_autofree char *field = rd_utils_error_field (error);
  g_autofree char *message = NULL;
  GtkWidget *widget = NULL;
  const char *title = NULL;

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (entry_fields); i++)
    if (g_str_equal (field, entry_fields[i].member))
      widget = FIELD_WIDGET (self, &entry_fields[i]);

  if (g_strcmp0 (field, "description") == 0)
    widget = GTK_WIDGET (self->description_frame);
  else if (g_strcmp0 (field, "priority") == 0)
    widget = GTK_WIDGET (self->priority_row);
  else if (g_strcmp0 (field, "location_id") == 0)
    widget = GTK_WIDGET (self->location_row);
  else if (g_strcmp0 (field, "asset_id") == 0)
    widget = GTK_WIDGET (self->asset_row);

  if (widget == GTK_WIDGET (self->description_frame))
    title = _("Description");
  else if (widget != NULL)
    title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

  if (widget != NULL && error->code == RD_ERROR_MISSING_FIELD)
    /* Translators: %s is the title of a form field */
    message = g_strdup_printf (_("“%s” is required. Fill it in, then save again."), title);
  else if (widget != NULL && error->code == RD_ERROR_TOO_LARGE)
    message = g_strdup_printf (_("“%s” is too long. Shorten it, then save again."), title);
  else if (widget != NULL && error->code == RD_ERROR_CONFLICT)
    message = g_strdup_printf (_("Another ticket already has this “%s”. Check it, then save again."), title);
  else if (widget == GTK_WIDGET (self->requester_phone_row))
    message = g_strdup (_("The phone number needs digits. Correct it, then save again."));
  else if (widget != NULL)
    message = g_strdup_printf (_("The server does not accept this “%s”. Correct it, then save again."), title);
  else
    message = rd_utils_describe_ticket_error (error);

  if (widget != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_grab_focus (widget);
    }

  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
}

/* What a save sent, to queue it when the server cannot be reached */
typedef struct
{
  RdTicketEditor *self;
  JsonObject     *changes;
} RdEditorSave;

static void
rd_editor_save_free (RdEditorSave *save)
{
  g_object_unref (save->self);
  json_object_unref (save->changes);
  g_free (save);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdEditorSave, rd_editor_save_free)

/* Queues what the form would have sent */
static RdTicket *
rd_ticket_editor_queue (RdTicketEditor  *self,
                        RdOutbox        *outbox,
                        JsonObject      *changes,
                        GError         **error)
{
  if (self->ticket == NULL)
    return rd_outbox_queue_create (outbox, changes, self->call_id, error);

  return rd_outbox_queue_patch (outbox, self->ticket, changes, error);
}

/* Ends a save with the server's reply: @ticket, or @error. When the
 * server cannot be reached, the outbox keeps the ticket or the change and
 * the form is done as if saved, with the ticket as it will be. */
static void
rd_ticket_editor_saved (RdTicketEditor *self,
                        JsonObject     *changes,
                        RdTicket       *ticket,
                        const GError   *error,
                        gboolean        from_server)
{
  g_autoptr(RdTicket) queued = NULL;
  RdOutbox *outbox = rd_outbox_get_for_connection (self->connection);

  rd_ticket_editor_set_busy (self, FALSE);

  if (outbox != NULL && from_server)
    rd_outbox_set_online (outbox, !rd_outbox_error_is_unreachable (error));

  if (ticket == NULL && outbox != NULL && rd_outbox_error_is_unreachable (error))
    {
      g_autoptr(GError) queue_error = NULL;

      g_debug ("Queueing the ticket: %s", error->message);
      queued = rd_ticket_editor_queue (self, outbox, changes, &queue_error);
      if (queued == NULL)
        g_warning ("Could not queue the ticket: %s", queue_error->message);
      ticket = queued;
    }

  if (ticket == NULL)
    {
      g_debug ("The server refused the ticket: %s", error->message);
      rd_ticket_editor_show_error (self, error);
      return;
    }

  g_set_object (&self->ticket, ticket);
  g_signal_emit (self, signals[SAVED], 0, ticket);
  gtk_window_close (GTK_WINDOW (self));
}

static void
rd_ticket_editor_save_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(RdEditorSave) save = user_data;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  ticket = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  rd_ticket_editor_saved (save->self, save->changes, ticket, error, TRUE);
}

/* Adds @member to @changes when creating, or when @value differs from the ticket's */
static void
rd_ticket_editor_add_change (RdTicketEditor *self,
                             JsonObject     *changes,
                             const char     *member,
                             const char     *value)
{
  if (self->ticket != NULL &&
      g_strcmp0 (rd_ticket_editor_ticket_value (self->ticket, member) ?: "", value) == 0)
    return;

  if (self->ticket == NULL && *value == '\0' && !g_str_equal (member, "subject"))
    return;

  json_object_set_string_member (changes, member, value);
}

/**
 * rd_ticket_editor_save:
 * @self: a #RdTicketEditor
 *
 * Sends the form to the server. On success #RdTicketEditor::saved is
 * emitted and the window closes; otherwise the refused field is marked.
 */
void
rd_ticket_editor_save (RdTicketEditor *self)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autofree char *description = NULL;
  RdEditorSave *save;
  RdPriority priority;

  g_return_if_fail (RD_IS_TICKET_EDITOR (self));

  rd_ticket_editor_clear_errors (self);

  for (guint i = 0; i < G_N_ELEMENTS (entry_fields); i++)
    {
      g_autofree char *value = NULL;

      value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (FIELD_WIDGET (self, &entry_fields[i])))));
      rd_ticket_editor_add_change (self, changes, entry_fields[i].member, value);
    }

  if (gtk_widget_get_visible (GTK_WIDGET (self->location_row)))
    {
      rd_ticket_editor_add_change (self, changes, "location_id",
                                   rd_ticket_editor_picked (self->location_row, self->location_ids));
      rd_ticket_editor_add_change (self, changes, "asset_id",
                                   rd_ticket_editor_picked (self->asset_row, self->asset_ids));
    }

  description = rd_ticket_editor_get_description (self);
  rd_ticket_editor_add_change (self, changes, "description", description);

  priority = (RdPriority) adw_combo_row_get_selected (self->priority_row);
  if (priority > RD_PRIORITY_URGENT)
    priority = RD_PRIORITY_NORMAL;
  if (self->ticket == NULL || rd_ticket_get_priority (self->ticket) != priority)
    json_object_set_string_member (changes, "priority", rd_priority_to_string (priority));

  if (self->ticket != NULL && json_object_get_size (changes) == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  rd_ticket_editor_set_busy (self, TRUE);

  save = g_new0 (RdEditorSave, 1);
  save->self = g_object_ref (self);
  save->changes = json_object_ref (changes);

  if (self->ticket == NULL && self->call_id != NULL)
    rd_connection_create_call_ticket_async (self->connection, self->call_id, changes, self->cancellable,
                                            rd_ticket_editor_save_cb, save);
  else if (self->ticket == NULL)
    rd_connection_create_ticket_async (self->connection, changes, self->cancellable,
                                       rd_ticket_editor_save_cb, save);
  else if (rd_outbox_ticket_is_local (self->ticket))
    {
      /* Not on the server yet: the change waits behind its creation */
      g_autoptr(GError) error = g_error_new_literal (RD_ERROR, RD_ERROR_UNAVAILABLE,
                                                     "The ticket is not on the server yet");

      rd_ticket_editor_saved (self, changes, NULL, error, FALSE);
      rd_editor_save_free (save);
    }
  else
    rd_connection_update_ticket_async (self->connection, rd_ticket_get_number (self->ticket),
                                       changes, self->cancellable,
                                       rd_ticket_editor_save_cb, save);
}

static void
rd_ticket_editor_save_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  rd_ticket_editor_save (RD_TICKET_EDITOR (widget));
}

static void
rd_ticket_editor_row_changed_cb (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

static void
rd_ticket_editor_fill (RdTicketEditor *self)
{
  g_autofree char *title = NULL;
  const char *description;

  rd_ticket_editor_offer_places (self,
                                 self->ticket != NULL ? rd_ticket_get_location_id (self->ticket) : NULL,
                                 self->ticket != NULL ? rd_ticket_get_asset_id (self->ticket) : NULL);

  if (self->ticket == NULL)
    {
      adw_window_title_set_title (self->window_title, _("New Ticket"));
      gtk_button_set_label (self->save_button, _("C_reate"));
      gtk_window_set_title (GTK_WINDOW (self), _("New Ticket"));
      return;
    }

  /* Translators: the title of the form that edits ticket #%s */
  title = g_strdup_printf (_("Edit Ticket #%s"), rd_ticket_get_number (self->ticket));
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_button_set_label (self->save_button, _("_Save"));

  for (guint i = 0; i < G_N_ELEMENTS (entry_fields); i++)
    {
      const char *value = rd_ticket_editor_ticket_value (self->ticket, entry_fields[i].member);

      gtk_editable_set_text (GTK_EDITABLE (FIELD_WIDGET (self, &entry_fields[i])), value ? value : "");
    }

  description = rd_ticket_get_description (self->ticket);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                            description ? description : "", -1);
  adw_combo_row_set_selected (self->priority_row, rd_ticket_get_priority (self->ticket));
}

static void
rd_ticket_editor_constructed (GObject *object)
{
  RdTicketEditor *self = (RdTicketEditor *)object;

  G_OBJECT_CLASS (rd_ticket_editor_parent_class)->constructed (object);

  rd_ticket_editor_fill (self);

  if (self->connection != NULL)
    {
      rd_connection_list_places_async (self->connection, RD_TYPE_LOCATION, self->cancellable,
                                       rd_ticket_editor_places_cb, g_object_ref (self));
      rd_connection_list_places_async (self->connection, RD_TYPE_ASSET, self->cancellable,
                                       rd_ticket_editor_places_cb, g_object_ref (self));
    }
}

static void
rd_ticket_editor_dispose (GObject *object)
{
  RdTicketEditor *self = (RdTicketEditor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), RD_TYPE_TICKET_EDITOR);

  g_clear_object (&self->connection);
  g_clear_object (&self->ticket);
  g_clear_pointer (&self->call_id, g_free);
  g_clear_object (&self->locations);
  g_clear_object (&self->assets);
  g_clear_pointer (&self->location_ids, g_ptr_array_unref);
  g_clear_pointer (&self->asset_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_ticket_editor_parent_class)->dispose (object);
}

static void
rd_ticket_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RdTicketEditor *self = RD_TICKET_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_TICKET:
      g_value_set_object (value, self->ticket);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, rd_ticket_editor_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RdTicketEditor *self = RD_TICKET_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_TICKET:
      self->ticket = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_ticket_editor_class_init (RdTicketEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rd_ticket_editor_constructed;
  object_class->dispose = rd_ticket_editor_dispose;
  object_class->get_property = rd_ticket_editor_get_property;
  object_class->set_property = rd_ticket_editor_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         RD_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RdTicketEditor:ticket:
   *
   * The ticket edited, %NULL for a new one; after saving, the ticket as the
   * server stored it.
   */
  properties[PROP_TICKET] =
    g_param_spec_object ("ticket", NULL, NULL,
                         RD_TYPE_TICKET,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdTicketEditor::saved:
   * @self: the form
   * @ticket: the ticket as the server stored it
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RD_TYPE_TICKET);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/rd-ticket-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, save_stack);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, subject_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, priority_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, area_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, description_frame);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, description_view);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, requester_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, requester_phone_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, location_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, asset_row);
  gtk_widget_class_bind_template_child (widget_class, RdTicketEditor, external_number_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, rd_ticket_editor_save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rd_ticket_editor_init (RdTicketEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (entry_fields); i++)
    g_signal_connect (FIELD_WIDGET (self, &entry_fields[i]), "changed",
                      G_CALLBACK (rd_ticket_editor_row_changed_cb), NULL);

  g_signal_connect_swapped (self->location_row, "notify::selected",
                            G_CALLBACK (rd_ticket_editor_location_picked_cb), self);
  g_signal_connect_swapped (self->asset_row, "notify::selected",
                            G_CALLBACK (rd_ticket_editor_asset_picked_cb), self);

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

/**
 * rd_ticket_editor_new:
 * @connection: a signed-in connection
 * @ticket: (nullable): the ticket to edit, or %NULL for a new one
 *
 * Returns: (transfer full): the form, a modal window
 */
GtkWidget *
rd_ticket_editor_new (RdConnection *connection,
                      RdTicket     *ticket)
{
  g_return_val_if_fail (RD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (!ticket || RD_IS_TICKET (ticket), NULL);

  return g_object_new (RD_TYPE_TICKET_EDITOR,
                       "connection", connection,
                       "ticket", ticket,
                       NULL);
}

/**
 * rd_ticket_editor_get_ticket:
 *
 * Returns: (transfer none) (nullable): the ticket
 */
RdTicket *
rd_ticket_editor_get_ticket (RdTicketEditor *self)
{
  g_return_val_if_fail (RD_IS_TICKET_EDITOR (self), NULL);

  return self->ticket;
}

gboolean
rd_ticket_editor_get_busy (RdTicketEditor *self)
{
  g_return_val_if_fail (RD_IS_TICKET_EDITOR (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->save_stack), "spinner") == 0;
}

/**
 * rd_ticket_editor_set_call:
 * @self: a #RdTicketEditor for a new ticket
 * @call: the call the ticket is about
 *
 * Fills the form from @call (subject, requester, phone) and creates the
 * ticket from the call, so that the server binds them both ways. The
 * members a ticket from a call cannot take (location, asset, external
 * number) are hidden.
 */
void
rd_ticket_editor_set_call (RdTicketEditor *self,
                           RdCall         *call)
{
  RdCustomer *customer;
  const char *number;
  g_autofree char *subject = NULL;

  g_return_if_fail (RD_IS_TICKET_EDITOR (self));
  g_return_if_fail (RD_IS_CALL (call));
  g_return_if_fail (self->ticket == NULL);

  rd_set_str (&self->call_id, rd_call_get_id (call));

  customer = rd_call_get_customer (call);
  number = rd_call_get_direction (call) == RD_CALL_DIRECTION_OUT ? rd_call_get_to (call) : rd_call_get_from (call);

  /* Translators: the subject of a new ticket from a call, %s is the number */
  subject = g_strdup_printf (_("Call from %s"), number ? number : _("an unknown number"));
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
  gtk_editable_set_text (GTK_EDITABLE (self->requester_row),
                         customer && rd_customer_get_name (customer) ? rd_customer_get_name (customer) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->requester_phone_row), number ? number : "");

  gtk_widget_set_visible (GTK_WIDGET (self->location_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->asset_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->external_number_row), FALSE);
}
