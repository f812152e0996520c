#include "link/pppoe/client.h"

#include <algorithm>

#include "core/log.h"

namespace mlppp::link::pppoe {

std::string_view PppoeClient::StateName(State s) {
  switch (s) {
    case State::kIdle:
      return "Idle";
    case State::kDiscovering:
      return "Discovering";
    case State::kRequesting:
      return "Requesting";
    case State::kUp:
      return "Up";
    case State::kDown:
      return "Down";
  }
  return "unknown";
}

PppoeClient::PppoeClient(PppoePort* port, PppoeClientConfig config)
    : SessionDriver(port, config.iface), config_(std::move(config)) {
  // mpd5 `set pppoe service "AC-Name\Service-Name"` selects the AC too.
  std::string svc = config_.service;
  want_ac_ = config_.ac_name_wanted;
  if (auto slash = svc.find('\\'); slash != std::string::npos) {
    if (want_ac_.empty()) want_ac_ = svc.substr(0, slash);
    svc = svc.substr(slash + 1);
  }
  want_service_ = svc == "*" ? std::string() : svc;
  service_ = want_service_;
  timer_ = loop_.CreateTimer();
}

PppoeClient::~PppoeClient() {
  if (port_ != nullptr) Cleanup(/*send_padt=*/true);
}

void PppoeClient::Detach() {
  timer_->Stop();
  SessionDriver::Detach();
  client_registered_ = false;
}

void PppoeClient::SetState(State s, std::string_view why) {
  if (s == state_) return;
  MLOG_DEBUG(kPhys, "pppoe client {}: {} -> {} ({})", iface_, StateName(state_), StateName(s), why);
  state_ = s;
}

void PppoeClient::Open() {
  if (state_ != State::kIdle && state_ != State::kDown) return;
  if (port_ == nullptr) return;
  ResetReports();
  // RFC 2516 Appendix A: Host-Uniq lets us match replies to this client.
  host_uniq_.assign(8, 0);
  for (int tries = 0; tries < 8 && !client_registered_; ++tries) {
    port_->Random(host_uniq_);
    client_registered_ = port_->RegisterClient(host_uniq_, this);
  }
  if (!client_registered_) {
    Fail("no unique Host-Uniq (random source broken?)");
    return;
  }
  rounds_ = 0;
  max_payload_ = kDefaultMaxPayload;
  StartDiscovery();
}

void PppoeClient::StartDiscovery() {
  SetState(State::kDiscovering, "PADI");
  ++rounds_;
  sends_ = 0;
  timeout_ = kInitialTimeout;
  ac_cookie_.reset();
  relay_session_id_.reset();
  SendPadi();
}

void PppoeClient::ArmTimer() {
  timer_->Start(timeout_, [this] { OnTimeout(); });
}

void PppoeClient::SendPadi() {
  // RFC 2516 §5.1: broadcast, SESSION_ID 0, exactly one Service-Name.
  Discovery padi;
  padi.code = Code::kPADI;
  padi.service_name = want_service_;
  padi.host_uniq = host_uniq_;
  // RFC 4638 §4: ask for a larger payload in PADI and PADR.
  if (config_.max_payload > kDefaultMaxPayload) padi.ppp_max_payload = config_.max_payload;
  ++sends_;
  port_->SendDiscovery(os::kBroadcastMac, padi);
  ArmTimer();
}

void PppoeClient::SendPadr() {
  // RFC 2516 §5.3: unicast to the chosen AC, echoing AC-Cookie and
  // Relay-Session-Id from its PADO.
  Discovery padr;
  padr.code = Code::kPADR;
  padr.service_name = want_service_;
  padr.host_uniq = host_uniq_;
  padr.ac_cookie = ac_cookie_;
  padr.relay_session_id = relay_session_id_;
  if (config_.max_payload > kDefaultMaxPayload) padr.ppp_max_payload = config_.max_payload;
  ++sends_;
  port_->SendDiscovery(ac_mac_, padr);
  ArmTimer();
}

void PppoeClient::OnTimeout() {
  if (port_ == nullptr) return;
  // RFC 2516 §8: resend and double the waiting period.
  if (sends_ < kMaxSends) {
    timeout_ *= 2;
    if (state_ == State::kDiscovering) SendPadi();
    if (state_ == State::kRequesting) SendPadr();
    return;
  }
  if (state_ == State::kDiscovering) {
    Fail("no PADO received (timeout)");
  } else if (state_ == State::kRequesting) {
    if (rounds_ < kMaxRounds) {
      StartDiscovery();
    } else {
      Fail("no PADS received (timeout)");
    }
  }
}

void PppoeClient::OnDiscovery(const os::MacAddr& src, const Discovery& d) {
  if (d.code == Code::kPADO) {
    OnPado(src, d);
  } else if (d.code == Code::kPADS) {
    OnPads(src, d);
  }
}

bool PppoeClient::AcceptsPado(const Discovery& d) const {
  // RFC 2516 §5.2: SESSION_ID 0, an AC-Name, and the service we asked for
  // among its Service-Names. A PADO with an error TAG offers nothing.
  if (d.session_id != 0 || d.ErrorText()) return false;
  if (!want_ac_.empty() && d.ac_name != want_ac_) return false;
  if (want_service_.empty()) return true;
  if (d.service_name == want_service_) return true;
  return std::find(d.more_service_names.begin(), d.more_service_names.end(), want_service_) !=
         d.more_service_names.end();
}

void PppoeClient::OnPado(const os::MacAddr& src, const Discovery& d) {
  if (state_ != State::kDiscovering || os::IsGroupMac(src)) {
    ++port_->counters_.disc_ignored;
    return;
  }
  if (!AcceptsPado(d)) {
    ++port_->counters_.disc_ignored;
    MLOG_DEBUG(kPhys, "pppoe client {}: PADO from {} (AC '{}') not acceptable", iface_,
               os::MacToString(src), d.ac_name.value_or(""));
    return;
  }
  // RFC 2516 §5.3: the Host picks one PADO; we take the first acceptable.
  ac_mac_ = src;
  ac_cookie_ = d.ac_cookie;
  relay_session_id_ = d.relay_session_id;
  MLOG_INFO(kPhys, "pppoe client {}: PADO from {} AC '{}'", iface_, os::MacToString(src),
            d.ac_name.value_or(""));
  SetState(State::kRequesting, "PADO");
  sends_ = 0;
  timeout_ = kInitialTimeout;
  SendPadr();
}

void PppoeClient::OnPads(const os::MacAddr& src, const Discovery& d) {
  if (state_ != State::kRequesting || src != ac_mac_) {
    ++port_->counters_.disc_ignored;
    return;
  }
  // RFC 2516 §5.4: an error TAG with SESSION_ID 0 refuses the session.
  if (auto err = d.ErrorText()) {
    Fail("PADS refused: " + *err);
    return;
  }
  if (d.session_id == 0 || d.session_id == 0xffff) {
    Fail("PADS with invalid SESSION_ID");
    return;
  }
  timer_->Stop();
  if (!Establish(src, d.session_id)) {
    // Our own server already uses (this MAC, this id); cannot demultiplex.
    port_->SendPadt(src, d.session_id);
    Fail("SESSION_ID collides with a local session");
    return;
  }
  // RFC 4638 §5: the larger payload holds only if the PADS echoes the tag;
  // never more than we asked for.
  if (config_.max_payload > kDefaultMaxPayload && d.ppp_max_payload &&
      *d.ppp_max_payload > kDefaultMaxPayload) {
    max_payload_ = std::min(*d.ppp_max_payload, config_.max_payload);
  }
  if (client_registered_) {
    port_->UnregisterClient(host_uniq_);
    client_registered_ = false;
  }
  SetState(State::kUp, "PADS");
  MLOG_INFO(kPhys, "pppoe client {}: session {} with {}", iface_, d.session_id,
            os::MacToString(src));
  PostUp();
}

void PppoeClient::Cleanup(bool send_padt) {
  timer_->Stop();
  Terminate(send_padt);
  if (client_registered_ && port_ != nullptr) port_->UnregisterClient(host_uniq_);
  client_registered_ = false;
}

void PppoeClient::Fail(std::string reason) {
  MLOG_INFO(kPhys, "pppoe client {}: down: {}", iface_, reason);
  Cleanup(/*send_padt=*/false);
  SetState(State::kDown, reason);
  PostDown(std::move(reason));
}

void PppoeClient::Close() {
  // RFC 2516 §5.5: a PADT ends an established session.
  Cleanup(/*send_padt=*/true);
  SetState(State::kDown, "Close");
  PostDown("closed locally");
}

void PppoeClient::OnPadt() {
  Cleanup(/*send_padt=*/false);
  SetState(State::kDown, "PADT");
  PostDown("PADT received");
}

}  // namespace mlppp::link::pppoe
