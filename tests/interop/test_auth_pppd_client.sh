#!/usr/bin/env bash
# Interop: Debian's pppd (rp-pppoe plugin, in the peer VM) authenticates to
# mlpppd, the PPPoE server, with MS-CHAPv1, MS-CHAPv2 and EAP-MD5; the
# session carries traffic; a wrong password is refused for each method.
# (PAP and CHAP-MD5: test_pppoe_pppd_client.sh.) Then EAP pass-through
# (`set eap enable radius-proxy`, RFC 3579): pppd's EAP-MD5 answers reach a
# real FreeRADIUS through mlpppd, which holds no password itself.
. "$(dirname "$0")/../peer-vm/lib.sh"
. "$E2E_SRC/tests/radius/lib.sh"
NS=mlppp-i$E2E_ID

server_conf() {  # NAME METHOD [extra srv lines]
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  printf 'test "secret"\nmallory "right"\n' >"$d/mpd.secret"
  [ -n "${3:-}" ] && : >"$d/mpd.secret"  # RADIUS decides alone
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
${3:-}
C
  echo "$d"
}

peer_net "$NS"
capture "$NS" tap0 tap
peer_start vm "$NS" pppd-pppoe-client PEER_USER=test PEER_PASS=secret
peer_wait_ready vm 90
# A second account whose password the server does not know.
peer_run vm "printf 'mallory * Wr0ngPw *\n' >> /etc/ppp/chap-secrets" >/dev/null

export RADIUS_NETNS=$NS
radius_user test 'Cleartext-Password := "secret"'
radius_user mallory 'Cleartext-Password := "right"'
radius_start
PROXY="	set eap enable radius-proxy
	set auth enable radius-auth
	set radius server 127.0.0.1 $RADIUS_SECRET $RADIUS_AUTH_PORT $RADIUS_ACCT_PORT"

declare -A PPPD_SAYS=([chap-msv1]='CHAP authentication succeeded'
  [chap-msv2]='CHAP authentication succeeded' [eap]='EAP authentication succeeded')
n=0
for m in chap-msv1 chap-msv2 eap eap-radius-proxy; do
  n=$((n + 1)) srv=srv$n
  extra= tag=$m
  if [ "$m" = eap-radius-proxy ]; then m=eap extra=$PROXY tag=eap-proxy; fi
  start_mlpppd "$NS" "$(server_conf "$srv" "$m" "$extra")" "$srv"
  wait_log "$srv" 'listening for PPPoE' 10
  # IPV6CP is off on this server (pppd's is Protocol-Rejected): wait for IPCP.
  peer_check vm "pppd ($m) up" \
    "pppd_start $tag && wait_for 30 grep -q 'remote IP address' /job/out/pppd-$tag.log"
  wait_log "$srv" 'session up' 10
  grep -q "auth us->peer $m" "$E2E_TMP/$srv.log" || fail "$m not negotiated"
  grep -q 'peer authenticated as "test"' "$E2E_TMP/$srv.log" || fail "$m: no authenticated user"
  if [ -n "$extra" ]; then
    grep -q 'Access-Accept for "test"' "$E2E_TMP/$srv.log" || fail "radius-proxy: no Access-Accept"
    pass "eap radius-proxy: pppd's EAP-MD5 accepted by FreeRADIUS through mlpppd"
  fi
  peer_grep vm "pppd-$tag.log" "${PPPD_SAYS[$m]}"
  peer_check vm "$m: peer pings mlpppd" 'ping -c 2 -W 3 10.77.0.1'
  peer_check vm "$m: pppd hangs up" "pppd_kill $tag TERM && pppd_wait_exit $tag"
  wait_log "$srv" 'session closed' 10

  peer_run vm "pppd_start bad-$tag user mallory && pppd_wait_exit bad-$tag 40" >/dev/null ||
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
