/* rd-place-store.h: locations and the assets at them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-asset.h"
#include "rd-location.h"
#include "rd-store.h"

G_BEGIN_DECLS

#define RD_TYPE_PLACE_STORE (rd_place_store_get_type ())

G_DECLARE_FINAL_TYPE (RdPlaceStore, rd_place_store, RD, PLACE_STORE, GObject)

RdPlaceStore *rd_place_store_new             (RdStore       *store);
RdLocation   *rd_place_store_add_location    (RdPlaceStore  *self,
                                              RdLocation    *location,
                                              GError       **error);
gboolean      rd_place_store_update_location (RdPlaceStore  *self,
                                              RdLocation    *location,
                                              GError       **error);
RdLocation   *rd_place_store_get_location    (RdPlaceStore  *self,
                                              const char    *id,
                                              GError       **error);
GListModel   *rd_place_store_list_locations  (RdPlaceStore  *self,
                                              gint64         after,
                                              guint          limit,
                                              GError       **error);
RdAsset      *rd_place_store_add_asset       (RdPlaceStore  *self,
                                              RdAsset       *asset,
                                              GError       **error);
gboolean      rd_place_store_update_asset    (RdPlaceStore  *self,
                                              RdAsset       *asset,
                                              GError       **error);
RdAsset      *rd_place_store_get_asset       (RdPlaceStore  *self,
                                              const char    *id,
                                              GError       **error);
GListModel   *rd_place_store_list_assets     (RdPlaceStore  *self,
                                              const char    *location_id,
                                              gint64         after,
                                              guint          limit,
                                              GError       **error);
gboolean      rd_place_store_check_ref       (RdPlaceStore  *self,
                                              const char    *member,
                                              const char    *kind,
                                              const char    *id,
                                              GError       **error);

G_END_DECLS
