#!/usr/bin/env bash
# CCP and ECP between our PPPoE client and server (MS-CHAPv2, whose keys
# MPPE uses): for each method — MPPE-128 stateless and stateful, MPPE-40
# with MPPC, MPPC alone, Deflate, Predictor-1, DESE-bis, DESE — both sides
# agree on it, large pings pass, a 2 MiB TCP transfer each way arrives with
# a matching md5, the wire carries Compressed/Encrypted datagrams and no
# plain IP, and tshark decodes every frame. Then crypt-reqd: a server that
# requires MPPE closes a client that does not offer it.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"

# conf NAME ROLE LINES...: an mlpppd config dir for ROLE (server|client)
# with the extra bundle LINES (one per argument).
conf() {
  local d=$E2E_TMP/$1 role=$2 l
  shift 2
  mkdir -p "$d"
  printf 'demo "demo-pass"\n' >"$d/mpd.secret"
  {
    echo "startup:"
    echo "default:"
    if [ "$role" = server ]; then
      printf '\tset ippool add p1 10.0.0.100 10.0.0.199\n\tcreate bundle template B\n'
      printf '\tset ipcp ranges 10.0.0.1/32 ippool p1\n'
      for l in "$@"; do printf '\t%s\n' "$l"; done
      printf '\tcreate link template L pppoe\n\tset link action bundle B\n'
      printf '\tset link disable pap chap eap\n\tset link enable chap-msv2\n'
      printf '\tset pppoe iface veth-srv\n\tset pppoe service "*"\n\tset link enable incoming\n'
    else
      printf '\tcreate bundle static B1\n\tset ipcp ranges 0.0.0.0/0 0.0.0.0/0\n'
      for l in "$@"; do printf '\t%s\n' "$l"; done
      printf '\tcreate link static L1 pppoe\n\tset link action bundle B1\n'
      printf '\tset auth authname demo\n\tset auth password demo-pass\n'
      printf '\tset link accept chap-msv2\n\tset link max-redial -1\n'
      printf '\tset pppoe iface veth-cli\n\tset pppoe service ""\n\topen\n'
    fi
  } >"$d/mpd.conf"
  echo "$d"
}

# A TCP sink/source pair: `bulk.py recv ADDR PORT` prints the md5 of what
# one connection brings; `bulk.py send ADDR PORT FILE` sends FILE.
cat >"$E2E_TMP/bulk.py" <<'PY'
import hashlib, socket, sys
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "recv":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(1); print("listening", flush=True)
    c, _ = s.accept(); h = hashlib.md5()
    while True:
        b = c.recv(65536)
        if not b: break
        h.update(b)
    print(h.hexdigest(), flush=True)
else:
    c = socket.create_connection((addr, port), timeout=120)
    c.sendall(open(sys.argv[4], "rb").read()); c.close()
PY
# 2 MiB that compresses (text-like lines) with some incompressible blocks.
python3 - "$E2E_TMP/blob" <<'PY'
import os, sys
out = bytearray()
i = 0
while len(out) < 2 * 1024 * 1024:
    out += b"GET /index.html?session=%06d HTTP/1.1\r\nHost: example.test\r\n\r\n" % i
    if i % 50 == 0: out += os.urandom(700)
    i += 1
open(sys.argv[1], "wb").write(out[:2 * 1024 * 1024])
PY
head -c 262144 "$E2E_TMP/blob" >"$E2E_TMP/blob-small"

# transfer FROM_NS TO_NS TO_ADDR [FILE]: the blob (2 MiB) or FILE from one
# side to the other, md5 checked.
transfer() {
  local out=$E2E_TMP/recv.$RANDOM got file=${4:-$E2E_TMP/blob} want
  want=$(md5sum "$file" | cut -d' ' -f1)
  ip netns exec "$2" python3 "$E2E_TMP/bulk.py" recv "$3" 5001 >"$out" 2>&1 &
  local rp=$!
  for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
  ip netns exec "$1" timeout 150 python3 "$E2E_TMP/bulk.py" send "$3" 5001 "$file" ||
    fail "sending $file to $3 failed"
  wait "$rp" || true
  got=$(tail -1 "$out")
  [ "$got" = "$want" ] || fail "$file to $3: md5 $got, want $want"
}

# run_case NAME EXPECT LINES...: both sides with LINES; the server's log
# must show EXPECT ("CCP up: send ... recv ..." or "ECP up: ...").
run_case() {
  local name=$1 expect=$2
  shift 2
  capture "$S" veth-srv "w_$name"
  start_mlpppd "$S" "$(conf "s_$name" server "$@")" "s_$name"
  wait_log "s_$name" 'listening for PPPoE' 10
  start_mlpppd "$C" "$(conf "c_$name" client "$@")" "c_$name"
  wait_log "c_$name" 'session up:' 20
  wait_log "s_$name" 'session up:' 20
  grep -qF "$expect" "$E2E_TMP/s_$name.log" || fail "$name: server log lacks \"$expect\""
  grep -qF "$expect" "$E2E_TMP/c_$name.log" || fail "$name: client log lacks \"$expect\""
  if [ -n "${LOSS:-}" ]; then
    # Drop LOSS% of the PPPoE session frames arriving on each side (this
    # kernel has no netem): stateful methods lose step and must recover
    # through CCP Reset-Request (RFC 1962 §3.1); TCP retransmits the data.
    local ns dev
    for ns in "$S:veth-srv" "$C:veth-cli"; do
      ip netns exec "${ns%%:*}" nft -f - <<NFT
table netdev mlppp_loss {
  chain in { type filter hook ingress device "${ns#*:}" priority 0; ether type 0x8864 numgen random mod 100 < $LOSS counter drop; }
}
NFT
    done
  fi
  local sif cif cli_ip
  sif=$(ppp_ifaces "$S"); cif=$(ppp_ifaces "$C")
  cli_ip=$(ip -n "$C" -4 -o addr show dev "$cif" | awk '{print $4}' | cut -d/ -f1)
  # ping passes when any reply comes. Under loss a stateful method also
  # loses the packet after a lost one (its decoder is out of step until
  # the Reset-Ack), so one loss costs two pings: more tries then.
  local n=2
  [ -z "${LOSS:-}" ] || n=6
  ip netns exec "$C" ping -c $((n + 1)) -i 0.2 -W 2 10.0.0.1 >/dev/null || fail "$name: ping"
  ip netns exec "$C" ping -c $n -i 0.3 -s 1400 -W 2 10.0.0.1 >/dev/null || fail "$name: 1428-byte ping"
  ip netns exec "$S" ping -c $n -i 0.3 -s 1400 -W 2 "$cli_ip" >/dev/null || fail "$name: 1428-byte ping back"
  # Under loss a stateful method stalls until its reset goes through, and
  # TCP backs off meanwhile: a smaller transfer keeps the test short.
  local blob=$E2E_TMP/blob
  [ -z "${LOSS:-}" ] || blob=$E2E_TMP/blob-small
  transfer "$C" "$S" 10.0.0.1 "$blob"
  transfer "$S" "$C" "$cli_ip" "$blob"
  if [ -n "${LOSS:-}" ]; then
    local drops
    drops=$( (ip netns exec "$S" nft list table netdev mlppp_loss; ip netns exec "$C" nft list table netdev mlppp_loss) |
      grep -o 'packets [0-9]*' | awk '{s += $2} END {print s + 0}')
    [ "$drops" -gt 0 ] || fail "$name: the loss rules dropped nothing"
    grep -q 'asking for a reset' "$E2E_TMP/s_$name.log" "$E2E_TMP/c_$name.log" ||
      fail "$name: $drops frames lost but no Reset-Request was needed"
    ip netns exec "$S" nft delete table netdev mlppp_loss
    ip netns exec "$C" nft delete table netdev mlppp_loss
    expect="$expect, $drops frames dropped and recovered by Reset-Request"
  fi
  local cp sp
  eval "cp=\$PID_c_$name sp=\$PID_s_$name"
  kill -TERM "$cp"; wait_gone "$cp" 10
  kill -TERM "$sp"; wait_gone "$sp" 10
  stop_capture "w_$name"
  # The data went as Compressed (0x00fd) or Encrypted (0x0053) datagrams;
  # with encryption no plain IP crossed the wire.
  local wrapped plain
  wrapped=$(tshark -r "$E2E_TMP/w_$name.pcap" -Y 'ppp.protocol == 0x00fd || ppp.protocol == 0x0053' 2>/dev/null | wc -l)
  plain=$(tshark -r "$E2E_TMP/w_$name.pcap" -Y 'pppoes && ip && !icmp.type == 3' 2>/dev/null | wc -l)
  [ "$wrapped" -gt 150 ] || fail "$name: only $wrapped compressed/encrypted frames on the wire"
  case "$expect" in *e128* | *e40* | *dese*)
    [ "$plain" -eq 0 ] || fail "$name: $plain plain IP frames on an encrypted session" ;;
  esac
  check_decodes "w_$name"
  pass "$name: $expect; pings and $(($(stat -c %s "$blob") / 1024)) KiB each way (md5 ok), $wrapped wrapped frames"
}

run_case mppe128_stateless "CCP up: send mppc(e128 stateless) recv mppc(e128 stateless)" \
  "set bundle enable compression" "set ccp yes mppc" "set mppc yes e128 stateless"
run_case mppe128_stateful "CCP up: send mppc(e128) recv mppc(e128)" \
  "set bundle enable compression" "set ccp yes mppc" "set mppc yes e128"
run_case mppe40_mppc "CCP up: send mppc(e40 compress) recv mppc(e40 compress)" \
  "set bundle enable compression" "set ccp yes mppc" "set mppc yes e40 compress"
run_case mppc "CCP up: send mppc(compress) recv mppc(compress)" \
  "set bundle enable compression" "set ccp yes mppc" "set mppc yes compress"
run_case deflate "CCP up: send deflate(15) recv deflate(15)" \
  "set bundle enable compression" "set ccp yes deflate"
run_case pred1 "CCP up: send pred1 recv pred1" \
  "set bundle enable compression" "set ccp yes pred1"
# Stateful methods under 1% frame loss both ways: the decoder loses step,
# asks for a reset, and the data still arrives intact.
LOSS=1 run_case mppe128_stateful_loss "CCP up: send mppc(e128 compress) recv mppc(e128 compress)" \
  "set bundle enable compression" "set ccp yes mppc" "set mppc yes e128 compress"
LOSS=1 run_case deflate_loss "CCP up: send deflate(15) recv deflate(15)" \
  "set bundle enable compression" "set ccp yes deflate"
LOSS=1 run_case pred1_loss "CCP up: send pred1 recv pred1" \
  "set bundle enable compression" "set ccp yes pred1"
run_case dese_bis "ECP up: send dese-bis recv dese-bis" \
  "set bundle enable encryption crypt-reqd" "set ecp key s3cret" "set ecp yes dese-bis"
run_case dese_old "ECP up: send dese-old recv dese-old" \
  "set bundle enable encryption" "set ecp key s3cret" "set ecp yes dese-old"
# RFC 1968 §4: compression first, then encryption.
run_case deflate_dese "ECP up: send dese-bis recv dese-bis" \
  "set bundle enable compression encryption" "set ccp yes deflate" "set ecp key s3cret" \
  "set ecp yes dese-bis"
! grep -l s3cret "$E2E_TMP"/*.log || fail "the ECP key appears in a log"
pass "the ECP key appears in no log"

# crypt-reqd: the server requires MPPE, the client runs no CCP at all.
start_mlpppd "$S" "$(conf s_reqd server "set bundle enable compression crypt-reqd" \
  "set ccp yes mppc" "set mppc yes e128")" s_reqd
wait_log s_reqd 'listening for PPPoE' 10
start_mlpppd "$C" "$(conf c_reqd client)" c_reqd
wait_log s_reqd 'encryption required' 20
wait_log s_reqd 'session closed' 20
! grep -q 'session up:' "$E2E_TMP/s_reqd.log" || fail "crypt-reqd: the session came up unencrypted"
pass "crypt-reqd: a client without MPPE is closed, no session came up"
