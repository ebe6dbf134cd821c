// The IdentityStore contract: one GoogleTest suite every backend must pass. A backend's test
// binary links kinora::identity_contract and instantiates the suite with a factory for empty
// stores:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, IdentityContract,
//       ::testing::Values(IdentityBackend{"sqlite", [] { return NewSqliteIdentityStore(f); }}),
//       IdentityBackendName);
// Thread safety: test fixtures; each test owns its store.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "kinora/identity/store.h"

namespace kinora::identity {

struct IdentityBackend {
  std::string name;
  // A fresh, empty store; called once per test.
  std::function<Result<std::unique_ptr<IdentityStore>>()> make;
};

inline void PrintTo(const IdentityBackend& b, std::ostream* os) { *os << b.name; }
inline std::string IdentityBackendName(const ::testing::TestParamInfo<IdentityBackend>& info) {
  return info.param.name;
}

class IdentityContract : public ::testing::TestWithParam<IdentityBackend> {
 protected:
  void SetUp() override;

  IdentityStore& store() { return *store_; }

  // A user with every field set to something other than its default (no id, no created_at).
  static User SampleUser(const std::string& username);
  // Creates `username` and fails the test on error.
  User MustCreateUser(const std::string& username, Role role = Role::kUser);
  // A session / token of `user_id` whose hash is derived from `secret`.
  static Session SampleSession(const std::string& user_id, const std::string& secret);
  static ApiToken SampleToken(const std::string& user_id, const std::string& name,
                              int64_t created_at);

 private:
  std::unique_ptr<IdentityStore> store_;
};

// Field-by-field equality, naming the fields that differ.
::testing::AssertionResult SameUser(const User& a, const User& b);
::testing::AssertionResult SameSession(const Session& a, const Session& b);
::testing::AssertionResult SameToken(const ApiToken& a, const ApiToken& b);

}  // namespace kinora::identity
