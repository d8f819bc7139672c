/* rd-phone.h: phone-number normalisation for caller-id matching
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-enums.h"

G_BEGIN_DECLS

/* More digits than this in the input are never a phone number. */
#define RD_PHONE_MAX_DIGITS 20
/* E.164 allows at most 15 digits after the "+". */
#define RD_PHONE_E164_MAX_DIGITS 15
#define RD_PHONE_E164_MIN_DIGITS 7

#define RD_TYPE_PHONE_PLAN (rd_phone_plan_get_type ())

G_DECLARE_FINAL_TYPE (RdPhonePlan, rd_phone_plan, RD, PHONE_PLAN, GObject)

RdPhonePlan *rd_phone_plan_new                      (const char    *country_code);
RdPhonePlan *rd_phone_plan_new_for_country          (const char    *iso_country);
const char  *rd_phone_plan_get_country_code         (RdPhonePlan   *self);
void         rd_phone_plan_set_country_code         (RdPhonePlan   *self,
                                                     const char    *country_code);
const char  *rd_phone_plan_get_international_prefix (RdPhonePlan   *self);
void         rd_phone_plan_set_international_prefix (RdPhonePlan   *self,
                                                     const char    *prefix);
const char  *rd_phone_plan_get_trunk_prefix         (RdPhonePlan   *self);
void         rd_phone_plan_set_trunk_prefix         (RdPhonePlan   *self,
                                                     const char    *prefix);
gboolean     rd_phone_plan_get_keep_trunk_prefix    (RdPhonePlan   *self);
void         rd_phone_plan_set_keep_trunk_prefix    (RdPhonePlan   *self,
                                                     gboolean       keep);
const char  *rd_phone_plan_get_access_code          (RdPhonePlan   *self);
void         rd_phone_plan_set_access_code          (RdPhonePlan   *self,
                                                     const char    *access_code);
guint        rd_phone_plan_get_max_extension_length (RdPhonePlan   *self);
void         rd_phone_plan_set_max_extension_length (RdPhonePlan   *self,
                                                     guint          length);

char        *rd_phone_normalize                     (RdPhonePlan   *plan,
                                                     const char    *raw,
                                                     RdPhoneKind   *kind);
char        *rd_phone_normalize_full                (RdPhonePlan   *plan,
                                                     const char    *raw,
                                                     RdPhoneSource  source,
                                                     RdPhoneKind   *kind);
gboolean     rd_phone_equal                         (RdPhonePlan   *plan,
                                                     const char    *a,
                                                     const char    *b);

gboolean     rd_phone_country_code_is_valid         (const char    *country_code);
gboolean     rd_phone_prefix_is_valid               (const char    *prefix);
gboolean     rd_extension_is_valid                  (const char    *extension);

G_END_DECLS
