/* rd-csta-rose.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ROSE (X.880) as CSTA uses it (protocol notes §2.9, kxtde.asn):
 *   Invoke [1] { invokeID INTEGER, linkedID [0] INTEGER?, opcode INTEGER, argument? }
 *   ReturnResult [2] { invokeID, SEQUENCE { opcode, result }? }
 *   ReturnError [3] { invokeID, errcode INTEGER, parameter? }
 *   Reject [4] { invokeID INTEGER | NULL, problem [0..3] INTEGER }
 * Only local (INTEGER) operation and error codes exist in CSTA. The argument
 * is handed out as a slice of the frame, for the operation's own decoder.
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include "rd-csta-private.h"
#include "rd-csta-rose.h"

RdCstaPduKind
rd_csta_pdu_get_kind (GBytes *pdu)
{
  gsize size = 0;
  const guint8 *data = pdu != NULL ? g_bytes_get_data (pdu, &size) : NULL;

  if (size == 0)
    return RD_CSTA_PDU_UNKNOWN;

  switch (data[0])
    {
    case 0x60:
      return RD_CSTA_PDU_AARQ;
    case 0x61:
      return RD_CSTA_PDU_AARE;
    case 0x62:
      return RD_CSTA_PDU_RLRQ;
    case 0x63:
      return RD_CSTA_PDU_RLRE;
    case 0x64:
      return RD_CSTA_PDU_ABRT;
    case 0xa1:
      return RD_CSTA_PDU_INVOKE;
    case 0xa2:
      return RD_CSTA_PDU_RETURN_RESULT;
    case 0xa3:
      return RD_CSTA_PDU_RETURN_ERROR;
    case 0xa4:
      return RD_CSTA_PDU_REJECT;
    default:
      return RD_CSTA_PDU_UNKNOWN;
    }
}

const char *
rd_csta_pdu_kind_to_string (RdCstaPduKind kind)
{
  switch (kind)
    {
    case RD_CSTA_PDU_AARQ:
      return "AARQ";
    case RD_CSTA_PDU_AARE:
      return "AARE";
    case RD_CSTA_PDU_RLRQ:
      return "RLRQ";
    case RD_CSTA_PDU_RLRE:
      return "RLRE";
    case RD_CSTA_PDU_ABRT:
      return "ABRT";
    case RD_CSTA_PDU_INVOKE:
      return "invoke";
    case RD_CSTA_PDU_RETURN_RESULT:
      return "returnResult";
    case RD_CSTA_PDU_RETURN_ERROR:
      return "returnError";
    case RD_CSTA_PDU_REJECT:
      return "reject";
    case RD_CSTA_PDU_UNKNOWN:
    default:
      return "unknown";
    }
}

void
rd_csta_rose_clear (RdCstaRose *rose)
{
  g_clear_pointer (&rose->argument, g_bytes_unref);
  rose->kind = RD_CSTA_PDU_UNKNOWN;
  rose->invoke_id = RD_CSTA_NO_INVOKE_ID;
  rose->opcode = -1;
  rose->error_code = -1;
  rose->problem_type = 0;
  rose->problem = 0;
}

static gboolean
read_optional_argument (GBytes       *pdu,
                        RdBerReader  *contents,
                        RdCstaRose   *rose,
                        GError      **error)
{
  RdBerTlv tlv;

  if (rd_ber_reader_at_end (contents))
    return TRUE;
  if (!rd_ber_reader_read (contents, &tlv, error))
    return FALSE;
  rose->argument = rd_csta_slice (pdu, &tlv);
  return rd_ber_reader_expect_end (contents, error);
}

/**
 * rd_csta_rose_decode:
 *
 * Decodes a ROSE PDU (not ACSE ones: check rd_csta_pdu_get_kind() first).
 */
gboolean
rd_csta_rose_decode (GBytes      *pdu,
                     RdCstaRose  *rose,
                     GError     **error)
{
  RdBerReader top, contents;
  RdBerTlv envelope, tlv;

  rose->argument = NULL;
  rd_csta_rose_clear (rose);

  if (!rd_csta_open (pdu, &top, error) ||
      !rd_ber_reader_read (&top, &envelope, error) ||
      !rd_ber_reader_expect_end (&top, error))
    goto failed;

  if (envelope.cls != RD_BER_CLASS_CONTEXT || !envelope.constructed ||
      envelope.tag < 1 || envelope.tag > 4)
    {
      g_autofree char *found = rd_ber_tlv_describe (&envelope);

      rd_csta_invalid (error, "%s is not a ROSE PDU", found);
      goto failed;
    }
  if (!rd_ber_reader_descend (&top, &envelope, &contents, error))
    goto failed;

  rose->kind = RD_CSTA_PDU_INVOKE + (envelope.tag - 1);

  switch (rose->kind)
    {
    case RD_CSTA_PDU_INVOKE:
      if (!rd_csta_read_int (&contents, RD_BER_UNIV (INTEGER), &rose->invoke_id, error) ||
          !rd_ber_reader_read (&contents, &tlv, error))
        goto failed;
      if (rd_ber_tlv_is (&tlv, RD_BER_CTX (0)) && !rd_ber_reader_read (&contents, &tlv, error))
        goto failed;   /* linkedID, unused by CSTA */
      if (!rd_ber_tlv_is (&tlv, RD_BER_UNIV (INTEGER)))
        {
          rd_csta_invalid (error, "invoke: the operation code must be a local INTEGER");
          goto failed;
        }
      if (!rd_ber_tlv_get_int (&tlv, &rose->opcode, error) ||
          !read_optional_argument (pdu, &contents, rose, error))
        goto failed;
      break;

    case RD_CSTA_PDU_RETURN_RESULT:
      if (!rd_csta_read_int (&contents, RD_BER_UNIV (INTEGER), &rose->invoke_id, error))
        goto failed;
      if (!rd_ber_reader_at_end (&contents))
        {
          RdBerReader result;

          if (!rd_csta_enter (&contents, RD_BER_UNIV (SEQUENCE), &result, error) ||
              !rd_csta_read_int (&result, RD_BER_UNIV (INTEGER), &rose->opcode, error) ||
              !read_optional_argument (pdu, &result, rose, error) ||
              !rd_ber_reader_expect_end (&contents, error))
            goto failed;
        }
      break;

    case RD_CSTA_PDU_RETURN_ERROR:
      if (!rd_csta_read_int (&contents, RD_BER_UNIV (INTEGER), &rose->invoke_id, error) ||
          !rd_csta_read_int (&contents, RD_BER_UNIV (INTEGER), &rose->error_code, error) ||
          !read_optional_argument (pdu, &contents, rose, error))
        goto failed;
      break;

    case RD_CSTA_PDU_REJECT:
      if (!rd_ber_reader_read (&contents, &tlv, error))
        goto failed;
      if (rd_ber_tlv_is (&tlv, RD_BER_UNIV (NULL)))
        {
          if (!rd_ber_tlv_get_null (&tlv, error))
            goto failed;
        }
      else if (!rd_ber_tlv_is (&tlv, RD_BER_UNIV (INTEGER)) ||
               !rd_ber_tlv_get_int (&tlv, &rose->invoke_id, error))
        {
          if (error == NULL || *error == NULL)
            rd_csta_invalid (error, "reject: invoke id expected");
          goto failed;
        }
      if (!rd_ber_reader_read (&contents, &tlv, error))
        goto failed;
      if (tlv.cls != RD_BER_CLASS_CONTEXT || tlv.tag > 3)
        {
          rd_csta_invalid (error, "reject: unknown problem type");
          goto failed;
        }
      rose->problem_type = tlv.tag;
      if (!rd_ber_tlv_get_int (&tlv, &rose->problem, error) ||
          !rd_ber_reader_expect_end (&contents, error))
        goto failed;
      break;

    case RD_CSTA_PDU_UNKNOWN:
    case RD_CSTA_PDU_AARQ:
    case RD_CSTA_PDU_AARE:
    case RD_CSTA_PDU_RLRQ:
    case RD_CSTA_PDU_RLRE:
    case RD_CSTA_PDU_ABRT:
    default:
      g_assert_not_reached ();
    }

  return TRUE;

failed:
  g_prefix_error (error, "ROSE: ");
  rd_csta_rose_clear (rose);
  return FALSE;
}

static void
add_bytes (RdBerWriter *writer,
           GBytes      *bytes)
{
  if (bytes != NULL)
    rd_ber_writer_add_encoded (writer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/**
 * rd_csta_rose_encode_invoke:
 * @argument: (nullable): the encoded argument TLV
 */
GBytes *
rd_csta_rose_encode_invoke (gint    invoke_id,
                            gint    opcode,
                            GBytes *argument)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_CTX (1));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), invoke_id);
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), opcode);
  add_bytes (writer, argument);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

/**
 * rd_csta_rose_encode_result:
 * @opcode: the operation, or -1 for a result without the SEQUENCE
 * @result: (nullable): the encoded result TLV
 */
GBytes *
rd_csta_rose_encode_result (gint    invoke_id,
                            gint    opcode,
                            GBytes *result)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_CTX (2));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), invoke_id);
  if (opcode >= 0)
    {
      rd_ber_writer_begin (writer, RD_BER_UNIV (SEQUENCE));
      rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), opcode);
      add_bytes (writer, result);
      rd_ber_writer_end (writer);
    }
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

GBytes *
rd_csta_rose_encode_error (gint    invoke_id,
                           gint    error_code,
                           GBytes *parameter)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_CTX (3));
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), invoke_id);
  rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), error_code);
  add_bytes (writer, parameter);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

GBytes *
rd_csta_rose_encode_reject (gint  invoke_id,
                            guint problem_type,
                            gint  problem)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  g_return_val_if_fail (problem_type <= 3, NULL);

  rd_ber_writer_begin (writer, RD_BER_CTX (4));
  if (invoke_id == RD_CSTA_NO_INVOKE_ID)
    rd_ber_writer_add_null (writer, RD_BER_UNIV (NULL));
  else
    rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), invoke_id);
  rd_ber_writer_add_integer (writer, RD_BER_CTX (problem_type), problem);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

/* Next invoke id from @counter: 1 … 32767, then 1 again (as LinTcMon). */
gint
rd_csta_invoke_id_next (gint *counter)
{
  if (*counter < 1 || *counter >= RD_CSTA_INVOKE_ID_MAX)
    *counter = 1;
  else
    (*counter)++;
  return *counter;
}
