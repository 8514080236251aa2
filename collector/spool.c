/*
 * spool.c — notifications on disk until delivered (see spool.h).
 *
 * Why a file per notification and not one log file: deleting a delivered
 * notification is then one unlink, with no compaction, and a torn write can
 * only ever lose the temporary file.  The cost is a directory fsync per
 * write and per removal, paid on the worker thread.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/spool.h"
#include "common/fs_util.h"
#include "common/log.h"

#define SPOOL_MAGIC "serat-spool 1\n"
#define SPOOL_MAX_BODY (1024 * 1024)

struct spool_entry *spool_entry_new(const char *channel, const char *key, double created,
				    const char *content_type, const char *body)
{
	struct spool_entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->channel = strdup(channel);
	e->key = strdup(key);
	e->content_type = strdup(content_type);
	e->body = strdup(body);
	e->created = created;
	if (!e->channel || !e->key || !e->content_type || !e->body) {
		spool_entry_free(e);
		return NULL;
	}
	e->body_len = strlen(body);
	return e;
}

void spool_entry_free(struct spool_entry *e)
{
	if (e == NULL)
		return;
	free(e->channel);
	free(e->key);
	free(e->content_type);
	free(e->body);
	free(e);
}

int spool_new_key(char *buf, size_t len)
{
	unsigned char r[16];
	size_t got = 0;

	if (len < 2 * sizeof(r) + 1)
		return -ENOSPC;
	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
	return 0;
}

static int spool_key_ok(const char *key)
{
	size_t n = 0;

	for (const char *p = key; *p; p++, n++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || *p == '-'))
			return 0;
	return n > 0 && n <= 64;
}

static int spool_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int spool_prepare(const char *dir)
{
	DIR *d;
	struct dirent *de;
	int rc = fs_mkdirs(dir, 0700);

	if (rc < 0) {
		log_err("spool: cannot create %s: %s", dir, strerror(-rc));
		return rc;
	}
	if ((d = opendir(dir)) == NULL) {
		rc = -errno;
		log_err("spool: cannot open %s: %s", dir, strerror(errno));
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "tmp.", 4) != 0)
			continue;
		/* A write the crash interrupted: it never counted as queued. */
		if (unlinkat(dirfd(d), de->d_name, 0) < 0)
			log_warn("spool: cannot remove %s/%s: %s", dir, de->d_name, strerror(errno));
	}
	closedir(d);
	return 0;
}

static int spool_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write E to its temporary file, fsync it and rename it into place; the
 * directory is synced by the caller. */
static int spool_store(const char *dir, const struct spool_entry *e)
{
	char tmp[PATH_MAX], dst[PATH_MAX], head[512];
	int fd, rc, hl;

	if (!spool_key_ok(e->key) || strchr(e->channel, '\n') || strchr(e->content_type, '\n'))
		return -EINVAL;
	if (snprintf(tmp, sizeof(tmp), "%s/tmp.%s", dir, e->key) >= (int)sizeof(tmp) ||
	    snprintf(dst, sizeof(dst), "%s/%s.msg", dir, e->key) >= (int)sizeof(dst))
		return -ENAMETOOLONG;
	hl = snprintf(head, sizeof(head), SPOOL_MAGIC "channel %s\nkey %s\ncreated %.3f\n"
		      "type %s\nlength %zu\n\n", e->channel, e->key, e->created,
		      e->content_type, e->body_len);
	if (hl < 0 || hl >= (int)sizeof(head))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = spool_write_all(fd, head, (size_t)hl);
	if (rc == 0)
		rc = spool_write_all(fd, e->body, e->body_len);
	if (rc == 0 && fdatasync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, dst) < 0)
		rc = -errno;
	if (rc < 0) {
		log_err("spool: cannot store notification %s in %s: %s", e->key, dir, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}

int spool_write_batch(const char *dir, struct spool_entry *const *e, size_t n, int *rc)
{
	int first = 0, any = 0, drc;

	for (size_t i = 0; i < n; i++) {
		rc[i] = spool_store(dir, e[i]);
		if (rc[i] < 0 && first == 0)
			first = rc[i];
		any |= rc[i] == 0;
	}
	/* The renames are durable only once the directory is. */
	if (any && (drc = spool_fsync_dir(dir)) < 0) {
		log_err("spool: cannot sync %s: %s", dir, strerror(-drc));
		for (size_t i = 0; i < n; i++)
			if (rc[i] == 0)
				rc[i] = drc;
		if (first == 0)
			first = drc;
	}
	return first;
}

int spool_write(const char *dir, const struct spool_entry *e)
{
	int rc;
	struct spool_entry *const one[1] = { (struct spool_entry *)e };

	spool_write_batch(dir, one, 1, &rc);
	return rc;
}

int spool_remove_batch(const char *dir, char *const *keys, size_t n)
{
	char path[PATH_MAX];
	int first = 0, rc;

	for (size_t i = 0; i < n; i++) {
		if (!spool_key_ok(keys[i]) ||
		    snprintf(path, sizeof(path), "%s/%s.msg", dir, keys[i]) >= (int)sizeof(path)) {
			first = first ? first : -EINVAL;
			continue;
		}
		if (unlink(path) < 0 && errno != ENOENT) {
			rc = -errno;
			log_err("spool: cannot remove %s: %s", path, strerror(errno));
			first = first ? first : rc;
		}
	}
	if ((rc = spool_fsync_dir(dir)) < 0) {
		log_err("spool: cannot sync %s: %s", dir, strerror(-rc));
		first = first ? first : rc;
	}
	return first;
}

int spool_remove(const char *dir, const char *key)
{
	char *const one[1] = { (char *)key };

	if (!spool_key_ok(key))
		return -EINVAL;
	return spool_remove_batch(dir, one, 1);
}

/* The value of header line "NAME VALUE\n" at *P (advanced past it), as a
 * new string; NULL when the line is not there. */
static char *spool_field(const char **p, const char *end, const char *name)
{
	size_t nl = strlen(name);
	const char *eol;

	if ((size_t)(end - *p) <= nl || memcmp(*p, name, nl) != 0 || (*p)[nl] != ' ')
		return NULL;
	eol = memchr(*p, '\n', (size_t)(end - *p));
	if (eol == NULL)
		return NULL;
	char *v = strndup(*p + nl + 1, (size_t)(eol - *p - (ptrdiff_t)nl - 1));
	*p = eol + 1;
	return v;
}

struct spool_entry *spool_parse(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	char *created = NULL, *length = NULL, *endp;
	struct spool_entry *e = calloc(1, sizeof(*e));
	unsigned long long n;

	if (e == NULL)
		return NULL;
	if (len < strlen(SPOOL_MAGIC) || memcmp(p, SPOOL_MAGIC, strlen(SPOOL_MAGIC)) != 0)
		goto bad;
	p += strlen(SPOOL_MAGIC);
	if ((e->channel = spool_field(&p, end, "channel")) == NULL ||
	    (e->key = spool_field(&p, end, "key")) == NULL ||
	    (created = spool_field(&p, end, "created")) == NULL ||
	    (e->content_type = spool_field(&p, end, "type")) == NULL ||
	    (length = spool_field(&p, end, "length")) == NULL)
		goto bad;
	if (!spool_key_ok(e->key) || e->channel[0] == '\0')
		goto bad;
	errno = 0;
	e->created = strtod(created, &endp);
	if (errno || *endp != '\0' || endp == created)
		goto bad;
	errno = 0;
	n = strtoull(length, &endp, 10);
	if (errno || *endp != '\0' || endp == length || length[0] == '-' || n > SPOOL_MAX_BODY)
		goto bad;
	if (p >= end || *p != '\n' || (size_t)(end - p - 1) != n)
		goto bad;
	p++;
	if ((e->body = malloc(n + 1)) == NULL)
		goto bad;
	memcpy(e->body, p, n);
	e->body[n] = '\0';
	e->body_len = n;
	free(created);
	free(length);
	return e;
bad:
	free(created);
	free(length);
	spool_entry_free(e);
	return NULL;
}

static struct spool_entry *spool_read_file(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	struct spool_entry *e = NULL;
	struct stat st;
	char *buf;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size > SPOOL_MAX_BODY + 4096 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	ssize_t got = read(fd, buf, (size_t)st.st_size);
	if (got == st.st_size)
		e = spool_parse(buf, (size_t)got);
	free(buf);
	close(fd);
	return e;
}

static int spool_cmp(const void *a, const void *b)
{
	const struct spool_entry *x = *(struct spool_entry *const *)a;
	const struct spool_entry *y = *(struct spool_entry *const *)b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->key, y->key);
}

int spool_load(const char *dir, void (*cb)(void *arg, struct spool_entry *e), void *arg)
{
	struct spool_entry **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".msg") != 0)
			continue;
		struct spool_entry *e = spool_read_file(dirfd(d), de->d_name);
		if (e == NULL) {
			char bad[NAME_MAX + 8];
			snprintf(bad, sizeof(bad), "%s.bad", de->d_name);
			log_err("spool: %s/%s is not a spool file; renamed to %s", dir,
				de->d_name, bad);
			renameat(dirfd(d), de->d_name, dirfd(d), bad);
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct spool_entry **nv = realloc(v, nc * sizeof(*v));
			if (nv == NULL) {
				spool_entry_free(e);
				rc = -ENOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		v[n++] = e;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), spool_cmp);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			cb(arg, v[i]);
		else
			spool_entry_free(v[i]);
	}
	free(v);
	return rc < 0 ? rc : (int)n;
}
