/*
 * graph_worker.h — one thread for work that must stay off the event loop:
 * graph renders and RRD reads for the dashboard.
 *
 * A job is two functions: WORK runs on the worker thread, DONE runs later
 * on the event loop thread (woken through a pipe the loop watches), with
 * the same argument.  One thread, so rrd_graph (not reentrant in librrd
 * 1.7) is never run twice at once, and jobs finish in the order submitted.
 * The queue is bounded: a full queue refuses the job (the dashboard answers
 * 503) instead of letting a burst of requests grow memory without limit.
 */
#ifndef SERAT_GRAPH_WORKER_H
#define SERAT_GRAPH_WORKER_H

#include <stddef.h>

#include <event2/event.h>

struct graph_worker;

/* Start the thread; QUEUE_MAX jobs may wait (0 = 256).  NULL on failure
 * (logged). */
struct graph_worker *graph_worker_new(struct event_base *base, size_t queue_max);

/*
 * Finish the job running now, run no other WORK, call DONE of every job
 * (finished or not, with CANCELLED set for those not run) on the calling
 * thread, stop the thread, free.  NULL-safe.
 */
void graph_worker_free(struct graph_worker *w);

/*
 * Queue a job.  ARG belongs to the job until DONE is called (DONE frees it
 * if it must).  Returns 0, or -EBUSY when the queue is full, -ENOMEM: DONE
 * is then never called.  Loop thread only.
 */
int graph_worker_submit(struct graph_worker *w, void (*work)(void *arg),
			void (*done)(void *arg, int cancelled), void *arg);

/* Jobs waiting or running (for /metrics). */
size_t graph_worker_depth(const struct graph_worker *w);

#endif
