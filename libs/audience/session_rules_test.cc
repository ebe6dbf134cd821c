#include "kinora/audience/session_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kinora::audience {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // the fake clock's start (server ms)

BeaconEvent Ev(int64_t seq, EventType type, int64_t t_ms = 0) {
  BeaconEvent e;
  e.seq = seq;
  e.type = type;
  e.t_ms = t_ms;
  return e;
}

BeaconEvent Hb(int64_t seq, std::vector<PlayedRange> ranges) {
  BeaconEvent e = Ev(seq, EventType::kHeartbeat);
  e.ranges = std::move(ranges);
  return e;
}

Beacon Batch(std::vector<BeaconEvent> events, int64_t duration_ms = 100'000) {
  Beacon b;
  b.video_id = "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";
  b.view_id = "view-aaaaaaaaaaaaaaaa";
  b.duration_ms = duration_ms;
  b.referrer_host = "news.example.org";
  b.events = std::move(events);
  return b;
}

ViewerFacts Viewer() {
  ViewerFacts v;
  v.viewer_key = "00112233445566778899aabbccddeeff";
  v.country = "FR";
  v.device = "Desktop";
  v.browser = "Firefox";
  v.os = "Linux";
  return v;
}

// A session whose viewstart arrived at kT0.
ViewSession Started(int64_t duration_ms = 100'000, ViewerFacts viewer = Viewer()) {
  Beacon first = Batch({Ev(0, EventType::kViewStart)}, duration_ms);
  ViewSession s = NewSession(first, viewer, kT0, 0);
  BatchOutcome o = ApplyBatch(s, first, kT0);
  EXPECT_EQ(o.accepted, 1);
  EXPECT_EQ(o.add.plays, viewer.bot || viewer.owner ? 0 : 1);
  return s;
}

int64_t Count(const std::vector<RetentionHit>& hits, bool rewatch, bool per_second) {
  return std::count_if(hits.begin(), hits.end(), [&](const RetentionHit& h) {
    return h.rewatch == rewatch && h.per_second == per_second;
  });
}

TEST(SessionRules, AnHonestViewerIsCreditedAndQualifies) {
  ViewSession s = Started();
  BeaconEvent playing = Ev(1, EventType::kPlaying);
  playing.startup_ms = 412;
  auto o = ApplyBatch(s, Batch({playing, Hb(2, {{0, 10'000}})}), kT0 + 10'500);
  EXPECT_EQ(o.accepted, 2);
  EXPECT_EQ(o.add.watch_ms, 10'000);
  EXPECT_EQ(o.add.startup_ms, 412);
  EXPECT_EQ(o.add.first_frames, 1);
  EXPECT_TRUE(o.add.qualified_now);
  EXPECT_EQ(o.add.viewed_ppm, 100'000);
  EXPECT_EQ(Count(o.add.retention, false, false), 10);  // 10 % of the video, first play
  EXPECT_EQ(Count(o.add.retention, false, true), 10);   // and its first 10 seconds
  EXPECT_TRUE(s.qualified);
  EXPECT_FALSE(s.implausible);
  // Qualifying happens once.
  auto again = ApplyBatch(s, Batch({Hb(3, {{10'000, 20'000}})}), kT0 + 20'500);
  EXPECT_FALSE(again.add.qualified_now);
  EXPECT_EQ(s.credited_ms, 20'000);
}

TEST(SessionRules, ClaimsBeyondTheServersClockAreRefusedWhole) {
  ViewSession s = Started(900'000);
  // 10 minutes claimed 5 s after the first beacon: the bound is 2 × 5 s + 2 s.
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 600'000}})}, 900'000), kT0 + 5'000);
  EXPECT_EQ(o.accepted, 1);
  EXPECT_EQ(o.add.watch_ms, 0);
  EXPECT_TRUE(o.add.retention.empty());
  EXPECT_TRUE(s.implausible);
  // Later honest heartbeats are credited, but the view can never be counted.
  auto later = ApplyBatch(s, Batch({Hb(2, {{0, 12'000}})}, 900'000), kT0 + 6'000);
  EXPECT_EQ(later.add.watch_ms, 12'000);
  EXPECT_TRUE(s.qualified);
  EXPECT_FALSE(later.add.qualified_now);
}

TEST(SessionRules, ThePlausibilityBoundIsInclusive) {
  ViewSession s = Started();
  auto ok = ApplyBatch(s, Batch({Hb(1, {{0, 10'000}})}), kT0 + 4'000);  // 2 × 4 s + 2 s
  EXPECT_EQ(ok.add.watch_ms, 10'000);
  auto over = ApplyBatch(s, Batch({Hb(2, {{10'000, 10'001}})}), kT0 + 4'000);
  EXPECT_EQ(over.add.watch_ms, 0);
  EXPECT_TRUE(s.implausible);
}

TEST(SessionRules, WatchTimeIsTheUnionOfAHeartbeatsRangesClippedToTheDuration) {
  ViewSession s = Started(30'000);
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 5'000}, {3'000, 8'000}, {25'000, 40'000}})}, 40'000),
                      kT0 + 60'000);
  EXPECT_EQ(o.add.watch_ms, 8'000 + 5'000);
}

TEST(SessionRules, TheCatalogsDurationWinsOverThePlayers) {
  Beacon first = Batch({Ev(0, EventType::kViewStart), Hb(1, {{0, 50'000}})}, 100'000);
  ViewSession s = NewSession(first, Viewer(), kT0, 20'000);
  EXPECT_EQ(s.duration_ms, 20'000);
  auto o = ApplyBatch(s, first, kT0);
  EXPECT_EQ(o.add.watch_ms, 0);  // 20 s claimed at once: beyond the 2 s bound
  auto o2 = ApplyBatch(s, Batch({Hb(2, {{0, 50'000}})}), kT0 + 60'000);
  EXPECT_EQ(o2.add.watch_ms, 20'000);
  EXPECT_EQ(o2.add.viewed_ppm, 1'000'000);
}

TEST(SessionRules, ShortVideosQualifyAtHalfTheirLength) {
  ViewSession s = Started(12'000);
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 5'999}})}, 12'000), kT0 + 10'000);
  EXPECT_FALSE(o.add.qualified_now);
  auto o2 = ApplyBatch(s, Batch({Hb(2, {{5'999, 6'000}})}, 12'000), kT0 + 10'000);
  EXPECT_TRUE(o2.add.qualified_now);
}

TEST(SessionRules, ReplayedBatchesChangeNothing) {
  ViewSession s = Started();
  Beacon b = Batch({Hb(1, {{0, 10'000}}), Ev(2, EventType::kPause)});
  EXPECT_EQ(ApplyBatch(s, b, kT0 + 10'000).accepted, 2);
  const ViewSession before = s;
  auto replay = ApplyBatch(s, b, kT0 + 12'000);
  EXPECT_TRUE(replay.replay);
  EXPECT_EQ(replay.accepted, 0);
  EXPECT_TRUE(replay.add.empty());
  EXPECT_EQ(s.credited_ms, before.credited_ms);
  EXPECT_EQ(s.last_seen_at, before.last_seen_at);
  // A batch overlapping the stored seqs is a replay too.
  EXPECT_TRUE(ApplyBatch(s, Batch({Hb(2, {{10'000, 20'000}}), Hb(3, {})}), kT0 + 20'000).replay);
}

TEST(SessionRules, FirstPlaysAndRewatchesAreApart) {
  ViewSession s = Started();  // 100 s: 1 percent bucket = 1 s
  auto a = ApplyBatch(s, Batch({Hb(1, {{0, 10'000}})}), kT0 + 10'000);
  auto b = ApplyBatch(s, Batch({Hb(2, {{5'000, 15'000}})}), kT0 + 20'000);
  EXPECT_EQ(Count(b.add.retention, false, false), 5);  // 10..14 are new
  EXPECT_EQ(Count(b.add.retention, true, false), 5);   // 5..9 again
  EXPECT_EQ(b.add.retention.front(), (RetentionHit{true, false, 5}));
  EXPECT_EQ(s.covered, (std::vector<PlayedRange>{{0, 15'000}}));
  EXPECT_EQ(s.credited_ms, 20'000);  // re-watching is watch time too
  (void)a;
}

TEST(SessionRules, PerSecondRetentionOnlyUpToTenMinutes) {
  ViewSession s = Started(600'001);
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 10'000}})}, 600'001), kT0 + 10'000);
  EXPECT_EQ(Count(o.add.retention, false, true), 0);
  EXPECT_EQ(Count(o.add.retention, false, false), 2);  // 0–6 s and 6–12 s buckets
}

TEST(SessionRules, PercentBucketsOfAnUnevenDuration) {
  ViewSession s = Started(150);  // 1.5 ms per bucket
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 150}})}, 150), kT0 + 1'000);
  ASSERT_EQ(Count(o.add.retention, false, false), 100);
  EXPECT_EQ(Count(o.add.retention, false, true), 1);
}

TEST(SessionRules, CompletionByEndedOrNinetyPercentOnce) {
  ViewSession s = Started();
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 45'000}}), Hb(2, {{45'000, 89'999}})}), kT0 + 60'000);
  EXPECT_EQ(o.add.completions, 0);
  auto o2 = ApplyBatch(s, Batch({Hb(3, {{89'999, 90'000}})}), kT0 + 60'000);
  EXPECT_EQ(o2.add.completions, 1);
  auto o3 = ApplyBatch(s, Batch({Ev(4, EventType::kEnded)}), kT0 + 61'000);
  EXPECT_EQ(o3.add.completions, 0);
  ViewSession e = Started();
  EXPECT_EQ(ApplyBatch(e, Batch({Ev(1, EventType::kEnded)}), kT0 + 1).add.completions, 1);
}

TEST(SessionRules, QualityOfExperience) {
  ViewSession s = Started();
  BeaconEvent r = Ev(1, EventType::kRendition);
  r.height = 360;
  r.bitrate = 800'000;
  BeaconEvent stall_end = Ev(3, EventType::kStallEnd);
  stall_end.stall_ms = 1'500;
  BeaconEvent hb = Hb(4, {{0, 10'000}});
  hb.element_height = 720;
  BeaconEvent err = Ev(5, EventType::kError);
  err.error_code = "3";
  BeaconEvent err2 = Ev(6, EventType::kError);
  err2.error_code = "4";
  auto o = ApplyBatch(s, Batch({r, Ev(2, EventType::kStallStart), stall_end, hb, err, err2}),
                      kT0 + 10'000);
  EXPECT_EQ(o.add.rendition_switches, 1);
  EXPECT_EQ(o.add.stalls, 1);
  EXPECT_EQ(o.add.stall_ms, 1'500);
  EXPECT_EQ(o.add.nominal_bits, 8'000'000);
  EXPECT_EQ(o.add.bitrate_watch_ms, 10'000);
  EXPECT_EQ(o.add.sized_watch_ms, 10'000);
  EXPECT_EQ(o.add.upscaled_ms, 10'000);
  EXPECT_EQ(o.add.failures, 1);
  EXPECT_EQ(s.errors, 2);
  EXPECT_EQ(s.error_code, "3");
  // A heartbeat at the element's height is not upscaled.
  BeaconEvent sharp = Hb(7, {{10'000, 20'000}});
  sharp.height = 720;
  sharp.element_height = 720;
  auto o2 = ApplyBatch(s, Batch({sharp}), kT0 + 20'000);
  EXPECT_EQ(o2.add.upscaled_ms, 0);
  EXPECT_EQ(o2.add.sized_watch_ms, 10'000);
}

TEST(SessionRules, ViewendFinalisesAndCountsAnExitBeforeStart) {
  ViewSession s = Started();
  auto o = ApplyBatch(s, Batch({Ev(1, EventType::kViewEnd)}), kT0 + 3'000);
  EXPECT_TRUE(o.finalised);
  EXPECT_EQ(o.add.exits_before_start, 1);
  EXPECT_EQ(s.finalised_at, kT0 + 3'000);
  // A finalised view takes nothing more.
  auto late = ApplyBatch(s, Batch({Hb(2, {{0, 1'000}})}), kT0 + 4'000);
  EXPECT_EQ(late.accepted, 0);
}

TEST(SessionRules, TheSweeperFinalisesAPlayThatStartedWithoutAnExit) {
  ViewSession s = Started();
  BeaconEvent playing = Ev(1, EventType::kPlaying);
  playing.startup_ms = 100;
  ApplyBatch(s, Batch({playing}), kT0 + 1'000);
  EXPECT_EQ(Finalise(s, kT0 + 1'800'000).exits_before_start, 0);
  EXPECT_EQ(Finalise(s, kT0 + 1'900'000).exits_before_start, 0);  // once
  EXPECT_EQ(s.finalised_at, kT0 + 1'800'000);
}

TEST(SessionRules, BotsAndOwnersAddNothing) {
  ViewerFacts bot = Viewer();
  bot.bot = true;
  ViewSession s = Started(100'000, bot);
  auto o = ApplyBatch(s, Batch({Hb(1, {{0, 10'000}})}), kT0 + 10'000);
  EXPECT_TRUE(o.add.empty());
  EXPECT_EQ(s.credited_ms, 10'000);  // stored all the same
  EXPECT_TRUE(s.qualified);
  ViewerFacts owner = Viewer();
  owner.owner = true;
  ViewSession s2 = Started(100'000, owner);
  EXPECT_TRUE(s2.owner);
}

TEST(SessionRules, DoNotTrackKeepsNothingBelowTheCountry) {
  ViewerFacts v = Viewer();
  v.dnt = true;
  Beacon b = Batch({Ev(0, EventType::kViewStart)});
  b.surface = Surface::kEmbed;
  b.embed_host = "blog.example";
  ViewSession s = NewSession(b, v, kT0, 0);
  EXPECT_EQ(s.country, "FR");
  EXPECT_EQ(s.surface, Surface::kEmbed);
  EXPECT_TRUE(s.viewer_key.empty());
  EXPECT_TRUE(s.device.empty());
  EXPECT_TRUE(s.browser.empty());
  EXPECT_TRUE(s.os.empty());
  EXPECT_TRUE(s.referrer_host.empty());
  EXPECT_TRUE(s.embed_host.empty());
  EXPECT_TRUE(s.dnt);
}

TEST(SessionRules, ConcurrencyCountsAViewOncePerMinute) {
  ViewSession s = Started();
  EXPECT_EQ(s.last_minute, RollupMinute(kT0));
  EXPECT_EQ(ApplyBatch(s, Batch({Ev(1, EventType::kPause)}), kT0 + 1).add.concurrency_minute, 0);
  const int64_t next = RollupMinute(kT0) * 1000 + 60'000;
  EXPECT_EQ(ApplyBatch(s, Batch({Ev(2, EventType::kPlay)}), next).add.concurrency_minute,
            next / 1000);
}

TEST(SessionRules, RollupBucketsAreUtcStarts) {
  EXPECT_EQ(RollupHour(3'600'000 * 5 + 1), 3600 * 5);
  EXPECT_EQ(RollupDay(86'400'000 * 3 - 1), 86400 * 2);
  EXPECT_EQ(RollupMinute(59'999), 0);
}

TEST(Ranges, UnionAddAndTheirText) {
  EXPECT_EQ(UnionLength({{0, 10}, {5, 15}, {20, 30}, {30, 31}}), 26);
  std::vector<PlayedRange> c;
  AddRange(c, {10, 20});
  AddRange(c, {30, 40});
  AddRange(c, {0, 5});
  AddRange(c, {18, 31});
  EXPECT_EQ(c, (std::vector<PlayedRange>{{0, 5}, {10, 40}}));
  EXPECT_EQ(EncodeRanges(c), "0-5,10-40");
  std::vector<PlayedRange> back;
  ASSERT_TRUE(DecodeRanges("0-5,10-40", back));
  EXPECT_EQ(back, c);
  EXPECT_TRUE(DecodeRanges("", back));
  EXPECT_TRUE(back.empty());
  EXPECT_FALSE(DecodeRanges("5-1", back));
  EXPECT_FALSE(DecodeRanges("0-5,3-4", back));
  EXPECT_FALSE(DecodeRanges("0-5;", back));
}

}  // namespace
}  // namespace kinora::audience
