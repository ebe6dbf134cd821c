// The resumable-put part of the ObjectStore contract (resumable.h), run for every backend that
// has them; backends without them (memory) answer kUnsupported and skip.
#include <string>

#include "kinora/storage/object_store_contract.h"
#include "kinora/storage/resumable.h"

namespace kinora::storage::testing {
namespace {

constexpr std::string_view kUpload = "0123456789abcdef0123456789abcdef";
constexpr std::string_view kKey = "originals/resumed.mp4";

std::string Pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

// One request of a resumable upload: resume from `at`, write `data` in odd-sized pieces taking
// checkpoints as a server would, flush. Returns the flushed checkpoint.
ResumableCheckpoint Request(ObjectStore& store, const ResumableCheckpoint& at,
                            const std::string& data, std::vector<ResumableCheckpoint>* seen) {
  auto w = store.ResumePut(kUpload, kKey, at);
  EXPECT_TRUE(w) << w.error().message;
  if (!w) return at;
  for (size_t i = 0; i < data.size(); i += 777777) {
    auto piece = std::string_view(data).substr(i, 777777);
    EXPECT_TRUE((*w)->Write(piece));
    if (auto point = (*w)->TakeCheckpoint()) {
      if (seen) seen->push_back(*point);
      (*w)->Recorded();
    }
  }
  auto flushed = (*w)->Flush();
  EXPECT_TRUE(flushed) << flushed.error().message;
  (*w)->Recorded();
  EXPECT_EQ(flushed->offset, at.offset + data.size());
  return *flushed;
}

std::string Read(ObjectStore& store, std::string_view key) {
  auto bytes = GetBytes(store, key, 256 << 20);
  EXPECT_TRUE(bytes) << bytes.error().message;
  return bytes ? *bytes : std::string();
}

TEST_P(ObjectStoreContract, ResumablePutAssemblesRequestsAndAppearsOnlyWhenComplete) {
  const std::string all = Pattern(21 << 20, 7);
  auto created = store().CreateResumable(kUpload, kKey, "video/mp4", all.size());
  if (!created && created.error().code == ErrorCode::kUnsupported) GTEST_SKIP();
  ASSERT_TRUE(created) << created.error().message;
  ResumableCheckpoint at{.offset = 0, .state = *created};
  const size_t cuts[] = {0, 3 << 20, (3 << 20) + 1, 15 << 20, all.size()};
  for (size_t i = 0; i + 1 < std::size(cuts); ++i) {
    at = Request(store(), at, all.substr(cuts[i], cuts[i + 1] - cuts[i]), nullptr);
    EXPECT_EQ(store().Head(kKey).error().code, ErrorCode::kNotFound);
  }
  auto w = store().ResumePut(kUpload, kKey, at);
  ASSERT_TRUE(w);
  auto info = (*w)->Complete();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->size, all.size());
  EXPECT_EQ(Read(store(), kKey), all);
  // Nothing else stays behind: no tail objects, no temp names in listings.
  auto listed = store().List("", "", 1000);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->objects.size(), 1u);
  EXPECT_EQ(listed->objects[0].key, kKey);
}

TEST_P(ObjectStoreContract, ResumingFromAnOlderCheckpointDropsWhatCameAfterIt) {
  const std::string a = Pattern((9 << 20) + 5, 1), b = Pattern(2 << 20, 2),
                    c = Pattern((4 << 20) + 3, 3);
  auto created = store().CreateResumable(kUpload, kKey, "video/mp4", a.size() + c.size());
  if (!created && created.error().code == ErrorCode::kUnsupported) GTEST_SKIP();
  ASSERT_TRUE(created);
  std::vector<ResumableCheckpoint> seen;
  const ResumableCheckpoint after_a = Request(store(), {0, *created}, a, &seen);
  // b is written and even flushed, but its checkpoint is never recorded (a crash, a checksum
  // mismatch): resuming from after_a must not see it.
  {
    auto w = store().ResumePut(kUpload, kKey, after_a);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write(b));
    ASSERT_TRUE((*w)->Flush());
  }
  const ResumableCheckpoint end = Request(store(), after_a, c, nullptr);
  auto w = store().ResumePut(kUpload, kKey, end);
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->Complete());
  EXPECT_EQ(Read(store(), kKey), a + c);
}

TEST_P(ObjectStoreContract, ACheckpointTakenMidRequestIsAPlaceToResumeFrom) {
  const std::string all = Pattern(96 << 20, 9);
  auto created = store().CreateResumable(kUpload, kKey, "video/mp4", all.size());
  if (!created && created.error().code == ErrorCode::kUnsupported) GTEST_SKIP();
  ASSERT_TRUE(created);
  std::vector<ResumableCheckpoint> seen;
  {
    auto w = store().ResumePut(kUpload, kKey, {0, *created});
    ASSERT_TRUE(w);
    for (size_t i = 0; i < 80u << 20; i += 1 << 20) {
      ASSERT_TRUE((*w)->Write(std::string_view(all).substr(i, 1 << 20)));
      if (auto point = (*w)->TakeCheckpoint()) seen.push_back(*point);
    }
    // The process dies here: no Flush, no Complete.
  }
  ASSERT_FALSE(seen.empty());
  const ResumableCheckpoint last = seen.back();
  EXPECT_GT(last.offset, 0u);
  EXPECT_LE(last.offset, 80u << 20);
  const ResumableCheckpoint end = Request(store(), last, all.substr(last.offset), nullptr);
  auto w = store().ResumePut(kUpload, kKey, end);
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->Complete());
  EXPECT_EQ(Read(store(), kKey), all);
}

TEST_P(ObjectStoreContract, AbortedResumablePutLeavesNothing) {
  const std::string data = Pattern((6 << 20) + 11, 4);
  auto created = store().CreateResumable(kUpload, kKey, "video/mp4", 2 * data.size());
  if (!created && created.error().code == ErrorCode::kUnsupported) GTEST_SKIP();
  ASSERT_TRUE(created);
  const ResumableCheckpoint at = Request(store(), {0, *created}, data, nullptr);
  auto aborted = store().AbortResumable(kUpload, kKey, at.state);
  ASSERT_TRUE(aborted) << aborted.error().message;
  auto again = store().AbortResumable(kUpload, kKey, at.state);  // repeating is safe
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(store().ResumePut(kUpload, kKey, at) &&
               store().ResumePut(kUpload, kKey, at).value()->Complete());
  EXPECT_EQ(store().Head(kKey).error().code, ErrorCode::kNotFound);
  auto listed = store().List("", "", 1000);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->objects.empty());
}

}  // namespace
}  // namespace kinora::storage::testing
