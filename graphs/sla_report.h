/*
 * sla_report.h — write a month's SLA report (struct sla_model) as HTML, CSV
 * or JSON, in Indonesian or English.
 *
 * JSON is a stable contract for other tools (docs/sla.md): top-level
 * `month`, `timezone`, `generated_at`, `rules` (how each figure is
 * counted, in the report's language), `summary`, and `sites`, each with
 * `name`, `kind`, `target_pct`, `availability_pct` (contractual; null when
 * unknown), `availability_seen_pct`, `downtime_s`, `maintenance_s`,
 * `unknown_s`, `coverage_pct`, `outages` (`device`, `start`, `end`,
 * `duration_s`, `cause`, `root_cause_device`, `planned`) and `devices`
 * with the same figures — plus the further figures listed in docs/sla.md.
 * Times are ISO 8601 with the zone's offset; percentages are floored to 3
 * decimals, so downtime never shows as 100.
 *
 * HTML is one self-contained page (inline CSS and SVG availability bands,
 * no external asset) laid out for A4 print.  CSV has one header row and a
 * row per site, device and outage (column `record`).
 */
#ifndef SERAT_SLA_REPORT_H
#define SERAT_SLA_REPORT_H

#include <stdio.h>

#include "graphs/sla_model.h"

enum sla_format { SLA_FMT_HTML, SLA_FMT_CSV, SLA_FMT_JSON };
enum sla_lang { SLA_LANG_ID, SLA_LANG_EN };

/* "html", "csv", "json" / "id", "en".  0 or -EINVAL. */
int sla_format_parse(const char *s, enum sla_format *f);
int sla_lang_parse(const char *s, enum sla_lang *l);

/* The summary's counts: sites meeting, missing their target, without
 * contractual time (seratd's monthly message). */
void sla_report_counts(const struct sla_model *m, unsigned *meeting, unsigned *missing,
		       unsigned *unknown);

/* Write M to F.  0, or -EIO when the stream failed. */
int sla_report_write(FILE *f, const struct sla_model *m, enum sla_format fmt, enum sla_lang lang);

#endif
