#!/usr/bin/env bash
# The server detects a vanished client through LCP echo (keep-alive 1 3) and
# frees its session and interface.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
srv=$E2E_TMP/srv; mkdir -p "$srv"
cp "$E2E_SRC/examples/pppoe-server/mpd.secret" "$srv/"
sed -e 's/keep-alive .*/keep-alive 1 3/' "$E2E_SRC/examples/pppoe-server/mpd.conf" >"$srv/mpd.conf"
grep -q 'keep-alive 1 3' "$srv/mpd.conf" || fail "test config not rewritten"

start_mlpppd "$S" "$srv" server
wait_log server 'listening for PPPoE' 10
start_mlpppd "$C" "$E2E_SRC/examples/pppoe-client" client
wait_log server 'session up' 20
[ -n "$(ppp_ifaces "$S")" ] || fail "no server interface"
kill -KILL "$PID_client"
start=$(date +%s)
wait_log server 'Echo-Request: peer is gone' 10
wait_log server 'session closed' 5
elapsed=$(( $(date +%s) - start ))
for _ in $(seq 30); do [ -z "$(ppp_ifaces "$S")" ] && break; sleep 0.1; done
[ -z "$(ppp_ifaces "$S")" ] || fail "server kept the interface"
pass "dead client detected by LCP echo after ${elapsed}s; session and interface freed"
