#include "ppp/frame.h"

#include <gtest/gtest.h>

#include <vector>

#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

std::vector<uint8_t> Bytes(const Packet& p) { return {p.span().begin(), p.span().end()}; }

TEST(DecodeFrame, StripsAddressControlAndTwoOctetProtocol) {
  Packet p = Packet::Copy(std::vector<uint8_t>{0xff, 0x03, 0xc0, 0x21, 0x01, 0x02});
  EXPECT_EQ(DecodeFrame(p), 0xc021);
  EXPECT_EQ(Bytes(p), (std::vector<uint8_t>{0x01, 0x02}));
}

TEST(DecodeFrame, AcceptsCompressedAddressControl) {  // RFC 1661 §6.6
  Packet p = Packet::Copy(std::vector<uint8_t>{0x80, 0x21, 0x09});
  EXPECT_EQ(DecodeFrame(p), 0x8021);
  EXPECT_EQ(Bytes(p), (std::vector<uint8_t>{0x09}));
}

TEST(DecodeFrame, OddFirstOctetIsOneOctetProtocol) {  // RFC 1661 §6.5 PFC
  Packet p = Packet::Copy(std::vector<uint8_t>{0x21, 0x45, 0x00});
  EXPECT_EQ(DecodeFrame(p), 0x0021);
  EXPECT_EQ(Bytes(p), (std::vector<uint8_t>{0x45, 0x00}));
  Packet q = Packet::Copy(std::vector<uint8_t>{0xff, 0x03, 0x3d, 0xc0});
  EXPECT_EQ(DecodeFrame(q), 0x003d);
  EXPECT_EQ(Bytes(q), (std::vector<uint8_t>{0xc0}));
}

TEST(DecodeFrame, EmptyInformationFieldIsFine) {
  Packet p = Packet::Copy(std::vector<uint8_t>{0x00, 0x57});
  EXPECT_EQ(DecodeFrame(p), 0x0057);
  EXPECT_TRUE(p.empty());
}

TEST(DecodeFrame, RejectsEvenLowOctetAndTruncatedFrames) {
  for (auto bytes : std::vector<std::vector<uint8_t>>{
           {0x00, 0x20, 0x01},  // RFC 1661 §2: low octet must be odd
           {0xc0, 0x22},        // likewise
           {},                  // nothing
           {0xff, 0x03},        // header only
           {0xc0},              // half a two-octet protocol
           {0xff, 0x03, 0x80},
       }) {
    Packet p = Packet::Copy(bytes);
    EXPECT_EQ(DecodeFrame(p), std::nullopt);
    EXPECT_EQ(Bytes(p), bytes) << "frame must be untouched on error";
  }
}

TEST(EncodeFrame, LcpKeepsFullHeaderEvenWithPfc) {  // RFC 1661 §6.5, §6.6
  Packet p = Packet::Copy(std::vector<uint8_t>{0x09});
  EncodeFrame(p, 0xc021, true, true);
  EXPECT_EQ(Bytes(p), (std::vector<uint8_t>{0xff, 0x03, 0xc0, 0x21, 0x09}));
}

TEST(EncodeFrame, PfcOnlyBelow0x100AndAddressControlOnlyWhenAsked) {
  Packet a = Packet::Copy(std::vector<uint8_t>{0x45});
  EncodeFrame(a, 0x0021, false, true);
  EXPECT_EQ(Bytes(a), (std::vector<uint8_t>{0x21, 0x45}));
  Packet b = Packet::Copy(std::vector<uint8_t>{0x45});
  EncodeFrame(b, 0x0021, false, false);
  EXPECT_EQ(Bytes(b), (std::vector<uint8_t>{0x00, 0x21, 0x45}));
  Packet c = Packet::Copy(std::vector<uint8_t>{0x01});
  EncodeFrame(c, 0x8021, false, true);
  EXPECT_EQ(Bytes(c), (std::vector<uint8_t>{0x80, 0x21, 0x01}));
  Packet d = Packet::Copy(std::vector<uint8_t>{0x45});
  EncodeFrame(d, 0x0021, true, true);
  EXPECT_EQ(Bytes(d), (std::vector<uint8_t>{0xff, 0x03, 0x21, 0x45}));
}

TEST(EncodeFrame, GrowsWhenHeadroomIsShortAndRoundTrips) {
  Packet p = Packet::Copy(std::vector<uint8_t>{1, 2, 3}, /*headroom=*/1);
  EncodeFrame(p, 0x0057, true, false);
  EXPECT_EQ(Bytes(p), (std::vector<uint8_t>{0xff, 0x03, 0x00, 0x57, 1, 2, 3}));
  EXPECT_EQ(DecodeFrame(p), 0x0057);
  EXPECT_EQ(Bytes(p), (std::vector<uint8_t>{1, 2, 3}));
}

TEST(ProtoName, NamesKnownAndUnknown) {
  EXPECT_EQ(ProtoName(0xc021), "LCP");
  EXPECT_EQ(ProtoName(0x8057), "IPV6CP");
  EXPECT_EQ(ProtoName(0x1234), "unknown");
  EXPECT_EQ(CpCodeName(1), "ConfReq");
  EXPECT_EQ(CpCodeName(9), "EchoReq");
  EXPECT_EQ(CpCodeName(200), "unknown");
}

}  // namespace
}  // namespace mlppp::ppp
