#!/bin/bash
# Self-check of the FreeRADIUS harness (tests/radius/lib.sh): starts the
# server and drives it with radclient only (no mlpppd). Run as root:
#   tests/radius/selfcheck.sh
# Leaves no freeradius process behind, also on failure (e2e cleanup trap).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
# lib.sh wants an mlpppd path; nothing here runs it.
set -- /bin/true
. "$SRC/tests/e2e/lib.sh"
RADIUS_FAKE_DAE=1
. "$SRC/tests/radius/lib.sh"

# has OUTPUT REGEX: the radclient output matches.
has() { grep -qE -- "$2" <<<"$1" || { echo "$1" >&2; fail "no /$2/ in reply"; }; }
# reply_hex OUTPUT ATTR: hex value of ATTR in the received packet.
reply_hex() { sed -n "/^Received/,\$ s/^[[:space:]]*$2 = 0x\(.*\)/\1/p" <<<"$1"; }

radius_user alice 'Cleartext-Password := "alice-pw"' \
  'Framed-IP-Address = 10.9.0.5, Session-Timeout = 60, Idle-Timeout = 30, Acct-Interim-Interval = 300, Class = "abc", Framed-Pool = "pool1", mpd-limit = "in#1=all rate-limit 3000000"'
# RFC 2759 §9.2 test vector user.
radius_user User 'Cleartext-Password := "clientPass"'
radius_user eve 'Cleartext-Password := "eve-pw"'

t0=$EPOCHREALTIME
radius_start
t1=$EPOCHREALTIME
pass "freeradius ready on 127.0.0.1:$RADIUS_AUTH_PORT/$RADIUS_ACCT_PORT in $(awk "BEGIN{printf \"%.2f\", $t1-$t0}") s"
[ "$(awk "BEGIN{print ($t1-$t0 < 5)}")" = 1 ] || fail "start took more than 5 s"

out=$(radius_status) || fail "Status-Server not answered"
has "$out" 'Received Access-Accept'
pass "Status-Server (RFC 5997) answered"

# PAP (RFC 2865 §5.2) and the reply attributes mlpppd reads.
out=$(radius_auth 'User-Name = "alice", User-Password = "alice-pw"') || { echo "$out" >&2; fail "PAP accept"; }
has "$out" 'Received Access-Accept'
has "$out" 'Framed-IP-Address = 10\.9\.0\.5'
has "$out" 'Session-Timeout = 60'
has "$out" 'Idle-Timeout = 30'
has "$out" 'Acct-Interim-Interval = 300'
has "$out" 'Class = 0x616263'
has "$out" 'Framed-Pool = "pool1"'
has "$out" 'mpd-limit = "in#1=all rate-limit 3000000"'
pass "PAP accept with reply attributes (incl. vendor 12341 mpd-limit)"

if out=$(radius_auth 'User-Name = "alice", User-Password = "wrong"'); then fail "PAP with a wrong password accepted"; fi
has "$out" 'Received Access-Reject'
pass "PAP reject"

# CHAP (RFC 1994): radclient computes CHAP-Password from the cleartext.
out=$(radius_auth 'User-Name = "alice", CHAP-Password = "alice-pw"') || { echo "$out" >&2; fail "CHAP accept"; }
has "$out" 'Received Access-Accept'
if out=$(radius_auth 'User-Name = "alice", CHAP-Password = "nope"'); then fail "CHAP with a wrong password accepted"; fi
pass "CHAP accept + reject"

# MS-CHAPv1 (RFC 2433, RFC 2548): radclient computes it from MS-CHAP-Password.
out=$(radius_auth 'User-Name = "alice", MS-CHAP-Password = "alice-pw"') || { echo "$out" >&2; fail "MS-CHAPv1 accept"; }
has "$out" 'Received Access-Accept'
has "$out" 'MS-CHAP-MPPE-Keys = 0x'
pass "MS-CHAPv1 accept with MS-CHAP-MPPE-Keys"

# MS-CHAPv2 (RFC 2759 §9.2 vector: User/clientPass). MS-CHAP2-Response
# (RFC 2548 §2.3.2) = Ident, Flags, Peer-Challenge(16), Reserved(8), NT-Response(24).
auth_chal=5B5D7C7D7B3F2F3E3C2C602132262628
peer_chal=21402324255E262A28295F2B3A337C7E
nt_resp=82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF
out=$(radius_auth "User-Name = \"User\", MS-CHAP-Challenge = 0x$auth_chal, MS-CHAP2-Response = 0x0100${peer_chal}0000000000000000$nt_resp") ||
  { echo "$out" >&2; fail "MS-CHAPv2 accept"; }
has "$out" 'Received Access-Accept'
# MS-CHAP2-Success = Ident + "S=<AuthenticatorResponse>" (RFC 2759 §9.2).
success=$(reply_hex "$out" MS-CHAP2-Success)
[ -n "$success" ] || fail "no MS-CHAP2-Success"
[ "$(xxd -r -p <<<"${success:2}")" = "S=407A5589115FD0D6209F510FE9C04566932CDA56" ] ||
  fail "MS-CHAP2-Success is $success, not the RFC 2759 §9.2 authenticator response"
has "$out" 'MS-MPPE-Recv-Key = 0x'
has "$out" 'MS-MPPE-Send-Key = 0x'
out=$(radius_auth "User-Name = \"User\", MS-CHAP-Challenge = 0x$auth_chal, MS-CHAP2-Response = 0x0100${peer_chal}0000000000000000${nt_resp/82/83}") &&
  fail "MS-CHAPv2 with a wrong NT-Response accepted"
has "$out" 'Received Access-Reject'
pass "MS-CHAPv2 accept (RFC 2759 §9.2 authenticator response, MPPE keys) + reject"

# EAP-MD5 (RFC 3748 §5.4) by hand: Identity, then MD5-Challenge.
hex() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
out=$(radius_auth "User-Name = \"eve\", EAP-Message = 0x0201000801$(hex eve)") || true
has "$out" 'Received Access-Challenge'
eap=$(reply_hex "$out" EAP-Message)
state=$(reply_hex "$out" State)
if [ "${eap:0:2}" != 01 ] || [ "${eap:8:2}" != 04 ]; then
  fail "EAP reply $eap is not an MD5-Challenge request"
fi
id=${eap:2:2} chal=${eap:12:32}
digest=$( (printf '%s' "$id" | xxd -r -p; printf 'eve-pw'; printf '%s' "$chal" | xxd -r -p) | md5sum | cut -c1-32)
out=$(radius_auth "User-Name = \"eve\", State = 0x$state, EAP-Message = 0x02${id}00160410$digest") ||
  { echo "$out" >&2; fail "EAP-MD5 accept"; }
has "$out" "EAP-Message = 0x03${id}0004"
pass "EAP-MD5 accept (EAP-Success)"

# BlastRADIUS hardening: an Access-Request without Message-Authenticator is dropped.
if out=$(radius_client "127.0.0.1:$RADIUS_AUTH_PORT" auth "$RADIUS_SECRET" \
  'User-Name = "alice", User-Password = "alice-pw"' -t 0.5 2>&1); then
  fail "Access-Request without Message-Authenticator answered"
fi
has "$out" 'No reply from server'
wait_log "$RADIUS_NAME" 'does not contain required Message-Authenticator' 5
pass "Access-Request without Message-Authenticator dropped"

# Accounting (RFC 2866) lands in the detail file, vendor attributes by name.
radius_acct 'User-Name = "alice", Acct-Status-Type = Start, Acct-Session-Id = "sess-1", NAS-Port = 7, mpd-link = "L1", mpd-iface-index = 3' >/dev/null ||
  fail "no Accounting-Response to Start"
radius_detail_has 'Acct-Session-Id = "sess-1"' 5
radius_detail_has 'Acct-Status-Type = Start' 5
radius_detail_has 'mpd-link = "L1"' 5
radius_acct 'User-Name = "alice", Acct-Status-Type = Stop, Acct-Session-Id = "sess-1", Acct-Session-Time = 42, Acct-Terminate-Cause = User-Request' >/dev/null ||
  fail "no Accounting-Response to Stop"
radius_detail_has 'Acct-Status-Type = Stop' 5
radius_detail_has 'Acct-Terminate-Cause = User-Request' 5
[ "$(radius_detail_count 'Acct-Session-Id = "sess-1"')" = 2 ] || fail "expected 2 records for sess-1"
pass "accounting Start/Stop in $(radius_detail)"

# DAE helpers (RFC 5176) against the stand-in DAE listener.
out=$(radius_coa "127.0.0.1:$RADIUS_DAE_PORT" "$RADIUS_SECRET" 'User-Name = "alice", Session-Timeout = 120, mpd-rule = "1=deny ip from any to any"') ||
  { echo "$out" >&2; fail "CoA not ACKed"; }
has "$out" 'Received CoA-ACK'
if out=$(radius_disconnect "127.0.0.1:$RADIUS_DAE_PORT" "$RADIUS_SECRET" 'User-Name = "nak"'); then
  fail "Disconnect for user nak ACKed"
fi
has "$out" 'Received Disconnect-NAK'
has "$out" 'Error-Cause = Session-Context-Not-Found'
out=$(radius_disconnect "127.0.0.1:$RADIUS_DAE_PORT" "$RADIUS_SECRET" 'User-Name = "alice", Acct-Session-Id = "sess-1"') ||
  { echo "$out" >&2; fail "Disconnect not ACKed"; }
has "$out" 'Received Disconnect-ACK'
pass "radius_coa / radius_disconnect send and print ACK/NAK"

# A user added after start (server restarted on the same ports).
old_pid=$RADIUS_PID
radius_user late 'Cleartext-Password := "late-pw"' 'Session-Timeout = 5'
[ "$RADIUS_PID" != "$old_pid" ] || fail "server not restarted"
kill -0 "$old_pid" 2>/dev/null && fail "old server still running"
out=$(radius_auth 'User-Name = "late", User-Password = "late-pw"') || { echo "$out" >&2; fail "late user"; }
has "$out" 'Session-Timeout = 5'
radius_detail_has 'Acct-Status-Type = Stop' 1
pass "radius_user after start (restart keeps ports and detail file)"

pid=$RADIUS_PID
radius_stop
kill -0 "$pid" 2>/dev/null && fail "freeradius $pid still running"
pass "radius_stop"
