/* rd-throttle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counts failures per key (a username, a client address) in a sliding
 * window: a key is blocked while it has @max_failures failures younger than
 * the window, until the oldest of them leaves it. Each key keeps only its
 * last @max_failures timestamps, in a ring. Memory is bounded: at most
 * @max_entries keys are kept; when full, the key that failed least recently
 * is forgotten (an LRU queue makes that O(1)).
 */

#define G_LOG_DOMAIN "RdThrottle"

#include "config.h"

#include "rd-throttle.h"

#define MAX_FAILURES_LIMIT 1000

typedef struct
{
  char   *key;
  GList   link;      /* in the LRU queue; data = the entry */
  guint   count;     /* timestamps in the ring, at most max_failures */
  guint   head;      /* index of the oldest */
  gint64 *times;     /* monotonic µs, capacity max_failures */
  guint   capacity;
} Entry;

struct _RdThrottle
{
  GObject     parent_instance;

  guint       max_failures;
  gint64      window;        /* µs */
  guint       max_entries;
  GHashTable *entries;       /* key → Entry*, owns the entries */
  GQueue      lru;           /* least recently failed first */
};

G_DEFINE_FINAL_TYPE (RdThrottle, rd_throttle, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_free (entry->times);
  g_free (entry);
}

/* Drops the timestamps that left the window. */
static void
entry_expire (Entry  *entry,
              gint64  now,
              gint64  window)
{
  while (entry->count > 0 && entry->times[entry->head] <= now - window)
    {
      entry->head = (entry->head + 1) % entry->capacity;
      entry->count--;
    }
}

static void
remove_entry (RdThrottle *self,
              Entry      *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  g_hash_table_remove (self->entries, entry->key);
}

/**
 * rd_throttle_check:
 * @key: the username or address
 * @now_usec: g_get_monotonic_time()
 * @retry_after: (out) (optional): when blocked, seconds until the next try
 *
 * Returns: %TRUE if @key may try again, %FALSE if it is blocked
 */
gboolean
rd_throttle_check (RdThrottle *self,
                   const char *key,
                   gint64      now_usec,
                   guint      *retry_after)
{
  Entry *entry;
  gint64 wait;

  g_return_val_if_fail (RD_IS_THROTTLE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    return TRUE;

  entry_expire (entry, now_usec, self->window);
  if (entry->count == 0)
    {
      remove_entry (self, entry);
      return TRUE;
    }
  if (entry->count < self->max_failures)
    return TRUE;

  /* blocked until the oldest failure leaves the window */
  wait = entry->times[entry->head] + self->window - now_usec;
  if (retry_after != NULL)
    *retry_after = (guint) MAX (1, (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

  return FALSE;
}

/**
 * rd_throttle_add_failure:
 *
 * Records one failure of @key at @now_usec.
 */
void
rd_throttle_add_failure (RdThrottle *self,
                         const char *key,
                         gint64      now_usec)
{
  Entry *entry;

  g_return_if_fail (RD_IS_THROTTLE (self));
  g_return_if_fail (key != NULL);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL && entry->capacity != self->max_failures)
    {
      /* the limits changed: start this key afresh */
      remove_entry (self, entry);
      entry = NULL;
    }

  if (entry == NULL)
    {
      /* full: forget the key that failed least recently */
      while (g_hash_table_size (self->entries) >= self->max_entries)
        remove_entry (self, g_queue_peek_head (&self->lru));

      entry = g_new0 (Entry, 1);
      entry->key = g_strdup (key);
      entry->capacity = self->max_failures;
      entry->times = g_new0 (gint64, entry->capacity);
      entry->link.data = entry;
      g_hash_table_insert (self->entries, entry->key, entry);
    }
  else
    {
      g_queue_unlink (&self->lru, &entry->link);
    }
  g_queue_push_tail_link (&self->lru, &entry->link);

  entry_expire (entry, now_usec, self->window);
  if (entry->count == entry->capacity)
    {
      /* the ring is full: the oldest is overwritten */
      entry->head = (entry->head + 1) % entry->capacity;
      entry->count--;
    }
  entry->times[(entry->head + entry->count) % entry->capacity] = now_usec;
  entry->count++;
}

/**
 * rd_throttle_forgive:
 *
 * Takes back the most recent failure of @key: for an attempt that was
 * counted before its outcome was known, and then succeeded.
 */
void
rd_throttle_forgive (RdThrottle *self,
                     const char *key)
{
  Entry *entry;

  g_return_if_fail (RD_IS_THROTTLE (self));
  g_return_if_fail (key != NULL);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    return;

  if (entry->count > 0)
    entry->count--;
  if (entry->count == 0)
    remove_entry (self, entry);
}

/**
 * rd_throttle_reset:
 *
 * Forgets the failures of @key (after a successful sign-in).
 */
void
rd_throttle_reset (RdThrottle *self,
                   const char *key)
{
  Entry *entry;

  g_return_if_fail (RD_IS_THROTTLE (self));
  g_return_if_fail (key != NULL);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL)
    remove_entry (self, entry);
}

guint
rd_throttle_get_n_entries (RdThrottle *self)
{
  g_return_val_if_fail (RD_IS_THROTTLE (self), 0);

  return g_hash_table_size (self->entries);
}

guint
rd_throttle_get_max_failures (RdThrottle *self)
{
  g_return_val_if_fail (RD_IS_THROTTLE (self), 0);

  return self->max_failures;
}

/**
 * rd_throttle_set_limits:
 * @max_failures: failures allowed in the window (1 to 1000)
 * @window_seconds: the window, 1 or more
 */
void
rd_throttle_set_limits (RdThrottle *self,
                        guint       max_failures,
                        guint       window_seconds)
{
  g_return_if_fail (RD_IS_THROTTLE (self));
  g_return_if_fail (max_failures >= 1 && max_failures <= MAX_FAILURES_LIMIT);
  g_return_if_fail (window_seconds >= 1);

  self->max_failures = max_failures;
  self->window = (gint64) window_seconds * G_USEC_PER_SEC;
}

static void
rd_throttle_finalize (GObject *object)
{
  RdThrottle *self = (RdThrottle *) object;

  /* the links live in the entries: just forget them */
  g_queue_init (&self->lru);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (rd_throttle_parent_class)->finalize (object);
}

static void
rd_throttle_class_init (RdThrottleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rd_throttle_finalize;
}

static void
rd_throttle_init (RdThrottle *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  g_queue_init (&self->lru);
}

/**
 * rd_throttle_new:
 * @max_entries: most keys remembered (1 or more)
 */
RdThrottle *
rd_throttle_new (guint max_failures,
                 guint window_seconds,
                 guint max_entries)
{
  RdThrottle *self;

  g_return_val_if_fail (max_entries >= 1, NULL);

  self = g_object_new (RD_TYPE_THROTTLE, NULL);
  rd_throttle_set_limits (self, max_failures, window_seconds);
  self->max_entries = max_entries;

  return self;
}
