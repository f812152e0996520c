// Feeds EAP packets (RFC 3748 §4) to the codec, to authenticators in local
// MD5 and radius-proxy mode, and to a peer. The input is a series of
// <length octet><packet> records; a zero length advances the clock so the
// retransmission and timeout paths run too. The proxy back end answers
// with a challenge built from the last packet it was given, so the
// pass-through path sees hostile back-end messages as well.
#include "ppp/auth/eap.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "aaa/chap_digest.h"
#include "event/fake_loop.h"

namespace {

class FuzzBackend : public mlppp::aaa::AuthBackend {
 public:
  void Authenticate(const mlppp::aaa::AuthRequest& req,
                    std::function<void(mlppp::aaa::AuthResult)> done) override {
    mlppp::aaa::AuthResult r;
    if (req.proto == mlppp::aaa::AuthProto::kChapMd5) {
      auto want = mlppp::aaa::ChapMd5Response(req.chap_id, "secret", req.chap_challenge);
      r.ok = req.chap_response.size() == want.size() &&
             std::equal(want.begin(), want.end(), req.chap_response.begin());
    } else {
      // Echo the peer's packet back as the "server's" next message, with
      // its code octet turned into whatever the packet's id selects.
      ++calls_;
      r.eap_message = req.eap_message;
      if (!r.eap_message.empty()) r.eap_message[0] = static_cast<uint8_t>(calls_ % 5);
      r.challenge = calls_ % 3 != 0;
      r.ok = calls_ % 7 == 0;
      r.state = req.state;
      r.state.push_back(static_cast<uint8_t>(calls_));
    }
    done(r);
  }

 private:
  unsigned calls_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  (void)ppp::ParseEapPacket(std::span(data, size));
  if (auto p = ppp::ParseEapPacket(std::span(data, size))) {
    (void)ppp::ParseEapMd5Data(p->data);
    (void)ppp::SerializeEapBytes(*p);
  }

  event::FakeLoop loop;
  FuzzBackend backend;
  size_t sent = 0;
  ppp::ControlSender send = [&sent](uint16_t, Packet&& p) { sent += p.size(); };
  ppp::AuthTiming timing;
  timing.max_tries = 3;
  // A fixed "random" source keeps runs reproducible; the fuzzer can then
  // guess the Identifiers (0, then 1).
  ppp::RandomFill random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0); };
  ppp::EapOptions local;
  ppp::EapOptions proxy;
  proxy.radius_proxy = true;
  ppp::EapAuthenticator auth(loop, send, backend, random, timing, local, [](ppp::AuthOutcome) {});
  ppp::EapAuthenticator relay(loop, send, backend, random, timing, proxy, [](ppp::AuthOutcome) {});
  ppp::EapPeer peer(loop, send, "alice", "secret", timing, [](bool, std::string) {});
  auth.Start();
  relay.Start();
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
    relay.Input(pkt);
    peer.Input(pkt);
  }
  loop.Advance(std::chrono::seconds(60));
  return 0;
}
