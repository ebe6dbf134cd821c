#include "kinora/metrics/registry.h"

#include <gtest/gtest.h>

#include <thread>

namespace kinora::metrics {

TEST(Registry, RendersCountersGaugesHistograms) {
  Registry r;
  r.AddCounter("kinora_things_total", "Things.", {"kind"}).With({"a\"b"}).Inc(2);
  r.AddGauge("kinora_level", "Level.").With().Set(1.5);
  auto& h = r.AddHistogram("kinora_op_seconds", "Op time.", {"route"}, {0.1, 1});
  h.With({"/x"}).Observe(0.05);
  h.With({"/x"}).Observe(0.5);
  h.With({"/x"}).Observe(5);
  r.AddCallbackGauge("kinora_depth", "Depth.", [] { return 7.0; });
  std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE kinora_things_total counter"), std::string::npos);
  EXPECT_NE(text.find("kinora_things_total{kind=\"a\\\"b\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("kinora_level 1.5\n"), std::string::npos);
  EXPECT_NE(text.find("kinora_op_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("kinora_op_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("kinora_op_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("kinora_op_seconds_count{route=\"/x\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("kinora_depth 7\n"), std::string::npos);
}

TEST(Registry, CountsExactlyUnderConcurrency) {
  Registry r;
  auto& c = r.AddCounter("kinora_c_total", "C.").With();
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&] {
      for (int j = 0; j < 10000; ++j) c.Inc();
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.value(), 80000);
}

TEST(Registry, SameNameReturnsSameFamily) {
  Registry r;
  auto& a = r.AddCounter("kinora_x_total", "X.");
  auto& b = r.AddCounter("kinora_x_total", "X.");
  EXPECT_EQ(&a, &b);
}

}  // namespace kinora::metrics
