// The console's hold on a static link's redial (Daemon::OnLinkDead redials
// a static link whose session ended unless the operator closed it).
//
// Two reasons set it. `close link`, `close bund` and `disconnect` hold until
// the link is opened anew (mpd5 BundCloseCmd / LinkCloseCmd). Closing the
// last IP NCP ends the session too (mpd5 bund.c BundNcpsFinish closes the
// links), so it holds as well; but only while that is so: an `open ipcp`
// (or ipv6cp) before the session finished keeps the session, and the link
// must redial again when it ends later.
#pragma once

namespace mlppp::daemon {

// Views a link slot's two flags (they live in Daemon::LinkSlot).
class RedialHold {
 public:
  RedialHold(bool& closed, bool& by_last_ncp) : closed_(closed), by_last_ncp_(by_last_ncp) {}

  // `close link|bund`, `disconnect`: no redial, not lifted by an NCP open.
  void ByOperator() {
    closed_ = true;
    by_last_ncp_ = false;
  }
  // The close of the last IP NCP ended the session. An operator's hold
  // already set stays the operator's.
  void ByLastIpNcpClose() {
    if (closed_) return;
    closed_ = true;
    by_last_ncp_ = true;
  }
  // An NCP opened again (Bundle::OpenNcp succeeded); `ip_ncps_gone` is the
  // bundle's state after it. Lifts only the last-IP-NCP hold, and only once
  // an IP NCP is back (an `open ccp` does not bring the session back).
  void NcpOpened(bool ip_ncps_gone) {
    if (!by_last_ncp_ || ip_ncps_gone) return;
    closed_ = false;
    by_last_ncp_ = false;
  }

 private:
  bool& closed_;
  bool& by_last_ncp_;
};

}  // namespace mlppp::daemon
