/* test-generic.c: the generic CTI webhook, its form parser, and the route
 * through a real SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-generic-link.h"
#include "rd-sim-webhook.h"
#include "../rd-test-http.h"

#define SECRET "s3cret-Hook_42"
#define FORM "application/x-www-form-urlencoded"
#define HOOK "/api/v1/cti/generic/" SECRET

static gboolean secret_logged;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && strstr (fields[i].value, SECRET) != NULL)
      secret_logged = TRUE;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* ---- the pure parser --------------------------------------------------- */

static void
assert_form_error (const char *body,
                   RdError     code,
                   const char *field)
{
  g_auto(RdGenericForm) form = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_false (rd_generic_form_parse (body, strlen (body), &form, &error));
  g_assert_error (error, RD_ERROR, code);
  g_test_message ("%s: %s", body, error->message);
  g_assert_nonnull (strstr (error->message, field));
  g_assert_null (form.call_id);
}

static void
test_form_parse (void)
{
  g_auto(RdGenericForm) form = { 0, };
  g_autoptr(GError) error = NULL;
  static const char body[] =
    "event=newCall&from=%2B4930123456&to=720&direction=in&callId=abc-1"
    "&user%5B%5D=201&user[]=202&queue=Support+Desk&extra=ignored";

  g_assert_true (rd_generic_form_parse (body, strlen (body), &form, &error));
  g_assert_no_error (error);
  g_assert_cmpint (form.event, ==, RD_GENERIC_EVENT_NEW_CALL);
  g_assert_cmpstr (form.from, ==, "+4930123456");
  g_assert_cmpstr (form.to, ==, "720");
  g_assert_cmpint (form.direction, ==, RD_CALL_DIRECTION_IN);
  g_assert_cmpstr (form.call_id, ==, "abc-1");
  g_assert_cmpuint (g_strv_length (form.users), ==, 2);
  g_assert_cmpstr (form.users[0], ==, "201");
  g_assert_cmpstr (form.users[1], ==, "202");
  g_assert_cmpstr (form.queue, ==, "Support Desk");

  assert_form_error ("", RD_ERROR_MISSING_FIELD, "event");
  assert_form_error ("from=1&to=2", RD_ERROR_MISSING_FIELD, "event");
  assert_form_error ("event=ring&callId=1", RD_ERROR_INVALID_FIELD, "event");
  assert_form_error ("event=hangup", RD_ERROR_MISSING_FIELD, "callId");
  assert_form_error ("event=newCall&callId=1&from=1&to=2", RD_ERROR_MISSING_FIELD, "direction");
  assert_form_error ("event=newCall&callId=1&to=2&direction=in", RD_ERROR_MISSING_FIELD, "from");
  assert_form_error ("event=newCall&callId=1&from=1&to=2&direction=up", RD_ERROR_INVALID_FIELD, "direction");
  assert_form_error ("event=answer&callId=1&callId=2", RD_ERROR_INVALID_FIELD, "callId");
  assert_form_error ("event=hangup&callId=1&cause=aliens", RD_ERROR_INVALID_FIELD, "cause");
  assert_form_error ("event=hangup&callId=1%00", RD_ERROR_INVALID_FIELD, "form");
  assert_form_error ("event=hangup&callId=a%zz", RD_ERROR_INVALID_FIELD, "form");
  assert_form_error ("event=hangup&callId=%FF%FE", RD_ERROR_INVALID_FIELD, "form");
  assert_form_error ("event=hangup&callId=a+b", RD_ERROR_INVALID_FIELD, "callId");
  assert_form_error ("event=newCall&callId=1&from=1&to=2&direction=in&user[]=a%0Ab",
                     RD_ERROR_INVALID_FIELD, "user");
  {
    g_autofree char *long_id = g_strnfill (200, '7');
    g_autofree char *text = g_strdup_printf ("event=hangup&callId=%s", long_id);

    assert_form_error (text, RD_ERROR_INVALID_FIELD, "callId");
  }
}

static void
test_form_events (void)
{
  struct {
    const char     *body;
    RdCtiEventType  type;
    const char     *extension;
    RdCallDirection direction;
    guint           n;
  } cases[] = {
    { "event=newCall&from=0612&to=720&direction=in&callId=c1&user[]=201&user[]=202",
      RD_CTI_EVENT_RINGING, "201", RD_CALL_DIRECTION_IN, 2 },
    { "event=newCall&from=0612&to=720&direction=in&callId=c1", RD_CTI_EVENT_RINGING, "720", RD_CALL_DIRECTION_IN, 1 },
    { "event=newCall&from=201&to=0612&direction=out&callId=c2", RD_CTI_EVENT_ORIGINATED, "201", RD_CALL_DIRECTION_OUT, 1 },
    { "event=newCall&from=%2B3491&to=0612&direction=out&callId=c2&user[]=203",
      RD_CTI_EVENT_ORIGINATED, "203", RD_CALL_DIRECTION_OUT, 1 },
    { "event=answer&callId=c1&answeringNumber=202&from=0612&to=720&direction=in",
      RD_CTI_EVENT_ANSWERED, "202", RD_CALL_DIRECTION_IN, 1 },
    { "event=answer&callId=c1&user[]=204", RD_CTI_EVENT_ANSWERED, "204", RD_CALL_DIRECTION_IN, 1 },
    { "event=hangup&callId=c1&cause=noAnswer", RD_CTI_EVENT_CLEARED, NULL, RD_CALL_DIRECTION_IN, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RdGenericForm) form = { 0, };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = NULL;
      RdCtiEvent *event;

      g_assert_true (rd_generic_form_parse (cases[i].body, strlen (cases[i].body), &form, &error));
      g_assert_no_error (error);
      events = rd_generic_form_to_events (&form);
      g_assert_cmpuint (events->len, ==, cases[i].n);
      event = g_ptr_array_index (events, 0);
      g_assert_cmpint (event->type, ==, cases[i].type);
      g_assert_cmpstr (event->extension, ==, cases[i].extension);
      g_assert_cmpint (event->direction, ==, cases[i].direction);
      g_assert_cmpstr (event->link, ==, "generic");
      g_assert_cmpstr (event->call_id, ==, form.call_id);
    }
}

/* ---- the route --------------------------------------------------------- */

typedef struct
{
  char          *dir;
  RdDaemon      *daemon;
  char          *base;
  SoupSession   *session;
  RdGenericLink *link;
  GPtrArray     *events;
} Fixture;

static void
on_event (RdCtiLink  *link,
          RdCtiEvent *event,
          Fixture    *f)
{
  g_ptr_array_add (f->events, rd_cti_event_ref (event));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RdConfig) config = rd_config_new ();
  const char *secret = data;
  const char *conf = "[server]\nlisten=127.0.0.1:0\n";

  f->dir = g_dir_make_tmp ("rd-generic-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (rd_config_load_from_data (config, conf, strlen (conf), &error));
  g_assert_no_error (error);
  rd_config_set_data_dir (config, f->dir);

  f->daemon = rd_daemon_new (config);
  g_assert_true (rd_daemon_start (f->daemon, &error));
  g_assert_no_error (error);
  f->base = rd_daemon_get_uri (f->daemon);
  f->session = soup_session_new ();
  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);

  f->link = rd_generic_link_new (secret);
  rd_generic_link_register (f->link, rd_daemon_get_server (f->daemon));
  g_signal_connect (f->link, "event", G_CALLBACK (on_event), f);
  rd_cti_link_start (RD_CTI_LINK (f->link));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->link);
  rd_daemon_stop (f->daemon);
  g_clear_object (&f->daemon);
  rd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_ptr_array_unref (f->events);
}

static void
post (Fixture     *f,
      const char  *path,
      const char  *content_type,
      const char  *body,
      RdTestReply *reply)
{
  rd_test_request_full (f->session, f->base, "POST", path, NULL, content_type,
                        body, strlen (body), reply);
}

static void
test_route_events (Fixture       *f,
                   gconstpointer  data)
{
  RdTestReply reply;
  RdCtiEvent *event;

  post (f, HOOK, FORM, "event=newCall&from=%2B34911234567&to=720&direction=in&callId=77"
        "&user%5B%5D=201&user%5B%5D=202", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_nonnull (reply.json);
  g_assert_cmpuint (json_object_get_size (reply.json), ==, 0);
  rd_test_reply_clear (&reply);

  post (f, HOOK, FORM "; charset=UTF-8", "event=answer&callId=77&answeringNumber=202", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  rd_test_reply_clear (&reply);

  post (f, HOOK, FORM, "event=hangup&callId=77&cause=normalClearing&from=%2B34911234567&to=720"
        "&direction=in", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  rd_test_reply_clear (&reply);

  g_assert_cmpuint (f->events->len, ==, 4);
  event = g_ptr_array_index (f->events, 0);
  g_assert_cmpint (event->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (event->call_id, ==, "77");
  g_assert_cmpstr (event->extension, ==, "201");
  g_assert_cmpstr (event->calling, ==, "+34911234567");
  g_assert_cmpstr (event->ddi, ==, "720");
  event = g_ptr_array_index (f->events, 1);
  g_assert_cmpint (event->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (event->extension, ==, "202");
  event = g_ptr_array_index (f->events, 2);
  g_assert_cmpint (event->type, ==, RD_CTI_EVENT_ANSWERED);
  g_assert_cmpstr (event->extension, ==, "202");
  event = g_ptr_array_index (f->events, 3);
  g_assert_cmpint (event->type, ==, RD_CTI_EVENT_CLEARED);
  g_assert_null (event->extension);
  g_assert_cmpstr (event->cause, ==, "normal");

  g_assert_false (secret_logged);
}

static void
test_route_rejects (Fixture       *f,
                    gconstpointer  data)
{
  RdTestReply reply;
  static const char good[] = "event=hangup&callId=1";

  /* wrong secrets look like no route at all */
  post (f, "/api/v1/cti/generic/wrong", FORM, good, &reply);
  rd_test_assert_error (&reply, 404, "not_found");
  rd_test_reply_clear (&reply);
  post (f, "/api/v1/cti/generic/s3cret-Hook_4", FORM, good, &reply);
  rd_test_assert_error (&reply, 404, "not_found");
  rd_test_reply_clear (&reply);
  post (f, "/api/v1/cti/generic/S3CRET-HOOK_42", FORM, good, &reply);
  rd_test_assert_error (&reply, 404, "not_found");
  rd_test_reply_clear (&reply);

  post (f, HOOK, "application/json", "{\"event\":\"hangup\",\"callId\":\"1\"}", &reply);
  rd_test_assert_error (&reply, 415, "unsupported_media_type");
  rd_test_reply_clear (&reply);
  post (f, HOOK, "text/plain", good, &reply);
  rd_test_assert_error (&reply, 415, "unsupported_media_type");
  rd_test_reply_clear (&reply);

  post (f, HOOK, FORM, "event=hangup", &reply);
  rd_test_assert_error (&reply, rd_error_to_http_status (RD_ERROR_MISSING_FIELD), "missing_field");
  rd_test_reply_clear (&reply);
  post (f, HOOK, FORM, "event=newCall&callId=1&from=1&to=2&direction=sideways", &reply);
  rd_test_assert_error (&reply, rd_error_to_http_status (RD_ERROR_INVALID_FIELD), "invalid_field");
  rd_test_reply_clear (&reply);
  post (f, HOOK, FORM, "\xff\xfe\x01=%%%", &reply);
  rd_test_assert_error (&reply, rd_error_to_http_status (RD_ERROR_INVALID_FIELD), "invalid_field");
  rd_test_reply_clear (&reply);

  /* GET is not a webhook */
  rd_test_request (f->session, f->base, "GET", HOOK, NULL, NULL, &reply);
  rd_test_assert_error (&reply, 405, "method_not_allowed");
  rd_test_reply_clear (&reply);

  /* a stopped link takes nothing */
  rd_cti_link_stop (RD_CTI_LINK (f->link));
  post (f, HOOK, FORM, good, &reply);
  rd_test_assert_error (&reply, 404, "not_found");
  rd_test_reply_clear (&reply);

  g_assert_cmpuint (f->events->len, ==, 0);
  g_assert_false (secret_logged);
}

static void
test_route_disabled (Fixture       *f,
                     gconstpointer  data)
{
  RdTestReply reply;
  g_autofree char *detail = NULL;

  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (f->link)), ==, RD_CTI_LINK_STATE_DOWN);
  detail = rd_cti_link_dup_detail (RD_CTI_LINK (f->link));
  g_assert_nonnull (strstr (detail, "secret"));

  post (f, "/api/v1/cti/generic/anything", FORM, "event=hangup&callId=1", &reply);
  rd_test_assert_error (&reply, 404, "not_found");
  rd_test_reply_clear (&reply);
  g_assert_cmpuint (f->events->len, ==, 0);
}

static void
test_from_config (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RdGenericLink) link = NULL;
  static const char data[] = "[generic]\nsecret=abc\n";

  g_assert_true (rd_config_load_from_data (config, data, strlen (data), &error));
  g_assert_no_error (error);
  link = rd_generic_link_new_from_config (config);
  g_assert_cmpstr (rd_cti_link_get_name (RD_CTI_LINK (link)), ==, "generic");
  rd_cti_link_start (RD_CTI_LINK (link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (link)), ==, RD_CTI_LINK_STATE_CONNECTED);
}

static RdCtiEvent *
sim_event (RdCtiEventType   type,
           const char      *call_id,
           RdCallDirection  direction,
           const char      *extension,
           const char      *cause)
{
  RdCtiEvent *event = rd_cti_event_new (type, "sim");

  event->call_id = g_strdup (call_id);
  event->direction = direction;
  event->extension = g_strdup (extension);
  event->cause = g_strdup (cause);
  if (direction == RD_CALL_DIRECTION_IN)
    {
      event->calling = g_strdup ("0612345678");
      event->called = g_strdup ("912345678");
      event->ddi = g_strdup ("912345678");
    }
  else if (g_str_equal (call_id, "c4"))
    {
      event->calling = g_strdup ("202");
      event->called = g_strdup ("204");
    }
  else
    {
      event->calling = g_strdup (g_str_equal (call_id, "c3") ? "204" : "203");
      event->called = g_strdup (g_str_equal (call_id, "c3") ? "201" : "0612345678");
    }
  return event;
}

/* The simulator's bridge: what it POSTs for what the PBX says, each body
 * one that the link takes */
static void
test_sim_webhook (void)
{
  g_autoptr(RdSimWebhook) webhook = rd_sim_webhook_new ("http://127.0.0.1:9/x");
  struct
  {
    RdCtiEventType   type;
    const char      *call_id;
    RdCallDirection  direction;
    const char      *extension;
    const char      *target;
    const char      *cause;
    const char      *form;       /* NULL: nothing sent; \n between forms */
  } steps[] = {
    /* a hunt: rings 201, moves to 202 (a second newCall), answered there */
    { RD_CTI_EVENT_RINGING, "c1", RD_CALL_DIRECTION_IN, "201", NULL, "new_call",
      "event=newCall&direction=in&callId=c1&from=0612345678&to=912345678&user%5B%5D=201" },
    { RD_CTI_EVENT_DIVERTED, "c1", RD_CALL_DIRECTION_IN, "201", "202", "no_answer", NULL },
    { RD_CTI_EVENT_RINGING, "c1", RD_CALL_DIRECTION_IN, "202", NULL, "no_answer",
      "event=newCall&direction=in&callId=c1&from=0612345678&to=912345678&user%5B%5D=202" },
    { RD_CTI_EVENT_RINGING, "c1", RD_CALL_DIRECTION_IN, "202", NULL, NULL, NULL },
    { RD_CTI_EVENT_ANSWERED, "c1", RD_CALL_DIRECTION_IN, "202", NULL, NULL,
      "event=answer&direction=in&callId=c1&from=0612345678&to=912345678&answeringNumber=202" },
    { RD_CTI_EVENT_HELD, "c1", RD_CALL_DIRECTION_IN, "202", NULL, NULL, NULL },
    { RD_CTI_EVENT_TRANSFERRED, "c1", RD_CALL_DIRECTION_IN, "202", "203", "transfer",
      "event=newCall&direction=in&callId=c1&from=0612345678&to=912345678&user%5B%5D=203" },
    { RD_CTI_EVENT_CLEARED, "c1", RD_CALL_DIRECTION_IN, "203", NULL, "normal", NULL },
    { RD_CTI_EVENT_CLEARED, "c1", RD_CALL_DIRECTION_IN, NULL, NULL, "busy",
      "event=hangup&direction=in&callId=c1&from=0612345678&to=912345678&cause=busy" },
    { RD_CTI_EVENT_RECORD, "c1", RD_CALL_DIRECTION_IN, "203", NULL, "busy", NULL },
    /* after its hangup the call is unknown: nothing more */
    { RD_CTI_EVENT_ANSWERED, "c1", RD_CALL_DIRECTION_IN, "203", NULL, NULL, NULL },
    /* outgoing: one newCall, one answer (the far end) */
    { RD_CTI_EVENT_ORIGINATED, "c2", RD_CALL_DIRECTION_OUT, "203", NULL, "new_call",
      "event=newCall&direction=out&callId=c2&from=203&to=0612345678&user%5B%5D=203" },
    { RD_CTI_EVENT_ANSWERED, "c2", RD_CALL_DIRECTION_OUT, "203", NULL, NULL,
      "event=answer&direction=out&callId=c2&from=203&to=0612345678&answeringNumber=203" },
    { RD_CTI_EVENT_ANSWERED, "c2", RD_CALL_DIRECTION_OUT, "203", NULL, NULL, NULL },
    { RD_CTI_EVENT_CLEARED, "c2", RD_CALL_DIRECTION_OUT, NULL, NULL, "normal",
      "event=hangup&direction=out&callId=c2&from=203&to=0612345678&cause=normalClearing" },
    /* internal: incoming at the extension rung; given up: cancel */
    { RD_CTI_EVENT_ORIGINATED, "c3", RD_CALL_DIRECTION_INTERNAL, "204", NULL, "new_call", NULL },
    { RD_CTI_EVENT_RINGING, "c3", RD_CALL_DIRECTION_INTERNAL, "201", NULL, "new_call",
      "event=newCall&direction=in&callId=c3&from=204&to=201&user%5B%5D=201" },
    { RD_CTI_EVENT_CLEARED, "c3", RD_CALL_DIRECTION_INTERNAL, NULL, NULL, "abandoned",
      "event=hangup&direction=in&callId=c3&from=204&to=201&cause=cancel" },
    /* a consulted transfer: 202 consults 204, who answers, then hands c5 over */
    { RD_CTI_EVENT_RINGING, "c5", RD_CALL_DIRECTION_IN, "202", NULL, "new_call",
      "event=newCall&direction=in&callId=c5&from=0612345678&to=912345678&user%5B%5D=202" },
    { RD_CTI_EVENT_ANSWERED, "c5", RD_CALL_DIRECTION_IN, "202", NULL, NULL,
      "event=answer&direction=in&callId=c5&from=0612345678&to=912345678&answeringNumber=202" },
    { RD_CTI_EVENT_ORIGINATED, "c4", RD_CALL_DIRECTION_INTERNAL, "202", NULL, "new_call", NULL },
    { RD_CTI_EVENT_RINGING, "c4", RD_CALL_DIRECTION_INTERNAL, "204", NULL, "new_call",
      "event=newCall&direction=in&callId=c4&from=202&to=204&user%5B%5D=204" },
    { RD_CTI_EVENT_ANSWERED, "c4", RD_CALL_DIRECTION_INTERNAL, "204", NULL, NULL,
      "event=answer&direction=in&callId=c4&from=202&to=204&answeringNumber=204" },
    { RD_CTI_EVENT_CLEARED, "c4", RD_CALL_DIRECTION_INTERNAL, NULL, NULL, "transfer",
      "event=hangup&direction=in&callId=c4&from=202&to=204&cause=normalClearing" },
    { RD_CTI_EVENT_TRANSFERRED, "c5", RD_CALL_DIRECTION_IN, "202", "204", "transfer",
      "event=newCall&direction=in&callId=c5&from=0612345678&to=912345678&user%5B%5D=204\n"
      "event=answer&direction=in&callId=c5&from=0612345678&to=912345678&answeringNumber=204" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(RdCtiEvent) event = sim_event (steps[i].type, steps[i].call_id, steps[i].direction,
                                               steps[i].extension, steps[i].cause);
      g_auto(GStrv) forms = NULL;
      g_autofree char *joined = NULL;

      event->target = g_strdup (steps[i].target);
      forms = rd_sim_webhook_format (webhook, event);
      joined = forms != NULL ? g_strjoinv ("\n", forms) : NULL;
      g_assert_cmpstr (joined, ==, steps[i].form);
      for (guint j = 0; forms != NULL && forms[j] != NULL; j++)
        {
          g_auto(RdGenericForm) parsed = { 0 };
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) events = NULL;

          g_assert_true (rd_generic_form_parse (forms[j], strlen (forms[j]), &parsed, &error));
          g_assert_no_error (error);
          events = rd_generic_form_to_events (&parsed);
          g_assert_cmpuint (events->len, ==, 1);
        }
    }
}

/* a closed bridge sends nothing and keeps nothing */
static void
test_sim_webhook_closed (void)
{
  g_autoptr(RdSimWebhook) webhook = rd_sim_webhook_new ("http://127.0.0.1:9/x");
  g_autoptr(RdCtiEvent) event = sim_event (RD_CTI_EVENT_RINGING, "c1", RD_CALL_DIRECTION_IN, "201",
                                           "new_call");

  rd_sim_webhook_close (webhook);
  rd_sim_webhook_send_event (webhook, event);
  g_assert_cmpuint (rd_sim_webhook_get_n_pending (webhook), ==, 0);
  g_assert_cmpuint (rd_sim_webhook_get_n_failed (webhook), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* sees every message, the INFO access log too, before it is filtered */
  g_log_set_writer_func (log_writer, NULL, NULL);

  g_test_add_func ("/generic/form/parse", test_form_parse);
  g_test_add_func ("/generic/form/events", test_form_events);
  g_test_add_func ("/generic/sim-webhook", test_sim_webhook);
  g_test_add_func ("/generic/sim-webhook-closed", test_sim_webhook_closed);
  g_test_add ("/generic/route/events", Fixture, SECRET, fixture_set_up, test_route_events, fixture_tear_down);
  g_test_add ("/generic/route/rejects", Fixture, SECRET, fixture_set_up, test_route_rejects, fixture_tear_down);
  g_test_add ("/generic/route/disabled", Fixture, "", fixture_set_up, test_route_disabled, fixture_tear_down);
  g_test_add_func ("/generic/from-config", test_from_config);

  return g_test_run ();
}
