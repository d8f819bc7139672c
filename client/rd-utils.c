/* rd-utils.c: small helpers shared by the client's widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdUtils"

#include "config.h"

#include <glib/gi18n.h>

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
