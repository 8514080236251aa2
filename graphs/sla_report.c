/*
 * sla_report.c — the SLA report as HTML, CSV and JSON.  See sla_report.h.
 *
 * Every number comes from sla_calc through the same few helpers, so the
 * three formats cannot disagree: percentages via sla_pct_floor (floored,
 * 3 decimals in data, 2 in the HTML), times via sla_time (the config's
 * zone, set by sla_model_build).  Texts for people are in one table per
 * language; JSON keys and CSV headers are never translated.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_out.h"
#include "graphs/sla_report.h"
#include "common/html_out.h"
#include "graphs/sla_time.h"

/* ---- texts ----------------------------------------------------------- */

enum {
	R_PERIOD, R_AVAIL, R_SEEN, R_UNKNOWN, R_SITE, R_MAINT, R_OUTAGES, R_SERVICE, R_UPLINK, R_N
};
static const char *const sla_rule_keys[R_N] = {
	"period", "availability_pct", "availability_seen_pct", "unknown", "site", "maintenance",
	"outages", "service_hours", "uplink",
};

struct sla_txt {
	const char *title, *month, *zone, *generated, *summary, *meeting, *missing, *no_data,
		*worst, *none, *outage_hours, *rules, *site, *kind, *target, *avail, *seen,
		*service, *downtime, *maint, *unknown, *coverage, *outages, *longest, *mttr,
		*mtbf, *uplink, *p95, *peak, *start, *end, *duration, *cause, *root, *planned,
		*device, *devices, *yes, *no, *no_outage, *l_up, *l_own, *l_parent, *l_planned,
		*l_unknown, *l_maint, *behind;
	const char *rule[R_N];
};

static const struct sla_txt sla_txts[2] = {
	[SLA_LANG_ID] = {
		"Laporan SLA jaringan", "Bulan", "Zona waktu", "Dibuat", "Ringkasan",
		"Situs memenuhi target", "Situs tidak memenuhi target", "Situs tanpa data",
		"Situs terburuk", "tidak ada", "Total jam gangguan", "Cara penghitungan",
		"Situs", "Jenis", "Target", "Ketersediaan (kontrak)", "Ketersediaan (dirasakan pengguna)",
		"Ketersediaan jam layanan", "Waktu mati", "Pemeliharaan", "Tanpa data", "Cakupan data",
		"Gangguan", "Terlama", "MTTR", "MTBF", "Uplink", "Persentil ke-95", "Puncak",
		"Mulai", "Selesai", "Durasi", "Penyebab", "Akar masalah", "Terencana", "Perangkat",
		"Perangkat", "ya", "tidak", "Tidak ada gangguan.", "hidup", "mati",
		"mati karena perangkat induk", "mati terencana", "tanpa data", "pemeliharaan",
		"induk %s mati",
		{
			"Bulan kalender dalam zona waktu konfigurasi. Perangkat yang ditambahkan di tengah bulan dihitung sejak catatan pertamanya; gangguan yang melewati batas bulan dihitung di tiap bulan sebesar bagiannya.",
			"Kontrak: waktu hidup / (waktu yang diketahui - pemeliharaan - gangguan akibat perangkat induk yang bukan milik situs). Dibulatkan ke bawah; tidak pernah 100 selama ada waktu mati.",
			"Dirasakan pengguna: waktu hidup / waktu yang diketahui; setiap detik tidak terjangkau dihitung, apa pun penyebabnya.",
			"Waktu tanpa data (seratd tidak berjalan, perangkat tidak dipantau: celah pada data 'reachable' di device.rrd) tidak dihitung hidup maupun mati; cakupan = waktu diketahui / periode.",
			"Situs setersedia perangkat terburuknya pada setiap saat: mati bila salah satu perangkatnya mati, tanpa data bila tidak ada yang mati tetapi ada yang tanpa data.",
			"Jendela pemeliharaan dari konfigurasi dan dari penyimpanan kejadian yang menyebut perangkat atau situsnya; waktu mati di dalamnya terencana.",
			"Gangguan = rentang waktu mati berurutan; yang melewati akhir pemeliharaan atau berganti penyebab dicantumkan per bagian. MTTR = waktu mati kontrak / jumlah gangguan kontrak; MTBF = waktu hidup kontrak / jumlah gangguan kontrak.",
			"Bila jenis situs memiliki jam layanan, angka yang sama dihitung hanya di dalam jam layanan, di samping angka 24/7.",
			"Persentil ke-95 (peringkat terdekat) dan puncak max(masuk, keluar) bit/s antarmuka uplink (sla.uplinks, atau antarmuka tersibuk perangkat pertama situs), pada resolusi arsip RRD yang mencakup bulan itu.",
		},
	},
	[SLA_LANG_EN] = {
		"Network SLA report", "Month", "Time zone", "Generated", "Summary",
		"Sites meeting target", "Sites missing target", "Sites without data",
		"Worst sites", "none", "Total outage hours", "How it was counted",
		"Site", "Kind", "Target", "Availability (contract)", "Availability (as users saw it)",
		"Availability in service hours", "Downtime", "Maintenance", "No data", "Coverage",
		"Outages", "Longest", "MTTR", "MTBF", "Uplink", "95th percentile", "Peak",
		"Start", "End", "Duration", "Cause", "Root cause", "Planned", "Device",
		"Devices", "yes", "no", "No outage.", "up", "down", "down (parent at fault)",
		"down (planned)", "no data", "maintenance", "parent %s down",
		{
			"Calendar month in the configured zone. A device added mid-month counts from its first record; an outage crossing a month boundary counts in each month for its part.",
			"Contractual: up time / (known time - maintenance - outages caused by a parent device the site does not own). Floored; never 100 while there was downtime.",
			"As users saw it: up time / known time; every unreachable second counts, whatever the cause.",
			"Time without data (seratd not running, the device not polled: gaps in the 'reachable' series of device.rrd) counts neither as up nor as down; coverage = known time / period.",
			"A site is as available as its worst device at each moment: down when any of its devices is down, unknown when none is down but one has no data.",
			"Maintenance windows from the config and the event store naming the device or its site; downtime inside them is planned.",
			"An outage is a run of down time; one that outlasts its maintenance window or changes cause is listed in parts. MTTR = contractual downtime / contractual outages; MTBF = contractual up time / contractual outages.",
			"Where the site's kind has service hours, the same figures within them, beside the 24/7 ones.",
			"95th percentile (nearest rank) and peak of max(in, out) bits/s of the uplink interface (sla.uplinks, else the busiest interface of the site's first device), at the step of the RRD archive covering the month.",
		},
	},
};

int sla_format_parse(const char *s, enum sla_format *f)
{
	if (strcmp(s, "html") == 0)
		*f = SLA_FMT_HTML;
	else if (strcmp(s, "csv") == 0)
		*f = SLA_FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*f = SLA_FMT_JSON;
	else
		return -EINVAL;
	return 0;
}

int sla_lang_parse(const char *s, enum sla_lang *l)
{
	if (strcmp(s, "id") == 0)
		*l = SLA_LANG_ID;
	else if (strcmp(s, "en") == 0)
		*l = SLA_LANG_EN;
	else
		return -EINVAL;
	return 0;
}

/* ---- shared figures -------------------------------------------------- */

/* Percentages: 3 decimals in data, floored; "" when unknown. */
static const char *sla_pct(char *buf, size_t len, int (*fn)(const struct sla_figures *,
							    int64_t *, int64_t *),
			   const struct sla_figures *x, unsigned decimals)
{
	int64_t g, d;

	if (fn(x, &g, &d) < 0 || sla_pct_floor(g, d, decimals, buf, len) < 0)
		buf[0] = '\0';
	return buf;
}

static const char *sla_coverage(char *buf, size_t len, const struct sla_figures *x,
				unsigned decimals)
{
	if (sla_pct_floor(x->known_s, x->period_s, decimals, buf, len) < 0)
		buf[0] = '\0';
	return buf;
}

/* -1 unknown, 0 missed, 1 met. */
static int sla_meets(const struct sla_figures *x, double target)
{
	int64_t g, d;

	if (sla_avail_contract(x, &g, &d) < 0)
		return -1;
	return (double)g * 100.0 >= target * (double)d ? 1 : 0;
}

struct sla_summary {
	unsigned meeting, missing, unknown;
	size_t worst[5];
	size_t n_worst;
	int64_t down_s;
};

static double sla_ratio(const struct sla_figures *x)
{
	int64_t g, d;
	return sla_avail_contract(x, &g, &d) < 0 ? 2 : (double)g / (double)d;
}

static void sla_summarise(const struct sla_model *m, struct sla_summary *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < m->n_sites; i++) {
		const struct sla_site *site = &m->sites[i];
		int met = sla_meets(&site->all, site->target_pct);
		size_t k;

		s->down_s += site->all.down_s;
		if (met < 0)
			s->unknown++;
		else if (met)
			s->meeting++;
		else
			s->missing++;
		if (met < 0 || site->all.down_contract_s == 0)
			continue;
		/* Insertion into the five lowest, lowest first. */
		for (k = s->n_worst; k > 0 && sla_ratio(&m->sites[s->worst[k - 1]].all) >
					      sla_ratio(&site->all); k--)
			if (k < 5)
				s->worst[k] = s->worst[k - 1];
		if (k < 5) {
			s->worst[k] = i;
			if (s->n_worst < 5)
				s->n_worst++;
		}
	}
}

static const char *sla_root(const struct sla_outage *o)
{
	return o->root_cause ? o->root_cause : o->device;
}

/* ---- JSON ------------------------------------------------------------ */

static void js_raw_or_null(FILE *f, const char *key, const char *v)
{
	json_out_key(f, key);
	fputs(v && *v ? v : "null", f);
}

static void js_int(FILE *f, const char *key, int64_t v)
{
	json_out_key(f, key);
	fprintf(f, "%lld", (long long)v);
}

static void js_time(FILE *f, const char *key, int64_t t)
{
	char buf[40];

	sla_time_iso(t, buf, sizeof(buf));
	json_out_key(f, key);
	json_out_str(f, buf);
}

static void js_outages(FILE *f, const struct sla_timeline *tl)
{
	struct sla_outage o;
	size_t pos = 0;
	int first = 1;

	json_out_key(f, "outages");
	fputc('[', f);
	while (sla_outage_next(tl, &pos, &o)) {
		fputs(first ? "{" : ",{", f);
		first = 0;
		json_out_key(f, "device");
		json_out_str(f, o.device);
		fputc(',', f);
		js_time(f, "start", o.start);
		fputc(',', f);
		js_time(f, "end", o.end);
		fputc(',', f);
		js_int(f, "duration_s", o.end - o.start);
		fputc(',', f);
		json_out_key(f, "cause");
		json_out_str(f, o.cause);
		fputc(',', f);
		json_out_key(f, "root_cause_device");
		json_out_str(f, sla_root(&o));
		fputc(',', f);
		json_out_key(f, "planned");
		fputs(o.planned ? "true" : "false", f);
		fputc('}', f);
	}
	fputc(']', f);
}

/* ,"KEY":V for each of N counters (V < 0 with NULLABLE: null). */
struct js_count {
	const char *key;
	int64_t v;
	int nullable;
};

static void js_counts(FILE *f, const struct js_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputc(',', f);
		if (c[i].nullable && c[i].v < 0) {
			json_out_key(f, c[i].key);
			fputs("null", f);
		} else {
			js_int(f, c[i].key, c[i].v);
		}
	}
}

/* The figures every site and device has, without braces. */
static void js_figures(FILE *f, const struct sla_timeline *tl, const struct sla_figures *x,
		       const struct sla_figures *svc, const char *hours)
{
	const struct js_count counts[] = {
		{ "known_s", x->known_s, 0 },
		{ "downtime_s", x->down_s, 0 },
		{ "downtime_contract_s", x->down_contract_s, 0 },
		{ "downtime_parent_s", x->down_parent_s, 0 },
		{ "downtime_planned_s", x->down_planned_s, 0 },
		{ "maintenance_s", x->maint_s, 0 },
		{ "unknown_s", x->unknown_s, 0 },
	};
	const struct js_count outages[] = {
		{ "outage_count", x->outages, 0 },
		{ "outage_count_contract", x->outages_contract, 0 },
		{ "longest_outage_s", x->longest_s, 0 },
		{ "mttr_s", sla_mttr_s(x), 1 },
		{ "mtbf_s", sla_mtbf_s(x), 1 },
	};
	char buf[32];

	js_raw_or_null(f, "availability_pct", sla_pct(buf, sizeof(buf), sla_avail_contract, x, 3));
	fputc(',', f);
	js_raw_or_null(f, "availability_seen_pct", sla_pct(buf, sizeof(buf), sla_avail_seen, x, 3));
	fputc(',', f);
	if (tl->period.end > tl->period.start) {
		js_time(f, "period_start", tl->period.start);
		fputc(',', f);
		js_time(f, "period_end", tl->period.end);
	} else {
		fputs("\"period_start\":null,\"period_end\":null", f);
	}
	js_counts(f, counts, sizeof(counts) / sizeof(counts[0]));
	fputc(',', f);
	js_raw_or_null(f, "coverage_pct", sla_coverage(buf, sizeof(buf), x, 3));
	js_counts(f, outages, sizeof(outages) / sizeof(outages[0]));
	fputc(',', f);
	json_out_key(f, "service_hours");
	if (hours == NULL) {
		fputs("null", f);
	} else {
		const struct js_count sc[] = { { "known_s", svc->known_s, 0 },
					       { "downtime_s", svc->down_s, 0 } };
		fputc('{', f);
		json_out_key(f, "hours");
		json_out_str(f, hours);
		fputc(',', f);
		js_raw_or_null(f, "availability_pct",
			       sla_pct(buf, sizeof(buf), sla_avail_contract, svc, 3));
		fputc(',', f);
		js_raw_or_null(f, "availability_seen_pct",
			       sla_pct(buf, sizeof(buf), sla_avail_seen, svc, 3));
		js_counts(f, sc, 2);
		fputc('}', f);
	}
	fputc(',', f);
	js_outages(f, tl);
}

static void js_num_or_null(FILE *f, const char *key, double v)
{
	json_out_key(f, key);
	if (isnan(v))
		fputs("null", f);
	else
		fprintf(f, "%.0f", v);
}

static void sla_write_json(FILE *f, const struct sla_model *m, const struct sla_txt *t)
{
	struct sla_summary sum;
	char hours[64];

	sla_summarise(m, &sum);
	fputc('{', f);
	json_out_key(f, "month");
	json_out_str(f, m->month);
	fputc(',', f);
	json_out_key(f, "timezone");
	json_out_str(f, m->conf->timezone);
	fputc(',', f);
	js_time(f, "generated_at", m->generated_at);
	fputc(',', f);
	js_time(f, "start", m->span.start);
	fputc(',', f);
	js_time(f, "end", m->span.end);
	fputs(",\"rules\":{", f);
	for (int i = 0; i < R_N; i++) {
		if (i)
			fputc(',', f);
		json_out_key(f, sla_rule_keys[i]);
		json_out_str(f, t->rule[i]);
	}
	fputs("},\"summary\":{", f);
	js_int(f, "sites_meeting_target", sum.meeting);
	js_counts(f, (const struct js_count[]){ { "sites_missing_target", sum.missing, 0 },
						{ "sites_unknown", sum.unknown, 0 } }, 2);
	fputc(',', f);
	json_out_key(f, "outage_hours");
	fprintf(f, "%.2f", (double)sum.down_s / 3600.0);
	fputs(",\"worst_sites\":[", f);
	for (size_t i = 0; i < sum.n_worst; i++) {
		if (i)
			fputc(',', f);
		json_out_str(f, m->sites[sum.worst[i]].conf->name);
	}
	fputs("]},\"sites\":[", f);
	for (size_t i = 0; i < m->n_sites; i++) {
		const struct sla_site *s = &m->sites[i];
		int met = sla_meets(&s->all, s->target_pct);

		if (s->has_hours)
			config_sla_hours_text(&m->conf->sla.hours[s->conf->kind], hours, sizeof(hours));
		fputs(i ? ",{" : "{", f);
		json_out_key(f, "name");
		json_out_str(f, s->conf->name);
		fputc(',', f);
		json_out_key(f, "kind");
		json_out_str(f, site_kind_name(s->conf->kind));
		fputc(',', f);
		json_out_key(f, "target_pct");
		json_out_num(f, s->target_pct);
		fputc(',', f);
		json_out_key(f, "meets_target");
		fputs(met < 0 ? "null" : met ? "true" : "false", f);
		fputc(',', f);
		js_figures(f, &s->tl, &s->all, &s->svc, s->has_hours ? hours : NULL);
		fputc(',', f);
		json_out_key(f, "uplink");
		if (s->uplink_device == NULL) {
			fputs("null", f);
		} else {
			fputc('{', f);
			json_out_key(f, "device");
			json_out_str(f, s->uplink_device);
			fputc(',', f);
			json_out_key(f, "interface");
			json_out_str(f, s->traffic.ifname);
			fputc(',', f);
			js_num_or_null(f, "p95_bps", s->traffic.p95_bps);
			fputc(',', f);
			js_num_or_null(f, "peak_bps", s->traffic.peak_bps);
			fputc('}', f);
		}
		fputs(",\"devices\":[", f);
		for (size_t j = 0; j < s->n_devs; j++) {
			const struct sla_dev *d = &m->devs[s->devs[j]];
			fputs(j ? ",{" : "{", f);
			json_out_key(f, "name");
			json_out_str(f, d->conf->name);
			fputc(',', f);
			js_figures(f, &d->tl, &d->all, &d->svc, s->has_hours ? hours : NULL);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
}

/* ---- CSV ------------------------------------------------------------- */

static void csv_str(FILE *f, const char *s)
{
	fputc(',', f);
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_figures(FILE *f, const char *record, const char *site, const char *kind,
			const char *device, double target, const struct sla_figures *x,
			const struct sla_figures *svc, int has_hours, const struct sla_traffic *tr)
{
	char buf[32];
	int64_t v;

	fputs(record, f);
	csv_str(f, site);
	csv_str(f, kind);
	csv_str(f, device);
	if (target > 0)
		fprintf(f, ",%g", target);
	else
		fputc(',', f);
	csv_str(f, sla_pct(buf, sizeof(buf), sla_avail_contract, x, 3));
	csv_str(f, sla_pct(buf, sizeof(buf), sla_avail_seen, x, 3));
	csv_str(f, has_hours ? sla_pct(buf, sizeof(buf), sla_avail_contract, svc, 3) : NULL);
	fprintf(f, ",%lld,%lld,%lld", (long long)x->down_s, (long long)x->maint_s,
		(long long)x->unknown_s);
	csv_str(f, sla_coverage(buf, sizeof(buf), x, 3));
	fprintf(f, ",%u,%lld", x->outages, (long long)x->longest_s);
	v = sla_mttr_s(x);
	v < 0 ? fputc(',', f) : fprintf(f, ",%lld", (long long)v);
	v = sla_mtbf_s(x);
	v < 0 ? fputc(',', f) : fprintf(f, ",%lld", (long long)v);
	if (tr && !isnan(tr->p95_bps))
		fprintf(f, ",%.0f", tr->p95_bps);
	else
		fputc(',', f);
	if (tr && !isnan(tr->peak_bps))
		fprintf(f, ",%.0f", tr->peak_bps);
	else
		fputc(',', f);
	fputs(",,,,,,\r\n", f);
}

static void csv_outages(FILE *f, const char *site, const struct sla_timeline *tl)
{
	struct sla_outage o;
	size_t pos = 0;
	char a[40], b[40];

	while (sla_outage_next(tl, &pos, &o)) {
		sla_time_iso(o.start, a, sizeof(a));
		sla_time_iso(o.end, b, sizeof(b));
		fputs("outage", f);
		csv_str(f, site);
		fputc(',', f);
		csv_str(f, o.device);
		fputs(",,,,,,,,,,,,,,", f);
		fprintf(f, ",%s,%s,%lld", a, b, (long long)(o.end - o.start));
		csv_str(f, o.cause);
		csv_str(f, sla_root(&o));
		fprintf(f, ",%s\r\n", o.planned ? "true" : "false");
	}
}

static void sla_write_csv(FILE *f, const struct sla_model *m)
{
	fputs("record,site,kind,device,target_pct,availability_pct,availability_seen_pct,"
	      "service_availability_pct,downtime_s,maintenance_s,unknown_s,coverage_pct,outages,"
	      "longest_outage_s,mttr_s,mtbf_s,uplink_p95_bps,uplink_peak_bps,start,end,"
	      "duration_s,cause,root_cause_device,planned\r\n", f);
	for (size_t i = 0; i < m->n_sites; i++) {
		const struct sla_site *s = &m->sites[i];
		const char *kind = site_kind_name(s->conf->kind);

		csv_figures(f, "site", s->conf->name, kind, NULL, s->target_pct, &s->all, &s->svc,
			    s->has_hours, s->uplink_device ? &s->traffic : NULL);
		csv_outages(f, s->conf->name, &s->tl);
		for (size_t j = 0; j < s->n_devs; j++) {
			const struct sla_dev *d = &m->devs[s->devs[j]];
			csv_figures(f, "device", s->conf->name, kind, d->conf->name, 0, &d->all,
				    &d->svc, s->has_hours, NULL);
		}
	}
}

/* ---- HTML ------------------------------------------------------------ */


/* "3d 04:05" (a day or more: minutes are enough) / "04:05:06"; "-" for
 * negative. */
static const char *sla_dur(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s >= 86400)
		snprintf(buf, len, "%lldd %02lld:%02lld", (long long)(s / 86400),
			 (long long)(s / 3600 % 24), (long long)(s / 60 % 60));
	else
		snprintf(buf, len, "%02lld:%02lld:%02lld", (long long)(s / 3600),
			 (long long)(s / 60 % 60), (long long)(s % 60));
	return buf;
}

static const char *sla_bps(double v, char *buf, size_t len)
{
	static const char *const units[] = { "b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s" };
	int u = 0;

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g %s", v, units[u]);
	return buf;
}

static const char *const sla_colors[] = {
	/* by sla_seg_rank: up, up in maintenance, unknown, planned, parent, own */
	"#2e7d32", "#90caf9", "#bdbdbd", "#1565c0", "#ef6c00", "#c62828",
};

/* The month as a bar: one rect per segment, blank where out of period. */
static void html_band(FILE *f, const struct sla_model *m, const struct sla_timeline *tl)
{
	double len = (double)(m->span.end - m->span.start);

	fputs("<svg class=\"band\" viewBox=\"0 0 1000 14\" preserveAspectRatio=\"none\" "
	      "xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1000\" height=\"14\" "
	      "fill=\"#fff\" stroke=\"#999\" stroke-width=\"0.5\"/>", f);
	for (size_t i = 0; i < tl->n; i++) {
		const struct sla_seg *s = &tl->segs[i];
		double x = (double)(s->start - m->span.start) * 1000.0 / len;
		double w = (double)(s->end - s->start) * 1000.0 / len;
		/* A short outage or gap stays visible on paper: at least 0.2 %
		 * of the month wide (~0.4 mm on A4). */
		if (sla_seg_rank(s) > 0 && w < 2)
			w = 2;
		fprintf(f, "<rect x=\"%.3f\" y=\"0\" width=\"%.3f\" height=\"14\" fill=\"%s\"/>", x,
			w, sla_colors[sla_seg_rank(s)]);
	}
	fputs("</svg>\n", f);
}

static void html_td_pct(FILE *f, int (*fn)(const struct sla_figures *, int64_t *, int64_t *),
			const struct sla_figures *x)
{
	char buf[32];

	sla_pct(buf, sizeof(buf), fn, x, 2);
	fprintf(f, "<td class=\"n\">%s</td>", buf[0] ? buf : "-");
}

static void html_fig_row(FILE *f, const char *name, const struct sla_figures *x,
			 const struct sla_figures *svc, int has_hours)
{
	char a[32], b[32], c[32], d[32];
	int64_t mttr = sla_mttr_s(x), mtbf = sla_mtbf_s(x);

	fputs("<tr><td>", f);
	html_out_str(f, name);
	fputs("</td>", f);
	html_td_pct(f, sla_avail_contract, x);
	html_td_pct(f, sla_avail_seen, x);
	if (has_hours)
		html_td_pct(f, sla_avail_contract, svc);
	else
		fputs("<td class=\"n\">24/7</td>", f);
	sla_coverage(c, sizeof(c), x, 2);
	fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s%%</td>"
		   "<td class=\"n\">%u</td>",
		sla_dur(x->down_s, a, sizeof(a)), sla_dur(x->maint_s, b, sizeof(b)), c[0] ? c : "-",
		x->outages);
	fprintf(f, "<td class=\"n\">%s</td>", sla_dur(x->longest_s, a, sizeof(a)));
	fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		sla_dur(mttr, b, sizeof(b)), sla_dur(mtbf, d, sizeof(d)));
}

static void html_fig_head(FILE *f, const struct sla_txt *t, const char *first)
{
	fprintf(f, "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
		first, t->avail, t->seen, t->service, t->downtime, t->maint, t->coverage, t->outages,
		t->longest, t->mttr, t->mtbf);
}

static void html_outages(FILE *f, const struct sla_txt *t, const struct sla_timeline *tl)
{
	struct sla_outage o;
	size_t pos = 0;
	char a[32], b[32], d[32];
	int any = 0;

	while (sla_outage_next(tl, &pos, &o)) {
		if (!any)
			fprintf(f, "<table class=\"out\"><tr><th>%s</th><th>%s</th><th>%s</th>"
				   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
				t->device, t->start, t->end, t->duration, t->cause, t->root,
				t->planned);
		any = 1;
		sla_time_short(o.start, a, sizeof(a));
		sla_time_short(o.end, b, sizeof(b));
		fputs("<tr><td>", f);
		html_out_str(f, o.device);
		fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%s</td><td>", a, b,
			sla_dur(o.end - o.start, d, sizeof(d)));
		html_out_str(f, o.cause);
		fputs("</td><td>", f);
		if (o.root_cause) {
			char txt[512];
			snprintf(txt, sizeof(txt), t->behind, o.root_cause);
			html_out_str(f, txt);
		} else {
			html_out_str(f, o.device);
		}
		fprintf(f, "</td><td>%s</td></tr>\n", o.planned ? t->yes : t->no);
	}
	if (any)
		fputs("</table>\n", f);
	else
		fprintf(f, "<p class=\"none\">%s</p>\n", t->no_outage);
}

static const char sla_css[] =
	"@page{size:A4;margin:14mm 12mm}"
	"body{font:9.5pt/1.35 'DejaVu Sans',Arial,sans-serif;color:#111;margin:0 auto;max-width:190mm}"
	"h1{font-size:16pt;margin:0 0 2mm}h2{font-size:12pt;margin:5mm 0 1mm;border-bottom:1px solid #444}"
	"h3{font-size:10pt;margin:3mm 0 1mm}table{border-collapse:collapse;width:100%;margin:1mm 0 2mm}"
	"th,td{border:1px solid #bbb;padding:1px 3px;text-align:left;vertical-align:top}"
	"th{background:#eee;font-weight:600}td.n{text-align:right;white-space:nowrap}"
	"table.fig{font-size:8pt}table.fig th{font-size:7.5pt}"
	".meta{color:#444}.bad{color:#b71c1c;font-weight:600}.good{color:#1b5e20}"
	"svg.band{width:100%;height:5mm;display:block;margin:1mm 0}"
	".site{break-inside:avoid;page-break-inside:avoid}.legend span{display:inline-block;"
	"width:3mm;height:3mm;margin:0 1mm 0 3mm;vertical-align:middle}"
	".rules li{margin:0 0 1mm}p.none{color:#555;margin:1mm 0}"
	"@media print{h2{break-after:avoid}}";

static void sla_write_html(FILE *f, const struct sla_model *m, const struct sla_txt *t,
			   enum sla_lang lang)
{
	const char *legend[] = { t->l_up, t->l_maint, t->l_unknown, t->l_planned, t->l_parent,
				 t->l_own };
	struct sla_summary sum;
	char a[64], b[64], hours[64];

	sla_summarise(m, &sum);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		   "<title>%s %s</title><style>%s</style></head><body>\n",
		lang == SLA_LANG_ID ? "id" : "en", t->title, m->month, sla_css);
	sla_time_iso(m->generated_at, a, sizeof(a));
	fprintf(f, "<h1>%s — %s</h1>\n<p class=\"meta\">%s: %s · %s: ", t->title, m->month,
		t->month, m->month, t->zone);
	html_out_str(f, m->conf->timezone);
	fprintf(f, " · %s: %s</p>\n", t->generated, a);

	fprintf(f, "<h2>%s</h2>\n<table><tr><th>%s</th><td class=\"n\">%u</td><th>%s</th>"
		   "<td class=\"n %s\">%u</td><th>%s</th><td class=\"n\">%u</td><th>%s</th>"
		   "<td class=\"n\">%.2f</td></tr></table>\n",
		t->summary, t->meeting, sum.meeting, t->missing, sum.missing ? "bad" : "",
		sum.missing, t->no_data, sum.unknown, t->outage_hours, (double)sum.down_s / 3600.0);
	fprintf(f, "<p><b>%s:</b> ", t->worst);
	for (size_t i = 0; i < sum.n_worst; i++) {
		const struct sla_site *s = &m->sites[sum.worst[i]];
		fputs(i ? ", " : "", f);
		html_out_str(f, s->conf->name);
		fprintf(f, " (%s %%)", sla_pct(a, sizeof(a), sla_avail_contract, &s->all, 2));
	}
	fprintf(f, "%s</p>\n", sum.n_worst ? "" : t->none);
	fprintf(f, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
		t->site, t->kind, t->target, t->avail, t->seen, t->downtime, t->coverage,
		t->uplink, t->p95, t->peak);
	for (size_t i = 0; i < m->n_sites; i++) {
		const struct sla_site *s = &m->sites[i];
		int met = sla_meets(&s->all, s->target_pct);
		char c[32];

		fputs("<tr><td>", f);
		html_out_str(f, s->conf->name);
		fprintf(f, "</td><td>%s</td><td class=\"n\">%g</td>", site_kind_name(s->conf->kind),
			s->target_pct);
		sla_pct(a, sizeof(a), sla_avail_contract, &s->all, 2);
		fprintf(f, "<td class=\"n %s\">%s</td>", met == 0 ? "bad" : met > 0 ? "good" : "",
			a[0] ? a : "-");
		html_td_pct(f, sla_avail_seen, &s->all);
		sla_coverage(c, sizeof(c), &s->all, 2);
		fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s%%</td><td>",
			sla_dur(s->all.down_s, b, sizeof(b)), c[0] ? c : "-");
		if (s->uplink_device) {
			html_out_str(f, s->uplink_device);
			fputc(' ', f);
			html_out_str(f, s->traffic.ifname);
		}
		fprintf(f, "</td><td class=\"n\">%s</td>",
			s->uplink_device ? sla_bps(s->traffic.p95_bps, a, sizeof(a)) : "-");
		fprintf(f, "<td class=\"n\">%s</td></tr>\n",
			s->uplink_device ? sla_bps(s->traffic.peak_bps, b, sizeof(b)) : "-");
	}
	fputs("</table>\n<p class=\"legend\">", f);
	for (int i = 0; i < 6; i++)
		fprintf(f, "<span style=\"background:%s\"></span>%s", sla_colors[i], legend[i]);
	fputs("</p>\n", f);

	for (size_t i = 0; i < m->n_sites; i++) {
		const struct sla_site *s = &m->sites[i];

		fputs("<div class=\"site\"><h2>", f);
		html_out_str(f, s->conf->name);
		fprintf(f, "</h2>\n<p class=\"meta\">%s: %s · %s: %g %%", t->kind,
			site_kind_name(s->conf->kind), t->target, s->target_pct);
		if (s->has_hours) {
			config_sla_hours_text(&m->conf->sla.hours[s->conf->kind], hours, sizeof(hours));
			fprintf(f, " · %s: %s", t->service, hours);
		}
		fputs("</p>\n", f);
		html_band(f, m, &s->tl);
		fputs("<table class=\"fig\">", f);
		html_fig_head(f, t, t->site);
		html_fig_row(f, s->conf->name, &s->all, &s->svc, s->has_hours);
		for (size_t j = 0; j < s->n_devs; j++) {
			const struct sla_dev *d = &m->devs[s->devs[j]];
			html_fig_row(f, d->conf->name, &d->all, &d->svc, s->has_hours);
		}
		fputs("</table>\n", f);
		if (s->n_devs > 1)
			for (size_t j = 0; j < s->n_devs; j++) {
				const struct sla_dev *d = &m->devs[s->devs[j]];
				fputs("<h3>", f);
				html_out_str(f, d->conf->name);
				fputs("</h3>\n", f);
				html_band(f, m, &d->tl);
			}
		fprintf(f, "<h3>%s</h3>\n", t->outages);
		html_outages(f, t, &s->tl);
		fputs("</div>\n", f);
	}
	fprintf(f, "<h2>%s</h2>\n<ul class=\"rules\">\n", t->rules);
	for (int i = 0; i < R_N; i++) {
		fputs("<li>", f);
		html_out_str(f, t->rule[i]);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n</body></html>\n", f);
}

void sla_report_counts(const struct sla_model *m, unsigned *meeting, unsigned *missing,
		       unsigned *unknown)
{
	struct sla_summary sum;

	sla_summarise(m, &sum);
	*meeting = sum.meeting;
	*missing = sum.missing;
	*unknown = sum.unknown;
}

int sla_report_write(FILE *f, const struct sla_model *m, enum sla_format fmt, enum sla_lang lang)
{
	const struct sla_txt *t = &sla_txts[lang == SLA_LANG_EN ? SLA_LANG_EN : SLA_LANG_ID];

	switch (fmt) {
	case SLA_FMT_JSON:
		sla_write_json(f, m, t);
		break;
	case SLA_FMT_CSV:
		sla_write_csv(f, m);
		break;
	default:
		sla_write_html(f, m, t, lang);
	}
	return fflush(f) == 0 && !ferror(f) ? 0 : -EIO;
}
