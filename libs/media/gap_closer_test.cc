#include "kinora/media/internal/gap_closer.h"

#include <gtest/gtest.h>

namespace kinora::media::internal {
namespace {

TEST(GapCloser, LeavesContinuousStreamsAlone) {
  GapCloser g(2.0);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(g.Shift(0, i * 0.04, 0.04), 0);
    EXPECT_EQ(g.Shift(1, i * 0.04, 0.04), 0);
  }
  EXPECT_NEAR(g.end(), 4.0, 1e-9);
  EXPECT_EQ(g.closed_seconds(), 0);
}

TEST(GapCloser, ClosesAJumpOfBothStreams) {
  GapCloser g(2.0);
  for (int i = 0; i < 50; ++i) g.Shift(0, i * 0.04, 0.04);  // 2 s of video
  for (int i = 0; i < 50; ++i) g.Shift(1, i * 0.04, 0.04);  // and audio
  // Then ten hours later.
  EXPECT_NEAR(g.Shift(0, 36002.0, 0.04), 36000.0, 1e-6);
  // Audio goes on where the content is now (after the moved video frame): within a frame.
  EXPECT_NEAR(g.Shift(1, 36002.0, 0.04), 36000.0, 0.05);
  EXPECT_NEAR(g.Shift(0, 36002.04, 0.04), 36000.0, 1e-6);  // the stream stays moved
  EXPECT_NEAR(g.end(), 2.08, 1e-6);
  EXPECT_NEAR(g.closed_seconds(), 36000.0, 1e-6);
}

TEST(GapCloser, APauseOfOneStreamIsNoGapWhileAnotherPlays) {
  GapCloser g(2.0);
  g.Shift(0, 0, 0.04);  // one video frame, then nothing for 10 s
  for (int i = 0; i < 500; ++i) EXPECT_EQ(g.Shift(1, i * 0.02, 0.02), 0);  // audio plays
  EXPECT_EQ(g.Shift(0, 10.0, 0.04), 0);  // the next frame keeps its time
  EXPECT_EQ(g.closed_seconds(), 0);
}

TEST(GapCloser, SmallGapsStay) {
  GapCloser g(2.0);
  g.Shift(0, 0, 0.04);
  EXPECT_EQ(g.Shift(0, 1.5, 0.04), 0);
  EXPECT_GT(g.Shift(0, 10.0, 0.04), 8.0);
}

}  // namespace
}  // namespace kinora::media::internal
