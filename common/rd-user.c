/* rd-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person who signs in: agent, technician, supervisor or admin (or several).
 * Carries no secret: passwords and tokens live only in the server's store.
 */

#define G_LOG_DOMAIN "RdUser"

#include "config.h"

#include "rd-api.h"
#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-user.h"
#include "rd-util.h"

struct _RdUser
{
  GObject   parent_instance;

  char     *username;
  char     *display_name;
  char    **roles;
  char     *extension;
  char     *mobile;
  gboolean  active;
};

static void rd_user_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdUser, rd_user, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_user_codec_iface_init))

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_ROLES,
  PROP_EXTENSION,
  PROP_MOBILE,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const known_roles[] = {
  RD_ROLE_AGENT, RD_ROLE_TECHNICIAN, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const user_members[] = {
  "username", "display_name", "roles", "extension", "mobile", "active", "password", NULL
};

gboolean
rd_role_is_valid (const char *role)
{
  return role != NULL && g_strv_contains (known_roles, role);
}

/**
 * rd_username_is_valid:
 *
 * Usernames are 1–64 characters of ASCII letters, digits, `.`, `_` and `-`,
 * starting with a letter or digit, so they are safe in logs, URLs and CSV.
 */
gboolean
rd_username_is_valid (const char *username)
{
  gsize len;

  if (username == NULL)
    return FALSE;

  len = strlen (username);
  if (len == 0 || len > 64 || !g_ascii_isalnum (username[0]))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = username[i];

      if (!g_ascii_isalnum (c) && c != '.' && c != '_' && c != '-')
        return FALSE;
    }

  return TRUE;
}

static void
rd_user_to_json (RdCodec     *codec,
                 JsonBuilder *builder)
{
  RdUser *self = RD_USER (codec);

  rd_json_builder_add_string (builder, "username", self->username);
  rd_json_builder_add_string (builder, "display_name",
                              self->display_name ? self->display_name : self->username);
  rd_json_builder_add_strv (builder, "roles", (const char * const *) self->roles);
  rd_json_builder_add_string (builder, "extension", self->extension);
  rd_json_builder_add_string (builder, "mobile", self->mobile);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, self->active);
}

static gboolean
rd_user_from_json (RdCodec       *codec,
                   JsonObject    *object,
                   RdCodecFlags   flags,
                   GError       **error)
{
  RdUser *self = RD_USER (codec);
  const char *username = NULL;
  const char *display_name = NULL;
  const char *extension = NULL;
  const char *mobile = NULL;
  g_auto(GStrv) roles = NULL;
  gboolean active = TRUE;

  if (!rd_codec_check_members (flags, object, user_members, error) ||
      !rd_json_get_string (object, "username", RD_JSON_REQUIRED, &username, error) ||
      !rd_json_get_string (object, "display_name", RD_JSON_NULLABLE, &display_name, error) ||
      !rd_json_dup_strv (object, "roles", RD_JSON_OPTIONAL, &roles, error) ||
      !rd_json_get_string (object, "extension", RD_JSON_NULLABLE, &extension, error) ||
      !rd_json_get_string (object, "mobile", RD_JSON_NULLABLE, &mobile, error) ||
      !rd_json_get_boolean (object, "active", RD_JSON_OPTIONAL, &active, error))
    return FALSE;

  if (!rd_username_is_valid (username))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “username” must be 1–64 letters, digits, “.”, “_” or “-”");
      return FALSE;
    }

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      if (!rd_role_is_valid (roles[i]))
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Field “roles” has an unknown role “%.*s”", rd_utf8_prefix_length (roles[i], 32), roles[i]);
          return FALSE;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_user_set_username (self, username);
  rd_user_set_display_name (self, display_name);
  rd_user_set_roles (self, (const char * const *) roles);
  rd_user_set_extension (self, extension);
  rd_user_set_mobile (self, mobile);
  rd_user_set_active (self, active);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_user_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_user_to_json;
  iface->from_json = rd_user_from_json;
}

static void
rd_user_finalize (GObject *object)
{
  RdUser *self = (RdUser *) object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->roles, g_strfreev);
  g_clear_pointer (&self->extension, g_free);
  g_clear_pointer (&self->mobile, g_free);

  G_OBJECT_CLASS (rd_user_parent_class)->finalize (object);
}

static void
rd_user_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RdUser *self = RD_USER (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, rd_user_get_display_name (self));
      break;

    case PROP_ROLES:
      g_value_set_boxed (value, self->roles);
      break;

    case PROP_EXTENSION:
      g_value_set_string (value, self->extension);
      break;

    case PROP_MOBILE:
      g_value_set_string (value, self->mobile);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_user_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RdUser *self = RD_USER (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      rd_user_set_username (self, g_value_get_string (value));
      break;

    case PROP_DISPLAY_NAME:
      rd_user_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_ROLES:
      rd_user_set_roles (self, g_value_get_boxed (value));
      break;

    case PROP_EXTENSION:
      rd_user_set_extension (self, g_value_get_string (value));
      break;

    case PROP_MOBILE:
      rd_user_set_mobile (self, g_value_get_string (value));
      break;

    case PROP_ACTIVE:
      rd_user_set_active (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_user_class_init (RdUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_user_finalize;
  object_class->get_property = rd_user_get_property;
  object_class->set_property = rd_user_set_property;

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLES] =
    g_param_spec_boxed ("roles", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MOBILE] =
    g_param_spec_string ("mobile", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_user_init (RdUser *self)
{
  self->active = TRUE;
  self->roles = g_new0 (char *, 1);
}

RdUser *
rd_user_new (const char *username)
{
  return g_object_new (RD_TYPE_USER, "username", username, NULL);
}

const char *
rd_user_get_username (RdUser *self)
{
  g_return_val_if_fail (RD_IS_USER (self), NULL);

  return self->username;
}

void
rd_user_set_username (RdUser     *self,
                      const char *username)
{
  g_return_if_fail (RD_IS_USER (self));

  if (rd_set_str (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * rd_user_get_display_name:
 *
 * Returns: the display name, or the username when none is set
 */
const char *
rd_user_get_display_name (RdUser *self)
{
  g_return_val_if_fail (RD_IS_USER (self), NULL);

  if (self->display_name != NULL && self->display_name[0] != '\0')
    return self->display_name;

  return self->username;
}

void
rd_user_set_display_name (RdUser     *self,
                          const char *display_name)
{
  g_return_if_fail (RD_IS_USER (self));

  if (rd_set_str (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

const char * const *
rd_user_get_roles (RdUser *self)
{
  g_return_val_if_fail (RD_IS_USER (self), NULL);

  return (const char * const *) self->roles;
}

void
rd_user_set_roles (RdUser             *self,
                   const char * const *roles)
{
  g_return_if_fail (RD_IS_USER (self));

  if (roles == NULL && g_strv_length (self->roles) == 0)
    return;
  if (roles != NULL && g_strv_equal ((const char * const *) self->roles, roles))
    return;

  g_strfreev (self->roles);
  self->roles = roles ? g_strdupv ((char **) roles) : g_new0 (char *, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLES]);
}

gboolean
rd_user_has_role (RdUser     *self,
                  const char *role)
{
  g_return_val_if_fail (RD_IS_USER (self), FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->roles, role);
}

const char *
rd_user_get_extension (RdUser *self)
{
  g_return_val_if_fail (RD_IS_USER (self), NULL);

  return self->extension;
}

void
rd_user_set_extension (RdUser     *self,
                       const char *extension)
{
  g_return_if_fail (RD_IS_USER (self));

  if (rd_set_str (&self->extension, extension))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTENSION]);
}

const char *
rd_user_get_mobile (RdUser *self)
{
  g_return_val_if_fail (RD_IS_USER (self), NULL);

  return self->mobile;
}

void
rd_user_set_mobile (RdUser     *self,
                    const char *mobile)
{
  g_return_if_fail (RD_IS_USER (self));

  if (rd_set_str (&self->mobile, mobile))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MOBILE]);
}

gboolean
rd_user_get_active (RdUser *self)
{
  g_return_val_if_fail (RD_IS_USER (self), FALSE);

  return self->active;
}

void
rd_user_set_active (RdUser   *self,
                    gboolean  active)
{
  g_return_if_fail (RD_IS_USER (self));

  active = !!active;
  if (self->active != active)
    {
      self->active = active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
}
