/*
 * test_work_queue.c — the worker-thread queue: records arrive whole and in
 * order across chunks, flush is a barrier, a full queue refuses, a handler
 * that stops part-way gets the rest again in order, an urgent call drops
 * what is left, and the worker lingers (few wake-ups, big batches) instead
 * of waking per record.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/work_queue.h"

struct sink {
	uint64_t next;             /* the sequence number expected next */
	uint64_t seen, batches, max_batch, urgent_calls;
	int bad;                   /* a record out of order or damaged */
	long fail_after;           /* >= 0: consume this many, then ask for a retry */
	int fail_times;
	int rewind_once;           /* consume 3, rewind 2 of them, go on */
	long urgent_stop;          /* > 0: an urgent call stops after this many */
};

/* A record: its sequence number, then LEN - 8 bytes of (seq & 0xff). */
static long sink_run(void *ctx, struct work_batch *b, int urgent)
{
	struct sink *s = ctx;
	const unsigned char *p;
	size_t len;
	uint64_t n = 0;

	s->batches++;
	s->urgent_calls += urgent != 0;
	if (s->rewind_once) {
		s->rewind_once = 0;
		work_batch_next(b, &len);
		struct work_mark m = work_batch_mark(b);
		work_batch_next(b, &len);
		work_batch_next(b, &len);
		work_batch_rewind(b, m);
		s->next++;
		s->seen++;
		/* and on: records 1 and 2 must come again, in order */
	}
	while ((p = work_batch_next(b, &len)) != NULL) {
		uint64_t seq;
		memcpy(&seq, p, 8);
		if (seq != s->next)
			s->bad = 1;
		for (size_t i = 8; i < len; i++)
			if (p[i] != (unsigned char)(seq & 0xff))
				s->bad = 1;
		s->next++;
		s->seen++;
		n++;
		if (urgent && (long)n == s->urgent_stop)
			return 5;   /* not allowed: the rest is dropped */
		if (!urgent && s->fail_times > 0 && s->fail_after >= 0 && (long)n == s->fail_after) {
			s->fail_times--;
			if (n > s->max_batch)
				s->max_batch = n;
			return 5;   /* retry in 5 ms */
		}
	}
	if (n > s->max_batch)
		s->max_batch = n;
	return 0;
}

static int push_seq(struct work_queue *q, uint64_t seq, size_t extra)
{
	unsigned char pad[300];
	memset(pad, (int)(seq & 0xff), sizeof(pad));
	struct iovec iov[2] = { { &seq, 8 }, { pad, extra } };
	return work_queue_push(q, iov, 2);
}

static struct work_queue *new_queue(struct sink *s, size_t max, unsigned linger)
{
	struct work_queue_conf c = { .name = "test", .max_items = max, .linger_ms = linger,
				     .run = sink_run, .ctx = s };
	struct work_queue *q = work_queue_new(&c);
	assert_non_null(q);
	return q;
}

/* 20,000 records of varying size span many chunks and arrive in order. */
static void test_order_and_flush(void **state)
{
	struct sink s = { .fail_after = -1 };
	struct work_queue *q = new_queue(&s, 0, 0);
	(void)state;
	for (uint64_t i = 0; i < 20000; i++)
		assert_int_equal(push_seq(q, i, (size_t)(i % 300)), 0);
	assert_int_equal(work_queue_flush(q), 0);
	/* The barrier: everything pushed before is consumed. */
	assert_int_equal(s.seen, 20000);
	assert_int_equal(s.bad, 0);
	assert_true(s.urgent_calls >= 1);
	assert_int_equal(work_queue_pending(q), 0);
	struct work_queue_stats st;
	work_queue_get_stats(q, &st);
	assert_int_equal(st.pushed, 20000);
	assert_int_equal(st.done, 20000);
	work_queue_free(q);
}

/* A handler whose backend is down: the rest comes again, in order. */
static void test_partial_retry(void **state)
{
	struct sink s = { .fail_after = 3, .fail_times = 4 };
	struct work_queue *q = new_queue(&s, 0, 0);
	(void)state;
	for (uint64_t i = 0; i < 50; i++)
		assert_int_equal(push_seq(q, i, 16), 0);
	/* Without a flush: the worker comes back by itself after each delay. */
	for (int i = 0; i < 10000 && work_queue_pending(q) > 0; i++)
		usleep(1000);
	assert_int_equal(work_queue_pending(q), 0);
	assert_true(s.batches >= 5);
	assert_int_equal(s.urgent_calls, 0);
	assert_int_equal(s.seen, 50);
	assert_int_equal(s.bad, 0);
	work_queue_free(q);
}

/* Rewinding re-offers records the handler had passed. */
static void test_rewind(void **state)
{
	struct sink s = { .fail_after = -1, .rewind_once = 1 };
	struct work_queue *q = new_queue(&s, 0, 0);
	(void)state;
	for (uint64_t i = 0; i < 10; i++)
		assert_int_equal(push_seq(q, i, 0), 0);
	assert_int_equal(work_queue_flush(q), 0);
	assert_int_equal(s.seen, 10);
	assert_int_equal(s.bad, 0);
	work_queue_free(q);
}

/* A full queue refuses and counts; an urgent call may not hold records. */
static void test_bound_and_urgent_drop(void **state)
{
	struct sink s = { .fail_after = -1, .urgent_stop = 1 };
	struct work_queue *q = new_queue(&s, 5, 10000);
	int refused = 0;
	(void)state;
	for (uint64_t i = 0; i < 8; i++) {
		int r = push_seq(q, i, 0);
		assert_true(r == 0 || r == -ENOBUFS);
		refused += r == -ENOBUFS;
	}
	assert_int_equal(refused, 3);
	assert_int_equal(work_queue_flush(q), 0);
	struct work_queue_stats st;
	work_queue_get_stats(q, &st);
	assert_int_equal(st.refused, 3);
	assert_int_equal(st.done, 5);
	assert_int_equal(st.dropped, 4);
	assert_int_equal(s.seen, 1);
	assert_int_equal(work_queue_pending(q), 0);
	work_queue_free(q);
}

/* With a linger, a burst is one batch, not a batch per record. */
static void test_linger_batches(void **state)
{
	struct sink s = { .fail_after = -1 };
	struct work_queue *q = new_queue(&s, 0, 60000);
	(void)state;
	for (uint64_t i = 0; i < 300; i++)
		assert_int_equal(push_seq(q, i, 40), 0);
	/* Well under wake_items and the linger: nothing handled yet, in any
	 * scheduling; then the flush cuts the linger short. */
	assert_int_equal(s.seen, 0);
	assert_int_equal(work_queue_flush(q), 0);
	assert_int_equal(s.seen, 300);
	assert_int_equal(s.batches, 1);
	assert_int_equal(s.bad, 0);
	work_queue_free(q);
}

/* An oversized record is refused, not truncated. */
static void test_too_big(void **state)
{
	struct sink s = { .fail_after = -1 };
	struct work_queue *q = new_queue(&s, 0, 0);
	static char big[40000];
	struct iovec iov = { big, sizeof(big) };
	(void)state;
	assert_int_equal(work_queue_push(q, &iov, 1), -EMSGSIZE);
	work_queue_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_flush),
		cmocka_unit_test(test_partial_retry),
		cmocka_unit_test(test_rewind),
		cmocka_unit_test(test_bound_and_urgent_drop),
		cmocka_unit_test(test_linger_batches),
		cmocka_unit_test(test_too_big),
	};
	return cmocka_run_group_tests_name("work_queue", tests, NULL, NULL);
}
