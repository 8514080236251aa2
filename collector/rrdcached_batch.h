/*
 * rrdcached_batch.h — many rrdcached UPDATEs per round trip (BATCH).
 *
 * librrd's client (rrdc_update) costs ~25 µs of our CPU per update: it
 * resolves the file's path and waits for an answer, every time.  rrdcached's
 * BATCH command (rrdcached(1)) takes any number of commands and answers once
 * with the errors, so the writer thread sends a whole queue drain in one
 * write and reads one short reply.  Files are still created, looked up
 * (LAST) and flushed through librrd; only UPDATE goes through here.
 *
 * The protocol is text over the same socket kinds rrdcached listens on
 * ("unix:/path", "/path", "host:port"); every reply line is read with a
 * bound and parsed strictly, since it comes from another process.  Not
 * thread-safe: one writer thread owns a batch.
 */
#ifndef SERAT_RRDCACHED_BATCH_H
#define SERAT_RRDCACHED_BATCH_H

#include <stddef.h>

struct rrdcached_batch;

/* ADDRESS as in the config's rrd.rrdcached; copied.  Connects lazily.
 * NULL on allocation failure or an address it cannot parse. */
struct rrdcached_batch *rrdcached_batch_new(const char *address);

/* Closes the connection, drops pending commands.  NULL-safe. */
void rrdcached_batch_free(struct rrdcached_batch *b);

/* Queue "UPDATE FILE VALUES".  0, -EINVAL (a newline in either: it would
 * split the command), or -ENOMEM. */
int rrdcached_batch_add(struct rrdcached_batch *b, const char *file, const char *values);

/* Drop the queued commands without sending them. */
void rrdcached_batch_reset(struct rrdcached_batch *b);

/* Commands queued since the last send. */
size_t rrdcached_batch_pending(const struct rrdcached_batch *b);

/*
 * Send the queued commands as one BATCH and read the answer.  On 0, FAILED
 * (the pending count long, caller-owned) holds 1 for each command rrdcached
 * refused, and *FIRST_ERROR (if not NULL) the first refusal's text (owned by
 * the batch, valid until the next call).  -ENOTCONN: the daemon could not be
 * reached or the connection broke; nothing is known about the commands.
 * -EPROTO: the answer made no sense; the connection is closed.  The queue
 * is empty afterwards in every case.
 */
int rrdcached_batch_send(struct rrdcached_batch *b, unsigned char *failed,
			 const char **first_error);

#endif
