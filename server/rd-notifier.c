/* rd-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The innovaphone ticket message, sent as an IM (the engine's `notify.im`
 * event) and by SMS, only to the technician who answered the call or, when
 * nobody answered, who was rung last. The text (rd_notifier_format_text()):
 *
 *   Ticket 1234 Caller 03472619287 Called 732 22.11.2026 14:05
 *
 * the ticket number, the calling number, the extension notified and when the
 * call started (server local time, DD.MM.YYYY HH:MM). It is plain ASCII
 * unless the numbers are not, and short enough for one SMS.
 *
 * SMS providers (`[sms] provider`):
 * - `http`: `url` is a template in which `{to}` and `{text}` are replaced by
 *   the URL-encoded number and text; `method` is GET or POST (POST sends no
 *   body). Any 2xx answer is success. The URL may hold an API key, so it is
 *   never logged; errors name only the status.
 * - `gammu`: a file per message in gammu-smsd's outbox folder (`spool-dir`,
 *   the FILES backend's OutboxPath), named
 *   `OUTC<YYYYMMDD>_<HHMMSS>_<NN>_<number>_ringdesk.txt` (priority C, a
 *   serial NN against same-second names). gammu-smsd picks up every file
 *   whose name starts with OUT, so the message is written under a hidden
 *   temporary name and renamed into place: gammu never reads half a message.
 *   ASCII texts are written as they are; any other text as UTF-16LE with a
 *   byte-order mark, which gammu reads as Unicode.
 *
 * Sending never blocks the main loop: HTTP goes through an async
 * SoupSession, spool files are written in a GTask thread.
 */

#define G_LOG_DOMAIN "RdNotifier"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "rd-error.h"
#include "rd-notifier.h"

typedef enum
{
  PROVIDER_NONE,
  PROVIDER_HTTP,
  PROVIDER_GAMMU,
} Provider;

struct _RdNotifier
{
  GObject      parent_instance;

  Provider     provider;
  char        *url_template;
  char        *method;
  char        *spool_dir;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (RdNotifier, rd_notifier, G_TYPE_OBJECT)

/* one spool writer at a time, so two messages never pick the same name */
static GMutex spool_lock;

#define MAX_NUMBER_LENGTH 32

/**
 * rd_notifier_format_text:
 * @ticket: (nullable): the ticket number
 * @extension: (nullable): the extension notified
 *
 * Returns: (transfer full): the ticket message (see the top of this file)
 */
char *
rd_notifier_format_text (RdCall     *call,
                         const char *ticket,
                         const char *extension)
{
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *when = NULL;
  const char *from;

  g_return_val_if_fail (RD_IS_CALL (call), NULL);

  started = rd_call_get_started_at (call) != NULL
            ? g_date_time_to_local (rd_call_get_started_at (call))
            : g_date_time_new_now_local ();
  when = g_date_time_format (started, "%d.%m.%Y %H:%M");
  from = rd_call_get_from (call);

  return g_strdup_printf ("Ticket %s Caller %s Called %s %s",
                          ticket != NULL ? ticket : "-",
                          from != NULL && from[0] != '\0' ? from : "unknown",
                          extension != NULL ? extension : "-",
                          when);
}

gboolean
rd_notifier_is_enabled (RdNotifier *self)
{
  g_return_val_if_fail (RD_IS_NOTIFIER (self), FALSE);

  return self->provider != PROVIDER_NONE;
}

/* a number as it may go into a URL or a file name: digits and a leading + */
static gboolean
number_is_valid (const char *to)
{
  gsize len;

  if (to == NULL)
    return FALSE;

  len = strlen (to);
  if (len == 0 || len > MAX_NUMBER_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!(g_ascii_isdigit (to[i]) || (i == 0 && to[i] == '+')))
        return FALSE;
    }

  return len > (to[0] == '+' ? 1u : 0u);
}

static char *
expand_template (const char *template,
                 const char *to,
                 const char *text)
{
  g_autofree char *to_escaped = g_uri_escape_string (to, NULL, FALSE);
  g_autofree char *text_escaped = g_uri_escape_string (text, NULL, FALSE);
  GString *url = g_string_new (NULL);

  for (const char *p = template; *p != '\0'; p++)
    {
      if (g_str_has_prefix (p, "{to}"))
        {
          g_string_append (url, to_escaped);
          p += strlen ("{to}") - 1;
        }
      else if (g_str_has_prefix (p, "{text}"))
        {
          g_string_append (url, text_escaped);
          p += strlen ("{text}") - 1;
        }
      else
        {
          g_string_append_c (url, *p);
        }
    }

  return g_string_free (url, FALSE);
}

static void
http_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg = g_task_get_task_data (task);
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                               "SMS provider unreachable: %s", error->message);
      return;
    }

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                               "SMS provider answered HTTP %u", status);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
write_spool_file (const char  *dir,
                  const char  *to,
                  const char  *text,
                  GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d_%H%M%S");
  g_autofree char *tmp_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  gsize length = 0;
  gboolean ascii = TRUE;
  int fd;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        ascii = FALSE;
    }

  if (ascii)
    {
      contents = g_strdup (text);
      length = strlen (text);
    }
  else
    {
      glong n_units = 0;
      g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, &n_units, error);

      if (utf16 == NULL)
        return FALSE;
      length = 2 + (gsize) n_units * 2;
      contents = g_malloc (length);
      contents[0] = (char) 0xff;
      contents[1] = (char) 0xfe;
      for (glong i = 0; i < n_units; i++)
        {
          contents[2 + i * 2] = (char) (utf16[i] & 0xff);
          contents[3 + i * 2] = (char) (utf16[i] >> 8);
        }
    }

  tmp_path = g_build_filename (dir, ".ringdesk-sms-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot create a file in the SMS spool folder: %s", g_strerror (errsv));
      return FALSE;
    }

  {
    gsize done = 0;

    while (done < length)
      {
        gssize n = write (fd, contents + done, length - done);

        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          {
            int errsv = errno;
            close (fd);
            g_unlink (tmp_path);
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                         "Cannot write the SMS spool file: %s", g_strerror (errsv));
            return FALSE;
          }
        done += (gsize) n;
      }
  }

  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int errsv = errno;
      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot write the SMS spool file: %s", g_strerror (errsv));
      return FALSE;
    }

  locker = g_mutex_locker_new (&spool_lock);
  for (guint serial = 0; serial < 100; serial++)
    {
      g_autofree char *name = g_strdup_printf ("OUTC%s_%02u_%s_ringdesk.txt", stamp, serial, to);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (tmp_path, path) != 0)
        {
          int errsv = errno;
          g_unlink (tmp_path);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "Cannot move the SMS into the spool folder: %s", g_strerror (errsv));
          return FALSE;
        }
      return TRUE;
    }

  g_unlink (tmp_path);
  g_set_error_literal (error, RD_ERROR, RD_ERROR_UNAVAILABLE, "Too many SMS in the spool this second");
  return FALSE;
}

typedef struct
{
  char *dir;
  char *to;
  char *text;
} SpoolJob;

static void
spool_job_free (gpointer data)
{
  SpoolJob *job = data;

  g_free (job->dir);
  g_free (job->to);
  g_free (job->text);
  g_free (job);
}

static void
spool_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SpoolJob *job = task_data;
  GError *error = NULL;

  if (write_spool_file (job->dir, job->to, job->text, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * rd_notifier_send_sms_async:
 * @to: the mobile number: digits, optionally after a "+"
 *
 * Sends @text with the configured provider. Fails with
 * %RD_ERROR_UNAVAILABLE when no provider is configured or it fails, and
 * %RD_ERROR_INVALID_FIELD for a number that is not one.
 */
void
rd_notifier_send_sms_async (RdNotifier          *self,
                            const char          *to,
                            const char          *text,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RD_IS_NOTIFIER (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rd_notifier_send_sms_async);

  if (!number_is_valid (to))
    {
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_INVALID_FIELD,
                               "Not a mobile number an SMS can go to");
      return;
    }

  switch (self->provider)
    {
    case PROVIDER_HTTP:
      {
        g_autofree char *url = expand_template (self->url_template, to, text);
        g_autoptr(SoupMessage) msg = soup_message_new (self->method, url);

        if (msg == NULL)
          {
            g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE,
                                     "The SMS URL template does not make a valid URL");
            return;
          }
        g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
        soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                          http_sent_cb, g_steal_pointer (&task));
        return;
      }

    case PROVIDER_GAMMU:
      {
        SpoolJob *job = g_new0 (SpoolJob, 1);

        job->dir = g_strdup (self->spool_dir);
        job->to = g_strdup (to);
        job->text = g_strdup (text);
        g_task_set_task_data (task, job, spool_job_free);
        g_task_run_in_thread (task, spool_thread);
        return;
      }

    case PROVIDER_NONE:
    default:
      g_task_return_new_error (task, RD_ERROR, RD_ERROR_UNAVAILABLE, "No SMS provider is configured");
      return;
    }
}

gboolean
rd_notifier_send_sms_finish (RdNotifier    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rd_notifier_send_sms_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rd_notifier_finalize (GObject *object)
{
  RdNotifier *self = (RdNotifier *) object;

  g_clear_pointer (&self->url_template, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->spool_dir, g_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (rd_notifier_parent_class)->finalize (object);
}

static void
rd_notifier_class_init (RdNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_notifier_finalize;
}

static void
rd_notifier_init (RdNotifier *self)
{
  self->provider = PROVIDER_NONE;
}

/**
 * rd_notifier_new_http:
 * @url_template: a URL with `{to}` and `{text}`
 * @method: "GET" or "POST"
 */
RdNotifier *
rd_notifier_new_http (const char *url_template,
                      const char *method)
{
  RdNotifier *self;

  g_return_val_if_fail (url_template != NULL, NULL);

  self = g_object_new (RD_TYPE_NOTIFIER, NULL);
  self->provider = PROVIDER_HTTP;
  self->url_template = g_strdup (url_template);
  self->method = g_strdup (g_strcmp0 (method, "POST") == 0 ? "POST" : "GET");
  self->session = soup_session_new_with_options ("timeout", 30, "user-agent", "ringdesk-server", NULL);

  return self;
}

/**
 * rd_notifier_new_gammu:
 * @spool_dir: gammu-smsd's outbox folder
 */
RdNotifier *
rd_notifier_new_gammu (const char *spool_dir)
{
  RdNotifier *self;

  g_return_val_if_fail (spool_dir != NULL, NULL);

  self = g_object_new (RD_TYPE_NOTIFIER, NULL);
  self->provider = PROVIDER_GAMMU;
  self->spool_dir = g_strdup (spool_dir);

  return self;
}

/**
 * rd_notifier_new_from_config:
 *
 * From `[sms] provider`, `url`, `method` and `spool-dir`. A provider whose
 * required key is empty is off, with a warning.
 */
RdNotifier *
rd_notifier_new_from_config (RdConfig *config)
{
  g_autofree char *provider = rd_config_get_string (config, "sms", "provider");

  if (g_strcmp0 (provider, "http") == 0)
    {
      g_autofree char *url = rd_config_get_string (config, "sms", "url");
      g_autofree char *method = rd_config_get_string (config, "sms", "method");

      if (url != NULL && url[0] != '\0')
        return rd_notifier_new_http (url, method);
      g_warning ("[sms] provider=http needs a url; SMS are off");
    }
  else if (g_strcmp0 (provider, "gammu") == 0)
    {
      g_autofree char *spool = rd_config_get_string (config, "sms", "spool-dir");

      if (spool != NULL && spool[0] != '\0')
        return rd_notifier_new_gammu (spool);
      g_warning ("[sms] provider=gammu needs a spool-dir; SMS are off");
    }

  return g_object_new (RD_TYPE_NOTIFIER, NULL);
}
