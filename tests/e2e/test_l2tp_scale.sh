#!/usr/bin/env bash
# L2TP (RFC 2661) under load and a bad path, our LAC to our LNS:
#  1. 100 calls from one LAC share one tunnel (mpd5 l2tplimit 100): all
#     come up and carry pings.
#  2. 20% of the control messages are dropped in both directions (an
#     nftables `numgen random` rule on the LNS side; this kernel has no
#     netem): the reliable delivery (§5.8) still brings 10 calls up.
#  3. A user-space UDP relay between LAC and LNS duplicates and reorders
#     control messages: the tunnel and 10 calls still come up and carry
#     pings.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
ip -n "$S" addr add 192.0.2.1/24 dev veth-srv
ip -n "$C" addr add 192.0.2.2/24 dev veth-cli

# lac_conf NAME N PEER_PORT [MAX_REDIAL]: N static L2TP links to 192.0.2.1.
# Under control loss a call can fail for good reasons (its ICCN still
# retransmitting when LCP gives up, or the tunnel reaching its retry limit),
# so the lossy phases redial as an mpd5 user would (max-redial 0 = forever).
lac_conf() {
  local d=$E2E_TMP/$1 i
  mkdir -p "$d"
  : >"$d/mpd.secret"
  {
    echo "default:"
    for i in $(seq "$2"); do
      printf '\tcreate bundle static B%d\n\tset ipcp ranges 0.0.0.0/0 0.0.0.0/0\n\tset iface name %s%d\n' "$i" "$1" "$i"
      printf '\tcreate link static L%d l2tp\n\tset link action bundle B%d\n\tset auth authname demo\n' "$i" "$i"
      printf '\tset auth password demo-pass\n\tset link accept chap-msv2\n\tset link max-redial %s\n' "${4:--1}"
      printf '\tset l2tp peer 192.0.2.1 %s\n\tset l2tp secret tunnel-secret\n\topen\n' "$3"
    done
  } >"$d/mpd.conf"
}
sessions_up() { grep -c 'session up:' "$E2E_TMP/$1.log" || true; }
# ping_via NAME I: a ping through the client's interface NAME<I>.
ping_via() { ip netns exec "$C" ping -c 1 -W 3 -I "$1$2" 10.0.0.1 >/dev/null 2>&1; }
# all_ping NAME N T: every call NAME1..NAME<N> carries a ping within T s
# (a call that failed is redialling meanwhile).
all_ping() {
  local i t0=$SECONDS
  for i in $(seq "$2"); do
    until ping_via "$1" "$i"; do
      [ $((SECONDS - t0)) -lt "$3" ] || fail "call $1$i carries no ping after $3 s"
      sleep 0.5
    done
  done
}

start_mlpppd "$S" "$E2E_SRC/examples/l2tp-server" srv
wait_log srv 'listening for L2TP' 10

# 1. 100 calls, one tunnel.
lac_conf a 100 1701
start_mlpppd "$C" "$E2E_TMP/a" a
wait_log srv 'session up:' 60 100
wait_log a 'session up:' 30 100
tunnels=$(grep -c 'wait-ctl-conn -> established' "$E2E_TMP/srv.log" || true)
[ "$tunnels" -eq 1 ] || fail "100 calls used $tunnels tunnels, not 1"
for i in 1 50 100; do ping_via a "$i" || fail "no ping through call $i"; done
pass "100 calls in one tunnel, pings through the first, middle and last"
kill -TERM "$PID_a"; wait_gone "$PID_a" 20
wait_log srv 'session closed' 20 100

# 2. Control-message loss (T bit set: the first bit after the UDP header).
ip netns exec "$S" nft -f - <<'NFT'
table inet mlppp_loss {
  chain in { type filter hook input priority 0; udp dport 1701 @th,64,1 1 numgen random mod 100 < 20 counter drop; }
  chain out { type filter hook output priority 0; udp sport 1701 @th,64,1 1 numgen random mod 100 < 20 counter drop; }
}
NFT
lac_conf b 10 1701 0
start_mlpppd "$C" "$E2E_TMP/b" b
all_ping b 10 150
drops=$(ip netns exec "$S" nft list table inet mlppp_loss | grep -o 'packets [0-9]*' | awk '{s += $2} END {print s}')
[ "${drops:-0}" -gt 0 ] || fail "the loss rule dropped nothing"
pass "20% control loss: 10 calls up and carrying pings ($drops control messages dropped)"
ip netns exec "$S" nft delete table inet mlppp_loss
kill -TERM "$PID_b"; wait_gone "$PID_b" 20

# 3. Duplication and reordering through a relay on the LNS side.
cat >"$E2E_TMP/relay.py" <<'PY'
# UDP relay 192.0.2.1:1702 <-> 192.0.2.1:1701 that sends 20% of the
# control messages (T bit set) twice and holds 20% back until the next
# datagram has gone (reordering). Data messages pass unchanged.
import random, select, socket, sys
random.seed(7)
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); front.bind(("192.0.2.1", 1702))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); back.bind(("192.0.2.1", 0))
back.connect(("192.0.2.1", 1701))
client = None
held = {front: None, back: None}
stats = {"dup": 0, "reorder": 0}
def send(sock, data):
    if sock is back: back.send(data)
    elif client: front.sendto(data, client)
while True:
    ready, _, _ = select.select([front, back], [], [], 0.05)
    if not ready:  # flush what is held when the path goes quiet
        for s in held:
            if held[s]: send(s, held[s]); held[s] = None
        continue
    for r in ready:
        if r is front:
            data, client = front.recvfrom(65535); out = back
        else:
            data = back.recv(65535); out = front
        control = len(data) > 0 and data[0] & 0x80
        if control and held[out] is None and random.random() < 0.2:
            held[out] = data; stats["reorder"] += 1; continue
        send(out, data)
        if control and random.random() < 0.2: send(out, data); stats["dup"] += 1
        if held[out]: send(out, held[out]); held[out] = None
        print(stats, flush=True)
PY
ip netns exec "$S" python3 "$E2E_TMP/relay.py" >"$E2E_TMP/relay.log" 2>&1 &
E2E_PIDS+=($!)
for _ in $(seq 50); do ip netns exec "$S" ss -Hlun 'sport = :1702' | grep -q . && break; sleep 0.1; done
lac_conf c 10 1702 0
start_mlpppd "$C" "$E2E_TMP/c" c
all_ping c 10 90
tail -1 "$E2E_TMP/relay.log" | grep -qE "'dup': [1-9]" || fail "the relay duplicated nothing"
tail -1 "$E2E_TMP/relay.log" | grep -qE "'reorder': [1-9]" || fail "the relay reordered nothing"
pass "duplication and reordering: tunnel and 10 calls up and carrying pings ($(tail -1 "$E2E_TMP/relay.log"))"
