#include "kinora/videos/rendered_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace kinora::videos {
namespace {

TEST(RenderedCache, HitsOnlyForTheSameVersionAndExpiry) {
  RenderedCache c(100);
  std::string out = "[";
  EXPECT_FALSE(c.AppendIfFresh(out, "a", 1, 1000));
  c.Put("a", 1, 1000, R"({"id":"a"})");
  EXPECT_TRUE(c.AppendIfFresh(out, "a", 1, 1000));
  EXPECT_EQ(out, R"([{"id":"a"})");
  EXPECT_FALSE(c.AppendIfFresh(out, "a", 2, 1000));  // the row changed
  EXPECT_FALSE(c.AppendIfFresh(out, "a", 1, 1100));  // the next signing step
  EXPECT_FALSE(c.AppendIfFresh(out, "b", 1, 1000));
  EXPECT_EQ(out, R"([{"id":"a"})");
  c.Put("a", 2, 1000, "new");
  EXPECT_FALSE(c.AppendIfFresh(out, "a", 1, 1000));
  EXPECT_TRUE(c.AppendIfFresh(out, "a", 2, 1000));
  EXPECT_EQ(c.Size(), 1u);
}

TEST(RenderedCache, StaysWithinItsCapacity) {
  RenderedCache c(64);
  for (int i = 0; i < 10000; ++i) c.Put("video-" + std::to_string(i), 1, 1, "x");
  EXPECT_LE(c.Size(), 64u);
  EXPECT_GT(c.Size(), 0u);
  RenderedCache none(0);
  none.Put("a", 1, 1, "x");
  std::string out;
  EXPECT_FALSE(none.AppendIfFresh(out, "a", 1, 1));
  EXPECT_EQ(none.Size(), 0u);
}

TEST(RenderedCache, ConcurrentReadersAndWritersSeeWholeEntries) {
  RenderedCache c(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string id = "v" + std::to_string(i % 50);
        const int64_t version = i % 3;
        c.Put(id, version, 1, std::string(100, static_cast<char>('a' + version)));
        std::string out;
        if (c.AppendIfFresh(out, id, version, 1)) {
          ASSERT_EQ(out, std::string(100, static_cast<char>('a' + version))) << t;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace
}  // namespace kinora::videos
