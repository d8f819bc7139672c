/* rd-csta-private.h: helpers shared by the CSTA codecs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-ber.h"
#include "rd-error.h"

G_BEGIN_DECLS

/* A CSTA PDU fits in one frame: a 2-octet length. */
#define RD_CSTA_MAX_PDU_SIZE 65535

gboolean  rd_csta_open          (GBytes          *bytes,
                                 RdBerReader     *reader,
                                 GError         **error);
gboolean  rd_csta_open_one      (GBytes          *bytes,
                                 RdBerClass       cls,
                                 guint32          tag,
                                 RdBerReader     *contents,
                                 GError         **error);
gboolean  rd_csta_enter         (RdBerReader     *reader,
                                 RdBerClass       cls,
                                 guint32          tag,
                                 RdBerReader     *contents,
                                 GError         **error);
gboolean  rd_csta_enter_tlv     (RdBerReader     *reader,
                                 const RdBerTlv  *tlv,
                                 RdBerReader     *contents,
                                 GError         **error);
gboolean  rd_csta_read_int      (RdBerReader     *reader,
                                 RdBerClass       cls,
                                 guint32          tag,
                                 gint            *value,
                                 GError         **error);
gboolean  rd_csta_read_explicit_int (RdBerReader *reader,
                                 const RdBerTlv  *tlv,
                                 gint            *value,
                                 GError         **error);
GBytes   *rd_csta_slice         (GBytes          *owner,
                                 const RdBerTlv  *tlv);
GBytes   *rd_csta_contents      (GBytes          *owner,
                                 const RdBerTlv  *tlv);
char     *rd_csta_hex           (const guint8    *data,
                                 gsize            size);
GBytes   *rd_csta_unhex         (const char      *text);
gboolean  rd_csta_invalid       (GError         **error,
                                 const char      *format,
                                 ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
