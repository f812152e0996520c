#!/usr/bin/env bash
# Interop: mlpppd, the PPPoE client, authenticates to Debian's pppd behind
# rp-pppoe's pppoe-server (in the peer VM) with MS-CHAPv1, MS-CHAPv2
# (pppd checks our response, we check its authenticator response) and
# EAP-MD5; the session carries traffic; a wrong password is refused.
# (PAP and CHAP-MD5: test_pppoe_rp_server.sh.)
. "$(dirname "$0")/../peer-vm/lib.sh"
NS=mlppp-i$E2E_ID

client_conf() {  # NAME METHOD PASSWORD
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  : >"$d/mpd.secret"
  cat >"$d/mpd.conf" <<C
startup:
default:
	load cli
cli:
	create bundle static B
	set ipcp ranges 0.0.0.0/0 0.0.0.0/0
	create link static L pppoe
	set link action bundle B
	set auth authname test
	set auth password $3
	set link deny pap chap eap
	set link accept $2
	set link max-redial -1
	set pppoe iface tap0
	set pppoe service isp
	open
C
  echo "$d"
}

peer_net "$NS"
capture "$NS" tap0 tap
peer_start vm "$NS" pppoe-server PEER_USER=test PEER_PASS=secret PPPOE_SERVICE=isp
peer_wait_ready vm 90

declare -A REQUIRE=([chap-msv1]=require-mschap [chap-msv2]=require-mschap-v2 [eap]=require-eap)
declare -A PPPD_SAYS=([chap-msv1]='sent \[MS-CHAP Success|sent \[CHAP Success'
  [chap-msv2]='sent \[CHAP Success' [eap]='sent \[EAP Success')
n=0
for m in chap-msv1 chap-msv2 eap; do
  n=$((n + 1)) cli=cli$n
  peer_run vm "server_auth ${REQUIRE[$m]} && rm -f /job/out/pppd-server.log" >/dev/null
  start_mlpppd "$NS" "$(client_conf "$cli" "$m" secret)" "$cli"
  wait_log "$cli" 'session up' 30
  grep -q "peer->us $m" "$E2E_TMP/$cli.log" || fail "$m not negotiated"
  peer_check vm "$m: server pppd up" \
    "wait_for 20 grep -q 'remote IP address' /job/out/pppd-server.log"
  peer_grep vm pppd-server.log "${PPPD_SAYS[$m]}"
  ifc=$(ppp_ifaces "$NS" | head -1)
  ip netns exec "$NS" ping -c 2 -i 0.2 -W 3 10.99.1.1 >/dev/null || fail "$m: ping"
  pass "$m: mlpppd pings the server over the session"
  pid=PID_$cli
  kill -TERM "${!pid}"; wait_gone "${!pid}" 10
  peer_run vm "mv /job/out/pppd-server.log /job/out/pppd-server-$m.log; wait_for 20 sh -c '! pidof pppd'" >/dev/null

  # Wrong password: the server refuses, mlpppd logs it without the secret.
  bad=bad$n
  start_mlpppd "$NS" "$(client_conf "$bad" "$m" Wr0ngPw)" "$bad" -o
  wait_log "$bad" 'refused our credentials|authentication failed|rejected' 30
  grep -q 'session up' "$E2E_TMP/$bad.log" && fail "$m: a wrong password got a session"
  grep -q 'Wr0ngPw' "$E2E_TMP/$bad.log" && fail "$m: the password appears in the log"
  pid=PID_$bad
  wait_gone "${!pid}" 20
  pass "$m: wrong password refused by pppd"
  peer_run vm "mv /job/out/pppd-server.log /job/out/pppd-server-bad-$m.log; wait_for 20 sh -c '! pidof pppd'" >/dev/null
done

peer_stop vm
stop_capture tap
check_decodes tap
