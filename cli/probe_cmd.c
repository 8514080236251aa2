/*
 * probe_cmd.c — `serat probe`: offline analysis of a capture file.
 * See probe_cmd.h.
 *
 * The JSON is streamed with common/json_out as the engine closes each
 * interval, so a long capture's output never sits in memory as a tree.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/probe_cmd.h"
#include "cli/serat_cmd.h"
#include "common/cidr.h"
#include "common/config.h"
#include "common/json_out.h"
#include "probes/probe_engine.h"

#define PROBE_DEFAULT_INTERVAL_S 60
#define PROBE_DEFAULT_FLOW_MB 64
#define PROBE_CONFIG_ERR_LEN (64 * 1024)

struct probe_out {
	FILE *f;
	int json;
	unsigned n_intervals;
};

static void probe_usage(FILE *out)
{
	fprintf(out, "usage: serat probe --read CAPTURE [--config FILE] [--interval S]\n"
		     "                   [--flow-memory MB] [--json]\n");
}

struct probe_jfield {
	const char *key;
	double v;                 /* NaN prints as null */
};

/* "k":v,"k":v ... for N fields (no braces, no trailing comma). */
static void probe_json_fields(FILE *f, const struct probe_jfield *fl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_out_key(f, fl[i].key);
		json_out_num(f, fl[i].v);
	}
}

/* "KEY":{fields} */
static void probe_json_obj(FILE *f, const char *key, const struct probe_jfield *fl, size_t n)
{
	json_out_key(f, key);
	fputc('{', f);
	probe_json_fields(f, fl, n);
	fputc('}', f);
}

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* The figures every site and the total share, comma-separated, no braces. */
static void probe_json_common(FILE *f, const struct probe_summary *s)
{
	const struct probe_jfield head[] = {
		{ "packets", (double)s->packets }, { "bytes", (double)s->bytes },
		{ "tcp_handshakes", (double)s->tcp_handshakes },
	};
	const struct probe_jfield hs[] = {
		{ "median", s->tcp_handshake_rtt_median_ms }, { "p95", s->tcp_handshake_rtt_p95_ms },
	};
	const struct probe_jfield mid[] = {
		{ "tcp_retransmissions", (double)s->tcp_retransmissions },
		{ "icmp_echo_requests", (double)s->icmp_echo_requests },
		{ "icmp_echo_replies", (double)s->icmp_echo_replies },
		{ "icmp_loss_pct", s->icmp_loss_pct },
	};
	const struct probe_jfield icmp[] = {
		{ "min", s->icmp_rtt_min_ms }, { "median", s->icmp_rtt_median_ms },
		{ "max", s->icmp_rtt_max_ms },
	};

	probe_json_fields(f, head, NFIELDS(head));
	fputc(',', f);
	probe_json_obj(f, "tcp_handshake_rtt_ms", hs, NFIELDS(hs));
	fputc(',', f);
	probe_json_fields(f, mid, NFIELDS(mid));
	fputc(',', f);
	probe_json_obj(f, "icmp_rtt_ms", icmp, NFIELDS(icmp));
}

static void probe_text_line(FILE *f, const char *label, const struct probe_summary *s)
{
	fprintf(f, "%-24s pkts %-9llu bytes %-12llu hs %-6llu hs_rtt_ms %.3f/%.3f "
		   "retrans %llu (%.2f%%) zwin %llu echo %llu/%llu loss %.1f%% rtt_ms %.3f/%.3f/%.3f\n",
		label, (unsigned long long)s->packets, (unsigned long long)s->bytes,
		(unsigned long long)s->tcp_handshakes, s->tcp_handshake_rtt_median_ms,
		s->tcp_handshake_rtt_p95_ms, (unsigned long long)s->tcp_retransmissions,
		s->tcp_retrans_pct, (unsigned long long)s->tcp_zero_windows,
		(unsigned long long)s->icmp_echo_replies, (unsigned long long)s->icmp_echo_requests,
		s->icmp_loss_pct, s->icmp_rtt_min_ms, s->icmp_rtt_median_ms, s->icmp_rtt_max_ms);
}

/* The engine closed an interval: print its sites that saw packets. */
static void probe_emit(void *arg, struct probe_engine *e, int64_t start_ns)
{
	struct probe_out *o = arg;
	FILE *f = o->f;
	struct probe_summary s;
	int first = 1;
	long long start_s = (long long)(start_ns / 1000000000LL);

	if (!o->json) {
		fprintf(f, "interval %lld +%us decode_errors %llu\n", start_s,
			probe_engine_interval_s(e),
			(unsigned long long)probe_engine_interval_decode_errors(e));
		for (size_t i = 0; i < probe_engine_n_sites(e); i++) {
			probe_engine_site_summary(e, i, &s);
			if (s.packets)
				probe_text_line(f, probe_engine_site_name(e, i), &s);
		}
		o->n_intervals++;
		return;
	}
	const struct probe_jfield iv[] = {
		{ "start", (double)start_s }, { "seconds", probe_engine_interval_s(e) },
		{ "decode_errors", (double)probe_engine_interval_decode_errors(e) },
	};
	if (o->n_intervals++)
		fputc(',', f);
	fputs("\n{", f);
	probe_json_fields(f, iv, NFIELDS(iv));
	fputc(',', f);
	json_out_key(f, "sites");
	fputc('{', f);
	for (size_t i = 0; i < probe_engine_n_sites(e); i++) {
		probe_engine_site_summary(e, i, &s);
		if (s.packets == 0)
			continue;
		if (!first)
			fputc(',', f);
		first = 0;
		json_out_key(f, probe_engine_site_name(e, i));   /* config names are plain */
		fputc('{', f);
		const struct probe_jfield extra[] = {
			{ "tcp_segments", (double)s.tcp_segments },
			{ "tcp_retrans_pct", s.tcp_retrans_pct },
			{ "tcp_zero_windows", (double)s.tcp_zero_windows },
		};
		probe_json_common(f, &s);
		fputc(',', f);
		probe_json_fields(f, extra, NFIELDS(extra));
		fputc('}', f);
	}
	fputs("}}", f);
}

/* Sites with subnets from CONFIG into the engine.  Returns 0, or -1 after
 * printing why. */
static int probe_load_sites(struct probe_engine *e, const char *path)
{
	char *err = malloc(PROBE_CONFIG_ERR_LEN);
	struct serat_config *conf;
	int rc = 0;

	if (err == NULL) {
		fprintf(stderr, "serat probe: out of memory\n");
		return -1;
	}
	conf = config_load(path, err, PROBE_CONFIG_ERR_LEN);
	if (conf == NULL) {
		fputs(err, stderr);
		free(err);
		return -1;
	}
	free(err);
	for (size_t i = 0; i < conf->n_sites && rc == 0; i++) {
		const struct site_conf *sc = &conf->sites[i];
		struct cidr *nets;
		const char *why;
		int r = 0;

		if (sc->n_subnets == 0)
			continue;
		nets = calloc(sc->n_subnets, sizeof(*nets));
		if (nets == NULL) {
			rc = -1;
			break;
		}
		for (size_t j = 0; j < sc->n_subnets && r == 0; j++)
			r = cidr_parse(sc->subnets[j], &nets[j], &why);
		if (r == 0)
			r = probe_engine_add_site(e, sc->name, nets, sc->n_subnets);
		if (r < 0) {
			fprintf(stderr, "serat probe: %s: site '%s': %s\n", path, sc->name,
				r == -EEXIST ? "a subnet also belongs to another site" : strerror(-r));
			rc = -1;
		}
		free(nets);
	}
	config_free(conf);
	return rc;
}

static int probe_parse_uint(const char *s, unsigned long min, unsigned long max,
			    unsigned long *out)
{
	char *end;
	unsigned long v;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Read every packet of P into E.  Returns 1 when the file was cut short
 * (after a warning), 0 at its end. */
static int probe_read_all(pcap_t *p, struct probe_engine *e, const char *path,
			  uint64_t *n_read)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		/* Opened with nanosecond precision: tv_usec holds ns. */
		int64_t ts = (int64_t)h->ts.tv_sec * 1000000000LL + h->ts.tv_usec;
		probe_engine_packet(e, data, h->caplen, h->len, ts);
		(*n_read)++;
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "serat probe: warning: %s: capture cut short after %llu packets "
				"(%s); the figures cover the packets read\n",
			path, (unsigned long long)*n_read, pcap_geterr(p));
		return 1;
	}
	return 0;
}

int probe_cmd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "flow-memory", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *read_path = NULL, *config_path = NULL;
	unsigned long interval = PROBE_DEFAULT_INTERVAL_S, flow_mb = PROBE_DEFAULT_FLOW_MB;
	struct probe_out out = { stdout, 0, 0 };
	char errbuf[PCAP_ERRBUF_SIZE];
	struct probe_engine *e;
	struct probe_summary tot;
	uint64_t n_read = 0;
	pcap_t *p;
	int c, truncated;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+r:c:i:m:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': read_path = optarg; break;
		case 'c': config_path = optarg; break;
		case 'j': out.json = 1; break;
		case 'i':
			if (probe_parse_uint(optarg, 1, 86400, &interval) < 0) {
				fprintf(stderr, "serat probe: --interval must be 1 to 86400 seconds\n");
				return SERAT_EXIT_USAGE;
			}
			break;
		case 'm':
			if (probe_parse_uint(optarg, 1, 1 << 20, &flow_mb) < 0) {
				fprintf(stderr, "serat probe: --flow-memory must be 1 to 1048576 MB\n");
				return SERAT_EXIT_USAGE;
			}
			break;
		case 'h':
			probe_usage(stdout);
			return SERAT_EXIT_OK;
		default:
			probe_usage(stderr);
			return SERAT_EXIT_USAGE;
		}
	}
	if (read_path == NULL || optind != argc) {
		probe_usage(stderr);
		return SERAT_EXIT_USAGE;
	}
	e = probe_engine_new((unsigned)interval, (size_t)flow_mb << 20, probe_emit, &out);
	if (e == NULL) {
		fprintf(stderr, "serat probe: %s\n", strerror(errno));
		return SERAT_EXIT_FAIL;
	}
	if (config_path != NULL && probe_load_sites(e, config_path) < 0) {
		probe_engine_free(e);
		return SERAT_EXIT_FAIL;
	}
	p = pcap_open_offline_with_tstamp_precision(read_path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fprintf(stderr, "serat probe: %s: %s\n", read_path, errbuf);
		probe_engine_free(e);
		return SERAT_EXIT_FAIL;
	}
	if (probe_engine_set_dlt(e, pcap_datalink(p)) < 0) {
		fprintf(stderr, "serat probe: %s: link type %s is not supported "
				"(Ethernet, raw IP and Linux cooked captures are)\n",
			read_path, pcap_datalink_val_to_name(pcap_datalink(p)) ?
			pcap_datalink_val_to_name(pcap_datalink(p)) : "unknown");
		pcap_close(p);
		probe_engine_free(e);
		return SERAT_EXIT_FAIL;
	}
	if (out.json) {
		fputc('{', stdout);
		json_out_key(stdout, "file");
		json_out_str(stdout, read_path);
		fputc(',', stdout);
		json_out_key(stdout, "interval_s");
		json_out_num(stdout, (double)interval);
		fputc(',', stdout);
		json_out_key(stdout, "intervals");
		fputc('[', stdout);
	}
	truncated = probe_read_all(p, e, read_path, &n_read);
	pcap_close(p);
	probe_engine_finish(e);
	probe_engine_total(e, &tot);
	if (out.json) {
		fputs("\n],", stdout);
		json_out_key(stdout, "truncated");
		fputs(truncated ? "true," : "false,", stdout);
		json_out_key(stdout, "flow_evictions");
		json_out_num(stdout, (double)probe_engine_flow_evictions(e));
		fputc(',', stdout);
		json_out_key(stdout, "total");
		fputc('{', stdout);
		json_out_key(stdout, "decode_errors");
		json_out_num(stdout, (double)probe_engine_decode_errors(e));
		fputc(',', stdout);
		probe_json_common(stdout, &tot);
		fputs("}}\n", stdout);
	} else {
		probe_text_line(stdout, "total", &tot);
		printf("decode_errors %llu flow_evictions %llu%s\n",
		       (unsigned long long)probe_engine_decode_errors(e),
		       (unsigned long long)probe_engine_flow_evictions(e),
		       truncated ? " (capture cut short)" : "");
	}
	probe_engine_free(e);
	return fflush(stdout) == 0 ? SERAT_EXIT_OK : SERAT_EXIT_FAIL;
}
