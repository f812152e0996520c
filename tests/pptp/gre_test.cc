#include "link/pptp/gre.h"

#include <gtest/gtest.h>

namespace mlppp::link::pptp {
namespace {

using B = std::vector<uint8_t>;

TEST(Gre, ParsesDataWithSeqAndAck) {
  // RFC 2637 §4.1: K, S set; A set, Ver 1; 0x880B; Payload Length 4,
  // Call ID 0x0102; seq 5; ack 3; payload; 2 trailing octets.
  const B pkt = {0x30, 0x81, 0x88, 0x0b, 0x00, 0x04, 0x01, 0x02, 0x00, 0x00, 0x00,
                 0x05, 0x00, 0x00, 0x00, 0x03, 0xff, 0x03, 0xc0, 0x21, 0xee, 0xee};
  GreHeader h;
  std::span<const uint8_t> payload;
  ASSERT_EQ(ParseGre(pkt, &h, &payload), GreError::kOk);
  EXPECT_EQ(h.payload_length, 4);
  EXPECT_EQ(h.call_id, 0x0102);
  EXPECT_EQ(h.seq, 5u);
  EXPECT_EQ(h.ack, 3u);
  EXPECT_EQ(h.Size(), 16u);
  EXPECT_EQ(B(payload.begin(), payload.end()), (B{0xff, 0x03, 0xc0, 0x21}));

  B out;
  EncodeGre(h, &out);
  EXPECT_EQ(out, B(pkt.begin(), pkt.begin() + 16));
}

TEST(Gre, ParsesDataWithoutAck) {
  const B pkt = {0x30, 0x01, 0x88, 0x0b, 0x00, 0x01, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff, 0x7e};
  GreHeader h;
  std::span<const uint8_t> payload;
  ASSERT_EQ(ParseGre(pkt, &h, &payload), GreError::kOk);
  EXPECT_EQ(h.seq, 0xffffffffu);
  EXPECT_FALSE(h.ack.has_value());
  EXPECT_EQ(h.call_id, 0xbeef);
  ASSERT_EQ(payload.size(), 1u);
  EXPECT_EQ(payload[0], 0x7e);
}

TEST(Gre, AckOnlyEncodeAndParse) {
  Packet p;  // empty payload
  GreHeader h;
  h.call_id = 0x4000;
  h.ack = 0x01020304;
  ASSERT_EQ(PrependGre(p, h), GreError::kOk);
  const B want = {0x20, 0x81, 0x88, 0x0b, 0x00, 0x00, 0x40, 0x00, 0x01, 0x02, 0x03, 0x04};
  EXPECT_EQ(B(p.span().begin(), p.span().end()), want);
  GreHeader back;
  ASSERT_EQ(ParseGre(want, &back), GreError::kOk);
  EXPECT_EQ(back, h);
  EXPECT_FALSE(back.seq.has_value());
}

TEST(Gre, PrependSetsLengthAndStripRestoresFrame) {
  const B ppp = {0xc0, 0x21, 0x01, 0x01, 0x00, 0x04};
  Packet p = Packet::Copy(ppp);
  GreHeader h;
  h.call_id = 7;
  h.seq = 0;
  h.payload_length = 999;  // overwritten from the packet
  ASSERT_EQ(PrependGre(p, h), GreError::kOk);
  const B want_hdr = {0x30, 0x01, 0x88, 0x0b, 0x00, 0x06, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00};
  ASSERT_EQ(p.size(), 18u);
  EXPECT_EQ(B(p.span().begin(), p.span().begin() + 12), want_hdr);
  p.Append(B{0xaa, 0xbb});  // trailing octets, e.g. IP padding
  GreHeader back;
  ASSERT_EQ(StripGre(p, &back), GreError::kOk);
  EXPECT_EQ(back.payload_length, 6);
  EXPECT_EQ(back.seq, 0u);
  EXPECT_EQ(B(p.span().begin(), p.span().end()), ppp);
}

TEST(Gre, PrependRefusesOversizePayload) {
  Packet p(70000);
  EXPECT_EQ(PrependGre(p, GreHeader{}), GreError::kTooLarge);
  EXPECT_EQ(p.size(), 70000u);
}

TEST(Gre, StrictHeaderChecks) {
  // A valid data packet, then each field broken in turn.
  const B good = {0x30, 0x81, 0x88, 0x0b, 0x00, 0x01, 0x00, 0x01, 0x00,
                  0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x55};
  GreHeader h;
  ASSERT_EQ(ParseGre(good, &h), GreError::kOk);
  struct Case {
    size_t at;
    uint8_t value;
    GreError want;
  };
  const Case cases[] = {
      {0, 0xb0, GreError::kChecksumPresent}, {0, 0x70, GreError::kRoutingPresent},
      {0, 0x10, GreError::kKeyMissing},      {0, 0x38, GreError::kStrictSourceRoute},
      {0, 0x31, GreError::kRecursion},       {0, 0x37, GreError::kRecursion},
      {1, 0x89, GreError::kFlagsSet},        {1, 0xc1, GreError::kFlagsSet},
      {1, 0x80, GreError::kBadVersion},      {1, 0x82, GreError::kBadVersion},
      {2, 0x08, GreError::kBadProtocol},     {3, 0x00, GreError::kBadProtocol},
      {5, 0x02, GreError::kPayloadOverrun},  {4, 0x01, GreError::kPayloadOverrun},
  };
  for (const auto& c : cases) {
    B bad = good;
    bad[c.at] = c.value;
    GreHeader out;
    out.call_id = 42;
    EXPECT_EQ(ParseGre(bad, &out), c.want) << c.at << " " << int(c.value);
    EXPECT_EQ(out.call_id, 42);  // untouched on error
  }
}

TEST(Gre, ShortPacketsAndMeaninglessHeaders) {
  GreHeader h;
  const B fixed_only = {0x30, 0x81, 0x88, 0x0b, 0x00, 0x00, 0x00, 0x01};
  for (size_t n = 0; n < 8; ++n) {
    EXPECT_EQ(ParseGre(std::span(fixed_only).first(n), &h), GreError::kShortHeader) << n;
  }
  // S and A promised, neither present / only the seq present.
  EXPECT_EQ(ParseGre(fixed_only, &h), GreError::kShortHeader);
  B seq_only = fixed_only;
  seq_only.insert(seq_only.end(), {0, 0, 0, 1});
  EXPECT_EQ(ParseGre(seq_only, &h), GreError::kShortHeader);
  // Neither S nor A.
  const B empty = {0x20, 0x01, 0x88, 0x0b, 0x00, 0x00, 0x00, 0x01};
  EXPECT_EQ(ParseGre(empty, &h), GreError::kNoSeqNoAck);
  // An ack-only header claiming a payload.
  const B ack_with_len = {0x20, 0x81, 0x88, 0x0b, 0x00, 0x01, 0x00,
                          0x01, 0x00, 0x00, 0x00, 0x00, 0x99};
  EXPECT_EQ(ParseGre(ack_with_len, &h), GreError::kPayloadWithoutSeq);
  // Zero-length data (S set, length 0) is a valid, empty payload.
  const B zero_data = {0x30, 0x01, 0x88, 0x0b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09};
  ASSERT_EQ(ParseGre(zero_data, &h), GreError::kOk);
  EXPECT_EQ(h.seq, 9u);
  EXPECT_EQ(GreErrorName(GreError::kPayloadWithoutSeq), "payload-without-seq");
}

TEST(Gre, StripLeavesPacketAloneOnError) {
  const B bad = {0x30, 0x01, 0x88, 0x0b, 0x00, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x01};
  Packet p = Packet::Copy(bad);
  GreHeader h;
  EXPECT_EQ(StripGre(p, &h), GreError::kPayloadOverrun);
  EXPECT_EQ(p.size(), bad.size());
}

}  // namespace
}  // namespace mlppp::link::pptp
