// multipart/form-data (libs/http/multipart.cc): the Content-Type's boundary, then a body fed in
// pieces of fuzzed sizes. Beyond not crashing, the parser must see the same parts whatever the
// pieces: the events of a piecewise feed equal those of one whole feed.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <vector>

#include "fuzz_check.h"
#include "kinora/http/multipart.h"

namespace {

using kinora::http::MultipartParser;

// What the callbacks saw, in order, and how the body ended.
struct Trace {
  std::string events;
  bool ok = true;
};

Trace Run(const std::string& boundary, std::string_view body, const std::vector<size_t>& cuts) {
  Trace t;
  int open = 0;
  kinora::http::MultipartCallbacks cb{
      .on_begin = [&](const kinora::http::PartHeader& h) -> kinora::Result<void> {
        KINORA_FUZZ_CHECK(open == 0);
        ++open;
        t.events += "B[" + h.name + "|" + h.filename + "|" + h.content_type + "]";
        return {};
      },
      .on_data = [&](std::string_view d) -> kinora::Result<void> {
        KINORA_FUZZ_CHECK(open == 1);
        KINORA_FUZZ_CHECK(!d.empty());
        t.events.append(d);
        return {};
      },
      .on_end = [&]() -> kinora::Result<void> {
        KINORA_FUZZ_CHECK(open == 1);
        --open;
        t.events += "E";
        return {};
      }};
  MultipartParser parser(boundary, cb);
  size_t at = 0;
  for (size_t cut : cuts) {
    const size_t n = std::min(cut, body.size() - at);
    if (!parser.Feed(body.substr(at, n))) {
      t.ok = false;
      return t;
    }
    at += n;
  }
  if (!parser.Feed(body.substr(at))) {
    t.ok = false;
    return t;
  }
  t.ok = parser.Finish().has_value();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string content_type = in.ConsumeRandomLengthString(200);
  std::vector<size_t> cuts(in.ConsumeIntegralInRange<size_t>(0, 16));
  for (auto& c : cuts) c = in.ConsumeIntegralInRange<size_t>(0, 64);
  const std::string body = in.ConsumeRemainingBytesAsString();

  auto boundary = kinora::http::MultipartBoundary(content_type);
  if (!boundary) return 0;
  KINORA_FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);
  const Trace whole = Run(*boundary, body, {});
  const Trace pieces = Run(*boundary, body, cuts);
  // A piecewise feed may stop earlier (an error found in a prefix), never succeed differently.
  if (whole.ok && pieces.ok) KINORA_FUZZ_CHECK(whole.events == pieces.events);
  return 0;
}
