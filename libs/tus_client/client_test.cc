#include "kinora/tus_client/client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <fstream>
#include <map>

#include "kinora/tus_client/checksum.h"
#include "kinora/tus_client/file_upload.h"

namespace kinora::tus {
namespace {

namespace fs = std::filesystem;

// A tus server in memory (one upload), with scripted faults.
class FakeServer final : public Transport {
 public:
  enum class Fault {
    kDropAfterHalf,     // PATCH: take half the body (not durable), then the connection drops
    kConflict,          // PATCH: 409
    kLocked,            // PATCH: 423
    kBadChecksum,       // PATCH: 460
    kNotAVideo,         // PATCH: 422 with a problem document (the upload is deleted)
    kDown,              // any request: connection refused
    kNone,              // PATCH: no fault this time
    kKeepHalfThenDrop,  // PATCH: half the body made durable, then the connection drops
  };

  std::string data;  // the bytes received (durable)
  uint64_t length = 0;
  bool exists = false;
  std::string video_id = "v-1";
  std::deque<Fault> faults;   // one per request, in order, for PATCH (kDown: any)
  std::vector<Request> seen;  // headers of every request (bodies dropped)
  int patches = 0;

  Result<Response> Send(const Request& in) override {
    // A body read on demand is read whole here, as a connection would send it.
    std::string bytes(in.read_body ? in.body_size : 0, '\0');
    if (in.read_body && !in.read_body(0, bytes)) {
      return MakeError(ErrorCode::kInternal, "the body could not be read");
    }
    Request r = in;
    if (in.read_body) {
      r.body = bytes;
      r.read_body = {};
    }
    Request copy = r;
    copy.body = {};
    copy.on_body_sent = {};
    seen.push_back(copy);
    if (!faults.empty() && faults.front() == Fault::kDown) {
      faults.pop_front();
      return MakeError(ErrorCode::kUnavailable, "connection refused");
    }
    if (Header(r, "Tus-Resumable") != "1.0.0") return Answer(412);
    if (r.method == "POST") {
      length = ParseOffset(Header(r, "Upload-Length")).value();
      exists = true;
      data.clear();
      Response resp = Answer(201);
      resp.headers.emplace_back("Location", "/api/uploads/u1");
      resp.headers.emplace_back("Upload-Offset", "0");
      return resp;
    }
    if (!exists || r.url != "http://srv:1/api/uploads/u1") return Answer(404);
    if (r.method == "HEAD") {
      Response resp = Answer(200);
      resp.headers.emplace_back("Upload-Offset", std::to_string(data.size()));
      resp.headers.emplace_back("Upload-Length", std::to_string(length));
      if (data.size() == length) resp.headers.emplace_back("Kinora-Video-Id", video_id);
      return resp;
    }
    if (r.method == "DELETE") {
      exists = false;
      return Answer(204);
    }
    if (r.method != "PATCH") return Answer(405);
    ++patches;
    if (Header(r, "Content-Type") != "application/offset+octet-stream") return Answer(415);
    if (!faults.empty()) {
      const Fault f = faults.front();
      faults.pop_front();
      switch (f) {
        case Fault::kDropAfterHalf:
          if (r.on_body_sent) r.on_body_sent(r.body.size() / 2);
          return MakeError(ErrorCode::kUnavailable, "connection reset");
        case Fault::kConflict:
          return Answer(409);
        case Fault::kLocked:
          return Answer(423);
        case Fault::kBadChecksum:
          return Answer(460);
        case Fault::kNotAVideo: {
          exists = false;
          Response resp = Answer(422);
          resp.body = R"({"title":"Unprocessable Content","detail":"not a video Kinora can read"})";
          return resp;
        }
        case Fault::kKeepHalfThenDrop:
          data.append(r.body.substr(0, r.body.size() / 2));
          if (r.on_body_sent) r.on_body_sent(r.body.size() / 2);
          return MakeError(ErrorCode::kUnavailable, "connection reset");
        case Fault::kDown:
        case Fault::kNone:
          break;
      }
    }
    if (ParseOffset(Header(r, "Upload-Offset")) != data.size()) return Answer(409);
    if (Header(r, "Upload-Checksum") != UploadChecksum(r.body)) return Answer(460);
    if (data.size() + r.body.size() > length) return Answer(413);
    if (r.on_body_sent) r.on_body_sent(r.body.size());
    data.append(r.body);
    Response resp = Answer(204);
    resp.headers.emplace_back("Upload-Offset", std::to_string(data.size()));
    if (data.size() == length) resp.headers.emplace_back("Kinora-Video-Id", video_id);
    return resp;
  }

  static std::string Header(const Request& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }

 private:
  static Response Answer(long status) {
    Response resp;
    resp.status = status;
    resp.headers.emplace_back("Tus-Resumable", "1.0.0");
    return resp;
  }
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = fs::temp_directory_path() /
            ("kinora_tus_client_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".mp4");
    content_.resize(10 * 1000 + 7);
    for (size_t i = 0; i < content_.size(); ++i) content_[i] = static_cast<char>(i * 31 % 251);
    std::ofstream(file_, std::ios::binary) << content_;
    options_.chunk_size = 1000;
    options_.wait = [this](std::chrono::milliseconds d) {
      waits_.push_back(d);
      return !cancel_;
    };
  }
  void TearDown() override { fs::remove(file_); }

  Result<std::string> Upload() {
    auto created = client_.Create(content_.size(), {{"filename", "clip.mp4"}});
    if (!created) return created.error();
    return UploadFile(client_, created->url, file_, content_.size(), options_, stats_);
  }
  Result<std::string> Continue(const std::string& url) {
    return UploadFile(client_, url, file_, content_.size(), options_, stats_);
  }

  FakeServer server_;
  Client client_{server_, ClientOptions{.server = "http://srv:1/", .token = "kin_t"}};
  FileUploadOptions options_;
  FileUploadStats stats_;
  fs::path file_;
  std::string content_;
  std::vector<std::chrono::milliseconds> waits_;
  bool cancel_ = false;
};

TEST_F(ClientTest, CreateSendsTheTusHeadersAndResolvesTheLocation) {
  auto created = client_.Create(1234, {{"filename", "clip.mp4"}, {"title", "A"}});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->url, "http://srv:1/api/uploads/u1");
  const Request& r = server_.seen.at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://srv:1/api/uploads/");
  EXPECT_EQ(FakeServer::Header(r, "Upload-Length"), "1234");
  EXPECT_EQ(FakeServer::Header(r, "Upload-Metadata"), "filename Y2xpcC5tcDQ=,title QQ==");
  EXPECT_EQ(FakeServer::Header(r, "Authorization"), "Bearer kin_t");
}

TEST_F(ClientTest, UploadsInChunksAndReturnsTheVideoId) {
  std::vector<uint64_t> positions;
  options_.on_progress = [&](uint64_t p, uint64_t len) {
    EXPECT_EQ(len, content_.size());
    positions.push_back(p);
  };
  auto r = Upload();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "v-1");
  EXPECT_EQ(server_.data, content_);
  EXPECT_EQ(server_.patches, 11);  // 10 chunks of 1000 and one of 7
  EXPECT_EQ(stats_.bytes_sent, content_.size());
  EXPECT_EQ(stats_.resumed_at, 0u);
  EXPECT_EQ(stats_.retries, 0);
  ASSERT_FALSE(positions.empty());
  EXPECT_EQ(positions.back(), content_.size());
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
}

TEST_F(ClientTest, ADroppedConnectionResendsOnlyFromTheServersOffset) {
  server_.faults = {FakeServer::Fault::kDropAfterHalf, FakeServer::Fault::kDown};
  auto r = Upload();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(server_.data, content_);
  EXPECT_EQ(stats_.bytes_sent, content_.size() + 500);  // half a chunk sent twice
  EXPECT_EQ(stats_.retries, 2);                         // the PATCH, then the HEAD that followed
  ASSERT_EQ(waits_.size(), 2u);
  EXPECT_EQ(waits_[0], std::chrono::milliseconds(0));
  EXPECT_EQ(waits_[1], std::chrono::milliseconds(1000));
}

TEST_F(ClientTest, ContinuesFromAnOffsetInsideAChunk) {
  // The read-ahead of the next chunk is then of no use: the bytes come from the new offset.
  server_.faults = {FakeServer::Fault::kNone, FakeServer::Fault::kKeepHalfThenDrop};
  auto r = Upload();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(server_.data, content_);
  EXPECT_EQ(stats_.bytes_sent, content_.size());  // nothing sent twice
  EXPECT_EQ(server_.patches, 11);                 // chunks from 1500 on: 8 of 1000, one of 507
}

TEST_F(ClientTest, ConflictLockedAndChecksumMismatchAreRetriedAfterAHead) {
  server_.faults = {FakeServer::Fault::kConflict, FakeServer::Fault::kLocked,
                    FakeServer::Fault::kBadChecksum};
  auto r = Upload();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(server_.data, content_);
  EXPECT_EQ(stats_.retries, 3);
  int heads = 0;
  for (const auto& req : server_.seen) heads += req.method == "HEAD";
  EXPECT_EQ(heads, 4);  // the first, and one after each failure
}

TEST_F(ClientTest, RetriesInARowAreBounded) {
  options_.retry_delays = {std::chrono::milliseconds(0), std::chrono::milliseconds(5)};
  server_.faults = {FakeServer::Fault::kLocked, FakeServer::Fault::kLocked,
                    FakeServer::Fault::kLocked};
  auto r = Upload();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("HTTP 423"), std::string::npos);
  EXPECT_EQ(stats_.retries, 2);
  EXPECT_EQ(stats_.offset, 0u);
}

TEST_F(ClientTest, ProgressResetsTheRetryBudget) {
  options_.retry_delays = {std::chrono::milliseconds(0)};
  // One retry allowed in a row; two failures separated by a chunk that went through.
  server_.faults = {FakeServer::Fault::kLocked, FakeServer::Fault::kNone,
                    FakeServer::Fault::kLocked};
  auto r = Upload();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(stats_.retries, 2);
  EXPECT_EQ(server_.data, content_);
}

TEST_F(ClientTest, RefusalIsNotRetriedAndKeepsTheProblemDetail) {
  options_.chunk_size = content_.size();  // one PATCH, the final one
  server_.faults = {FakeServer::Fault::kNotAVideo};
  auto r = Upload();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("not a video Kinora can read"), std::string::npos);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ClientTest, ResumesFromTheServersOffset) {
  auto created = client_.Create(content_.size(), {{"filename", "clip.mp4"}});
  ASSERT_TRUE(created);
  server_.data = content_.substr(0, 4000);  // an earlier run got this far
  auto r = Continue(created->url);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(stats_.resumed_at, 4000u);
  EXPECT_EQ(stats_.bytes_sent, content_.size() - 4000);
  EXPECT_EQ(server_.data, content_);
}

TEST_F(ClientTest, ACompletedUploadEndsAtOnceWithItsVideoId) {
  auto created = client_.Create(content_.size(), {{"filename", "clip.mp4"}});
  ASSERT_TRUE(created);
  server_.data = content_;
  auto r = Continue(created->url);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "v-1");
  EXPECT_EQ(stats_.bytes_sent, 0u);
  EXPECT_EQ(server_.patches, 0);
}

TEST_F(ClientTest, AnUnknownUploadIsNotFound) {
  auto r = Continue("http://srv:1/api/uploads/u1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(ClientTest, ALengthMismatchIsRefused) {
  ASSERT_TRUE(client_.Create(content_.size() + 1, {{"filename", "clip.mp4"}}));
  auto r = Continue("http://srv:1/api/uploads/u1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ClientTest, CancelWhileWaitingStops) {
  cancel_ = true;
  server_.faults = {FakeServer::Fault::kLocked};
  auto r = Upload();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(stats_.retries, 1);
}

TEST_F(ClientTest, CreateUploadRetriesAConnectionFailure) {
  server_.faults = {FakeServer::Fault::kDown, FakeServer::Fault::kDown};
  int retries = 0;
  auto created = CreateUpload(client_, 10, {{"filename", "clip.mp4"}}, options_, &retries);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(retries, 2);
  options_.retry_delays = {};
  server_.faults = {FakeServer::Fault::kDown};
  EXPECT_EQ(CreateUpload(client_, 10, {{"filename", "clip.mp4"}}, options_).error().code,
            ErrorCode::kUnavailable);
}

TEST_F(ClientTest, TerminateDeletesAndToleratesAGoneUpload) {
  auto created = client_.Create(content_.size(), {{"filename", "clip.mp4"}});
  ASSERT_TRUE(created);
  EXPECT_TRUE(client_.Terminate(created->url));
  EXPECT_FALSE(server_.exists);
  EXPECT_TRUE(client_.Terminate(created->url));  // 404: already gone
}

TEST(StatusError, ClassifiesStatuses) {
  EXPECT_TRUE(IsRetriable(StatusError("patch", 409, "")));
  EXPECT_TRUE(IsRetriable(StatusError("patch", 423, "")));
  EXPECT_TRUE(IsRetriable(StatusError("patch", 460, "")));
  EXPECT_TRUE(IsRetriable(StatusError("patch", 503, "")));
  EXPECT_TRUE(IsRetriable(StatusError("patch", 429, "")));
  EXPECT_FALSE(IsRetriable(StatusError("patch", 404, "")));
  EXPECT_FALSE(IsRetriable(StatusError("patch", 413, "")));
  EXPECT_FALSE(IsRetriable(StatusError("create", 401, "")));
  EXPECT_FALSE(IsRetriable(StatusError("patch", 422, "")));
  EXPECT_EQ(StatusError("create", 413, R"({"detail":"too big"})").message,
            "create: HTTP 413: too big");
}

}  // namespace
}  // namespace kinora::tus
