/* rd-cti-link-status.h: the state, detail and reconnect count a link keeps,
 * and the RdCtiLink properties that show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-cti-link.h"

G_BEGIN_DECLS

/* the property ids rd_cti_link_status_install() uses; a link with more
 * properties of its own numbers them from RD_CTI_LINK_STATUS_N_PROPS */
enum {
  RD_CTI_LINK_STATUS_PROP_0,
  RD_CTI_LINK_STATUS_PROP_NAME,
  RD_CTI_LINK_STATUS_PROP_STATE,
  RD_CTI_LINK_STATUS_PROP_DETAIL,
  RD_CTI_LINK_STATUS_PROP_RECONNECTS,
  RD_CTI_LINK_STATUS_N_PROPS
};

typedef struct
{
  RdCtiLinkState  state;
  char           *detail;
  guint           reconnects;
} RdCtiLinkStatus;

void      rd_cti_link_status_install       (GObjectClass           *klass);
void      rd_cti_link_status_init          (RdCtiLinkStatus        *status);
void      rd_cti_link_status_clear         (RdCtiLinkStatus        *status);
void      rd_cti_link_status_set           (RdCtiLinkStatus        *status,
                                            GObject                *link,
                                            RdCtiLinkState          state,
                                            const char             *detail);
void      rd_cti_link_status_add_reconnect (RdCtiLinkStatus        *status,
                                            GObject                *link);
gboolean  rd_cti_link_status_get_property  (const RdCtiLinkStatus  *status,
                                            const char             *name,
                                            guint                   prop_id,
                                            GValue                 *value);

G_END_DECLS
