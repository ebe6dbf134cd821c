#include "kinora/uploader/probe_child.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "kinora/core/log.h"

namespace kinora::uploader {
namespace {

namespace json = boost::json;

constexpr std::string_view kLinePrefix = "probe ";

// An anonymous in-memory file holding head then tail, positioned at its start.
Result<int> InputFile(std::string_view head, std::string_view tail) {
  const int fd = memfd_create("kinora-probe", MFD_CLOEXEC);
  if (fd < 0) return Unavailable(std::string("memfd_create: ") + std::strerror(errno));
  for (std::string_view part : {head, tail}) {
    while (!part.empty()) {
      const ssize_t n = ::write(fd, part.data(), part.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int e = errno;
        ::close(fd);
        return Unavailable(std::string("writing the probe input: ") + std::strerror(e));
      }
      part.remove_prefix(static_cast<size_t>(n));
    }
  }
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return Unavailable("cannot rewind the probe input");
  }
  return fd;
}

}  // namespace

std::vector<std::string> ProbeChildArgv(const std::string& executable, const ProbeChildRequest& r) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.15g", r.limits.max_duration_seconds);
  return {executable,
          std::string(probe_child::kSubcommand),
          std::string(probe_child::kHeadBytes),
          std::to_string(r.head_bytes),
          std::string(probe_child::kTotalBytes),
          std::to_string(r.total_bytes),
          std::string(probe_child::kMaxPixels),
          std::to_string(r.limits.max_pixels),
          std::string(probe_child::kMaxDuration),
          seconds};
}

std::string FormatProbeLine(const Result<media::ProbeResult>& r) {
  json::object doc;
  if (r) {
    doc["probe"] = media::ToJson(*r);
  } else {
    doc["error"] = r.error().message;
    doc["code"] = std::string(ToString(r.error().code));
  }
  return std::string(kLinePrefix) + json::serialize(doc) + "\n";
}

std::optional<Result<media::ProbeResult>> ParseProbeLine(std::string_view line) {
  if (!line.starts_with(kLinePrefix)) return std::nullopt;
  line.remove_prefix(kLinePrefix.size());
  boost::system::error_code ec;
  json::value doc = json::parse(line, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const json::object& o = doc.get_object();
  if (const json::value* p = o.if_contains("probe"); p && p->is_object()) {
    return Result<media::ProbeResult>(media::ProbeFromJson(p->get_object()));
  }
  const json::value* e = o.if_contains("error");
  if (!e || !e->is_string()) return std::nullopt;
  // Only "unavailable" keeps its code (the child could not read its input); anything else the
  // file did to the probe is a property of the file.
  const json::value* c = o.if_contains("code");
  const bool unavailable =
      c && c->is_string() && c->get_string() == ToString(ErrorCode::kUnavailable);
  return Result<media::ProbeResult>(
      MakeError(unavailable ? ErrorCode::kUnavailable : ErrorCode::kUnsupported,
                std::string(e->get_string())));
}

Prober SandboxedProber(SandboxedProbeOptions options) {
  if (options.executable.empty()) options.executable = sandbox::SelfExecutable();
  return [o = std::move(options)](std::string_view head, std::string_view tail,
                                  uint64_t total) -> Result<media::ProbeResult> {
    if (total == 0) return Unsupported("the file is empty");
    KINORA_TRY(int fd, InputFile(head, tail));
    const auto argv = ProbeChildArgv(o.executable, {head.size(), total, o.media});
    std::optional<Result<media::ProbeResult>> result;
    sandbox::Callbacks cb;
    cb.on_line = [&](std::string_view line) {
      if (!result) result = ParseProbeLine(line);
    };
    auto outcome = sandbox::Run(argv, o.limits, cb, fd);
    ::close(fd);
    if (!outcome) return Annotate(outcome.error(), "cannot start the probe");
    if (outcome->ok() && result) return std::move(*result);
    if (result && !*result) return std::move(*result);  // refused, then exited badly anyway
    const std::string why =
        outcome->timed_out
            ? "reading it took longer than " + std::to_string(o.limits.wall.count()) + " s"
            : "reading it failed: " + outcome->Describe(o.limits);
    log::Warn("upload probe child failed",
              {{"reason", why}, {"stderr", outcome->stderr_tail.substr(0, 300)}});
    return Unsupported(why);
  };
}

}  // namespace kinora::uploader
