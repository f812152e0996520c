#!/usr/bin/env bash
# Interop: Debian's pppd with the rp-pppoe plugin (in the peer VM) dials
# mlpppd, the PPPoE server on the host side of the tap.
#  1. PAP; IPCP + IPV6CP; ping and ping6 both ways; 1 MiB each way with
#     matching md5; pppd hangs up (LCP Terminate + PADT) and mlpppd frees
#     the session and its interface.
#  2. CHAP-MD5; the same traffic; mlpppd closes (SIGTERM) and pppd sees it.
#  3. keep-alive 1 3; pppd is killed -9 in the VM; mlpppd finds the dead
#     peer through LCP echo and frees everything.
# Every frame on the tap decodes in tshark without malformed/error items.
. "$(dirname "$0")/../peer-vm/lib.sh"
. "$(dirname "$0")/traffic.sh"
NS=mlppp-i$E2E_ID

# server_conf NAME AUTH KEEPALIVE: an mlpppd PPPoE server config dir.
server_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  printf 'test "secret"\n' >"$d/mpd.secret"
  cat >"$d/mpd.conf" <<C
startup:
default:
	load srv
srv:
	set ippool add p1 10.77.0.100 10.77.0.199
	create bundle template B
	set bundle enable ipv6cp
	set ipcp ranges 10.77.0.1/32 ippool p1
	set ipcp dns 10.77.0.1
	create link template L pppoe
	set link action bundle B
	set link disable pap chap eap
	set link enable $2
	set link keep-alive $3
	set pppoe iface tap0
	set pppoe service "*"
	set link enable incoming
C
  echo "$d"
}

peer_net "$NS"
capture "$NS" tap0 tap
peer_start vm "$NS" pppd-pppoe-client PEER_USER=test PEER_PASS=secret
peer_wait_ready vm 90

# 1. PAP, the client hangs up.
start_mlpppd "$NS" "$(server_conf pap pap '10 60')" srv1
wait_log srv1 'listening for PPPoE' 10
peer_check vm "pppd (PAP) reaches IPCP and IPV6CP up" 'pppd_start pap && pppd_wait_up pap'
wait_log srv1 'session up' 10
peer_grep vm pppd-pap.log 'PAP authentication succeeded'
grep -q 'authenticated.*PAP\|PAP.*test' "$E2E_TMP/srv1.log" || fail "server log does not show PAP for test"
exchange_traffic "$NS" vm
peer_check vm "pppd hangs up" 'pppd_kill pap TERM && pppd_wait_exit pap'
wait_log srv1 'session closed' 10
wait_no_ppp "$NS"
pass "client hang-up: session and interface freed"
kill -TERM "$PID_srv1"; wait_gone "$PID_srv1" 10

# 2. CHAP-MD5, mlpppd closes the session.
start_mlpppd "$NS" "$(server_conf chap chap-md5 '10 60')" srv2
wait_log srv2 'listening for PPPoE' 10
peer_check vm "pppd (CHAP-MD5) reaches IPCP and IPV6CP up" 'pppd_start chap && pppd_wait_up chap'
wait_log srv2 'session up' 10
peer_grep vm pppd-chap.log 'CHAP authentication succeeded'
exchange_traffic "$NS" vm
kill -TERM "$PID_srv2"; wait_gone "$PID_srv2" 10
wait_no_ppp "$NS"
peer_check vm "pppd sees the server close" 'pppd_wait_exit chap 20'
peer_grep vm pppd-chap.log 'LCP terminated by peer|PADT'

# 3. Dead peer: pppd vanishes without a word.
start_mlpppd "$NS" "$(server_conf echo chap-md5 '1 3')" srv3
wait_log srv3 'listening for PPPoE' 10
peer_check vm "pppd (echo test) up" 'pppd_start echo lcp-echo-interval 0 && pppd_wait_up echo'
wait_log srv3 'session up' 10
peer_check vm "pppd killed -9" 'pppd_kill echo KILL && pppd_wait_exit echo'
start=$(date +%s)
wait_log srv3 'Echo-Request: peer is gone' 10
wait_log srv3 'session closed' 5
wait_no_ppp "$NS"
pass "dead pppd detected by LCP echo after $(($(date +%s) - start))s; session and interface freed"
kill -TERM "$PID_srv3"; wait_gone "$PID_srv3" 10

peer_stop vm
stop_capture tap
check_decodes tap
