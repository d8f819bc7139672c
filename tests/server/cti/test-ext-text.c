/* test-ext-text.c: the ExtText content parser, and RdExtTextLink watching a
 * temp folder that RdSimExtText writes to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "rd-common.h"
#include "rd-ext-text-link.h"
#include "rd-sim-exttext.h"

static void
assert_parse (const char    *data,
              gsize          length,
              RdExtTextKind  kind,
              const char    *number)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_cmpint (rd_ext_text_parse (data, length, &got, &error), ==, kind);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, number);
}

static void
assert_invalid (const char *data,
                gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_cmpint (rd_ext_text_parse (data, length, &got, &error), ==, RD_EXT_TEXT_EMPTY);
  g_assert_error (error, RD_ERROR, RD_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_null (got);
}

#define S(s) s, sizeof s - 1

static void
test_parse (void)
{
  /* verbatim: ExtText/3409.txt of CallCenterVDE */
  assert_parse (S ("entrante:8117897878"), RD_EXT_TEXT_INCOMING, "8117897878");
  assert_parse (S ("saliente:0612345678"), RD_EXT_TEXT_OUTGOING, "0612345678");
  /* what Windows tools add */
  assert_parse (S ("entrante:8117897878\r\n"), RD_EXT_TEXT_INCOMING, "8117897878");
  assert_parse (S ("\xef\xbb\xbf" "Entrante: 811 789 7878 \r\n"), RD_EXT_TEXT_INCOMING, "8117897878");
  assert_parse (S ("e\0n\0t\0r\0a\0n\0t\0e\0:\0" "8\0" "1\0" "1\0"), RD_EXT_TEXT_INCOMING, "811");
  assert_parse (S ("\xff\xfe" "s\0a\0l\0i\0e\0n\0t\0e\0:\0" "+\0" "3\0" "9\0"), RD_EXT_TEXT_OUTGOING, "+39");
  assert_parse (S ("SALIENTE:+34 (91) 123-45-67"), RD_EXT_TEXT_OUTGOING, "+34911234567");
  assert_parse (S ("entrante:111\r\nentrante:222\r\n"), RD_EXT_TEXT_INCOMING, "222");
  /* truncated by the writer, not written yet */
  assert_parse (S (""), RD_EXT_TEXT_EMPTY, NULL);
  assert_parse (S (" \r\n\r\n"), RD_EXT_TEXT_EMPTY, NULL);

  assert_invalid (S ("hello"));
  assert_invalid (S ("ringing:123"));
  assert_invalid (S ("entrante:"));
  assert_invalid (S ("entrante:12ab"));
  assert_invalid (S ("entrante:+"));
  assert_invalid (S ("entrante:123456789012345678901234567890123"));
  assert_invalid (S ("\xff\xfe" "e\0n\0\x00\xd8"));
  assert_invalid (S ("entrante:\xe9\xff\x80"));
  {
    g_autofree char *big = g_strnfill (RD_EXT_TEXT_MAX_SIZE + 1, '1');

    assert_invalid (big, RD_EXT_TEXT_MAX_SIZE + 1);
  }
}

static void
test_extension_from_name (void)
{
  const struct { const char *name; const char *extension; } cases[] = {
    { "3409.txt", "3409" },
    { "3409.TXT", "3409" },
    { "D101.txt", "D101" },
    { ".txt", NULL },
    { "3409.txt~", NULL },
    { "3409.csv", NULL },
    { "../3409.txt", NULL },
    { "34 09.txt", NULL },
    { "12345678901234567.txt", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = rd_ext_text_extension_from_name (cases[i].name);

      g_assert_cmpstr (got, ==, cases[i].extension);
    }
}

typedef struct
{
  char          *path;
  GFile         *folder;
  RdExtTextLink *link;
  RdSimExtText  *sim;
  GPtrArray     *events;
} Fixture;

static void
on_event (RdCtiLink  *link,
          RdCtiEvent *event,
          Fixture    *fixture)
{
  g_ptr_array_add (fixture->events, rd_cti_event_ref (event));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->path = g_dir_make_tmp ("ringdesk-exttext-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->folder = g_file_new_for_path (fixture->path);
  fixture->link = rd_ext_text_link_new (fixture->folder);
  fixture->sim = rd_sim_ext_text_new (fixture->folder);
  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rd_cti_event_unref);
  g_signal_connect (fixture->link, "event", G_CALLBACK (on_event), fixture);
}

static void
remove_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rd_cti_link_stop (RD_CTI_LINK (fixture->link));
  g_clear_object (&fixture->link);
  /* finishes the queued writes */
  g_clear_object (&fixture->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  remove_folder (fixture->path);
  g_clear_object (&fixture->folder);
  g_free (fixture->path);
  g_ptr_array_unref (fixture->events);
}

static void
wait_state (Fixture        *fixture,
            RdCtiLinkState  state)
{
  while (rd_cti_link_get_state (RD_CTI_LINK (fixture->link)) != state)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_events (Fixture *fixture,
             guint    n)
{
  while (fixture->events->len < n)
    g_main_context_iteration (NULL, TRUE);
}

static RdCtiEvent *
make_event (RdCtiEventType  type,
            const char     *extension,
            const char     *number)
{
  RdCtiEvent *event = rd_cti_event_new (type, "sim");

  event->extension = g_strdup (extension);
  if (type == RD_CTI_EVENT_RINGING)
    event->calling = g_strdup (number);
  else
    event->called = g_strdup (number);
  return event;
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->path, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE,
                                           0644, &error));
  g_assert_no_error (error);
}

static void
test_link_events (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RdCtiEvent) ringing = make_event (RD_CTI_EVENT_RINGING, "3409", "8117897878");
  g_autoptr(RdCtiEvent) originated = make_event (RD_CTI_EVENT_ORIGINATED, "3410", "0612345678");
  g_autoptr(RdCtiEvent) answered = make_event (RD_CTI_EVENT_ANSWERED, "3409", "8117897878");
  g_autoptr(RdCtiEvent) again = make_event (RD_CTI_EVENT_RINGING, "3409", "8117897878");
  g_autoptr(RdCtiEvent) shorter = make_event (RD_CTI_EVENT_ORIGINATED, "3409", "204");
  RdCtiEvent *e;

  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_state (fixture, RD_CTI_LINK_STATE_CONNECTED);

  rd_sim_ext_text_send_event (fixture->sim, ringing);
  rd_sim_ext_text_send_event (fixture->sim, answered);   /* the tool writes nothing */
  wait_events (fixture, 1);
  rd_sim_ext_text_send_event (fixture->sim, originated);
  wait_events (fixture, 2);
  /* the same caller again: the same content, a new call */
  rd_sim_ext_text_send_event (fixture->sim, again);
  wait_events (fixture, 3);
  /* a shorter text over a longer one: the file is truncated first */
  rd_sim_ext_text_send_event (fixture->sim, shorter);
  wait_events (fixture, 4);

  e = g_ptr_array_index (fixture->events, 0);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (e->link, ==, "exttext");
  g_assert_null (e->call_id);
  g_assert_cmpstr (e->extension, ==, "3409");
  g_assert_cmpstr (e->calling, ==, "8117897878");
  g_assert_cmpint (e->direction, ==, RD_CALL_DIRECTION_IN);

  e = g_ptr_array_index (fixture->events, 1);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_ORIGINATED);
  g_assert_cmpstr (e->extension, ==, "3410");
  g_assert_cmpstr (e->called, ==, "0612345678");
  g_assert_cmpint (e->direction, ==, RD_CALL_DIRECTION_OUT);

  e = g_ptr_array_index (fixture->events, 2);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_RINGING);
  g_assert_cmpstr (e->extension, ==, "3409");

  e = g_ptr_array_index (fixture->events, 3);
  g_assert_cmpint (e->type, ==, RD_CTI_EVENT_ORIGINATED);
  g_assert_cmpstr (e->called, ==, "204");
}

/* what the Windows tool writes, and what it never writes */
static void
test_sim_format (void)
{
  g_autoptr(RdCtiEvent) ringing = make_event (RD_CTI_EVENT_RINGING, "201", "0612345678");
  g_autoptr(RdCtiEvent) ring_back = make_event (RD_CTI_EVENT_RINGING, "201", "201");
  g_autoptr(RdCtiEvent) originated = make_event (RD_CTI_EVENT_ORIGINATED, "201", "0612345678");
  g_autoptr(RdCtiEvent) answered = make_event (RD_CTI_EVENT_ANSWERED, "201", "0612345678");
  g_autofree char *in = rd_sim_ext_text_format (ringing);
  g_autofree char *out = rd_sim_ext_text_format (originated);
  g_autofree char *back = rd_sim_ext_text_format (ring_back);
  g_autofree char *none = rd_sim_ext_text_format (answered);

  g_assert_cmpstr (in, ==, "entrante:0612345678");
  g_assert_cmpstr (out, ==, "saliente:0612345678");
  /* the PBX ringing 201 back for its own click-to-dial */
  g_assert_null (back);
  g_assert_null (none);
}

static void
test_link_ignores (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RdCtiEvent) ringing = make_event (RD_CTI_EVENT_RINGING, "201", "0611111111");
  g_autofree char *big = g_strnfill (RD_EXT_TEXT_MAX_SIZE + 100, '9');

  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_state (fixture, RD_CTI_LINK_STATE_CONNECTED);

  /* other files, then bad content; reported in this order before the good one */
  write_file (fixture, "notes.doc", "entrante:0699999999", -1);
  write_file (fixture, "3409.txt~", "entrante:0699999999", -1);
  write_file (fixture, "202.txt", "hello \xff\xfe world", -1);
  write_file (fixture, "203.txt", big, -1);
  rd_sim_ext_text_send_event (fixture->sim, ringing);
  wait_events (fixture, 1);

  g_assert_cmpuint (fixture->events->len, ==, 1);
  g_assert_cmpstr (((RdCtiEvent *) g_ptr_array_index (fixture->events, 0))->extension, ==, "201");
  g_assert_cmpuint (rd_ext_text_link_get_invalid_files (fixture->link), ==, 2);
}

static void
test_link_atomic_replace (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->path, "205.txt", NULL);

  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_state (fixture, RD_CTI_LINK_STATE_CONNECTED);

  /* a writer that writes a temporary file and renames it */
  g_assert_true (g_file_set_contents (path, "\xef\xbb\xbfsaliente:0033123456\r\n", -1, &error));
  g_assert_no_error (error);
  wait_events (fixture, 1);
  g_assert_cmpstr (((RdCtiEvent *) g_ptr_array_index (fixture->events, 0))->called, ==, "0033123456");
}

static void
test_link_folder (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RdCtiEvent) ringing = make_event (RD_CTI_EVENT_RINGING, "3409", "8117897878");
  g_autofree char *detail = NULL;

  /* no folder yet */
  g_assert_cmpint (g_rmdir (fixture->path), ==, 0);
  rd_cti_link_start (RD_CTI_LINK (fixture->link));
  wait_state (fixture, RD_CTI_LINK_STATE_DOWN);
  detail = rd_cti_link_dup_detail (RD_CTI_LINK (fixture->link));
  g_assert_nonnull (strstr (detail, "does not exist"));

  /* it appears */
  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  wait_state (fixture, RD_CTI_LINK_STATE_CONNECTED);
  rd_sim_ext_text_send_event (fixture->sim, ringing);
  wait_events (fixture, 1);

  /* it goes, and comes back */
  while (fixture->events->len > 0)
    g_ptr_array_remove_index (fixture->events, 0);
  g_object_unref (fixture->sim);
  fixture->sim = rd_sim_ext_text_new (fixture->folder);
  remove_folder (fixture->path);
  wait_state (fixture, RD_CTI_LINK_STATE_DOWN);
  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  wait_state (fixture, RD_CTI_LINK_STATE_CONNECTED);
  g_assert_cmpuint (rd_cti_link_get_reconnects (RD_CTI_LINK (fixture->link)), ==, 1);
  rd_sim_ext_text_send_event (fixture->sim, ringing);
  wait_events (fixture, 1);
}

static void
test_from_config (void)
{
  g_autoptr(RdConfig) config = rd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RdExtTextLink) link = NULL;
  static const char data[] = "[exttext]\nfolder=/nonexistent/ExtText\n";

  g_assert_true (rd_config_load_from_data (config, data, strlen (data), &error));
  g_assert_no_error (error);
  link = rd_ext_text_link_new_from_config (config);
  g_assert_cmpstr (rd_cti_link_get_name (RD_CTI_LINK (link)), ==, "exttext");

  rd_cti_link_start (RD_CTI_LINK (link));
  while (rd_cti_link_get_state (RD_CTI_LINK (link)) != RD_CTI_LINK_STATE_DOWN)
    g_main_context_iteration (NULL, TRUE);
  rd_cti_link_stop (RD_CTI_LINK (link));
  g_assert_cmpint (rd_cti_link_get_state (RD_CTI_LINK (link)), ==, RD_CTI_LINK_STATE_STOPPED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ext-text/parse", test_parse);
  g_test_add_func ("/ext-text/extension-from-name", test_extension_from_name);
  g_test_add_func ("/ext-text/sim-format", test_sim_format);
  g_test_add ("/ext-text/link/events", Fixture, NULL, fixture_set_up, test_link_events, fixture_tear_down);
  g_test_add ("/ext-text/link/ignores", Fixture, NULL, fixture_set_up, test_link_ignores, fixture_tear_down);
  g_test_add ("/ext-text/link/atomic-replace", Fixture, NULL, fixture_set_up, test_link_atomic_replace, fixture_tear_down);
  g_test_add ("/ext-text/link/folder", Fixture, NULL, fixture_set_up, test_link_folder, fixture_tear_down);
  g_test_add_func ("/ext-text/from-config", test_from_config);

  return g_test_run ();
}
