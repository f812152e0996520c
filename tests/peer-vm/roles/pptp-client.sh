# Role: Debian's pptp-linux (PPTP client, RFC 2637) under pppd, dialling
# the PPTP server at 192.0.2.1 from 192.0.2.2. Nothing dials at boot:
# pptp_start / pptp_kill drive it. pppd authenticates as PEER_USER with
# MS-CHAPv2 only.
# Settings: PEER_USER, PEER_PASS (chap-secrets).
# Logs: /job/out/syslog.log (pptp), /job/out/pppd-pptp-TAG.log.
ip addr add 192.0.2.2/24 dev eth0
syslogd -n -O /job/out/syslog.log &
echo $! > /run/syslogd.bgpid
: > /etc/ppp/options
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/chap-secrets
chmod 600 /etc/ppp/chap-secrets
# pptp_start TAG: dials in the background; log /job/out/pppd-pptp-TAG.log.
pptp_start() {
  pppd pty "pptp 192.0.2.1 --nolaunchpppd --loglevel 2" name "$PEER_USER" remotename mlppp \
    nodetach noauth refuse-pap refuse-chap refuse-mschap refuse-eap \
    noipdefault ipcp-accept-local ipcp-accept-remote +ipv6 debug \
    logfile /job/out/pppd-pptp-$1.log > /dev/null 2>&1 &
  echo $! > /run/pppd-$1.pid
}
# pptp_wait_up TAG [SECS]: IPCP is up.
pptp_wait_up() { wait_for ${2:-30} grep -qs 'remote IP address' /job/out/pppd-pptp-$1.log; }
# pptp_wait_exit TAG [SECS]: pppd (and its pptp) have exited.
pptp_wait_exit() {
  wait_for ${2:-30} sh -c "! kill -0 $(cat /run/pppd-$1.pid) 2>/dev/null && ! pidof pptp >/dev/null"
}
# pptp_kill TAG SIGNAL
pptp_kill() { kill -$2 $(cat /run/pppd-$1.pid); }
role_stop() {
  kill -TERM $(pidof pppd) 2>/dev/null
  wait_for 10 sh -c '! pidof pppd >/dev/null'
  kill "$(cat /run/syslogd.bgpid)" 2>/dev/null
  true
}
