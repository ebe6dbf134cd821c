#include "kinora/uploader/uploader.h"

#include <gtest/gtest.h>

#include "kinora/core/utf8.h"

namespace kinora::uploader {

TEST(AcceptedExtension, AcceptsTheEightVideoTypesInAnyCase) {
  for (const char* name :
       {"a.mp4", "a.MOV", "b.c.avi", "x.webm", "x.mkv", "x.flv", "x.wmv", "x.M4V"}) {
    EXPECT_TRUE(AcceptedExtension(name)) << name;
  }
  EXPECT_EQ(*AcceptedExtension("Clip.MP4"), "mp4");
}

TEST(AcceptedExtension, RefusesOthersWithTheList) {
  for (const char* name : {"a.txt", "a", "a.", "mp4", "a.mp4.exe", "a.jpg"}) {
    auto r = AcceptedExtension(name);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("mp4, mov, avi, webm, mkv, flv, wmv, m4v"), std::string::npos);
  }
}

TEST(SafeDisplayName, StripsDirectoriesAndControls) {
  EXPECT_EQ(SafeDisplayName("../../etc/passwd.mp4"), "passwd.mp4");
  EXPECT_EQ(SafeDisplayName("C:\\Users\\me\\clip.mov"), "clip.mov");
  EXPECT_EQ(SafeDisplayName(std::string("a\r\nb\0c.mp4", 10)), "abc.mp4");
  EXPECT_EQ(SafeDisplayName(std::string(300, 'x')).size(), 255u);
}

TEST(SafeDisplayName, ReplacesInvalidUtf8AndNeverCutsACharacter) {
  EXPECT_EQ(SafeDisplayName("caf\xC3\xA9.mp4"), "caf\xC3\xA9.mp4");
  EXPECT_EQ(SafeDisplayName("a\xFF\xC0\xAF.mp4"), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.mp4");
  EXPECT_EQ(SafeDisplayName("\xED\xA0\x80.mkv"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.mkv");
  // 254 ASCII bytes then a two-byte character: the character does not fit and is dropped whole.
  const std::string name = SafeDisplayName(std::string(254, 'x') + "\xC3\xA9.mp4");
  EXPECT_EQ(name, std::string(254, 'x'));
  EXPECT_TRUE(IsValidUtf8(SafeDisplayName(std::string(253, 'x') + "\xF0\x9F\x8E\xAC.mp4")));
}

}  // namespace kinora::uploader
