# Role: Debian's pppd as a PPPoE client on eth0, over either transport:
#  - pppd_start: the kernel plugin rp-pppoe.so (as role pppd-pppoe-client);
#  - pppd_start_pty: rp-pppoe's user-space `pppoe` on a pty.
# Why both: the plugin's check_options hook (pppoe_check_options in pppd
# 2.4.9's plugins/rp-pppoe/plugin.c, Debian's pppoe.so alike) clears
# ccp_wantoptions and ccp_allowoptions .deflate and .bsd_compress after all
# options are parsed, so a plugin pppd never offers or accepts Deflate or
# BSD-Compress whatever its command line says. Over the pty nothing clears
# them and pppd negotiates them with ppp_generic's compressors.
# Nothing dials at boot: the test starts and stops pppd with the functions
# below, so one VM can run several sessions.
# Settings: PEER_USER, PEER_PASS (written to pap-secrets and chap-secrets).
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/pap-secrets
cp /etc/ppp/pap-secrets /etc/ppp/chap-secrets
chmod 600 /etc/ppp/pap-secrets /etc/ppp/chap-secrets

# pppd_bg TAG [pppd options...]: runs pppd in the background with the
# options every session shares; log /job/out/pppd-TAG.log.
pppd_bg() {
  local tag=$1; shift
  pppd "$@" user "$PEER_USER" nodetach noauth debug \
    noipdefault ipcp-accept-local ipcp-accept-remote +ipv6 \
    logfile /job/out/pppd-$tag.log > /dev/null 2>&1 &
  echo $! > /run/pppd-$tag.pid
}
# pppd_start TAG [pppd options...]: dials over the kernel plugin.
pppd_start() {
  local tag=$1; shift
  pppd_bg $tag plugin rp-pppoe.so eth0 "$@"
}
# pppd_start_pty TAG [pppd options...]: dials through /usr/sbin/pppoe on a
# pty (PPPoE in user space; the PPP unit is ppp_async's). MRU/MTU 1492 and
# no ACFC/PFC/asyncmap, as pppoe(8) asks of pppd.
pppd_start_pty() {
  local tag=$1; shift
  pppd_bg $tag pty "/usr/sbin/pppoe -I eth0" mtu 1492 mru 1492 \
    noaccomp nopcomp default-asyncmap "$@"
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
# ppp_cstats IFACE: the kernel's compression counters of IFACE (pppstats -z).
ppp_cstats() { pppstats -z "$1"; }
