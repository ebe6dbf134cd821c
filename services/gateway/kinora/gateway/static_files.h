// Serving a directory of static files (the built web app) safely: no path escapes the root,
// types by extension, hashed assets cached for a year, everything else revalidated.
// Thread safety: pure functions over the filesystem.
#pragma once

#include <filesystem>
#include <optional>

#include "kinora/http/message.h"

namespace kinora::gateway {

// The file under root that `url_path` names, or nullopt if it does not exist, is not a
// regular file, or would escape root.
std::optional<std::filesystem::path> ResolveStatic(const std::filesystem::path& root,
                                                   std::string_view url_path);

// A GET/HEAD response for the file (Range/ETag aware).
http::Response ServeFile(const http::Request& req, const std::filesystem::path& file,
                         bool immutable);

std::string_view StaticContentType(const std::filesystem::path& file);

}  // namespace kinora::gateway
