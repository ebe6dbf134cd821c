// The audience beacon (libs/audience/beacon.cc), as POST /api/analytics/beacon takes it, then the
// session rules (libs/audience/session_rules.cc) applied to it twice. A beacon that parses keeps
// the doc's limits; the rules never credit more than the clock allows nor place a range or a
// retention bucket outside the video, and a replayed batch changes nothing.
#include <string>

#include "fuzz_check.h"
#include "kinora/audience/beacon.h"
#include "kinora/audience/schema.h"
#include "kinora/audience/session_rules.h"

namespace {

using namespace kinora::audience;

void CheckSession(const ViewSession& s, const Contribution& add) {
  KINORA_FUZZ_CHECK(s.credited_ms >= 0);
  KINORA_FUZZ_CHECK(s.viewed_ppm >= 0 && s.viewed_ppm <= 1'000'000);
  int64_t last_end = -1;
  for (const auto& r : s.covered) {
    KINORA_FUZZ_CHECK(r.start_ms > last_end && r.end_ms > r.start_ms);
    KINORA_FUZZ_CHECK(r.end_ms <= s.duration_ms);
    last_end = r.end_ms;
  }
  for (const auto& hit : add.retention) {
    KINORA_FUZZ_CHECK(hit.bucket >= 0);
    if (!hit.per_second) KINORA_FUZZ_CHECK(hit.bucket < kPercentBuckets);
    if (hit.per_second) KINORA_FUZZ_CHECK(hit.bucket * 1000 < s.duration_ms);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto b = ParseBeacon(body);
  if (!b) return 0;
  KINORA_FUZZ_CHECK(!b->events.empty() && b->events.size() <= kMaxEventsPerBatch);
  KINORA_FUZZ_CHECK(b->duration_ms > 0);
  for (size_t i = 0; i < b->events.size(); ++i) {
    const BeaconEvent& e = b->events[i];
    if (i > 0) KINORA_FUZZ_CHECK(e.seq > b->events[i - 1].seq);
    KINORA_FUZZ_CHECK(e.error_message.size() <= kMaxErrorMessageChars);
    for (const auto& r : e.ranges)
      KINORA_FUZZ_CHECK(r.start_ms >= 0 && r.start_ms <= r.end_ms && r.end_ms <= b->duration_ms);
  }
  constexpr int64_t kNow = 1'700'000'000'000;
  ViewSession s = NewSession(*b, ViewerFacts{}, kNow, 0);
  BatchOutcome first = ApplyBatch(s, *b, kNow + 30'000);
  CheckSession(s, first.add);
  KINORA_FUZZ_CHECK(s.credited_ms <= 2 * 30'000 + kPlausibilitySlackMs);
  const int64_t credited = s.credited_ms;
  BatchOutcome again = ApplyBatch(s, *b, kNow + 60'000);
  KINORA_FUZZ_CHECK(again.accepted == 0 && again.add.empty());
  KINORA_FUZZ_CHECK(s.credited_ms == credited);
  return 0;
}
