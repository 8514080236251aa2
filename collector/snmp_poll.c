/*
 * snmp_poll.c — asynchronous Net-SNMP sessions on the libevent loop.
 * See snmp_poll.h for the contract.
 *
 * Life of a poll: snmp_dev_poll() opens the session if needed, begins an
 * if_walk and sends its first request.  on_read() hands the readable socket
 * to snmp_sess_read2(), which calls snmp_dev_on_pdu() with the reply; that
 * feeds the walk and sends the next request, or finishes.  on_timer()
 * lets snmp_sess_timeout() retransmit or report a timeout.  Finishing
 * always goes through snmp_dev_finish(), which calls the done callback once.
 *
 * Before a device's first request: its name is resolved (RESOLVING, a
 * getaddrinfo_a() request polled every 20 ms by ev_resolve; a poll that
 * starts meanwhile waits for it), then its session is opened on the
 * numeric address, which does no I/O: Net-SNMP's own engine discovery is
 * switched off (SNMP_FLAGS_DONT_PROBE; snmp_sess_open clears the flag, so
 * it is set again on the open session).  An SNMPv3 poll whose engine is
 * not known starts with snmp_dev_send_probe(); the REPORT's engine ID goes
 * into the session and the user's keys are localized for it
 * (usm_create_user_from_session), then the walk begins.  The engine time
 * needs nothing of ours: a notInTimeWindow REPORT makes Net-SNMP resend
 * with the agent's time.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "collector/snmp_poll.h"

#include <net-snmp/library/large_fd_set.h>
#include "common/log.h"

/* Things logged once per device (struct snmp_dev.logged). */
enum {
	SNMP_LOG_LEGACY = 1u << 0,
	SNMP_LOG_NO_COUNTERS = 1u << 1,
	SNMP_LOG_NO_IFTABLE = 1u << 2,
	SNMP_LOG_DESCR = 1u << 3,
	SNMP_LOG_COUNTERS32 = 1u << 4,
	SNMP_LOG_DUPLICATES = 1u << 5,
	SNMP_LOG_UNNAMED = 1u << 6,
	SNMP_LOG_TRUNCATED = 1u << 7,
	SNMP_LOG_NO_UPTIME = 1u << 8,
};

#define SNMP_ENGINE_ID_MAX 32   /* RFC 3411: snmpEngineID is 5..32 octets */

/* A name lookup in glibc's resolver threads.  Heap-allocated on its own:
 * one still running when its device is freed is handed to
 * snmp_poll_orphans and reaped later, never freed under the resolver. */
struct snmp_lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char *name;
	struct snmp_lookup *next;
};
static struct snmp_lookup *snmp_poll_orphans;

struct snmp_dev {
	struct event_base *base;
	const struct device_conf *conf;
	snmp_poll_done_fn *done;
	void *arg;
	unsigned max_varbinds;       /* current, halves on tooBig */

	void *sess;                  /* Net-SNMP single session, NULL until open */
	struct event *ev_read;
	struct event *ev_timer;      /* retransmission timer */
	struct event *ev_defer;      /* completes a poll outside snmp_dev_poll */
	struct event *ev_resolve;    /* polls a name lookup in progress */
	struct snmp_lookup *lookup;  /* in progress, or NULL */
	char addr[INET6_ADDRSTRLEN]; /* the agent's numeric address, "" = unknown */
	int busy;
	int reqid;                   /* request in flight, 0 = none */
	int answered_reqid;          /* the last request whose answer was taken */

	/* SNMPv3 engine discovery */
	int probing;                 /* the request in flight is our probe */
	int engine_known;            /* the session holds a current engine ID */
	int probed_this_poll;        /* the agent answered discovery this poll */
	unsigned char engine_id[SNMP_ENGINE_ID_MAX];
	size_t engine_len;           /* last engine ID seen, 0 = none yet */

	enum if_walk_mode mode;
	int mode_known;              /* HC vs legacy decided by a first poll */
	unsigned extra;              /* IF_WALK_WITH_* columns found necessary */
	int extra_known;             /* decided by a first walk */
	unsigned logged;             /* SNMP_LOG_* already said */
	struct if_walk walk;
	struct snmp_extra_walk second;  /* the device profile's walk, or all NULL */
	int second_phase;            /* that walk is running */

	double t_sent;               /* first request of this poll */
	struct snmp_poll_result res;
	char error[512];
};

static double snmp_poll_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void snmp_poll_library_init(const char *app_name)
{
	/* A daemon must not depend on whatever /etc/snmp/snmp.conf or the
	 * MIB files of the host say, nor write persistent state there. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	setenv("MIBS", "", 1);
	init_snmp(app_name);
}

/* Reap orphaned lookups that have finished; with WAIT, wait for all. */
static void snmp_poll_reap_orphans(int wait)
{
	struct snmp_lookup **pp = &snmp_poll_orphans;
	while (*pp != NULL) {
		struct snmp_lookup *l = *pp;
		if (wait) {
			const struct gaicb *list[1] = { &l->cb };
			while (gai_error(&l->cb) == EAI_INPROGRESS)
				gai_suspend(list, 1, NULL);
		}
		if (gai_error(&l->cb) == EAI_INPROGRESS) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		if (l->cb.ar_result)
			freeaddrinfo(l->cb.ar_result);
		free(l->name);
		free(l);
	}
}

void snmp_poll_library_shutdown(const char *app_name)
{
	snmp_poll_reap_orphans(1);
	snmp_shutdown(app_name);
}

/* End the poll and call back once.  FMT NULL keeps d->error as it is. */
static void snmp_dev_finish(struct snmp_dev *d, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void snmp_dev_finish(struct snmp_dev *d, int status, const char *fmt, ...)
{
	if (!d->busy)
		return;
	d->busy = 0;
	d->reqid = 0;
	d->probing = 0;
	event_del(d->ev_timer);
	d->res.status = status;
	d->res.error = status != 0 ? d->error : NULL;
	if (status != 0 && fmt != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(d->error, sizeof(d->error), fmt, ap);
		va_end(ap);
	}
	d->res.walk = &d->walk;
	d->res.malformed = d->walk.malformed;
	d->res.malformed_what = d->walk.malformed_what;
	d->res.have_uptime = d->walk.have_uptime;
	d->res.uptime_ticks = d->walk.uptime_ticks;
	d->done(d->arg, &d->res);
	/* The rows are only lent to the callback: holding a device's table
	 * between polls would cost ~200 bytes per interface for nothing. */
	if_walk_cleanup(&d->walk);
}

/* Log MSG at info level once in this device's life. */
static void snmp_dev_log_once(struct snmp_dev *d, unsigned what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void snmp_dev_log_once(struct snmp_dev *d, unsigned what, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (d->logged & what)
		return;
	d->logged |= what;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_info("%s: %s", d->conf->name, msg);
}

static const char *snmp_dev_error_text(int type, int *status);

/* Arm the retransmission timer from what Net-SNMP says it needs. */
static void snmp_dev_arm_timer(struct snmp_dev *d)
{
	netsnmp_large_fd_set fds;
	struct timeval tv = { 0, 0 };
	/* block = 1 on input: "no deadline of our own".  With 0 the zero tv
	 * is taken as the caller's deadline and comes back unchanged, so the
	 * timer fired at once, again and again, until the reply arrived. */
	int numfds = 0, block = 1;

	netsnmp_large_fd_set_init(&fds, FD_SETSIZE);
	snmp_sess_select_info2(d->sess, &numfds, &fds, &tv, &block);
	netsnmp_large_fd_set_cleanup(&fds);
	if (!block) {
		event_add(d->ev_timer, &tv);
		return;
	}
	event_del(d->ev_timer);
	if (d->busy && d->reqid != 0) {
		/* We wait for a reply but Net-SNMP has nothing outstanding: it
		 * dropped the request without calling back, which it does on
		 * some SNMPv3 reports (unknown user, for one).  The session's
		 * last error says why. */
		netsnmp_session *ss = snmp_sess_session(d->sess);
		int err = ss ? ss->s_snmp_errno : 0, status;
		const char *text = snmp_dev_error_text(err, &status);
		snmp_dev_finish(d, status, "%s", text ? text
				: err ? snmp_api_errstring(err) : "request dropped by the SNMP library");
	}
}

static int snmp_dev_on_pdu(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu,
			   void *magic);

/* Build and send the walk's next request.  Returns 1 when sent, 0 when the
 * walk is complete, negative on a send failure (poll finished). */
static int snmp_dev_send_next(struct snmp_dev *d)
{
	int cmd = d->conf->snmp.version == 1 ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK;
	netsnmp_pdu *pdu = snmp_pdu_create(cmd);
	if (pdu == NULL) {
		snmp_dev_finish(d, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	int n = d->second_phase ? d->second.fill(d->second.ctx, pdu, d->max_varbinds)
		: if_walk_fill_request(&d->walk, pdu);
	if (n == 0) {
		snmp_free_pdu(pdu);
		return 0;
	}
	d->reqid = pdu->reqid;
	if (snmp_sess_async_send(d->sess, pdu, snmp_dev_on_pdu, d) == 0) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;
		snmp_sess_error(d->sess, &liberr, &syserr, &msg);
		snmp_free_pdu(pdu);
		snmp_dev_finish(d, -EIO, "send failed: %s", msg ? msg : "unknown error");
		free(msg);
		return -EIO;
	}
	d->res.requests++;
	snmp_dev_arm_timer(d);
	return 1;
}

/* Start the walk of this poll (after discovery, when there was one). */
static void snmp_dev_begin_walk(struct snmp_dev *d)
{
	if (d->res.requests == 0)
		d->t_sent = snmp_poll_now();
	if_walk_begin(&d->walk, d->mode, d->max_varbinds, d->extra);
	d->second_phase = 0;
	if (snmp_dev_send_next(d) == 0)
		snmp_dev_finish(d, -EPROTO, "nothing to ask");
}

/* After the first walk in ifTable mode: say once what the device lacks. */
static void snmp_dev_check_legacy(struct snmp_dev *d)
{
	int v1 = d->conf->snmp.version == 1;
	if (d->walk.n_rows == 0) {
		snmp_dev_log_once(d, SNMP_LOG_NO_IFTABLE,
				  v1 ? "the SNMPv1 agent has no ifTable: no interfaces to poll"
				     : "no ifXTable and no ifTable: no interfaces to poll");
	} else if (!if_walk_has_column(&d->walk, IF_COL_IN_OCT) &&
		   !if_walk_has_column(&d->walk, IF_COL_OUT_OCT)) {
		snmp_dev_log_once(d, SNMP_LOG_NO_COUNTERS,
				  "ifTable has no ifInOctets/ifOutOctets either: "
				  "its %zu interfaces are listed without traffic", d->walk.n_rows);
	}
}

/* After an HC walk: the extra columns some interfaces need.  Returns the
 * IF_WALK_WITH_* bits, logging once why. */
static unsigned snmp_dev_extra_needed(struct snmp_dev *d)
{
	unsigned want = d->extra;
	const char *lacks_hc = NULL, *unnamed = NULL;
	for (size_t i = 0; i < d->walk.n_rows; i++) {
		const struct if_row *r = &d->walk.rows[i];
		int named = r->name != NULL && r->name[0] != '\0';
		if (!named && !unnamed)
			unnamed = "";
		if (if_row_lacks_hc(r) && !lacks_hc)
			lacks_hc = named ? r->name : "";
	}
	if (unnamed && !(want & IF_WALK_WITH_DESCR)) {
		want |= IF_WALK_WITH_DESCR;
		snmp_dev_log_once(d, SNMP_LOG_DESCR,
				  "some interfaces have no ifName: naming them by ifDescr");
	}
	if (lacks_hc && !(want & IF_WALK_WITH_COUNTERS32)) {
		want |= IF_WALK_WITH_COUNTERS32;
		snmp_dev_log_once(d, SNMP_LOG_COUNTERS32,
				  "some interfaces lack 64-bit counters (%s%s): "
				  "their 32-bit ifTable counters are polled too",
				  lacks_hc[0] ? "e.g. " : "", lacks_hc[0] ? lacks_hc : "unnamed ones");
	}
	return want;
}

/* The rows are final: identities, and what to say once about them. */
static void snmp_dev_name_rows(struct snmp_dev *d)
{
	struct if_walk_names nm;
	if (if_walk_name_rows(&d->walk, &nm) < 0)
		log_warn("%s: out of memory naming interfaces", d->conf->name);
	if (nm.duplicates > 0)
		snmp_dev_log_once(d, SNMP_LOG_DUPLICATES,
				  "%u interfaces share a name (e.g. '%s'): each is kept "
				  "as NAME#ifIndex.N", nm.duplicates, nm.first_duplicate);
	if (nm.unnamed > 0)
		snmp_dev_log_once(d, SNMP_LOG_UNNAMED,
				  "%u interfaces have neither ifName nor ifDescr: "
				  "kept as ifIndex.N", nm.unnamed);
	if (d->walk.truncated)
		snmp_dev_log_once(d, SNMP_LOG_TRUNCATED,
				  "the interface walk was cut at %d rows: interfaces "
				  "beyond ifIndex %u are not polled", IF_WALK_MAX_ROWS,
				  d->walk.n_rows ? d->walk.rows[d->walk.n_rows - 1].ifindex : 0);
	if (d->walk.no_uptime && !d->walk.have_uptime)
		snmp_dev_log_once(d, SNMP_LOG_NO_UPTIME,
				  "the agent has no sysUpTime.0: rates use our clock");
}

/* The walk completed: decide about modes, maybe walk again, else finish. */
static void snmp_dev_walk_complete(struct snmp_dev *d)
{
	if (d->second_phase) {
		snmp_dev_finish(d, 0, NULL);   /* the profile's walk ended too */
		return;
	}
	if (!d->mode_known && d->mode == IF_WALK_HC) {
		d->mode_known = 1;
		if (!if_walk_has_column(&d->walk, IF_COL_HC_IN_OCT) &&
		    !if_walk_has_column(&d->walk, IF_COL_NAME)) {
			snmp_dev_log_once(d, SNMP_LOG_LEGACY,
					  "no ifXTable (no ifName, no 64-bit counters): "
					  "using ifTable with 32-bit counters");
			d->mode = IF_WALK_LEGACY;
			snmp_dev_begin_walk(d);
			return;
		}
	}
	d->mode_known = 1;
	if (d->mode == IF_WALK_LEGACY) {
		snmp_dev_check_legacy(d);
	} else {
		unsigned want = snmp_dev_extra_needed(d);
		if (want != d->extra) {
			/* From the next poll on; the device's first poll walks
			 * again at once, so its rows are whole. */
			d->extra = want;
			if (!d->extra_known) {
				d->extra_known = 1;
				snmp_dev_begin_walk(d);
				return;
			}
		}
	}
	d->extra_known = 1;
	snmp_dev_name_rows(d);
	if (d->second.fill != NULL) {
		/* The interfaces are done: the profile's columns next, on the
		 * same session (0 = it has nothing to ask). */
		d->second_phase = 1;
		if (snmp_dev_send_next(d) != 0)
			return;
	}
	snmp_dev_finish(d, 0, NULL);
}

/* A clear sentence for the Net-SNMP errors a user can fix; NULL for others.
 * Sets *STATUS to -EACCES for credential problems, -EPROTO otherwise. */
static const char *snmp_dev_error_text(int type, int *status)
{
	*status = -EPROTO;
	switch (type) {
	case SNMPERR_AUTHENTICATION_FAILURE:
		*status = -EACCES;
		return "SNMPv3 authentication failed (wrong auth password or protocol?)";
	case SNMPERR_UNKNOWN_USER_NAME:
		*status = -EACCES;
		return "SNMPv3 unknown user name";
	case SNMPERR_DECRYPTION_ERR:
		*status = -EACCES;
		return "SNMPv3 decryption failed (wrong priv password or protocol?)";
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		*status = -EACCES;
		return "SNMPv3 security level not supported by the agent";
	default:
		return NULL;
	}
}

static const char *snmp_dev_report_text(netsnmp_pdu *pdu, int *status)
{
	int type = snmpv3_get_report_type(pdu);
	const char *text = snmp_dev_error_text(type, status);
	return text ? text : snmp_api_errstring(type);
}

/* ---- SNMPv3 engine discovery ---------------------------------------- */

static void snmp_dev_clear_engine(netsnmp_session *ss)
{
	free(ss->securityEngineID);
	ss->securityEngineID = NULL;
	ss->securityEngineIDLen = 0;
	free(ss->contextEngineID);
	ss->contextEngineID = NULL;
	ss->contextEngineIDLen = 0;
}

/* Send the discovery probe: a GET with no varbinds, no user and no engine
 * ID at noAuthNoPriv.  The agent answers with a REPORT
 * (usmStatsUnknownEngineIDs) that carries its engine ID, boots and time. */
static void snmp_dev_send_probe(struct snmp_dev *d)
{
	netsnmp_session *ss = snmp_sess_session(d->sess);
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

	d->engine_known = 0;
	snmp_dev_clear_engine(ss);   /* else the probe would carry the old one */
	if (pdu == NULL) {
		snmp_dev_finish(d, -ENOMEM, "out of memory");
		return;
	}
	pdu->version = SNMP_VERSION_3;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->contextName = strdup("");
	pdu->contextNameLen = 0;
	if (pdu->securityName == NULL || pdu->contextName == NULL) {
		snmp_free_pdu(pdu);
		snmp_dev_finish(d, -ENOMEM, "out of memory");
		return;
	}
	d->probing = 1;
	d->reqid = pdu->reqid;
	if (snmp_sess_async_send(d->sess, pdu, snmp_dev_on_pdu, d) == 0) {
		snmp_free_pdu(pdu);
		snmp_dev_finish(d, -EIO, "SNMPv3 engine discovery: send failed");
		return;
	}
	snmp_dev_arm_timer(d);
}

/* The agent answered the probe: take its engine ID, localize the user's
 * keys for it, and begin the walk. */
static void snmp_dev_probe_answered(struct snmp_dev *d, netsnmp_session *ss, netsnmp_pdu *pdu)
{
	size_t len = pdu->securityEngineIDLen;

	d->probing = 0;
	if (len == 0 || len > SNMP_ENGINE_ID_MAX || pdu->securityEngineID == NULL) {
		snmp_dev_finish(d, -EPROTO, "SNMPv3 engine discovery: the agent's answer "
				"carries no valid engine ID (%zu octets)", len);
		return;
	}
	int changed = d->engine_len > 0 &&
		      (len != d->engine_len || memcmp(d->engine_id, pdu->securityEngineID, len) != 0);
	snmp_dev_clear_engine(ss);
	ss->securityEngineID = netsnmp_memdup(pdu->securityEngineID, len);
	ss->contextEngineID = netsnmp_memdup(pdu->securityEngineID, len);
	if (ss->securityEngineID == NULL || ss->contextEngineID == NULL) {
		snmp_dev_clear_engine(ss);
		snmp_dev_finish(d, -ENOMEM, "out of memory");
		return;
	}
	ss->securityEngineIDLen = ss->contextEngineIDLen = len;
	/* A user (keys localized to this engine) exists per engine ID;
	 * Net-SNMP creates it once per session unless told again. */
	ss->flags &= ~SNMP_FLAGS_USER_CREATED;
	if (usm_create_user_from_session(ss) != SNMPERR_SUCCESS) {
		snmp_dev_clear_engine(ss);
		snmp_dev_finish(d, -EIO, "SNMPv3: cannot set up the user for the agent's engine");
		return;
	}
	if (changed)
		log_info("%s: SNMPv3 engine ID changed (device replaced, reset or failed "
			 "over): rediscovered", d->conf->name);
	memcpy(d->engine_id, pdu->securityEngineID, len);
	d->engine_len = len;
	d->engine_known = 1;
	d->probed_this_poll = 1;
	snmp_dev_begin_walk(d);
}

static void snmp_dev_timed_out(struct snmp_dev *d)
{
	const struct snmp_settings *s = &d->conf->snmp;
	char tries[64];

	snprintf(tries, sizeof(tries), "%u tries of %.1f s", s->retries + 1, s->timeout_ms / 1000.0);
	/* Whatever the cause, the next poll discovers the engine again: the
	 * agent may have been replaced, and a discovery that succeeds tells
	 * "down" from "does not like our requests". */
	if (s->version == 3)
		d->engine_known = 0;
	if (d->probing) {
		snmp_dev_finish(d, -ETIMEDOUT, "no response from %s:%u to SNMPv3 engine "
				"discovery (%s)", d->conf->host, d->conf->port, tries);
	} else if (s->version == 3 && d->probed_this_poll && s->priv_proto != SNMP_PRIV_NONE) {
		/* The agent is up (it answered discovery a moment ago) but
		 * says nothing to our authPriv request: agents drop what
		 * they cannot decrypt without a word. */
		snmp_dev_finish(d, -ETIMEDOUT, "no response from %s:%u to authPriv requests (%s), "
				"although the agent answered engine discovery: check the SNMPv3 "
				"priv password and protocol", d->conf->host, d->conf->port, tries);
	} else {
		snmp_dev_finish(d, -ETIMEDOUT, "no response from %s:%u (%s)",
				d->conf->host, d->conf->port, tries);
	}
}

/* ---- replies --------------------------------------------------------- */

static int snmp_dev_on_pdu(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu,
			   void *magic)
{
	struct snmp_dev *d = magic;

	/* A REPORT answers a message the agent could not authenticate or
	 * decrypt, so it need not carry our request-id: take it while busy.
	 * Net-SNMP may hand one REPORT over twice (as a security error and as
	 * a message): the second, for a request already answered, is
	 * ignored. */
	int report = (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE ||
		      op == NETSNMP_CALLBACK_OP_SEC_ERROR) &&
		     pdu != NULL && pdu->command == SNMP_MSG_REPORT;
	if (!d->busy || d->reqid == 0 || (reqid != d->reqid && !report) ||
	    (report && reqid != 0 && reqid == d->answered_reqid))
		return 1;       /* a late reply to a poll already given up */
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;       /* a retransmission went out; keep waiting */
	if (report && !d->probing && snmpv3_get_report_type(pdu) == SNMPERR_NOT_IN_TIME_WINDOW)
		return 1;       /* Net-SNMP resends with the agent's boots and time */
	d->answered_reqid = d->reqid;
	d->reqid = 0;
	if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
		snmp_dev_timed_out(d);
		return 1;
	}
	if (op == NETSNMP_CALLBACK_OP_SEC_ERROR && !report) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;
		snmp_sess_error(d->sess, &liberr, &syserr, &msg);
		snmp_dev_finish(d, -EACCES, "SNMP security error: %s", msg ? msg : "unknown");
		free(msg);
		return 1;
	}
	if ((op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && !report) || pdu == NULL) {
		snmp_dev_finish(d, -EIO, "SNMP session error (op %d)", op);
		return 1;
	}
	if (d->probing) {
		snmp_dev_probe_answered(d, ss, pdu);
		return 1;
	}
	double now = snmp_poll_now();
	if (d->res.requests == 1 && d->res.rtt_s == 0)
		d->res.rtt_s = now - d->t_sent;

	if (report) {
		if (snmpv3_get_report_type(pdu) == SNMPERR_UNKNOWN_ENG_ID && !d->probed_this_poll) {
			/* Our engine ID is not the agent's any more: another
			 * box, or the same one reset.  Discover it now. */
			snmp_dev_send_probe(d);
			return 1;
		}
		int status;
		const char *text = snmp_dev_report_text(pdu, &status);
		snmp_dev_finish(d, status, "%s", text);
		return 1;
	}
	if (d->second_phase && pdu->errstat != SNMP_ERR_NOERROR &&
	    !(pdu->errstat == SNMP_ERR_TOOBIG && d->max_varbinds > 2)) {
		/* noSuchName ends a column (SNMPv1); any other error ends the
		 * profile's walk with what it has, and the poll stands. */
		if (pdu->errstat != SNMP_ERR_NOSUCHNAME ||
		    d->second.ended(d->second.ctx, pdu->errindex) < 0 || snmp_dev_send_next(d) == 0)
			snmp_dev_walk_complete(d);
		return 1;
	}
	if (pdu->errstat == SNMP_ERR_TOOBIG && d->max_varbinds > 2) {
		/* The agent cannot fit the reply: ask for less, same place. */
		d->max_varbinds /= 2;
		d->walk.max_varbinds = d->max_varbinds;
		if (snmp_dev_send_next(d) == 0)
			snmp_dev_walk_complete(d);
		return 1;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME) {
		/* SNMPv1's end of a column. */
		if (if_walk_column_ended(&d->walk, pdu->errindex) < 0) {
			snmp_dev_finish(d, -EPROTO, "agent error noSuchName at bad index %ld",
					pdu->errindex);
			return 1;
		}
		if (snmp_dev_send_next(d) == 0)
			snmp_dev_walk_complete(d);
		return 1;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		snmp_dev_finish(d, -EPROTO, "agent error: %s (index %ld)",
				snmp_errstring(pdu->errstat), pdu->errindex);
		return 1;
	}
	int more = d->second_phase ? d->second.feed(d->second.ctx, pdu)
		: if_walk_feed(&d->walk, pdu, now);
	if (more == 1) {
		if (snmp_dev_send_next(d) == 0)
			snmp_dev_walk_complete(d);
	} else {
		snmp_dev_walk_complete(d);
	}
	return 1;
}

static void snmp_dev_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct snmp_dev *d = arg;
	netsnmp_large_fd_set fds;

	unsigned sent = d->res.requests;
	netsnmp_large_fd_set_init(&fds, fd + 1);
	NETSNMP_LARGE_FD_SET(fd, &fds);
	snmp_sess_read2(d->sess, &fds);
	netsnmp_large_fd_set_cleanup(&fds);
	/* A reply that led to the next request armed the timer already; else
	 * (a late reply, or one Net-SNMP swallowed) look again, which also
	 * notices a request the library dropped. */
	if (d->busy && d->reqid != 0 && d->res.requests == sent)
		snmp_dev_arm_timer(d);
}

static void snmp_dev_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct snmp_dev *d = arg;

	snmp_sess_timeout(d->sess);   /* retransmits, or calls back TIMED_OUT */
	if (d->busy && d->reqid != 0)
		snmp_dev_arm_timer(d);
}

static void snmp_dev_on_defer(evutil_socket_t fd, short what, void *arg)
{
	struct snmp_dev *d = arg;
	snmp_dev_finish(d, -EIO, NULL);   /* d->error was set by snmp_dev_open */
}

/* ---- opening: the agent's address, the session, its socket ----------- */

/* Replies only from the agent's address and port: a connected UDP socket
 * makes the kernel drop every other datagram (Net-SNMP's own socket
 * accepts any sender whose reply carries a pending request-id).  D->addr
 * is numeric, so this getaddrinfo does no lookup. */
static void snmp_dev_connect(struct snmp_dev *d, int sock)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	}, *ai = NULL;
	char port[8];

	snprintf(port, sizeof(port), "%u", d->conf->port);
	if (getaddrinfo(d->addr, port, &hints, &ai) != 0 || ai == NULL)
		return;
	if (connect(sock, ai->ai_addr, ai->ai_addrlen) < 0)
		log_warn("%s: cannot bind the SNMP socket to %s:%s (%s): replies from "
			 "other addresses are not filtered", d->conf->name, d->addr, port,
			 strerror(errno));
	freeaddrinfo(ai);
}

/* Copy HOST to OUT when it is an address literal (no lookup needed). */
static int snmp_dev_numeric(const char *host, char *out, size_t size)
{
	unsigned char buf[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, host, buf) != 1 && inet_pton(AF_INET6, host, buf) != 1)
		return 0;
	snprintf(out, size, "%s", host);
	return 1;
}

static void snmp_lookup_free(struct snmp_lookup *l)
{
	if (l == NULL)
		return;
	if (l->cb.ar_result)
		freeaddrinfo(l->cb.ar_result);
	free(l->name);
	free(l);
}

static const struct timeval snmp_dev_resolve_tick = { 0, 20000 };

/* Start resolving the device's host name in glibc's resolver threads. */
static int snmp_dev_lookup_start(struct snmp_dev *d)
{
	struct snmp_lookup *l = calloc(1, sizeof(*l));
	if (l == NULL || (l->name = strdup(d->conf->host)) == NULL) {
		snmp_lookup_free(l);
		snprintf(d->error, sizeof(d->error), "out of memory");
		return -ENOMEM;
	}
	/* IPv4, as a name always meant ("udp:NAME"); write an IPv6 address
	 * as a literal. */
	l->hints.ai_family = AF_INET;
	l->hints.ai_socktype = SOCK_DGRAM;
	l->cb.ar_name = l->name;
	l->cb.ar_request = &l->hints;
	struct gaicb *list[1] = { &l->cb };
	int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0) {
		snprintf(d->error, sizeof(d->error), "cannot resolve %s: %s",
			 d->conf->host, gai_strerror(rc));
		snmp_lookup_free(l);
		return -EIO;
	}
	d->lookup = l;
	evtimer_add(d->ev_resolve, &snmp_dev_resolve_tick);
	return 0;
}

static int snmp_dev_open(struct snmp_dev *d);
static void snmp_dev_start(struct snmp_dev *d);

static void snmp_dev_on_resolve(evutil_socket_t fd, short what, void *arg)
{
	struct snmp_dev *d = arg;
	struct snmp_lookup *l = d->lookup;
	int rc = gai_error(&l->cb);

	if (rc == EAI_INPROGRESS) {
		evtimer_add(d->ev_resolve, &snmp_dev_resolve_tick);
		return;
	}
	d->lookup = NULL;
	if (rc == 0 && l->cb.ar_result != NULL) {
		const struct addrinfo *ai = l->cb.ar_result;
		const void *a = ai->ai_family == AF_INET6
			? (const void *)&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
			: (const void *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
		if (inet_ntop(ai->ai_family, a, d->addr, sizeof(d->addr)) == NULL)
			d->addr[0] = '\0';
	}
	if (d->addr[0] == '\0')
		snprintf(d->error, sizeof(d->error), "cannot resolve %s: %s", d->conf->host,
			 rc == 0 ? "no address" : gai_strerror(rc));
	snmp_lookup_free(l);
	int ok = d->addr[0] != '\0' && snmp_dev_open(d) == 0;
	if (d->busy) {
		if (ok)
			snmp_dev_start(d);
		else
			snmp_dev_finish(d, -EIO, NULL);
	} else if (!ok) {
		log_warn("%s: %s; will retry at each poll", d->conf->name, d->error);
	}
}

static int snmp_dev_open(struct snmp_dev *d)
{
	const struct device_conf *c = d->conf;
	const struct snmp_settings *s = &c->snmp;
	netsnmp_session ss;
	char peer[320];

	/* snmp_sess_init sets SNMP_FLAGS_DONT_PROBE: the open does no I/O. */
	snmp_sess_init(&ss);
	if (strchr(d->addr, ':') != NULL)
		snprintf(peer, sizeof(peer), "udp6:[%s]:%u", d->addr, c->port);
	else
		snprintf(peer, sizeof(peer), "udp:%s:%u", d->addr, c->port);
	ss.peername = peer;
	/* The session-level callback too: Net-SNMP hands some SNMPv3 reports
	 * (unknown user, wrong digest) only to it. */
	ss.callback = snmp_dev_on_pdu;
	ss.callback_magic = d;
	ss.timeout = (long)s->timeout_ms * 1000L;
	ss.retries = (int)s->retries;
	if (s->version == 3) {
		ss.version = SNMP_VERSION_3;
		ss.securityName = s->user;
		ss.securityNameLen = s->user ? strlen(s->user) : 0;
		ss.securityLevel = s->priv_proto != SNMP_PRIV_NONE ? SNMP_SEC_LEVEL_AUTHPRIV
				   : s->auth_proto != SNMP_AUTH_NONE ? SNMP_SEC_LEVEL_AUTHNOPRIV
				   : SNMP_SEC_LEVEL_NOAUTH;
		if (s->context) {
			ss.contextName = s->context;
			ss.contextNameLen = strlen(s->context);
		}
		if (s->auth_proto != SNMP_AUTH_NONE) {
			if (s->auth_proto == SNMP_AUTH_SHA256) {
				ss.securityAuthProto = usmHMAC192SHA256AuthProtocol;
				ss.securityAuthProtoLen = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
			} else {
				ss.securityAuthProto = usmHMACSHA1AuthProtocol;
				ss.securityAuthProtoLen = OID_LENGTH(usmHMACSHA1AuthProtocol);
			}
			ss.securityAuthKeyLen = USM_AUTH_KU_LEN;
			if (generate_Ku(ss.securityAuthProto, (u_int)ss.securityAuthProtoLen,
					(const u_char *)s->auth_password, strlen(s->auth_password),
					ss.securityAuthKey, &ss.securityAuthKeyLen) != SNMPERR_SUCCESS) {
				snprintf(d->error, sizeof(d->error), "cannot derive the SNMPv3 auth key");
				return -EINVAL;
			}
		}
		if (s->priv_proto == SNMP_PRIV_AES) {
			ss.securityPrivProto = usmAESPrivProtocol;
			ss.securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
			ss.securityPrivKeyLen = USM_PRIV_KU_LEN;
			if (generate_Ku(ss.securityAuthProto, (u_int)ss.securityAuthProtoLen,
					(const u_char *)s->priv_password, strlen(s->priv_password),
					ss.securityPrivKey, &ss.securityPrivKeyLen) != SNMPERR_SUCCESS) {
				snprintf(d->error, sizeof(d->error), "cannot derive the SNMPv3 priv key");
				return -EINVAL;
			}
		}
	} else {
		ss.version = s->version == 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
		ss.community = (u_char *)(s->community ? s->community : "public");
		ss.community_len = strlen((const char *)ss.community);
	}

	d->sess = snmp_sess_open(&ss);
	if (d->sess == NULL) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;
		snmp_error(&ss, &liberr, &syserr, &msg);
		snprintf(d->error, sizeof(d->error), "cannot open SNMP session to %s: %s",
			 peer, msg ? msg : "unknown error");
		free(msg);
		return -EIO;
	}
	/* The open cleared the flag again; without it, a send whose engine
	 * is unknown would run Net-SNMP's blocking discovery. */
	snmp_sess_session(d->sess)->flags |= SNMP_FLAGS_DONT_PROBE;
	netsnmp_transport *t = snmp_sess_transport(d->sess);
	snmp_dev_connect(d, t->sock);
	d->ev_read = event_new(d->base, t->sock, EV_READ | EV_PERSIST, snmp_dev_on_read, d);
	if (d->ev_read == NULL || event_add(d->ev_read, NULL) != 0) {
		snprintf(d->error, sizeof(d->error), "cannot watch the SNMP socket");
		return -ENOMEM;
	}
	return 0;
}

struct snmp_dev *snmp_dev_new(struct event_base *base, const struct device_conf *dev,
			      unsigned bulk_max_varbinds, snmp_poll_done_fn *done, void *arg)
{
	struct snmp_dev *d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->base = base;
	d->conf = dev;
	d->done = done;
	d->arg = arg;
	d->max_varbinds = bulk_max_varbinds < 2 ? 2 : bulk_max_varbinds;
	d->mode = dev->snmp.version == 1 ? IF_WALK_LEGACY : IF_WALK_HC;
	d->mode_known = dev->snmp.version == 1;
	if_walk_init(&d->walk);
	d->ev_timer = evtimer_new(base, snmp_dev_on_timer, d);
	d->ev_defer = evtimer_new(base, snmp_dev_on_defer, d);
	d->ev_resolve = evtimer_new(base, snmp_dev_on_resolve, d);
	if (d->ev_timer == NULL || d->ev_defer == NULL || d->ev_resolve == NULL) {
		snmp_dev_free(d);
		return NULL;
	}
	/* An address opens now (no I/O); a name is looked up off the loop
	 * and opens when the answer comes.  A failure is retried at poll
	 * time (and reported by that poll). */
	if (snmp_dev_numeric(dev->host, d->addr, sizeof(d->addr))) {
		if (snmp_dev_open(d) < 0)
			log_warn("%s: %s; will retry at each poll", dev->name, d->error);
	} else if (snmp_dev_lookup_start(d) < 0) {
		log_warn("%s: %s; will retry at each poll", dev->name, d->error);
	}
	return d;
}

void snmp_dev_free(struct snmp_dev *d)
{
	if (d == NULL)
		return;
	if (d->lookup != NULL) {
		/* A lookup still running belongs to the resolver until it
		 * ends: park it, never free it under the resolver thread. */
		if (gai_cancel(&d->lookup->cb) == EAI_NOTCANCELED) {
			d->lookup->next = snmp_poll_orphans;
			snmp_poll_orphans = d->lookup;
		} else {
			snmp_lookup_free(d->lookup);
		}
		d->lookup = NULL;
	}
	snmp_poll_reap_orphans(0);
	if (d->ev_read)
		event_free(d->ev_read);
	if (d->ev_timer)
		event_free(d->ev_timer);
	if (d->ev_defer)
		event_free(d->ev_defer);
	if (d->ev_resolve)
		event_free(d->ev_resolve);
	/* Closing runs the callbacks of requests still pending: they must
	 * not finish (and report) a poll of a device being freed. */
	d->busy = 0;
	if (d->sess)
		snmp_sess_close(d->sess);
	if_walk_cleanup(&d->walk);
	free(d);
}

void snmp_dev_set_extra(struct snmp_dev *d, const struct snmp_extra_walk *x)
{
	if (x == NULL)
		memset(&d->second, 0, sizeof(d->second));
	else
		d->second = *x;
}

int snmp_dev_busy(const struct snmp_dev *d)
{
	return d->busy;
}

/* The session is open: discovery first when the engine is unknown. */
static void snmp_dev_start(struct snmp_dev *d)
{
	if (d->conf->snmp.version == 3 && !d->engine_known)
		snmp_dev_send_probe(d);
	else
		snmp_dev_begin_walk(d);
}

int snmp_dev_poll(struct snmp_dev *d)
{
	static const struct timeval now = { 0, 0 };

	if (d->busy)
		return -EBUSY;
	d->busy = 1;
	d->probed_this_poll = 0;
	memset(&d->res, 0, sizeof(d->res));
	if (d->lookup != NULL)
		return 0;       /* goes on when the name is resolved */
	if (d->sess == NULL) {
		int rc = d->addr[0] != '\0' ? snmp_dev_open(d) : snmp_dev_lookup_start(d);
		if (rc < 0) {
			/* Complete from the loop, never from inside the caller. */
			event_add(d->ev_defer, &now);
			return 0;
		}
		if (d->lookup != NULL)
			return 0;
	}
	snmp_dev_start(d);
	return 0;
}
