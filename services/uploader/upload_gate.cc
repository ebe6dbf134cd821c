#include "kinora/uploader/upload_gate.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "kinora/core/time.h"

namespace kinora::uploader {

UploadGate::Hold::Hold(Hold&& other) noexcept
    : gate_(std::exchange(other.gate_, nullptr)), id_(std::move(other.id_)) {}

UploadGate::Hold& UploadGate::Hold::operator=(Hold&& other) noexcept {
  if (this != &other) {
    Release();
    gate_ = std::exchange(other.gate_, nullptr);
    id_ = std::move(other.id_);
  }
  return *this;
}

UploadGate::Hold::~Hold() { Release(); }

void UploadGate::Hold::Release() {
  if (gate_ == nullptr) return;
  std::lock_guard lock(gate_->mu_);
  gate_->busy_.erase(id_);
  gate_ = nullptr;
}

UploadGate::UploadGate(catalog::Catalog& catalog, AllowanceFn allowance, uint64_t max_upload_bytes)
    : catalog_(catalog), allowance_(std::move(allowance)), max_upload_bytes_(max_upload_bytes) {}

uint64_t UploadGate::MaxSize(const http::Request& req, uint64_t* quota_left, Error* why) const {
  *quota_left = max_upload_bytes_;
  auto allowed = allowance_ ? allowance_(req, quota_left) : Result<uint64_t>(max_upload_bytes_);
  if (!allowed) {
    *why = allowed.error();
    return 0;
  }
  uint64_t max = *allowed;
  // Unfinished uploads (tus and direct) have promised their sizes: they count too.
  if (*quota_left < max_upload_bytes_ && req.principal.signed_in()) {
    const int64_t now = UnixMillis(std::chrono::system_clock::now());
    if (auto pending = catalog_.PendingUploadBytes(req.principal.caller.user_id, now)) {
      const uint64_t p = static_cast<uint64_t>(std::max<int64_t>(*pending, 0));
      *quota_left = *quota_left > p ? *quota_left - p : 0;
      max = std::min(max, *quota_left);
    }
  }
  if (max == 0) *why = TooLarge("your upload quota is used up");
  return max;
}

UploadGate::Hold UploadGate::TryLock(const std::string& id) {
  std::lock_guard lock(mu_);
  if (!busy_.insert(id).second) return {};
  return Hold(this, id);
}

}  // namespace kinora::uploader
