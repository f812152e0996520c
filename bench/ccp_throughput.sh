#!/usr/bin/env bash
# Throughput of one PPPoE session with and without compression/encryption
# (run by hand, as root; never by the tests):
#   bench/ccp_throughput.sh [path/to/mlpppd] [seconds]
# An mlpppd server and client (MS-CHAPv2) in two namespaces joined by a
# veth pair; for each setting a fresh session carries iperf3 TCP from the
# client to the server for the given time (default 5 s). Prints Mbit/s per
# setting, all measured in the same run: none, MPPE-128 stateful, MPPE-128
# stateless, MPPC, MPPE-128 + MPPC, Deflate, Predictor-1, DESE-bis.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/mlpppd}
secs=${2:-5}
command -v iperf3 >/dev/null || apt-get install -y -qq iperf3 >/dev/null
S=mlppp-tput-s$$ C=mlppp-tput-c$$
tmp=$(mktemp -d /tmp/mlppp-tput.XXXXXX)
pids=()
cleanup() {
  set +e
  [ -s "$tmp/iperf-s.pid" ] && pids+=("$(cat "$tmp/iperf-s.pid")")
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  ip netns del "$S" 2>/dev/null; ip netns del "$C" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$S"; ip netns add "$C"
ip link add veth-srv netns "$S" type veth peer name veth-cli netns "$C"
ip -n "$S" link set veth-srv up; ip -n "$C" link set veth-cli up
ip -n "$S" link set lo up
# -D detaches the server from us: its pid file lets cleanup stop it (a
# deleted namespace does not end the processes inside it).
ip netns exec "$S" iperf3 -s -D -I "$tmp/iperf-s.pid" --logfile "$tmp/iperf-s.log"

# run NAME LINES...: one session with the bundle LINES; prints its Mbit/s.
run() {
  local name=$1 l
  shift
  mkdir -p "$tmp/s-$name" "$tmp/c-$name"
  echo 'demo "demo-pass"' >"$tmp/s-$name/mpd.secret"
  {
    printf 'default:\n\tcreate bundle template B\n\tset ipcp ranges 10.0.0.1/32 10.0.0.2/32\n'
    for l in "$@"; do printf '\t%s\n' "$l"; done
    printf '\tcreate link template L pppoe\n\tset link action bundle B\n\tset link disable pap chap eap\n'
    printf '\tset link enable chap-msv2\n\tset pppoe iface veth-srv\n\tset link enable incoming\n'
  } >"$tmp/s-$name/mpd.conf"
  {
    printf 'default:\n\tcreate bundle static B1\n\tset ipcp ranges 0.0.0.0/0 0.0.0.0/0\n'
    for l in "$@"; do printf '\t%s\n' "$l"; done
    printf '\tcreate link static L1 pppoe\n\tset link action bundle B1\n\tset pppoe iface veth-cli\n'
    printf '\tset link accept chap-msv2\n\tset auth authname demo\n\tset auth password demo-pass\n\topen\n'
  } >"$tmp/c-$name/mpd.conf"
  ip netns exec "$S" "$bin" -d "$tmp/s-$name" -p "$tmp/s-$name.pid" >"$tmp/s-$name.log" 2>&1 &
  local sp=$!
  pids+=("$sp")
  for _ in $(seq 100); do grep -q listening "$tmp/s-$name.log" && break; sleep 0.1; done
  ip netns exec "$C" "$bin" -d "$tmp/c-$name" -p "$tmp/c-$name.pid" >"$tmp/c-$name.log" 2>&1 &
  local cp=$!
  pids+=("$cp")
  for _ in $(seq 200); do grep -q 'session up:' "$tmp/c-$name.log" && break; sleep 0.1; done
  grep -q 'session up:' "$tmp/c-$name.log" || { echo "$name: no session" >&2; exit 1; }
  for _ in $(seq 50); do ip netns exec "$C" ping -c1 -W1 10.0.0.1 >/dev/null 2>&1 && break; done
  local mbps
  mbps=$(ip netns exec "$C" iperf3 -c 10.0.0.1 -t "$secs" -J |
    python3 -c 'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))')
  local what
  what=$(grep -ohE '(CCP|ECP) up: .*' "$tmp/s-$name.log" | head -1 || true)
  printf '%-22s %6s Mbit/s   %s\n' "$name" "$mbps" "${what:-no CCP/ECP}"
  kill -TERM "$cp" "$sp"; wait "$cp" "$sp" 2>/dev/null || true
}

comp=("set bundle enable compression")
run none
run mppe128-stateful "${comp[@]}" "set ccp yes mppc" "set mppc yes e128"
run mppe128-stateless "${comp[@]}" "set ccp yes mppc" "set mppc yes e128 stateless"
run mppc "${comp[@]}" "set ccp yes mppc" "set mppc yes compress"
run mppe128+mppc "${comp[@]}" "set ccp yes mppc" "set mppc yes e128 compress"
run deflate "${comp[@]}" "set ccp yes deflate"
run pred1 "${comp[@]}" "set ccp yes pred1"
run dese-bis "set bundle enable encryption" "set ecp key k3y" "set ecp yes dese-bis"
