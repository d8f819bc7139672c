/* rd-sim-smdr.h: the PBX side of the SMDR wire (a TCP listener speaking
 * the Panasonic SMDR login and printing call records)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

#define RD_SIM_SMDR_DEFAULT_PASSWORD "PCCSMDR"
#define RD_SIM_SMDR_DEFAULT_PAGE_LENGTH 60

#define RD_TYPE_SIM_SMDR (rd_sim_smdr_get_type ())

G_DECLARE_FINAL_TYPE (RdSimSmdr, rd_sim_smdr, RD, SIM_SMDR, GObject)

RdSimSmdr *rd_sim_smdr_new             (void);
void       rd_sim_smdr_set_password    (RdSimSmdr    *self,
                                        const char   *password);
void       rd_sim_smdr_set_layout      (RdSimSmdr    *self,
                                        char          layout);
void       rd_sim_smdr_set_date_order  (RdSimSmdr    *self,
                                        gboolean      day_first);
void       rd_sim_smdr_set_clock_24h   (RdSimSmdr    *self,
                                        gboolean      clock_24h);
void       rd_sim_smdr_set_page_length (RdSimSmdr    *self,
                                        guint         records);
void       rd_sim_smdr_set_cr_only     (RdSimSmdr    *self,
                                        gboolean      cr_only);
gboolean   rd_sim_smdr_listen          (RdSimSmdr    *self,
                                        const char   *host,
                                        guint16       port,
                                        GError      **error);
guint16    rd_sim_smdr_get_port        (RdSimSmdr    *self);
guint      rd_sim_smdr_get_n_clients   (RdSimSmdr    *self);
void       rd_sim_smdr_send_event      (RdSimSmdr    *self,
                                        RdCtiEvent   *event);
void       rd_sim_smdr_send_line       (RdSimSmdr    *self,
                                        const char   *line);
void       rd_sim_smdr_drop_clients    (RdSimSmdr    *self);
void       rd_sim_smdr_send_garbage    (RdSimSmdr    *self);
void       rd_sim_smdr_set_frozen      (RdSimSmdr    *self,
                                        gboolean      frozen);
void       rd_sim_smdr_set_drip        (RdSimSmdr    *self,
                                        gboolean      drip);
void       rd_sim_smdr_close           (RdSimSmdr    *self);

char      *rd_sim_smdr_format_event    (RdCtiEvent   *event,
                                        char          layout,
                                        gboolean      day_first,
                                        gboolean      clock_24h);
const char *rd_sim_smdr_get_header     (char          layout);

G_END_DECLS
