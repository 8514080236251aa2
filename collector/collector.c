/*
 * collector.c — schedule polls, turn replies into rates, emit them.  See
 * collector.h for the scheduling rules and where the results go.
 *
 * Rates (DESIGN.md "Correct numbers"): for each interface row the time
 * since its previous sample comes from the agent's sysUpTime when usable
 * (counter_elapsed), and each counter's delta from counter_rate.  These make
 * a sample a gap (NAN, "U" in the RRD) instead of a number: the first sample
 * of an interface, an agent reboot, a changed ifCounterDiscontinuityTime, a
 * counter that went back, and a previous sample older than 2.5 intervals (a
 * rate averaged over an outage would smear it into one step).  A failed
 * poll emits unknown for the device's interfaces and 0 for its
 * reachability.
 *
 * Interfaces are matched by name every poll, never by ifIndex: the rows of
 * a poll usually come in the order of the previous one, so matching is a
 * cursor check with a linear search only when the order changed
 * (model_device_if).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/collector.h"
#include "collector/counter.h"
#include "collector/profile_poll.h"
#include "collector/snmp_poll.h"
#include "common/log.h"

/* Scheduling state of one device; everything worth keeping across a
 * reload lives in the model device instead. */
struct collector_dev {
	struct collector *c;
	const struct device_conf *conf;
	struct model_device *m;        /* set by collector_attach */
	struct snmp_dev *snmp;
	struct profile_poll *profile;  /* the device profile's walk (optics) */
	struct event *ev_tick;
	double next_tick;              /* monotonic time of the next turn */
	double start_wall;             /* wall time the poll in flight started */
	unsigned polls_run;            /* completed by this collector */
	int queued;                    /* waiting for an in-flight slot */
};

struct collector {
	struct event_base *base;
	const struct serat_config *conf;
	struct sinks *sinks;
	struct collector_dev *devs;
	size_t n_devs;
	unsigned in_flight;
	size_t *waitq;                 /* ring of device indexes */
	size_t wq_head, wq_len;
	unsigned cycles;               /* stop after this many polls per device; 0 = run */
	size_t devs_done;              /* devices that reached `cycles` */
	int stopping;                  /* being freed: callbacks do nothing */
	struct collector_stats stats;
	unsigned long long completions; /* polls completed, for cycle timing */
	double round_start;            /* monotonic start of the current round, 0 = none */
};

static double collector_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double collector_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The metrics of a device and of an interface sample set, in DS order. */
static const enum metric_id collector_dev_metrics[METRIC_DEVICE_N] = {
	METRIC_DEVICE_REACHABLE, METRIC_DEVICE_RTT_MS, METRIC_DEVICE_UPTIME_S,
};
static const enum metric_id collector_if_metrics[METRIC_IF_N] = {
	METRIC_IF_IN_BPS, METRIC_IF_OUT_BPS, METRIC_IF_IN_PPS, METRIC_IF_OUT_PPS,
	METRIC_IF_IN_ERRORS_PS, METRIC_IF_OUT_ERRORS_PS, METRIC_IF_IN_DISCARDS_PS,
	METRIC_IF_OUT_DISCARDS_PS, METRIC_IF_UTIL_PCT, METRIC_IF_OPER,
};
/* Index of each metric in collector_if_metrics / model_if.last. */
#define IFV(id) ((id) - METRIC_IF_FIRST)

static void collector_poll_done(void *arg, const struct snmp_poll_result *res);
static void collector_start_poll(struct collector_dev *d);

/* ---- emitting -------------------------------------------------------- */

static void collector_emit_if(struct collector *c, const struct model_device *m,
			      const struct model_if *st, double wall, const double *v)
{
	struct sample_set s = {
		.object = METRIC_OBJ_INTERFACE, .site = m->site->name, .device = m->name,
		.name = st->name, .t = wall, .n = METRIC_IF_N,
		.metrics = collector_if_metrics, .values = v,
	};
	sinks_emit_sample(c->sinks, &s);
}

static void collector_emit_dev(struct collector *c, const struct model_device *m,
			       double wall, const double *v)
{
	struct sample_set s = {
		.object = METRIC_OBJ_DEVICE, .site = m->site->name, .device = m->name,
		.t = wall, .n = METRIC_DEVICE_N, .metrics = collector_dev_metrics, .values = v,
	};
	sinks_emit_sample(c->sinks, &s);
}

static void collector_emit_state(struct collector *c, const struct model_device *m,
				 enum state_kind kind, const char *ifname, int from, int to,
				 double wall, double since, const char *reason)
{
	struct state_change sc = {
		.kind = kind, .site = m->site->name, .device = m->name, .name = ifname,
		.from = from, .to = to, .t = wall, .since = since, .reason = reason,
	};
	sinks_emit_state(c->sinks, &sc);
}

/* ---- interfaces ------------------------------------------------------ */

/* One row of a successful poll into rates.  DEVICE_GAP is set when the
 * whole device restarted. */
static void collector_update_if(struct collector *c, struct model_device *m,
				const struct if_row *row, size_t *cursor, int device_gap,
				double wall)
{
	const char *name = row->name != NULL && row->name[0] != '\0' ? row->name : row->descr;
	if (name == NULL || name[0] == '\0' || !device_watches_interface(m->conf, name))
		return;
	size_t before = m->n_ifs;
	struct model_if *st = model_device_if(m, name, cursor);
	if (st == NULL)
		return;
	/* An interface that shows up after the device's first answer is news;
	 * those of the first poll are the inventory. */
	if (m->n_ifs > before && m->generation > 1)
		collector_emit_state(c, m, STATE_IF_APPEARED, st->name, 0, 0, wall, 0, NULL);
	st->seen = m->generation;
	st->ifindex = row->ifindex;
	if (row->alias != NULL && (st->alias == NULL || strcmp(st->alias, row->alias) != 0)) {
		free(st->alias);
		st->alias = strdup(row->alias);
	}
	int8_t oper = (row->present & (1u << IF_COL_OPER)) ? (int8_t)row->val[IF_COL_OPER] : 0;
	if (oper != st->oper && st->oper != 0 && oper != 0)
		collector_emit_state(c, m, STATE_IF_OPER, st->name, st->oper, oper, wall, 0, NULL);
	st->oper = oper;
	st->admin = (row->present & (1u << IF_COL_ADMIN)) ? (int8_t)row->val[IF_COL_ADMIN] : 0;
	if (row->present & (1u << IF_COL_HIGH_SPEED) && row->val[IF_COL_HIGH_SPEED] > 0)
		st->speed_bps = (double)row->val[IF_COL_HIGH_SPEED] * 1e6;
	else if (row->present & (1u << IF_COL_SPEED))
		st->speed_bps = (double)row->val[IF_COL_SPEED];

	struct if_history *h = &st->hist;

	/* Is this sample comparable with the previous one? */
	double dt = 0;
	int gap = device_gap || h->prev_valid == 0;
	if (!gap) {
		double local_dt = row->local_t - h->prev_local;
		double interval = c->conf->interval_ms / 1000.0;
		if (!(local_dt > 0) || local_dt > 2.5 * interval) {
			gap = 1;
		} else if (row->have_ticks && h->prev_have_ticks) {
			enum counter_clock clk = counter_elapsed(h->prev_ticks, row->ticks,
								 local_dt, &dt);
			gap = clk == COUNTER_CLOCK_REBOOT || clk == COUNTER_CLOCK_SKEW;
		} else {
			dt = local_dt;
		}
	}
	if (row->present & (1u << IF_COL_DISC_TIME)) {
		uint32_t disc = (uint32_t)row->val[IF_COL_DISC_TIME];
		if (h->prev_valid && disc != h->prev_disc)
			gap = 1;
		h->prev_disc = disc;
	}

	double v[METRIC_IF_N];
	uint8_t valid = 0;
	for (int k = 0; k < IF_COUNTERS; k++) {
		v[k] = NAN;
		uint64_t cur;
		unsigned width;
		if (if_row_counter(row, (enum if_counter)k, &cur, &width) < 0)
			continue;
		if (!gap && (h->prev_valid & (1u << k))) {
			/* No counter moves faster than its link can carry. */
			double max = counter_rate_ceiling(st->speed_bps,
							  k < 2 ? COUNTER_OCTETS : COUNTER_PACKETS);
			double r;
			if (counter_rate(h->prev[k], cur, width, dt, max, &r) == 0)
				v[k] = k < 2 ? r * 8 : r;
		}
		h->prev[k] = cur;
		valid |= (uint8_t)(1u << k);
	}
	h->prev_valid = valid;
	h->prev_ticks = row->ticks;
	h->prev_have_ticks = (uint8_t)row->have_ticks;
	h->prev_local = row->local_t;

	v[IFV(METRIC_IF_UTIL_PCT)] = NAN;
	if (st->speed_bps > 0 && !isnan(v[IFV(METRIC_IF_IN_BPS)]) && !isnan(v[IFV(METRIC_IF_OUT_BPS)]))
		v[IFV(METRIC_IF_UTIL_PCT)] = fmax(v[IFV(METRIC_IF_IN_BPS)], v[IFV(METRIC_IF_OUT_BPS)]) /
					     st->speed_bps * 100;
	v[IFV(METRIC_IF_OPER)] = st->oper == 0 ? NAN : st->oper == 1 ? 1 : 0;
	for (int k = 0; k < METRIC_IF_N; k++)
		st->last[k] = (float)v[k];
	collector_emit_if(c, m, st, wall, v);
}

static void collector_if_gone(void *arg, struct model_device *m, struct model_if *st)
{
	log_info("%s: interface %s is gone", m->name, st->name);
	collector_emit_state(arg, m, STATE_IF_GONE, st->name, 0, 0, collector_wall(), 0, NULL);
}

/* ---- device results -------------------------------------------------- */

static void collector_set_reach(struct collector *c, struct collector_dev *d,
				enum dev_reach reach, double wall, const char *error)
{
	struct model_device *m = d->m;
	if (m->reach != reach) {
		double since = m->since;
		if (reach == DEV_DOWN) {
			log_warn("%s: down: %s", m->name, error ? error : "poll failed");
			/* The outage began no later than the failed poll did. */
			m->down_since = d->start_wall;
		} else if (m->reach == DEV_DOWN) {
			log_info("%s: up again after %.0f s (from the first failed poll to this one)",
				 m->name, wall - m->down_since);
			since = m->down_since;
		}
		collector_emit_state(c, m, STATE_DEVICE_REACH, NULL, m->reach, reach, wall,
				     since, error);
		m->reach = reach;
		m->since = wall;
		if (reach == DEV_UP)
			m->down_since = 0;
	}
	free(m->error);
	m->error = error ? strdup(error) : NULL;
}

static void collector_device_failed(struct collector *c, struct collector_dev *d,
				    const struct snmp_poll_result *res, double wall)
{
	struct model_device *m = d->m;
	c->stats.failures++;
	/* The transition is logged once; a device that stays down is quiet. */
	collector_set_reach(c, d, DEV_DOWN, wall, res->error ? res->error : "poll failed");
	m->rtt_s = NAN;
	/* A missed poll is unknown, never zero; and the next sample must not
	 * average across the outage. */
	model_device_forget_history(m);
	double v[METRIC_IF_N];
	for (int k = 0; k < METRIC_IF_N; k++)
		v[k] = NAN;
	for (size_t i = 0; i < m->n_ifs; i++)
		collector_emit_if(c, m, &m->ifs[i], wall, v);
	double dv[METRIC_DEVICE_N] = { 0, NAN, NAN };
	collector_emit_dev(c, m, wall, dv);
	profile_poll_failed(d->profile, m, c->sinks, wall);
}

static void collector_device_ok(struct collector *c, struct collector_dev *d,
				const struct snmp_poll_result *res, double wall)
{
	struct model_device *m = d->m;
	const struct if_walk *w = res->walk;
	int device_gap = 0;
	double now = collector_mono();

	if (res->have_uptime && m->have_uptime) {
		double dt;
		if (counter_elapsed(m->uptime_ticks, res->uptime_ticks,
				    now - m->prev_uptime_local, &dt) == COUNTER_CLOCK_REBOOT) {
			log_info("%s: agent restarted (sysUpTime went back)", m->name);
			device_gap = 1;
			collector_emit_state(c, m, STATE_DEVICE_REBOOT, NULL, 0, 0, wall, 0, NULL);
		}
	}
	m->have_uptime = res->have_uptime;
	m->uptime_ticks = res->uptime_ticks;
	m->prev_uptime_local = now;
	m->rtt_s = res->rtt_s;
	if (res->malformed > 0) {
		m->malformed += res->malformed;
		log_complain(&m->complain, (time_t)wall, LOG_WARNING,
			     "%s: %u malformed varbinds skipped (first: %s)", m->name,
			     res->malformed, res->malformed_what);
	} else {
		log_complain_clear(&m->complain, "%s: polling normally again", m->name);
	}
	collector_set_reach(c, d, DEV_UP, wall, NULL);

	m->generation++;
	size_t cursor = 0;
	for (size_t i = 0; i < w->n_rows; i++)
		collector_update_if(c, m, &w->rows[i], &cursor, device_gap, wall);
	model_device_prune_ifs(m, collector_if_gone, c);

	double dv[METRIC_DEVICE_N] = {
		1, res->rtt_s * 1000,
		res->have_uptime ? res->uptime_ticks / 100.0 : NAN,
	};
	collector_emit_dev(c, m, wall, dv);
	profile_poll_apply(d->profile, m, c->sinks, wall);
}

/* ---- scheduling ------------------------------------------------------ */

static void collector_arm_tick(struct collector_dev *d)
{
	double delay = d->next_tick - collector_mono();
	if (delay < 0)
		delay = 0;
	struct timeval tv = { (time_t)delay, (suseconds_t)((delay - (time_t)delay) * 1e6) };
	evtimer_add(d->ev_tick, &tv);
}

static void collector_finish_cycles(struct collector *c)
{
	for (size_t i = 0; i < c->n_devs; i++)
		evtimer_del(c->devs[i].ev_tick);
	event_base_loopexit(c->base, NULL);
}

static void collector_poll_done(void *arg, const struct snmp_poll_result *res)
{
	struct collector_dev *d = arg;
	struct collector *c = d->c;

	/* A poll cut short by a reload or a stop is no sample at all: not an
	 * outage, and not the moment to start another poll. */
	if (c->stopping)
		return;
	double wall = collector_wall();
	struct model_device *m = d->m;
	c->in_flight--;
	m->polls++;
	d->polls_run++;
	c->stats.polls++;
	m->last_poll = wall;
	if (res->status == 0)
		collector_device_ok(c, d, res, wall);
	else
		/* A failed poll is dated when it was sent: the device did not
		 * answer from then on, and the outage it opens (alerts, the
		 * SLA report) must not start a timeout late. */
		collector_device_failed(c, d, res, d->start_wall > 0 ? d->start_wall : wall);

	if (++c->completions % c->n_devs == 0 && c->round_start > 0) {
		c->stats.last_cycle_s = collector_mono() - c->round_start;
		c->round_start = 0;
	}
	if (c->cycles > 0 && d->polls_run == c->cycles) {
		evtimer_del(d->ev_tick);
		if (++c->devs_done == c->n_devs)
			collector_finish_cycles(c);
	}
	while (c->wq_len > 0 && c->in_flight < c->conf->max_in_flight) {
		struct collector_dev *next = &c->devs[c->waitq[c->wq_head]];
		c->wq_head = (c->wq_head + 1) % c->n_devs;
		c->wq_len--;
		next->queued = 0;
		collector_start_poll(next);
	}
}

static void collector_start_poll(struct collector_dev *d)
{
	struct collector *c = d->c;
	d->m->last_start = collector_mono();
	d->start_wall = collector_wall();
	if (c->round_start == 0)
		c->round_start = d->m->last_start;
	c->in_flight++;
	profile_poll_begin(d->profile);
	if (snmp_dev_poll(d->snmp) < 0)
		c->in_flight--;
}

static void collector_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct collector_dev *d = arg;
	struct collector *c = d->c;
	double interval = c->conf->interval_ms / 1000.0;

	d->next_tick += interval;
	/* After a long stall (suspend, debugger) skip turns instead of
	 * firing a burst to catch up. */
	double now = collector_mono();
	while (d->next_tick < now)
		d->next_tick += interval;
	collector_arm_tick(d);

	/* After a stall the late turn runs at once and the next one may follow
	 * a moment later; a rate over a fraction of a second is mostly the
	 * 10 ms tick of sysUpTime (±10 % over 0.1 s).  Keep the phase, skip
	 * the turn that comes too soon. */
	if (d->m->last_start > 0 && now - d->m->last_start < interval / 2)
		return;
	if (snmp_dev_busy(d->snmp) || d->queued) {
		d->m->overruns++;
		c->stats.overruns++;
		log_complain(&d->m->complain, (time_t)collector_wall(), LOG_WARNING,
			     "%s: previous poll still running at the next turn; skipped",
			     d->m->name);
		return;
	}
	if (c->in_flight < c->conf->max_in_flight) {
		collector_start_poll(d);
	} else {
		c->waitq[(c->wq_head + c->wq_len) % c->n_devs] = (size_t)(d - c->devs);
		c->wq_len++;
		d->queued = 1;
	}
}

/* ---- lifecycle ------------------------------------------------------- */

struct collector *collector_new(struct event_base *base, const struct serat_config *conf,
				struct sinks *sinks, unsigned cycles)
{
	struct collector *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->base = base;
	c->conf = conf;
	c->sinks = sinks;
	c->cycles = cycles;
	c->n_devs = conf->n_devices;
	c->devs = calloc(c->n_devs ? c->n_devs : 1, sizeof(*c->devs));
	c->waitq = calloc(c->n_devs ? c->n_devs : 1, sizeof(*c->waitq));
	if (c->devs == NULL || c->waitq == NULL)
		goto fail;
	for (size_t i = 0; i < c->n_devs; i++) {
		struct collector_dev *d = &c->devs[i];
		d->c = c;
		d->conf = &conf->devices[i];
		d->snmp = snmp_dev_new(base, d->conf, conf->bulk_max_varbinds,
				       collector_poll_done, d);
		d->ev_tick = evtimer_new(base, collector_on_tick, d);
		d->profile = profile_poll_new(conf, d->conf);
		if (d->snmp == NULL || d->ev_tick == NULL || d->profile == NULL)
			goto fail;
		struct snmp_extra_walk x;
		profile_poll_extra(d->profile, &x);
		snmp_dev_set_extra(d->snmp, &x);
	}
	return c;
fail:
	log_err("cannot set up the collector: out of memory");
	collector_free(c);
	return NULL;
}

void collector_attach(struct collector *c, struct model *model)
{
	for (size_t i = 0; i < c->n_devs && i < model->n_devices; i++)
		c->devs[i].m = model->devices[i];
}

int collector_start(struct collector *c)
{
	double interval = c->conf->interval_ms / 1000.0;
	double now = collector_mono();

	/* Spread the devices' turns evenly over the first `spread` of the
	 * interval (config.h says why not over all of it).  A device polled
	 * before a reload keeps its phase, so its next sample comes one
	 * interval after the last and yields a rate. */
	double spread = c->conf->spread_ms / 1000.0;
	for (size_t i = 0; i < c->n_devs; i++) {
		struct collector_dev *d = &c->devs[i];
		if (d->m == NULL)
			return -EINVAL;
		double resume = d->m->last_start + interval;
		if (d->m->last_start > 0 && resume >= now && resume < now + interval)
			d->next_tick = resume;
		else
			d->next_tick = now + spread * (double)i / (double)c->n_devs;
		collector_arm_tick(d);
	}
	if (c->n_devs == 0 && c->cycles > 0)
		event_base_loopexit(c->base, NULL);
	return 0;
}

void collector_get_stats(const struct collector *c, struct collector_stats *out)
{
	*out = c->stats;
}

void collector_free(struct collector *c)
{
	if (c == NULL)
		return;
	/* Net-SNMP may run a pending request's callback while a session
	 * closes; it must neither emit a sample nor start another device's
	 * poll on a session freed a moment ago. */
	c->stopping = 1;
	for (size_t i = 0; c->devs != NULL && i < c->n_devs; i++) {
		struct collector_dev *d = &c->devs[i];
		snmp_dev_free(d->snmp);
		d->snmp = NULL;
		profile_poll_free(d->profile);
		if (d->ev_tick)
			event_free(d->ev_tick);
	}
	free(c->devs);
	free(c->waitq);
	free(c);
}
