#include "config.h"

#include <gtest/gtest.h>

namespace kinora::app {

TEST(Config, DefaultsFromNothing) {
  auto l = Validate(FromEnvironment({}), 2);
  EXPECT_TRUE(l.problems.empty());
  EXPECT_EQ(l.config.host, "127.0.0.1");
  EXPECT_EQ(l.config.port, 8080);
  EXPECT_EQ(l.config.max_upload_bytes, 524288000u);
  EXPECT_EQ(l.config.workers, 2);
  EXPECT_EQ(l.config.storage_url.rfind("file:///", 0), 0u);
  EXPECT_NE(l.config.queue_url.find("kinora-data/queue.db"), std::string::npos);
}

TEST(Config, FlagsOverrideEnvironment) {
  RawSettings flags;
  flags.listen = "0.0.0.0:9000";
  auto l = Validate(
      Overlay(FromEnvironment({{"KINORA_LISTEN", "127.0.0.1:1"}, {"KINORA_WORKERS", "0"}}), flags),
      2);
  EXPECT_TRUE(l.problems.empty());
  EXPECT_EQ(l.config.host, "0.0.0.0");
  EXPECT_EQ(l.config.port, 9000);
  EXPECT_EQ(l.config.workers, 0);
}

TEST(Config, ShutdownGrace) {
  EXPECT_EQ(Validate(FromEnvironment({}), 2).config.shutdown_grace_seconds, 10);
  auto l = Validate(FromEnvironment({{"KINORA_SHUTDOWN_GRACE_SECONDS", "110"}}), 2);
  EXPECT_TRUE(l.problems.empty());
  EXPECT_EQ(l.config.shutdown_grace_seconds, 110);
  auto bad = Validate(FromEnvironment({{"KINORA_SHUTDOWN_GRACE_SECONDS", "forever"}}), 2);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(bad.problems[0].find("KINORA_SHUTDOWN_GRACE_SECONDS"), std::string::npos);
}

TEST(Config, DiskReserve) {
  EXPECT_EQ(Validate(FromEnvironment({}), 2).config.min_free_bytes, uint64_t{512} << 20);
  EXPECT_EQ(Validate(FromEnvironment({{"KINORA_MIN_FREE_BYTES", "0"}}), 2).config.min_free_bytes,
            0u);
  auto bad = Validate(FromEnvironment({{"KINORA_MIN_FREE_BYTES", "-1"}}), 2);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(bad.problems[0].find("KINORA_MIN_FREE_BYTES"), std::string::npos);
}

TEST(Config, HttpEdgeSettings) {
  auto d = Validate(FromEnvironment({}), 2).config.http;
  EXPECT_EQ(d.idle_timeout_seconds, 30);
  EXPECT_EQ(d.max_uploads_per_client, 4);
  EXPECT_EQ(d.max_uploads, 64);
  auto l = Validate(FromEnvironment({{"KINORA_IDLE_TIMEOUT_SECONDS", "5"},
                                     {"KINORA_MAX_UPLOADS_PER_CLIENT", "2"},
                                     {"KINORA_MAX_UPLOADS", "10"}}),
                    2);
  EXPECT_TRUE(l.problems.empty());
  EXPECT_EQ(l.config.http.idle_timeout_seconds, 5);
  EXPECT_EQ(l.config.http.max_uploads_per_client, 2);
  EXPECT_EQ(l.config.http.max_uploads, 10);
  auto bad = Validate(FromEnvironment({{"KINORA_IDLE_TIMEOUT_SECONDS", "0"},
                                       {"KINORA_MAX_UPLOADS_PER_CLIENT", "many"},
                                       {"KINORA_MAX_UPLOADS", "-1"}}),
                      2);
  EXPECT_EQ(bad.problems.size(), 3u);
}

TEST(Config, ListsEveryProblemAtOnceWithoutSecrets) {
  auto l = Validate(FromEnvironment({{"KINORA_LISTEN", "nonsense"},
                                     {"KINORA_MAX_UPLOAD_BYTES", "abc"},
                                     {"KINORA_WORKERS", "-1"},
                                     {"KINORA_LOG_LEVEL", "loud"},
                                     {"KINORA_SIGNING_KEY", "short-secret"}}),
                    2);
  ASSERT_EQ(l.problems.size(), 5u);
  for (const auto& p : l.problems) EXPECT_EQ(p.find("short-secret"), std::string::npos);
}

}  // namespace kinora::app
