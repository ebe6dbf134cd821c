// The behaviour every ObjectStore backend must show, as a value-parameterised GoogleTest suite.
// A backend's test file instantiates it with a factory that makes a fresh, empty store:
//   INSTANTIATE_TEST_SUITE_P(Local, ObjectStoreContract,
//                            ::testing::Values(ObjectStoreBackend{"local", MakeLocal}),
//                            ObjectStoreBackendName);
// and links kinora::storage_contract (an object library, so the tests are always linked in).
// Thread safety: test code; each test uses its own store.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "kinora/storage/object_store.h"

namespace kinora::storage::testing {

// One fresh, empty store for one test. `teardown` (may be empty) runs after `store` is
// destroyed, to remove whatever the store lived in (a temp directory, a bucket).
struct StoreInstance {
  std::unique_ptr<ObjectStore> store;
  std::function<void()> teardown;
};

struct ObjectStoreBackend {
  std::string name;  // test-name suffix: [A-Za-z0-9_] only
  std::function<StoreInstance()> make;
};

inline void PrintTo(const ObjectStoreBackend& b, std::ostream* os) { *os << b.name; }

inline std::string ObjectStoreBackendName(
    const ::testing::TestParamInfo<ObjectStoreBackend>& info) {
  return info.param.name;
}

class ObjectStoreContract : public ::testing::TestWithParam<ObjectStoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  ObjectStore& store() { return *instance_.store; }

 private:
  StoreInstance instance_;
};

}  // namespace kinora::storage::testing
