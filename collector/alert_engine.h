/*
 * alert_engine.h — rules, incidents and dependencies: the alert engine is a
 * sink (collector/sink.h).
 *
 * It sees every sample set and state change, decides what is an incident,
 * and hands messages to the notifier (notify.h) and records to the event
 * store (events_db.h); the spool and the store are written on its own
 * worker thread, so nothing here blocks the loop.
 *
 * What it watches (docs/alerts.md):
 *   - built-in rules, active when the config has channels:
 *       DeviceDown     device unreachable: down after alerts.down_after
 *                      failed polls in a row (2), up after up_after good
 *                      ones (1) — counted in polls, so they scale with the
 *                      interval; with dependencies (below);
 *     and, when the config has no `rules:`,
 *       InterfaceDown  oper status not up while admin up (same counts);
 *       HighUtilisation  if.util_pct > 90 for 5 min;
 *       InterfaceErrors  in/out errors > 10/s for 5 min;
 *       Rebooted       sysUpTime went back (one info message);
 *       OpticalRxLow   rx power below the port's low alarm (oper up only);
 *       OpticalDrift   rx power alerts.drift dB below the port's median
 *                      over alerts.drift_window (alert_optics.c);
 *   - config rules: METRIC OP THRESHOLD held FOR a duration, on every
 *     object that has the metric, to the rule's channels (else all).
 *
 * Every alert object (rule x device x interface) has one state machine:
 * pending (bad, not yet confirmed: a change shorter than the hysteresis
 * sends nothing), firing, and back to ok; flap detection (flap_changes
 * confirmed changes within flap_window: one "flapping" message, then quiet
 * until it is stable for a window); re-notification every `renotify` while
 * firing.  A recovery goes only to the channels that were told it fired.
 *
 * Dependencies (through the model's parent links): a device that goes down
 * while a device above it is failing is suppressed, and counted in the
 * message of the topmost one ("... — 14 devices behind it are
 * unreachable").  When every root device is down, one CoreUnreachable
 * message replaces them all, and the devices behind are recorded as
 * unknown, not down.  Alerts starting within alerts.group_window go out
 * as one message per channel.  Maintenance windows (config, and `serat
 * maint` in the event store, re-read every few seconds) silence the devices
 * and sites they cover.
 *
 * At start the open incidents are read back from the event store: a device
 * down before a restart is not announced again, and its recovery is sent.
 */
#ifndef SERAT_ALERT_ENGINE_H
#define SERAT_ALERT_ENGINE_H

#include <event2/event.h>

#include "collector/model.h"
#include "collector/sink.h"
#include "common/config.h"

/*
 * Register the alert engine (with its notifier, spool in
 * <data_dir>/spool, and event store <data_dir>/events.db) in SINKS, for
 * CONF (borrowed as sink_ops.reload says) and MODEL (borrowed; outlives the
 * sinks).  Sends what the spool still holds from a previous run.  Returns
 * 0 or a negative errno (logged): seratd then runs without alerts.
 */
int alert_sink_add(struct sinks *sinks, struct event_base *base, struct model *model,
		   const struct serat_config *conf);

#endif
