#include "kinora/gateway/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "kinora/http/entity.h"
#include "kinora/http/problem.h"

namespace kinora::gateway {
namespace fs = std::filesystem;

std::optional<fs::path> ResolveStatic(const fs::path& root, std::string_view url_path) {
  fs::path rel;
  size_t i = 0;
  while (i < url_path.size()) {
    size_t j = url_path.find('/', i);
    if (j == std::string_view::npos) j = url_path.size();
    std::string_view seg = url_path.substr(i, j - i);
    i = j + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." || seg.find('\\') != std::string_view::npos ||
        seg.find('\0') != std::string_view::npos || seg.front() == '.') {
      return std::nullopt;  // no parent references, no hidden files
    }
    rel /= std::string(seg);
  }
  if (rel.empty()) rel = "index.html";
  std::error_code ec;
  fs::path full = fs::weakly_canonical(root / rel, ec);
  fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return std::nullopt;
  auto [b, f] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  if (b != base.end()) return std::nullopt;  // a symlink led outside the root
  if (!fs::is_regular_file(full, ec)) return std::nullopt;
  return full;
}

std::string_view StaticContentType(const fs::path& file) {
  std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

http::Response ServeFile(const http::Request& req, const fs::path& file, bool immutable) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return http::ProblemFrom(NotFound("no such file"));
  auto closer = std::shared_ptr<int>(new int(fd), [](int* p) {
    ::close(*p);
    delete p;
  });
  struct stat st {};
  if (::fstat(fd, &st) != 0) return http::ProblemFrom(NotFound("no such file"));
  http::EntityInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  info.etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
              std::to_string(st.st_mtim.tv_nsec) + "\"";
  info.content_type = std::string(StaticContentType(file));
  info.last_modified = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
  info.cache_control = immutable ? "public, max-age=31536000, immutable" : "no-cache";
  return http::ServeEntity(
      req, info, [closer](uint64_t first, uint64_t last) -> Result<http::StreamBody> {
        auto pos = std::make_shared<uint64_t>(first);
        return http::StreamBody{
            last - first + 1, [closer, pos](std::span<char> buf) -> Result<size_t> {
              ssize_t n = ::pread(*closer, buf.data(), buf.size(), static_cast<off_t>(*pos));
              if (n < 0) return Unavailable("read failed");
              *pos += static_cast<uint64_t>(n);
              return static_cast<size_t>(n);
            }};
      });
}

}  // namespace kinora::gateway
