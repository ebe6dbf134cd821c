#include "store_contract.h"

#include <atomic>
#include <thread>
#include <vector>

#include "kinora/audience/session_rules.h"
#include "kinora/audience/viewer.h"

namespace kinora::audience {
namespace {

constexpr int64_t kT0 = 1'700'000'400'000;  // inside an hour, not at its edge
constexpr const char* kVideo = "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";

BeaconEvent Ev(int64_t seq, EventType type) {
  BeaconEvent e;
  e.seq = seq;
  e.type = type;
  return e;
}

BeaconEvent Hb(int64_t seq, int64_t from_ms, int64_t to_ms) {
  BeaconEvent e = Ev(seq, EventType::kHeartbeat);
  e.ranges = {{from_ms, to_ms}};
  return e;
}

IngestBatch Batch(const std::string& view, std::vector<BeaconEvent> events,
                  const std::string& viewer = "viewer-1") {
  IngestBatch b;
  b.beacon.video_id = kVideo;
  b.beacon.view_id = view;
  b.beacon.duration_ms = 100'000;
  b.beacon.events = std::move(events);
  b.viewer.viewer_key = std::string(32, 'a');
  b.viewer.country = "FR";
  b.viewer.browser = "Firefox";
  b.dedupe_key = "dedupe-" + viewer;
  b.dedupe_hour = RollupHour(kT0);
  return b;
}

int64_t One(SqlBackend& sql, const std::string& q) {
  auto r = sql.Read(q, {}, 1);
  EXPECT_TRUE(r) << r.error().message;
  return r && !r->empty() ? r->Int(0, 0) : -1;
}

}  // namespace

void AudienceStoreContract::SetUp() {
  auto s = OpenAudienceStore(GetParam().new_url());
  ASSERT_TRUE(s) << s.error().message;
  store_ = std::move(*s);
}

TEST_P(AudienceStoreContract, AViewIsStoredRolledUpAndCountedOnce) {
  auto a = store_->Ingest(Batch("view-aaaaaaaaaaaaaaaa", {Ev(0, EventType::kViewStart)}), kT0);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->accepted, 1);
  EXPECT_FALSE(a->counted);
  BeaconEvent playing = Ev(1, EventType::kPlaying);
  playing.startup_ms = 300;
  auto b =
      store_->Ingest(Batch("view-aaaaaaaaaaaaaaaa", {playing, Hb(2, 0, 10'000)}), kT0 + 10'000);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->accepted, 2);
  EXPECT_TRUE(b->counted);
  // A replay is accepted and ignored.
  auto replay =
      store_->Ingest(Batch("view-aaaaaaaaaaaaaaaa", {playing, Hb(2, 0, 10'000)}), kT0 + 12'000);
  ASSERT_TRUE(replay);
  EXPECT_TRUE(replay->replay);
  EXPECT_EQ(replay->accepted, 0);

  auto s = store_->GetSession("view-aaaaaaaaaaaaaaaa");
  ASSERT_TRUE(s && *s);
  EXPECT_EQ((*s)->credited_ms, 10'000);
  EXPECT_TRUE((*s)->counted);
  EXPECT_EQ((*s)->max_seq, 2);
  EXPECT_EQ((*s)->covered, (std::vector<PlayedRange>{{0, 10'000}}));
  EXPECT_EQ((*s)->browser, "Firefox");

  SqlBackend& sql = store_->sql();
  EXPECT_EQ(One(sql, "SELECT plays FROM audience_hourly"), 1);
  EXPECT_EQ(One(sql, "SELECT views FROM audience_hourly"), 1);
  EXPECT_EQ(One(sql, "SELECT watch_ms FROM audience_hourly"), 10'000);
  EXPECT_EQ(One(sql, "SELECT startup_sum_ms FROM audience_hourly"), 300);
  EXPECT_EQ(One(sql, "SELECT count FROM audience_startup_histogram WHERE le_ms = 500"), 1);
  EXPECT_EQ(One(sql,
                "SELECT COUNT(*) FROM audience_retention WHERE kind = 'first' AND "
                "resolution = 'percent'"),
            10);
  EXPECT_EQ(One(sql, "SELECT COUNT(*) FROM audience_daily_viewers"), 1);
  EXPECT_EQ(One(sql, "SELECT viewers FROM audience_daily_unique"), 1);
  EXPECT_EQ(One(sql,
                "SELECT views FROM audience_dimension_daily WHERE dimension = 'browser' "
                "AND value = 'Firefox'"),
            1);
  EXPECT_EQ(One(sql, "SELECT watch_ms FROM audience_dimension_daily WHERE dimension = 'country'"),
            10'000);
  EXPECT_EQ(One(sql, "SELECT viewers FROM audience_concurrency"), 1);

  // The same viewer's second view in the hour qualifies but is not counted.
  ASSERT_TRUE(
      store_->Ingest(Batch("view-bbbbbbbbbbbbbbbb", {Ev(0, EventType::kViewStart)}), kT0 + 20'000));
  auto second = store_->Ingest(Batch("view-bbbbbbbbbbbbbbbb", {Hb(1, 0, 12'000)}), kT0 + 30'000);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->counted);
  EXPECT_EQ(One(sql, "SELECT views FROM audience_hourly"), 1);
  EXPECT_EQ(One(sql, "SELECT plays FROM audience_hourly"), 2);
}

TEST_P(AudienceStoreContract, AViewIdBelongsToOneVideo) {
  ASSERT_TRUE(store_->Ingest(Batch("view-cccccccccccccccc", {Ev(0, EventType::kViewStart)}), kT0));
  IngestBatch other = Batch("view-cccccccccccccccc", {Ev(1, EventType::kPause)});
  other.beacon.video_id = "2b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";
  auto r = store_->Ingest(other, kT0 + 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(AudienceStoreContract, ExcludedViewsAreStoredButNotRolledUp) {
  IngestBatch bot = Batch("view-dddddddddddddddd", {Ev(0, EventType::kViewStart)});
  bot.viewer.bot = true;
  ASSERT_TRUE(store_->Ingest(bot, kT0));
  auto r = store_->Ingest(Batch("view-dddddddddddddddd", {Hb(1, 0, 12'000)}), kT0 + 10'000);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->counted);
  EXPECT_EQ(One(store_->sql(), "SELECT COUNT(*) FROM audience_hourly"), 0);
  auto s = store_->GetSession("view-dddddddddddddddd");
  ASSERT_TRUE(s && *s);
  EXPECT_TRUE((*s)->bot);
  EXPECT_EQ((*s)->credited_ms, 12'000);
}

TEST_P(AudienceStoreContract, ConcurrentBatchesAreAllApplied) {
  constexpr int kViews = 16, kBatches = 6;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int v = 0; v < kViews; ++v) {
    threads.emplace_back([&, v] {
      const std::string view = "view-concurrent-" + std::to_string(1000 + v);
      const std::string viewer = "viewer-" + std::to_string(v);
      if (!store_->Ingest(Batch(view, {Ev(0, EventType::kViewStart)}, viewer), kT0)) ++failures;
      for (int i = 1; i <= kBatches; ++i) {
        auto r = store_->Ingest(Batch(view, {Hb(i, (i - 1) * 2'000, i * 2'000)}, viewer),
                                kT0 + i * 2'000);
        if (!r || r->accepted != 1) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  SqlBackend& sql = store_->sql();
  EXPECT_EQ(One(sql, "SELECT plays FROM audience_hourly"), kViews);
  EXPECT_EQ(One(sql, "SELECT watch_ms FROM audience_hourly"), kViews * kBatches * 2'000);
  EXPECT_EQ(One(sql, "SELECT views FROM audience_hourly"), kViews);
}

TEST_P(AudienceStoreContract, SaltsAreStablePerDay) {
  auto a = store_->SaltFor(86400 * 100);
  auto b = store_->SaltFor(86400 * 100);
  auto c = store_->SaltFor(86400 * 101);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(a->size(), 64u);
}

TEST_P(AudienceStoreContract, ClaimDedupeOncePerKey) {
  EXPECT_TRUE(*store_->ClaimDedupe("k1", 3600));
  EXPECT_FALSE(*store_->ClaimDedupe("k1", 3600));
  EXPECT_TRUE(*store_->ClaimDedupe("k2", 3600));
}

TEST_P(AudienceStoreContract, TheSweeperFinalisesAndForgets) {
  ASSERT_TRUE(store_->Ingest(Batch("view-eeeeeeeeeeeeeeee", {Ev(0, EventType::kViewStart)}), kT0));
  ASSERT_TRUE(store_->SaltFor(RollupDay(kT0)));
  SweepPolicy p;
  auto early = store_->Sweep(kT0 + 60'000, p);
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->finalised, 0);
  EXPECT_EQ(early->dedupe_deleted, 0);
  auto later = store_->Sweep(kT0 + p.idle_ms + 1, p);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->finalised, 1);
  EXPECT_EQ(One(store_->sql(), "SELECT exits_before_start FROM audience_hourly"), 1);
  auto s = store_->GetSession("view-eeeeeeeeeeeeeeee");
  ASSERT_TRUE(s && *s);
  EXPECT_TRUE((*s)->exited_before_start);
  EXPECT_NE((*s)->finalised_at, 0);
  auto much_later = store_->Sweep(kT0 + p.retention_ms + 1, p);
  ASSERT_TRUE(much_later);
  EXPECT_EQ(much_later->sessions_deleted, 1);
  EXPECT_EQ(much_later->salts_deleted, 1);
  EXPECT_EQ(much_later->viewer_keys_deleted, 1);
  EXPECT_FALSE(*store_->GetSession("view-eeeeeeeeeeeeeeee"));
  EXPECT_EQ(One(store_->sql(), "SELECT plays FROM audience_hourly"), 1);  // rollups stay
  EXPECT_EQ(One(store_->sql(), "SELECT COUNT(*) FROM audience_daily_viewers"), 0);
  EXPECT_EQ(One(store_->sql(), "SELECT viewers FROM audience_daily_unique"), 1);
}

}  // namespace kinora::audience
