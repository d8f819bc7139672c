/* rd-csta-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DeviceID, the [APPLICATION n] device CHOICEs (CallingDeviceID, …),
 * ConnectionID and the Panasonic KME private data, after ECMA-285 and the
 * Panasonic subset in Cyr73/Panasonic-PBX-CSTA:kxtde.asn (protocol notes
 * §2.5–2.7). Unknown alternatives and extensions are skipped, not refused:
 * a PBX firmware update may add them.
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include <string.h>

#include "rd-csta-device.h"
#include "rd-csta-private.h"

void
rd_csta_device_clear (RdCstaDevice *device)
{
  g_clear_pointer (&device->number, g_free);
  device->kind = RD_CSTA_DEVICE_NONE;
  device->device_number = 0;
}

void
rd_csta_device_copy (RdCstaDevice       *dest,
                     const RdCstaDevice *src)
{
  if (dest == src)
    return;
  rd_csta_device_clear (dest);
  dest->kind = src->kind;
  dest->number = g_strdup (src->number);
  dest->device_number = src->device_number;
}

void
rd_csta_device_set_dialing (RdCstaDevice *device,
                            const char   *number)
{
  rd_csta_device_clear (device);
  device->kind = RD_CSTA_DEVICE_DIALING_NUMBER;
  device->number = g_strdup (number);
}

void
rd_csta_device_set_device_number (RdCstaDevice *device,
                                  gint64        device_number)
{
  rd_csta_device_clear (device);
  device->kind = RD_CSTA_DEVICE_DEVICE_NUMBER;
  device->device_number = device_number;
}

gboolean
rd_csta_device_equal (const RdCstaDevice *a,
                      const RdCstaDevice *b)
{
  return a->kind == b->kind && g_strcmp0 (a->number, b->number) == 0 &&
         a->device_number == b->device_number;
}

RdCstaDeviceType
rd_csta_device_number_get_type (gint64 device_number)
{
  switch ((device_number >> 16) & 0xffff)
    {
    case RD_CSTA_DEVICE_TYPE_EXTENSION:
      return RD_CSTA_DEVICE_TYPE_EXTENSION;
    case RD_CSTA_DEVICE_TYPE_PS:
      return RD_CSTA_DEVICE_TYPE_PS;
    case RD_CSTA_DEVICE_TYPE_CO:
      return RD_CSTA_DEVICE_TYPE_CO;
    case RD_CSTA_DEVICE_TYPE_DISA:
      return RD_CSTA_DEVICE_TYPE_DISA;
    default:
      return RD_CSTA_DEVICE_TYPE_UNKNOWN;
    }
}

guint
rd_csta_device_number_get_index (gint64 device_number)
{
  return device_number & 0xffff;
}

gint64
rd_csta_device_number_make (RdCstaDeviceType type,
                            guint            index)
{
  g_return_val_if_fail (index <= 0xffff, 0);

  return ((gint64) type << 16) | index;
}

/* For logs: "101", "EXT5", "#123456", "?". */
char *
rd_csta_device_to_string (const RdCstaDevice *device)
{
  switch (device->kind)
    {
    case RD_CSTA_DEVICE_DIALING_NUMBER:
    case RD_CSTA_DEVICE_OTHER:
      return g_strdup (device->number != NULL ? device->number : "?");
    case RD_CSTA_DEVICE_DEVICE_NUMBER:
      switch (rd_csta_device_number_get_type (device->device_number))
        {
        case RD_CSTA_DEVICE_TYPE_EXTENSION:
          return g_strdup_printf ("EXT%u", rd_csta_device_number_get_index (device->device_number));
        case RD_CSTA_DEVICE_TYPE_PS:
          return g_strdup_printf ("PS%u", rd_csta_device_number_get_index (device->device_number));
        case RD_CSTA_DEVICE_TYPE_CO:
          return g_strdup_printf ("CO%u", rd_csta_device_number_get_index (device->device_number));
        case RD_CSTA_DEVICE_TYPE_DISA:
          return g_strdup_printf ("DISA%u", rd_csta_device_number_get_index (device->device_number));
        case RD_CSTA_DEVICE_TYPE_UNKNOWN:
        default:
          return g_strdup_printf ("#%" G_GINT64_FORMAT, device->device_number);
        }
    case RD_CSTA_DEVICE_NOT_KNOWN:
    case RD_CSTA_DEVICE_NOT_REQUIRED:
    case RD_CSTA_DEVICE_NOT_SPECIFIED:
    case RD_CSTA_DEVICE_NONE:
    default:
      return g_strdup ("?");
    }
}

/* @tlv is a DeviceID SEQUENCE { CHOICE { … }, extensions? }. */
gboolean
rd_csta_device_read (RdBerReader     *parent,
                     const RdBerTlv  *tlv,
                     RdCstaDevice    *device,
                     GError         **error)
{
  RdBerReader contents;
  RdBerTlv id;

  rd_csta_device_clear (device);

  if (!rd_ber_tlv_is (tlv, RD_BER_UNIV (SEQUENCE)))
    {
      g_autofree char *found = rd_ber_tlv_describe (tlv);

      return rd_csta_invalid (error, "DeviceID: SEQUENCE expected, found %s at offset %"
                              G_GSIZE_FORMAT, found, tlv->offset);
    }
  if (!rd_ber_reader_descend (parent, tlv, &contents, error) ||
      !rd_ber_reader_read (&contents, &id, error))
    return FALSE;

  if (rd_ber_tlv_is (&id, RD_BER_CTX (0)))
    {
      device->number = rd_ber_tlv_dup_ia5 (&id, error);
      if (device->number == NULL)
        return FALSE;
      device->kind = RD_CSTA_DEVICE_DIALING_NUMBER;
    }
  else if (rd_ber_tlv_is (&id, RD_BER_CTX (1)))
    {
      if (!rd_ber_tlv_get_int64 (&id, &device->device_number, error))
        return FALSE;
      device->kind = RD_CSTA_DEVICE_DEVICE_NUMBER;
    }
  else if (rd_ber_tlv_is (&id, RD_BER_CTX (6)) && !id.constructed)
    {
      g_autoptr(GError) local = NULL;

      device->kind = RD_CSTA_DEVICE_OTHER;
      device->number = rd_ber_tlv_dup_visible (&id, &local);
      if (device->number == NULL)
        device->number = rd_csta_hex (id.content, id.length);
    }
  else
    {
      /* implicit/explicit public/private numbers: not used by Panasonic */
      device->kind = RD_CSTA_DEVICE_OTHER;
    }

  /* the optional extensions that may follow are skipped */
  return TRUE;
}

/* @tlv is an [APPLICATION n] CHOICE { DeviceID, notKnown [7], notRequired [8],
 * notSpecified [9] } (the tag itself is not checked). */
gboolean
rd_csta_device_read_choice (RdBerReader     *parent,
                            const RdBerTlv  *tlv,
                            RdCstaDevice    *device,
                            GError         **error)
{
  RdBerReader contents;
  RdBerTlv inner;

  rd_csta_device_clear (device);

  if (!rd_ber_reader_descend (parent, tlv, &contents, error) ||
      !rd_ber_reader_read (&contents, &inner, error))
    return FALSE;

  if (inner.cls == RD_BER_CLASS_CONTEXT && !inner.constructed &&
      inner.tag >= 7 && inner.tag <= 9)
    {
      device->kind = inner.tag == 7 ? RD_CSTA_DEVICE_NOT_KNOWN :
                     inner.tag == 8 ? RD_CSTA_DEVICE_NOT_REQUIRED :
                                      RD_CSTA_DEVICE_NOT_SPECIFIED;
      return TRUE;
    }

  return rd_csta_device_read (&contents, &inner, device, error);
}

void
rd_csta_device_write (RdBerWriter        *writer,
                      const RdCstaDevice *device)
{
  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  switch (device->kind)
    {
    case RD_CSTA_DEVICE_DIALING_NUMBER:
      rd_ber_writer_add_string (writer, RD_BER_CTX (0), device->number != NULL ? device->number : "");
      break;
    case RD_CSTA_DEVICE_DEVICE_NUMBER:
      rd_ber_writer_add_integer (writer, RD_BER_CTX (1), device->device_number);
      break;
    case RD_CSTA_DEVICE_OTHER:
    case RD_CSTA_DEVICE_NONE:
    case RD_CSTA_DEVICE_NOT_KNOWN:
    case RD_CSTA_DEVICE_NOT_REQUIRED:
    case RD_CSTA_DEVICE_NOT_SPECIFIED:
    default:
      rd_ber_writer_add_string (writer, RD_BER_CTX (6), device->number != NULL ? device->number : "");
      break;
    }
  rd_ber_writer_end (writer);
}

void
rd_csta_device_write_choice (RdBerWriter        *writer,
                             RdBerClass          cls,
                             guint32             tag,
                             const RdCstaDevice *device)
{
  rd_ber_writer_begin (writer, cls, tag);
  switch (device->kind)
    {
    case RD_CSTA_DEVICE_NONE:
    case RD_CSTA_DEVICE_NOT_KNOWN:
      rd_ber_writer_add_null (writer, RD_BER_CTX (7));
      break;
    case RD_CSTA_DEVICE_NOT_REQUIRED:
      rd_ber_writer_add_null (writer, RD_BER_CTX (8));
      break;
    case RD_CSTA_DEVICE_NOT_SPECIFIED:
      rd_ber_writer_add_null (writer, RD_BER_CTX (9));
      break;
    case RD_CSTA_DEVICE_DIALING_NUMBER:
    case RD_CSTA_DEVICE_DEVICE_NUMBER:
    case RD_CSTA_DEVICE_OTHER:
    default:
      rd_csta_device_write (writer, device);
      break;
    }
  rd_ber_writer_end (writer);
}

void
rd_csta_connection_clear (RdCstaConnection *connection)
{
  g_clear_pointer (&connection->call_id, g_free);
  rd_csta_device_clear (&connection->device);
}

void
rd_csta_connection_copy (RdCstaConnection       *dest,
                         const RdCstaConnection *src)
{
  if (dest == src)
    return;
  rd_csta_connection_clear (dest);
  dest->call_id = g_strdup (src->call_id);
  rd_csta_device_copy (&dest->device, &src->device);
}

/* LocalDeviceID ::= CHOICE { staticID DeviceID, dynamicID [3] OCTET STRING },
 * under the explicit [1] of ConnectionID. */
static gboolean
read_local_device (RdBerReader       *parent,
                   const RdBerTlv    *tlv,
                   RdCstaDevice      *device,
                   GError           **error)
{
  RdBerReader contents;
  RdBerTlv inner;

  if (!rd_ber_reader_descend (parent, tlv, &contents, error) ||
      !rd_ber_reader_read (&contents, &inner, error))
    return FALSE;

  if (rd_ber_tlv_is (&inner, RD_BER_CTX (3)) && !inner.constructed)
    {
      rd_csta_device_clear (device);
      device->kind = RD_CSTA_DEVICE_OTHER;
      device->number = rd_csta_hex (inner.content, inner.length);
      return TRUE;
    }
  return rd_csta_device_read (&contents, &inner, device, error);
}

/* @tlv is a ConnectionID under any tag: its contents are callID [0], deviceID
 * [1] or both SEQUENCE { [0], [1] }. A content that is itself an [APPLICATION
 * 11] (explicit tagging, as kxtde.asn notes for ConnectionList) is entered. */
gboolean
rd_csta_connection_read (RdBerReader       *parent,
                         const RdBerTlv    *tlv,
                         RdCstaConnection  *connection,
                         GError           **error)
{
  RdBerReader contents;
  RdBerTlv inner;

  rd_csta_connection_clear (connection);

  if (!rd_ber_reader_descend (parent, tlv, &contents, error) ||
      !rd_ber_reader_read (&contents, &inner, error))
    return FALSE;

  if (rd_ber_tlv_is (&inner, RD_BER_APP (11)) && inner.constructed &&
      !rd_ber_tlv_is (tlv, RD_BER_APP (11)))
    return rd_csta_connection_read (&contents, &inner, connection, error);

  if (rd_ber_tlv_is (&inner, RD_BER_UNIV (SEQUENCE)))
    {
      RdBerReader both;

      if (!rd_ber_reader_descend (&contents, &inner, &both, error))
        return FALSE;
      while (!rd_ber_reader_at_end (&both))
        {
          RdBerTlv part;

          if (!rd_ber_reader_read (&both, &part, error))
            return FALSE;
          if (rd_ber_tlv_is (&part, RD_BER_CTX (0)))
            {
              const guint8 *data;
              gsize size;

              if (!rd_ber_tlv_get_octets (&part, &data, &size, error))
                return FALSE;
              g_free (connection->call_id);
              connection->call_id = rd_csta_hex (data, size);
            }
          else if (rd_ber_tlv_is (&part, RD_BER_CTX (1)))
            {
              if (!read_local_device (&both, &part, &connection->device, error))
                return FALSE;
            }
        }
      return TRUE;
    }
  else if (rd_ber_tlv_is (&inner, RD_BER_CTX (0)))
    {
      const guint8 *data;
      gsize size;

      if (!rd_ber_tlv_get_octets (&inner, &data, &size, error))
        return FALSE;
      connection->call_id = rd_csta_hex (data, size);
      return TRUE;
    }
  else if (rd_ber_tlv_is (&inner, RD_BER_CTX (1)))
    {
      return read_local_device (&contents, &inner, &connection->device, error);
    }

  return rd_csta_invalid (error, "ConnectionID: unknown alternative at offset %" G_GSIZE_FORMAT,
                          inner.offset);
}

static void
write_call_id (RdBerWriter *writer,
               const char  *call_id)
{
  g_autoptr(GBytes) octets = rd_csta_unhex (call_id);

  g_return_if_fail (octets != NULL);
  rd_ber_writer_add_primitive (writer, RD_BER_CTX (0), g_bytes_get_data (octets, NULL),
                               g_bytes_get_size (octets));
}

/* Panasonic sends the "both" form; Ringdesk writes that whenever it has both. */
void
rd_csta_connection_write (RdBerWriter            *writer,
                          RdBerClass              cls,
                          guint32                 tag,
                          const RdCstaConnection *connection)
{
  gboolean has_device = connection->device.kind != RD_CSTA_DEVICE_NONE;

  rd_ber_writer_begin (writer, cls, tag);
  if (connection->call_id != NULL && has_device)
    rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  if (connection->call_id != NULL)
    write_call_id (writer, connection->call_id);
  if (has_device || connection->call_id == NULL)
    {
      rd_ber_writer_begin (writer, RD_BER_CTX (1));
      rd_csta_device_write (writer, &connection->device);
      rd_ber_writer_end (writer);
    }
  if (connection->call_id != NULL && has_device)
    rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
}

void
rd_csta_private_init (RdCstaPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
  priv->hold_type = -1;
  priv->condition_code = -1;
}

void
rd_csta_private_clear (RdCstaPrivate *priv)
{
  rd_csta_device_clear (&priv->ddi);
  rd_csta_device_clear (&priv->device);
  g_clear_pointer (&priv->call_id, g_free);
  g_clear_pointer (&priv->system_data_ack, g_bytes_unref);
  priv->hold_type = -1;
  priv->condition_code = -1;
}

gboolean
rd_csta_private_is_empty (const RdCstaPrivate *priv)
{
  return priv->ddi.kind == RD_CSTA_DEVICE_NONE && priv->device.kind == RD_CSTA_DEVICE_NONE &&
         priv->hold_type < 0 && priv->condition_code < 0 && priv->call_id == NULL &&
         priv->system_data_ack == NULL;
}

/* [n] EXPLICIT DeviceID */
static gboolean
read_explicit_device (RdBerReader     *parent,
                      const RdBerTlv  *tlv,
                      RdCstaDevice    *device,
                      GError         **error)
{
  RdBerReader contents;
  RdBerTlv inner;

  return rd_ber_reader_descend (parent, tlv, &contents, error) &&
         rd_ber_reader_read (&contents, &inner, error) &&
         rd_csta_device_read (&contents, &inner, device, error);
}

static gboolean
read_additional_data (RdBerReader     *parent,
                      const RdBerTlv  *tlv,
                      RdCstaPrivate   *priv,
                      GError         **error)
{
  RdBerReader contents;
  RdBerTlv choice;

  if (!rd_ber_reader_descend (parent, tlv, &contents, error) ||
      !rd_ber_reader_read (&contents, &choice, error))
    return FALSE;
  if (choice.cls != RD_BER_CLASS_CONTEXT)
    return TRUE;

  switch (choice.tag)
    {
    case 6:
      return read_explicit_device (&contents, &choice, &priv->device, error);
    case 9:
      return rd_csta_read_explicit_int (&contents, &choice, &priv->hold_type, error);
    case 10:
      return rd_csta_read_explicit_int (&contents, &choice, &priv->condition_code, error);
    case 13:
      {
        RdBerReader inner_reader;
        RdBerTlv inner;
        const guint8 *data;
        gsize size;

        if (choice.constructed)
          {
            if (!rd_ber_reader_descend (&contents, &choice, &inner_reader, error) ||
                !rd_ber_reader_read (&inner_reader, &inner, error))
              return FALSE;
          }
        else
          {
            inner = choice;
          }
        if (!rd_ber_tlv_get_octets (&inner, &data, &size, error))
          return FALSE;
        g_free (priv->call_id);
        priv->call_id = rd_csta_hex (data, size);
        return TRUE;
      }
    case 17:
      return read_explicit_device (&contents, &choice, &priv->ddi, error);
    default:
      return TRUE;
    }
}

static gboolean
read_system_data (RdBerReader     *parent,
                  const RdBerTlv  *tlv,
                  RdCstaPrivate   *priv,
                  GError         **error)
{
  RdBerReader contents;
  RdBerTlv choice;

  if (!rd_ber_reader_descend (parent, tlv, &contents, error) ||
      !rd_ber_reader_read (&contents, &choice, error))
    return FALSE;

  /* getSystemDataPosAck [4] EXPLICIT ServiceCrossRefID */
  if (rd_ber_tlv_is (&choice, RD_BER_CTX (4)) && choice.constructed)
    {
      RdBerReader inner_reader;
      RdBerTlv inner;
      const guint8 *data;
      gsize size;

      if (!rd_ber_reader_descend (&contents, &choice, &inner_reader, error) ||
          !rd_ber_reader_expect (&inner_reader, RD_BER_UNIV (OCTET_STRING), &inner, error) ||
          !rd_ber_tlv_get_octets (&inner, &data, &size, error))
        return FALSE;
      g_clear_pointer (&priv->system_data_ack, g_bytes_unref);
      priv->system_data_ack = g_bytes_new (data, size);
    }
  return TRUE;
}

/* @tlv is CSTACommonArguments ([APPLICATION 30] or [5] under some events):
 * SEQUENCE { security [0]?, privateData [1] SEQUENCE OF CSTAPrivateData }. */
gboolean
rd_csta_private_read (RdBerReader     *parent,
                      const RdBerTlv  *tlv,
                      RdCstaPrivate   *priv,
                      GError         **error)
{
  RdBerReader contents;

  if (!rd_ber_reader_descend (parent, tlv, &contents, error))
    return FALSE;

  while (!rd_ber_reader_at_end (&contents))
    {
      RdBerTlv member;
      RdBerReader items;

      if (!rd_ber_reader_read (&contents, &member, error))
        return FALSE;
      if (!rd_ber_tlv_is (&member, RD_BER_CTX (1)) || !member.constructed)
        continue;
      if (!rd_ber_reader_descend (&contents, &member, &items, error))
        return FALSE;

      while (!rd_ber_reader_at_end (&items))
        {
          RdBerTlv item;
          gboolean ok = TRUE;

          if (!rd_ber_reader_read (&items, &item, error))
            return FALSE;
          if (item.cls != RD_BER_CLASS_CONTEXT || !item.constructed)
            continue;   /* the OCTET STRING alternative, or unknown */
          if (item.tag == 4)
            ok = read_system_data (&items, &item, priv, error);
          else if (item.tag == 6)
            ok = read_additional_data (&items, &item, priv, error);
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;
}

static void
begin_item (RdBerWriter *writer,
            guint32      kme_tag,
            guint32      choice_tag)
{
  rd_ber_writer_begin (writer, RD_BER_CTX (kme_tag));
  rd_ber_writer_begin (writer, RD_BER_CTX (choice_tag));
}

static void
end_item (RdBerWriter *writer)
{
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
}

/* Writes CSTACommonArguments with one private-data item per member set; the
 * caller checks rd_csta_private_is_empty() first if it is optional. */
void
rd_csta_private_write (RdBerWriter         *writer,
                       const RdCstaPrivate *priv)
{
  rd_ber_writer_begin (writer, RD_BER_APP (30));
  rd_ber_writer_begin (writer, RD_BER_CTX (1));

  if (priv->system_data_ack != NULL)
    {
      begin_item (writer, 4, 4);
      rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING),
                                   g_bytes_get_data (priv->system_data_ack, NULL),
                                   g_bytes_get_size (priv->system_data_ack));
      end_item (writer);
    }
  if (priv->device.kind != RD_CSTA_DEVICE_NONE)
    {
      begin_item (writer, 6, 6);
      rd_csta_device_write (writer, &priv->device);
      end_item (writer);
    }
  if (priv->hold_type >= 0)
    {
      begin_item (writer, 6, 9);
      rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), priv->hold_type);
      end_item (writer);
    }
  if (priv->condition_code >= 0)
    {
      begin_item (writer, 6, 10);
      rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), priv->condition_code);
      end_item (writer);
    }
  if (priv->call_id != NULL)
    {
      g_autoptr(GBytes) octets = rd_csta_unhex (priv->call_id);

      if (octets != NULL)
        {
          begin_item (writer, 6, 13);
          rd_ber_writer_add_primitive (writer, RD_BER_UNIV (OCTET_STRING),
                                       g_bytes_get_data (octets, NULL), g_bytes_get_size (octets));
          end_item (writer);
        }
    }
  if (priv->ddi.kind != RD_CSTA_DEVICE_NONE)
    {
      begin_item (writer, 6, 17);
      rd_csta_device_write (writer, &priv->ddi);
      end_item (writer);
    }

  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
}
