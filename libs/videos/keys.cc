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

std::optional<std::string> VideoIdOfMediaKey(std::string_view key) {
  auto id_before = [](std::string_view rest, char end) -> std::optional<std::string> {
    const size_t n = rest.find(end);
    if (n == 0 || n == std::string_view::npos) return std::nullopt;
    std::string_view id = rest.substr(0, n);
    if (id.find('/') != std::string_view::npos) return std::nullopt;
    return std::string(id);
  };
  for (std::string_view prefix : {"videos/", "thumbnails/"}) {
    if (key.starts_with(prefix)) {
      std::string_view rest = key.substr(prefix.size());
      if (rest.find('/') != std::string_view::npos) return std::nullopt;
      return id_before(rest, '.');
    }
  }
  if (key.starts_with("processed/")) return id_before(key.substr(10), '/');
  return std::nullopt;
}

}  // namespace kinora::videos
