// Feeds EAP packets (RFC 3748 §4) to the codec, to authenticators in local
// MD5 and radius-proxy mode, and to a peer, as <length octet><packet>
// records (fuzz/support/auth_fuzz.h, whose back end answers radius-proxy
// requests with hostile messages built from the peer's packets).
#include "ppp/auth/eap.h"

#include <cstddef>
#include <cstdint>
#include <span>

#include "support/auth_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  (void)ppp::ParseEapPacket(std::span(data, size));
  if (auto p = ppp::ParseEapPacket(std::span(data, size))) {
    (void)ppp::ParseEapMd5Data(p->data);
    (void)ppp::SerializeEapBytes(*p);
  }

  fuzz::AuthFuzzEnv env;
  ppp::EapOptions local;
  ppp::EapOptions proxy;
  proxy.radius_proxy = true;
  ppp::EapAuthenticator auth(env.loop, env.send, env.backend, env.random, env.timing, local,
                             [](ppp::AuthOutcome) {});
  ppp::EapAuthenticator relay(env.loop, env.send, env.backend, env.random, env.timing, proxy,
                              [](ppp::AuthOutcome) {});
  ppp::EapPeer peer(env.loop, env.send, "alice", "secret", env.timing, [](bool, std::string) {});
  auth.Start();
  relay.Start();
  peer.Start();
  env.Run(data, size, [&](std::span<const uint8_t> pkt) {
    auth.Input(pkt);
    relay.Input(pkt);
    peer.Input(pkt);
  });
  return 0;
}
