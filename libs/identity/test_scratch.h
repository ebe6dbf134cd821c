// Test-only: fresh database files in one scratch directory per test process, removed at exit.
// Thread safety: NewFile may be called from any thread.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace kinora::identity::test_support {

class ScratchDir : public ::testing::Environment {
 public:
  static std::filesystem::path NewFile(const std::string& stem = "catalog") {
    static std::atomic<int> counter{0};
    std::filesystem::create_directories(Root());
    return Root() / (stem + "-" + std::to_string(counter++) + ".db");
  }
  static std::filesystem::path Root() {
    return std::filesystem::temp_directory_path() /
           ("kinora-identity-test-" + std::to_string(::getpid()));
  }
  void TearDown() override { std::filesystem::remove_all(Root()); }
};

// Registers the directory's clean-up once per binary (an inline variable: one instance).
inline const auto* const kScratchEnvironment = ::testing::AddGlobalTestEnvironment(new ScratchDir);

}  // namespace kinora::identity::test_support
