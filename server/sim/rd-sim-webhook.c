/* rd-sim-webhook.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PBX bridge of the kind that feeds Zammad's generic CTI push API, run by
 * the simulator: it turns what happens in the simulated PBX into
 * `application/x-www-form-urlencoded` POSTs to one URL (Ringdesk's
 * `/api/v1/cti/generic/{secret}`), sent with libsoup one after the other, in
 * the order the PBX reported them.
 *
 * The API knows three events, so most of what the PBX says is lost:
 *
 *   - newCall direction=in, once per extension rung (RINGING, or a transfer
 *     to an extension not rung yet), from the caller, to the DDI (or the
 *     number called), user[] the extension. Internal calls go as incoming
 *     ones at the extension rung: the API has only in and out.
 *   - newCall direction=out, once per outgoing call (ORIGINATED, or the
 *     first RINGING of a click-to-dial), from and user[] the extension.
 *   - answer at each extension that answers an incoming call
 *     (answeringNumber), and at the station a consulted transfer hands the
 *     call to when it answered the consultation; once for an outgoing call
 *     (the far end answered).
 *   - hangup when the whole call ends, cause normalClearing, noAnswer
 *     (nobody answered), cancel (the caller gave up) or busy.
 *
 * Held, retrieved, diverted (the next extension's newCall shows it),
 * a station leaving the call, queued, failed and call records are not sent.
 */

#define G_LOG_DOMAIN "RdSimWebhook"

#include "config.h"

#include "rd-sim-webhook.h"
#include "rd-util.h"

#include <libsoup/soup.h>

#include <string.h>

#define FORM_TYPE "application/x-www-form-urlencoded"

typedef struct
{
  RdCallDirection  direction;   /* as sent: in or out */
  GPtrArray       *rung;        /* char*: the extensions announced */
  gboolean         answered;
  char            *answered_at; /* the extension that answered last */
} Call;

struct _RdSimWebhook
{
  GObject       parent_instance;

  char         *url;
  SoupSession  *session;
  GCancellable *cancellable;
  GHashTable   *calls;     /* PBX call id → Call */
  GHashTable   *internal;  /* call ids ORIGINATED internal, not announced yet */
  GHashTable   *handed;    /* extensions talking in a consultation just merged */
  GQueue        queue;     /* char*: the forms still to send */
  gboolean      sending;
  guint         n_failed;
};

G_DEFINE_FINAL_TYPE (RdSimWebhook, rd_sim_webhook, G_TYPE_OBJECT)

static void
call_free (Call *call)
{
  g_ptr_array_unref (call->rung);
  g_free (call->answered_at);
  g_free (call);
}

static void
rd_sim_webhook_dispose (GObject *object)
{
  RdSimWebhook *self = RD_SIM_WEBHOOK (object);

  rd_sim_webhook_close (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (rd_sim_webhook_parent_class)->dispose (object);
}

static void
rd_sim_webhook_finalize (GObject *object)
{
  RdSimWebhook *self = RD_SIM_WEBHOOK (object);

  g_queue_clear_full (&self->queue, g_free);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->internal, g_hash_table_unref);
  g_clear_pointer (&self->handed, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_free (self->url);

  G_OBJECT_CLASS (rd_sim_webhook_parent_class)->finalize (object);
}

static void
rd_sim_webhook_class_init (RdSimWebhookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_sim_webhook_dispose;
  object_class->finalize = rd_sim_webhook_finalize;
}

static void
rd_sim_webhook_init (RdSimWebhook *self)
{
  self->session = soup_session_new ();
  self->cancellable = g_cancellable_new ();
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) call_free);
  self->internal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->handed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->queue);
}

/**
 * rd_sim_webhook_new:
 * @url: where to POST, e.g. `http://127.0.0.1:8080/api/v1/cti/generic/SECRET`
 */
RdSimWebhook *
rd_sim_webhook_new (const char *url)
{
  RdSimWebhook *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (RD_TYPE_SIM_WEBHOOK, NULL);
  self->url = g_strdup (url);

  return self;
}

const char *
rd_sim_webhook_get_url (RdSimWebhook *self)
{
  g_return_val_if_fail (RD_IS_SIM_WEBHOOK (self), NULL);

  return self->url;
}

static void
append_field (GString    *form,
              const char *name,
              const char *value)
{
  g_autofree char *key = NULL;
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  /* form-urlencoded: user[] is user%5B%5D */
  key = g_uri_escape_string (name, NULL, FALSE);
  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (form, "%s%s=%s", form->len > 0 ? "&" : "", key, escaped);
}

static char *
build_form (const char *event,
            const char *direction,
            const char *call_id,
            const char *from,
            const char *to,
            const char *user,
            const char *answering,
            const char *cause)
{
  GString *form = g_string_new (NULL);

  append_field (form, "event", event);
  append_field (form, "direction", direction);
  append_field (form, "callId", call_id);
  append_field (form, "from", from);
  append_field (form, "to", to);
  append_field (form, "user[]", user);
  append_field (form, "answeringNumber", answering);
  append_field (form, "cause", cause);

  return g_string_free (form, FALSE);
}

static const char *
cause_to_zammad (RdCtiEvent *event)
{
  if (g_strcmp0 (event->cause, "no_answer") == 0)
    return "noAnswer";
  if (g_strcmp0 (event->cause, "abandoned") == 0)
    return "cancel";
  if (g_strcmp0 (event->cause, "busy") == 0)
    return "busy";

  return "normalClearing";
}

static gboolean
call_has_rung (Call       *call,
               const char *extension)
{
  for (guint i = 0; i < call->rung->len; i++)
    if (g_str_equal (g_ptr_array_index (call->rung, i), extension))
      return TRUE;

  return FALSE;
}

static Call *
add_call (RdSimWebhook    *self,
          const char      *call_id,
          RdCallDirection  direction)
{
  Call *call = g_new0 (Call, 1);

  call->direction = direction;
  call->rung = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_replace (self->calls, g_strdup (call_id), call);

  return call;
}

/* newCall in at @extension, once per extension */
static char *
ring_at (RdSimWebhook *self,
         RdCtiEvent   *event,
         Call         *call,
         const char   *extension)
{
  if (call == NULL)
    call = add_call (self, event->call_id, RD_CALL_DIRECTION_IN);
  if (call->direction == RD_CALL_DIRECTION_OUT || call_has_rung (call, extension))
    return NULL;

  g_ptr_array_add (call->rung, g_strdup (extension));
  return build_form ("newCall", "in", event->call_id, event->calling,
                     event->ddi != NULL ? event->ddi : event->called, extension, NULL, NULL);
}

static char *
format_one (RdSimWebhook *self,
            RdCtiEvent   *event)
{
  Call *call;

  if (event->call_id == NULL)
    return NULL;
  call = g_hash_table_lookup (self->calls, event->call_id);

  switch (event->type)
    {
    case RD_CTI_EVENT_ORIGINATED:
    case RD_CTI_EVENT_RINGING:
      if (event->extension == NULL)
        return NULL;
      if (call == NULL && event->direction == RD_CALL_DIRECTION_INTERNAL &&
          event->type == RD_CTI_EVENT_ORIGINATED)
        {
          /* reported from the side of the extension it rings */
          g_hash_table_add (self->internal, g_strdup (event->call_id));
          return NULL;
        }
      if (call == NULL && event->direction == RD_CALL_DIRECTION_OUT &&
          !g_hash_table_contains (self->internal, event->call_id))
        {
          call = add_call (self, event->call_id, RD_CALL_DIRECTION_OUT);
          g_ptr_array_add (call->rung, g_strdup (event->extension));
          return build_form ("newCall", "out", event->call_id, event->extension,
                             event->called, event->extension, NULL, NULL);
        }
      if (event->type == RD_CTI_EVENT_ORIGINATED)
        return NULL;
      return ring_at (self, event, call, event->extension);

    case RD_CTI_EVENT_TRANSFERRED:
      if (call == NULL || event->target == NULL)
        return NULL;
      return ring_at (self, event, call, event->target);

    case RD_CTI_EVENT_ANSWERED:
      if (call == NULL || event->extension == NULL)
        return NULL;
      if (call->direction == RD_CALL_DIRECTION_OUT && call->answered)
        return NULL;
      call->answered = TRUE;
      rd_set_str (&call->answered_at, event->extension);
      return build_form ("answer", call->direction == RD_CALL_DIRECTION_OUT ? "out" : "in",
                         event->call_id, event->calling, event->called, NULL, event->extension,
                         NULL);

    case RD_CTI_EVENT_CLEARED:
      {
        g_autofree char *form = NULL;

        g_hash_table_remove (self->internal, event->call_id);
        if (call == NULL || event->extension != NULL)
          return NULL;
        form = build_form ("hangup", call->direction == RD_CALL_DIRECTION_OUT ? "out" : "in",
                           event->call_id, event->calling, event->called, NULL, NULL,
                           cause_to_zammad (event));
        /* a consultation merged into the call it held: its station now
         * talks in that call */
        if (g_strcmp0 (event->cause, "transfer") == 0 && call->answered_at != NULL)
          g_hash_table_add (self->handed, g_strdup (call->answered_at));
        g_hash_table_remove (self->calls, event->call_id);
        return g_steal_pointer (&form);
      }

    case RD_CTI_EVENT_HELD:
    case RD_CTI_EVENT_RETRIEVED:
    case RD_CTI_EVENT_DIVERTED:
    case RD_CTI_EVENT_QUEUED:
    case RD_CTI_EVENT_FAILED:
    case RD_CTI_EVENT_RECORD:
    default:
      return NULL;
    }
}

/**
 * rd_sim_webhook_format:
 * @event: what happened in the PBX
 *
 * Follows the call @event belongs to (so call it once per event, in order).
 * A transfer to the station of a consultation that was answered is a
 * newCall and an answer there.
 *
 * Returns: (transfer full) (nullable): the form bodies the bridge POSTs for
 *   @event, in order, or %NULL when it sends nothing
 */
GStrv
rd_sim_webhook_format (RdSimWebhook *self,
                       RdCtiEvent   *event)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *form = NULL;
  Call *call;

  g_return_val_if_fail (RD_IS_SIM_WEBHOOK (self), NULL);
  g_return_val_if_fail (event != NULL, NULL);

  form = format_one (self, event);
  if (form == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, form);
  call = g_hash_table_lookup (self->calls, event->call_id);
  if (event->type == RD_CTI_EVENT_TRANSFERRED && call != NULL &&
      g_hash_table_remove (self->handed, event->target))
    {
      g_autofree char *answer = NULL;

      call->answered = TRUE;
      rd_set_str (&call->answered_at, event->target);
      answer = build_form ("answer", "in", event->call_id, event->calling, event->called, NULL,
                           event->target, NULL);
      g_strv_builder_add (builder, answer);
    }

  return g_strv_builder_end (builder);
}

static void send_next (RdSimWebhook *self);

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RdSimWebhook) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (body == NULL)
    {
      self->n_failed++;
      g_warning ("Webhook POST failed: %s", error->message);
    }
  else if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      /* the URL carries the secret: name the status only */
      self->n_failed++;
      g_warning ("Webhook POST answered %u", soup_message_get_status (msg));
    }

  self->sending = FALSE;
  send_next (self);
}

static void
send_next (RdSimWebhook *self)
{
  g_autofree char *form = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize length;

  if (self->sending || g_cancellable_is_cancelled (self->cancellable))
    return;
  form = g_queue_pop_head (&self->queue);
  if (form == NULL)
    return;

  msg = soup_message_new ("POST", self->url);
  if (msg == NULL)
    {
      self->n_failed++;
      g_warning ("Webhook URL is not a valid URL");
      send_next (self);
      return;
    }
  length = strlen (form);
  body = g_bytes_new_take (g_steal_pointer (&form), length);
  soup_message_set_request_body_from_bytes (msg, FORM_TYPE, body);
  self->sending = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    sent_cb, g_object_ref (self));
}

/**
 * rd_sim_webhook_send_event:
 * @event: what happened in the PBX
 *
 * POSTs the forms for @event (see rd_sim_webhook_format()), after the ones
 * before them were answered.
 */
void
rd_sim_webhook_send_event (RdSimWebhook *self,
                           RdCtiEvent   *event)
{
  g_auto(GStrv) forms = NULL;

  g_return_if_fail (RD_IS_SIM_WEBHOOK (self));
  g_return_if_fail (event != NULL);

  /* closed: nothing more goes out, nothing piles up */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  forms = rd_sim_webhook_format (self, event);
  for (guint i = 0; forms != NULL && forms[i] != NULL; i++)
    g_queue_push_tail (&self->queue, g_strdup (forms[i]));
  send_next (self);
}

/* the POSTs queued or on their way */
guint
rd_sim_webhook_get_n_pending (RdSimWebhook *self)
{
  g_return_val_if_fail (RD_IS_SIM_WEBHOOK (self), 0);

  return self->queue.length + (self->sending ? 1 : 0);
}

/* the POSTs that failed or were not answered 200 */
guint
rd_sim_webhook_get_n_failed (RdSimWebhook *self)
{
  g_return_val_if_fail (RD_IS_SIM_WEBHOOK (self), 0);

  return self->n_failed;
}

/* Drops what is still queued and cancels the POST on its way. */
void
rd_sim_webhook_close (RdSimWebhook *self)
{
  g_return_if_fail (RD_IS_SIM_WEBHOOK (self));

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, g_free);
  self->sending = FALSE;
}
