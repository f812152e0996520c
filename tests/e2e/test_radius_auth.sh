#!/usr/bin/env bash
# radius-auth against a real FreeRADIUS (tests/radius/lib.sh) on the
# server's loopback: PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2 and EAP-MD5
# (radius-proxy) accepted, with Framed-IP-Address from the reply applied to
# the session; Framed-Pool and Session-Timeout from the reply applied;
# `set auth max-logins 1` refuses a second session of the same user; a
# wrong password rejected by RADIUS; a RADIUS server that does not answer
# leaves the login to mpd.secret (mpd5's fallback). radius-acct: Start,
# Interim-Update and Stop records reach FreeRADIUS's detail file with the
# session id, Class echoed, counters and the terminate cause. radsrv (RFC
# 5176): radclient's CoA-Request changes a session's timeout, its
# Disconnect-Request ends a session; a wrong secret or unknown session is
# refused.
. "$(dirname "$0")/lib.sh"
. "$E2E_SRC/tests/radius/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
capture "$S" veth-srv wire
export RADIUS_NETNS=$S
radius_user alice 'Cleartext-Password := "alice-pw"' 'Framed-IP-Address = 10.0.0.77, Class = "c1"'
radius_user dave 'Cleartext-Password := "dave-pw"' 'Framed-Pool = "pool2", Session-Timeout = 3'
radius_start
DAE_PORT=$((RADIUS_AUTH_PORT + 20))

# server_conf NAME METHODS: the example server with radius-auth for METHODS.
server_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  cp "$E2E_SRC/examples/pppoe-server/mpd.secret" "$d/"
  sed -e "s/set link enable chap-md5/set link enable $2\n\tset eap enable radius-proxy\n\tset auth enable radius-auth\n\tset radius server 127.0.0.1 $RADIUS_SECRET $RADIUS_AUTH_PORT $RADIUS_ACCT_PORT\n\tset radius timeout 1\n\tset radius retries 2\n\tset auth max-logins 1\n\tset ippool add pool2 10.0.5.1 10.0.5.9\n\tset auth enable radius-acct\n\tset auth acct-update 2\n\tset radsrv self 127.0.0.1 $DAE_PORT\n\tset radsrv peer 127.0.0.1 dae-secret\n\tset radsrv open/" \
    "$E2E_SRC/examples/pppoe-server/mpd.conf" >"$d/mpd.conf"
  grep -q radius-auth "$d/mpd.conf" || fail "server config not rewritten"
}
# client_conf NAME METHOD USER PASSWORD
client_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  sed -e "s/set link accept pap chap-md5/set link deny pap chap eap\n\tset link accept $2/" \
    -e "s/authname demo/authname $3/" -e "s/password demo-pass/password $4/" \
    -e 's/max-redial .*/max-redial -1/' \
    "$E2E_SRC/examples/pppoe-client/mpd.conf" >"$d/mpd.conf"
  grep -q "authname $3" "$d/mpd.conf" || fail "client config not rewritten"
}

server_conf srv "pap chap-md5 chap-msv1 chap-msv2 eap"
start_mlpppd "$S" "$E2E_TMP/srv" srv
wait_log srv 'listening for PPPoE' 10
n=0
for m in pap chap-md5 chap-msv1 chap-msv2 eap; do
  n=$((n + 1))
  client_conf "c$n" "$m" alice alice-pw
  start_mlpppd "$C" "$E2E_TMP/c$n" "cli$n"
  wait_log "cli$n" 'session up' 20
  wait_log srv 'session up' 10 "$n"
  grep -q "Access-Accept for \"alice\"" "$E2E_TMP/srv.log" || fail "$m: no Access-Accept logged"
  cif=$(ppp_ifaces "$C")
  addr=$(ip -n "$C" -4 -o addr show dev "$cif" | awk '{print $4}' | cut -d/ -f1)
  [ "$addr" = 10.0.0.77 ] || fail "$m: client got $addr, not RADIUS's Framed-IP-Address"
  ip netns exec "$C" ping -c 1 -W 2 10.0.0.1 >/dev/null || fail "$m: ping"
  pass "$m: accepted by FreeRADIUS, Framed-IP-Address 10.0.0.77 applied, ping"
  pid=PID_cli$n
  kill -TERM "${!pid}"; wait_gone "${!pid}" 10
  wait_log srv 'session closed' 10 "$n"
done

# Framed-Pool and Session-Timeout from the reply; max-logins 1 for dave.
client_conf d1 pap dave dave-pw
start_mlpppd "$C" "$E2E_TMP/d1" d1
wait_log d1 'session up' 20
cif=$(ppp_ifaces "$C")
addr=$(ip -n "$C" -4 -o addr show dev "$cif" | awk '{print $4}' | cut -d/ -f1)
[ "$addr" = 10.0.5.1 ] || fail "dave got $addr, not the first address of Framed-Pool pool2"
pass "Framed-Pool pool2 applied ($addr)"
client_conf d2 pap dave dave-pw
sed -i 's/set pppoe iface veth-cli/set pppoe iface veth-cli\n\tset iface name ppp9/' "$E2E_TMP/d2/mpd.conf"
start_mlpppd "$C" "$E2E_TMP/d2" d2 -o
wait_log srv 'user "dave" already has 1 session' 20
pass "max-logins 1: a second session of dave refused"
wait_log srv 'session timeout \(3 s\)' 10
wait_log d1 'session closed' 10
pass "Session-Timeout 3 closed dave's session"
pid=PID_d1; kill -TERM "${!pid}"; wait_gone "${!pid}" 10

# radsrv: CoA then Disconnect for alice, by User-Name and Framed-IP.
client_conf k1 pap alice alice-pw
start_mlpppd "$C" "$E2E_TMP/k1" k1
wait_log k1 'session up' 20
radius_coa "127.0.0.1:$DAE_PORT" wrong-secret 'User-Name = "alice", Session-Timeout = 60' >/dev/null 2>&1 &&
  fail "CoA with a wrong secret was answered with an ACK"
radius_disconnect "127.0.0.1:$DAE_PORT" dae-secret 'User-Name = "nobody"' >"$E2E_TMP/dae0.out" 2>&1 &&
  fail "Disconnect for an unknown user ACKed"
grep -q 'Session-Context-Not-Found' "$E2E_TMP/dae0.out" || fail "no Error-Cause 503 for an unknown session"
radius_coa "127.0.0.1:$DAE_PORT" dae-secret 'User-Name = "alice", Session-Timeout = 60' \
  >"$E2E_TMP/dae1.out" 2>&1 || fail "CoA not ACKed: $(cat "$E2E_TMP/dae1.out")"
wait_log srv 'radsrv: CoA-Request for session' 5
radius_disconnect "127.0.0.1:$DAE_PORT" dae-secret 'Framed-IP-Address = 10.0.0.77' \
  >"$E2E_TMP/dae2.out" 2>&1 || fail "Disconnect not ACKed: $(cat "$E2E_TMP/dae2.out")"
wait_log k1 'session closed' 10
radius_detail_has 'Acct-Terminate-Cause = Admin-Reset' 5
pass "radsrv: CoA and Disconnect ACKed and applied; wrong secret ignored; unknown session NAKed 503"
pid=PID_k1; kill -TERM "${!pid}"; wait_gone "${!pid}" 10

# Accounting in FreeRADIUS's detail file (RFC 2866).
radius_detail_has 'Acct-Status-Type = Start' 5
radius_detail_has 'Acct-Status-Type = Stop' 5
radius_detail_has 'Acct-Status-Type = Interim-Update' 5
radius_detail_has 'Class = 0x6331' 5
radius_detail_has 'Acct-Terminate-Cause = User-Request' 5
radius_detail_has 'Acct-Terminate-Cause = Session-Timeout' 5
radius_detail_has 'Framed-IP-Address = 10.0.0.77' 5
awk '/Acct-Status-Type = Stop/ {s=1} s && /Acct-Output-Octets/ {print $3; exit}' "$(radius_detail)" |
  grep -qE '^[1-9][0-9]*$' || fail "Stop record without octets"
[ "$(grep -c 'Acct-Status-Type = Start' "$(radius_detail)")" -ge 7 ] || fail "a Start record is missing"
pass "radius-acct: Start, Interim-Update, Stop with Class, counters and terminate causes"

# A wrong password: FreeRADIUS rejects, nothing is left, no secret logged.
client_conf bad chap-msv2 alice Wr0ngPw
start_mlpppd "$C" "$E2E_TMP/bad" bad -o
wait_log srv 'peer "alice" failed authentication' 20
wait_log bad 'refused our credentials|authentication failed|rejected' 20
grep -q Wr0ngPw "$E2E_TMP/srv.log" "$E2E_TMP/bad.log" && fail "password in a log"
[ "$(grep -c 'session up:.*alice' "$E2E_TMP/srv.log")" -eq 6 ] || fail "wrong password brought a session up"
pass "wrong password rejected by RADIUS"

# Server shutdown (SIGTERM) with a session up: the Stop record reaches
# FreeRADIUS before the daemon exits.
client_conf k2 pap alice alice-pw
start_mlpppd "$C" "$E2E_TMP/k2" k2
wait_log k2 'session up' 20
kill -TERM "$PID_srv"; wait_gone "$PID_srv" 10
grep -q 'Acct-Terminate-Cause = NAS-Reboot' "$(radius_detail)" ||
  fail "no Stop record (NAS-Reboot) by the time the server had exited"
wait_log k2 'session closed' 10
pid=PID_k2; kill -TERM "${!pid}"; wait_gone "${!pid}" 10
pass "shutdown waits for the accounting Stop of its last session"

# MPPE with keys from RADIUS (MS-MPPE-Send/Recv-Key, RFC 2548 §2.4.2-2.4.3):
# the server knows no password, so only FreeRADIUS's keys can match what
# the client derives from MS-CHAPv2 (RFC 3079); `set mppc enable policy`
# takes the key strengths from MS-MPPE-Encryption-Types (FreeRADIUS: 40
# and 128 bits).
server_conf srvm chap-msv2
sed -i 's/^\tset bundle enable ipv6cp$/&\n\tset bundle enable compression\n\tset ccp yes mppc\n\tset mppc enable policy/' \
  "$E2E_TMP/srvm/mpd.conf"
client_conf cm chap-msv2 alice alice-pw
sed -i 's/^\tset bundle enable ipv6cp$/&\n\tset bundle enable compression crypt-reqd\n\tset ccp yes mppc\n\tset mppc yes e40 e128/' \
  "$E2E_TMP/cm/mpd.conf"
grep -q 'mppc enable policy' "$E2E_TMP/srvm/mpd.conf" && grep -q 'crypt-reqd' "$E2E_TMP/cm/mpd.conf" ||
  fail "MPPE configs not rewritten"
start_mlpppd "$S" "$E2E_TMP/srvm" srvm
wait_log srvm 'listening for PPPoE' 10
start_mlpppd "$C" "$E2E_TMP/cm" cm
wait_log cm 'session up' 20
for l in srvm cm; do
  grep -qF 'CCP up: send mppc(e128) recv mppc(e128)' "$E2E_TMP/$l.log" || fail "$l: MPPE-128 not agreed"
done
ip netns exec "$C" ping -c 3 -i 0.2 -s 1400 -W 2 10.0.0.1 >/dev/null || fail "no ping through MPPE"
pass "MPPE-128 keyed from RADIUS MS-MPPE keys: both ends agree and pings pass"
pid=PID_cm; kill -TERM "${!pid}"; wait_gone "${!pid}" 10
kill -TERM "$PID_srvm"; wait_gone "$PID_srvm" 10

start_mlpppd "$S" "$E2E_TMP/srv" srv2
wait_log srv2 'listening for PPPoE' 10

# RADIUS down: undecided after the retries, mpd.secret decides (demo is there).
radius_stop
client_conf fb chap-md5 demo demo-pass
start_mlpppd "$C" "$E2E_TMP/fb" fb
wait_log srv2 'RADIUS: no verdict for "demo"' 20
wait_log fb 'session up' 20
pass "RADIUS silent: mpd.secret authenticated the user"
pid=PID_fb; kill -TERM "${!pid}"; wait_gone "${!pid}" 10

stop_capture wire
check_decodes wire
