#!/usr/bin/env bash
# RADIUS login rate (run by hand, as root; never by the tests):
#   bench/radius_logins.sh [N] [pap|chap-msv2] [path/to/mlpppd]
# A real FreeRADIUS (tests/radius/lib.sh, quiet log) on the server
# namespace's loopback, an mlpppd PPPoE server with radius-auth, and an
# mlpppd client with N static links that all log in at once; reports the
# time until the server has N sessions up (each one an Access-Request and
# an Accept) and the RADIUS round trips the server counted.
#
# With ESTABLISHED=M (e.g. 1000), a third namespace first brings up M
# sessions on a second veth pair (LCP keep-alive every second); their
# LCP echo round trips are reported for the quiet period before the storm
# and for the storm itself (mlpppd logs them on SIGUSR1), which shows
# whether established sessions are served promptly during a login storm.
#
# With PERF=FILE, the server is profiled during the storm (perf record -g).
# The dialling client runs with --no-iface unless CLIENT_IFACE=tun.
set -euo pipefail
N=${1:-500}
METHOD=${2:-pap}
top=$(cd "$(dirname "$0")/.." && pwd)
set -- "${3:-$top/build/mlpppd}"
export RADIUS_DEBUG=0
. "$top/tests/e2e/lib.sh"
. "$top/tests/radius/lib.sh"
S=mlppp-rb-s$$ C=mlppp-rb-c$$ E=mlppp-rb-e$$
ESTABLISHED=${ESTABLISHED:-0}
make_pair "$S" "$C"
if [ "$ESTABLISHED" -gt 0 ]; then
  ip netns add "$E"; E2E_NETNS+=("$E")
  ip link add veth-srv2 netns "$S" type veth peer name veth-est netns "$E"
  ip -n "$E" link set lo up; ip -n "$S" link set veth-srv2 up; ip -n "$E" link set veth-est up
fi
export RADIUS_NETNS=$S
radius_user bench 'Cleartext-Password := "bench-pw"'
radius_start
mkdir -p "$E2E_TMP/s" "$E2E_TMP/c"
: >"$E2E_TMP/s/mpd.secret"
cat >"$E2E_TMP/s/mpd.conf" <<EOT
default:
	set ippool add pool1 10.64.0.1 10.127.255.254
	create bundle template B
	set ipcp ranges 10.0.0.1/32 ippool pool1
	create link template L pppoe
	set link action bundle B
	set link disable pap chap eap
	set link enable $METHOD
	set link keep-alive 10 60
	set auth enable radius-auth
	set radius server 127.0.0.1 $RADIUS_SECRET $RADIUS_AUTH_PORT $RADIUS_ACCT_PORT
	set pppoe iface veth-srv
	set link enable incoming
	create link template LE pppoe
	set link action bundle B
	set link disable pap chap eap
	set link enable $METHOD
	set link keep-alive 10 60
	set auth enable radius-auth
	set radius server 127.0.0.1 $RADIUS_SECRET $RADIUS_AUTH_PORT $RADIUS_ACCT_PORT
	set pppoe iface veth-srv2
	set link enable incoming
EOT
[ "$ESTABLISHED" -gt 0 ] || sed -i '/create link template LE/,$d' "$E2E_TMP/s/mpd.conf"
# client_conf DIR COUNT IFACE PREFIX [extra link lines]
client_conf() {
  local dir=$1 n=$2 ifc=$3 pre=$4 extra=${5:-}
  mkdir -p "$dir"
  {
    echo "default:"
    for i in $(seq "$n"); do
      printf '\tcreate bundle static %sB%d\n\tset iface name %s%d\n\tcreate link static %sL%d pppoe\n\tset link action bundle %sB%d\n\tset pppoe iface %s\n\tset link deny pap chap eap\n\tset link accept %s\n\tset auth authname bench\n\tset auth password bench-pw\n%b\topen\n' \
        "$pre" "$i" "$pre" "$i" "$pre" "$i" "$pre" "$i" "$ifc" "$METHOD" "$extra"
    done
  } >"$dir/mpd.conf"
}
# sessions_up: sessions the server has brought up so far.
sessions_up() { grep -c 'session up:' "$E2E_TMP/server.log" || true; }
wait_sessions() {
  local want=$1 t0
  t0=$(date +%s)
  while [ "$(sessions_up)" -lt "$want" ]; do
    sleep 0.05
    [ $(($(date +%s) - t0)) -lt 600 ] || fail "timeout waiting for $want sessions"
  done
}
# cpu_ticks PID: user+system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# echo_stats NAME: signals the daemon and prints its new stats line.
echo_stats() {
  local name=$1 pid before
  pid=PID_$name
  before=$(grep -c 'stats:' "$E2E_TMP/$name.log" || true)
  kill -USR1 "${!pid}"
  wait_log "$name" 'stats:' 10 $((before + 1))
  grep 'stats:' "$E2E_TMP/$name.log" | tail -1 | sed 's/.*stats: //'
}

client_conf "$E2E_TMP/c" "$N" veth-cli c
start_mlpppd "$S" "$E2E_TMP/s" server
wait_log server 'listening for PPPoE' 10
if [ "$ESTABLISHED" -gt 0 ]; then
  client_conf "$E2E_TMP/e" "$ESTABLISHED" veth-est e '\tset link keep-alive 1 10\n'
  start_mlpppd "$E" "$E2E_TMP/e" est
  wait_sessions "$ESTABLISHED"
  sleep 10  # a quiet period: every established session answers ~10 echoes
  quiet=$(echo_stats est)
fi
srv_cpu0=$(cpu_ticks "$PID_server") rad_cpu0=$(cpu_ticks "$RADIUS_PID")
if [ -n "${PERF:-}" ]; then
  perf record -q -e cpu-clock -F 4000 -g -o "$PERF" -p "$PID_server" &
  perf_pid=$!
fi
t0=$(date +%s.%N)
# The dialling client is a load generator: without host interfaces
# (--no-iface) its per-session TUN work does not compete with the
# server's for the same two cores. CLIENT_IFACE=tun gives it real ones.
client_args=(--no-iface)
[ "${CLIENT_IFACE:-}" = tun ] && client_args=()
start_mlpppd "$C" "$E2E_TMP/c" client "${client_args[@]}"
wait_sessions $((N + ESTABLISHED))
t1=$(date +%s.%N)
[ -z "${PERF:-}" ] || { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
hz=$(getconf CLK_TCK)
srv_cpu=$(echo "scale=2; ($(cpu_ticks "$PID_server") - $srv_cpu0) / $hz" | bc)
rad_cpu=$(echo "scale=2; ($(cpu_ticks "$RADIUS_PID") - $rad_cpu0) / $hz" | bc)
cli_cpu=$(echo "scale=2; $(cpu_ticks "$PID_client") / $hz" | bc)
[ "$ESTABLISHED" -gt 0 ] && storm=$(echo_stats est)
secs=$(echo "$t1 - $t0" | bc)
accepts=$(grep -c 'Access-Accept for' "$E2E_TMP/server.log" || true)
echo "method: $METHOD, sessions: $N, RADIUS Access-Accepts: $accepts"
echo "time to $N sessions up: ${secs}s ($(echo "$N / $secs" | bc) logins/s through RADIUS; client, server and FreeRADIUS on one machine)"
echo "CPU during the storm: mlpppd server ${srv_cpu}s ($(echo "$N / $srv_cpu" | bc) logins per CPU-second), FreeRADIUS ${rad_cpu}s, mlpppd client ${cli_cpu}s"
if [ "$ESTABLISHED" -gt 0 ]; then
  echo "established sessions, quiet period: $quiet"
  echo "established sessions, during the storm: $storm"
fi
