#include "kinora/videos/presenter.h"

#include <algorithm>
#include <charconv>

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

Presenter::Presenter(const http::UrlSigner& signer, PresenterOptions options)
    : signer_(signer),
      options_(std::move(options)),
      // Presigned store URLs carry the store's own expiry, so nothing would match a step.
      cache_(std::make_unique<RenderedCache>(
          options_.direct_store == nullptr ? options_.rendered_cache_entries : 0)) {}

Presenter::~Presenter() = default;

int64_t Presenter::ExpiresFor(std::string_view visibility) const {
  const std::chrono::seconds ttl =
      visibility == "public" ? options_.url_ttl : options_.private_url_ttl;
  const auto now = options_.now ? options_.now() : std::chrono::system_clock::now();
  const int64_t at =
      std::chrono::duration_cast<std::chrono::seconds>((now + ttl).time_since_epoch()).count();
  const int64_t step = std::max<int64_t>(1, ttl.count() / 8);
  return (at + step - 1) / step * step;  // at or after now + ttl, by less than a step
}

int64_t Presenter::StepsUntil() const {
  // ExpiresFor(v) is E while floor(now) + ttl <= E: up to second E - ttl, inclusive.
  return std::min(ExpiresFor("public") - options_.url_ttl.count(),
                  ExpiresFor("private") - options_.private_url_ttl.count()) +
         1;
}

std::shared_ptr<const std::string> Presenter::Kept(const catalog::RowHead& head) const {
  if (head.row_version == 0) return nullptr;
  return cache_->Find(head.video_id, head.row_version, ExpiresFor(head.visibility));
}

std::string Presenter::ListTag(const std::vector<catalog::VideoRecord>& rows,
                               std::string_view rest) const {
  if (options_.direct_store) return {};
  const int64_t public_until = ExpiresFor("public"), other_until = ExpiresFor("private");
  std::string material;
  material.reserve(rows.size() * 64 + rest.size() + 32);
  const auto append_number = [&material](int64_t n) {
    char buf[24];
    material.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
  };
  append_number(options_.url_ttl.count());
  material += '/';
  append_number(options_.private_url_ttl.count());
  material += '\n';
  for (const catalog::VideoRecord& v : rows) {
    if (v.row_version == 0) return {};
    material += v.video_id;
    material += ' ';
    append_number(v.row_version);
    material += ' ';
    append_number(v.visibility == "public" ? public_until : other_until);
    material += '\n';
  }
  material += rest;
  return "\"" + signer_.Tag(material).substr(0, 32) + "\"";
}

catalog::VideoUrls Presenter::Urls(const catalog::VideoRecord& v) const {
  return UrlsUntil(v, ExpiresFor(v));
}

catalog::VideoUrls Presenter::UrlsUntil(const catalog::VideoRecord& v, int64_t expires) const {
  const bool is_public = v.visibility == "public";
  const std::chrono::seconds ttl = is_public ? options_.url_ttl : options_.private_url_ttl;
  auto gateway = [&](const std::string& key) {
    return key.empty() ? std::string() : signer_.SignUntil(key, expires, v.media_generation);
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
  return signer_.SignUntil(key, ExpiresFor(v), v.media_generation);
}

std::string Presenter::StoryboardUrl(const catalog::VideoRecord& v) const {
  if (v.status != catalog::VideoStatus::kProcessed || v.analysis_json == catalog::kNoAnalysisJson ||
      v.analysis_json.find(R"("status":"none")") != std::string::npos) {
    return {};
  }
  return signer_.SignUntil(OutputKey(v.video_id, media::kStoryboardVtt), ExpiresFor(v),
                           v.media_generation);
}

boost::json::object Presenter::Json(const catalog::VideoRecord& v) const {
  const catalog::VideoUrls urls = Urls(v);
  return catalog::ToJson(v, &urls);
}

void Presenter::AppendJson(std::string& out, const catalog::VideoRecord& v) const {
  const int64_t expires = ExpiresFor(v);
  // Version 0: not read from the catalog (or from a catalog without versions): never kept.
  const bool keep = v.row_version != 0;
  if (keep && cache_->AppendIfFresh(out, v.video_id, v.row_version, expires)) return;
  const size_t start = out.size();
  const catalog::VideoUrls urls = UrlsUntil(v, expires);
  catalog::AppendJson(out, v, &urls);
  if (keep) {
    cache_->Put(v.video_id, v.row_version, expires, std::string_view(out).substr(start));
  }
}

}  // namespace kinora::videos
