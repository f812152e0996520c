#include "daemon/auth_setup.h"

#include <openssl/rand.h>

#include <ctime>

#include "aaa/ext_backend.h"
#include "aaa/pam_backend.h"
#include "aaa/radius/radius_backend.h"
#include "aaa/system_backend.h"
#include "core/log.h"
#include "os/hostname.h"
#include "os/resolve.h"
#include "os/udp_socket.h"

namespace mlppp::daemon {
namespace {

// A RADIUS client for the link's servers, with the NAS identity it sends.
std::unique_ptr<aaa::radius::RadiusClient> MakeRadiusClient(event::AsioLoop& loop,
                                                            const config::LinkConf& conf,
                                                            aaa::radius::NasIdentity* nas) {
  namespace r = aaa::radius;
  const config::RadiusConf& c = conf.radius;
  r::RadiusClientConfig rc;
  for (const auto& s : c.servers) {
    std::string host = os::ResolveHost(s.host);
    if (host.empty()) {
      MLOG_ERROR(kRadius, "[{}] RADIUS server {} does not resolve; skipped", conf.name, s.host);
      continue;
    }
    rc.servers.push_back({host, s.auth_port, s.acct_port, s.secret});
  }
  if (rc.servers.empty()) return nullptr;
  rc.timeout = std::chrono::seconds(c.timeout);
  rc.retries = c.retries;
  nas->identifier = c.identifier.empty() ? os::Hostname() : c.identifier;
  rc.nas_identifier = nas->identifier;
  in_addr me{};
  if (!c.me.empty() && inet_pton(AF_INET, c.me.c_str(), &me) == 1) nas->ip = ntohl(me.s_addr);
  return std::make_unique<r::RadiusClient>(
      loop, os::UdpSocketFactory(loop.context(), c.src_addr),
      [](std::span<uint8_t> out) { RAND_bytes(out.data(), static_cast<int>(out.size())); }, rc);
}

}  // namespace

aaa::radius::RadiusCounters RadiusStats::Sum() const {
  aaa::radius::RadiusCounters t;
  for (const auto* c : clients_) {
    t.requests += c->requests;
    t.sent += c->sent;
    t.retransmits += c->retransmits;
    t.failovers += c->failovers;
    t.timeouts += c->timeouts;
    t.replies += c->replies;
    t.malformed += c->malformed;
    t.unknown_id += c->unknown_id;
    t.wrong_code += c->wrong_code;
    t.bad_authenticator += c->bad_authenticator;
    t.missing_message_authenticator += c->missing_message_authenticator;
    t.bad_message_authenticator += c->bad_message_authenticator;
  }
  return t;
}

std::unique_ptr<aaa::AuthBackend> MakeRadiusAuth(event::AsioLoop& loop,
                                                 const config::LinkConf& conf, RadiusStats* stats) {
  aaa::radius::NasIdentity nas;
  auto client = MakeRadiusClient(loop, conf, &nas);
  if (!client) return nullptr;
  if (stats) stats->Add(&client->counters());
  return std::make_unique<aaa::radius::RadiusAuthBackend>(std::move(client), std::move(nas));
}

AcctBackends MakeAcctBackends(event::AsioLoop& loop, const config::LinkConf& conf,
                              const aaa::RunBlocking& run_blocking, RadiusStats* stats) {
  AcctBackends b;
  const config::AuthConf& a = conf.auth;
  if (a.radius_acct) {
    aaa::radius::NasIdentity nas;
    if (auto client = MakeRadiusClient(loop, conf, &nas)) {
      if (stats) stats->Add(&client->counters());
      b.radius = std::make_unique<aaa::radius::RadiusAccounting>(
          std::move(client), std::move(nas),
          [] { return static_cast<uint32_t>(std::time(nullptr)); });
    } else {
      MLOG_ERROR(kRadius, "[{}] radius-acct enabled without a usable `set radius server`",
                 conf.name);
    }
  }
  if (a.pam_acct) b.pam = std::make_unique<aaa::PamAcct>(run_blocking);
  if (a.system_acct) b.system = std::make_unique<aaa::SystemAcct>(run_blocking);
  if (a.ext_acct) {
    if (a.extacct_script.empty())
      MLOG_ERROR(kAuth, "[{}] ext-acct enabled without `set auth extacct-script`", conf.name);
    else
      b.ext = std::make_unique<aaa::ExtAcct>(a.extacct_script, run_blocking);
  }
  return b;
}

std::unique_ptr<aaa::AuthChain> MakeAuthChain(const config::LinkConf& conf, const AuthDeps& deps) {
  const config::AuthConf& a = conf.auth;
  auto chain = std::make_unique<aaa::AuthChain>();
  if (a.ext_auth) {
    if (a.extauth_script.empty())
      MLOG_ERROR(kAuth, "[{}] ext-auth enabled without `set auth extauth-script`", conf.name);
    else
      chain->Add("ext-auth",
                 std::make_unique<aaa::ExtAuthBackend>(a.extauth_script, deps.run_blocking));
  } else if (a.radius_auth) {
    if (conf.radius.servers.empty())
      MLOG_ERROR(kRadius, "[{}] radius-auth enabled without `set radius server`", conf.name);
    else if (!deps.make_radius)
      MLOG_ERROR(kRadius, "[{}] radius-auth is not available", conf.name);
    else if (auto r = deps.make_radius(conf))
      chain->Add("radius-auth", std::move(r));
  }
  if (a.pam_auth) chain->Add("pam-auth", std::make_unique<aaa::PamBackend>(deps.run_blocking));
  if (a.system_auth)
    chain->Add("system-auth", std::make_unique<aaa::SystemBackend>(deps.run_blocking));
  if (a.internal && deps.internal) chain->Add("internal", *deps.internal);
  return chain;
}

}  // namespace mlppp::daemon
