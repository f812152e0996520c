#!/usr/bin/env bash
# The local back ends through the daemon: ext-auth (mpd5's script protocol:
# SUCCESS with FRAMED_IP_ADDRESS, FAIL), pam-auth (a PAM service written by
# the test, pam_unix, a test user) and system-auth (the same user's crypt(3)
# hash in /etc/shadow), and ext-acct (START/STOP records with the session
# id and counters), pam-acct (pam_open_session/pam_close_session, seen by
# a pam_exec hook), and a `!program` password in mpd.secret (the program
# gets the user name and prints the password). PAP, as mpd5 allows for PAM
# and system. The test
# user and the PAM service file are removed at the end, also on failure.
. "$(dirname "$0")/lib.sh"
S=mlppp-s$E2E_ID C=mlppp-c$E2E_ID
make_pair "$S" "$C"
TU=mlpt$E2E_ID PAMF=/etc/pam.d/mlpppd

local_cleanup() {
  userdel "$TU" 2>/dev/null
  [ -f "$E2E_TMP/pam.saved" ] && mv "$E2E_TMP/pam.saved" "$PAMF"
  [ -f "$E2E_TMP/pam.created" ] && rm -f "$PAMF"
}
E2E_CLEANUP_HOOKS+=(local_cleanup)
command -v useradd >/dev/null || fail "useradd missing"
useradd -M -s /usr/sbin/nologin "$TU"
echo "$TU:Sys-pw-1" | chpasswd
if [ -f "$PAMF" ]; then cp "$PAMF" "$E2E_TMP/pam.saved"; else touch "$E2E_TMP/pam.created"; fi
cat >"$E2E_TMP/pamsess.sh" <<'SH'
#!/bin/sh
echo "$PAM_TYPE $PAM_USER $PAM_TTY" >> "$(dirname "$0")/pamsess.log"
SH
chmod +x "$E2E_TMP/pamsess.sh"
printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_exec.so %s\n' \
  "$E2E_TMP/pamsess.sh" >"$PAMF"
cat >"$E2E_TMP/pwprog.sh" <<'SH'
#!/bin/sh
# mpd.secret `!program`: the user name is the last argument; print the password.
[ "$2" = progu ] && [ "$1" = --realm ] && echo Prog-pw-1
SH
chmod +x "$E2E_TMP/pwprog.sh"

cat >"$E2E_TMP/extauth.sh" <<'SH'
#!/bin/sh
# mpd5 ext-auth: NAME:value lines, an empty line; answer NAME:value lines.
while IFS= read -r line && [ -n "$line" ]; do
  case $line in USER_PASSWORD:*) pw=${line#USER_PASSWORD:} ;; esac
done
echo "$@" >> "$(dirname "$0")/extauth.args"
if [ "$1" = ext ] && [ "$pw" = ext-pw ]; then
  echo "RESULT:SUCCESS"; echo "FRAMED_IP_ADDRESS:10.0.0.88"
else
  echo "RESULT:FAIL"; echo "REPLY_MESSAGE:go away"
fi
SH
chmod +x "$E2E_TMP/extauth.sh"
cat >"$E2E_TMP/extacct.sh" <<'SH'
#!/bin/sh
# mpd5 ext-acct: append the request to a log; answer with an empty line.
{ while IFS= read -r line && [ -n "$line" ]; do echo "$line"; done; echo --; } >> "$(dirname "$0")/extacct.log"
echo
SH
chmod +x "$E2E_TMP/extacct.sh"

# server_conf NAME AUTH-OPTIONS...: PAP only, the given back ends.
server_conf() {
  local d=$E2E_TMP/$1; shift
  mkdir -p "$d"
  cp "$E2E_SRC/examples/pppoe-server/mpd.secret" "$d/"
  sed -e "s|set link enable chap-md5|set link enable pap\n\tset auth disable internal\n\tset auth enable $*\n\tset auth extauth-script $E2E_TMP/extauth.sh\n\tset auth extacct-script $E2E_TMP/extacct.sh|" \
    "$E2E_SRC/examples/pppoe-server/mpd.conf" >"$d/mpd.conf"
}
client_conf() {  # NAME USER PASSWORD
  local d=$E2E_TMP/$1
  mkdir -p "$d"
  sed -e "s/authname demo/authname \"$2\"/" -e "s/password demo-pass/password $3/" \
    -e 's/max-redial .*/max-redial -1/' \
    "$E2E_SRC/examples/pppoe-client/mpd.conf" >"$d/mpd.conf"
}
# login SRV NAME USER PASSWORD: expect a session.
login() {
  client_conf "$2" "$3" "$4"
  start_mlpppd "$C" "$E2E_TMP/$2" "$2"
  wait_log "$2" 'session up' 20
  wait_log "$1" "session up.*user \"$3\"" 10
  local pid=PID_$2
  kill -TERM "${!pid}"; wait_gone "${!pid}" 10
}
# refused SRV NAME USER PASSWORD
refused() {
  client_conf "$2" "$3" "$4"
  start_mlpppd "$C" "$E2E_TMP/$2" "$2" -o
  wait_log "$1" "peer \"$3\" failed authentication" 20
  local pid=PID_$2
  wait_gone "${!pid}" 20
  grep -q "$4" "$E2E_TMP/$1.log" && fail "password $4 in the server log"
  return 0
}

server_conf se ext-auth ext-acct
start_mlpppd "$S" "$E2E_TMP/se" se
wait_log se 'listening for PPPoE' 10
login se e1 ext ext-pw
grep -q 'ip 10.0.0.1 -> 10.0.0.88' "$E2E_TMP/se.log" || fail "ext-auth FRAMED_IP_ADDRESS not applied"
refused se e2 ext Bad-ext-1
refused se e3 'o;touch x' Bad-ext-2
[ ! -e x ] && [ ! -e "$E2E_TMP/x" ] || fail "shell metacharacters in a user name ran"
grep -qx 'o;touch x' "$E2E_TMP/extauth.args" || fail "the user name did not reach the script literally"
pass "ext-auth: SUCCESS with FRAMED_IP_ADDRESS applied, FAIL refused, user name passed literally"
for _ in $(seq 50); do grep -q '^ACCT_STATUS_TYPE:STOP' "$E2E_TMP/extacct.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^ACCT_STATUS_TYPE:START' "$E2E_TMP/extacct.log" || fail "ext-acct: no START"
grep -q '^ACCT_STATUS_TYPE:STOP' "$E2E_TMP/extacct.log" || fail "ext-acct: no STOP"
grep -q '^USER_NAME:ext' "$E2E_TMP/extacct.log" || fail "ext-acct: no USER_NAME"
grep -q '^FRAMED_IP_ADDRESS:10.0.0.88' "$E2E_TMP/extacct.log" || fail "ext-acct: no FRAMED_IP_ADDRESS"
grep -qE '^ACCT_INPUT_OCTETS:[0-9]+' "$E2E_TMP/extacct.log" || fail "ext-acct: no counters"
sid=$(grep -m1 '^ACCT_SESSION_ID:' "$E2E_TMP/extacct.log" | cut -d: -f2-)
[ -n "$sid" ] && [ "$(grep -c "^ACCT_SESSION_ID:$sid\$" "$E2E_TMP/extacct.log")" -eq 2 ] ||
  fail "ext-acct: START and STOP do not share one ACCT_SESSION_ID"
pass "ext-acct: START and STOP with the session id, user, address and counters"
kill -TERM "$PID_se"; wait_gone "$PID_se" 10

server_conf sp pam-auth pam-acct
start_mlpppd "$S" "$E2E_TMP/sp" sp
wait_log sp 'listening for PPPoE' 10
login sp p1 "$TU" Sys-pw-1
refused sp p2 "$TU" Bad-pam-1
pass "pam-auth: pam_unix accepts the test user, refuses a wrong password"
for _ in $(seq 50); do grep -q "^close_session $TU" "$E2E_TMP/pamsess.log" 2>/dev/null && break; sleep 0.1; done
grep -qE "^open_session $TU [a-z]" "$E2E_TMP/pamsess.log" || fail "pam-acct: no open_session with a tty"
grep -q "^close_session $TU" "$E2E_TMP/pamsess.log" || fail "pam-acct: no close_session"
[ "$(wc -l <"$E2E_TMP/pamsess.log")" -eq 2 ] || fail "pam-acct: a refused login opened a PAM session"
pass "pam-acct: the session opened at Start and closed at Stop through PAM"
kill -TERM "$PID_sp"; wait_gone "$PID_sp" 10

server_conf si internal
printf 'progu "!%s --realm"\n' "$E2E_TMP/pwprog.sh" >>"$E2E_TMP/si/mpd.secret"
start_mlpppd "$S" "$E2E_TMP/si" si
wait_log si 'listening for PPPoE' 10
login si i1 progu Prog-pw-1
refused si i2 progu Bad-prog-1
grep -q 'Prog-pw-1' "$E2E_TMP/si.log" && fail "the program's password in the log"
pass "mpd.secret !program: the program's password accepts the user, a wrong one is refused"
kill -TERM "$PID_si"; wait_gone "$PID_si" 10

server_conf ss system-auth
start_mlpppd "$S" "$E2E_TMP/ss" ss
wait_log ss 'listening for PPPoE' 10
login ss s1 "$TU" Sys-pw-1
refused ss s2 "$TU" Bad-sys-1
pass "system-auth: the shadow hash accepts the test user, refuses a wrong password"
