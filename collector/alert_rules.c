/*
 * alert_rules.c — which samples are bad: the built-in rules and the
 * config's, evaluated on every sample set (see alert_engine.h).
 *
 * Cost per sample set: for each rule whose metric the set carries, one
 * comparison and, only when the value is bad or an alert object already
 * exists, one hash lookup.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/alert_int.h"
#include "common/log.h"

enum { AR_LT = RULE_OP_LT, AR_NE = RULE_OP_NE, AR_GT = RULE_OP_GT };

void ae_rules_free(struct alert_engine *e)
{
	free(e->rules);
	e->rules = NULL;
	e->n_rules = 0;
}

const struct ae_rule *ae_rule_find(const struct alert_engine *e, const char *name)
{
	for (size_t i = 0; i < e->n_rules; i++)
		if (strcmp(e->rules[i].name, name) == 0)
			return &e->rules[i];
	return NULL;
}

int ae_rules_build(struct alert_engine *e, const struct serat_config *conf)
{
	const struct alerts_conf *ac = &conf->alerts;
	const struct ae_rule builtin[] = {
		{ .name = "DeviceDown", .severity = "critical", .metric = METRIC_DEVICE_REACHABLE,
		  .op = AR_LT, .threshold = 0.5, .need_bad = ac->down_after,
		  .need_good = ac->up_after },
		{ .name = "InterfaceDown", .severity = "warning", .metric = METRIC_IF_OPER,
		  .op = AR_NE, .threshold = 1, .need_bad = ac->down_after,
		  .need_good = ac->up_after, .iface_admin_up = 1 },
		{ .name = "HighUtilisation", .severity = "warning", .metric = METRIC_IF_UTIL_PCT,
		  .op = AR_GT, .threshold = 90, .for_s = 300, .need_bad = 1, .need_good = 1 },
		{ .name = "InterfaceInErrors", .severity = "warning",
		  .metric = METRIC_IF_IN_ERRORS_PS, .op = AR_GT, .threshold = 10, .for_s = 300,
		  .need_bad = 1, .need_good = 1 },
		{ .name = "InterfaceOutErrors", .severity = "warning",
		  .metric = METRIC_IF_OUT_ERRORS_PS, .op = AR_GT, .threshold = 10, .for_s = 300,
		  .need_bad = 1, .need_good = 1 },
		/* Optical power: alert_optics.c; 3 polls of hysteresis (a
		 * reading between two levels is not news). */
		{ .name = "OpticalRxLow", .severity = "warning", .metric = METRIC_IF_RX_POWER_DBM,
		  .need_bad = 3, .need_good = 3, .optics = AE_OPTICS_FLOOR },
		{ .name = "OpticalDrift", .severity = "warning", .metric = METRIC_IF_RX_POWER_DBM,
		  .need_bad = 3, .need_good = 3, .optics = AE_OPTICS_DRIFT },
	};
	size_t nb = sizeof(builtin) / sizeof(builtin[0]);

	e->builtins = conf->n_rules == 0;
	if (conf->n_channels == 0)
		return 0;         /* nobody to tell: only the event store works */
	/* DeviceDown is always on: dependencies are built on it. */
	if (!e->builtins)
		nb = 1;
	e->rules = calloc(nb + conf->n_rules, sizeof(*e->rules));
	if (e->rules == NULL)
		return -ENOMEM;
	memcpy(e->rules, builtin, nb * sizeof(*e->rules));
	e->n_rules = nb;
	/* Metric, operator and channels were checked by the config loader. */
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct rule_conf *rc = &conf->rules[i];
		struct ae_rule *r = &e->rules[e->n_rules];

		if (ae_rule_find(e, rc->name)) {
			log_err("alerts: rule '%s' has the name of a built-in rule: ignored",
				rc->name);
			continue;
		}
		r->name = rc->name;
		r->severity = rule_severity_name(rc->severity);
		r->metric = rc->metric;
		r->op = (int)rc->op;
		r->threshold = rc->threshold;
		r->for_s = (unsigned)((rc->for_ms + 999) / 1000);
		r->need_bad = 1;
		r->need_good = 1;
		r->channels = rc->channels;
		r->n_channels = rc->n_channels;
		e->n_rules++;
	}
	return 0;
}

/* Admin status of the interface, from the model: 1 up, else not. */
static int ar_admin_up(struct alert_engine *e, const char *device, const char *ifname)
{
	const struct model_device *d = model_find_device(e->model, device);
	const struct model_if *i = d ? model_device_find_if(d, ifname) : NULL;
	return i && i->admin == 1;
}

void ae_rule_apply(struct alert_engine *e, const struct ae_rule *rule,
		   const struct sample_set *s, int bad, const char *detail)
{
	/* Reachability objects exist from the first poll: its first good
	 * one is recorded (ae_record_watched). */
	struct ae_obj *o = ae_obj_get(e, rule->name, s->device,
				      s->object == METRIC_OBJ_DEVICE ? NULL : s->name,
				      bad || rule->metric == METRIC_DEVICE_REACHABLE);

	if (o == NULL)
		return;
	if (!bad && o->is_device && !o->watched && o->state == AE_OK)
		ae_record_watched(e, o, s->t);
	o->watched = 1;
	if (!bad) {
		o->rule = rule;
		ae_obj_good(e, o, s->t);
		return;
	}
	ae_obj_bad(e, o, rule, s->t, detail);
}

void ae_rules_sample(struct alert_engine *e, const struct sample_set *s)
{
	for (size_t r = 0; r < e->n_rules; r++) {
		const struct ae_rule *rule = &e->rules[r];
		const struct metric_def *md = metric_get(rule->metric);
		double v = NAN;
		char detail[160];
		int bad;

		if (md == NULL || md->object != s->object)
			continue;
		if (rule->optics) {
			ae_optics_sample(e, rule, s);
			continue;
		}
		for (size_t k = 0; k < s->n; k++)
			if (s->metrics[k] == rule->metric)
				v = s->values[k];
		if (isnan(v) || s->device == NULL)
			continue;       /* unknown stays unknown: neither bad nor good */
		bad = rule_op_holds((enum rule_op)rule->op, v, rule->threshold);
		if (bad && rule->iface_admin_up && !ar_admin_up(e, s->device, s->name))
			bad = 0;
		detail[0] = '\0';
		if (bad && rule->metric == METRIC_DEVICE_REACHABLE) {
			const struct model_device *d = model_find_device(e->model, s->device);
			snprintf(detail, sizeof(detail), "%s", d && d->error ? d->error : "no answer");
		} else if (bad && rule->metric == METRIC_IF_OPER) {
			snprintf(detail, sizeof(detail), "ifOperStatus %g", v);
		} else if (bad) {
			snprintf(detail, sizeof(detail), "%s %g %s %g %s", md->name, v,
				 rule_op_name((enum rule_op)rule->op), rule->threshold, md->unit);
		}
		ae_rule_apply(e, rule, s, bad, detail);
	}
}
