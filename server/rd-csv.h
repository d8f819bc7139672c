/* rd-csv.h: a small RFC 4180 reader that reports bad records and goes on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RD_CSV_MAX_FIELDS 64

typedef enum
{
  RD_CSV_END,
  RD_CSV_RECORD,
  RD_CSV_ERROR,
} RdCsvResult;

typedef struct
{
  /*< private >*/
  const char *data;
  gsize       length;
  gsize       pos;
  guint       record;
} RdCsvReader;

void         rd_csv_reader_init (RdCsvReader  *reader,
                                 const char   *data,
                                 gsize         length);
RdCsvResult  rd_csv_reader_next (RdCsvReader  *reader,
                                 char       ***fields,
                                 guint        *record,
                                 GError      **error);

G_END_DECLS
