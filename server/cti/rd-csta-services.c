/* rd-csta-services.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The services the server drives besides makeCall (rd-csta-ops.c), both
 * directions, after ECMA-285 (deflect-call.asn1, snapshot-device.asn1):
 *
 *   deflectCall    SEQUENCE { callToBeDiverted ConnectionID, newDestination
 *                  DeviceID, … } → noData
 *   snapshotDevice SEQUENCE { snapshotObject DeviceID, … } → SEQUENCE {
 *                  snapshotData [7] IMPLICIT SEQUENCE OF SEQUENCE {
 *                  connectionIdentifier ConnectionID, … }, … }
 *
 * The decoders read what Ringdesk needs and skip the optional rest.
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include <string.h>

#include "rd-csta-ops.h"
#include "rd-csta-private.h"
#include "rd-csta-rose.h"
#include "rd-csta-services.h"

/* ---- deflectCall ------------------------------------------------------- */

GBytes *
rd_csta_deflect_call_encode_argument (const RdCstaConnection *call,
                                      const RdCstaDevice     *new_destination)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_csta_connection_write (writer, RD_BER_APP (11), call);
  rd_csta_device_write (writer, new_destination);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_deflect_call_decode_argument (GBytes            *argument,
                                      RdCstaConnection  *call,
                                      RdCstaDevice      *new_destination,
                                      GError           **error)
{
  RdBerReader contents;
  RdBerTlv tlv;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_expect (&contents, RD_BER_APP (11), &tlv, error) ||
      !rd_csta_connection_read (&contents, &tlv, call, error) ||
      !rd_ber_reader_read (&contents, &tlv, error) ||
      !rd_csta_device_read (&contents, &tlv, new_destination, error))
    {
      g_prefix_error (error, "deflectCall: ");
      return FALSE;
    }
  if (call->call_id == NULL)
    {
      rd_csta_invalid (error, "deflectCall: the connection has no callID");
      return FALSE;
    }
  return TRUE;
}

/* ---- snapshotDevice ---------------------------------------------------- */

/* SnapshotDeviceArgument has the shape of MonitorStartArgument, SEQUENCE {
 * DeviceID, … }: the monitorStart codec reads and writes both (its errors
 * say "monitorStart"). */
GBytes *
rd_csta_snapshot_device_encode_argument (const RdCstaDevice *device)
{
  return rd_csta_monitor_start_encode_argument (device);
}

gboolean
rd_csta_snapshot_device_decode_argument (GBytes        *argument,
                                         RdCstaDevice  *device,
                                         GError       **error)
{
  return rd_csta_monitor_start_decode_argument (argument, device, error);
}

/**
 * rd_csta_snapshot_device_encode_result:
 * @connections: (element-type RdCstaConnection): the calls at the device
 */
GBytes *
rd_csta_snapshot_device_encode_result (GArray *connections)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_begin (writer, RD_BER_CTX (7));
  for (guint i = 0; connections != NULL && i < connections->len; i++)
    {
      rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
      rd_csta_connection_write (writer, RD_BER_APP (11),
                                &g_array_index (connections, RdCstaConnection, i));
      rd_ber_writer_end (writer);
    }
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

static void
clear_connection (gpointer data)
{
  rd_csta_connection_clear (data);
}

/**
 * rd_csta_snapshot_device_decode_result:
 *
 * Returns: (transfer full) (element-type RdCstaConnection): the calls at the
 *   device (an empty array when the PBX answered with a serviceCrossRefID),
 *   or %NULL with @error
 */
GArray *
rd_csta_snapshot_device_decode_result (GBytes  *result,
                                       GError **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (RdCstaConnection));
  RdBerReader contents, list;
  RdBerTlv tlv;

  g_array_set_clear_func (out, clear_connection);

  if (!rd_csta_open_one (result, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_read (&contents, &tlv, error))
    goto failed;
  if (!rd_ber_tlv_is (&tlv, RD_BER_CTX (7)))
    return g_steal_pointer (&out);
  if (!rd_ber_reader_descend (&contents, &tlv, &list, error))
    goto failed;

  while (!rd_ber_reader_at_end (&list))
    {
      RdBerReader info;
      RdBerTlv member;
      RdCstaConnection connection = { NULL, };

      if (!rd_csta_enter (&list, RD_BER_UNIV (SEQUENCE), &info, error) ||
          !rd_ber_reader_expect (&info, RD_BER_APP (11), &member, error))
        goto failed;
      if (!rd_csta_connection_read (&info, &member, &connection, error))
        {
          rd_csta_connection_clear (&connection);
          goto failed;
        }
      g_array_append_val (out, connection);
    }
  return g_steal_pointer (&out);

failed:
  g_prefix_error (error, "snapshotDevice result: ");
  return NULL;
}

/* ---- errors and empty results ------------------------------------------ */

/* UniversalFailure ::= CHOICE { operationErrors [0] IMPLICIT ENUMERATED, … } */
GBytes *
rd_csta_universal_failure_encode (RdCstaOperationError operation_error)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_add_integer (writer, RD_BER_CTX (0), operation_error);
  return rd_ber_writer_finish (writer);
}

/* The whole ReturnResult PDU { invokeID, { opcode, noData NULL } }. */
GBytes *
rd_csta_encode_no_data_answer (gint invoke_id,
                               gint opcode)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  g_autoptr(GBytes) no_data = NULL;

  rd_ber_writer_add_null (writer, RD_BER_UNIV (NULL));
  no_data = rd_ber_writer_finish (writer);
  return rd_csta_rose_encode_result (invoke_id, opcode, no_data);
}

/* ---- call ids ------------------------------------------------------------ */

/**
 * rd_csta_call_id_from_decimal:
 * @decimal: a call id such as "12"
 *
 * Returns: (transfer full) (nullable): the CallID octets as hex, big-endian
 *   and at least two octets ("000c"), or %NULL if @decimal is not a number
 */
char *
rd_csta_call_id_from_decimal (const char *decimal)
{
  guint64 value;
  g_autofree char *hex = NULL;

  if (decimal == NULL ||
      !g_ascii_string_to_unsigned (decimal, 10, 0, G_MAXUINT64, &value, NULL))
    return NULL;

  hex = g_strdup_printf ("%04" G_GINT64_MODIFIER "x", value);
  if (strlen (hex) % 2 != 0)
    return g_strconcat ("0", hex, NULL);
  return g_steal_pointer (&hex);
}

/**
 * rd_csta_call_id_to_decimal:
 * @hex: CallID octets as hex
 *
 * Returns: (transfer full) (nullable): the big-endian value in decimal; ids
 *   longer than eight octets stay hex; %NULL for an empty id
 */
char *
rd_csta_call_id_to_decimal (const char *hex)
{
  guint64 value;

  if (hex == NULL || *hex == '\0')
    return NULL;
  if (strlen (hex) > 16 ||
      !g_ascii_string_to_unsigned (hex, 16, 0, G_MAXUINT64, &value, NULL))
    return g_strdup (hex);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, value);
}

/* ---- causes -------------------------------------------------------------- */

static const struct
{
  gint        value;
  const char *word;
} causes[] = {
  { 3,  "busy" },              /* busy */
  { 5,  "cancelled" },         /* callCancelled */
  { 9,  "forwarded" },         /* callForward */
  { 10, "no_answer" },         /* callNotAnswered */
  { 13, "unreachable" },       /* destNotObtainable */
  { 14, "dnd" },               /* doNotDisturb */
  { 20, "congestion" },        /* networkCongestion */
  { 22, "new_call" },          /* newCall */
  { 28, "redirected" },        /* redirected */
  { 32, "transfer" },          /* transfer */
  { 33, "trunks_busy" },       /* trunksBusy */
  { 48, "normal" },            /* normalClearing */
  { 56, "timeout" },           /* timeout */
};

/* Returns: the EventCause for @cause, normalClearing for %NULL or an unknown word */
gint
rd_csta_cause_from_string (const char *cause)
{
  for (guint i = 0; cause != NULL && i < G_N_ELEMENTS (causes); i++)
    if (g_str_equal (causes[i].word, cause))
      return causes[i].value;
  return 48;
}

/* Returns: (nullable): the word for @cause, "other" for a value not in the table */
const char *
rd_csta_cause_to_string (gint cause)
{
  if (cause < 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
    if (causes[i].value == cause)
      return causes[i].word;
  return "other";
}
