/*
 * metric.c — the registry table.  See metric.h.
 *
 * RRD data source names are part of the on-disk format of files written
 * since 0.1.0 ("in", "out", ..., "reachable", "rtt", "uptime"): never
 * rename one.  device.rtt_ms is stored as seconds ("rtt"), as 0.1.0 did.
 */
#include "config.h"

#include <string.h>

#include "common/metric.h"

static const struct metric_def metric_table[METRIC_COUNT] = {
	{ METRIC_DEVICE_REACHABLE, "device.reachable", "bool", METRIC_OBJ_DEVICE,
	  METRIC_RRD_DEVICE, "reachable", 1, "1 when the last poll was answered, 0 when it failed" },
	{ METRIC_DEVICE_RTT_MS, "device.rtt_ms", "ms", METRIC_OBJ_DEVICE,
	  METRIC_RRD_DEVICE, "rtt", 0.001, "SNMP response time of the first request of a poll" },
	{ METRIC_DEVICE_UPTIME_S, "device.uptime_s", "s", METRIC_OBJ_DEVICE,
	  METRIC_RRD_DEVICE, "uptime", 1, "the agent's sysUpTime" },
	{ METRIC_IF_IN_BPS, "if.in_bps", "bit/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "in", 1, "received traffic" },
	{ METRIC_IF_OUT_BPS, "if.out_bps", "bit/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "out", 1, "sent traffic" },
	{ METRIC_IF_IN_PPS, "if.in_pps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "inpkt", 1, "received unicast packets" },
	{ METRIC_IF_OUT_PPS, "if.out_pps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "outpkt", 1, "sent unicast packets" },
	{ METRIC_IF_IN_ERRORS_PS, "if.in_errors_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "inerr", 1, "received packets with errors" },
	{ METRIC_IF_OUT_ERRORS_PS, "if.out_errors_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "outerr", 1, "packets that could not be sent because of errors" },
	{ METRIC_IF_IN_DISCARDS_PS, "if.in_discards_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "indisc", 1, "received packets discarded" },
	{ METRIC_IF_OUT_DISCARDS_PS, "if.out_discards_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "outdisc", 1, "outgoing packets discarded" },
	{ METRIC_IF_UTIL_PCT, "if.util_pct", "%", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "util", 1, "max(in, out) as a share of the interface speed" },
	{ METRIC_IF_OPER, "if.oper", "bool", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "oper", 1, "1 when ifOperStatus is up, 0 otherwise" },
};

const struct metric_def *metric_get(enum metric_id id)
{
	if ((unsigned)id >= METRIC_COUNT)
		return NULL;
	return &metric_table[id];
}

const struct metric_def *metric_find(const char *name)
{
	/* A few dozen entries: a linear scan at config load is fine. */
	for (size_t i = 0; i < METRIC_COUNT; i++)
		if (strcmp(metric_table[i].name, name) == 0)
			return &metric_table[i];
	return NULL;
}

const char *metric_object_name(enum metric_object object)
{
	static const char *names[METRIC_OBJ_COUNT] = { "device", "interface", "site", "target" };
	return (unsigned)object < METRIC_OBJ_COUNT ? names[object] : NULL;
}
