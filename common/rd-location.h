/* rd-location.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_LOCATION (rd_location_get_type ())

G_DECLARE_FINAL_TYPE (RdLocation, rd_location, RD, LOCATION, GObject)

RdLocation *rd_location_new         (const char *id);
const char *rd_location_get_id      (RdLocation *self);
void        rd_location_set_id      (RdLocation *self,
                                     const char *id);
const char *rd_location_get_name    (RdLocation *self);
void        rd_location_set_name    (RdLocation *self,
                                     const char *name);
const char *rd_location_get_address (RdLocation *self);
void        rd_location_set_address (RdLocation *self,
                                     const char *address);
const char *rd_location_get_notes   (RdLocation *self);
void        rd_location_set_notes   (RdLocation *self,
                                     const char *notes);

G_END_DECLS
