// Where the built web app is, so `kinora serve` run directly serves it with no flag: the
// directory KINORA_WEB_DIR names; else, beside an installed binary, <prefix>/share/kinora/web or
// <dir of the binary>/web; else the web/dist of the source tree the binary was built from.
// When there is none, the gateway answers / with a page that says how to build it.
// Thread safety: pure functions (they read the file system).
#pragma once

#include <filesystem>
#include <optional>

namespace kinora::app {

// `configured`: Config::web_dir. Returns an empty path when there is no web app.
std::filesystem::path FindWebApp(const std::optional<std::filesystem::path>& configured,
                                 const std::filesystem::path& executable);

}  // namespace kinora::app
