#include "kinora/useragent/device_type.h"

#include <gtest/gtest.h>

namespace kinora::useragent {
namespace {

UapResult Families(std::string agent, std::string os, std::string device, std::string brand = "") {
  UapResult r;
  r.agent.family = std::move(agent);
  r.os.family = std::move(os);
  r.device.family = std::move(device);
  r.device.brand = std::move(brand);
  return r;
}

TEST(DeviceType, Names) {
  EXPECT_EQ(ToString(DeviceType::kDesktop), "desktop");
  EXPECT_EQ(ToString(DeviceType::kMobile), "mobile");
  EXPECT_EQ(ToString(DeviceType::kTablet), "tablet");
  EXPECT_EQ(ToString(DeviceType::kTv), "tv");
  EXPECT_EQ(ToString(DeviceType::kConsole), "console");
  EXPECT_EQ(ToString(DeviceType::kBot), "bot");
  EXPECT_EQ(ToString(DeviceType::kOther), "other");
}

TEST(DeviceType, BotsComeFirst) {
  EXPECT_TRUE(IsBot(Families("Googlebot", "Android", "Spider"), "Googlebot Mobile"));
  EXPECT_TRUE(IsBot(Families("Other", "Other", "Other"), ""));
  EXPECT_TRUE(IsBot(Families("Chrome", "Linux", "Other"), "x HeadlessChrome/120"));
  EXPECT_FALSE(IsBot(Families("Chrome", "Linux", "Other"), "x Chrome/120"));
  EXPECT_EQ(ClassifyDevice(Families("Googlebot", "Android", "Spider"), "Mobile Android"),
            DeviceType::kBot);
}

TEST(DeviceType, AndroidWithoutTheMobileTokenIsATablet) {
  EXPECT_EQ(ClassifyDevice(Families("Chrome", "Android", "K"), "Linux; Android 13; K) Safari"),
            DeviceType::kTablet);
  EXPECT_EQ(ClassifyDevice(Families("Chrome Mobile", "Android", "K"),
                           "Linux; Android 13; K) Mobile Safari"),
            DeviceType::kMobile);
}

TEST(DeviceType, WindowsTabletPcTokenIsNotATablet) {
  EXPECT_EQ(ClassifyDevice(Families("IE", "Windows", "Other"),
                           "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Tablet PC 2.0)"),
            DeviceType::kDesktop);
}

TEST(DeviceType, UnknownIsOther) {
  EXPECT_EQ(ClassifyDevice(Families("Python Requests", "Other", "Other"), "python-requests/2"),
            DeviceType::kOther);
}

}  // namespace
}  // namespace kinora::useragent
