/*
 * collector.c — schedule polls, turn replies into rates, hand them to the
 * store.  See collector.h for the scheduling rules.
 *
 * Rates (DESIGN.md "Correct numbers"): for each interface row the time
 * since its previous sample comes from the agent's sysUpTime when usable
 * (counter_elapsed), and each counter's delta from counter_rate.  These make
 * a sample a gap (NAN, "U" in the RRD) instead of a number: the first sample
 * of an interface, an agent reboot, a changed ifCounterDiscontinuityTime, a
 * counter that went back, and a previous sample older than 2.5 intervals (a
 * rate averaged over an outage would smear it into one step).  A failed
 * poll writes "U" for the device's interfaces and 0 to its reachability.
 *
 * Interfaces are matched by name every poll, never by ifIndex: the rows of
 * a poll usually come in the order of the previous one, so matching is a
 * cursor check with a linear search only when the order changed.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "collector/collector.h"
#include "collector/counter.h"
#include "collector/snmp_poll.h"
#include "collector/status_write.h"

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

static void collector_poll_done(void *arg, const struct snmp_poll_result *res);
static void collector_start_poll(struct dev_state *d);

/* ---- interface state ------------------------------------------------- */

static struct if_state *collector_find_if(struct dev_state *d, const char *name,
					  size_t *cursor)
{
	if (*cursor < d->n_ifs && strcmp(d->ifs[*cursor].name, name) == 0)
		return &d->ifs[(*cursor)++];
	for (size_t i = 0; i < d->n_ifs; i++) {
		if (strcmp(d->ifs[i].name, name) == 0) {
			*cursor = i + 1;
			return &d->ifs[i];
		}
	}
	if (d->n_ifs == d->cap_ifs) {
		size_t cap = d->cap_ifs ? d->cap_ifs * 2 : 8;
		struct if_state *ifs = realloc(d->ifs, cap * sizeof(*ifs));
		if (ifs == NULL)
			return NULL;
		d->ifs = ifs;
		d->cap_ifs = cap;
	}
	struct if_state *st = &d->ifs[d->n_ifs];
	memset(st, 0, sizeof(*st));
	st->name = strdup(name);
	if (st->name == NULL)
		return NULL;
	for (size_t k = 0; k < IF_DS_COUNT; k++)
		st->last[k] = NAN;
	d->n_ifs++;
	*cursor = d->n_ifs;
	return st;
}

static void collector_if_free(struct if_state *st)
{
	free(st->name);
	free(st->alias);
}

/* Drop interfaces the last poll did not return (removed modules, renamed
 * ports).  Their RRD files stay on disk. */
static void collector_prune_ifs(struct dev_state *d)
{
	size_t j = 0;
	for (size_t i = 0; i < d->n_ifs; i++) {
		if (d->ifs[i].seen == d->generation) {
			if (i != j)
				d->ifs[j] = d->ifs[i];
			j++;
		} else {
			log_info("%s: interface %s is gone", d->conf->name, d->ifs[i].name);
			collector_if_free(&d->ifs[i]);
		}
	}
	d->n_ifs = j;
}

static void collector_store(struct collector *c, struct dev_state *d,
			    const struct if_state *st, double wall, const double *v)
{
	if (!c->store_writes)
		return;
	rrd_store_update(c->store, RRD_KIND_INTERFACE, d->conf->name, st->name, wall, v);
}

/* One row of a successful poll into rates.  DEVICE_GAP is set when the
 * whole device restarted. */
static void collector_update_if(struct collector *c, struct dev_state *d,
				const struct if_row *row, size_t *cursor, int device_gap,
				double wall)
{
	const char *name = row->name != NULL && row->name[0] != '\0' ? row->name : row->descr;
	if (name == NULL || name[0] == '\0' || !device_watches_interface(d->conf, name))
		return;
	struct if_state *st = collector_find_if(d, name, cursor);
	if (st == NULL)
		return;
	st->seen = d->generation;
	st->ifindex = row->ifindex;
	if (row->alias != NULL && (st->alias == NULL || strcmp(st->alias, row->alias) != 0)) {
		free(st->alias);
		st->alias = strdup(row->alias);
	}
	st->oper = (row->present & (1u << IF_COL_OPER)) ? (int8_t)row->val[IF_COL_OPER] : 0;
	st->admin = (row->present & (1u << IF_COL_ADMIN)) ? (int8_t)row->val[IF_COL_ADMIN] : 0;
	if (row->present & (1u << IF_COL_HIGH_SPEED) && row->val[IF_COL_HIGH_SPEED] > 0)
		st->speed_bps = (double)row->val[IF_COL_HIGH_SPEED] * 1e6;
	else if (row->present & (1u << IF_COL_SPEED))
		st->speed_bps = (double)row->val[IF_COL_SPEED];

	/* Is this sample comparable with the previous one? */
	double dt = 0;
	int gap = device_gap || st->prev_valid == 0;
	if (!gap) {
		double local_dt = row->local_t - st->prev_local;
		double interval = c->conf->interval_ms / 1000.0;
		if (!(local_dt > 0) || local_dt > 2.5 * interval) {
			gap = 1;
		} else if (row->have_ticks && st->prev_have_ticks) {
			enum counter_clock clk = counter_elapsed(st->prev_ticks, row->ticks,
								 local_dt, &dt);
			gap = clk == COUNTER_CLOCK_REBOOT || clk == COUNTER_CLOCK_SKEW;
		} else {
			dt = local_dt;
		}
	}
	if (row->present & (1u << IF_COL_DISC_TIME)) {
		uint32_t disc = (uint32_t)row->val[IF_COL_DISC_TIME];
		if (st->prev_valid && disc != st->prev_disc)
			gap = 1;
		st->prev_disc = disc;
	}

	double v[IF_DS_COUNT];
	uint8_t valid = 0;
	for (int k = 0; k < IF_COUNTERS; k++) {
		v[k] = NAN;
		uint64_t cur;
		unsigned width;
		if (if_row_counter(row, (enum if_counter)k, &cur, &width) < 0)
			continue;
		if (!gap && (st->prev_valid & (1u << k))) {
			/* No counter moves faster than its link can carry. */
			double max = counter_rate_ceiling(st->speed_bps,
							  k < 2 ? COUNTER_OCTETS : COUNTER_PACKETS);
			double r;
			if (counter_rate(st->prev[k], cur, width, dt, max, &r) == 0)
				v[k] = k < 2 ? r * 8 : r;
		}
		st->prev[k] = cur;
		valid |= (uint8_t)(1u << k);
	}
	st->prev_valid = valid;
	st->prev_ticks = row->ticks;
	st->prev_have_ticks = (uint8_t)row->have_ticks;
	st->prev_local = row->local_t;

	v[IF_DS_UTIL] = NAN;
	if (st->speed_bps > 0 && !isnan(v[IF_DS_IN_BPS]) && !isnan(v[IF_DS_OUT_BPS]))
		v[IF_DS_UTIL] = fmax(v[IF_DS_IN_BPS], v[IF_DS_OUT_BPS]) / st->speed_bps * 100;
	v[IF_DS_OPER] = st->oper == 0 ? NAN : st->oper == 1 ? 1 : 0;
	for (int k = 0; k < IF_DS_COUNT; k++)
		st->last[k] = (float)v[k];
	collector_store(c, d, st, wall, v);
}

/* ---- device results -------------------------------------------------- */

static void collector_set_reach(struct dev_state *d, enum dev_reach reach, double wall,
				const char *error)
{
	if (d->reach != reach) {
		if (reach == DEV_DOWN)
			log_warn("%s: down: %s", d->conf->name, error ? error : "poll failed");
		else if (d->reach == DEV_DOWN)
			log_info("%s: up again after %.0f s", d->conf->name, wall - d->since);
		d->reach = reach;
		d->since = wall;
	}
	free(d->error);
	d->error = error ? strdup(error) : NULL;
}

static void collector_device_failed(struct collector *c, struct dev_state *d,
				    const struct snmp_poll_result *res, double wall)
{
	/* The transition is logged once; a device that stays down is quiet. */
	collector_set_reach(d, DEV_DOWN, wall, res->error ? res->error : "poll failed");
	/* A missed poll is unknown, never zero; and the next sample must not
	 * average across the outage. */
	double v[IF_DS_COUNT];
	for (int k = 0; k < IF_DS_COUNT; k++)
		v[k] = NAN;
	for (size_t i = 0; i < d->n_ifs; i++) {
		d->ifs[i].prev_valid = 0;
		for (int k = 0; k < IF_DS_COUNT; k++)
			d->ifs[i].last[k] = NAN;
		collector_store(c, d, &d->ifs[i], wall, v);
	}
	if (c->store_writes) {
		double dv[DEV_DS_COUNT] = { 0, NAN, NAN };
		rrd_store_update(c->store, RRD_KIND_DEVICE, d->conf->name, NULL, wall, dv);
	}
}

static void collector_device_ok(struct collector *c, struct dev_state *d,
				const struct snmp_poll_result *res, double wall)
{
	const struct if_walk *w = res->walk;
	int device_gap = 0;
	double now = collector_mono();

	if (res->have_uptime && d->have_uptime) {
		double dt;
		if (counter_elapsed(d->uptime_ticks, res->uptime_ticks,
				    now - d->prev_uptime_local, &dt) == COUNTER_CLOCK_REBOOT) {
			log_info("%s: agent restarted (sysUpTime went back)", d->conf->name);
			device_gap = 1;
		}
	}
	d->have_uptime = res->have_uptime;
	d->uptime_ticks = res->uptime_ticks;
	d->prev_uptime_local = now;
	d->rtt_s = res->rtt_s;
	if (res->malformed > 0) {
		d->malformed += res->malformed;
		log_complain(&d->complain, (time_t)wall, LOG_WARNING,
			     "%s: %u malformed varbinds skipped (first: %s)", d->conf->name,
			     res->malformed, res->malformed_what);
	} else {
		log_complain_clear(&d->complain, "%s: polling normally again", d->conf->name);
	}
	collector_set_reach(d, DEV_UP, wall, NULL);

	d->generation++;
	size_t cursor = 0;
	for (size_t i = 0; i < w->n_rows; i++)
		collector_update_if(c, d, &w->rows[i], &cursor, device_gap, wall);
	collector_prune_ifs(d);

	if (c->store_writes) {
		double dv[DEV_DS_COUNT] = {
			1, res->rtt_s,
			res->have_uptime ? res->uptime_ticks / 100.0 : NAN,
		};
		rrd_store_update(c->store, RRD_KIND_DEVICE, d->conf->name, NULL, wall, dv);
	}
}

/* ---- scheduling ------------------------------------------------------ */

static void collector_arm_tick(struct dev_state *d)
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
	struct dev_state *d = arg;
	struct collector *c = d->c;
	double wall = collector_wall();

	c->in_flight--;
	d->polls++;
	d->last_poll = wall;
	if (res->status == 0)
		collector_device_ok(c, d, res, wall);
	else
		collector_device_failed(c, d, res, wall);

	if (c->cycles > 0 && d->polls == c->cycles) {
		evtimer_del(d->ev_tick);
		if (++c->devs_done == c->n_devs)
			collector_finish_cycles(c);
	}
	while (c->wq_len > 0 && c->in_flight < c->conf->max_in_flight) {
		struct dev_state *next = &c->devs[c->waitq[c->wq_head]];
		c->wq_head = (c->wq_head + 1) % c->n_devs;
		c->wq_len--;
		next->queued = 0;
		collector_start_poll(next);
	}
}

static void collector_start_poll(struct dev_state *d)
{
	d->last_start = collector_mono();
	d->c->in_flight++;
	if (snmp_dev_poll(d->snmp) < 0)
		d->c->in_flight--;
}

static void collector_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct dev_state *d = arg;
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
	if (d->last_start > 0 && now - d->last_start < interval / 2)
		return;
	if (snmp_dev_busy(d->snmp) || d->queued) {
		d->overruns++;
		log_complain(&d->complain, (time_t)collector_wall(), LOG_WARNING,
			     "%s: previous poll still running at the next turn; skipped",
			     d->conf->name);
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

static void collector_on_status(evutil_socket_t fd, short what, void *arg)
{
	collector_write_status(arg);
}

/* ---- lifecycle ------------------------------------------------------- */

struct collector *collector_new(struct event_base *base, struct serat_config *conf,
				unsigned cycles)
{
	struct collector *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		config_free(conf);
		return NULL;
	}
	c->base = base;
	c->conf = conf;
	c->cycles = cycles;
	c->store_writes = 1;
	c->n_devs = conf->n_devices;
	c->devs = calloc(c->n_devs ? c->n_devs : 1, sizeof(*c->devs));
	c->waitq = calloc(c->n_devs ? c->n_devs : 1, sizeof(*c->waitq));
	if (c->devs == NULL || c->waitq == NULL)
		goto fail;

	struct rrd_store_opts so = {
		.data_dir = conf->data_dir,
		.rrdcached = conf->rrdcached,
		.step_s = conf->interval_ms / 1000 ? conf->interval_ms / 1000 : 1,
		.rras = conf->rras,
		.n_rras = conf->n_rras,
	};
	c->store = rrd_store_new(&so);
	if (c->store == NULL)
		goto fail;

	for (size_t i = 0; i < c->n_devs; i++) {
		struct dev_state *d = &c->devs[i];
		d->c = c;
		d->conf = &conf->devices[i];
		d->reach = DEV_UNKNOWN;
		d->snmp = snmp_dev_new(base, d->conf, conf->bulk_max_varbinds,
				       collector_poll_done, d);
		d->ev_tick = evtimer_new(base, collector_on_tick, d);
		if (d->snmp == NULL || d->ev_tick == NULL)
			goto fail;
	}
	c->ev_status = event_new(base, -1, EV_PERSIST, collector_on_status, c);
	if (c->ev_status == NULL)
		goto fail;
	return c;
fail:
	log_err("cannot set up the collector: out of memory or RRD store failure");
	collector_free(c);
	return NULL;
}

int collector_start(struct collector *c)
{
	double interval = c->conf->interval_ms / 1000.0;
	double now = collector_mono();

	/* Spread the devices' turns evenly over the first `spread` of the
	 * interval (config.h says why not over all of it). */
	double spread = c->conf->spread_ms / 1000.0;
	for (size_t i = 0; i < c->n_devs; i++) {
		struct dev_state *d = &c->devs[i];
		d->next_tick = now + spread * (double)i / (double)c->n_devs;
		collector_arm_tick(d);
	}
	struct timeval tv = { (time_t)interval, (suseconds_t)((interval - (time_t)interval) * 1e6) };
	event_add(c->ev_status, &tv);
	if (c->n_devs == 0 && c->cycles > 0)
		event_base_loopexit(c->base, NULL);
	return 0;
}

void collector_set_store_writes(struct collector *c, int on)
{
	c->store_writes = on;
}

int collector_write_status(struct collector *c)
{
	return status_write(c);
}

void collector_free(struct collector *c)
{
	if (c == NULL)
		return;
	if (c->store != NULL && c->devs != NULL) {
		/* Readers of status.json may open the RRD files right away
		 * (`seratd --cycles N && serat status`): write them first. */
		rrd_store_flush(c->store);
		collector_write_status(c);
	}
	for (size_t i = 0; c->devs != NULL && i < c->n_devs; i++) {
		struct dev_state *d = &c->devs[i];
		snmp_dev_free(d->snmp);
		if (d->ev_tick)
			event_free(d->ev_tick);
		for (size_t k = 0; k < d->n_ifs; k++)
			collector_if_free(&d->ifs[k]);
		free(d->ifs);
		free(d->error);
	}
	if (c->ev_status)
		event_free(c->ev_status);
	rrd_store_free(c->store);
	free(c->devs);
	free(c->waitq);
	config_free(c->conf);
	free(c);
}
