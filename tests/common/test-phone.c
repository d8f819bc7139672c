/* test-phone.c: phone-number normalisation for caller-id matching
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rd-common.h"

typedef struct
{
  const char    *country;      /* ISO code of the plan */
  const char    *access_code;  /* the PBX's outside-line code, or NULL */
  RdPhoneSource  source;
  const char    *raw;
  RdPhoneKind    kind;
  const char    *expected;     /* NULL when invalid */
} PhoneCase;

#define ANY   RD_PHONE_SOURCE_ANY
#define PBX   RD_PHONE_SOURCE_PBX
#define TYPED RD_PHONE_SOURCE_TYPED
#define EXT   RD_PHONE_KIND_EXTENSION
#define EXTN  RD_PHONE_KIND_EXTERNAL
#define BAD   RD_PHONE_KIND_INVALID

static const PhoneCase cases[] = {
  /* Spain: no trunk prefix; a PBX with access code 0 (API.md's click-to-dial
   * example "0612345678" is 0 + a Spanish mobile). */
  { "ES", "0", ANY, "0612345678", EXTN, "+34612345678" },
  { "ES", "0", ANY, "612 34 56 78", EXTN, "+34612345678" },
  { "ES", "0", ANY, "612-345-678", EXTN, "+34612345678" },
  { "ES", "0", ANY, "+34 612.345.678", EXTN, "+34612345678" },
  { "ES", "0", ANY, "(+34) 612 345 678", EXTN, "+34612345678" },
  { "ES", "0", ANY, "0034 612 345 678", EXTN, "+34612345678" },
  { "ES", "0", ANY, "00034612345678", EXTN, "+34612345678" },
  { "ES", "0", ANY, "91 123 45 67", EXTN, "+34911234567" },
  { "ES", "0", ANY, "0911234567", EXTN, "+34911234567" },
  { "ES", "0", ANY, "0044 20 7946 0000", EXTN, "+442079460000" },
  { "ES", "0", ANY, "\t201 ", EXT, "201" },
  { "ES", "0", ANY, "7320", EXT, "7320" },
  { "ES", NULL, ANY, "612345678", EXTN, "+34612345678" },
  { "ES", NULL, ANY, "0034612345678", EXTN, "+34612345678" },

  /* Italy: the leading 0 of landlines is part of the number, also in E.164.
   * DESIGN.md's sample: a mobile dialled with outside-line code 0. */
  { "IT", "0", ANY, "03472619287", EXTN, "+393472619287" },
  { "IT", "0", PBX, "03472619287", EXTN, "+393472619287" },
  { "IT", "0", ANY, "347 261 9287", EXTN, "+393472619287" },
  { "IT", "0", ANY, "347/2619287", EXTN, "+393472619287" },
  { "IT", "0", ANY, "+39 347 261 9287", EXTN, "+393472619287" },
  { "IT", "0", ANY, "0039 347 261 9287", EXTN, "+393472619287" },
  { "IT", "0", ANY, "000393472619287", EXTN, "+393472619287" },
  { "IT", "0", TYPED, "02 1234 5678", EXTN, "+390212345678" },
  { "IT", "0", PBX, "0 02 1234 5678", EXTN, "+390212345678" },
  { "IT", "0", ANY, "+39 02 1234 5678", EXTN, "+390212345678" },
  { "IT", NULL, ANY, "02 1234 5678", EXTN, "+390212345678" },
  { "IT", NULL, ANY, "06 6988 4500", EXTN, "+390669884500" },
  /* The documented ambiguity: with access code 0, "00…" reads as
   * international unless the caller says the number came from the PBX. */
  { "IT", "0", ANY, "00212345678", EXTN, "+212345678" },
  { "IT", "0", PBX, "00212345678", EXTN, "+390212345678" },
  { "IT", "0", ANY, "720", EXT, "720" },

  /* United Kingdom: trunk 0 dropped in E.164; a PBX with access code 9. */
  { "GB", "9", ANY, "020 7946 0000", EXTN, "+442079460000" },
  { "GB", "9", ANY, "9 020 7946 0000", EXTN, "+442079460000" },
  { "GB", "9", PBX, "902079460000", EXTN, "+442079460000" },
  { "GB", "9", ANY, "+44 (0)20 7946 0000", EXTN, "+442079460000" },
  { "GB", "9", ANY, "+44 020 7946 0000", EXTN, "+442079460000" },
  { "GB", "9", ANY, "0044 20 7946 0000", EXTN, "+442079460000" },
  { "GB", "9", ANY, "07700 900123", EXTN, "+447700900123" },
  { "GB", "9", ANY, "900 1 212 555 0100", EXTN, "+12125550100" },
  { "GB", "9", ANY, "00 49 30 1234567", EXTN, "+49301234567" },
  { "GB", "9", TYPED, "9020 7946 0000", EXTN, "+4490207946" "0000" },
  { "GB", NULL, ANY, "(020) 7946-0000", EXTN, "+442079460000" },

  /* Germany: trunk 0, and access code 0 as on many German PBXs. */
  { "DE", "0", TYPED, "030 1234567", EXTN, "+49301234567" },
  { "DE", "0", PBX, "0030 1234567", EXTN, "+49301234567" },
  { "DE", "0", ANY, "0030 1234567", EXTN, "+301234567" },
  { "DE", "0", ANY, "0 0049 30 1234567", EXTN, "+49301234567" },
  { "DE", "0", ANY, "+49 (0)30 1234567", EXTN, "+49301234567" },
  /* found by fuzz-phone: two trunk prefixes after the country code */
  { "DE", "0", ANY, "0049 0049 049", BAD, NULL },
  { "DE", "0", TYPED, "+49 00 30 1234567", BAD, NULL },
  { "DE", "0", ANY, "0049 (0)30 1234567", EXTN, "+49301234567" },
  { "DE", "0", ANY, "0171/1234567", EXTN, "+491711234567" },
  { "DE", NULL, ANY, "030-123 45 67", EXTN, "+49301234567" },
  { "DE", NULL, ANY, "0049 30 1234567", EXTN, "+49301234567" },
  { "DE", NULL, ANY, "22", EXT, "22" },

  /* Malformed: letters, signs, empty, too short, too long. */
  { "ES", "0", ANY, "", BAD, NULL },
  { "ES", "0", ANY, "   ", BAD, NULL },
  { "ES", "0", ANY, "-.()/", BAD, NULL },
  { "ES", "0", ANY, "abc", BAD, NULL },
  { "ES", "0", ANY, "612a45678", BAD, NULL },
  { "ES", "0", ANY, "1-800-FLOWERS", BAD, NULL },
  { "ES", "0", ANY, "+", BAD, NULL },
  { "ES", "0", ANY, "++34612345678", BAD, NULL },
  { "ES", "0", ANY, "34+612345678", BAD, NULL },
  { "ES", "0", ANY, "612*345#", BAD, NULL },
  { "ES", "0", ANY, "#31#", BAD, NULL },
  { "ES", "0", ANY, "612345678\n", BAD, NULL },
  { "ES", "0", ANY, "612;345678", BAD, NULL },
  { "ES", "0", ANY, "\xef\xbc\x96\xef\xbc\x91\xef\xbc\x92", BAD, NULL },
  { "ES", "0", ANY, "612\xc2\xa0" "345678", BAD, NULL },
  { "ES", "0", ANY, "\xff\xfe", BAD, NULL },
  { "ES", "0", ANY, "+0034612345678", BAD, NULL },
  { "ES", "0", ANY, "+123456", BAD, NULL },
  { "ES", "0", ANY, "+1234567890123456", BAD, NULL },
  { "ES", "0", ANY, "123456789012345678901", BAD, NULL },
  { "ES", "0", ANY, "0000000", BAD, NULL },
  { "GB", "9", ANY, "90", EXT, "90" },
  { "GB", "9", ANY, "9000", EXT, "9000" },
  { "GB", "9", ANY, "90000", BAD, NULL },
  { "ES", "0", ANY, "0612345678                                                        ", BAD, NULL },
};

static RdPhonePlan *
make_plan (const char *country,
           const char *access_code)
{
  RdPhonePlan *plan = rd_phone_plan_new_for_country (country);

  g_assert_nonnull (plan);
  rd_phone_plan_set_access_code (plan, access_code);

  return plan;
}

static void
test_phone_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PhoneCase *c = &cases[i];
      g_autoptr(RdPhonePlan) plan = make_plan (c->country, c->access_code);
      g_autofree char *result = NULL;
      g_autofree char *escaped = g_strescape (c->raw, NULL);
      RdPhoneKind kind = RD_PHONE_KIND_EXTENSION;

      g_test_message ("%s access %s source %d: “%s”", c->country,
                      c->access_code ? c->access_code : "none", c->source, escaped);
      result = rd_phone_normalize_full (plan, c->raw, c->source, &kind);
      g_assert_cmpstr (result, ==, c->expected);
      g_assert_cmpint (kind, ==, c->kind);

      /* Canonical forms are fixed points. */
      if (result != NULL)
        {
          g_autofree char *again = rd_phone_normalize_full (plan, result, RD_PHONE_SOURCE_TYPED, NULL);

          g_assert_cmpstr (again, ==, result);
        }
    }
}

static void
test_phone_default_source (void)
{
  g_autoptr(RdPhonePlan) plan = make_plan ("IT", "0");
  g_autofree char *a = rd_phone_normalize (plan, "03472619287", NULL);
  g_autofree char *b = rd_phone_normalize_full (plan, "03472619287", RD_PHONE_SOURCE_ANY, NULL);
  RdPhoneKind kind = RD_PHONE_KIND_EXTENSION;
  char *none;

  g_assert_cmpstr (a, ==, "+393472619287");
  g_assert_cmpstr (a, ==, b);

  none = rd_phone_normalize (plan, NULL, &kind);
  g_assert_null (none);
  g_assert_cmpint (kind, ==, RD_PHONE_KIND_INVALID);
}

static void
test_phone_equal (void)
{
  g_autoptr(RdPhonePlan) plan = make_plan ("IT", "0");

  g_assert_true (rd_phone_equal (plan, "03472619287", "+39 347 261 9287"));
  g_assert_true (rd_phone_equal (plan, "347-261-9287", "0039 347 2619287"));
  g_assert_true (rd_phone_equal (plan, "720", " 720"));
  g_assert_false (rd_phone_equal (plan, "720", "721"));
  g_assert_false (rd_phone_equal (plan, "720", "+39720"));
  g_assert_false (rd_phone_equal (plan, "03472619287", "03472619288"));
  g_assert_false (rd_phone_equal (plan, "abc", "abc"));
  g_assert_false (rd_phone_equal (plan, NULL, NULL));
  g_assert_false (rd_phone_equal (plan, "", ""));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_phone_plan (void)
{
  g_autoptr(RdPhonePlan) plan = rd_phone_plan_new ("39");
  g_autoptr(RdPhonePlan) uk = rd_phone_plan_new_for_country ("gb");
  g_autofree char *result = NULL;
  guint access = 0;
  guint keep = 0;

  g_assert_cmpstr (rd_phone_plan_get_country_code (plan), ==, "39");
  g_assert_cmpstr (rd_phone_plan_get_international_prefix (plan), ==, "00");
  g_assert_null (rd_phone_plan_get_trunk_prefix (plan));
  g_assert_null (rd_phone_plan_get_access_code (plan));
  g_assert_cmpuint (rd_phone_plan_get_max_extension_length (plan), ==, 4);

  g_assert_nonnull (uk);
  g_assert_cmpstr (rd_phone_plan_get_country_code (uk), ==, "44");
  g_assert_cmpstr (rd_phone_plan_get_trunk_prefix (uk), ==, "0");
  g_assert_false (rd_phone_plan_get_keep_trunk_prefix (uk));
  g_assert_null (rd_phone_plan_new_for_country ("XX"));
  g_assert_null (rd_phone_plan_new_for_country (NULL));

  g_signal_connect (plan, "notify::access-code", G_CALLBACK (count_notify), &access);
  g_signal_connect (plan, "notify::keep-trunk-prefix", G_CALLBACK (count_notify), &keep);
  rd_phone_plan_set_access_code (plan, "0");
  rd_phone_plan_set_access_code (plan, "0");
  g_assert_cmpuint (access, ==, 1);
  rd_phone_plan_set_access_code (plan, "");
  g_assert_cmpuint (access, ==, 2);
  g_assert_null (rd_phone_plan_get_access_code (plan));
  rd_phone_plan_set_access_code (plan, NULL);
  g_assert_cmpuint (access, ==, 2);

  /* Italy as a hand-made plan: trunk 0 kept. */
  rd_phone_plan_set_trunk_prefix (plan, "0");
  g_object_set (plan, "keep-trunk-prefix", TRUE, NULL);
  g_assert_cmpuint (keep, ==, 1);
  result = rd_phone_normalize (plan, "02 1234 5678", NULL);
  g_assert_cmpstr (result, ==, "+390212345678");
  g_clear_pointer (&result, g_free);

  /* Without keeping it, the same digits lose their 0. */
  rd_phone_plan_set_keep_trunk_prefix (plan, FALSE);
  result = rd_phone_normalize (plan, "02 1234 5678", NULL);
  g_assert_cmpstr (result, ==, "+39212345678");
  g_clear_pointer (&result, g_free);

  /* No extensions at all. */
  rd_phone_plan_set_max_extension_length (plan, 0);
  result = rd_phone_normalize (plan, "720", NULL);
  g_assert_null (result);

  g_assert_true (rd_phone_country_code_is_valid ("1"));
  g_assert_true (rd_phone_country_code_is_valid ("351"));
  g_assert_false (rd_phone_country_code_is_valid ("0"));
  g_assert_false (rd_phone_country_code_is_valid ("3512"));
  g_assert_false (rd_phone_country_code_is_valid (""));
  g_assert_false (rd_phone_country_code_is_valid (NULL));
  g_assert_true (rd_phone_prefix_is_valid (NULL));
  g_assert_true (rd_phone_prefix_is_valid ("011"));
  g_assert_false (rd_phone_prefix_is_valid ("0a"));
  g_assert_false (rd_phone_prefix_is_valid ("00000"));
  g_assert_true (rd_extension_is_valid ("732"));
  g_assert_false (rd_extension_is_valid ("*"));
  g_assert_false (rd_extension_is_valid (""));
  g_assert_false (rd_extension_is_valid ("12345678901234567"));
}

/* Arbitrary bytes give either nothing or a canonical form, never a critical. */
static void
test_phone_garbage (void)
{
  static const char alphabet[] = "0123456789+()-./ \t#*x\xc3\xa9\x00";
  g_autoptr(RdPhonePlan) plan = make_plan ("DE", "0");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  guint valid = 0;

  for (guint i = 0; i < 20000; i++)
    {
      char raw[40];
      guint len = g_rand_int_range (rand, 0, sizeof raw);
      g_autofree char *result = NULL;
      RdPhoneKind kind;

      for (guint j = 0; j < len; j++)
        raw[j] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      raw[len] = '\0';

      result = rd_phone_normalize_full (plan, raw, g_rand_int_range (rand, 0, 3), &kind);
      if (result == NULL)
        {
          g_assert_cmpint (kind, ==, RD_PHONE_KIND_INVALID);
          continue;
        }

      valid++;
      if (kind == RD_PHONE_KIND_EXTENSION)
        {
          g_assert_true (rd_extension_is_valid (result));
          g_assert_cmpuint (strlen (result), <=, 4);
        }
      else
        {
          g_assert_cmpint (kind, ==, RD_PHONE_KIND_EXTERNAL);
          g_assert_cmpint (result[0], ==, '+');
          g_assert_true (rd_extension_is_valid (result + 1));
          g_assert_cmpuint (strlen (result + 1), >=, RD_PHONE_E164_MIN_DIGITS);
          g_assert_cmpuint (strlen (result + 1), <=, RD_PHONE_E164_MAX_DIGITS);
        }
    }

  /* The alphabet is digit-heavy: some inputs must have been numbers. */
  g_assert_cmpuint (valid, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/phone/table", test_phone_table);
  g_test_add_func ("/phone/default-source", test_phone_default_source);
  g_test_add_func ("/phone/equal", test_phone_equal);
  g_test_add_func ("/phone/plan", test_phone_plan);
  g_test_add_func ("/phone/garbage", test_phone_garbage);

  return g_test_run ();
}
