#include "ppp/auth/auth.h"

#include <utility>

#include "aaa/mschap.h"
#include "ppp/auth/chap_md5.h"
#include "ppp/auth/eap.h"
#include "ppp/auth/mschap.h"
#include "ppp/auth/pap.h"

namespace mlppp::ppp {

std::string_view AuthTypeName(AuthType t) {
  switch (t) {
    case AuthType::kNone:
      return "none";
    case AuthType::kPap:
      return "pap";
    case AuthType::kChapMd5:
      return "chap-md5";
    case AuthType::kChapMsV1:
      return "chap-msv1";
    case AuthType::kChapMsV2:
      return "chap-msv2";
    case AuthType::kEap:
      return "eap";
  }
  return "unknown";
}

std::unique_ptr<Authenticator> MakeAuthenticator(AuthType type, event::Loop& loop,
                                                 ControlSender send, aaa::AuthBackend& backend,
                                                 RandomFill random, AuthTiming timing,
                                                 const EapOptions& eap,
                                                 std::function<void(AuthOutcome)> done) {
  switch (type) {
    case AuthType::kPap:
      return std::make_unique<PapAuthenticator>(loop, std::move(send), backend, timing,
                                                std::move(done));
    case AuthType::kChapMd5:
      return std::make_unique<ChapMd5Authenticator>(loop, std::move(send), backend,
                                                    std::move(random), timing, std::move(done));
    case AuthType::kChapMsV1:
    case AuthType::kChapMsV2:
      return std::make_unique<MsChapAuthenticator>(
          type == AuthType::kChapMsV1 ? MsChapVersion::kV1 : MsChapVersion::kV2, loop,
          std::move(send), backend, std::move(random), timing, std::move(done));
    case AuthType::kEap:
      return std::make_unique<EapAuthenticator>(loop, std::move(send), backend, std::move(random),
                                                timing, eap, std::move(done));
    case AuthType::kNone:
      break;
  }
  return nullptr;  // REQUIRES violated; the caller checks
}

std::unique_ptr<AuthPeer> MakeAuthPeer(AuthType type, event::Loop& loop, ControlSender send,
                                       std::string authname, std::string password,
                                       RandomFill random, AuthTiming timing,
                                       std::function<void(bool ok, std::string message)> done) {
  switch (type) {
    case AuthType::kPap:
      return std::make_unique<PapPeer>(loop, std::move(send), std::move(authname),
                                       std::move(password), timing, std::move(done));
    case AuthType::kChapMd5:
      return std::make_unique<ChapMd5Peer>(loop, std::move(send), std::move(authname),
                                           std::move(password), timing, std::move(done));
    case AuthType::kChapMsV1:
    case AuthType::kChapMsV2:
      // The MS-CHAPv2 Peer-Challenge must be unpredictable (RFC 2759 §4):
      // it comes from the injected `random`.
      return std::make_unique<MsChapPeer>(
          type == AuthType::kChapMsV1 ? MsChapVersion::kV1 : MsChapVersion::kV2, loop,
          std::move(send), std::move(authname), password, std::move(random), timing,
          std::move(done));
    case AuthType::kEap:
      return std::make_unique<EapPeer>(loop, std::move(send), std::move(authname),
                                       std::move(password), timing, std::move(done));
    case AuthType::kNone:
      break;
  }
  return nullptr;
}

}  // namespace mlppp::ppp
