#include "kinora/core/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace kinora {

TEST(Ids, NewUuidIsCanonicalVersion4) {
  std::string u = NewUuid();
  ASSERT_EQ(u.size(), 36u);
  EXPECT_TRUE(IsUuid(u));
  EXPECT_EQ(u[14], '4');
  EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
}

TEST(Ids, NewUuidIsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(NewUuid()).second);
}

TEST(Ids, IsUuidRejectsTricks) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("../../etc/passwd"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(IsUuid("123e4567xe89b-12d3-a456-426614174000"));
  EXPECT_TRUE(IsUuid("123e4567-e89b-12d3-a456-426614174000"));
}

TEST(Ids, CorrelationIdRules) {
  EXPECT_TRUE(IsValidCorrelationId("abc-DEF_1.2"));
  EXPECT_TRUE(IsValidCorrelationId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidCorrelationId(std::string(129, 'a')));
  EXPECT_FALSE(IsValidCorrelationId(""));
  EXPECT_FALSE(IsValidCorrelationId("a b"));
  EXPECT_FALSE(IsValidCorrelationId("a\r\nX-Evil: 1"));
  EXPECT_FALSE(IsValidCorrelationId("<script>"));
}

}  // namespace kinora
