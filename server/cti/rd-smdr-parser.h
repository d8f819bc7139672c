/* rd-smdr-parser.h: one Panasonic SMDR line → a call record (pure, no I/O)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

/* longer lines are not SMDR (Pattern C is 120 columns) */
#define RD_SMDR_MAX_LINE 512

typedef enum
{
  RD_SMDR_LAYOUT_AUTO,
  RD_SMDR_LAYOUT_A,
  RD_SMDR_LAYOUT_B,
  RD_SMDR_LAYOUT_C,
} RdSmdrLayout;

typedef enum
{
  RD_SMDR_LINE_SKIP,     /* blank, separator, echo, alarm, printing message, log in/out, … */
  RD_SMDR_LINE_HEADER,   /* the column header; announces the layout */
  RD_SMDR_LINE_RECORD,   /* a call record */
} RdSmdrLineKind;

typedef struct
{
  RdSmdrLayout  layout;      /* AUTO: the layout is guessed per line */
  gboolean      day_first;   /* DD/MM/YY instead of MM/DD/YY */
  GTimeZone    *time_zone;   /* nullable: local time */
} RdSmdrOptions;

/**
 * RdSmdrRecord:
 * @layout: the layout the line was read with
 * @at: the date and time printed (the end of the call on TDA/TDE/NS; the
 *   arrival for RC), or %NULL when the PBX printed `**` for it
 * @extension: the extension (`*` of a verified call removed)
 * @trunk: the CO number, or %NULL for an intercom call
 * @dial: the Dial Number column, in UTF-8
 * @calling: the caller's number (incoming: from `<I>`; outgoing: the extension)
 * @called: the dialled number (outgoing), the extension (intercom) or the
 *   DDI (incoming, when printed)
 * @ddi: the DDI/DID after `<D>`, or %NULL
 * @direction: from the Dial Number column
 * @ring_time: seconds, -1 when not printed
 * @duration: seconds, -1 when not printed
 * @cost: the Cost column, or %NULL
 * @account: the ACC Code column, or %NULL
 * @condition: the CD column (RC, AN, NA, TR, FW, D0, …), or %NULL
 */
typedef struct
{
  RdSmdrLayout     layout;
  GDateTime       *at;
  char            *extension;
  char            *trunk;
  char            *dial;
  char            *calling;
  char            *called;
  char            *ddi;
  RdCallDirection  direction;
  gint64           ring_time;
  gint64           duration;
  char            *cost;
  char            *account;
  char            *condition;
} RdSmdrRecord;

typedef struct
{
  RdSmdrLineKind  kind;
  RdSmdrLayout    layout;   /* HEADER: announced; RECORD: used */
  RdSmdrRecord   *record;   /* RECORD only, owned */
} RdSmdrLine;

void            rd_smdr_record_free        (RdSmdrRecord         *record);
void            rd_smdr_line_clear         (RdSmdrLine           *line);
gboolean        rd_smdr_parse_line         (const RdSmdrOptions  *options,
                                            const char           *line,
                                            gsize                 length,
                                            RdSmdrLine           *out,
                                            GError              **error);
RdCtiEvent     *rd_smdr_record_to_event    (const RdSmdrRecord   *record,
                                            const char           *link);
gboolean        rd_smdr_layout_from_string (const char           *text,
                                            RdSmdrLayout         *layout);
char           *rd_smdr_text_to_utf8       (const char           *text,
                                            gsize                 length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RdSmdrRecord, rd_smdr_record_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RdSmdrLine, rd_smdr_line_clear)

G_END_DECLS
