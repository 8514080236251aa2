/*
 * status_write.h — <data_dir>/status.json, written from the runtime model.
 *
 * Written atomically (temporary file + rename) once per interval and at
 * exit, so `serat status` can read it whether or not seratd is running.
 * The format is documented in docs/status.md (version 1); readers must
 * ignore keys they do not know.
 */
#ifndef SERAT_STATUS_WRITE_H
#define SERAT_STATUS_WRITE_H

#include "collector/model.h"
#include "common/config.h"
#include "common/log.h"

/*
 * Write M, reconciled with CONF, to CONF's data_dir.  Returns 0, or a
 * negative errno.  A failure is logged through COMPLAIN with back-off (a
 * full disk must not log once per interval), or at once when COMPLAIN is
 * NULL; a success after failures logs the recovery once.  All arguments
 * are borrowed.
 */
int status_write(const struct model *m, const struct serat_config *conf,
		 struct log_complain *complain);

#endif
