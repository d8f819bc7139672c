/* rd-place-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Locations and assets (tables of schema v3, see rd-store.c). Ids are the
 * rowids, handed out by sqlite (AUTOINCREMENT: never reused) and written as
 * decimal strings. An asset may be at a location that exists; tickets and
 * customers point at both through rd_place_store_check_ref().
 */

#define G_LOG_DOMAIN "RdPlaceStore"

#include "config.h"

#include <sqlite3.h>

#include "rd-check.h"
#include "rd-error.h"
#include "rd-place-store.h"
#include "rd-sqlite.h"
#include "rd-ticket-store.h"

struct _RdPlaceStore
{
  GObject  parent_instance;

  RdStore *store;
};

G_DEFINE_FINAL_TYPE (RdPlaceStore, rd_place_store, G_TYPE_OBJECT)

#define LOCATION_COLUMNS "id, name, address, notes"
#define ASSET_COLUMNS    "id, name, tag, kind, location_id, serial"

static RdLocation *
location_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *id = rd_check_id_to_string (sqlite3_column_int64 (stmt, 0));
  RdLocation *location = rd_location_new (id);

  rd_location_set_name (location, rd_sqlite_column_text (stmt, 1));
  rd_location_set_address (location, rd_sqlite_column_text (stmt, 2));
  rd_location_set_notes (location, rd_sqlite_column_text (stmt, 3));

  return location;
}

static RdAsset *
asset_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *id = rd_check_id_to_string (sqlite3_column_int64 (stmt, 0));
  g_autofree char *location_id = NULL;
  RdAsset *asset = rd_asset_new (id);

  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    location_id = rd_check_id_to_string (sqlite3_column_int64 (stmt, 4));

  rd_asset_set_name (asset, rd_sqlite_column_text (stmt, 1));
  rd_asset_set_tag (asset, rd_sqlite_column_text (stmt, 2));
  rd_asset_set_kind (asset, rd_sqlite_column_text (stmt, 3));
  rd_asset_set_location_id (asset, location_id);
  rd_asset_set_serial (asset, rd_sqlite_column_text (stmt, 5));

  return asset;
}


/* One row by id of @sql (whose ?1 is the id), or NOT_FOUND naming @what. */
static gpointer
get_one (RdPlaceStore  *self,
         const char    *sql,
         const char    *what,
         const char    *id,
         RdSqliteRowFunc from_row,
         GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  gint64 number = 0;

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  if (!rd_ticket_number_parse (id, &number))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No %s “%.32s”", what, id != NULL ? id : "");
      return NULL;
    }

  stmt = rd_sqlite_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, number);
  if (!rd_sqlite_step_one (db, stmt, what, error, "No %s “%.32s”", what, id))
    return NULL;

  return from_row (stmt);
}

/**
 * rd_place_store_check_ref:
 * @member: the request member that names it, for the message
 * @kind: "location" or "asset"
 * @id: (nullable): the id; %NULL passes
 *
 * Fails with %RD_ERROR_INVALID_FIELD when @id names no @kind.
 */
gboolean
rd_place_store_check_ref (RdPlaceStore  *self,
                          const char    *member,
                          const char    *kind,
                          const char    *id,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 number = 0;
  sqlite3 *db;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), FALSE);
  g_return_val_if_fail (g_strcmp0 (kind, "location") == 0 || g_strcmp0 (kind, "asset") == 0, FALSE);

  if (id == NULL)
    return TRUE;

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  if (rd_ticket_number_parse (id, &number))
    {
      stmt = rd_sqlite_prepare (db, g_str_equal (kind, "location")
                                      ? "SELECT 1 FROM locations WHERE id = ?1"
                                      : "SELECT 1 FROM assets WHERE id = ?1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, number);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rd_sqlite_set_error (db, error, "find place");
    }

  if (rc != SQLITE_ROW)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD, "Field “%s” names no %s “%.32s”",
                   member, kind, id);
      return FALSE;
    }

  return TRUE;
}

/* locations */

static void
bind_location (sqlite3_stmt *stmt,
               RdLocation   *location)
{
  sqlite3_bind_text (stmt, 2, rd_location_get_name (location), -1, SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 3, rd_location_get_address (location));
  rd_sqlite_bind_text_or_null (stmt, 4, rd_location_get_notes (location));
  sqlite3_bind_int64 (stmt, 5, rd_sqlite_now ());
}

/**
 * rd_place_store_add_location:
 * @location: the new location; its id is ignored
 *
 * Returns: (transfer full): the location as stored, with its id
 */
RdLocation *
rd_place_store_add_location (RdPlaceStore  *self,
                             RdLocation    *location,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), NULL);
  g_return_val_if_fail (RD_IS_LOCATION (location), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "INSERT INTO locations (name, address, notes, created_at, updated_at)"
                            " VALUES (?2, ?3, ?4, ?5, ?5)",
                            error);
  if (stmt == NULL)
    return NULL;
  bind_location (stmt, location);
  if (!rd_sqlite_step_done (db, stmt, error))
    return NULL;

  id = rd_check_id_to_string (sqlite3_last_insert_rowid (db));
  return rd_place_store_get_location (self, id, error);
}

gboolean
rd_place_store_update_location (RdPlaceStore  *self,
                                RdLocation    *location,
                                GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_LOCATION (location), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  stmt = rd_sqlite_prepare (db,
                            "UPDATE locations SET name = ?2, address = ?3, notes = ?4, updated_at = ?5"
                            " WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  rd_ticket_number_parse (rd_location_get_id (location), &id);
  sqlite3_bind_int64 (stmt, 1, id);
  bind_location (stmt, location);
  if (!rd_sqlite_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No location “%.32s”",
                   rd_location_get_id (location));
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_place_store_get_location:
 *
 * Returns: (transfer full): the location, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdLocation *
rd_place_store_get_location (RdPlaceStore  *self,
                             const char    *id,
                             GError       **error)
{
  g_return_val_if_fail (RD_IS_PLACE_STORE (self), NULL);

  return get_one (self, "SELECT " LOCATION_COLUMNS " FROM locations WHERE id = ?1", "location", id,
                  (RdSqliteRowFunc) location_from_row, error);
}

/**
 * rd_place_store_list_locations:
 * @after: the cursor: ids above it; 0 for the first page
 *
 * Returns: (transfer full): locations by id
 */
GListModel *
rd_place_store_list_locations (RdPlaceStore  *self,
                               gint64         after,
                               guint          limit,
                               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  stmt = rd_sqlite_prepare (db,
                            "SELECT " LOCATION_COLUMNS " FROM locations WHERE id > ?1 ORDER BY id LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit);

  return rd_sqlite_list (db, stmt, RD_TYPE_LOCATION, (RdSqliteRowFunc) location_from_row, "list", error);
}

/* assets */

static gboolean
write_asset (RdPlaceStore  *self,
             sqlite3       *db,
             const char    *sql,
             gint64         id,
             RdAsset       *asset,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *location_id = rd_asset_get_location_id (asset);
  gint64 location = 0;

  if (!rd_place_store_check_ref (self, "location_id", "location", location_id, error))
    return FALSE;

  stmt = rd_sqlite_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (id > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, rd_asset_get_name (asset), -1, SQLITE_TRANSIENT);
  rd_sqlite_bind_text_or_null (stmt, 3, rd_asset_get_tag (asset));
  rd_sqlite_bind_text_or_null (stmt, 4, rd_asset_get_kind (asset));
  if (location_id != NULL && rd_ticket_number_parse (location_id, &location))
    sqlite3_bind_int64 (stmt, 5, location);
  else
    sqlite3_bind_null (stmt, 5);
  rd_sqlite_bind_text_or_null (stmt, 6, rd_asset_get_serial (asset));
  sqlite3_bind_int64 (stmt, 7, rd_sqlite_now ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, RD_ERROR, RD_ERROR_CONFLICT, "Another asset has the tag “%.64s”",
                     rd_asset_get_tag (asset));
      else
        rd_sqlite_set_error (db, error, "write asset");
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_place_store_add_asset:
 * @asset: the new asset; its id is ignored
 *
 * Fails with %RD_ERROR_INVALID_FIELD for an unknown location and
 * %RD_ERROR_CONFLICT for a tag another asset has.
 *
 * Returns: (transfer full): the asset as stored, with its id
 */
RdAsset *
rd_place_store_add_asset (RdPlaceStore  *self,
                          RdAsset       *asset,
                          GError       **error)
{
  g_autofree char *id = NULL;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), NULL);
  g_return_val_if_fail (RD_IS_ASSET (asset), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL ||
      !write_asset (self, db,
                    "INSERT INTO assets (name, tag, kind, location_id, serial, created_at, updated_at)"
                    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                    0, asset, error))
    return NULL;

  id = rd_check_id_to_string (sqlite3_last_insert_rowid (db));
  return rd_place_store_get_asset (self, id, error);
}

gboolean
rd_place_store_update_asset (RdPlaceStore  *self,
                             RdAsset       *asset,
                             GError       **error)
{
  gint64 id = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), FALSE);
  g_return_val_if_fail (RD_IS_ASSET (asset), FALSE);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return FALSE;

  if (!rd_ticket_number_parse (rd_asset_get_id (asset), &id) ||
      !write_asset (self, db,
                    "UPDATE assets SET name = ?2, tag = ?3, kind = ?4, location_id = ?5, serial = ?6,"
                    " updated_at = ?7 WHERE id = ?1",
                    id, asset, error) ||
      sqlite3_changes (db) == 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No asset “%.32s”", rd_asset_get_id (asset));
      return FALSE;
    }

  return TRUE;
}

/**
 * rd_place_store_get_asset:
 *
 * Returns: (transfer full): the asset, or %NULL with %RD_ERROR_NOT_FOUND
 */
RdAsset *
rd_place_store_get_asset (RdPlaceStore  *self,
                          const char    *id,
                          GError       **error)
{
  g_return_val_if_fail (RD_IS_PLACE_STORE (self), NULL);

  return get_one (self, "SELECT " ASSET_COLUMNS " FROM assets WHERE id = ?1", "asset", id,
                  (RdSqliteRowFunc) asset_from_row, error);
}

/**
 * rd_place_store_list_assets:
 * @location_id: (nullable): only the assets at this location
 * @after: the cursor: ids above it; 0 for the first page
 *
 * Returns: (transfer full): assets by id
 */
GListModel *
rd_place_store_list_assets (RdPlaceStore  *self,
                            const char    *location_id,
                            gint64         after,
                            guint          limit,
                            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 location = 0;
  sqlite3 *db;

  g_return_val_if_fail (RD_IS_PLACE_STORE (self), NULL);

  if ((db = rd_check_connection (self->store, error)) == NULL)
    return NULL;

  if (location_id != NULL && !rd_ticket_number_parse (location_id, &location))
    location = -1;

  stmt = rd_sqlite_prepare (db,
                            "SELECT " ASSET_COLUMNS " FROM assets WHERE id > ?1"
                            " AND (?3 = 0 OR location_id = ?3) ORDER BY id LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, location);

  return rd_sqlite_list (db, stmt, RD_TYPE_ASSET, (RdSqliteRowFunc) asset_from_row, "list", error);
}

/* GObject */

static void
rd_place_store_finalize (GObject *object)
{
  RdPlaceStore *self = (RdPlaceStore *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rd_place_store_parent_class)->finalize (object);
}

static void
rd_place_store_class_init (RdPlaceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_place_store_finalize;
}

static void
rd_place_store_init (RdPlaceStore *self)
{
}

RdPlaceStore *
rd_place_store_new (RdStore *store)
{
  RdPlaceStore *self;

  g_return_val_if_fail (RD_IS_STORE (store), NULL);

  self = g_object_new (RD_TYPE_PLACE_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}
