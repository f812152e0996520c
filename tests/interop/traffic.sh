# Traffic checks shared by the PPPoE interop tests. Needs ../peer-vm/lib.sh.

# wait_no_ppp NS: no ppp interface is left in NS.
wait_no_ppp() {
  local i
  for ((i = 0; i < 50; i++)); do [ -z "$(ppp_ifaces "$1")" ] && return 0; sleep 0.1; done
  fail "ppp interface left in $1: $(ppp_ifaces "$1")"
}

# exchange_traffic NS VM: the session between mlpppd (its ppp interface in
# NS) and the VM's ppp0 carries ping and ping6 both
# ways and 1 MiB each way with matching md5 (over HTTP to the VM's
# data_serve: a download and an upload).
exchange_traffic() {
  local ns=$1 vm=$2 ifc hip pip hll pll md5
  ifc=$(ppp_ifaces "$ns" | head -1)
  [ -n "$ifc" ] || fail "no ppp interface in $ns"
  hip=$(ip -n "$ns" -4 -o addr show dev "$ifc" | awk '{print $4}' | cut -d/ -f1 | head -1)
  pip=$(peer_run "$vm" 'v4_addr ppp0')
  pll=$(peer_run "$vm" 'll_addr ppp0')
  hll=$(ip -n "$ns" -6 -o addr show dev "$ifc" scope link | awk '{print $4}' | cut -d/ -f1 | head -1)
  [ -n "$pip" ] && [ -n "$pll" ] && [ -n "$hip" ] && [ -n "$hll" ] ||
    fail "addresses missing: peer '$pip' '$pll', host '$hip' '$hll'"
  ip netns exec "$ns" ping -c 3 -i 0.2 -W 3 "$pip" >/dev/null || fail "host cannot ping $pip"
  pass "host pings peer $pip"
  peer_check "$vm" "peer pings host $hip" "ping -c 3 -W 3 $hip"
  ip netns exec "$ns" ping -6 -c 3 -i 0.2 -W 3 "$pll%$ifc" >/dev/null || fail "host cannot ping6 $pll"
  pass "host pings peer $pll over IPv6"
  peer_check "$vm" "peer pings host $hll over IPv6" "ping6 -c 3 -W 3 -I ppp0 $hll"
  peer_run "$vm" 'data_serve 8080' || fail "peer HTTP server did not start"
  md5=$(host_fetch_md5 "$ns" "http://$pip:8080/blob") || fail "host download from peer failed"
  [ "$md5" = "$(cat "$E2E_TMP/$vm/out/blob.md5")" ] || fail "1 MiB peer->host: md5 mismatch"
  pass "1 MiB peer->host, md5 matches"
  [ -f "$E2E_TMP/blob" ] || make_blob
  md5=$(host_post_md5 "$ns" "http://$pip:8080/cgi-bin/md5" "$E2E_TMP/blob") || fail "upload to peer failed"
  [ "$md5" = "$BLOB_MD5" ] || fail "1 MiB host->peer: md5 mismatch ($md5 != $BLOB_MD5)"
  pass "1 MiB host->peer, md5 matches"
}
