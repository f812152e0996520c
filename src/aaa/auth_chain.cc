#include "aaa/auth_chain.h"

#include <utility>

namespace mlppp::aaa {

void AuthChain::Add(std::string name, std::unique_ptr<AuthBackend> owned) {
  AuthBackend* raw = owned.get();
  steps_.push_back({std::move(name), std::move(owned), raw});
}

void AuthChain::Add(std::string name, AuthBackend& borrowed) {
  steps_.push_back({std::move(name), nullptr, &borrowed});
}

std::vector<std::string> AuthChain::names() const {
  std::vector<std::string> v;
  for (const Step& s : steps_) v.push_back(s.name);
  return v;
}

void AuthChain::Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) {
  Try(0, std::make_shared<const AuthRequest>(req), std::move(done));
}

void AuthChain::Try(size_t i, std::shared_ptr<const AuthRequest> req,
                    std::function<void(AuthResult)> done) {
  if (i >= steps_.size()) {
    AuthResult r;
    r.message =
        steps_.empty() ? "no authentication back end enabled" : "no back end could check the login";
    done(std::move(r));
    return;
  }
  std::weak_ptr<int> alive = alive_;
  steps_[i].backend->Authenticate(
      *req, [this, i, req, alive, done = std::move(done)](AuthResult r) mutable {
        if (alive.expired()) return;
        if (r.undecided && !r.ok && !r.challenge) {
          Try(i + 1, std::move(req), std::move(done));
          return;
        }
        done(std::move(r));
      });
}

}  // namespace mlppp::aaa
