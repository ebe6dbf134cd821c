#include "upload_slots.h"

#include <gtest/gtest.h>

namespace kinora::http {

using Taken = UploadSlots::Taken;

TEST(UploadSlots, PerClientThenInTotal) {
  UploadSlots s(2, 3);
  EXPECT_EQ(s.Take("a"), Taken::kYes);
  EXPECT_EQ(s.Take("a"), Taken::kYes);
  EXPECT_EQ(s.Take("a"), Taken::kClientFull);
  EXPECT_EQ(s.Take("b"), Taken::kYes);
  EXPECT_EQ(s.Take("c"), Taken::kServerFull);
  EXPECT_EQ(s.in_use(), 3);
  s.Give("a");
  EXPECT_EQ(s.Take("c"), Taken::kYes);
  EXPECT_EQ(s.Take("a"), Taken::kServerFull);
  s.Give("a");
  s.Give("b");
  s.Give("c");
  EXPECT_EQ(s.in_use(), 0);
  EXPECT_EQ(s.Take("a"), Taken::kYes);
}

TEST(UploadSlots, ZeroMeansNoLimit) {
  UploadSlots s(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(s.Take("a"), Taken::kYes);
  EXPECT_EQ(s.in_use(), 1000);
}

}  // namespace kinora::http
