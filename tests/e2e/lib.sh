# Shared helpers for end-to-end tests: network namespaces joined by veth
# pairs, mlpppd instances inside them, waiting on log lines, packet capture
# and tshark checks. Everything created is removed on exit, also on failure.
# Source from a test script: . "$(dirname "$0")/lib.sh"
set -euo pipefail

E2E_ID=${E2E_ID:-$$}
E2E_TMP=$(mktemp -d /tmp/mlppp-e2e.XXXXXX)
E2E_NETNS=()
E2E_PIDS=()
E2E_CLEANUP_HOOKS=()  # functions run first on exit (the peer VM harness adds one)
MLPPPD=${MLPPPD:-${1:-}}
[ -x "$MLPPPD" ] || { echo "usage: $0 path/to/mlpppd" >&2; exit 2; }
E2E_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

e2e_cleanup() {
  local rc=$?
  set +e
  for h in "${E2E_CLEANUP_HOOKS[@]}"; do "$h" "$rc"; done
  for p in "${E2E_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${E2E_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  for ns in "${E2E_NETNS[@]}"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL; ip netns del "$ns" 2>/dev/null; done
  if [ $rc -ne 0 ]; then
    echo "---- FAILED; logs and captures kept in $E2E_TMP:" >&2
    for f in "$E2E_TMP"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -40 "$f" >&2; }; done
  elif [ -n "${KEEP:-}" ]; then
    echo "logs and captures kept in $E2E_TMP (KEEP is set)"
  else
    rm -rf "$E2E_TMP"
  fi
  exit $rc
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }

# make_pair SRV_NS CLI_NS: two namespaces joined by veth-srv <-> veth-cli.
make_pair() {
  local s=$1 c=$2
  ip netns add "$s"; E2E_NETNS+=("$s")
  ip netns add "$c"; E2E_NETNS+=("$c")
  ip link add veth-srv netns "$s" type veth peer name veth-cli netns "$c"
  ip -n "$s" link set lo up; ip -n "$c" link set lo up
  ip -n "$s" link set veth-srv up; ip -n "$c" link set veth-cli up
}

# start_mlpppd NS CONFDIR LOGNAME [args...]: runs mlpppd in the foreground in NS.
start_mlpppd() {
  local ns=$1 dir=$2 name=$3; shift 3
  ip netns exec "$ns" "$MLPPPD" -d "$dir" -p "$E2E_TMP/$name.pid" "$@" >"$E2E_TMP/$name.log" 2>&1 &
  E2E_PIDS+=($!)
  eval "PID_$name=$!"
}

# wait_log NAME REGEX [TIMEOUT_S] [COUNT]: waits until the log has COUNT matching lines.
wait_log() {
  local name=$1 re=$2 t=${3:-20} n=${4:-1} i c
  for ((i = 0; i < t * 10; i++)); do
    c=$(grep -cE -- "$re" "$E2E_TMP/$name.log" 2>/dev/null || true)
    [ "${c:-0}" -ge "$n" ] && return 0
    sleep 0.1
  done
  fail "timeout waiting for /$re/ (x$n) in $name.log"
}

# wait_gone PID [TIMEOUT_S]
wait_gone() {
  local p=$1 t=${2:-10} i
  for ((i = 0; i < t * 10; i++)); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
  fail "process $p did not exit"
}

# capture NS IFACE NAME: starts tcpdump; stop_capture NAME waits for it to flush.
capture() {
  ip netns exec "$1" tcpdump -i "$2" --immediate-mode -U -w "$E2E_TMP/$3.pcap" -s 0 >"$E2E_TMP/$3.tcpdump" 2>&1 &
  eval "CAP_$3=$!"
  for _ in $(seq 50); do grep -q listening "$E2E_TMP/$3.tcpdump" 2>/dev/null && return 0; sleep 0.1; done
  fail "tcpdump did not start"
}
stop_capture() {
  local v="CAP_$1"; kill -INT "${!v}" 2>/dev/null || true; wait "${!v}" 2>/dev/null || true
}

# check_decodes NAME: every frame decodes in tshark without malformed or error-level expert info.
check_decodes() {
  local f=$E2E_TMP/$1.pcap total bad
  total=$(tshark -r "$f" 2>/dev/null | wc -l)
  [ "$total" -gt 0 ] || fail "capture $1 is empty"
  bad=$(tshark -r "$f" -Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null | wc -l)
  if [ "$bad" -ne 0 ]; then
    tshark -r "$f" -Y '_ws.malformed || _ws.expert.severity >= 8388608' -V 2>/dev/null | head -60 >&2
    fail "$bad of $total frames in $1 have malformed/error expert info"
  fi
  pass "all $total captured frames decode cleanly in tshark"
}

# ppp_ifaces NS: names of ppp interfaces in NS.
ppp_ifaces() { ip -n "$1" -o link show 2>/dev/null | awk -F': ' '{print $2}' | grep -E '^ppp' || true; }

# server_conf_with DIR: DIR gets examples/pppoe-server's mpd.conf and
# mpd.secret, with a `control` label loaded after the server; the label's
# lines come from stdin (set user, set console ..., set web ...).
server_conf_with() {
  local dir=$1
  mkdir -p "$dir"
  cp "$E2E_SRC/examples/pppoe-server/mpd.secret" "$dir/"
  sed -e 's/^\tload pppoe_server$/\tload pppoe_server\n\tload control/' \
    "$E2E_SRC/examples/pppoe-server/mpd.conf" >"$dir/mpd.conf"
  { echo; echo "control:"; sed 's/^/\t/'; } >>"$dir/mpd.conf"
}
