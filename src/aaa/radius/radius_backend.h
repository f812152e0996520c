// The radius-auth back end (mpd5 radius.c RadiusAuthenticate): every login
// becomes an Access-Request to the link's `set radius server`s, through the
// asynchronous RadiusClient; the verified reply becomes the session's
// AuthResult. A server that never answers leaves the login undecided, so
// the next back end (mpd.secret, as in mpd5) may still decide.
#pragma once

#include <memory>

#include "aaa/auth_backend.h"
#include "aaa/radius/access.h"
#include "aaa/radius/client.h"

namespace mlppp::aaa::radius {

class RadiusAuthBackend : public AuthBackend {
 public:
  RadiusAuthBackend(std::unique_ptr<RadiusClient> client, NasIdentity nas);
  ~RadiusAuthBackend() override;

  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;

  const RadiusClient& client() const { return *client_; }

 private:
  std::unique_ptr<RadiusClient> client_;
  NasIdentity nas_;
  log::RateLimit limiter_;
};

}  // namespace mlppp::aaa::radius
