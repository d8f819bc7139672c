/* rd-csta-acse.h: the ACSE association of a CSTA session (AARQ / AARE)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RD_CSTA_ACSE_CONTEXT_OID   "1.3.12.0.218"
#define RD_CSTA_ACSE_USER_INFO_OID "1.3.12.0.285.200"

/* cSTAVersion BIT STRING bits (bit n of the ASN.1 value is 1 << n here). */
#define RD_CSTA_VERSION_FIVE (1u << 4)

typedef enum
{
  RD_CSTA_AARE_ACCEPTED           = 0,
  RD_CSTA_AARE_REJECTED_PERMANENT = 1,
  RD_CSTA_AARE_REJECTED_TRANSIENT = 2,
} RdCstaAareResult;

typedef enum
{
  RD_CSTA_AARE_SOURCE_NONE     = 0,
  RD_CSTA_AARE_SOURCE_USER     = 1,  /* acse-service-user [1] */
  RD_CSTA_AARE_SOURCE_PROVIDER = 2,  /* acse-service-provider [2] */
} RdCstaAareSource;

typedef struct
{
  char             *context_oid;
  RdCstaAareResult  result;
  RdCstaAareSource  source;
  gint              diagnostic;
  guint32           csta_versions;   /* 0 if the PBX sent none */
} RdCstaAssociation;

void      rd_csta_association_clear (RdCstaAssociation  *assoc);

GBytes   *rd_csta_acse_encode_aarq  (guint32             csta_versions);
gboolean  rd_csta_acse_decode_aarq  (GBytes             *pdu,
                                     RdCstaAssociation  *assoc,
                                     GError            **error);
GBytes   *rd_csta_acse_encode_aare  (RdCstaAareResult    result,
                                     RdCstaAareSource    source,
                                     gint                diagnostic,
                                     guint32             csta_versions);
gboolean  rd_csta_acse_decode_aare  (GBytes             *pdu,
                                     RdCstaAssociation  *assoc,
                                     GError            **error);

G_END_DECLS
