-- The event store's schema, version 1, as seratd creates it
-- (collector/events_sqlite.c of the alerts part; docs/events.md).  The SLA
-- tests and bench/sla_bench.sh build event histories in it; the report
-- reads only state_changes and maintenance (docs/sla.md).
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta VALUES('schema_version', '1');
CREATE TABLE IF NOT EXISTS state_changes(
 id INTEGER PRIMARY KEY, t REAL NOT NULL, device TEXT NOT NULL, site TEXT,
 ifname TEXT, kind TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL,
 cause TEXT, reason TEXT);
CREATE INDEX IF NOT EXISTS state_changes_device_t ON state_changes(device, t);
CREATE TABLE IF NOT EXISTS incidents(
 id TEXT PRIMARY KEY, alertname TEXT NOT NULL, device TEXT, site TEXT, ifname TEXT,
 severity TEXT, start REAL NOT NULL, end REAL, cause TEXT, root_device TEXT,
 n_behind INTEGER NOT NULL DEFAULT 0, notified TEXT);
CREATE INDEX IF NOT EXISTS incidents_start ON incidents(start);
CREATE TABLE IF NOT EXISTS notifications(
 id INTEGER PRIMARY KEY, t REAL NOT NULL, channel TEXT NOT NULL, key TEXT NOT NULL,
 incident TEXT, attempts INTEGER NOT NULL, result TEXT NOT NULL, http_status INTEGER,
 error TEXT);
CREATE INDEX IF NOT EXISTS notifications_key ON notifications(key);
CREATE TABLE IF NOT EXISTS maintenance(
 id INTEGER PRIMARY KEY, target TEXT NOT NULL, start REAL NOT NULL, end REAL NOT NULL,
 reason TEXT, source TEXT NOT NULL, created REAL NOT NULL);
