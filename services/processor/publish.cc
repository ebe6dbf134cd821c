#include "publish.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <set>

#include "kinora/videos/keys.h"

namespace kinora::processor {
namespace {

namespace fs = std::filesystem;
constexpr size_t kChunk = 1 << 20;

Result<int64_t> Upload(storage::ObjectStore& store, const std::string& key, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Internal("missing output " + file.string());
  KINORA_TRY(auto writer, store.BeginPut(key, storage::GuessContentType(key)));
  std::vector<char> buf(kChunk);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    if (auto r = writer->Write(std::span<const char>(buf.data(), n)); !r) {
      writer->Abort();
      return r.error();
    }
  }
  if (in.bad()) {
    writer->Abort();
    return Unavailable("cannot read " + file.string());
  }
  KINORA_TRY(auto info, writer->Commit());
  return static_cast<int64_t>(info.size);
}

int PublishOrder(const std::string& file) {
  if (file == media::kThumbnailFile) return 2;
  if (file == media::kMasterPlaylistFile) return 1;
  return 0;
}

}  // namespace

Result<void> Download(storage::ObjectStore& store, const std::string& key, const fs::path& to) {
  KINORA_TRY(auto reader, store.Get(key, std::nullopt));
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!out) return Unavailable("cannot write " + to.string());
  std::vector<char> buf(kChunk);
  for (;;) {
    KINORA_TRY(size_t n, reader->Read(buf));
    if (n == 0) break;
    out.write(buf.data(), static_cast<std::streamsize>(n));
  }
  out.close();
  if (!out) return Unavailable("cannot write " + to.string());
  return {};
}

Result<Published> Publish(storage::ObjectStore& store, const std::string& video_id,
                          const fs::path& out_dir, const std::vector<std::string>& files) {
  std::vector<std::string> ordered = files;
  std::stable_sort(ordered.begin(), ordered.end(), [](const std::string& a, const std::string& b) {
    return PublishOrder(a) < PublishOrder(b);
  });
  Published p;
  // A run that fails halfway takes back what it stored, so only a whole set is ever published.
  auto undo = [&](Error e) {
    for (size_t i = 0; i < p.keys.size(); i += 1000) {
      const size_t end = std::min(p.keys.size(), i + 1000);  // DeleteMany takes up to 1000
      (void)store.DeleteMany(std::vector<std::string>(p.keys.begin() + i, p.keys.begin() + end));
    }
    return e;
  };
  for (const std::string& f : ordered) {
    if (f.empty() || f.find("..") != std::string::npos || f.front() == '/') {
      return undo(Internal("unexpected output file name " + f));
    }
    const std::string key = videos::OutputKey(video_id, f);
    auto size = Upload(store, key, out_dir / f);
    if (!size) return undo(size.error());
    p.bytes += *size;
    p.keys.push_back(key);
  }
  // What an earlier run left that this one did not write (e.g. a rung it no longer makes).
  const std::set<std::string> keep(p.keys.begin(), p.keys.end());
  const std::string prefix = videos::ProcessedPrefix(video_id);
  std::string after;
  std::vector<std::string> stale;
  for (;;) {
    auto page = store.List(prefix, after, 1000);
    if (!page) return undo(page.error());
    for (const auto& o : page->objects) {
      if (!keep.count(o.key)) stale.push_back(o.key);
    }
    if (!page->next) break;
    after = *page->next;
  }
  for (const std::string& k : stale) {
    if (auto r = store.Delete(k); !r) return undo(r.error());
  }
  return p;
}

void ApplyReport(const media::TranscodeReport& r, const Published& p, catalog::VideoRecord& v) {
  const std::string& id = v.video_id;
  double duration = r.probe.duration_seconds;
  if (duration <= 0 && !r.renditions.empty()) duration = r.renditions.front().duration_seconds;
  if (duration > 0) v.duration_seconds = std::round(duration * 1000) / 1000;
  v.width = r.display_width;
  v.height = r.display_height;
  v.fps = r.fps;
  v.container = r.probe.container;
  v.video_codec = r.probe.video_codec;
  v.audio_codec = r.probe.audio_codec;
  v.bitrate = r.probe.bitrate;
  boost::json::array renditions;
  for (const media::RenditionResult& rr : r.renditions) {
    renditions.push_back(boost::json::object{
        {"name", rr.rung.name},
        {"width", rr.rung.width},
        {"height", rr.rung.height},
        {"bandwidth", rr.rung.bandwidth},
        {"codecs", rr.codecs},
        {"copy", rr.rung.copy},
        {"segments", rr.segments},
        {"duration_seconds", std::round(rr.duration_seconds * 1000) / 1000},
    });
  }
  v.renditions_json = boost::json::serialize(renditions);
  v.probe_json = boost::json::serialize(media::ToJson(r.probe));
  v.thumbnail_key = videos::OutputKey(id, media::kThumbnailFile);
  v.mp4_key = videos::OutputKey(id, media::kMp4File);
  v.hls_key = videos::OutputKey(id, media::kMasterPlaylistFile);
  v.poster_key = videos::OutputKey(id, media::kPosterFile);
  v.processed_bytes = p.bytes;
  catalog::SetAnalysis(v, media::ToJson(r.content));
}

void ClearOutputs(catalog::VideoRecord& v) {
  v.renditions_json = "[]";
  v.thumbnail_key.clear();
  v.mp4_key.clear();
  v.hls_key.clear();
  v.poster_key.clear();
  v.processed_at.reset();
  v.processing_seconds.reset();
  v.processed_bytes = 0;
  v.analysis_json = std::string(catalog::kNoAnalysisJson);
  v.analysis_flags.clear();
}

}  // namespace kinora::processor
