// Private to libs/http: how many uploads (request bodies of routes marked `upload`) stream at
// once, per client address and in total. Each one holds buffers and a file or object being
// written, so one client must not take them all. Taken before the body is read; given back
// when the answer is ready.
// Thread safety: every method may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace kinora::http {

class UploadSlots {
 public:
  enum class Taken { kYes, kClientFull, kServerFull };

  // 0 = no limit.
  UploadSlots(int per_client, int total) : per_client_(per_client), total_(total) {}

  Taken Take(const std::string& client);
  // REQUIRES: a slot this client took (Take returned kYes) and has not given back.
  void Give(const std::string& client);
  int in_use() const;

 private:
  const int per_client_, total_;
  mutable std::mutex mu_;
  std::map<std::string, int> by_client_;
  int in_use_ = 0;
};

}  // namespace kinora::http
