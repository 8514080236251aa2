/*
 * fa_load.h — the --load mode of fakeagent: a load generator that keeps a
 * window of 60-varbind GETBULK requests in flight against an agent (this
 * one or any other on c->bind_addr, ports c->port_base ..
 * c->port_base + c->ndevices - 1) and prints the replies per second on
 * stdout.  That is how the throughput figure in docs/fakeagent.md is
 * measured.
 */
#ifndef FA_LOAD_H
#define FA_LOAD_H

#include "fa_common.h"

/*
 * Runs for c->load_seconds with c->load_window requests in flight, then
 * prints one "load: replies=..." line.  Borrows c; frees everything it
 * allocates.  Returns 0 or a negative errno (set-up failed).
 */
int fa_load_run(const struct fa_conf *c);

#endif
