# Role: Debian's pptpd (PPTP server, RFC 2637) on 192.0.2.2:1723: pptpctrl
# per control connection, pppd per call (user-space GRE over a pty), which
# requires MS-CHAPv2 (no MPPE) and gives the client 10.97.0.2.
# Settings: PEER_USER, PEER_PASS (chap-secrets).
# Logs: /job/out/syslog.log (pptpd, pptpctrl), /job/out/pppd-pptpd.log.
ip addr add 192.0.2.2/24 dev eth0
syslogd -n -O /job/out/syslog.log &
echo $! > /run/syslogd.bgpid
: > /etc/ppp/options
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/chap-secrets
chmod 600 /etc/ppp/chap-secrets
printf 'name pptpd\nrequire-mschap-v2\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrefuse-eap\nnodefaultroute\n+ipv6\ndebug\nlogfile /job/out/pppd-pptpd.log\n' \
  > /etc/ppp/pptpd-options
printf 'option /etc/ppp/pptpd-options\ndebug\nlisten 192.0.2.2\nlocalip 10.97.0.1\nremoteip 10.97.0.2\n' \
  > /etc/pptpd.conf
pptpd -f -c /etc/pptpd.conf -o /etc/ppp/pptpd-options >> /job/out/pptpd.log 2>&1 &
echo $! > /run/pptpd.bgpid
wait_for 10 grep -q ':06BB ' /proc/net/tcp
# pptpd_wait_up [SECS]: the call's pppd has IPCP up.
pptpd_wait_up() { wait_for ${1:-30} grep -qs 'remote IP address' /job/out/pppd-pptpd.log; }
role_stop() {
  kill -TERM "$(cat /run/pptpd.bgpid)" 2>/dev/null
  kill -TERM $(pidof pppd) 2>/dev/null
  wait_for 10 sh -c '! pidof pppd >/dev/null && ! pidof pptpd >/dev/null'
  kill "$(cat /run/syslogd.bgpid)" 2>/dev/null
  true
}
