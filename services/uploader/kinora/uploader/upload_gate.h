// What the two resumable front doors (tus_api.h and s3_direct.h) share: how much a caller may
// still upload, and which uploads have a request working on them. One lock set serves both, so
// the sweeper (which removes expired uploads of either kind) never takes an upload a request is
// completing or aborting, and a tus request never races a direct one on the same row.
// Thread safety: every member may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/core/error.h"
#include "kinora/http/message.h"

namespace kinora::uploader {

class UploadGate {
 public:
  // How many bytes the caller may still upload (instance limit and quota), and the quota left;
  // kTooLarge when nothing is left. The Uploader's own rule.
  using AllowanceFn = std::function<Result<uint64_t>(const http::Request&, uint64_t* quota_left)>;

  // Held while a request works on one upload; empty when another request holds it.
  class Hold {
   public:
    Hold() = default;
    Hold(Hold&& other) noexcept;
    Hold& operator=(Hold&& other) noexcept;
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    ~Hold();
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    friend class UploadGate;
    Hold(UploadGate* gate, std::string id) : gate_(gate), id_(std::move(id)) {}
    void Release();
    UploadGate* gate_ = nullptr;
    std::string id_;
  };

  UploadGate(catalog::Catalog& catalog, AllowanceFn allowance, uint64_t max_upload_bytes);
  UploadGate(const UploadGate&) = delete;
  UploadGate& operator=(const UploadGate&) = delete;

  // The largest upload the caller may start now: the smaller of the allowance and the quota
  // left once the unfinished uploads' promised sizes are counted; `quota_left` gets that quota.
  // 0 with `why` set when nothing may be uploaded. Reads the catalog (call it off the I/O thread).
  uint64_t MaxSize(const http::Request& req, uint64_t* quota_left, Error* why) const;
  uint64_t max_upload_bytes() const { return max_upload_bytes_; }

  // Marks upload `id` as worked on until the Hold is destroyed; an empty Hold when it already is.
  Hold TryLock(const std::string& id);

 private:
  catalog::Catalog& catalog_;
  AllowanceFn allowance_;
  uint64_t max_upload_bytes_;
  std::mutex mu_;
  std::set<std::string> busy_;
};

}  // namespace kinora::uploader
