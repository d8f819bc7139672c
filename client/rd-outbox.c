/* rd-outbox.c: the changes made while the server is away, sent when it is back
 *
 * An outbox belongs to one signed-in connection and keeps its operations in
 * that user's RdOfflineStore, so they survive a restart of the client. It
 * sends them in the order they were made, one at a time, and removes each
 * only once the server has acknowledged it:
 *
 * - a server that cannot be reached leaves the queue as it is and is tried
 *   again later, waiting longer each time;
 * - a patch is checked first against the ticket as the server has it now:
 *   when a member the user changed has another value than the one the user
 *   saw (and than the user's), someone else changed it meanwhile, and the
 *   patch waits as a conflict for the user to keep or discard it;
 * - a refusal of the server (a field it does not accept, a move it does not
 *   allow) waits for the user too. Nothing is dropped without the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "RdOutbox"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rd-outbox.h"

/* Waits between attempts while the server is away: 1 s, doubling up to this */
#define RD_OUTBOX_MAX_DELAY_SECONDS 16
#define RD_OUTBOX_DATA_KEY "rd-outbox"
/* The current_id while asking the server whether it is back */
#define RD_OUTBOX_PROBE (-1)
/* Set on the tickets the outbox shows with changes not sent yet */
#define RD_OUTBOX_UNSENT_KEY "rd-outbox-unsent"

struct _RdOutbox
{
  GObject         parent_instance;

  /* Not owned: the connection owns its outbox (rd_outbox_attach()) */
  RdConnection   *connection;
  RdOfflineStore *store;
  GCancellable   *cancellable;

  guint           retry_source;
  guint           retry_delay;
  /* The operation being sent, 0 when idle */
  gint64          current_id;
  gboolean        online;
};

G_DEFINE_FINAL_TYPE (RdOutbox, rd_outbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_N_QUEUED,
  N_PROPS
};

enum {
  CHANGED,
  TICKET_SENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  RdOutbox    *self;
  RdOfflineOp *op;
} RdOutboxSend;

static void rd_outbox_replay_next (RdOutbox *self);

static void
rd_outbox_send_free (RdOutboxSend *send)
{
  g_object_unref (send->self);
  rd_offline_op_free (send->op);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdOutboxSend, rd_outbox_send_free)

static RdOutboxSend *
rd_outbox_send_new (RdOutbox    *self,
                    RdOfflineOp *op)
{
  RdOutboxSend *send = g_new0 (RdOutboxSend, 1);

  send->self = g_object_ref (self);
  send->op = rd_offline_op_copy (op);

  return send;
}

static gboolean
rd_outbox_is_local (const char *ticket)
{
  return ticket != NULL && g_str_has_prefix (ticket, RD_OFFLINE_LOCAL_PREFIX);
}

static void
rd_outbox_changed (RdOutbox *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);
}

static JsonObject *
rd_outbox_ticket_to_object (RdTicket *ticket)
{
  g_autoptr(JsonNode) node = rd_codec_to_node (RD_CODEC (ticket));

  return json_object_ref (json_node_get_object (node));
}

/* @ticket as the user will see it once @op is sent */
static RdTicket *
rd_outbox_apply (RdTicket          *ticket,
                 const RdOfflineOp *op)
{
  g_autoptr(JsonObject) object = rd_outbox_ticket_to_object (ticket);
  g_autoptr(GError) error = NULL;
  const char *to = NULL;
  RdTicket *applied;

  if (op->kind == RD_OFFLINE_OP_PATCH)
    {
      g_autoptr(GList) members = json_object_get_members (op->body);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data,
                                json_node_copy (json_object_get_member (op->body, l->data)));
    }
  else if (op->kind == RD_OFFLINE_OP_TRANSITION &&
           rd_json_get_string (op->body, "to", RD_JSON_REQUIRED, &to, NULL))
    json_object_set_string_member (object, "state", to);
  else
    return g_object_ref (ticket);

  applied = rd_codec_new_from_json (RD_TYPE_TICKET, object, &error);
  if (applied != NULL)
    g_object_set_data (G_OBJECT (applied), RD_OUTBOX_UNSENT_KEY, GINT_TO_POINTER (TRUE));
  if (applied == NULL)
    {
      /* a value the server will judge when it is sent (and maybe refuse) */
      g_debug ("Could not apply queued operation %" G_GINT64_FORMAT " locally: %s",
               op->id, error->message);
      return g_object_ref (ticket);
    }

  return applied;
}

static void
rd_outbox_set_busy_done (RdOutbox *self)
{
  if (self->current_id != 0)
    rd_offline_store_end_send (self->store);
  self->current_id = 0;
}

static gboolean
rd_outbox_retry_cb (gpointer data)
{
  RdOutbox *self = data;

  self->retry_source = 0;
  rd_outbox_replay_next (self);

  return G_SOURCE_REMOVE;
}

static void
rd_outbox_schedule_retry (RdOutbox *self)
{
  if (self->retry_source != 0)
    return;

  if (self->retry_delay == 0)
    self->retry_delay = 1;
  else
    self->retry_delay = MIN (self->retry_delay * 2, RD_OUTBOX_MAX_DELAY_SECONDS);
  g_debug ("Trying the server again in %u s", self->retry_delay);
  self->retry_source = g_timeout_add_seconds (self->retry_delay, rd_outbox_retry_cb, self);
}

/* The server acknowledged @send's operation and replied with @ticket */
static void
rd_outbox_sent (RdOutboxSend *send,
                RdTicket     *ticket)
{
  RdOutbox *self = send->self;
  g_autoptr(GError) error = NULL;

  if (!rd_offline_store_remove_op (self->store, send->op->id, &error))
    g_warning ("Sent operation %" G_GINT64_FORMAT " stays queued: %s",
               send->op->id, error->message);
  g_clear_error (&error);

  if (ticket != NULL)
    {
      if (send->op->kind == RD_OFFLINE_OP_CREATE &&
          !rd_offline_store_renumber (self->store, send->op->ticket,
                                      rd_ticket_get_number (ticket), &error))
        g_warning ("Could not renumber %s: %s", send->op->ticket, error->message);
      g_clear_error (&error);

      if (!rd_offline_store_cache_ticket (self->store, ticket, &error))
        g_warning ("%s", error->message);
    }

  g_debug ("Sent queued operation %" G_GINT64_FORMAT, send->op->id);

  self->retry_delay = 0;
  rd_outbox_set_busy_done (self);
  rd_outbox_set_online (self, TRUE);
  rd_outbox_changed (self);
  if (ticket != NULL)
    g_signal_emit (self, signals[TICKET_SENT], 0, send->op->ticket, ticket);
  rd_outbox_replay_next (self);
}

/* Keeps the operation of @send as waiting for the user */
static void
rd_outbox_hold (RdOutboxSend      *send,
                RdOfflineOpStatus  status,
                const char        *message)
{
  RdOutbox *self = send->self;
  g_autoptr(GError) error = NULL;

  if (!rd_offline_store_set_op_status (self->store, send->op->id, status, message, FALSE, &error))
    g_warning ("%s", error->message);

  rd_outbox_set_busy_done (self);
  rd_outbox_changed (self);
  rd_outbox_replay_next (self);
}

static void
rd_outbox_failed (RdOutboxSend *send,
                  GError       *error)
{
  RdOutbox *self = send->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      rd_outbox_set_busy_done (self);
      return;
    }

  if (rd_outbox_error_is_unreachable (error) ||
      g_error_matches (error, RD_ERROR, RD_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, RD_ERROR, RD_ERROR_RATE_LIMITED))
    {
      /* Not the operation's fault: it stays as it is, for later */
      g_debug ("Queued operation %" G_GINT64_FORMAT " not sent: %s", send->op->id, error->message);
      rd_outbox_set_busy_done (self);
      if (rd_outbox_error_is_unreachable (error))
        rd_outbox_set_online (self, FALSE);
      rd_outbox_schedule_retry (self);
      return;
    }

  g_message ("The server refused queued operation %" G_GINT64_FORMAT ": %s",
             send->op->id, error->message);
  rd_outbox_hold (send, RD_OFFLINE_OP_REFUSED, error->message);
}

static void
rd_outbox_ticket_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RdOutboxSend) send = user_data;
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;

  ticket = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  if (ticket == NULL)
    rd_outbox_failed (send, error);
  else
    rd_outbox_sent (send, ticket);
}

static void
rd_outbox_check_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RdOutboxSend) send = user_data;
  RdOutbox *self = send->self;
  g_autoptr(RdTicket) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) current_object = NULL;
  g_auto(GStrv) conflicts = NULL;
  const char *number;
  JsonObject *changes;

  current = rd_connection_ticket_finish (RD_CONNECTION (object), result, &error);
  if (current == NULL)
    {
      rd_outbox_failed (send, error);
      return;
    }

  if (!rd_offline_store_cache_ticket (self->store, current, &error))
    g_warning ("%s", error->message);

  current_object = rd_outbox_ticket_to_object (current);
  conflicts = rd_outbox_find_conflicts (send->op->base, send->op->body, current_object);
  if (conflicts != NULL && conflicts[0] != NULL && !send->op->force)
    {
      g_autofree char *fields = g_strjoinv (",", conflicts);

      g_message ("Queued change %" G_GINT64_FORMAT " of ticket %s conflicts on %s",
                 send->op->id, send->op->ticket, fields);
      rd_outbox_hold (send, RD_OFFLINE_OP_CONFLICT, fields);
      return;
    }

  number = send->op->ticket;
  changes = send->op->body;
  rd_connection_update_ticket_async (RD_CONNECTION (object), number, changes,
                                     self->cancellable, rd_outbox_ticket_cb,
                                     g_steal_pointer (&send));
}

static void
rd_outbox_upload_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RdOutboxSend) send = user_data;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GError) error = NULL;

  evidence = rd_connection_upload_evidence_finish (RD_CONNECTION (object), result, &error);
  if (evidence == NULL)
    {
      rd_outbox_failed (send, error);
      return;
    }

  rd_outbox_sent (send, NULL);
}

/* The queued file is open: streamed to the server, as any upload */
static void
rd_outbox_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RdOutboxSend) send = user_data;
  RdOutbox *self = send->self;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type = NULL;
  const char *description = NULL;
  const char *filename = NULL;
  const char *number;

  stream = g_file_read_finish (G_FILE (object), result, &error);
  if (stream != NULL)
    info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        rd_outbox_failed (send, error);
      else
        rd_outbox_hold (send, RD_OFFLINE_OP_REFUSED, error->message);
      return;
    }

  if (self->connection == NULL || rd_connection_get_token (self->connection) == NULL)
    {
      rd_outbox_set_busy_done (self);
      return;
    }

  rd_json_get_string (send->op->body, "content_type", RD_JSON_OPTIONAL, &content_type, NULL);
  rd_json_get_string (send->op->body, "description", RD_JSON_OPTIONAL, &description, NULL);
  rd_json_get_string (send->op->body, "filename", RD_JSON_OPTIONAL, &filename, NULL);

  /* the arguments read send before it is handed over */
  number = send->op->ticket;
  rd_connection_upload_evidence_async (self->connection, number, G_INPUT_STREAM (stream),
                                       g_file_info_get_size (info),
                                       content_type != NULL ? content_type : "application/octet-stream",
                                       filename, description, NULL, NULL, self->cancellable,
                                       rd_outbox_upload_cb, g_steal_pointer (&send));
}

static void
rd_outbox_send (RdOutbox    *self,
                RdOfflineOp *op)
{
  g_autoptr(RdOutboxSend) send = rd_outbox_send_new (self, op);
  JsonObject *fields = NULL;
  const char *call_id = NULL;
  const char *to = NULL;
  const char *note = NULL;
  RdTicketState state;

  self->current_id = op->id;
  g_debug ("Sending queued operation %" G_GINT64_FORMAT " on ticket %s", op->id, op->ticket);

  switch (op->kind)
    {
    case RD_OFFLINE_OP_CREATE:
      if (!rd_json_get_object (op->body, "fields", RD_JSON_REQUIRED, &fields, NULL) ||
          !rd_json_get_string (op->body, "call_id", RD_JSON_OPTIONAL, &call_id, NULL))
        {
          rd_outbox_hold (send, RD_OFFLINE_OP_REFUSED, "The queued ticket is damaged");
          return;
        }
      if (call_id != NULL)
        rd_connection_create_call_ticket_async (self->connection, call_id, fields,
                                                self->cancellable, rd_outbox_ticket_cb,
                                                g_steal_pointer (&send));
      else
        rd_connection_create_ticket_async (self->connection, fields, self->cancellable,
                                           rd_outbox_ticket_cb, g_steal_pointer (&send));
      break;

    case RD_OFFLINE_OP_PATCH:
      if (op->force)
        rd_connection_update_ticket_async (self->connection, op->ticket, op->body,
                                           self->cancellable, rd_outbox_ticket_cb,
                                           g_steal_pointer (&send));
      else
        rd_connection_get_ticket_async (self->connection, op->ticket, self->cancellable,
                                        rd_outbox_check_cb, g_steal_pointer (&send));
      break;

    case RD_OFFLINE_OP_TRANSITION:
      if (!rd_json_get_string (op->body, "to", RD_JSON_REQUIRED, &to, NULL) ||
          !rd_json_get_string (op->body, "note", RD_JSON_NULLABLE, &note, NULL) ||
          !rd_ticket_state_from_string (to, &state))
        {
          rd_outbox_hold (send, RD_OFFLINE_OP_REFUSED, "The queued move is damaged");
          return;
        }
      rd_connection_transition_ticket_async (self->connection, op->ticket, state, note,
                                             self->cancellable, rd_outbox_ticket_cb,
                                             g_steal_pointer (&send));
      break;

    case RD_OFFLINE_OP_EVIDENCE:
      {
        g_autofree char *path = rd_offline_store_get_file_path (self->store, op->file);
        g_autoptr(GFile) file = NULL;

        if (path == NULL)
          {
            rd_outbox_hold (send, RD_OFFLINE_OP_REFUSED, "The queued file is missing");
            return;
          }

        file = g_file_new_for_path (path);
        g_file_read_async (file, G_PRIORITY_DEFAULT, self->cancellable, rd_outbox_read_cb,
                           g_steal_pointer (&send));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
rd_outbox_probe_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RdOutbox) self = user_data;
  g_autoptr(RdServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;

  health = rd_connection_get_health_finish (RD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  rd_outbox_set_busy_done (self);

  /* Any answer of the server but "unavailable" means it is there */
  if (health == NULL && rd_outbox_error_is_unreachable (error))
    rd_outbox_schedule_retry (self);
  else
    rd_outbox_set_online (self, TRUE);
}

/* Sends the first operation that can go, if none is under way */
static void
rd_outbox_replay_next (RdOutbox *self)
{
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;

  if (self->current_id != 0 || self->retry_source != 0 || self->connection == NULL ||
      rd_connection_get_token (self->connection) == NULL)
    return;

  /* Another outbox on the same store sends; it goes on to the next */
  if (!rd_offline_store_begin_send (self->store))
    return;

  ops = rd_offline_store_list_ops (self->store, NULL, &error);
  if (ops == NULL)
    {
      g_warning ("%s", error->message);
      rd_offline_store_end_send (self->store);
      return;
    }

  for (guint i = 0; i < ops->len; i++)
    {
      RdOfflineOp *op = g_ptr_array_index (ops, i);

      /* What waits for the user does not hold up the others; what is on a
       * ticket not numbered yet waits for its creation */
      if (op->status != RD_OFFLINE_OP_PENDING ||
          (op->kind != RD_OFFLINE_OP_CREATE && rd_outbox_is_local (op->ticket)))
        continue;

      rd_outbox_send (self, op);
      return;
    }

  /* Nothing to send, but the server was away: ask whether it is back, so
   * that the client leaves its offline state by itself */
  if (!self->online)
    {
      self->current_id = RD_OUTBOX_PROBE;
      rd_connection_get_health_async (self->connection, self->cancellable,
                                      rd_outbox_probe_cb, g_object_ref (self));
      return;
    }

  rd_offline_store_end_send (self->store);
}

static void
rd_outbox_dispose (GObject *object)
{
  RdOutbox *self = (RdOutbox *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->store != NULL)
    rd_outbox_set_busy_done (self);
  if (self->connection != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->connection), (gpointer *) &self->connection);
  self->connection = NULL;

  G_OBJECT_CLASS (rd_outbox_parent_class)->dispose (object);
}

static void
rd_outbox_finalize (GObject *object)
{
  RdOutbox *self = (RdOutbox *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rd_outbox_parent_class)->finalize (object);
}

static void
rd_outbox_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RdOutbox *self = RD_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_N_QUEUED:
      g_value_set_uint (value, rd_outbox_get_n_queued (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_outbox_class_init (RdOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_outbox_dispose;
  object_class->finalize = rd_outbox_finalize;
  object_class->get_property = rd_outbox_get_property;

  /**
   * RdOutbox:online:
   *
   * %FALSE once a request found the server unreachable, until one gets through.
   */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RdOutbox:n-queued:
   *
   * The operations not sent yet, including those waiting for the user.
   */
  properties[PROP_N_QUEUED] =
    g_param_spec_uint ("n-queued", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdOutbox::changed:
   *
   * An operation was queued, sent, held for the user or resolved.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * RdOutbox::ticket-sent:
   * @self: the outbox
   * @label: the number, or the local label of a ticket created offline
   * @ticket: the ticket as the server has it now
   */
  signals[TICKET_SENT] =
    g_signal_new ("ticket-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, RD_TYPE_TICKET);
}

static void
rd_outbox_init (RdOutbox *self)
{
  self->online = TRUE;
  self->cancellable = g_cancellable_new ();
}

/**
 * rd_outbox_error_is_unreachable:
 * @error: (nullable): an error of a request
 *
 * Whether @error says the server could not be reached (refused connection,
 * timeout, unknown host) or says itself that it is unavailable (503), as
 * opposed to a refusal of the request.
 */
gboolean
rd_outbox_error_is_unreachable (const GError *error)
{
  return g_error_matches (error, RD_ERROR, RD_ERROR_UNAVAILABLE);
}

static gboolean
rd_outbox_member_equal (JsonObject *a,
                        JsonObject *b,
                        const char *member)
{
  JsonNode *x = a ? json_object_get_member (a, member) : NULL;
  JsonNode *y = b ? json_object_get_member (b, member) : NULL;
  gboolean x_empty = x == NULL || JSON_NODE_HOLDS_NULL (x) ||
                     (JSON_NODE_HOLDS_VALUE (x) && json_node_get_value_type (x) == G_TYPE_STRING &&
                      *json_node_get_string (x) == '\0');
  gboolean y_empty = y == NULL || JSON_NODE_HOLDS_NULL (y) ||
                     (JSON_NODE_HOLDS_VALUE (y) && json_node_get_value_type (y) == G_TYPE_STRING &&
                      *json_node_get_string (y) == '\0');

  /* absent, null and "" are the same value of a member */
  if (x_empty || y_empty)
    return x_empty == y_empty;

  return json_node_equal (x, y);
}

/**
 * rd_outbox_find_conflicts:
 * @base: the values the user saw of the members they changed
 * @mine: the values the user gave them
 * @current: the ticket as the server has it now
 *
 * The conflict rule: a member conflicts when the server's value is neither
 * the one the user saw nor the one the user gave it (someone else changed
 * it to something else meanwhile).
 *
 * Returns: (transfer full): the conflicting members, an empty vector for none
 */
char **
rd_outbox_find_conflicts (JsonObject *base,
                          JsonObject *mine,
                          JsonObject *current)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (mine != NULL, NULL);
  g_return_val_if_fail (current != NULL, NULL);

  members = json_object_get_members (mine);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (!rd_outbox_member_equal (base, current, member) &&
          !rd_outbox_member_equal (mine, current, member))
        g_strv_builder_add (builder, member);
    }

  return g_strv_builder_end (builder);
}

/**
 * rd_outbox_new:
 * @connection: the connection to send through; it must outlive the outbox
 * @store: the store of the connection's server and user
 *
 * Returns: (transfer full): an outbox; it sends what @store holds at once
 */
RdOutbox *
rd_outbox_new (RdConnection   *connection,
               RdOfflineStore *store)
{
  RdOutbox *self;

  g_return_val_if_fail (RD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (RD_IS_OFFLINE_STORE (store), NULL);

  self = g_object_new (RD_TYPE_OUTBOX, NULL);
  self->connection = connection;
  g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &self->connection);
  self->store = g_object_ref (store);

  rd_outbox_replay_next (self);

  return self;
}

/**
 * rd_outbox_attach:
 * @connection: a connection with a token
 * @username: whose store to open (the connection's user may not be known
 *   yet when the server is away)
 * @error: return location for a #GError
 *
 * Opens the store of @username on the connection's server and gives
 * @connection an outbox on it, which rd_outbox_get_for_connection() finds.
 * The user, when known, is kept in the store for a start without the server.
 *
 * Returns: (transfer none) (nullable): the outbox of @connection
 */
RdOutbox *
rd_outbox_attach (RdConnection  *connection,
                  const char    *username,
                  GError       **error)
{
  g_autoptr(RdOfflineStore) store = NULL;
  g_autofree char *path = NULL;
  RdOutbox *self;
  RdUser *user;

  g_return_val_if_fail (RD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = rd_outbox_get_for_connection (connection);
  if (self != NULL)
    return self;

  path = rd_offline_store_default_path (rd_connection_get_url (connection), username);
  store = rd_offline_store_new (path, error);
  if (store == NULL)
    return NULL;

  user = rd_connection_get_user (connection);
  if (user != NULL)
    {
      g_autofree char *json = rd_codec_to_json_string (RD_CODEC (user));
      g_autoptr(GError) local_error = NULL;

      if (!rd_offline_store_set_meta (store, "user", json, &local_error))
        g_warning ("%s", local_error->message);
    }

  self = rd_outbox_new (connection, store);
  g_object_set_data_full (G_OBJECT (connection), RD_OUTBOX_DATA_KEY, self, g_object_unref);

  return self;
}

/**
 * rd_outbox_get_for_connection:
 * @connection: (nullable): a connection
 *
 * Returns: (transfer none) (nullable): the outbox rd_outbox_attach() gave
 *   @connection
 */
RdOutbox *
rd_outbox_get_for_connection (RdConnection *connection)
{
  if (connection == NULL)
    return NULL;

  g_return_val_if_fail (RD_IS_CONNECTION (connection), NULL);

  return g_object_get_data (G_OBJECT (connection), RD_OUTBOX_DATA_KEY);
}

/**
 * rd_outbox_replace:
 * @slot: where an object keeps the outbox it follows
 * @outbox: (nullable): the outbox to follow now
 * @data: the object, whose handlers on the old outbox are disconnected
 *
 * Returns: whether @slot changed (then @data connects its handlers again)
 */
gboolean
rd_outbox_replace (RdOutbox **slot,
                   RdOutbox  *outbox,
                   gpointer   data)
{
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (!outbox || RD_IS_OUTBOX (outbox), FALSE);

  if (*slot == outbox)
    return FALSE;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, data);
  g_set_object (slot, outbox);

  return TRUE;
}

/**
 * rd_outbox_get_store:
 *
 * Returns: (transfer none): the store
 */
RdOfflineStore *
rd_outbox_get_store (RdOutbox *self)
{
  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);

  return self->store;
}

/**
 * rd_outbox_dup_cached_user:
 *
 * Returns: (transfer full) (nullable): the user as the server last reported it
 */
RdUser *
rd_outbox_dup_cached_user (RdOutbox *self)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  RdUser *user;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);

  json = rd_offline_store_get_meta (self->store, "user");
  if (json == NULL)
    return NULL;

  user = rd_codec_new_from_json_string (RD_TYPE_USER, json, -1, &error);
  if (user == NULL)
    g_warning ("Ignoring the cached user: %s", error->message);

  return user;
}

gboolean
rd_outbox_get_online (RdOutbox *self)
{
  g_return_val_if_fail (RD_IS_OUTBOX (self), FALSE);

  return self->online;
}

/**
 * rd_outbox_set_online:
 * @self: a #RdOutbox
 * @online: whether a request just got through to the server
 *
 * Other requests of the client report here whether the server answers; once
 * it answers again, the queue is sent without waiting for the next attempt.
 */
void
rd_outbox_set_online (RdOutbox *self,
                      gboolean  online)
{
  g_return_if_fail (RD_IS_OUTBOX (self));

  if (self->online == !!online)
    return;

  self->online = !!online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);

  if (online)
    {
      g_clear_handle_id (&self->retry_source, g_source_remove);
      self->retry_delay = 0;
      rd_outbox_replay_next (self);
    }
  else
    rd_outbox_schedule_retry (self);
}

guint
rd_outbox_get_n_queued (RdOutbox *self)
{
  g_autoptr(GPtrArray) ops = NULL;

  g_return_val_if_fail (RD_IS_OUTBOX (self), 0);

  ops = rd_outbox_list_ops (self, NULL);

  return ops->len;
}

/**
 * rd_outbox_get_n_held:
 * @self: a #RdOutbox
 *
 * Returns: how many operations wait for the user (conflicts and refusals)
 */
guint
rd_outbox_get_n_held (RdOutbox *self)
{
  g_autoptr(GPtrArray) ops = NULL;
  guint n = 0;

  g_return_val_if_fail (RD_IS_OUTBOX (self), 0);

  ops = rd_outbox_list_ops (self, NULL);
  for (guint i = 0; i < ops->len; i++)
    if (((RdOfflineOp *) ops->pdata[i])->status != RD_OFFLINE_OP_PENDING)
      n++;

  return n;
}

/**
 * rd_outbox_has_ops:
 * @ticket: a ticket number or local label
 *
 * Returns: whether something on @ticket is not sent yet
 */
gboolean
rd_outbox_has_ops (RdOutbox   *self,
                   const char *ticket)
{
  g_autoptr(GPtrArray) ops = NULL;

  g_return_val_if_fail (RD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (ticket != NULL, FALSE);

  ops = rd_outbox_list_ops (self, ticket);

  return ops->len > 0;
}

/**
 * rd_outbox_list_ops:
 * @ticket: (nullable): only those on this ticket
 *
 * Returns: (transfer full) (element-type RdOfflineOp): the operations not
 *   sent yet, in order (empty when the store cannot be read)
 */
GPtrArray *
rd_outbox_list_ops (RdOutbox   *self,
                    const char *ticket)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);

  ops = rd_offline_store_list_ops (self->store, ticket, &error);
  if (ops == NULL)
    {
      g_warning ("%s", error->message);
      ops = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_offline_op_free);
    }

  return ops;
}

/* @ticket with what is queued on it applied */
static RdTicket *
rd_outbox_overlay (RdOutbox  *self,
                   GPtrArray *ops,
                   RdTicket  *ticket)
{
  g_autoptr(RdTicket) shown = g_object_ref (ticket);

  for (guint i = 0; i < ops->len; i++)
    {
      RdOfflineOp *op = g_ptr_array_index (ops, i);

      if (g_strcmp0 (op->ticket, rd_ticket_get_number (ticket)) == 0)
        {
          g_autoptr(RdTicket) applied = rd_outbox_apply (shown, op);

          g_set_object (&shown, applied);
        }
    }

  return g_steal_pointer (&shown);
}

/**
 * rd_outbox_overlay_list:
 * @self: a #RdOutbox
 * @tickets: a list of #RdTicket as the server sent it
 * @with_local: put the tickets created offline first
 *
 * Returns: (transfer full): @tickets as the user will see them once the
 *   queue is sent
 */
GListModel *
rd_outbox_overlay_list (RdOutbox   *self,
                        GListModel *tickets,
                        gboolean    with_local)
{
  g_autoptr(GPtrArray) ops = NULL;
  GListStore *shown;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (tickets), NULL);

  shown = g_list_store_new (RD_TYPE_TICKET);
  ops = rd_outbox_list_ops (self, NULL);

  for (guint i = 0; with_local && i < ops->len; i++)
    {
      RdOfflineOp *op = g_ptr_array_index (ops, i);
      g_autoptr(RdTicket) local = NULL;

      if (op->kind == RD_OFFLINE_OP_CREATE &&
          (local = rd_offline_store_get_ticket (self->store, op->ticket, NULL)) != NULL)
        {
          g_autoptr(RdTicket) overlaid = rd_outbox_overlay (self, ops, local);

          g_list_store_append (shown, overlaid);
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(RdTicket) ticket = g_list_model_get_item (tickets, i);
      g_autoptr(RdTicket) overlaid = rd_outbox_overlay (self, ops, ticket);

      g_list_store_append (shown, overlaid);
    }

  return G_LIST_MODEL (shown);
}

/**
 * rd_outbox_dup_cached_ticket:
 *
 * Returns: (transfer full) (nullable): the cached ticket as the user will
 *   see it once the queue is sent
 */
RdTicket *
rd_outbox_dup_cached_ticket (RdOutbox   *self,
                             const char *number)
{
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  ticket = rd_offline_store_get_ticket (self->store, number, NULL);
  if (ticket == NULL)
    return NULL;

  ops = rd_outbox_list_ops (self, number);

  return rd_outbox_overlay (self, ops, ticket);
}

static void
rd_outbox_queued (RdOutbox *self)
{
  rd_outbox_changed (self);
  rd_outbox_replay_next (self);
}

/**
 * rd_outbox_queue_create:
 * @self: a #RdOutbox
 * @fields: the members of the new ticket, as POST /tickets takes them
 * @call_id: (nullable): the call to create it from
 * @error: return location for a #GError
 *
 * Queues a new ticket. Until the server numbers it, it goes by a local
 * label (RD_OFFLINE_LOCAL_PREFIX and a number) in the list and in later
 * queued operations.
 *
 * Returns: (transfer full): the ticket as the user made it, with its label
 */
RdTicket *
rd_outbox_queue_create (RdOutbox    *self,
                        JsonObject  *fields,
                        const char  *call_id,
                        GError     **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) local = NULL;
  g_autoptr(RdTicket) ticket = NULL;
  g_autofree char *label = NULL;
  g_autofree char *fields_text = NULL;
  g_autofree char *counter = NULL;
  gint64 next;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  /* A label is never reused, even after its ticket got a number */
  counter = rd_offline_store_get_meta (self->store, "next-label");
  next = counter ? g_ascii_strtoll (counter, NULL, 10) : 0;
  next = MAX (next, 0) + 1;
  g_free (counter);
  counter = g_strdup_printf ("%" G_GINT64_FORMAT, next);
  if (!rd_offline_store_set_meta (self->store, "next-label", counter, error))
    return NULL;
  label = g_strconcat (RD_OFFLINE_LOCAL_PREFIX, counter, NULL);

  fields_text = rd_json_object_to_string (fields);
  local = rd_json_parse_object (fields_text, -1, error);
  if (local == NULL)
    return NULL;
  json_object_set_string_member (local, "number", label);
  json_object_set_string_member (local, "state", "open");
  ticket = rd_codec_new_from_json (RD_TYPE_TICKET, local, error);
  if (ticket == NULL)
    return NULL;
  g_object_set_data (G_OBJECT (ticket), RD_OUTBOX_UNSENT_KEY, GINT_TO_POINTER (TRUE));

  json_object_set_object_member (body, "fields", json_object_ref (fields));
  if (call_id != NULL)
    json_object_set_string_member (body, "call_id", call_id);

  if (!rd_offline_store_cache_ticket (self->store, ticket, error) ||
      rd_offline_store_add_op (self->store, RD_OFFLINE_OP_CREATE, label, body,
                               NULL, NULL, error) == 0)
    return NULL;

  rd_outbox_queued (self);

  return g_steal_pointer (&ticket);
}

/**
 * rd_outbox_queue_patch:
 * @self: a #RdOutbox
 * @seen: the ticket as the user saw it when changing it
 * @changes: the changed members, as PATCH /tickets/{n} takes them
 * @error: return location for a #GError
 *
 * Queues a change, with the values the user saw of the changed members,
 * so that a change someone else made meanwhile is found when it is sent.
 *
 * Returns: (transfer full): the ticket as the user will see it
 */
RdTicket *
rd_outbox_queue_patch (RdOutbox    *self,
                       RdTicket    *seen,
                       JsonObject  *changes,
                       GError     **error)
{
  g_autoptr(JsonObject) seen_object = NULL;
  g_autoptr(JsonObject) base = json_object_new ();
  g_autoptr(GList) members = NULL;
  g_autoptr(RdOfflineOp) op = g_new0 (RdOfflineOp, 1);
  g_autofree char *number = NULL;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (RD_IS_TICKET (seen), NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  seen_object = rd_outbox_ticket_to_object (seen);
  members = json_object_get_members (changes);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (seen_object, l->data);

      if (value != NULL)
        json_object_set_member (base, l->data, json_node_copy (value));
      else
        json_object_set_null_member (base, l->data);
    }

  number = rd_offline_store_resolve_label (self->store, rd_ticket_get_number (seen));
  op->id = rd_offline_store_add_op (self->store, RD_OFFLINE_OP_PATCH, number,
                                    changes, base, NULL, error);
  if (op->id == 0)
    return NULL;

  op->kind = RD_OFFLINE_OP_PATCH;
  op->body = json_object_ref (changes);
  rd_outbox_queued (self);

  return rd_outbox_apply (seen, op);
}

/**
 * rd_outbox_queue_transition:
 * @self: a #RdOutbox
 * @seen: the ticket as the user saw it
 * @to: the state to move to
 * @note: (nullable): why
 * @error: return location for a #GError
 *
 * Queues a move of the ticket.
 *
 * Returns: (transfer full): the ticket as the user will see it
 */
RdTicket *
rd_outbox_queue_transition (RdOutbox       *self,
                            RdTicket       *seen,
                            RdTicketState   to,
                            const char     *note,
                            GError        **error)
{
  g_autoptr(RdOfflineOp) op = g_new0 (RdOfflineOp, 1);
  g_autofree char *number = NULL;

  g_return_val_if_fail (RD_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (RD_IS_TICKET (seen), NULL);

  op->kind = RD_OFFLINE_OP_TRANSITION;
  op->body = json_object_new ();
  json_object_set_string_member (op->body, "to", rd_ticket_state_to_string (to));
  if (note != NULL && *note != '\0')
    json_object_set_string_member (op->body, "note", note);

  number = rd_offline_store_resolve_label (self->store, rd_ticket_get_number (seen));
  op->id = rd_offline_store_add_op (self->store, RD_OFFLINE_OP_TRANSITION, number, op->body,
                                    NULL, NULL, error);
  if (op->id == 0)
    return NULL;

  rd_outbox_queued (self);

  return rd_outbox_apply (seen, op);
}

typedef struct
{
  char       *number;
  char       *file;
  JsonObject *body;
} RdOutboxEvidence;

static void
rd_outbox_evidence_free (RdOutboxEvidence *evidence)
{
  g_free (evidence->number);
  g_free (evidence->file);
  g_clear_pointer (&evidence->body, json_object_unref);
  g_free (evidence);
}

static void
rd_outbox_copy_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RdOutbox *self = g_task_get_source_object (task);
  RdOutboxEvidence *evidence = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error) ||
      rd_offline_store_add_op (self->store, RD_OFFLINE_OP_EVIDENCE, evidence->number,
                               evidence->body, NULL, evidence->file, &error) == 0)
    {
      g_autofree char *path = rd_offline_store_get_file_path (self->store, evidence->file);

      g_unlink (path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  rd_outbox_queued (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * rd_outbox_queue_evidence_async:
 * @self: a #RdOutbox
 * @number: the ticket number or local label
 * @file: the file to attach; it is copied, so the user may delete it after
 * @content_type: its type: image/jpeg, image/png, image/webp,
 *   application/pdf or audio/ogg
 * @description: (nullable): what it shows
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the file is copied and queued
 * @user_data: for @callback
 *
 * Queues evidence for a ticket, e.g. a photo taken while the server is
 * away. The file is copied into the store's folder under a generated name.
 */
void
rd_outbox_queue_evidence_async (RdOutbox            *self,
                                const char          *number,
                                GFile               *file,
                                const char          *content_type,
                                const char          *description,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  static const char * const types[][2] = {
    { "image/jpeg", "jpg" },
    { "image/png", "png" },
    { "image/webp", "webp" },
    { "application/pdf", "pdf" },
    { "audio/ogg", "ogg" },
  };
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  RdOutboxEvidence *evidence;
  const char *extension = NULL;

  g_return_if_fail (RD_IS_OUTBOX (self));
  g_return_if_fail (number != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (content_type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_outbox_queue_evidence_async);

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (types[i][0], content_type))
      extension = types[i][1];

  if (extension == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                               "Evidence of type %s is not accepted", content_type);
      return;
    }

  evidence = g_new0 (RdOutboxEvidence, 1);
  evidence->number = rd_offline_store_resolve_label (self->store, number);
  evidence->file = rd_offline_store_new_file_name (self->store, extension);
  evidence->body = json_object_new ();
  json_object_set_string_member (evidence->body, "content_type", content_type);
  basename = g_file_get_basename (file);
  if (basename != NULL && g_utf8_validate (basename, -1, NULL))
    json_object_set_string_member (evidence->body, "filename", basename);
  if (description != NULL && *description != '\0')
    json_object_set_string_member (evidence->body, "description", description);
  g_task_set_task_data (task, evidence, (GDestroyNotify) rd_outbox_evidence_free);

  path = rd_offline_store_get_file_path (self->store, evidence->file);
  copy = g_file_new_for_path (path);
  g_file_copy_async (file, copy, G_FILE_COPY_NONE, G_PRIORITY_DEFAULT, cancellable,
                     NULL, NULL, rd_outbox_copy_cb, g_steal_pointer (&task));
}

gboolean
rd_outbox_queue_evidence_finish (RdOutbox      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_outbox_queue_evidence_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rd_outbox_resolve:
 * @self: a #RdOutbox
 * @id: an operation waiting for the user
 * @keep_mine: %TRUE to send it anyway (over the other change, or again
 *   after a refusal), %FALSE to discard it
 * @error: return location for a #GError
 *
 * What the user decided about a conflict or a refusal.
 */
gboolean
rd_outbox_resolve (RdOutbox  *self,
                   gint64     id,
                   gboolean   keep_mine,
                   GError   **error)
{
  gboolean done;

  g_return_val_if_fail (RD_IS_OUTBOX (self), FALSE);

  if (keep_mine)
    done = rd_offline_store_set_op_status (self->store, id, RD_OFFLINE_OP_PENDING, NULL, TRUE,
                                           error);
  else
    done = rd_offline_store_remove_op (self->store, id, error);

  if (!done)
    return FALSE;

  rd_outbox_queued (self);

  return TRUE;
}

/**
 * rd_outbox_replay:
 * @self: a #RdOutbox
 *
 * Tries to send the queue now rather than at the next attempt.
 */
void
rd_outbox_replay (RdOutbox *self)
{
  g_return_if_fail (RD_IS_OUTBOX (self));

  g_clear_handle_id (&self->retry_source, g_source_remove);
  rd_outbox_replay_next (self);
}

/**
 * rd_outbox_ticket_is_unsent:
 * @ticket: a ticket
 *
 * Returns: whether @ticket, as the outbox gave it, has changes the server
 *   does not have yet (or was created offline)
 */
gboolean
rd_outbox_ticket_is_unsent (RdTicket *ticket)
{
  g_return_val_if_fail (RD_IS_TICKET (ticket), FALSE);

  return g_object_get_data (G_OBJECT (ticket), RD_OUTBOX_UNSENT_KEY) != NULL ||
         rd_outbox_is_local (rd_ticket_get_number (ticket));
}

/**
 * rd_outbox_ticket_is_local:
 * @ticket: a ticket
 *
 * Returns: whether @ticket was created offline and has no number yet
 */
gboolean
rd_outbox_ticket_is_local (RdTicket *ticket)
{
  g_return_val_if_fail (RD_IS_TICKET (ticket), FALSE);

  return rd_outbox_is_local (rd_ticket_get_number (ticket));
}

/**
 * rd_outbox_format_number:
 * @ticket: a ticket
 *
 * Returns: (transfer full): the ticket's number as the list shows it: a
 *   word for a ticket created offline, which has none yet
 */
char *
rd_outbox_format_number (RdTicket *ticket)
{
  g_return_val_if_fail (RD_IS_TICKET (ticket), NULL);

  if (rd_outbox_ticket_is_local (ticket))
    /* Translators: the number of a ticket created offline, before the server numbers it */
    return g_strdup (C_("ticket number", "pending"));

  return g_strdup (rd_ticket_get_number (ticket));
}

/**
 * rd_outbox_format_subject:
 * @ticket: a ticket
 *
 * Returns: (transfer full): the ticket's subject as the list shows it, which
 *   says when its changes are not sent yet
 */
char *
rd_outbox_format_subject (RdTicket *ticket)
{
  g_return_val_if_fail (RD_IS_TICKET (ticket), NULL);

  if (rd_outbox_ticket_is_unsent (ticket))
    /* Translators: a ticket's subject, e.g. "Printer jam (not sent)", whose
     * changes wait for the server */
    return g_strdup_printf (_("%s (not sent)"), rd_ticket_get_subject (ticket));

  return g_strdup (rd_ticket_get_subject (ticket));
}
