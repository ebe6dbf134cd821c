#include "kinora/core/utf8.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kinora/core/json_text.h"

namespace kinora {
namespace {

const std::string kFffd(kReplacementCharacter);

TEST(Utf8, AcceptsValidTextOfEveryLength) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii \x7f"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));                // U+00E9
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));               // U+20AC
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));               // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));               // U+E000, just above them
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x8E\xAC"));           // U+1F3AC
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8(std::string_view("a\0b", 3)));  // NUL is valid UTF-8
}

TEST(Utf8, RefusesOverlongForms) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(Utf8, RefusesSurrogates) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));              // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));              // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\xBD\xED\xB2\xA9"));  // a CESU-8 pair
}

TEST(Utf8, RefusesCodePointsAboveTheLast) {
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // old five-byte form
  EXPECT_FALSE(IsValidUtf8("\xFE"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8, RefusesTruncatedAndStrayBytes) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("caf\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x8E"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82x"));  // cut short by an ASCII byte
  EXPECT_FALSE(IsValidUtf8("\x80"));       // a lone continuation byte
  EXPECT_FALSE(
      IsValidUtf8("a\xBF"
                  "b"));
}

TEST(Utf8, ReplacesEachMaximalInvalidSubpartWithOneReplacementCharacter) {
  EXPECT_EQ(ToValidUtf8("ok"), "ok");
  EXPECT_EQ(ToValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), kFffd + kFffd);              // C0 can start nothing
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // as WHATWG decodes it
  EXPECT_EQ(ToValidUtf8("\xF0\x9F\x8E"), kFffd);                  // one truncated character
  EXPECT_EQ(ToValidUtf8("\xF0\x9F\x8Ex"), kFffd + "x");
  EXPECT_EQ(ToValidUtf8("\xE2\x82\xE2\x82\xAC"), kFffd + "\xE2\x82\xAC");
  EXPECT_EQ(ToValidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\x80\x81\xC3\xE0\xA0\xF0\x90\x80\xFF")));
}

TEST(Utf8, TruncatesWithoutSplittingACharacter) {
  EXPECT_EQ(TruncateUtf8("abc", 5), "abc");
  EXPECT_EQ(TruncateUtf8("ab\xC3\xA9", 3), "ab");
  EXPECT_EQ(TruncateUtf8("ab\xC3\xA9", 4), "ab\xC3\xA9");
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x8E\xAC\xF0\x9F\x8E\xAC", 7), "\xF0\x9F\x8E\xAC");
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x8E\xAC", 2), "");
}

TEST(Utf8, FieldChecksNameTheField) {
  EXPECT_TRUE(CheckUtf8Field("title", "caf\xC3\xA9"));
  auto bad = CheckUtf8Field("title", "caf\xC3");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("'title'"), std::string::npos);
}

// The JSON writer's last line of defence: whatever bytes a string holds, the text is valid
// JSON (Boost.JSON's parser refuses invalid UTF-8), and valid UTF-8 is written unchanged.
TEST(Utf8, JsonTextIsValidWhateverTheStringsHold) {
  const std::string hostile = "t\xFF\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82";
  boost::json::object o{{"title", hostile}, {"ok", "caf\xC3\xA9 \xF0\x9F\x8E\xAC"}};
  o[std::string("k\xFE")] = 1;
  const std::string text = ToJsonText(o);
  EXPECT_TRUE(IsValidUtf8(text));
  boost::system::error_code ec;
  boost::json::value back = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << text;
  EXPECT_EQ(back.at("title").as_string(), ToValidUtf8(hostile));
  EXPECT_EQ(back.at("ok").as_string(), "caf\xC3\xA9 \xF0\x9F\x8E\xAC");
  EXPECT_TRUE(back.as_object().contains("k" + kFffd));
}

}  // namespace
}  // namespace kinora
