// Where `kinora upload` remembers its unfinished uploads so a second run continues them:
// a JSON file ($XDG_STATE_HOME/kinora/uploads.json) mapping (absolute path, size, mtime,
// server) to the upload URL. Writes are atomic (temp file + rename) under an flock of a
// sibling lock file, so concurrent runs for different files do not lose each other's entries.
// Thread safety: each call locks the file; safe from several processes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "kinora/core/error.h"

namespace kinora::tus {

struct UploadKey {
  std::string path;  // absolute
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string server;  // normalised (NormalizeServer)

  friend bool operator==(const UploadKey&, const UploadKey&) = default;
};

// The key of a file on disk for a server (its absolute path, size and mtime).
Result<UploadKey> KeyOf(const std::filesystem::path& file, std::string_view server);

// $XDG_STATE_HOME/kinora/uploads.json, else $HOME/.local/state/kinora/uploads.json; empty
// when neither variable is set. `getenv` is injected for tests.
std::filesystem::path DefaultStatePath(const std::function<const char*(const char*)>& getenv);

class StateFile {
 public:
  explicit StateFile(std::filesystem::path file) : file_(std::move(file)) {}

  const std::filesystem::path& path() const { return file_; }

  // The stored upload URL for this key, nullopt when none. A missing file is empty; an
  // unreadable or malformed one is an error (kInvalidArgument).
  Result<std::optional<std::string>> Find(const UploadKey& key) const;
  // Stores (or replaces) the URL for this key; creates the directory. A malformed file is
  // replaced.
  Result<void> Put(const UploadKey& key, const std::string& url);
  // Removes the key's entry (nothing to do is success).
  Result<void> Remove(const UploadKey& key);

 private:
  std::filesystem::path file_;
};

}  // namespace kinora::tus
