/* rd-utils.c: small helpers shared by the client's widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdUtils"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rd-common.h"
#include "rd-utils-private.h"

/**
 * rd_utils_describe_error:
 * @error: an error from #RdConnection or the keyring
 *
 * Says in words what went wrong and what to do next. The server's English
 * message is not shown: the wire code picks a translated sentence.
 *
 * Returns: (transfer full): a translated sentence for the user
 */
char *
rd_utils_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != RD_ERROR)
    /* Translators: %s is a technical error message */
    return g_strdup_printf (_("Something went wrong: %s"), error->message);

  switch ((RdError) error->code)
    {
    case RD_ERROR_UNAUTHORIZED:
      return g_strdup (_("The username or password is not correct. Check them and try again."));

    case RD_ERROR_FORBIDDEN:
      return g_strdup (_("This account is not allowed to do that. Ask your Ringdesk administrator for access."));

    case RD_ERROR_RATE_LIMITED:
      return g_strdup (_("Too many attempts. Wait a minute, then try again."));

    case RD_ERROR_UNAVAILABLE:
      return g_strdup (_("Cannot reach the server. Check the address and that the Ringdesk server is running."));

    case RD_ERROR_INVALID_DATA:
    case RD_ERROR_NOT_FOUND:
    case RD_ERROR_METHOD_NOT_ALLOWED:
    case RD_ERROR_UNSUPPORTED_MEDIA_TYPE:
      return g_strdup (_("The server did not answer like a Ringdesk server. Check the address."));

    case RD_ERROR_INVALID_JSON:
    case RD_ERROR_INVALID_FIELD:
    case RD_ERROR_MISSING_FIELD:
    case RD_ERROR_TOO_LARGE:
      return g_strdup (_("The server refused the request as not valid. Check what you entered, or update Ringdesk."));

    case RD_ERROR_CONFLICT:
    case RD_ERROR_INVALID_TRANSITION:
      return g_strdup (_("Someone else changed this in the meantime. Refresh and try again."));

    case RD_ERROR_INTERNAL:
      return g_strdup (_("The server had an internal error. Try again later, or ask your administrator to check the server’s log."));

    case RD_ERROR_LAST:
    default:
      return g_strdup (_("The server reported an unknown error. Try again later."));
    }
}

/**
 * rd_utils_describe_ticket_error:
 * @error: an error from a ticket request
 *
 * Like rd_utils_describe_error(), in the words of someone working on a
 * ticket: what went wrong and what to do next.
 *
 * Returns: (transfer full): a translated sentence for the user
 */
char *
rd_utils_describe_ticket_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == RD_ERROR)
    {
      switch ((RdError) error->code)
        {
        case RD_ERROR_UNAUTHORIZED:
          return g_strdup (_("Your session has ended. Sign in again."));

        case RD_ERROR_FORBIDDEN:
          return g_strdup (_("This ticket is not in your queue. Ask a supervisor to assign it to you."));

        case RD_ERROR_NOT_FOUND:
          return g_strdup (_("This ticket does not exist any more. Refresh the list."));

        case RD_ERROR_INVALID_FIELD:
        case RD_ERROR_MISSING_FIELD:
          return g_strdup (_("The server refused a field. Correct the marked field and try again."));

        case RD_ERROR_TOO_LARGE:
          return g_strdup (_("A field is too long. Shorten it and try again."));

        case RD_ERROR_CONFLICT:
          return g_strdup (_("Another ticket already has this external number. Check it and try again."));

        case RD_ERROR_INVALID_TRANSITION:
          return g_strdup (_("The ticket cannot move to that state from where it is now. Refresh the ticket to see its current state."));

        case RD_ERROR_INTERNAL:
        case RD_ERROR_INVALID_JSON:
        case RD_ERROR_INVALID_DATA:
        case RD_ERROR_METHOD_NOT_ALLOWED:
        case RD_ERROR_UNSUPPORTED_MEDIA_TYPE:
        case RD_ERROR_RATE_LIMITED:
        case RD_ERROR_UNAVAILABLE:
        case RD_ERROR_LAST:
        default:
          break;
        }
    }

  return rd_utils_describe_error (error);
}

const char *
rd_utils_ticket_state_name (RdTicketState state)
{
  switch (state)
    {
    case RD_TICKET_STATE_OPEN:
      return C_("ticket state", "Open");
    case RD_TICKET_STATE_IN_PROGRESS:
      return C_("ticket state", "In Progress");
    case RD_TICKET_STATE_RESOLVED:
      return C_("ticket state", "Resolved");
    case RD_TICKET_STATE_CLOSED:
      return C_("ticket state", "Closed");
    case RD_TICKET_STATE_CANCELLED:
      return C_("ticket state", "Cancelled");
    default:
      return "";
    }
}

/* The label of the button that moves a ticket to @state */
const char *
rd_utils_ticket_state_action (RdTicketState state)
{
  switch (state)
    {
    case RD_TICKET_STATE_OPEN:
      return _("_Reopen");
    case RD_TICKET_STATE_IN_PROGRESS:
      return _("_Start Work");
    case RD_TICKET_STATE_RESOLVED:
      return _("Re_solve");
    case RD_TICKET_STATE_CLOSED:
      return _("C_lose");
    case RD_TICKET_STATE_CANCELLED:
      return _("_Cancel Ticket");
    default:
      return "";
    }
}

const char *
rd_utils_priority_name (RdPriority priority)
{
  switch (priority)
    {
    case RD_PRIORITY_LOW:
      return C_("priority", "Low");
    case RD_PRIORITY_NORMAL:
      return C_("priority", "Normal");
    case RD_PRIORITY_HIGH:
      return C_("priority", "High");
    case RD_PRIORITY_URGENT:
      return C_("priority", "Urgent");
    default:
      return "";
    }
}

const char *
rd_utils_sla_state_name (RdSlaState state)
{
  switch (state)
    {
    case RD_SLA_STATE_OK:
      return C_("SLA state", "On Time");
    case RD_SLA_STATE_AT_RISK:
      return C_("SLA state", "At Risk");
    case RD_SLA_STATE_BREACHED:
      return C_("SLA state", "Breached");
    case RD_SLA_STATE_PAUSED:
      return C_("SLA state", "Paused");
    case RD_SLA_STATE_MET:
      return C_("SLA state", "Met");
    default:
      return "";
    }
}

/* %e pads a one-digit day for columns, with a figure space (U+2007) in
 * GLib; a date in a sentence or a subtitle wants none */
static char *
rd_utils_unpad (char *text)
{
  static const char figure_space[] = "\xe2\x80\x87";

  if (text == NULL)
    return g_strdup ("");

  if (g_str_has_prefix (text, figure_space))
    memmove (text, text + strlen (figure_space), strlen (text) - strlen (figure_space) + 1);

  return g_strchug (text);
}

/**
 * rd_utils_format_relative:
 * @datetime: (nullable): a time in the past
 * @now: the current time
 *
 * Returns: (transfer full): "Just now", "5 minutes ago", "Yesterday", or a date
 */
char *
rd_utils_format_relative (GDateTime *datetime,
                          GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  GTimeSpan span;

  if (datetime == NULL)
    return g_strdup ("");

  span = g_date_time_difference (now, datetime);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (span / G_TIME_SPAN_MINUTE);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", minutes),
                              minutes);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      int hours = (int) (span / G_TIME_SPAN_HOUR);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours),
                              hours);
    }

  if (span < 7 * G_TIME_SPAN_DAY)
    {
      int days = (int) (span / G_TIME_SPAN_DAY);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                              days);
    }

  local = g_date_time_to_local (datetime);
  /* Translators: a date in the tickets list, see strftime(3) */
  return rd_utils_unpad (g_date_time_format (local, _("%e %b %Y")));
}

/**
 * rd_utils_format_datetime:
 * @datetime: (nullable): a time
 *
 * Returns: (transfer full): the local date and time, or "" for %NULL
 */
char *
rd_utils_format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (datetime);
  /* Translators: a date and time on the ticket page, see strftime(3) */
  return rd_utils_unpad (g_date_time_format (local, _("%e %b %Y, %H:%M")));
}

/**
 * rd_utils_error_field:
 * @error: an %RD_ERROR_INVALID_FIELD or %RD_ERROR_MISSING_FIELD from the server
 *
 * The server names the refused member in its message between “ and ”
 * (“Field “subject” is required”); this finds it so that the form can mark
 * the entry. The message is English and never shown as it is.
 *
 * Returns: (transfer full) (nullable): the member name, or %NULL
 */
char *
rd_utils_error_field (const GError *error)
{
  const char *start;
  const char *end;

  if (error == NULL || error->domain != RD_ERROR ||
      (error->code != RD_ERROR_INVALID_FIELD && error->code != RD_ERROR_MISSING_FIELD &&
       error->code != RD_ERROR_TOO_LARGE && error->code != RD_ERROR_CONFLICT))
    return NULL;

  start = strstr (error->message, "“");
  if (start == NULL)
    return NULL;
  start += strlen ("“");

  end = strstr (start, "”");
  if (end == NULL || end == start)
    return NULL;

  return g_strndup (start, end - start);
}

/**
 * rd_utils_ticket_field_name:
 * @field: a member of a ticket, e.g. "requester_phone"
 *
 * Returns: the field's name in words, translated, or @field itself when
 *   it is not known
 */
const char *
rd_utils_ticket_field_name (const char *field)
{
  static const struct {
    const char *field;
    const char *name;
  } names[] = {
    { "subject", N_("Subject") },
    { "description", N_("Description") },
    { "area", N_("Area") },
    { "priority", N_("Priority") },
    { "category", N_("Category") },
    { "location_id", N_("Location") },
    { "asset_id", N_("Asset") },
    { "requester", N_("Requester") },
    { "requester_phone", N_("Requester’s phone") },
    { "assignee", N_("Assignee") },
    { "group", N_("Group") },
    { "external_number", N_("External number") },
    { "active", N_("Active") },
    { "state", N_("State") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].field, field) == 0)
      return _(names[i].name);

  return field;
}
