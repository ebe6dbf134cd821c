#include "kinora/videos/presenter.h"

#include "kinora/media/content_analysis.h"
#include "kinora/videos/keys.h"

namespace kinora::videos {

bool BrowserPlayable(const catalog::VideoRecord& v) {
  const std::string& ext = v.file_extension;
  const std::string& codec = v.video_codec;
  // No codec known (a document of the seed's, which never probed): the container decides, as
  // the seed's own answer did.
  if (codec.empty()) return ext == "mp4" || ext == "m4v" || ext == "webm";
  if (ext == "mp4" || ext == "m4v" || ext == "mov") return codec == "h264" || codec == "av1";
  if (ext == "webm") return codec == "vp8" || codec == "vp9" || codec == "av1";
  return false;
}

std::string PlayableKey(const catalog::VideoRecord& v) {
  if (!v.mp4_key.empty()) return v.mp4_key;
  return BrowserPlayable(v) ? v.video_key : std::string();
}

catalog::VideoUrls Presenter::Urls(const catalog::VideoRecord& v) const {
  const bool is_public = v.visibility == "public";
  const std::chrono::seconds ttl = is_public ? options_.url_ttl : options_.private_url_ttl;
  auto gateway = [&](const std::string& key) {
    return key.empty() ? std::string() : signer_.Sign(key, ttl, v.media_generation);
  };
  auto direct = [&](const std::string& key) {
    if (key.empty()) return std::string();
    if (options_.direct_store && is_public) {
      if (std::string url = options_.direct_store->PresignedGet(key, ttl); !url.empty()) {
        return url;
      }
    }
    return gateway(key);
  };
  return catalog::VideoUrls{
      .original_url = direct(v.video_key),
      .video_url = direct(v.mp4_key.empty() ? v.video_key : v.mp4_key),
      .hls_url = gateway(v.hls_key),
      .thumbnail_url = direct(v.thumbnail_key),
      .poster_url = direct(v.poster_key),
      .processed_url = direct(PlayableKey(v)),
  };
}

std::string Presenter::MediaUrl(const catalog::VideoRecord& v, const std::string& key) const {
  const std::chrono::seconds ttl =
      v.visibility == "public" ? options_.url_ttl : options_.private_url_ttl;
  return signer_.Sign(key, ttl, v.media_generation);
}

std::string Presenter::StoryboardUrl(const catalog::VideoRecord& v) const {
  if (v.status != catalog::VideoStatus::kProcessed || v.analysis_json == catalog::kNoAnalysisJson ||
      v.analysis_json.find(R"("status":"none")") != std::string::npos) {
    return {};
  }
  const std::chrono::seconds ttl =
      v.visibility == "public" ? options_.url_ttl : options_.private_url_ttl;
  return signer_.Sign(OutputKey(v.video_id, media::kStoryboardVtt), ttl, v.media_generation);
}

boost::json::object Presenter::Json(const catalog::VideoRecord& v) const {
  const catalog::VideoUrls urls = Urls(v);
  return catalog::ToJson(v, &urls);
}

void Presenter::AppendJson(std::string& out, const catalog::VideoRecord& v) const {
  const catalog::VideoUrls urls = Urls(v);
  catalog::AppendJson(out, v, &urls);
}

}  // namespace kinora::videos
