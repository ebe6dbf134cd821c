#include "kinora/audience/report_params.h"

#include <algorithm>

#include "kinora/audience/schema.h"

namespace kinora::audience {

Result<reports::TimeRange> ParseReportRange(const http::Request& req, SysTime now) {
  auto from = req.Query("from");
  auto to = req.Query("to");
  auto view = [](const std::optional<std::string>& s) -> std::optional<std::string_view> {
    if (!s) return std::nullopt;
    return std::string_view(*s);
  };
  return reports::ParseRange(view(from), view(to), now);
}

bool MaySeeAnalytics(const identity::Principal& p, const catalog::VideoRecord& v) {
  if (!p.signed_in()) return false;
  if (p.Has(identity::Right::kSeeAnyVideo)) return true;
  return !v.owner_id.empty() && v.owner_id == p.caller.user_id;
}

Result<reports::Scope> CallerScope(const identity::Principal& p, std::optional<std::string> owner) {
  if (!p.signed_in()) return Unauthenticated("sign in to see analytics");
  const bool any = p.Has(identity::Right::kSeeAnyVideo);
  if (owner && !owner->empty()) {
    if (owner->size() > 128) return InvalidArgument("'owner' is too long");
    if (*owner == p.caller.user_id) return reports::Scope::Owner(*owner);
    if (!any) return NotFound("user not found: " + *owner);
    return reports::Scope::Owner(*owner);
  }
  return any ? reports::Scope::All() : reports::Scope::Owner(p.caller.user_id);
}

std::optional<TimeseriesMetric> ParseMetric(std::string_view name) {
  if (name == "plays") return TimeseriesMetric::kPlays;
  if (name == "views") return TimeseriesMetric::kViews;
  if (name == "watch_time_seconds") return TimeseriesMetric::kWatchTime;
  if (name == "unique_viewers") return TimeseriesMetric::kUniqueViewers;
  if (name == "startup_time_ms_p50") return TimeseriesMetric::kStartupP50;
  if (name == "rebuffer_percentage") return TimeseriesMetric::kRebufferPercentage;
  return std::nullopt;
}

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "ndjson") return ExportFormat::kNdjson;
  return std::nullopt;
}

bool IsDimension(std::string_view dimension) {
  return std::find(kDimensions.begin(), kDimensions.end(), dimension) != kDimensions.end();
}

}  // namespace kinora::audience
