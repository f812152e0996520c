#include "ppp/auth/mschap.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

#include "ppp/cp_packet.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint16_t kChapProto = static_cast<uint16_t>(Proto::kChap);

size_t ChallengeSize(MsChapVersion v) {
  return v == MsChapVersion::kV1 ? aaa::kMsChapV1ChallengeSize : aaa::kMsChapV2ChallengeSize;
}

bool IsChangePassword(uint8_t code) {
  return code >= static_cast<uint8_t>(MsChapCode::kChangePasswordV1) &&
         code <= static_cast<uint8_t>(MsChapCode::kChangePassword);
}

}  // namespace

std::string_view MsChapVersionName(MsChapVersion v) {
  return v == MsChapVersion::kV1 ? "MS-CHAPv1" : "MS-CHAPv2";
}

std::string_view MsChapCodeName(uint8_t code) {
  switch (static_cast<MsChapCode>(code)) {
    case MsChapCode::kChallenge:
      return "Challenge";
    case MsChapCode::kResponse:
      return "Response";
    case MsChapCode::kSuccess:
      return "Success";
    case MsChapCode::kFailure:
      return "Failure";
    case MsChapCode::kChangePasswordV1:
      return "Change-Password-v1";
    case MsChapCode::kChangePasswordV2:
      return "Change-Password-v2";
    case MsChapCode::kChangePassword:
      return "Change-Password";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------

MsChapAuthenticator::MsChapAuthenticator(MsChapVersion version, event::Loop& loop,
                                         ControlSender send, aaa::AuthBackend& backend,
                                         RandomFill random, AuthTiming timing,
                                         std::function<void(AuthOutcome)> done, std::string name)
    : ChapAuthenticatorBase(
          MsChapVersionName(version),
          version == MsChapVersion::kV1 ? aaa::AuthProto::kChapMsV1 : aaa::AuthProto::kChapMsV2,
          ChallengeSize(version), aaa::kMsChapResponseSize, loop, std::move(send), backend,
          std::move(random), timing, std::move(done), std::move(name)),
      version_(version) {}

void MsChapAuthenticator::Input(std::span<const uint8_t> info) {
  if (auto h = SplitCpPacket(info); h && IsChangePassword(h->code)) {
    // Only sent after a Failure with E=648 or R=1, which we never send
    // ourselves; a back end that did gets a clean failure, not a crash.
    Drop("{}: {} id {} dropped: changing passwords is not supported", tag_, MsChapCodeName(h->code),
         h->id);
    return;
  }
  ChapAuthenticatorBase::Input(info);
}

void MsChapAuthenticator::OnVerdict(aaa::AuthResult result) {
  if (result.ok && version_ == MsChapVersion::kV2 &&
      (result.mschap_success.size() != aaa::kMsChapAuthResponseSize ||
       result.mschap_success.compare(0, 2, "S=") != 0)) {
    // RFC 2759 §5: the peer checks our "S=" and hangs up without it; say
    // why here rather than leave a failure the peer's log alone explains.
    MLOG_ERROR(kAuth, "{}: back end accepted \"{}\" without an authenticator response; refused",
               tag_, peer_name_);
    result.ok = false;
    result.mppe.reset();
    result.message = "no authenticator response from the back end";
  }
  std::string message = VerdictMessage(result);
  std::string text;
  if (result.ok) {
    text = version_ == MsChapVersion::kV2 ? result.mschap_success + " M=" + message : message;
  } else {
    text = !result.mschap_error.empty()
               ? result.mschap_error
               : aaa::MsChapFailureText(proto(), challenge(), "Authentication failed");
    result.mppe.reset();
  }
  Answer(std::move(result), message, std::move(text));
}

// ---------------------------------------------------------------------------

MsChapPeer::MsChapPeer(MsChapVersion version, event::Loop& loop, ControlSender send,
                       std::string authname, std::string_view password, RandomFill random,
                       AuthTiming timing, std::function<void(bool ok, std::string message)> done)
    : AuthPeerBase(MsChapVersionName(version), loop, std::move(send), timing, std::move(done)),
      version_(version),
      authname_(std::move(authname)),
      password_hash_(aaa::NtPasswordHash(password)),
      random_(std::move(random)) {}

MsChapPeer::~MsChapPeer() {
  OPENSSL_cleanse(password_hash_.data(), password_hash_.size());
  if (keys_) OPENSSL_cleanse(&*keys_, sizeof(*keys_));
}

void MsChapPeer::Input(std::span<const uint8_t> info) {
  auto p = ParseStarted(info, ParseChapPacket);
  if (!p) return;
  switch (static_cast<MsChapCode>(p->code)) {
    case MsChapCode::kChallenge:
      MLOG_DEBUG(kAuth, "{}: rec'd Challenge id {} name \"{}\"", tag_, p->id, p->name);
      if (p->value.size() != ChallengeSize(version_)) {
        Drop("{}: Challenge of {} octets (want {}) dropped", tag_, p->value.size(),
             ChallengeSize(version_));
        return;
      }
      if (answered_ && p->id == id_ && std::ranges::equal(p->value, auth_challenge_)) {
        // A retransmission: our Response may have been lost. The same
        // Response again, since the authenticator may already be checking
        // the first one and will sign that Peer-Challenge.
        SendResponse();
        return;
      }
      retries_ = 0;
      Answer(p->id, p->value);
      return;
    case MsChapCode::kSuccess:
    case MsChapCode::kFailure: {
      if (answered_ && p->id == id_ && finished()) return;  // a repeat after we finished
      if (!answered_ || p->id != id_) {
        Drop("{}: {} id {} does not match our Response, dropped", tag_, MsChapCodeName(p->code),
             p->id);
        return;
      }
      if (p->code == static_cast<uint8_t>(MsChapCode::kSuccess)) {
        OnSuccess(p->message);
      } else {
        OnFailure(p->message);
      }
      return;
    }
    default:
      Drop("{}: unexpected {} dropped", tag_, MsChapCodeName(p->code));
      return;
  }
}

void MsChapPeer::Answer(uint8_t id, std::span<const uint8_t> challenge) {
  id_ = id;
  answered_ = true;
  auth_challenge_.assign(challenge.begin(), challenge.end());
  if (version_ == MsChapVersion::kV2) {
    // RFC 2759 §4: a new random Peer-Challenge for every Response.
    random_(peer_challenge_);
    std::span<const uint8_t, 16> ac(auth_challenge_.data(), 16);
    nt_response_ = aaa::GenerateNTResponse(ac, peer_challenge_, authname_, password_hash_);
    aaa::MsChapV2Response r;
    r.peer_challenge = peer_challenge_;
    r.nt_response = nt_response_;
    response_value_ = aaa::SerializeMsChapV2Response(r);
  } else {
    // RFC 2433 §3: no LM response (zeros) and Flags 1, "use the NT response".
    std::span<const uint8_t, 8> ac(auth_challenge_.data(), 8);
    nt_response_ = aaa::ChallengeResponse(ac, password_hash_);
    aaa::MsChapV1Response r;
    r.nt_response = nt_response_;
    response_value_ = aaa::SerializeMsChapV1Response(r);
  }
  SendResponse();
}

void MsChapPeer::SendResponse() {
  ChapPacket r;
  r.code = static_cast<uint8_t>(MsChapCode::kResponse);
  r.id = id_;
  r.value = response_value_;
  r.name = authname_;
  ++responses_sent_;
  MLOG_DEBUG(kAuth, "{}: send Response id {}", tag_, id_);
  send_(kChapProto, SerializeChapPacket(r));
}

void MsChapPeer::OnSuccess(const std::string& message) {
  if (version_ == MsChapVersion::kV2) {
    // RFC 2759 §5, §8.8: mutual authentication. An authenticator that does
    // not know our password cannot produce this, so without it we stop.
    std::span<const uint8_t, 16> ac(auth_challenge_.data(), 16);
    if (!aaa::CheckAuthenticatorResponse(password_hash_, nt_response_, peer_challenge_, ac,
                                         authname_, message)) {
      Finish(false, std::string(tag_) + ": bad authenticator response in Success");
      return;
    }
    keys_ = aaa::MsChapV2MppeKeys(password_hash_, nt_response_, false);
  } else {
    std::span<const uint8_t, 8> ac(auth_challenge_.data(), 8);
    keys_ = aaa::MsChapV1MppeKeys(password_hash_, ac);
  }
  std::string_view text = message;
  if (auto m = text.find("M="); m != std::string_view::npos) text.remove_prefix(m + 2);
  Finish(true, std::string(tag_) + ": " + (text.empty() ? "accepted" : std::string(text)));
}

void MsChapPeer::OnFailure(const std::string& message) {
  auto f = aaa::ParseMsChapFailure(message);
  std::string why =
      fmt::format("{}: rejected, E={} ({}){}{}", tag_, f.error, aaa::MsChapErrorName(f.error),
                  f.message.empty() ? "" : ": ", f.message);
  if (f.error == static_cast<uint16_t>(aaa::MsChapError::kPasswdExpired)) {
    // RFC 2759 §7 / RFC 2433 §5-6 would have us send Change-Password; we
    // have no new password to offer, so this is a plain failure.
    MLOG_WARN(kAuth, "{}: password expired; changing it (Change-Password) is not supported", tag_);
    Finish(false, why);
    return;
  }
  if (!f.retry || retries_ >= timing_.max_tries) {
    Finish(false, why);
    return;
  }
  // R=1 (RFC 2759 §6, RFC 2433 §3): answer the new challenge with the next
  // Identifier.
  std::vector<uint8_t> next;
  if (f.challenge.size() == ChallengeSize(version_)) {
    next = f.challenge;
  } else if (version_ == MsChapVersion::kV1 && f.challenge.empty()) {
    next = auth_challenge_;  // RFC 2433 §3: the previous challenge plus 23 in its first octet
    next[0] = static_cast<uint8_t>(next[0] + 23);
  } else {
    Finish(false, why + " (retry offered without a usable C=)");
    return;
  }
  ++retries_;
  // Logged as a refusal: with a fixed password the retry rarely helps, and
  // the peer may hang up right after offering it (pppd does).
  MLOG_WARN(kAuth, "{}; retry {} allowed by peer, answering the new challenge", why, retries_);
  Answer(static_cast<uint8_t>(id_ + 1), next);
}

}  // namespace mlppp::ppp
