#include "upload_slots.h"

namespace kinora::http {

UploadSlots::Taken UploadSlots::Take(const std::string& client) {
  std::lock_guard lock(mu_);
  int& mine = by_client_[client];
  Taken t = Taken::kYes;
  if (per_client_ > 0 && mine >= per_client_)
    t = Taken::kClientFull;
  else if (total_ > 0 && in_use_ >= total_)
    t = Taken::kServerFull;
  if (t != Taken::kYes) {
    if (mine == 0) by_client_.erase(client);
    return t;
  }
  ++mine;
  ++in_use_;
  return t;
}

void UploadSlots::Give(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = by_client_.find(client);
  if (it == by_client_.end()) return;
  if (--it->second == 0) by_client_.erase(it);
  --in_use_;
}

int UploadSlots::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

}  // namespace kinora::http
