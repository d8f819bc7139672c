/* fuzz-driver.c: replays fuzz corpora without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fuzz-TARGET [--mutations N] PATH…   (files or folders of seed inputs)
 *
 * Each seed runs as is, then N deterministic mutations of it (bit flips, byte
 * changes, truncations, duplications, splices of interesting bytes), seeded by
 * the seed's own contents so a failure is reproducible. A crash or critical
 * aborts the run; the offending input is written to fuzz-crash-TARGET.bin in
 * the current folder by a signal handler as the process dies.
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static const char *current_target;
static char *crash_path;
static const guint8 *current_data;
static gsize current_size;

/* On abort or crash, write the input that caused it (async-signal-safe calls
 * only), then let the signal take its course. */
static void
on_fatal_signal (int signum)
{
  int fd = open (crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  if (fd >= 0)
    {
      gsize done = 0;

      while (done < current_size)
        {
          ssize_t n = write (fd, current_data + done, current_size - done);

          if (n <= 0)
            break;
          done += (gsize) n;
        }
      close (fd);
    }

  signal (signum, SIG_DFL);
  raise (signum);
}

static void
run_one (const guint8 *data,
         gsize         size)
{
  current_data = data;
  current_size = size;
  LLVMFuzzerTestOneInput (data, size);
  current_data = NULL;
  current_size = 0;
}

static GBytes *
mutate (GRand        *rand,
        const guint8 *seed,
        gsize         size)
{
  static const char *interesting[] = {
    "\"", "\\", "{", "}", "[", "]", ":", ",", "null", "true", "-1", "0",
    "9223372036854775808", "1e999", "\\u0000", "\xff", "\xc3\x28", "\n", "\r\n", ";",
    "=", "[group]", "%s%n", "", "\x80", "99999999999999999999", "-",
  };
  g_autoptr(GByteArray) out = g_byte_array_sized_new (size + 32);
  guint ops = g_rand_int_range (rand, 1, 6);

  g_byte_array_append (out, seed, size);

  for (guint op = 0; op < ops; op++)
    {
      guint len = out->len;
      guint pos = len ? g_rand_int_range (rand, 0, len) : 0;

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0: /* flip a bit */
          if (len)
            out->data[pos] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
          break;

        case 1: /* random byte */
          if (len)
            out->data[pos] = (guint8) g_rand_int_range (rand, 0, 256);
          break;

        case 2: /* truncate */
          g_byte_array_set_size (out, pos);
          break;

        case 3: /* remove a range */
          if (len)
            {
              guint n = (guint) g_rand_int_range (rand, 1, 16);

              g_byte_array_remove_range (out, pos, MIN (n, len - pos));
            }
          break;

        case 4: /* insert an interesting token */
          {
            const char *token = interesting[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting))];

            g_byte_array_set_size (out, len + strlen (token));
            memmove (out->data + pos + strlen (token), out->data + pos, len - pos);
            memcpy (out->data + pos, token, strlen (token));
          }
          break;

        case 5: /* duplicate a range */
          if (len && len < 1 << 16)
            {
              guint n = (guint) g_rand_int_range (rand, 1, 64);
              g_autofree guint8 *copy = NULL;

              n = MIN (n, len - pos);
              copy = g_memdup2 (out->data + pos, n);

              g_byte_array_append (out, copy, n);
            }
          break;

        default:
          break;
        }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static guint
run_seed (const char *path,
          guint       mutations)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;

  if (!g_file_get_contents (path, &contents, &size, &error))
    {
      g_printerr ("%s: %s\n", path, error->message);
      exit (EXIT_FAILURE);
    }

  run_one ((const guint8 *) contents, size);

  rand = g_rand_new_with_seed (g_str_hash (contents) ^ (guint32) size);
  for (guint i = 0; i < mutations; i++)
    {
      g_autoptr(GBytes) mutated = mutate (rand, (const guint8 *) contents, size);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (mutated, &len);

      run_one (data, len);
    }

  return 1 + mutations;
}

int
main (int   argc,
      char *argv[])
{
  guint mutations = 500;
  guint runs = 0;
  guint seeds = 0;
  int first = 1;

  current_target = g_path_get_basename (argv[0]);
  crash_path = g_strdup_printf ("fuzz-crash-%s.bin", current_target);
  signal (SIGABRT, on_fatal_signal);
  signal (SIGSEGV, on_fatal_signal);
  signal (SIGBUS, on_fatal_signal);
  signal (SIGFPE, on_fatal_signal);
  signal (SIGTRAP, on_fatal_signal);

  if (argc > 2 && g_str_equal (argv[1], "--mutations"))
    {
      mutations = (guint) g_ascii_strtoull (argv[2], NULL, 10);
      first = 3;
    }

  if (first >= argc)
    {
      g_printerr ("usage: %s [--mutations N] CORPUS…\n", argv[0]);
      return EXIT_FAILURE;
    }

  for (int i = first; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
          for (guint j = 0; j < names->len; j++)
            {
              runs += run_seed (g_ptr_array_index (names, j), mutations);
              seeds++;
            }
        }
      else
        {
          runs += run_seed (argv[i], mutations);
          seeds++;
        }
    }

  if (seeds == 0)
    {
      g_printerr ("%s: no seed inputs found\n", current_target);
      return EXIT_FAILURE;
    }

  g_print ("%s: %u inputs from %u seeds, no crash\n", current_target, runs, seeds);
  return EXIT_SUCCESS;
}
