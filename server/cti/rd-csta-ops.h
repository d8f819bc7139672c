/* rd-csta-ops.h: arguments and results of the CSTA operations Ringdesk uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function encodes or decodes the argument/result TLV that travels in a
 * ROSE envelope (rd-csta-rose.h); the *_encode_answer ones give a whole
 * ReturnResult PDU.
 */

#pragma once

#include "rd-csta-device.h"

G_BEGIN_DECLS

typedef enum
{
  RD_CSTA_SYSTEM_STATUS_INITIALIZING       = 0,
  RD_CSTA_SYSTEM_STATUS_ENABLED            = 1,
  RD_CSTA_SYSTEM_STATUS_NORMAL             = 2,
  RD_CSTA_SYSTEM_STATUS_MESSAGES_LOST      = 3,
  RD_CSTA_SYSTEM_STATUS_DISABLED           = 4,
  RD_CSTA_SYSTEM_STATUS_PARTIALLY_DISABLED = 5,
  RD_CSTA_SYSTEM_STATUS_OVERLOAD_IMMINENT  = 6,
  RD_CSTA_SYSTEM_STATUS_OVERLOAD_REACHED   = 7,
  RD_CSTA_SYSTEM_STATUS_OVERLOAD_RELIEVED  = 8,
} RdCstaSystemStatus;

/* DeviceCategory of the discovery request. */
typedef enum
{
  RD_CSTA_CATEGORY_NETWORK_INTERFACE = 2,  /* trunks (CO lines) */
  RD_CSTA_CATEGORY_STATION           = 5,  /* extensions */
} RdCstaCategory;

typedef struct
{
  RdCstaDevice  device;
  char         *number;    /* extension / CO / park number, or NULL */
  gint          status;    /* 0 in service, 1 out of service */
} RdCstaDiscoveredDevice;

typedef struct
{
  GBytes  *cross_ref;      /* matches the getSystemDataPosAck */
  gint     segment;
  gboolean last;
  GArray  *devices;        /* RdCstaDiscoveredDevice */
} RdCstaDiscoveryReply;

typedef struct
{
  gint          record_number;     /* -1 if absent */
  GDateTime    *created;
  RdCstaDevice  calling;
  RdCstaDevice  called;
  RdCstaDevice  associated_calling;
  RdCstaDevice  associated_called;
  RdCstaDevice  network_calling;
  RdCstaDevice  network_called;
  GDateTime    *start;
  GDateTime    *end;
  gint64        duration;          /* connectionDuration [7], -1 if absent */
  char         *access_code;
  gint          billing_id;        /* -1 if absent */
  gint          reason;            /* reasonForTerm, -1 if absent */
  char         *account;
} RdCstaCdrRecord;

typedef struct
{
  GBytes    *cross_ref;
  gint       n_records_sent;
  GPtrArray *records;              /* RdCstaCdrRecord */
  gint       last_stored;          /* BOOLEAN, -1 if absent */
  gint       condition_code;       /* Panasonic private, -1 if absent */
} RdCstaCdrReport;

/* systemStatus (211) */
GBytes   *rd_csta_system_status_encode_argument (RdCstaSystemStatus status);
gboolean  rd_csta_system_status_decode_argument (GBytes           *argument,
                                                 gint             *status,
                                                 GError          **error);
GBytes   *rd_csta_system_status_encode_answer   (gint              invoke_id);

/* escape (51) device discovery */
GBytes   *rd_csta_discovery_encode_request      (RdCstaCategory    category);
gboolean  rd_csta_discovery_decode_request      (GBytes           *argument,
                                                 gint             *category,
                                                 GError          **error);
GBytes   *rd_csta_discovery_encode_ack          (GBytes           *cross_ref);
GBytes   *rd_csta_discovery_decode_ack          (GBytes           *result,
                                                 GError          **error);
RdCstaDiscoveryReply *rd_csta_discovery_reply_new  (void);
void      rd_csta_discovery_reply_free          (RdCstaDiscoveryReply *reply);
void      rd_csta_discovery_reply_add           (RdCstaDiscoveryReply *reply,
                                                 const RdCstaDevice   *device,
                                                 const char           *number,
                                                 gint                  status);
GBytes   *rd_csta_discovery_encode_reply        (const RdCstaDiscoveryReply *reply);
RdCstaDiscoveryReply *rd_csta_discovery_decode_reply (GBytes      *argument,
                                                 GError          **error);

/* monitorStart (71) */
GBytes   *rd_csta_monitor_start_encode_argument (const RdCstaDevice *device);
gboolean  rd_csta_monitor_start_decode_argument (GBytes           *argument,
                                                 RdCstaDevice     *device,
                                                 GError          **error);
GBytes   *rd_csta_monitor_start_encode_result   (GBytes           *cross_ref);
GBytes   *rd_csta_monitor_start_decode_result   (GBytes           *result,
                                                 GError          **error);

/* makeCall (10) */
GBytes   *rd_csta_make_call_encode_argument     (const RdCstaDevice *calling,
                                                 const char       *called_number);
gboolean  rd_csta_make_call_decode_argument     (GBytes           *argument,
                                                 RdCstaDevice     *calling,
                                                 RdCstaDevice     *called,
                                                 GError          **error);
GBytes   *rd_csta_make_call_encode_result       (const RdCstaConnection *connection);
gboolean  rd_csta_make_call_decode_result       (GBytes           *result,
                                                 RdCstaConnection *connection,
                                                 GError          **error);

/* startCDRTransmission (363) and cDRReport (361) */
GBytes   *rd_csta_cdr_start_encode_argument     (gint              transfer_mode);
gboolean  rd_csta_cdr_start_decode_argument     (GBytes           *argument,
                                                 gint             *transfer_mode,
                                                 GError          **error);
GBytes   *rd_csta_cdr_start_encode_result       (GBytes           *cross_ref);
GBytes   *rd_csta_cdr_start_decode_result       (GBytes           *result,
                                                 GError          **error);
RdCstaCdrReport *rd_csta_cdr_report_new         (void);
void      rd_csta_cdr_report_free               (RdCstaCdrReport  *report);
RdCstaCdrRecord *rd_csta_cdr_record_new         (void);
void      rd_csta_cdr_record_free               (RdCstaCdrRecord  *record);
GBytes   *rd_csta_cdr_report_encode             (const RdCstaCdrReport *report);
RdCstaCdrReport *rd_csta_cdr_report_decode      (GBytes           *argument,
                                                 GError          **error);
GBytes   *rd_csta_cdr_report_encode_answer      (gint              invoke_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCstaDiscoveryReply, rd_csta_discovery_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCstaCdrReport, rd_csta_cdr_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdCstaCdrRecord, rd_csta_cdr_record_free)

G_END_DECLS
