// Parsing of the report requests' parameters into plain values, and who may see whose
// analytics: the transport-free half of report_api.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kinora/audience/reports/range.h"
#include "kinora/audience/reports/report_store.h"
#include "kinora/catalog/video.h"
#include "kinora/core/error.h"
#include "kinora/http/message.h"

namespace kinora::audience {

// from/to of the request (docs/analytics.md): kInvalidArgument for a bad or too long range.
Result<reports::TimeRange> ParseReportRange(const http::Request& req, SysTime now);

// Whether the caller may see the video's analytics: its owner, moderators and admins.
bool MaySeeAnalytics(const identity::Principal& p, const catalog::VideoRecord& v);

// The videos a site-wide report covers for the caller: all (moderators, admins), one owner's
// (`owner=`, moderators and admins only; kNotFound for anyone else naming another user), or
// the caller's own.
Result<reports::Scope> CallerScope(const identity::Principal& p, std::optional<std::string> owner);

enum class TimeseriesMetric {
  kPlays,
  kViews,
  kWatchTime,
  kUniqueViewers,
  kStartupP50,
  kRebufferPercentage
};
std::optional<TimeseriesMetric> ParseMetric(std::string_view name);

enum class ExportFormat { kCsv, kNdjson };
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

// Whether `dimension` is one of schema.h's kDimensions.
bool IsDimension(std::string_view dimension);

}  // namespace kinora::audience
