/* rd-sim-smdr.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PBX side of SMDR over LAN, as the Panasonic KX-TDA/TDE/NS mother board
 * and the public emulator (ivnglkv/smdr_server) behave: a banner ending in the
 * `-` prompt; the command `SMDR` (any case; `q` says Goodbye, `help` lists the
 * commands, anything else is "No such command."); the command echo followed by
 * a bare CR; `Enter Password:`; the password echoed as `*`; then `Rejected` on
 * a wrong password, or the header and the records, one line each with CR+LF,
 * in Pattern A (80 columns), B (80 with charge) or C (120 columns). After
 * every page of records the header is printed again after a blank line.
 *
 * Each RdCtiEvent fed in becomes one line: RINGING an RC record, ANSWERED an
 * AN record (with the ring time), RECORD a call record (NA when an incoming
 * call was missed or abandoned). Other event types print nothing, as on a PBX
 * with "Answered call" and "Received call" printing on.
 *
 * Call records made while no client is logged in are kept (the PBX's SMDR
 * buffer, at most MAX_STORED, the oldest dropped first) and printed to the
 * next client after its header; RC and AN lines are live news and are not
 * kept.
 */

#define G_LOG_DOMAIN "RdSimSmdr"

#include "config.h"

#include "rd-sim-smdr.h"

#define READ_CHUNK 1024
#define MAX_INPUT_LINE 256
#define MAX_STORED 200

typedef enum
{
  CLIENT_PROMPT,
  CLIENT_PASSWORD,
  CLIENT_LOGGED_IN,
  CLIENT_CLOSING,
} ClientState;

typedef struct
{
  GBytes     *bytes;
  gsize       written;
  RdCtiEvent *event;   /* nullable: the record this write carries */
} PendingWrite;

typedef struct
{
  RdSimSmdr          *self;     /* unowned; the client is freed before self */
  GSocketConnection  *connection;
  GCancellable       *cancellable;
  GString            *input;
  GQueue              writes;   /* of PendingWrite */
  gboolean            writing;
  gsize               chunk;    /* the size of the write in flight */
  ClientState         state;
  guint               records_on_page;
} Client;

struct _RdSimSmdr
{
  GObject           parent_instance;

  char             *password;
  char              layout;
  gboolean          day_first;
  gboolean          clock_24h;
  guint             page_length;
  const char       *new_line;   /* after each printed line: CR+LF or CR */
  gboolean          drip;       /* one byte per write */
  gboolean          frozen;     /* hung: holds every write */
  GQueue            stored;     /* of RdCtiEvent*: records no client got yet */

  GSocketService   *service;
  guint16           port;
  GPtrArray        *clients;    /* of Client*, owned */
};

G_DEFINE_FINAL_TYPE (RdSimSmdr, rd_sim_smdr, G_TYPE_OBJECT)

enum {
  LINE_WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- record formatting ------------------------------------------------- */

typedef struct
{
  int width;
  int co, co_len;
  int dial, dial_len;
  int ring;        /* -1: no Ring column */
  int duration;
  int cost, cost_len;   /* cost -1: no Cost column */
  int acc;
  int cd;
} Layout;

static const Layout layout_a = { 80, 23, 2, 26, 25, 52, 57, -1, 0, 66, 77 };
static const Layout layout_b = { 81, 23, 2, 26, 20, -1, 47, 56, 10, 67, 78 };
static const Layout layout_c = { 120, 23, 4, 28, 50, 79, 84, 93, 11, 105, 116 };

static const Layout *
get_layout (char layout)
{
  switch (layout)
    {
    case 'b': case 'B': return &layout_b;
    case 'c': case 'C': return &layout_c;
    case 'a': case 'A':
    default:            return &layout_a;
    }
}

static void
put (GString    *line,
     int         column,
     int         width,
     const char *text,
     gboolean    right)
{
  gsize len;

  if (text == NULL || column < 0)
    return;

  len = MIN (strlen (text), (gsize) width);
  if (right)
    column += width - (int) len;
  memcpy (line->str + column, text, len);
}

static void
rstrip (GString *line)
{
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
}

static GString *
blank_line (const Layout *layout)
{
  GString *line = g_string_sized_new (layout->width + 1);

  g_string_set_size (line, layout->width);
  memset (line->str, ' ', layout->width);

  return line;
}

/**
 * rd_sim_smdr_get_header:
 * @layout: 'a', 'b' or 'c'
 *
 * Returns: the header line the PBX prints for @layout (Pattern A's is the
 *   verbatim header of the emulator and the KX-TD816 logs)
 */
const char *
rd_sim_smdr_get_header (char layout)
{
  switch (layout)
    {
    case 'b': case 'B':
      return "  Date     Time    Ext CO      Dial Number     Duration   Cost    Acc code   CD";
    case 'c': case 'C':
      return "  Date     Time    Ext  CO                    Dial Number                        "
             "Ring Duration     Cost      Acc code   CD";
    case 'a': case 'A':
    default:
      return "  Date     Time    Ext CO        Dial Number        Ring Duration  Acc code  CD";
    }
}

static char *
format_ring (gint64 seconds)
{
  if (seconds < 0)
    return NULL;
  seconds = MIN (seconds, 9 * 60 + 59);
  return g_strdup_printf ("%d'%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static char *
format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  seconds = MIN (seconds, 99 * 3600 + 59 * 60 + 59);
  return g_strdup_printf ("%02d:%02d'%02d", (int) (seconds / 3600),
                          (int) (seconds / 60 % 60), (int) (seconds % 60));
}

static char *
format_incoming (RdCtiEvent *event)
{
  GString *dial = g_string_new (NULL);

  if (event->ddi != NULL && event->ddi[0] != '\0')
    g_string_append_printf (dial, "<D>%s", event->ddi);
  g_string_append (dial, "<I>");
  if (event->calling != NULL)
    g_string_append (dial, event->calling);

  return g_string_free (dial, FALSE);
}

/**
 * rd_sim_smdr_format_event:
 * @event: a RINGING, ANSWERED or RECORD event
 * @layout: 'a', 'b' or 'c'
 * @day_first: DD/MM/YY instead of MM/DD/YY
 * @clock_24h: `15:11` instead of `03:11PM`
 *
 * Returns: (transfer full) (nullable): the SMDR line (without line end) the
 *   PBX prints for @event, or %NULL when it prints nothing for it
 */
char *
rd_sim_smdr_format_event (RdCtiEvent *event,
                          char        layout_char,
                          gboolean    day_first,
                          gboolean    clock_24h)
{
  const Layout *layout = get_layout (layout_char);
  g_autoptr(GString) line = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  g_autofree char *dial = NULL;
  g_autofree char *ring = NULL;
  g_autofree char *duration = NULL;
  const char *cd = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  switch (event->type)
    {
    case RD_CTI_EVENT_RINGING:
      dial = format_incoming (event);
      cd = "RC";
      break;

    case RD_CTI_EVENT_ANSWERED:
      dial = format_incoming (event);
      ring = format_ring (event->ring_time);
      cd = "AN";
      break;

    case RD_CTI_EVENT_RECORD:
      switch (event->direction)
        {
        case RD_CALL_DIRECTION_OUT:
          dial = g_strdup (event->called != NULL ? event->called : "");
          break;
        case RD_CALL_DIRECTION_INTERNAL:
          dial = g_strdup_printf ("EXT%s", event->called != NULL ? event->called : "");
          break;
        case RD_CALL_DIRECTION_IN:
        default:
          dial = format_incoming (event);
          if (event->outcome == RD_CALL_OUTCOME_MISSED ||
              event->outcome == RD_CALL_OUTCOME_ABANDONED)
            cd = "NA";
          break;
        }
      if (cd == NULL && g_strcmp0 (event->cause, "transferred") == 0)
        cd = "TR";
      else if (cd == NULL && g_strcmp0 (event->cause, "forwarded") == 0)
        cd = "FW";
      ring = format_ring (event->ring_time);
      duration = format_duration (event->duration);
      break;

    case RD_CTI_EVENT_HELD:
    case RD_CTI_EVENT_RETRIEVED:
    case RD_CTI_EVENT_TRANSFERRED:
    case RD_CTI_EVENT_DIVERTED:
    case RD_CTI_EVENT_CLEARED:
    case RD_CTI_EVENT_ORIGINATED:
    case RD_CTI_EVENT_QUEUED:
    case RD_CTI_EVENT_FAILED:
    default:
      return NULL;
    }

  date = g_date_time_format (event->at, day_first ? "%d/%m/%y" : "%m/%d/%y");
  if (clock_24h)
    time = g_date_time_format (event->at, "%H:%M");
  else
    {
      int hour = g_date_time_get_hour (event->at);

      time = g_strdup_printf ("%02d:%02d%s", hour % 12 == 0 ? 12 : hour % 12,
                              g_date_time_get_minute (event->at), hour < 12 ? "AM" : "PM");
    }

  line = blank_line (layout);
  put (line, 0, 8, date, FALSE);
  put (line, 9, 7, time, FALSE);
  /* an intercom record is printed for the station that dialled
   * (`1234 EXT1235`), not for the one the call ended at */
  if (event->type == RD_CTI_EVENT_RECORD && event->direction == RD_CALL_DIRECTION_INTERNAL &&
      event->calling != NULL)
    put (line, 17, 5, event->calling, TRUE);
  else
    put (line, 17, 5, event->extension, TRUE);
  if (event->trunk != NULL)
    {
      g_autofree char *co = NULL;
      gint64 n = g_ascii_strtoll (event->trunk, NULL, 10);

      /* Patterns A and B print 00 for trunks above 99 */
      if (layout->co_len == 2 && n > 99)
        co = g_strdup ("00");
      else
        co = g_strdup_printf ("%0*d", layout->co_len, (int) CLAMP (n, 0, 9999));
      put (line, layout->co, layout->co_len, co, FALSE);
    }
  put (line, layout->dial, layout->dial_len, dial, FALSE);
  if (layout->ring >= 0)
    put (line, layout->ring, 4, ring, TRUE);
  put (line, layout->duration, 8, duration, FALSE);
  put (line, layout->cd, 3, cd, FALSE);
  rstrip (line);

  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* ---- clients ----------------------------------------------------------- */

static void client_read (Client *client);
static void client_flush (Client *client);

static void
pending_write_free (PendingWrite *write)
{
  g_bytes_unref (write->bytes);
  g_clear_pointer (&write->event, rd_cti_event_unref);
  g_free (write);
}

static void
client_free (Client *client)
{
  g_cancellable_cancel (client->cancellable);
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_object_unref (client->connection);
  g_object_unref (client->cancellable);
  g_string_free (client->input, TRUE);
  g_queue_clear_full (&client->writes, (GDestroyNotify) pending_write_free);
  g_free (client);
}

static void
client_remove (Client *client)
{
  RdSimSmdr *self = client->self;

  g_debug ("client gone");
  /* frees the client */
  g_ptr_array_remove (self->clients, client);
}

static void
client_queue (Client     *client,
              const char *text,
              RdCtiEvent *event)
{
  PendingWrite *write;

  if (client->state == CLIENT_CLOSING)
    return;

  write = g_new0 (PendingWrite, 1);
  write->bytes = g_bytes_new (text, strlen (text));
  write->event = event != NULL ? rd_cti_event_ref (event) : NULL;
  g_queue_push_tail (&client->writes, write);
  client_flush (client);
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;
  PendingWrite *write;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          client->writing = FALSE;
          client_remove (client);
        }
      return;
    }

  client->writing = FALSE;
  write = g_queue_peek_head (&client->writes);
  write->written += client->chunk;
  if (write->written < g_bytes_get_size (write->bytes))
    {
      /* dripping: the rest of it */
      client_flush (client);
      return;
    }
  g_queue_pop_head (&client->writes);
  if (write->event != NULL)
    g_signal_emit (client->self, signals[LINE_WRITTEN], 0, write->event, g_get_monotonic_time ());
  pending_write_free (write);

  if (client->state == CLIENT_CLOSING && g_queue_is_empty (&client->writes))
    {
      client_remove (client);
      return;
    }

  client_flush (client);
}

static void
client_flush (Client *client)
{
  PendingWrite *write;
  GOutputStream *output;
  gsize size;

  if (client->writing || client->self->frozen)
    return;

  write = g_queue_peek_head (&client->writes);
  if (write == NULL)
    return;

  size = g_bytes_get_size (write->bytes) - write->written;
  client->chunk = client->self->drip ? MIN (size, 1) : size;
  client->writing = TRUE;
  output = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));
  g_output_stream_write_all_async (output,
                                   (const char *) g_bytes_get_data (write->bytes, NULL) + write->written,
                                   client->chunk,
                                   G_PRIORITY_DEFAULT, client->cancellable,
                                   write_cb, client);
}

/* queue @text, then close once everything before it is written */
static void
client_finish (Client     *client,
               const char *text)
{
  client_queue (client, text, NULL);
  client->state = CLIENT_CLOSING;
  if (!client->writing && g_queue_is_empty (&client->writes))
    client_remove (client);
}

static void
client_send_header (Client *client)
{
  const char *header = rd_sim_smdr_get_header (client->self->layout);
  int width = get_layout (client->self->layout)->width;
  g_autofree char *dashes = g_strnfill (MIN (width, 120), '-');
  g_autofree char *text = NULL;

  if (width == 81)
    dashes[80] = '\0';
  text = g_strdup_printf ("%s%s%s%s", header, client->self->new_line, dashes, client->self->new_line);
  client_queue (client, text, NULL);
  client->records_on_page = 0;
}

/* a record line with its line end, in the current settings */
static char *
format_line (RdSimSmdr  *self,
             RdCtiEvent *event)
{
  g_autofree char *line = rd_sim_smdr_format_event (event, self->layout, self->day_first,
                                                    self->clock_24h);

  return g_strconcat (line != NULL ? line : "", self->new_line, NULL);
}

/* the records kept while nobody was logged in, after the header */
static void
client_send_stored (Client *client)
{
  RdSimSmdr *self = client->self;
  RdCtiEvent *event;

  while ((event = g_queue_pop_head (&self->stored)) != NULL)
    {
      g_autofree char *line = format_line (self, event);

      client_queue (client, line, event);
      client->records_on_page++;
      rd_cti_event_unref (event);
    }
}

static void
client_handle_line (Client     *client,
                    const char *line)
{
  RdSimSmdr *self = client->self;

  switch (client->state)
    {
    case CLIENT_PROMPT:
      {
        /* the command echo is followed by a bare CR, as the PBX does */
        g_autofree char *echo = g_strdup_printf ("%s\r", line);

        client_queue (client, echo, NULL);
        if (g_ascii_strcasecmp (line, "smdr") == 0)
          {
            client_queue (client, "\r\nEnter Password:", NULL);
            client->state = CLIENT_PASSWORD;
          }
        else if (g_ascii_strcasecmp (line, "q") == 0)
          client_finish (client, "\r\nGoodbye.\r\n");
        else if (g_ascii_strcasecmp (line, "help") == 0)
          client_queue (client, "\r\nq, smdr\r\n-", NULL);
        else
          client_queue (client, "\r\nNo such command.\r\n-", NULL);
      }
      break;

    case CLIENT_PASSWORD:
      {
        g_autofree char *mask = g_strnfill (strlen (line), '*');
        g_autofree char *echo = g_strdup_printf ("%s\r\n", mask);

        client_queue (client, echo, NULL);
        if (g_ascii_strcasecmp (line, self->password) != 0)
          {
            client_finish (client, "Rejected\r\n");
            return;
          }
        client->state = CLIENT_LOGGED_IN;
        client_send_header (client);
        client_send_stored (client);
      }
      break;

    case CLIENT_LOGGED_IN:
    case CLIENT_CLOSING:
    default:
      /* the PBX prints; it reads nothing more */
      break;
    }
}

static void
client_scan_input (Client *client)
{
  gsize start = 0;

  for (gsize i = 0; i < client->input->len && client->state != CLIENT_CLOSING; i++)
    {
      char c = client->input->str[i];

      if (c != '\r' && c != '\n' && c != '\0')
        continue;

      if (i > start)
        {
          g_autofree char *line = g_strndup (client->input->str + start, i - start);

          client_handle_line (client, g_strstrip (line));
        }
      start = i + 1;
    }

  g_string_erase (client->input, 0, MIN (start, client->input->len));
  if (client->input->len > MAX_INPUT_LINE)
    g_string_truncate (client->input, 0);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (client->state != CLIENT_CLOSING)
        client_remove (client);
      return;
    }

  g_string_append_len (client->input, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  client_scan_input (client);
  if (client->state != CLIENT_CLOSING)
    client_read (client);
}

static void
client_read (Client *client)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (client->connection));

  g_input_stream_read_bytes_async (input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   client->cancellable, read_cb, client);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             RdSimSmdr         *self)
{
  Client *client = g_new0 (Client, 1);

  client->self = self;
  client->connection = g_object_ref (connection);
  client->cancellable = g_cancellable_new ();
  client->input = g_string_new (NULL);
  g_queue_init (&client->writes);
  client->state = CLIENT_PROMPT;
  g_ptr_array_add (self->clients, client);

  client_queue (client, "\r\nPanasonic SMDR\r\n-", NULL);
  client_read (client);

  return TRUE;
}

/* ---- the object -------------------------------------------------------- */

static void
rd_sim_smdr_dispose (GObject *object)
{
  RdSimSmdr *self = RD_SIM_SMDR (object);

  rd_sim_smdr_close (self);

  G_OBJECT_CLASS (rd_sim_smdr_parent_class)->dispose (object);
}

static void
rd_sim_smdr_finalize (GObject *object)
{
  RdSimSmdr *self = RD_SIM_SMDR (object);

  g_ptr_array_unref (self->clients);
  g_queue_clear_full (&self->stored, (GDestroyNotify) rd_cti_event_unref);
  g_free (self->password);

  G_OBJECT_CLASS (rd_sim_smdr_parent_class)->finalize (object);
}

static void
rd_sim_smdr_class_init (RdSimSmdrClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rd_sim_smdr_dispose;
  object_class->finalize = rd_sim_smdr_finalize;

  /**
   * RdSimSmdr::line-written:
   * @self: the simulator
   * @event: the event the line was printed for
   * @monotonic_usec: g_get_monotonic_time() once the line was written
   *
   * Emitted for every client after the record line of @event was written
   * to its socket.
   */
  signals[LINE_WRITTEN] = g_signal_new ("line-written",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2,
                                        RD_TYPE_CTI_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE,
                                        G_TYPE_INT64);
}

static void
rd_sim_smdr_init (RdSimSmdr *self)
{
  self->password = g_strdup (RD_SIM_SMDR_DEFAULT_PASSWORD);
  self->layout = 'a';
  self->page_length = RD_SIM_SMDR_DEFAULT_PAGE_LENGTH;
  self->new_line = "\r\n";
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  g_queue_init (&self->stored);
}

RdSimSmdr *
rd_sim_smdr_new (void)
{
  return g_object_new (RD_TYPE_SIM_SMDR, NULL);
}

void
rd_sim_smdr_set_password (RdSimSmdr  *self,
                          const char *password)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));
  g_return_if_fail (password != NULL);

  g_free (self->password);
  self->password = g_strdup (password);
}

/**
 * rd_sim_smdr_set_layout:
 * @layout: 'a' (80 columns), 'b' (80 columns with charge) or 'c' (120 columns)
 */
void
rd_sim_smdr_set_layout (RdSimSmdr *self,
                        char       layout)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));
  g_return_if_fail (strchr ("abcABC", layout) != NULL && layout != '\0');

  self->layout = g_ascii_tolower (layout);
}

void
rd_sim_smdr_set_date_order (RdSimSmdr *self,
                            gboolean   day_first)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  self->day_first = !!day_first;
}

void
rd_sim_smdr_set_clock_24h (RdSimSmdr *self,
                           gboolean   clock_24h)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  self->clock_24h = !!clock_24h;
}

/**
 * rd_sim_smdr_set_page_length:
 * @records: records per page before the header is printed again (0: never)
 */
void
rd_sim_smdr_set_page_length (RdSimSmdr *self,
                             guint      records)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  self->page_length = records;
}

/**
 * rd_sim_smdr_set_cr_only:
 * @cr_only: end the printed lines with CR alone instead of CR+LF (the
 *   PBX's "New Line Code" setting)
 */
void
rd_sim_smdr_set_cr_only (RdSimSmdr *self,
                         gboolean   cr_only)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  self->new_line = cr_only ? "\r" : "\r\n";
}

/**
 * rd_sim_smdr_listen:
 * @host: an IP address to listen on
 * @port: the port, 0 for an ephemeral one
 *
 * Returns: %TRUE when listening; rd_sim_smdr_get_port() gives the port
 */
gboolean
rd_sim_smdr_listen (RdSimSmdr   *self,
                    const char  *host,
                    guint16      port,
                    GError     **error)
{
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (RD_IS_SIM_SMDR (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Not an IP address: %s", host);
      return FALSE;
    }

  service = g_socket_service_new ();
  socket_address = g_inet_socket_address_new (address, port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), socket_address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, error))
    {
      g_prefix_error (error, "SMDR simulator on %s:%u: ", host, port);
      return FALSE;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect_object (service, "incoming", G_CALLBACK (incoming_cb), self, 0);
  g_socket_service_start (service);
  self->service = g_steal_pointer (&service);

  return TRUE;
}

guint16
rd_sim_smdr_get_port (RdSimSmdr *self)
{
  g_return_val_if_fail (RD_IS_SIM_SMDR (self), 0);

  return self->port;
}

/**
 * rd_sim_smdr_get_n_clients:
 *
 * Returns: the number of clients that logged in and receive records
 */
guint
rd_sim_smdr_get_n_clients (RdSimSmdr *self)
{
  guint n = 0;

  g_return_val_if_fail (RD_IS_SIM_SMDR (self), 0);

  for (guint i = 0; i < self->clients->len; i++)
    {
      Client *client = g_ptr_array_index (self->clients, i);

      if (client->state == CLIENT_LOGGED_IN)
        n++;
    }

  return n;
}

static void
send_record (RdSimSmdr  *self,
             const char *line,
             RdCtiEvent *event)
{
  g_autofree char *text = g_strconcat (line, self->new_line, NULL);

  for (guint i = 0; i < self->clients->len; i++)
    {
      Client *client = g_ptr_array_index (self->clients, i);

      if (client->state != CLIENT_LOGGED_IN)
        continue;

      if (self->page_length > 0 && client->records_on_page >= self->page_length)
        {
          client_queue (client, self->new_line, NULL);
          client_send_header (client);
        }
      client_queue (client, text, event);
      client->records_on_page++;
    }
}

/**
 * rd_sim_smdr_send_event:
 * @event: what happened in the PBX
 *
 * Prints the record line for @event (see rd_sim_smdr_format_event()) to
 * every logged-in client; a call record is kept for the next client when
 * none is logged in.
 */
void
rd_sim_smdr_send_event (RdSimSmdr  *self,
                        RdCtiEvent *event)
{
  g_autofree char *line = NULL;

  g_return_if_fail (RD_IS_SIM_SMDR (self));
  g_return_if_fail (event != NULL);

  if (event->type == RD_CTI_EVENT_RECORD && rd_sim_smdr_get_n_clients (self) == 0)
    {
      g_queue_push_tail (&self->stored, rd_cti_event_ref (event));
      if (self->stored.length > MAX_STORED)
        rd_cti_event_unref (g_queue_pop_head (&self->stored));
      return;
    }

  line = rd_sim_smdr_format_event (event, self->layout, self->day_first, self->clock_24h);
  if (line != NULL)
    send_record (self, line, event);
}


/**
 * rd_sim_smdr_send_line:
 * @line: a line, without line end
 *
 * Prints @line verbatim to every logged-in client (alarm lines, printing
 * messages, sample lines from the manuals).
 */
void
rd_sim_smdr_send_line (RdSimSmdr  *self,
                       const char *line)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));
  g_return_if_fail (line != NULL);

  send_record (self, line, NULL);
}

/**
 * rd_sim_smdr_drop_clients:
 *
 * Closes every connection at once, as a PBX reset or a network cut does.
 */
void
rd_sim_smdr_drop_clients (RdSimSmdr *self)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  g_ptr_array_set_size (self->clients, 0);
}

/**
 * rd_sim_smdr_send_garbage:
 *
 * Sends every logged-in client a malformed frame: a line of binary noise,
 * a line far longer than any record and a record with an impossible date.
 */
void
rd_sim_smdr_send_garbage (RdSimSmdr *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (RD_IS_SIM_SMDR (self));

  g_string_append (text, "\x01\x7f\x80\xfe\xff<I>\xe9\xe8 garbage \x1b[2J\r\n");
  for (int i = 0; i < 40; i++)
    g_string_append (text, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  g_string_append (text, "\r\n");
  g_string_append (text, "13/45/99 99:99XM  201 01 <I>0612345678                          RC\r\n");

  for (guint i = 0; i < self->clients->len; i++)
    {
      Client *client = g_ptr_array_index (self->clients, i);

      if (client->state == CLIENT_LOGGED_IN)
        client_queue (client, text->str, NULL);
    }
}

/**
 * rd_sim_smdr_set_drip:
 * @drip: write one byte at a time (every prompt and line arrives in pieces)
 *
 * A fault for the clients' buffering: a slow serial-to-LAN adapter does this.
 */
void
rd_sim_smdr_set_drip (RdSimSmdr *self,
                      gboolean   drip)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  self->drip = !!drip;
}

/**
 * rd_sim_smdr_close:
 *
 * Stops listening and drops every client. rd_sim_smdr_listen() can then
 * listen again (on the same port, to simulate a PBX restart).
 */
void
rd_sim_smdr_close (RdSimSmdr *self)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  if (self->clients != NULL)
    rd_sim_smdr_drop_clients (self);
}

/**
 * rd_sim_smdr_set_frozen:
 * @frozen: whether the PBX hangs
 *
 * A fault: a hung PBX keeps its connections and accepts new ones but
 * writes nothing (no prompt, no records) until it is thawed; what it had
 * to write is written then, in order.
 */
void
rd_sim_smdr_set_frozen (RdSimSmdr *self,
                        gboolean   frozen)
{
  g_return_if_fail (RD_IS_SIM_SMDR (self));

  self->frozen = !!frozen;
  for (guint i = 0; !self->frozen && i < self->clients->len; i++)
    client_flush (g_ptr_array_index (self->clients, i));
}
