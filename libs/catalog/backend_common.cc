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

std::string_view SortColumn(SortKey k) {
  switch (k) {
    case SortKey::kTimestamp:
      return "uploaded_at";
    case SortKey::kViews:
      return "views";
    case SortKey::kLikes:
      return "likes";
    case SortKey::kEngagement:
      return "engagement";
    case SortKey::kDuration:
      return "duration_key";
    case SortKey::kSize:
      return "size";
  }
  return "uploaded_at";
}

bool SortIsReal(SortKey k) { return k == SortKey::kEngagement || k == SortKey::kDuration; }

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
