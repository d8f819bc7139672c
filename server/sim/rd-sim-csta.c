/* rd-sim-csta.c: the PBX side of the CSTA wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GSocketService that answers as a Panasonic PBX does on TCP 33333
 * (protocol notes §2): AARQ → AARE, systemStatus keepalives, the escape 51
 * device discovery, MonitorStart, MakeCall, DeflectCall, SnapshotDevice,
 * startCDRTransmission, and event reports / CDR reports for the RdCtiEvents
 * the simulated PBX hands to rd_sim_csta_send_event(). Several clients may
 * be connected; each has its own monitors. Writes are queued and written
 * asynchronously, one frame at a time.
 *
 * Mapping of RdCtiEvent → CSTA (docs/cti.md has the full table): RINGING →
 * Delivered (DDI in kmeAdditionalData.didNo), ANSWERED → Established, HELD →
 * Held, RETRIEVED → Retrieved, TRANSFERRED → Transferred, DIVERTED →
 * Diverted, CLEARED → ConnectionCleared, ORIGINATED → ServiceInitiated +
 * Originated, QUEUED → Queued, FAILED → Failed, RECORD → cDRReport. The
 * trunk travels as associatedCallingDevice on incoming calls and
 * associatedCalledDevice on outgoing ones.
 */

#define G_LOG_DOMAIN "RdSimCsta"

#include "config.h"

#include "rd-csta-acse.h"
#include "rd-csta-channel.h"
#include "rd-csta-event.h"
#include "rd-csta-ops.h"
#include "rd-csta-rose.h"
#include "rd-csta-services.h"
#include "rd-sim-csta.h"

#define MAX_MISSED_KEEPALIVES 3
#define DISCOVERY_SEGMENT     32

typedef struct _Client Client;

struct _RdSimCsta
{
  GObject           parent_instance;

  GSocketService   *service;
  guint16           port;
  GPtrArray        *clients;            /* Client, owned refs */
  GStrv             stations;
  GStrv             trunks;
  guint             keepalive_interval;
  gboolean          keepalives_enabled;
  gboolean          device_numbers;
  guint32           next_cross_ref;
  guint             n_cdr_acks;
};

struct _Client
{
  RdSimCsta          *self;             /* NULL once closed */
  RdCstaChannel      *channel;
  gboolean            associated;
  gint                invoke_counter;
  GHashTable         *monitors;         /* device number string → GBytes cross ref */
  GBytes             *cdr_cross_ref;
  GHashTable         *keepalives;       /* invoke ids of unanswered systemStatus */
  GHashTable         *cdr_reports;      /* invoke ids of unanswered cDRReports */
  guint               missed;
  guint               keepalive_source;
};

enum {
  PROP_0,
  PROP_PORT,
  PROP_N_CLIENTS,
  N_PROPS
};

enum {
  MAKE_CALL,
  DEFLECT_CALL,
  SNAPSHOT_DEVICE,
  FRAME_WRITTEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RdSimCsta, rd_sim_csta, G_TYPE_OBJECT)

static void client_close  (Client *client);
static void client_unref  (Client *client);

/* ---- clients ------------------------------------------------------------ */

static void
client_clear (Client *client)
{
  g_clear_handle_id (&client->keepalive_source, g_source_remove);
  g_clear_pointer (&client->channel, rd_csta_channel_unref);
  g_clear_pointer (&client->monitors, g_hash_table_unref);
  g_clear_pointer (&client->keepalives, g_hash_table_unref);
  g_clear_pointer (&client->cdr_reports, g_hash_table_unref);
  g_clear_pointer (&client->cdr_cross_ref, g_bytes_unref);
}

static Client *
client_ref (Client *client)
{
  return g_rc_box_acquire (client);
}

static void
client_unref (Client *client)
{
  g_rc_box_release_full (client, (GDestroyNotify) client_clear);
}

/* Queues one PDU; @event is the RdCtiEvent it reports, if any. */
static void
client_send_pdu (Client     *client,
                 GBytes     *pdu,
                 RdCtiEvent *event)
{
  rd_csta_channel_send (client->channel, pdu, event != NULL ? rd_cti_event_ref (event) : NULL);
}

static void
on_frame_written (RdCstaChannel *channel,
                  gpointer       tag,
                  gpointer       user_data)
{
  Client *client = user_data;

  if (client->self != NULL)
    g_signal_emit (client->self, signals[FRAME_WRITTEN], 0, (RdCtiEvent *) tag, g_get_monotonic_time ());
}

static gint
client_next_invoke_id (Client *client)
{
  return rd_csta_invoke_id_next (&client->invoke_counter);
}

static void
client_invoke (Client     *client,
               gint        opcode,
               GBytes     *argument,
               RdCtiEvent *event)
{
  g_autoptr(GBytes) pdu = rd_csta_rose_encode_invoke (client_next_invoke_id (client), opcode, argument);

  client_send_pdu (client, pdu, event);
}

static void
client_fail (Client               *client,
             gint                  invoke_id,
             RdCstaOperationError  operation_error)
{
  g_autoptr(GBytes) parameter = rd_csta_universal_failure_encode (operation_error);
  g_autoptr(GBytes) pdu = rd_csta_rose_encode_error (invoke_id, RD_CSTA_ERROR_UNIVERSAL_FAILURE, parameter);

  client_send_pdu (client, pdu, NULL);
}

static void
client_answer (Client *client,
               gint    invoke_id,
               gint    opcode,
               GBytes *result)
{
  g_autoptr(GBytes) pdu = rd_csta_rose_encode_result (invoke_id, opcode, result);

  client_send_pdu (client, pdu, NULL);
}

/* Closes the connection and forgets the client; safe to call twice. */
static void
client_close (Client *client)
{
  RdSimCsta *self = client->self;

  if (self == NULL)
    return;

  client->self = NULL;
  g_clear_handle_id (&client->keepalive_source, g_source_remove);
  rd_csta_channel_close (client->channel);
  if (g_ptr_array_remove (self->clients, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLIENTS]);
}

static gboolean
on_keepalive (gpointer user_data)
{
  Client *client = user_data;
  RdSimCsta *self = client->self;
  g_autoptr(GBytes) argument = NULL;
  gint invoke_id;

  if (self == NULL || !self->keepalives_enabled)
    return G_SOURCE_CONTINUE;

  if (g_hash_table_size (client->keepalives) > 0)
    {
      client->missed++;
      g_debug ("CSTA client missed %u systemStatus replies", client->missed);
      if (client->missed >= MAX_MISSED_KEEPALIVES)
        {
          g_message ("Dropping a CSTA client that stopped answering systemStatus");
          client->keepalive_source = 0;
          client_close (client);
          return G_SOURCE_REMOVE;
        }
    }

  argument = rd_csta_system_status_encode_argument (RD_CSTA_SYSTEM_STATUS_NORMAL);
  invoke_id = client_next_invoke_id (client);
  g_hash_table_add (client->keepalives, GINT_TO_POINTER (invoke_id));
  {
    g_autoptr(GBytes) pdu = rd_csta_rose_encode_invoke (invoke_id, RD_CSTA_OP_SYSTEM_STATUS, argument);

    client_send_pdu (client, pdu, NULL);
  }
  return G_SOURCE_CONTINUE;
}

static void
client_start_keepalives (Client *client)
{
  RdSimCsta *self = client->self;

  g_clear_handle_id (&client->keepalive_source, g_source_remove);
  if (self->keepalive_interval > 0)
    client->keepalive_source = g_timeout_add_full (G_PRIORITY_DEFAULT, self->keepalive_interval,
                                                   on_keepalive, client_ref (client),
                                                   (GDestroyNotify) client_unref);
}

/* ---- devices ------------------------------------------------------------ */

/* Finds @number among the stations, then the trunks. Returns: the entry of
 * @self's list (or %NULL); @device_number gets its Panasonic deviceNumber. */
static const char *
find_number (RdSimCsta  *self,
             const char *number,
             gint64     *device_number)
{
  GStrv lists[] = { self->stations, self->trunks };
  RdCstaDeviceType types[] = { RD_CSTA_DEVICE_TYPE_EXTENSION, RD_CSTA_DEVICE_TYPE_CO };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      if (g_str_equal (lists[l][i], number))
        {
          *device_number = rd_csta_device_number_make (types[l], i);
          return lists[l][i];
        }
  return NULL;
}

/* Resolves a DeviceID to the dialling number of a station or trunk; the
 * string belongs to @self. */
static const char *
lookup_device (RdSimCsta          *self,
               const RdCstaDevice *device)
{
  gint64 device_number;

  if (device->kind == RD_CSTA_DEVICE_DIALING_NUMBER)
    return find_number (self, device->number, &device_number);
  if (device->kind == RD_CSTA_DEVICE_DEVICE_NUMBER)
    {
      RdCstaDeviceType type = rd_csta_device_number_get_type (device->device_number);
      guint index = rd_csta_device_number_get_index (device->device_number);
      GStrv list = type == RD_CSTA_DEVICE_TYPE_EXTENSION ? self->stations :
                   type == RD_CSTA_DEVICE_TYPE_CO ? self->trunks : NULL;

      if (list != NULL && index < g_strv_length (list))
        return list[index];
    }
  return NULL;
}

static void
set_number (RdCstaDevice *device,
            const char   *number)
{
  if (number != NULL)
    rd_csta_device_set_dialing (device, number);
  else
    device->kind = RD_CSTA_DEVICE_NOT_KNOWN;
}

/* ---- requests from the client ---------------------------------------------- */

static void
handle_discovery (Client     *client,
                  RdCstaRose *rose)
{
  RdSimCsta *self = client->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdCstaDiscoveryReply) reply = rd_csta_discovery_reply_new ();
  g_autoptr(GBytes) ack = NULL;
  guint8 cross_ref[2];
  gint category;
  guint n;
  GStrv list;
  RdCstaDeviceType type;

  if (!rd_csta_discovery_decode_request (rose->argument, &category, &error))
    {
      g_debug ("Rejecting an escape: %s", error->message);
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_GENERIC);
      return;
    }

  list = category == RD_CSTA_CATEGORY_STATION ? self->stations :
         category == RD_CSTA_CATEGORY_NETWORK_INTERFACE ? self->trunks : NULL;
  type = category == RD_CSTA_CATEGORY_STATION ? RD_CSTA_DEVICE_TYPE_EXTENSION : RD_CSTA_DEVICE_TYPE_CO;

  cross_ref[0] = (guint8) (rose->invoke_id >> 8);
  cross_ref[1] = (guint8) rose->invoke_id;
  reply->cross_ref = g_bytes_new (cross_ref, sizeof cross_ref);
  ack = rd_csta_discovery_encode_ack (reply->cross_ref);
  client_answer (client, rose->invoke_id, RD_CSTA_OP_ESCAPE, ack);

  /* systemDataLinkedReply segments of DISCOVERY_SEGMENT devices, the last
   * one flagged (an empty list is one empty last segment). */
  n = list != NULL ? g_strv_length (list) : 0;
  for (guint first = 0; first == 0 || first < n; first += DISCOVERY_SEGMENT)
    {
      g_autoptr(GBytes) argument = NULL;

      g_array_set_size (reply->devices, 0);
      for (guint i = first; i < n && i < first + DISCOVERY_SEGMENT; i++)
        {
          RdCstaDevice device = { 0, };

          rd_csta_device_set_device_number (&device, rd_csta_device_number_make (type, i));
          rd_csta_discovery_reply_add (reply, &device, list[i], 0);
          rd_csta_device_clear (&device);
        }
      reply->segment = (gint) (first / DISCOVERY_SEGMENT) + 1;
      reply->last = first + DISCOVERY_SEGMENT >= n;
      argument = rd_csta_discovery_encode_reply (reply);
      client_invoke (client, RD_CSTA_OP_ESCAPE, argument, NULL);
    }
}

static void
handle_monitor_start (Client     *client,
                      RdCstaRose *rose)
{
  RdSimCsta *self = client->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) result = NULL;
  RdCstaDevice device = { 0, };
  const char *number;
  GBytes *cross_ref;
  guint8 octets[4];

  if (!rd_csta_monitor_start_decode_argument (rose->argument, &device, &error))
    {
      g_debug ("Rejecting monitorStart: %s", error->message);
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_GENERIC);
      return;
    }
  number = lookup_device (self, &device);
  rd_csta_device_clear (&device);
  if (number == NULL)
    {
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_INVALID_CALLING);
      return;
    }

  cross_ref = g_hash_table_lookup (client->monitors, number);
  if (cross_ref == NULL)
    {
      guint32 id = ++self->next_cross_ref;

      octets[0] = (guint8) (id >> 24);
      octets[1] = (guint8) (id >> 16);
      octets[2] = (guint8) (id >> 8);
      octets[3] = (guint8) id;
      cross_ref = g_bytes_new (octets, sizeof octets);
      g_hash_table_insert (client->monitors, g_strdup (number), cross_ref);
    }
  result = rd_csta_monitor_start_encode_result (cross_ref);
  client_answer (client, rose->invoke_id, RD_CSTA_OP_MONITOR_START, result);
}

static void
handle_make_call (Client     *client,
                  RdCstaRose *rose)
{
  RdSimCsta *self = client->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) result = NULL;
  g_autofree char *call_id = NULL;
  RdCstaDevice calling = { 0, };
  RdCstaDevice called = { 0, };
  RdCstaConnection connection = { NULL, };
  const char *from;

  if (!rd_csta_make_call_decode_argument (rose->argument, &calling, &called, &error))
    {
      g_debug ("Rejecting makeCall: %s", error->message);
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_GENERIC);
      return;
    }

  from = lookup_device (self, &calling);
  if (from != NULL && called.kind == RD_CSTA_DEVICE_DIALING_NUMBER && called.number[0] != '\0')
    g_signal_emit (self, signals[MAKE_CALL], 0, from, called.number, &call_id);

  connection.call_id = rd_csta_call_id_from_decimal (call_id);
  if (connection.call_id == NULL)
    {
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_INVALID_CALLING);
    }
  else
    {
      rd_csta_device_set_dialing (&connection.device, from);
      result = rd_csta_make_call_encode_result (&connection);
      client_answer (client, rose->invoke_id, RD_CSTA_OP_MAKE_CALL, result);
    }
  rd_csta_connection_clear (&connection);
  rd_csta_device_clear (&calling);
  rd_csta_device_clear (&called);
}

static void
handle_deflect_call (Client     *client,
                     RdCstaRose *rose)
{
  RdSimCsta *self = client->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = NULL;
  RdCstaConnection call = { NULL, };
  RdCstaDevice destination = { 0, };
  const char *from, *to;
  gboolean ok = FALSE;

  if (!rd_csta_deflect_call_decode_argument (rose->argument, &call, &destination, &error))
    {
      g_debug ("Rejecting deflectCall: %s", error->message);
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_GENERIC);
      rd_csta_connection_clear (&call);
      return;
    }

  call_id = rd_csta_call_id_to_decimal (call.call_id);
  from = lookup_device (self, &call.device);
  to = lookup_device (self, &destination);
  if (call_id != NULL && from != NULL && to != NULL)
    g_signal_emit (self, signals[DEFLECT_CALL], 0, call_id, from, to, &ok);

  if (ok)
    {
      g_autoptr(GBytes) pdu = rd_csta_encode_no_data_answer (rose->invoke_id, RD_CSTA_OP_DEFLECT_CALL);

      client_send_pdu (client, pdu, NULL);
    }
  else
    {
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_INVALID_CONNECTION);
    }
  rd_csta_connection_clear (&call);
  rd_csta_device_clear (&destination);
}

static void
clear_connection (gpointer data)
{
  rd_csta_connection_clear (data);
}

static void
handle_snapshot_device (Client     *client,
                        RdCstaRose *rose)
{
  RdSimCsta *self = client->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) connections = NULL;
  g_autoptr(GBytes) result = NULL;
  g_auto(GStrv) call_ids = NULL;
  RdCstaDevice device = { 0, };
  const char *number;

  if (!rd_csta_snapshot_device_decode_argument (rose->argument, &device, &error))
    {
      g_debug ("Rejecting snapshotDevice: %s", error->message);
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_GENERIC);
      return;
    }
  number = lookup_device (self, &device);
  rd_csta_device_clear (&device);
  if (number == NULL)
    {
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_INVALID_CALLING);
      return;
    }

  g_signal_emit (self, signals[SNAPSHOT_DEVICE], 0, number, &call_ids);

  connections = g_array_new (FALSE, TRUE, sizeof (RdCstaConnection));
  g_array_set_clear_func (connections, clear_connection);
  for (guint i = 0; call_ids != NULL && call_ids[i] != NULL; i++)
    {
      RdCstaConnection connection = { NULL, };

      connection.call_id = rd_csta_call_id_from_decimal (call_ids[i]);
      if (connection.call_id == NULL)
        continue;
      rd_csta_device_set_dialing (&connection.device, number);
      g_array_append_val (connections, connection);
    }
  result = rd_csta_snapshot_device_encode_result (connections);
  client_answer (client, rose->invoke_id, RD_CSTA_OP_SNAPSHOT_DEVICE, result);
}

static void
handle_start_cdr (Client     *client,
                  RdCstaRose *rose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) result = NULL;
  static const guint8 octets[] = { 0x43, 0x44, 0x52, 0x01 };
  gint mode;

  if (!rd_csta_cdr_start_decode_argument (rose->argument, &mode, &error))
    {
      g_debug ("Rejecting startCDRTransmission: %s", error->message);
      client_fail (client, rose->invoke_id, RD_CSTA_OPERATION_ERROR_GENERIC);
      return;
    }
  g_clear_pointer (&client->cdr_cross_ref, g_bytes_unref);
  client->cdr_cross_ref = g_bytes_new_static (octets, sizeof octets);
  result = rd_csta_cdr_start_encode_result (client->cdr_cross_ref);
  client_answer (client, rose->invoke_id, RD_CSTA_OP_START_CDR, result);
}

static void
handle_invoke (Client     *client,
               RdCstaRose *rose)
{
  switch (rose->opcode)
    {
    case RD_CSTA_OP_ESCAPE:
      handle_discovery (client, rose);
      break;
    case RD_CSTA_OP_MONITOR_START:
      handle_monitor_start (client, rose);
      break;
    case RD_CSTA_OP_MAKE_CALL:
      handle_make_call (client, rose);
      break;
    case RD_CSTA_OP_DEFLECT_CALL:
      handle_deflect_call (client, rose);
      break;
    case RD_CSTA_OP_SNAPSHOT_DEVICE:
      handle_snapshot_device (client, rose);
      break;
    case RD_CSTA_OP_START_CDR:
      handle_start_cdr (client, rose);
      break;
    case RD_CSTA_OP_SYSTEM_STATUS:
      {
        g_autoptr(GBytes) pdu = rd_csta_system_status_encode_answer (rose->invoke_id);

        client_send_pdu (client, pdu, NULL);
      }
      break;
    default:
      {
        /* ROSE invoke problem 1: unrecognisedOperation */
        g_autoptr(GBytes) pdu = rd_csta_rose_encode_reject (rose->invoke_id, 1, 1);

        client_send_pdu (client, pdu, NULL);
      }
      break;
    }
}

static void
handle_result (Client     *client,
               RdCstaRose *rose)
{
  gpointer key = GINT_TO_POINTER (rose->invoke_id);

  if (g_hash_table_remove (client->keepalives, key))
    {
      if (g_hash_table_size (client->keepalives) == 0)
        client->missed = 0;
    }
  else if (g_hash_table_remove (client->cdr_reports, key))
    {
      if (client->self != NULL)
        client->self->n_cdr_acks++;
    }
}

static void
handle_aarq (Client *client,
             GBytes *pdu)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) aare = NULL;
  g_autoptr(GBytes) argument = NULL;
  RdCstaAssociation assoc = { NULL, };

  if (!rd_csta_acse_decode_aarq (pdu, &assoc, &error))
    {
      g_debug ("Refusing an association: %s", error->message);
      aare = rd_csta_acse_encode_aare (RD_CSTA_AARE_REJECTED_PERMANENT, RD_CSTA_AARE_SOURCE_USER,
                                       1, RD_CSTA_VERSION_FIVE);
      client_send_pdu (client, aare, NULL);
      return;
    }
  rd_csta_association_clear (&assoc);

  aare = rd_csta_acse_encode_aare (RD_CSTA_AARE_ACCEPTED, RD_CSTA_AARE_SOURCE_USER, 1,
                                   RD_CSTA_VERSION_FIVE);
  client_send_pdu (client, aare, NULL);
  client->associated = TRUE;
  if (client->self != NULL)
    g_object_notify_by_pspec (G_OBJECT (client->self), properties[PROP_N_CLIENTS]);

  /* The PBX invokes systemStatus right after AARE (protocol notes §2.4). */
  /* A "notify" handler may have dropped the client. */
  if (client->self == NULL)
    return;

  argument = rd_csta_system_status_encode_argument (RD_CSTA_SYSTEM_STATUS_NORMAL);
  if (client->self->keepalives_enabled)
    {
      gint invoke_id = client_next_invoke_id (client);
      g_autoptr(GBytes) invoke = rd_csta_rose_encode_invoke (invoke_id, RD_CSTA_OP_SYSTEM_STATUS, argument);

      g_hash_table_add (client->keepalives, GINT_TO_POINTER (invoke_id));
      client_send_pdu (client, invoke, NULL);
    }
  client_start_keepalives (client);
}

/* Returns: %FALSE when the client must be dropped */
static gboolean
handle_pdu (Client *client,
            GBytes *pdu)
{
  g_autoptr(GError) error = NULL;
  RdCstaPduKind kind = rd_csta_pdu_get_kind (pdu);
  RdCstaRose rose;

  if (!client->associated)
    {
      if (kind != RD_CSTA_PDU_AARQ)
        {
          g_debug ("CSTA client sent %s before associating", rd_csta_pdu_kind_to_string (kind));
          return FALSE;
        }
      handle_aarq (client, pdu);
      return TRUE;
    }

  switch (kind)
    {
    case RD_CSTA_PDU_INVOKE:
    case RD_CSTA_PDU_RETURN_RESULT:
    case RD_CSTA_PDU_RETURN_ERROR:
    case RD_CSTA_PDU_REJECT:
      break;
    case RD_CSTA_PDU_RLRQ:
    case RD_CSTA_PDU_ABRT:
      return FALSE;
    case RD_CSTA_PDU_AARQ:
    case RD_CSTA_PDU_AARE:
    case RD_CSTA_PDU_RLRE:
    case RD_CSTA_PDU_UNKNOWN:
    default:
      g_debug ("Unexpected %s from a CSTA client", rd_csta_pdu_kind_to_string (kind));
      return FALSE;
    }

  if (!rd_csta_rose_decode (pdu, &rose, &error))
    {
      g_debug ("Malformed ROSE PDU from a CSTA client: %s", error->message);
      return FALSE;
    }
  if (kind == RD_CSTA_PDU_INVOKE)
    handle_invoke (client, &rose);
  else if (kind == RD_CSTA_PDU_RETURN_RESULT)
    handle_result (client, &rose);
  rd_csta_rose_clear (&rose);
  return TRUE;
}

static void
on_pdu (RdCstaChannel *channel,
        GBytes        *pdu,
        gpointer       user_data)
{
  /* Handlers (signals) may drop the clients: keep this one alive. */
  Client *client = client_ref (user_data);

  if (client->self != NULL && !handle_pdu (client, pdu))
    client_close (client);
  client_unref (client);
}

static void
on_closed (RdCstaChannel *channel,
           const GError  *error,
           gpointer       user_data)
{
  Client *client = user_data;

  if (error != NULL)
    g_debug ("CSTA client connection failed: %s", error->message);
  client_close (client);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  RdSimCsta *self = user_data;
  Client *client = g_rc_box_new0 (Client);

  client->self = self;
  client->channel = rd_csta_channel_new (G_IO_STREAM (connection), 0, on_pdu, on_closed, client);
  rd_csta_channel_set_written_func (client->channel, on_frame_written,
                                    (GDestroyNotify) rd_cti_event_unref);
  client->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_bytes_unref);
  client->keepalives = g_hash_table_new (NULL, NULL);
  client->cdr_reports = g_hash_table_new (NULL, NULL);
  g_ptr_array_add (self->clients, client);
  rd_csta_channel_start (client->channel);
  return TRUE;
}

/* ---- events to the clients ----------------------------------------------- */

/* The cross ref of @client's monitor of @number, or of any monitor when
 * @number is NULL (events about no station: the whole call ended). */
static GBytes *
find_monitor (Client     *client,
              const char *number,
              const char *trunk)
{
  GHashTableIter iter;
  gpointer value;

  if (number != NULL)
    return g_hash_table_lookup (client->monitors, number);
  if (trunk != NULL && (value = g_hash_table_lookup (client->monitors, trunk)) != NULL)
    return value;
  g_hash_table_iter_init (&iter, client->monitors);
  if (g_hash_table_iter_next (&iter, NULL, &value))
    return value;
  return NULL;
}

static void
fill_parties (RdCstaEvent      *csta,
              const RdCtiEvent *event)
{
  set_number (&csta->calling, event->calling);
  set_number (&csta->called, event->called);
  csta->last_redirection.kind = RD_CSTA_DEVICE_NOT_KNOWN;
  if (event->trunk != NULL && event->direction == RD_CALL_DIRECTION_IN)
    rd_csta_device_set_dialing (&csta->associated_calling, event->trunk);
  else if (event->trunk != NULL && event->direction == RD_CALL_DIRECTION_OUT)
    rd_csta_device_set_dialing (&csta->associated_called, event->trunk);
  if (event->ddi != NULL)
    rd_csta_device_set_dialing (&csta->priv.ddi, event->ddi);
}

static RdCstaEvent *
build_event (RdCstaEventType   type,
             const RdCtiEvent *event,
             const char       *call_id)
{
  RdCstaEvent *csta = rd_csta_event_new (type);

  csta->connection.call_id = g_strdup (call_id);
  set_number (&csta->connection.device, event->extension);
  set_number (&csta->device, event->extension);
  if (event->cause != NULL)
    csta->cause = rd_csta_cause_from_string (event->cause);

  switch (type)
    {
    case RD_CSTA_EVENT_DELIVERED:
    case RD_CSTA_EVENT_ESTABLISHED:
    case RD_CSTA_EVENT_FAILED:
    case RD_CSTA_EVENT_ORIGINATED:
      fill_parties (csta, event);
      /* Originated's subject is the calling station itself. */
      if (type == RD_CSTA_EVENT_ORIGINATED && event->extension != NULL)
        rd_csta_device_set_dialing (&csta->calling, event->extension);
      if (csta->cause < 0)
        csta->cause = type == RD_CSTA_EVENT_FAILED ? rd_csta_cause_from_string ("busy") : 22;
      break;
    case RD_CSTA_EVENT_QUEUED:
      fill_parties (csta, event);
      set_number (&csta->device, event->target);
      break;
    case RD_CSTA_EVENT_DIVERTED:
      fill_parties (csta, event);
      set_number (&csta->other_device, event->target);
      csta->cause = 28;
      break;
    case RD_CSTA_EVENT_TRANSFERRED:
      {
        RdCstaConnection connection = { NULL, };

        set_number (&csta->other_device, event->target);
        connection.call_id = g_strdup (call_id);
        set_number (&connection.device, event->target);
        g_array_append_val (csta->connections, connection);
        csta->cause = 32;
      }
      break;
    case RD_CSTA_EVENT_CONNECTION_CLEARED:
      if (csta->cause < 0)
        csta->cause = 48;
      break;
    case RD_CSTA_EVENT_HELD:
    case RD_CSTA_EVENT_RETRIEVED:
    case RD_CSTA_EVENT_SERVICE_INITIATED:
    case RD_CSTA_EVENT_CONFERENCED:
    case RD_CSTA_EVENT_NETWORK_REACHED:
    case RD_CSTA_EVENT_UNKNOWN:
    default:
      break;
    }
  return csta;
}

/* A station's or trunk's dialling number as its Panasonic deviceNumber. */
static void
use_device_number (RdSimCsta    *self,
                   RdCstaDevice *device)
{
  gint64 device_number;

  if (device->kind == RD_CSTA_DEVICE_DIALING_NUMBER &&
      find_number (self, device->number, &device_number) != NULL)
    rd_csta_device_set_device_number (device, device_number);
}

static void
use_device_numbers (RdSimCsta   *self,
                    RdCstaEvent *csta)
{
  use_device_number (self, &csta->connection.device);
  use_device_number (self, &csta->device);
  use_device_number (self, &csta->other_device);
  use_device_number (self, &csta->calling);
  use_device_number (self, &csta->called);
  use_device_number (self, &csta->associated_calling);
  use_device_number (self, &csta->associated_called);
  for (guint i = 0; i < csta->connections->len; i++)
    use_device_number (self, &g_array_index (csta->connections, RdCstaConnection, i).device);
}

static void
client_report (Client          *client,
               GBytes          *cross_ref,
               RdCstaEventType  type,
               RdCtiEvent      *event,
               const char      *call_id,
               gboolean         last)
{
  g_autoptr(RdCstaEvent) csta = build_event (type, event, call_id);
  g_autoptr(GBytes) argument = NULL;

  csta->cross_ref = g_bytes_ref (cross_ref);
  if (client->self->device_numbers)
    use_device_numbers (client->self, csta);
  argument = rd_csta_event_encode (csta);
  client_invoke (client, RD_CSTA_OP_EVENT_REPORT, argument, last ? event : NULL);
}

static void
client_send_cdr (Client     *client,
                 RdCtiEvent *event)
{
  g_autoptr(RdCstaCdrReport) report = rd_csta_cdr_report_new ();
  g_autoptr(GBytes) argument = NULL;
  RdCstaCdrRecord *record = rd_csta_cdr_record_new ();
  gint invoke_id;
  guint64 number;

  report->cross_ref = g_bytes_ref (client->cdr_cross_ref);
  g_ptr_array_add (report->records, record);

  if (event->call_id != NULL &&
      g_ascii_string_to_unsigned (event->call_id, 10, 0, G_MAXINT, &number, NULL))
    record->record_number = (gint) number;
  record->created = g_date_time_ref (event->at);
  record->end = g_date_time_ref (event->at);
  if (event->ring_time >= 0)
    record->start = g_date_time_add_seconds (event->at,
                                             -(gdouble) (event->ring_time + MAX (event->duration, 0)));
  if (event->duration >= 0)
    record->duration = event->duration * 10;      /* 100 ms units */

  if (event->direction == RD_CALL_DIRECTION_OUT)
    {
      set_number (&record->calling, event->extension != NULL ? event->extension : event->calling);
      set_number (&record->called, event->called);
      if (event->calling != NULL && g_strcmp0 (event->calling, event->extension) != 0)
        rd_csta_device_set_dialing (&record->network_calling, event->calling);
      if (event->trunk != NULL)
        rd_csta_device_set_dialing (&record->associated_called, event->trunk);
    }
  else
    {
      set_number (&record->calling, event->calling);
      set_number (&record->called, event->extension != NULL ? event->extension : event->called);
      if (event->called != NULL && g_strcmp0 (event->called, event->extension) != 0)
        rd_csta_device_set_dialing (&record->network_called, event->called);
      if (event->trunk != NULL && event->direction == RD_CALL_DIRECTION_IN)
        rd_csta_device_set_dialing (&record->associated_calling, event->trunk);
    }

  switch (event->outcome)
    {
    case RD_CALL_OUTCOME_MISSED:
      report->condition_code = 5;   /* na */
      record->reason = 10;          /* callNotAnswered */
      break;
    case RD_CALL_OUTCOME_ABANDONED:
      report->condition_code = 5;
      record->reason = 5;           /* callCancelled */
      break;
    case RD_CALL_OUTCOME_ANSWERED:
    case RD_CALL_OUTCOME_NONE:
    default:
      record->reason = 48;          /* normalClearing */
      break;
    }

  argument = rd_csta_cdr_report_encode (report);
  invoke_id = client_next_invoke_id (client);
  g_hash_table_add (client->cdr_reports, GINT_TO_POINTER (invoke_id));
  {
    g_autoptr(GBytes) pdu = rd_csta_rose_encode_invoke (invoke_id, RD_CSTA_OP_CDR_REPORT, argument);

    client_send_pdu (client, pdu, event);
  }
}

/**
 * rd_sim_csta_send_event:
 * @self: a responder
 * @event: what happened in the PBX
 *
 * Sends the event report(s) for @event to every client that monitors its
 * station (events without a station go to the trunk's monitor or any one
 * monitor of each client), and a cDRReport for a RECORD to every client
 * that started CDR transmission. Events whose call id is not a decimal
 * number are dropped with a debug message.
 */
void
rd_sim_csta_send_event (RdSimCsta  *self,
                        RdCtiEvent *event)
{
  g_autofree char *call_id = NULL;
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (RD_IS_SIM_CSTA (self));
  g_return_if_fail (event != NULL);

  clients = g_ptr_array_copy (self->clients, (GCopyFunc) client_ref, NULL);
  g_ptr_array_set_free_func (clients, (GDestroyNotify) client_unref);

  if (event->type == RD_CTI_EVENT_RECORD)
    {
      for (guint i = 0; i < clients->len; i++)
        {
          Client *client = g_ptr_array_index (clients, i);

          if (client->self != NULL && client->cdr_cross_ref != NULL)
            client_send_cdr (client, event);
        }
      return;
    }

  call_id = rd_csta_call_id_from_decimal (event->call_id);
  if (call_id == NULL)
    {
      g_debug ("Not reporting an event without a decimal call id");
      return;
    }

  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);
      GBytes *cross_ref;

      if (client->self == NULL || !client->associated)
        continue;
      cross_ref = find_monitor (client, event->extension, event->trunk);
      if (cross_ref == NULL)
        continue;

      switch (event->type)
        {
        case RD_CTI_EVENT_RINGING:
          client_report (client, cross_ref, RD_CSTA_EVENT_DELIVERED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_ANSWERED:
          client_report (client, cross_ref, RD_CSTA_EVENT_ESTABLISHED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_HELD:
          client_report (client, cross_ref, RD_CSTA_EVENT_HELD, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_RETRIEVED:
          client_report (client, cross_ref, RD_CSTA_EVENT_RETRIEVED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_TRANSFERRED:
          client_report (client, cross_ref, RD_CSTA_EVENT_TRANSFERRED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_DIVERTED:
          client_report (client, cross_ref, RD_CSTA_EVENT_DIVERTED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_CLEARED:
          client_report (client, cross_ref, RD_CSTA_EVENT_CONNECTION_CLEARED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_ORIGINATED:
          client_report (client, cross_ref, RD_CSTA_EVENT_SERVICE_INITIATED, event, call_id, FALSE);
          client_report (client, cross_ref, RD_CSTA_EVENT_ORIGINATED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_QUEUED:
          client_report (client, cross_ref, RD_CSTA_EVENT_QUEUED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_FAILED:
          client_report (client, cross_ref, RD_CSTA_EVENT_FAILED, event, call_id, TRUE);
          break;
        case RD_CTI_EVENT_RECORD:
        default:
          break;
        }
    }
}

/* ---- public API ----------------------------------------------------------- */

RdSimCsta *
rd_sim_csta_new (void)
{
  return g_object_new (RD_TYPE_SIM_CSTA, NULL);
}

/**
 * rd_sim_csta_set_devices:
 * @self: a responder
 * @stations: (nullable): the extensions' dialling numbers, in device-index order
 * @trunks: (nullable): the CO lines' numbers
 *
 * What the escape 51 discovery reports and MonitorStart accepts.
 */
void
rd_sim_csta_set_devices (RdSimCsta          *self,
                         const char * const *stations,
                         const char * const *trunks)
{
  g_return_if_fail (RD_IS_SIM_CSTA (self));

  g_strfreev (self->stations);
  g_strfreev (self->trunks);
  self->stations = g_strdupv ((GStrv) stations);
  self->trunks = g_strdupv ((GStrv) trunks);
}

/**
 * rd_sim_csta_set_keepalive_interval:
 * @self: a responder
 * @msec: how often to invoke systemStatus on each client; 0 never
 *
 * Applies to clients that associate afterwards.
 */
void
rd_sim_csta_set_keepalive_interval (RdSimCsta *self,
                                    guint      msec)
{
  g_return_if_fail (RD_IS_SIM_CSTA (self));

  self->keepalive_interval = msec;
}

/**
 * rd_sim_csta_listen:
 * @self: a responder
 * @host: an IP address to listen on, e.g. "127.0.0.1"
 * @port: the TCP port, 0 for an ephemeral one (see rd_sim_csta_get_port())
 * @error: return location for a #GError
 *
 * Returns: %TRUE when listening
 */
gboolean
rd_sim_csta_listen (RdSimCsta   *self,
                    const char  *host,
                    guint16      port,
                    GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (RD_IS_SIM_CSTA (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", host);
      return FALSE;
    }
  if (self->service == NULL)
    {
      self->service = g_socket_service_new ();
      g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
    }
  socket_address = g_inet_socket_address_new (address, port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), socket_address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, error))
    {
      g_prefix_error (error, "CSTA simulator on %s:%u: ", host, port);
      return FALSE;
    }
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_service_start (self->service);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

guint16
rd_sim_csta_get_port (RdSimCsta *self)
{
  g_return_val_if_fail (RD_IS_SIM_CSTA (self), 0);

  return self->port;
}

/* Returns: the number of associated clients */
guint
rd_sim_csta_get_n_clients (RdSimCsta *self)
{
  guint n = 0;

  g_return_val_if_fail (RD_IS_SIM_CSTA (self), 0);

  for (guint i = 0; i < self->clients->len; i++)
    if (((Client *) g_ptr_array_index (self->clients, i))->associated)
      n++;
  return n;
}

/* Returns: the monitors started, summed over the clients */
guint
rd_sim_csta_get_n_monitors (RdSimCsta *self)
{
  guint n = 0;

  g_return_val_if_fail (RD_IS_SIM_CSTA (self), 0);

  for (guint i = 0; i < self->clients->len; i++)
    n += g_hash_table_size (((Client *) g_ptr_array_index (self->clients, i))->monitors);
  return n;
}

/* Returns: how many cDRReports the clients acknowledged */
guint
rd_sim_csta_get_n_cdr_acks (RdSimCsta *self)
{
  g_return_val_if_fail (RD_IS_SIM_CSTA (self), 0);

  return self->n_cdr_acks;
}

/**
 * rd_sim_csta_set_use_device_numbers:
 * @self: a responder
 * @use: %TRUE to name stations and trunks in event reports by their
 *   Panasonic deviceNumber instead of their dialling number
 *
 * Some PBXs do (protocol notes §2.5); clients map them through discovery.
 */
void
rd_sim_csta_set_use_device_numbers (RdSimCsta *self,
                                    gboolean   use)
{
  g_return_if_fail (RD_IS_SIM_CSTA (self));

  self->device_numbers = use;
}

/* Fault: closes every client connection at once, as a PBX restart does. */
void
rd_sim_csta_drop_clients (RdSimCsta *self)
{
  g_return_if_fail (RD_IS_SIM_CSTA (self));

  while (self->clients->len > 0)
    client_close (g_ptr_array_index (self->clients, self->clients->len - 1));
}

/* Fault: stops (or resumes) the systemStatus invokes. */
void
rd_sim_csta_set_keepalives_enabled (RdSimCsta *self,
                                    gboolean   enabled)
{
  g_return_if_fail (RD_IS_SIM_CSTA (self));

  self->keepalives_enabled = enabled;
}

/* Fault: one frame that is not BER to each client. */
void
rd_sim_csta_send_garbage (RdSimCsta *self)
{
  static const guint8 garbage[] = { 0x00, 0x06, 0xa1, 0xff, 0xff, 0xff, 0xff, 0x42 };
  g_autoptr(GBytes) frame = g_bytes_new_static (garbage, sizeof garbage);

  g_return_if_fail (RD_IS_SIM_CSTA (self));

  for (guint i = 0; i < self->clients->len; i++)
    rd_csta_channel_send_frame (((Client *) g_ptr_array_index (self->clients, i))->channel, frame);
}

/* Fault: stops listening and drops every client; listen again to restart. */
void
rd_sim_csta_close (RdSimCsta *self)
{
  g_return_if_fail (RD_IS_SIM_CSTA (self));

  /* A closed GSocketListener cannot listen again: rd_sim_csta_listen()
   * makes a new one. */
  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  rd_sim_csta_drop_clients (self);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
rd_sim_csta_dispose (GObject *object)
{
  RdSimCsta *self = RD_SIM_CSTA (object);

  rd_sim_csta_close (self);

  G_OBJECT_CLASS (rd_sim_csta_parent_class)->dispose (object);
}

static void
rd_sim_csta_finalize (GObject *object)
{
  RdSimCsta *self = RD_SIM_CSTA (object);

  g_ptr_array_unref (self->clients);
  g_strfreev (self->stations);
  g_strfreev (self->trunks);

  G_OBJECT_CLASS (rd_sim_csta_parent_class)->finalize (object);
}

static void
rd_sim_csta_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RdSimCsta *self = RD_SIM_CSTA (object);

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_N_CLIENTS:
      g_value_set_uint (value, rd_sim_csta_get_n_clients (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rd_sim_csta_class_init (RdSimCstaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_sim_csta_dispose;
  object_class->finalize = rd_sim_csta_finalize;
  object_class->get_property = rd_sim_csta_get_property;

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CLIENTS] =
    g_param_spec_uint ("n-clients", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RdSimCsta::make-call:
   * @self: the responder
   * @from_extension: the calling station
   * @to: the number to dial
   *
   * A client asked for click-to-dial. Returns: (transfer full) (nullable):
   * the PBX's decimal call id of the new call, or %NULL to refuse
   */
  signals[MAKE_CALL] = g_signal_new ("make-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, g_signal_accumulator_first_wins, NULL, NULL,
                                     G_TYPE_STRING, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * RdSimCsta::deflect-call:
   * @self: the responder
   * @call_id: the PBX's decimal call id
   * @from_extension: where it rings
   * @to_extension: where it should ring
   *
   * Returns: %TRUE if the PBX moved the call
   */
  signals[DEFLECT_CALL] = g_signal_new ("deflect-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, g_signal_accumulator_first_wins, NULL, NULL,
                                        G_TYPE_BOOLEAN, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * RdSimCsta::snapshot-device:
   * @self: the responder
   * @extension: the station
   *
   * Returns: (transfer full) (nullable): the decimal ids of the calls live at it
   */
  signals[SNAPSHOT_DEVICE] = g_signal_new ("snapshot-device", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, g_signal_accumulator_first_wins, NULL, NULL,
                                           G_TYPE_STRV, 1, G_TYPE_STRING);
  /**
   * RdSimCsta::frame-written:
   * @self: the responder
   * @event: the event the frame reported
   * @monotonic_usec: g_get_monotonic_time() when the write completed
   */
  signals[FRAME_WRITTEN] = g_signal_new ("frame-written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2,
                                         RD_TYPE_CTI_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_INT64);
}

static void
rd_sim_csta_init (RdSimCsta *self)
{
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_unref);
  self->keepalive_interval = 5000;
  self->keepalives_enabled = TRUE;
}
