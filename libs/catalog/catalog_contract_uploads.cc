// The contract's resumable-upload tests (uploads.h, docs/uploads.md): the row round trip, the
// compare-and-set that records durable progress, completion, deletion, the sweeper's query and
// the bytes an owner's unfinished uploads promise.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catalog_contract.h"

namespace kinora::catalog {
namespace {

constexpr int64_t kNow = 1764000000000;  // unix millis; the catalog keeps no clock for uploads
constexpr int64_t kHour = 3600 * 1000;

// Every field set, none to its default, so a column that reads or writes the wrong member shows.
UploadRow SampleUpload(const std::string& id) {
  UploadRow u;
  u.upload_id = id;
  u.owner_id = "owner-" + id;
  u.video_id = "video-" + id;
  u.filename = "My Holiday — ünïcode " + id + ".MP4";
  u.extension = "mp4";
  u.title = "Holiday " + id;
  u.description = "line one\nline 'two'";
  u.visibility = "unlisted";
  u.correlation_id = "corr-" + id;
  u.length = 5'000'000'000;  // past 32 bits
  u.offset = 16 * 1024 * 1024;
  u.store_state = R"({"upload_id":"s3-xyz","parts":["\"etag1\""],"tail":1})";
  u.created_at = kNow - kHour;
  u.expires_at = kNow + 24 * kHour;
  u.complete = false;
  return u;
}

// A 32-hex-character id, as the tus handler makes them, from a small number.
std::string UploadId(int n) {
  std::string s = std::to_string(n);
  return std::string(32 - s.size(), '0') + s;
}

void ExpectSameUpload(const UploadRow& a, const UploadRow& b) {
  EXPECT_EQ(a.upload_id, b.upload_id);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.video_id, b.video_id);
  EXPECT_EQ(a.filename, b.filename);
  EXPECT_EQ(a.extension, b.extension);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.visibility, b.visibility);
  EXPECT_EQ(a.correlation_id, b.correlation_id);
  EXPECT_EQ(a.length, b.length);
  EXPECT_EQ(a.offset, b.offset);
  EXPECT_EQ(a.store_state, b.store_state);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.expires_at, b.expires_at);
  EXPECT_EQ(a.complete, b.complete);
}

std::vector<std::string> Ids(const std::vector<UploadRow>& rows) {
  std::vector<std::string> out;
  for (const UploadRow& u : rows) out.push_back(u.upload_id);
  return out;
}

TEST_P(CatalogContract, UploadRowRoundTripsEveryField) {
  UploadRow u = SampleUpload(UploadId(1));
  ASSERT_TRUE(catalog().InsertUpload(u));
  auto got = catalog().GetUpload(u.upload_id);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameUpload(*got, u);

  UploadRow done = SampleUpload(UploadId(2));  // a complete one, of no account, from offset 0
  done.owner_id = "";
  done.offset = 0;
  done.store_state = "";
  done.complete = true;
  ASSERT_TRUE(catalog().InsertUpload(done));
  got = catalog().GetUpload(done.upload_id);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameUpload(*got, done);

  EXPECT_EQ(catalog().GetUpload(UploadId(3)).error().code, ErrorCode::kNotFound);
}

TEST_P(CatalogContract, UploadIdsAreUnique) {
  UploadRow u = SampleUpload(UploadId(1));
  ASSERT_TRUE(catalog().InsertUpload(u));
  UploadRow again = SampleUpload(UploadId(1));
  again.length = 7;
  again.offset = 0;
  EXPECT_EQ(catalog().InsertUpload(again).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(catalog().GetUpload(u.upload_id)->length, u.length);  // the first one is kept
}

TEST_P(CatalogContract, UploadRowsAreValidated) {
  UploadRow u = SampleUpload("");
  EXPECT_EQ(catalog().InsertUpload(u).error().code, ErrorCode::kInvalidArgument);
  u = SampleUpload(UploadId(1));
  u.offset = u.length + 1;
  EXPECT_EQ(catalog().InsertUpload(u).error().code, ErrorCode::kInvalidArgument);
  u.offset = -1;
  EXPECT_EQ(catalog().InsertUpload(u).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog().GetUpload(u.upload_id).error().code, ErrorCode::kNotFound);
}

TEST_P(CatalogContract, AdvanceUploadIsACompareAndSetOnTheOffset) {
  UploadRow u = SampleUpload(UploadId(1));
  u.offset = 100;
  u.length = 1000;
  ASSERT_TRUE(catalog().InsertUpload(u));

  auto r = catalog().AdvanceUpload(u.upload_id, 100, 600, "state-600", kNow + 48 * kHour);
  ASSERT_TRUE(r) << r.error().message;
  auto got = catalog().GetUpload(u.upload_id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->offset, 600);
  EXPECT_EQ(got->store_state, "state-600");
  EXPECT_EQ(got->expires_at, kNow + 48 * kHour);
  EXPECT_FALSE(got->complete);
  EXPECT_EQ(got->length, 1000);  // what the advance does not name stays
  EXPECT_EQ(got->video_id, u.video_id);

  // A request that read the old offset lost the race: nothing of it is recorded.
  EXPECT_EQ(catalog().AdvanceUpload(u.upload_id, 100, 700, "stale", kNow).error().code,
            ErrorCode::kAlreadyExists);
  got = catalog().GetUpload(u.upload_id);
  EXPECT_EQ(got->offset, 600);
  EXPECT_EQ(got->store_state, "state-600");
  EXPECT_EQ(got->expires_at, kNow + 48 * kHour);

  // Same offset (no new bytes): the state and expiry may still move.
  ASSERT_TRUE(catalog().AdvanceUpload(u.upload_id, 600, 600, "tail", kNow + 49 * kHour));
  EXPECT_EQ(catalog().GetUpload(u.upload_id)->store_state, "tail");
  // Up to the length exactly, not past it, never back.
  EXPECT_EQ(catalog().AdvanceUpload(u.upload_id, 600, 1001, "", kNow).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog().AdvanceUpload(u.upload_id, 600, 500, "", kNow).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog().GetUpload(u.upload_id)->offset, 600);
  ASSERT_TRUE(catalog().AdvanceUpload(u.upload_id, 600, 1000, "all", kNow + 50 * kHour));
  EXPECT_EQ(catalog().GetUpload(u.upload_id)->offset, 1000);

  EXPECT_EQ(catalog().AdvanceUpload(UploadId(9), 0, 10, "", kNow).error().code,
            ErrorCode::kNotFound);
}

// Two PATCHes of the same upload racing from the same offset: exactly one records its bytes.
TEST_P(CatalogContract, RacingAdvancesFromOneOffsetHaveOneWinner) {
  UploadRow u = SampleUpload(UploadId(1));
  u.offset = 0;
  u.length = 1000;
  ASSERT_TRUE(catalog().InsertUpload(u));
  constexpr int kRacers = 8;
  std::atomic<int> won{0}, lost{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      auto r = catalog().AdvanceUpload(u.upload_id, 0, 100 + i, "racer-" + std::to_string(i),
                                       kNow + kHour);
      if (r) {
        ++won;
      } else if (r.error().code == ErrorCode::kAlreadyExists) {
        ++lost;
      } else {
        ADD_FAILURE() << r.error().message;
      }
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), kRacers - 1);
  auto got = catalog().GetUpload(u.upload_id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->store_state, "racer-" + std::to_string(got->offset - 100));  // one, whole
}

TEST_P(CatalogContract, ACompleteUploadRefusesToAdvance) {
  UploadRow u = SampleUpload(UploadId(1));
  u.offset = 1000;
  u.length = 1000;
  ASSERT_TRUE(catalog().InsertUpload(u));
  auto done = catalog().CompleteUpload(u.upload_id, kNow + 2 * kHour);
  ASSERT_TRUE(done) << done.error().message;
  auto got = catalog().GetUpload(u.upload_id);
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->complete);
  EXPECT_EQ(got->expires_at, kNow + 2 * kHour);
  EXPECT_EQ(got->offset, 1000);
  EXPECT_EQ(got->video_id, u.video_id);

  EXPECT_EQ(catalog().AdvanceUpload(u.upload_id, 1000, 1000, "again", kNow).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(catalog().GetUpload(u.upload_id)->store_state, u.store_state);
  EXPECT_EQ(catalog().CompleteUpload(UploadId(9), kNow).error().code, ErrorCode::kNotFound);
}

TEST_P(CatalogContract, DeleteUploadRemovesTheRowAndMissingIsFine) {
  UploadRow u = SampleUpload(UploadId(1));
  ASSERT_TRUE(catalog().InsertUpload(u));
  ASSERT_TRUE(catalog().InsertUpload(SampleUpload(UploadId(2))));
  ASSERT_TRUE(catalog().DeleteUpload(u.upload_id));
  EXPECT_EQ(catalog().GetUpload(u.upload_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(catalog().AdvanceUpload(u.upload_id, u.offset, u.offset + 1, "", kNow).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(catalog().DeleteUpload(u.upload_id));  // twice is fine
  EXPECT_TRUE(catalog().GetUpload(UploadId(2)));     // others stay
  ASSERT_TRUE(catalog().InsertUpload(u));            // and the id may be used again
}

TEST_P(CatalogContract, ExpiredUploadsComeOldestFirstUpToTheLimit) {
  // Expiry times out of insertion order, one tie (broken by id), complete ones included.
  const std::vector<std::pair<int, int64_t>> rows = {
      {1, kNow - 3 * kHour}, {2, kNow + kHour}, {3, kNow - 5 * kHour}, {4, kNow},
      {5, kNow - 3 * kHour}, {6, kNow + 1},     {7, kNow - 4 * kHour}};
  for (const auto& [n, expires] : rows) {
    UploadRow u = SampleUpload(UploadId(n));
    u.expires_at = expires;
    u.complete = n == 7;
    ASSERT_TRUE(catalog().InsertUpload(u));
  }
  auto all = catalog().ExpiredUploads(kNow, 100);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(Ids(*all), (std::vector<std::string>{UploadId(3), UploadId(7), UploadId(1), UploadId(5),
                                                 UploadId(4)}));  // <= now
  ASSERT_FALSE(all->empty());
  ExpectSameUpload((*all)[0], [&] {
    UploadRow u = SampleUpload(UploadId(3));
    u.expires_at = kNow - 5 * kHour;
    return u;
  }());
  EXPECT_TRUE((*all)[1].complete);

  auto some = catalog().ExpiredUploads(kNow, 2);
  ASSERT_TRUE(some);
  EXPECT_EQ(Ids(*some), (std::vector<std::string>{UploadId(3), UploadId(7)}));
  EXPECT_TRUE(catalog().ExpiredUploads(kNow, 0).value().empty());
  EXPECT_TRUE(catalog().ExpiredUploads(kNow - 6 * kHour, 100).value().empty());
  EXPECT_EQ(catalog().ExpiredUploads(kNow + kHour, 100).value().size(), rows.size());
}

TEST_P(CatalogContract, PendingUploadBytesCountsTheOwnersUnfinishedUnexpiredUploads) {
  EXPECT_EQ(catalog().PendingUploadBytes("alice", kNow).value(), 0);
  struct Row {
    int n;
    std::string owner;
    int64_t length;
    int64_t expires_at;
    bool complete;
  };
  const std::vector<Row> rows = {
      {1, "alice", 5'000'000'000, kNow + kHour, false},  // counts
      {2, "alice", 300, kNow + 1, false},                // counts
      {3, "alice", 7000, kNow + kHour, true},            // complete: a video now
      {4, "alice", 11000, kNow, false},                  // expired at now
      {5, "alice", 13000, kNow - kHour, false},          // expired
      {6, "bob", 17000, kNow + kHour, false},            // another owner's
      {7, "", 19000, kNow + kHour, false},               // nobody's
  };
  for (const Row& r : rows) {
    UploadRow u = SampleUpload(UploadId(r.n));
    u.owner_id = r.owner;
    u.length = r.length;
    u.offset = r.length / 2;
    u.expires_at = r.expires_at;
    u.complete = r.complete;
    ASSERT_TRUE(catalog().InsertUpload(u));
  }
  auto alice = catalog().PendingUploadBytes("alice", kNow);
  ASSERT_TRUE(alice) << alice.error().message;
  EXPECT_EQ(*alice, 5'000'000'300);  // the declared lengths, not the offsets
  EXPECT_EQ(catalog().PendingUploadBytes("bob", kNow).value(), 17000);
  EXPECT_EQ(catalog().PendingUploadBytes("carol", kNow).value(), 0);
  EXPECT_EQ(catalog().PendingUploadBytes("alice", kNow - 2 * kHour).value(),
            5'000'000'300 + 11000 + 13000);

  // Completing one takes it off the count.
  ASSERT_TRUE(catalog().CompleteUpload(UploadId(2), kNow + kHour));
  EXPECT_EQ(catalog().PendingUploadBytes("alice", kNow).value(), 5'000'000'000);
  ASSERT_TRUE(catalog().DeleteUpload(UploadId(1)));
  EXPECT_EQ(catalog().PendingUploadBytes("alice", kNow).value(), 0);
}

}  // namespace
}  // namespace kinora::catalog
