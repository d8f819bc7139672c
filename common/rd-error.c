/* rd-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdError"

#include "config.h"

#include "rd-error.h"

G_DEFINE_QUARK (rd-error-quark, rd_error)

static const struct {
  const char *code;
  guint       status;
} error_table[RD_ERROR_LAST] = {
  [RD_ERROR_INTERNAL]               = { "internal",               500 },
  [RD_ERROR_UNAUTHORIZED]           = { "unauthorized",           401 },
  [RD_ERROR_FORBIDDEN]              = { "forbidden",              403 },
  [RD_ERROR_NOT_FOUND]              = { "not_found",              404 },
  [RD_ERROR_METHOD_NOT_ALLOWED]     = { "method_not_allowed",     405 },
  [RD_ERROR_INVALID_JSON]           = { "invalid_json",           400 },
  [RD_ERROR_INVALID_FIELD]          = { "invalid_field",          422 },
  [RD_ERROR_MISSING_FIELD]          = { "missing_field",          422 },
  [RD_ERROR_TOO_LARGE]              = { "too_large",              413 },
  [RD_ERROR_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type", 415 },
  [RD_ERROR_CONFLICT]               = { "conflict",               409 },
  [RD_ERROR_INVALID_TRANSITION]     = { "invalid_transition",     409 },
  [RD_ERROR_RATE_LIMITED]           = { "rate_limited",           429 },
  [RD_ERROR_UNAVAILABLE]            = { "unavailable",            503 },
  [RD_ERROR_INVALID_DATA]           = { "invalid_data",           502 },
};

/**
 * rd_error_to_code:
 * @error: an #RdError
 *
 * Returns: (transfer none): the stable snake_case code sent on the wire
 */
const char *
rd_error_to_code (RdError error)
{
  if ((guint) error >= RD_ERROR_LAST)
    return error_table[RD_ERROR_INTERNAL].code;

  return error_table[error].code;
}

/**
 * rd_error_from_code:
 * @code: (nullable): a wire code
 *
 * Unknown or %NULL codes map to %RD_ERROR_INTERNAL, so a newer server never
 * confuses an older client.
 */
RdError
rd_error_from_code (const char *code)
{
  if (code == NULL)
    return RD_ERROR_INTERNAL;

  for (guint i = 0; i < RD_ERROR_LAST; i++)
    {
      if (g_str_equal (code, error_table[i].code))
        return (RdError) i;
    }

  return RD_ERROR_INTERNAL;
}

guint
rd_error_to_http_status (RdError error)
{
  if ((guint) error >= RD_ERROR_LAST)
    return 500;

  return error_table[error].status;
}

/**
 * rd_error_from_http_status:
 * @status: an HTTP status code
 *
 * The best #RdError for a reply that carried no parsable error object.
 */
RdError
rd_error_from_http_status (guint status)
{
  switch (status)
    {
    case 400: return RD_ERROR_INVALID_JSON;
    case 401: return RD_ERROR_UNAUTHORIZED;
    case 403: return RD_ERROR_FORBIDDEN;
    case 404: return RD_ERROR_NOT_FOUND;
    case 405: return RD_ERROR_METHOD_NOT_ALLOWED;
    case 409: return RD_ERROR_CONFLICT;
    case 413: return RD_ERROR_TOO_LARGE;
    case 415: return RD_ERROR_UNSUPPORTED_MEDIA_TYPE;
    case 422: return RD_ERROR_INVALID_FIELD;
    case 429: return RD_ERROR_RATE_LIMITED;
    case 502: return RD_ERROR_INVALID_DATA;
    case 503: return RD_ERROR_UNAVAILABLE;
    default:  return RD_ERROR_INTERNAL;
    }
}

/**
 * rd_error_get_http_status:
 * @error: a #GError
 *
 * Returns: the HTTP status for @error; errors from other domains are 500.
 */
guint
rd_error_get_http_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 500);

  if (error->domain != RD_ERROR)
    return 500;

  return rd_error_to_http_status ((RdError) error->code);
}
