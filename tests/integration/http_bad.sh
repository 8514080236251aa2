#!/bin/sh
# http_bad.sh — hostile and broken requests to seratd's HTTP server:
# malformed request lines, oversized heads and URLs, path traversal in
# every spelling, unknown objects, arguments out of range or unknown,
# methods and bodies of a read-only server.  Each gets a 4xx (API paths a
# JSON error), nothing outside the web root is served, and seratd keeps
# running.  Then basic auth (crypt SHA-512 hashes) and kiosk tokens, one
# of which a SIGHUP revokes.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
plan 36

base=$(free_port)
fake_start fa "$base" 1 4
port=$(free_port tcp)
conf_begin "$T/c.yaml" 1s
sed -i "s|^http_listen: .*|http_listen: 127.0.0.1:$port|" "$T/c.yaml"
conf_device "$T/c.yaml" sw-0 "$base"
URL="http://127.0.0.1:$port"
bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
SERATD_PID=$BG_PID
wait_until 30 polls_ge sw-0 2
ok $? "seratd polls and serves"

code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
# raw BYTES — send BYTES as they are, print the status code of the answer
raw() {
	py "$port" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
try:
    data = s.recv(4096)
except Exception:
    data = b""
print(data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "closed")
PY
}

like "$(raw 'GARBAGE\r\n\r\n')" '^(400|closed)$' "a malformed request line: 400 or closed"
is "$(raw 'GET / HTTP/1.1\r\nHost: x\r\nBad header line\r\n\r\n')" 400 "a malformed header: 400"
big=$(head -c 70000 /dev/zero | tr '\0' a)
like "$(raw "GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Big: $big\\r\\n\\r\\n")" '^(431|413|400|closed)$' \
	"a 70 KB header is refused"
is "$(code "$URL/device?name=$(head -c 2000 /dev/zero | tr '\0' a)")" 414 "a 2 KB URL: 414"

for p in "/static/../../../../etc/passwd" "/static/%2e%2e/%2e%2e/etc/passwd" \
	"/%2e%2e/%2e%2e/etc/passwd" "/static/..%2fserat.css" "/static//etc/passwd" \
	"/static/serat.css/../../x" "/etc/passwd" "/static/"; do
	c=$(code --path-as-is "$URL$p")
	if [ "$c" = 404 ] && ! grep -q 'root:' "$T/body"; then ok 0 "traversal $p: 404, nothing served"
	else ok 1 "traversal $p: got $c"; fi
done

is "$(code "$URL/device?name=nope")" 404 "an unknown device: 404"
is "$(code "$URL/graph?device=nope&kind=availability")" 404 "a graph of an unknown device: 404"
is "$(code "$URL/graph?device=sw-0&if=..%2F..%2Fdevice&kind=traffic")" 404 \
	"a graph of an interface named like a path: 404"
is "$(code "$URL/graph?device=sw-0&kind=traffic")" 400 "an interface graph without an interface: 400"
is "$(code "$URL/graph?device=sw-0&kind=availability&w=99999")" 400 "a width out of range: 400"
is "$(code "$URL/graph?device=sw-0&kind=availability&period=decade")" 400 "an unknown period: 400"
is "$(code "$URL/graph?device=sw-0&kind=availability&start=abc&end=2")" 400 "a bad start: 400"
is "$(code "$URL/graph?device=sw-0&kind=availability&title=x")" 400 "an unknown argument: 400"
is "$(code "$URL/device?name=sw-0&name=sw-0")" 400 "a repeated argument: 400"
is "$(code "$URL/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17")" 400 \
	"17 query arguments: 400"
is "$(code "$URL/device?name=%01x")" 400 "a control byte in a name: 400"
is "$(code -X POST -d 'x=1' "$URL/")" 405 "POST: 405"
is "$(code -X DELETE "$URL/api/v1/sites")" 405 "DELETE: 405"
c=$(code "$URL/api/v1/interfaces?device=nope")
st=$(py "$T/body" <<'PY'
import json, sys
print(json.load(open(sys.argv[1]))["error"]["status"])
PY
)
is "$c:$st" "404:404" "an API error is a JSON 404"
kill -0 "$SERATD_PID"
ok $? "seratd is still running"
m=$(curl -s "$URL/metrics")
like "$(echo "$m" | grep 'code="5xx"')" ' 0$' "no request got a 5xx"
like "$(echo "$m" | grep 'code="4xx"')" ' [1-9][0-9]+$' "the 4xx answers are counted"
kill -TERM "$SERATD_PID"
wait "$SERATD_PID"

# Basic auth and kiosk tokens.
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_SHA512)))' 2>/dev/null)
if [ -z "$hash" ]; then
	for i in 1 2 3 4 5 6; do skip "python3 crypt module missing"; done
	exit 0
fi
printf '# dashboard users\nadmin:%s\n' "$hash" >"$T/users"
cp "$T/c.yaml" "$T/a.yaml"
printf 'http:\n  auth_file: %s\n  kiosk_tokens: [wall-token-1, wall-token-2]\n' "$T/users" >>"$T/a.yaml"
bg_start "$T/seratd2.log" "$SERATD" --config "$T/a.yaml" --foreground
SERATD_PID=$BG_PID
wait_until 30 curl -s -o /dev/null "$URL/static/serat.css"
is "$(code "$URL/")" 401 "with auth_file, no credentials: 401"
is "$(code -u admin:wrong "$URL/")" 401 "a wrong password: 401"
is "$(code -u admin:s3cret "$URL/")" 200 "the right password: 200"
is "$(code "$URL/wall?kiosk=wall-token-2")" 200 "a kiosk token opens the wall"
sed -i 's/kiosk_tokens: \[wall-token-1, wall-token-2\]/kiosk_tokens: [wall-token-1]/' "$T/a.yaml"
kill -HUP "$SERATD_PID"
wait_until 10 grep -q 'SIGHUP' "$T/seratd2.log"
revoked() { [ "$(code "$URL/wall?kiosk=wall-token-2")" = 403 ]; }
wait_until 10 revoked
ok $? "after a reload without it the token is refused (403)"
is "$(code "$URL/wall?kiosk=wall-token-1")" 200 "the token kept still works"
