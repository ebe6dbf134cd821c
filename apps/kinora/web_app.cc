#include "web_app.h"

namespace kinora::app {

namespace fs = std::filesystem;

fs::path FindWebApp(const std::optional<fs::path>& configured, const fs::path& executable) {
  if (configured) return *configured;
  const fs::path bin = executable.parent_path();
  for (const fs::path& dir : {bin / ".." / "share" / "kinora" / "web", bin / "web",
                              fs::path(KINORA_SOURCE_DIR) / "web" / "dist"}) {
    std::error_code ec;
    if (fs::is_regular_file(dir / "index.html", ec)) return fs::weakly_canonical(dir, ec);
  }
  return {};
}

}  // namespace kinora::app
