#include "kinora/queue/job_queue.h"

#include <algorithm>
#include <boost/url.hpp>
#include <cctype>
#include <charconv>
#include <string>

#include "kinora/queue/sqlite_queue.h"
#include "kinora/queue/sqs_queue.h"

namespace kinora::queue {
namespace {

Error BadUrl(std::string why) {
  return MakeError(ErrorCode::kInvalidArgument, "queue URL: " + std::move(why));
}

Result<std::unique_ptr<JobQueue>> OpenSqlite(const boost::urls::url_view& u) {
  std::string host = u.host();
  if (!host.empty() && host != "localhost") {
    return BadUrl("sqlite:// needs an absolute path and no host, as in sqlite:///abs/queue.db");
  }
  if (u.has_userinfo() || u.has_port() || u.has_fragment()) {
    return BadUrl("sqlite:// takes no user, port or fragment");
  }
  std::string path = u.path();
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') {
    return BadUrl("sqlite:// needs an absolute file path, as in sqlite:///abs/queue.db");
  }
  SqliteQueueOptions options;
  for (auto param : u.params()) {
    if (param.key != "max_receives") {
      return BadUrl("unknown sqlite queue parameter '" + param.key + "' (known: max_receives)");
    }
    const std::string& v = param.value;
    int n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (!param.has_value || ec != std::errc() || end != v.data() + v.size() || n < 1 || n > 1000) {
      return BadUrl("max_receives must be an integer from 1 to 1000");
    }
    options.max_receives = n;
  }
  return NewSqliteQueue(path, options);
}

}  // namespace

Result<std::unique_ptr<JobQueue>> OpenJobQueue(std::string_view url) {
  if (url.starts_with("sqs:")) {
    KINORA_TRY(SqsConfig config, ParseSqsUrl(url));
    return NewSqsQueue(std::move(config));
  }
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return BadUrl("not a valid absolute URL (expected sqlite:///abs/queue.db)");
  std::string scheme = parsed->scheme();
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "sqlite") return OpenSqlite(*parsed);
  if (scheme == "https" || scheme == "http") {
    // The queue's own URL, as SQS (or an SQS-compatible server) names it.
    KINORA_TRY(SqsConfig config, ParseSqsUrl("sqs:" + std::string(url)));
    return NewSqsQueue(std::move(config));
  }
  return BadUrl("scheme '" + scheme +
                "' is not supported (use sqlite:///abs/queue.db, sqs:<queue URL> or the "
                "queue's https:// URL)");
}

}  // namespace kinora::queue
