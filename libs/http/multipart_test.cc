#include "kinora/http/multipart.h"

#include <gtest/gtest.h>

#include <vector>

using namespace std::string_literals;

namespace kinora::http {
namespace {

struct Part {
  PartHeader header;
  std::string data;
  bool ended = false;
};

// Feeds `body` in pieces of `step` bytes and collects the parts.
Result<std::vector<Part>> Parse(const std::string& boundary, const std::string& body, size_t step) {
  std::vector<Part> parts;
  MultipartParser p(boundary, {
                                  [&](const PartHeader& h) -> Result<void> {
                                    parts.push_back({h, {}, false});
                                    return {};
                                  },
                                  [&](std::string_view d) -> Result<void> {
                                    parts.back().data.append(d);
                                    return {};
                                  },
                                  [&]() -> Result<void> {
                                    parts.back().ended = true;
                                    return {};
                                  },
                              });
  for (size_t i = 0; i < body.size(); i += step) {
    KINORA_TRY_VOID(p.Feed(std::string_view(body).substr(i, step)));
  }
  KINORA_TRY_VOID(p.Finish());
  return parts;
}

std::string Body(const std::string& file_data) {
  return "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
         "My clip\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"a;b \\\"c\\\".mp4\"\r\n"
         "Content-Type: video/mp4\r\n\r\n" +
         file_data + "\r\n--XyZ--\r\n";
}

}  // namespace

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data; charset=x; boundary=\"a b\""), "a b");
  EXPECT_EQ(MultipartBoundary("application/json").error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(MultipartBoundary("multipart/form-data").error().code, ErrorCode::kInvalidArgument);
}

TEST(Multipart, ParsesFieldsAndFileAtEveryChunkSize) {
  // Data that contains near-delimiters must survive every split point.
  std::string data = "\r\n--XyY-not\r\n-\r\n--Xy\0binary\r\n--X"s + std::string(1000, 'z');
  std::string body = Body(data);
  for (size_t step : {1u, 2u, 3u, 7u, 64u, 4096u}) {
    auto parts = Parse("XyZ", body, step);
    ASSERT_TRUE(parts) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].header.name, "title");
    EXPECT_FALSE((*parts)[0].header.has_filename);
    EXPECT_EQ((*parts)[0].data, "My clip");
    EXPECT_EQ((*parts)[1].header.name, "file");
    EXPECT_EQ((*parts)[1].header.filename, "a;b \"c\".mp4");
    EXPECT_EQ((*parts)[1].header.content_type, "video/mp4");
    EXPECT_EQ((*parts)[1].data, data) << "step " << step;
    EXPECT_TRUE((*parts)[1].ended);
  }
}

TEST(Multipart, RefusesMalformedBodies) {
  EXPECT_FALSE(Parse("XyZ", "no boundary here", 5));
  EXPECT_FALSE(Parse("XyZ", Body("abc").substr(0, 150), 5));  // truncated inside a part
  EXPECT_FALSE(Parse("XyZ", "--XyZ\r\nno colon line\r\n\r\ndata\r\n--XyZ--", 5));
  EXPECT_FALSE(Parse("XyZ", "--XyZ\r\nContent-Type: x\r\n\r\ndata\r\n--XyZ--", 5));
  EXPECT_FALSE(Parse("XyZ", "--XyZjunk", 5));
}

TEST(Multipart, RefusesPartHeadersOverTheLimitEvenInOneRead) {
  // 20 KiB of part headers, whole in one buffer and split into pieces: refused either way.
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: " + std::string(20 * 1024, 'a') +
      "\r\n\r\ndata\r\n--b--\r\n";
  for (size_t step : {body.size(), size_t{4096}, size_t{100}}) {
    auto parts = Parse("b", body, step);
    ASSERT_FALSE(parts) << "step " << step;
    EXPECT_EQ(parts.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parts.error().message.find("part headers exceed"), std::string::npos)
        << parts.error().message;
  }
  // Just under the limit is fine.
  std::string ok =
      "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: " + std::string(15 * 1024, 'a') +
      "\r\n\r\ndata\r\n--b--\r\n";
  EXPECT_TRUE(Parse("b", ok, ok.size()));
}

TEST(Multipart, CallbackErrorsStopParsing) {
  MultipartParser p(
      "b",
      {[](const PartHeader&) -> Result<void> { return MakeError(ErrorCode::kTooLarge, "nope"); },
       [](std::string_view) -> Result<void> { return {}; }, []() -> Result<void> { return {}; }});
  auto r = p.Feed("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
}

}  // namespace kinora::http
