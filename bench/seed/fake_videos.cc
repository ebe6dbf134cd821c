#include "fake_videos.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "kinora/core/ids.h"

namespace kinora::bench {

namespace {

constexpr std::array<std::string_view, 48> kWords = {
    "sunset",  "mountain", "drone",   "city",     "timelapse",  "cat",     "dog",     "recipe",
    "guitar",  "lesson",   "review",  "unboxing", "travel",     "vlog",    "ocean",   "surfing",
    "bike",    "trail",    "night",   "market",   "coffee",     "morning", "routine", "garden",
    "rain",    "storm",    "concert", "live",     "tutorial",   "c++",     "game",    "speedrun",
    "wedding", "birthday", "party",   "snow",     "ski",        "forest",  "river",   "bridge",
    "train",   "station",  "100%",    "best_of",  "highlights", "finale",  "intro",   "trailer"};

struct Format {
  std::string_view ext, content_type, container;
  int weight;
};
constexpr std::array<Format, 6> kFormats = {{
    {"mp4", "video/mp4", "mov,mp4,m4a,3gp,3g2,mj2", 70},
    {"mov", "video/quicktime", "mov,mp4,m4a,3gp,3g2,mj2", 12},
    {"webm", "video/webm", "matroska,webm", 8},
    {"mkv", "video/x-matroska", "matroska,webm", 5},
    {"avi", "video/x-msvideo", "avi", 3},
    {"m4v", "video/x-m4v", "mov,mp4,m4a,3gp,3g2,mj2", 2},
}};

constexpr std::array<std::pair<int, int>, 5> kSizes = {
    {{640, 360}, {854, 480}, {1280, 720}, {1920, 1080}, {3840, 2160}}};

std::string Capitalize(std::string_view w) {
  std::string s(w);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

catalog::VideoRecord FakeVideos::Next() {
  using catalog::VideoStatus;
  catalog::VideoRecord v;
  v.video_id = NewUuid();
  int words = static_cast<int>(Int(2, 5));
  std::string slug;
  for (int i = 0; i < words; ++i) {
    auto w = kWords[static_cast<size_t>(Int(0, kWords.size() - 1))];
    v.title += (i ? " " : "") + Capitalize(w);
    slug += (i ? "_" : "") + std::string(w);
  }
  v.description = "Fake video for benchmarks: " + v.title;

  int pick = static_cast<int>(Int(1, 100));
  const Format* f = &kFormats[0];
  for (const auto& candidate : kFormats) {
    if (pick <= candidate.weight) {
      f = &candidate;
      break;
    }
    pick -= candidate.weight;
  }
  v.file_extension = f->ext;
  v.content_type = f->content_type;
  v.original_filename = slug + "." + v.file_extension;
  v.bucket = "local";
  v.video_key = "videos/" + v.video_id + "." + v.file_extension;
  v.size = std::clamp<int64_t>(static_cast<int64_t>(std::exp(Uniform(13.8, 20.0))), 100'000,
                               500'000'000);
  auto age = std::chrono::milliseconds(Int(0, int64_t{spread_days_} * 86'400'000 - 1));
  v.uploaded_at = std::chrono::time_point_cast<std::chrono::milliseconds>(now_ - age);
  v.correlation_id = NewUuid();

  int s = static_cast<int>(Int(1, 100));
  v.status = s <= 85   ? VideoStatus::kProcessed
             : s <= 90 ? VideoStatus::kUploaded
             : s <= 95 ? VideoStatus::kProcessing
                       : VideoStatus::kFailed;
  double duration = std::clamp(std::exp(Uniform(1.5, 8.8)), 2.0, 7200.0);
  auto [w, h] = kSizes[static_cast<size_t>(Int(0, kSizes.size() - 1))];
  if (v.status != VideoStatus::kFailed) {
    v.duration_seconds = std::round(duration * 1000) / 1000;
    v.width = w;
    v.height = h;
    v.fps = Int(0, 3) == 0 ? 60 : (Int(0, 1) ? 30 : 29.97);
    v.container = f->container;
    v.video_codec = f->ext == "webm" ? "vp9" : "h264";
    v.audio_codec = Int(0, 9) == 0 ? "" : (f->ext == "webm" ? "opus" : "aac");
    v.bitrate = static_cast<int64_t>(static_cast<double>(v.size) * 8 / duration);
  }
  switch (v.status) {
    case VideoStatus::kUploaded:
      break;
    case VideoStatus::kProcessing:
      v.progress = Uniform(0, 1);
      break;
    case VideoStatus::kFailed:
      v.error = "could not decode video stream";
      break;
    case VideoStatus::kProcessed: {
      v.progress = 1;
      double secs = std::round((2 + duration * Uniform(0.1, 0.6)) * 1000) / 1000;
      v.processing_seconds = secs;
      v.processed_at = v.uploaded_at + std::chrono::milliseconds(static_cast<int64_t>(secs * 1000));
      v.processed_bytes = static_cast<int64_t>(static_cast<double>(v.size) * Uniform(0.5, 1.2));
      v.thumbnail_key = "thumbnails/" + v.video_id + ".jpg";
      v.mp4_key = "processed/" + v.video_id + "/video.mp4";
      v.hls_key = "processed/" + v.video_id + "/hls/master.m3u8";
      std::string r = "[";
      for (int rung : {1080, 720, 480, 360}) {
        if (rung > h) continue;
        if (r.size() > 1) r += ",";
        r += R"({"name":")" + std::to_string(rung) + R"(p","height":)" + std::to_string(rung) +
             R"(,"bandwidth":)" + std::to_string(rung * 4000) + "}";
      }
      v.renditions_json = r + "]";
      // Heavy-tailed audience: most videos get a few views, a few get very many.
      v.views = static_cast<int64_t>(std::exp(Uniform(0, 1) * Uniform(0, 1) * 14));
      v.likes = static_cast<int64_t>(static_cast<double>(v.views) * Uniform(0, 0.12));
      break;
    }
  }
  return v;
}

std::vector<FakeDay> FakeVideos::DailyCounts(const catalog::VideoRecord& v) {
  std::vector<FakeDay> out;
  if (v.views == 0) return out;
  auto age_days = std::chrono::duration_cast<std::chrono::hours>(now_ - v.uploaded_at).count() / 24;
  int64_t span = std::min<int64_t>(age_days, 29);
  int64_t days = std::min<int64_t>(Int(1, 4), span + 1);
  for (int64_t d = 0; d < days; ++d) {
    FakeDay fd;
    // Distinct days: (span + 1) / days >= 1, so the offsets strictly increase up to span.
    fd.day = FormatDay(now_ - std::chrono::hours(24 * (d * (span + 1) / days)));
    fd.views = v.views / (2 * days);
    fd.likes = v.likes / (2 * days);
    if (fd.views > 0 || fd.likes > 0) out.push_back(fd);
  }
  return out;
}

}  // namespace kinora::bench
