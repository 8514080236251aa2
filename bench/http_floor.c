/*
 * http_floor.c — the floor for bench/http_bench.sh: libmicrohttpd, on one
 * thread with epoll like seratd's loop, answering every request with the
 * same in-memory buffer of SIZE bytes.  Whatever seratd does beyond this
 * (routing, reading the model, building the page) is its own cost.
 *
 *   http_floor PORT SIZE      runs until SIGTERM/SIGINT
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static volatile sig_atomic_t floor_stop;

static void floor_on_signal(int sig)
{
	(void)sig;
	floor_stop = 1;
}

static enum MHD_Result floor_answer(void *cls, struct MHD_Connection *c, const char *url,
				    const char *method, const char *version,
				    const char *upload, size_t *upload_size, void **con_cls)
{
	(void)url; (void)method; (void)version; (void)upload; (void)upload_size; (void)con_cls;
	return MHD_queue_response(c, 200, cls);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: http_floor PORT SIZE\n");
		return 2;
	}
	size_t size = (size_t)strtoul(argv[2], NULL, 10);
	char *body = malloc(size ? size : 1);
	if (body == NULL)
		return 1;
	memset(body, 'x', size);
	struct MHD_Response *resp = MHD_create_response_from_buffer(size, body,
								    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type", "text/html");
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD,
						(uint16_t)atoi(argv[1]), NULL, NULL,
						floor_answer, resp,
						MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "http_floor: cannot listen\n");
		return 1;
	}
	signal(SIGTERM, floor_on_signal);
	signal(SIGINT, floor_on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!floor_stop)
		pause();
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	free(body);
	return 0;
}
