#include "control/users.h"

#include <gtest/gtest.h>

namespace mlppp::control {
namespace {

TEST(Users, CheckLogin) {
  std::vector<config::UserConf> users = {
      {"admin", "s3cret", "admin"}, {"op", "pw", "operator"}, {"u", "", "user"}};
  EXPECT_EQ(CheckLogin(users, "admin", "s3cret"), Privilege::kAdmin);
  EXPECT_EQ(CheckLogin(users, "op", "pw"), Privilege::kOperator);
  EXPECT_EQ(CheckLogin(users, "u", ""), Privilege::kUser);
  EXPECT_EQ(CheckLogin(users, "admin", "s3cre"), std::nullopt);
  EXPECT_EQ(CheckLogin(users, "admin", "s3cret "), std::nullopt);
  EXPECT_EQ(CheckLogin(users, "Admin", "s3cret"), std::nullopt);
  EXPECT_EQ(CheckLogin(users, "nobody", ""), std::nullopt);
}

TEST(Users, Names) {
  Privilege p{};
  EXPECT_TRUE(PrivilegeFromName("operator", &p));
  EXPECT_EQ(p, Privilege::kOperator);
  EXPECT_FALSE(PrivilegeFromName("root", &p));
  EXPECT_EQ(PrivilegeName(Privilege::kAdmin), "admin");
  Layer l{};
  EXPECT_TRUE(LayerFromName("ipv6cp", &l));
  EXPECT_EQ(LayerName(l), "ipv6cp");
  EXPECT_FALSE(LayerFromName("lcp", &l));
}

}  // namespace
}  // namespace mlppp::control
