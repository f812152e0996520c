#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "aaa/radius/accounting.h"
#include "event/fake_loop.h"

namespace mlppp::aaa::radius {
namespace {

using std::chrono::seconds;

// A fake network (the idea of radius_client_test's FakeNet): one socket
// per host:port; the test reads what was sent and answers as the server.
class AcctNet {
 public:
  class Socket : public DatagramSocket {
   public:
    Socket(AcctNet* net, std::string key, DatagramReceiver rx)
        : net_(net), key_(std::move(key)), rx_(std::move(rx)) {}
    ~Socket() override { net_->sockets_.erase(key_); }
    void Send(std::span<const uint8_t> d) override {
      net_->sent.push_back({key_, std::vector<uint8_t>(d.begin(), d.end())});
    }
    AcctNet* net_;
    std::string key_;
    DatagramReceiver rx_;
  };
  struct Datagram {
    std::string to;
    std::vector<uint8_t> bytes;
  };

  DatagramSocketFactory Factory() {
    return [this](const std::string& host, uint16_t port,
                  DatagramReceiver rx) -> std::unique_ptr<DatagramSocket> {
      std::string key = host + ":" + std::to_string(port);
      auto s = std::make_unique<Socket>(this, key, std::move(rx));
      sockets_[key] = s.get();
      return s;
    };
  }
  void Deliver(const std::string& key, std::span<const uint8_t> d) { sockets_.at(key)->rx_(d); }

  std::vector<Datagram> sent;

 private:
  std::map<std::string, Socket*> sockets_;
};

constexpr char kSecret[] = "acctsecret";
constexpr char kServer[] = "10.0.0.1:1813";

std::vector<uint8_t> AcctResponse(const std::vector<uint8_t>& request,
                                  std::optional<uint32_t> drop_user = std::nullopt) {
  auto req = Parse(request);
  EXPECT_TRUE(req.ok());
  RadiusPacket resp;
  resp.code = static_cast<uint8_t>(Code::kAccountingResponse);
  resp.id = req->id;
  if (drop_user)
    resp.AddVendorU32(kVendorMpd, static_cast<uint8_t>(MpdAttr::kDropUser), *drop_user);
  auto wire = EncodeResponse(resp, req->authenticator, kSecret);
  EXPECT_TRUE(wire.ok());
  return *wire;
}

AcctEvent Event(AcctEvent::Status status) {
  AcctEvent ev;
  ev.status = status;
  ev.user = "alice";
  ev.session.acct_session_id = "5F00AA01-L1";
  ev.session.acct_multi_session_id = "5F00AA01-B1";
  ev.session.link = "L1";
  ev.session.bundle = "B1";
  ev.session.nas_port = 7;
  ev.session.nas_port_type = "pppoe";
  ev.session.calling_station_id = "02:00:00:00:00:01";
  ev.session.called_station_id = "isp";
  ev.session.peer_iface = "eth1";
  ev.iface = "ppp0";
  ev.iface_index = 42;
  ev.link_count = 1;
  ev.framed_ip = 0x0A000002;  // 10.0.0.2
  return ev;
}

uint32_t U32Of(std::span<const uint8_t> v) {
  EXPECT_EQ(v.size(), 4u);
  if (v.size() != 4) return 0;
  return static_cast<uint32_t>(v[0]) << 24 | static_cast<uint32_t>(v[1]) << 16 |
         static_cast<uint32_t>(v[2]) << 8 | v[3];
}

// The raw TLV of the first standard attribute `type` in a datagram, found
// by walking the wire bytes independently of Parse().
std::vector<uint8_t> RawAttr(const std::vector<uint8_t>& wire, Attr type) {
  size_t pos = kHeaderSize;
  while (pos + 2 <= wire.size()) {
    uint8_t t = wire[pos], len = wire[pos + 1];
    if (len < 2 || pos + len > wire.size()) break;
    if (t == static_cast<uint8_t>(type))
      return std::vector<uint8_t>(wire.begin() + static_cast<long>(pos),
                                  wire.begin() + static_cast<long>(pos + len));
    pos += len;
  }
  return {};
}

class RadiusAccountingTest : public ::testing::Test {
 protected:
  std::unique_ptr<RadiusAccounting> Make(int retries = 3, uint16_t acct_port = 1813) {
    RadiusClientConfig c;
    c.servers.push_back({"10.0.0.1", 1812, acct_port, kSecret});
    c.retries = retries;
    auto client = std::make_unique<RadiusClient>(
        loop_, net_.Factory(),
        [this](std::span<uint8_t> out) {
          for (auto& b : out) b = static_cast<uint8_t>(++rand_);
        },
        std::move(c));
    NasIdentity nas{"nas1", 0xC0A80001};  // 192.168.0.1
    return std::make_unique<RadiusAccounting>(std::move(client), nas,
                                              [] { return uint32_t{1700000000}; });
  }
  std::function<void(AcctOutcome)> Capture() {
    return [this](AcctOutcome o) { outcomes_.push_back(std::move(o)); };
  }
  RadiusPacket LastSent() {
    auto p = Parse(net_.sent.back().bytes);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : RadiusPacket{};
  }

  event::FakeLoop loop_;
  AcctNet net_;
  uint8_t rand_ = 0;
  std::vector<AcctOutcome> outcomes_;
};

TEST(TerminateCause, NamesMapToRfc2866Values) {
  EXPECT_EQ(TerminateCauseFromName("User-Request"), 1u);
  EXPECT_EQ(TerminateCauseFromName("Lost-Carrier"), 2u);
  EXPECT_EQ(TerminateCauseFromName("idle-timeout"), 4u);  // case-insensitive
  EXPECT_EQ(TerminateCauseFromName("Session-Timeout"), 5u);
  EXPECT_EQ(TerminateCauseFromName("Admin-Reset"), 6u);
  EXPECT_EQ(TerminateCauseFromName("NAS-Request"), 10u);
  EXPECT_EQ(TerminateCauseFromName("Host-Request"), 18u);
  EXPECT_EQ(TerminateCauseFromName(""), 10u);         // no reason: NAS-Request (mpd5)
  EXPECT_EQ(TerminateCauseFromName("Exploded"), 8u);  // unknown: Port-Error (mpd5)
  EXPECT_EQ(TerminateCauseFromName("User-Request "), 8u);
}

TEST_F(RadiusAccountingTest, StartCarriesSessionFactsAndValidAuthenticator) {
  auto acct = Make();
  std::vector<std::vector<uint8_t>> classes{{0x01, 0x02, 0x03}, {'b', 'i', 'l', 'l'}};
  acct->Send(Event(AcctEvent::kStart), classes, true, Capture());
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].to, kServer);
  const auto& wire = net_.sent[0].bytes;
  EXPECT_EQ(wire[0], 4);  // Accounting-Request
  // RFC 2866 §3: MD5(Code+ID+Length+16 zero octets+Attributes+secret).
  EXPECT_TRUE(VerifyRequestAuthenticator(wire, kSecret));
  EXPECT_FALSE(VerifyRequestAuthenticator(wire, "wrong"));

  // Hand-checked TLVs: Acct-Status-Type Start, Acct-Session-Id.
  EXPECT_EQ(RawAttr(wire, Attr::kAcctStatusType), (std::vector<uint8_t>{40, 6, 0, 0, 0, 1}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctSessionId),
            (std::vector<uint8_t>{44, 13, '5', 'F', '0', '0', 'A', 'A', '0', '1', '-', 'L', '1'}));
  EXPECT_EQ(RawAttr(wire, Attr::kNasPortType), (std::vector<uint8_t>{61, 6, 0, 0, 0, 15}));
  EXPECT_EQ(RawAttr(wire, Attr::kFramedIpAddress), (std::vector<uint8_t>{8, 6, 10, 0, 0, 2}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctAuthentic), (std::vector<uint8_t>{45, 6, 0, 0, 0, 1}));
  EXPECT_EQ(RawAttr(wire, Attr::kEventTimestamp),
            (std::vector<uint8_t>{55, 6, 0x65, 0x53, 0xF1, 0x00}));  // 1700000000

  auto p = LastSent();
  EXPECT_EQ(p.FindString(Attr::kUserName), "alice");
  EXPECT_EQ(p.FindString(Attr::kAcctMultiSessionId), "5F00AA01-B1");
  EXPECT_EQ(p.FindU32(Attr::kAcctLinkCount), 1u);
  EXPECT_EQ(p.FindString(Attr::kNasIdentifier), "nas1");
  EXPECT_EQ(p.FindU32(Attr::kNasIpAddress), 0xC0A80001u);
  EXPECT_EQ(p.FindU32(Attr::kNasPort), 7u);
  EXPECT_EQ(p.FindString(Attr::kNasPortId), "eth1");
  EXPECT_EQ(p.FindU32(Attr::kServiceType), 2u);
  EXPECT_EQ(p.FindU32(Attr::kFramedProtocol), 1u);
  EXPECT_EQ(p.FindString(Attr::kCallingStationId), "02:00:00:00:00:01");
  EXPECT_EQ(p.FindString(Attr::kCalledStationId), "isp");
  EXPECT_EQ(p.FindU32(Attr::kAcctDelayTime), 0u);
  // RFC 2865 §5.25: every Class, verbatim and in order.
  auto cls = p.FindAll(Attr::kClass);
  ASSERT_EQ(cls.size(), 2u);
  EXPECT_EQ(std::vector<uint8_t>(cls[0].begin(), cls[0].end()), classes[0]);
  EXPECT_EQ(std::vector<uint8_t>(cls[1].begin(), cls[1].end()), classes[1]);
  // mpd vendor attributes.
  const auto mpd = [](MpdAttr a) { return static_cast<uint8_t>(a); };
  EXPECT_EQ(p.FindVendorString(kVendorMpd, mpd(MpdAttr::kLink)), "L1");
  EXPECT_EQ(p.FindVendorString(kVendorMpd, mpd(MpdAttr::kBundle)), "B1");
  EXPECT_EQ(p.FindVendorString(kVendorMpd, mpd(MpdAttr::kIface)), "ppp0");
  EXPECT_EQ(p.FindVendorU32(kVendorMpd, mpd(MpdAttr::kIfaceIndex)), 42u);
  // Start has no counters and no terminate cause.
  EXPECT_FALSE(p.Find(Attr::kAcctSessionTime));
  EXPECT_FALSE(p.Find(Attr::kAcctInputOctets));
  EXPECT_FALSE(p.Find(Attr::kAcctTerminateCause));
  // Accounting carries no Message-Authenticator (mpd5).
  EXPECT_FALSE(p.Find(Attr::kMessageAuthenticator));

  net_.Deliver(kServer, AcctResponse(wire));
  loop_.RunPending();
  ASSERT_EQ(outcomes_.size(), 1u);
  EXPECT_TRUE(outcomes_[0].ok);
  EXPECT_FALSE(outcomes_[0].drop_user);
  EXPECT_EQ(acct->counters().sent, 1u);
  EXPECT_EQ(acct->counters().responses, 1u);
  EXPECT_EQ(acct->counters().failed, 0u);
}

TEST_F(RadiusAccountingTest, LocalAuthenticationAndOtherPortType) {
  auto acct = Make();
  AcctEvent ev = Event(AcctEvent::kStart);
  ev.session.nas_port_type = "l2tp";
  ev.framed_ip.reset();
  acct->Send(ev, {}, false, Capture());
  auto p = LastSent();
  EXPECT_EQ(p.FindU32(Attr::kAcctAuthentic), 2u);  // Local
  EXPECT_EQ(p.FindU32(Attr::kNasPortType), 5u);    // Virtual
  EXPECT_FALSE(p.Find(Attr::kFramedIpAddress));
  EXPECT_TRUE(p.FindAll(Attr::kClass).empty());
}

TEST_F(RadiusAccountingTest, InterimSplitsCountersIntoGigawords) {
  auto acct = Make();
  AcctEvent ev = Event(AcctEvent::kUpdate);
  ev.session_time = 300;
  ev.in_octets = 0x0000000512345678ULL;  // 5 GiB + 0x12345678
  ev.out_octets = 1000;
  ev.in_packets = 0x100000007ULL;  // packets wrap modulo 2^32
  ev.out_packets = 9;
  acct->Send(ev, {}, true, Capture());
  const auto& wire = net_.sent.back().bytes;
  EXPECT_TRUE(VerifyRequestAuthenticator(wire, kSecret));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctStatusType), (std::vector<uint8_t>{40, 6, 0, 0, 0, 3}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctInputOctets),
            (std::vector<uint8_t>{42, 6, 0x12, 0x34, 0x56, 0x78}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctInputGigawords), (std::vector<uint8_t>{52, 6, 0, 0, 0, 5}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctOutputOctets),
            (std::vector<uint8_t>{43, 6, 0, 0, 0x03, 0xE8}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctOutputGigawords), (std::vector<uint8_t>{53, 6, 0, 0, 0, 0}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctSessionTime), (std::vector<uint8_t>{46, 6, 0, 0, 0x01, 0x2C}));
  auto p = LastSent();
  EXPECT_EQ(p.FindU32(Attr::kAcctInputPackets), 7u);
  EXPECT_EQ(p.FindU32(Attr::kAcctOutputPackets), 9u);
  EXPECT_FALSE(p.Find(Attr::kAcctTerminateCause));
}

TEST_F(RadiusAccountingTest, StopCarriesTerminateCause) {
  auto acct = Make();
  AcctEvent ev = Event(AcctEvent::kStop);
  ev.session_time = 61;
  ev.terminate_cause = "Idle-Timeout";
  acct->Send(ev, {}, true, Capture());
  const auto& wire = net_.sent.back().bytes;
  EXPECT_TRUE(VerifyRequestAuthenticator(wire, kSecret));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctStatusType), (std::vector<uint8_t>{40, 6, 0, 0, 0, 2}));
  EXPECT_EQ(RawAttr(wire, Attr::kAcctTerminateCause), (std::vector<uint8_t>{49, 6, 0, 0, 0, 4}));
  EXPECT_EQ(U32Of(*LastSent().Find(Attr::kAcctSessionTime)), 61u);

  AcctEvent bad = Event(AcctEvent::kStop);
  bad.terminate_cause = "Martians";
  acct->Send(bad, {}, true, Capture());
  EXPECT_EQ(LastSent().FindU32(Attr::kAcctTerminateCause), 8u);  // Port-Error
}

TEST_F(RadiusAccountingTest, DropUserInResponse) {
  auto acct = Make();
  acct->Send(Event(AcctEvent::kStart), {}, true, Capture());
  acct->Send(Event(AcctEvent::kUpdate), {}, true, Capture());
  ASSERT_EQ(net_.sent.size(), 2u);
  net_.Deliver(kServer, AcctResponse(net_.sent[0].bytes, 1));
  net_.Deliver(kServer, AcctResponse(net_.sent[1].bytes, 0));
  loop_.RunPending();
  ASSERT_EQ(outcomes_.size(), 2u);
  EXPECT_TRUE(outcomes_[0].ok);
  EXPECT_TRUE(outcomes_[0].drop_user);
  EXPECT_TRUE(outcomes_[1].ok);
  EXPECT_FALSE(outcomes_[1].drop_user);  // mpd-drop-user = 0 keeps the user
  EXPECT_EQ(acct->counters().drop_user, 1u);
}

TEST_F(RadiusAccountingTest, ForgedResponseIgnoredThenTimeout) {
  auto acct = Make(/*retries=*/2);
  acct->Send(Event(AcctEvent::kStart), {}, true, Capture());
  // A response signed with the wrong secret is dropped by the client.
  auto req = Parse(net_.sent[0].bytes);
  RadiusPacket forged;
  forged.code = static_cast<uint8_t>(Code::kAccountingResponse);
  forged.id = req->id;
  net_.Deliver(kServer, *EncodeResponse(forged, req->authenticator, "nope"));
  loop_.RunPending();
  EXPECT_TRUE(outcomes_.empty());

  loop_.Advance(seconds(5));
  EXPECT_EQ(net_.sent.size(), 2u);  // retransmitted
  loop_.Advance(seconds(5));
  loop_.RunPending();
  ASSERT_EQ(outcomes_.size(), 1u);
  EXPECT_FALSE(outcomes_[0].ok);
  EXPECT_FALSE(outcomes_[0].drop_user);
  EXPECT_NE(outcomes_[0].error.find("timeout"), std::string::npos) << outcomes_[0].error;
  EXPECT_EQ(acct->counters().failed, 1u);
}

TEST_F(RadiusAccountingTest, NoAccountingServer) {
  auto acct = Make(3, /*acct_port=*/0);
  acct->Send(Event(AcctEvent::kStart), {}, true, Capture());
  EXPECT_TRUE(net_.sent.empty());
  loop_.RunPending();
  ASSERT_EQ(outcomes_.size(), 1u);
  EXPECT_FALSE(outcomes_[0].ok);
  EXPECT_FALSE(outcomes_[0].error.empty());
}

TEST_F(RadiusAccountingTest, DestroyedWithRequestInFlight) {
  auto acct = Make();
  acct->Send(Event(AcctEvent::kStart), {}, true, Capture());
  acct.reset();
  loop_.Advance(seconds(60));
  loop_.RunPending();
  EXPECT_TRUE(outcomes_.empty());
}

TEST(ReadAccountingReply, WrongCodeIsFailure) {
  RadiusReply r;
  r.status = ReplyStatus::kOk;
  r.packet.code = static_cast<uint8_t>(Code::kAccessAccept);
  auto o = ReadAccountingReply(r);
  EXPECT_FALSE(o.ok);
  EXPECT_FALSE(o.error.empty());
}

}  // namespace
}  // namespace mlppp::aaa::radius
