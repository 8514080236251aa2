/*
 * icmp_probe.h — an fping-style ICMP echo prober on seratd's libevent loop.
 *
 * Many targets are probed at once from one socket per address family: each
 * interval, COUNT rounds of echo requests go out, one request per target per
 * round, every send paced SPACING after the one before (whatever its
 * target), and a round starting no sooner than PERIOD after the previous
 * round started.  Replies are matched to requests by (identifier, sequence,
 * source address); ICMP errors by the identifier, sequence and destination
 * of the request they quote.  At the end of each interval every target's
 * figures are handed to the result callback, once per target, and a new
 * interval begins.  Nothing on the loop blocks: addresses come resolved.
 *
 * Per request, what may happen:
 *   reply within TIMEOUT         received (its RTT counts)
 *   reply after TIMEOUT, before  late: neither received nor lost
 *     the interval's results
 *   more replies to one request  duplicates (counted once each, never twice
 *                                as received)
 *   ICMP error quoting it        errors[class] (unreachable, redirect, time
 *                                exceeded, other); without a reply the
 *                                request is lost
 *   nothing                      lost
 *   sendto() failed              send_errors, and lost
 * A reply that arrives after its interval was reported counts as "stale" in
 * the target's next result; a reply that matches nothing we sent (another
 * program's ping, a reused sequence) is counted in icmp_probe_counters.
 *
 * RTTs: the send time is taken just before sendto(), the receive time from
 * the kernel's timestamp of the reply (SO_TIMESTAMPNS), so the loop's own
 * latency is not in the figure; both are wall-clock, so when the clock
 * steps in between (the kernel RTT is negative or above the monotonic one)
 * the monotonic time at which we read the reply is used instead.
 *
 * Identifiers: a raw socket sees every ICMP message of the host, so our
 * requests carry a per-process random identifier; a datagram socket's
 * identifier is chosen by the kernel, which delivers only its replies.
 * Sequence numbers are one 16-bit counter across all targets: with the
 * smallest spacing (1 ms) it wraps after 65 s, far beyond any timeout.
 */
#ifndef SERAT_PROBES_ICMP_PROBE_H
#define SERAT_PROBES_ICMP_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "common/config_icmp.h"
#include "common/metric.h"
#include "probes/icmp_packet.h"
#include "probes/icmp_sock.h"

struct event_base;
struct icmp_probe;

struct icmp_probe_target {
	const char *name;              /* copied; reported back in results */
	const struct sockaddr *addr;   /* AF_INET or AF_INET6; copied */
	socklen_t addrlen;
};

struct icmp_probe_opts {
	unsigned count;                /* requests per target per interval, 1..1000 */
	unsigned period_ms;            /* between round starts; 0 = back to back */
	unsigned spacing_us;           /* between any two sends, >= 100 */
	unsigned timeout_ms;           /* a reply later than this is late, >= 1 */
	unsigned interval_ms;          /* results every interval */
	unsigned payload;              /* echo data bytes; 0 = ICMP_DEFAULT_PAYLOAD */
	enum icmp_sock_pref sock_pref;
	unsigned intervals;            /* stop after this many; 0 = run until freed */
};

struct icmp_probe_result {
	size_t target;                 /* index into the targets given to _new */
	const char *name;
	const struct sockaddr *addr;
	struct timespec start;         /* wall-clock start of the interval */
	unsigned sent, received, late, lost, duplicates, stale, send_errors;
	unsigned errors[ICMP_ERR_COUNT];
	double loss_pct;               /* NAN when nothing was sent */
	double rtt_min_ms, rtt_median_ms, rtt_max_ms, jitter_ms;  /* NAN if undefined */
	const double *rtt_ms;          /* per request in send order, NAN without an
	                                  in-time reply; valid during the callback */
	size_t n_rtt;                  /* == sent */
};

/* Called once per target per interval, on the loop. */
typedef void icmp_probe_cb(const struct icmp_probe_result *r, void *arg);

/* Messages nobody asked for, since icmp_probe_new. */
struct icmp_probe_counters {
	uint64_t malformed;            /* failed icmp_parse (bounds, checksum) */
	uint64_t foreign;              /* replies or errors not ours: another
	                                  identifier, an unknown sequence, the
	                                  wrong source address */
	uint64_t ignored;              /* other ICMP (echo requests to this host,
	                                  errors about other protocols, ...) */
	uint64_t recv_errors;          /* recvmsg() failures other than EAGAIN */
	double send_span_ms;           /* the last interval whose sends all went
	                                  out: its start to its last send (the
	                                  achieved send rate is sent / span) */
};

/*
 * Decide the socket kind, open one socket per family the targets need and
 * copy the targets.  Nothing is sent before icmp_probe_start.  Returns NULL
 * with a one-line reason in ERR (for ICMP_SOCK_NONE: the sysctl or
 * capability that would fix it) on failure.  Caller frees with
 * icmp_probe_free.  Logs the socket kind chosen at LOG_INFO.
 */
struct icmp_probe *icmp_probe_new(struct event_base *base, const struct icmp_probe_opts *opts,
				  const struct icmp_probe_target *targets, size_t n,
				  icmp_probe_cb *cb, void *arg, char *err, size_t errlen);

/* Begin the first interval now.  0 or negative errno. */
int icmp_probe_start(struct icmp_probe *p);

/* The socket kind in use and the one-sentence reason. */
enum icmp_sock_kind icmp_probe_socket(const struct icmp_probe *p, const char **why);

const struct icmp_probe_counters *icmp_probe_counters(const struct icmp_probe *p);

/*
 * R's figures as the registry's target metrics (common/metric.h), in
 * METRIC_TARGET_FIRST order — target.loss_pct, target.rtt_ms (the median),
 * rtt_min_ms, rtt_max_ms, jitter_ms, late, duplicates, errors (every ICMP
 * error class together) — for a sample set of METRIC_OBJ_TARGET.  NAN
 * stays NAN (unknown, never 0).  Pure.
 */
void icmp_probe_result_values(const struct icmp_probe_result *r, double v[METRIC_TARGET_N]);

/*
 * O from the config's icmp settings C (count, period, spacing, timeout,
 * socket), with INTERVAL_MS and INTERVALS as given.  Shared by `serat ping`
 * and seratd so both probe alike.
 */
void icmp_probe_opts_from_conf(struct icmp_probe_opts *o, const struct icmp_conf *c,
			       unsigned interval_ms, unsigned intervals);

/* NULL-safe; stops everything, closes the sockets, reports nothing more. */
void icmp_probe_free(struct icmp_probe *p);

#endif
