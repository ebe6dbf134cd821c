#include "kinora/processor/child_protocol.h"

#include <charconv>
#include <cstdio>

namespace kinora::processor {

std::vector<std::string> ChildArgv(const std::string& executable, const ChildRequest& r) {
  std::vector<std::string> argv = {executable, std::string(child::kSubcommand), r.input.string(),
                                   std::string(child::kOut), r.out_dir.string()};
  auto add = [&](std::string_view flag, std::string value) {
    argv.emplace_back(flag);
    argv.push_back(std::move(value));
  };
  if (!r.report.empty()) add(child::kReport, r.report.string());
  if (r.progress_fd >= 0) add(child::kProgressFd, std::to_string(r.progress_fd));
  if (r.quiet) argv.emplace_back(child::kQuiet);
  add(child::kPreset, r.preset);
  add(child::kCrf, std::to_string(r.crf));
  if (!r.allow_copy) argv.emplace_back(child::kNoCopy);
  if (!r.analyze) argv.emplace_back(child::kNoAnalysis);
  add(child::kMaxPixels, std::to_string(r.limits.max_pixels));
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.15g", r.limits.max_duration_seconds);
  add(child::kMaxDuration, seconds);
  return argv;
}

std::string FormatProgressLine(double share) {
  char line[32];
  std::snprintf(line, sizeof line, "progress %.3f\n", share);
  return line;
}

std::optional<double> ParseProgressLine(std::string_view line) {
  constexpr std::string_view kPrefix = "progress ";
  if (!line.starts_with(kPrefix)) return std::nullopt;
  line.remove_prefix(kPrefix.size());
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  double share = -1;
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), share);
  if (ec != std::errc() || end != line.data() + line.size()) return std::nullopt;
  if (!(share >= 0 && share <= 1)) return std::nullopt;
  return share;
}

boost::json::object FailureReport(const ChildFailure& f) {
  return boost::json::object{{"error", f.error}, {"permanent", f.permanent}};
}

std::optional<ChildFailure> ParseFailureReport(const boost::json::object& report) {
  const boost::json::value* e = report.if_contains("error");
  if (!e || !e->is_string()) return std::nullopt;
  const boost::json::value* p = report.if_contains("permanent");
  return ChildFailure{std::string(e->get_string()), p && p->is_bool() && p->get_bool()};
}

}  // namespace kinora::processor
