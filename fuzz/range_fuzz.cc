// Range headers (libs/http/range.cc) against an entity size: a satisfiable answer must lie
// inside the entity, whatever the header says.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>

#include "fuzz_check.h"
#include "kinora/http/range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const uint64_t entity = in.ConsumeBool() ? in.ConsumeIntegral<uint64_t>()
                                           : in.ConsumeIntegralInRange<uint64_t>(0, 4096);
  const std::string header = in.ConsumeRemainingBytesAsString();
  const auto r = kinora::http::ParseRange(header, entity);
  if (r.kind == kinora::http::RangeResult::kSatisfiable) {
    KINORA_FUZZ_CHECK(entity > 0);
    KINORA_FUZZ_CHECK(r.first <= r.last);
    KINORA_FUZZ_CHECK(r.last < entity);
    KINORA_FUZZ_CHECK(!kinora::http::ContentRange(r.first, r.last, entity).empty());
  }
  return 0;
}
