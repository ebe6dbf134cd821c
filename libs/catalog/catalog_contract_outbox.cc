// The contract's outbox and tombstone tests (crash-consistent ingest, deletes that stay deleted).
#include "catalog_contract.h"

namespace kinora::catalog {
namespace {

using namespace std::chrono_literals;

TEST_P(CatalogContract, InsertWithJobWritesTheRowAndItsJobTogether) {
  VideoRecord v = SampleVideo("11111111-1111-4111-8111-111111111111", NowMillis());
  auto id = catalog().InsertWithJob(v, R"({"video_id":"x"})", 0s);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_TRUE(catalog().Get(v.video_id));
  EXPECT_TRUE(catalog().HasPendingJob(v.video_id).value());
  // A duplicate leaves neither a second row nor a second job.
  EXPECT_EQ(catalog().InsertWithJob(v, "again", 0s).error().code, ErrorCode::kAlreadyExists);

  auto due = catalog().ClaimDueJobs(10, 30s);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, *id);
  EXPECT_EQ((*due)[0].video_id, v.video_id);
  EXPECT_EQ((*due)[0].body, R"({"video_id":"x"})");
  EXPECT_EQ((*due)[0].attempts, 0);
  EXPECT_TRUE(catalog().ClaimDueJobs(10, 30s).value().empty());  // claimed: hidden for the lease

  ASSERT_TRUE(catalog().JobPublished(*id));
  EXPECT_FALSE(catalog().HasPendingJob(v.video_id).value());
  EXPECT_TRUE(catalog().JobPublished(*id));  // twice is fine
}

TEST_P(CatalogContract, OutboxEntriesWaitUntilDueAndCountAttempts) {
  VideoRecord v = SampleVideo("22222222-2222-4222-8222-222222222222", NowMillis());
  auto id = catalog().InsertWithJob(v, "job", 60s);  // the uploader publishes it itself first
  ASSERT_TRUE(id);
  EXPECT_TRUE(catalog().ClaimDueJobs(10, 30s).value().empty());
  ASSERT_TRUE(catalog().JobDeferred(*id, 0s, "queue down"));
  auto due = catalog().ClaimDueJobs(10, 0s);
  ASSERT_EQ(due.value().size(), 1u);
  EXPECT_EQ(due.value()[0].attempts, 0);
  due = catalog().ClaimDueJobs(10, 0s);
  ASSERT_EQ(due.value().size(), 1u);
  EXPECT_EQ(due.value()[0].attempts, 1);
}

TEST_P(CatalogContract, AddJobNeedsTheRow) {
  EXPECT_EQ(catalog().AddJob("33333333-3333-4333-8333-333333333333", "job").error().code,
            ErrorCode::kNotFound);
  VideoRecord v = SampleVideo("33333333-3333-4333-8333-333333333333", NowMillis());
  MustInsert(v);
  ASSERT_TRUE(catalog().AddJob(v.video_id, "job"));
  EXPECT_EQ(catalog().ClaimDueJobs(10, 30s).value().size(), 1u);
}

TEST_P(CatalogContract, DeleteLeavesATombstoneAndDropsPendingJobs) {
  VideoRecord v = SampleVideo("44444444-4444-4444-8444-444444444444", NowMillis());
  ASSERT_TRUE(catalog().InsertWithJob(v, "job", 0s));
  EXPECT_FALSE(catalog().WasDeleted(v.video_id).value());
  ASSERT_TRUE(catalog().Delete(v.video_id));
  EXPECT_TRUE(catalog().WasDeleted(v.video_id).value());
  EXPECT_FALSE(catalog().HasPendingJob(v.video_id).value());
  EXPECT_TRUE(catalog().ClaimDueJobs(10, 30s).value().empty());
  EXPECT_FALSE(catalog().WasDeleted("55555555-5555-4555-8555-555555555555").value());
}

}  // namespace
}  // namespace kinora::catalog
