#!/usr/bin/env bash
# Interop: PPTP (RFC 2637) between mlpppd and Debian's pptp-linux and pptpd
# (with Debian's pppd, user-space enhanced GRE) in the peer VM; 192.0.2.1
# is mlpppd's side of the tap, 192.0.2.2 the VM's.
#  a. pptp-linux (pppd pty "pptp --nolaunchpppd", MS-CHAPv2 only) dials
#     mlpppd as PPTP server: control connection, call and PPP up; IPCP +
#     IPV6CP; ping and ping6 both ways; 1 MiB each way; the client hangs up
#     and mlpppd frees the session; a second call, and mlpppd's shutdown
#     ends it on the client.
#  b. mlpppd as PPTP client dials pptpd, whose pppd requires MS-CHAPv2: the
#     same traffic; mlpppd hangs up (SIGTERM) and pptpd's pppd exits; a
#     second call, and pptpd's pppd hangs up: mlpppd frees the session.
# Every frame on the tap (PPTP control on TCP 1723, GRE) decodes cleanly in
# tshark.
. "$(dirname "$0")/../peer-vm/lib.sh"
. "$(dirname "$0")/traffic.sh"
NS=mlppp-i$E2E_ID
export PEER_TIMEOUT=${PEER_TIMEOUT:-300}

# server_conf NAME: mlpppd as PPTP server on 192.0.2.1 for test/secret.
server_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  printf 'test "secret"\n' >"$d/mpd.secret"
  cat >"$d/mpd.conf" <<C
startup:
default:
	load srv
srv:
	create bundle template B
	set bundle enable ipv6cp
	set ipcp ranges 10.95.0.1/32 10.95.0.2/32
	create link template L pptp
	set link action bundle B
	set link disable pap chap eap
	set link enable chap-msv2
	set link keep-alive 10 60
	set pptp self 192.0.2.1
	set link enable incoming
C
  echo "$d"
}

# client_conf NAME: mlpppd dialling pptpd at 192.0.2.2 as test/secret with
# MS-CHAPv2 only, never redialling.
client_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  : >"$d/mpd.secret"
  cat >"$d/mpd.conf" <<C
startup:
default:
	load cli
cli:
	create bundle static B
	set bundle enable ipv6cp
	set ipcp ranges 0.0.0.0/0 0.0.0.0/0
	create link static L pptp
	set link action bundle B
	set auth authname test
	set auth password secret
	set link deny pap chap eap
	set link accept chap-msv2
	set link max-redial -1
	set pptp self 192.0.2.1
	set pptp peer 192.0.2.2
	open
C
  echo "$d"
}

peer_net "$NS"
ip -n "$NS" addr add 192.0.2.1/24 dev tap0
capture "$NS" tap0 tap

# a. pptp-linux -> mlpppd server.
start_mlpppd "$NS" "$(server_conf srv)" srv
wait_log srv 'listening for PPTP' 10
peer_start pc "$NS" pptp-client PEER_USER=test PEER_PASS=secret
peer_wait_ready pc 90
peer_check pc "pptp-linux dials mlpppd" 'pptp_start a1 && pptp_wait_up a1 40'
wait_log srv 'session up' 20
grep -q 'us->peer chap-msv2' "$E2E_TMP/srv.log" || fail "server: MS-CHAPv2 not negotiated"
peer_grep pc pppd-pptp-a1.log 'CHAP authentication succeeded'
pass "pptp-linux: control connection, call and MS-CHAPv2 session up"
exchange_traffic "$NS" pc
peer_check pc "pptp-linux hangs up" 'pptp_kill a1 TERM && pptp_wait_exit a1 20'
wait_log srv 'session closed' 20
wait_no_ppp "$NS"
pass "pptp-linux's hang-up frees mlpppd's session and interface"
peer_check pc "pptp-linux dials again" 'pptp_start a2 && pptp_wait_up a2 40'
wait_log srv 'session up' 20 2
kill -TERM "$PID_srv"; wait_gone "$PID_srv" 10
peer_check pc "mlpppd's shutdown ends pptp-linux's call" 'pptp_wait_exit a2 30'
peer_stop pc

# b. mlpppd client -> pptpd.
peer_start pd "$NS" pptpd-server PEER_USER=test PEER_PASS=secret
peer_wait_ready pd 90
start_mlpppd "$NS" "$(client_conf cli1)" cli1
wait_log cli1 'session up' 40
grep -q 'peer->us chap-msv2' "$E2E_TMP/cli1.log" || fail "client: MS-CHAPv2 not negotiated"
peer_check pd "pptpd's pppd up (IPCP)" 'pptpd_wait_up 20'
peer_grep pd pppd-pptpd.log 'sent \[CHAP Success'
pass "pptpd: control connection, call and MS-CHAPv2 session up"
exchange_traffic "$NS" pd
kill -TERM "$PID_cli1"; wait_gone "$PID_cli1" 10
wait_no_ppp "$NS"
peer_check pd "pptpd's pppd exits after mlpppd's hang-up" "wait_for 20 sh -c '! pidof pppd >/dev/null'"
peer_run pd 'mv /job/out/pppd-pptpd.log /job/out/pppd-pptpd-1.log' >/dev/null
start_mlpppd "$NS" "$(client_conf cli2)" cli2
wait_log cli2 'session up' 40
peer_check pd "pptpd's pppd hangs up" \
  "pptpd_wait_up 20 && kill -TERM \$(pidof pppd) && wait_for 20 sh -c '! pidof pppd >/dev/null'"
wait_log cli2 'session closed' 20
wait_no_ppp "$NS"
pass "pptpd's hang-up frees mlpppd's session and interface"
kill -TERM "$PID_cli2"; wait_gone "$PID_cli2" 10
peer_stop pd

stop_capture tap
count() { tshark -r "$E2E_TMP/tap.pcap" -Y "$1" 2>/dev/null | wc -l; }
[ "$(count pptp)" -gt 0 ] || fail "no PPTP control messages on the wire"
[ "$(count 'gre && ppp')" -gt 0 ] || fail "no GRE/PPP on the wire"
pass "PPTP control ($(count pptp)) and GRE/PPP ($(count 'gre && ppp')) packets on the wire"
check_decodes tap
