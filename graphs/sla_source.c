/*
 * sla_source.c — the SLA report's adapter to the SQLite event store.  See
 * sla_source.h; this is the only file of the report that knows SQL.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/log.h"
#include "graphs/sla_source.h"

enum { SQ_BEFORE, SQ_DURING, SQ_FIRST, SQ_MAINT, SQ_N };

static const char *const sla_sql[SQ_N] = {
	[SQ_BEFORE] = "SELECT t, to_state, cause, reason FROM state_changes"
		      " WHERE device = ?1 AND kind = 'reach' AND ifname IS NULL AND t < ?2"
		      " ORDER BY t DESC, id DESC LIMIT 1",
	[SQ_DURING] = "SELECT t, to_state, cause, reason FROM state_changes"
		      " WHERE device = ?1 AND kind = 'reach' AND ifname IS NULL"
		      " AND t >= ?2 AND t < ?3 ORDER BY t, id",
	[SQ_FIRST] = "SELECT min(t) FROM state_changes WHERE device = ?1",
	[SQ_MAINT] = "SELECT target, start, end FROM maintenance WHERE end > ?1 AND start < ?2"
		     " ORDER BY start, id",
};

struct sla_source {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[SQ_N];
};

void sla_source_free(struct sla_source *src)
{
	if (src == NULL)
		return;
	for (int i = 0; i < SQ_N; i++)
		sqlite3_finalize(src->st[i]);
	sqlite3_close(src->db);
	free(src->path);
	free(src);
}

struct sla_source *sla_source_open(const char *path, char *err, size_t errlen)
{
	struct sla_source *src = calloc(1, sizeof(*src));

	if (src == NULL || (src->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		sla_source_free(src);
		return NULL;
	}
	/* Read-only, never creating: a missing store is an error the user
	 * must see, not an empty month. */
	if (sqlite3_open_v2(path, &src->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open the event store: %s", path,
			 src->db ? sqlite3_errmsg(src->db) : "out of memory");
		sla_source_free(src);
		return NULL;
	}
	sqlite3_busy_timeout(src->db, 5000);
	for (int i = 0; i < SQ_N; i++)
		if (sqlite3_prepare_v2(src->db, sla_sql[i], -1, &src->st[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: not an event store of this serat (%s)", path,
				 sqlite3_errmsg(src->db));
			sla_source_free(src);
			return NULL;
		}
	return src;
}

static void sla_query_error(struct sla_source *src, const char *what)
{
	log_msg(LOG_ERR, "%s: reading %s: %s", src->path, what, sqlite3_errmsg(src->db));
}

static char *sla_history_str(struct sla_history *h, const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	if (h->n_strings == h->cap_strings) {
		size_t nc = h->cap_strings ? 2 * h->cap_strings : 16;
		char **nv = realloc(h->strings, nc * sizeof(*nv));
		if (nv == NULL)
			return NULL;
		h->strings = nv;
		h->cap_strings = nc;
	}
	/* Consecutive changes usually repeat the cause: share the copy. */
	if (h->n_strings > 0 && strcmp(h->strings[h->n_strings - 1], s) == 0)
		return h->strings[h->n_strings - 1];
	if ((d = strdup(s)) != NULL)
		h->strings[h->n_strings++] = d;
	return d;
}

int sla_history_add(struct sla_history *h, int64_t start, int64_t end, enum sla_state state,
		    const char *cause, const char *root)
{
	struct sla_interval *iv;

	if (h->n_iv == h->cap_iv) {
		size_t nc = h->cap_iv ? 2 * h->cap_iv : 16;
		struct sla_interval *nv = realloc(h->iv, nc * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		h->iv = nv;
		h->cap_iv = nc;
	}
	iv = &h->iv[h->n_iv];
	*iv = (struct sla_interval){ start, end, state, NULL, NULL };
	if ((cause && (iv->cause = sla_history_str(h, cause)) == NULL) ||
	    (root && (iv->root_cause = sla_history_str(h, root)) == NULL))
		return -ENOMEM;
	h->n_iv++;
	return 0;
}

void sla_history_cleanup(struct sla_history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n_strings; i++)
		free(h->strings[i]);
	free(h->strings);
	free(h->iv);
	memset(h, 0, sizeof(*h));
}

/* One state change as read, waiting for the next to close it. */
struct sla_change {
	int64_t t;
	enum sla_state state;
	char cause[256];   /* reason text, for a down change */
	char root[256];    /* root-cause device when not the device itself */
	int has_root;
};

static void sla_change_read(sqlite3_stmt *st, const char *device, struct sla_change *c)
{
	const char *to = (const char *)sqlite3_column_text(st, 1);
	const char *root = (const char *)sqlite3_column_text(st, 2);
	const char *reason = (const char *)sqlite3_column_text(st, 3);

	/* Times are REAL seconds; the report counts whole seconds. */
	c->t = (int64_t)sqlite3_column_double(st, 0);
	c->state = to && strcmp(to, "up") == 0 ? SLA_UP
		 : to && strcmp(to, "down") == 0 ? SLA_DOWN : SLA_UNKNOWN;
	snprintf(c->cause, sizeof(c->cause), "%s", reason && *reason ? reason : "unreachable");
	c->has_root = root && *root && strcmp(root, device) != 0;
	snprintf(c->root, sizeof(c->root), "%s", c->has_root ? root : "");
}

static int sla_change_close(struct sla_history *h, const struct sla_change *c, int64_t end)
{
	int down = c->state == SLA_DOWN;

	if (end <= c->t)
		return 0;
	return sla_history_add(h, c->t, end, c->state, down ? c->cause : NULL,
			       down && c->has_root ? c->root : NULL);
}

int sla_source_history(struct sla_source *src, const char *device, struct sla_span span,
		       struct sla_history *h)
{
	sqlite3_stmt *st;
	struct sla_change cur;
	int have = 0, rc, r = 0;

	st = src->st[SQ_FIRST];
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	h->first = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
		 ? (int64_t)sqlite3_column_double(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sla_query_error(src, "state changes");
		return -EIO;
	}

	st = src->st[SQ_BEFORE];
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, (double)span.start);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sla_change_read(st, device, &cur);
		cur.t = span.start;
		have = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sla_query_error(src, "state changes");
		return -EIO;
	}

	st = src->st[SQ_DURING];
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, (double)span.start);
	sqlite3_bind_double(st, 3, (double)span.end);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sla_change next;
		sla_change_read(st, device, &next);
		if (have)
			r = sla_change_close(h, &cur, next.t);
		cur = next;
		have = 1;
	}
	sqlite3_reset(st);
	if (r == 0 && rc != SQLITE_DONE) {
		sla_query_error(src, "state changes");
		return -EIO;
	}
	if (r == 0 && have)
		r = sla_change_close(h, &cur, span.end);
	return r;
}

void sla_maint_free(struct sla_maint *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++)
		free(m[i].target);
	free(m);
}

long sla_source_maintenance(struct sla_source *src, struct sla_span span, struct sla_maint **out)
{
	sqlite3_stmt *st = src->st[SQ_MAINT];
	struct sla_maint *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	sqlite3_bind_double(st, 1, (double)span.start);
	sqlite3_bind_double(st, 2, (double)span.end);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *target = (const char *)sqlite3_column_text(st, 0);
		if (target == NULL)
			continue;
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct sla_maint *nv = realloc(v, nc * sizeof(*nv));
			if (nv == NULL)
				break;
			v = nv;
			cap = nc;
		}
		v[n].span = (struct sla_span){ (int64_t)sqlite3_column_double(st, 1),
					       (int64_t)sqlite3_column_double(st, 2) };
		if ((v[n].target = strdup(target)) == NULL)
			break;
		n++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) {
		sla_maint_free(v, n);
		return -ENOMEM;
	}
	if (rc != SQLITE_DONE) {
		sla_query_error(src, "maintenance windows");
		sla_maint_free(v, n);
		return -EIO;
	}
	*out = v;
	return (long)n;
}
