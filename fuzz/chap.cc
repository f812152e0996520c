// Feeds CHAP-MD5 packets (RFC 1994 §4) to an authenticator and a peer. The
// input is a series of <length octet><packet> records; a zero length
// advances the clock so the retransmission and timeout paths run too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "aaa/chap_digest.h"
#include "event/fake_loop.h"
#include "ppp/auth/chap_md5.h"

namespace {

class CheckSecret : public mlppp::aaa::AuthBackend {
 public:
  void Authenticate(const mlppp::aaa::AuthRequest& req,
                    std::function<void(mlppp::aaa::AuthResult)> done) override {
    auto want = mlppp::aaa::ChapMd5Response(req.chap_id, "secret", req.chap_challenge);
    mlppp::aaa::AuthResult r;
    r.ok = req.chap_response.size() == want.size() &&
           std::equal(want.begin(), want.end(), req.chap_response.begin());
    done(r);
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
  ppp::ChapMd5Authenticator auth(loop, send, backend, random, timing, [](ppp::AuthOutcome) {});
  ppp::ChapMd5Peer peer(loop, send, "alice", "secret", timing, [](bool, std::string) {});
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
  }
  loop.Advance(std::chrono::seconds(60));
  return 0;
}
