#include "kinora/gateway/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

namespace kinora::gateway {
namespace fs = std::filesystem;

TEST(ResolveStatic, StaysInsideTheRoot) {
  fs::path root = fs::temp_directory_path() / ("kinora_static_" + std::to_string(::getpid()));
  fs::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<html>";
  std::ofstream(root / "assets" / "app.js") << "x";
  std::ofstream(root / ".env") << "secret";
  fs::create_directory_symlink("/etc", root / "etc-link");

  EXPECT_EQ(ResolveStatic(root, "/"), fs::canonical(root / "index.html"));
  EXPECT_EQ(ResolveStatic(root, "/assets/app.js"), fs::canonical(root / "assets/app.js"));
  EXPECT_FALSE(ResolveStatic(root, "/../etc/passwd"));
  EXPECT_FALSE(ResolveStatic(root, "/assets/../../etc/passwd"));
  EXPECT_FALSE(ResolveStatic(root, "/.env"));
  EXPECT_FALSE(ResolveStatic(root, "/etc-link/passwd"));
  EXPECT_FALSE(ResolveStatic(root, "/missing.js"));
  EXPECT_FALSE(ResolveStatic(root, "/assets"));
  EXPECT_EQ(StaticContentType("a.js"), "text/javascript; charset=utf-8");
  fs::remove_all(root);
}

}  // namespace kinora::gateway
