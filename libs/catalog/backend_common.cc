#include "backend_common.h"

#include <boost/json/parse.hpp>

namespace kinora::catalog::internal {

Result<void> ValidateRecord(const VideoRecord& v) {
  if (v.video_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "video_id is empty");
  if (v.video_key.empty()) return MakeError(ErrorCode::kInvalidArgument, "video_key is empty");
  boost::system::error_code ec;
  auto r = boost::json::parse(v.renditions_json, ec);
  if (ec || !r.is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, "renditions_json is not a JSON array");
  }
  return {};
}

Error VideoNotFound(std::string_view video_id) {
  return MakeError(ErrorCode::kNotFound, "video not found: " + std::string(video_id));
}

Result<std::optional<CursorPosition>> CheckListQuery(const ListQuery& q) {
  if (q.limit < 1 || q.limit > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "limit must be between 1 and 100");
  }
  if (q.offset < 0) return MakeError(ErrorCode::kInvalidArgument, "offset must not be negative");
  if (q.cursor.empty()) return std::optional<CursorPosition>();
  KINORA_TRY(CursorPosition after, DecodeCursor(q.cursor));
  if (after.sort != q.sort || after.descending != q.descending) {
    return MakeError(ErrorCode::kInvalidArgument, "cursor belongs to a different sort order");
  }
  return std::optional<CursorPosition>(std::move(after));
}

std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

}  // namespace kinora::catalog::internal
