#include "probe_child.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "kinora/sandbox/sandbox.h"

namespace kinora::app {
namespace {

// Everything on stdin, up to `limit` bytes (more is an error: the parent never sends it).
Result<std::string> ReadStdin(uint64_t limit) {
  std::string data;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unavailable("cannot read the probe input");
    if (n == 0) return data;
    if (data.size() + static_cast<size_t>(n) > limit) return Unavailable("probe input too large");
    data.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

int RunProbeChild(const uploader::ProbeChildRequest& r) {
  Result<media::ProbeResult> result = Unavailable("no input");
  auto input = ReadStdin(uploader::probe_child::kMaxInputBytes);
  if (!input) {
    result = input.error();
  } else if (r.head_bytes > input->size() || input->size() > r.total_bytes) {
    result = Unavailable("the probe input does not match its sizes");
  } else {
    const std::string_view all(*input);
    result = media::ProbeHeadTail(all.substr(0, r.head_bytes), all.substr(r.head_bytes),
                                  r.total_bytes, r.limits);
  }
  const std::string line = uploader::FormatProbeLine(result);
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(sandbox::kProgressFd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 1;
    done += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace kinora::app
