// Feeds arbitrary datagrams to the RADIUS Dynamic Authorization server
// (RFC 5176): once as received (mostly discarded by the authenticator
// check), and once fixed up into a Disconnect- or CoA-Request with a valid
// Length, Message-Authenticator (RFC 3579 §3.2) and Request Authenticator
// (RFC 5176 §2.3), so the attribute handling and the replies run too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "aaa/radius/dae.h"
#include "aaa/radius/packet.h"
#include "event/fake_loop.h"

namespace {

using namespace mlppp::aaa::radius;

class Target : public DaeTarget {
 public:
  std::vector<std::string> FindSessions(const SessionSelector& sel) override {
    if (sel.Empty()) std::abort();  // the server must not ask with no selector
    if (sel.user_name && *sel.user_name == "nobody") return {};
    return {"s1", "s2"};
  }
  void Disconnect(const std::string&) override {}
  bool ApplyCoa(const std::string&, const CoaChanges& c) override {
    return !c.session_timeout || *c.session_timeout != 0;
  }
};

constexpr const char* kSecret = "secret";

void Check(const std::optional<std::vector<uint8_t>>& reply, std::span<const uint8_t> request) {
  if (!reply) return;
  // Every reply is a well-formed, correctly signed response.
  Authenticator ra{};
  std::copy_n(request.begin() + 4, 16, ra.begin());
  if (!Parse(*reply).ok()) std::abort();
  if (!VerifyResponseAuthenticator(*reply, ra, kSecret)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  event::FakeLoop loop;
  Target target;
  DaeConfig cfg;
  cfg.peers.push_back({"192.0.2.1", kSecret});
  cfg.nas_ip = 0xc0000202;
  cfg.nas_identifier = "nas";
  cfg.coa = size % 3 != 0;
  cfg.wall_clock = [] { return int64_t{1700000000}; };
  DaeServer server(loop, target, cfg);

  std::span<const uint8_t> in(data, size);
  Check(server.Handle(in, "192.0.2.1"), in);
  (void)server.Handle(in, "192.0.2.99");

  if (size < kHeaderSize || size > kMaxPacketSize) return 0;
  std::vector<uint8_t> req(in.begin(), in.end());
  req[0] = (req[0] & 1) ? 43 : 40;
  req[2] = static_cast<uint8_t>(size >> 8);
  req[3] = static_cast<uint8_t>(size);
  std::fill(req.begin() + 4, req.begin() + 20, 0);
  (void)SignMessageAuthenticator(req, Authenticator{}, kSecret);
  SignAuthenticator(req, Authenticator{}, kSecret);
  auto first = server.Handle(req, "192.0.2.1");
  Check(first, req);
  // A retransmission gets the same reply.
  auto again = server.Handle(req, "192.0.2.1");
  if (first.has_value() != again.has_value() || (first && *first != *again)) std::abort();
  return 0;
}
