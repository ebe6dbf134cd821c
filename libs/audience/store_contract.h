// The AudienceStore suite, run against each backend (SQLite in the unit tests, PostgreSQL as a
// peer test): what a batch stores, replays, dedupe, the video check, group commit under
// concurrency, and the sweeper.
// Thread safety: test-only.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "kinora/audience/store.h"

namespace kinora::audience {

struct StoreBackend {
  std::string name;
  std::function<std::string()> new_url;  // a fresh, empty database
};

class AudienceStoreContract : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  std::unique_ptr<AudienceStore> store_;
};

inline std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& p) {
  return p.param.name;
}

}  // namespace kinora::audience
