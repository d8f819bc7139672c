/* rd-asset.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_ASSET (rd_asset_get_type ())

G_DECLARE_FINAL_TYPE (RdAsset, rd_asset, RD, ASSET, GObject)

RdAsset    *rd_asset_new             (const char *id);
const char *rd_asset_get_id          (RdAsset    *self);
void        rd_asset_set_id          (RdAsset    *self,
                                      const char *id);
const char *rd_asset_get_name        (RdAsset    *self);
void        rd_asset_set_name        (RdAsset    *self,
                                      const char *name);
const char *rd_asset_get_tag         (RdAsset    *self);
void        rd_asset_set_tag         (RdAsset    *self,
                                      const char *tag);
const char *rd_asset_get_kind        (RdAsset    *self);
void        rd_asset_set_kind        (RdAsset    *self,
                                      const char *kind);
const char *rd_asset_get_location_id (RdAsset    *self);
void        rd_asset_set_location_id (RdAsset    *self,
                                      const char *location_id);
const char *rd_asset_get_serial      (RdAsset    *self);
void        rd_asset_set_serial      (RdAsset    *self,
                                      const char *serial);

G_END_DECLS
