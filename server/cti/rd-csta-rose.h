/* rd-csta-rose.h: the ROSE envelope of CSTA operations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Operation codes (protocol notes §2.9). */
typedef enum
{
  RD_CSTA_OP_ANSWER_CALL       = 2,
  RD_CSTA_OP_CLEAR_CONNECTION  = 5,
  RD_CSTA_OP_HOLD_CALL         = 9,
  RD_CSTA_OP_MAKE_CALL         = 10,
  RD_CSTA_OP_TRANSFER_CALL     = 16,
  RD_CSTA_OP_EVENT_REPORT      = 21,
  RD_CSTA_OP_ESCAPE            = 51,
  RD_CSTA_OP_LEGACY_STATUS     = 52,
  RD_CSTA_OP_MONITOR_START     = 71,
  RD_CSTA_OP_SYSTEM_STATUS     = 211,
  RD_CSTA_OP_BUTTON_PRESS      = 260,
  RD_CSTA_OP_CDR_REPORT        = 361,
  RD_CSTA_OP_START_CDR         = 363,
} RdCstaOperation;

typedef enum
{
  RD_CSTA_PDU_UNKNOWN,
  RD_CSTA_PDU_AARQ,           /* [APPLICATION 0] */
  RD_CSTA_PDU_AARE,           /* [APPLICATION 1] */
  RD_CSTA_PDU_RLRQ,           /* [APPLICATION 2] */
  RD_CSTA_PDU_RLRE,           /* [APPLICATION 3] */
  RD_CSTA_PDU_ABRT,           /* [APPLICATION 4] */
  RD_CSTA_PDU_INVOKE,         /* [1] */
  RD_CSTA_PDU_RETURN_RESULT,  /* [2] */
  RD_CSTA_PDU_RETURN_ERROR,   /* [3] */
  RD_CSTA_PDU_REJECT,         /* [4] */
} RdCstaPduKind;

/* The id ROSE uses for "no invoke id" in a Reject. */
#define RD_CSTA_NO_INVOKE_ID (-1)
#define RD_CSTA_INVOKE_ID_MAX 32767

typedef struct
{
  RdCstaPduKind  kind;
  gint           invoke_id;       /* RD_CSTA_NO_INVOKE_ID when absent */
  gint           opcode;          /* invoke and result; -1 when absent */
  gint           error_code;      /* ReturnError; -1 otherwise */
  guint          problem_type;    /* Reject: general 0, invoke 1, result 2, error 3 */
  gint           problem;         /* Reject */
  GBytes        *argument;        /* the argument, result or error parameter TLV; NULL if none */
} RdCstaRose;

RdCstaPduKind  rd_csta_pdu_get_kind             (GBytes      *pdu);
const char    *rd_csta_pdu_kind_to_string       (RdCstaPduKind kind);

gboolean       rd_csta_rose_decode              (GBytes      *pdu,
                                                 RdCstaRose  *rose,
                                                 GError     **error);
void           rd_csta_rose_clear               (RdCstaRose  *rose);

GBytes        *rd_csta_rose_encode_invoke       (gint         invoke_id,
                                                 gint         opcode,
                                                 GBytes      *argument);
GBytes        *rd_csta_rose_encode_result       (gint         invoke_id,
                                                 gint         opcode,
                                                 GBytes      *result);
GBytes        *rd_csta_rose_encode_error        (gint         invoke_id,
                                                 gint         error_code,
                                                 GBytes      *parameter);
GBytes        *rd_csta_rose_encode_reject       (gint         invoke_id,
                                                 guint        problem_type,
                                                 gint         problem);

gint           rd_csta_invoke_id_next           (gint        *counter);

G_END_DECLS
