// Feeds CHAP-MD5 packets (RFC 1994 §4) to an authenticator and a peer, as
// <length octet><packet> records (fuzz/support/auth_fuzz.h).
#include <cstddef>
#include <cstdint>
#include <span>

#include "ppp/auth/chap_md5.h"
#include "support/auth_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  fuzz::AuthFuzzEnv env;
  ppp::ChapMd5Authenticator auth(env.loop, env.send, env.backend, env.random, env.timing,
                                 [](ppp::AuthOutcome) {});
  ppp::ChapMd5Peer peer(env.loop, env.send, "alice", "secret", env.timing,
                        [](bool, std::string) {});
  auth.Start();
  peer.Start();
  env.Run(data, size, [&](std::span<const uint8_t> pkt) {
    auth.Input(pkt);
    peer.Input(pkt);
  });
  return 0;
}
