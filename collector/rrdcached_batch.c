/*
 * rrdcached_batch.c — rrdcached's BATCH command.  See rrdcached_batch.h.
 *
 * A send is one write of
 *     BATCH\n  UPDATE f v\n ...  .\n
 * (rrdcached reads the pipelined commands after answering BATCH), then the
 * reading of "0 Go ahead...", and of "<n> errors" followed by n lines
 * "<command number> <message>".  Sockets have 10 s send/receive timeouts so
 * a stuck daemon cannot hang the writer thread for ever.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "collector/rrdcached_batch.h"

#define RRDCACHED_BATCH_LINE_MAX 4096
#define RRDCACHED_BATCH_TIMEOUT_S 10

struct rrdcached_batch {
	char *unix_path;          /* AF_UNIX, or NULL for TCP */
	char *host, *port;        /* TCP */
	int fd;                   /* -1 = not connected */
	char *buf;                /* BATCH\n + commands, as sent */
	size_t len, cap, n;       /* bytes, capacity, commands */
	char rbuf[RRDCACHED_BATCH_LINE_MAX];
	size_t rlen;              /* unread bytes in rbuf */
	char error[256];
};

struct rrdcached_batch *rrdcached_batch_new(const char *address)
{
	struct rrdcached_batch *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	b->fd = -1;
	if (strncmp(address, "unix:", 5) == 0) {
		b->unix_path = strdup(address + 5);
	} else if (address[0] == '/') {
		b->unix_path = strdup(address);
	} else {
		const char *colon = strrchr(address, ':');
		if (colon == NULL || colon == address) {
			free(b);
			return NULL;
		}
		const char *h = address, *he = colon;
		if (*h == '[' && he[-1] == ']') {  /* [v6]:port */
			h++;
			he--;
		}
		b->host = strndup(h, (size_t)(he - h));
		b->port = strdup(colon + 1);
		if (b->host == NULL || b->port == NULL) {
			rrdcached_batch_free(b);
			return NULL;
		}
		return b;
	}
	if (b->unix_path == NULL || strlen(b->unix_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		rrdcached_batch_free(b);
		return NULL;
	}
	return b;
}

static void rrdcached_batch_close(struct rrdcached_batch *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->rlen = 0;
}

void rrdcached_batch_free(struct rrdcached_batch *b)
{
	if (b == NULL)
		return;
	rrdcached_batch_close(b);
	free(b->unix_path);
	free(b->host);
	free(b->port);
	free(b->buf);
	free(b);
}

static int rrdcached_batch_connect(struct rrdcached_batch *b)
{
	struct timeval tv = { RRDCACHED_BATCH_TIMEOUT_S, 0 };
	int fd = -1;

	if (b->fd >= 0)
		return 0;
	if (b->unix_path) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		memcpy(sa.sun_path, b->unix_path, strlen(b->unix_path) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			close(fd);
			fd = -1;
		}
	} else {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
		if (getaddrinfo(b->host, b->port, &hints, &res) != 0)
			return -ENOTCONN;
		for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
			fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
			if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
				close(fd);
				fd = -1;
			}
		}
		freeaddrinfo(res);
	}
	if (fd < 0)
		return -ENOTCONN;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	b->fd = fd;
	b->rlen = 0;
	return 0;
}

static int rrdcached_batch_append(struct rrdcached_batch *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n)
			cap *= 2;
		char *buf = realloc(b->buf, cap);
		if (buf == NULL)
			return -ENOMEM;
		b->buf = buf;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	return 0;
}

int rrdcached_batch_add(struct rrdcached_batch *b, const char *file, const char *values)
{
	if (strchr(file, '\n') || strchr(values, '\n'))
		return -EINVAL;
	size_t mark = b->len;
	if ((b->len == 0 && rrdcached_batch_append(b, "BATCH\n", 6) < 0) ||
	    rrdcached_batch_append(b, "UPDATE ", 7) < 0 ||
	    rrdcached_batch_append(b, file, strlen(file)) < 0 ||
	    rrdcached_batch_append(b, " ", 1) < 0 ||
	    rrdcached_batch_append(b, values, strlen(values)) < 0 ||
	    rrdcached_batch_append(b, "\n", 1) < 0) {
		b->len = mark;
		return -ENOMEM;
	}
	b->n++;
	return 0;
}

void rrdcached_batch_reset(struct rrdcached_batch *b)
{
	b->len = 0;
	b->n = 0;
}

size_t rrdcached_batch_pending(const struct rrdcached_batch *b)
{
	return b->n;
}

/* One reply line (without the newline) into LINE.  0, -ENOTCONN, or
 * -EPROTO for a line longer than the buffer. */
static int rrdcached_batch_readline(struct rrdcached_batch *b, char *line, size_t len)
{
	for (;;) {
		char *nl = memchr(b->rbuf, '\n', b->rlen);
		if (nl != NULL) {
			size_t n = (size_t)(nl - b->rbuf);
			if (n >= len)
				return -EPROTO;
			memcpy(line, b->rbuf, n);
			line[n] = '\0';
			b->rlen -= n + 1;
			memmove(b->rbuf, nl + 1, b->rlen);
			return 0;
		}
		if (b->rlen == sizeof(b->rbuf))
			return -EPROTO;
		ssize_t r = read(b->fd, b->rbuf + b->rlen, sizeof(b->rbuf) - b->rlen);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -ENOTCONN;
		}
		b->rlen += (size_t)r;
	}
}

/* "<number> <text>": the number, or -1 when the line does not start so. */
static long rrdcached_batch_status(const char *line, const char **text)
{
	char *end;
	long v = strtol(line, &end, 10);
	if (end == line || v < 0 || (*end != ' ' && *end != '\0'))
		return -1;
	*text = *end ? end + 1 : end;
	return v;
}

int rrdcached_batch_send(struct rrdcached_batch *b, unsigned char *failed,
			 const char **first_error)
{
	size_t n = b->n;
	int rc = 0;
	char line[RRDCACHED_BATCH_LINE_MAX];
	const char *text;

	if (first_error)
		*first_error = NULL;
	if (n == 0)
		return 0;
	memset(failed, 0, n);
	if (rrdcached_batch_append(b, ".\n", 2) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = rrdcached_batch_connect(b)) < 0)
		goto out;
	for (size_t off = 0; off < b->len; ) {
		ssize_t w = send(b->fd, b->buf + off, b->len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = -ENOTCONN;
			goto out;
		}
		off += (size_t)w;
	}
	/* "0 Go ahead.  End with dot '.' on its own line." */
	if ((rc = rrdcached_batch_readline(b, line, sizeof(line))) < 0)
		goto out;
	if (rrdcached_batch_status(line, &text) != 0) {
		rc = -EPROTO;
		goto out;
	}
	/* "<n> errors", then n lines "<command> <message>". */
	if ((rc = rrdcached_batch_readline(b, line, sizeof(line))) < 0)
		goto out;
	long errors = rrdcached_batch_status(line, &text);
	if (errors < 0 || (size_t)errors > n) {
		rc = -EPROTO;
		goto out;
	}
	for (long i = 0; i < errors; i++) {
		if ((rc = rrdcached_batch_readline(b, line, sizeof(line))) < 0)
			goto out;
		long k = rrdcached_batch_status(line, &text);
		if (k < 1 || (size_t)k > n) {
			rc = -EPROTO;
			goto out;
		}
		failed[k - 1] = 1;
		if (i == 0) {
			snprintf(b->error, sizeof(b->error), "%s", text);
			if (first_error)
				*first_error = b->error;
		}
	}
out:
	if (rc < 0)
		rrdcached_batch_close(b);
	rrdcached_batch_reset(b);
	return rc;
}
