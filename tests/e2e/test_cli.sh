#!/usr/bin/env bash
# The command line: -v, --check on good and bad configurations (file:line
# errors, exit status), the PID file lock, -k replacing a running daemon,
# and -b running in the background.
. "$(dirname "$0")/lib.sh"
"$MLPPPD" -v | grep -q '^mlpppd ' || fail "-v"
"$MLPPPD" -h | grep -q -- '--check' || fail "-h"
"$MLPPPD" -d "$E2E_SRC/examples/pppoe-server" --check || fail "--check on the server example"
"$MLPPPD" -d "$E2E_SRC/examples/pppoe-client" --check || fail "--check on the client example"
pass "-v, -h and --check on the examples"

bad=$E2E_TMP/bad; mkdir -p "$bad"
printf 'default:\n\tcreate bundle static B1\n\tset ipcp ranges 10.0.0.1/99 10.0.0.2/32\n\tset bogus thing\n\tset iface name good0\n' >"$bad/mpd.conf"
if "$MLPPPD" -d "$bad" --check 2>"$E2E_TMP/check.log"; then fail "--check accepted a bad config"; fi
grep -q 'mpd.conf:3:' "$E2E_TMP/check.log" || fail "no file:line for the bad range: $(cat "$E2E_TMP/check.log")"
grep -q 'mpd.conf:4:' "$E2E_TMP/check.log" || fail "no file:line for the unknown command"
grep -q 'mpd.conf:5:' "$E2E_TMP/check.log" && fail "a good line after errors was reported"
pass "--check names file:line of each bad line and exits non-zero"

if "$MLPPPD" -d "$bad" nosuchlabel --check 2>/dev/null; then fail "missing label accepted"; fi
pass "a missing label is fatal"

idle=$E2E_TMP/idle; mkdir -p "$idle"
printf 'startup:\ndefault:\n' >"$idle/mpd.conf"
pidf=$E2E_TMP/idle.pid
"$MLPPPD" -d "$idle" -p "$pidf" >"$E2E_TMP/a.log" 2>&1 & a=$!
E2E_PIDS+=("$a")
for _ in $(seq 50); do [ -s "$pidf" ] && break; sleep 0.1; done
[ "$(cat "$pidf")" = "$a" ] || fail "PID file holds '$(cat "$pidf")', want $a"
if "$MLPPPD" -d "$idle" -p "$pidf" >"$E2E_TMP/b.log" 2>&1; then fail "second daemon started"; fi
grep -q 'another mlpppd is running' "$E2E_TMP/b.log" || fail "no clear message for the locked PID file"
pass "the PID file is written and locked"

"$MLPPPD" -d "$idle" -p "$pidf" -k >"$E2E_TMP/c.log" 2>&1 & c=$!
E2E_PIDS+=("$c")
wait_gone "$a" 10
for _ in $(seq 50); do [ "$(cat "$pidf" 2>/dev/null)" = "$c" ] && break; sleep 0.1; done
[ "$(cat "$pidf")" = "$c" ] || fail "-k did not take over the PID file"
kill -TERM "$c"; wait_gone "$c" 10
wait "$c" || fail "SIGTERM exit status $?"
[ -e "$pidf" ] && fail "PID file left behind"
pass "-k replaces the running daemon; SIGTERM exits 0 and removes the PID file"

"$MLPPPD" -b -d "$idle" -p "$pidf" || fail "-b"
for _ in $(seq 50); do [ -s "$pidf" ] && break; sleep 0.1; done
bg=$(cat "$pidf"); kill -0 "$bg" || fail "background daemon not running"
E2E_PIDS+=("$bg")
kill -TERM "$bg"; wait_gone "$bg" 10
pass "-b runs in the background"
