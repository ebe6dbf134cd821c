#include "access_wiring.h"

#include <gtest/gtest.h>

#include "kinora/http/security_headers.h"
#include "kinora/storage/fault_injection.h"
#include "kinora/storage/mem_store.h"

namespace kinora::app {
namespace {

// A store that hands out URLs on a bucket's origin, as the S3 store does.
class BucketStore final : public storage::ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;
  std::optional<std::string> PresignedOrigin() const override { return "http://127.0.0.1:9000"; }
};

TEST(GuardOptionsFrom, TheStoresOriginJoinsThePagesPolicy) {
  const Config c = Validate(FromEnvironment({}), 2).config;
  auto mem = storage::NewMemStore();
  BucketStore bucket(*mem);
  auto with_bucket = GuardOptionsFrom(c, true, &bucket);
  ASSERT_TRUE(with_bucket) << with_bucket.error().message;
  EXPECT_EQ(with_bucket->headers.media_origins, std::vector<std::string>{"http://127.0.0.1:9000"});
  const std::string csp = http::ContentSecurityPolicy(with_bucket->headers);
  EXPECT_NE(csp.find("connect-src 'self' http://127.0.0.1:9000;"), std::string::npos) << csp;

  // Local files are served by the site itself: nothing is added.
  auto local = GuardOptionsFrom(c, true, mem.get());
  ASSERT_TRUE(local);
  EXPECT_TRUE(local->headers.media_origins.empty());
}

}  // namespace
}  // namespace kinora::app
