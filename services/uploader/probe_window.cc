#include "kinora/uploader/probe_window.h"

#include <algorithm>
#include <cstring>

namespace kinora::uploader {

void ProbeWindow::Append(std::string_view data) {
  total_ += data.size();
  if (head_.size() < head_cap_) {
    size_t k = std::min(data.size(), head_cap_ - head_.size());
    head_.append(data.substr(0, k));
    data.remove_prefix(k);
  }
  if (tail_cap_ == 0 || data.empty()) return;
  if (data.size() >= tail_cap_) {
    ring_.assign(data.substr(data.size() - tail_cap_));
    ring_start_ = 0;
    return;
  }
  if (ring_.size() < tail_cap_) {
    size_t k = std::min(data.size(), tail_cap_ - ring_.size());
    ring_.append(data.substr(0, k));
    data.remove_prefix(k);
  }
  while (!data.empty()) {  // ring full: overwrite the oldest bytes, block by block
    size_t k = std::min(data.size(), tail_cap_ - ring_start_);
    std::memcpy(ring_.data() + ring_start_, data.data(), k);
    ring_start_ = (ring_start_ + k) % tail_cap_;
    data.remove_prefix(k);
  }
}

std::string ProbeWindow::tail() const {
  std::string out;
  out.reserve(ring_.size());
  out.append(ring_, ring_start_, std::string::npos);
  out.append(ring_, 0, ring_start_);
  return out;
}

}  // namespace kinora::uploader
