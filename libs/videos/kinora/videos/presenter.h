// The public face of a video: its catalog JSON plus media URLs the caller can fetch, signed for
// the gateway's /media route with the video's media generation (so a visibility change or a
// delete revokes them) and a lifetime that depends on its visibility. Callers present a video
// only to someone allowed to watch it. Every role that answers with a video uses this.
// URLs expire at a whole step of their lifetime (an eighth of it), so a video's URLs are the same
// text for everyone during a step (browsers and CDNs cache the media they name) and its rendered
// JSON can be reused until the step or the row changes (RenderedCache).
// Thread safety: safe to share (the cache inside is locked; the rest is immutable).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "kinora/catalog/video.h"
#include "kinora/http/signed_url.h"
#include "kinora/storage/object_store.h"
#include "kinora/videos/rendered_cache.h"

namespace kinora::videos {

struct PresenterOptions {
  std::chrono::seconds url_ttl{3600};         // lifetime of a public video's URLs
  std::chrono::seconds private_url_ttl{900};  // of an unlisted, internal or private video's
  // When set and it hands out direct URLs (S3), a public video's media other than HLS points
  // straight at it. Such URLs cannot be revoked before they expire, so `kinora` leaves this
  // unset: every URL goes through /media/, which checks the video's media generation.
  const storage::ObjectStore* direct_store = nullptr;
  // Videos whose rendered JSON is kept (RenderedCache; 0: none). About 2.5 KB each.
  size_t rendered_cache_entries = 16384;
  // The clock URLs expire by (tests set it); empty: the system clock.
  std::function<std::chrono::system_clock::time_point()> now = {};
};

// Whether a browser plays the original as it is (an H.264 or AV1 MP4/MOV, a VP8/VP9/AV1
// WebM; with no codec known, as in the seed's own documents, an MP4, M4V or WebM), so the
// seed's processed_url can point at it before processing ends.
bool BrowserPlayable(const catalog::VideoRecord& v);
// The key of the MP4 a browser plays: the processed MP4, else the original when
// BrowserPlayable, else empty. The seed's processed_url is a signed URL of it.
std::string PlayableKey(const catalog::VideoRecord& v);

class Presenter {
 public:
  Presenter(const http::UrlSigner& signer, PresenterOptions options);
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  // video_url is the MP4 once processed, the original until then; processed_url the same when
  // a browser can play it (PlayableKey), else empty.
  catalog::VideoUrls Urls(const catalog::VideoRecord& v) const;
  boost::json::object Json(const catalog::VideoRecord& v) const;
  // A /media/ URL of another object of the video (e.g. its storyboard), signed like its
  // playlists: same lifetime and media generation, always through the gateway.
  std::string MediaUrl(const catalog::VideoRecord& v, const std::string& key) const;
  // The same document as Json(v), appended as text (listings render dozens per request). A video
  // read from the catalog (row_version set) is rendered once per signing step and row version.
  void AppendJson(std::string& out, const catalog::VideoRecord& v) const;
  // When URLs of v signed now expire (unix seconds): now + its lifetime, rounded up to a step.
  int64_t ExpiresFor(const catalog::VideoRecord& v) const { return ExpiresFor(v.visibility); }
  int64_t ExpiresFor(std::string_view visibility) const;
  // Until when (unix seconds, exclusive) both ExpiresFor steps stay what they are now: a page
  // signed now is the text a page signed then would be, so far as its URLs go.
  int64_t StepsUntil() const;
  // The JSON AppendJson would write for the row `head` names, when it is kept from before (the
  // same row version and signing step), else null. For catalog::ListQuery::known.
  std::shared_ptr<const std::string> Kept(const catalog::RowHead& head) const;
  // An entity tag (quoted) for a document of these rows' JSON, in this order, plus `rest` (the
  // document's other fields): it changes whenever a row's JSON would (its row version, its
  // signing step) or the signing key does. Empty when some row's JSON cannot be told from its
  // head (a row not read from the catalog; presigned store URLs, which expire on their own).
  std::string ListTag(const std::vector<catalog::VideoRecord>& rows, std::string_view rest) const;
  // Videos whose rendered JSON is kept now.
  size_t CachedVideos() const { return cache_->Size(); }
  // A signed URL of the video's storyboard VTT (docs/content-analysis.md) once it has a content
  // analysis, else empty. The single-video answer carries it as storyboard_url; listings don't.
  std::string StoryboardUrl(const catalog::VideoRecord& v) const;

 private:
  catalog::VideoUrls UrlsUntil(const catalog::VideoRecord& v, int64_t expires) const;

  const http::UrlSigner& signer_;
  PresenterOptions options_;
  std::unique_ptr<RenderedCache> cache_;
};

}  // namespace kinora::videos
