#!/usr/bin/env bash
# 50 PPPoE clients (50 static links in one client daemon) against one server:
# all sessions come up with distinct addresses and carry traffic; shutdown
# frees every interface on both sides.
. "$(dirname "$0")/lib.sh"
N=${N:-50}
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
cli=$E2E_TMP/cli; mkdir -p "$cli"
{
  echo "default:"
  for i in $(seq "$N"); do
    cat <<EOT
	create bundle static B$i
	set iface name cl$i
	set bundle enable ipv6cp
	create link static L$i pppoe
	set link action bundle B$i
	set pppoe iface veth-cli
	set pppoe service "*"
	set link no pap chap
	set link accept pap chap-md5
	set auth authname demo
	set auth password demo-pass
	open
EOT
  done
} >"$cli/mpd.conf"

start_mlpppd "$S" "$E2E_SRC/examples/pppoe-server" server
wait_log server 'listening for PPPoE' 10
start_mlpppd "$C" "$cli" client
wait_log server 'session up:' 60 "$N"
wait_log client 'session up:' 60 "$N"
[ "$(ppp_ifaces "$S" | wc -l)" -eq "$N" ] || fail "server has $(ppp_ifaces "$S" | wc -l) interfaces"
addrs=$(ip -n "$C" -4 -o addr show | awk '$2 ~ /^cl/ {print $4}' | sort -u | wc -l)
[ "$addrs" -eq "$N" ] || fail "clients got $addrs distinct addresses, want $N"
pass "$N sessions up with $addrs distinct addresses"
for i in 1 $((N / 2)) "$N"; do
  ip netns exec "$C" ping -c 1 -W 2 -I "cl$i" 10.0.0.1 >/dev/null || fail "ping over cl$i"
done
pass "traffic flows on first, middle and last session"
kill -TERM "$PID_client"; wait_gone "$PID_client" 15
for _ in $(seq 100); do [ -z "$(ppp_ifaces "$S")" ] && break; sleep 0.1; done
[ -z "$(ppp_ifaces "$S")" ] || fail "server kept $(ppp_ifaces "$S" | wc -l) interfaces"
wait_log server 'session closed' 10 "$N"
pass "all $N sessions closed and freed on the server"
