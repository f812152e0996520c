// Feeds PAP packets (RFC 1334 §2) to an authenticator and a peer. The input
// is a series of <length octet><packet> records; a zero length advances the
// clock instead, so retransmission and timeout paths run too.
#include "ppp/auth/pap.h"

#include <cstddef>
#include <cstdint>
#include <span>

#include "event/fake_loop.h"

namespace {

class AcceptUser : public mlppp::aaa::AuthBackend {
 public:
  void Authenticate(const mlppp::aaa::AuthRequest& req,
                    std::function<void(mlppp::aaa::AuthResult)> done) override {
    mlppp::aaa::AuthResult r;
    r.ok = req.user == "user" && req.pap_password == "pass";
    done(r);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  event::FakeLoop loop;
  AcceptUser backend;
  size_t sent = 0;
  ppp::ControlSender send = [&sent](uint16_t, Packet&& p) { sent += p.size(); };
  ppp::AuthTiming timing;
  timing.max_tries = 3;
  ppp::PapAuthenticator auth(loop, send, backend, timing, [](ppp::AuthOutcome) {});
  ppp::PapPeer peer(loop, send, "user", "pass", timing, [](bool, std::string) {});
  auth.Start();
  peer.Start();
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
    auth.Input(pkt);
    peer.Input(pkt);
    (void)ppp::ParsePapPacket(pkt);
  }
  loop.Advance(std::chrono::seconds(60));
  return 0;
}
