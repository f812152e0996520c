#!/usr/bin/env bash
# Interop: Debian's pppd (rp-pppoe plugin, in the peer VM) authenticates to
# mlpppd, the PPPoE server, with MS-CHAPv1, MS-CHAPv2 and EAP-MD5; the
# session carries traffic; a wrong password is refused for each method.
# (PAP and CHAP-MD5: test_pppoe_pppd_client.sh.)
. "$(dirname "$0")/../peer-vm/lib.sh"
NS=mlppp-i$E2E_ID

server_conf() {  # NAME METHOD
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  printf 'test "secret"\nmallory "right"\n' >"$d/mpd.secret"
  cat >"$d/mpd.conf" <<C
startup:
default:
	load srv
srv:
	set ippool add p1 10.77.0.100 10.77.0.199
	create bundle template B
	set ipcp ranges 10.77.0.1/32 ippool p1
	create link template L pppoe
	set link action bundle B
	set link disable pap chap eap
	set link enable $2
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
# A second account whose password the server does not know.
peer_run vm "printf 'mallory * Wr0ngPw *\n' >> /etc/ppp/chap-secrets" >/dev/null

declare -A PPPD_SAYS=([chap-msv1]='CHAP authentication succeeded'
  [chap-msv2]='CHAP authentication succeeded' [eap]='EAP authentication succeeded')
n=0
for m in chap-msv1 chap-msv2 eap; do
  n=$((n + 1)) srv=srv$n
  start_mlpppd "$NS" "$(server_conf "$srv" "$m")" "$srv"
  wait_log "$srv" 'listening for PPPoE' 10
  # IPV6CP is off on this server (pppd's is Protocol-Rejected): wait for IPCP.
  peer_check vm "pppd ($m) up" \
    "pppd_start $m && wait_for 30 grep -q 'remote IP address' /job/out/pppd-$m.log"
  wait_log "$srv" 'session up' 10
  grep -q "auth us->peer $m" "$E2E_TMP/$srv.log" || fail "$m not negotiated"
  grep -q 'peer authenticated as "test"' "$E2E_TMP/$srv.log" || fail "$m: no authenticated user"
  peer_grep vm "pppd-$m.log" "${PPPD_SAYS[$m]}"
  peer_check vm "$m: peer pings mlpppd" 'ping -c 2 -W 3 10.77.0.1'
  peer_check vm "$m: pppd hangs up" "pppd_kill $m TERM && pppd_wait_exit $m"
  wait_log "$srv" 'session closed' 10

  peer_run vm "pppd_start bad-$m user mallory && pppd_wait_exit bad-$m 40" >/dev/null ||
    fail "$m: pppd with a wrong password did not give up"
  wait_log "$srv" 'peer "mallory" failed authentication' 5
  grep -q 'session up.*mallory' "$E2E_TMP/$srv.log" && fail "$m: mallory got a session"
  grep -q 'Wr0ngPw' "$E2E_TMP/$srv.log" && fail "$m: the password appears in the log"
  pass "$m: wrong password refused"
  pid=PID_$srv
  kill -TERM "${!pid}"; wait_gone "${!pid}" 10
done

peer_stop vm
stop_capture tap
check_decodes tap
