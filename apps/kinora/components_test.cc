#include "components.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kinora::app {
namespace {

using C = Component;

bool Has(const std::vector<Component>& cs, Component c) {
  return std::find(cs.begin(), cs.end(), c) != cs.end();
}

TEST(Components, ServeRunsEveryRoleButProxiesNothing) {
  const std::vector<Component> serve = ComponentsOf(Role::kServe);
  for (Role r : {Role::kGateway, Role::kUploader, Role::kAnalytics, Role::kProcessor}) {
    for (Component c : ComponentsOf(r)) {
      if (c == C::kApiProxy) continue;
      EXPECT_TRUE(Has(serve, c)) << ToString(r) << " runs " << ToString(c);
    }
  }
  EXPECT_FALSE(Has(serve, C::kApiProxy));
  EXPECT_EQ(serve.front(), C::kOps);
  EXPECT_TRUE(Has(serve, C::kAudienceReports));
  EXPECT_TRUE(Has(ComponentsOf(Role::kAnalytics), C::kAudienceReports));
}

TEST(Components, EveryRoleAnswersHealthAndRunsItsOwnPart) {
  for (Role r :
       {Role::kServe, Role::kGateway, Role::kUploader, Role::kAnalytics, Role::kProcessor}) {
    EXPECT_TRUE(Has(ComponentsOf(r), C::kOps)) << ToString(r);
  }
  EXPECT_TRUE(Has(ComponentsOf(Role::kGateway), C::kApiProxy));
  EXPECT_TRUE(Has(ComponentsOf(Role::kGateway), C::kWebApp));
  EXPECT_FALSE(Has(ComponentsOf(Role::kUploader), C::kWebApp));
  EXPECT_EQ(ToString(Role::kAnalytics), "analytics");
  // Crash repair runs where uploads are written (and so in serve), once per deployment role.
  EXPECT_TRUE(Has(ComponentsOf(Role::kUploader), C::kRepair));
  EXPECT_TRUE(Has(ComponentsOf(Role::kServe), C::kRepair));
}

TEST(Components, ResourcesFollowFromComponents) {
  // The gateway keeps no state of its own: no queue, no catalog.
  // The gateway reads the catalog's database: media generations, sessions and tokens.
  EXPECT_TRUE(Needs(ComponentsOf(Role::kGateway), Resource::kCatalog));
  for (Role r : {Role::kGateway, Role::kUploader, Role::kAnalytics, Role::kProcessor}) {
    EXPECT_TRUE(Needs(ComponentsOf(r), Resource::kIdentityStore)) << ToString(r);
  }
  EXPECT_FALSE(Needs(ComponentsOf(Role::kGateway), Resource::kJobQueue));
  EXPECT_FALSE(Needs(ComponentsOf(Role::kAnalytics), Resource::kJobQueue));
  EXPECT_TRUE(Needs(ComponentsOf(Role::kUploader), Resource::kJobQueue));
  EXPECT_FALSE(Needs(ComponentsOf(Role::kProcessor), Resource::kUrlSigner));
  for (Resource res :
       {Resource::kObjectStore, Resource::kJobQueue, Resource::kCatalog, Resource::kUrlSigner}) {
    EXPECT_TRUE(Needs(ComponentsOf(Role::kServe), res));
  }
}

}  // namespace
}  // namespace kinora::app
