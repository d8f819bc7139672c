/* rd-csta-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSTAEventReportArgument ::= SEQUENCE { crossRefIdentifier MonitorCrossRefID
 * [APPLICATION 21], eventSpecificInfo CHOICE { callControlEvents [0] CHOICE {
 * delivered [4] IMPLICIT SEQUENCE { … }, … }, … } } (protocol notes §2.7,
 * kxtde.asn). The call-control events share one member vocabulary (each
 * device type has its own [APPLICATION n] tag), so one decoder reads them all
 * by tag; the two SubjectDeviceIDs of Diverted/Transferred/Conferenced are
 * told apart by order. Events outside call control decode to type UNKNOWN
 * with their category and tag, so the caller can ignore them.
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include "rd-csta-event.h"
#include "rd-csta-private.h"

static void
clear_connection (gpointer data)
{
  rd_csta_connection_clear (data);
}

RdCstaEvent *
rd_csta_event_new (RdCstaEventType type)
{
  RdCstaEvent *event = g_new0 (RdCstaEvent, 1);

  event->type = type;
  event->connections = g_array_new (FALSE, TRUE, sizeof (RdCstaConnection));
  g_array_set_clear_func (event->connections, clear_connection);
  event->local_state = -1;
  event->cause = -1;
  event->calls_in_front = -1;
  rd_csta_private_init (&event->priv);
  return event;
}

void
rd_csta_event_free (RdCstaEvent *event)
{
  if (event == NULL)
    return;
  g_clear_pointer (&event->cross_ref, g_bytes_unref);
  rd_csta_connection_clear (&event->connection);
  rd_csta_connection_clear (&event->secondary);
  rd_csta_device_clear (&event->device);
  rd_csta_device_clear (&event->other_device);
  rd_csta_device_clear (&event->calling);
  rd_csta_device_clear (&event->called);
  rd_csta_device_clear (&event->last_redirection);
  rd_csta_device_clear (&event->associated_calling);
  rd_csta_device_clear (&event->associated_called);
  rd_csta_device_clear (&event->network_calling);
  rd_csta_device_clear (&event->network_called);
  g_array_unref (event->connections);
  rd_csta_private_clear (&event->priv);
  g_free (event);
}

const char *
rd_csta_event_type_to_string (RdCstaEventType type)
{
  switch (type)
    {
    case RD_CSTA_EVENT_CONFERENCED:
      return "conferenced";
    case RD_CSTA_EVENT_CONNECTION_CLEARED:
      return "connectionCleared";
    case RD_CSTA_EVENT_DELIVERED:
      return "delivered";
    case RD_CSTA_EVENT_DIVERTED:
      return "diverted";
    case RD_CSTA_EVENT_ESTABLISHED:
      return "established";
    case RD_CSTA_EVENT_FAILED:
      return "failed";
    case RD_CSTA_EVENT_HELD:
      return "held";
    case RD_CSTA_EVENT_NETWORK_REACHED:
      return "networkReached";
    case RD_CSTA_EVENT_ORIGINATED:
      return "originated";
    case RD_CSTA_EVENT_QUEUED:
      return "queued";
    case RD_CSTA_EVENT_RETRIEVED:
      return "retrieved";
    case RD_CSTA_EVENT_SERVICE_INITIATED:
      return "serviceInitiated";
    case RD_CSTA_EVENT_TRANSFERRED:
      return "transferred";
    case RD_CSTA_EVENT_UNKNOWN:
    default:
      return "unknown";
    }
}

static gboolean
is_known_type (guint tag)
{
  switch (tag)
    {
    case RD_CSTA_EVENT_CONFERENCED:
    case RD_CSTA_EVENT_CONNECTION_CLEARED:
    case RD_CSTA_EVENT_DELIVERED:
    case RD_CSTA_EVENT_DIVERTED:
    case RD_CSTA_EVENT_ESTABLISHED:
    case RD_CSTA_EVENT_FAILED:
    case RD_CSTA_EVENT_HELD:
    case RD_CSTA_EVENT_NETWORK_REACHED:
    case RD_CSTA_EVENT_ORIGINATED:
    case RD_CSTA_EVENT_QUEUED:
    case RD_CSTA_EVENT_RETRIEVED:
    case RD_CSTA_EVENT_SERVICE_INITIATED:
    case RD_CSTA_EVENT_TRANSFERRED:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ConnectionList ::= SEQUENCE OF SEQUENCE { newConnection [0] ConnectionID?, … } */
static gboolean
read_connection_list (RdBerReader     *parent,
                      const RdBerTlv  *tlv,
                      GArray          *out,
                      GError         **error)
{
  RdBerReader list;

  if (!rd_ber_reader_descend (parent, tlv, &list, error))
    return FALSE;

  while (!rd_ber_reader_at_end (&list))
    {
      RdBerReader item;

      if (!rd_csta_enter (&list, RD_BER_UNIV (SEQUENCE), &item, error))
        return FALSE;
      while (!rd_ber_reader_at_end (&item))
        {
          RdBerTlv member;

          if (!rd_ber_reader_read (&item, &member, error))
            return FALSE;
          if (rd_ber_tlv_is (&member, RD_BER_CTX (0)) && member.constructed)
            {
              RdCstaConnection connection = { NULL, };

              if (!rd_csta_connection_read (&item, &member, &connection, error))
                {
                  rd_csta_connection_clear (&connection);
                  return FALSE;
                }
              g_array_append_val (out, connection);
            }
        }
    }
  return TRUE;
}

static gboolean
read_members (RdBerReader  *contents,
              RdCstaEvent  *event,
              GError      **error)
{
  guint n_connections = 0;
  guint n_subjects = 0;

  while (!rd_ber_reader_at_end (contents))
    {
      RdBerTlv tlv;
      RdCstaDevice *device = NULL;
      gboolean ok = TRUE;

      if (!rd_ber_reader_read (contents, &tlv, error))
        return FALSE;

      if (tlv.cls == RD_BER_CLASS_APPLICATION && tlv.constructed)
        {
          switch (tlv.tag)
            {
            case 11:
              ok = rd_csta_connection_read (contents, &tlv, n_connections++ == 0 ? &event->connection
                                                                                   : &event->secondary,
                                            error);
              break;
            case 1:
              device = &event->calling;
              break;
            case 2:
              device = &event->called;
              break;
            case 3:
              if (n_subjects++ == 0)
                device = event->type == RD_CSTA_EVENT_ORIGINATED ? &event->calling : &event->device;
              else
                device = &event->other_device;
              break;
            case 4:
              device = &event->last_redirection;
              break;
            case 5:
              device = &event->associated_calling;
              break;
            case 6:
              device = &event->associated_called;
              break;
            case 7:
              device = &event->network_calling;
              break;
            case 8:
              device = &event->network_called;
              break;
            case 30:
              ok = rd_csta_private_read (contents, &tlv, &event->priv, error);
              break;
            default:
              break;
            }
          if (device != NULL)
            ok = rd_csta_device_read_choice (contents, &tlv, device, error);
          if (event->type == RD_CSTA_EVENT_ORIGINATED && device == &event->calling)
            rd_csta_device_copy (&event->device, &event->calling);
        }
      else if (rd_ber_tlv_is (&tlv, RD_BER_APP (14)))
        {
          ok = rd_ber_tlv_get_int (&tlv, &event->local_state, error);
        }
      else if (rd_ber_tlv_is (&tlv, RD_BER_UNIV (ENUMERATED)))
        {
          ok = rd_ber_tlv_get_int (&tlv, &event->cause, error);
        }
      else if (rd_ber_tlv_is (&tlv, RD_BER_CTX (0)) && tlv.constructed &&
               event->type == RD_CSTA_EVENT_TRANSFERRED)
        {
          ok = rd_csta_connection_read (contents, &tlv, &event->secondary, error);
        }
      else if (rd_ber_tlv_is (&tlv, RD_BER_CTX (1)) && !tlv.constructed)
        {
          ok = rd_ber_tlv_get_int (&tlv, &event->calls_in_front, error);
        }
      else if ((rd_ber_tlv_is (&tlv, RD_BER_CTX (1)) && tlv.constructed) ||
               rd_ber_tlv_is (&tlv, RD_BER_UNIV (SEQUENCE)))
        {
          ok = read_connection_list (contents, &tlv, event->connections, error);
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/**
 * rd_csta_event_decode:
 * @argument: the argument TLV of an invoke of operation 21
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
RdCstaEvent *
rd_csta_event_decode (GBytes  *argument,
                      GError **error)
{
  g_autoptr(RdCstaEvent) event = rd_csta_event_new (RD_CSTA_EVENT_UNKNOWN);
  RdBerReader contents, info, specific;
  RdBerTlv xref, category, kind;

  if (!rd_csta_open_one (argument, RD_BER_UNIV (SEQUENCE), &contents, error) ||
      !rd_ber_reader_expect (&contents, RD_BER_APP (21), &xref, error) ||
      !rd_ber_reader_read (&contents, &category, error))
    goto failed;

  event->cross_ref = g_bytes_new (xref.content, xref.length);
  if (category.cls != RD_BER_CLASS_CONTEXT || !category.constructed)
    {
      rd_csta_invalid (error, "eventSpecificInfo expected at offset %" G_GSIZE_FORMAT,
                       category.offset);
      goto failed;
    }
  event->category = category.tag;

  if (!rd_ber_reader_descend (&contents, &category, &info, error) ||
      !rd_ber_reader_read (&info, &kind, error))
    goto failed;
  event->tag = kind.tag;

  if (category.tag != 0 || kind.cls != RD_BER_CLASS_CONTEXT || !is_known_type (kind.tag))
    return g_steal_pointer (&event);

  if (!kind.constructed)
    {
      rd_csta_invalid (error, "event %u must be constructed", kind.tag);
      goto failed;
    }

  event->type = (RdCstaEventType) kind.tag;
  if (!rd_ber_reader_descend (&info, &kind, &specific, error) ||
      !read_members (&specific, event, error))
    goto failed;

  return g_steal_pointer (&event);

failed:
  g_prefix_error (error, "CSTA event report: ");
  return NULL;
}

static void
write_device (RdBerWriter        *writer,
              guint32             app_tag,
              const RdCstaDevice *device,
              gboolean            optional)
{
  if (optional && device->kind == RD_CSTA_DEVICE_NONE)
    return;
  rd_csta_device_write_choice (writer, RD_BER_APP (app_tag), device);
}

static void
write_tail (RdBerWriter       *writer,
            const RdCstaEvent *event,
            gboolean           network,
            gboolean           associated)
{
  if (event->local_state >= 0)
    rd_ber_writer_add_integer (writer, RD_BER_APP (14), event->local_state);
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (ENUMERATED), MAX (event->cause, 0));
  if (network)
    {
      write_device (writer, 7, &event->network_calling, TRUE);
      write_device (writer, 8, &event->network_called, TRUE);
    }
  if (associated)
    {
      write_device (writer, 5, &event->associated_calling, TRUE);
      write_device (writer, 6, &event->associated_called, TRUE);
    }
  if (!rd_csta_private_is_empty (&event->priv))
    rd_csta_private_write (writer, &event->priv);
}

static void
write_connection_list (RdBerWriter       *writer,
                       RdBerClass         cls,
                       guint32            tag,
                       const RdCstaEvent *event)
{
  rd_ber_writer_begin (writer, cls, tag);
  for (guint i = 0; i < event->connections->len; i++)
    {
      rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
      rd_ber_writer_begin (writer, RD_BER_CTX (0));
      rd_csta_connection_write (writer, RD_BER_APP (11),
                                &g_array_index (event->connections, RdCstaConnection, i));
      rd_ber_writer_end (writer);
      rd_ber_writer_end (writer);
    }
  rd_ber_writer_end (writer);
}

/**
 * rd_csta_event_encode:
 *
 * Encodes a call-control event as the PBX does (the simulator's side), in
 * the member order of kxtde.asn. Mandatory devices that are unset are
 * written as notKnown, a missing cause as 0.
 *
 * Returns: (transfer full): the argument TLV for an invoke of operation 21
 */
GBytes *
rd_csta_event_encode (const RdCstaEvent *event)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();
  gboolean has_secondary = event->secondary.call_id != NULL ||
                           event->secondary.device.kind != RD_CSTA_DEVICE_NONE;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (is_known_type (event->type), NULL);

  rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
  if (event->cross_ref != NULL)
    rd_ber_writer_add_primitive (writer, RD_BER_APP (21), g_bytes_get_data (event->cross_ref, NULL),
                                 g_bytes_get_size (event->cross_ref));
  else
    rd_ber_writer_add_primitive (writer, RD_BER_APP (21), NULL, 0);
  rd_ber_writer_begin (writer, RD_BER_CTX (0));
  rd_ber_writer_begin (writer, RD_BER_CTX (event->type));

  rd_csta_connection_write (writer, RD_BER_APP (11), &event->connection);

  switch (event->type)
    {
    case RD_CSTA_EVENT_CONFERENCED:
      if (has_secondary)
        rd_csta_connection_write (writer, RD_BER_APP (11), &event->secondary);
      write_device (writer, 3, &event->device, FALSE);
      write_device (writer, 3, &event->other_device, FALSE);
      write_connection_list (writer, RD_BER_UNIV (SEQUENCE), event);
      write_tail (writer, event, FALSE, FALSE);
      break;

    case RD_CSTA_EVENT_CONNECTION_CLEARED:
    case RD_CSTA_EVENT_HELD:
    case RD_CSTA_EVENT_RETRIEVED:
      write_device (writer, 3, &event->device, FALSE);
      write_tail (writer, event, FALSE, FALSE);
      break;

    case RD_CSTA_EVENT_SERVICE_INITIATED:
      write_device (writer, 3, &event->device, FALSE);
      write_tail (writer, event, TRUE, FALSE);
      break;

    case RD_CSTA_EVENT_DELIVERED:
    case RD_CSTA_EVENT_ESTABLISHED:
    case RD_CSTA_EVENT_FAILED:
    case RD_CSTA_EVENT_NETWORK_REACHED:
    case RD_CSTA_EVENT_QUEUED:
      write_device (writer, 3, &event->device, FALSE);
      write_device (writer, 1, &event->calling, FALSE);
      write_device (writer, 2, &event->called, FALSE);
      write_device (writer, 4, &event->last_redirection, FALSE);
      if (event->type == RD_CSTA_EVENT_QUEUED && event->calls_in_front >= 0)
        rd_ber_writer_add_integer (writer, RD_BER_CTX (1), event->calls_in_front);
      write_tail (writer, event, TRUE, TRUE);
      break;

    case RD_CSTA_EVENT_DIVERTED:
      write_device (writer, 3, &event->device, FALSE);
      write_device (writer, 3, &event->other_device, FALSE);
      write_device (writer, 1, &event->calling, TRUE);
      write_device (writer, 2, &event->called, TRUE);
      write_device (writer, 4, &event->last_redirection, FALSE);
      write_tail (writer, event, TRUE, TRUE);
      break;

    case RD_CSTA_EVENT_ORIGINATED:
      write_device (writer, 3, &event->calling, FALSE);
      write_device (writer, 2, &event->called, FALSE);
      write_tail (writer, event, TRUE, TRUE);
      break;

    case RD_CSTA_EVENT_TRANSFERRED:
      if (has_secondary)
        rd_csta_connection_write (writer, RD_BER_CTX (0), &event->secondary);
      write_device (writer, 3, &event->device, FALSE);
      write_device (writer, 3, &event->other_device, FALSE);
      write_connection_list (writer, RD_BER_CTX (1), event);
      write_tail (writer, event, FALSE, FALSE);
      break;

    case RD_CSTA_EVENT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}
