// Feeds PAP packets (RFC 1334 §2) to an authenticator and a peer, as
// <length octet><packet> records (fuzz/support/auth_fuzz.h).
#include "ppp/auth/pap.h"

#include <cstddef>
#include <cstdint>
#include <span>

#include "support/auth_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  fuzz::AuthFuzzEnv env;
  ppp::PapAuthenticator auth(env.loop, env.send, env.backend, env.timing, [](ppp::AuthOutcome) {});
  ppp::PapPeer peer(env.loop, env.send, "user", "pass", env.timing, [](bool, std::string) {});
  auth.Start();
  peer.Start();
  env.Run(data, size, [&](std::span<const uint8_t> pkt) {
    auth.Input(pkt);
    peer.Input(pkt);
    (void)ppp::ParsePapPacket(pkt);
  });
  return 0;
}
