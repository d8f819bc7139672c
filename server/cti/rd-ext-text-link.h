/* rd-ext-text-link.h: the Call Monitor `ExtText` folder link (RdCtiLink)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-config.h"
#include "rd-cti-link.h"

G_BEGIN_DECLS

/* bigger files are not Call Monitor's */
#define RD_EXT_TEXT_MAX_SIZE 4096

typedef enum
{
  RD_EXT_TEXT_EMPTY,      /* nothing (yet): the writer truncated the file */
  RD_EXT_TEXT_INCOMING,   /* entrante:<number> */
  RD_EXT_TEXT_OUTGOING,   /* saliente:<number> */
} RdExtTextKind;

RdExtTextKind  rd_ext_text_parse               (const char  *data,
                                                gsize        length,
                                                char       **number,
                                                GError     **error);
char          *rd_ext_text_extension_from_name (const char  *basename);

#define RD_TYPE_EXT_TEXT_LINK (rd_ext_text_link_get_type ())

G_DECLARE_FINAL_TYPE (RdExtTextLink, rd_ext_text_link, RD, EXT_TEXT_LINK, GObject)

RdExtTextLink *rd_ext_text_link_new              (GFile         *folder);
RdExtTextLink *rd_ext_text_link_new_from_config  (RdConfig      *config);
guint          rd_ext_text_link_get_invalid_files (RdExtTextLink *self);

G_END_DECLS
