#!/usr/bin/env bash
# PPPoE client <-> server in two namespaces: session up, IPv4 and IPv6 ping
# both ways, clean hang-up from each side, nothing left behind, and every
# frame on the veth decodes cleanly in tshark.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
capture "$S" veth-srv wire

start_mlpppd "$S" "$E2E_SRC/examples/pppoe-server" server
wait_log server 'listening for PPPoE' 10
start_mlpppd "$C" "$E2E_SRC/examples/pppoe-client" client
wait_log client 'session up' 20
wait_log server 'session up' 20
pass "session up on both sides"

sif=$(ppp_ifaces "$S"); cif=$(ppp_ifaces "$C")
[ -n "$sif" ] && [ -n "$cif" ] || fail "no ppp interface (server '$sif' client '$cif')"
cli_ip=$(ip -n "$C" -4 -o addr show dev "$cif" | awk '{print $4}' | cut -d/ -f1)
srv_ip=$(ip -n "$S" -4 -o addr show dev "$sif" | awk '{print $4}' | cut -d/ -f1)
[ "$srv_ip" = 10.0.0.1 ] || fail "server address $srv_ip"
case "$cli_ip" in 10.0.*) ;; *) fail "client got address '$cli_ip' not from the pool" ;; esac
ip netns exec "$C" ping -c 3 -i 0.2 -W 2 "$srv_ip" >/dev/null || fail "client -> server IPv4 ping"
ip netns exec "$S" ping -c 3 -i 0.2 -W 2 "$cli_ip" >/dev/null || fail "server -> client IPv4 ping"
ip netns exec "$C" ping -c 2 -s 1400 -M do -W 2 "$srv_ip" >/dev/null || fail "1428-byte IPv4 ping"
pass "IPv4 ping both ways ($cli_ip <-> $srv_ip), large packets too"

cli_ll=$(ip -n "$C" -6 -o addr show dev "$cif" scope link | awk '{print $4}' | cut -d/ -f1)
srv_ll=$(ip -n "$S" -6 -o addr show dev "$sif" scope link | awk '{print $4}' | cut -d/ -f1)
[ -n "$cli_ll" ] && [ -n "$srv_ll" ] || fail "no IPv6 link-local addresses ($cli_ll / $srv_ll)"
ip netns exec "$C" ping -6 -c 3 -i 0.2 -W 2 "$srv_ll%$cif" >/dev/null || fail "client -> server IPv6 ping"
ip netns exec "$S" ping -6 -c 3 -i 0.2 -W 2 "$cli_ll%$sif" >/dev/null || fail "server -> client IPv6 ping"
pass "IPv6 link-local ping both ways ($cli_ll <-> $srv_ll)"

# Client hangs up (SIGTERM): LCP Terminate + PADT; the server frees the session.
kill -TERM "$PID_client"; wait_gone "$PID_client" 10
wait "$PID_client" || fail "client exit status $?"
wait_log server 'session closed' 10
for _ in $(seq 50); do [ -z "$(ppp_ifaces "$S")" ] && break; sleep 0.1; done
[ -z "$(ppp_ifaces "$S")" ] || fail "server kept $(ppp_ifaces "$S") after client hang-up"
[ -z "$(ppp_ifaces "$C")" ] || fail "client kept its interface after exit"
pass "client hang-up frees the server session and both interfaces"

# Server hangs up: the client sees the session end.
start_mlpppd "$C" "$E2E_SRC/examples/pppoe-client" client2
wait_log client2 'session up' 20
kill -TERM "$PID_server"; wait_gone "$PID_server" 10
wait "$PID_server" || fail "server exit status $?"
wait_log client2 'session closed' 10
grep -qE 'PADT|Terminate' "$E2E_TMP/client2.log" || fail "client did not see PADT/Terminate"
pass "server shutdown terminates the client's session"

stop_capture wire
tshark -r "$E2E_TMP/wire.pcap" 2>/dev/null | grep -q 'PADT' || fail "no PADT on the wire"
check_decodes wire
