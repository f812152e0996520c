#!/usr/bin/env bash
# Interop: mlpppd as PPPoE client (host side of the tap) dials rp-pppoe's
# pppoe-server with Debian's pppd in the peer VM. That pppd requires
# authentication and offers CHAP first; mlpppd's `set link accept` decides.
#  1. PAP; IPCP + IPV6CP; ping and ping6 both ways; 1 MiB each way with
#     matching md5; mlpppd closes (SIGTERM) and the server's pppd sees LCP
#     Terminate.
#  2. CHAP-MD5; the same traffic; the server's pppd hangs up (LCP Terminate
#     + PADT) and mlpppd frees the session and its interface.
#  3. keep-alive 1 3; the VM's NIC goes down and the server's pppd and
#     pppoe relay are killed -9 (with the NIC up, pppoe-server would send a
#     PADT for its dead child); mlpppd finds the dead peer through LCP echo
#     and frees everything.
# Every frame on the tap decodes in tshark without malformed/error items.
. "$(dirname "$0")/../peer-vm/lib.sh"
. "$(dirname "$0")/traffic.sh"
NS=mlppp-i$E2E_ID

# client_conf NAME AUTH KEEPALIVE: an mlpppd PPPoE client config dir that
# authenticates as test/secret with AUTH only and never redials.
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
	create link static L pppoe
	set link action bundle B
	set auth authname test
	set auth password secret
	set link deny pap chap eap
	set link accept $2
	set link keep-alive $3
	set link max-redial -1
	set pppoe iface tap0
	set pppoe service isp
	open
C
  echo "$d"
}

peer_net "$NS"
capture "$NS" tap0 tap
peer_start vm "$NS" pppoe-server PEER_USER=test PEER_PASS=secret PPPOE_AC=vmpeer-ac PPPOE_SERVICE=isp
peer_wait_ready vm 90

# 1. PAP; mlpppd closes.
start_mlpppd "$NS" "$(client_conf pap pap '10 60')" cli1
wait_log cli1 'session up' 20
grep -q 'vmpeer-ac' "$E2E_TMP/cli1.log" || fail "client log does not name the AC"
peer_check vm "server pppd: IPCP and IPV6CP up" \
  "wait_for 20 grep -q 'remote LL address' /job/out/pppd-server.log"
peer_grep vm pppd-server.log 'user test logged in|PAP peer authentication succeeded'
exchange_traffic "$NS" vm
kill -TERM "$PID_cli1"; wait_gone "$PID_cli1" 10
wait_no_ppp "$NS"
peer_check vm "server pppd sees the client close" \
  "wait_for 20 sh -c '! pidof pppd' && grep -q 'LCP terminated by peer' /job/out/pppd-server.log"

# 2. CHAP-MD5; the server hangs up.
peer_run vm 'mv /job/out/pppd-server.log /job/out/pppd-server-pap.log' >/dev/null
start_mlpppd "$NS" "$(client_conf chap chap-md5 '10 60')" cli2
wait_log cli2 'session up' 20
peer_check vm "server pppd (CHAP-MD5): IPCP and IPV6CP up" \
  "wait_for 20 grep -q 'remote LL address' /job/out/pppd-server.log"
peer_grep vm pppd-server.log 'sent \[CHAP Success'
exchange_traffic "$NS" vm
peer_check vm "server pppd hangs up" "kill -TERM \$(pidof pppd) && wait_for 20 sh -c '! pidof pppd'"
wait_log cli2 'session closed' 10
wait_no_ppp "$NS"
pass "server hang-up: session and interface freed"
kill -TERM "$PID_cli2"; wait_gone "$PID_cli2" 10

# 3. Dead peer: the server side vanishes without a word.
peer_run vm 'mv /job/out/pppd-server.log /job/out/pppd-server-chap.log' >/dev/null
start_mlpppd "$NS" "$(client_conf echo chap-md5 '1 3')" cli3
wait_log cli3 'session up' 20
peer_check vm "VM NIC down, server pppd and relay killed -9" \
  "wait_for 20 grep -q 'remote LL address' /job/out/pppd-server.log && ip link set eth0 down &&
   kill -KILL \$(pidof pppd) \$(pidof pppoe)"
start=$(date +%s)
wait_log cli3 'Echo-Request: peer is gone' 10
wait_log cli3 'session closed' 5
wait_no_ppp "$NS"
pass "dead server detected by LCP echo after $(($(date +%s) - start))s; session and interface freed"
kill -TERM "$PID_cli3"; wait_gone "$PID_cli3" 10

peer_stop vm
stop_capture tap
check_decodes tap
