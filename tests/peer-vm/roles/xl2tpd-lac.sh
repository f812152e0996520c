# Role: Debian's xl2tpd as L2TP access concentrator (LAC, RFC 2661) on
# 192.0.2.2, with one [lac mlppp] section for the LNS at 192.0.2.1. Nothing
# dials at boot: lac_dial / lac_hangup drive it through xl2tpd's control
# pipe. The call's pppd authenticates as PEER_USER with MS-CHAPv2 only.
# Settings: PEER_USER, PEER_PASS, TUNNEL_SECRET (optional: tunnel
# authentication, RFC 2661 §5.1.1).
# Logs: /job/out/xl2tpd.log (xl2tpd -D), /job/out/pppd-lac.log (pppd debug).
ip addr add 192.0.2.2/24 dev eth0
: > /etc/ppp/options
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/chap-secrets
chmod 600 /etc/ppp/chap-secrets
printf 'name %s\nnoauth\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrefuse-eap\nnoipdefault\nipcp-accept-local\nipcp-accept-remote\n+ipv6\ndebug\nlogfile /job/out/pppd-lac.log\n' \
  "$PEER_USER" > /etc/ppp/options.xl2tpd-lac
challenge=no
: > /etc/xl2tpd/l2tp-secrets
if [ -n "${TUNNEL_SECRET:-}" ]; then
  challenge=yes
  printf '* * %s\n' "$TUNNEL_SECRET" > /etc/xl2tpd/l2tp-secrets
fi
chmod 600 /etc/xl2tpd/l2tp-secrets
cat > /etc/xl2tpd/xl2tpd.conf <<C
[global]
listen-addr = 192.0.2.2
port = 1701
auth file = /etc/xl2tpd/l2tp-secrets
access control = no
debug tunnel = yes
debug state = yes
debug avp = yes

[lac mlppp]
lns = 192.0.2.1
name = vmpeer-lac
challenge = $challenge
require authentication = no
ppp debug = yes
pppoptfile = /etc/ppp/options.xl2tpd-lac
length bit = yes
autodial = no
redial = no
C
mkdir -p /var/run/xl2tpd
xl2tpd -D -c /etc/xl2tpd/xl2tpd.conf -p /run/xl2tpd.pid -C /var/run/xl2tpd/l2tp-control \
  >> /job/out/xl2tpd.log 2>&1 &
echo $! > /run/xl2tpd.bgpid
wait_for 10 test -p /var/run/xl2tpd/l2tp-control
# lac_dial: xl2tpd opens the tunnel and places the call.
lac_dial() { echo 'c mlppp' > /var/run/xl2tpd/l2tp-control; }
# lac_hangup: xl2tpd clears the call and the tunnel.
lac_hangup() { echo 'd mlppp' > /var/run/xl2tpd/l2tp-control; }
# lac_wait_up [SECS]: the call's pppd has IPCP up.
lac_wait_up() { wait_for ${1:-30} grep -qs 'remote IP address' /job/out/pppd-lac.log; }
role_stop() {
  kill -TERM "$(cat /run/xl2tpd.bgpid)" 2>/dev/null
  wait_for 10 sh -c '! pidof xl2tpd >/dev/null'
  true
}
