#include "kinora/core/log.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "kinora/core/json_text.h"
#include "kinora/core/time.h"

namespace kinora::log {
namespace {

std::mutex g_mu;
std::string g_role = "kinora";
Level g_min = Level::kInfo;

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void Configure(std::string_view role, Level min_level) {
  std::lock_guard lock(g_mu);
  g_role = std::string(role);
  g_min = min_level;
}

bool ParseLevel(std::string_view s, Level* out) {
  if (s == "debug")
    *out = Level::kDebug;
  else if (s == "info")
    *out = Level::kInfo;
  else if (s == "warn" || s == "warning")
    *out = Level::kWarn;
  else if (s == "error")
    *out = Level::kError;
  else
    return false;
  return true;
}

void Write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (level < g_min) return;
  boost::json::object o;
  o["time"] = FormatIso8601(std::chrono::system_clock::now(), /*millis=*/true);
  o["level"] = LevelName(level);
  {
    std::lock_guard lock(g_mu);
    o["role"] = g_role;
  }
  o["message"] = message;
  for (const auto& [k, v] : fields) {
    if (!v.empty()) o[k] = v;
  }
  std::string line = ToJsonText(o);  // valid JSON even when a field holds invalid UTF-8
  line.push_back('\n');
  std::lock_guard lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace kinora::log
