/*
 * collector.h — the polling runtime: schedule, per-device state, rates.
 *
 * A collector owns one loaded config and everything that runs from it: a
 * snmp_dev per device, its timer, the last values of every interface, and
 * the RRD store.  Devices are polled once per interval, at offsets spread
 * evenly over the first `poller.spread` of it (a quarter by default) so there
 * is no burst at second 0 and a cycle completes early; at most
 * max_in_flight polls run at once, the others wait their turn in a FIFO.  A
 * device still being polled when its next turn comes skips that turn (an
 * overrun, counted and logged with back-off).
 *
 * Runtime state is kept apart from the config (which is immutable): a
 * reload builds a new collector from the new config and frees the old one.
 */
#ifndef SERAT_COLLECTOR_H
#define SERAT_COLLECTOR_H

#include <stdint.h>

#include <event2/event.h>

#include "collector/rrd_store.h"
#include "common/config.h"
#include "common/log.h"

/* The eight counters an interface has, in the order of the first eight
 * RRD data sources (enum if_ds). */
#define IF_COUNTERS 8

struct if_state {
	char *name;                    /* ifName (or ifDescr); identity */
	char *alias;
	uint32_t ifindex;              /* as of the last poll; may renumber */
	unsigned seen;                 /* generation of the last poll that had it */
	uint8_t prev_valid;            /* bit per counter */
	uint8_t prev_have_ticks;
	int8_t oper, admin;            /* IF-MIB values; 0 = unknown */
	uint32_t prev_ticks;
	uint32_t prev_disc;            /* ifCounterDiscontinuityTime */
	double prev_local;             /* monotonic time of the previous sample */
	double speed_bps;
	uint64_t prev[IF_COUNTERS];
	float last[IF_DS_COUNT];       /* last stored values; NAN = unknown */
};

enum dev_reach { DEV_UNKNOWN = -1, DEV_DOWN = 0, DEV_UP = 1 };

struct collector;

struct dev_state {
	struct collector *c;
	const struct device_conf *conf;
	struct snmp_dev *snmp;
	struct event *ev_tick;
	double next_tick;              /* monotonic time of the next turn */
	double last_start;             /* monotonic time the last poll started */
	enum dev_reach reach;
	double since;                  /* wall time of the last state change */
	double last_poll;              /* wall time of the last completed poll */
	double rtt_s;
	uint32_t uptime_ticks;
	int have_uptime;
	double prev_uptime_local;
	char *error;                   /* last failure text, or NULL */
	struct if_state *ifs;
	size_t n_ifs, cap_ifs;
	unsigned generation;
	unsigned polls;                /* completed */
	unsigned overruns;
	unsigned malformed;            /* varbinds rejected, total */
	int queued;                    /* waiting for an in-flight slot */
	struct log_complain complain;
};

struct collector {
	struct event_base *base;
	struct serat_config *conf;     /* owned */
	struct rrd_store *store;
	struct dev_state *devs;
	size_t n_devs;
	unsigned in_flight;
	size_t *waitq;                 /* ring of device indexes */
	size_t wq_head, wq_len;
	unsigned cycles;               /* stop after this many polls per device; 0 = run */
	size_t devs_done;              /* devices that reached `cycles` */
	struct event *ev_status;       /* writes status.json once per interval */
	int store_writes;              /* 0 = benchmark mode: no RRD writes */
};

/*
 * Build a collector from CONF (takes ownership) on BASE.  CYCLES > 0 makes
 * it stop the loop after every device finished that many polls.  NULL on
 * failure (logged); CONF is freed then too.
 */
struct collector *collector_new(struct event_base *base, struct serat_config *conf,
				unsigned cycles);

/* Arms every device's first turn.  Returns 0 or a negative errno. */
int collector_start(struct collector *c);

/* Flushes RRD writes, writes status.json, frees everything.  NULL-safe. */
void collector_free(struct collector *c);

/* Write <data_dir>/status.json now (atomically).  Returns 0 or -errno. */
int collector_write_status(struct collector *c);

/* Turn RRD writing off (benchmarks measure the poll path alone). */
void collector_set_store_writes(struct collector *c, int on);

#endif
