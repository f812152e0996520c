// What the authentication fuzz targets (pap, chap, mschap, eap) share:
// header-only, since fuzz/CMakeLists.txt builds each target from its one
// fuzz/*.cc plus support/quiet_log.cc.
//
// The input is a series of <length octet><packet> records; a zero length
// advances the clock instead, so the retransmission and timeout paths run
// too. A fixed "random" source keeps runs reproducible, and lets the fuzzer
// guess the Identifiers we choose (0, then 1).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "aaa/auth_backend.h"
#include "aaa/chap_digest.h"
#include "aaa/mschap.h"
#include "core/packet.h"
#include "event/fake_loop.h"
#include "ppp/auth/auth.h"

namespace mlppp::fuzz {

// One back end for every protocol, each checked for real so the fuzzer can
// reach both verdicts: PAP user "user" / "pass"; CHAP-MD5 (and EAP-MD5)
// password "secret"; MS-CHAP password "secret", but also any Response
// value starting with 0x42 (with a made-up "S=") so the Success paths run.
// kEap (radius-proxy) echoes the peer's packet back as the "server's" next
// message, its code octet turned into whatever the call count selects, so
// the pass-through path sees hostile back-end messages as well.
class FuzzBackend : public aaa::AuthBackend {
 public:
  void Authenticate(const aaa::AuthRequest& req,
                    std::function<void(aaa::AuthResult)> done) override {
    done(Answer(req));
  }

 private:
  aaa::AuthResult Answer(const aaa::AuthRequest& req) {
    aaa::AuthResult r;
    switch (req.proto) {
      case aaa::AuthProto::kPap:
        r.ok = req.user == "user" && req.pap_password == "pass";
        return r;
      case aaa::AuthProto::kChapMd5: {
        auto want = aaa::ChapMd5Response(req.chap_id, "secret", req.chap_challenge);
        r.ok = req.chap_response.size() == want.size() &&
               std::equal(want.begin(), want.end(), req.chap_response.begin());
        return r;
      }
      case aaa::AuthProto::kChapMsV1:
      case aaa::AuthProto::kChapMsV2:
        if (!req.chap_response.empty() && req.chap_response[0] == 0x42) {
          r.ok = true;
          r.mschap_success = "S=" + std::string(40, 'A');
          r.mppe = aaa::MppeKeys{};
          return r;
        }
        return aaa::VerifyMsChapPassword(req, "secret");
      case aaa::AuthProto::kEap:
        ++eap_calls_;
        r.eap_message = req.eap_message;
        if (!r.eap_message.empty()) r.eap_message[0] = static_cast<uint8_t>(eap_calls_ % 5);
        r.challenge = eap_calls_ % 3 != 0;
        r.ok = eap_calls_ % 7 == 0;
        r.state = req.state;
        r.state.push_back(static_cast<uint8_t>(eap_calls_));
        return r;
    }
    return r;
  }

  unsigned eap_calls_ = 0;
};

// The loop, back end, sender, timing and random source a target's
// authenticators and peers are built from.
struct AuthFuzzEnv {
  AuthFuzzEnv() { timing.max_tries = 3; }
  AuthFuzzEnv(const AuthFuzzEnv&) = delete;  // `send` points at this object
  AuthFuzzEnv& operator=(const AuthFuzzEnv&) = delete;

  event::FakeLoop loop;
  FuzzBackend backend;
  size_t sent = 0;  // octets sent; the frames themselves are dropped
  ppp::ControlSender send = [this](uint16_t, Packet&& p) { sent += p.size(); };
  ppp::AuthTiming timing;
  ppp::RandomFill random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0); };

  // Feeds each record of `data` to `input`, advancing the clock by one
  // restart interval on a zero length; then lets every timer run out.
  void Run(const uint8_t* data, size_t size,
           const std::function<void(std::span<const uint8_t>)>& input) {
    std::span<const uint8_t> in(data, size);
    while (!in.empty()) {
      size_t n = in[0];
      in = in.subspan(1);
      if (n == 0) {
        loop.Advance(std::chrono::seconds(3));
        continue;
      }
      n = std::min(n, in.size());
      input(in.first(n));
      in = in.subspan(n);
    }
    loop.Advance(std::chrono::seconds(60));
  }
};

}  // namespace mlppp::fuzz
