// The back ends a link uses, tried in mpd5's order (auth.c AuthAsync):
// ext-auth or radius-auth, then pam-auth, system-auth, internal. The first
// definite answer (accept, reject, or an EAP challenge) ends the chain; an
// undecided one (server unreachable, method not handled) passes the request
// on, so internal (mpd.secret) is the fallback when RADIUS does not answer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aaa/auth_backend.h"

namespace mlppp::aaa {

class AuthChain : public AuthBackend {
 public:
  // Back ends are tried in the order added. Owned or borrowed (shared ones
  // such as the internal back end, which all links use).
  void Add(std::string name, std::unique_ptr<AuthBackend> owned);
  void Add(std::string name, AuthBackend& borrowed);
  bool empty() const { return steps_.empty(); }
  std::vector<std::string> names() const;

  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;

 private:
  struct Step {
    std::string name;
    std::unique_ptr<AuthBackend> owned;
    AuthBackend* backend;
  };
  void Try(size_t i, std::shared_ptr<const AuthRequest> req, std::function<void(AuthResult)> done);

  std::vector<Step> steps_;
  // Outstanding callbacks hold a weak reference: a chain destroyed while a
  // back end still works never gets called back.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace mlppp::aaa
