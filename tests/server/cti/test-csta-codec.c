/* test-csta-codec.c: the CSTA message layer of server/cti/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Byte-level vectors come from docs/panasonic-protocols.md (the shared
 * protocol notes), section numbers cited at each; everything else round-trips
 * through the encoder of the other side (client ↔ PBX simulator).
 */

#include "config.h"

#include <string.h>

#include "rd-common.h"
#include "rd-csta-acse.h"
#include "rd-csta-device.h"
#include "rd-csta-event.h"
#include "rd-csta-frame.h"
#include "rd-csta-ops.h"
#include "rd-csta-rose.h"

/* §2.3, verbatim */
#define AARQ_HEX "60 23 80 02 07 80 A1 07 06 05 2B 0C 00 81 5A BE 14 28 12 06 07 2B 0C 00 82 1D" \
                 " 81 48 A0 07 A0 05 03 03 00 08 00"
#define USER_INFO_HEX "BE 14 28 12 06 07 2B 0C 00 82 1D 81 48 A0 07 A0 05 03 03 00 08 00"
/* §2.3: "61 2F … A2 03 02 01 00 A3 05 A1 03 02 01 01 BE 14 …(same user-info)" */
#define AARE_HEX "61 2F 80 02 07 80 A1 07 06 05 2B 0C 00 81 5A A2 03 02 01 00" \
                 " A3 05 A1 03 02 01 01 " USER_INFO_HEX
/* §2.4, verbatim */
#define SYSTEM_STATUS_HEX "A1 0C 02 01 01 02 02 00 D3 30 03 0A 01 02"
/* §2.5, verbatim, and "the same PDU ending … 0A 01 02" */
#define DISCOVERY_STATIONS_HEX "A1 16 02 02 06 02 02 01 33 30 0D A4 0B A0 09 A4 07 A1 05 A0 03 0A 01 05"
#define DISCOVERY_TRUNKS_HEX "A1 16 02 02 06 02 02 01 33 30 0D A4 0B A0 09 A4 07 A1 05 A0 03 0A 01 02"

static GBytes *
hex (const char *text)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  while (*text != '\0')
    {
      guint8 b;

      if (*text == ' ')
        {
          text++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (text[0]) && g_ascii_isxdigit (text[1]));
      b = (guint8) (g_ascii_xdigit_value (text[0]) << 4 | g_ascii_xdigit_value (text[1]));
      g_byte_array_append (out, &b, 1);
      text += 2;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected_hex)
{
  g_autoptr(GBytes) expected = hex (expected_hex);

  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

typedef gboolean (*DecodeFunc) (GBytes *bytes, GError **error);

/* Every proper prefix of @full must fail to decode with RD_ERROR_INVALID_DATA. */
static void
assert_truncations_fail (GBytes     *full,
                         DecodeFunc  decode)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (full, &size);
  g_autoptr(GError) error = NULL;

  g_assert_true (decode (full, &error));
  g_assert_no_error (error);

  for (gsize cut = 0; cut < size; cut++)
    {
      g_autoptr(GBytes) prefix = g_bytes_new (data, cut);

      g_assert_false (decode (prefix, &error));
      g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
}

/* ---- framing ----------------------------------------------------------- */

static void
test_frame_chunkings (void)
{
  g_autoptr(GBytes) a = hex (AARQ_HEX);
  g_autoptr(GBytes) b = hex (SYSTEM_STATUS_HEX);
  g_autoptr(GBytes) fa = rd_csta_frame_wrap (a, NULL);
  g_autoptr(GBytes) fb = rd_csta_frame_wrap (b, NULL);
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (33333);

  /* the header is a proper big-endian uint16, not the 3-byte LinTcMon bug (§2.2) */
  g_assert_cmpuint (g_bytes_get_size (fa), ==, g_bytes_get_size (a) + 2);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (fa, NULL))[0], ==, 0);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (fa, NULL))[1], ==, 0x25);

  for (guint i = 0; i < 3; i++)
    {
      g_byte_array_append (stream, g_bytes_get_data (fa, NULL), g_bytes_get_size (fa));
      g_byte_array_append (stream, g_bytes_get_data (fb, NULL), g_bytes_get_size (fb));
    }

  /* chunk sizes 1, 2, 3, the whole stream, and random ones */
  for (guint round = 0; round < 64; round++)
    {
      g_autoptr(RdCstaFramer) framer = rd_csta_framer_new (0);
      guint got = 0;
      gsize pos = 0;

      while (pos < stream->len)
        {
          gsize chunk = round < 3 ? round + 1 : round == 3 ? stream->len
                        : (gsize) g_rand_int_range (rand, 1, 60);
          GBytes *frame;
          g_autoptr(GError) error = NULL;

          chunk = MIN (chunk, stream->len - pos);
          rd_csta_framer_push (framer, stream->data + pos, chunk);
          pos += chunk;
          while ((frame = rd_csta_framer_pop (framer, &error)) != NULL)
            {
              g_assert_true (g_bytes_equal (frame, got % 2 == 0 ? a : b));
              g_bytes_unref (frame);
              got++;
            }
          g_assert_no_error (error);
        }
      g_assert_cmpuint (got, ==, 6);
      g_assert_cmpuint (rd_csta_framer_get_pending (framer), ==, 0);
    }
}

static void
test_frame_garbage (void)
{
  static const guint8 zero[] = { 0x00, 0x00, 0xa1, 0x00 };
  static const guint8 big[] = { 0x01, 0x00, 0xa1 };
  static const guint8 good[] = { 0x00, 0x02, 0x05, 0x00 };
  g_autoptr(RdCstaFramer) framer = rd_csta_framer_new (240);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  GBytes *frame;

  rd_csta_framer_push (framer, zero, sizeof zero);
  g_assert_null (rd_csta_framer_pop (framer, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);
  /* the stream stays failed until reset */
  rd_csta_framer_push (framer, good, sizeof good);
  g_assert_null (rd_csta_framer_pop (framer, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);

  rd_csta_framer_reset (framer);
  rd_csta_framer_push (framer, good, sizeof good);
  frame = rd_csta_framer_pop (framer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (frame), ==, 2);
  g_bytes_unref (frame);

  /* 256 > the 240 limit of this framer */
  rd_csta_framer_push (framer, big, sizeof big);
  g_assert_null (rd_csta_framer_pop (framer, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "256"));
  g_clear_error (&error);

  g_assert_null (rd_csta_frame_wrap (empty, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_TOO_LARGE);
}

/* ---- ACSE -------------------------------------------------------------- */

static gboolean
decode_aare (GBytes  *bytes,
             GError **error)
{
  RdCstaAssociation assoc = { NULL, };
  gboolean ok = rd_csta_acse_decode_aare (bytes, &assoc, error);

  rd_csta_association_clear (&assoc);
  return ok;
}

static gboolean
decode_aarq (GBytes  *bytes,
             GError **error)
{
  RdCstaAssociation assoc = { NULL, };
  gboolean ok = rd_csta_acse_decode_aarq (bytes, &assoc, error);

  rd_csta_association_clear (&assoc);
  return ok;
}

static void
test_acse (void)
{
  g_autoptr(GBytes) aarq = rd_csta_acse_encode_aarq (RD_CSTA_VERSION_FIVE);
  g_autoptr(GBytes) aare = rd_csta_acse_encode_aare (RD_CSTA_AARE_ACCEPTED, RD_CSTA_AARE_SOURCE_USER,
                                                     1, RD_CSTA_VERSION_FIVE);
  g_autoptr(GBytes) rejected = rd_csta_acse_encode_aare (RD_CSTA_AARE_REJECTED_PERMANENT,
                                                         RD_CSTA_AARE_SOURCE_PROVIDER, 2, 0);
  g_autoptr(GBytes) verbatim = hex (AARE_HEX);
  g_autoptr(GError) error = NULL;
  RdCstaAssociation assoc = { NULL, };

  /* byte-identical to what the working clients send (§2.3) */
  assert_bytes (aarq, AARQ_HEX);
  assert_bytes (aare, AARE_HEX);
  g_assert_cmpint (rd_csta_pdu_get_kind (aarq), ==, RD_CSTA_PDU_AARQ);
  g_assert_cmpint (rd_csta_pdu_get_kind (aare), ==, RD_CSTA_PDU_AARE);

  g_assert_true (rd_csta_acse_decode_aarq (aarq, &assoc, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (assoc.context_oid, ==, "1.3.12.0.218");
  g_assert_cmpuint (assoc.csta_versions, ==, RD_CSTA_VERSION_FIVE);
  rd_csta_association_clear (&assoc);

  g_assert_true (rd_csta_acse_decode_aare (verbatim, &assoc, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assoc.result, ==, RD_CSTA_AARE_ACCEPTED);
  g_assert_cmpint (assoc.source, ==, RD_CSTA_AARE_SOURCE_USER);
  g_assert_cmpint (assoc.diagnostic, ==, 1);
  g_assert_cmpuint (assoc.csta_versions, ==, RD_CSTA_VERSION_FIVE);
  rd_csta_association_clear (&assoc);

  /* "A2 03 02 01 01" is rejected-permanent (§2.3) */
  g_assert_nonnull (memmem (g_bytes_get_data (rejected, NULL), g_bytes_get_size (rejected),
                            "\xa2\x03\x02\x01\x01", 5));
  g_assert_true (rd_csta_acse_decode_aare (rejected, &assoc, &error));
  g_assert_cmpint (assoc.result, ==, RD_CSTA_AARE_REJECTED_PERMANENT);
  g_assert_cmpint (assoc.source, ==, RD_CSTA_AARE_SOURCE_PROVIDER);
  g_assert_cmpint (assoc.diagnostic, ==, 2);
  g_assert_cmpuint (assoc.csta_versions, ==, 0);
  rd_csta_association_clear (&assoc);

  /* an AARQ is not an AARE */
  g_assert_false (rd_csta_acse_decode_aare (aarq, &assoc, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_assert_null (assoc.context_oid);
  g_clear_error (&error);

  assert_truncations_fail (verbatim, decode_aare);
  assert_truncations_fail (aarq, decode_aarq);
}

/* ---- ROSE and systemStatus --------------------------------------------- */

static gboolean
decode_rose (GBytes  *bytes,
             GError **error)
{
  RdCstaRose rose = { 0, };
  gboolean ok = rd_csta_rose_decode (bytes, &rose, error);

  rd_csta_rose_clear (&rose);
  return ok;
}

static void
test_system_status (void)
{
  g_autoptr(GBytes) pdu = hex (SYSTEM_STATUS_HEX);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) argument = rd_csta_system_status_encode_argument (RD_CSTA_SYSTEM_STATUS_NORMAL);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  RdCstaRose rose = { 0, };
  gint status = -1;

  g_assert_cmpint (rd_csta_pdu_get_kind (pdu), ==, RD_CSTA_PDU_INVOKE);
  g_assert_true (rd_csta_rose_decode (pdu, &rose, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rose.kind, ==, RD_CSTA_PDU_INVOKE);
  g_assert_cmpint (rose.invoke_id, ==, 1);
  g_assert_cmpint (rose.opcode, ==, RD_CSTA_OP_SYSTEM_STATUS);
  g_assert_true (rd_csta_system_status_decode_argument (rose.argument, &status, &error));
  g_assert_cmpint (status, ==, RD_CSTA_SYSTEM_STATUS_NORMAL);

  /* the PBX side re-encodes it byte for byte */
  again = rd_csta_rose_encode_invoke (1, RD_CSTA_OP_SYSTEM_STATUS, argument);
  assert_bytes (again, SYSTEM_STATUS_HEX);

  /* the answer: ReturnResult { 1, { 211, noData NULL } } (§2.4) */
  answer = rd_csta_system_status_encode_answer (rose.invoke_id);
  assert_bytes (answer, "A2 0B 02 01 01 30 06 02 02 00 D3 05 00");
  rd_csta_rose_clear (&rose);
  g_assert_true (rd_csta_rose_decode (answer, &rose, &error));
  g_assert_cmpint (rose.kind, ==, RD_CSTA_PDU_RETURN_RESULT);
  g_assert_cmpint (rose.invoke_id, ==, 1);
  g_assert_cmpint (rose.opcode, ==, RD_CSTA_OP_SYSTEM_STATUS);
  assert_bytes (rose.argument, "05 00");
  rd_csta_rose_clear (&rose);

  assert_truncations_fail (pdu, decode_rose);
  assert_truncations_fail (answer, decode_rose);
}

static void
test_rose (void)
{
  g_autoptr(GBytes) param = hex ("A0 03 0A 01 0C");   /* operation: invalidDeviceID */
  g_autoptr(GBytes) err = rd_csta_rose_encode_error (7, 1, param);
  g_autoptr(GBytes) rej = rd_csta_rose_encode_reject (9, 1, 2);
  g_autoptr(GBytes) rej_null = rd_csta_rose_encode_reject (RD_CSTA_NO_INVOKE_ID, 0, 1);
  g_autoptr(GBytes) bare = rd_csta_rose_encode_result (300, -1, NULL);
  g_autoptr(GBytes) aarq = hex (AARQ_HEX);
  g_autoptr(GBytes) odd = hex ("80 01 00");   /* §2.4: LinTcMon's reconnect cue */
  g_autoptr(GError) error = NULL;
  RdCstaRose rose = { 0, };
  gint counter = 0;

  g_assert_true (rd_csta_rose_decode (err, &rose, &error));
  g_assert_cmpint (rose.kind, ==, RD_CSTA_PDU_RETURN_ERROR);
  g_assert_cmpint (rose.invoke_id, ==, 7);
  g_assert_cmpint (rose.error_code, ==, 1);
  g_assert_true (g_bytes_equal (rose.argument, param));
  rd_csta_rose_clear (&rose);

  g_assert_true (rd_csta_rose_decode (rej, &rose, &error));
  g_assert_cmpint (rose.kind, ==, RD_CSTA_PDU_REJECT);
  g_assert_cmpint (rose.invoke_id, ==, 9);
  g_assert_cmpuint (rose.problem_type, ==, 1);
  g_assert_cmpint (rose.problem, ==, 2);
  rd_csta_rose_clear (&rose);

  g_assert_true (rd_csta_rose_decode (rej_null, &rose, &error));
  g_assert_cmpint (rose.invoke_id, ==, RD_CSTA_NO_INVOKE_ID);
  rd_csta_rose_clear (&rose);

  g_assert_true (rd_csta_rose_decode (bare, &rose, &error));
  g_assert_cmpint (rose.invoke_id, ==, 300);
  g_assert_cmpint (rose.opcode, ==, -1);
  g_assert_null (rose.argument);
  rd_csta_rose_clear (&rose);
  g_assert_no_error (error);

  g_assert_false (rd_csta_rose_decode (aarq, &rose, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpint (rd_csta_pdu_get_kind (odd), ==, RD_CSTA_PDU_UNKNOWN);
  g_assert_false (rd_csta_rose_decode (odd, &rose, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);

  assert_truncations_fail (err, decode_rose);
  assert_truncations_fail (rej, decode_rose);

  /* invoke ids run 1 … 32767 and wrap */
  g_assert_cmpint (rd_csta_invoke_id_next (&counter), ==, 1);
  g_assert_cmpint (rd_csta_invoke_id_next (&counter), ==, 2);
  counter = RD_CSTA_INVOKE_ID_MAX - 1;
  g_assert_cmpint (rd_csta_invoke_id_next (&counter), ==, RD_CSTA_INVOKE_ID_MAX);
  g_assert_cmpint (rd_csta_invoke_id_next (&counter), ==, 1);
}

/* ---- discovery --------------------------------------------------------- */

static gboolean
decode_discovery_reply (GBytes  *bytes,
                        GError **error)
{
  RdCstaDiscoveryReply *reply = rd_csta_discovery_decode_reply (bytes, error);

  rd_csta_discovery_reply_free (reply);
  return reply != NULL;
}

static void
test_discovery (void)
{
  g_autoptr(GBytes) stations = rd_csta_discovery_encode_request (RD_CSTA_CATEGORY_STATION);
  g_autoptr(GBytes) trunks = rd_csta_discovery_encode_request (RD_CSTA_CATEGORY_NETWORK_INTERFACE);
  g_autoptr(GBytes) pdu_stations = rd_csta_rose_encode_invoke (1538, RD_CSTA_OP_ESCAPE, stations);
  g_autoptr(GBytes) pdu_trunks = rd_csta_rose_encode_invoke (1538, RD_CSTA_OP_ESCAPE, trunks);
  static const guint8 xref_octets[] = { 0x00, 0x2a };
  g_autoptr(GBytes) xref = g_bytes_new_static (xref_octets, sizeof xref_octets);
  g_autoptr(GBytes) ack = rd_csta_discovery_encode_ack (xref);
  g_autoptr(GBytes) ack_xref = NULL;
  g_autoptr(RdCstaDiscoveryReply) reply = rd_csta_discovery_reply_new ();
  g_autoptr(RdCstaDiscoveryReply) decoded = NULL;
  g_autoptr(GBytes) reply_bytes = NULL;
  g_autoptr(GError) error = NULL;
  RdCstaDevice device = { 0, };
  RdCstaRose rose = { 0, };
  gint category = -1;

  /* byte-identical to §2.5 */
  assert_bytes (pdu_stations, DISCOVERY_STATIONS_HEX);
  assert_bytes (pdu_trunks, DISCOVERY_TRUNKS_HEX);
  g_assert_true (rd_csta_discovery_decode_request (trunks, &category, &error));
  g_assert_cmpint (category, ==, RD_CSTA_CATEGORY_NETWORK_INTERFACE);

  /* the PosAck as the Perl client reads it: extensions.privateData[0]… */
  assert_bytes (ack, "7E 0A A1 08 A4 06 A4 04 04 02 00 2A");
  ack_xref = rd_csta_discovery_decode_ack (ack, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (ack_xref, xref));
  {
    g_autoptr(GBytes) no_data = hex ("05 00");
    g_autoptr(GBytes) none = rd_csta_discovery_decode_ack (no_data, &error);

    g_assert_null (none);
    g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }

  reply->cross_ref = g_bytes_ref (xref);
  reply->segment = 3;
  reply->last = TRUE;
  rd_csta_device_set_device_number (&device, rd_csta_device_number_make (RD_CSTA_DEVICE_TYPE_EXTENSION, 5));
  rd_csta_discovery_reply_add (reply, &device, "105", 0);
  rd_csta_device_set_device_number (&device, rd_csta_device_number_make (RD_CSTA_DEVICE_TYPE_CO, 1));
  rd_csta_discovery_reply_add (reply, &device, "01", 1);
  rd_csta_device_set_dialing (&device, "201");
  rd_csta_discovery_reply_add (reply, &device, NULL, 0);
  reply_bytes = rd_csta_discovery_encode_reply (reply);

  {
    g_autoptr(GBytes) pdu = rd_csta_rose_encode_invoke (77, RD_CSTA_OP_ESCAPE, reply_bytes);

    g_assert_true (rd_csta_rose_decode (pdu, &rose, &error));
    g_assert_cmpint (rose.opcode, ==, RD_CSTA_OP_ESCAPE);
    decoded = rd_csta_discovery_decode_reply (rose.argument, &error);
    rd_csta_rose_clear (&rose);
  }
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (decoded->cross_ref, xref));
  g_assert_cmpint (decoded->segment, ==, 3);
  g_assert_true (decoded->last);
  g_assert_cmpuint (decoded->devices->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      RdCstaDiscoveredDevice *a = &g_array_index (reply->devices, RdCstaDiscoveredDevice, i);
      RdCstaDiscoveredDevice *b = &g_array_index (decoded->devices, RdCstaDiscoveredDevice, i);

      g_assert_true (rd_csta_device_equal (&a->device, &b->device));
      g_assert_cmpstr (a->number, ==, b->number);
      g_assert_cmpint (a->status, ==, b->status);
    }
  {
    RdCstaDiscoveredDevice *first = &g_array_index (decoded->devices, RdCstaDiscoveredDevice, 0);
    g_autofree char *name = rd_csta_device_to_string (&first->device);

    /* §2.5: 0x0111xxxx is an extension, index in the low 16 bits */
    g_assert_cmpint (first->device.device_number, ==, 0x01110005);
    g_assert_cmpint (rd_csta_device_number_get_type (first->device.device_number), ==,
                     RD_CSTA_DEVICE_TYPE_EXTENSION);
    g_assert_cmpstr (name, ==, "EXT5");
  }

  /* a discovery reply is not a request, and vice versa */
  g_assert_false (rd_csta_discovery_decode_request (reply_bytes, &category, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_clear_error (&error);

  assert_truncations_fail (reply_bytes, decode_discovery_reply);
  rd_csta_device_clear (&device);
}

/* ---- monitorStart, makeCall --------------------------------------------- */

static void
test_monitor_start (void)
{
  RdCstaDevice device = { 0, };
  RdCstaDevice decoded = { 0, };
  g_autoptr(GBytes) argument = NULL;
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GBytes) xref = hex ("00 00 01 07");
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) kxtde_result = hex ("30 03 55 01 07");   /* kxtde.asn's INTEGER form */
  g_autoptr(GError) error = NULL;

  rd_csta_device_set_dialing (&device, "101");
  argument = rd_csta_monitor_start_encode_argument (&device);
  assert_bytes (argument, "30 07 30 05 80 03 31 30 31");
  g_assert_true (rd_csta_monitor_start_decode_argument (argument, &decoded, &error));
  g_assert_true (rd_csta_device_equal (&device, &decoded));

  rd_csta_device_set_device_number (&device, 0x01310002);
  g_clear_pointer (&argument, g_bytes_unref);
  argument = rd_csta_monitor_start_encode_argument (&device);
  g_assert_true (rd_csta_monitor_start_decode_argument (argument, &decoded, &error));
  g_assert_true (rd_csta_device_equal (&device, &decoded));

  result = rd_csta_monitor_start_encode_result (xref);
  got = rd_csta_monitor_start_decode_result (result, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, xref));
  g_clear_pointer (&got, g_bytes_unref);
  got = rd_csta_monitor_start_decode_result (kxtde_result, &error);
  assert_bytes (got, "07");

  rd_csta_device_clear (&device);
  rd_csta_device_clear (&decoded);
}

static void
test_make_call (void)
{
  RdCstaDevice calling = { 0, };
  RdCstaDevice got_calling = { 0, };
  RdCstaDevice got_called = { 0, };
  RdCstaConnection connection = { NULL, };
  RdCstaConnection got = { NULL, };
  g_autoptr(GBytes) argument = NULL;
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;

  rd_csta_device_set_dialing (&calling, "101");
  argument = rd_csta_make_call_encode_argument (&calling, "0612345678");
  g_assert_true (rd_csta_make_call_decode_argument (argument, &got_calling, &got_called, &error));
  g_assert_no_error (error);
  g_assert_true (rd_csta_device_equal (&calling, &got_calling));
  g_assert_cmpint (got_called.kind, ==, RD_CSTA_DEVICE_DIALING_NUMBER);
  g_assert_cmpstr (got_called.number, ==, "0612345678");

  connection.call_id = g_strdup ("0a1b");
  rd_csta_device_set_dialing (&connection.device, "101");
  result = rd_csta_make_call_encode_result (&connection);
  assert_bytes (result, "30 11 6B 0F 30 0D 80 02 0A 1B A1 07 30 05 80 03 31 30 31");
  g_assert_true (rd_csta_make_call_decode_result (result, &got, &error));
  g_assert_cmpstr (got.call_id, ==, "0a1b");
  g_assert_true (rd_csta_device_equal (&got.device, &connection.device));

  rd_csta_device_clear (&calling);
  rd_csta_device_clear (&got_calling);
  rd_csta_device_clear (&got_called);
  rd_csta_connection_clear (&connection);
  rd_csta_connection_clear (&got);
}

/* ---- events ------------------------------------------------------------ */

static const RdCstaEventType event_types[] = {
  RD_CSTA_EVENT_DELIVERED, RD_CSTA_EVENT_ESTABLISHED, RD_CSTA_EVENT_CONNECTION_CLEARED,
  RD_CSTA_EVENT_HELD, RD_CSTA_EVENT_RETRIEVED, RD_CSTA_EVENT_TRANSFERRED,
  RD_CSTA_EVENT_DIVERTED, RD_CSTA_EVENT_ORIGINATED, RD_CSTA_EVENT_SERVICE_INITIATED,
  RD_CSTA_EVENT_FAILED, RD_CSTA_EVENT_QUEUED, RD_CSTA_EVENT_CONFERENCED,
  RD_CSTA_EVENT_NETWORK_REACHED,
};

static gboolean
decode_event (GBytes  *bytes,
              GError **error)
{
  RdCstaEvent *event = rd_csta_event_decode (bytes, error);

  rd_csta_event_free (event);
  return event != NULL;
}

static void
assert_device (const RdCstaDevice *device,
               RdCstaDeviceKind    kind,
               const char         *number)
{
  g_assert_cmpint (device->kind, ==, kind);
  g_assert_cmpstr (device->number, ==, number);
}

static RdCstaEvent *
sample_event (RdCstaEventType type)
{
  RdCstaEvent *event = rd_csta_event_new (type);

  event->cross_ref = g_bytes_new ("\x00\x07", 2);
  event->connection.call_id = g_strdup ("0123");
  rd_csta_device_set_dialing (&event->connection.device, "101");
  if (type == RD_CSTA_EVENT_ORIGINATED)
    rd_csta_device_set_dialing (&event->calling, "101");
  else
    rd_csta_device_set_dialing (&event->device, "101");
  event->cause = 22;   /* newCall */
  event->local_state = 2;

  switch (type)
    {
    case RD_CSTA_EVENT_DELIVERED:
    case RD_CSTA_EVENT_ESTABLISHED:
    case RD_CSTA_EVENT_FAILED:
    case RD_CSTA_EVENT_QUEUED:
    case RD_CSTA_EVENT_NETWORK_REACHED:
    case RD_CSTA_EVENT_DIVERTED:
      rd_csta_device_set_dialing (&event->calling, "0612345678");
      rd_csta_device_set_dialing (&event->called, "911234567");
      event->last_redirection.kind = RD_CSTA_DEVICE_NOT_REQUIRED;
      rd_csta_device_set_device_number (&event->associated_calling, 0x01310001);
      if (type == RD_CSTA_EVENT_DELIVERED)
        rd_csta_device_set_dialing (&event->priv.ddi, "0211");
      if (type == RD_CSTA_EVENT_QUEUED)
        event->calls_in_front = 4;
      if (type == RD_CSTA_EVENT_DIVERTED)
        rd_csta_device_set_dialing (&event->other_device, "102");
      break;
    case RD_CSTA_EVENT_HELD:
      event->priv.hold_type = 1;
      break;
    case RD_CSTA_EVENT_ORIGINATED:
      rd_csta_device_set_dialing (&event->called, "0612345678");
      break;
    case RD_CSTA_EVENT_TRANSFERRED:
    case RD_CSTA_EVENT_CONFERENCED:
      {
        RdCstaConnection c = { NULL, };

        event->secondary.call_id = g_strdup ("0124");
        rd_csta_device_set_dialing (&event->secondary.device, "101");
        rd_csta_device_set_dialing (&event->other_device, "103");
        c.call_id = g_strdup ("0125");
        rd_csta_device_set_dialing (&c.device, "103");
        g_array_append_val (event->connections, c);
      }
      break;
    case RD_CSTA_EVENT_CONNECTION_CLEARED:
    case RD_CSTA_EVENT_RETRIEVED:
    case RD_CSTA_EVENT_SERVICE_INITIATED:
    case RD_CSTA_EVENT_UNKNOWN:
    default:
      break;
    }
  return event;
}

static void
test_events (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    {
      g_autoptr(RdCstaEvent) event = sample_event (event_types[i]);
      g_autoptr(RdCstaEvent) got = NULL;
      g_autoptr(GBytes) argument = rd_csta_event_encode (event);
      g_autoptr(GBytes) pdu = rd_csta_rose_encode_invoke (12, RD_CSTA_OP_EVENT_REPORT, argument);
      g_autoptr(GError) error = NULL;
      RdCstaRose rose = { 0, };

      g_test_message ("event %s", rd_csta_event_type_to_string (event_types[i]));
      g_assert_true (rd_csta_rose_decode (pdu, &rose, &error));
      g_assert_cmpint (rose.opcode, ==, RD_CSTA_OP_EVENT_REPORT);
      got = rd_csta_event_decode (rose.argument, &error);
      rd_csta_rose_clear (&rose);
      g_assert_no_error (error);

      g_assert_cmpint (got->type, ==, event->type);
      g_assert_true (g_bytes_equal (got->cross_ref, event->cross_ref));
      g_assert_cmpstr (got->connection.call_id, ==, "0123");
      assert_device (&got->connection.device, RD_CSTA_DEVICE_DIALING_NUMBER, "101");
      assert_device (&got->device, RD_CSTA_DEVICE_DIALING_NUMBER, "101");
      g_assert_cmpint (got->cause, ==, 22);
      g_assert_cmpint (got->local_state, ==, 2);
      g_assert_true (rd_csta_device_equal (&got->calling, &event->calling));
      g_assert_true (rd_csta_device_equal (&got->called, &event->called));
      g_assert_true (rd_csta_device_equal (&got->last_redirection, &event->last_redirection));
      g_assert_true (rd_csta_device_equal (&got->associated_calling, &event->associated_calling));
      g_assert_true (rd_csta_device_equal (&got->other_device, &event->other_device));
      g_assert_true (rd_csta_device_equal (&got->priv.ddi, &event->priv.ddi));
      g_assert_cmpint (got->priv.hold_type, ==, event->priv.hold_type);
      g_assert_cmpint (got->calls_in_front, ==, event->calls_in_front);
      g_assert_cmpstr (got->secondary.call_id, ==, event->secondary.call_id);
      g_assert_cmpuint (got->connections->len, ==, event->connections->len);
      if (got->connections->len > 0)
        {
          RdCstaConnection *c = &g_array_index (got->connections, RdCstaConnection, 0);

          g_assert_cmpstr (c->call_id, ==, "0125");
          assert_device (&c->device, RD_CSTA_DEVICE_DIALING_NUMBER, "103");
        }

      assert_truncations_fail (argument, decode_event);
    }
}

static void
test_event_specifics (void)
{
  /* Delivered with the DDI in Panasonic private data (§2.7: didNo [17]) */
  g_autoptr(RdCstaEvent) delivered = sample_event (RD_CSTA_EVENT_DELIVERED);
  g_autoptr(GBytes) bytes = rd_csta_event_encode (delivered);
  g_autoptr(GBytes) private_data = hex ("7E 0E A1 0C A6 0A B1 08 30 06 80 04 30 32 31 31");
  /* a physical-device event (ringerStatus [3][8]) is not an error */
  g_autoptr(GBytes) ringer = hex ("30 0E 55 01 07 A3 09 A8 07 63 05 30 03 80 01 31");
  /* the Delivered tag but primitive */
  g_autoptr(GBytes) bad = hex ("30 07 55 01 07 A0 02 84 00");
  g_autoptr(RdCstaEvent) other = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (memmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            g_bytes_get_data (private_data, NULL), g_bytes_get_size (private_data)));

  other = rd_csta_event_decode (ringer, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other->type, ==, RD_CSTA_EVENT_UNKNOWN);
  g_assert_cmpuint (other->category, ==, 3);
  g_assert_cmpuint (other->tag, ==, 8);
  g_clear_pointer (&other, rd_csta_event_free);

  other = rd_csta_event_decode (bad, &error);
  g_assert_null (other);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
}

/* ---- CDR --------------------------------------------------------------- */

static gboolean
decode_cdr (GBytes  *bytes,
            GError **error)
{
  RdCstaCdrReport *report = rd_csta_cdr_report_decode (bytes, error);

  rd_csta_cdr_report_free (report);
  return report != NULL;
}

static void
test_cdr (void)
{
  g_autoptr(GBytes) start = rd_csta_cdr_start_encode_argument (0);
  g_autoptr(GBytes) xref = hex ("00 01");
  g_autoptr(GBytes) start_result = rd_csta_cdr_start_encode_result (xref);
  g_autoptr(GBytes) got_xref = NULL;
  g_autoptr(RdCstaCdrReport) report = rd_csta_cdr_report_new ();
  g_autoptr(RdCstaCdrReport) got = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) local_time = hex ("30 17 04 00 02 01 01 30 10 30 0E 18 0C"
                                      " 32 30 32 34 30 35 30 36 30 37 30 38");
  g_autoptr(GError) error = NULL;
  RdCstaCdrRecord *record = rd_csta_cdr_record_new ();
  RdCstaCdrRecord *r;
  gint mode = -1;

  g_assert_true (rd_csta_cdr_start_decode_argument (start, &mode, &error));
  g_assert_cmpint (mode, ==, 0);
  got_xref = rd_csta_cdr_start_decode_result (start_result, &error);
  g_assert_true (g_bytes_equal (got_xref, xref));

  report->cross_ref = g_bytes_ref (xref);
  report->last_stored = TRUE;
  report->condition_code = 1;   /* tr: transfer */
  record->record_number = 1;
  record->created = g_date_time_new_utc (2024, 5, 6, 7, 8, 9);
  record->start = g_date_time_new_utc (2024, 5, 6, 7, 0, 0);
  record->end = g_date_time_new_utc (2024, 5, 6, 7, 8, 0);
  record->duration = 4800;
  rd_csta_device_set_dialing (&record->calling, "101");
  rd_csta_device_set_dialing (&record->called, "0612345678");
  rd_csta_device_set_device_number (&record->associated_called, 0x01310001);
  record->access_code = g_strdup ("0");
  record->reason = 0;
  record->account = g_strdup ("4711");
  g_ptr_array_add (report->records, record);

  bytes = rd_csta_cdr_report_encode (report);
  got = rd_csta_cdr_report_decode (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got->cross_ref, xref));
  g_assert_cmpint (got->n_records_sent, ==, 1);
  g_assert_cmpint (got->last_stored, ==, TRUE);
  g_assert_cmpint (got->condition_code, ==, 1);
  g_assert_cmpuint (got->records->len, ==, 1);
  r = g_ptr_array_index (got->records, 0);
  g_assert_cmpint (r->record_number, ==, 1);
  g_assert_true (g_date_time_equal (r->created, record->created));
  g_assert_true (g_date_time_equal (r->start, record->start));
  g_assert_true (g_date_time_equal (r->end, record->end));
  g_assert_cmpint (r->duration, ==, 4800);
  g_assert_true (rd_csta_device_equal (&r->calling, &record->calling));
  g_assert_true (rd_csta_device_equal (&r->called, &record->called));
  g_assert_true (rd_csta_device_equal (&r->associated_called, &record->associated_called));
  g_assert_cmpstr (r->access_code, ==, "0");
  g_assert_cmpint (r->reason, ==, 0);
  g_assert_cmpstr (r->account, ==, "4711");
  assert_truncations_fail (bytes, decode_cdr);

  /* a PBX time without suffix is the PBX's (here: our) local time */
  g_clear_pointer (&got, rd_csta_cdr_report_free);
  got = rd_csta_cdr_report_decode (local_time, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) expected = g_date_time_new_local (2024, 5, 6, 7, 8, 0);

    r = g_ptr_array_index (got->records, 0);
    g_assert_true (g_date_time_equal (r->created, expected));
  }

  answer = rd_csta_cdr_report_encode_answer (5);
  assert_bytes (answer, "A2 0B 02 01 05 30 06 02 02 01 69 05 00");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csta/frame/chunkings", test_frame_chunkings);
  g_test_add_func ("/csta/frame/garbage", test_frame_garbage);
  g_test_add_func ("/csta/acse", test_acse);
  g_test_add_func ("/csta/rose", test_rose);
  g_test_add_func ("/csta/system-status", test_system_status);
  g_test_add_func ("/csta/discovery", test_discovery);
  g_test_add_func ("/csta/monitor-start", test_monitor_start);
  g_test_add_func ("/csta/make-call", test_make_call);
  g_test_add_func ("/csta/events", test_events);
  g_test_add_func ("/csta/event-specifics", test_event_specifics);
  g_test_add_func ("/csta/cdr", test_cdr);

  return g_test_run ();
}
