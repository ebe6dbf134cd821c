#include "kinora/tus_client/state_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kinora/core/json_text.h"
#include "kinora/tus_client/protocol.h"

namespace kinora::tus {

namespace json = boost::json;
namespace fs = std::filesystem;

Result<UploadKey> KeyOf(const fs::path& file, std::string_view server) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, file.string() + ": " + ec.message());
  struct stat st {};
  if (::stat(absolute.c_str(), &st) != 0) {
    return MakeError(ErrorCode::kNotFound, absolute.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, absolute.string() + ": not a regular file");
  }
  UploadKey key;
  key.path = absolute.lexically_normal().string();
  key.size = static_cast<uint64_t>(st.st_size);
  key.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  key.server = NormalizeServer(server);
  return key;
}

fs::path DefaultStatePath(const std::function<const char*(const char*)>& getenv) {
  const char* state = getenv("XDG_STATE_HOME");
  if (state && *state == '/') return fs::path(state) / "kinora" / "uploads.json";
  const char* home = getenv("HOME");
  if (home && *home) return fs::path(home) / ".local" / "state" / "kinora" / "uploads.json";
  return {};
}

namespace {

// An exclusive flock on "<file>.lock" for one read-modify-write; waits for other processes.
class Locked {
 public:
  static Result<Locked> Take(const fs::path& file) {
    const fs::path lock = file.string() + ".lock";
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return MakeError(ErrorCode::kInternal, lock.string() + ": " + std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const int err = errno;
        ::close(fd);
        return MakeError(ErrorCode::kInternal,
                         "flock " + lock.string() + ": " + std::strerror(err));
      }
    }
    return Locked(fd);
  }
  Locked(Locked&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Locked& operator=(Locked&&) = delete;
  ~Locked() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }

 private:
  explicit Locked(int fd) : fd_(fd) {}
  int fd_ = -1;
};

bool Matches(const json::object& entry, const UploadKey& key) {
  const auto* path = entry.if_contains("path");
  const auto* size = entry.if_contains("size");
  const auto* mtime = entry.if_contains("mtime_ns");
  const auto* server = entry.if_contains("server");
  return path && path->is_string() && path->as_string() == key.path && size && size->is_int64() &&
         size->as_int64() == static_cast<int64_t>(key.size) && mtime && mtime->is_int64() &&
         mtime->as_int64() == key.mtime_ns && server && server->is_string() &&
         server->as_string() == key.server;
}

// The entries of the file: empty when it does not exist; an error when it cannot be read or
// is not {"uploads":[...]}.
Result<json::array> ReadEntries(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return json::array{};
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, file.string() + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code parse_ec;
  json::value doc = json::parse(text.str(), parse_ec);
  if (parse_ec || !doc.is_object() || !doc.as_object().contains("uploads") ||
      !doc.as_object().at("uploads").is_array()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     file.string() + ": not a kinora upload state file");
  }
  return std::move(doc.as_object().at("uploads").as_array());
}

Result<void> WriteEntries(const fs::path& file, json::array entries) {
  const json::object doc{{"version", 1}, {"uploads", std::move(entries)}};
  const std::string text = ToJsonText(doc) + "\n";
  const fs::path tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kInternal, tmp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      const int err = errno;
      ::close(fd);
      return MakeError(ErrorCode::kInternal, tmp.string() + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(w);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), file.c_str()) != 0) {
    return MakeError(ErrorCode::kInternal, file.string() + ": " + std::strerror(errno));
  }
  return {};
}

// Reads, applies `edit` to the entries, writes; under the lock. A malformed file starts empty.
template <class Edit>
Result<void> Update(const fs::path& file, Edit edit) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return MakeError(ErrorCode::kInternal, file.parent_path().string() + ": " + ec.message());
  KINORA_TRY(Locked lock, Locked::Take(file));
  auto entries = ReadEntries(file);
  json::array list = entries ? std::move(*entries) : json::array{};
  edit(list);
  return WriteEntries(file, std::move(list));
}

void Erase(json::array& list, const UploadKey& key) {
  for (auto it = list.begin(); it != list.end();) {
    if (it->is_object() && Matches(it->as_object(), key)) {
      it = list.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

Result<std::optional<std::string>> StateFile::Find(const UploadKey& key) const {
  KINORA_TRY(json::array list, ReadEntries(file_));
  for (const auto& v : list) {
    if (!v.is_object() || !Matches(v.as_object(), key)) continue;
    const auto* url = v.as_object().if_contains("url");
    if (url && url->is_string() && !url->as_string().empty()) {
      return std::optional<std::string>(std::string(url->as_string()));
    }
  }
  return std::optional<std::string>();
}

Result<void> StateFile::Put(const UploadKey& key, const std::string& url) {
  return Update(file_, [&](json::array& list) {
    Erase(list, key);
    list.push_back(json::object{{"path", key.path},
                                {"size", static_cast<int64_t>(key.size)},
                                {"mtime_ns", key.mtime_ns},
                                {"server", key.server},
                                {"url", url}});
  });
}

Result<void> StateFile::Remove(const UploadKey& key) {
  if (!fs::exists(file_)) return {};
  return Update(file_, [&](json::array& list) { Erase(list, key); });
}

}  // namespace kinora::tus
