#include "kinora/tus_client/checksum.h"

#include <gtest/gtest.h>

namespace kinora::tus {
namespace {

TEST(UploadChecksum, IsSha1InBase64) {
  // sha1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709; sha1("abc") = a9993e36...
  EXPECT_EQ(UploadChecksum(""), "sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  EXPECT_EQ(UploadChecksum("abc"), "sha1 qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
}

TEST(ChecksumHasher, FedInPiecesEqualsTheWhole) {
  ChecksumHasher h;
  h.Update("a");
  h.Update("");
  h.Update("bc");
  EXPECT_EQ(h.Final(), UploadChecksum("abc"));
}

}  // namespace
}  // namespace kinora::tus
