/* rd-error.h: the Ringdesk error domain and its HTTP mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RD_ERROR (rd_error_quark ())

/**
 * RdError:
 *
 * Every failure that crosses the API has one of these codes. The wire form is the
 * snake_case string of API.md (see rd_error_to_code()); the client maps it to
 * translated text, the server to an HTTP status.
 */
typedef enum
{
  RD_ERROR_INTERNAL,
  RD_ERROR_UNAUTHORIZED,
  RD_ERROR_FORBIDDEN,
  RD_ERROR_NOT_FOUND,
  RD_ERROR_METHOD_NOT_ALLOWED,
  RD_ERROR_INVALID_JSON,
  RD_ERROR_INVALID_FIELD,
  RD_ERROR_MISSING_FIELD,
  RD_ERROR_TOO_LARGE,
  RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
  RD_ERROR_CONFLICT,
  RD_ERROR_INVALID_TRANSITION,
  RD_ERROR_RATE_LIMITED,
  RD_ERROR_UNAVAILABLE,
  RD_ERROR_INVALID_DATA,
  RD_ERROR_LAST
} RdError;

GQuark      rd_error_quark            (void);
const char *rd_error_to_code          (RdError      error);
RdError     rd_error_from_code        (const char  *code);
guint       rd_error_to_http_status   (RdError      error);
RdError     rd_error_from_http_status (guint        status);
guint       rd_error_get_http_status  (const GError *error);

G_END_DECLS
