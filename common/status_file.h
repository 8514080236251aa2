/*
 * status_file.h — where the collector's status snapshot lives, shared by
 * the writer (seratd) and the readers (serat status, the dashboard).
 */
#ifndef SERAT_STATUS_FILE_H
#define SERAT_STATUS_FILE_H

#include <stddef.h>

/* <data_dir>/status.json into BUF.  Returns 0 or -ENAMETOOLONG. */
int status_file_path(const char *data_dir, char *buf, size_t len);

#endif
