/* rd-handler-places.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|POST /api/v1/locations, GET|PATCH /api/v1/locations/{id},
 * GET|POST /api/v1/assets (GET takes ?location_id=), GET|PATCH
 * /api/v1/assets/{id}. Everyone signed in reads; supervisors and admins
 * write. Both kinds share the handlers below, told apart by the route.
 */

#define G_LOG_DOMAIN "RdHandlerPlaces"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-handlers.h"
#include "rd-json.h"
#include "rd-ticket-store.h"

#define MAX_NAME  200
#define MAX_TEXT  2000

static const char * const writers[] = { RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL };

static const char * const location_members[] = { "name", "address", "notes", NULL };
static const char * const asset_members[] = { "name", "tag", "kind", "location_id", "serial", NULL };

typedef struct
{
  const char          *path;
  GType              (*get_type) (void);
  const char * const  *writable;
} PlaceKind;

static const PlaceKind kinds[] = {
  { RD_API_PATH_LOCATIONS, rd_location_get_type, location_members },
  { RD_API_PATH_ASSETS, rd_asset_get_type, asset_members },
};

static const PlaceKind *
kind_of (RdRequest *request)
{
  const char *route = rd_request_get_route (request);

  return g_str_has_prefix (route, RD_API_PATH_LOCATIONS) ? &kinds[0] : &kinds[1];
}

static gboolean
is_location (const PlaceKind *kind)
{
  return kind == &kinds[0];
}

static const char *
place_get_id (gpointer place)
{
  return RD_IS_LOCATION (place) ? rd_location_get_id (place) : rd_asset_get_id (place);
}

/* What the codecs do not check: lengths and control characters. */
static gboolean
check_place (gpointer   place,
             GError   **error)
{
  if (RD_IS_LOCATION (place))
    return rd_check_text ("name", rd_location_get_name (place), MAX_NAME, error) &&
           rd_check_text ("address", rd_location_get_address (place), MAX_TEXT, error) &&
           rd_check_text ("notes", rd_location_get_notes (place), MAX_TEXT, error);

  return rd_check_text ("name", rd_asset_get_name (place), MAX_NAME, error) &&
         rd_check_text ("tag", rd_asset_get_tag (place), RD_TICKET_MAX_ID, error) &&
         rd_check_text ("kind", rd_asset_get_kind (place), RD_TICKET_MAX_SHORT, error) &&
         rd_check_text ("serial", rd_asset_get_serial (place), RD_TICKET_MAX_ID, error);
}

static gpointer
get_place (RdServer         *server,
           const PlaceKind  *kind,
           const char       *id,
           GError          **error)
{
  RdPlaceStore *places = rd_server_get_place_store (server);

  if (is_location (kind))
    return rd_place_store_get_location (places, id, error);

  return rd_place_store_get_asset (places, id, error);
}

static void
reply_place (RdRequest       *request,
             const PlaceKind *kind,
             guint            status,
             gpointer         place)
{
  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strdup_printf ("%s/%s", kind->path, place_get_id (place));
      SoupServerMessage *msg = rd_request_get_message (request);

      if (msg != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Location", location);
    }

  rd_request_reply_codec (request, status, RD_CODEC (place));
}

/* GET /locations, GET /assets */
static void
places_list (RdServer  *server,
             RdRequest *request)
{
  const PlaceKind *kind = kind_of (request);
  RdPlaceStore *places = rd_server_get_place_store (server);
  const char *location_id = rd_request_get_query (request, "location_id");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  gint64 after = 0;
  guint limit = 0;

  if (!rd_request_get_limit (request, &limit, &error))
    goto fail;

  if (!rd_check_cursor_id (request, &after, &error))
    goto fail;
  if (location_id != NULL && location_id[0] == '\0')
    location_id = NULL;

  if (is_location (kind))
    found = rd_place_store_list_locations (places, after, limit + 1, &error);
  else
    found = rd_place_store_list_assets (places, location_id, after, limit + 1, &error);
  if (found == NULL)
    goto fail;

  rd_check_reply_page (request, found, limit, (RdCheckCursorFunc) place_get_id);
  return;

fail:
  rd_request_reply_error (request, error);
}

/* POST /locations, POST /assets */
static void
places_post (RdServer  *server,
             RdRequest *request)
{
  const PlaceKind *kind = kind_of (request);
  RdPlaceStore *places = rd_server_get_place_store (server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) draft = NULL;
  g_autoptr(GObject) place = NULL;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      !rd_json_check_members (body, kind->writable, &error) ||
      (draft = rd_codec_new_from_json_full (kind->get_type (), body, RD_CODEC_STRICT, &error)) == NULL ||
      !check_place (draft, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (is_location (kind))
    place = (GObject *) rd_place_store_add_location (places, RD_LOCATION (draft), &error);
  else
    place = (GObject *) rd_place_store_add_asset (places, RD_ASSET (draft), &error);
  if (place == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_place (request, kind, SOUP_STATUS_CREATED, place);
}

/* GET /locations/{id}, GET /assets/{id} */
static void
place_get (RdServer  *server,
           RdRequest *request)
{
  const PlaceKind *kind = kind_of (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) place = NULL;

  place = get_place (server, kind, rd_request_get_param (request, "id"), &error);
  if (place == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_place (request, kind, SOUP_STATUS_OK, place);
}

/* PATCH /locations/{id}, PATCH /assets/{id} */
static void
place_patch (RdServer  *server,
             RdRequest *request)
{
  const PlaceKind *kind = kind_of (request);
  RdPlaceStore *places = rd_server_get_place_store (server);
  const char *id = rd_request_get_param (request, "id");
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) current = NULL;
  g_autoptr(GObject) place = NULL;
  gboolean ok;

  body = rd_request_read_json (request, &error);
  if (body == NULL ||
      (current = get_place (server, kind, id, &error)) == NULL ||
      (place = rd_check_apply_patch (RD_CODEC (current), body, kind->writable, &error)) == NULL ||
      !check_place (place, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  if (is_location (kind))
    ok = rd_place_store_update_location (places, RD_LOCATION (place), &error);
  else
    ok = rd_place_store_update_asset (places, RD_ASSET (place), &error);

  g_clear_object (&place);
  if (!ok || (place = get_place (server, kind, id, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  reply_place (request, kind, SOUP_STATUS_OK, place);
}

void
rd_handler_places_register (RdServer *server)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *item = g_strconcat (kinds[i].path, "/{id}", NULL);

      rd_server_add_route (server, "GET", kinds[i].path, RD_ROUTE_DEFAULT, NULL, places_list);
      rd_server_add_route (server, "POST", kinds[i].path, RD_ROUTE_JSON_BODY, writers, places_post);
      rd_server_add_route (server, "GET", item, RD_ROUTE_DEFAULT, NULL, place_get);
      rd_server_add_route (server, "PATCH", item, RD_ROUTE_JSON_BODY, writers, place_patch);
    }
}
