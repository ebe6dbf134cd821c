#include "kinora/core/public_text.h"

#include <gtest/gtest.h>

namespace kinora {

TEST(WithoutServerPaths, CutsAbsolutePathsToTheFileName) {
  EXPECT_EQ(WithoutServerPaths("cannot read the original: cannot write "
                               "/tmp/kinora/data/work/ab-1-2/source.mp4"),
            "cannot read the original: cannot write source.mp4");
  EXPECT_EQ(WithoutServerPaths("kinora process: cannot finish /srv/data/work/x/out/video.mp4 "
                               "(No space left on device)"),
            "kinora process: cannot finish video.mp4 (No space left on device)");
  EXPECT_EQ(WithoutServerPaths("open /var/lib/kinora/catalog.db: disk I/O error"),
            "open catalog.db: disk I/O error");
  EXPECT_EQ(WithoutServerPaths("mkdir '/data/objects/videos/': exists"), "mkdir 'videos': exists");
  EXPECT_EQ(WithoutServerPaths("/data/work/: gone"), "work: gone");
  EXPECT_EQ(WithoutServerPaths("sqlite:///tmp/q/queue.db is locked"), "sqlite:queue.db is locked");
  EXPECT_EQ(WithoutServerPaths("a=/etc/kinora/key,b=/x/y"), "a=key,b=y");
}

TEST(WithoutServerPaths, LeavesEverythingElseAlone) {
  for (std::string_view kept : {
           "the file is not a video Kinora can read: Invalid data found",
           "no route for /api/analytics/nothing/here",
           "see https://kinora.dev/problems/bad-request",
           "videos/0b7c-…/x.mp4 is not a key",
           "a ratio of 1/2 and 16/9",
           "a lone /tmp is one component",
           "",
       }) {
    EXPECT_EQ(WithoutServerPaths(kept), kept);
  }
}

}  // namespace kinora
