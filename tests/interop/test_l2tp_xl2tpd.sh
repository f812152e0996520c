#!/usr/bin/env bash
# Interop: L2TP (RFC 2661) between mlpppd and Debian's xl2tpd + pppd
# (kernel L2TP, pppol2tp plugin) in the peer VM; 192.0.2.1 is mlpppd's side
# of the tap, 192.0.2.2 the VM's.
#  a. mlpppd as LAC dials xl2tpd as LNS, whose pppd requires MS-CHAPv2:
#     first without tunnel authentication, then with a shared tunnel secret
#     (Challenge / Challenge Response AVPs, §5.1.1). Each time: tunnel, call
#     and PPP up; IPCP + IPV6CP; ping and ping6 both ways; 1 MiB each way;
#     mlpppd hangs up (SIGTERM) and xl2tpd sees the call (CDN) and the
#     tunnel (StopCCN) end, its pppd exits. Then xl2tpd's pppd hangs up
#     and mlpppd frees the session. Then a wrong tunnel secret:
#     mlpppd refuses xl2tpd's Challenge Response and places no call.
#  b. xl2tpd as LAC (with a tunnel secret) dials mlpppd as LNS, which
#     authenticates the call with MS-CHAPv2 against mpd.secret: the same
#     traffic; xl2tpd hangs up and mlpppd frees the session.
# Every frame on the tap decodes cleanly in tshark; L2TP control and data
# messages are both on the wire.
. "$(dirname "$0")/../peer-vm/lib.sh"
. "$(dirname "$0")/traffic.sh"
NS=mlppp-i$E2E_ID
export PEER_TIMEOUT=${PEER_TIMEOUT:-300}

# lac_conf NAME SECRET: mlpppd dialling the LNS at 192.0.2.2 as test/secret
# with MS-CHAPv2 only, never redialling; SECRET "" = no tunnel secret.
lac_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  : >"$d/mpd.secret"
  {
    cat <<C
startup:
default:
	load lac
lac:
	create bundle static B
	set bundle enable ipv6cp
	set ipcp ranges 0.0.0.0/0 0.0.0.0/0
	create link static L l2tp
	set link action bundle B
	set auth authname test
	set auth password secret
	set link deny pap chap eap
	set link accept chap-msv2
	set link max-redial -1
	set l2tp self 192.0.2.1
	set l2tp peer 192.0.2.2
C
    [ -n "$2" ] && printf '\tset l2tp secret %s\n' "$2"
    printf '\topen\n'
  } >"$d/mpd.conf"
  echo "$d"
}

# lns_conf NAME SECRET: mlpppd as LNS on 192.0.2.1 for test/secret.
lns_conf() {
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  printf 'test "secret"\n' >"$d/mpd.secret"
  cat >"$d/mpd.conf" <<C
startup:
default:
	load lns
lns:
	create bundle template B
	set bundle enable ipv6cp
	set ipcp ranges 10.96.0.1/32 10.96.0.2/32
	create link template L l2tp
	set link action bundle B
	set link disable pap chap eap
	set link enable chap-msv2
	set link keep-alive 10 60
	set l2tp self 192.0.2.1
	set l2tp secret $2
	set link enable incoming
C
  echo "$d"
}

peer_net "$NS"
ip -n "$NS" addr add 192.0.2.1/24 dev tap0
capture "$NS" tap0 tap

# a. mlpppd LAC -> xl2tpd LNS, without and with a tunnel secret.
peer_start lns "$NS" xl2tpd-lns PEER_USER=test PEER_PASS=secret
peer_wait_ready lns 90
for secret in "" tunnel-s3cret; do
  tag=lac${secret:+_secret}
  if [ -n "$secret" ]; then
    peer_check lns "xl2tpd restarted with a tunnel secret" \
      "mv /job/out/pppd-lns.log /job/out/pppd-lns-nosecret.log
       mv /job/out/xl2tpd.log /job/out/xl2tpd-nosecret.log; lns_restart '$secret'"
  fi
  start_mlpppd "$NS" "$(lac_conf "$tag" "$secret")" "$tag"
  wait_log "$tag" 'session up' 40
  grep -q 'peer->us chap-msv2' "$E2E_TMP/$tag.log" || fail "$tag: MS-CHAPv2 not negotiated"
  peer_check lns "$tag: xl2tpd's pppd up (IPCP)" \
    "wait_for 20 grep -q 'remote IP address 10.98.0.2' /job/out/pppd-lns.log"
  peer_grep lns pppd-lns.log 'sent \[CHAP Success'
  pass "$tag: tunnel, call and MS-CHAPv2 session up"
  exchange_traffic "$NS" lns
  pid=PID_$tag
  kill -TERM "${!pid}"; wait_gone "${!pid}" 10
  wait_no_ppp "$NS"
  peer_check lns "$tag: xl2tpd's pppd exits after mlpppd's hang-up" "wait_for 20 sh -c '! pidof pppd >/dev/null'"
  peer_check lns "$tag: xl2tpd sees the call (CDN) and the tunnel (StopCCN) end" \
    "wait_for 10 grep -q 'message type 14 (Call-Disconnect-Notify)' /job/out/xl2tpd.log &&
     wait_for 10 grep -q 'message type 4 (Stop-Control-Connection-Notification)' /job/out/xl2tpd.log"
done

# a3. The LNS hangs up: xl2tpd's pppd ends (LCP Terminate), xl2tpd clears
# the call (CDN); mlpppd frees the session and its interface.
peer_run lns 'mv /job/out/pppd-lns.log /job/out/pppd-lns-secret.log' >/dev/null
start_mlpppd "$NS" "$(lac_conf lnshup tunnel-s3cret)" lnshup
wait_log lnshup 'session up' 40
peer_check lns "xl2tpd's pppd hangs up" \
  "wait_for 20 grep -q 'remote IP address' /job/out/pppd-lns.log &&
   kill -TERM \$(pidof pppd) && wait_for 20 sh -c '! pidof pppd >/dev/null'"
wait_log lnshup 'session closed' 20
wait_no_ppp "$NS"
pass "LNS hang-up: mlpppd frees the session and its interface"
kill -TERM "$PID_lnshup"; wait_gone "$PID_lnshup" 10

# a4. A wrong tunnel secret: mlpppd finds xl2tpd's Challenge Response wrong
# (§5.1.1), sends StopCCN and places no call; the secret is not logged.
start_mlpppd "$NS" "$(lac_conf badsecret wrong-s3cret)" badsecret
wait_log badsecret 'wrong Challenge Response' 30
wait_log badsecret 'StopCCN sent' 10
grep -q 'session up' "$E2E_TMP/badsecret.log" && fail "a wrong tunnel secret got a session"
grep -qE 'wrong-s3cret|tunnel-s3cret' "$E2E_TMP/badsecret.log" && fail "a tunnel secret appears in the log"
kill -TERM "$PID_badsecret"; wait_gone "$PID_badsecret" 10
peer_check lns "xl2tpd started no pppd for the refused tunnel" "! pidof pppd >/dev/null"
pass "wrong tunnel secret: tunnel refused by mlpppd, no call"
peer_stop lns

# b. xl2tpd LAC -> mlpppd LNS, with a tunnel secret.
start_mlpppd "$NS" "$(lns_conf lns tunnel-s3cret)" lns
wait_log lns 'listening for L2TP' 10
peer_start lac "$NS" xl2tpd-lac PEER_USER=test PEER_PASS=secret TUNNEL_SECRET=tunnel-s3cret
peer_wait_ready lac 90
peer_check lac "xl2tpd dials mlpppd" 'lac_dial && lac_wait_up 40'
wait_log lns 'session up' 20
grep -q 'us->peer chap-msv2' "$E2E_TMP/lns.log" || fail "LNS: MS-CHAPv2 not negotiated"
peer_grep lac pppd-lac.log 'CHAP authentication succeeded'
pass "xl2tpd LAC: tunnel, call and MS-CHAPv2 session up"
exchange_traffic "$NS" lac
peer_check lac "xl2tpd hangs up" "lac_hangup && wait_for 20 sh -c '! pidof pppd >/dev/null'"
wait_log lns 'session closed' 20
wait_no_ppp "$NS"
pass "xl2tpd's hang-up frees mlpppd's session and interface"
peer_stop lac
kill -TERM "$PID_lns"; wait_gone "$PID_lns" 10

stop_capture tap
count() { tshark -r "$E2E_TMP/tap.pcap" -Y "$1" 2>/dev/null | wc -l; }
[ "$(count 'l2tp.type == 1')" -gt 0 ] || fail "no L2TP control messages on the wire"
[ "$(count 'l2tp.type == 0 && ppp')" -gt 0 ] || fail "no L2TP data messages on the wire"
# Tunnel authentication ran both ways (Challenge AVP 11, Challenge
# Response AVP 13, §4.4.3).
[ "$(count 'l2tp.avp.type == 11')" -ge 2 ] || fail "no Challenge AVPs on the wire"
[ "$(count 'l2tp.avp.type == 13')" -ge 2 ] || fail "no Challenge Response AVPs on the wire"
pass "L2TP control ($(count 'l2tp.type == 1')) and data ($(count 'l2tp.type == 0 && ppp')) messages on the wire"
check_decodes tap
