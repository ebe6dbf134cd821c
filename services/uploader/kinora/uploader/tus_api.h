// Resumable uploads with tus 1.0.0 at /api/uploads/ (docs/uploads.md is the contract): creation
// (with upload), HEAD, PATCH, termination, expiration, checksum. Upload state is a catalog row
// (catalog::UploadRow), bytes are a resumable put in the store (storage/resumable.h); an offset
// is only reported once its bytes are durable and recorded. The PATCH that completes an upload
// runs the same ingest as the single POST (Ingest::FinishStored).
// Thread safety: handlers may run concurrently; requests on one upload are serialized (a second
// PATCH or DELETE while one runs gets 423). The sweeper runs on its own thread.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/metrics/registry.h"
#include "kinora/storage/object_store.h"
#include "kinora/uploader/ingest.h"
#include "kinora/uploader/upload_gate.h"
#include "kinora/videos/presenter.h"

namespace kinora::uploader {

struct TusOptions {
  std::string prefix = "/api/uploads";
  uint64_t max_upload_bytes = 524288000;
  std::chrono::seconds expiry{24 * 3600};  // after the last PATCH
  std::chrono::seconds sweep_every{300};   // 0: no sweeper thread (tests call SweepOnce)
  std::string default_visibility = "public";
  std::function<Result<void>()> disk_check;  // 507 when it fails; empty: no check
};

class TusApi {
 public:
  // `gate` (quota and per-upload locks) is shared with the direct-to-S3 endpoints.
  TusApi(storage::ObjectStore& store, catalog::Catalog& catalog, Ingest& ingest,
         boost::asio::thread_pool& blocking, const videos::Presenter& presenter,
         metrics::Registry& metrics, UploadGate& gate, TusOptions options);
  ~TusApi();
  TusApi(const TusApi&) = delete;
  TusApi& operator=(const TusApi&) = delete;

  // OPTIONS and POST {prefix}; GET {prefix}/config; OPTIONS, GET (and HEAD), PATCH and DELETE
  // {prefix}/{id}.
  void Register(http::Router& router);
  // Deletes expired uploads (their stored bytes first); returns how many.
  Result<int> SweepOnce();

 private:
  boost::asio::awaitable<http::Response> Create(http::Request& req, http::BodyReader& body);
  boost::asio::awaitable<http::Response> Patch(http::Request& req, http::BodyReader& body);
  http::Response Report(http::Request& req);  // HEAD (tus) and GET (JSON)
  http::Response Terminate(http::Request& req);
  http::Response Options(http::Request& req);
  http::Response Config(http::Request& req);  // GET {prefix}/config: what clients should use
  // Receives one PATCH body into `row` (already locked and checked); the answer.
  boost::asio::awaitable<http::Response> Receive(http::Request& req, http::BodyReader& body,
                                                 catalog::UploadRow& row, bool created);
  boost::asio::awaitable<http::Response> Finish(http::Request& req, catalog::UploadRow& row,
                                                std::unique_ptr<storage::ResumableWriter> w);
  // The caller's upload, or 404 (unknown, another user's, expired).
  Result<catalog::UploadRow> Find(const http::Request& req, const std::string& id);
  void SweepLoop();

  storage::ObjectStore& store_;
  catalog::Catalog& catalog_;
  Ingest& ingest_;
  boost::asio::thread_pool& blocking_;
  const videos::Presenter& presenter_;
  UploadGate& gate_;
  TusOptions options_;
  metrics::Family<metrics::Counter>& results_;
  metrics::Counter& bytes_;

  std::mutex mu_;  // guards stopping_
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace kinora::uploader
