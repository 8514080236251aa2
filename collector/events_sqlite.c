/*
 * events_sqlite.c — the event store in one SQLite file (WAL mode).
 *
 * Every statement is prepared once at open and reset after each use.  WAL
 * lets readers (serat report, serat maint list, the dashboard) run while
 * seratd writes; a busy timeout covers the short write locks of `serat maint
 * add`.  synchronous=NORMAL: in WAL mode a power loss can lose the last
 * transactions but never corrupt the file, and the spool — not this store —
 * is what guarantees a notification.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "collector/events_backend.h"
#include "common/log.h"

static const char es_schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO meta VALUES('schema_version', '1');"
	"CREATE TABLE IF NOT EXISTS state_changes("
	" id INTEGER PRIMARY KEY, t REAL NOT NULL, device TEXT NOT NULL, site TEXT,"
	" ifname TEXT, kind TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL,"
	" cause TEXT, reason TEXT);"
	"CREATE INDEX IF NOT EXISTS state_changes_device_t ON state_changes(device, t);"
	"CREATE TABLE IF NOT EXISTS incidents("
	" id TEXT PRIMARY KEY, alertname TEXT NOT NULL, device TEXT, site TEXT, ifname TEXT,"
	" severity TEXT, start REAL NOT NULL, end REAL, cause TEXT, root_device TEXT,"
	" n_behind INTEGER NOT NULL DEFAULT 0, notified TEXT);"
	"CREATE INDEX IF NOT EXISTS incidents_start ON incidents(start);"
	"CREATE TABLE IF NOT EXISTS notifications("
	" id INTEGER PRIMARY KEY, t REAL NOT NULL, channel TEXT NOT NULL, key TEXT NOT NULL,"
	" incident TEXT, attempts INTEGER NOT NULL, result TEXT NOT NULL, http_status INTEGER,"
	" error TEXT);"
	"CREATE INDEX IF NOT EXISTS notifications_key ON notifications(key);"
	"CREATE TABLE IF NOT EXISTS maintenance("
	" id INTEGER PRIMARY KEY, target TEXT NOT NULL, start REAL NOT NULL, end REAL NOT NULL,"
	" reason TEXT, source TEXT NOT NULL, created REAL NOT NULL);";

enum {
	ES_STATE, ES_INCIDENT, ES_NOTIFICATION, ES_MAINT_ADD, ES_MAINT_REMOVE, ES_MAINT_LIST,
	ES_OPEN_INCIDENTS, ES_RECENT_INCIDENTS, ES_N
};

static const char *const es_sql[ES_N] = {
	[ES_STATE] = "INSERT INTO state_changes(t, device, site, ifname, kind, from_state,"
		     " to_state, cause, reason) VALUES(?,?,?,?,?,?,?,?,?)",
	[ES_INCIDENT] = "INSERT INTO incidents(id, alertname, device, site, ifname, severity,"
			" start, end, cause, root_device, n_behind, notified)"
			" VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
			" end=excluded.end, cause=excluded.cause, root_device=excluded.root_device,"
			" n_behind=excluded.n_behind, notified=excluded.notified",
	[ES_NOTIFICATION] = "INSERT INTO notifications(t, channel, key, incident, attempts,"
			    " result, http_status, error) VALUES(?,?,?,?,?,?,?,?)",
	[ES_MAINT_ADD] = "INSERT INTO maintenance(target, start, end, reason, source, created)"
			 " VALUES(?,?,?,?,?,?)",
	[ES_MAINT_REMOVE] = "DELETE FROM maintenance WHERE id = ?",
	[ES_MAINT_LIST] = "SELECT id, target, start, end, reason, source FROM maintenance"
			  " WHERE end > ? ORDER BY start, id",
	[ES_OPEN_INCIDENTS] = "SELECT id, alertname, device, site, ifname, severity, start,"
			      " cause, root_device, n_behind, notified FROM incidents"
			      " WHERE end IS NULL ORDER BY start",
	/* Same columns, plus end as the 12th (es_incident_row reads it). */
	[ES_RECENT_INCIDENTS] = "SELECT id, alertname, device, site, ifname, severity, start,"
				" cause, root_device, n_behind, notified, end FROM incidents"
				" WHERE end IS NOT NULL ORDER BY end DESC, id LIMIT ?",
};

struct es_ctx {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ES_N];
};

static void es_close(void *p)
{
	struct es_ctx *c = p;

	if (c == NULL)
		return;
	for (int i = 0; i < ES_N; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

static void *es_open(const char *path)
{
	struct es_ctx *c = calloc(1, sizeof(*c));
	char *err = NULL;

	if (c == NULL || (c->path = strdup(path)) == NULL) {
		free(c);
		return NULL;
	}
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_err("events: cannot open %s: %s", path,
			c->db ? sqlite3_errmsg(c->db) : "out of memory");
		es_close(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->db, 5000);
	if (sqlite3_exec(c->db, es_schema, NULL, NULL, &err) != SQLITE_OK) {
		log_err("events: cannot set up %s: %s", path, err ? err : "?");
		sqlite3_free(err);
		es_close(c);
		return NULL;
	}
	for (int i = 0; i < ES_N; i++)
		if (sqlite3_prepare_v3(c->db, es_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i],
				       NULL) != SQLITE_OK) {
			log_err("events: %s: cannot prepare a statement: %s", path,
				sqlite3_errmsg(c->db));
			es_close(c);
			return NULL;
		}
	return c;
}

static void es_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void es_real0(sqlite3_stmt *st, int i, double v)
{
	if (v > 0)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Step a write statement to completion and reset it. */
static int es_run(struct es_ctx *c, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		log_err("events: %s: cannot record %s: %s", c->path, what, sqlite3_errmsg(c->db));
		return -EIO;
	}
	return 0;
}

static int es_state(void *p, const struct ev_state *s)
{
	struct es_ctx *c = p;
	sqlite3_stmt *st = c->st[ES_STATE];

	sqlite3_bind_double(st, 1, s->t);
	es_text(st, 2, s->device);
	es_text(st, 3, s->site);
	es_text(st, 4, s->ifname);
	es_text(st, 5, s->kind);
	es_text(st, 6, s->from);
	es_text(st, 7, s->to);
	es_text(st, 8, s->cause);
	es_text(st, 9, s->reason);
	return es_run(c, st, "a state change");
}

static int es_incident(void *p, const struct ev_incident *i)
{
	struct es_ctx *c = p;
	sqlite3_stmt *st = c->st[ES_INCIDENT];

	es_text(st, 1, i->id);
	es_text(st, 2, i->alertname);
	es_text(st, 3, i->device);
	es_text(st, 4, i->site);
	es_text(st, 5, i->ifname);
	es_text(st, 6, i->severity);
	sqlite3_bind_double(st, 7, i->start);
	es_real0(st, 8, i->end);
	es_text(st, 9, i->cause);
	es_text(st, 10, i->root_device);
	sqlite3_bind_int64(st, 11, i->n_behind);
	es_text(st, 12, i->notified);
	return es_run(c, st, "an incident");
}

static int es_notification(void *p, const struct ev_notification *n)
{
	struct es_ctx *c = p;
	sqlite3_stmt *st = c->st[ES_NOTIFICATION];

	sqlite3_bind_double(st, 1, n->t);
	es_text(st, 2, n->channel);
	es_text(st, 3, n->key);
	es_text(st, 4, n->incident);
	sqlite3_bind_int(st, 5, (int)n->attempts);
	es_text(st, 6, n->result);
	if (n->http_status)
		sqlite3_bind_int64(st, 7, n->http_status);
	else
		sqlite3_bind_null(st, 7);
	es_text(st, 8, n->error);
	return es_run(c, st, "a notification");
}

static int es_maint_add(void *p, struct ev_maint *m)
{
	struct es_ctx *c = p;
	sqlite3_stmt *st = c->st[ES_MAINT_ADD];
	int rc;

	es_text(st, 1, m->target);
	sqlite3_bind_double(st, 2, m->start);
	sqlite3_bind_double(st, 3, m->end);
	es_text(st, 4, m->reason);
	es_text(st, 5, m->source ? m->source : "cli");
	sqlite3_bind_double(st, 6, (double)time(NULL));
	if ((rc = es_run(c, st, "a maintenance window")) == 0)
		m->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int es_maint_remove(void *p, int64_t id)
{
	struct es_ctx *c = p;
	sqlite3_stmt *st = c->st[ES_MAINT_REMOVE];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = es_run(c, st, "a maintenance removal")) < 0)
		return rc;
	return sqlite3_changes(c->db) > 0 ? 0 : -ENOENT;
}

static const char *es_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Step a query, calling ROW for each row; 0 or -EIO. */
static int es_query(struct es_ctx *c, sqlite3_stmt *st, void (*row)(sqlite3_stmt *st, void *a),
		    void *a)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(st, a);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		log_err("events: %s: query failed: %s", c->path, sqlite3_errmsg(c->db));
		return -EIO;
	}
	return 0;
}

struct es_cb {
	void (*maint)(void *arg, const struct ev_maint *m);
	void (*incident)(void *arg, const struct ev_incident *i);
	void *arg;
};

static void es_maint_row(sqlite3_stmt *st, void *a)
{
	struct es_cb *cb = a;
	struct ev_maint m = {
		.id = sqlite3_column_int64(st, 0), .target = es_col(st, 1),
		.start = sqlite3_column_double(st, 2), .end = sqlite3_column_double(st, 3),
		.reason = es_col(st, 4), .source = es_col(st, 5),
	};
	cb->maint(cb->arg, &m);
}

static int es_maint_list(void *p, double after, void (*fn)(void *arg, const struct ev_maint *m),
			 void *arg)
{
	struct es_ctx *c = p;
	struct es_cb cb = { .maint = fn, .arg = arg };

	sqlite3_bind_double(c->st[ES_MAINT_LIST], 1, after);
	return es_query(c, c->st[ES_MAINT_LIST], es_maint_row, &cb);
}

static void es_incident_row(sqlite3_stmt *st, void *a)
{
	struct es_cb *cb = a;
	struct ev_incident i = {
		.id = es_col(st, 0), .alertname = es_col(st, 1), .device = es_col(st, 2),
		.site = es_col(st, 3), .ifname = es_col(st, 4), .severity = es_col(st, 5),
		.start = sqlite3_column_double(st, 6), .cause = es_col(st, 7),
		.root_device = es_col(st, 8), .n_behind = sqlite3_column_int64(st, 9),
		.notified = es_col(st, 10),
	};
	if (sqlite3_column_count(st) > 11)
		i.end = sqlite3_column_double(st, 11);
	cb->incident(cb->arg, &i);
}

static int es_open_incidents(void *p, void (*fn)(void *arg, const struct ev_incident *i),
			     void *arg)
{
	struct es_ctx *c = p;
	struct es_cb cb = { .incident = fn, .arg = arg };

	return es_query(c, c->st[ES_OPEN_INCIDENTS], es_incident_row, &cb);
}

static int es_recent_incidents(void *p, size_t limit,
			       void (*fn)(void *arg, const struct ev_incident *i), void *arg)
{
	struct es_ctx *c = p;
	struct es_cb cb = { .incident = fn, .arg = arg };

	sqlite3_bind_int64(c->st[ES_RECENT_INCIDENTS], 1, (sqlite3_int64)limit);
	return es_query(c, c->st[ES_RECENT_INCIDENTS], es_incident_row, &cb);
}

const struct events_backend events_sqlite_backend = {
	.name = "sqlite",
	.open = es_open,
	.close = es_close,
	.state = es_state,
	.incident = es_incident,
	.notification = es_notification,
	.maint_add = es_maint_add,
	.maint_remove = es_maint_remove,
	.maint_list = es_maint_list,
	.open_incidents = es_open_incidents,
	.recent_incidents = es_recent_incidents,
};
