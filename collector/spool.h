/*
 * spool.h — the durable queue of notifications not yet delivered.
 *
 * A notification counts as queued only once it is on disk: spool_write()
 * writes <dir>/tmp.<key>, fsyncs it, renames it to <dir>/<key>.msg and
 * fsyncs the directory (the OpenSMTPD / Postfix way), so after a crash a
 * file is either whole or absent.  spool_remove() deletes it only after the
 * receiver answered 2xx (or the notification was given up), and fsyncs the
 * directory so a delivered notification does not come back after a power
 * loss.  spool_load() reads what is left at start-up, oldest first.
 *
 * spool_write and spool_remove block (fsync): seratd calls them on its
 * bg_worker thread, never on the loop.  spool_load runs once before the
 * loop starts.  The body is the rendered request (JSON or form), never a
 * secret: URLs and tokens come from the running config when it is sent.
 *
 * File format (text header, then the body verbatim):
 *   serat-spool 1\n channel NAME\n key KEY\n created SECONDS\n
 *   type CONTENT-TYPE\n length N\n \n BODY(N bytes)
 */
#ifndef SERAT_SPOOL_H
#define SERAT_SPOOL_H

#include <stddef.h>

struct spool_entry {
	char *channel;        /* channel name in the config */
	char *key;            /* Idempotency-Key: [A-Za-z0-9-], <= 64 chars */
	double created;       /* wall clock when first queued */
	char *content_type;   /* "application/json", ... */
	char *body;           /* NUL-terminated; body_len bytes */
	size_t body_len;
};

/* A new entry with copies of the strings; NULL on ENOMEM.  Caller frees
 * with spool_entry_free. */
struct spool_entry *spool_entry_new(const char *channel, const char *key, double created,
				    const char *content_type, const char *body);

/* NULL-safe. */
void spool_entry_free(struct spool_entry *e);

/* A new random key (32 hex digits) into BUF (>= 33 bytes).  0 or -errno. */
int spool_new_key(char *buf, size_t len);

/* Create DIR if needed and delete leftover tmp.* files of a crash.
 * 0 or -errno (logged). */
int spool_prepare(const char *dir);

/* Durably store E in DIR (blocks: fsync).  0 or -errno (logged). */
int spool_write(const char *dir, const struct spool_entry *e);

/* Durably delete KEY from DIR (blocks).  A missing file is not an error.
 * 0 or -errno (logged). */
int spool_remove(const char *dir, const char *key);

/* The same for N entries / keys with ONE directory fsync (group commit: a
 * burst of 1,000 notifications costs 1,000 file fsyncs, not 3,000).
 * RC[i] gets each one's result; returns 0 or the first error. */
int spool_write_batch(const char *dir, struct spool_entry *const *e, size_t n, int *rc);
int spool_remove_batch(const char *dir, char *const *keys, size_t n);

/* Call CB for every stored entry, oldest `created` first; CB takes
 * ownership of the entry.  A file that does not parse is logged, renamed
 * to <name>.bad and skipped.  Returns the number of entries or -errno. */
int spool_load(const char *dir, void (*cb)(void *arg, struct spool_entry *e), void *arg);

/* Parse one spool file's bytes (pure; bounds-checked).  A new entry, or
 * NULL when malformed.  Caller frees. */
struct spool_entry *spool_parse(const char *buf, size_t len);

#endif
