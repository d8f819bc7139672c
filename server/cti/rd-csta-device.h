/* rd-csta-device.h: CSTA device and connection identifiers, Panasonic private data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-ber.h"

G_BEGIN_DECLS

typedef enum
{
  RD_CSTA_DEVICE_NONE,            /* absent */
  RD_CSTA_DEVICE_DIALING_NUMBER,  /* dialingNumber [0] IA5String */
  RD_CSTA_DEVICE_DEVICE_NUMBER,   /* deviceNumber [1] INTEGER (Panasonic internal) */
  RD_CSTA_DEVICE_OTHER,           /* other [6] and the forms Ringdesk does not model */
  RD_CSTA_DEVICE_NOT_KNOWN,       /* notKnown [7] */
  RD_CSTA_DEVICE_NOT_REQUIRED,    /* notRequired [8], redirection only */
  RD_CSTA_DEVICE_NOT_SPECIFIED,   /* notSpecified [9], redirection only */
} RdCstaDeviceKind;

typedef struct
{
  RdCstaDeviceKind kind;
  char            *number;         /* dialing number, or "other" as text */
  gint64           device_number;
} RdCstaDevice;

/* Panasonic deviceNumber: the high 16 bits say what it is, the low 16 the index
 * (protocol notes §2.5). */
typedef enum
{
  RD_CSTA_DEVICE_TYPE_UNKNOWN   = 0,
  RD_CSTA_DEVICE_TYPE_EXTENSION = 0x0111,
  RD_CSTA_DEVICE_TYPE_PS        = 0x0121,
  RD_CSTA_DEVICE_TYPE_CO        = 0x0131,
  RD_CSTA_DEVICE_TYPE_DISA      = 0x0155,
} RdCstaDeviceType;

typedef struct
{
  char         *call_id;   /* the CallID octets in lower-case hex, or NULL */
  RdCstaDevice  device;
} RdCstaConnection;

/* What Ringdesk reads from KmeSpecificPrivateData in CSTACommonArguments. */
typedef struct
{
  RdCstaDevice  ddi;              /* kmeAdditionalData.didNo [17] */
  RdCstaDevice  device;           /* kmeAdditionalData.device [6] */
  gint          hold_type;        /* kmeAdditionalData.holdType [9], -1 if absent */
  gint          condition_code;   /* kmeAdditionalData.conditionCode [10], -1 if absent */
  char         *call_id;          /* kmeAdditionalData.callID [13], hex */
  GBytes       *system_data_ack;  /* kmeSystemData.getSystemDataPosAck [4] */
} RdCstaPrivate;

void              rd_csta_device_clear             (RdCstaDevice       *device);
void              rd_csta_device_copy              (RdCstaDevice       *dest,
                                                    const RdCstaDevice *src);
void              rd_csta_device_set_dialing       (RdCstaDevice       *device,
                                                    const char         *number);
void              rd_csta_device_set_device_number (RdCstaDevice       *device,
                                                    gint64              device_number);
gboolean          rd_csta_device_equal             (const RdCstaDevice *a,
                                                    const RdCstaDevice *b);
char             *rd_csta_device_to_string         (const RdCstaDevice *device);
RdCstaDeviceType  rd_csta_device_number_get_type   (gint64              device_number);
guint             rd_csta_device_number_get_index  (gint64              device_number);
gint64            rd_csta_device_number_make       (RdCstaDeviceType    type,
                                                    guint               index);

gboolean          rd_csta_device_read              (RdBerReader        *parent,
                                                    const RdBerTlv     *tlv,
                                                    RdCstaDevice       *device,
                                                    GError            **error);
gboolean          rd_csta_device_read_choice       (RdBerReader        *parent,
                                                    const RdBerTlv     *tlv,
                                                    RdCstaDevice       *device,
                                                    GError            **error);
void              rd_csta_device_write             (RdBerWriter        *writer,
                                                    const RdCstaDevice *device);
void              rd_csta_device_write_choice      (RdBerWriter        *writer,
                                                    RdBerClass          cls,
                                                    guint32             tag,
                                                    const RdCstaDevice *device);

void              rd_csta_connection_clear         (RdCstaConnection   *connection);
void              rd_csta_connection_copy          (RdCstaConnection   *dest,
                                                    const RdCstaConnection *src);
gboolean          rd_csta_connection_read          (RdBerReader        *parent,
                                                    const RdBerTlv     *tlv,
                                                    RdCstaConnection   *connection,
                                                    GError            **error);
void              rd_csta_connection_write         (RdBerWriter        *writer,
                                                    RdBerClass          cls,
                                                    guint32             tag,
                                                    const RdCstaConnection *connection);

void              rd_csta_private_init             (RdCstaPrivate      *priv);
void              rd_csta_private_clear            (RdCstaPrivate      *priv);
gboolean          rd_csta_private_is_empty         (const RdCstaPrivate *priv);
gboolean          rd_csta_private_read             (RdBerReader        *parent,
                                                    const RdBerTlv     *tlv,
                                                    RdCstaPrivate      *priv,
                                                    GError            **error);
void              rd_csta_private_write            (RdBerWriter        *writer,
                                                    const RdCstaPrivate *priv);

G_END_DECLS
