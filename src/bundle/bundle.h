#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bundle/data_batch.h"
#include "bundle/iface.h"
#include "core/log.h"
#include "event/loop.h"
#include "ppp/ccp/ccp.h"
#include "ppp/ecp/ecp.h"
#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"
#include "ppp/link.h"

namespace mlppp::bundle {

struct BundleConfig {
  bool ipcp = true;           // `set bundle enable ipcp`
  bool ipv6cp = false;        // `set bundle enable ipv6cp`
  ppp::IpcpConfig ipcp_conf;  // with the peer address already chosen by the owner
  ppp::Ipv6cpConfig ipv6cp_conf;
  ppp::FsmConfig fsm;             // `set bundle fsm-timeout`
  std::string iface_name;         // `set iface name`; empty = pppN
  std::vector<Ipv4Route> routes;  // `set iface route`
  uint16_t mtu = 1500;            // `set iface mtu`, capped by the link's peer MRU
  bool compression = false;       // `set bundle enable compression`: run CCP
  ppp::CcpConfig ccp_conf;        // have_mppe_keys is filled in from the link at Join
  bool encryption = false;        // `set bundle enable encryption`: run ECP
  ppp::EcpConfig ecp_conf;
  std::string ecp_key;      // `set ecp key`; never logged
  bool crypt_reqd = false;  // `set bundle enable crypt-reqd`
};

class Bundle;

// The control protocols an operator opens or closes one at a time (mpd5
// `open|close ipcp|ipv6cp|ccp|ecp`).
enum class Ncp : uint8_t { kIpcp, kIpv6cp, kCcp, kEcp };
inline constexpr size_t kNcpCount = 4;
// "IPCP", "IPV6CP", "CCP", "ECP", as mpd5 logs them.
std::string_view NcpName(Ncp n);

class BundleEvents {
 public:
  virtual ~BundleEvents() = default;
  // Every enabled NCP reached Opened and the interface is configured.
  virtual void OnBundleUp(Bundle& b) = 0;
  // Every NCP has finished (or the iface failed): the owner closes the links
  // and destroys the bundle with Loop::DeferDelete.
  virtual void OnBundleDown(Bundle& b, std::string_view reason) = 0;
};

// The network layer of one session (mpd5's bundle): the member link(s), the
// NCPs and the interface. IP from the interface goes out as PPP on the link;
// PPP from the link goes to the NCPs or into the interface. Multilink will
// add an MP layer between Input/Send and the member links.
class Bundle : public ppp::IpcpEvents, public ppp::Ipv6cpEvents, public ppp::CodecCpEvents {
 public:
  Bundle(event::Loop& loop, std::string name, BundleConfig config, IfaceFactory& ifaces,
         BundleEvents& events, std::function<uint64_t()> random64);
  ~Bundle() override;

  // A link in the network phase joins: the first one creates the interface
  // and starts the NCPs (RFC 1661 §3.5).
  Status Join(ppp::Link& link);
  // The link left the network phase or died.
  void Leave(ppp::Link& link);
  // A network-phase frame from a member link.
  void Input(ppp::Link& link, uint16_t protocol, Packet&& info);
  void ProtocolRejected(uint16_t protocol);
  // Administrative close of the NCPs.
  void Close(std::string_view reason);

  // mpd5 `close ipcp|ipv6cp|ccp|ecp` (IpcpCloseCmd etc.: FsmClose): RFC 1661
  // §4.3 Close, so Terminate-Request and then Closed. The NCP stays closed
  // until OpenNcp: in Closed a peer's Configure-Request is answered with
  // Terminate-Ack (§4.1). Only that NCP goes down; the session ends as
  // mpd5's does (bund.c BundNcpsFinish), when neither IPCP nor IPV6CP is
  // left, or (crypt-reqd) when encryption is lost. Errors: the NCP is not
  // enabled on this bundle.
  Status CloseNcp(Ncp ncp);
  // mpd5 `open ipcp` etc. (FsmOpen): negotiates again, starting with a
  // Configure-Request. A no-op while it is open or negotiating; while it is
  // still closing, it reopens once Closed.
  Status OpenNcp(Ncp ncp);
  // Closed by CloseNcp and not opened since.
  bool ncp_admin_closed(Ncp ncp) const { return admin_closed_[static_cast<size_t>(ncp)]; }
  // Every IP NCP (IPCP, IPV6CP) has finished or is closed by the operator:
  // the session ends once the closing ones finish (mpd5 BundNcpsFinish).
  bool ip_ncps_gone() const;
  // mpd5 `close iface` / `open iface` (iface.c IfaceClose/IfaceOpen): the
  // host interface administratively down, passing no packets either way,
  // without ending the session; open brings it up again and re-applies the
  // addresses of the NCPs that are open.
  Status CloseIface();
  Status OpenIface();
  bool iface_open() const { return iface_open_; }

  const std::string& name() const { return name_; }
  const std::string& iface_name() const;
  bool up() const { return up_; }
  const ppp::IpcpResult* ipcp_result() const;
  const ppp::Ipv6cpResult* ipv6cp_result() const;
  // The NCPs while they exist (enabled), for `show ipcp` and the web.
  const ppp::Ipcp* ipcp() const { return ipcp_.get(); }
  const ppp::Ipv6cp* ipv6cp() const { return ipv6cp_.get(); }
  // CCP while it exists (compression enabled), for `show ccp` and logs.
  const ppp::Ccp* ccp() const { return ccp_.get(); }
  const ppp::Ecp* ecp() const { return ecp_.get(); }
  // Both directions are encrypted: by MPPE (in CCP) or by ECP.
  bool encrypted() const;
  ppp::Link* link() const { return link_; }
  // The batched data path (data_batch.h), shared by the bundles of one
  // loop; null (the default) enciphers each packet on its own. Set before
  // Join.
  void UseDataBatch(DataBatch* batch) { batch_ = batch; }

  struct Counters {
    uint64_t in_packets = 0, in_octets = 0, out_packets = 0, out_octets = 0, dropped = 0;
    uint64_t unencrypted_dropped = 0;  // crypt-reqd: plain data refused either way
  };
  const Counters& counters() const { return counters_; }

  // ppp::IpcpEvents / ppp::Ipv6cpEvents
  void OnIpcpUp(const ppp::IpcpResult& r) override;
  void OnIpcpDown() override;
  void OnIpcpFinished(std::string_view reason) override;
  void OnIpv6cpUp(const ppp::Ipv6cpResult& r) override;
  void OnIpv6cpDown() override;
  void OnIpv6cpFinished(std::string_view reason) override;
  // ppp::CodecCpEvents (CCP)
  void OnCodecCpUp(ppp::CodecCp& cp) override;
  void OnCodecCpDown(ppp::CodecCp& cp) override;
  void OnCodecCpFinished(ppp::CodecCp& cp, std::string_view reason) override;

 private:
  friend class DataBatch;
  void FromIface(IpFamily fam, Packet&& pkt);
  // The rest of a packet's way once DataBatch ran its keystream pass.
  void FinishBatchedTx(uint16_t protocol, Packet&& pkt);
  void FinishBatchedRx(bool decrypted, Packet&& pkt);
  // A batched packet whose cipher failed (its data zeroed): not sent.
  void DropBatched();
  // A data frame from the peer: Encrypted, Compressed, IPv4 or IPv6, after
  // `decrypted` layers; unwraps and delivers IP to the interface.
  void InputData(uint16_t protocol, Packet&& info, bool decrypted);
  // IPv4/IPv6 to the interface (crypt-reqd: only if it was decrypted).
  void DeliverData(uint16_t protocol, Packet&& info, bool decrypted);
  // crypt-reqd: once CCP and ECP have both settled, closes the session if
  // neither encrypts both ways.
  void CheckCrypt();
  bool DataReady(uint16_t protocol) const;
  void SendNcp(uint16_t protocol, Packet&& info);
  // up_ follows Ready(); the owner hears of the first time only.
  void CheckUp();
  bool Ready() const;
  void CheckAllFinished(std::string_view reason);
  // The NCP's automaton and finished flag; null when it does not run.
  ppp::Fsm* NcpFsm(Ncp n);
  bool& NcpFinished(Ncp n);
  // An OpenNcp that arrived while the NCP was closing: open it now that it
  // is Closed/Stopped. True when it did (the NCP is not finished then).
  bool ReopenIfPending(Ncp n);
  // Applies IPCP's / IPV6CP's result to the interface.
  void ApplyV4();
  void ApplyV6();

  event::Loop& loop_;
  std::string name_;
  BundleConfig config_;
  IfaceFactory& ifaces_;
  BundleEvents& events_;
  std::function<uint64_t()> random64_;
  ppp::Link* link_ = nullptr;
  DataBatch* batch_ = nullptr;
  // This bundle has queued into batch_ (so an undeferred packet may have to
  // wait for its own queued ones; others never scan the batch).
  bool deferred_any_ = false;
  std::unique_ptr<Iface> iface_;
  std::unique_ptr<ppp::Ipcp> ipcp_;
  std::unique_ptr<ppp::Ipv6cp> ipv6cp_;
  std::unique_ptr<ppp::CcpCodecFactory> ccp_codecs_;
  std::unique_ptr<ppp::Ccp> ccp_;
  std::unique_ptr<ppp::EcpCodecFactory> ecp_codecs_;
  std::unique_ptr<ppp::Ecp> ecp_;
  bool ccp_finished_ = false, ecp_finished_ = false;
  bool v4_ready_ = false, v6_ready_ = false;
  // Bumped by every configure and every NCP down: a configure completion
  // that finds another number is stale (the NCP went down, and maybe up
  // again, while the interface work queued behind it) and is ignored.
  uint64_t v4_gen_ = 0, v6_gen_ = 0;
  bool ipcp_finished_ = false, ipv6cp_finished_ = false;
  bool up_ = false, down_reported_ = false;
  // The session is ending (Close, Leave): its interface is about to go, so
  // an NCP going down does not remove addresses from it one by one.
  bool ending_ = false;
  bool up_reported_ = false;  // OnBundleUp is sent once per session
  // What ApplyV4/ApplyV6 last configured, for Unconfigure when the NCP
  // goes down.
  std::optional<Ipv4Params> applied_v4_;
  std::optional<Ipv6Params> applied_v6_;
  std::array<bool, kNcpCount> admin_closed_{};
  std::array<bool, kNcpCount> reopen_pending_{};
  bool iface_open_ = true;
  // Completions from the worker pool check this before touching the bundle.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  Counters counters_;
  log::RateLimit drop_log_;
};

}  // namespace mlppp::bundle
