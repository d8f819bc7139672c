/* rd-handler-evidence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /api/v1/tickets/{number}/evidence?filename=…&description=… (raw body),
 * GET /api/v1/tickets/{number}/evidence, GET /api/v1/evidence/{id}/content and
 * DELETE /api/v1/evidence/{id}, and DELETE /api/v1/tickets/{number}, which
 * takes the ticket's files with it.
 *
 * Who may do what: whoever sees the ticket (rd_handler_tickets_can_see():
 * supervisors and admins every ticket; technicians the tickets assigned to
 * them; agents the tickets they created or that are assigned to them, which
 * are the ones they may edit) adds, lists and downloads its evidence.
 * Deleting evidence is for supervisors and admins.
 *
 * The upload is checked as far as it can be before any byte of the body is
 * read (ticket, role, declared type, query, Content-Length), then streamed to
 * a temp file (rd-server.c, RdEvidenceUpload) and stored by RdEvidenceStore.
 */

#define G_LOG_DOMAIN "RdHandlerEvidence"

#include "config.h"

#include "rd-api.h"
#include "rd-check.h"
#include "rd-evidence-store.h"
#include "rd-handlers.h"
#include "rd-sniff.h"
#include "rd-ticket-store.h"

#define EVIDENCE_STORE_KEY "rd-evidence-store"

static const char * const any_role[] = {
  RD_ROLE_AGENT, RD_ROLE_TECHNICIAN, RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

static const char * const deleters[] = {
  RD_ROLE_SUPERVISOR, RD_ROLE_ADMIN, NULL
};

/* deleting a ticket erases its record for good: admins only */
static const char * const ticket_erasers[] = {
  RD_ROLE_ADMIN, NULL
};

static RdEvidenceStore *
evidence_store (RdServer *server)
{
  return g_object_get_data (G_OBJECT (server), EVIDENCE_STORE_KEY);
}

/* Fails unless ticket @number exists and the user may see it. */
static gboolean
check_ticket (RdServer    *server,
              RdRequest   *request,
              gint64       number,
              GError     **error)
{
  RdTicketStore *tickets = rd_server_get_ticket_store (server);
  g_autoptr(RdTicket) ticket = rd_handler_tickets_get_visible (server, request, tickets, number, error);

  return ticket != NULL;
}

/* Fails unless the ticket of the path exists and the user may see it. */
static gboolean
check_path_ticket (RdServer   *server,
                   RdRequest  *request,
                   gint64     *number,
                   GError    **error)
{
  RdTicketStore *tickets = rd_server_get_ticket_store (server);
  g_autoptr(RdTicket) ticket = rd_handler_tickets_load_visible (server, request, tickets, number, error);

  return ticket != NULL;
}

/* The evidence of the path, if the user may see its ticket. */
static RdEvidence *
load_visible (RdServer   *server,
              RdRequest  *request,
              GError    **error)
{
  const char *text = rd_request_get_param (request, "id");
  g_autoptr(RdEvidence) evidence = NULL;
  gint64 id = 0;
  gint64 number = 0;

  if (!rd_ticket_number_parse (text, &id))
    {
      g_set_error (error, RD_ERROR, RD_ERROR_NOT_FOUND, "No evidence “%.32s”", text != NULL ? text : "");
      return NULL;
    }

  evidence = rd_evidence_store_get (evidence_store (server), id, &number, error);
  if (evidence == NULL || !check_ticket (server, request, number, error))
    return NULL;

  return g_steal_pointer (&evidence);
}

/* ?description= and ?filename= of an upload, checked. */
static gboolean
get_upload_query (RdRequest    *request,
                  char        **filename,
                  const char  **description,
                  GError      **error)
{
  const char *text = rd_request_get_query (request, "description");

  if (text != NULL)
    {
      if (!g_utf8_validate (text, -1, NULL) ||
          g_utf8_strlen (text, -1) > RD_EVIDENCE_MAX_DESCRIPTION)
        {
          g_set_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                       "Parameter “description” must be UTF-8 text of at most %d characters",
                       RD_EVIDENCE_MAX_DESCRIPTION);
          return FALSE;
        }
      for (const char *p = text; *p != '\0'; p++)
        {
          if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            {
              g_set_error_literal (error, RD_ERROR, RD_ERROR_INVALID_FIELD,
                                   "Parameter “description” contains a control character");
              return FALSE;
            }
        }
    }

  *description = text != NULL ? text : "";
  *filename = rd_evidence_sanitize_filename (rd_request_get_query (request, "filename"));
  return TRUE;
}

/* the declared type, without parameters, if it is one we take */
static const char *
get_declared_type (RdRequest  *request,
                   GError    **error)
{
  SoupServerMessage *msg = rd_request_get_message (request);
  const char *type = NULL;

  if (msg != NULL)
    type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  if (!rd_sniff_type_is_allowed (type))
    {
      g_set_error_literal (error, RD_ERROR, RD_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           "Evidence must be image/jpeg, image/png, image/webp, application/pdf "
                           "or audio/ogg, sent as the raw body with that Content-Type");
      return NULL;
    }

  return type;
}

/* POST /tickets/{number}/evidence, before the body */
static GOutputStream *
evidence_open (RdServer   *server,
               RdRequest  *request,
               GError    **error)
{
  g_autofree char *filename = NULL;
  const char *description = NULL;
  const char *type;
  gint64 number = 0;

  if (!check_path_ticket (server, request, &number, error) ||
      (type = get_declared_type (request, error)) == NULL ||
      !get_upload_query (request, &filename, &description, error))
    return NULL;

  return G_OUTPUT_STREAM (rd_evidence_store_begin_upload (evidence_store (server), type, error));
}

static void
evidence_added_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RdRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  SoupServerMessage *msg = rd_request_get_message (request);
  g_autofree char *location = NULL;

  evidence = rd_evidence_store_add_finish (RD_EVIDENCE_STORE (source), result, &error);
  if (evidence == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("evidence %s (%s, %" G_GINT64_FORMAT " bytes) added to ticket %s by %s",
          rd_evidence_get_id (evidence), rd_evidence_get_content_type (evidence),
          rd_evidence_get_size (evidence), rd_evidence_get_ticket (evidence),
          rd_evidence_get_uploaded_by (evidence));

  location = g_strdup_printf (RD_API_PATH_EVIDENCE "/%s/content", rd_evidence_get_id (evidence));
  if (msg != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  rd_request_reply_codec (request, SOUP_STATUS_CREATED, RD_CODEC (evidence));
}

/* POST /tickets/{number}/evidence, with the whole body */
static void
evidence_post (RdServer  *server,
               RdRequest *request)
{
  GOutputStream *stream = rd_server_get_body_stream (server, request);
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;
  const char *description = NULL;
  gint64 number = 0;

  if (!RD_IS_EVIDENCE_UPLOAD (stream))
    {
      rd_request_reply_error_literal (request, RD_ERROR_INTERNAL, "The upload has no stream");
      return;
    }

  /* both were checked before the body, by evidence_open() */
  if (!rd_ticket_number_parse (rd_request_get_param (request, "number"), &number) ||
      !get_upload_query (request, &filename, &description, &error))
    {
      rd_request_reply_error_literal (request, RD_ERROR_INTERNAL,
                                      error != NULL ? error->message : "The ticket number went away");
      return;
    }

  rd_request_pause (request);
  rd_evidence_store_add_async (evidence_store (server), RD_EVIDENCE_UPLOAD (stream), number,
                               filename, description,
                               rd_user_get_username (rd_request_get_user (request)),
                               NULL, evidence_added_cb, g_object_ref (request));
}

/* GET /tickets/{number}/evidence */
static void
evidence_list (RdServer  *server,
               RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) items = NULL;
  gint64 number = 0;

  if (!check_path_ticket (server, request, &number, &error) ||
      (items = rd_evidence_store_list (evidence_store (server), number, &error)) == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }

  rd_check_reply_items (request, rd_codec_list_to_node (items), NULL);
}

static char *
download_name (RdEvidence *evidence)
{
  const char *filename = rd_evidence_get_filename (evidence);
  const char *type = rd_evidence_get_content_type (evidence);
  const char *extension = g_str_equal (type, "application/pdf") ? "pdf"
                          : g_str_equal (type, "audio/ogg") ? "ogg"
                          : type + strlen ("image/");

  if (filename != NULL && filename[0] != '\0')
    return g_strdup (filename);

  return g_strdup_printf ("evidence-%s.%s", rd_evidence_get_id (evidence), extension);
}

/* GET /evidence/{id}/content */
static void
evidence_content (RdServer  *server,
                  RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *name = NULL;
  SoupMessageHeaders *request_headers;
  SoupMessageHeaders *headers;
  const char *if_none_match;
  SoupServerMessage *msg = rd_request_get_message (request);

  evidence = load_visible (server, request, &error);
  if (evidence == NULL)
    {
      rd_request_reply_error (request, error);
      return;
    }
  if (msg == NULL)
    return;

  request_headers = soup_server_message_get_request_headers (msg);
  headers = soup_server_message_get_response_headers (msg);
  etag = g_strdup_printf ("\"%s\"", rd_evidence_get_sha256 (evidence));
  soup_message_headers_replace (headers, "ETag", etag);

  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if (if_none_match != NULL && g_str_equal (if_none_match, etag))
    {
      rd_request_reply_empty (request, SOUP_STATUS_NOT_MODIFIED);
      return;
    }

  path = rd_evidence_store_get_blob_path (evidence_store (server), rd_evidence_get_sha256 (evidence));
  file = path != NULL ? g_mapped_file_new (path, FALSE, &error) : NULL;
  if (file == NULL)
    {
      rd_request_reply_error_literal (request, RD_ERROR_INTERNAL,
                                      error != NULL ? error->message : "Evidence without a file");
      return;
    }
  /* mapped, not read: the kernel pages the file in as libsoup writes it */
  bytes = g_mapped_file_get_bytes (file);

  name = download_name (evidence);
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, (gpointer) "filename", name);
  soup_message_headers_set_content_disposition (headers, "attachment", params);

  rd_request_reply_bytes (request, SOUP_STATUS_OK, rd_evidence_get_content_type (evidence), bytes);
}

/* DELETE /evidence/{id} */
static void
evidence_delete (RdServer  *server,
                 RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdEvidence) evidence = NULL;
  gint64 id = 0;

  evidence = load_visible (server, request, &error);
  if (evidence == NULL ||
      !rd_ticket_number_parse (rd_evidence_get_id (evidence), &id) ||
      !rd_evidence_store_delete (evidence_store (server), id, &error))
    {
      if (error != NULL)
        rd_request_reply_error (request, error);
      else
        rd_request_reply_error_literal (request, RD_ERROR_INTERNAL, "Bad evidence id");
      return;
    }

  g_info ("evidence %s of ticket %s deleted by %s", rd_evidence_get_id (evidence),
          rd_evidence_get_ticket (evidence), rd_user_get_username (rd_request_get_user (request)));
  rd_request_reply_empty (request, SOUP_STATUS_NO_CONTENT);
}

/* DELETE /tickets/{number}: here, because the ticket's files go with it */
static void
ticket_delete (RdServer  *server,
               RdRequest *request)
{
  g_autoptr(GError) error = NULL;
  const char *text = rd_request_get_param (request, "number");
  gint64 number = 0;

  if (!rd_ticket_number_parse (text, &number))
    {
      g_autofree char *message = g_strdup_printf ("No ticket “%.32s”", text != NULL ? text : "");

      rd_request_reply_error_literal (request, RD_ERROR_NOT_FOUND, message);
      return;
    }

  if (!rd_evidence_store_delete_ticket (evidence_store (server), number, &error))
    {
      rd_request_reply_error (request, error);
      return;
    }

  g_info ("ticket %" G_GINT64_FORMAT " deleted by %s", number,
          rd_user_get_username (rd_request_get_user (request)));
  rd_request_reply_empty (request, SOUP_STATUS_NO_CONTENT);
}

/**
 * rd_handler_evidence_register:
 * @evidence: the prepared evidence store the routes use
 */
void
rd_handler_evidence_register (RdServer        *server,
                              RdEvidenceStore *evidence)
{
  g_return_if_fail (RD_IS_SERVER (server));
  g_return_if_fail (RD_IS_EVIDENCE_STORE (evidence));

  g_object_set_data_full (G_OBJECT (server), EVIDENCE_STORE_KEY, g_object_ref (evidence), g_object_unref);

  rd_server_add_stream_route (server, "POST", RD_API_PATH_TICKETS "/{number}/evidence", RD_ROUTE_DEFAULT,
                              any_role, rd_evidence_store_get_max_size (evidence),
                              evidence_open, evidence_post);
  rd_server_add_route (server, "GET", RD_API_PATH_TICKETS "/{number}/evidence", RD_ROUTE_DEFAULT,
                       any_role, evidence_list);
  rd_server_add_route (server, "GET", RD_API_PATH_EVIDENCE "/{id}/content", RD_ROUTE_DEFAULT,
                       any_role, evidence_content);
  rd_server_add_route (server, "DELETE", RD_API_PATH_EVIDENCE "/{id}", RD_ROUTE_DEFAULT,
                       deleters, evidence_delete);
  rd_server_add_route (server, "DELETE", RD_API_PATH_TICKETS "/{number}", RD_ROUTE_DEFAULT,
                       ticket_erasers, ticket_delete);
}
