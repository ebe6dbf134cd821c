// Settings URLs: KINORA_DB / KINORA_CATALOG as PostgreSQL URLs (libs/pg pg::ParseUrl), the
// object store's s3:// URL (libs/storage s3_url.cc) and the queue's sqs: URL (libs/queue). The
// operator's text must give a value or an error; and the description that goes to logs never
// shows the URL's password.
#include <fuzzer/FuzzedDataProvider.h>

#include <boost/url/parse.hpp>
#include <cstdlib>
#include <string>

#include "fuzz_check.h"
#include "kinora/pg/pg.h"
#include "kinora/queue/sqs_queue.h"
#include "kinora/storage/s3_store.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // So the parsers get past their credential checks to the end.
  setenv("AWS_ACCESS_KEY_ID", "AKIDFUZZ", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "fuzz-secret", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const int which = in.ConsumeIntegralInRange<int>(0, 2);
  const std::string url = in.ConsumeRemainingBytesAsString();
  switch (which) {
    case 0:
      if (auto t = kinora::pg::ParseUrl(url)) {
        auto shown = boost::urls::parse_uri(t->describe.substr(0, t->describe.find(' ')));
        KINORA_FUZZ_CHECK(shown.has_value());
        KINORA_FUZZ_CHECK(!shown->has_password() || shown->password() == "***");
        for (auto p : shown->params()) {
          if (p.key == "password") KINORA_FUZZ_CHECK(p.value == "***");
        }
      }
      break;
    case 1:
      if (auto c = kinora::storage::ParseS3Url(url)) {
        KINORA_FUZZ_CHECK(!c->bucket.empty());
        KINORA_FUZZ_CHECK(c->prefix.empty() || c->prefix.back() == '/');
      }
      break;
    default:
      if (auto c = kinora::queue::ParseSqsUrl(url)) KINORA_FUZZ_CHECK(!c->queue_url.empty());
      break;
  }
  return 0;
}
