#include "kinora/videos/presenter.h"

namespace kinora::videos {

catalog::VideoUrls Presenter::Urls(const catalog::VideoRecord& v) const {
  auto direct = [&](const std::string& key) {
    if (key.empty()) return std::string();
    if (options_.direct_store) {
      if (std::string url = options_.direct_store->PresignedGet(key, options_.url_ttl);
          !url.empty()) {
        return url;
      }
    }
    return signer_.Sign(key, options_.url_ttl);
  };
  auto gateway = [&](const std::string& key) {
    return key.empty() ? std::string() : signer_.Sign(key, options_.url_ttl);
  };
  return catalog::VideoUrls{
      .original_url = direct(v.video_key),
      .video_url = direct(v.mp4_key.empty() ? v.video_key : v.mp4_key),
      .hls_url = gateway(v.hls_key),
      .thumbnail_url = direct(v.thumbnail_key),
      .poster_url = direct(v.poster_key),
  };
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
