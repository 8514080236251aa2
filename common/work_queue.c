/*
 * work_queue.c — see work_queue.h for the contract.
 *
 * Records live in 64 KiB chunks: [u32 length, u32 pad][payload, padded to
 * 8].  The producers append to the tail chunk; the worker takes the whole
 * chunk list at once (one lock round trip per batch) and gives the chunks
 * back to a free list when the handler is done with them, so a steady
 * stream allocates nothing.  Records a handler left over ("held") stay in
 * their chunks, with the cursor's offset, in front of what is taken next.
 *
 * Why linger: the RRD store through rrdcached pays one round trip per
 * batch.  Woken on every empty-to-busy edge, the worker of a running
 * seratd took ~1-5 records per drain (the loop pushes a device's rows
 * while the worker is already awake), and spent most of its CPU in wake-ups
 * and round trips (bench/README.md).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/work_queue.h"

#define WQ_CHUNK_DATA (65536 - 64)
#define WQ_RECORD_MAX 32768
#define WQ_FREE_MAX 64            /* chunks kept for reuse: 4 MiB */
#define WQ_MAX_ITEMS_DEFAULT (1u << 20)
#define WQ_WAKE_ITEMS_DEFAULT 512

struct wq_chunk {
	struct wq_chunk *next;
	size_t used;               /* bytes of data in use */
	uint64_t n;                /* records in it */
	_Alignas(8) unsigned char data[WQ_CHUNK_DATA];
};

struct work_batch {
	struct wq_chunk *cur;
	size_t off;
	uint64_t n;                /* records the cursor has passed */
};

enum wq_state { WQ_BUSY, WQ_IDLE, WQ_LINGER, WQ_HOLD };

struct work_queue {
	struct work_queue_conf conf;

	pthread_mutex_t lock;
	pthread_cond_t wake;       /* the worker waits: work, flush, stop */
	pthread_cond_t done;       /* flushers wait: progress */
	struct wq_chunk *head, *tail;  /* pushed, not yet taken */
	size_t queued;             /* records in head..tail */
	struct timespec first_at;  /* monotonic: when the first of them came */
	struct wq_chunk *free_chunks;
	size_t n_free;
	size_t pending;            /* pushed and not yet done (held included) */
	uint64_t seq_pushed, seq_done;
	uint64_t flush_req, flush_done;
	int stopping;
	enum wq_state state;
	struct work_queue_stats stats;
	pthread_t thread;
	int started;
};

static void wq_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void wq_add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static int wq_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Under the lock. */
static void wq_chunk_release(struct work_queue *q, struct wq_chunk *c)
{
	if (q->n_free < WQ_FREE_MAX) {
		c->next = q->free_chunks;
		q->free_chunks = c;
		q->n_free++;
	} else {
		free(c);
	}
}

static void wq_chunks_free(struct wq_chunk *c)
{
	while (c != NULL) {
		struct wq_chunk *next = c->next;
		free(c);
		c = next;
	}
}

/* ---- the batch cursor (worker thread) ---------------------------------- */

const void *work_batch_next(struct work_batch *b, size_t *len)
{
	while (b->cur != NULL && b->off >= b->cur->used) {
		b->cur = b->cur->next;
		b->off = 0;
	}
	if (b->cur == NULL)
		return NULL;
	uint32_t l;
	memcpy(&l, b->cur->data + b->off, sizeof(l));
	const void *rec = b->cur->data + b->off + 8;
	b->off += 8 + ((l + 7u) & ~7u);
	b->n++;
	if (len)
		*len = l;
	return rec;
}

struct work_mark work_batch_mark(const struct work_batch *b)
{
	struct work_mark m = { b->cur, b->off, b->n };
	return m;
}

void work_batch_rewind(struct work_batch *b, struct work_mark m)
{
	b->cur = m.chunk;
	b->off = m.off;
	b->n = m.n;
}

/* ---- the worker ------------------------------------------------------- */

static void *wq_thread(void *arg)
{
	struct work_queue *q = arg;
	struct wq_chunk *held = NULL;   /* records left over, from held_off on */
	size_t held_off = 0;
	uint64_t held_n = 0;
	struct timespec retry_at = { 0, 0 }, now;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		int urgent;
		for (;;) {
			urgent = q->stopping || q->flush_done != q->flush_req;
			if (urgent)
				break;
			wq_now(&now);
			if (held != NULL) {
				if (!wq_before(&now, &retry_at))
					break;
				q->state = WQ_HOLD;
				pthread_cond_timedwait(&q->wake, &q->lock, &retry_at);
			} else if (q->head == NULL) {
				q->state = WQ_IDLE;
				pthread_cond_wait(&q->wake, &q->lock);
			} else {
				struct timespec deadline = q->first_at;
				wq_add_ms(&deadline, q->conf.linger_ms);
				if (q->queued >= q->conf.wake_items || !wq_before(&now, &deadline))
					break;
				q->state = WQ_LINGER;
				pthread_cond_timedwait(&q->wake, &q->lock, &deadline);
			}
			q->state = WQ_BUSY;
			q->stats.wakeups++;
		}
		q->state = WQ_BUSY;
		if (q->stopping && q->head == NULL && held == NULL &&
		    q->flush_done == q->flush_req)
			break;

		/* Take everything: what was held, then what came since. */
		struct wq_chunk *first = held;
		uint64_t total = held_n + q->queued;
		if (first == NULL) {
			first = q->head;
			held_off = 0;
		} else {
			struct wq_chunk *last = held;
			while (last->next != NULL)
				last = last->next;
			last->next = q->head;
		}
		q->head = q->tail = NULL;
		q->queued = 0;
		held = NULL;
		uint64_t req = q->flush_req;
		q->stats.batches++;
		pthread_mutex_unlock(&q->lock);

		struct work_batch b = { first, held_off, 0 };
		long delay = q->conf.run(q->conf.ctx, &b, urgent);
		/* Normalise the cursor so it never points past a chunk's end. */
		while (b.cur != NULL && b.off >= b.cur->used) {
			b.cur = b.cur->next;
			b.off = 0;
		}
		uint64_t consumed = b.n;
		uint64_t left = total > consumed ? total - consumed : 0;

		pthread_mutex_lock(&q->lock);
		/* Chunks entirely before the cursor go back to the free list. */
		struct wq_chunk *keep = urgent ? NULL : b.cur;
		for (struct wq_chunk *c = first, *next; c != keep; c = next) {
			next = c->next;
			wq_chunk_release(q, c);
		}
		if (urgent) {
			q->stats.dropped += left;
			consumed += left;
			left = 0;
		} else if (keep != NULL) {
			held = keep;
			held_off = b.off;
			held_n = left;
			wq_now(&retry_at);
			if (delay > 0)
				wq_add_ms(&retry_at, delay);
		}
		q->seq_done += consumed;
		q->stats.done += consumed;
		q->pending -= consumed;
		if (urgent)
			q->flush_done = req;
		pthread_cond_broadcast(&q->done);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* ---- public API --------------------------------------------------------- */

struct work_queue *work_queue_new(const struct work_queue_conf *conf)
{
	struct work_queue *q;
	pthread_condattr_t ca;
	sigset_t all, old;

	if (conf == NULL || conf->run == NULL)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (q == NULL) {
		log_err("%s: out of memory", conf->name ? conf->name : "work_queue");
		return NULL;
	}
	q->conf = *conf;
	if (q->conf.name == NULL)
		q->conf.name = "work_queue";
	if (q->conf.max_items == 0)
		q->conf.max_items = WQ_MAX_ITEMS_DEFAULT;
	if (q->conf.wake_items == 0)
		q->conf.wake_items = WQ_WAKE_ITEMS_DEFAULT;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&q->done, NULL);

	/* Signals belong to the event loop's thread, not the worker. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&q->thread, NULL, wq_thread, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		log_err("%s: cannot start the worker thread: %s", q->conf.name, strerror(r));
		work_queue_free(q);
		return NULL;
	}
	q->started = 1;
#ifdef __GLIBC__
	/* Names the thread in top -H and perf; at most 15 characters. */
	char tname[16];
	strncpy(tname, q->conf.name, sizeof(tname) - 1);
	tname[sizeof(tname) - 1] = '\0';
	pthread_setname_np(q->thread, tname);
#endif
	return q;
}

void work_queue_free(struct work_queue *q)
{
	if (q == NULL)
		return;
	if (q->started) {
		pthread_mutex_lock(&q->lock);
		q->stopping = 1;
		pthread_cond_signal(&q->wake);
		pthread_mutex_unlock(&q->lock);
		pthread_join(q->thread, NULL);
	}
	wq_chunks_free(q->head);
	wq_chunks_free(q->free_chunks);
	pthread_cond_destroy(&q->done);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

int work_queue_push(struct work_queue *q, const struct iovec *iov, int n)
{
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += iov[i].iov_len;
	size_t need = 8 + ((len + 7) & ~(size_t)7);

	pthread_mutex_lock(&q->lock);
	if (len > WQ_RECORD_MAX || q->pending >= q->conf.max_items) {
		q->stats.refused++;
		pthread_mutex_unlock(&q->lock);
		return len > WQ_RECORD_MAX ? -EMSGSIZE : -ENOBUFS;
	}
	struct wq_chunk *c = q->tail;
	if (c == NULL || c->used + need > WQ_CHUNK_DATA) {
		c = q->free_chunks;
		if (c != NULL) {
			q->free_chunks = c->next;
			q->n_free--;
		} else {
			/* Rare (the free list refills in steady state), so the
			 * malloc under the lock does not matter. */
			c = malloc(sizeof(*c));
			if (c == NULL) {
				q->stats.refused++;
				pthread_mutex_unlock(&q->lock);
				return -ENOMEM;
			}
		}
		c->next = NULL;
		c->used = 0;
		c->n = 0;
		if (q->tail)
			q->tail->next = c;
		else
			q->head = c;
		q->tail = c;
	}
	unsigned char *p = c->data + c->used;
	uint32_t l = (uint32_t)len;
	memcpy(p, &l, sizeof(l));
	p += 8;
	for (int i = 0; i < n; i++) {
		memcpy(p, iov[i].iov_base, iov[i].iov_len);
		p += iov[i].iov_len;
	}
	c->used += need;
	c->n++;
	q->pending++;
	q->seq_pushed++;
	q->stats.pushed++;
	/* Wake the worker on the empty-to-busy edge (it then lingers), and
	 * when enough is pending to end its linger early; not per record. */
	if (++q->queued == 1) {
		wq_now(&q->first_at);
		if (q->state == WQ_IDLE)
			pthread_cond_signal(&q->wake);
	} else if (q->queued == q->conf.wake_items && q->state == WQ_LINGER) {
		pthread_cond_signal(&q->wake);
	}
	pthread_mutex_unlock(&q->lock);
	return 0;
}

int work_queue_flush(struct work_queue *q)
{
	pthread_mutex_lock(&q->lock);
	uint64_t target = q->seq_pushed;
	uint64_t req = ++q->flush_req;
	pthread_cond_signal(&q->wake);
	while (q->seq_done < target || q->flush_done < req)
		pthread_cond_wait(&q->done, &q->lock);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

void work_queue_get_stats(struct work_queue *q, struct work_queue_stats *out)
{
	pthread_mutex_lock(&q->lock);
	*out = q->stats;
	pthread_mutex_unlock(&q->lock);
}

size_t work_queue_pending(struct work_queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t n = q->pending;
	pthread_mutex_unlock(&q->lock);
	return n;
}
