/*
 * work_queue.h — a bounded queue in front of one worker thread.
 *
 * The event loop must never wait for a disk, a database or a renderer, so
 * every part that does slow work (the RRD store today; the event store and
 * graph rendering next) pushes records here and one worker thread handles
 * them.  Many producers, one consumer; records are opaque bytes, copied in.
 *
 * Cost model, which is why it looks the way it does:
 *   - push copies the record into a 64 KiB chunk under a mutex: no malloc
 *     per record (chunks are recycled), a few tens of nanoseconds;
 *   - the worker is woken at most twice per batch, not per record: once on
 *     the empty-to-busy edge, then it lingers (sleeps) until `linger_ms`
 *     after that first record or until `wake_items` are pending, whichever
 *     comes first, and takes everything at once.  A consumer whose cost is
 *     per call (a round trip to rrdcached, a SQLite transaction) pays it
 *     once per batch.  A flush or a stop cuts the linger short.
 *   - the handler may stop part-way (its backend is down) and ask to be
 *     called again after a delay; the records it did not consume stay at
 *     the front, in order, and keep counting against `max_items`.
 *
 * Threads: push, flush and stats may be called from any thread; the
 * handler runs only on the worker thread, which blocks every signal.
 */
#ifndef SERAT_WORK_QUEUE_H
#define SERAT_WORK_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* What a handler sees: the records of one drain, walked with a cursor. */
struct work_batch;

/* A position in a batch, for rewinding to it. */
struct work_mark {
	void *chunk;
	size_t off;
	uint64_t n;
};

/*
 * The handler.  Walk the batch with work_batch_next().  URGENT is 1 when
 * somebody waits (work_queue_flush, work_queue_free): then every record
 * must be consumed, and the handler should also make its own buffers
 * durable.  Return 0 when every record up to the cursor is consumed (the
 * rest, if the handler stopped early, is offered again at once), or a
 * delay in milliseconds: the records from the cursor on are offered again
 * after that delay, or sooner if a flush is requested.  With URGENT set a
 * delay is ignored and what is left is dropped (counted in `dropped`).
 */
typedef long (*work_queue_run_fn)(void *ctx, struct work_batch *b, int urgent);

struct work_queue_conf {
	const char *name;          /* for logs and the thread name */
	size_t max_items;          /* pending records before push refuses; 0 = 1M */
	unsigned linger_ms;        /* see above; 0 = wake at once */
	size_t wake_items;         /* pending records that end a linger; 0 = 512 */
	work_queue_run_fn run;
	void *ctx;                 /* borrowed; outlives the queue */
};

struct work_queue_stats {
	uint64_t pushed;           /* records accepted */
	uint64_t done;             /* records consumed or dropped by the handler */
	uint64_t refused;          /* pushes refused: queue full or too big */
	uint64_t dropped;          /* left over by an urgent handler call */
	uint64_t batches;          /* handler calls */
	uint64_t wakeups;          /* times the worker woke up */
};

struct work_queue;

/* Starts the worker.  CONF is copied.  NULL on failure (logged). */
struct work_queue *work_queue_new(const struct work_queue_conf *conf);

/* Handles everything still queued (one urgent call), stops the worker and
 * frees.  NULL-safe. */
void work_queue_free(struct work_queue *q);

/*
 * Queue one record: the N parts of IOV, concatenated (at most 32 KiB).
 * Copies; never blocks on the worker.  0, -ENOBUFS when max_items records
 * are pending, -EMSGSIZE for a record too big, -ENOMEM.
 */
int work_queue_push(struct work_queue *q, const struct iovec *iov, int n);

/* Block until every record pushed before the call is consumed and the
 * handler has run once with URGENT set.  Returns 0. */
int work_queue_flush(struct work_queue *q);

void work_queue_get_stats(struct work_queue *q, struct work_queue_stats *out);

/* Records pushed and not yet consumed. */
size_t work_queue_pending(struct work_queue *q);

/* The next record of B (its length in *LEN), or NULL at the end.  The
 * bytes stay valid until the handler returns; they are 8-byte aligned. */
const void *work_batch_next(struct work_batch *b, size_t *len);

/* Where the cursor is, and going back there (to re-offer records after a
 * failure that undoes work the handler thought done). */
struct work_mark work_batch_mark(const struct work_batch *b);
void work_batch_rewind(struct work_batch *b, struct work_mark m);

#endif
