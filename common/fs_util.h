/*
 * fs_util.h — small filesystem and process-limit helpers shared by the
 * daemon and the store.  Each reports a failure as a negative errno and,
 * where a person must act, a sentence saying what is wrong in WHY.
 */
#ifndef SERAT_FS_UTIL_H
#define SERAT_FS_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p DIR with MODE for what it creates.  Returns 0 or -errno
 * (-ENAMETOOLONG past PATH_MAX). */
int fs_mkdirs(const char *dir, mode_t mode);

/*
 * Can seratd keep its data in DIR?  Creates DIR (mode 0755) if it is
 * missing, then checks, in this order, that it and DIR/rrd (if present)
 * are directories, that DIR belongs to the effective user, that its
 * filesystem is not mounted read-only, and that a file can really be
 * created in it (a probe file, removed again: permission bits, ACLs,
 * immutable flags and root's exemptions all answer truthfully that way).
 * 0 when usable; otherwise a negative errno and WHY, e.g. "data_dir /x is
 * owned by uid 0, but seratd runs as uid 65534".  Run at start-up and at
 * every reload, before anything is written.
 */
int data_dir_check(const char *dir, char *why, size_t len);

/* File descriptors seratd needs besides one socket per SNMP session:
 * logs, the event loop, rrdcached, status.json, HTTP clients, SQLite. */
#define FD_LIMIT_MARGIN 256

/*
 * Make sure NEED file descriptors can be open: if the soft RLIMIT_NOFILE is
 * lower, raise it to NEED (never past the hard limit).  0 when the limit is
 * (now) at least NEED; -EMFILE with WHY naming both numbers and the remedy
 * (LimitNOFILE= in seratd.service, `ulimit -Hn`) when the hard limit is
 * lower or raising it is not permitted.
 */
int fd_limit_ensure(size_t need, char *why, size_t len);

#endif
