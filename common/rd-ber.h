/* rd-ber.h: a small ASN.1 BER reader and writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Default limits of a reader (see RdBerLimits). */
#define RD_BER_DEFAULT_MAX_DEPTH      32
#define RD_BER_DEFAULT_MAX_LENGTH     (1024 * 1024)
#define RD_BER_DEFAULT_MAX_TOTAL_SIZE (1024 * 1024)

typedef enum
{
  RD_BER_CLASS_UNIVERSAL   = 0,
  RD_BER_CLASS_APPLICATION = 1,
  RD_BER_CLASS_CONTEXT     = 2,
  RD_BER_CLASS_PRIVATE     = 3,
} RdBerClass;

/* Universal tag numbers used by Ringdesk. */
typedef enum
{
  RD_BER_TAG_EOC               = 0,
  RD_BER_TAG_BOOLEAN           = 1,
  RD_BER_TAG_INTEGER           = 2,
  RD_BER_TAG_BIT_STRING        = 3,
  RD_BER_TAG_OCTET_STRING      = 4,
  RD_BER_TAG_NULL              = 5,
  RD_BER_TAG_OID               = 6,
  RD_BER_TAG_EXTERNAL          = 8,
  RD_BER_TAG_ENUMERATED        = 10,
  RD_BER_TAG_UTF8_STRING       = 12,
  RD_BER_TAG_SEQUENCE          = 16,
  RD_BER_TAG_SET               = 17,
  RD_BER_TAG_IA5_STRING        = 22,
  RD_BER_TAG_GENERALIZED_TIME  = 24,
  RD_BER_TAG_VISIBLE_STRING    = 26,
} RdBerTag;

/* Shorthands for the (class, tag) pairs every call takes:
 * rd_ber_writer_add_integer (w, RD_BER_UNIV (INTEGER), 5),
 * rd_ber_tlv_is (&tlv, RD_BER_CTX (0)). */
#define RD_BER_UNIV(name) RD_BER_CLASS_UNIVERSAL, RD_BER_TAG_##name
#define RD_BER_APP(n)     RD_BER_CLASS_APPLICATION, (n)
#define RD_BER_CTX(n)     RD_BER_CLASS_CONTEXT, (n)

typedef struct
{
  guint max_depth;       /* nesting of constructed values */
  gsize max_length;      /* length of one value's contents */
  gsize max_total_size;  /* size of the whole input */
} RdBerLimits;

/**
 * RdBerTlv:
 *
 * One decoded value. @content points into the reader's buffer (no copy) and
 * is valid as long as that buffer. Offsets are from the start of the buffer
 * given to rd_ber_reader_init(), for error messages.
 */
typedef struct
{
  RdBerClass    cls;
  gboolean      constructed;
  guint32       tag;
  gboolean      indefinite;    /* encoded with 0x80 and end-of-contents */
  gsize         offset;        /* of the identifier octet */
  gsize         header_length; /* identifier and length octets */
  gsize         length;        /* of the contents, EOC excluded */
  gsize         encoded_length;/* of the whole TLV, EOC included */
  const guint8 *content;
  const guint8 *encoded;       /* the whole TLV */
  guint         depth;         /* 0 for top-level values */
} RdBerTlv;

/**
 * RdBerReader:
 *
 * A cursor over a window of a buffer; stack-allocated, no teardown needed.
 * Descending into a constructed value gives a child reader over its
 * contents. All members are private.
 */
typedef struct
{
  const guint8 *base;
  gsize         start;
  gsize         end;
  gsize         pos;
  guint         depth;
  RdBerLimits   limits;
} RdBerReader;

gboolean     rd_ber_reader_init             (RdBerReader        *self,
                                             const guint8       *data,
                                             gsize               size,
                                             const RdBerLimits  *limits,
                                             GError            **error);
gboolean     rd_ber_reader_init_bytes       (RdBerReader        *self,
                                             GBytes             *bytes,
                                             const RdBerLimits  *limits,
                                             GError            **error);
gboolean     rd_ber_reader_at_end           (const RdBerReader  *self);
gsize        rd_ber_reader_get_offset       (const RdBerReader  *self);
gboolean     rd_ber_reader_read             (RdBerReader        *self,
                                             RdBerTlv           *tlv,
                                             GError            **error);
gboolean     rd_ber_reader_peek             (const RdBerReader  *self,
                                             RdBerTlv           *tlv,
                                             GError            **error);
gboolean     rd_ber_reader_expect           (RdBerReader        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             RdBerTlv           *tlv,
                                             GError            **error);
gboolean     rd_ber_reader_descend          (const RdBerReader  *self,
                                             const RdBerTlv     *tlv,
                                             RdBerReader        *child,
                                             GError            **error);
gboolean     rd_ber_reader_expect_end       (const RdBerReader  *self,
                                             GError            **error);

gboolean     rd_ber_tlv_is                  (const RdBerTlv     *tlv,
                                             RdBerClass          cls,
                                             guint32             tag);
char        *rd_ber_tlv_describe            (const RdBerTlv     *tlv);
gboolean     rd_ber_tlv_get_int64           (const RdBerTlv     *tlv,
                                             gint64             *value,
                                             GError            **error);
gboolean     rd_ber_tlv_get_int             (const RdBerTlv     *tlv,
                                             gint               *value,
                                             GError            **error);
gboolean     rd_ber_tlv_get_boolean         (const RdBerTlv     *tlv,
                                             gboolean           *value,
                                             GError            **error);
gboolean     rd_ber_tlv_get_null            (const RdBerTlv     *tlv,
                                             GError            **error);
gboolean     rd_ber_tlv_get_octets          (const RdBerTlv     *tlv,
                                             const guint8      **data,
                                             gsize              *size,
                                             GError            **error);
gboolean     rd_ber_tlv_get_bit_string      (const RdBerTlv     *tlv,
                                             guint              *unused_bits,
                                             const guint8      **data,
                                             gsize              *size,
                                             GError            **error);
char        *rd_ber_tlv_dup_ia5             (const RdBerTlv     *tlv,
                                             GError            **error);
char        *rd_ber_tlv_dup_visible         (const RdBerTlv     *tlv,
                                             GError            **error);
char        *rd_ber_tlv_dup_oid             (const RdBerTlv     *tlv,
                                             GError            **error);
GDateTime   *rd_ber_tlv_get_generalized_time(const RdBerTlv     *tlv,
                                             GTimeZone          *default_tz,
                                             GError            **error);

typedef struct _RdBerWriter RdBerWriter;

RdBerWriter *rd_ber_writer_new              (void);
void         rd_ber_writer_free             (RdBerWriter        *self);
void         rd_ber_writer_begin            (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag);
void         rd_ber_writer_end              (RdBerWriter        *self);
void         rd_ber_writer_add_primitive    (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             const guint8       *data,
                                             gsize               size);
void         rd_ber_writer_add_encoded      (RdBerWriter        *self,
                                             const guint8       *data,
                                             gsize               size);
void         rd_ber_writer_add_integer      (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             gint64              value);
void         rd_ber_writer_add_boolean      (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             gboolean            value);
void         rd_ber_writer_add_null         (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag);
void         rd_ber_writer_add_string       (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             const char         *value);
void         rd_ber_writer_add_bit_string   (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             guint               unused_bits,
                                             const guint8       *data,
                                             gsize               size);
gboolean     rd_ber_writer_add_oid          (RdBerWriter        *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             const char         *dotted);
void         rd_ber_writer_add_generalized_time (RdBerWriter    *self,
                                             RdBerClass          cls,
                                             guint32             tag,
                                             GDateTime          *value,
                                             gboolean            utc);
guint        rd_ber_writer_get_depth        (RdBerWriter        *self);
GBytes      *rd_ber_writer_finish           (RdBerWriter        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdBerWriter, rd_ber_writer_free)

G_END_DECLS
