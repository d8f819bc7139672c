/* test-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rd-common.h"

static void
test_error_codes_round_trip (void)
{
  for (guint i = 0; i < RD_ERROR_LAST; i++)
    {
      const char *code = rd_error_to_code ((RdError) i);
      guint status = rd_error_to_http_status ((RdError) i);

      g_assert_nonnull (code);
      g_assert_cmpuint (strlen (code), >, 0);
      g_assert_cmpint (rd_error_from_code (code), ==, (RdError) i);
      g_assert_cmpuint (status, >=, 400);
      g_assert_cmpuint (status, <, 600);

      /* snake_case, as API.md says */
      for (const char *c = code; *c; c++)
        g_assert_true (g_ascii_islower (*c) || *c == '_');
    }
}

static void
test_error_api_codes (void)
{
  /* The codes API.md names, with the status each must carry. */
  static const struct {
    const char *code;
    guint       status;
  } expected[] = {
    { "unauthorized", 401 },
    { "forbidden", 403 },
    { "not_found", 404 },
    { "invalid_json", 400 },
    { "invalid_field", 422 },
    { "missing_field", 422 },
    { "too_large", 413 },
    { "unsupported_media_type", 415 },
    { "conflict", 409 },
    { "invalid_transition", 409 },
    { "rate_limited", 429 },
    { "internal", 500 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      RdError error = rd_error_from_code (expected[i].code);

      g_assert_cmpstr (rd_error_to_code (error), ==, expected[i].code);
      g_assert_cmpuint (rd_error_to_http_status (error), ==, expected[i].status);
    }
}

static void
test_error_unknown (void)
{
  g_autoptr(GError) io_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_autoptr(GError) rd_error = g_error_new_literal (RD_ERROR, RD_ERROR_FORBIDDEN, "x");

  g_assert_cmpint (rd_error_from_code (NULL), ==, RD_ERROR_INTERNAL);
  g_assert_cmpint (rd_error_from_code ("no_such_code"), ==, RD_ERROR_INTERNAL);
  g_assert_cmpint (rd_error_from_code (""), ==, RD_ERROR_INTERNAL);
  g_assert_cmpstr (rd_error_to_code ((RdError) 9999), ==, "internal");
  g_assert_cmpuint (rd_error_to_http_status ((RdError) 9999), ==, 500);
  g_assert_cmpuint (rd_error_get_http_status (io_error), ==, 500);
  g_assert_cmpuint (rd_error_get_http_status (rd_error), ==, 403);
}

static void
test_error_from_status (void)
{
  g_assert_cmpint (rd_error_from_http_status (401), ==, RD_ERROR_UNAUTHORIZED);
  g_assert_cmpint (rd_error_from_http_status (403), ==, RD_ERROR_FORBIDDEN);
  g_assert_cmpint (rd_error_from_http_status (404), ==, RD_ERROR_NOT_FOUND);
  g_assert_cmpint (rd_error_from_http_status (413), ==, RD_ERROR_TOO_LARGE);
  g_assert_cmpint (rd_error_from_http_status (429), ==, RD_ERROR_RATE_LIMITED);
  g_assert_cmpint (rd_error_from_http_status (503), ==, RD_ERROR_UNAVAILABLE);
  g_assert_cmpint (rd_error_from_http_status (500), ==, RD_ERROR_INTERNAL);
  g_assert_cmpint (rd_error_from_http_status (0), ==, RD_ERROR_INTERNAL);
  g_assert_cmpint (rd_error_from_http_status (418), ==, RD_ERROR_INTERNAL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/error/codes-round-trip", test_error_codes_round_trip);
  g_test_add_func ("/common/error/api-codes", test_error_api_codes);
  g_test_add_func ("/common/error/unknown", test_error_unknown);
  g_test_add_func ("/common/error/from-status", test_error_from_status);

  return g_test_run ();
}
