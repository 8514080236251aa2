#!/bin/sh
# alerts_telegram.sh — channels against real loopback receivers:
#  - `serat alert test`: exit 0 and the HTTP status on a 2xx; exit 1 with
#    the status and the error body on a 4xx; exit 1 naming the failure when
#    nothing listens;
#  - a fake Telegram Bot API: a grouped message of ~5,000 characters
#    arrives as two (or more) messages, each accepted (<= 4,096 characters,
#    valid HTML); names with < & > survive; a 429 with retry_after 3 is
#    retried no sooner than 3 s later; a "can't parse entities" refusal is
#    resent once as plain text with the same key; migrate_to_chat_id is
#    followed.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 17; _planned=1

recv_start ok;                        OK_PORT=$RECV_PORT OK_LOG=$RECV_LOG
recv_start bad --status 400;          BAD_PORT=$RECV_PORT
recv_start tg --telegram 123:abc --tg-429 1 --tg-retry-after 3;    TG_PORT=$RECV_PORT TG_LOG=$RECV_LOG
recv_start tgp --telegram 123:abc --tg-reject-html;                TGP_PORT=$RECV_PORT TGP_LOG=$RECV_LOG
recv_start tgm --telegram 123:abc --tg-migrate=-100:-200;          TGM_PORT=$RECV_PORT TGM_LOG=$RECV_LOG
closed=$(free_port tcp)

p=$(free_udp_range 40)
fake_start core "$p" 1 4
fake_start leaf "$((p + 10))" 20 4;     a_leaf=$FAKE_PID

C=$T/c.yaml
alerts_conf "$C" "alerts: {group_window: 3s, down_after: 2, up_after: 1}"
{
	echo "channels:"
	echo "  - {name: hook, type: webhook, url: \"http://127.0.0.1:$OK_PORT/hook\"}"
	echo "  - {name: refuses, type: slack, url: \"http://127.0.0.1:$BAD_PORT/x\"}"
	echo "  - {name: nobody, type: webhook, url: \"http://127.0.0.1:$closed/x\"}"
	echo "  - {name: tg, type: telegram, token: \"123:abc\", chat_id: \"-100\", api_url: \"http://127.0.0.1:$TG_PORT\", rate_limit: 1000}"
	echo "  - {name: tgp, type: telegram, token: \"123:abc\", chat_id: \"-100\", api_url: \"http://127.0.0.1:$TGP_PORT\"}"
	echo "  - {name: tgm, type: telegram, token: \"123:abc\", chat_id: \"-100\", api_url: \"http://127.0.0.1:$TGM_PORT\"}"
	echo "  - {name: tgwrong, type: telegram, token: \"999:zzz\", chat_id: \"-100\", api_url: \"http://127.0.0.1:$TGP_PORT\"}"
	echo "sites:"
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$p\"}]}"
	for i in $(seq 0 19); do
		echo "  - name: \"Kantor <ONU-$i> & sw_core Nagari Batang Kabung Kecamatan Koto Tangah Kabupaten Padang Pariaman $i\""
		echo "    kind: nagari"
		echo "    devices: [{name: \"leaf-$i\", address: \"127.0.0.1:$((p + 10 + i))\", parent: core}]"
	done
} >>"$C"

# ---- serat alert test
"$SERAT" alert test hook --config "$C" >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 0 "alert test: exit 0 on delivery"
like "$(cat "$T/out")" "^hook: delivered \(HTTP 200, Idempotency-Key [0-9a-f]{32}\)" "... printing the HTTP status and the key"
"$SERAT" alert test refuses --config "$C" >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 1 "alert test: exit 1 on a 400"
like "$(cat "$T/err")" "refuses: HTTP 400: .*configured status" "... with the status and the error body"
"$SERAT" alert test nobody --config "$C" >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 1 "alert test: exit 1 when nothing listens"
like "$(cat "$T/err")" "nobody: .*(connect|Connection refused)" "... saying why"
"$SERAT" alert test tgwrong --config "$C" >"$T/out" 2>"$T/err"; rc=$?
like "$rc $(cat "$T/err")" "^1 serat: tgwrong: HTTP 404" "a wrong bot token is a 404, reported"
"$SERAT" alert test missing --config "$C" >/dev/null 2>&1; rc=$?
is "$rc" 1 "alert test of a channel that is not configured fails"

# Telegram refuses the HTML: resent once as plain text, same key.
"$SERAT" alert test tgp --config "$C" >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 0 "a \"can't parse entities\" refusal is resent as plain text, and delivered"
is "$(python3 - "$TGP_LOG" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if '"/bot123:abc/' in l]
a, b = rs[-2], rs[-1]
ba, bb = json.loads(a["body"]), json.loads(b["body"])
print(a["status"], b["status"], a["key"] == b["key"], ba.get("parse_mode"), bb.get("parse_mode"), "<b>" in bb["text"])
PY
)" "400 200 True HTML None False" "... with the same Idempotency-Key, without markup"

# A group upgraded to a supergroup: follow migrate_to_chat_id.
"$SERAT" alert test tgm --config "$C" >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 0 "migrate_to_chat_id is followed"
is "$(python3 - "$TGM_LOG" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
print(" ".join("%s:%s" % (r["status"], json.loads(r["body"])["chat_id"]) for r in rs))
PY
)" "400:-100 200:-200" "... the message is resent to the new chat"

# ---- the engine through a fake Telegram: 20 devices in one grouped message
bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
wait_until 30 polls_ge_now leaf-19 2 || bail "seratd did not get going"
: >"$TG_LOG"
kill -STOP $a_leaf
tg_ok_ge() { [ "$(grep -c '"status": 200' "$TG_LOG")" -ge "$1" ]; }
wait_until 60 tg_ok_ge 2
ok $? "the grouped message was delivered"
python3 - "$TG_LOG" >"$T/tg.txt" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in rs if r["status"] == 200]
texts = [json.loads(r["body"])["text"] for r in ok]
first429 = [r["t"] for r in rs if r["status"] == 429][:1]
after = [r["t"] for r in rs if first429 and r["t"] > first429[0]][:1]
print(len(ok), max(len(t) for t in texts), sum(len(t) for t in texts),
      all(("leaf-%d" % i) in "".join(texts) for i in range(20)),
      "Kantor &lt;ONU-7&gt; &amp; sw_core" in "".join(texts),
      "%.3f" % (after[0] - first429[0]) if after else "none")
PY
set -- $(cat "$T/tg.txt")
[ "$1" -ge 2 ] && [ "$2" -le 4096 ] && [ "$3" -ge 5000 ]
ok $? "a ${3}-character message arrives as $1 messages of at most 4,096 characters (longest $2)"
is "$4 $5" "True True" "every device is in them, and names with < & > survive (escaped)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 3.0 else 1)" "$6"
ok $? "a 429 with retry_after 3 is retried no sooner than 3 s later ($6 s)"
is "$(grep -c '"status": 400' "$TG_LOG")" 0 "Telegram rejected none of them"
kill -CONT $a_leaf
done_testing
