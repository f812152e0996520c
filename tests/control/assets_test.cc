#include "control/web/assets.h"

#include <gtest/gtest.h>

namespace mlppp::control::web {
namespace {

TEST(Assets, DashboardIsEmbedded) {
  auto html = EmbeddedAsset("dashboard.html");
  ASSERT_TRUE(html.has_value());
  EXPECT_NE(html->find("<title>"), std::string_view::npos);
  EXPECT_FALSE(EmbeddedAsset("nosuch.js").has_value());
  EXPECT_FALSE(EmbeddedAsset("../assets.h").has_value());
}

}  // namespace
}  // namespace mlppp::control::web
