#!/usr/bin/env bash
# Every authentication method between our client and our server: MS-CHAPv1,
# MS-CHAPv2 (mutual) and EAP-MD5 come up and carry traffic; a wrong password
# is refused for each, logged without the secret, with nothing left behind.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
capture "$S" veth-srv wire

# conf DIR ROLE METHOD [PASSWORD]: example config limited to METHOD.
conf() {
  local d=$E2E_TMP/$1 role=$2 m=$3 pw=${4:-demo-pass}
  mkdir -p "$d"
  if [ "$role" = server ]; then
    cp "$E2E_SRC/examples/pppoe-server/mpd.secret" "$d/"
    sed -e "s/set link enable chap-md5/set link enable $m/" \
      "$E2E_SRC/examples/pppoe-server/mpd.conf" >"$d/mpd.conf"
  else
    sed -e "s/set link accept pap chap-md5/set link deny pap chap eap\n\tset link accept $m/" \
      -e "s/demo-pass/$pw/" -e 's/max-redial .*/max-redial -1/' \
      "$E2E_SRC/examples/pppoe-client/mpd.conf" >"$d/mpd.conf"
  fi
  grep -q -- "$m" "$d/mpd.conf" || fail "config for $m not rewritten"
}

n=0
for m in chap-msv1 chap-msv2 eap; do
  n=$((n + 1))
  conf "s$n" server "$m"; conf "c$n" client "$m"
  start_mlpppd "$S" "$E2E_TMP/s$n" "srv$n"
  wait_log "srv$n" 'listening for PPPoE' 10
  start_mlpppd "$C" "$E2E_TMP/c$n" "cli$n"
  wait_log "cli$n" 'session up' 20
  wait_log "srv$n" 'session up' 20
  grep -q "auth us->peer $m" "$E2E_TMP/srv$n.log" || fail "$m: server did not negotiate $m"
  grep -q 'peer authenticated as "demo"' "$E2E_TMP/srv$n.log" || fail "$m: no authenticated user"
  ip netns exec "$C" ping -c 2 -i 0.2 -W 2 10.0.0.1 >/dev/null || fail "$m: ping"
  pass "$m: session up, peer authenticated, ping"
  kill -TERM "$(eval echo \$PID_cli$n)"; wait_gone "$(eval echo \$PID_cli$n)" 10
  wait_log "srv$n" 'session closed' 10

  # Wrong password: refused, nothing left.
  conf "w$n" client "$m" wrong-pass
  start_mlpppd "$C" "$E2E_TMP/w$n" "wrong$n" -o
  wait_log "srv$n" 'failed authentication' 20
  wait_log "srv$n" 'session closed' 10 2
  grep -q wrong-pass "$E2E_TMP/srv$n.log" "$E2E_TMP/wrong$n.log" && fail "$m: password in a log"
  [ "$(grep -c 'session up' "$E2E_TMP/srv$n.log")" -eq 2 ] || fail "$m: wrong password brought a session up"
  wait_gone "$(eval echo \$PID_wrong$n)" 15
  [ -z "$(ppp_ifaces "$S")" ] || fail "$m: server left an interface"
  pass "$m: wrong password refused, nothing left behind"
  kill -TERM "$(eval echo \$PID_srv$n)"; wait_gone "$(eval echo \$PID_srv$n)" 10
done
stop_capture wire
check_decodes wire
