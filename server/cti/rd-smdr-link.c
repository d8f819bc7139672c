/* rd-smdr-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SMDR over LAN, the client side: connect to the PBX (default port 2300),
 * wait for the `-` prompt, send `SMDR`, answer `Enter Password:` with the
 * password (default PCCSMDR), then read one record per line (CR, LF or
 * CR+LF) and emit an RdCtiEvent for each call record through
 * rd_smdr_parse_line()/rd_smdr_record_to_event(). See
 * docs/panasonic-protocols.md §1.
 *
 * `Rejected` puts the link DOWN with the detail "password rejected" and a
 * longer wait before the next try. Any other failure (refused, closed,
 * reset) retries after 100 ms, doubling up to 1 s, plus up to 100 ms of
 * jitter. Lines longer than RD_SMDR_MAX_LINE and lines that do not parse are
 * counted and skipped; the link never drops the connection for them.
 *
 * The PBX does not confirm a good password: the link is CONNECTED at the
 * first line after the password echo (the header, normally), or after a
 * short grace period without `Rejected`.
 *
 * A dead PBX: a PBX that accepts the connection but says nothing for
 * LOGIN_TIMEOUT_S before the login is done is given up on and tried again.
 * Afterwards SMDR is silent between calls (for hours at night), so silence
 * is no proof; TCP keepalive notices a host that is gone (probes after
 * 30 s of silence, every 10 s, three unanswered end the connection: the
 * system's default waits two hours), and with `[smdr] idle-timeout` (seconds, 0 for none)
 * the link reconnects after that long without a byte, for sites whose PBX
 * prints something regularly or where a fresh session costs nothing.
 */

#define G_LOG_DOMAIN "RdSmdrLink"

#include "config.h"

#include "rd-cti-link-status.h"
#include "rd-smdr-link.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#define READ_CHUNK 4096
#define MAX_LOGIN_TEXT 4096
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 1000
#define BACKOFF_JITTER_MS 100
#define BACKOFF_REJECTED_MS 10000
#define LOGIN_GRACE_MS 3000
#define CONNECT_TIMEOUT_S 10
#define LOGIN_TIMEOUT_S 10
/* a PBX switched off or cut from the network, noticed within a minute */
#define KEEPALIVE_IDLE_S 30
#define KEEPALIVE_INTERVAL_S 10
#define KEEPALIVE_COUNT 3

typedef enum
{
  PHASE_IDLE,
  PHASE_PROMPT,
  PHASE_PASSWORD,
  PHASE_RECORDS,
} Phase;

struct _RdSmdrLink
{
  GObject              parent_instance;

  char                *host;
  guint16              port;
  char                *password;
  RdSmdrOptions        options;
  RdSmdrLayout         header_layout;   /* announced by the last header (layout auto) */

  RdCtiLinkStatus      status;
  gboolean             started;

  GSocketClient       *client;
  GSocketConnection   *connection;
  GCancellable        *cancellable;
  GString             *buffer;
  gboolean             discarding;      /* inside an over-long line */
  Phase                phase;
  guint                failures;
  guint                retry_id;
  guint                grace_id;
  guint                idle_id;         /* the watchdog of a silent PBX */
  guint                idle_timeout;    /* seconds without a byte, 0 for no limit */
  guint                idle_armed;      /* the seconds idle_id waits */
  char                *queued;          /* text waiting for the write before it */

  guint                invalid_lines;
  guint                records;
};

static void rd_smdr_link_iface_init (RdCtiLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RdSmdrLink, rd_smdr_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RD_TYPE_CTI_LINK, rd_smdr_link_iface_init))

static void smdr_connect (RdSmdrLink *self);
static void smdr_read (RdSmdrLink *self);

static void
set_state (RdSmdrLink     *self,
           RdCtiLinkState  state,
           const char     *detail)
{
  rd_cti_link_status_set (&self->status, G_OBJECT (self), state, detail);
}

static void
disconnect (RdSmdrLink *self)
{
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  g_string_truncate (self->buffer, 0);
  if (self->queued != NULL)
    memset (self->queued, 0, strlen (self->queued));
  g_clear_pointer (&self->queued, g_free);
  self->discarding = FALSE;
  self->phase = PHASE_IDLE;
  self->header_layout = RD_SMDR_LAYOUT_AUTO;
}

static gboolean
retry_cb (gpointer user_data)
{
  RdSmdrLink *self = user_data;

  self->retry_id = 0;
  rd_cti_link_status_add_reconnect (&self->status, G_OBJECT (self));
  smdr_connect (self);

  return G_SOURCE_REMOVE;
}

/* the connection failed or ended: DOWN, and try again later */
static void
fail (RdSmdrLink *self,
      const char *detail,
      gboolean    rejected)
{
  guint delay;

  disconnect (self);
  if (!self->started)
    return;

  if (rejected)
    delay = BACKOFF_REJECTED_MS;
  else
    delay = MIN ((guint) BACKOFF_MIN_MS << MIN (self->failures, 8), (guint) BACKOFF_MAX_MS);
  delay += g_random_int_range (0, BACKOFF_JITTER_MS + 1);
  self->failures++;

  set_state (self, RD_CTI_LINK_STATE_DOWN, detail);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay, retry_cb, self);
}

typedef struct
{
  RdSmdrLink *self;
  char       *text;
} Write;

static void send_text (RdSmdrLink *self,
                       const char *text,
                       const char *end);

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(RdSmdrLink) self = write->self;
  g_autoptr(GError) error = NULL;
  GOutputStream *current = NULL;

  memset (write->text, 0, strlen (write->text));
  g_free (write->text);
  g_free (write);

  if (self->connection != NULL)
    current = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));

  if (g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_autofree char *next = g_steal_pointer (&self->queued);

      /* the answer waited for the question's write to finish */
      if (next != NULL && source == (GObject *) current)
        send_text (self, next, "");
      if (next != NULL)
        memset (next, 0, strlen (next));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (source == (GObject *) current)
    {
      g_autofree char *detail = g_strdup_printf ("write failed: %s", error->message);

      fail (self, detail, FALSE);
    }
}

/* one write at a time: the login is strictly question, answer */
static void
send_text (RdSmdrLink *self,
           const char *text,
           const char *end)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  Write *write;

  if (g_output_stream_has_pending (output))
    {
      g_autofree char *queued = self->queued;

      self->queued = g_strconcat (queued ? queued : "", text, end, NULL);
      if (queued != NULL)
        memset (queued, 0, strlen (queued));
      return;
    }

  write = g_new0 (Write, 1);
  write->self = g_object_ref (self);
  write->text = g_strconcat (text, end, NULL);
  g_output_stream_write_all_async (output, write->text, strlen (write->text), G_PRIORITY_DEFAULT,
                                   self->cancellable, write_cb, write);
}

static gboolean
idle_cb (gpointer user_data)
{
  RdSmdrLink *self = user_data;
  g_autofree char *detail = NULL;

  self->idle_id = 0;
  if (self->status.state == RD_CTI_LINK_STATE_CONNECTED)
    detail = g_strdup_printf ("nothing from the PBX for %u s", self->idle_armed);
  else
    detail = g_strdup_printf ("no login from the PBX within %u s", self->idle_armed);
  g_message ("SMDR link to %s:%u: %s, reconnecting", self->host, self->port, detail);
  fail (self, detail, FALSE);

  return G_SOURCE_REMOVE;
}

/* (re)arms the watchdog of a silent PBX: the login must go on within
 * LOGIN_TIMEOUT_S (or the idle timeout when shorter), and once logged in
 * a byte must come within the idle timeout, when there is one */
static void
arm_idle (RdSmdrLink *self)
{
  guint seconds = self->idle_timeout;

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->status.state != RD_CTI_LINK_STATE_CONNECTED)
    seconds = seconds > 0 ? MIN (seconds, LOGIN_TIMEOUT_S) : LOGIN_TIMEOUT_S;
  self->idle_armed = seconds;
  if (seconds > 0)
    self->idle_id = g_timeout_add_seconds (seconds, idle_cb, self);
}

static void
set_connected (RdSmdrLink *self)
{
  g_clear_handle_id (&self->grace_id, g_source_remove);
  self->failures = 0;
  set_state (self, RD_CTI_LINK_STATE_CONNECTED, NULL);
  arm_idle (self);
}

static gboolean
grace_cb (gpointer user_data)
{
  RdSmdrLink *self = user_data;

  self->grace_id = 0;
  if (self->phase == PHASE_RECORDS)
    set_connected (self);

  return G_SOURCE_REMOVE;
}

static gboolean
buffer_contains (RdSmdrLink *self,
                 const char *text)
{
  return g_strstr_len (self->buffer->str, self->buffer->len, text) != NULL;
}

static gboolean
is_password_echo (const char *line,
                  gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (line[i] != '*' && line[i] != ' ')
      return FALSE;
  return TRUE;
}

static void
handle_line (RdSmdrLink *self,
             const char *line,
             gsize       length)
{
  g_auto(RdSmdrLine) parsed = { 0, };
  g_autoptr(GError) error = NULL;
  RdSmdrOptions options = self->options;

  if (length == 8 && memcmp (line, "Rejected", 8) == 0)
    {
      fail (self, "password rejected", TRUE);
      return;
    }

  if (self->status.state != RD_CTI_LINK_STATE_CONNECTED && !is_password_echo (line, length))
    set_connected (self);

  if (options.layout == RD_SMDR_LAYOUT_AUTO)
    options.layout = self->header_layout;

  if (!rd_smdr_parse_line (&options, line, length, &parsed, &error))
    {
      self->invalid_lines++;
      g_debug ("Skipping a line from %s:%u: %s", self->host, self->port, error->message);
      return;
    }

  switch (parsed.kind)
    {
    case RD_SMDR_LINE_HEADER:
      self->header_layout = parsed.layout;
      break;

    case RD_SMDR_LINE_RECORD:
      {
        g_autoptr(RdCtiEvent) event = rd_smdr_record_to_event (parsed.record, "smdr");

        self->records++;
        rd_cti_link_emit_event (RD_CTI_LINK (self), event);
      }
      break;

    case RD_SMDR_LINE_SKIP:
    default:
      break;
    }
}

/* the records: split at CR and LF, lines too long are dropped whole */
static void
scan_records (RdSmdrLink *self)
{
  gsize start = 0;

  for (gsize i = 0; i < self->buffer->len && self->phase == PHASE_RECORDS; i++)
    {
      char c = self->buffer->str[i];

      if (c != '\r' && c != '\n')
        continue;

      if (self->discarding)
        self->discarding = FALSE;
      else if (i > start)
        handle_line (self, self->buffer->str + start, i - start);
      start = i + 1;
    }

  if (self->phase != PHASE_RECORDS)
    return;

  g_string_erase (self->buffer, 0, start);
  if (self->buffer->len > RD_SMDR_MAX_LINE)
    {
      if (!self->discarding)
        self->invalid_lines++;
      self->discarding = TRUE;
      g_string_truncate (self->buffer, 0);
    }
}

static gboolean
ends_with_prompt (GString *buffer)
{
  gsize len = buffer->len;

  while (len > 0 && g_ascii_isspace (buffer->str[len - 1]))
    len--;
  return len > 0 && buffer->str[len - 1] == '-';
}

/* FALSE when the connection was given up */
static gboolean
scan_login (RdSmdrLink *self)
{
  if (buffer_contains (self, "Rejected"))
    {
      fail (self, "password rejected", TRUE);
      return FALSE;
    }

  if (self->phase == PHASE_PROMPT && ends_with_prompt (self->buffer))
    {
      g_string_truncate (self->buffer, 0);
      self->phase = PHASE_PASSWORD;
      set_state (self, RD_CTI_LINK_STATE_CONNECTING, "logging in");
      send_text (self, "SMDR", "\r");
    }
  else if (self->phase == PHASE_PASSWORD && buffer_contains (self, "No such command"))
    {
      fail (self, "the PBX has no SMDR command", FALSE);
      return FALSE;
    }
  else if (self->phase == PHASE_PASSWORD &&
           (buffer_contains (self, "assword:") || buffer_contains (self, "ASSWORD:")))
    {
      g_string_truncate (self->buffer, 0);
      self->phase = PHASE_RECORDS;
      send_text (self, self->password, "\r");
      self->grace_id = g_timeout_add (LOGIN_GRACE_MS, grace_cb, self);
    }
  else if (self->buffer->len > MAX_LOGIN_TEXT)
    {
      fail (self, self->phase == PHASE_PROMPT ? "no SMDR prompt from the PBX"
                                              : "no password prompt from the PBX", FALSE);
      return FALSE;
    }

  return TRUE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RdSmdrLink) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("read failed: %s", error->message);

      fail (self, detail, FALSE);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      fail (self, "connection closed by the PBX", FALSE);
      return;
    }

  g_string_append_len (self->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  if (self->phase == PHASE_PROMPT || self->phase == PHASE_PASSWORD)
    {
      if (!scan_login (self))
        return;
    }
  if (self->phase == PHASE_RECORDS)
    scan_records (self);

  if (self->phase != PHASE_IDLE)
    {
      arm_idle (self);
      smdr_read (self);
    }
}

static void
smdr_read (RdSmdrLink *self)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));

  g_input_stream_read_bytes_async (input, READ_CHUNK, G_PRIORITY_DEFAULT, self->cancellable,
                                   read_cb, g_object_ref (self));
}

/* SMDR is silent between calls, so only TCP can tell that the PBX is gone
 * without closing (power cut, cable pulled): probes after 30 s of silence,
 * every 10 s, three unanswered ones end the connection (the read fails and
 * the link reconnects). The system default waits two hours. */
static void
set_keepalive (GSocket *socket)
{
  g_socket_set_keepalive (socket, TRUE);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPIDLE, KEEPALIVE_IDLE_S, NULL);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPINTVL, KEEPALIVE_INTERVAL_S, NULL);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPCNT, KEEPALIVE_COUNT, NULL);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RdSmdrLink) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (connection == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("cannot connect to %s:%u: %s",
                                                 self->host, self->port, error->message);

      fail (self, detail, FALSE);
      return;
    }

  /* the client's timeout is for connecting only: SMDR is silent between
   * calls, for hours at night; TCP keepalive notices a dead PBX */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  set_keepalive (g_socket_connection_get_socket (connection));
  self->connection = g_steal_pointer (&connection);
  self->phase = PHASE_PROMPT;
  set_state (self, RD_CTI_LINK_STATE_CONNECTING, "waiting for the SMDR prompt");
  arm_idle (self);
  smdr_read (self);
}

static void
smdr_connect (RdSmdrLink *self)
{
  g_autoptr(GSocketConnectable) address = NULL;

  disconnect (self);
  self->cancellable = g_cancellable_new ();
  set_state (self, RD_CTI_LINK_STATE_CONNECTING, "connecting");

  address = g_network_address_new (self->host, self->port);
  g_socket_client_connect_async (self->client, address, self->cancellable,
                                 connect_cb, g_object_ref (self));
}

static void
rd_smdr_link_start (RdCtiLink *link)
{
  RdSmdrLink *self = RD_SMDR_LINK (link);

  if (self->started)
    return;

  self->started = TRUE;
  self->failures = 0;
  smdr_connect (self);
}

static void
rd_smdr_link_stop (RdCtiLink *link)
{
  RdSmdrLink *self = RD_SMDR_LINK (link);

  self->started = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  disconnect (self);
  set_state (self, RD_CTI_LINK_STATE_STOPPED, NULL);
}

static void
rd_smdr_link_iface_init (RdCtiLinkInterface *iface)
{
  iface->start = rd_smdr_link_start;
  iface->stop = rd_smdr_link_stop;
}

static void
rd_smdr_link_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RdSmdrLink *self = RD_SMDR_LINK (object);

  if (!rd_cti_link_status_get_property (&self->status, "smdr", prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rd_smdr_link_dispose (GObject *object)
{
  RdSmdrLink *self = RD_SMDR_LINK (object);

  self->started = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  disconnect (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (rd_smdr_link_parent_class)->dispose (object);
}

static void
rd_smdr_link_finalize (GObject *object)
{
  RdSmdrLink *self = RD_SMDR_LINK (object);

  g_free (self->host);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  rd_cti_link_status_clear (&self->status);
  g_string_free (self->buffer, TRUE);

  G_OBJECT_CLASS (rd_smdr_link_parent_class)->finalize (object);
}

static void
rd_smdr_link_class_init (RdSmdrLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rd_smdr_link_get_property;
  object_class->dispose = rd_smdr_link_dispose;
  object_class->finalize = rd_smdr_link_finalize;

  rd_cti_link_status_install (object_class);
}

static void
rd_smdr_link_init (RdSmdrLink *self)
{
  self->buffer = g_string_new (NULL);
  self->client = g_socket_client_new ();
  g_socket_client_set_timeout (self->client, CONNECT_TIMEOUT_S);
  rd_cti_link_status_init (&self->status);
}

/**
 * rd_smdr_link_new:
 * @host: the PBX's address
 * @port: its SMDR port (2300 by default on the PBX)
 * @password: the SMDR password (PCCSMDR by default on the PBX)
 *
 * Returns: (transfer full): a stopped link; call rd_cti_link_start()
 */
RdSmdrLink *
rd_smdr_link_new (const char *host,
                  guint16     port,
                  const char *password)
{
  RdSmdrLink *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_object_new (RD_TYPE_SMDR_LINK, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->password = g_strdup (password);

  return self;
}

/**
 * rd_smdr_link_new_from_config:
 * @config: the server configuration
 *
 * Reads [smdr] host, port, password, layout, date-order and idle-timeout.
 *
 * Returns: (transfer full): a stopped link
 */
RdSmdrLink *
rd_smdr_link_new_from_config (RdConfig *config)
{
  g_autofree char *host = rd_config_get_string (config, "smdr", "host");
  g_autofree char *password = rd_config_get_string (config, "smdr", "password");
  g_autofree char *layout = rd_config_get_string (config, "smdr", "layout");
  g_autofree char *date_order = rd_config_get_string (config, "smdr", "date-order");
  gint64 port = rd_config_get_int (config, "smdr", "port");
  RdSmdrLayout value = RD_SMDR_LAYOUT_AUTO;
  RdSmdrLink *self;

  self = rd_smdr_link_new (host, (guint16) CLAMP (port, 1, 65535), password);
  if (rd_smdr_layout_from_string (layout, &value))
    rd_smdr_link_set_layout (self, value);
  rd_smdr_link_set_date_order (self, g_strcmp0 (date_order, "dmy") == 0);
  rd_smdr_link_set_idle_timeout (self, (guint) CLAMP (rd_config_get_int (config, "smdr",
                                                                          "idle-timeout"),
                                                      0, 24 * 3600));

  return self;
}

/**
 * rd_smdr_link_set_layout:
 * @layout: the PBX's record layout, or %RD_SMDR_LAYOUT_AUTO to follow the
 *   header it prints (and guess from each line before the first header)
 */
void
rd_smdr_link_set_layout (RdSmdrLink   *self,
                         RdSmdrLayout  layout)
{
  g_return_if_fail (RD_IS_SMDR_LINK (self));

  self->options.layout = layout;
}

void
rd_smdr_link_set_date_order (RdSmdrLink *self,
                             gboolean    day_first)
{
  g_return_if_fail (RD_IS_SMDR_LINK (self));

  self->options.day_first = !!day_first;
}

/**
 * rd_smdr_link_set_idle_timeout:
 * @seconds: reconnect after this long without a byte from the PBX once
 *   logged in, 0 for never (the default: SMDR is silent between calls)
 */
void
rd_smdr_link_set_idle_timeout (RdSmdrLink *self,
                               guint       seconds)
{
  g_return_if_fail (RD_IS_SMDR_LINK (self));

  self->idle_timeout = seconds;
}

/**
 * rd_smdr_link_get_invalid_lines:
 *
 * Returns: how many lines could not be read (and were skipped) so far
 */
guint
rd_smdr_link_get_invalid_lines (RdSmdrLink *self)
{
  g_return_val_if_fail (RD_IS_SMDR_LINK (self), 0);

  return self->invalid_lines;
}

/**
 * rd_smdr_link_get_records:
 *
 * Returns: how many call records were read so far
 */
guint
rd_smdr_link_get_records (RdSmdrLink *self)
{
  g_return_val_if_fail (RD_IS_SMDR_LINK (self), 0);

  return self->records;
}
