#!/usr/bin/env bash
# The live dashboard (src/control/web/assets/dashboard.*) in headless
# Chromium against tests/e2e/dashboard/mock_api.py, a fake of the daemon's
# web server and JSON API: no daemon, namespaces or root needed. The same
# check_dashboard.mjs runs against the real daemon in test_dashboard.sh.
# Needs python3, node/npm and Chromium (CHROMIUM, default /usr/bin/chromium).
set -euo pipefail

DIR=$(cd "$(dirname "$0")/dashboard" && pwd)
TMP=$(mktemp -d /tmp/mlppp-dashboard.XXXXXX)
MOCK_PID=

cleanup() {
  local rc=$?
  set +e
  if [ -n "$MOCK_PID" ]; then
    kill -TERM "$MOCK_PID" 2>/dev/null
    wait "$MOCK_PID" 2>/dev/null
  fi
  if [ $rc -ne 0 ]; then
    echo "---- FAILED; mock log and screenshot kept in $TMP" >&2
    [ -s "$TMP/mock.log" ] && tail -20 "$TMP/mock.log" >&2
  else
    rm -rf "$TMP"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
command -v node >/dev/null || fail "node is not installed (apt-get install -y nodejs npm)"
command -v python3 >/dev/null || fail "python3 is not installed"
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM (apt-get install -y chromium)"
if [ ! -d "$DIR/node_modules/playwright-core" ]; then
  (cd "$DIR" && npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1) || fail "npm ci failed: $(tail -5 "$TMP/npm.log")"
fi

# The interpreter itself, not a wrapper (pyenv's shim forks), so that $! is
# the process the trap kills.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
# Port 0: the mock binds a free port and writes it to a file once listening.
"$PYTHON" "$DIR/mock_api.py" --port 0 --port-file "$TMP/port" --sessions 4 \
  --user admin:secret:admin --user viewer:view:user >"$TMP/mock.log" 2>&1 &
MOCK_PID=$!
for _ in $(seq 100); do
  [ -s "$TMP/port" ] && break
  kill -0 "$MOCK_PID" 2>/dev/null || fail "mock_api.py exited: $(cat "$TMP/mock.log")"
  sleep 0.1
done
[ -s "$TMP/port" ] || fail "mock_api.py did not start listening within 10 s"
PORT=$(cat "$TMP/port")

# The mock's session ids are 5e55100 + i; disconnect the third of four.
node "$DIR/check_dashboard.mjs" --url "http://127.0.0.1:$PORT" --user admin --password secret \
  --expect 4 --disconnect 5e55102 --denied-user viewer --denied-password view \
  --screenshot "$TMP/dashboard.png" --timeout 60 || fail "check_dashboard.mjs against the mock API"
echo "ok - dashboard check against the mock API"
