/* rd-ticket-change.c: one row of a ticket's history
 *
 * What GET /api/v1/tickets/{number}/history lists: who changed which member
 * when, from what to what, and the note of a move. Read-only once parsed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdTicketChange"

#include "config.h"

#include "rd-common.h"
#include "rd-ticket-change.h"

struct _RdTicketChange
{
  GObject    parent_instance;

  GDateTime *at;
  char      *username;
  char      *field;
  char      *old_value;
  char      *new_value;
  char      *note;
};

G_DEFINE_FINAL_TYPE (RdTicketChange, rd_ticket_change, G_TYPE_OBJECT)

static void
rd_ticket_change_finalize (GObject *object)
{
  RdTicketChange *self = (RdTicketChange *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->field, g_free);
  g_clear_pointer (&self->old_value, g_free);
  g_clear_pointer (&self->new_value, g_free);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (rd_ticket_change_parent_class)->finalize (object);
}

static void
rd_ticket_change_class_init (RdTicketChangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_ticket_change_finalize;
}

static void
rd_ticket_change_init (RdTicketChange *self)
{
}

/**
 * rd_ticket_change_new_from_json:
 * @object: one item of the history reply (untrusted)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the change, or %NULL with %RD_ERROR_INVALID_FIELD
 *   or %RD_ERROR_MISSING_FIELD
 */
RdTicketChange *
rd_ticket_change_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(RdTicketChange) self = g_object_new (RD_TYPE_TICKET_CHANGE, NULL);

  g_return_val_if_fail (object != NULL, NULL);

  if (!rd_json_get_datetime (object, "at", RD_JSON_REQUIRED, &self->at, error) ||
      !rd_json_dup_string (object, "username", RD_JSON_NULLABLE, &self->username, error) ||
      !rd_json_dup_string (object, "field", RD_JSON_REQUIRED, &self->field, error) ||
      !rd_json_dup_string (object, "old_value", RD_JSON_NULLABLE, &self->old_value, error) ||
      !rd_json_dup_string (object, "new_value", RD_JSON_NULLABLE, &self->new_value, error) ||
      !rd_json_dup_string (object, "note", RD_JSON_NULLABLE, &self->note, error))
    return NULL;

  return g_steal_pointer (&self);
}

GDateTime *
rd_ticket_change_get_at (RdTicketChange *self)
{
  g_return_val_if_fail (RD_IS_TICKET_CHANGE (self), NULL);

  return self->at;
}

const char *
rd_ticket_change_get_username (RdTicketChange *self)
{
  g_return_val_if_fail (RD_IS_TICKET_CHANGE (self), NULL);

  return self->username;
}

const char *
rd_ticket_change_get_field (RdTicketChange *self)
{
  g_return_val_if_fail (RD_IS_TICKET_CHANGE (self), NULL);

  return self->field;
}

const char *
rd_ticket_change_get_old_value (RdTicketChange *self)
{
  g_return_val_if_fail (RD_IS_TICKET_CHANGE (self), NULL);

  return self->old_value;
}

const char *
rd_ticket_change_get_new_value (RdTicketChange *self)
{
  g_return_val_if_fail (RD_IS_TICKET_CHANGE (self), NULL);

  return self->new_value;
}

const char *
rd_ticket_change_get_note (RdTicketChange *self)
{
  g_return_val_if_fail (RD_IS_TICKET_CHANGE (self), NULL);

  return self->note;
}
