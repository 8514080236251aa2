/*
 * serat_probe.c — `serat-probe`: the passive probe's capture process.
 *
 *   serat-probe --interface IF [--filter BPF] [--interval S] [--user NAME]
 *               [--fd N] [--flow-memory MB] [--buffer MB] [--intervals N]
 *               [--site CIDR[,CIDR...]]...
 *
 * seratd starts it (fork + exec, one end of a socketpair as --fd) with
 * what it needs and nothing else: no config file, no secrets.  Each
 * --site is one site, in order; SITE messages name site i by its index,
 * and index N (after the last --site) is the site of every other address.
 * See pcap_child.h for what it does and probe_msg.h for what it sends.
 * Exit status: 0 clean stop, 1 failure (logged on stderr), 2 usage error.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cidr.h"
#include "common/log.h"
#include "probes/pcap_child.h"

#define PROBE_MAX_SITES 4096
#define PROBE_MAX_NETS 256

static void serat_probe_usage(FILE *f)
{
	fprintf(f, "usage: serat-probe --interface IF [--filter BPF] [--interval S] [--user NAME]\n"
		   "                   [--fd N] [--flow-memory MB] [--buffer MB] [--intervals N]\n"
		   "                   [--site CIDR[,CIDR...]]...\n");
}

static int serat_probe_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	*out = strtoul(s, &end, 10);
	return *end == '\0' && *out <= max ? 0 : -1;
}

/* "CIDR,CIDR" into a new site; returns 0 or -1 after a message. */
static int serat_probe_site(const char *arg, struct pcap_child_site *site)
{
	struct cidr *nets = calloc(PROBE_MAX_NETS, sizeof(*nets));
	char *copy = strdup(arg), *save = NULL;
	size_t n = 0;
	const char *why;

	if (nets == NULL || copy == NULL) {
		free(nets);
		free(copy);
		fprintf(stderr, "serat-probe: out of memory\n");
		return -1;
	}
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == PROBE_MAX_NETS || cidr_parse(t, &nets[n], &why) < 0) {
			fprintf(stderr, "serat-probe: --site %s: '%s': %s\n", arg, t,
				n == PROBE_MAX_NETS ? "too many subnets" : why);
			free(nets);
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	site->nets = nets;
	site->n_nets = n;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "filter", required_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'u' },
		{ "fd", required_argument, NULL, 'd' },
		{ "flow-memory", required_argument, NULL, 'm' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "intervals", required_argument, NULL, 'n' },
		{ "site", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pcap_child_conf conf = {
		.user = "nobody", .interval_s = 60, .flow_mem_bytes = (size_t)64 << 20,
		.buffer_bytes = (size_t)32 << 20, .fd = 1,
	};
	struct pcap_child_site *sites = NULL;
	unsigned long v;
	size_t n_sites = 0;
	int c, rc = 2;

	log_open("serat-probe", 0, LOG_INFO);
	while ((c = getopt_long(argc, argv, "i:f:t:u:d:m:b:n:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': conf.interface = optarg; break;
		case 'f': conf.filter = optarg; break;
		case 'u': conf.user = optarg; break;
		case 't':
			if (serat_probe_num(optarg, 86400, &v) < 0 || v == 0)
				goto usage;
			conf.interval_s = (unsigned)v;
			break;
		case 'd':
			if (serat_probe_num(optarg, 65535, &v) < 0)
				goto usage;
			conf.fd = (int)v;
			break;
		case 'm':
			if (serat_probe_num(optarg, 1 << 20, &v) < 0 || v == 0)
				goto usage;
			conf.flow_mem_bytes = (size_t)v << 20;
			break;
		case 'b':
			if (serat_probe_num(optarg, 1024, &v) < 0 || v == 0)
				goto usage;
			conf.buffer_bytes = (size_t)v << 20;
			break;
		case 'n':
			if (serat_probe_num(optarg, 1u << 30, &v) < 0)
				goto usage;
			conf.max_intervals = (unsigned)v;
			break;
		case 's': {
			struct pcap_child_site *ns;
			if (n_sites == PROBE_MAX_SITES)
				goto usage;
			ns = realloc(sites, (n_sites + 1) * sizeof(*ns));
			if (ns == NULL) {
				rc = 1;
				goto out;
			}
			sites = ns;
			if (serat_probe_site(optarg, &sites[n_sites]) < 0)
				goto out;
			n_sites++;
			break;
		}
		case 'h':
			serat_probe_usage(stdout);
			rc = 0;
			goto out;
		default:
			goto usage;
		}
	}
	if (conf.interface == NULL || optind != argc)
		goto usage;
	conf.sites = sites;
	conf.n_sites = n_sites;
	rc = pcap_child_run(&conf) < 0 ? 1 : 0;
	goto out;
usage:
	serat_probe_usage(stderr);
	rc = 2;
out:
	for (size_t i = 0; i < n_sites; i++)
		free((void *)sites[i].nets);
	free(sites);
	return rc;
}
