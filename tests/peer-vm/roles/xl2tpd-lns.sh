# Role: Debian's xl2tpd as L2TP network server (LNS, RFC 2661) on
# 192.0.2.2:1701, running Debian's pppd per call (kernel L2TP through the
# pppol2tp plugin) that requires MS-CHAPv2 and gives the LAC 10.98.0.2.
# Settings: PEER_USER, PEER_PASS (chap-secrets), TUNNEL_SECRET (optional:
# xl2tpd challenges the LAC and answers its challenge with it, RFC 2661
# §5.1.1; lns_restart changes it later).
# Logs: /job/out/xl2tpd.log (xl2tpd -D), /job/out/pppd-lns.log (pppd debug).
ip addr add 192.0.2.2/24 dev eth0
: > /etc/ppp/options
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/chap-secrets
chmod 600 /etc/ppp/chap-secrets
printf 'require-mschap-v2\nrefuse-pap\nrefuse-eap\n+ipv6\ndebug\nlogfile /job/out/pppd-lns.log\n' \
  > /etc/ppp/options.xl2tpd

# lns_conf SECRET: writes xl2tpd.conf and the tunnel secrets; "" = no tunnel
# authentication.
lns_conf() {
  local challenge=no
  : > /etc/xl2tpd/l2tp-secrets
  if [ -n "$1" ]; then
    challenge=yes
    printf '* * %s\n' "$1" > /etc/xl2tpd/l2tp-secrets
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

[lns default]
ip range = 10.98.0.2-10.98.0.2
local ip = 10.98.0.1
require authentication = yes
challenge = $challenge
name = vmpeer-lns
ppp debug = yes
pppoptfile = /etc/ppp/options.xl2tpd
length bit = yes
C
}
# lns_start: xl2tpd in the foreground (in the background of this shell).
lns_start() {
  mkdir -p /var/run/xl2tpd
  xl2tpd -D -c /etc/xl2tpd/xl2tpd.conf -p /run/xl2tpd.pid -C /var/run/xl2tpd/l2tp-control \
    >> /job/out/xl2tpd.log 2>&1 &
  echo $! > /run/xl2tpd.bgpid
  wait_for 10 grep -q ':06A5 ' /proc/net/udp
}
# lns_stop: xl2tpd and its pppd exit.
lns_stop() {
  kill -TERM "$(cat /run/xl2tpd.bgpid)" 2>/dev/null
  wait_for 10 sh -c '! pidof xl2tpd >/dev/null && ! pidof pppd >/dev/null'
}
# lns_restart SECRET: a fresh xl2tpd with another tunnel secret.
lns_restart() { lns_stop; lns_conf "$1"; lns_start; }
lns_conf "${TUNNEL_SECRET:-}"
lns_start
role_stop() { lns_stop; true; }
