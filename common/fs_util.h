/*
 * fs_util.h — small filesystem helpers shared by the daemon and the store.
 */
#ifndef SERAT_FS_UTIL_H
#define SERAT_FS_UTIL_H

#include <sys/types.h>

/* mkdir -p DIR with MODE for what it creates.  Returns 0 or -errno
 * (-ENAMETOOLONG past PATH_MAX). */
int fs_mkdirs(const char *dir, mode_t mode);

#endif
