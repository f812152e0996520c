#include "aaa/internal_backend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aaa/chap_digest.h"

namespace mlppp::aaa {
namespace {

AuthResult Auth(InternalBackend& b, const AuthRequest& req) {
  AuthResult out;
  int calls = 0;
  b.Authenticate(req, [&](AuthResult r) {
    out = std::move(r);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
  return out;
}

AuthRequest Pap(std::string user, std::string pw) {
  AuthRequest r;
  r.proto = AuthProto::kPap;
  r.user = std::move(user);
  r.pap_password = std::move(pw);
  return r;
}

AuthRequest Chap(std::string user, std::string_view secret, uint8_t id = 7) {
  AuthRequest r;
  r.proto = AuthProto::kChapMd5;
  r.user = std::move(user);
  r.chap_id = id;
  r.chap_challenge = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  auto resp = ChapMd5Response(id, secret, r.chap_challenge);
  r.chap_response.assign(resp.begin(), resp.end());
  return r;
}

InternalBackend Backend() {
  return InternalBackend(Secrets::Parse(
      "demo \"demo-pass\"\nfixed pw 10.0.0.200\nprog \"!/bin/echo x\"\n", "s", nullptr));
}

TEST(InternalBackend, PapRightAndWrong) {
  auto b = Backend();
  auto ok = Auth(b, Pap("demo", "demo-pass"));
  EXPECT_TRUE(ok.ok);
  EXPECT_FALSE(ok.framed_ip.has_value());
  auto bad = Auth(b, Pap("demo", "demo-pasS"));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.message, "authentication failed");
  EXPECT_FALSE(Auth(b, Pap("demo", "demo-pass-longer")).ok);
  EXPECT_FALSE(Auth(b, Pap("demo", "")).ok);
  auto unknown = Auth(b, Pap("nobody", "demo-pass"));
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.message, bad.message);  // no user enumeration
  EXPECT_EQ(bad.message.find("demo-pass"), std::string::npos);
}

TEST(InternalBackend, ChapMd5RightAndWrong) {
  auto b = Backend();
  EXPECT_TRUE(Auth(b, Chap("demo", "demo-pass")).ok);
  EXPECT_FALSE(Auth(b, Chap("demo", "wrong")).ok);
  auto req = Chap("demo", "demo-pass");
  req.chap_id = 8;  // response computed for another identifier
  EXPECT_FALSE(Auth(b, req).ok);
  req = Chap("demo", "demo-pass");
  req.chap_response.resize(15);  // truncated
  EXPECT_FALSE(Auth(b, req).ok);
  EXPECT_FALSE(Auth(b, Chap("nobody", "demo-pass")).ok);
}

TEST(InternalBackend, FramedIpFromSecrets) {
  auto b = Backend();
  auto r = Auth(b, Pap("fixed", "pw"));
  ASSERT_TRUE(r.ok);
  ASSERT_TRUE(r.framed_ip.has_value());
  EXPECT_EQ(*r.framed_ip, 0x0A0000C8u);
  EXPECT_EQ(r.framed_ip_width, 32);
}

TEST(InternalBackend, PasswordProgramsFail) {
  auto b = Backend();
  EXPECT_FALSE(Auth(b, Pap("prog", "!/bin/echo x")).ok);
}

TEST(InternalBackend, RereadsTheFileWhenItChanges) {
  auto path = std::filesystem::temp_directory_path() /
              ("mlppp_secret_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::ofstream(path) << "demo one\n";
  InternalBackend b(path.string());
  EXPECT_TRUE(Auth(b, Pap("demo", "one")).ok);
  std::ofstream(path)
      << "demo second\n";  // different size: noticed even within the same mtime tick
  EXPECT_FALSE(Auth(b, Pap("demo", "one")).ok);
  EXPECT_TRUE(Auth(b, Pap("demo", "second")).ok);
  std::filesystem::remove(path);
  auto gone = Auth(b, Pap("demo", "second"));
  EXPECT_FALSE(gone.ok);
  EXPECT_EQ(gone.message, "authentication failed");
}

}  // namespace
}  // namespace mlppp::aaa
