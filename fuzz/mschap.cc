// Feeds MS-CHAP packets (RFC 2433, RFC 2759 §3-§7) to v1 and v2
// authenticators and peers. The input is a series of <length octet><packet>
// records; a zero length advances the clock so the retransmission and
// timeout paths run too. The back end checks the password for real, but
// also accepts any Response value starting with 0x42 (with a made-up "S="),
// so the fuzzer reaches the Success paths as well.
#include "aaa/mschap.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "event/fake_loop.h"
#include "ppp/auth/mschap.h"

namespace {

class CheckSecret : public mlppp::aaa::AuthBackend {
 public:
  void Authenticate(const mlppp::aaa::AuthRequest& req,
                    std::function<void(mlppp::aaa::AuthResult)> done) override {
    if (!req.chap_response.empty() && req.chap_response[0] == 0x42) {
      mlppp::aaa::AuthResult r;
      r.ok = true;
      r.mschap_success = "S=" + std::string(40, 'A');
      r.mppe = mlppp::aaa::MppeKeys{};
      done(r);
      return;
    }
    done(mlppp::aaa::VerifyMsChapPassword(req, "secret"));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  event::FakeLoop loop;
  CheckSecret backend;
  size_t sent = 0;
  ppp::ControlSender send = [&sent](uint16_t, Packet&& p) { sent += p.size(); };
  ppp::AuthTiming timing;
  timing.max_tries = 3;
  // A fixed "random" source keeps runs reproducible; the fuzzer can then
  // guess the challenge Identifier (0).
  ppp::RandomFill random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0); };
  std::unique_ptr<ppp::Authenticator> auths[2];
  std::unique_ptr<ppp::AuthPeer> peers[2];
  for (int i = 0; i < 2; ++i) {
    auto v = i == 0 ? ppp::MsChapVersion::kV1 : ppp::MsChapVersion::kV2;
    auths[i] = std::make_unique<ppp::MsChapAuthenticator>(v, loop, send, backend, random, timing,
                                                          [](ppp::AuthOutcome) {});
    peers[i] = std::make_unique<ppp::MsChapPeer>(v, loop, send, "alice", "secret", random, timing,
                                                 [](bool, std::string) {});
    auths[i]->Start();
    peers[i]->Start();
  }
  std::span<const uint8_t> in(data, size);
  while (!in.empty()) {
    size_t n = in[0];
    in = in.subspan(1);
    if (n == 0) {
      loop.Advance(std::chrono::seconds(3));
      continue;
    }
    n = std::min(n, in.size());
    auto pkt = in.first(n);
    in = in.subspan(n);
    for (int i = 0; i < 2; ++i) {
      auths[i]->Input(pkt);
      peers[i]->Input(pkt);
    }
  }
  loop.Advance(std::chrono::seconds(60));
  for (auto& p : peers) (void)p->mppe_keys();
  return 0;
}
