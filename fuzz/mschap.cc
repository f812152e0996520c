// Feeds MS-CHAP packets (RFC 2433, RFC 2759 §3-§7) to v1 and v2
// authenticators and peers, as <length octet><packet> records
// (fuzz/support/auth_fuzz.h, whose back end also accepts any Response value
// starting with 0x42 so the Success paths run).
#include "ppp/auth/mschap.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "support/auth_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  fuzz::AuthFuzzEnv env;
  std::unique_ptr<ppp::Authenticator> auths[2];
  std::unique_ptr<ppp::AuthPeer> peers[2];
  for (int i = 0; i < 2; ++i) {
    auto v = i == 0 ? ppp::MsChapVersion::kV1 : ppp::MsChapVersion::kV2;
    auths[i] = std::make_unique<ppp::MsChapAuthenticator>(
        v, env.loop, env.send, env.backend, env.random, env.timing, [](ppp::AuthOutcome) {});
    peers[i] = std::make_unique<ppp::MsChapPeer>(v, env.loop, env.send, "alice", "secret",
                                                 env.random, env.timing, [](bool, std::string) {});
    auths[i]->Start();
    peers[i]->Start();
  }
  env.Run(data, size, [&](std::span<const uint8_t> pkt) {
    for (int i = 0; i < 2; ++i) {
      auths[i]->Input(pkt);
      peers[i]->Input(pkt);
    }
  });
  for (auto& p : peers) (void)p->mppe_keys();
  return 0;
}
