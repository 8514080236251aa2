/*
 * bg_worker.c — a FIFO of blocking jobs, one thread, completions on the loop.
 *
 * Two lists under one mutex: `todo` (waiting for the thread) and `done`
 * (ran, waiting for the loop).  The thread writes one byte to a pipe when it
 * moves a job to `done` and the list was empty; the loop's read event takes
 * the whole list at once.  A job's memory is one malloc, freed on the loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/bg_worker.h"
#include "common/log.h"

struct bg_job {
	struct bg_job *next;
	bg_run_fn run;
	bg_done_fn done;
	void *arg;
	int rc;
};

struct bg_worker {
	const char *name;
	struct event_base *base;
	struct event *ev_wake;
	int pipe_fd[2];
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond_todo;   /* todo became non-empty, or stop */
	pthread_cond_t cond_idle;   /* a job finished */
	struct bg_job *todo, **todo_tail;
	struct bg_job *done, **done_tail;
	unsigned pending;           /* queued + running + done-not-reported */
	int running;
	int stop;
};

static void bg_run_done_list(struct bg_worker *w, struct bg_job *j)
{
	while (j != NULL) {
		struct bg_job *next = j->next;
		if (j->done)
			j->done(j->arg, j->rc);
		free(j);
		pthread_mutex_lock(&w->mu);
		w->pending--;
		pthread_mutex_unlock(&w->mu);
		j = next;
	}
}

static struct bg_job *bg_take_done(struct bg_worker *w)
{
	struct bg_job *j;

	pthread_mutex_lock(&w->mu);
	j = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	pthread_mutex_unlock(&w->mu);
	return j;
}

static void bg_on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct bg_worker *w = arg;
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	bg_run_done_list(w, bg_take_done(w));
}

static void *bg_thread(void *arg)
{
	struct bg_worker *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->todo == NULL && !w->stop)
			pthread_cond_wait(&w->cond_todo, &w->mu);
		if (w->todo == NULL)
			break;
		struct bg_job *j = w->todo;
		w->todo = j->next;
		if (w->todo == NULL)
			w->todo_tail = &w->todo;
		w->running = 1;
		pthread_mutex_unlock(&w->mu);

		j->rc = j->run(j->arg);
		j->next = NULL;
		if (w->base == NULL) {
			/* No loop: the caller is a CLI tool that waits anyway. */
			if (j->done)
				j->done(j->arg, j->rc);
			free(j);
			pthread_mutex_lock(&w->mu);
			w->pending--;
			w->running = 0;
			pthread_cond_broadcast(&w->cond_idle);
			continue;
		}
		pthread_mutex_lock(&w->mu);
		int was_empty = w->done == NULL;
		*w->done_tail = j;
		w->done_tail = &j->next;
		w->running = 0;
		pthread_cond_broadcast(&w->cond_idle);
		if (was_empty) {
			char c = 1;
			/* A full pipe already holds a wake-up: ignore EAGAIN. */
			if (write(w->pipe_fd[1], &c, 1) < 0 && errno != EAGAIN)
				log_err("%s: cannot wake the loop: %s", w->name, strerror(errno));
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Everything but the thread (not started, or joined). */
static void bg_release(struct bg_worker *w)
{
	if (w->ev_wake)
		event_free(w->ev_wake);
	if (w->pipe_fd[0] >= 0) {
		close(w->pipe_fd[0]);
		close(w->pipe_fd[1]);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cond_todo);
	pthread_cond_destroy(&w->cond_idle);
	free(w);
}

struct bg_worker *bg_worker_new(struct event_base *base, const char *name)
{
	struct bg_worker *w = calloc(1, sizeof(*w));
	int rc;

	if (w == NULL)
		return NULL;
	w->name = name;
	w->base = base;
	w->pipe_fd[0] = w->pipe_fd[1] = -1;
	w->todo_tail = &w->todo;
	w->done_tail = &w->done;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond_todo, NULL);
	pthread_cond_init(&w->cond_idle, NULL);
	if (base != NULL) {
		if (pipe2(w->pipe_fd, O_NONBLOCK | O_CLOEXEC) < 0) {
			log_err("%s: pipe: %s", name, strerror(errno));
			goto fail;
		}
		w->ev_wake = event_new(base, w->pipe_fd[0], EV_READ | EV_PERSIST, bg_on_wake, w);
		if (w->ev_wake == NULL || event_add(w->ev_wake, NULL) < 0) {
			log_err("%s: cannot register the wake-up event", name);
			goto fail;
		}
	}
	rc = pthread_create(&w->thread, NULL, bg_thread, w);
	if (rc != 0) {
		log_err("%s: cannot start a thread: %s", name, strerror(rc));
		goto fail;
	}
	return w;
fail:
	bg_release(w);
	return NULL;
}

int bg_worker_submit(struct bg_worker *w, bg_run_fn run, bg_done_fn done, void *arg)
{
	struct bg_job *j;

	if (w == NULL)
		return -ESHUTDOWN;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	j->run = run;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&w->mu);
	if (w->stop) {
		pthread_mutex_unlock(&w->mu);
		free(j);
		return -ESHUTDOWN;
	}
	*w->todo_tail = j;
	w->todo_tail = &j->next;
	w->pending++;
	pthread_cond_signal(&w->cond_todo);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

unsigned bg_worker_pending(struct bg_worker *w)
{
	unsigned n;

	pthread_mutex_lock(&w->mu);
	n = w->pending;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void bg_worker_drain(struct bg_worker *w)
{
	if (w == NULL)
		return;
	/* A DONE may submit more work (a spool write done -> a send), so
	 * go round until nothing is left. */
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->todo != NULL || w->running)
			pthread_cond_wait(&w->cond_idle, &w->mu);
		int idle = w->pending == 0;
		pthread_mutex_unlock(&w->mu);
		if (idle)
			return;
		bg_run_done_list(w, bg_take_done(w));
	}
}

void bg_worker_free(struct bg_worker *w)
{
	if (w == NULL)
		return;
	bg_worker_drain(w);
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cond_todo);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	bg_release(w);
}
