#!/usr/bin/env bash
# The operator's interfaces against a live PPPoE server with two sessions:
# the telnet console (login, privileges, show sessions, close), the web
# interface (Basic auth, /bincmd, mpd5's /json, the JSON API and its
# disconnect action) and /metrics, checked with promtool and parsed with
# prometheus_client so its counters must match the sessions made here.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
srv=$E2E_TMP/srv cli=$E2E_TMP/cli
mkdir -p "$cli"
server_conf_with "$srv" <<'EOT'
set user admin admin-pw admin
set user op op-pw operator
set user viewer viewer-pw
set console self 127.0.0.1 5005
set console open
set web self 127.0.0.1 5006
set web open
EOT
{
  echo "default:"
  for u in alice carol; do
    pw=$(awk -v u=$u '$1==u {gsub(/"/,"",$2); print $2}' "$srv/mpd.secret")
    cat <<EOT
	create bundle static B$u
	create link static L$u pppoe
	set link action bundle B$u
	set pppoe iface veth-cli
	set link no pap chap
	set link accept chap-md5
	set auth authname $u
	set auth password $pw
	set link max-redial -1
	open
EOT
  done
} >"$cli/mpd.conf"

start_mlpppd "$S" "$srv" server
wait_log server 'listening for PPPoE' 10
start_mlpppd "$C" "$cli" client
wait_log server 'session up:' 20 2
pass "two sessions up (alice, carol)"

con() { ip netns exec "$S" python3 "$E2E_SRC/tests/e2e/support/console_client.py" 127.0.0.1 5005 "$@"; }
web() { ip netns exec "$S" curl -s -m 10 "$@"; }

# --- console ---
out=$(con admin admin-pw "show version" "show sessions" "show bundle" "frobnicate" "sh ses user alice")
echo "$out" | grep -q 'mlpppd' || fail "show version: $out"
sessions=$(echo "$out" | sed -n '/^### show sessions$/,/^### /p' | grep -c $'\t' || true)
[ "$sessions" -eq 2 ] || fail "show sessions lists $sessions sessions: $out"
echo "$out" | grep -q "Unknown command: 'frobnicate'" || fail "no mpd5 error for an unknown command: $out"
echo "$out" | sed -n '/^### sh ses user alice$/,$p' | grep -q alice || fail "show sessions user alice: $out"
echo "$out" | sed -n '/^### sh ses user alice$/,$p' | grep -q carol && fail "filter by user let carol through"
pass "console: login, show version/sessions/bundle, prefixes, filters, unknown command"

rc=0; con admin wrong-pw "show version" >"$E2E_TMP/badlogin.out" || rc=$?
[ $rc -eq 3 ] || fail "a wrong password was not refused (rc $rc)"
grep -q 'console.*admin' "$E2E_TMP/server.log" || fail "failed login not logged"
grep -q 'wrong-pw' "$E2E_TMP/server.log" && fail "the password was logged"
pass "console: a wrong password is refused and logged without the password"

alice_link=$(awk -F'\t' '$8 == "alice" {print $5}' <<<"$out" | head -1)
[ -n "$alice_link" ] || fail "no link for alice in show sessions: $out"
out=$(con viewer viewer-pw "link $alice_link" "close")
echo "$out" | sed -n '/^### close$/,$p' | grep -q "Unknown command" || fail "user privilege could close: $out"
grep -q "\[$alice_link\] close (console)" "$E2E_TMP/server.log" && fail "viewer closed a link"
pass "console: privilege user cannot close a link"

# --- web ---
code=$(web -o /dev/null -w '%{http_code}' http://127.0.0.1:5006/json)
[ "$code" = 401 ] || fail "/json without credentials gave $code"
web -D - -o /dev/null http://127.0.0.1:5006/ | grep -qi 'WWW-Authenticate: Basic realm="Access Restricted"' ||
  fail "no Basic realm on 401"
code=$(web -o /dev/null -w '%{http_code}' -u admin:nope http://127.0.0.1:5006/api/v1/sessions)
[ "$code" = 401 ] || fail "wrong web password gave $code"
pass "web: no or wrong credentials get 401 with mpd5's realm"

# A failed login makes the next ones from that address wait (1 s, doubling
# per failure): even the right password gets 429 with Retry-After until then.
hdrs=$(web -D - -o /dev/null -u viewer:viewer-pw http://127.0.0.1:5006/api/v1/sessions)
echo "$hdrs" | grep -q '^HTTP/1.1 429' || fail "a login right after a failed one was not slowed: $hdrs"
echo "$hdrs" | grep -qi '^Retry-After: [1-9]' || fail "429 without Retry-After: $hdrs"
grep -q 'nope' "$E2E_TMP/server.log" && fail "the web password was logged"
t0=$(date +%s)
until [ "$(web -o /dev/null -w '%{http_code}' -u viewer:viewer-pw http://127.0.0.1:5006/api/v1/sessions)" = 200 ]; do
  [ $(($(date +%s) - t0)) -lt 10 ] || fail "the web login stayed refused after its back-off"
  sleep 0.2
done
pass "web: repeated bad logins are slowed down (429 + Retry-After), the right password works after the back-off"

web -u viewer:viewer-pw 'http://127.0.0.1:5006/bincmd?show%20version' >"$E2E_TMP/bincmd.out"
grep -q '^RESULT: 0' "$E2E_TMP/bincmd.out" || fail "/bincmd: $(cat "$E2E_TMP/bincmd.out")"
web -u viewer:viewer-pw http://127.0.0.1:5006/json >"$E2E_TMP/mpd.json"
web -u viewer:viewer-pw http://127.0.0.1:5006/api/v1/sessions >"$E2E_TMP/sessions.json"
web -u viewer:viewer-pw http://127.0.0.1:5006/api/v1/counters >"$E2E_TMP/counters.json"
python3 "$E2E_SRC/tests/e2e/support/check_api.py" "$E2E_TMP/mpd.json" "$E2E_TMP/sessions.json" \
  "$E2E_TMP/counters.json" 2 || fail "JSON shapes"
pass "web: /bincmd, mpd5's /json and the API's sessions and counters have their documented shapes"

# A console connection held open (still at its login prompt) is listed by
# `show console` run from the web, as from the console itself.
ip netns exec "$S" bash -c 'exec 7<>/dev/tcp/127.0.0.1/5005; cat <&7 >/dev/null' &
holder=$!
E2E_PIDS+=("$holder")
t0=$(date +%s)
until web -u viewer:viewer-pw 'http://127.0.0.1:5006/bincmd?show%20console' | grep -q 'From: 127.0.0.1.*logging in'; do
  [ $(($(date +%s) - t0)) -lt 10 ] ||
    fail "show console from the web lists no console session: $(web -u viewer:viewer-pw 'http://127.0.0.1:5006/bincmd?show%20console')"
  sleep 0.2
done
kill "$holder" 2>/dev/null || true
pass "web: show console lists the console's sessions"

web -u viewer:viewer-pw http://127.0.0.1:5006/metrics >"$E2E_TMP/metrics.txt"
promtool check metrics <"$E2E_TMP/metrics.txt" >"$E2E_TMP/promtool.out" 2>&1 ||
  fail "promtool: $(cat "$E2E_TMP/promtool.out")"
/usr/bin/python3 "$E2E_SRC/tests/e2e/support/check_metrics.py" "$E2E_TMP/metrics.txt" up=2 setups=2 ||
  fail "metrics do not match the sessions"
pass "metrics: promtool accepts them; sessions, setups and traffic match"

carol_sid=$(python3 -c 'import json,sys; print([s["session_id"] for s in json.load(open(sys.argv[1]))["sessions"] if s["user"]=="carol"][0])' "$E2E_TMP/sessions.json")
code=$(web -o /dev/null -w '%{http_code}' -u viewer:viewer-pw -X POST "http://127.0.0.1:5006/api/v1/sessions/$carol_sid/disconnect")
[ "$code" = 403 ] || fail "disconnect as user gave $code"
code=$(web -o /dev/null -w '%{http_code}' -u op:op-pw -X POST "http://127.0.0.1:5006/api/v1/sessions/$carol_sid/disconnect")
[ "$code" = 200 ] || fail "disconnect as operator gave $code"
wait_log server "session closed: .*session $carol_sid user \"carol\"" 10
left=$(web -u viewer:viewer-pw http://127.0.0.1:5006/api/v1/sessions | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))')
[ "$left" -eq 1 ] || fail "$left sessions after the disconnect"
pass "web: disconnect needs operator; the session ends and leaves the API"

out=$(con op op-pw "link $alice_link" "close")
wait_log server "\[$alice_link\] close \(console\)" 10
wait_log server "session closed: .*user \"alice\"" 10
pass "console: an operator closes alice's link"

out=$(con admin admin-pw "shutdown" || true)
wait_gone "$PID_server" 10
pass "console: shutdown stops the daemon"
