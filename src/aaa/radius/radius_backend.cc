#include "aaa/radius/radius_backend.h"

#include <utility>

namespace mlppp::aaa::radius {

RadiusAuthBackend::RadiusAuthBackend(std::unique_ptr<RadiusClient> client, NasIdentity nas)
    : client_(std::move(client)), nas_(std::move(nas)) {}

RadiusAuthBackend::~RadiusAuthBackend() = default;

void RadiusAuthBackend::Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) {
  auto packet = BuildAccessRequest(req, nas_);
  if (!packet) {
    AuthResult r;
    r.message = fmt::format("RADIUS: cannot express this {} request", AuthProtoName(req.proto));
    done(std::move(r));
    return;
  }
  MLOG_DEBUG(kRadius, "RADIUS: Access-Request for \"{}\" ({})", req.user, AuthProtoName(req.proto));
  // The client outlives its callbacks (it cancels them when destroyed), so
  // `this` is safe inside them.
  client_->Send(std::move(*packet), RequestKind::kAuth,
                [this, req, done = std::move(done)](RadiusReply reply) {
                  AuthResult r;
                  if (reply.status != ReplyStatus::kOk) {
                    r.undecided = true;
                    r.message = fmt::format("RADIUS: {}{}{}", ReplyStatusName(reply.status),
                                            reply.error.empty() ? "" : ": ", reply.error);
                    uint64_t suppressed = 0;
                    if (limiter_.Allow(&suppressed))
                      MLOG_WARN(kRadius, "RADIUS: no verdict for \"{}\": {}", req.user, r.message);
                    done(std::move(r));
                    return;
                  }
                  RadiusPacket sent;
                  sent.authenticator = reply.request_authenticator;
                  const std::string& secret = client_->config().servers[reply.server].secret;
                  r = ReadAccessReply(reply.packet, sent, req, secret);
                  MLOG_INFO(kRadius, "RADIUS: {} for \"{}\" from server {}",
                            CodeName(reply.packet.code), req.user,
                            client_->config().servers[reply.server].host);
                  done(std::move(r));
                });
}

}  // namespace mlppp::aaa::radius
