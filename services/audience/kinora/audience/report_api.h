// The audience reports over HTTP (docs/analytics.md "API"): per-video overview, time series,
// retention, breakdowns and quality of experience; realtime viewers; the site or per-owner
// overview; the export of raw view sessions as CSV or NDJSON. Analytics of a video are for its
// owner, moderators and admins: anyone else gets the 404 an unknown video gets.
// Thread safety: handlers may run concurrently (the store and catalog are thread-safe).
#pragma once

#include <functional>
#include <string>

#include "kinora/audience/reports/report_store.h"
#include "kinora/catalog/catalog.h"
#include "kinora/core/time.h"
#include "kinora/http/router.h"

namespace kinora::audience {

class ReportApi {
 public:
  using Clock = std::function<SysTime()>;
  ReportApi(reports::ReportStore& store, catalog::Catalog& catalog, Clock clock = {});

  // GET {prefix}/videos/{id}/overview, …/timeseries/{metric}, …/retention,
  // …/breakdown/{dimension}, …/qoe, GET {prefix}/realtime, {prefix}/overview,
  // {prefix}/sessions/export.
  void Register(http::Router& router, const std::string& prefix);

  http::Response Overview(http::Request& req);
  http::Response Timeseries(http::Request& req);
  http::Response Retention(http::Request& req);
  http::Response Breakdown(http::Request& req);
  http::Response Qoe(http::Request& req);
  http::Response Realtime(http::Request& req);
  http::Response SiteOverview(http::Request& req);
  http::Response Export(http::Request& req);

 private:
  SysTime Now() const;

  reports::ReportStore& store_;
  catalog::Catalog& catalog_;
  Clock clock_;
};

}  // namespace kinora::audience
