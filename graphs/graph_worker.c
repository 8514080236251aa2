/*
 * graph_worker.c — see graph_worker.h.
 *
 * Two lists under one mutex: `todo` (FIFO, consumed by the thread) and
 * `done` (filled by the thread, drained by the loop).  The thread writes a
 * byte into a non-blocking pipe after each job; the loop's read event
 * drains the pipe and then the whole `done` list, so a lost or merged wake
 * up cannot strand a job.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "graphs/graph_worker.h"

struct graph_job {
	void (*work)(void *arg);
	void (*done)(void *arg, int cancelled);
	void *arg;
	int cancelled;
	struct graph_job *next;
};

struct graph_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct graph_job *todo, **todo_tail;
	struct graph_job *done, **done_tail;
	size_t depth, queue_max;
	int stop;
	int pipe_rd, pipe_wr;
	struct event *ev;
};

static void *graph_worker_main(void *arg)
{
	struct graph_worker *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->todo == NULL && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		struct graph_job *j = w->todo;
		w->todo = j->next;
		if (w->todo == NULL)
			w->todo_tail = &w->todo;
		pthread_mutex_unlock(&w->mu);
		j->work(j->arg);
		pthread_mutex_lock(&w->mu);
		j->next = NULL;
		*w->done_tail = j;
		w->done_tail = &j->next;
		/* A full pipe already holds a wake-up: nothing is lost. */
		ssize_t n = write(w->pipe_wr, "x", 1);
		(void)n;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Take the finished jobs and run their DONE.  Loop thread. */
static void graph_worker_drain(struct graph_worker *w)
{
	pthread_mutex_lock(&w->mu);
	struct graph_job *j = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	pthread_mutex_unlock(&w->mu);
	while (j) {
		struct graph_job *next = j->next;
		pthread_mutex_lock(&w->mu);
		w->depth--;
		pthread_mutex_unlock(&w->mu);
		j->done(j->arg, j->cancelled);
		free(j);
		j = next;
	}
}

static void graph_worker_on_pipe(evutil_socket_t fd, short what, void *arg)
{
	char buf[256];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	graph_worker_drain(arg);
}

struct graph_worker *graph_worker_new(struct event_base *base, size_t queue_max)
{
	struct graph_worker *w = calloc(1, sizeof(*w));
	int fds[2];

	if (w == NULL)
		return NULL;
	w->queue_max = queue_max ? queue_max : 256;
	w->todo_tail = &w->todo;
	w->done_tail = &w->done;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
		log_err("graph worker: pipe: %s", strerror(errno));
		free(w);
		return NULL;
	}
	w->pipe_rd = fds[0];
	w->pipe_wr = fds[1];
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->ev = event_new(base, w->pipe_rd, EV_READ | EV_PERSIST, graph_worker_on_pipe, w);
	if (w->ev == NULL || event_add(w->ev, NULL) != 0 ||
	    pthread_create(&w->thread, NULL, graph_worker_main, w) != 0) {
		log_err("graph worker: cannot start");
		if (w->ev)
			event_free(w->ev);
		close(fds[0]);
		close(fds[1]);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return NULL;
	}
	return w;
}

void graph_worker_free(struct graph_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	/* Jobs never run go to `done`, cancelled, after those that ran. */
	for (struct graph_job *j = w->todo; j; j = j->next)
		j->cancelled = 1;
	*w->done_tail = w->todo;
	if (w->todo)
		w->done_tail = w->todo_tail;
	w->todo = NULL;
	graph_worker_drain(w);
	event_free(w->ev);
	close(w->pipe_rd);
	close(w->pipe_wr);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

int graph_worker_submit(struct graph_worker *w, void (*work)(void *arg),
			void (*done)(void *arg, int cancelled), void *arg)
{
	struct graph_job *j;

	pthread_mutex_lock(&w->mu);
	if (w->depth >= w->queue_max) {
		pthread_mutex_unlock(&w->mu);
		return -EBUSY;
	}
	pthread_mutex_unlock(&w->mu);
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	j->work = work;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&w->mu);
	w->depth++;
	*w->todo_tail = j;
	w->todo_tail = &j->next;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

size_t graph_worker_depth(const struct graph_worker *w)
{
	struct graph_worker *mw = (struct graph_worker *)w;
	pthread_mutex_lock(&mw->mu);
	size_t d = w->depth;
	pthread_mutex_unlock(&mw->mu);
	return d;
}
