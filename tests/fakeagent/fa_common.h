/*
 * fa_common.h — what every part of fakeagent shares: the parsed command line
 * and three small helpers (the monotonic clock, the splitmix64 mixer, and a
 * UDP socket opener).
 *
 * struct fa_conf is filled once by the option parser in fakeagent.c and is
 * immutable afterwards; its strings point into argv and are never freed
 * (ports_list is allocated by the parser and lives as long as the process).
 * The MIB, the agent loop and the load generator read it through a const
 * pointer.
 */
#ifndef FA_COMMON_H
#define FA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define FA_UDP_MAX 65507        /* largest UDP payload over IPv4 */

/* Behaviours of real agents that --quirks turns on (docs/fakeagent.md). */
#define FA_QUIRK_DUP_NAMES    (1u << 0)  /* port 4k+2 has port 4k+1's ifName */
#define FA_QUIRK_UNNAMED      (1u << 1)  /* port 3k: empty ifName and ifDescr */
#define FA_QUIRK_NO_HC        (1u << 2)  /* port 2k: no ifHC* counters */
#define FA_QUIRK_NUL_NAMES    (1u << 3)  /* ifName "eth0\0" + the usual name */
#define FA_QUIRK_NO_SYSUPTIME (1u << 4)  /* no sysUpTime; sysORLastChange.0 */
#define FA_QUIRK_OTHER_PORT   (1u << 5)  /* replies sent from another port */

struct fa_conf {
	unsigned port_base;
	unsigned ndevices;
	unsigned ports;
	unsigned *ports_list;
	unsigned nports_list;
	const char *community;
	size_t community_len;
	const char *bind_addr;
	const char *truth_file;
	const char *pidfile;
	uint64_t seed;
	unsigned down_every;
	const char *fault_devices;
	unsigned delay_ms;
	double drop_pct;
	double malformed_pct;
	int wrap32;
	double reboot_after;
	int no_ifxtable;
	int optics;             /* serve JUNIPER-DOM-MIB optical levels (--optics) */
	unsigned max_varbinds;
	unsigned max_size;
	int bulk_toobig;        /* GETBULK past max_size answers tooBig */
	unsigned quirks;        /* FA_QUIRK_* bits (--quirks), on fault devices */
	double hc_jump_after;   /* Counter64 columns jump by 2^50 from then on */
	/* --load mode */
	int load;
	double load_seconds;
	unsigned load_window;
	unsigned load_maxrep;
};

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t fa_now_ns(void);

/* splitmix64: tiny, good enough, and reproducible from --seed. */
uint64_t fa_mix(uint64_t x);

/*
 * Opens a non-blocking IPv4 UDP socket with 1 MiB buffers, bound to
 * addr:port unless port is 0.  Returns 0 and the descriptor in *fd_out
 * (the caller closes it), or a negative errno.
 */
int fa_open_socket(const char *addr, unsigned port, int *fd_out);

#endif
