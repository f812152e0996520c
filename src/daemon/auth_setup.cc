#include "daemon/auth_setup.h"

#include "aaa/ext_backend.h"
#include "aaa/pam_backend.h"
#include "aaa/system_backend.h"
#include "core/log.h"

namespace mlppp::daemon {

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
