/* rd-csta-ops.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The operations of protocol notes §2.4–2.8 and §2.9 (makeCall), in both
 * directions: Ringdesk's client side and the PBX side the simulator speaks.
 *
 *   systemStatus  SystemStatusArg ::= SEQUENCE { systemStatus ENUMERATED };
 *                 answered with ReturnResult { 211, noData NULL }
 *   escape 51     EscapeArgument ::= SEQUENCE { privateData }: kmeSystemData [4]
 *                 → getSystemData [0] → deviceList [4] → category [1] →
 *                 standardDevice [0] EXPLICIT DeviceCategory; the result
 *                 carries getSystemDataPosAck in extensions.privateData, then
 *                 the PBX invokes escapes with systemDataLinkedReply [3]
 *   monitorStart  SEQUENCE { DeviceID } → SEQUENCE { MonitorCrossRefID, … }
 *   makeCall      SEQUENCE { callingDevice DeviceID, calledDirectoryNumber DeviceID }
 *                 → SEQUENCE { ConnectionID }
 *   CDR           startCDRTransmission SEQUENCE { transferMode } → SEQUENCE {
 *                 cdrCrossRefID }; cDRReport per call-detail-records-report.asn1
 *
 * Cross-reference ids are opaque octets (the standard says OCTET STRING,
 * kxtde.asn INTEGER).
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include "rd-csta-ops.h"
#include "rd-csta-private.h"
#include "rd-csta-rose.h"

/* ---- systemStatus ----------------------------------------------------- */

GBytes *
rd_csta_system_status_encode_argument (RdCstaSystemStatus status)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), status);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_system_status_decode_argument (GBytes  *argument,
                                       gint    *status,
                                       GError **error)
{
  RdBerReader contents;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_csta_read_int (&contents, RD_BER_UNIV (ENUMERATED), status, error))
    {
      g_prefix_error (error, "systemStatus: ");
      return FALSE;
    }
  return TRUE;
}

static GBytes *
no_data_answer (gint invoke_id,
                gint opcode)
{
  static const guint8 null_tlv[] = { 0x05, 0x00 };
  g_autoptr(GBytes) no_data = g_bytes_new_static (null_tlv, sizeof null_tlv);

  return rd_csta_rose_encode_result (invoke_id, opcode, no_data);
}

/* The whole ReturnResult PDU answering a systemStatus invoke. */
GBytes *
rd_csta_system_status_encode_answer (gint invoke_id)
{
  return no_data_answer (invoke_id, RD_CSTA_OP_SYSTEM_STATUS);
}

/* ---- escape 51: device discovery --------------------------------------- */

GBytes *
rd_csta_discovery_encode_request (RdCstaCategory category)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  static const guint32 path[] = { 4, 0, 4, 1, 0 };

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    rd_ber_writer_begin (writer, RD_BER_CTX (path[i]));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), category);
  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_discovery_decode_request (GBytes  *argument,
                                  gint    *category,
                                  GError **error)
{
  static const guint32 path[] = { 4, 0, 4, 1, 0 };
  RdBerReader reader;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &reader, error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    {
      RdBerReader inner;

      if (!rd_csta_enter (&reader, RD_BER_CTX (path[i]), &inner, error))
        goto failed;
      reader = inner;
    }
  if (!rd_csta_read_int (&reader, RD_BER_UNIV (ENUMERATED), category, error))
    goto failed;
  return TRUE;

failed:
  g_prefix_error (error, "device discovery request: ");
  return FALSE;
}

/* The escape result: extensions.privateData.kmeSystemData.getSystemDataPosAck. */
GBytes *
rd_csta_discovery_encode_ack (GBytes *cross_ref)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  RdCstaPrivate priv;
  GBytes *out;

  rd_csta_private_init (&priv);
  priv.system_data_ack = g_bytes_ref (cross_ref);
  rd_csta_private_write (writer, &priv);
  out = rd_ber_writer_finish (writer);
  rd_csta_private_clear (&priv);
  return out;
}

/* Returns: (transfer full): the cross-reference id, or %NULL with @error */
GBytes *
rd_csta_discovery_decode_ack (GBytes  *result,
                              GError **error)
{
  RdBerReader top;
  RdBerTlv tlv;
  RdCstaPrivate priv;
  GBytes *out = NULL;

  rd_csta_private_init (&priv);
  if (result != NULL && rd_csta_open (result, &top, error) &&
      rd_ber_reader_expect (&top, RD_BER_APP (30), &tlv, error) &&
      rd_csta_private_read (&top, &tlv, &priv, error))
    {
      out = g_steal_pointer (&priv.system_data_ack);
      if (out == NULL)
        rd_csta_invalid (error, "no getSystemDataPosAck");
    }
  else if (result == NULL)
    {
      rd_csta_invalid (error, "no result");
    }
  rd_csta_private_clear (&priv);

  if (out == NULL)
    g_prefix_error (error, "device discovery: ");
  return out;
}

static void
clear_discovered (gpointer data)
{
  RdCstaDiscoveredDevice *d = data;

  rd_csta_device_clear (&d->device);
  g_clear_pointer (&d->number, g_free);
}

RdCstaDiscoveryReply *
rd_csta_discovery_reply_new (void)
{
  RdCstaDiscoveryReply *reply = g_new0 (RdCstaDiscoveryReply, 1);

  reply->devices = g_array_new (FALSE, TRUE, sizeof (RdCstaDiscoveredDevice));
  g_array_set_clear_func (reply->devices, clear_discovered);
  return reply;
}

void
rd_csta_discovery_reply_free (RdCstaDiscoveryReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->cross_ref, g_bytes_unref);
  g_array_unref (reply->devices);
  g_free (reply);
}

void
rd_csta_discovery_reply_add (RdCstaDiscoveryReply *reply,
                             const RdCstaDevice   *device,
                             const char           *number,
                             gint                  status)
{
  RdCstaDiscoveredDevice d = { { 0, }, };

  rd_csta_device_copy (&d.device, device);
  d.number = g_strdup (number);
  d.status = status;
  g_array_append_val (reply->devices, d);
}

/* The escape invoke argument the PBX sends with a segment of the list. */
GBytes *
rd_csta_discovery_encode_reply (const RdCstaDiscoveryReply *reply)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_begin (writer, RD_BER_CTX (4));            /* kmeSystemData */
  rd_ber_writer_begin (writer, RD_BER_CTX (3));            /* systemDataLinkedReply */
  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));

  rd_ber_writer_begin (writer, RD_BER_CTX (0));
  if (reply->cross_ref != NULL)
    rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING),
                                 g_bytes_get_data (reply->cross_ref, NULL),
                                 g_bytes_get_size (reply->cross_ref));
  else
    rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING), NULL, 0);
  rd_ber_writer_end (writer);
  rd_ber_writer_begin (writer, RD_BER_CTX (1));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), reply->segment);
  rd_ber_writer_end (writer);
  rd_ber_writer_begin (writer, RD_BER_CTX (2));
  rd_ber_writer_add_boolean (writer, RD_BER_UNIV (BOOLEAN), reply->last);
  rd_ber_writer_end (writer);

  rd_ber_writer_begin (writer, RD_BER_CTX (3));            /* sysData */
  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_begin (writer, RD_BER_CTX (38));           /* deviceList */
  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  for (guint i = 0; i < reply->devices->len; i++)
    {
      const RdCstaDiscoveredDevice *d = &g_array_index (reply->devices, RdCstaDiscoveredDevice, i);

      rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
      rd_csta_device_write (writer, &d->device);
      if (d->number != NULL)
        rd_ber_writer_add_string (writer, RD_BER_UNIV (IA5_STRING), d->number);
      rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), d->status);
      rd_ber_writer_end (writer);
    }
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);

  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

static gboolean
read_explicit (RdBerReader     *reader,
               guint32          tag,
               RdBerReader     *inner,
               RdBerTlv        *value,
               GError         **error)
{
  return rd_csta_enter (reader, RD_BER_CTX (tag), inner, error) &&
         rd_ber_reader_read (inner, value, error);
}

static gboolean
read_device_list (RdBerReader           *reader,
                  RdCstaDiscoveryReply  *reply,
                  GError               **error)
{
  RdBerReader rsp, wrapper, list;

  if (!rd_csta_enter (reader, RD_BER_UNIV (SEQUENCE), &rsp, error))
    return FALSE;

  while (!rd_ber_reader_at_end (&rsp))
    {
      RdBerTlv member;

      if (!rd_ber_reader_read (&rsp, &member, error))
        return FALSE;
      if (!rd_ber_tlv_is (&member, RD_BER_CTX (38)))
        continue;
      if (!rd_ber_reader_descend (&rsp, &member, &wrapper, error) ||
          !rd_csta_enter (&wrapper, RD_BER_UNIV (SEQUENCE), &list, error))
        return FALSE;

      while (!rd_ber_reader_at_end (&list))
        {
          RdBerReader entry;
          RdBerTlv tlv;
          RdCstaDiscoveredDevice d = { { 0, }, };
          gboolean ok;

          d.status = -1;
          ok = rd_csta_enter (&list, RD_BER_UNIV (SEQUENCE), &entry, error) &&
               rd_ber_reader_read (&entry, &tlv, error) &&
               rd_csta_device_read (&entry, &tlv, &d.device, error);
          while (ok && !rd_ber_reader_at_end (&entry))
            {
              ok = rd_ber_reader_read (&entry, &tlv, error);
              if (ok && rd_ber_tlv_is (&tlv, RD_BER_UNIV (IA5_STRING)))
                {
                  g_free (d.number);
                  d.number = rd_ber_tlv_dup_ia5 (&tlv, error);
                  ok = d.number != NULL;
                }
              else if (ok && rd_ber_tlv_is (&tlv, RD_BER_UNIV (ENUMERATED)))
                {
                  ok = rd_ber_tlv_get_int (&tlv, &d.status, error);
                }
            }
          if (ok && d.status < 0)
            ok = rd_csta_invalid (error, "device entry without status");
          if (!ok)
            {
              clear_discovered (&d);
              return FALSE;
            }
          g_array_append_val (reply->devices, d);
        }
    }
  return TRUE;
}

/**
 * rd_csta_discovery_decode_reply:
 * @argument: the argument of an escape invoke from the PBX
 *
 * Returns: (transfer full): the segment, or %NULL with @error (also when the
 *   escape is not a systemDataLinkedReply)
 */
RdCstaDiscoveryReply *
rd_csta_discovery_decode_reply (GBytes  *argument,
                                GError **error)
{
  g_autoptr(RdCstaDiscoveryReply) reply = rd_csta_discovery_reply_new ();
  RdBerReader contents, kme, linked, seq, inner;
  RdBerTlv tlv;
  const guint8 *data;
  gsize size;
  gboolean last;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_csta_enter (&contents, RD_BER_CTX (4), &kme, error) ||
      !rd_csta_enter (&kme, RD_BER_CTX (3), &linked, error) ||
      !rd_csta_enter (&linked, RD_BER_UNIV (SEQUENCE), &seq, error))
    goto failed;

  if (!read_explicit (&seq, 0, &inner, &tlv, error) ||
      !rd_ber_tlv_get_octets (&tlv, &data, &size, error))
    goto failed;
  reply->cross_ref = g_bytes_new (data, size);
  if (!read_explicit (&seq, 1, &inner, &tlv, error) ||
      !rd_ber_tlv_get_int (&tlv, &reply->segment, error) ||
      !read_explicit (&seq, 2, &inner, &tlv, error) ||
      !rd_ber_tlv_get_boolean (&tlv, &last, error))
    goto failed;
  reply->last = last;

  if (!rd_ber_reader_at_end (&seq))
    {
      RdBerReader sys;

      if (!rd_csta_enter (&seq, RD_BER_CTX (3), &sys, error) ||
          !read_device_list (&sys, reply, error))
        goto failed;
    }
  return g_steal_pointer (&reply);

failed:
  g_prefix_error (error, "device discovery reply: ");
  return NULL;
}

/* ---- monitorStart ------------------------------------------------------ */

GBytes *
rd_csta_monitor_start_encode_argument (const RdCstaDevice *device)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_csta_device_write (writer, device);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_monitor_start_decode_argument (GBytes        *argument,
                                       RdCstaDevice  *device,
                                       GError       **error)
{
  RdBerReader contents;
  RdBerTlv tlv;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_read (&contents, &tlv, error) ||
      !rd_csta_device_read (&contents, &tlv, device, error))
    {
      g_prefix_error (error, "monitorStart: ");
      return FALSE;
    }
  return TRUE;
}

GBytes *
rd_csta_monitor_start_encode_result (GBytes *cross_ref)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_add_primitive (writer, RD_BER_APP (21), g_bytes_get_data (cross_ref, NULL),
                               g_bytes_get_size (cross_ref));
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

/* Returns: (transfer full): the MonitorCrossRefID octets */
GBytes *
rd_csta_monitor_start_decode_result (GBytes  *result,
                                     GError **error)
{
  RdBerReader contents;
  RdBerTlv tlv;

  if (!rd_csta_open_one (result, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_expect (&contents, RD_BER_APP (21), &tlv, error))
    {
      g_prefix_error (error, "monitorStart result: ");
      return NULL;
    }
  if (tlv.constructed || tlv.length == 0)
    {
      rd_csta_invalid (error, "monitorStart result: empty or constructed cross-reference id");
      return NULL;
    }
  return g_bytes_new (tlv.content, tlv.length);
}

/* ---- makeCall ---------------------------------------------------------- */

GBytes *
rd_csta_make_call_encode_argument (const RdCstaDevice *calling,
                                   const char         *called_number)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  RdCstaDevice called = { RD_CSTA_DEVICE_DIALING_NUMBER, (char *) called_number, 0 };

  g_return_val_if_fail (called_number != NULL, NULL);

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_csta_device_write (writer, calling);
  rd_csta_device_write (writer, &called);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_make_call_decode_argument (GBytes        *argument,
                                   RdCstaDevice  *calling,
                                   RdCstaDevice  *called,
                                   GError       **error)
{
  RdBerReader contents;
  RdBerTlv tlv;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_read (&contents, &tlv, error) ||
      !rd_csta_device_read (&contents, &tlv, calling, error) ||
      !rd_ber_reader_read (&contents, &tlv, error) ||
      !rd_csta_device_read (&contents, &tlv, called, error))
    {
      g_prefix_error (error, "makeCall: ");
      return FALSE;
    }
  return TRUE;
}

GBytes *
rd_csta_make_call_encode_result (const RdCstaConnection *connection)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_csta_connection_write (writer, RD_BER_APP (11), connection);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_make_call_decode_result (GBytes            *result,
                                 RdCstaConnection  *connection,
                                 GError           **error)
{
  RdBerReader contents;
  RdBerTlv tlv;

  if (!rd_csta_open_one (result, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_expect (&contents, RD_BER_APP (11), &tlv, error) ||
      !rd_csta_connection_read (&contents, &tlv, connection, error))
    {
      g_prefix_error (error, "makeCall result: ");
      return FALSE;
    }
  return TRUE;
}

/* ---- CDR --------------------------------------------------------------- */

GBytes *
rd_csta_cdr_start_encode_argument (gint transfer_mode)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), transfer_mode);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

gboolean
rd_csta_cdr_start_decode_argument (GBytes  *argument,
                                   gint    *transfer_mode,
                                   GError **error)
{
  RdBerReader contents;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_csta_read_int (&contents, RD_BER_UNIV (ENUMERATED), transfer_mode, error))
    {
      g_prefix_error (error, "startCDRTransmission: ");
      return FALSE;
    }
  return TRUE;
}

GBytes *
rd_csta_cdr_start_encode_result (GBytes *cross_ref)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING),
                               g_bytes_get_data (cross_ref, NULL), g_bytes_get_size (cross_ref));
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

GBytes *
rd_csta_cdr_start_decode_result (GBytes  *result,
                                 GError **error)
{
  RdBerReader contents;
  RdBerTlv tlv;
  const guint8 *data;
  gsize size;

  if (!rd_csta_open_one (result, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_expect (&contents, RD_BER_UNIV (OCTET_STRING), &tlv, error) ||
      !rd_ber_tlv_get_octets (&tlv, &data, &size, error))
    {
      g_prefix_error (error, "startCDRTransmission result: ");
      return NULL;
    }
  return g_bytes_new (data, size);
}

RdCstaCdrRecord *
rd_csta_cdr_record_new (void)
{
  RdCstaCdrRecord *record = g_new0 (RdCstaCdrRecord, 1);

  record->record_number = -1;
  record->duration = -1;
  record->billing_id = -1;
  record->reason = -1;
  return record;
}

void
rd_csta_cdr_record_free (RdCstaCdrRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->created, g_date_time_unref);
  g_clear_pointer (&record->start, g_date_time_unref);
  g_clear_pointer (&record->end, g_date_time_unref);
  rd_csta_device_clear (&record->calling);
  rd_csta_device_clear (&record->called);
  rd_csta_device_clear (&record->associated_calling);
  rd_csta_device_clear (&record->associated_called);
  rd_csta_device_clear (&record->network_calling);
  rd_csta_device_clear (&record->network_called);
  g_free (record->access_code);
  g_free (record->account);
  g_free (record);
}

RdCstaCdrReport *
rd_csta_cdr_report_new (void)
{
  RdCstaCdrReport *report = g_new0 (RdCstaCdrReport, 1);

  report->records = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_csta_cdr_record_free);
  report->last_stored = -1;
  report->condition_code = -1;
  return report;
}

void
rd_csta_cdr_report_free (RdCstaCdrReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->cross_ref, g_bytes_unref);
  g_ptr_array_unref (report->records);
  g_free (report);
}

static void
write_time (RdBerWriter *writer,
            RdBerClass   cls,
            guint32      tag,
            GDateTime   *time)
{
  if (time != NULL)
    rd_ber_writer_add_generalized_time (writer, cls, tag, time,
                                        g_date_time_get_utc_offset (time) == 0);
}

static void
write_text (RdBerWriter *writer,
            guint32      tag,
            const char  *text)
{
  if (text != NULL)
    rd_ber_writer_add_string (writer, RD_BER_CTX (tag), text);
}

/* The argument of a cDRReport invoke (the PBX side). */
GBytes *
rd_csta_cdr_report_encode (const RdCstaCdrReport *report)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  if (report->cross_ref != NULL)
    rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING),
                                 g_bytes_get_data (report->cross_ref, NULL),
                                 g_bytes_get_size (report->cross_ref));
  else
    rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING), NULL, 0);
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER),
                             report->n_records_sent > 0 ? report->n_records_sent
                                                        : (gint) report->records->len);
  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  for (guint i = 0; i < report->records->len; i++)
    {
      const RdCstaCdrRecord *r = g_ptr_array_index (report->records, i);
      g_autoptr(GDateTime) now = NULL;

      rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
      if (r->record_number >= 0)
        rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), r->record_number);
      if (r->created == NULL)
        now = g_date_time_new_now_utc ();
      write_time (writer, RD_BER_UNIV (GENERALIZED_TIME), r->created != NULL ? r->created : now);
      if (r->calling.kind != RD_CSTA_DEVICE_NONE)
        rd_csta_device_write_choice (writer, RD_BER_APP (1), &r->calling);
      if (r->called.kind != RD_CSTA_DEVICE_NONE)
        rd_csta_device_write_choice (writer, RD_BER_APP (2), &r->called);
      if (r->associated_calling.kind != RD_CSTA_DEVICE_NONE)
        rd_csta_device_write_choice (writer, RD_BER_APP (5), &r->associated_calling);
      if (r->associated_called.kind != RD_CSTA_DEVICE_NONE)
        rd_csta_device_write_choice (writer, RD_BER_APP (6), &r->associated_called);
      if (r->network_calling.kind != RD_CSTA_DEVICE_NONE)
        rd_csta_device_write_choice (writer, RD_BER_APP (7), &r->network_calling);
      if (r->network_called.kind != RD_CSTA_DEVICE_NONE)
        rd_csta_device_write_choice (writer, RD_BER_APP (8), &r->network_called);
      write_time (writer, RD_BER_CTX (5), r->start);
      write_time (writer, RD_BER_CTX (6), r->end);
      if (r->duration >= 0)
        rd_ber_writer_add_integer (writer, RD_BER_CTX (7), r->duration);
      write_text (writer, 8, r->access_code);
      if (r->billing_id >= 0)
        rd_ber_writer_add_integer (writer, RD_BER_CTX (11), r->billing_id);
      if (r->reason >= 0)
        rd_ber_writer_add_integer (writer, RD_BER_CTX (14), r->reason);
      write_text (writer, 16, r->account);
      rd_ber_writer_end (writer);
    }
  rd_ber_writer_end (writer);
  if (report->last_stored >= 0)
    rd_ber_writer_add_boolean (writer, RD_BER_UNIV (BOOLEAN), report->last_stored);
  if (report->condition_code >= 0)
    {
      RdCstaPrivate priv;

      rd_csta_private_init (&priv);
      priv.condition_code = report->condition_code;
      rd_csta_private_write (writer, &priv);
    }
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

static gboolean
read_time (const RdBerTlv  *tlv,
           GDateTime      **out,
           GError         **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  g_clear_pointer (out, g_date_time_unref);
  *out = rd_ber_tlv_get_generalized_time (tlv, local, error);
  return *out != NULL;
}

static gboolean
read_text (const RdBerTlv  *tlv,
           char           **out,
           GError         **error)
{
  g_autoptr(GError) local = NULL;

  g_free (*out);
  *out = rd_ber_tlv_dup_visible (tlv, &local);
  if (*out == NULL)
    {
      const guint8 *data;
      gsize size;

      if (!rd_ber_tlv_get_octets (tlv, &data, &size, error))
        return FALSE;
      *out = rd_csta_hex (data, size);
    }
  return TRUE;
}

static gboolean
read_record (RdBerReader      *items,
             RdCstaCdrRecord  *r,
             GError          **error)
{
  RdBerReader contents;

  if (!rd_csta_enter (items, RD_BER_UNIV (SEQUENCE), &contents, error))
    return FALSE;

  while (!rd_ber_reader_at_end (&contents))
    {
      RdBerTlv tlv;
      RdCstaDevice *device = NULL;
      gboolean ok = TRUE;
      gint64 v64;

      if (!rd_ber_reader_read (&contents, &tlv, error))
        return FALSE;

      if (rd_ber_tlv_is (&tlv, RD_BER_UNIV (INTEGER)))
        ok = rd_ber_tlv_get_int (&tlv, &r->record_number, error);
      else if (rd_ber_tlv_is (&tlv, RD_BER_UNIV (GENERALIZED_TIME)))
        ok = read_time (&tlv, &r->created, error);
      else if (tlv.cls == RD_BER_CLASS_APPLICATION && tlv.constructed)
        {
          switch (tlv.tag)
            {
            case 1:
              device = &r->calling;
              break;
            case 2:
              device = &r->called;
              break;
            case 5:
              device = &r->associated_calling;
              break;
            case 6:
              device = &r->associated_called;
              break;
            case 7:
              device = &r->network_calling;
              break;
            case 8:
              device = &r->network_called;
              break;
            default:
              break;
            }
          if (device != NULL)
            ok = rd_csta_device_read_choice (&contents, &tlv, device, error);
        }
      else if (tlv.cls == RD_BER_CLASS_CONTEXT && !tlv.constructed)
        {
          switch (tlv.tag)
            {
            case 5:
              ok = read_time (&tlv, &r->start, error);
              break;
            case 6:
              ok = read_time (&tlv, &r->end, error);
              break;
            case 7:
              ok = rd_ber_tlv_get_int64 (&tlv, &v64, error);
              if (ok && v64 < 0)
                ok = rd_csta_invalid (error, "negative call duration");
              r->duration = v64;
              break;
            case 8:
              ok = read_text (&tlv, &r->access_code, error);
              break;
            case 11:
              ok = rd_ber_tlv_get_int (&tlv, &r->billing_id, error);
              break;
            case 14:
              ok = rd_ber_tlv_get_int (&tlv, &r->reason, error);
              break;
            case 16:
              ok = read_text (&tlv, &r->account, error);
              break;
            default:
              break;
            }
        }
      if (!ok)
        return FALSE;
    }

  if (r->created == NULL)
    return rd_csta_invalid (error, "CDR record without recordCreationTime");
  return TRUE;
}

/**
 * rd_csta_cdr_report_decode:
 * @argument: the argument of a cDRReport (361) invoke
 *
 * Returns: (transfer full): the report, or %NULL with @error
 */
RdCstaCdrReport *
rd_csta_cdr_report_decode (GBytes  *argument,
                           GError **error)
{
  g_autoptr(RdCstaCdrReport) report = rd_csta_cdr_report_new ();
  RdBerReader contents, items;
  RdBerTlv tlv;
  const guint8 *data;
  gsize size;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_expect (&contents, RD_BER_UNIV (OCTET_STRING), &tlv, error) ||
      !rd_ber_tlv_get_octets (&tlv, &data, &size, error))
    goto failed;
  report->cross_ref = g_bytes_new (data, size);

  if (!rd_csta_read_int (&contents, RD_BER_UNIV (INTEGER), &report->n_records_sent, error) ||
      !rd_csta_enter (&contents, RD_BER_UNIV (SEQUENCE), &items, error))
    goto failed;
  if (report->n_records_sent < 1 || report->n_records_sent > 128)
    {
      rd_csta_invalid (error, "numberOfRecordsSent %d out of 1..128", report->n_records_sent);
      goto failed;
    }

  while (!rd_ber_reader_at_end (&items))
    {
      RdCstaCdrRecord *record = rd_csta_cdr_record_new ();

      g_ptr_array_add (report->records, record);
      if (!read_record (&items, record, error))
        goto failed;
    }

  while (!rd_ber_reader_at_end (&contents))
    {
      if (!rd_ber_reader_read (&contents, &tlv, error))
        goto failed;
      if (rd_ber_tlv_is (&tlv, RD_BER_UNIV (BOOLEAN)))
        {
          gboolean last;

          if (!rd_ber_tlv_get_boolean (&tlv, &last, error))
            goto failed;
          report->last_stored = last;
        }
      else if (rd_ber_tlv_is (&tlv, RD_BER_APP (30)))
        {
          RdCstaPrivate priv;
          gboolean ok;

          rd_csta_private_init (&priv);
          ok = rd_csta_private_read (&contents, &tlv, &priv, error);
          report->condition_code = priv.condition_code;
          rd_csta_private_clear (&priv);
          if (!ok)
            goto failed;
        }
    }
  return g_steal_pointer (&report);

failed:
  g_prefix_error (error, "cDRReport: ");
  return NULL;
}

/* The whole ReturnResult PDU acknowledging a cDRReport. */
GBytes *
rd_csta_cdr_report_encode_answer (gint invoke_id)
{
  return no_data_answer (invoke_id, RD_CSTA_OP_CDR_REPORT);
}
