/*
 * status_write.h — <data_dir>/status.json, the collector's last word.
 *
 * Written atomically (temporary file + rename) once per interval and at
 * exit, so `serat status` can read it whether or not seratd is running.
 * The format is documented in docs/status.md; readers must ignore keys
 * they do not know.
 */
#ifndef SERAT_STATUS_WRITE_H
#define SERAT_STATUS_WRITE_H

struct collector;

/* Returns 0, or a negative errno (logged). */
int status_write(struct collector *c);

#endif
