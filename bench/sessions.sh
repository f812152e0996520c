#!/usr/bin/env bash
# Session scale benchmark (run by hand, as root; never by the tests):
#   bench/sessions.sh [N] [path/to/mlpppd]
# Starts an mlpppd PPPoE server and an mlpppd client with N static links in
# two network namespaces, and reports the set-up rate and the server's
# resident memory per established session (VmRSS after - before, / N).
set -euo pipefail
N=${1:-1000}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$top/build/mlpppd}
S=mlppp-bench-s$$ C=mlppp-bench-c$$
tmp=$(mktemp -d /tmp/mlppp-bench.XXXXXX)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  ip netns del "$S" 2>/dev/null; ip netns del "$C" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$S"; ip netns add "$C"
ip link add veth-srv netns "$S" type veth peer name veth-cli netns "$C"
ip -n "$S" link set veth-srv up; ip -n "$C" link set veth-cli up
mkdir -p "$tmp/s" "$tmp/c"
cat >"$tmp/s/mpd.conf" <<EOT
default:
	set ippool add pool1 10.64.0.1 10.127.255.254
	create bundle template B
	set ipcp ranges 10.0.0.1/32 ippool pool1
	create link template L pppoe
	set link action bundle B
	set link disable pap chap eap
	set link enable chap-md5
	set link keep-alive 10 60
	set pppoe iface veth-srv
	set link enable incoming
EOT
echo 'demo "demo-pass"' >"$tmp/s/mpd.secret"
{
  echo "default:"
  for i in $(seq "$N"); do
    printf '\tcreate bundle static B%d\n\tset iface name c%d\n\tcreate link static L%d pppoe\n\tset link action bundle B%d\n\tset pppoe iface veth-cli\n\tset link accept chap-md5\n\tset auth authname demo\n\tset auth password demo-pass\n\topen\n' "$i" "$i" "$i" "$i"
  done
} >"$tmp/c/mpd.conf"
ip netns exec "$S" "$bin" -d "$tmp/s" -p "$tmp/s.pid" >"$tmp/server.log" 2>&1 & pids+=($!)
spid=$!
for _ in $(seq 100); do grep -q listening "$tmp/server.log" && break; sleep 0.1; done
rss0=$(awk '/VmRSS/ {print $2}' /proc/$spid/status)
t0=$(date +%s.%N)
ip netns exec "$C" "$bin" -d "$tmp/c" -p "$tmp/c.pid" >"$tmp/client.log" 2>&1 & pids+=($!)
while [ "$(grep -c 'session up:' "$tmp/server.log")" -lt "$N" ]; do
  sleep 0.05
  if (( $(echo "$(date +%s.%N) - $t0 > 600" | bc) )); then echo "timeout"; exit 1; fi
done
t1=$(date +%s.%N)
sleep 2  # let allocations settle before reading RSS
rss1=$(awk '/VmRSS/ {print $2}' /proc/$spid/status)
secs=$(echo "$t1 - $t0" | bc)
echo "sessions: $N"
echo "set-up time: ${secs}s ($(echo "$N / $secs" | bc) sessions/s, client and server on one machine)"
echo "server RSS: ${rss0} KiB idle, ${rss1} KiB with $N sessions: $(( (rss1 - rss0) / N )) KiB per session"
