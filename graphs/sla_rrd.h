/*
 * sla_rrd.h — what the SLA report reads from the RRD files (librrd
 * rrd_fetch_r, never rrdtool): the time a device has no data, and the
 * traffic of a site's uplink.
 *
 * Unknown time: the `reachable` data source of <data_dir>/rrd/<device>/
 * device.rrd holds 1 or 0 for every poll the collector made and nothing
 * where it made none (seratd not running, the device not yet polled, the
 * poll cut short).  A row without a value is unknown; its precision is the
 * step of the RRA librrd picks for the month (1 min for the last 2 days,
 * 5 min for 2 weeks, 30 min for 2 months with the default RRAs), and a
 * consolidated row only turns unknown when more than its xff share of polls
 * is missing.  A device without device.rrd was never polled: all unknown.
 *
 * Traffic: 95th percentile and peak of max(in, out) bits/s of one
 * interface file over the month (AVERAGE rows for the percentile, MAX rows
 * for the peak), at the same RRA step.
 */
#ifndef SERAT_SLA_RRD_H
#define SERAT_SLA_RRD_H

#include <stddef.h>

#include "graphs/sla_calc.h"

/*
 * The spans of SPAN in which DEVICE_RRD has no `reachable` value, merged
 * and sorted, into *OUT (caller frees; NULL when none).  STEP_S is the poll
 * interval (the finest step asked for).  Returns the count, or -ENOENT
 * when the file does not exist (the caller decides), -EIO when librrd
 * fails (logged once with the file), -ENOMEM.
 */
long sla_rrd_unknown(const char *device_rrd, struct sla_span span, unsigned long step_s,
		     struct sla_span **out);

struct sla_traffic {
	char ifname[256];          /* the interface (unescaped file name) */
	double p95_bps;            /* NAN when the month has no value */
	double peak_bps;
};

/*
 * The uplink traffic of DEVICE over SPAN (files as common/rrd_layout.h
 * places them under DATA_DIR): the interface IFNAME when given, else the
 * busiest (highest mean of in + out over SPAN) of the device's interface
 * files.  0, -ENOENT when there is no such interface file, -EIO, -ENOMEM.
 */
int sla_rrd_traffic(const char *data_dir, const char *device, const char *ifname,
		    struct sla_span span, unsigned long step_s, struct sla_traffic *out);

#endif
