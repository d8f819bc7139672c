/* fuzz-csta.c: the CSTA frame splitter and every CSTA decoder on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is fed to the frame splitter in chunkings derived from its first
 * octet; each frame (and the raw input) then goes through every decoder. A
 * failure must be an RD_ERROR GError, never a crash or critical; what decodes
 * must re-encode and decode again to the same thing.
 */

#include "config.h"

#include "rd-common.h"
#include "rd-csta-acse.h"
#include "rd-csta-event.h"
#include "rd-csta-frame.h"
#include "rd-csta-ops.h"
#include "rd-csta-rose.h"
#include "rd-csta-services.h"

#include "fuzz.h"

static void
check (gboolean  ok,
       GError  **error)
{
  g_assert (ok == (*error == NULL));
  if (!ok)
    g_assert (g_error_matches (*error, RD_ERROR, RD_ERROR_INVALID_DATA));
  g_clear_error (error);
}

static void
decode_event (GBytes *bytes)
{
  GError *error = NULL;
  RdCstaEvent *event = rd_csta_event_decode (bytes, &error);

  check (event != NULL, &error);
  if (event != NULL && event->type != RD_CSTA_EVENT_UNKNOWN)
    {
      g_autoptr(GBytes) again = rd_csta_event_encode (event);
      RdCstaEvent *twice = rd_csta_event_decode (again, &error);

      /* what Ringdesk writes, it reads */
      g_assert (twice != NULL && twice->type == event->type);
      g_assert (g_strcmp0 (twice->connection.call_id, event->connection.call_id) == 0);
      rd_csta_event_free (twice);
    }
  rd_csta_event_free (event);
}

static void
decode_all (GBytes *bytes)
{
  GError *error = NULL;
  RdCstaAssociation assoc = { NULL, };
  RdCstaRose rose = { 0, };
  RdCstaDevice a = { 0, }, b = { 0, };
  RdCstaConnection connection = { NULL, };
  RdCstaDiscoveryReply *reply;
  RdCstaCdrReport *report;
  GBytes *out;
  gint value;

  (void) rd_csta_pdu_get_kind (bytes);
  check (rd_csta_acse_decode_aarq (bytes, &assoc, &error), &error);
  rd_csta_association_clear (&assoc);
  check (rd_csta_acse_decode_aare (bytes, &assoc, &error), &error);
  rd_csta_association_clear (&assoc);

  if (rd_csta_rose_decode (bytes, &rose, &error) && rose.argument != NULL)
    decode_all (rose.argument);
  check (error == NULL, &error);
  rd_csta_rose_clear (&rose);

  decode_event (bytes);
  check (rd_csta_system_status_decode_argument (bytes, &value, &error), &error);
  check (rd_csta_discovery_decode_request (bytes, &value, &error), &error);
  out = rd_csta_discovery_decode_ack (bytes, &error);
  check (out != NULL, &error);
  g_clear_pointer (&out, g_bytes_unref);
  reply = rd_csta_discovery_decode_reply (bytes, &error);
  check (reply != NULL, &error);
  rd_csta_discovery_reply_free (reply);
  check (rd_csta_monitor_start_decode_argument (bytes, &a, &error), &error);
  out = rd_csta_monitor_start_decode_result (bytes, &error);
  check (out != NULL, &error);
  g_clear_pointer (&out, g_bytes_unref);
  check (rd_csta_make_call_decode_argument (bytes, &a, &b, &error), &error);
  check (rd_csta_make_call_decode_result (bytes, &connection, &error), &error);
  check (rd_csta_cdr_start_decode_argument (bytes, &value, &error), &error);
  out = rd_csta_cdr_start_decode_result (bytes, &error);
  check (out != NULL, &error);
  g_clear_pointer (&out, g_bytes_unref);
  report = rd_csta_cdr_report_decode (bytes, &error);
  check (report != NULL, &error);
  if (report != NULL)
    {
      g_autoptr(GBytes) again = rd_csta_cdr_report_encode (report);
      RdCstaCdrReport *twice = rd_csta_cdr_report_decode (again, &error);

      g_assert (twice != NULL && twice->records->len == report->records->len);
      rd_csta_cdr_report_free (twice);
    }
  rd_csta_cdr_report_free (report);

  check (rd_csta_deflect_call_decode_argument (bytes, &connection, &a, &error), &error);
  check (rd_csta_snapshot_device_decode_argument (bytes, &b, &error), &error);
  {
    GArray *calls = rd_csta_snapshot_device_decode_result (bytes, &error);

    check (calls != NULL, &error);
    if (calls != NULL)
      {
        g_autoptr(GBytes) again = rd_csta_snapshot_device_encode_result (calls);
        GArray *twice = rd_csta_snapshot_device_decode_result (again, &error);

        /* what Ringdesk writes, it reads */
        g_assert (twice != NULL && twice->len == calls->len);
        g_array_unref (twice);
        g_array_unref (calls);
      }
  }

  rd_csta_device_clear (&a);
  rd_csta_device_clear (&b);
  rd_csta_connection_clear (&connection);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) whole = g_bytes_new (data, size);
  g_autoptr(RdCstaFramer) framer = rd_csta_framer_new (size > 0 ? 16 + data[0] * 4 : 0);
  guint step = size > 1 ? (data[1] % 7) + 1 : 1;
  gsize pos = 0;
  GError *error = NULL;

  fuzz_set_up ();

  decode_all (whole);

  while (pos < size)
    {
      gsize chunk = MIN (step, size - pos);
      GBytes *frame;

      rd_csta_framer_push (framer, data + pos, chunk);
      pos += chunk;
      step = step % 5 + 1;
      while ((frame = rd_csta_framer_pop (framer, &error)) != NULL)
        {
          decode_all (frame);
          g_bytes_unref (frame);
        }
      if (error != NULL)
        {
          check (FALSE, &error);
          break;
        }
    }

  return 0;
}
