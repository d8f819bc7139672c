/* rd-test-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CTI link whose events the test scripts: rd_test_link_emit() hands an
 * RdCtiEvent to the engine exactly as a real link does. It can make calls
 * and deflect them, and records each request ("from>to" for dials,
 * "call_id:from>to" for deflections) so a test can check what the engine
 * asked of the PBX; with rd_test_link_set_refuse() the PBX says no.
 * Answers come from an idle source, as a real link's would from the socket.
 */

#define G_LOG_DOMAIN "RdTestLink"

#include "config.h"

#include <glib/gstdio.h>

#include "rd-error.h"
#include "rd-test-link.h"

struct _RdTestLink
{
  GObject         parent_instance;

  char           *name;
  RdCtiLinkState  state;
  gboolean        refuse;
  guint           n_dials;
  GPtrArray      *deflections;
  GPtrArray      *dials;
};

static void rd_test_link_iface_init (RdCtiLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdTestLink, rd_test_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CTI_LINK, rd_test_link_iface_init))

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATE,
  PROP_DETAIL,
  PROP_RECONNECTS,
  N_PROPS
};

static void
rd_test_link_start (RdCtiLink *link)
{
  rd_test_link_set_state (RD_TEST_LINK (link), RD_CTI_LINK_STATE_CONNECTED);
}

static void
rd_test_link_stop (RdCtiLink *link)
{
  rd_test_link_set_state (RD_TEST_LINK (link), RD_CTI_LINK_STATE_STOPPED);
}

static gboolean
answer_idle (gpointer user_data)
{
  GTask *task = user_data;
  RdTestLink *self = g_task_get_source_object (task);

  if (self->refuse)
    g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE, "The PBX refused");
  else if (g_task_get_source_tag (task) == rd_test_link_get_dials)
    g_task_return_pointer (task, g_strdup_printf ("mc-%u", self->n_dials), g_free);
  else
    g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

static void
answer_later (RdTestLink          *self,
              gpointer             tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_idle_add_full (G_PRIORITY_DEFAULT, answer_idle, task, g_object_unref);
}

static void
rd_test_link_make_call_async (RdCtiLink           *link,
                              const char          *from_extension,
                              const char          *to,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RdTestLink *self = RD_TEST_LINK (link);

  self->n_dials++;
  g_ptr_array_add (self->dials, g_strdup_printf ("%s>%s", from_extension, to));
  answer_later (self, rd_test_link_get_dials, cancellable, callback, user_data);
}

static char *
rd_test_link_make_call_finish (RdCtiLink     *link,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rd_test_link_deflect_call_async (RdCtiLink           *link,
                                 const char          *call_id,
                                 const char          *from_extension,
                                 const char          *to_extension,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RdTestLink *self = RD_TEST_LINK (link);

  g_ptr_array_add (self->deflections, g_strdup_printf ("%s:%s>%s", call_id, from_extension, to_extension));
  answer_later (self, rd_test_link_get_deflections, cancellable, callback, user_data);
}

static gboolean
rd_test_link_deflect_call_finish (RdCtiLink     *link,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rd_test_link_iface_init (RdCtiLinkInterface *iface)
{
  iface->start = rd_test_link_start;
  iface->stop = rd_test_link_stop;
  iface->make_call_async = rd_test_link_make_call_async;
  iface->make_call_finish = rd_test_link_make_call_finish;
  iface->deflect_call_async = rd_test_link_deflect_call_async;
  iface->deflect_call_finish = rd_test_link_deflect_call_finish;
}

void
rd_test_link_set_state (RdTestLink     *self,
                        RdCtiLinkState  state)
{
  g_return_if_fail (RD_IS_TEST_LINK (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

void
rd_test_link_set_refuse (RdTestLink *self,
                         gboolean    refuse)
{
  g_return_if_fail (RD_IS_TEST_LINK (self));

  self->refuse = refuse;
}

void
rd_test_link_emit (RdTestLink *self,
                   RdCtiEvent *event)
{
  g_return_if_fail (RD_IS_TEST_LINK (self));

  rd_cti_link_emit_event (RD_CTI_LINK (self), event);
}

/**
 * rd_test_link_get_deflections:
 *
 * Returns: (transfer none) (element-type utf8): "call_id:from>to" per request
 */
GPtrArray *
rd_test_link_get_deflections (RdTestLink *self)
{
  g_return_val_if_fail (RD_IS_TEST_LINK (self), NULL);

  return self->deflections;
}

/**
 * rd_test_link_get_dials:
 *
 * Returns: (transfer none) (element-type utf8): "from>to" per request
 */
GPtrArray *
rd_test_link_get_dials (RdTestLink *self)
{
  g_return_val_if_fail (RD_IS_TEST_LINK (self), NULL);

  return self->dials;
}

static gboolean
wait_expired_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * rd_test_wait_until:
 * @bound_sec: the guard, in seconds
 * @what: what it waits for, for the message
 *
 * Runs the main loop until @condition holds for @data; the guard fails the
 * test when it never does (a hang, not a time limit on the code).
 */
void
rd_test_wait_until (RdTestCondition  condition,
                    gpointer         data,
                    guint            bound_sec,
                    const char      *what)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_seconds (bound_sec, wait_expired_cb, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("Timed out after %u s waiting for %s", bound_sec, what);

  g_source_remove (guard);
}

typedef struct
{
  const guint *counter;
  guint        n;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *count = data;

  return *count->counter >= count->n;
}

/**
 * rd_test_wait_for:
 *
 * Runs the main loop until *@counter reaches @n, with a guard of 20 s.
 */
void
rd_test_wait_for (const guint *counter,
                  guint        n)
{
  Count count = { counter, n };

  rd_test_wait_until (count_reached, &count, 20, "a count to be reached");
}

static void
rd_test_link_finalize (GObject *object)
{
  RdTestLink *self = (RdTestLink *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->deflections, g_ptr_array_unref);
  g_clear_pointer (&self->dials, g_ptr_array_unref);

  G_OBJECT_CLASS (rd_test_link_parent_class)->finalize (object);
}

static void
rd_test_link_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RdTestLink *self = RD_TEST_LINK (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, NULL);
      break;
    case PROP_RECONNECTS:
      g_value_set_uint (value, 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_test_link_class_init (RdTestLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_test_link_finalize;
  object_class->get_property = rd_test_link_get_property;

  g_object_class_override_property (object_class, PROP_NAME, "name");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_DETAIL, "detail");
  g_object_class_override_property (object_class, PROP_RECONNECTS, "reconnects");
}

static void
rd_test_link_init (RdTestLink *self)
{
  self->state = RD_CTI_LINK_STATE_STOPPED;
  self->deflections = g_ptr_array_new_with_free_func (g_free);
  self->dials = g_ptr_array_new_with_free_func (g_free);
}

RdTestLink *
rd_test_link_new (const char *name)
{
  RdTestLink *self = g_object_new (RD_TYPE_TEST_LINK, NULL);

  self->name = g_strdup (name);
  return self;
}
