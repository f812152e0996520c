// TelnetCodec: RFC 854 framing in and out, option refusal, and the
// subnegotiation screen in front of libtelnet.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "control/console/telnet_codec.h"

namespace mlppp::control::console {
namespace {

std::string S(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

class Recorder : public TelnetCodec::Handler {
 public:
  void OnTelnetData(std::span<const uint8_t> b) override { data.append(b.begin(), b.end()); }
  void OnTelnetSend(std::span<const uint8_t> b) override { wire.append(b.begin(), b.end()); }
  void OnTelnetCommand(uint8_t cmd) override { commands.push_back(cmd); }
  void OnTelnetOption(TelnetVerb v, uint8_t opt) override {
    options.push_back(std::string(TelnetVerbName(v)) + " " + std::string(TelnetOptionName(opt)));
  }
  void OnTelnetError(std::string_view what) override { errors.emplace_back(what); }

  std::string data, wire;
  std::vector<uint8_t> commands;
  std::vector<std::string> options, errors;
};

class TelnetCodecTest : public ::testing::Test {
 protected:
  void In(const std::string& s) {
    codec_.Receive(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  }
  Recorder rec_;
  TelnetCodec codec_{&rec_};
};

TEST_F(TelnetCodecTest, StartOffersEchoAndSga) {
  codec_.Start();
  EXPECT_EQ(rec_.wire, S({255, 251, 1, 255, 251, 3, 255, 253, 3}));
}

TEST_F(TelnetCodecTest, AgreementsAreReportedWithoutReplies) {
  codec_.Start();
  rec_.wire.clear();
  In(S({255, 253, 1, 255, 251, 3, 255, 253, 3}));
  EXPECT_EQ(rec_.wire, "");  // RFC 1143: an answer to our request is not answered
  EXPECT_TRUE(codec_.echo_accepted());
  EXPECT_EQ(rec_.options, (std::vector<std::string>{"DO ECHO", "WILL SGA", "DO SGA"}));
}

TEST_F(TelnetCodecTest, RefusesOptionsWeDoNotImplement) {
  In(S({255, 253, 31, 255, 251, 24, 255, 251, 1}));  // DO NAWS, WILL TTYPE, WILL ECHO
  EXPECT_EQ(rec_.wire, S({255, 252, 31, 255, 254, 24, 255, 254, 1}));
  EXPECT_TRUE(rec_.options.empty());
}

TEST_F(TelnetCodecTest, IacIacIsOneDataByteEitherWay) {
  In(std::string("a") + S({255, 255}) + "b");
  EXPECT_EQ(rec_.data, std::string("a\xff") + "b");
  codec_.Send(std::string("x\xffy"));
  EXPECT_EQ(rec_.wire, S({'x', 255, 255, 'y'}));
}

TEST_F(TelnetCodecTest, SequencesSplitAcrossReads) {
  In("a" + S({255}));
  In(S({253}));
  In(S({31}) + "b" + S({255}));
  In(S({255, 'c'}));
  EXPECT_EQ(rec_.data, std::string("ab\xff") + "c");
  EXPECT_EQ(rec_.wire, S({255, 252, 31}));
}

TEST_F(TelnetCodecTest, CommandsAreReported) {
  In(S({'x', 255, 244, 255, 247, 255, 241, 'y'}));
  EXPECT_EQ(rec_.commands, (std::vector<uint8_t>{244, 247, 241}));
  EXPECT_EQ(rec_.data, "xy");
  EXPECT_EQ(TelnetCommandName(244), "IP");
}

TEST_F(TelnetCodecTest, SubnegotiationsAreDroppedUnread) {
  // TTYPE IS "xterm", NEW-ENVIRON, COMPRESS2 start: none reaches libtelnet.
  In("a" + S({255, 250, 24, 0}) + "xterm" + S({255, 240}) + "b" +
     S({255, 250, 39, 0, 255, 255, 3}) + S({255, 240}) + S({255, 250, 86, 255, 240}) + "c");
  EXPECT_EQ(rec_.data, "abc");
  EXPECT_EQ(codec_.subnegotiations_ignored(), 3u);
  EXPECT_TRUE(rec_.errors.empty());
  // Split across reads too.
  In(S({255}));
  In(S({250}));
  In(S({31, 0, 80}));
  In(S({255}));
  In(S({240}) + "d");
  EXPECT_EQ(rec_.data, "abcd");
}

TEST_F(TelnetCodecTest, IacCommandInsideSubnegotiationEndsIt) {
  In(S({255, 250, 24, 1, 255, 253, 31}) + "z");  // IAC DO inside SB
  EXPECT_EQ(rec_.wire, S({255, 252, 31}));
  EXPECT_EQ(rec_.data, "z");
  EXPECT_EQ(codec_.protocol_errors(), 1u);
}

TEST_F(TelnetCodecTest, OverlongSubnegotiationFails) {
  In("ok" + S({255, 250, 24}) + std::string(TelnetCodec::kMaxSubnegotiation + 1, 'x') + "lost");
  EXPECT_EQ(rec_.data, "ok");
  ASSERT_EQ(rec_.errors.size(), 1u);
  EXPECT_TRUE(codec_.failed());
  In("more");
  EXPECT_EQ(rec_.data, "ok");
}

}  // namespace
}  // namespace mlppp::control::console
