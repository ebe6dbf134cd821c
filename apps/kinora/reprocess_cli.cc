#include "reprocess_cli.h"

#include <boost/json.hpp>
#include <cstdio>

#include "kinora/catalog/catalog.h"
#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/core/log.h"
#include "kinora/videos/job.h"

namespace kinora::app {

namespace json = boost::json;

namespace {

// Every video id in the catalog, oldest first (a cursor walk, so it holds for any size).
Result<std::vector<std::string>> AllVideoIds(catalog::Catalog& cat) {
  std::vector<std::string> ids;
  catalog::ListQuery q;
  q.limit = 100;
  q.descending = false;
  for (;;) {
    KINORA_TRY(catalog::ListPage page, cat.List(q));
    for (const auto& v : page.videos) ids.push_back(v.video_id);
    if (!page.next_cursor) return ids;
    q.cursor = *page.next_cursor;
  }
}

}  // namespace

int RunReprocess(const Config& c, const ReprocessArgs& args) {
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::Configure("reprocess", level);
  if (args.all == !args.video_ids.empty()) {
    std::fprintf(stderr, "kinora reprocess: give video ids or --all (not both)\n");
    return 2;
  }
  auto cat = catalog::OpenCatalog(c.db_url);
  if (!cat) {
    std::fprintf(stderr, "kinora reprocess: cannot open the catalog: %s\n",
                 cat.error().message.c_str());
    return 1;
  }
  std::vector<std::string> ids = args.video_ids;
  if (args.all) {
    auto all = AllVideoIds(**cat);
    if (!all) {
      std::fprintf(stderr, "kinora reprocess: cannot list the videos: %s\n",
                   all.error().message.c_str());
      return 1;
    }
    ids = std::move(*all);
  }
  const std::string correlation_id = NewUuid();  // one for the whole run, in every job's logs
  int64_t queued = 0;
  json::array errors;
  for (const std::string& id : ids) {
    auto r = IsUuid(id) ? videos::QueueReprocess(**cat, id, correlation_id)
                        : Result<catalog::VideoRecord>(NotFound("video not found: " + id));
    if (r) {
      ++queued;
      continue;
    }
    log::Warn("cannot queue a reprocess", {{"video_id", id}, {"error", r.error().message}});
    errors.push_back(json::object{{"video_id", id}, {"error", r.error().message}});
  }
  const bool failed = !errors.empty();
  const json::object summary{{"queued", queued},
                             {"failed", static_cast<int64_t>(errors.size())},
                             {"correlation_id", correlation_id},
                             {"errors", std::move(errors)}};
  std::printf("%s\n", ToJsonText(summary).c_str());
  return failed ? 1 : 0;
}

}  // namespace kinora::app
