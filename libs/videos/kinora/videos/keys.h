// Where a video's objects live in the store: the one home of the seed's key layout.
//   videos/{id}.{ext}       the original, as uploaded
//   metadata/{id}.json      the catalog row's mirror (kinora reindex rebuilds the catalog from it)
//   thumbnails/{id}.jpg     the 320×180 card
//   processed/{id}/…        everything else the pipeline makes (MP4, HLS, poster)
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kinora::videos {

inline constexpr std::string_view kMetadataPrefix = "metadata/";

std::string OriginalKey(std::string_view video_id, std::string_view extension);
std::string MetadataKey(std::string_view video_id);
std::string ThumbnailKey(std::string_view video_id);
std::string ProcessedPrefix(std::string_view video_id);

// Where an output file of the processing pipeline (its path relative to the output
// directory, e.g. "hls/720p/seg_00001.m4s") is published: the card thumbnail goes to
// ThumbnailKey, anything else under ProcessedPrefix.
std::string OutputKey(std::string_view video_id, std::string_view file);

// The video id a metadata key names ("metadata/{id}.json" -> id), if it is one.
std::optional<std::string> VideoIdOfMetadataKey(std::string_view key);
// The video a media key belongs to: "videos/{id}.{ext}", "thumbnails/{id}.jpg" or
// "processed/{id}/…" (what /media/ serves); nullopt for any other key, metadata included.
std::optional<std::string> VideoIdOfMediaKey(std::string_view key);

}  // namespace kinora::videos
