// The S3 and SQS response parsers (libs/storage/s3/s3_xml.cc, libs/queue/sqs/): what an object
// store or queue endpoint sends back — XML listings, multipart answers, dates, JSON answers and
// error documents. A hostile or broken endpoint must get an error, never a crash.
#include <fuzzer/FuzzedDataProvider.h>

#include <boost/json/parse.hpp>
#include <string>

#include "fuzz_check.h"
#include "s3/s3_client.h"
#include "sqs/sqs_answers.h"
#include "sqs/sqs_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace s3 = kinora::storage::s3;
  FuzzedDataProvider in(data, size);
  const int which = in.ConsumeIntegralInRange<int>(0, 5);
  const long status = in.ConsumeIntegralInRange<long>(100, 599);
  const std::string body = in.ConsumeRemainingBytesAsString();
  switch (which) {
    case 0:
      if (auto r = s3::ParseListObjectsV2(body)) {
        for (const auto& o : r->objects) (void)o.key.size();
      }
      break;
    case 1: {
      if (auto r = s3::ParseUploadId(body)) KINORA_FUZZ_CHECK(!r->empty());
      bool truncated = false;
      std::string next;
      if (auto parts = s3::ParseListParts(body, &truncated, &next)) {
        for (const auto& p : *parts) (void)p.etag.size();
      }
      break;
    }
    case 2:
      (void)s3::ParseCompleteEtag(body);
      (void)s3::ParseS3Time(body);
      break;
    case 3: {
      const kinora::aws::HttpResponse resp{.status = status, .headers = {}, .body = body};
      KINORA_FUZZ_CHECK(!s3::ErrorFrom(resp, "GetObject").message.empty());
      break;
    }
    case 4:
      KINORA_FUZZ_CHECK(
          !kinora::queue::sqs::ErrorFrom(status, body, "ReceiveMessage").message.empty());
      break;
    default: {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(body, ec);
      if (ec || !v.is_object()) break;
      for (const auto& m : kinora::queue::sqs::ToMessages(v.as_object())) (void)m.body.size();
      (void)kinora::queue::sqs::Count(v.as_object(), "ApproximateNumberOfMessages");
      break;
    }
  }
  return 0;
}
