# Role: rp-pppoe's pppoe-server on eth0, running Debian's pppd for each
# session (user-space PPPoE over a pty, as Debian's pppoe-server 3.15 does).
# Settings: PEER_USER, PEER_PASS (accepted credentials), PPPOE_AC (AC-Name),
# PPPOE_SERVICE, SERVER_IP (pppd's local address), CLIENT_IP (first address
# handed out), PPPD_OPTS (extra pppd options, one per line).
printf '%s * %s *\n' "$PEER_USER" "$PEER_PASS" > /etc/ppp/pap-secrets
cp /etc/ppp/pap-secrets /etc/ppp/chap-secrets
chmod 600 /etc/ppp/pap-secrets /etc/ppp/chap-secrets
# server_auth OPTION...: the pppd authentication options for the sessions
# that start from now on (pppoe-server reads the file per session).
server_auth() {
  { echo auth; for o in "$@"; do echo "$o"; done
    printf '+ipv6\ndebug\nlogfile /job/out/pppd-server.log\n%s\n' "$PPPD_OPTS"
  } > /etc/ppp/pppoe-server-options
}
server_auth require-pap require-chap
pppoe-server -I eth0 -C "${PPPOE_AC:-vmpeer-ac}" -S "${PPPOE_SERVICE:-isp}" \
  -L "${SERVER_IP:-10.99.1.1}" -R "${CLIENT_IP:-10.99.1.10}" -N 8 -X /run/pppoe-server.pid
# sessions_pppd: pids of the per-session pppd processes.
sessions_pppd() { pidof pppd; }
