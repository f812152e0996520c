#!/usr/bin/env bash
# L2TP (RFC 2661) and PPTP (RFC 2637) client <-> server in two namespaces
# joined by a veth pair with IPv4 addresses: the tunnel and the call come
# up, PPP authenticates (MS-CHAPv2), IPCP and IPV6CP open, ping passes both
# ways with large packets, each side's hang-up ends the session, and every
# L2TP/PPTP/GRE packet on the veth decodes cleanly in tshark.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
ip -n "$S" addr add 192.0.2.1/24 dev veth-srv
ip -n "$C" addr add 192.0.2.2/24 dev veth-cli
ip -n "$S" addr add 2001:db8::1/64 dev veth-srv nodad
ip -n "$C" addr add 2001:db8::2/64 dev veth-cli nodad
capture "$S" veth-srv wire

for t in l2tp pptp; do
  T=$(echo "$t" | tr a-z A-Z)
  start_mlpppd "$S" "$E2E_SRC/examples/$t-server" "srv_$t"
  wait_log "srv_$t" "listening for $T" 10
  start_mlpppd "$C" "$E2E_SRC/examples/$t-client" "cli_$t"
  wait_log "cli_$t" 'session up' 20
  wait_log "srv_$t" 'session up' 20
  grep -q 'auth us->peer chap-msv2' "$E2E_TMP/srv_$t.log" || fail "$t: MS-CHAPv2 not negotiated"
  pass "$t: tunnel, call and PPP session up"

  sif=$(ppp_ifaces "$S"); cif=$(ppp_ifaces "$C")
  [ -n "$sif" ] && [ -n "$cif" ] || fail "$t: no ppp interface (server '$sif' client '$cif')"
  cli_ip=$(ip -n "$C" -4 -o addr show dev "$cif" | awk '{print $4}' | cut -d/ -f1)
  ip netns exec "$C" ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null || fail "$t: client -> server ping"
  ip netns exec "$S" ping -c 3 -i 0.2 -W 2 "$cli_ip" >/dev/null || fail "$t: server -> client ping"
  ip netns exec "$C" ping -c 2 -s 1300 -W 2 10.0.0.1 >/dev/null || fail "$t: 1328-byte ping"
  cli_ll=$(ip -n "$C" -6 -o addr show dev "$cif" scope link | awk '{print $4}' | cut -d/ -f1)
  srv_ll=$(ip -n "$S" -6 -o addr show dev "$sif" scope link | awk '{print $4}' | cut -d/ -f1)
  ip netns exec "$C" ping -6 -c 2 -i 0.2 -W 2 "$srv_ll%$cif" >/dev/null || fail "$t: IPv6 ping"
  pass "$t: IPv4 and IPv6 ping both ways ($cli_ip <-> 10.0.0.1)"

  # Client hang-up: the server frees the call and the interface.
  pid=PID_cli_$t; kill -TERM "${!pid}"; wait_gone "${!pid}" 10
  wait_log "srv_$t" 'session closed' 10
  for _ in $(seq 50); do [ -z "$(ppp_ifaces "$S")" ] && break; sleep 0.1; done
  [ -z "$(ppp_ifaces "$S")" ] || fail "$t: server kept $(ppp_ifaces "$S") after the hang-up"
  pass "$t: client hang-up frees the server's session"

  # Server shutdown: the client sees its session end.
  start_mlpppd "$C" "$E2E_SRC/examples/$t-client" "cli2_$t"
  wait_log "cli2_$t" 'session up' 20
  pid=PID_srv_$t; kill -TERM "${!pid}"; wait_gone "${!pid}" 10
  wait_log "cli2_$t" 'session closed' 20
  pid=PID_cli2_$t; kill -TERM "${!pid}" 2>/dev/null; wait_gone "${!pid}" 10
  pass "$t: server shutdown ends the client's session"
done

# L2TP over IPv6 (RFC 2661 §8.1 carries L2TP over any UDP).
for side in server client; do
  mkdir -p "$E2E_TMP/l2tp6-$side"
  cp "$E2E_SRC/examples/l2tp-$side/"* "$E2E_TMP/l2tp6-$side/"
  sed -i -e 's/set l2tp self 192.0.2.1/set l2tp self 2001:db8::1/' \
    -e 's/set l2tp peer 192.0.2.1/set l2tp peer 2001:db8::1/' "$E2E_TMP/l2tp6-$side/mpd.conf"
done
grep -q 'peer 2001:db8::1' "$E2E_TMP/l2tp6-client/mpd.conf" || fail "client config not rewritten"
start_mlpppd "$S" "$E2E_TMP/l2tp6-server" srv6
wait_log srv6 'listening for L2TP on 2001:db8::1' 10
start_mlpppd "$C" "$E2E_TMP/l2tp6-client" cli6
wait_log cli6 'session up' 20
ip netns exec "$C" ping -c 2 -i 0.2 -W 2 10.0.0.1 >/dev/null || fail "l2tp over IPv6: ping"
kill -TERM "$PID_cli6"; wait_gone "$PID_cli6" 10
wait_log srv6 'session closed' 10
pass "l2tp over IPv6: tunnel, call and session up, ping, hang-up"

# A peer by name (mpd5 resolves it when the link opens): the client's
# namespace gets its own hosts file (ip netns exec mounts /etc/netns/NS/).
mkdir -p "/etc/netns/$C"
hosts_cleanup() { rm -rf "/etc/netns/$C"; rmdir /etc/netns 2>/dev/null; }
E2E_CLEANUP_HOOKS+=(hosts_cleanup)
echo "192.0.2.1 lns.test" >"/etc/netns/$C/hosts"
mkdir -p "$E2E_TMP/byname"
cp "$E2E_SRC/examples/l2tp-client/"* "$E2E_TMP/byname/"
sed -i 's/set l2tp peer 192.0.2.1/set l2tp peer lns.test/' "$E2E_TMP/byname/mpd.conf"
start_mlpppd "$S" "$E2E_SRC/examples/l2tp-server" srvn
wait_log srvn 'listening for L2TP' 10
start_mlpppd "$C" "$E2E_TMP/byname" clin
wait_log clin 'session up' 20
for n in clin srvn; do pid=PID_$n; kill -TERM "${!pid}"; wait_gone "${!pid}" 10; done
pass "l2tp: set l2tp peer lns.test resolved and dialled"

stop_capture wire
count() { tshark -r "$E2E_TMP/wire.pcap" -Y "$1" 2>/dev/null | wc -l; }
[ "$(count 'l2tp.type == 1')" -gt 0 ] || fail "no L2TP control on the wire"
[ "$(count 'ipv6 && l2tp.type == 1')" -gt 0 ] || fail "no L2TP control over IPv6 on the wire"
[ "$(count 'l2tp.type == 0 && ppp')" -gt 0 ] || fail "no L2TP data on the wire"
[ "$(count pptp)" -gt 0 ] || fail "no PPTP control on the wire"
[ "$(count 'gre && ppp')" -gt 0 ] || fail "no GRE/PPP on the wire"
# Shutdown waits for the peer's last word: the ZLB acknowledging StopCCN
# (RFC 2661 §5.7), the Call-Disconnect-Notify and StopCCRP (RFC 2637 §2.3),
# so no socket closes under a message still on its way.
[ "$(count 'icmp.type == 3')" -eq 0 ] || fail "ICMP unreachable: a socket closed before the peer's last message"
[ "$(count 'tcp.flags.reset == 1')" -eq 0 ] || fail "a PPTP control connection was reset"
check_decodes wire

# After the capture: a refused PPTP connection ends with a TCP reset.
# `set l2tp|pptp peer` on a listener admits only that peer (mpd5).
for t in l2tp pptp; do
  mkdir -p "$E2E_TMP/only-$t"
  cp "$E2E_SRC/examples/$t-server/"* "$E2E_TMP/only-$t/"
  sed -i "s/set $t self 192.0.2.1/set $t self 192.0.2.1\n\tset $t peer 192.0.2.64\/26/" "$E2E_TMP/only-$t/mpd.conf"
  grep -q "set $t peer 192.0.2.64/26" "$E2E_TMP/only-$t/mpd.conf" || fail "config not rewritten"
  start_mlpppd "$S" "$E2E_TMP/only-$t" "only_$t"
  wait_log "only_$t" 'listening for' 10
  start_mlpppd "$C" "$E2E_SRC/examples/$t-client" "refused_$t"
  wait_log "only_$t" 'not allowed by `set l2tp peer`|refused by `set pptp peer`' 10
  grep -q 'session up' "$E2E_TMP/only_$t.log" && fail "$t: a peer outside set $t peer got a session"
  for n in "refused_$t" "only_$t"; do pid=PID_$n; kill -TERM "${!pid}"; wait_gone "${!pid}" 10; done
  pass "$t: set $t peer 192.0.2.64/26 refuses 192.0.2.2"
done

