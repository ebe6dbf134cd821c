// Keeps the first and last few MiB of a stream in bounded memory so the upload can be probed
// (libavformat needs the head, and the tail for MP4s whose index is at the end) before it is
// committed.
// Thread safety: one instance per upload.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kinora::uploader {

class ProbeWindow {
 public:
  // What the probe needs: libavformat reads the head, and the tail for MP4s indexed at the end.
  static constexpr size_t kHeadBytes = 2 << 20, kTailBytes = 2 << 20;

  explicit ProbeWindow(size_t head_bytes = kHeadBytes, size_t tail_bytes = kTailBytes)
      : head_cap_(head_bytes), tail_cap_(tail_bytes) {}

  void Append(std::string_view data);
  std::string_view head() const { return head_; }
  // The last bytes not already in head(), in order (copies the ring out once).
  std::string tail() const;
  uint64_t total() const { return total_; }

 private:
  size_t head_cap_, tail_cap_;
  std::string head_;
  std::string ring_;       // circular buffer of up to tail_cap_ bytes
  size_t ring_start_ = 0;  // index of the oldest byte once the ring is full
  uint64_t total_ = 0;
};

}  // namespace kinora::uploader
