#!/usr/bin/env bash
# The live dashboard against the real daemon: three PPPoE sessions come up,
# headless Chromium (playwright-core) opens /dashboard with Basic auth,
# checks the table and the total graph render and update, that a user
# without operator privilege is refused a disconnect, then disconnects one
# session and sees it gone — and the daemon logs that session's end. The
# screenshot is kept in $DASHBOARD_SCREENSHOT (default
# /tmp/mlpppd-dashboard.png).
. "$(dirname "$0")/lib.sh"
DIR=$E2E_SRC/tests/e2e/dashboard
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
SHOT=${DASHBOARD_SCREENSHOT:-/tmp/mlpppd-dashboard.png}
command -v node >/dev/null || fail "node is not installed (scripts/setup-deps)"
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM (scripts/setup-deps)"
if [ ! -d "$DIR/node_modules/playwright-core" ]; then
  (cd "$DIR" && npm ci --no-audit --no-fund >"$E2E_TMP/npm.log" 2>&1) ||
    fail "npm ci failed: $(tail -5 "$E2E_TMP/npm.log")"
fi

S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
srv=$E2E_TMP/srv cli=$E2E_TMP/cli
mkdir -p "$cli"
server_conf_with "$srv" <<'EOT'
set user admin admin-pw admin
set user viewer viewer-pw
set web self 127.0.0.1 5006
set web open
EOT
{
  echo "default:"
  for i in 1 2 3; do
    cat <<EOT
	create bundle static B$i
	create link static L$i pppoe
	set link action bundle B$i
	set pppoe iface veth-cli
	set link no pap chap
	set link accept chap-md5
	set auth authname demo
	set auth password demo-pass
	set link max-redial -1
	open
EOT
  done
} >"$cli/mpd.conf"

start_mlpppd "$S" "$srv" server
wait_log server 'web: listening' 10
start_mlpppd "$C" "$cli" client
wait_log server 'session up:' 20 3
pass "three sessions up"

# Traffic on one session so its graph moves.
cif=$(ppp_ifaces "$C" | head -1)
peer=$(ip -n "$C" -4 -o addr show dev "$cif" | awk '{print $6}' | cut -d/ -f1)
ip netns exec "$C" ping -q -i 0.2 -c 200 "$peer" >/dev/null 2>&1 &
E2E_PIDS+=($!)

sid=$(ip netns exec "$S" curl -s -m 5 -u admin:admin-pw http://127.0.0.1:5006/api/v1/sessions |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][1]["session_id"])')
[ -n "$sid" ] || fail "no session id from the API"
ip netns exec "$S" node "$DIR/check_dashboard.mjs" --url http://127.0.0.1:5006 --user admin \
  --password admin-pw --expect 3 --disconnect "$sid" --denied-user viewer \
  --denied-password viewer-pw --screenshot "$SHOT" --timeout 90 ||
  fail "check_dashboard.mjs against the daemon"
wait_log server "session closed: .*session $sid " 10
pass "dashboard: table, graphs, filter, sort, refused and granted disconnect (screenshot $SHOT)"
