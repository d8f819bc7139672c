/* rd-csta-services.h: deflectCall, snapshotDevice, errors and call ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-csta-device.h"

G_BEGIN_DECLS

/* Operation codes of ECMA-285 not in RdCstaOperation (rd-csta-rose.h). */
#define RD_CSTA_OP_SNAPSHOT_DEVICE 74
#define RD_CSTA_OP_DEFLECT_CALL    218

/* The one ROSE error code CSTA uses: universalFailure (local 1). */
#define RD_CSTA_ERROR_UNIVERSAL_FAILURE 1

/* UniversalFailure operationErrors [0] values Ringdesk sends. */
typedef enum
{
  RD_CSTA_OPERATION_ERROR_GENERIC            = 1,
  RD_CSTA_OPERATION_ERROR_INVALID_CALLING    = 5,
  RD_CSTA_OPERATION_ERROR_INVALID_CONNECTION = 13,
} RdCstaOperationError;

/* deflectCall (218): SEQUENCE { callToBeDiverted ConnectionID, newDestination DeviceID } */
GBytes   *rd_csta_deflect_call_encode_argument    (const RdCstaConnection *call,
                                                   const RdCstaDevice     *new_destination);
gboolean  rd_csta_deflect_call_decode_argument    (GBytes                 *argument,
                                                   RdCstaConnection       *call,
                                                   RdCstaDevice           *new_destination,
                                                   GError                **error);

/* snapshotDevice (74): SEQUENCE { snapshotObject DeviceID } →
 * SEQUENCE { snapshotData [7] SEQUENCE OF SEQUENCE { ConnectionID, … } } */
GBytes   *rd_csta_snapshot_device_encode_argument (const RdCstaDevice     *device);
gboolean  rd_csta_snapshot_device_decode_argument (GBytes                 *argument,
                                                   RdCstaDevice           *device,
                                                   GError                **error);
GBytes   *rd_csta_snapshot_device_encode_result   (GArray                 *connections);
GArray   *rd_csta_snapshot_device_decode_result   (GBytes                 *result,
                                                   GError                **error);

/* The parameter of a universalFailure ReturnError, and a noData ReturnResult. */
GBytes   *rd_csta_universal_failure_encode        (RdCstaOperationError    operation_error);
GBytes   *rd_csta_encode_no_data_answer           (gint                    invoke_id,
                                                   gint                    opcode);

/* Call ids: the octets of a CSTA CallID (lower-case hex, as in
 * RdCstaConnection) against the decimal call id the rest of Ringdesk uses. */
char     *rd_csta_call_id_from_decimal            (const char             *decimal);
char     *rd_csta_call_id_to_decimal              (const char             *hex);

/* EventCause values against the short cause words of RdCtiEvent. */
gint        rd_csta_cause_from_string             (const char             *cause);
const char *rd_csta_cause_to_string               (gint                    cause);

G_END_DECLS
