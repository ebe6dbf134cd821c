// JSON-lines logging: one object per line on stderr with time, level, role, message and any
// extra fields (correlation_id, video_id, ...). Secrets must never be passed in.
// Thread safety: all functions may be called concurrently; lines never interleave.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace kinora::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

using Field = std::pair<std::string_view, std::string_view>;

// Sets the role written on every line ("serve", "gateway", ...) and the minimum level.
void Configure(std::string_view role, Level min_level);
bool ParseLevel(std::string_view s, Level* out);

void Write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, m, f);
}
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

}  // namespace kinora::log
