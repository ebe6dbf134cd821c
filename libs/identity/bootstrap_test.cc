#include "kinora/identity/bootstrap.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "kinora/identity/password.h"
#include "sqlite/sqlite_identity_store.h"
#include "test_scratch.h"

namespace kinora::identity {
namespace {

using test_support::ScratchDir;

// What the log callback was told.
struct Logged {
  std::mutex mu;
  std::vector<std::string> lines;
  BootstrapLog sink() {
    return [this](std::string_view m) {
      std::lock_guard lock(mu);
      lines.emplace_back(m);
    };
  }
};

std::unique_ptr<IdentityStore> MustOpen(const std::filesystem::path& file) {
  auto s = NewSqliteIdentityStore(file);
  if (!s) ADD_FAILURE() << s.error().message;
  return s ? std::move(*s) : nullptr;
}

TEST(EnsureFirstAdmin, GeneratesAPasswordLogsItOnceAndAsksToChangeIt) {
  auto store = MustOpen(ScratchDir::NewFile());
  ASSERT_TRUE(store);
  Logged logged;
  auto id = EnsureFirstAdmin(*store, "admin", "", logged.sink());
  ASSERT_TRUE(id) << id.error().message;
  auto admin = store->GetUser(*id);
  ASSERT_TRUE(admin) << admin.error().message;
  EXPECT_EQ(admin->username, "admin");
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_TRUE(admin->must_change_password);
  EXPECT_FALSE(admin->disabled);
  EXPECT_TRUE(admin->approved);

  ASSERT_EQ(logged.lines.size(), 1u);
  const std::string& line = logged.lines[0];
  EXPECT_NE(line.find("'admin'"), std::string::npos) << line;
  EXPECT_NE(line.find("change"), std::string::npos) << line;
  // The logged password is the account's.
  const size_t at = line.find("password ");
  ASSERT_NE(at, std::string::npos) << line;
  EXPECT_TRUE(VerifyPassword(admin->password_hash, line.substr(at + 9, 20))) << line;

  // Later starts change nothing and log nothing.
  auto again = EnsureFirstAdmin(*store, "admin", "", logged.sink());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *id);
  EXPECT_EQ(logged.lines.size(), 1u);
  EXPECT_EQ(*store->CountUsers(), 1);
}

TEST(EnsureFirstAdmin, UsesTheOperatorsPasswordWithoutLoggingIt) {
  auto store = MustOpen(ScratchDir::NewFile());
  ASSERT_TRUE(store);
  Logged logged;
  auto id = EnsureFirstAdmin(*store, "root", "a good long password", logged.sink());
  ASSERT_TRUE(id) << id.error().message;
  auto admin = store->FindUser("root");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->user_id, *id);
  EXPECT_FALSE(admin->must_change_password);
  EXPECT_TRUE(VerifyPassword(admin->password_hash, "a good long password"));
  EXPECT_TRUE(logged.lines.empty());
}

TEST(EnsureFirstAdmin, RefusesABadNameOrAWeakPassword) {
  auto store = MustOpen(ScratchDir::NewFile());
  ASSERT_TRUE(store);
  auto weak = EnsureFirstAdmin(*store, "admin", "short", {});
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().code, ErrorCode::kInvalidArgument);
  auto bad_name = EnsureFirstAdmin(*store, "the admin", "", {});
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*store->CountUsers(), 0);
}

TEST(EnsureFirstAdmin, ReturnsTheOldestAdminWhenUsersExist) {
  auto store = MustOpen(ScratchDir::NewFile());
  ASSERT_TRUE(store);
  auto add = [&](const std::string& name, Role role, int64_t at) {
    User u;
    u.username = name;
    u.password_hash = "h";
    u.role = role;
    u.created_at = at;
    auto r = store->CreateUser(u);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->user_id : std::string();
  };
  add("early-user", Role::kUser, 1000);
  const std::string first = add("first-admin", Role::kAdmin, 2000);
  add("second-admin", Role::kAdmin, 3000);
  Logged logged;
  auto id = EnsureFirstAdmin(*store, "admin", "", logged.sink());
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, first);
  EXPECT_TRUE(logged.lines.empty());
  EXPECT_FALSE(store->FindUser("admin"));
}

TEST(EnsureFirstAdmin, UsersWithoutAnAdminAreNotFound) {
  auto store = MustOpen(ScratchDir::NewFile());
  ASSERT_TRUE(store);
  User u;
  u.username = "bob";
  u.password_hash = "h";
  ASSERT_TRUE(store->CreateUser(u));
  auto id = EnsureFirstAdmin(*store, "admin", "", {});
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kNotFound);
  EXPECT_NE(id.error().message.find("--role admin"), std::string::npos);
}

TEST(EnsureFirstAdmin, ProcessesStartingTogetherAgreeOnOneAdmin) {
  // Each thread stands for a process: its own store (connections) on the shared file.
  const auto file = ScratchDir::NewFile();
  ASSERT_TRUE(MustOpen(file));
  Logged logged;
  constexpr int kStarts = 4;
  std::vector<std::string> ids(kStarts);
  std::vector<std::thread> starts;
  for (int i = 0; i < kStarts; ++i) {
    starts.emplace_back([&, i] {
      auto store = NewSqliteIdentityStore(file);
      if (!store) {
        ADD_FAILURE() << store.error().message;
        return;
      }
      auto id = EnsureFirstAdmin(**store, "admin", "", logged.sink());
      if (!id) ADD_FAILURE() << id.error().message;
      if (id) ids[static_cast<size_t>(i)] = *id;
    });
  }
  for (auto& t : starts) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(logged.lines.size(), 1u);
  auto store = MustOpen(file);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->CountUsers(), 1);
}

}  // namespace
}  // namespace kinora::identity
