// The uploader role's HTTP side: takes multipart uploads (form parsing and size limits here;
// everything about the video itself in Ingest, ingest.h) and deletes videos.
// Nothing becomes visible in the store or the catalog unless every check passed; a failure
// after that point undoes what was written.
// Thread safety: handlers may run concurrently; the Uploader holds no per-request state.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/identity/store.h"
#include "kinora/metrics/registry.h"
#include "kinora/queue/job_queue.h"
#include "kinora/storage/object_store.h"
#include "kinora/uploader/ingest.h"
#include "kinora/uploader/s3_direct.h"
#include "kinora/uploader/tus_api.h"
#include "kinora/uploader/upload_gate.h"
#include "kinora/videos/presenter.h"

namespace kinora::uploader {

struct UploaderOptions {
  uint64_t max_upload_bytes = 524288000;  // of the file part
  IngestOptions ingest;
  std::string default_visibility = "public";  // when the form names none
  // The disk reserve where uploads land (storage::DiskReserve::Check): when it fails an upload
  // is refused (507) before any byte is stored. Empty: no check.
  std::function<Result<void>()> disk_check;
  // Threads that finish uploads (probe child, commit, row, job) off the HTTP I/O threads; also
  // how many probes run at once.
  int finish_threads = 2;
  // Resumable uploads (docs/uploads.md): how long an unfinished one lives after its last PATCH,
  // and how often expired ones are swept (0: never; tests sweep by hand).
  std::chrono::seconds upload_expiry{24 * 3600};
  std::chrono::seconds upload_sweep_every{300};
};

class Uploader {
 public:
  // Answers show a video as `presenter` does, the same document the analytics role serves.
  // `users` (may be null: no quotas) gives each uploader's quota.
  Uploader(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
           identity::IdentityStore* users, const videos::Presenter& presenter,
           metrics::Registry& metrics, UploaderOptions options);

  // Registers POST {prefix}/upload, PATCH and DELETE {prefix}/videos/{id}. The request guard
  // has checked the caller may upload; these check the caller may edit the video.
  void Register(http::Router& router, const std::string& prefix);
  // Registers tus 1.0 at /api/uploads (tus_api.h) and the direct-to-S3 endpoints at
  // /api/uploads/s3/multipart (s3_direct.h; 501 unless the store is S3).
  void RegisterResumable(http::Router& router);
  TusApi& resumable() { return *tus_; }
  // The body limit for an upload route registered elsewhere (an alias).
  http::RouteOptions upload_route_options() const;
  boost::asio::awaitable<http::Response> Upload(http::Request& req, http::BodyReader& body);
  http::Response Delete(http::Request& req);
  http::Response Edit(http::Request& req);

 private:
  // How many bytes the caller may still upload (their quota, the upload limit): an error
  // (413 with quota_remaining_bytes) when nothing is left.
  Result<uint64_t> Allowance(const http::Request& req, uint64_t* quota_left);
  // The video, when the caller may edit it: 404 when they may not even watch it, else 403.
  Result<catalog::VideoRecord> Editable(const http::Request& req, const std::string& id);

  storage::ObjectStore& store_;
  catalog::Catalog& catalog_;
  identity::IdentityStore* users_;
  const videos::Presenter& presenter_;
  UploaderOptions options_;
  Ingest ingest_;
  boost::asio::thread_pool finish_pool_;
  metrics::Family<metrics::Counter>& uploads_;
  metrics::Counter& upload_bytes_;
  UploadGate gate_;              // quota and per-upload locks of tus_ and direct_
  std::unique_ptr<TusApi> tus_;  // after finish_pool_, ingest_ and gate_, which it uses
  std::unique_ptr<S3DirectApi> direct_;
};

}  // namespace kinora::uploader
