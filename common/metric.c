/*
 * metric.c — the registry table.  See metric.h.
 *
 * RRD data source names are part of the on-disk format of files written
 * since 0.1.0 ("in", "out", ..., "reachable", "rtt", "uptime"): never
 * rename one.  Maxima match counter_rate_ceiling(): 400 Gbit/s twice over
 * (8e11 bit/s), its packet rate at 64-byte frames (1.5625e9/s), 200 %
 * utilisation, sysUpTime's 2^32 centiseconds, 10 minutes of response time.
 * device.rtt_ms is stored as seconds ("rtt"), as 0.1.0 did.
 */
#include "config.h"

#include <string.h>

#include "common/metric.h"

static const struct metric_def metric_table[METRIC_COUNT] = {
	{ METRIC_DEVICE_REACHABLE, "device.reachable", "bool", METRIC_OBJ_DEVICE,
	  METRIC_RRD_DEVICE, "reachable", 1, "1 when the last poll was answered, 0 when it failed", 1 },
	{ METRIC_DEVICE_RTT_MS, "device.rtt_ms", "ms", METRIC_OBJ_DEVICE,
	  METRIC_RRD_DEVICE, "rtt", 0.001, "SNMP response time of the first request of a poll", 600000 },
	{ METRIC_DEVICE_UPTIME_S, "device.uptime_s", "s", METRIC_OBJ_DEVICE,
	  METRIC_RRD_DEVICE, "uptime", 1, "the agent's sysUpTime", 42949673 },
	{ METRIC_IF_IN_BPS, "if.in_bps", "bit/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "in", 1, "received traffic", 8e11 },
	{ METRIC_IF_OUT_BPS, "if.out_bps", "bit/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "out", 1, "sent traffic", 8e11 },
	{ METRIC_IF_IN_PPS, "if.in_pps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "inpkt", 1, "received unicast packets", 1.5625e9 },
	{ METRIC_IF_OUT_PPS, "if.out_pps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "outpkt", 1, "sent unicast packets", 1.5625e9 },
	{ METRIC_IF_IN_ERRORS_PS, "if.in_errors_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "inerr", 1, "received packets with errors", 1.5625e9 },
	{ METRIC_IF_OUT_ERRORS_PS, "if.out_errors_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "outerr", 1, "packets that could not be sent because of errors", 1.5625e9 },
	{ METRIC_IF_IN_DISCARDS_PS, "if.in_discards_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "indisc", 1, "received packets discarded", 1.5625e9 },
	{ METRIC_IF_OUT_DISCARDS_PS, "if.out_discards_ps", "1/s", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "outdisc", 1, "outgoing packets discarded", 1.5625e9 },
	{ METRIC_IF_UTIL_PCT, "if.util_pct", "%", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "util", 1, "max(in, out) as a share of the interface speed", 200 },
	{ METRIC_IF_OPER, "if.oper", "bool", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_INTERFACE, "oper", 1, "1 when ifOperStatus is up, 0 otherwise", 1 },
	{ METRIC_SITE_PACKETS_PS, "site.packets_ps", "1/s", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "pkts", 1, "packets seen for the site on the mirror port", 0 },
	{ METRIC_SITE_BPS, "site.bps", "bit/s", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "bits", 1, "traffic seen for the site on the mirror port", 0 },
	{ METRIC_SITE_TCP_HANDSHAKES_PS, "site.tcp_handshakes_ps", "1/s", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "hs", 1, "completed TCP handshakes", 0 },
	{ METRIC_SITE_HANDSHAKE_RTT_MS, "site.handshake_rtt_ms", "ms", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "hsrtt", 1, "median TCP handshake round trip (SYN to ACK)", 0 },
	{ METRIC_SITE_HANDSHAKE_RTT_P95_MS, "site.handshake_rtt_p95_ms", "ms", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "hsrtt95", 1, "95th percentile of the TCP handshake round trip", 0 },
	{ METRIC_SITE_TCP_RETRANS_PCT, "site.tcp_retrans_pct", "%", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "retrans", 1, "TCP retransmissions as a share of data segments", 100 },
	{ METRIC_SITE_ZERO_WINDOWS_PS, "site.zero_windows_ps", "1/s", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "zerowin", 1, "TCP zero-window advertisements", 0 },
	{ METRIC_SITE_ICMP_LOSS_PCT, "site.icmp_loss_pct", "%", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "icmploss", 1, "observed ICMP echo requests without a reply", 100 },
	{ METRIC_SITE_ICMP_RTT_MS, "site.icmp_rtt_ms", "ms", METRIC_OBJ_SITE,
	  METRIC_RRD_SITE, "icmprtt", 1, "median observed ICMP echo round trip", 0 },
	{ METRIC_TARGET_LOSS_PCT, "target.loss_pct", "%", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "loss", 1, "echo requests with no reply in time", 100 },
	{ METRIC_TARGET_RTT_MS, "target.rtt_ms", "ms", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "rtt", 1, "median echo round trip", 0 },
	{ METRIC_TARGET_RTT_MIN_MS, "target.rtt_min_ms", "ms", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "rttmin", 1, "fastest echo round trip", 0 },
	{ METRIC_TARGET_RTT_MAX_MS, "target.rtt_max_ms", "ms", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "rttmax", 1, "slowest echo round trip", 0 },
	{ METRIC_TARGET_JITTER_MS, "target.jitter_ms", "ms", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "jitter", 1, "mean difference of consecutive round trips", 0 },
	{ METRIC_TARGET_LATE, "target.late", "count", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "late", 1, "replies that came after the timeout, per interval", 0 },
	{ METRIC_TARGET_DUPLICATES, "target.duplicates", "count", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "dup", 1, "duplicate replies, per interval", 0 },
	{ METRIC_TARGET_ERRORS, "target.errors", "count", METRIC_OBJ_TARGET,
	  METRIC_RRD_TARGET, "icmperr", 1, "ICMP errors (unreachable, redirect, time exceeded), per interval", 0 },
	{ METRIC_IF_RX_POWER_DBM, "if.rx_power_dbm", "dBm", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_OPTICS, "rx", 1, "optical receive power of the port's transceiver", 0 },
	{ METRIC_IF_TX_POWER_DBM, "if.tx_power_dbm", "dBm", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_OPTICS, "tx", 1, "optical transmit power of the port's transceiver", 0 },
	{ METRIC_IF_MODULE_TEMP_C, "if.module_temperature_c", "C", METRIC_OBJ_INTERFACE,
	  METRIC_RRD_OPTICS, "temp", 1, "temperature of the port's transceiver", 0 },
	{ METRIC_DEVICE_CPU_PCT, "device.cpu_pct", "%", METRIC_OBJ_DEVICE,
	  METRIC_RRD_SENSORS, "cpu", 1, "CPU load", 100 },
	{ METRIC_DEVICE_MEM_PCT, "device.mem_pct", "%", METRIC_OBJ_DEVICE,
	  METRIC_RRD_SENSORS, "mem", 1, "memory in use", 100 },
	{ METRIC_DEVICE_TEMPERATURE_C, "device.temperature_c", "C", METRIC_OBJ_DEVICE,
	  METRIC_RRD_SENSORS, "temp", 1, "chassis temperature", 0 },
	{ METRIC_DEVICE_DISK_PCT, "device.disk_pct", "%", METRIC_OBJ_DEVICE,
	  METRIC_RRD_SENSORS, "disk", 1, "the fullest disk: space in use", 100 },
	{ METRIC_ONU_RX_POWER_DBM, "onu.rx_power_dbm", "dBm", METRIC_OBJ_ONU,
	  METRIC_RRD_ONU, "rx", 1, "optical level of an ONU as its OLT reports it", 0 },
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
	static const char *names[METRIC_OBJ_COUNT] = { "device", "interface", "site", "target",
						       "onu" };
	return (unsigned)object < METRIC_OBJ_COUNT ? names[object] : NULL;
}

const char *metric_rrd_file_name(enum metric_rrd_file f)
{
	static const char *names[METRIC_RRD_FILE_COUNT] = { "-", "device", "if", "site", "target",
							    "optics", "sensors", "onu" };
	return (unsigned)f < METRIC_RRD_FILE_COUNT ? names[f] : NULL;
}
