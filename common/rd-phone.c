/* rd-phone.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phone numbers reach Ringdesk in many spellings: the PBX reports them with its
 * outside-line access code in front, people type them with spaces, dashes,
 * dots, parentheses, "+", "00" or a national trunk "0". To match a caller to a
 * customer, both sides are brought to one canonical form first:
 *
 *  - an extension (at most max-extension-length digits, no "+") is its digits;
 *  - any other number is E.164, "+" followed by 7–15 digits.
 *
 * The rules, in order, are in docs/model.md. Every function here is total on
 * its string input: letters, garbage, empty or huge input give
 * %RD_PHONE_KIND_INVALID, never a critical.
 */

#define G_LOG_DOMAIN "RdPhonePlan"

#include "config.h"

#include <string.h>

#include "rd-phone.h"
#include "rd-util.h"

/* Longest input looked at; separators included. */
#define RAW_MAX_LENGTH 64
/* Longest international, trunk or access prefix. */
#define PREFIX_MAX_LENGTH 4
/* Longest extension a plan may declare. */
#define EXTENSION_MAX_LENGTH 16

struct _RdPhonePlan
{
  GObject   parent_instance;

  char     *country_code;
  char     *international_prefix;
  char     *trunk_prefix;
  char     *access_code;
  guint     max_extension_length;
  gboolean  keep_trunk_prefix;
};

G_DEFINE_FINAL_TYPE (RdPhonePlan, rd_phone_plan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COUNTRY_CODE,
  PROP_INTERNATIONAL_PREFIX,
  PROP_TRUNK_PREFIX,
  PROP_KEEP_TRUNK_PREFIX,
  PROP_ACCESS_CODE,
  PROP_MAX_EXTENSION_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char *iso_country;
  const char *country_code;
  const char *international_prefix;
  const char *trunk_prefix;
  gboolean    keep_trunk_prefix;
} CountryPlan;

/* Dialling plans of the countries Ringdesk is used in; the access code and
 * extension length are the PBX's, not the country's, so they are not here. */
static const CountryPlan country_plans[] = {
  { "ES", "34", "00", NULL, FALSE },
  { "IT", "39", "00", "0", TRUE },
  { "GB", "44", "00", "0", FALSE },
  { "DE", "49", "00", "0", FALSE },
  { "FR", "33", "00", "0", FALSE },
  { "PT", "351", "00", NULL, FALSE },
  { "AT", "43", "00", "0", FALSE },
  { "CH", "41", "00", "0", FALSE },
  { "NL", "31", "00", "0", FALSE },
  { "BE", "32", "00", "0", FALSE },
  { "US", "1", "011", "1", FALSE },
};

static gboolean
is_digits (const char *text,
           gsize       max_length)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    {
      if (i >= max_length || !g_ascii_isdigit (text[i]))
        return FALSE;
    }

  return i > 0;
}

/**
 * rd_phone_country_code_is_valid:
 *
 * Returns: whether @country_code is an E.164 country code: 1–3 digits, not
 *   starting with 0
 */
gboolean
rd_phone_country_code_is_valid (const char *country_code)
{
  return country_code != NULL && country_code[0] != '0' && is_digits (country_code, 3);
}

/**
 * rd_phone_prefix_is_valid:
 *
 * Returns: whether @prefix is usable as an international, trunk or access
 *   prefix: %NULL or empty (none), or 1–4 digits
 */
gboolean
rd_phone_prefix_is_valid (const char *prefix)
{
  return prefix == NULL || prefix[0] == '\0' || is_digits (prefix, PREFIX_MAX_LENGTH);
}

/**
 * rd_extension_is_valid:
 *
 * Returns: whether @extension is a PBX extension as Ringdesk routes events to
 *   it: 1–16 ASCII digits
 */
gboolean
rd_extension_is_valid (const char *extension)
{
  return extension != NULL && is_digits (extension, EXTENSION_MAX_LENGTH);
}

static void
rd_phone_plan_finalize (GObject *object)
{
  RdPhonePlan *self = (RdPhonePlan *) object;

  g_clear_pointer (&self->country_code, g_free);
  g_clear_pointer (&self->international_prefix, g_free);
  g_clear_pointer (&self->trunk_prefix, g_free);
  g_clear_pointer (&self->access_code, g_free);

  G_OBJECT_CLASS (rd_phone_plan_parent_class)->finalize (object);
}

static void
rd_phone_plan_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RdPhonePlan *self = RD_PHONE_PLAN (object);

  switch (prop_id)
    {
    case PROP_COUNTRY_CODE:
      g_value_set_string (value, self->country_code);
      break;

    case PROP_INTERNATIONAL_PREFIX:
      g_value_set_string (value, self->international_prefix);
      break;

    case PROP_TRUNK_PREFIX:
      g_value_set_string (value, self->trunk_prefix);
      break;

    case PROP_KEEP_TRUNK_PREFIX:
      g_value_set_boolean (value, self->keep_trunk_prefix);
      break;

    case PROP_ACCESS_CODE:
      g_value_set_string (value, self->access_code);
      break;

    case PROP_MAX_EXTENSION_LENGTH:
      g_value_set_uint (value, self->max_extension_length);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_phone_plan_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RdPhonePlan *self = RD_PHONE_PLAN (object);

  switch (prop_id)
    {
    case PROP_COUNTRY_CODE:
      rd_phone_plan_set_country_code (self, g_value_get_string (value));
      break;

    case PROP_INTERNATIONAL_PREFIX:
      rd_phone_plan_set_international_prefix (self, g_value_get_string (value));
      break;

    case PROP_TRUNK_PREFIX:
      rd_phone_plan_set_trunk_prefix (self, g_value_get_string (value));
      break;

    case PROP_KEEP_TRUNK_PREFIX:
      rd_phone_plan_set_keep_trunk_prefix (self, g_value_get_boolean (value));
      break;

    case PROP_ACCESS_CODE:
      rd_phone_plan_set_access_code (self, g_value_get_string (value));
      break;

    case PROP_MAX_EXTENSION_LENGTH:
      rd_phone_plan_set_max_extension_length (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_phone_plan_class_init (RdPhonePlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_phone_plan_finalize;
  object_class->get_property = rd_phone_plan_get_property;
  object_class->set_property = rd_phone_plan_set_property;

  properties[PROP_COUNTRY_CODE] =
    g_param_spec_string ("country-code", NULL, NULL, "34",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERNATIONAL_PREFIX] =
    g_param_spec_string ("international-prefix", NULL, NULL, "00",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRUNK_PREFIX] =
    g_param_spec_string ("trunk-prefix", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEP_TRUNK_PREFIX] =
    g_param_spec_boolean ("keep-trunk-prefix", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCESS_CODE] =
    g_param_spec_string ("access-code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_EXTENSION_LENGTH] =
    g_param_spec_uint ("max-extension-length", NULL, NULL, 0, EXTENSION_MAX_LENGTH, 4,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_phone_plan_init (RdPhonePlan *self)
{
  self->country_code = g_strdup ("34");
  self->international_prefix = g_strdup ("00");
  self->max_extension_length = 4;
}

/**
 * rd_phone_plan_new:
 * @country_code: the E.164 country code of the PBX's country, e.g. "34"
 *
 * The plan starts with international prefix "00", no trunk prefix, no access
 * code and extensions of up to 4 digits; set the rest with the setters.
 */
RdPhonePlan *
rd_phone_plan_new (const char *country_code)
{
  g_return_val_if_fail (rd_phone_country_code_is_valid (country_code), NULL);

  return g_object_new (RD_TYPE_PHONE_PLAN, "country-code", country_code, NULL);
}

/**
 * rd_phone_plan_new_for_country:
 * @iso_country: an ISO 3166-1 alpha-2 code such as "ES", "IT", "GB", "DE"
 *
 * Returns: (transfer full) (nullable): a plan with the country's code and
 *   prefixes, or %NULL when Ringdesk does not know the country
 */
RdPhonePlan *
rd_phone_plan_new_for_country (const char *iso_country)
{
  if (iso_country == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (country_plans); i++)
    {
      const CountryPlan *plan = &country_plans[i];

      if (g_ascii_strcasecmp (plan->iso_country, iso_country) == 0)
        return g_object_new (RD_TYPE_PHONE_PLAN,
                             "country-code", plan->country_code,
                             "international-prefix", plan->international_prefix,
                             "trunk-prefix", plan->trunk_prefix,
                             "keep-trunk-prefix", plan->keep_trunk_prefix,
                             NULL);
    }

  return NULL;
}

const char *
rd_phone_plan_get_country_code (RdPhonePlan *self)
{
  g_return_val_if_fail (RD_IS_PHONE_PLAN (self), NULL);

  return self->country_code;
}

void
rd_phone_plan_set_country_code (RdPhonePlan *self,
                                const char  *country_code)
{
  g_return_if_fail (RD_IS_PHONE_PLAN (self));
  g_return_if_fail (rd_phone_country_code_is_valid (country_code));

  if (rd_set_str (&self->country_code, country_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTRY_CODE]);
}

/* Prefixes are stored as NULL when there is none, so "" and NULL are one value. */
static gboolean
set_prefix (char       **field,
            const char  *prefix)
{
  if (prefix != NULL && prefix[0] == '\0')
    prefix = NULL;

  return rd_set_str (field, prefix);
}

const char *
rd_phone_plan_get_international_prefix (RdPhonePlan *self)
{
  g_return_val_if_fail (RD_IS_PHONE_PLAN (self), NULL);

  return self->international_prefix;
}

void
rd_phone_plan_set_international_prefix (RdPhonePlan *self,
                                        const char  *prefix)
{
  g_return_if_fail (RD_IS_PHONE_PLAN (self));
  g_return_if_fail (rd_phone_prefix_is_valid (prefix));

  if (set_prefix (&self->international_prefix, prefix))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERNATIONAL_PREFIX]);
}

/**
 * rd_phone_plan_get_trunk_prefix:
 *
 * Returns: (nullable): the national trunk prefix ("0" in most of Europe), or
 *   %NULL when the country has none (Spain, Portugal)
 */
const char *
rd_phone_plan_get_trunk_prefix (RdPhonePlan *self)
{
  g_return_val_if_fail (RD_IS_PHONE_PLAN (self), NULL);

  return self->trunk_prefix;
}

void
rd_phone_plan_set_trunk_prefix (RdPhonePlan *self,
                                const char  *prefix)
{
  g_return_if_fail (RD_IS_PHONE_PLAN (self));
  g_return_if_fail (rd_phone_prefix_is_valid (prefix));

  if (set_prefix (&self->trunk_prefix, prefix))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNK_PREFIX]);
}

/**
 * rd_phone_plan_get_keep_trunk_prefix:
 *
 * Returns: whether the trunk prefix is part of the number in E.164 too, as in
 *   Italy (02 1234 5678 is +39 02 1234 5678)
 */
gboolean
rd_phone_plan_get_keep_trunk_prefix (RdPhonePlan *self)
{
  g_return_val_if_fail (RD_IS_PHONE_PLAN (self), FALSE);

  return self->keep_trunk_prefix;
}

void
rd_phone_plan_set_keep_trunk_prefix (RdPhonePlan *self,
                                     gboolean     keep)
{
  g_return_if_fail (RD_IS_PHONE_PLAN (self));

  keep = !!keep;
  if (self->keep_trunk_prefix != keep)
    {
      self->keep_trunk_prefix = keep;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_TRUNK_PREFIX]);
    }
}

/**
 * rd_phone_plan_get_access_code:
 *
 * Returns: (nullable): the outside-line access code the PBX puts in front of
 *   external numbers ("0" or "9"), or %NULL
 */
const char *
rd_phone_plan_get_access_code (RdPhonePlan *self)
{
  g_return_val_if_fail (RD_IS_PHONE_PLAN (self), NULL);

  return self->access_code;
}

void
rd_phone_plan_set_access_code (RdPhonePlan *self,
                               const char  *access_code)
{
  g_return_if_fail (RD_IS_PHONE_PLAN (self));
  g_return_if_fail (rd_phone_prefix_is_valid (access_code));

  if (set_prefix (&self->access_code, access_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_CODE]);
}

guint
rd_phone_plan_get_max_extension_length (RdPhonePlan *self)
{
  g_return_val_if_fail (RD_IS_PHONE_PLAN (self), 0);

  return self->max_extension_length;
}

void
rd_phone_plan_set_max_extension_length (RdPhonePlan *self,
                                        guint        length)
{
  g_return_if_fail (RD_IS_PHONE_PLAN (self));
  g_return_if_fail (length <= EXTENSION_MAX_LENGTH);

  if (self->max_extension_length != length)
    {
      self->max_extension_length = length;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_EXTENSION_LENGTH]);
    }
}

static gboolean
has_prefix (const char *digits,
            const char *prefix)
{
  return prefix != NULL && g_str_has_prefix (digits, prefix);
}

/* Completes an international number: @digits is what follows the "+" or the
 * international prefix, @dropped the offset in @digits of a "(0)" digit to
 * leave out (or -1). */
static char *
finish_international (RdPhonePlan *plan,
                      const char  *digits,
                      gssize       dropped)
{
  GString *number = g_string_new ("+");
  gsize n;

  for (gsize i = 0; digits[i] != '\0'; i++)
    {
      if ((gssize) i != dropped)
        g_string_append_c (number, digits[i]);
    }

  /* "+44 020 …" is a common misspelling of "+44 20 …": the trunk prefix has no
   * place after the country code unless the country keeps it (Italy). */
  if (plan->trunk_prefix != NULL && !plan->keep_trunk_prefix &&
      g_str_has_prefix (number->str + 1, plan->country_code) &&
      g_str_has_prefix (number->str + 1 + strlen (plan->country_code), plan->trunk_prefix))
    {
      g_string_erase (number, 1 + strlen (plan->country_code), strlen (plan->trunk_prefix));

      /* Only one can be a misspelling; a national number never starts with the
       * trunk prefix itself ("+49 0049…" is no number), and accepting it would
       * make the result change when normalised again. */
      if (g_str_has_prefix (number->str + 1 + strlen (plan->country_code), plan->trunk_prefix))
        {
          g_string_free (number, TRUE);
          return NULL;
        }
    }

  n = number->len - 1;
  if (n < RD_PHONE_E164_MIN_DIGITS || n > RD_PHONE_E164_MAX_DIGITS || number->str[1] == '0')
    {
      g_string_free (number, TRUE);
      return NULL;
    }

  return g_string_free (number, FALSE);
}

/* Reads the digits of an external number that has no "+": access code,
 * international prefix, trunk prefix, in that order. */
static char *
normalize_dialled (RdPhonePlan   *plan,
                   const char    *digits,
                   gssize         dropped,
                   RdPhoneSource  source)
{
  g_autofree char *national = NULL;
  const char *rest = digits;

  if (has_prefix (rest, plan->access_code))
    {
      const char *after = rest + strlen (plan->access_code);

      switch (source)
        {
        case RD_PHONE_SOURCE_PBX:
          rest = after;
          break;

        case RD_PHONE_SOURCE_ANY:
          if (has_prefix (after, plan->international_prefix) ||
              !has_prefix (rest, plan->international_prefix))
            rest = after;
          break;

        case RD_PHONE_SOURCE_TYPED:
          break;

        default:
          return NULL;
        }
    }

  if (has_prefix (rest, plan->international_prefix))
    {
      const char *international = rest + strlen (plan->international_prefix);

      if (dropped >= 0)
        dropped -= international - digits;

      return finish_international (plan, international, dropped);
    }

  if (!plan->keep_trunk_prefix && has_prefix (rest, plan->trunk_prefix))
    rest += strlen (plan->trunk_prefix);

  if (*rest == '\0')
    return NULL;

  national = g_strconcat (plan->country_code, rest, NULL);

  return finish_international (plan, national, -1);
}

/**
 * rd_phone_normalize_full:
 * @plan: the PBX's dialling plan
 * @raw: (nullable): a number as the PBX reported it or a person typed it
 * @source: where @raw comes from, which decides how an access code is read
 * @kind: (out) (optional): what @raw turned out to be
 *
 * With %RD_PHONE_SOURCE_PBX the access code is always taken off an external
 * number that starts with it; with %RD_PHONE_SOURCE_TYPED it never is; with
 * %RD_PHONE_SOURCE_ANY it is taken off unless @raw starts with the
 * international prefix and what follows the access code does not (so a typed
 * "0044 20…" stays international when the access code is "0").
 *
 * Returns: (transfer full) (nullable): the canonical form, "+<digits>" for
 *   external numbers or the digits of an extension; %NULL when @raw is not a
 *   phone number
 */
char *
rd_phone_normalize_full (RdPhonePlan   *plan,
                         const char    *raw,
                         RdPhoneSource  source,
                         RdPhoneKind   *kind)
{
  char digits[RD_PHONE_MAX_DIGITS + 1];
  gsize n = 0;
  gssize dropped = -1;
  gboolean plus = FALSE;
  char *result;

  if (kind != NULL)
    *kind = RD_PHONE_KIND_INVALID;

  g_return_val_if_fail (RD_IS_PHONE_PLAN (plan), NULL);

  if (raw == NULL || strnlen (raw, RAW_MAX_LENGTH + 1) > RAW_MAX_LENGTH)
    return NULL;

  for (const char *p = raw; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isdigit (c))
        {
          if (n == RD_PHONE_MAX_DIGITS)
            return NULL;
          digits[n++] = c;
        }
      else if (c == '+')
        {
          /* Only as the very first sign. */
          if (plus || n > 0)
            return NULL;
          plus = TRUE;
        }
      else if (c == '(' && p[1] == '0' && p[2] == ')' && n > 0)
        {
          /* "+44 (0)20 …": the trunk digit in brackets is dialled only from
           * inside the country. */
          if (n == RD_PHONE_MAX_DIGITS)
            return NULL;
          dropped = (gssize) n;
          digits[n++] = '0';
          p += 2;
        }
      else if (c != ' ' && c != '\t' && c != '-' && c != '.' && c != '/' &&
               c != '(' && c != ')')
        {
          return NULL;
        }
    }
  digits[n] = '\0';

  if (n == 0)
    return NULL;

  if (!plus && n <= plan->max_extension_length)
    {
      if (kind != NULL)
        *kind = RD_PHONE_KIND_EXTENSION;
      return g_strdup (digits);
    }

  if (plus)
    result = finish_international (plan, digits, dropped);
  else
    result = normalize_dialled (plan, digits, dropped, source);

  if (result != NULL && kind != NULL)
    *kind = RD_PHONE_KIND_EXTERNAL;

  return result;
}

/**
 * rd_phone_normalize:
 *
 * rd_phone_normalize_full() with %RD_PHONE_SOURCE_ANY, for numbers whose
 * origin is not known (search boxes, imported customer records, webhooks).
 *
 * Returns: (transfer full) (nullable): the canonical form, or %NULL
 */
char *
rd_phone_normalize (RdPhonePlan *plan,
                    const char  *raw,
                    RdPhoneKind *kind)
{
  return rd_phone_normalize_full (plan, raw, RD_PHONE_SOURCE_ANY, kind);
}

/**
 * rd_phone_equal:
 *
 * Returns: whether @a and @b are the same valid number once normalised;
 *   an invalid number equals nothing, not even itself
 */
gboolean
rd_phone_equal (RdPhonePlan *plan,
                const char  *a,
                const char  *b)
{
  g_autofree char *norm_a = NULL;
  g_autofree char *norm_b = NULL;

  g_return_val_if_fail (RD_IS_PHONE_PLAN (plan), FALSE);

  norm_a = rd_phone_normalize (plan, a, NULL);
  norm_b = rd_phone_normalize (plan, b, NULL);

  return norm_a != NULL && norm_b != NULL && strcmp (norm_a, norm_b) == 0;
}
