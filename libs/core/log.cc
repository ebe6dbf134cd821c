#include "kinora/core/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "kinora/core/json_text.h"
#include "kinora/core/time.h"

namespace kinora::log {
namespace {

std::mutex g_config_mu;  // g_role
std::mutex g_write_mu;   // stderr
std::string g_role = "kinora";
std::atomic<Level> g_min{Level::kInfo};

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

// The time field's text for `now`: the date and time down to the second are formatted once per
// second per thread, the milliseconds appended.
void AppendTime(std::string& out, std::chrono::system_clock::time_point now) {
  thread_local std::chrono::sys_seconds cached_second{};
  thread_local std::string cached_prefix;  // "2026-12-07T01:23:38."
  const auto second = std::chrono::floor<std::chrono::seconds>(now);
  if (second != cached_second || cached_prefix.empty()) {
    cached_second = second;
    cached_prefix = FormatIso8601(second, /*millis=*/false);
    cached_prefix.back() = '.';  // the 'Z'
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - second).count();
  out += cached_prefix;
  out.push_back(static_cast<char>('0' + ms / 100));
  out.push_back(static_cast<char>('0' + ms / 10 % 10));
  out.push_back(static_cast<char>('0' + ms % 10));
  out.push_back('Z');
}

// Writes the whole line with write(2) calls, so it reaches the descriptor without stdio's buffer.
void WriteLine(std::string_view line) {
  while (!line.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report a failing log
    line.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void Configure(std::string_view role, Level min_level) {
  std::lock_guard lock(g_config_mu);
  g_role = std::string(role);
  g_min.store(min_level);
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
  if (level < g_min.load(std::memory_order_relaxed)) return;
  // Written straight to text (the access log writes a line per request): JSON whatever the
  // fields hold, an invalid UTF-8 sequence becoming U+FFFD (AppendJsonString).
  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  AppendTime(line, std::chrono::system_clock::now());
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\",\"role\":";
  {
    std::lock_guard lock(g_config_mu);
    AppendJsonString(line, g_role);
  }
  line += ",\"message\":";
  AppendJsonString(line, message);
  for (const auto& [k, v] : fields) {
    if (v.empty()) continue;
    line.push_back(',');
    AppendJsonString(line, k);
    line.push_back(':');
    AppendJsonString(line, v);
  }
  line += "}\n";
  std::lock_guard lock(g_write_mu);  // lines never interleave, whatever their length
  WriteLine(line);
}

}  // namespace kinora::log
