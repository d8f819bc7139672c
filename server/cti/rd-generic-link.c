/* rd-generic-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generic CTI webhook, compatible with Zammad's generic CTI push API, so
 * any PBX (or a bridge in front of one) can feed Ringdesk:
 *
 *   POST /api/v1/cti/generic/{secret}
 *   Content-Type: application/x-www-form-urlencoded
 *   event=newCall|answer|hangup & from & to & direction=in|out & callId &
 *   user[] (repeatable) & queue & cause & answeringNumber
 *
 * newCall in → RINGING at each `user[]` (or at `to` when there is none);
 * newCall out → ORIGINATED at the first `user[]` (or `from`); answer →
 * ANSWERED at `answeringNumber` (or the first `user[]`, or the local side);
 * hangup → CLEARED of the whole call with the cause. call_id is `callId`.
 * In Ringdesk, `user[]` carries extensions.
 *
 * The secret is compared in constant time (as SHA-256 digests, so its length
 * does not show either); a wrong secret, any secret while the configured one
 * is empty, and any request while the link is stopped get the same 404 as an
 * unknown path. Bodies are validated
 * strictly: 400 missing_field/invalid_field naming the field, 415 for another
 * Content-Type. The reply is 200 `{}`.
 */

#define G_LOG_DOMAIN "RdGenericLink"

#include "config.h"

#include "rd-api.h"
#include "rd-cti-link-status.h"
#include "rd-error.h"
#include "rd-generic-link.h"

#define LINK_KEY "rd-generic-link"
#define MAX_VALUE 128
#define MAX_USERS 32
#define FORM_TYPE "application/x-www-form-urlencoded"

/* ---- the form ---------------------------------------------------------- */

void
rd_generic_form_clear (RdGenericForm *form)
{
  g_clear_pointer (&form->from, g_free);
  g_clear_pointer (&form->to, g_free);
  g_clear_pointer (&form->call_id, g_free);
  g_clear_pointer (&form->users, g_strfreev);
  g_clear_pointer (&form->queue, g_free);
  g_clear_pointer (&form->cause, g_free);
  g_clear_pointer (&form->answering_number, g_free);
  form->has_direction = FALSE;
}

static gboolean
value_is_clean (const char *value)
{
  if (!g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* phone numbers, extensions, call ids as PBXs write them */
static gboolean
value_is_token (const char *value)
{
  if (value[0] == '\0')
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+*#._:@-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
set_once (char       **slot,
          const char  *name,
          const char  *value,
          gboolean     token,
          GError     **error)
{
  if (*slot != NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "“%s” is given twice", name);
      return FALSE;
    }
  if (token ? !value_is_token (value) : value[0] == '\0')
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   token ? "“%s” must be a number or an id (letters, digits, + * # . _ : @ -)"
                         : "“%s” must not be empty", name);
      return FALSE;
    }
  *slot = g_strdup (value);
  return TRUE;
}

static const char *
cause_from_zammad (const char *cause)
{
  static const char * const causes[][2] = {
    { "normalClearing", "normal" },
    { "busy", "busy" },
    { "cancel", "cancel" },
    { "noAnswer", "no_answer" },
    { "congestion", "congestion" },
    { "notFound", "not_found" },
    { "forwarded", "forwarded" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
    if (g_str_equal (cause, causes[i][0]))
      return causes[i][1];
  return NULL;
}

static gboolean
take_param (RdGenericForm  *form,
            GPtrArray      *users,
            const char     *name,
            const char     *value,
            char          **event_out,
            char          **direction_out,
            GError        **error)
{
  if (strlen (value) > MAX_VALUE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "“%s” is longer than %d bytes", name, MAX_VALUE);
      return FALSE;
    }
  if (!value_is_clean (value))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "“%s” must be UTF-8 text without control characters", name);
      return FALSE;
    }

  if (g_str_equal (name, "event"))
    return set_once (event_out, name, value, TRUE, error);
  if (g_str_equal (name, "direction"))
    return set_once (direction_out, name, value, TRUE, error);
  if (g_str_equal (name, "from"))
    return set_once (&form->from, name, value, TRUE, error);
  if (g_str_equal (name, "to"))
    return set_once (&form->to, name, value, TRUE, error);
  if (g_str_equal (name, "callId"))
    return set_once (&form->call_id, name, value, TRUE, error);
  if (g_str_equal (name, "queue"))
    return set_once (&form->queue, name, value, FALSE, error);
  if (g_str_equal (name, "answeringNumber"))
    return set_once (&form->answering_number, name, value, TRUE, error);
  if (g_str_equal (name, "cause"))
    return set_once (&form->cause, name, value, FALSE, error);
  if (g_str_equal (name, "user[]") || g_str_equal (name, "user"))
    {
      if (users->len >= MAX_USERS)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "more than %d “user[]”", MAX_USERS);
          return FALSE;
        }
      if (!value_is_token (value))
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“user[]” must be an extension");
          return FALSE;
        }
      g_ptr_array_add (users, g_strdup (value));
      return TRUE;
    }

  /* other members (Zammad's callers send a few more) are ignored */
  return TRUE;
}

static gboolean
require (const char  *value,
         const char  *name,
         const char  *event,
         GError     **error)
{
  if (value != NULL)
    return TRUE;

  g_set_error (error, RD_ERROR, RD_ERROR_MISSING_FIELD,
               "“%s” is required for event=%s", name, event);
  return FALSE;
}

/**
 * rd_generic_form_parse:
 * @body: the form-encoded body (any bytes)
 * @length: its length
 * @form: (out caller-allocates): the validated form; clear it with
 *   rd_generic_form_clear()
 *
 * Returns: %FALSE with RD_ERROR_MISSING_FIELD or RD_ERROR_INVALID_FIELD
 *   (the message names the field)
 */
gboolean
rd_generic_form_parse (const char     *body,
                       gsize           length,
                       RdGenericForm  *form,
                       GError        **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *event = NULL;
  g_autofree char *direction = NULL;
  GUriParamsIter iter;
  char *name = NULL;
  char *value = NULL;

  g_return_val_if_fail (body != NULL || length == 0, FALSE);
  g_return_val_if_fail (form != NULL, FALSE);

  memset (form, 0, sizeof *form);

  if (length > 0 && memchr (body, '\0', length) != NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "The form body contains a NUL byte");
      return FALSE;
    }

  g_uri_params_iter_init (&iter, length > 0 ? body : "", length, "&", G_URI_PARAMS_WWW_FORM);
  while (g_uri_params_iter_next (&iter, &name, &value, &local_error))
    {
      gboolean ok = take_param (form, users, name, value, &event, &direction, error);

      g_free (name);
      g_free (value);
      if (!ok)
        {
          rd_generic_form_clear (form);
          return FALSE;
        }
    }
  if (local_error != NULL)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                   "The form body is not form-encoded: %s", local_error->message);
      rd_generic_form_clear (form);
      return FALSE;
    }

  if (event == NULL)
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_MISSING_FIELD, "“event” is required");
      goto fail;
    }

  if (g_str_equal (event, "newCall"))
    form->event = RD_GENERIC_EVENT_NEW_CALL;
  else if (g_str_equal (event, "answer"))
    form->event = RD_GENERIC_EVENT_ANSWER;
  else if (g_str_equal (event, "hangup"))
    form->event = RD_GENERIC_EVENT_HANGUP;
  else
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                           "“event” must be newCall, answer or hangup");
      goto fail;
    }

  if (direction != NULL)
    {
      if (g_str_equal (direction, "in"))
        form->direction = RD_CALL_DIRECTION_IN;
      else if (g_str_equal (direction, "out"))
        form->direction = RD_CALL_DIRECTION_OUT;
      else
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“direction” must be in or out");
          goto fail;
        }
      form->has_direction = TRUE;
    }

  if (!require (form->call_id, "callId", event, error))
    goto fail;
  if (form->event == RD_GENERIC_EVENT_NEW_CALL &&
      (!require (form->from, "from", event, error) ||
       !require (form->to, "to", event, error) ||
       !require (direction, "direction", event, error)))
    goto fail;

  if (form->cause != NULL)
    {
      const char *cause = cause_from_zammad (form->cause);

      if (cause == NULL)
        {
          g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "“cause” must be normalClearing, busy, cancel, noAnswer, "
                               "congestion, notFound or forwarded");
          goto fail;
        }
      g_free (form->cause);
      form->cause = g_strdup (cause);
    }

  g_ptr_array_add (users, NULL);
  form->users = (GStrv) g_ptr_array_steal (users, NULL);
  return TRUE;

fail:
  rd_generic_form_clear (form);
  return FALSE;
}

static RdCtiEvent *
new_event (const RdGenericForm *form,
           RdCtiEventType       type,
           const char          *extension)
{
  RdCtiEvent *event = rd_cti_event_new (type, "generic");

  event->call_id = g_strdup (form->call_id);
  event->extension = g_strdup (extension);
  event->calling = g_strdup (form->from);
  event->called = g_strdup (form->to);
  if (form->has_direction)
    event->direction = form->direction;

  return event;
}

/**
 * rd_generic_form_to_events:
 * @form: a parsed form
 *
 * Returns: (transfer full) (element-type RdCtiEvent): the events it means
 */
GPtrArray *
rd_generic_form_to_events (const RdGenericForm *form)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  const char *first_user = form->users != NULL ? form->users[0] : NULL;
  RdCtiEvent *event;

  switch (form->event)
    {
    case RD_GENERIC_EVENT_NEW_CALL:
      if (form->direction == RD_CALL_DIRECTION_OUT)
        {
          event = new_event (form, RD_CTI_EVENT_ORIGINATED, first_user ? first_user : form->from);
          g_ptr_array_add (events, event);
        }
      else if (first_user == NULL)
        {
          event = new_event (form, RD_CTI_EVENT_RINGING, form->to);
          g_ptr_array_add (events, event);
        }
      else
        {
          for (guint i = 0; form->users[i] != NULL; i++)
            {
              event = new_event (form, RD_CTI_EVENT_RINGING, form->users[i]);
              /* the number dialled, when the users are the extensions rung */
              event->ddi = g_strdup (form->to);
              if (form->queue != NULL)
                event->target = g_strdup (form->queue);
              g_ptr_array_add (events, event);
            }
        }
      break;

    case RD_GENERIC_EVENT_ANSWER:
      {
        const char *extension = form->answering_number;

        if (extension == NULL)
          extension = first_user;
        if (extension == NULL)
          extension = form->has_direction && form->direction == RD_CALL_DIRECTION_OUT ? form->from : form->to;
        g_ptr_array_add (events, new_event (form, RD_CTI_EVENT_ANSWERED, extension));
      }
      break;

    case RD_GENERIC_EVENT_HANGUP:
      event = new_event (form, RD_CTI_EVENT_CLEARED, NULL);
      event->cause = g_strdup (form->cause != NULL ? form->cause : "normal");
      g_ptr_array_add (events, event);
      break;

    default:
      g_assert_not_reached ();
    }

  return events;
}

/* ---- the link ---------------------------------------------------------- */

struct _RdGenericLink
{
  GObject         parent_instance;

  char           *secret_digest;   /* SHA-256 hex of the secret; NULL: disabled */
  RdCtiLinkStatus status;
  GWeakRef        server;
};

static void rd_generic_link_iface_init (RdCtiLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdGenericLink, rd_generic_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CTI_LINK, rd_generic_link_iface_init))

static void
set_state (RdGenericLink  *self,
           RdCtiLinkState  state,
           const char     *detail)
{
  rd_cti_link_status_set (&self->status, G_OBJECT (self), state, detail);
}

static gboolean
secret_matches (RdGenericLink *self,
                const char    *secret)
{
  g_autofree char *digest = NULL;
  guint8 diff = 0;

  if (self->secret_digest == NULL || secret == NULL)
    return FALSE;

  /* equal-length digests compared without an early exit */
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  for (gsize i = 0; i < 64; i++)
    diff |= (guint8) (digest[i] ^ self->secret_digest[i]);

  return diff == 0;
}

static void
handle_webhook (RdServer  *server,
                RdRequest *request)
{
  RdGenericLink *self = g_object_get_data (G_OBJECT (server), LINK_KEY);
  SoupServerMessage *msg = rd_request_get_message (request);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(RdGenericForm) form = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *content_type;

  /* a stopped link is switched off like one without a secret; a 5xx would
   * also put the path, and so the secret, in the warning log */
  if (self == NULL || !secret_matches (self, rd_request_get_param (request, "secret")) ||
      self->status.state != RD_CTI_LINK_STATE_CONNECTED)
    {
      rd_request_reply_error_literal (request, RD_ERROR_NOT_FOUND, "No such resource");
      return;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, FORM_TYPE) != 0)
    {
      rd_request_reply_error_literal (request, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                                      "The body must be a form (Content-Type: " FORM_TYPE ")");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (!rd_generic_form_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &form, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  /* the handler may drop the last other reference */
  g_object_ref (self);
  events = rd_generic_form_to_events (&form);
  for (guint i = 0; i < events->len; i++)
    rd_cti_link_emit_event (RD_CTI_LINK (self), g_ptr_array_index (events, i));
  g_object_unref (self);

  reply = json_node_init_object (json_node_alloc (), json_object_new ());
  rd_request_reply_json (request, SOUP_STATUS_OK, reply);
}

static void
rd_generic_link_start (RdCtiLink *link)
{
  RdGenericLink *self = RD_GENERIC_LINK (link);

  if (self->secret_digest == NULL)
    set_state (self, RD_CTI_LINK_STATE_DOWN, "disabled: the [generic] secret is empty");
  else
    set_state (self, RD_CTI_LINK_STATE_CONNECTED, NULL);
}

static void
rd_generic_link_stop (RdCtiLink *link)
{
  set_state (RD_GENERIC_LINK (link), RD_CTI_LINK_STATE_STOPPED, NULL);
}

static void
rd_generic_link_iface_init (RdCtiLinkInterface *iface)
{
  iface->start = rd_generic_link_start;
  iface->stop = rd_generic_link_stop;
}

static void
rd_generic_link_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RdGenericLink *self = RD_GENERIC_LINK (object);

  if (!rd_cti_link_status_get_property (&self->status, "generic", prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rd_generic_link_dispose (GObject *object)
{
  RdGenericLink *self = RD_GENERIC_LINK (object);
  g_autoptr(RdServer) server = g_weak_ref_get (&self->server);

  /* the route stays; without the link it answers 404 */
  if (server != NULL && g_object_get_data (G_OBJECT (server), LINK_KEY) == self)
    g_object_set_data (G_OBJECT (server), LINK_KEY, NULL);
  g_weak_ref_set (&self->server, NULL);

  G_OBJECT_CLASS (rd_generic_link_parent_class)->dispose (object);
}

static void
rd_generic_link_finalize (GObject *object)
{
  RdGenericLink *self = RD_GENERIC_LINK (object);

  g_free (self->secret_digest);
  rd_cti_link_status_clear (&self->status);
  g_weak_ref_clear (&self->server);

  G_OBJECT_CLASS (rd_generic_link_parent_class)->finalize (object);
}

static void
rd_generic_link_class_init (RdGenericLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rd_generic_link_get_property;
  object_class->dispose = rd_generic_link_dispose;
  object_class->finalize = rd_generic_link_finalize;

  rd_cti_link_status_install (object_class);
}

static void
rd_generic_link_init (RdGenericLink *self)
{
  rd_cti_link_status_init (&self->status);
  g_weak_ref_init (&self->server, NULL);
}

/**
 * rd_generic_link_new:
 * @secret: (nullable): the {secret} of the webhook's path; %NULL or empty
 *   disables the webhook
 *
 * Returns: (transfer full): a stopped link; rd_generic_link_register() adds
 *   its route, rd_cti_link_start() lets events through
 */
RdGenericLink *
rd_generic_link_new (const char *secret)
{
  RdGenericLink *self = g_object_new (RD_TYPE_GENERIC_LINK, NULL);

  if (secret != NULL && secret[0] != '\0')
    self->secret_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);

  return self;
}

/**
 * rd_generic_link_new_from_config:
 * @config: the server configuration
 *
 * Reads [generic] secret.
 *
 * Returns: (transfer full): a stopped link
 */
RdGenericLink *
rd_generic_link_new_from_config (RdConfig *config)
{
  g_autofree char *secret = rd_config_get_string (config, "generic", "secret");
  RdGenericLink *self = rd_generic_link_new (secret);

  if (secret != NULL)
    memset (secret, 0, strlen (secret));

  return self;
}

/**
 * rd_generic_link_register:
 * @server: the HTTP server
 *
 * Adds the public route POST /api/v1/cti/generic/{secret}, answered by
 * this link (one generic link per server).
 */
void
rd_generic_link_register (RdGenericLink *self,
                          RdServer      *server)
{
  g_return_if_fail (RD_IS_GENERIC_LINK (self));
  g_return_if_fail (RD_IS_SERVER (server));

  if (g_object_get_data (G_OBJECT (server), LINK_KEY) == NULL)
    rd_server_add_route (server, "POST", RD_API_PATH_CTI_GENERIC "/{secret}",
                         RD_ROUTE_PUBLIC | RD_ROUTE_SECRET_PATH, NULL, handle_webhook);
  g_object_set_data (G_OBJECT (server), LINK_KEY, self);
  g_weak_ref_set (&self->server, server);
}
