// VideoRecord: one row of the catalog — everything Kinora knows about a video — and its JSON
// form (the shape of metadata/{id}.json and, with signed URLs added, of the public API).
// Thread safety: plain values.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/core/time.h"

namespace kinora::catalog {

enum class VideoStatus { kUploaded, kProcessing, kProcessed, kFailed };

std::string_view ToString(VideoStatus s);  // "UPLOADED", "PROCESSING", "PROCESSED", "FAILED"
std::optional<VideoStatus> ParseVideoStatus(std::string_view s);  // case-insensitive

// The analysis summary of a video processed before content analysis existed, or not processed
// yet (docs/content-analysis.md "Catalog summary"; media::ToJson(ContentSummary{}) spells the
// same document, which the processor's tests check). Both backends' migrations default to it.
inline constexpr std::string_view kNoAnalysisJson =
    R"({"status":"none","integrated_lufs":null,"true_peak_dbtp":null,"scene_count":0,)"
    R"("black_seconds":0,"frozen_seconds":0,"silent_seconds":0,"flags":[]})";

struct VideoRecord {
  std::string video_id;  // UUIDv4
  std::string title;
  std::string description;
  std::string original_filename;  // as the client sent it (display only, never a path)
  std::string file_extension;     // lowercase, no dot: "mp4"
  std::string content_type;       // "video/mp4"
  int64_t size = 0;               // bytes of the original
  std::string bucket;             // s3_bucket: bucket name, or "local" for the file store
  std::string video_key;          // "videos/{id}.{ext}"
  SysTime uploaded_at{};
  VideoStatus status = VideoStatus::kUploaded;
  std::string error;    // reason when FAILED
  double progress = 0;  // 0–1 while PROCESSING
  int64_t views = 0;    // counters: only Catalog::Increment* changes them
  int64_t likes = 0;
  // Media facts (upload-time probe, refined by the processor).
  std::optional<double> duration_seconds;
  int width = 0;
  int height = 0;
  double fps = 0;
  std::string container;               // "mov,mp4,m4a,3gp,3g2,mj2"
  std::string video_codec;             // "h264"
  std::string audio_codec;             // "aac" or empty
  int64_t bitrate = 0;                 // bits/s
  std::string renditions_json = "[]";  // JSON array written by the processor
  std::string probe_json = "{}";       // JSON object: the processor's full probe of the source
  // Outputs (object keys; empty until processed).
  std::string thumbnail_key;  // "thumbnails/{id}.jpg"
  std::string mp4_key;        // "processed/{id}/video.mp4"
  std::string hls_key;        // "processed/{id}/hls/master.m3u8"
  std::string poster_key;     // "processed/{id}/poster.jpg"
  std::optional<SysTime> processed_at;
  std::optional<double> processing_seconds;
  int64_t processed_bytes = 0;  // bytes of all outputs (for storage stats)
  // The content analysis summary: a JSON object (media::ContentSummary's form), and its flag
  // codes as ",code,code," for the library's flag filter. SetAnalysis keeps the two in step.
  std::string analysis_json = std::string(kNoAnalysisJson);
  std::string analysis_flags;
  std::string correlation_id;  // of the upload request
  // Access (Catalog::Edit changes these; Update leaves them alone).
  std::string owner_id;               // the uploading user's id; empty before accounts existed
  std::string visibility = "public";  // public | unlisted | private | internal
  int64_t media_generation = 0;       // bumped by every visibility change (signed URLs carry it)
  // Changes with every write of the row (the database sets it: random on insert, +1 on every
  // update), so a reader can tell whether what it rendered from an earlier read still holds.
  // Kinora never writes it; it is not in the JSON.
  int64_t row_version = 0;
};

// Sets the analysis summary (an object whose "flags" is an array of flag codes) and the flag
// column derived from it.
void SetAnalysis(VideoRecord& v, const boost::json::object& summary);
// ",code,": how one flag code appears in analysis_flags (a filter matches this substring).
std::string FlagToken(std::string_view code);

// likes / max(views, 1): the share of viewers who liked the video.
double Engagement(const VideoRecord& v);

// Every field of the public contract. URL fields (processed_url, video_url, hls_url,
// thumbnail_url) are null; the API layer fills them with signed URLs. The seed's fields keep its
// names and types: size and file_size, s3_key and s3_video_key, timestamp and upload_timestamp
// (integer epoch seconds; uploaded_at is the ISO-8601 time), filename (the name as uploaded),
// runtime (integer seconds, 0 while unknown; duration_seconds is exact), engagement.
boost::json::object ToJson(const VideoRecord& v);

// Signed URLs the API layer puts into a video's JSON (empty string: null).
struct VideoUrls {
  std::string original_url, video_url, hls_url, thumbnail_url, poster_url;
  std::string processed_url;  // the seed's: an MP4 a browser plays (empty: none yet)
};

// The JSON of a video: as ToJson, but with URL fields from `urls` (and an original_url field),
// or ToJson itself when urls is null.
boost::json::object ToJson(const VideoRecord& v, const VideoUrls* urls);
// The same document as ToJson(v, urls), appended to `out` as text without building a tree:
// listings render dozens per request.
void AppendJson(std::string& out, const VideoRecord& v, const VideoUrls* urls);

// Inverse of ToJson (ignores derived and URL fields). Used by reindex and tests. Also reads the
// seed's metadata/{id}.json: epoch-second timestamps, filename as the original name, integer
// runtime, a thumbnail_url holding the thumbnail's key.
Result<VideoRecord> FromJson(const boost::json::object& o);

}  // namespace kinora::catalog
