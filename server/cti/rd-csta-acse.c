/* rd-csta-acse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AARQ [APPLICATION 0] and AARE [APPLICATION 1] as Panasonic PBXs use them
 * (protocol notes §2.3): protocol-version version1, application context
 * 1.3.12.0.218, and user-information carrying an EXTERNAL with
 * direct-reference 1.3.12.0.285.200 whose single-ASN1-type is
 * NewACSEUserInformationForCSTA { cSTAVersion [0] BIT STRING }. With the
 * default arguments the AARQ is byte-identical to the one the working clients
 * send. Login credentials (calling-authentication-value) are not written: their
 * exact form for Panasonic is unknown (§2.1, [U]).
 */

#define G_LOG_DOMAIN "RdCsta"

#include "config.h"

#include "rd-csta-acse.h"
#include "rd-csta-private.h"

void
rd_csta_association_clear (RdCstaAssociation *assoc)
{
  g_clear_pointer (&assoc->context_oid, g_free);
  assoc->result = RD_CSTA_AARE_ACCEPTED;
  assoc->source = RD_CSTA_AARE_SOURCE_NONE;
  assoc->diagnostic = 0;
  assoc->csta_versions = 0;
}

static void
write_common (RdBerWriter *writer,
              guint32      csta_versions,
              gboolean     aare,
              gint         result,
              gint         source,
              gint         diagnostic)
{
  static const guint8 version1[] = { 0x80 };
  guint8 versions[2];

  rd_ber_writer_add_bit_string (writer, RD_BER_CTX (0), 7, version1, 1);
  rd_ber_writer_begin (writer, RD_BER_CTX (1));
  rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), RD_CSTA_ACSE_CONTEXT_OID);
  rd_ber_writer_end (writer);

  if (aare)
    {
      rd_ber_writer_begin (writer, RD_BER_CTX (2));
      rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), result);
      rd_ber_writer_end (writer);
      rd_ber_writer_begin (writer, RD_BER_CTX (3));
      rd_ber_writer_begin (writer, RD_BER_CTX (source == RD_CSTA_AARE_SOURCE_PROVIDER ? 2 : 1));
      rd_ber_writer_add_integer (writer, RD_BER_UNIV (INTEGER), diagnostic);
      rd_ber_writer_end (writer);
      rd_ber_writer_end (writer);
    }

  if (csta_versions != 0)
    {
      /* bit n of the BIT STRING, first octet's top bit is bit 0 */
      versions[0] = 0;
      versions[1] = 0;
      for (guint bit = 0; bit < 16; bit++)
        if (csta_versions & (1u << bit))
          versions[bit / 8] |= 0x80 >> (bit % 8);

      rd_ber_writer_begin (writer, RD_BER_CTX (30));
      rd_ber_writer_begin (writer, RD_BER_UNIV (EXTERNAL));
      rd_ber_writer_add_oid (writer, RD_BER_UNIV (OID), RD_CSTA_ACSE_USER_INFO_OID);
      rd_ber_writer_begin (writer, RD_BER_CTX (0));
      rd_ber_writer_begin (writer, RD_BER_CTX (0));
      rd_ber_writer_add_bit_string (writer, RD_BER_UNIV (BIT_STRING), 0, versions, 2);
      rd_ber_writer_end (writer);
      rd_ber_writer_end (writer);
      rd_ber_writer_end (writer);
      rd_ber_writer_end (writer);
    }
}

/**
 * rd_csta_acse_encode_aarq:
 * @csta_versions: the versions offered, e.g. %RD_CSTA_VERSION_FIVE
 */
GBytes *
rd_csta_acse_encode_aarq (guint32 csta_versions)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_APP (0));
  write_common (writer, csta_versions, FALSE, 0, 0, 0);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

GBytes *
rd_csta_acse_encode_aare (RdCstaAareResult result,
                          RdCstaAareSource source,
                          gint             diagnostic,
                          guint32          csta_versions)
{
  g_autoptr(RdBerWriter) writer = rd_ber_writer_new ();

  rd_ber_writer_begin (writer, RD_BER_APP (1));
  write_common (writer, csta_versions, TRUE, result, source, diagnostic);
  rd_ber_writer_end (writer);
  return rd_ber_writer_finish (writer);
}

static gboolean
read_explicit_oid (RdBerReader     *reader,
                   const RdBerTlv  *tlv,
                   char           **oid,
                   GError         **error)
{
  RdBerReader inner;
  RdBerTlv value;

  if (!rd_ber_reader_descend (reader, tlv, &inner, error) ||
      !rd_ber_reader_expect (&inner, RD_BER_UNIV (OID), &value, error))
    return FALSE;
  g_free (*oid);
  *oid = rd_ber_tlv_dup_oid (&value, error);
  return *oid != NULL;
}

/* user-information [30]: SEQUENCE OF EXTERNAL; the CSTA one is picked by its
 * direct-reference, others are ignored. */
static gboolean
read_user_information (RdBerReader        *reader,
                       const RdBerTlv     *tlv,
                       RdCstaAssociation  *assoc,
                       GError            **error)
{
  RdBerReader list;

  if (!rd_ber_reader_descend (reader, tlv, &list, error))
    return FALSE;

  while (!rd_ber_reader_at_end (&list))
    {
      RdBerTlv external, ref, encoding, info, bits;
      RdBerReader ext, enc, inner;
      g_autofree char *oid = NULL;
      const guint8 *data;
      gsize size;
      guint unused;

      if (!rd_ber_reader_expect (&list, RD_BER_UNIV (EXTERNAL), &external, error) ||
          !rd_ber_reader_descend (&list, &external, &ext, error) ||
          !rd_ber_reader_read (&ext, &ref, error))
        return FALSE;
      if (!rd_ber_tlv_is (&ref, RD_BER_UNIV (OID)))
        continue;
      oid = rd_ber_tlv_dup_oid (&ref, error);
      if (oid == NULL)
        return FALSE;
      if (!g_str_equal (oid, RD_CSTA_ACSE_USER_INFO_OID))
        continue;

      if (!rd_ber_reader_expect (&ext, RD_BER_CTX (0), &encoding, error) ||
          !rd_ber_reader_descend (&ext, &encoding, &enc, error) ||
          !rd_ber_reader_expect (&enc, RD_BER_CTX (0), &info, error) ||
          !rd_ber_reader_descend (&enc, &info, &inner, error) ||
          !rd_ber_reader_expect (&inner, RD_BER_UNIV (BIT_STRING), &bits, error) ||
          !rd_ber_tlv_get_bit_string (&bits, &unused, &data, &size, error))
        return FALSE;

      assoc->csta_versions = 0;
      for (guint bit = 0; bit < 32 && bit / 8 < size; bit++)
        if (data[bit / 8] & (0x80 >> (bit % 8)))
          assoc->csta_versions |= 1u << bit;
    }
  return TRUE;
}

static gboolean
decode (GBytes             *pdu,
        guint32             app_tag,
        RdCstaAssociation  *assoc,
        GError            **error)
{
  RdBerReader contents;
  gboolean have_result = FALSE;

  rd_csta_association_clear (assoc);

  if (!rd_csta_open_one (pdu, RD_BER_APP (app_tag), &contents, error))
    goto failed;

  while (!rd_ber_reader_at_end (&contents))
    {
      RdBerTlv tlv;

      if (!rd_ber_reader_read (&contents, &tlv, error))
        goto failed;
      if (tlv.cls != RD_BER_CLASS_CONTEXT)
        continue;

      switch (tlv.tag)
        {
        case 1:
          if (!read_explicit_oid (&contents, &tlv, &assoc->context_oid, error))
            goto failed;
          break;
        case 2:
          {
            gint result;

            if (app_tag != 1)
              break;
            if (!rd_csta_read_explicit_int (&contents, &tlv, &result, error))
              goto failed;
            if (result < 0 || result > 2)
              {
                rd_csta_invalid (error, "AARE result %d is not defined", result);
                goto failed;
              }
            assoc->result = (RdCstaAareResult) result;
            have_result = TRUE;
          }
          break;
        case 3:
          {
            RdBerReader diag;
            RdBerTlv choice;

            if (app_tag != 1)
              break;
            if (!rd_ber_reader_descend (&contents, &tlv, &diag, error) ||
                !rd_ber_reader_read (&diag, &choice, error))
              goto failed;
            if (rd_ber_tlv_is (&choice, RD_BER_CTX (1)) || rd_ber_tlv_is (&choice, RD_BER_CTX (2)))
              {
                assoc->source = choice.tag == 1 ? RD_CSTA_AARE_SOURCE_USER
                                                : RD_CSTA_AARE_SOURCE_PROVIDER;
                if (!rd_csta_read_explicit_int (&diag, &choice, &assoc->diagnostic, error))
                  goto failed;
              }
          }
          break;
        case 30:
          if (!read_user_information (&contents, &tlv, assoc, error))
            goto failed;
          break;
        default:
          break;
        }
    }

  if (assoc->context_oid == NULL)
    {
      rd_csta_invalid (error, "no application-context-name");
      goto failed;
    }
  if (app_tag == 1 && !have_result)
    {
      rd_csta_invalid (error, "no result");
      goto failed;
    }
  return TRUE;

failed:
  g_prefix_error (error, app_tag == 0 ? "AARQ: " : "AARE: ");
  rd_csta_association_clear (assoc);
  return FALSE;
}

gboolean
rd_csta_acse_decode_aarq (GBytes             *pdu,
                          RdCstaAssociation  *assoc,
                          GError            **error)
{
  return decode (pdu, 0, assoc, error);
}

/**
 * rd_csta_acse_decode_aare:
 *
 * Decodes an AARE; a rejection is decoded (check @assoc->result), not an
 * error.
 */
gboolean
rd_csta_acse_decode_aare (GBytes             *pdu,
                          RdCstaAssociation  *assoc,
                          GError            **error)
{
  return decode (pdu, 1, assoc, error);
}
