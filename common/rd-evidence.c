/* rd-evidence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file attached to a ticket (photo, PDF, audio). Only its metadata travels as
 * JSON; the bytes are uploaded and fetched separately. The SHA-256 is the
 * lowercase hex digest of the bytes, for the chain of custody.
 */

#define G_LOG_DOMAIN "RdEvidence"

#include "config.h"

#include "rd-codec.h"
#include "rd-error.h"
#include "rd-evidence.h"
#include "rd-json.h"
#include "rd-model-private.h"
#include "rd-util.h"

struct _RdEvidence
{
  GObject    parent_instance;

  char      *id;
  char      *ticket;
  char      *filename;
  char      *content_type;
  gint64     size;
  char      *sha256;
  char      *description;
  char      *uploaded_by;
  GDateTime *uploaded_at;
};

static void rd_evidence_codec_iface_init (RdCodecInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdEvidence, rd_evidence, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CODEC, rd_evidence_codec_iface_init))

enum {
  PROP_0,
  PROP_ID,
  PROP_TICKET,
  PROP_FILENAME,
  PROP_CONTENT_TYPE,
  PROP_SIZE,
  PROP_SHA256,
  PROP_DESCRIPTION,
  PROP_UPLOADED_BY,
  PROP_UPLOADED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const evidence_members[] = {
  "id", "ticket", "filename", "content_type", "size", "sha256", "description",
  "uploaded_by", "uploaded_at", NULL
};

static void
rd_evidence_to_json (RdCodec     *codec,
                     JsonBuilder *builder)
{
  RdEvidence *self = RD_EVIDENCE (codec);

  rd_json_builder_add_string (builder, "id", self->id ? self->id : "");
  rd_json_builder_add_string (builder, "ticket", self->ticket ? self->ticket : "");
  rd_json_builder_add_string (builder, "filename", self->filename ? self->filename : "");
  rd_json_builder_add_string (builder, "content_type", self->content_type ? self->content_type : "");
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, self->size);
  rd_json_builder_add_string (builder, "sha256", self->sha256 ? self->sha256 : "");
  rd_json_builder_add_string (builder, "description", self->description ? self->description : "");
  rd_json_builder_add_string (builder, "uploaded_by", self->uploaded_by ? self->uploaded_by : "");
  rd_json_builder_add_datetime (builder, "uploaded_at", self->uploaded_at);
}

static gboolean
rd_evidence_from_json (RdCodec       *codec,
                       JsonObject    *object,
                       RdCodecFlags   flags,
                       GError       **error)
{
  RdEvidence *self = RD_EVIDENCE (codec);
  const char *id = NULL;
  const char *ticket = NULL;
  const char *filename = NULL;
  const char *content_type = NULL;
  gint64 size = 0;
  const char *sha256 = NULL;
  const char *description = NULL;
  const char *uploaded_by = NULL;
  g_autoptr(GDateTime) uploaded_at = NULL;

  if (!rd_codec_check_members (flags, object, evidence_members, error) ||
      !rd_json_get_string (object, "id", RD_JSON_REQUIRED, &id, error) ||
      !rd_json_get_string (object, "ticket", RD_JSON_REQUIRED, &ticket, error) ||
      !rd_json_get_string (object, "filename", RD_JSON_OPTIONAL, &filename, error) ||
      !rd_json_get_string (object, "content_type", RD_JSON_OPTIONAL, &content_type, error) ||
      !rd_json_get_int (object, "size", RD_JSON_OPTIONAL, &size, error) ||
      !rd_json_get_string (object, "sha256", RD_JSON_OPTIONAL, &sha256, error) ||
      !rd_json_get_string (object, "description", RD_JSON_OPTIONAL, &description, error) ||
      !rd_json_get_string (object, "uploaded_by", RD_JSON_OPTIONAL, &uploaded_by, error) ||
      !rd_json_get_datetime (object, "uploaded_at", RD_JSON_OPTIONAL, &uploaded_at, error) ||
      !rd_check_not_empty ("id", id, error) ||
      !rd_check_not_empty ("ticket", ticket, error))
    return FALSE;

  if (size < 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "Field “size” must be a whole number from 0");
      return FALSE;
    }

  if (sha256 != NULL && sha256[0] != '\0' && !rd_evidence_sha256_is_valid (sha256))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "Field “sha256” must be 64 lowercase hexadecimal digits");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  rd_evidence_set_id (self, id);
  rd_evidence_set_ticket (self, ticket);
  rd_evidence_set_filename (self, filename);
  rd_evidence_set_content_type (self, content_type);
  rd_evidence_set_size (self, size);
  rd_evidence_set_sha256 (self, sha256);
  rd_evidence_set_description (self, description);
  rd_evidence_set_uploaded_by (self, uploaded_by);
  if (uploaded_at != NULL)
    rd_evidence_set_uploaded_at (self, uploaded_at);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
rd_evidence_codec_iface_init (RdCodecInterface *iface)
{
  iface->to_json = rd_evidence_to_json;
  iface->from_json = rd_evidence_from_json;
}

static void
rd_evidence_finalize (GObject *object)
{
  RdEvidence *self = (RdEvidence *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->ticket, g_free);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->uploaded_by, g_free);
  g_clear_pointer (&self->uploaded_at, g_date_time_unref);

  G_OBJECT_CLASS (rd_evidence_parent_class)->finalize (object);
}

static void
rd_evidence_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RdEvidence *self = RD_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TICKET:
      g_value_set_string (value, self->ticket);
      break;

    case PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;

    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;

    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;

    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_UPLOADED_BY:
      g_value_set_string (value, self->uploaded_by);
      break;

    case PROP_UPLOADED_AT:
      g_value_set_boxed (value, self->uploaded_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_evidence_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RdEvidence *self = RD_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      rd_evidence_set_id (self, g_value_get_string (value));
      break;

    case PROP_TICKET:
      rd_evidence_set_ticket (self, g_value_get_string (value));
      break;

    case PROP_FILENAME:
      rd_evidence_set_filename (self, g_value_get_string (value));
      break;

    case PROP_CONTENT_TYPE:
      rd_evidence_set_content_type (self, g_value_get_string (value));
      break;

    case PROP_SIZE:
      rd_evidence_set_size (self, g_value_get_int64 (value));
      break;

    case PROP_SHA256:
      rd_evidence_set_sha256 (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      rd_evidence_set_description (self, g_value_get_string (value));
      break;

    case PROP_UPLOADED_BY:
      rd_evidence_set_uploaded_by (self, g_value_get_string (value));
      break;

    case PROP_UPLOADED_AT:
      rd_evidence_set_uploaded_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_evidence_class_init (RdEvidenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_evidence_finalize;
  object_class->get_property = rd_evidence_get_property;
  object_class->set_property = rd_evidence_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKET] =
    g_param_spec_string ("ticket", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILENAME] =
    g_param_spec_string ("filename", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPLOADED_BY] =
    g_param_spec_string ("uploaded-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPLOADED_AT] =
    g_param_spec_boxed ("uploaded-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rd_evidence_init (RdEvidence *self)
{
  self->uploaded_at = g_date_time_new_now_utc ();
}

RdEvidence *
rd_evidence_new (const char *id)
{
  return g_object_new (RD_TYPE_EVIDENCE, "id", id, NULL);
}

const char *
rd_evidence_get_id (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->id;
}

void
rd_evidence_set_id (RdEvidence *self,
                    const char *id)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
rd_evidence_get_ticket (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->ticket;
}

void
rd_evidence_set_ticket (RdEvidence *self,
                        const char *ticket)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->ticket, ticket))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET]);
}

const char *
rd_evidence_get_filename (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->filename;
}

void
rd_evidence_set_filename (RdEvidence *self,
                          const char *filename)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->filename, filename))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILENAME]);
}

const char *
rd_evidence_get_content_type (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->content_type;
}

void
rd_evidence_set_content_type (RdEvidence *self,
                              const char *content_type)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
}

gint64
rd_evidence_get_size (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), 0);

  return self->size;
}

void
rd_evidence_set_size (RdEvidence *self,
                      gint64      size)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (self->size != size)
    {
      self->size = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
    }
}

const char *
rd_evidence_get_sha256 (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->sha256;
}

void
rd_evidence_set_sha256 (RdEvidence *self,
                        const char *sha256)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->sha256, sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHA256]);
}

const char *
rd_evidence_get_description (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->description;
}

void
rd_evidence_set_description (RdEvidence *self,
                             const char *description)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
rd_evidence_get_uploaded_by (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->uploaded_by;
}

void
rd_evidence_set_uploaded_by (RdEvidence *self,
                             const char *uploaded_by)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));

  if (rd_set_str (&self->uploaded_by, uploaded_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOADED_BY]);
}

GDateTime *
rd_evidence_get_uploaded_at (RdEvidence *self)
{
  g_return_val_if_fail (RD_IS_EVIDENCE (self), NULL);

  return self->uploaded_at;
}

void
rd_evidence_set_uploaded_at (RdEvidence *self,
                             GDateTime  *uploaded_at)
{
  g_return_if_fail (RD_IS_EVIDENCE (self));
  g_return_if_fail (uploaded_at != NULL);

  if (rd_set_datetime (&self->uploaded_at, uploaded_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOADED_AT]);
}

/**
 * rd_evidence_sha256_is_valid:
 *
 * Returns: whether @sha256 is a SHA-256 digest in the form the server writes:
 *   64 lowercase hexadecimal digits
 */
gboolean
rd_evidence_sha256_is_valid (const char *sha256)
{
  gsize i;

  if (sha256 == NULL)
    return FALSE;

  for (i = 0; sha256[i] != '\0'; i++)
    {
      if (i >= 64 || !g_ascii_isxdigit (sha256[i]) || g_ascii_isupper (sha256[i]))
        return FALSE;
    }

  return i == 64;
}
