# Role: Debian's pppd with the rp-pppoe plugin (kernel PPPoE) as a PPPoE client
# on eth0. Nothing dials at boot: the test starts and stops pppd with the
# functions below, so one VM can run several sessions.
# Settings: PEER_USER, PEER_PASS (written to pap-secrets and chap-secrets).
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/pap-secrets
cp /etc/ppp/pap-secrets /etc/ppp/chap-secrets
chmod 600 /etc/ppp/pap-secrets /etc/ppp/chap-secrets

# pppd_start TAG [pppd options...]: dials in the background; log /job/out/pppd-TAG.log.
pppd_start() {
  local tag=$1; shift
  pppd plugin rp-pppoe.so eth0 user "$PEER_USER" nodetach noauth debug \
    noipdefault ipcp-accept-local ipcp-accept-remote +ipv6 \
    logfile /job/out/pppd-$tag.log "$@" > /dev/null 2>&1 &
  echo $! > /run/pppd-$tag.pid
}
# pppd_wait_up TAG [SECS]: IPCP and IPV6CP are up.
pppd_wait_up() {
  wait_for ${2:-30} grep -q 'remote LL address' /job/out/pppd-$1.log &&
    wait_for 5 grep -q 'remote IP address' /job/out/pppd-$1.log
}
# pppd_wait_exit TAG [SECS]: pppd has exited.
pppd_wait_exit() { wait_for ${2:-30} sh -c "! kill -0 $(cat /run/pppd-$1.pid) 2>/dev/null"; }
# pppd_kill TAG SIGNAL
pppd_kill() { kill -$2 $(cat /run/pppd-$1.pid); }
