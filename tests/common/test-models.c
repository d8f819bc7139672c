/* test-models.c: the model objects of common/ against API.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every model is read from a full example of its API.md JSON (the JSON files in fixtures/,
 * "valid"), written back and compared member by member, then read from a table
 * of malformed variants of that example ("malformed"), each of which must fail
 * with the stated RdError code and never raise a critical.
 */

#include "config.h"

#include <math.h>

#include "rd-common.h"

typedef struct
{
  const char *file;
  GType     (*get_type) (void);
} ModelFixture;

static const ModelFixture fixtures[] = {
  { "ticket.json", rd_ticket_get_type },
  { "hop.json", rd_hop_get_type },
  { "call.json", rd_call_get_type },
  { "customer.json", rd_customer_get_type },
  { "group.json", rd_group_get_type },
  { "evidence.json", rd_evidence_get_type },
  { "location.json", rd_location_get_type },
  { "asset.json", rd_asset_get_type },
  { "sla-row.json", rd_sla_row_get_type },
  { "event.json", rd_event_get_type },
};

static JsonObject *
load_fixture (const char *file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "common", "fixtures", file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  JsonObject *object;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  object = rd_json_parse_object (contents, (gssize) length, &error);
  g_assert_no_error (error);

  return object;
}

/* RdEvent goes through the WebSocket validator (what the client does with a
 * message); everything else through the codec in the strict mode the server
 * reads requests with. */
static GObject *
parse_model (GType        type,
             const char  *text,
             GError     **error)
{
  g_autoptr(JsonObject) object = NULL;

  if (type == RD_TYPE_EVENT)
    return (GObject *) rd_event_new_from_json_string (text, -1, error);

  object = rd_json_parse_object (text, -1, error);
  if (object == NULL)
    return NULL;

  return rd_codec_new_from_json_full (type, object, RD_CODEC_STRICT, error);
}

static gboolean
datetimes_equal (const char *a,
                 const char *b)
{
  g_autoptr(GDateTime) da = rd_datetime_parse (a, NULL);
  g_autoptr(GDateTime) db = rd_datetime_parse (b, NULL);

  return da != NULL && db != NULL && g_date_time_equal (da, db);
}

/* Same JSON, except that times may differ in spelling (Z vs +00:00) and
 * numbers in type (4 vs 4.0). Reports the first difference. */
static void
assert_json_equivalent (JsonNode   *expected,
                        JsonNode   *actual,
                        const char *where)
{
  if (JSON_NODE_HOLDS_OBJECT (expected))
    {
      JsonObject *eo = json_node_get_object (expected);
      JsonObject *ao;
      g_autoptr(GList) members = NULL;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (actual));
      ao = json_node_get_object (actual);

      if (json_object_get_size (eo) != json_object_get_size (ao))
        {
          g_autofree char *e = rd_json_to_string (expected, FALSE);
          g_autofree char *a = rd_json_to_string (actual, FALSE);

          g_test_message ("%s: members differ:\n expected %s\n actual   %s", where, e, a);
          g_assert_cmpuint (json_object_get_size (eo), ==, json_object_get_size (ao));
        }

      members = json_object_get_members (eo);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *inner = g_strdup_printf ("%s.%s", where, (const char *) l->data);
          JsonNode *an = json_object_get_member (ao, l->data);

          if (an == NULL)
            g_test_message ("%s: missing in output", inner);
          g_assert_nonnull (an);
          assert_json_equivalent (json_object_get_member (eo, l->data), an, inner);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (expected))
    {
      JsonArray *ea = json_node_get_array (expected);
      JsonArray *aa;

      g_assert_true (JSON_NODE_HOLDS_ARRAY (actual));
      aa = json_node_get_array (actual);
      g_assert_cmpuint (json_array_get_length (ea), ==, json_array_get_length (aa));

      for (guint i = 0; i < json_array_get_length (ea); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s[%u]", where, i);

          assert_json_equivalent (json_array_get_element (ea, i),
                                  json_array_get_element (aa, i), inner);
        }
    }
  else if (JSON_NODE_HOLDS_NULL (expected))
    {
      if (!JSON_NODE_HOLDS_NULL (actual))
        g_test_message ("%s: expected null", where);
      g_assert_true (JSON_NODE_HOLDS_NULL (actual));
    }
  else
    {
      GType et = json_node_get_value_type (expected);

      g_assert_true (JSON_NODE_HOLDS_VALUE (actual));

      if (et == G_TYPE_STRING)
        {
          const char *es = json_node_get_string (expected);
          const char *as = json_node_get_string (actual);

          g_assert_cmpint (json_node_get_value_type (actual), ==, G_TYPE_STRING);
          if (g_strcmp0 (es, as) != 0 && !datetimes_equal (es, as))
            {
              g_test_message ("%s: expected “%s”, got “%s”", where, es, as);
              g_assert_cmpstr (es, ==, as);
            }
        }
      else if (et == G_TYPE_BOOLEAN)
        {
          g_assert_cmpint (json_node_get_value_type (actual), ==, G_TYPE_BOOLEAN);
          g_assert_cmpint (json_node_get_boolean (expected), ==, json_node_get_boolean (actual));
        }
      else if (et == G_TYPE_INT64 && json_node_get_value_type (actual) == G_TYPE_INT64)
        {
          g_assert_cmpint (json_node_get_int (expected), ==, json_node_get_int (actual));
        }
      else
        {
          g_assert_true (json_node_get_value_type (actual) == G_TYPE_DOUBLE ||
                         json_node_get_value_type (actual) == G_TYPE_INT64);
          g_assert_cmpfloat_with_epsilon (json_node_get_double (expected),
                                          json_node_get_double (actual), 1e-9);
        }
    }
}

static void
test_model_valid (gconstpointer data)
{
  const ModelFixture *fixture = data;
  GType type = fixture->get_type ();
  g_autoptr(JsonObject) root = load_fixture (fixture->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) second = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *input = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  JsonObject *valid = NULL;

  rd_json_get_object (root, "valid", RD_JSON_REQUIRED, &valid, &error);
  g_assert_no_error (error);
  input = rd_json_object_to_string (valid);

  first = parse_model (type, input, &error);
  g_assert_no_error (error);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (first, type));

  /* Every member of API.md comes back, with the same value. */
  expected = json_node_init_object (json_node_alloc (), valid);
  written = rd_codec_to_node (RD_CODEC (first));
  assert_json_equivalent (expected, written, g_type_name (type));

  /* And what we write we read back to the same thing. */
  text1 = rd_codec_to_json_string (RD_CODEC (first));
  second = parse_model (type, text1, &error);
  g_assert_no_error (error);
  text2 = rd_codec_to_json_string (RD_CODEC (second));
  g_assert_cmpstr (text1, ==, text2);
}

/* Sets root[path[0]]…[path[n-1]] = value in a mutable copy of the example. */
static void
set_path (JsonObject *object,
          JsonArray  *path,
          JsonNode   *value)
{
  guint n = json_array_get_length (path);

  for (guint i = 0; i + 1 < n; i++)
    {
      const char *name = json_array_get_string_element (path, i);

      object = json_object_get_object_member (object, name);
      g_assert_nonnull (object);
    }

  json_object_set_member (object, json_array_get_string_element (path, n - 1),
                          value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
}

static void
test_model_malformed (gconstpointer data)
{
  const ModelFixture *fixture = data;
  GType type = fixture->get_type ();
  g_autoptr(JsonObject) root = load_fixture (fixture->file);
  g_autoptr(GError) error = NULL;
  g_autofree char *valid_text = NULL;
  JsonObject *valid = NULL;
  JsonArray *cases = NULL;

  rd_json_get_object (root, "valid", RD_JSON_REQUIRED, &valid, &error);
  g_assert_no_error (error);
  rd_json_get_array (root, "malformed", RD_JSON_REQUIRED, &cases, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (cases), >, 0);
  valid_text = rd_json_object_to_string (valid);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *item = json_array_get_object_element (cases, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GObject) model = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *input = NULL;
      const char *code = NULL;
      const char *text = NULL;
      JsonArray *path = NULL;
      JsonArray *remove = NULL;

      rd_json_get_string (item, "error", RD_JSON_REQUIRED, &code, &error);
      rd_json_get_string (item, "text", RD_JSON_OPTIONAL, &text, &error);
      rd_json_get_array (item, "path", RD_JSON_OPTIONAL, &path, &error);
      rd_json_get_array (item, "remove", RD_JSON_OPTIONAL, &remove, &error);
      g_assert_no_error (error);

      if (text != NULL)
        {
          input = g_strdup (text);
        }
      else
        {
          JsonObject *copy;
          g_autoptr(JsonNode) copy_root = NULL;

          json_parser_load_from_data (parser, valid_text, -1, &error);
          g_assert_no_error (error);
          copy_root = json_node_ref (json_parser_get_root (parser));
          copy = json_node_get_object (copy_root);

          if (path != NULL)
            set_path (copy, path, json_object_get_member (item, "value"));
          if (remove != NULL)
            json_object_remove_member (copy, json_array_get_string_element (remove, 0));

          input = rd_json_to_string (copy_root, FALSE);
        }

      g_test_message ("%s case %u: %s → %s", g_type_name (type), i, input, code);
      model = parse_model (type, input, &local_error);
      g_assert_null (model);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == RD_ERROR);
      if (local_error->code != (int) rd_error_from_code (code))
        g_test_message ("  got %s: %s", rd_error_to_code (local_error->code),
                        local_error->message);
      g_assert_cmpstr (rd_error_to_code (local_error->code), ==, code);
      g_assert_cmpstr (local_error->message, !=, "");
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_ticket_notify (void)
{
  g_autoptr(RdTicket) ticket = rd_ticket_new ("1");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GDateTime) due = g_date_time_new_utc (2026, 11, 22, 14, 0, 0);
  g_autoptr(GDateTime) same_due = g_date_time_new_from_iso8601 ("2026-11-22T15:00:00+01:00", NULL);
  guint subject = 0, priority = 0, due_count = 0, state = 0;

  g_signal_connect (ticket, "notify::subject", G_CALLBACK (count_notify), &subject);
  g_signal_connect (ticket, "notify::priority", G_CALLBACK (count_notify), &priority);
  g_signal_connect (ticket, "notify::sla-resolution-due", G_CALLBACK (count_notify), &due_count);
  g_signal_connect (ticket, "notify::state", G_CALLBACK (count_notify), &state);

  rd_ticket_set_subject (ticket, "Boiler");
  rd_ticket_set_subject (ticket, "Boiler");
  g_assert_cmpuint (subject, ==, 1);
  g_object_set (ticket, "subject", "Heating", NULL);
  g_assert_cmpuint (subject, ==, 2);
  g_assert_cmpstr (rd_ticket_get_subject (ticket), ==, "Heating");

  g_assert_cmpint (rd_ticket_get_priority (ticket), ==, RD_PRIORITY_NORMAL);
  rd_ticket_set_priority (ticket, RD_PRIORITY_NORMAL);
  g_assert_cmpuint (priority, ==, 0);
  rd_ticket_set_priority (ticket, RD_PRIORITY_URGENT);
  g_assert_cmpuint (priority, ==, 1);

  /* The same instant in another offset is no change. */
  rd_ticket_set_sla_resolution_due (ticket, due);
  rd_ticket_set_sla_resolution_due (ticket, same_due);
  g_assert_cmpuint (due_count, ==, 1);
  rd_ticket_set_sla_resolution_due (ticket, NULL);
  g_assert_cmpuint (due_count, ==, 2);

  /* from_json notifies once per changed property, after all are set. */
  object = rd_json_parse_object ("{\"number\":\"1\",\"subject\":\"Heating\",\"state\":\"resolved\","
                                 "\"priority\":\"urgent\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (rd_codec_from_json (RD_CODEC (ticket), object, RD_CODEC_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (subject, ==, 2);
  g_assert_cmpuint (priority, ==, 1);
  g_assert_cmpuint (state, ==, 1);
  g_assert_cmpint (rd_ticket_get_state (ticket), ==, RD_TICKET_STATE_RESOLVED);
}

static void
test_ticket_defaults (void)
{
  g_autoptr(RdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonObject *sla;

  /* A create request: no number, only a subject. */
  ticket = rd_codec_new_from_json_string (RD_TYPE_TICKET, "{\"subject\":\"New\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_null (rd_ticket_get_number (ticket));
  g_assert_cmpint (rd_ticket_get_state (ticket), ==, RD_TICKET_STATE_OPEN);
  g_assert_cmpint (rd_ticket_get_priority (ticket), ==, RD_PRIORITY_NORMAL);
  g_assert_cmpint (rd_ticket_get_sla_state (ticket), ==, RD_SLA_STATE_OK);
  g_assert_true (rd_ticket_get_active (ticket));
  g_assert_nonnull (rd_ticket_get_created_at (ticket));
  g_assert_cmpuint (g_strv_length ((char **) rd_ticket_get_call_ids (ticket)), ==, 0);

  node = rd_codec_to_node (RD_CODEC (ticket));
  object = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (object, "number"));
  g_assert_true (json_object_get_null_member (object, "assignee"));
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (object, "priority"), ==, "normal");
  sla = json_object_get_object_member (object, "sla");
  g_assert_true (json_object_get_null_member (sla, "response_due"));
  g_assert_cmpstr (json_object_get_string_member (sla, "state"), ==, "ok");
}

static void
test_ticket_transitions (void)
{
  /* API.md: open→in_progress|cancelled, in_progress→resolved|open|cancelled,
   * resolved→closed|in_progress; closed and cancelled are final. */
  static const struct { const char *from, *to; } allowed[] = {
    { "open", "in_progress" }, { "open", "cancelled" },
    { "in_progress", "resolved" }, { "in_progress", "open" }, { "in_progress", "cancelled" },
    { "resolved", "closed" }, { "resolved", "in_progress" },
  };
  g_autoptr(GEnumClass) klass = g_type_class_ref (RD_TYPE_TICKET_STATE);
  guint n_allowed = 0;

  g_assert_cmpuint (klass->n_values, ==, 5);

  for (guint f = 0; f < klass->n_values; f++)
    {
      for (guint t = 0; t < klass->n_values; t++)
        {
          const GEnumValue *from = &klass->values[f];
          const GEnumValue *to = &klass->values[t];
          gboolean expected = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
            {
              if (g_str_equal (allowed[i].from, from->value_nick) &&
                  g_str_equal (allowed[i].to, to->value_nick))
                expected = TRUE;
            }

          g_test_message ("%s → %s", from->value_nick, to->value_nick);
          g_assert_cmpint (rd_ticket_state_can_transition (from->value, to->value), ==, expected);
          n_allowed += expected;
        }
    }
  g_assert_cmpuint (n_allowed, ==, G_N_ELEMENTS (allowed));

  g_assert_true (rd_ticket_state_is_final (RD_TICKET_STATE_CLOSED));
  g_assert_true (rd_ticket_state_is_final (RD_TICKET_STATE_CANCELLED));
  g_assert_false (rd_ticket_state_is_final (RD_TICKET_STATE_RESOLVED));
}

static void
test_enums (void)
{
  const GType types[] = {
    RD_TYPE_TICKET_STATE, RD_TYPE_PRIORITY, RD_TYPE_SLA_STATE, RD_TYPE_CALL_DIRECTION,
    RD_TYPE_CALL_STATE, RD_TYPE_CALL_OUTCOME, RD_TYPE_HOP_OUTCOME, RD_TYPE_GROUP_STRATEGY,
    RD_TYPE_PHONE_KIND, RD_TYPE_PHONE_SOURCE,
  };
  RdTicketState state = RD_TICKET_STATE_OPEN;
  RdCallOutcome outcome = RD_CALL_OUTCOME_ANSWERED;
  RdPriority priority = RD_PRIORITY_LOW;
  RdHopOutcome hop_outcome = RD_HOP_OUTCOME_ANSWERED;
  int value = -1;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (types[i]);

      for (guint v = 0; v < klass->n_values; v++)
        {
          const char *nick = rd_enum_to_string (types[i], klass->values[v].value);

          g_assert_nonnull (nick);
          g_assert_true (rd_enum_from_string (types[i], nick, &value));
          g_assert_cmpint (value, ==, klass->values[v].value);
        }
      g_assert_null (rd_enum_to_string (types[i], 1000));
      g_assert_false (rd_enum_from_string (types[i], "", &value));
      g_assert_false (rd_enum_from_string (types[i], NULL, &value));
    }

  g_assert_true (rd_ticket_state_from_string ("in_progress", &state));
  g_assert_cmpint (state, ==, RD_TICKET_STATE_IN_PROGRESS);
  g_assert_false (rd_ticket_state_from_string ("In_Progress", &state));
  g_assert_cmpint (state, ==, RD_TICKET_STATE_IN_PROGRESS);
  g_assert_cmpstr (rd_ticket_state_to_string (RD_TICKET_STATE_CANCELLED), ==, "cancelled");
  g_assert_true (rd_priority_from_string ("urgent", &priority));
  g_assert_cmpint (priority, ==, RD_PRIORITY_URGENT);
  g_assert_cmpstr (rd_sla_state_to_string (RD_SLA_STATE_AT_RISK), ==, "at_risk");
  g_assert_cmpstr (rd_group_strategy_to_string (RD_GROUP_STRATEGY_LEAST_OPEN), ==, "least_open");

  /* The “none” value stands for JSON null and is never a wire string. */
  g_assert_null (rd_call_outcome_to_string (RD_CALL_OUTCOME_NONE));
  g_assert_false (rd_call_outcome_from_string ("none", &outcome));
  g_assert_cmpint (outcome, ==, RD_CALL_OUTCOME_ANSWERED);
  g_assert_null (rd_hop_outcome_to_string (RD_HOP_OUTCOME_NONE));
  g_assert_false (rd_hop_outcome_from_string ("none", &hop_outcome));
  g_assert_true (rd_hop_outcome_from_string ("transferred", &hop_outcome));
  g_assert_cmpint (hop_outcome, ==, RD_HOP_OUTCOME_TRANSFERRED);
}

static void
count_items_changed (GListModel *list,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_call_tickets (void)
{
  g_autoptr(RdCall) call = rd_call_new ("c1");
  g_autoptr(RdTicket) ticket = rd_ticket_new ("77");
  g_autoptr(GListStore) tickets = g_list_store_new (RD_TYPE_TICKET);
  g_autoptr(RdHop) hop = rd_hop_new ("732");
  g_autoptr(RdCall) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  const char * const numbers[] = { "1", "2", NULL };
  const char * const *got;
  JsonArray *array;
  guint notify_tickets = 0;
  guint hops_changed = 0;

  g_signal_connect (call, "notify::tickets", G_CALLBACK (count_notify), &notify_tickets);
  g_signal_connect (rd_call_get_hops (call), "items-changed",
                    G_CALLBACK (count_items_changed), &hops_changed);

  rd_call_set_tickets (call, numbers);
  g_assert_cmpuint (notify_tickets, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_ticket_objects (call)), ==, 0);
  node = rd_codec_to_node (RD_CODEC (call));
  array = json_object_get_array_member (json_node_get_object (node), "tickets");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "2");
  g_clear_pointer (&node, json_node_unref);

  /* Ticket objects replace the numbers, which follow them. */
  rd_ticket_set_subject (ticket, "Boiler");
  g_list_store_append (tickets, ticket);
  rd_call_set_ticket_objects (call, G_LIST_MODEL (tickets));
  g_assert_cmpuint (notify_tickets, ==, 2);
  got = rd_call_get_tickets (call);
  g_assert_cmpstr (got[0], ==, "77");
  g_assert_null (got[1]);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_ticket_objects (call)), ==, 1);

  node = rd_codec_to_node (RD_CODEC (call));
  array = json_object_get_array_member (json_node_get_object (node), "tickets");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)));
  g_clear_pointer (&node, json_node_unref);

  text = rd_codec_to_json_string (RD_CODEC (call));
  parsed = rd_codec_new_from_json_string (RD_TYPE_CALL, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_call_get_tickets (parsed)[0], ==, "77");
  {
    g_autoptr(RdTicket) first = g_list_model_get_item (rd_call_get_ticket_objects (parsed), 0);

    g_assert_cmpstr (rd_ticket_get_subject (first), ==, "Boiler");
  }

  /* Setting numbers drops the objects. */
  rd_call_set_tickets (call, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_ticket_objects (call)), ==, 0);
  g_assert_null (rd_call_get_tickets (call)[0]);

  rd_call_append_hop (call, hop);
  g_assert_cmpuint (hops_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_hops (call)), ==, 1);
  rd_call_set_hops (call, NULL);
  g_assert_cmpuint (hops_changed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (rd_call_get_hops (call)), ==, 0);
}

static void
test_call_build (void)
{
  g_autoptr(RdCall) call = rd_call_new ("c9");
  g_autoptr(RdCustomer) customer = rd_customer_new ("cu-9");
  g_autoptr(RdHop) hop = rd_hop_new ("201");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RdCall) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  guint customer_count = 0;

  g_signal_connect (call, "notify::customer", G_CALLBACK (count_notify), &customer_count);
  rd_customer_set_name (customer, "Ana");
  rd_call_set_customer (call, customer);
  rd_call_set_customer (call, customer);
  g_assert_cmpuint (customer_count, ==, 1);

  rd_call_set_direction (call, RD_CALL_DIRECTION_OUT);
  rd_call_set_from (call, "201");
  rd_call_set_to (call, "0612345678");
  rd_call_set_state (call, RD_CALL_STATE_ENDED);
  rd_call_set_outcome (call, RD_CALL_OUTCOME_MISSED);
  rd_call_set_ended_at (call, now);
  rd_hop_set_outcome (hop, RD_HOP_OUTCOME_NO_ANSWER);
  rd_call_append_hop (call, hop);

  text = rd_codec_to_json_string (RD_CODEC (call));
  copy = rd_codec_new_from_json_string (RD_TYPE_CALL, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rd_call_get_direction (copy), ==, RD_CALL_DIRECTION_OUT);
  g_assert_cmpint (rd_call_get_outcome (copy), ==, RD_CALL_OUTCOME_MISSED);
  g_assert_cmpstr (rd_call_get_to (copy), ==, "0612345678");
  g_assert_cmpstr (rd_customer_get_name (rd_call_get_customer (copy)), ==, "Ana");
  g_assert_true (g_date_time_equal (rd_call_get_ended_at (copy), now) ||
                 g_date_time_to_unix (rd_call_get_ended_at (copy)) == g_date_time_to_unix (now));
  g_assert_null (rd_call_get_answered_at (copy));
  text2 = rd_codec_to_json_string (RD_CODEC (copy));
  g_assert_cmpstr (text, ==, text2);

  /* Back to null. */
  rd_call_set_customer (call, NULL);
  rd_call_set_outcome (call, RD_CALL_OUTCOME_NONE);
  g_clear_pointer (&text, g_free);
  text = rd_codec_to_json_string (RD_CODEC (call));
  g_assert_nonnull (strstr (text, "\"customer\":null"));
  g_assert_nonnull (strstr (text, "\"outcome\":null"));
}

static void
test_sla_row_nulls (void)
{
  g_autoptr(RdSlaRow) row = rd_sla_row_new ("2026-11-22");
  g_autoptr(RdSlaRow) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (isnan (rd_sla_row_get_compliance (row)));
  text = rd_codec_to_json_string (RD_CODEC (row));
  g_assert_nonnull (strstr (text, "\"compliance\":null"));
  g_assert_nonnull (strstr (text, "\"resolution_p90_h\":null"));

  copy = rd_codec_new_from_json_string (RD_TYPE_SLA_ROW, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (rd_sla_row_get_resolution_median_h (copy)));

  rd_sla_row_set_compliance (copy, 0.5);
  g_assert_cmpfloat (rd_sla_row_get_compliance (copy), ==, 0.5);
}

static void
test_group_build (void)
{
  g_autoptr(RdGroup) group = rd_group_new ("desk");
  g_autoptr(RdGroup) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char * const members[] = { "agent1", "agent2", NULL };
  guint members_count = 0;

  g_signal_connect (group, "notify::members", G_CALLBACK (count_notify), &members_count);
  rd_group_set_members (group, members);
  rd_group_set_members (group, members);
  g_assert_cmpuint (members_count, ==, 1);
  rd_group_set_strategy (group, RD_GROUP_STRATEGY_RANDOM);

  text = rd_codec_to_json_string (RD_CODEC (group));
  copy = rd_codec_new_from_json_string (RD_TYPE_GROUP, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal (rd_group_get_members (copy), members));
  g_assert_cmpint (rd_group_get_strategy (copy), ==, RD_GROUP_STRATEGY_RANDOM);
}

static void
test_event_payloads (void)
{
  static const char *types[] = {
    RD_EVENT_CALL_RINGING, RD_EVENT_CALL_ANSWERED, RD_EVENT_CALL_HELD,
    RD_EVENT_CALL_RETRIEVED, RD_EVENT_CALL_TRANSFERRED, RD_EVENT_CALL_ENDED,
    RD_EVENT_TICKET_CREATED, RD_EVENT_TICKET_UPDATED, RD_EVENT_TICKET_ASSIGNED,
    RD_EVENT_NOTIFY_IM, RD_EVENT_SLA_AT_RISK, RD_EVENT_SYNC_FINISHED,
  };
  g_autoptr(RdEvent) im = NULL;
  g_autoptr(RdEvent) updated = NULL;
  g_autoptr(RdEvent) built = rd_event_new (RD_EVENT_TICKET_ASSIGNED);
  g_autoptr(RdEvent) reread = NULL;
  g_autoptr(RdTicket) ticket = rd_ticket_new ("5");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_assert_true (rd_event_type_is_valid (types[i]));
  g_assert_false (rd_event_type_is_valid (RD_EVENT_SUBSCRIBE));
  g_assert_false (rd_event_type_is_valid (NULL));

  im = rd_event_new_from_json_string ("{\"type\":\"notify.im\",\"at\":\"2026-11-22T14:05:00Z\","
                                      "\"extension\":\"732\",\"text\":\"Ticket 1234\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_event_get_text (im), ==, "Ticket 1234");
  g_assert_cmpstr (rd_event_get_extension (im), ==, "732");
  g_assert_null (rd_event_get_call (im));

  updated = rd_event_new_from_json_string ("{\"type\":\"sync.finished\",\"at\":\"2026-11-22T14:05:00Z\","
                                           "\"extension\":null}", -1, &error);
  g_assert_no_error (error);
  g_assert_null (rd_event_get_extension (updated));

  /* Payload members are written only when set. */
  rd_ticket_set_subject (ticket, "Leak");
  rd_event_set_ticket (built, ticket);
  rd_event_set_extension (built, "201");
  text = rd_codec_to_json_string (RD_CODEC (built));
  g_assert_null (strstr (text, "\"call\""));
  g_assert_null (strstr (text, "\"text\""));
  reread = rd_event_new_from_json_string (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rd_ticket_get_subject (rd_event_get_ticket (reread)), ==, "Leak");
  g_assert_cmpstr (rd_event_get_event_type (reread), ==, RD_EVENT_TICKET_ASSIGNED);
}

static void
test_event_too_large (void)
{
  g_autoptr(GString) big = g_string_new ("{\"type\":\"notify.im\",\"at\":\"2026-11-22T14:05:00Z\",\"text\":\"");
  g_autoptr(RdEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) extensions = NULL;

  while (big->len <= RD_EVENT_MAX_SIZE)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");

  event = rd_event_new_from_json_string (big->str, (gssize) big->len, &error);
  g_assert_null (event);
  g_assert_error (error, RD_ERROR, RD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  event = rd_event_new_from_json_string (big->str, -1, &error);
  g_assert_null (event);
  g_assert_error (error, RD_ERROR, RD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (rd_event_parse_subscribe (big->str, -1, &extensions, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_TOO_LARGE);
  g_assert_null (extensions);
  g_clear_error (&error);

  event = rd_event_new_from_json_string (NULL, -1, &error);
  g_assert_null (event);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_JSON);
}

static void
test_event_subscribe (void)
{
  static const struct { const char *text; int code; } bad[] = {
    { "", RD_ERROR_INVALID_JSON },
    { "[\"732\"]", RD_ERROR_INVALID_JSON },
    { "{\"type\":\"subscribe\"}", RD_ERROR_MISSING_FIELD },
    { "{\"extensions\":[\"732\"]}", RD_ERROR_MISSING_FIELD },
    { "{\"type\":\"unsubscribe\",\"extensions\":[\"732\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":\"732\"}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":[732]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":[\"7a2\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":[\"\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":[\"**\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":null}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":[],\"token\":\"x\"}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":7,\"extensions\":[]}", RD_ERROR_INVALID_FIELD },
  };
  const char * const wanted[] = { "732", "*", NULL };
  g_autoptr(GString) many = g_string_new ("{\"type\":\"subscribe\",\"extensions\":[\"1\"");
  g_auto(GStrv) extensions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = rd_event_build_subscribe (wanted);

  g_assert_cmpstr (text, ==, "{\"type\":\"subscribe\",\"extensions\":[\"732\",\"*\"]}");
  g_assert_true (rd_event_parse_subscribe (text, -1, &extensions, &error));
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) extensions, wanted));
  g_clear_pointer (&extensions, g_strfreev);
  g_clear_pointer (&text, g_free);

  text = rd_event_build_subscribe (NULL);
  g_assert_true (rd_event_parse_subscribe (text, -1, &extensions, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (extensions), ==, 0);
  g_clear_pointer (&extensions, g_strfreev);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("subscribe: %s", bad[i].text);
      g_assert_false (rd_event_parse_subscribe (bad[i].text, -1, &extensions, &error));
      g_assert_error (error, RD_ERROR, bad[i].code);
      g_assert_null (extensions);
      g_clear_error (&error);
    }

  for (guint i = 0; i < RD_EVENT_MAX_SUBSCRIPTIONS; i++)
    g_string_append (many, ",\"1\"");
  g_string_append (many, "]}");
  g_assert_false (rd_event_parse_subscribe (many->str, -1, &extensions, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
}

/* the server's acknowledgement: the same strict shape, its own type */
static void
test_event_subscribed (void)
{
  static const struct { const char *text; int code; } bad[] = {
    { "", RD_ERROR_INVALID_JSON },
    { "not json", RD_ERROR_INVALID_JSON },
    { "{\"type\":\"subscribed\"}", RD_ERROR_MISSING_FIELD },
    { "{\"type\":\"subscribe\",\"extensions\":[\"732\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"call.ringing\",\"extensions\":[\"732\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribed\",\"extensions\":\"732\"}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribed\",\"extensions\":[\"7a2\"]}", RD_ERROR_INVALID_FIELD },
    { "{\"type\":\"subscribed\",\"extensions\":[],\"at\":\"x\"}", RD_ERROR_INVALID_FIELD },
  };
  const char * const wanted[] = { "732", NULL };
  g_auto(GStrv) extensions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = rd_event_build_subscribed (wanted);
  g_autoptr(RdEvent) event = NULL;

  g_assert_cmpstr (text, ==, "{\"type\":\"subscribed\",\"extensions\":[\"732\"]}");
  g_assert_true (rd_event_parse_subscribed (text, -1, &extensions, &error));
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) extensions, wanted));
  g_clear_pointer (&extensions, g_strfreev);

  /* not an event, nor a subscribe */
  event = rd_event_new_from_json_string (text, -1, &error);
  g_assert_null (event);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (rd_event_parse_subscribe (text, -1, &extensions, &error));
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("subscribed: %s", bad[i].text);
      g_assert_false (rd_event_parse_subscribed (bad[i].text, -1, &extensions, &error));
      g_assert_error (error, RD_ERROR, bad[i].code);
      g_assert_null (extensions);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *base = g_strndup (fixtures[i].file, strlen (fixtures[i].file) - 5);
      g_autofree char *valid = g_strdup_printf ("/models/%s/valid", base);
      g_autofree char *malformed = g_strdup_printf ("/models/%s/malformed", base);

      g_test_add_data_func (valid, &fixtures[i], test_model_valid);
      g_test_add_data_func (malformed, &fixtures[i], test_model_malformed);
    }

  g_test_add_func ("/models/ticket/notify", test_ticket_notify);
  g_test_add_func ("/models/ticket/defaults", test_ticket_defaults);
  g_test_add_func ("/models/ticket/transitions", test_ticket_transitions);
  g_test_add_func ("/models/enums", test_enums);
  g_test_add_func ("/models/call/tickets", test_call_tickets);
  g_test_add_func ("/models/call/build", test_call_build);
  g_test_add_func ("/models/sla-row/nulls", test_sla_row_nulls);
  g_test_add_func ("/models/group/build", test_group_build);
  g_test_add_func ("/models/event/payloads", test_event_payloads);
  g_test_add_func ("/models/event/too-large", test_event_too_large);
  g_test_add_func ("/models/event/subscribe", test_event_subscribe);
  g_test_add_func ("/models/event/subscribed", test_event_subscribed);

  return g_test_run ();
}
