/* rd-hop-log.h: the innovaphone hop log, one line per hop, files per day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-call.h"

G_BEGIN_DECLS

#define RD_TYPE_HOP_LOG (rd_hop_log_get_type ())

G_DECLARE_FINAL_TYPE (RdHopLog, rd_hop_log, RD, HOP_LOG, GObject)

RdHopLog   *rd_hop_log_new           (const char  *directory);
const char *rd_hop_log_get_directory (RdHopLog    *self);
char       *rd_hop_log_format_call   (RdCall      *call);
gboolean    rd_hop_log_write_call    (RdHopLog    *self,
                                      RdCall      *call,
                                      char       **filename,
                                      GError     **error);
char       *rd_hop_log_read_day      (RdHopLog    *self,
                                      const char  *date,
                                      GError     **error);
gboolean    rd_hop_log_parse_date    (const char  *text,
                                      GDate       *date);

G_END_DECLS
