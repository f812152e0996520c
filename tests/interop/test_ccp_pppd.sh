#!/usr/bin/env bash
# Interop: compression and encryption with Debian's pppd 2.4.9 (in the peer
# VM, with its 6.1 kernel's ppp_mppe, ppp_deflate and bsd_comp), MS-CHAPv2
# for the MPPE keys (RFC 3079). pppd dials mlpppd's PPPoE server:
#  1. MPPE-128 stateless (pppd require-mppe-128, kernel plugin rp-pppoe.so);
#  2. MPPE-128 stateful (pppd mppe-stateful, plugin);
#  3. mlpppd asks for Deflate, then Predictor-1; pppd over the plugin
#     rejects both and offers an empty CCP request, and the session runs
#     uncompressed. Why: the plugin's check_options hook clears pppd's
#     Deflate and BSD-Compress options after the command line is parsed
#     (pppoe_check_options in pppd 2.4.9's plugins/rp-pppoe/plugin.c; in
#     Debian's pppoe.so it is `xor %ecx,%ecx; xor %edx,%edx; mov %dx,
#     (ccp_allowoptions); mov %cx,(ccp_wantoptions)`, zeroing the leading
#     bsd_compress and deflate flags), so `deflate 15` cannot bring them
#     back. The kernel is not the cause: PPPIOCSCOMPRESS on a fresh unit in
#     this VM accepts Deflate 9..15, Deflate-draft and BSD-Compress 9..15
#     in both directions (only Predictor-1 gets EINVAL: no such module);
#  4. Deflate both ways (RFC 1979): pppd over rp-pppoe's user-space pppoe
#     on a pty (role pppd-pppoe-dialer), where nothing clears the options;
#     it offers <deflate 15> <deflate(old#) 15> <bsd v1 15>, mlpppd keeps
#     Deflate and rejects the others; pppd's kernel counts compressed
#     packets in both directions (pppstats -z);
#  5. pppd with nodeflate bsdcomp 15 (pty): mlpppd rejects BSD-Compress
#     (Configure-Reject, option 21), pppd rejects mlpppd's Deflate, and the
#     session runs uncompressed.
# Then mlpppd's PPPoE client dials rp-pppoe's pppoe-server, whose pppd (over
# a pty) negotiates Deflate with it:
#  6. Deflate both ways, compressed packets counted both ways.
# Each: pppd reports the method, ping and ping6 both ways, 1 MiB each way
# with matching md5. Every frame on the tap decodes in tshark; mlpppd's
# Configure-Reject of option 21 and Deflate-compressed frames (protocol
# 0x00fd) both ways are in the capture.
# Linux's first Deflate packet is often lost: its kernel compresses (and
# counts, sequence number 0) from the moment pppd acks our request, but
# pad_compress_skb drops what it compressed before pppd's CCP is Opened
# (SC_CCP_UP), "ppp0: ppp: compressor dropped pkt" in the VM's dmesg. The
# first packet we get then carries sequence number 1, so mlpppd sends a
# Reset-Request (RFC 1979 §2.1) and both streams restart; the md5 checks
# cover that recovery.
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

# client_conf NAME LINES...: an mlpppd PPPoE client (test/secret, CHAP-MD5,
# never redials) with extra bundle lines.
client_conf() {
  local d=$E2E_TMP/$1 l
  shift
  mkdir -p "$d"
  : >"$d/mpd.secret"
  {
    printf 'startup:\ndefault:\n\tload cli\ncli:\n\tcreate bundle static B\n'
    printf '\tset bundle enable ipv6cp\n\tset ipcp ranges 0.0.0.0/0 0.0.0.0/0\n'
    for l in "$@"; do printf '\t%s\n' "$l"; done
    printf '\tcreate link static L pppoe\n\tset link action bundle B\n'
    printf '\tset auth authname test\n\tset auth password secret\n'
    printf '\tset link deny pap chap eap\n\tset link accept chap-md5\n\tset link max-redial -1\n'
    printf '\tset pppoe iface tap0\n\tset pppoe service isp\n\topen\n'
  } >"$d/mpd.conf"
  echo "$d"
}

# compressed_both_ways VM: the VM's ppp0 compressed and decompressed
# packets (pppstats -z: IN and OUT COMPRESSED PACK, fields 2 and 8).
compressed_both_ways() {
  local out
  out=$(peer_run "$1" 'pppstats -z ppp0') || fail "pppstats -z failed in VM $1"
  echo "$out" | awk 'NR == 3 { ok = ($2 > 0 && $8 > 0) } END { exit !ok }' ||
    fail "VM $1 ppp0 did not compress both ways: $out"
  pass "VM $1 ppp0 compressed packets both ways: $(echo "$out" | sed -n 3p | xargs)"
}

# ccp_case NAME PPPD_LOG_LINE MLPPPD_LOG_LINE PPPD_OPTS -- LINES...
# pppd starts with $PPPD_START (pppd_start: plugin; pppd_start_pty: pty),
# mlpppd with the arguments in $MLPPPD_ARGS; $CASE_CHECK runs after the
# traffic, while the session is up.
PPPD_START=pppd_start MLPPPD_ARGS='' CASE_CHECK=:
ccp_case() {
  local name=$1 plog=$2 mlog=$3 opts=$4
  shift 4
  # shellcheck disable=SC2086  # MLPPPD_ARGS: words
  start_mlpppd "$NS" "$(server_conf "$name" "$@")" "$name" $MLPPPD_ARGS
  wait_log "$name" 'listening for PPPoE' 10
  peer_check vm "pppd ($name) reaches IPCP and IPV6CP up" "$PPPD_START $name $opts && pppd_wait_up $name"
  wait_log "$name" 'session up:' 10
  peer_grep vm "pppd-$name.log" "$plog"
  grep -qF "$mlog" "$E2E_TMP/$name.log" || fail "$name: mlpppd log lacks \"$mlog\""
  exchange_traffic "$NS" vm
  $CASE_CHECK
  peer_check vm "pppd ($name) hangs up" "pppd_kill $name TERM && pppd_wait_exit $name"
  wait_log "$name" 'session closed' 10
  wait_no_ppp "$NS"
  local pid
  eval "pid=\$PID_$name"
  kill -TERM "$pid"; wait_gone "$pid" 10
  pass "$name: $mlog"
}

# Six sessions under TCG take longer than the VM's default 180 s.
# shellcheck disable=SC2034  # read by peer_start
PEER_TIMEOUT=300
peer_net "$NS"
capture "$NS" tap0 tap
peer_start vm "$NS" pppd-pppoe-dialer PEER_USER=test PEER_PASS=secret
peer_wait_ready vm 90

ccp_case mppe_stateless 'MPPE 128-bit stateless compression enabled' \
  'CCP up: send mppc(e128 stateless) recv mppc(e128 stateless)' 'require-mppe-128 nodeflate nobsdcomp' \
  "set bundle enable compression crypt-reqd" "set ccp yes mppc" "set mppc yes e128 stateless"
ccp_case mppe_stateful 'MPPE 128-bit stateful compression enabled' \
  'CCP up: send mppc(e128) recv mppc(e128)' 'require-mppe-128 mppe-stateful nodeflate nobsdcomp' \
  "set bundle enable compression crypt-reqd" "set ccp yes mppc" "set mppc yes e128"
# 3. The plugin pppd: an empty request, our Deflate and Predictor-1 rejected.
ccp_case fallback 'sent \[CCP ConfRej id=0x[0-9a-f]+ <predictor 1>\]' 'CCP up: send none recv none' '' \
  "set bundle enable compression" "set ccp yes deflate pred1"
peer_grep vm pppd-fallback.log '^sent \[CCP ConfReq id=0x[0-9a-f]+\]$'
peer_grep vm pppd-fallback.log 'sent \[CCP ConfRej id=0x[0-9a-f]+ <deflate 15>\]'

# 4. pppd over the pty: Deflate 15 both ways.
PPPD_START=pppd_start_pty CASE_CHECK='compressed_both_ways vm'
ccp_case deflate 'Deflate \(15\) compression enabled' 'CCP up: send deflate(15) recv deflate(15)' '' \
  "set bundle enable compression" "set ccp yes deflate"
peer_grep vm pppd-deflate.log 'sent \[CCP ConfReq id=0x[0-9a-f]+ <deflate 15> <deflate\(old#\) 15> <bsd v1 15>\]'
peer_grep vm pppd-deflate.log 'rcvd \[CCP ConfRej id=0x[0-9a-f]+ <deflate\(old#\) 15> <bsd v1 15>\]'

# 5. pppd offers BSD-Compress only: rejected; no compression either way.
MLPPPD_ARGS=--debug CASE_CHECK=:
ccp_case bsdcomp 'rcvd \[CCP ConfRej id=0x[0-9a-f]+ <bsd v1 15>\]' 'CCP up: send none recv none' \
  'nodeflate bsdcomp 15' "set bundle enable compression" "set ccp yes deflate"
peer_grep vm pppd-bsdcomp.log 'sent \[CCP ConfReq id=0x[0-9a-f]+ <bsd v1 15>\]'
peer_grep vm pppd-bsdcomp.log 'sent \[CCP ConfRej id=0x[0-9a-f]+ <deflate 15>\]'
grep -qF 'CCP: rejecting BSD-Compress (21)' "$E2E_TMP/bsdcomp.log" || fail "bsdcomp: mlpppd did not log rejecting BSD-Compress"
pass "bsdcomp: mlpppd rejects BSD-Compress (21)"
MLPPPD_ARGS=''
peer_stop vm

# 6. mlpppd's PPPoE client dials pppoe-server's pppd: Deflate 15 both ways.
peer_start srv "$NS" pppoe-server PEER_USER=test PEER_PASS=secret PPPOE_AC=vmpeer-ac PPPOE_SERVICE=isp
peer_wait_ready srv 90
start_mlpppd "$NS" "$(client_conf cli "set bundle enable compression" "set ccp yes deflate")" cli
wait_log cli 'session up' 20
peer_check srv "server pppd: IPCP and IPV6CP up" "wait_for 20 grep -q 'remote LL address' /job/out/pppd-server.log"
peer_grep srv pppd-server.log 'Deflate \(15\) compression enabled'
wait_log cli 'CCP up: send deflate\(15\) recv deflate\(15\)' 10
pass "cli: CCP up: send deflate(15) recv deflate(15)"
exchange_traffic "$NS" srv
compressed_both_ways srv
kill -TERM "$PID_cli"; wait_gone "$PID_cli" 10
wait_no_ppp "$NS"
peer_check srv "server pppd sees the client close" "wait_for 20 sh -c '! pidof pppd'"
peer_stop srv

stop_capture tap
# With Deflate tshark sees the TCP streams with holes (the segments that went
# compressed are opaque to it), and its HTTP dissector may then read random
# body bytes after a hole as headers ("Malformed Packet: HTTP"). The
# transfers are checked by md5: decode everything up to TCP, not HTTP.
mkdir -p "$E2E_TMP/wireshark"
echo http >"$E2E_TMP/wireshark/disabled_protos"
WIRESHARK_CONFIG_DIR=$E2E_TMP/wireshark check_decodes tap
# The capture has what the logs say: mlpppd's Configure-Reject naming
# option 21, and Deflate-compressed datagrams (RFC 1979 §2.1) both ways.
VM_MAC=52:54:00:99:00:02
n=$(tshark -r "$E2E_TMP/tap.pcap" -Y "ccp && ppp.code == 4 && ccp.opt.type == 21 && eth.dst == $VM_MAC" 2>/dev/null | wc -l)
[ "$n" -ge 1 ] || fail "capture: no CCP Configure-Reject of BSD-Compress from mlpppd"
pass "capture: $n CCP Configure-Reject(s) of BSD-Compress (21) from mlpppd"
for dir in "eth.dst == $VM_MAC" "eth.src == $VM_MAC"; do
  n=$(tshark -r "$E2E_TMP/tap.pcap" -Y "ppp.protocol == 0x00fd && $dir" 2>/dev/null | wc -l)
  [ "$n" -gt 0 ] || fail "capture: no compressed datagrams with $dir"
  pass "capture: $n compressed datagrams with $dir"
done
