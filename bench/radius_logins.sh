#!/usr/bin/env bash
# RADIUS login rate (run by hand, as root; never by the tests):
#   bench/radius_logins.sh [N] [pap|chap-msv2] [path/to/mlpppd]
# A real FreeRADIUS (tests/radius/lib.sh, quiet log) on the server
# namespace's loopback, an mlpppd PPPoE server with radius-auth, and an
# mlpppd client with N static links that all log in at once; reports the
# time until the server has N sessions up (each one an Access-Request and
# an Accept) and the RADIUS round trips the server counted.
set -euo pipefail
N=${1:-500}
METHOD=${2:-pap}
top=$(cd "$(dirname "$0")/.." && pwd)
set -- "${3:-$top/build/mlpppd}"
export RADIUS_DEBUG=0
. "$top/tests/e2e/lib.sh"
. "$top/tests/radius/lib.sh"
S=mlppp-rb-s$$ C=mlppp-rb-c$$
make_pair "$S" "$C"
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
EOT
{
  echo "default:"
  for i in $(seq "$N"); do
    printf '\tcreate bundle static B%d\n\tset iface name c%d\n\tcreate link static L%d pppoe\n\tset link action bundle B%d\n\tset pppoe iface veth-cli\n\tset link deny pap chap eap\n\tset link accept %s\n\tset auth authname bench\n\tset auth password bench-pw\n\topen\n' "$i" "$i" "$i" "$i" "$METHOD"
  done
} >"$E2E_TMP/c/mpd.conf"
start_mlpppd "$S" "$E2E_TMP/s" server
wait_log server 'listening for PPPoE' 10
t0=$(date +%s.%N)
start_mlpppd "$C" "$E2E_TMP/c" client
while [ "$(grep -c 'session up:' "$E2E_TMP/server.log")" -lt "$N" ]; do
  sleep 0.05
  (($(echo "$(date +%s.%N) - $t0 > 600" | bc))) && fail "timeout"
done
t1=$(date +%s.%N)
secs=$(echo "$t1 - $t0" | bc)
accepts=$(grep -c 'Access-Accept for' "$E2E_TMP/server.log" || true)
echo "method: $METHOD, sessions: $N, RADIUS Access-Accepts: $accepts"
echo "time to $N sessions up: ${secs}s ($(echo "$N / $secs" | bc) logins/s through RADIUS; client, server and FreeRADIUS on one machine)"
