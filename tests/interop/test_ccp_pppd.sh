#!/usr/bin/env bash
# Interop: compression and encryption with Debian's pppd (rp-pppoe plugin,
# in the peer VM, with its kernel's ppp_mppe and ppp_deflate) dialling
# mlpppd's PPPoE server, MS-CHAPv2 for the MPPE keys (RFC 3079):
#  1. MPPE-128 stateless (pppd require-mppe-128);
#  2. MPPE-128 stateful (pppd mppe-stateful);
#  3. mlpppd asks for Deflate, then Predictor-1: this pppd rejects both
#     (Debian 12's pppd 2.4.9 on its 6.1 kernel negotiates neither Deflate
#     nor BSD-Compress: its kernel check fails, so it offers an empty CCP
#     request) and the session runs uncompressed.
# Each: pppd reports the method, ping and ping6 both ways, 1 MiB each way
# with matching md5. Every frame on the tap decodes in tshark.
. "$(dirname "$0")/../peer-vm/lib.sh"
. "$(dirname "$0")/traffic.sh"
NS=mlppp-i$E2E_ID

# server_conf NAME LINES...: an mlpppd PPPoE server with extra bundle lines.
server_conf() {
  local d=$E2E_TMP/$1 l
  shift
  mkdir -p "$d"
  printf 'test "secret"\n' >"$d/mpd.secret"
  {
    printf 'startup:\ndefault:\n\tset ippool add p1 10.77.0.100 10.77.0.199\n'
    printf '\tcreate bundle template B\n\tset bundle enable ipv6cp\n'
    printf '\tset ipcp ranges 10.77.0.1/32 ippool p1\n'
    for l in "$@"; do printf '\t%s\n' "$l"; done
    printf '\tcreate link template L pppoe\n\tset link action bundle B\n'
    printf '\tset link disable pap chap eap\n\tset link enable chap-msv2\n'
    printf '\tset pppoe iface tap0\n\tset pppoe service "*"\n\tset link enable incoming\n'
  } >"$d/mpd.conf"
  echo "$d"
}

# ccp_case NAME PPPD_LOG_LINE MLPPPD_LOG_LINE PPPD_OPTS -- LINES...
ccp_case() {
  local name=$1 plog=$2 mlog=$3 opts=$4
  shift 4
  start_mlpppd "$NS" "$(server_conf "$name" "$@")" "$name"
  wait_log "$name" 'listening for PPPoE' 10
  peer_check vm "pppd ($name) reaches IPCP and IPV6CP up" "pppd_start $name $opts && pppd_wait_up $name"
  wait_log "$name" 'session up:' 10
  peer_grep vm "pppd-$name.log" "$plog"
  grep -qF "$mlog" "$E2E_TMP/$name.log" || fail "$name: mlpppd log lacks \"$mlog\""
  exchange_traffic "$NS" vm
  peer_check vm "pppd ($name) hangs up" "pppd_kill $name TERM && pppd_wait_exit $name"
  wait_log "$name" 'session closed' 10
  wait_no_ppp "$NS"
  local pid
  eval "pid=\$PID_$name"
  kill -TERM "$pid"; wait_gone "$pid" 10
  pass "$name: $mlog"
}

peer_net "$NS"
capture "$NS" tap0 tap
peer_start vm "$NS" pppd-pppoe-client PEER_USER=test PEER_PASS=secret
peer_wait_ready vm 90

ccp_case mppe_stateless 'MPPE 128-bit stateless compression enabled' \
  'CCP up: send mppc(e128 stateless) recv mppc(e128 stateless)' 'require-mppe-128 nodeflate nobsdcomp' \
  "set bundle enable compression crypt-reqd" "set ccp yes mppc" "set mppc yes e128 stateless"
ccp_case mppe_stateful 'MPPE 128-bit stateful compression enabled' \
  'CCP up: send mppc(e128) recv mppc(e128)' 'require-mppe-128 mppe-stateful nodeflate nobsdcomp' \
  "set bundle enable compression crypt-reqd" "set ccp yes mppc" "set mppc yes e128"
ccp_case fallback 'sent \[CCP ConfRej id=0x[0-9a-f]+ <predictor 1>\]' 'CCP up: send none recv none' '' \
  "set bundle enable compression" "set ccp yes deflate pred1"

peer_stop vm
stop_capture tap
check_decodes tap
