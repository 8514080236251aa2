/*
 * probe_engine.c — decode → flow table → sites → interval figures.
 *
 * The per-packet cost is one decode, one hash lookup and a few counter
 * increments per site: the site of a flow's two ends is looked up in the
 * trie once, when the flow is created, and cached in the flow entry.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probes/flow_table.h"
#include "probes/pkt_decode.h"
#include "probes/probe_engine.h"
#include "probes/site_map.h"

struct probe_site {
	char *name;
	struct probe_site_stats st;   /* the interval in progress */
};

struct probe_engine {
	unsigned interval_s;
	int64_t interval_ns;
	enum pkt_link link;
	struct flow_table *ft;
	struct site_map *map;
	struct probe_site *site;      /* n_sites, the fallback last */
	size_t n_sites;
	probe_emit_fn emit;
	void *arg;
	int started, dirty;
	int64_t start_ns;             /* current interval */
	uint64_t iv_decode_errors, decode_errors;
	struct probe_site_stats total;
};

static char *probe_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

/* Append a site named NAME; it becomes the fallback until another follows. */
static int probe_site_append(struct probe_engine *e, const char *name)
{
	struct probe_site *ns = realloc(e->site, (e->n_sites + 1) * sizeof(*ns));
	if (ns == NULL)
		return -ENOMEM;
	e->site = ns;
	memset(&ns[e->n_sites], 0, sizeof(*ns));
	ns[e->n_sites].name = probe_strdup(name);
	if (ns[e->n_sites].name == NULL)
		return -ENOMEM;
	return (int)e->n_sites++;
}

struct probe_engine *probe_engine_new(unsigned interval_s, size_t flow_mem_bytes,
				      probe_emit_fn emit, void *arg)
{
	struct probe_engine *e;

	if (interval_s == 0) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->interval_s = interval_s;
	e->interval_ns = (int64_t)interval_s * 1000000000LL;
	e->emit = emit;
	e->arg = arg;
	e->link = PKT_LINK_ETHERNET;
	e->ft = flow_table_new(flow_mem_bytes);
	e->map = site_map_new();
	if (e->ft == NULL || e->map == NULL || probe_site_append(e, "all") < 0) {
		int err = e->ft == NULL ? errno : ENOMEM;
		probe_engine_free(e);
		errno = err;
		return NULL;
	}
	return e;
}

void probe_engine_free(struct probe_engine *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->n_sites; i++) {
		free(e->site[i].name);
		probe_site_stats_cleanup(&e->site[i].st);
	}
	free(e->site);
	probe_site_stats_cleanup(&e->total);
	flow_table_free(e->ft);
	site_map_free(e->map);
	free(e);
}

int probe_engine_add_site(struct probe_engine *e, const char *name,
			  const struct cidr *nets, size_t n_nets)
{
	struct probe_site *fb;
	char *other;
	int idx, rc;

	if (e->started)
		return -EBUSY;
	if (e->n_sites >= INT16_MAX)      /* flow entries cache sites as int16 */
		return -ENOSPC;
	/* The fallback stays last: insert before it, and it is "other" now. */
	other = probe_strdup("other");
	if (other == NULL)
		return -ENOMEM;
	if ((idx = probe_site_append(e, name)) < 0) {
		free(other);
		return idx;
	}
	fb = &e->site[idx - 1];
	free(fb->name);
	fb->name = e->site[idx].name;   /* swap: new site at idx - 1 */
	e->site[idx].name = other;
	idx--;
	for (size_t i = 0; i < n_nets; i++)
		if ((rc = site_map_add(e->map, &nets[i], idx)) < 0)
			return rc;
	return idx;
}

int probe_engine_set_dlt(struct probe_engine *e, int dlt)
{
	enum pkt_link l = pkt_link_from_dlt(dlt);
	if (l == PKT_LINK_UNSUPPORTED)
		return -EPROTONOSUPPORT;
	e->link = l;
	return 0;
}

static void probe_close_interval(struct probe_engine *e)
{
	if (e->emit)
		e->emit(e->arg, e, e->start_ns);
	for (size_t i = 0; i < e->n_sites; i++)
		probe_site_stats_reset(&e->site[i].st);
	e->iv_decode_errors = 0;
	e->dirty = 0;
}

static int64_t probe_align(const struct probe_engine *e, int64_t ts)
{
	int64_t r = ts % e->interval_ns;
	return ts - (r < 0 ? r + e->interval_ns : r);
}

void probe_engine_advance(struct probe_engine *e, int64_t now_ns)
{
	if (!e->started) {
		e->started = 1;
		e->start_ns = probe_align(e, now_ns);
		return;
	}
	if (now_ns - e->start_ns < e->interval_ns)
		return;   /* also a clock that went backwards: stay */
	probe_close_interval(e);
	e->start_ns = probe_align(e, now_ns);
}

/* Count the packet and what its flow found in one site's figures. */
static void probe_account(struct probe_site_stats *s, size_t wirelen,
			  const struct flow_event *ev)
{
	double rtt_ms = (double)ev->rtt_ns / 1e6;

	s->packets++;
	s->bytes += wirelen;
	if (ev->ev == 0)
		return;
	if (ev->ev & FLOW_EV_DATA_SEGMENT)
		s->tcp_segments++;
	if (ev->ev & FLOW_EV_RETRANS)
		s->tcp_retransmissions++;
	if (ev->ev & FLOW_EV_ZERO_WINDOW)
		s->tcp_zero_windows++;
	if (ev->ev & FLOW_EV_HANDSHAKE)
		(void)probe_samples_add(&s->handshake_rtt, rtt_ms);
	if (ev->ev & FLOW_EV_ECHO_REQUEST)
		s->icmp_echo_requests++;
	if (ev->ev & FLOW_EV_ECHO_REPLY)
		s->icmp_echo_replies++;
	if (ev->ev & FLOW_EV_ECHO_ANSWERED) {
		s->icmp_echo_answered++;
		(void)probe_samples_add(&s->icmp_rtt, rtt_ms);
	}
}

static int probe_site_of(const struct probe_engine *e, int version, const uint8_t *a)
{
	int s = site_map_count(e->map) ? site_map_lookup(e->map, version, a) : -1;
	return s >= 0 ? s : (int)e->n_sites - 1;
}

void probe_engine_packet(struct probe_engine *e, const uint8_t *data, size_t caplen,
			 size_t wirelen, int64_t ts_ns)
{
	struct pkt_info pi;
	struct flow_event ev;
	int rc, s0, s1;

	probe_engine_advance(e, ts_ns);
	e->dirty = 1;
	if (wirelen < caplen)
		wirelen = caplen;
	rc = pkt_decode(e->link, data, caplen, wirelen, &pi);
	memset(&ev, 0, sizeof(ev));
	if (rc != PKT_OK) {
		if (rc < 0) {
			e->decode_errors++;
			e->iv_decode_errors++;
		}
		s0 = s1 = (int)e->n_sites - 1;
	} else {
		flow_table_packet(e->ft, &pi, ts_ns, &ev);
		if (ev.entry != NULL) {
			struct flow_entry *x = ev.entry;
			if (ev.created) {
				x->site[0] = (int16_t)probe_site_of(e, pi.ip_version, x->key.a);
				x->site[1] = (int16_t)probe_site_of(e, pi.ip_version, x->key.b);
			}
			s0 = x->site[0];
			s1 = x->site[1];
		} else {
			s0 = probe_site_of(e, pi.ip_version, pi.src);
			s1 = probe_site_of(e, pi.ip_version, pi.dst);
		}
	}
	probe_account(&e->site[s0].st, wirelen, &ev);
	if (s1 != s0)
		probe_account(&e->site[s1].st, wirelen, &ev);
	probe_account(&e->total, wirelen, &ev);
}

void probe_engine_finish(struct probe_engine *e)
{
	if (e->started && e->dirty)
		probe_close_interval(e);
}

size_t probe_engine_n_sites(const struct probe_engine *e) { return e->n_sites; }
unsigned probe_engine_interval_s(const struct probe_engine *e) { return e->interval_s; }

const char *probe_engine_site_name(const struct probe_engine *e, size_t i)
{
	return i < e->n_sites ? e->site[i].name : NULL;
}

void probe_engine_site_summary(struct probe_engine *e, size_t i, struct probe_summary *out)
{
	probe_stats_summarise(&e->site[i].st, out);
}

uint64_t probe_engine_interval_decode_errors(const struct probe_engine *e)
{
	return e->iv_decode_errors;
}

void probe_engine_total(struct probe_engine *e, struct probe_summary *out)
{
	probe_stats_summarise(&e->total, out);
}

uint64_t probe_engine_decode_errors(const struct probe_engine *e) { return e->decode_errors; }
uint64_t probe_engine_flow_evictions(const struct probe_engine *e)
{
	return flow_table_evictions(e->ft);
}
size_t probe_engine_flow_bytes(const struct probe_engine *e) { return flow_table_bytes(e->ft); }
