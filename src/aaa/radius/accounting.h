// RADIUS accounting (RFC 2866; RFC 2869 §5.1-§5.2 Gigawords, §5.3 Event-
// Timestamp): the radius-acct back end (mpd5 radius.c RadiusAccount /
// RadiusPutAcct). Each AcctEvent becomes one Accounting-Request sent through
// the asynchronous RadiusClient to the `set radius server`s that have an
// accounting port; the Accounting-Response is the server's receipt. An
// mpd-drop-user (vendor 12341, type 154) nonzero in the response asks us to
// disconnect the session, as mpd5 does.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/accounting.h"
#include "aaa/radius/access.h"
#include "aaa/radius/client.h"
#include "core/log.h"

namespace mlppp::aaa::radius {

struct AcctOutcome {
  bool ok = false;         // an Accounting-Response arrived (RFC 2866 §4.2)
  bool drop_user = false;  // ... carrying mpd-drop-user != 0 (mpd5)
  std::string error;       // when !ok: why (timeout, no server, bad request)
};

struct RadiusAcctCounters {
  uint64_t sent = 0;       // Accounting-Requests handed to the client
  uint64_t responses = 0;  // Accounting-Responses received
  uint64_t failed = 0;     // timeouts, no server, requests that could not be built
  uint64_t drop_user = 0;  // responses with mpd-drop-user != 0
};

// The RFC 2866 §5.10 Acct-Terminate-Cause value for a cause name (as in
// AcctEvent::terminate_cause, spelled as AcctTerminateCauseName spells it,
// compared case-insensitively). An empty name is NAS-Request (10), as mpd5
// sends when there is no down reason; an unknown name is Port-Error (8),
// mpd5's default for a reason it cannot map (radius.c RadiusPutAcct).
uint32_t TerminateCauseFromName(std::string_view name);

// Unix time in seconds, for Event-Timestamp (RFC 2869 §5.3). Injected so
// that this code reads no clock (ARCHITECTURE.md rule 6).
using WallClock = std::function<uint32_t()>;

// The Accounting-Request for `ev` (id and authenticator are the client's
// job). `classes` are the Class attributes of the Access-Accept, echoed
// verbatim (RFC 2865 §5.25); `radius_authenticated` picks Acct-Authentic
// RADIUS(1) or Local(2) (RFC 2866 §5.6). Counters are split into the low
// 32 bits (Acct-Input/Output-Octets, RFC 2866 §5.3-§5.4) and the high 32
// bits (Acct-Input/Output-Gigawords, RFC 2869 §5.1-§5.2); packet counts
// are sent modulo 2^32. Values too long for one attribute are left out
// (logged at debug level), never truncated.
RadiusPacket BuildAccountingRequest(const AcctEvent& ev,
                                    const std::vector<std::vector<uint8_t>>& classes,
                                    bool radius_authenticated, const NasIdentity& nas,
                                    std::optional<uint32_t> event_timestamp);

// Reads a verified reply. Accounting-Response: ok, with drop_user from
// mpd-drop-user. Anything else (the client only passes Accounting-
// Responses for accounting requests) is a failure.
AcctOutcome ReadAccountingReply(const RadiusReply& reply);

class RadiusAccounting {
 public:
  // `now` may be empty: then no Event-Timestamp is sent.
  RadiusAccounting(std::unique_ptr<RadiusClient> client, NasIdentity nas, WallClock now = {});
  // Cancels pending requests (the client goes with it): no `done` runs
  // afterwards.
  ~RadiusAccounting();
  RadiusAccounting(const RadiusAccounting&) = delete;
  RadiusAccounting& operator=(const RadiusAccounting&) = delete;

  // Sends one Accounting-Request. `done` runs exactly once, through the
  // loop, unless this object is destroyed first; it may be empty.
  void Send(const AcctEvent& ev, const std::vector<std::vector<uint8_t>>& classes,
            bool radius_authenticated, std::function<void(AcctOutcome)> done);

  const RadiusAcctCounters& counters() const { return counters_; }
  const RadiusClient& client() const { return *client_; }

 private:
  std::unique_ptr<RadiusClient> client_;
  NasIdentity nas_;
  WallClock now_;
  RadiusAcctCounters counters_;
  log::RateLimit limiter_;
};

}  // namespace mlppp::aaa::radius
