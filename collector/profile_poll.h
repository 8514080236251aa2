/*
 * profile_poll.h — poll a device's profile and turn what it says into
 * readings: the collector's side of device profiles (common/profile.h).
 *
 * One profile_poll per collector device.  It drives a profile_walk as the
 * snmp_dev's extra walk (snmp_poll.h), so the profile's columns are read on
 * the same session right after the interface walk.  The first poll of a
 * device that names no profile also reads sysDescr.0 and sysObjectID.0 to
 * pick one (profile_set_match), once per collector (a reload matches
 * again).  A device without a profile costs nothing.
 *
 * After a successful poll profile_poll_apply() maps every row to its
 * object (a port by ifIndex or by a name column, an ONU, the device),
 * converts values to dBm / °C / % (common/optics.h), marks placeholders as
 * no reading, reads the device's thresholds, stores the results as
 * model_reading entries and emits one sample set per object:
 *   - a port: METRIC_OBJ_INTERFACE with if.rx_power_dbm, if.tx_power_dbm,
 *     if.module_temperature_c (RRD: optics/<port>.rrd);
 *   - an ONU: METRIC_OBJ_ONU with onu.rx_power_dbm (onu/<name>.rrd);
 *   - the device: METRIC_OBJ_DEVICE with device.cpu_pct, device.mem_pct,
 *     device.temperature_c (sensors.rrd).
 * A value that is no reading is NAN in the sample set: a gap, never a
 * level.  A profile column the device does not have is logged once per
 * collector, and the rest is polled as usual.
 */
#ifndef SERAT_PROFILE_POLL_H
#define SERAT_PROFILE_POLL_H

#include "collector/model.h"
#include "collector/sink.h"
#include "collector/snmp_poll.h"
#include "common/config.h"

struct profile_poll;

/*
 * For device DEV of CONF (both borrowed; they must outlive it).  NULL on
 * ENOMEM.  When CONF has no profiles, the result is a no-op poller.
 */
struct profile_poll *profile_poll_new(const struct serat_config *conf,
				      const struct device_conf *dev);
/* NULL-safe. */
void profile_poll_free(struct profile_poll *pp);

/* The extra-walk hooks to give snmp_dev_set_extra (CTX = PP). */
void profile_poll_extra(struct profile_poll *pp, struct snmp_extra_walk *x);

/* Before each poll: forget the previous walk. */
void profile_poll_begin(struct profile_poll *pp);

/*
 * After a successful poll: readings into M (generation M->generation) and
 * sample sets to SINKS at WALL.  Varbinds the walk rejected are added to
 * M->malformed.
 */
void profile_poll_apply(struct profile_poll *pp, struct model_device *m, struct sinks *sinks,
			double wall);

/* After a failed poll: every reading becomes unknown and is emitted as a
 * gap. */
void profile_poll_failed(struct profile_poll *pp, struct model_device *m, struct sinks *sinks,
			 double wall);

#endif
