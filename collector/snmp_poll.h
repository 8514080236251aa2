/*
 * snmp_poll.h — one device's SNMP session, driven by the libevent loop.
 *
 * Each device owns a Net-SNMP single-session handle (snmp_sess_*).  A poll
 * sends asynchronous GETBULK (GETNEXT for SNMPv1) requests built by if_walk,
 * reads replies when the session's socket is readable and lets Net-SNMP
 * retransmit on a libevent timer set from snmp_sess_select_info2().  No
 * thread per device and no blocking call on the loop, ever:
 *   - a host name is resolved with getaddrinfo_a() (glibc's resolver
 *     threads), its completion checked from a loop timer; a literal
 *     address needs no lookup.  A name is resolved when the device is
 *     created and again after a failure, never per poll;
 *   - SNMPv3 engine discovery is our own asynchronous probe (a GET with an
 *     empty user and engine ID, whose REPORT carries the engine ID), not
 *     Net-SNMP's, which blocks in the send for timeout x tries.  It runs
 *     on the first poll, after a timeout, and when the agent reports our
 *     engine ID unknown: an agent whose engine ID changed (replaced, reset,
 *     failed over) is rediscovered by itself.
 * The session's socket is connected to the agent's address, so the kernel
 * drops datagrams from any other address or port.
 *
 * A poll ends with one call to the device's done callback, carrying the
 * walked rows or the reason it failed.  Agents without ifXTable are
 * detected on the first poll and walked as ifTable with 32-bit counters from
 * then on (logged once, saying what the device lacks); SNMPv1 always is.
 * When some interface has no ifName, or lacks a 64-bit counter, the first
 * poll walks again with ifDescr / the 32-bit counters added, and every poll
 * after does (logged once).  The rows handed to the callback are named by
 * if_walk_name_rows() (duplicates and unnamed interfaces logged once).  A
 * reply that says tooBig halves the request size and retries.
 */
#ifndef SERAT_SNMP_POLL_H
#define SERAT_SNMP_POLL_H

#include <stdint.h>

#include <event2/event.h>

#include "collector/if_walk.h"
#include "common/config.h"

struct snmp_poll_result {
	int status;                  /* 0, -ETIMEDOUT, -EACCES, -EPROTO, -EIO */
	const char *error;           /* why, for status != 0 (static or owned by the device) */
	double rtt_s;                /* round trip of the first request */
	int have_uptime;             /* the agent sent sysUpTime.0 (only that
	                                object is uptime) */
	uint32_t uptime_ticks;       /* sysUpTime.0 of the first reply */
	const struct if_walk *walk;  /* rows; valid until the callback returns */
	unsigned requests;           /* PDUs sent in this poll, retries excluded */
	unsigned malformed;          /* varbinds rejected */
	const char *malformed_what;  /* the first of them, e.g. "ifSpeed as
	                                OCTET STRING"; "" when none */
};

/* Called once per poll, from the event loop. */
typedef void snmp_poll_done_fn(void *arg, const struct snmp_poll_result *res);

/* Net-SNMP library set-up for a daemon: no config files, no MIB loading,
 * no persistent state.  Call once before the first snmp_dev_new. */
void snmp_poll_library_init(const char *app_name);
void snmp_poll_library_shutdown(const char *app_name);

struct snmp_dev;

/*
 * A device's session.  DEV is borrowed and must outlive the result (the
 * daemon keeps its config until the device is freed).  The session opens
 * lazily on the first poll and again after a failure to open.  Returns NULL
 * only on allocation failure.
 */
struct snmp_dev *snmp_dev_new(struct event_base *base, const struct device_conf *dev,
			      unsigned bulk_max_varbinds, snmp_poll_done_fn *done, void *arg);

/* Closes the session and cancels a poll in flight (no callback).  NULL-safe. */
void snmp_dev_free(struct snmp_dev *d);

/*
 * A second walk on the same session, run after the interface walk of each
 * successful poll (device profiles: collector/profile_poll.h).  The poll's
 * done callback comes after it.  FILL adds the next request's varbinds to
 * PDU (0 = nothing more to ask), FEED takes its reply (1 = more, 0 = done,
 * negative = ended), ENDED takes an SNMPv1 noSuchName at a 1-based varbind
 * position.  An agent error in this walk ends it, not the poll.  The ops
 * are copied; CTX is borrowed and must outlive D.
 */
struct snmp_extra_walk {
	int (*fill)(void *ctx, netsnmp_pdu *pdu, unsigned max_varbinds);
	int (*feed)(void *ctx, const netsnmp_pdu *reply);
	int (*ended)(void *ctx, long errindex);
	void *ctx;
};
void snmp_dev_set_extra(struct snmp_dev *d, const struct snmp_extra_walk *x);

/* Start a poll.  Returns 0, or -EBUSY when one is still in flight.  A session
 * that cannot be opened completes the poll at once with an error. */
int snmp_dev_poll(struct snmp_dev *d);

/* True while a poll is in flight. */
int snmp_dev_busy(const struct snmp_dev *d);

#endif
