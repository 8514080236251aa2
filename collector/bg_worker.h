/*
 * bg_worker.h — one thread that runs blocking jobs (fsync, SQLite) for the
 * event loop, and reports each job's completion back on the loop.
 *
 * The loop must never wait on a disk flush or a database write (DESIGN.md),
 * so the spool and the event store hand such work to a bg_worker: jobs run
 * in submission order on one thread (so a spool write and the removal of
 * the same file can never overtake each other), then their `done` callback
 * runs on the loop thread, woken through a pipe.  One thread is enough: the
 * work is a few fsyncs and inserts per incident, not per sample.
 *
 * This is a stop-gap until common/work_queue (being written for the RRD
 * writer) lands; the interface is deliberately the same shape so the switch
 * is mechanical.
 */
#ifndef SERAT_BG_WORKER_H
#define SERAT_BG_WORKER_H

#include <event2/event.h>

struct bg_worker;

/* A job: RUN(ARG) on the worker thread returns 0 or a negative errno; then
 * DONE(ARG, RC) on the loop (DONE may be NULL).  ARG is owned by the
 * submitter; DONE is the place to free it. */
typedef int (*bg_run_fn)(void *arg);
typedef void (*bg_done_fn)(void *arg, int rc);

/* Starts the thread.  BASE may be NULL (a CLI tool): DONE then runs on the
 * worker thread right after RUN.  NAME is for logs (kept by pointer).
 * NULL on failure (logged). */
struct bg_worker *bg_worker_new(struct event_base *base, const char *name);

/* Queue a job.  0, or -ENOMEM / -ESHUTDOWN (then nothing ran: the caller
 * still owns ARG). */
int bg_worker_submit(struct bg_worker *w, bg_run_fn run, bg_done_fn done, void *arg);

/* Block until every job submitted so far has run and its DONE has been
 * called (from this, the loop thread).  For shutdown and tests only. */
void bg_worker_drain(struct bg_worker *w);

/* Jobs queued or running. */
unsigned bg_worker_pending(struct bg_worker *w);

/* Drains, stops the thread and frees.  NULL-safe. */
void bg_worker_free(struct bg_worker *w);

#endif
