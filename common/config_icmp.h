/*
 * config_icmp.h — the ICMP probe's part of the configuration.
 *
 *   icmp:                       top level, every key optional
 *     count: N                  echo requests per target per interval (5; 1..100)
 *     period: DURATION          between two requests to one target (1s)
 *     spacing: DURATION         between any two requests sent (10ms; >= 1ms)
 *     timeout: DURATION         a reply later than this is "late" (1s)
 *     socket: auto|datagram|raw which ICMP sockets (auto: datagram when
 *                               net.ipv4.ping_group_range allows, else raw)
 *   a device:  icmp: true       probe the device's own address
 *              icmp: [ADDR...]  probe these addresses (named DEVICE/ADDR)
 *   a site:    icmp: [ADDR...]  probe these addresses (named SITE/ADDR)
 *
 * Every target is resolved when the config is loaded (IPv4 or IPv6, the
 * resolver's first answer), never on the event loop; an address probed
 * twice is an error, and so is a schedule that cannot finish within the
 * interval: (count − 1) × max(period, targets × spacing) + targets ×
 * spacing + timeout must not exceed it.
 */
#ifndef SERAT_CONFIG_ICMP_H
#define SERAT_CONFIG_ICMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum icmp_socket_conf { ICMP_SOCKET_AUTO, ICMP_SOCKET_DATAGRAM, ICMP_SOCKET_RAW };

struct icmp_target_conf {
	char *name;               /* DEVICE, DEVICE/ADDR or SITE/ADDR; unique */
	char *host;               /* as written */
	long device;              /* index into serat_config.devices, -1 for a site's */
	size_t site;              /* index into serat_config.sites */
	struct sockaddr_storage addr;   /* resolved at load */
	socklen_t addrlen;
	char *origin;             /* "FILE:LINE" where it was written */
};

struct icmp_conf {
	unsigned count;
	unsigned period_ms;
	unsigned spacing_ms;
	unsigned timeout_ms;
	enum icmp_socket_conf socket;
	struct icmp_target_conf *targets;
	size_t n_targets, cap_targets;
};

/* The defaults above; the conf owns nothing yet. */
void icmp_conf_defaults(struct icmp_conf *c);
/* Free the targets (NULL-safe); C stays valid and empty. */
void icmp_conf_clear(struct icmp_conf *c);

/*
 * The shortest interval in which every request to N targets is sent and
 * can time out (the formula above; SPACING in microseconds).  Pure.
 */
uint64_t icmp_conf_span_ms(unsigned count, unsigned period_ms, unsigned spacing_us,
			   unsigned timeout_ms, size_t n);

/*
 * Resolve HOST (an IPv4 or IPv6 literal, or a DNS name) into *SA / *LEN.
 * Malformed literals ("10.0.0.300", "fd00::x") are refused without asking
 * the resolver.  Blocking: call at load time or on the command line, never
 * on the loop.  0, or negative with a reason in ERR.
 */
int icmp_resolve(const char *host, struct sockaddr_storage *sa, socklen_t *len, char *err,
		 size_t errlen);

/* ---- for the config loader only (common/config*.c) ---- */
struct cfg_build;
struct cfg_mark;

/* Add HOST as a target of device DEV (or -1) at site SITE; AS_DEVICE says
 * it is the device's own address (icmp: true).  Errors at MARK. */
void cfg_icmp_add_target(struct cfg_build *b, const char *host, long dev, size_t site,
			 int as_device, const struct cfg_mark *mark);
/* Check the schedule fits in the interval; errors at MARK (the icmp
 * section), or NULL (the file) without one. */
void cfg_icmp_check(struct cfg_build *b, const struct cfg_mark *mark);

#endif
