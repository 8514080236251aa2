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
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/snmp_poll.h"

#include <net-snmp/library/large_fd_set.h>
#include "common/log.h"

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
	int busy;
	int reqid;                   /* request in flight, 0 = none */

	enum if_walk_mode mode;
	int mode_known;              /* HC vs legacy decided by a first poll */
	int with_descr;              /* some ifName empty: walk ifDescr too */
	struct if_walk walk;

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

void snmp_poll_library_shutdown(const char *app_name)
{
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
	d->done(d->arg, &d->res);
	/* The rows are only lent to the callback: holding a device's table
	 * between polls would cost ~200 bytes per interface for nothing. */
	if_walk_cleanup(&d->walk);
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
	if (if_walk_fill_request(&d->walk, pdu) == 0) {
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

/* The walk completed: decide about modes, maybe walk again, else finish. */
static void snmp_dev_walk_complete(struct snmp_dev *d)
{
	if (!d->mode_known && d->mode == IF_WALK_HC) {
		d->mode_known = 1;
		if (!if_walk_has_column(&d->walk, IF_COL_HC_IN_OCT) &&
		    !if_walk_has_column(&d->walk, IF_COL_NAME)) {
			log_info("%s: no ifXTable, using ifTable with 32-bit counters",
				 d->conf->name);
			d->mode = IF_WALK_LEGACY;
			if_walk_begin(&d->walk, d->mode, d->max_varbinds, 0);
			if (snmp_dev_send_next(d) != 0)
				return;
		}
	}
	d->mode_known = 1;
	if (d->mode == IF_WALK_HC && !d->with_descr) {
		for (size_t i = 0; i < d->walk.n_rows; i++) {
			const struct if_row *r = &d->walk.rows[i];
			if (r->name == NULL || r->name[0] == '\0') {
				/* Name it by ifDescr from the next poll on. */
				d->with_descr = 1;
				break;
			}
		}
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

static int snmp_dev_on_pdu(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu,
			   void *magic)
{
	struct snmp_dev *d = magic;

	/* A REPORT answers a message the agent could not authenticate or
	 * decrypt, so it cannot carry our request-id: take it while busy. */
	int report = op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
		     pdu->command == SNMP_MSG_REPORT;
	if (!d->busy || (reqid != d->reqid && !report))
		return 1;       /* a late reply to a poll already given up */
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;       /* a retransmission went out; keep waiting */
	d->reqid = 0;
	if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
		/* SNMPv3 agents drop what they cannot decrypt without a word. */
		int v3priv = d->conf->snmp.version == 3 && d->conf->snmp.priv_proto != SNMP_PRIV_NONE;
		snmp_dev_finish(d, -ETIMEDOUT, "no response from %s:%u (%u tries of %.1f s)%s",
				d->conf->host, d->conf->port, d->conf->snmp.retries + 1,
				d->conf->snmp.timeout_ms / 1000.0,
				v3priv ? "; if the agent is up, check the SNMPv3 priv password" : "");
		return 1;
	}
	if (op == NETSNMP_CALLBACK_OP_SEC_ERROR) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;
		snmp_sess_error(d->sess, &liberr, &syserr, &msg);
		snmp_dev_finish(d, -EACCES, "SNMP security error: %s", msg ? msg : "unknown");
		free(msg);
		return 1;
	}
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL) {
		snmp_dev_finish(d, -EIO, "SNMP session error (op %d)", op);
		return 1;
	}
	double now = snmp_poll_now();
	if (d->res.requests == 1 && d->res.rtt_s == 0)
		d->res.rtt_s = now - d->t_sent;

	if (pdu->command == SNMP_MSG_REPORT) {
		int status;
		const char *text = snmp_dev_report_text(pdu, &status);
		snmp_dev_finish(d, status, "%s", text);
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
	if (!d->res.have_uptime) {
		netsnmp_variable_list *vb = pdu->variables;
		if (vb != NULL && vb->type == ASN_TIMETICKS) {
			d->res.have_uptime = 1;
			d->res.uptime_ticks = (uint32_t)*vb->val.integer;
		}
	}
	int more = if_walk_feed(&d->walk, pdu, now);
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

static int snmp_dev_open(struct snmp_dev *d)
{
	const struct device_conf *c = d->conf;
	const struct snmp_settings *s = &c->snmp;
	netsnmp_session ss;
	char peer[320];

	snmp_sess_init(&ss);
	if (strchr(c->host, ':') != NULL)
		snprintf(peer, sizeof(peer), "udp6:[%s]:%u", c->host, c->port);
	else
		snprintf(peer, sizeof(peer), "udp:%s:%u", c->host, c->port);
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
	netsnmp_transport *t = snmp_sess_transport(d->sess);
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
	if (d->ev_timer == NULL || d->ev_defer == NULL) {
		snmp_dev_free(d);
		return NULL;
	}
	/* Open now, at start-up: name resolution and SNMPv3 engine discovery
	 * block, and must not happen on the running loop.  A failure is
	 * retried at poll time (and reported by that poll). */
	if (snmp_dev_open(d) < 0)
		log_warn("%s: %s; will retry at each poll", dev->name, d->error);
	return d;
}

void snmp_dev_free(struct snmp_dev *d)
{
	if (d == NULL)
		return;
	if (d->ev_read)
		event_free(d->ev_read);
	if (d->ev_timer)
		event_free(d->ev_timer);
	if (d->ev_defer)
		event_free(d->ev_defer);
	/* Closing runs the callbacks of requests still pending: they must
	 * not finish (and report) a poll of a device being freed. */
	d->busy = 0;
	if (d->sess)
		snmp_sess_close(d->sess);
	if_walk_cleanup(&d->walk);
	free(d);
}

int snmp_dev_busy(const struct snmp_dev *d)
{
	return d->busy;
}

int snmp_dev_poll(struct snmp_dev *d)
{
	if (d->busy)
		return -EBUSY;
	d->busy = 1;
	memset(&d->res, 0, sizeof(d->res));
	if (d->sess == NULL && snmp_dev_open(d) < 0) {
		/* Complete from the loop, never from inside the caller. */
		static const struct timeval now = { 0, 0 };
		event_add(d->ev_defer, &now);
		return 0;
	}
	if_walk_begin(&d->walk, d->mode, d->max_varbinds, d->with_descr);
	d->t_sent = snmp_poll_now();
	if (snmp_dev_send_next(d) == 0)
		snmp_dev_finish(d, -EPROTO, "nothing to ask");
	return 0;
}
