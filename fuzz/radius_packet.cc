// Feeds arbitrary datagrams to the RADIUS codec (RFC 2865 §3, §5) and its
// checks: Parse, re-serialization, Response/Request Authenticator and
// Message-Authenticator verification (RFC 3579 §3.2), User-Password and
// MS-MPPE key decryption (RFC 2865 §5.2, RFC 2548 §2.4.2), and the client's
// reply path (as a reply to a pending Access-Request and Accounting-Request).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "aaa/radius/client.h"
#include "aaa/radius/packet.h"
#include "event/fake_loop.h"

namespace {

using namespace mlppp::aaa::radius;

class Socket : public DatagramSocket {
 public:
  explicit Socket(DatagramReceiver* slot, DatagramReceiver rx) : slot_(slot) {
    *slot_ = std::move(rx);
  }
  ~Socket() override { *slot_ = nullptr; }
  void Send(std::span<const uint8_t>) override {}

 private:
  DatagramReceiver* slot_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  std::span<const uint8_t> in(data, size);
  const Authenticator ra{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

  (void)VerifyResponseAuthenticator(in, ra, "secret");
  (void)VerifyRequestAuthenticator(in, "secret");
  (void)VerifyMessageAuthenticator(in, ra, "secret");
  std::vector<uint8_t> copy(in.begin(), in.end());
  (void)SignMessageAuthenticator(copy, ra, "secret");

  ParseError why;
  auto p = Parse(in, &why);
  if (p) {
    // Round trip: what we serialize parses back to the same attributes.
    // (Serialize may refuse: a VSA holding several sub-attributes grows by
    // six octets per extra one and can pass 4096.)
    if (auto wire = Serialize(*p)) {
      auto again = Parse(*wire);
      if (!again || again->attributes != p->attributes || again->id != p->id) std::abort();
    }
    for (const auto& a : p->attributes) {
      (void)UnhidePassword(a.value, "secret", ra);
      (void)DecryptMppeKey(a.value, "secret", ra);
    }
    (void)p->Concat(Attr::kEapMessage);
    (void)p->FindU32(Attr::kSessionTimeout);
  }

  // The client's reply path.
  event::FakeLoop loop;
  DatagramReceiver auth_rx, acct_rx;
  RadiusClientConfig cfg;
  cfg.servers.push_back({"192.0.2.1", 1812, 1813, "secret"});
  RadiusClient client(
      loop,
      [&](const std::string&, uint16_t port, DatagramReceiver rx) {
        return std::make_unique<Socket>(port == 1812 ? &auth_rx : &acct_rx, std::move(rx));
      },
      [](std::span<uint8_t> out) {
        for (auto& b : out) b = 0x5a;
      },
      cfg);
  RadiusPacket req;
  req.code = static_cast<uint8_t>(Code::kAccessRequest);
  req.AddString(Attr::kUserName, "user");
  client.Send(req, RequestKind::kAuth, [](RadiusReply) {});
  RadiusPacket acct;
  acct.code = static_cast<uint8_t>(Code::kAccountingRequest);
  client.Send(acct, RequestKind::kAcct, [](RadiusReply) {});
  if (size >= 2) {
    // Aim at the pending request: identifier 0 on both sockets.
    copy[1] = 0;
    if (auth_rx) auth_rx(copy);
    if (acct_rx) acct_rx(copy);
  }
  loop.RunPending();
  return 0;
}
