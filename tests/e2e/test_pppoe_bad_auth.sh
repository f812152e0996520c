#!/usr/bin/env bash
# A client with a wrong password is refused with a clear log line, and the
# server keeps nothing of it (no session, no interface).
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
cli=$E2E_TMP/cli; mkdir -p "$cli"
sed -e 's/demo-pass/wrong-pass/' -e 's/max-redial .*/max-redial -1/' \
  "$E2E_SRC/examples/pppoe-client/mpd.conf" >"$cli/mpd.conf"
grep -q wrong-pass "$cli/mpd.conf" || fail "test config not rewritten"

start_mlpppd "$S" "$E2E_SRC/examples/pppoe-server" server
wait_log server 'listening for PPPoE' 10
start_mlpppd "$C" "$cli" client -o
wait_log server 'failed authentication' 20
wait_log client 'refused our credentials|authentication failed' 20
wait_log server 'session closed' 10
grep -q wrong-pass "$E2E_TMP/server.log" "$E2E_TMP/client.log" && fail "password appears in a log"
[ -z "$(ppp_ifaces "$S")" ] || fail "server left an interface behind"
grep -q 'session up' "$E2E_TMP/server.log" && fail "server brought the session up"
wait_gone "$PID_client" 15
pass "wrong password refused, logged without the secret, nothing left behind"
