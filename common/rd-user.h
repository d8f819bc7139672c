/* rd-user.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_USER (rd_user_get_type ())

G_DECLARE_FINAL_TYPE (RdUser, rd_user, RD, USER, GObject)

RdUser             *rd_user_new              (const char         *username);
const char         *rd_user_get_username     (RdUser             *self);
void                rd_user_set_username     (RdUser             *self,
                                              const char         *username);
const char         *rd_user_get_display_name (RdUser             *self);
void                rd_user_set_display_name (RdUser             *self,
                                              const char         *display_name);
const char * const *rd_user_get_roles        (RdUser             *self);
void                rd_user_set_roles        (RdUser             *self,
                                              const char * const *roles);
gboolean            rd_user_has_role         (RdUser             *self,
                                              const char         *role);
const char         *rd_user_get_extension    (RdUser             *self);
void                rd_user_set_extension    (RdUser             *self,
                                              const char         *extension);
const char         *rd_user_get_mobile       (RdUser             *self);
void                rd_user_set_mobile       (RdUser             *self,
                                              const char         *mobile);
gboolean            rd_user_get_active       (RdUser             *self);
void                rd_user_set_active       (RdUser             *self,
                                              gboolean            active);

gboolean            rd_role_is_valid         (const char         *role);
gboolean            rd_username_is_valid     (const char         *username);

G_END_DECLS
