/*
 * config_csv.h — an RFC 4180 CSV reader for the inventory.
 *
 * Inventories come out of spreadsheets, so the reader accepts what
 * spreadsheets write: quoted fields with commas, newlines and "" escapes,
 * CRLF or LF line ends, a UTF-8 byte-order mark.  It also skips blank lines
 * and lines starting with '#' (comments people add by hand), and trims
 * blanks around unquoted fields.  It works on a buffer in memory (an
 * inventory is a few hundred rows, 100,000 at most in a few MiB) and is
 * pure: no I/O, no globals.
 *
 * cfg_csv_load() is the inventory loader built on it (config_load's CSV
 * reader; see config_build.h).
 */
#ifndef SERAT_CONFIG_CSV_H
#define SERAT_CONFIG_CSV_H

#include <stddef.h>

struct csv_reader;

/* Read DATA (LEN bytes, borrowed; must outlive the reader).  NULL on ENOMEM. */
struct csv_reader *csv_reader_new(const char *data, size_t len);
/* NULL-safe. */
void csv_reader_free(struct csv_reader *r);

/*
 * The next record: returns its number of fields (>= 1) and sets *FIELDS to
 * an array of NUL-terminated strings owned by the reader (valid until the
 * next call) and *LINE to the 1-based line where the record starts.  Returns
 * 0 at the end, -EINVAL on malformed input (csv_reader_error() says why and
 * *LINE where), -ENOMEM.
 */
int csv_reader_next(struct csv_reader *r, char ***fields, unsigned *line);
const char *csv_reader_error(const struct csv_reader *r);

struct cfg_build;

/*
 * Append the sites and devices of the CSV inventory b->conf->inventory_csv
 * to the config being built, reporting errors into the build.  0, or
 * negative when the file could not be read or parsed at all.
 */
int cfg_csv_load(struct cfg_build *b);

#endif
