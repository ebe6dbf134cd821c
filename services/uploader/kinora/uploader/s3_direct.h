// Direct-to-S3 uploads at /api/uploads/s3/multipart (docs/uploads.md "Direct to S3"): the
// endpoints Uppy's @uppy/aws-s3 multipart flow calls. The browser PUTs the parts straight to
// the bucket through presigned UploadPart URLs; the server starts the multipart upload under a
// key it chooses, signs parts only for the caller's own upload, and at completion checks the
// real size, probes the object and makes the video (Ingest::FinishStored). One catalog upload
// row per direct upload (the tus table), its store_state naming the S3 UploadId, so quotas,
// expiry and the sweeper treat both kinds alike. On a store without direct multipart uploads
// (local files) every route answers 501.
// Thread safety: handlers may run concurrently; one upload's completion and abort are
// serialized (a second one while one runs gets 423).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/storage/object_store.h"
#include "kinora/uploader/ingest.h"
#include "kinora/uploader/upload_gate.h"
#include "kinora/videos/presenter.h"

namespace kinora::uploader {

// The upload row's store_state for a direct upload: {"direct":true,"s3_upload_id":"…"}.
std::string DirectUploadState(std::string_view s3_upload_id);
// Whether a row's store_state is a direct upload's; its S3 UploadId ("" if not one).
bool IsDirectUploadState(std::string_view state);
std::string DirectS3UploadId(std::string_view state);

struct DirectOptions {
  std::string prefix = "/api/uploads/s3/multipart";
  std::chrono::seconds expiry{24 * 3600};      // an unfinished upload's row lives this long
  std::chrono::seconds part_url_ttl{15 * 60};  // how long a signed part URL works
  std::string default_visibility = "public";
};

class S3DirectApi {
 public:
  S3DirectApi(storage::ObjectStore& store, catalog::Catalog& catalog, Ingest& ingest,
              boost::asio::thread_pool& blocking, const videos::Presenter& presenter,
              UploadGate& gate, DirectOptions options);
  S3DirectApi(const S3DirectApi&) = delete;
  S3DirectApi& operator=(const S3DirectApi&) = delete;

  // POST {prefix}; GET {prefix}/{uploadId}/{partNumber}; GET and DELETE {prefix}/{uploadId};
  // POST {prefix}/{uploadId}/complete.
  void Register(http::Router& router);
  bool enabled() const { return store_.supports_direct_multipart(); }

 private:
  boost::asio::awaitable<http::Response> Create(http::Request& req, http::BodyReader& body);
  http::Response SignPart(http::Request& req);
  boost::asio::awaitable<http::Response> ListParts(http::Request& req, http::BodyReader& body);
  boost::asio::awaitable<http::Response> Complete(http::Request& req, http::BodyReader& body);
  boost::asio::awaitable<http::Response> Abort(http::Request& req, http::BodyReader& body);
  // The caller's unfinished direct upload, or 404 (unknown, another user's, expired, a tus
  // upload, or ?key= naming another object). `finished`: a completed one (kept until it
  // expires) is found too, so a complete whose answer was lost can be asked again.
  Result<catalog::UploadRow> Find(const http::Request& req, const std::string& id,
                                  bool finished = false);
  // The answer to a complete that made `video`.
  http::Response Completed(const catalog::VideoRecord& video) const;

  storage::ObjectStore& store_;
  catalog::Catalog& catalog_;
  Ingest& ingest_;
  boost::asio::thread_pool& blocking_;
  const videos::Presenter& presenter_;
  UploadGate& gate_;
  DirectOptions options_;
};

}  // namespace kinora::uploader
