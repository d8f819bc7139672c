/* rd-smdr-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SMDR line (raw bytes: the PBX prints IBM ASCII or ISO-8859-1, never
 * UTF-8) → skip, header or call record. See docs/panasonic-protocols.md §1.
 *
 * Lines aligned to the columns of Pattern A, B or C (the layout configured,
 * announced by the last header, or guessed from the CO column) are cut by
 * column. Lines that are not (older KX-TD/TA systems, normalised logs) are
 * read field by field: date, time, extension, CO, then from the end the
 * condition code, account code, cost, duration and ring time; what is left is
 * the Dial Number. Text is converted to UTF-8 field by field (Latin-1 when it
 * is not UTF-8 already, control characters replaced).
 *
 * Errors are RD_ERROR_INVALID_DATA and name the (1-based) column.
 */

#define G_LOG_DOMAIN "RdSmdrParser"

#include "config.h"

#include "rd-error.h"
#include "rd-smdr-parser.h"

typedef struct
{
  int co, co_len;
  int dial, dial_len;
  int ring;              /* -1: none */
  int duration;
  int cost, cost_len;    /* -1: none */
  int acc;
  int cd, cd_len;
} Columns;

static const Columns columns_a = { 23, 2, 26, 25, 52, 57, -1, 0, 66, 77, 3 };
static const Columns columns_b = { 23, 2, 26, 20, -1, 47, 56, 10, 67, 78, 3 };
static const Columns columns_c = { 23, 4, 28, 50, 79, 84, 93, 11, 105, 116, 3 };

/* a field of the line: raw bytes, trimmed of spaces */
typedef struct
{
  const char *p;
  gsize       len;
  int         column;   /* 0-based, for errors */
} Field;

typedef struct
{
  Field date, time, ext, co, dial, ring, duration, cost, acc, cd;
} Fields;

void
rd_smdr_record_free (RdSmdrRecord *record)
{
  if (record == NULL)
    return;

  g_clear_pointer (&record->at, g_date_time_unref);
  g_free (record->extension);
  g_free (record->trunk);
  g_free (record->dial);
  g_free (record->calling);
  g_free (record->called);
  g_free (record->ddi);
  g_free (record->cost);
  g_free (record->account);
  g_free (record->condition);
  g_free (record);
}

void
rd_smdr_line_clear (RdSmdrLine *line)
{
  g_clear_pointer (&line->record, rd_smdr_record_free);
  line->kind = RD_SMDR_LINE_SKIP;
  line->layout = RD_SMDR_LAYOUT_AUTO;
}

/**
 * rd_smdr_layout_from_string:
 * @text: "auto", "a", "b" or "c" (any case)
 *
 * Returns: %FALSE when @text is none of them
 */
gboolean
rd_smdr_layout_from_string (const char   *text,
                            RdSmdrLayout *layout)
{
  static const char * const names[] = { "auto", "a", "b", "c" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (text != NULL && g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *layout = (RdSmdrLayout) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * rd_smdr_text_to_utf8:
 * @text: bytes as the PBX printed them
 * @length: their length
 *
 * Returns: (transfer full): @text as UTF-8: kept when it is valid UTF-8,
 *   read as ISO-8859-1 otherwise; control characters become `?`
 */
char *
rd_smdr_text_to_utf8 (const char *text,
                      gsize       length)
{
  GString *out = g_string_sized_new (length + 1);
  gboolean utf8 = g_utf8_validate_len (text, length, NULL);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0 && !utf8))
        g_string_append_c (out, '?');
      else if (c < 0x80 || utf8)
        g_string_append_c (out, (char) c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static Field
field_at (const char *line,
          gsize       length,
          int         column,
          int         width)
{
  Field f = { line, 0, column };
  gsize start, end;

  if (column < 0 || (gsize) column >= length)
    return f;

  start = column;
  end = MIN (length, (gsize) (column + width));
  while (start < end && line[start] == ' ')
    start++;
  while (end > start && line[end - 1] == ' ')
    end--;

  f.p = line + start;
  f.len = end - start;
  return f;
}

static char *
field_dup (const Field *f)
{
  if (f->len == 0)
    return NULL;

  return rd_smdr_text_to_utf8 (f->p, f->len);
}

static gboolean
field_equal (const Field *f,
             const char  *text)
{
  return f->len == strlen (text) && g_ascii_strncasecmp (f->p, text, f->len) == 0;
}

static gboolean
field_all (const Field *f,
           const char  *chars)
{
  if (f->len == 0)
    return FALSE;

  for (gsize i = 0; i < f->len; i++)
    if (f->p[i] == '\0' || strchr (chars, f->p[i]) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const Field *f,
         const char  *what)
{
  g_autofree char *text = rd_smdr_text_to_utf8 (f->p, MIN (f->len, 60));

  g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
               "SMDR line, column %d: %s (“%s”)", f->column + 1, what, text);
  return FALSE;
}

/* "MM/DD/YY" or "DD/MM/YY", parts may be space-padded ("1/ 6/05");
 * "**" parts mean the PBX lost the time: *unknown is set */
static gboolean
parse_date (const Field  *f,
            gboolean      day_first,
            int          *year,
            int          *month,
            int          *day,
            gboolean     *unknown,
            GError      **error)
{
  int parts[3] = { -1, -1, -1 };
  int n = 0;
  gsize i = 0;

  *unknown = FALSE;
  while (n < 3)
    {
      int value = 0, digits = 0, stars = 0;

      while (i < f->len && f->p[i] == ' ')
        i++;
      while (i < f->len && (g_ascii_isdigit (f->p[i]) || f->p[i] == '*'))
        {
          if (f->p[i] == '*')
            stars++;
          else
            value = value * 10 + (f->p[i] - '0');
          digits++;
          i++;
        }
      if (digits == 0 || digits > 2 || (stars > 0 && stars != digits))
        return invalid (error, f, "not a date");
      if (stars > 0)
        *unknown = TRUE;
      parts[n++] = value;
      if (n < 3)
        {
          if (i >= f->len || f->p[i] != '/')
            return invalid (error, f, "not a date");
          i++;
        }
    }
  if (i != f->len)
    return invalid (error, f, "not a date");
  if (*unknown)
    return TRUE;

  *month = day_first ? parts[1] : parts[0];
  *day = day_first ? parts[0] : parts[1];
  *year = parts[2] < 70 ? 2000 + parts[2] : 1900 + parts[2];
  if (*month < 1 || *month > 12 || *day < 1 || *day > g_date_get_days_in_month (*month, *year))
    return invalid (error, f, day_first ? "no such date (DD/MM/YY)" : "no such date (MM/DD/YY)");

  return TRUE;
}

/* "hh:mmAM", "hh:mmPM" or "hh:mm"; a leading `*` (a transferred call on
 * KX-TA) is allowed */
static gboolean
parse_time (const Field  *f,
            int          *hour,
            int          *minute,
            gboolean     *unknown,
            GError      **error)
{
  const char *p = f->p;
  const char *end = f->p + f->len;
  int h = 0, m = 0, hd = 0;

  *unknown = FALSE;
  if (p < end && *p == '*' && f->len > 1 && p[1] != '*')
    p++;
  if (end - p >= 4 && p[0] == '*' && p[1] == '*')
    {
      *unknown = TRUE;
      return TRUE;
    }
  while (p < end && g_ascii_isdigit (*p) && hd < 2)
    h = h * 10 + (*p++ - '0'), hd++;
  if (hd == 0 || p >= end || *p != ':')
    return invalid (error, f, "not a time");
  p++;
  if (end - p < 2 || !g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
    return invalid (error, f, "not a time");
  m = (p[0] - '0') * 10 + (p[1] - '0');
  p += 2;

  if (p == end)
    {
      if (h > 23)
        return invalid (error, f, "no such time");
    }
  else if (end - p == 2 && (p[1] == 'M' || p[1] == 'm') &&
           (p[0] == 'A' || p[0] == 'a' || p[0] == 'P' || p[0] == 'p'))
    {
      if (h < 1 || h > 12)
        return invalid (error, f, "no such time");
      h = h % 12 + ((p[0] == 'P' || p[0] == 'p') ? 12 : 0);
    }
  else
    return invalid (error, f, "not a time");

  if (m > 59)
    return invalid (error, f, "no such time");

  *hour = h;
  *minute = m;
  return TRUE;
}

static gboolean
is_ring (const Field *f)
{
  /* m'ss */
  return f->len >= 4 && f->len <= 5 && f->p[f->len - 3] == '\'' &&
         g_ascii_isdigit (f->p[f->len - 1]) && g_ascii_isdigit (f->p[f->len - 2]) &&
         g_ascii_isdigit (f->p[0]) && (f->len == 4 || g_ascii_isdigit (f->p[1]));
}

static gboolean
is_duration (const Field *f)
{
  /* hh:mm'ss, maybe with a trailing " */
  gsize len = f->len;

  if (len == 9 && f->p[8] == '"')
    len = 8;
  return len == 8 && f->p[2] == ':' && f->p[5] == '\'' &&
         g_ascii_isdigit (f->p[0]) && g_ascii_isdigit (f->p[1]) &&
         g_ascii_isdigit (f->p[3]) && g_ascii_isdigit (f->p[4]) &&
         g_ascii_isdigit (f->p[6]) && g_ascii_isdigit (f->p[7]);
}

static gboolean
is_cost (const Field *f)
{
  /* 00560.00EU(R) */
  gsize i = 0;

  while (i < f->len && g_ascii_isdigit (f->p[i]))
    i++;
  if (i == 0 || i + 3 > f->len || f->p[i] != '.' ||
      !g_ascii_isdigit (f->p[i + 1]) || !g_ascii_isdigit (f->p[i + 2]))
    return FALSE;
  for (i += 3; i < f->len; i++)
    if (!g_ascii_isalpha (f->p[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_condition (const Field *f)
{
  static const char * const codes[] = {
    "RC", "AN", "NA", "TR", "FW", "D0", "D1", "D2", "D3", "D4", "VR", "VA", "RM", "CL",
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (field_equal (f, codes[i]))
      return TRUE;
  return FALSE;
}

static gboolean
parse_ring (const Field *f,
            gint64      *seconds,
            GError     **error)
{
  if (f->len == 0)
    {
      *seconds = -1;
      return TRUE;
    }
  if (!is_ring (f))
    return invalid (error, f, "not a ring time (m'ss)");
  *seconds = g_ascii_strtoll (f->p, NULL, 10) * 60 +
             (f->p[f->len - 2] - '0') * 10 + (f->p[f->len - 1] - '0');
  if ((f->p[f->len - 2] - '0') > 5)
    return invalid (error, f, "not a ring time (m'ss)");
  return TRUE;
}

static gboolean
parse_duration (const Field *f,
                gint64      *seconds,
                GError     **error)
{
  int h, m, s;

  if (f->len == 0)
    {
      *seconds = -1;
      return TRUE;
    }
  if (!is_duration (f))
    return invalid (error, f, "not a duration (hh:mm'ss)");
  h = (f->p[0] - '0') * 10 + (f->p[1] - '0');
  m = (f->p[3] - '0') * 10 + (f->p[4] - '0');
  s = (f->p[6] - '0') * 10 + (f->p[7] - '0');
  if (m > 59 || s > 59)
    return invalid (error, f, "not a duration (hh:mm'ss)");
  *seconds = (gint64) h * 3600 + m * 60 + s;
  return TRUE;
}

static gboolean
looks_like_date (const char *line,
                 gsize       length)
{
  int slashes = 0;

  if (length < 8)
    return FALSE;
  for (int i = 0; i < 8; i++)
    {
      if (line[i] == '/')
        slashes++;
      else if (!g_ascii_isdigit (line[i]) && line[i] != ' ' && line[i] != '*')
        return FALSE;
    }
  return slashes == 2;
}

static RdSmdrLayout
guess_layout (const char *line,
              gsize       length)
{
  /* Pattern C has a 4-digit CO at 23–26 */
  if (length > 27 && g_ascii_isdigit (line[23]) && g_ascii_isdigit (line[24]) &&
      g_ascii_isdigit (line[25]) && g_ascii_isdigit (line[26]) && line[27] == ' ')
    return RD_SMDR_LAYOUT_C;
  /* Pattern B has the duration at 47–54 where A has the Dial Number */
  if (length > 54 && line[49] == ':' && line[52] == '\'' && line[46] == ' ' &&
      (length == 55 || line[55] == ' '))
    return RD_SMDR_LAYOUT_B;
  return RD_SMDR_LAYOUT_A;
}

static gboolean
aligned (const char *line,
         gsize       length,
         const Columns *c)
{
  /* the one-space separators after date, time, extension and CO */
  if (length <= (gsize) c->dial || line[8] != ' ' || line[16] != ' ' || line[22] != ' ' ||
      line[c->co + c->co_len] != ' ')
    return FALSE;
  /* a right-justified extension and a CO of digits (or blank: intercom) */
  if (line[21] == ' ')
    return FALSE;
  for (int i = 0; i < c->co_len; i++)
    if (!g_ascii_isdigit (line[c->co + i]) && line[c->co + i] != ' ')
      return FALSE;
  return TRUE;
}

static void
cut_columns (const char    *line,
             gsize          length,
             const Columns *c,
             Fields        *f)
{
  f->date = field_at (line, length, 0, 8);
  f->time = field_at (line, length, 9, 7);
  f->ext = field_at (line, length, 17, 5);
  f->co = field_at (line, length, c->co, c->co_len);
  f->dial = field_at (line, length, c->dial, c->dial_len);
  f->ring = field_at (line, length, c->ring, 4);
  f->duration = field_at (line, length, c->duration, 8);
  f->cost = field_at (line, length, c->cost, c->cost_len);
  f->acc = field_at (line, length, c->acc, 10);
  f->cd = field_at (line, length, c->cd, c->cd_len);
}

#define MAX_TOKENS 64

static int
tokenize (const char *line,
          gsize       start,
          gsize       length,
          Field      *tokens)
{
  int n = 0;
  gsize i = start;

  while (i < length && n < MAX_TOKENS)
    {
      gsize s;

      while (i < length && line[i] == ' ')
        i++;
      if (i >= length)
        break;
      s = i;
      while (i < length && line[i] != ' ')
        i++;
      tokens[n].p = line + s;
      tokens[n].len = i - s;
      tokens[n].column = (int) s;
      n++;
    }

  return n;
}

static gboolean
is_account (const Field *f)
{
  return field_all (f, "0123456789.");
}

/* lines not aligned to a pattern: field by field */
static gboolean
cut_tokens (const char *line,
            gsize       length,
            Fields     *f,
            GError    **error)
{
  Field tokens[MAX_TOKENS];
  int n, first = 0, last;

  f->date = field_at (line, length, 0, 8);
  n = tokenize (line, 8, length, tokens);
  if (n == MAX_TOKENS)
    {
      Field all = { line, length, 0 };

      return invalid (error, &all, "too many fields");
    }
  if (n < 2)
    {
      Field rest = field_at (line, length, 8, (int) length);

      rest.column = 8;
      return invalid (error, &rest, "no time and extension");
    }

  f->time = tokens[first++];
  f->ext = tokens[first++];
  memset (&f->co, 0, sizeof f->co);
  if (first < n && tokens[first].len <= 4 && field_all (&tokens[first], "0123456789"))
    f->co = tokens[first++];

  last = n - 1;
  if (last >= first && is_condition (&tokens[last]))
    f->cd = tokens[last--];
  if (last > first && is_account (&tokens[last]) &&
      (is_duration (&tokens[last - 1]) || is_cost (&tokens[last - 1])))
    f->acc = tokens[last--];
  if (last >= first && is_cost (&tokens[last]))
    f->cost = tokens[last--];
  if (last >= first && is_duration (&tokens[last]))
    f->duration = tokens[last--];
  if (last >= first && is_ring (&tokens[last]))
    f->ring = tokens[last--];

  if (last >= first)
    {
      f->dial.p = tokens[first].p;
      f->dial.len = (tokens[last].p + tokens[last].len) - tokens[first].p;
      f->dial.column = tokens[first].column;
    }

  return TRUE;
}

/* the longest run of digits (with a leading +) in @text, or NULL */
static char *
find_number (const char *text)
{
  const char *best = NULL;
  gsize best_len = 0;

  for (const char *p = text; *p != '\0'; )
    {
      const char *s = p;

      if (*p == '+' && g_ascii_isdigit (p[1]))
        p++;
      if (!g_ascii_isdigit (*p))
        {
          p = s + 1;
          continue;
        }
      while (g_ascii_isdigit (*p))
        p++;
      if ((gsize) (p - s) > best_len)
        {
          best = s;
          best_len = p - s;
        }
    }

  return best != NULL ? g_strndup (best, best_len) : NULL;
}

/* the digits the user dialled: `P`, `F`, `=` are skipped, secret (`.`) and
 * privacy (`X`) digits and what the transfer target dialled (after `-`) end it */
static char *
dialled_digits (const char *dial)
{
  GString *out = g_string_new (NULL);

  for (const char *p = dial; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#' || (*p == '+' && out->len == 0))
        g_string_append_c (out, *p);
      else if (*p == 'P' || *p == 'F' || *p == '=' || *p == ' ')
        continue;
      else
        break;
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_prefix_ci (const char *text,
               const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

static gboolean
is_incoming_marker (const char *dial)
{
  g_autofree char *lower = g_ascii_strdown (dial, -1);

  return strstr (dial, "<I>") != NULL || has_prefix_ci (dial, "<D>") ||
         (lower[0] == '<' && strstr (lower, "incoming") != NULL);
}

/* `EXT1235` (as the manuals print it) or `1235EXT` */
static gboolean
is_intercom (const char *dial)
{
  gsize len = dial != NULL ? strlen (dial) : 0;

  return len > 3 && (has_prefix_ci (dial, "EXT") || g_ascii_strcasecmp (dial + len - 3, "EXT") == 0);
}

/* fills calling/called/ddi/direction from the Dial Number; FALSE when the
 * column holds no call (free text) */
static gboolean
read_dial (RdSmdrRecord *record)
{
  const char *dial = record->dial != NULL ? record->dial : "";
  gsize len = strlen (dial);

  if (is_incoming_marker (dial))
    {
      const char *i = strstr (dial, "<I>");

      record->direction = RD_CALL_DIRECTION_IN;
      if (has_prefix_ci (dial, "<D>"))
        {
          g_autofree char *ddi = g_strndup (dial + 3, i != NULL ? (gsize) (i - dial - 3) : len - 3);

          record->ddi = find_number (ddi);
        }
      if (i != NULL)
        record->calling = find_number (i + 3);
      record->called = g_strdup (record->ddi);
      return TRUE;
    }

  if (is_intercom (dial))
    {
      record->direction = RD_CALL_DIRECTION_INTERNAL;
      record->called = find_number (dial);
      record->calling = g_strdup (record->extension);
      return record->called != NULL;
    }

  record->direction = RD_CALL_DIRECTION_OUT;
  record->called = dialled_digits (dial);
  record->calling = g_strdup (record->extension);
  return record->called != NULL;
}

static gboolean
is_header (const char *line,
           gsize       length)
{
  return g_strstr_len (line, length, "Date") != NULL &&
         g_strstr_len (line, length, "Time") != NULL &&
         g_strstr_len (line, length, "Dial") != NULL;
}

static gboolean
is_skipped_text (const char *line,
                 gsize       length)
{
  Field all = { line, length, 0 };

  /* separators, the password echo, the login chatter */
  return field_all (&all, "-=_ ") || field_all (&all, "*") ||
         field_equal (&all, "Enter Password:") || field_equal (&all, "Goodbye.") ||
         field_equal (&all, "-") || field_equal (&all, "SMDR");
}

/**
 * rd_smdr_parse_line:
 * @options: the layout and date order
 * @line: the line's bytes, with or without CR/LF
 * @length: their number
 * @out: (out caller-allocates): the result; clear it with rd_smdr_line_clear()
 *
 * Returns: %FALSE with an RD_ERROR_INVALID_DATA error (naming the column)
 *   when the line looks like a record but cannot be read, or is no SMDR at all
 */
gboolean
rd_smdr_parse_line (const RdSmdrOptions  *options,
                    const char           *line,
                    gsize                 length,
                    RdSmdrLine           *out,
                    GError              **error)
{
  g_autoptr(RdSmdrRecord) record = NULL;
  g_autoptr(GTimeZone) local = NULL;
  const Columns *columns;
  Fields f = { { NULL, 0, 0 }, };
  Field rest;
  RdSmdrLayout layout;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  gboolean date_unknown, time_unknown;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (line != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  out->kind = RD_SMDR_LINE_SKIP;
  out->layout = RD_SMDR_LAYOUT_AUTO;
  out->record = NULL;

  while (length > 0 && (line[length - 1] == '\r' || line[length - 1] == '\n' ||
                        line[length - 1] == ' ' || line[length - 1] == '\t'))
    length--;
  while (length > 0 && (line[0] == '\r' || line[0] == '\n'))
    line++, length--;

  if (length > RD_SMDR_MAX_LINE)
    {
      g_set_error (error, RD_ERROR, RD_ERROR_INVALID_DATA,
                   "SMDR line, column %d: longer than %d columns",
                   RD_SMDR_MAX_LINE + 1, RD_SMDR_MAX_LINE);
      return FALSE;
    }

  if (length == 0 || is_skipped_text (line, length))
    return TRUE;

  if (!looks_like_date (line, length))
    {
      if (is_header (line, length))
        {
          out->kind = RD_SMDR_LINE_HEADER;
          out->layout = length > 90 ? RD_SMDR_LAYOUT_C
                        : g_strstr_len (line, length, "Cost") != NULL ? RD_SMDR_LAYOUT_B
                        : RD_SMDR_LAYOUT_A;
          return TRUE;
        }
      rest = field_at (line, length, 0, (int) length);
      return invalid (error, &rest, "not an SMDR record (no date)");
    }

  /* alarm lines (MJ ALM / MN ALM) and the other non-call lines that start
   * with a date: after the time, no extension and CO follow */
  rest = field_at (line, length, 17, (int) length);
  if (g_strstr_len (rest.p, rest.len, "ALM") != NULL &&
      (g_strstr_len (rest.p, rest.len, "MJ ALM") != NULL ||
       g_strstr_len (rest.p, rest.len, "MN ALM") != NULL))
    return TRUE;

  layout = options->layout != RD_SMDR_LAYOUT_AUTO ? options->layout : guess_layout (line, length);
  columns = layout == RD_SMDR_LAYOUT_C ? &columns_c
            : layout == RD_SMDR_LAYOUT_B ? &columns_b : &columns_a;

  if (aligned (line, length, columns))
    cut_columns (line, length, columns, &f);
  else if (!cut_tokens (line, length, &f, error))
    return FALSE;

  if (!parse_date (&f.date, options->day_first, &year, &month, &day, &date_unknown, error) ||
      !parse_time (&f.time, &hour, &minute, &time_unknown, error))
    return FALSE;

  if (f.ext.len == 0 || f.ext.len > 8 || !field_all (&f.ext, "0123456789*#DTBC-"))
    {
      /* a printing message, an absent message, …: no extension in place */
      if (f.ext.len > 0 && f.ext.len <= 8 && f.co.len == 0)
        return TRUE;
      return invalid (error, &f.ext, "not an extension");
    }

  record = g_new0 (RdSmdrRecord, 1);
  record->layout = layout;
  if (!date_unknown && !time_unknown)
    {
      if (options->time_zone == NULL)
        local = g_time_zone_new_local ();
      record->at = g_date_time_new (options->time_zone != NULL ? options->time_zone : local,
                                    year, month, day, hour, minute, 0);
    }
  record->extension = field_dup (&f.ext);
  if (record->extension[0] == '*' && record->extension[1] != '\0')
    memmove (record->extension, record->extension + 1, strlen (record->extension));
  record->trunk = field_dup (&f.co);
  record->dial = field_dup (&f.dial);
  record->cost = field_dup (&f.cost);
  record->account = field_dup (&f.acc);
  record->condition = field_dup (&f.cd);
  if (record->condition != NULL)
    {
      char *up = g_ascii_strup (record->condition, -1);

      g_free (record->condition);
      record->condition = up;
    }

  if (!parse_ring (&f.ring, &record->ring_time, error) ||
      !parse_duration (&f.duration, &record->duration, error))
    return FALSE;

  if (f.cd.len > 0 && !is_condition (&f.cd))
    return invalid (error, &f.cd, "not a condition code");

  /* LOG IN/OUT, absent messages, hotel and timed reminder lines: the text
   * is where the CO and the number would be */
  if (f.co.len == 0 && !is_intercom (record->dial))
    return TRUE;

  if (!read_dial (record))
    {
      if (f.co.len == 0)
        return TRUE;
      if (record->dial == NULL)
        {
          Field dial = f.dial;

          dial.column = columns->dial;
          return invalid (error, &dial, "no Dial Number");
        }
      /* outgoing with nothing dialled (free text): not a call */
      return TRUE;
    }

  out->kind = RD_SMDR_LINE_RECORD;
  out->layout = layout;
  out->record = g_steal_pointer (&record);
  return TRUE;
}

static const char *
condition_to_cause (const char *condition)
{
  if (condition == NULL)
    return "normal";
  if (g_str_equal (condition, "TR"))
    return "transferred";
  if (g_str_equal (condition, "FW"))
    return "forwarded";
  if (g_str_equal (condition, "NA"))
    return "no_answer";
  if (condition[0] == 'D')
    return "disa";
  return "normal";
}

/**
 * rd_smdr_record_to_event:
 * @record: a call record
 * @link: the link name to stamp
 *
 * RC (and VR) → RINGING, AN (and VA) → ANSWERED; every other record → RECORD
 * with its outcome: NA → abandoned (the caller gave up while it rang, the
 * KX-TD816 and NS manuals' "not answered"); an incoming record with no talk
 * time → missed; talk time → answered.
 *
 * Returns: (transfer full): the event
 */
RdCtiEvent *
rd_smdr_record_to_event (const RdSmdrRecord *record,
                         const char         *link)
{
  RdCtiEvent *event;
  const char *cd = record->condition;
  RdCtiEventType type = RD_CTI_EVENT_RECORD;

  if (g_strcmp0 (cd, "RC") == 0 || g_strcmp0 (cd, "VR") == 0)
    type = RD_CTI_EVENT_RINGING;
  else if (g_strcmp0 (cd, "AN") == 0 || g_strcmp0 (cd, "VA") == 0)
    type = RD_CTI_EVENT_ANSWERED;

  event = rd_cti_event_new (type, link);
  if (record->at != NULL)
    {
      g_date_time_unref (event->at);
      event->at = g_date_time_ref (record->at);
    }
  event->extension = g_strdup (record->extension);
  event->trunk = g_strdup (record->trunk);
  event->calling = g_strdup (record->calling);
  event->called = g_strdup (record->called);
  event->ddi = g_strdup (record->ddi);
  event->direction = record->direction;

  if (type == RD_CTI_EVENT_ANSWERED)
    event->ring_time = record->ring_time;

  if (type == RD_CTI_EVENT_RECORD)
    {
      event->ring_time = record->ring_time;
      event->duration = MAX (record->duration, 0);
      event->cause = g_strdup (condition_to_cause (cd));
      if (g_strcmp0 (cd, "NA") == 0)
        event->outcome = RD_CALL_OUTCOME_ABANDONED;
      else if (record->duration > 0)
        event->outcome = RD_CALL_OUTCOME_ANSWERED;
      else
        event->outcome = RD_CALL_OUTCOME_MISSED;
    }

  return event;
}
