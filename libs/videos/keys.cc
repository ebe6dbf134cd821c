#include "kinora/videos/keys.h"

#include "kinora/media/transcode.h"

namespace kinora::videos {

std::string OriginalKey(std::string_view video_id, std::string_view extension) {
  return "videos/" + std::string(video_id) + "." + std::string(extension);
}

std::string MetadataKey(std::string_view video_id) {
  return std::string(kMetadataPrefix) + std::string(video_id) + ".json";
}

std::string ThumbnailKey(std::string_view video_id) {
  return "thumbnails/" + std::string(video_id) + ".jpg";
}

std::string ProcessedPrefix(std::string_view video_id) {
  return "processed/" + std::string(video_id) + "/";
}

std::string OutputKey(std::string_view video_id, std::string_view file) {
  if (file == media::kThumbnailFile) return ThumbnailKey(video_id);
  return ProcessedPrefix(video_id) + std::string(file);
}

std::optional<std::string> VideoIdOfMetadataKey(std::string_view key) {
  constexpr std::string_view kSuffix = ".json";
  if (!key.starts_with(kMetadataPrefix) || !key.ends_with(kSuffix)) return std::nullopt;
  key.remove_prefix(kMetadataPrefix.size());
  key.remove_suffix(kSuffix.size());
  if (key.empty() || key.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(key);
}

}  // namespace kinora::videos
