// Contract: what accounts add — owners' edits and the media generation, one like per user,
// quotas' usage, and adopting the videos made before accounts.
#include <atomic>
#include <thread>

#include "catalog_contract.h"
#include "kinora/identity/rights.h"

namespace kinora::catalog {

using std::chrono::hours;

namespace {

VideoRecord With(VideoRecord v, std::string owner, std::string visibility) {
  v.owner_id = std::move(owner);
  v.visibility = std::move(visibility);
  v.media_generation = 0;
  return v;
}

}  // namespace

// --- Edit ---------------------------------------------------------------------------------------

TEST_P(CatalogContract, EditChangesWhatIsSetAndBumpsTheGenerationOnlyOnARealChange) {
  MustInsert(With(SampleVideo("e1", NowMillis()), "alice", "public"));
  VideoEdit title;
  title.title = "New title";
  auto r = catalog().Edit("e1", title);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, "New title");
  EXPECT_EQ(r->description, SampleVideo("e1", NowMillis()).description);  // not set: kept
  EXPECT_EQ(r->visibility, "public");
  EXPECT_EQ(r->media_generation, 0);

  VideoEdit same;
  same.visibility = "public";  // no change: signed URLs stay valid
  r = catalog().Edit("e1", same);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->media_generation, 0);

  VideoEdit all;
  all.title = "";
  all.description = "Now private";
  all.visibility = "private";
  r = catalog().Edit("e1", all);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->title, "");
  EXPECT_EQ(r->description, "Now private");
  EXPECT_EQ(r->visibility, "private");
  EXPECT_EQ(r->media_generation, 1);
  r = catalog().Edit("e1", all);  // again: already private
  ASSERT_TRUE(r);
  EXPECT_EQ(r->media_generation, 1);

  VideoEdit back;
  back.visibility = "unlisted";
  r = catalog().Edit("e1", back);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->media_generation, 2);
  EXPECT_EQ(r->owner_id, "alice");

  // What Edit returned is what is stored.
  auto got = catalog().Get("e1");
  ASSERT_TRUE(got);
  EXPECT_TRUE(SameVideo(*got, *r));
  EXPECT_TRUE(catalog().Edit("e1", VideoEdit{}));  // nothing set: the row as it is
}

TEST_P(CatalogContract, EditRejectsUnknownVisibilitiesAndVideos) {
  MustInsert(With(SampleVideo("e2", NowMillis()), "alice", "public"));
  for (const char* bad : {"secret", "", "PUBLIC", "public "}) {
    VideoEdit e;
    e.title = "must not be applied";
    e.visibility = bad;
    auto r = catalog().Edit("e2", e);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  auto got = catalog().Get("e2");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->title, "Sample e2");
  EXPECT_EQ(got->visibility, "public");
  EXPECT_EQ(got->media_generation, 0);

  VideoEdit e;
  e.title = "x";
  auto missing = catalog().Edit("ghost", e);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// The names the catalog stores are the ones identity uses for its rules.
TEST_P(CatalogContract, EditAcceptsEveryVisibilityIdentityKnows) {
  MustInsert(With(SampleVideo("e3", NowMillis()), "alice", "public"));
  int64_t generation = 0;
  for (auto v : {identity::Visibility::kUnlisted, identity::Visibility::kPrivate,
                 identity::Visibility::kInternal, identity::Visibility::kPublic}) {
    VideoEdit e;
    e.visibility = std::string(identity::ToString(v));
    auto r = catalog().Edit("e3", e);
    ASSERT_TRUE(r) << *e.visibility << ": " << r.error().message;
    EXPECT_EQ(r->visibility, *e.visibility);
    EXPECT_EQ(r->media_generation, ++generation);
  }
  auto bad = SampleVideo("e4", NowMillis());
  bad.visibility = "secret";
  auto inserted = catalog().Insert(bad);
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, ErrorCode::kInvalidArgument);
}

// A processing job holds a copy of the row for minutes; its Update must not undo an owner's edit
// made meanwhile.
TEST_P(CatalogContract, UpdateDoesNotUndoAnEdit) {
  auto v = With(SampleVideo("job", NowMillis()), "alice", "public");
  v.status = VideoStatus::kProcessing;
  MustInsert(v);
  auto stale = catalog().Get("job");
  ASSERT_TRUE(stale);

  VideoEdit e;
  e.title = "Edited";
  e.description = "Edited too";
  e.visibility = "private";
  ASSERT_TRUE(catalog().Edit("job", e));

  VideoRecord done = *stale;
  done.status = VideoStatus::kProcessed;
  done.progress = 1;
  done.owner_id = "mallory";  // ignored too: only Insert and AdoptUnowned set the owner
  ASSERT_TRUE(catalog().Update(done));
  auto got = catalog().Get("job");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, VideoStatus::kProcessed);
  EXPECT_EQ(got->title, "Edited");
  EXPECT_EQ(got->description, "Edited too");
  EXPECT_EQ(got->visibility, "private");
  EXPECT_EQ(got->media_generation, 1);
  EXPECT_EQ(got->owner_id, "alice");
}

// --- Likes --------------------------------------------------------------------------------------

TEST_P(CatalogContract, LikeIsOncePerUserAndUnlikeTakesItBack) {
  MustInsert(SampleVideo("l1", NowMillis()));
  auto like = [&](const char* user) {
    auto r = catalog().Like("l1", user);
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::make_pair(r->likes, r->liked) : std::make_pair(int64_t{-1}, false);
  };
  auto unlike = [&](const char* user) {
    auto r = catalog().Unlike("l1", user);
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::make_pair(r->likes, r->liked) : std::make_pair(int64_t{-1}, true);
  };
  using P = std::pair<int64_t, bool>;
  EXPECT_EQ(like("u1"), P(1, true));
  EXPECT_EQ(like("u1"), P(1, true));  // idempotent
  EXPECT_EQ(like("u2"), P(2, true));
  EXPECT_EQ(catalog().Likes("l1", "u1").value(), true);
  EXPECT_EQ(catalog().Likes("l1", "u3").value(), false);
  EXPECT_EQ(unlike("u1"), P(1, false));
  EXPECT_EQ(unlike("u1"), P(1, false));  // idempotent
  EXPECT_EQ(unlike("u3"), P(1, false));  // never liked
  EXPECT_EQ(catalog().Likes("l1", "u1").value(), false);
  EXPECT_EQ(like("u1"), P(2, true));  // liking again counts again

  // Counter likes (IncrementLikes) and user likes add up on the same counter.
  ASSERT_EQ(catalog().IncrementLikes("l1").value(), 3);
  EXPECT_EQ(unlike("u2"), P(2, false));

  auto got = catalog().Get("l1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->likes, 2);
  EXPECT_DOUBLE_EQ(Engagement(*got), 2.0);  // no views: divided by 1
  // Site totals and today's likes follow: 4 likes and 2 unlikes today.
  auto st = catalog().Stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->total_likes, 2);
  ASSERT_EQ(st->likes_per_day.size(), 1u);
  EXPECT_EQ(st->likes_per_day[0].day, FormatDay(std::chrono::system_clock::now()));
  EXPECT_EQ(st->likes_per_day[0].count, 2);
  // The stored engagement follows too.
  ListQuery q;
  q.sort = SortKey::kEngagement;
  auto page = catalog().List(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->videos.size(), 1u);
  EXPECT_EQ(page->videos[0].likes, 2);
}

TEST_P(CatalogContract, LikesOfAnUnknownVideoAreNotFoundAndLeaveNothing) {
  auto like = catalog().Like("ghost", "u1");
  ASSERT_FALSE(like);
  EXPECT_EQ(like.error().code, ErrorCode::kNotFound);
  auto unlike = catalog().Unlike("ghost", "u1");
  ASSERT_FALSE(unlike);
  EXPECT_EQ(unlike.error().code, ErrorCode::kNotFound);
  auto likes = catalog().Likes("ghost", "u1");
  ASSERT_FALSE(likes);
  EXPECT_EQ(likes.error().code, ErrorCode::kNotFound);

  MustInsert(SampleVideo("ghost", NowMillis()));
  EXPECT_EQ(catalog().Likes("ghost", "u1").value(), false);
  EXPECT_EQ(catalog().Like("ghost", "u1").value().likes, 1);
}

TEST_P(CatalogContract, DeletingAVideoDeletesItsLikes) {
  MustInsert(SampleVideo("gone", NowMillis()));
  ASSERT_TRUE(catalog().Like("gone", "u1"));
  ASSERT_TRUE(catalog().Like("gone", "u2"));
  ASSERT_TRUE(catalog().Delete("gone"));
  auto st = catalog().Stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->total_likes, 0);
  EXPECT_TRUE(st->likes_per_day.empty());

  // A new video under the same id has no likes: u1's like counts again.
  MustInsert(SampleVideo("gone", NowMillis()));
  EXPECT_EQ(catalog().Likes("gone", "u1").value(), false);
  auto again = catalog().Like("gone", "u1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->likes, 1);
  EXPECT_TRUE(again->liked);
}

TEST_P(CatalogContract, ConcurrentLikesCountEachUserOnce) {
  MustInsert(SampleVideo("hot", NowMillis()));
  MustInsert(SampleVideo("warm", NowMillis()));
  constexpr int kThreads = 8, kUsers = 25;
  std::atomic<int> failures{0};
  auto run = [&](auto&& body) {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int u = 0; u < kUsers; ++u) {
          if (!body(t, "user" + std::to_string((u + t) % kUsers))) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
  };
  // Every thread likes "hot" as every user, while views and counter likes interleave.
  run([&](int t, const std::string& user) {
    bool ok = catalog().Like("hot", user).has_value();
    if (t % 2 == 0) ok = ok && catalog().IncrementViews("hot").has_value();
    if (t == 1) ok = ok && catalog().IncrementLikes("warm").has_value();
    return ok;
  });
  EXPECT_EQ(failures.load(), 0);
  auto hot = catalog().Get("hot");
  ASSERT_TRUE(hot);
  EXPECT_EQ(hot->likes, kUsers);
  EXPECT_EQ(hot->views, kThreads / 2 * kUsers);
  EXPECT_EQ(catalog().Get("warm").value().likes, kUsers);
  for (int u = 0; u < kUsers; ++u) {
    EXPECT_TRUE(catalog().Likes("hot", "user" + std::to_string(u)).value());
  }
  auto st = catalog().Stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->total_likes, 2 * kUsers);
  ASSERT_EQ(st->likes_per_day.size(), 1u);
  EXPECT_EQ(st->likes_per_day[0].count, 2 * kUsers);

  // And every thread takes every like back, mixed with likes of another video.
  run([&](int t, const std::string& user) {
    bool ok = catalog().Unlike("hot", user).has_value();
    if (t % 4 == 0) ok = ok && catalog().Like("warm", user).has_value();
    return ok;
  });
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(catalog().Get("hot").value().likes, 0);
  EXPECT_EQ(catalog().Get("warm").value().likes, 2 * kUsers);
  st = catalog().Stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->total_likes, 2 * kUsers);
  ASSERT_EQ(st->likes_per_day.size(), 1u);
  EXPECT_EQ(st->likes_per_day[0].count, 2 * kUsers);
}

// --- Owners -------------------------------------------------------------------------------------

TEST_P(CatalogContract, UsageSumsAnOwnersOriginals) {
  const SysTime now = NowMillis();
  auto add = [&](const char* id, const char* owner, int64_t size, SysTime at) {
    auto v = With(SampleVideo(id, at), owner, "private");
    v.size = size;
    v.processed_bytes = 1'000'000;  // outputs do not count toward the quota
    MustInsert(v);
  };
  add("a1", "alice", 1000, now);
  add("a2", "alice", 2000, now - hours(48));
  add("a3", "alice", 4000, now - hours(1));
  add("b1", "bob", 8000, now);
  add("n1", "", 16000, now);

  auto u = catalog().Usage("alice", UnixMillis(now - hours(24)));
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->total_bytes, 7000);
  EXPECT_EQ(u->bytes_since, 5000);
  u = catalog().Usage("alice", UnixMillis(now));  // since is inclusive
  ASSERT_TRUE(u);
  EXPECT_EQ(u->bytes_since, 1000);
  u = catalog().Usage("alice", 0);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->bytes_since, 7000);
  u = catalog().Usage("carol", 0);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->total_bytes, 0);
  EXPECT_EQ(u->bytes_since, 0);

  ASSERT_TRUE(catalog().Delete("a3"));
  EXPECT_EQ(catalog().Usage("alice", 0).value().total_bytes, 3000);
}

TEST_P(CatalogContract, AdoptUnownedGivesOnlyUnownedVideosAnOwner) {
  MustInsert(With(SampleVideo("old1", NowMillis()), "", "public"));
  MustInsert(With(SampleVideo("old2", NowMillis()), "", "unlisted"));
  MustInsert(With(SampleVideo("mine", NowMillis()), "alice", "private"));
  auto n = catalog().AdoptUnowned("admin");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(catalog().Get("old1").value().owner_id, "admin");
  EXPECT_EQ(catalog().Get("old2").value().owner_id, "admin");
  EXPECT_EQ(catalog().Get("old2").value().visibility, "unlisted");
  EXPECT_EQ(catalog().Get("mine").value().owner_id, "alice");
  EXPECT_EQ(catalog().AdoptUnowned("bob").value(), 0);  // nothing left to adopt
  EXPECT_EQ(catalog().Get("old1").value().owner_id, "admin");
  auto empty = catalog().AdoptUnowned("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);

  ListQuery q;
  q.owner_id = "admin";
  EXPECT_EQ(catalog().List(q).value().total, 2);
}

}  // namespace kinora::catalog
