#include "s3_resumable.h"

#include <boost/json.hpp>
#include <deque>
#include <future>
#include <numeric>
#include <vector>

#include "kinora/core/json_text.h"
#include "kinora/core/log.h"

namespace kinora::storage::s3 {
namespace {

namespace json = boost::json;

constexpr uint64_t kMinPart = 5 << 20;
constexpr uint64_t kMaxParts = 9000;  // S3 allows 10,000; the rest is slack

struct Part {
  uint64_t size = 0;
  std::string etag;
};

// What a recorded checkpoint holds: the multipart upload, its finished parts, the tail.
struct State {
  std::string s3_upload_id;
  uint64_t part_size = 0;
  std::vector<Part> parts;
  uint64_t tail_seq = 0;   // the newest tail object's number (0: none ever)
  uint64_t tail_size = 0;  // bytes in tail-{tail_seq}; 0: no tail in this state

  uint64_t parts_bytes() const {
    return std::accumulate(parts.begin(), parts.end(), uint64_t{0},
                           [](uint64_t n, const Part& p) { return n + p.size; });
  }
  uint64_t offset() const { return parts_bytes() + tail_size; }
};

std::string TailKey(std::string_view upload_id, uint64_t seq) {
  return TailPrefix(upload_id) + "tail-" + std::to_string(seq);
}

std::string Encode(const State& s) {
  json::array parts;
  for (const Part& p : s.parts) parts.push_back(json::array{p.size, json::string(p.etag)});
  return ToJsonText(json::object{{"upload_id", s.s3_upload_id},
                                 {"part_size", s.part_size},
                                 {"parts", std::move(parts)},
                                 {"tail_seq", s.tail_seq},
                                 {"tail_size", s.tail_size}});
}

Result<State> Decode(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  auto bad = [] { return MakeError(ErrorCode::kInternal, "unreadable S3 resumable state"); };
  if (ec || !v.is_object()) return bad();
  try {
    const json::object& o = v.as_object();
    State s;
    s.s3_upload_id = json::value_to<std::string>(o.at("upload_id"));
    s.part_size = json::value_to<uint64_t>(o.at("part_size"));
    for (const json::value& p : o.at("parts").as_array()) {
      const json::array& a = p.as_array();
      s.parts.push_back(Part{.size = json::value_to<uint64_t>(a.at(0)),
                             .etag = json::value_to<std::string>(a.at(1))});
    }
    s.tail_seq = json::value_to<uint64_t>(o.at("tail_seq"));
    s.tail_size = json::value_to<uint64_t>(o.at("tail_size"));
    if (s.s3_upload_id.empty() || s.part_size < kMinPart) return bad();
    return s;
  } catch (const std::exception&) {
    return bad();
  }
}

Result<std::string> UploadPart(Client& client, const std::string& key,
                               const std::string& s3_upload_id, size_t number,
                               std::string_view data) {
  KINORA_TRY(auto resp, client.Send(Call{.method = "PUT",
                                         .key = key,
                                         .query = {{"partNumber", std::to_string(number)},
                                                   {"uploadId", s3_upload_id}},
                                         .headers = {},
                                         .body = data}));
  if (resp.status != 200) return ErrorFrom(resp, "UploadPart " + std::to_string(number));
  return resp.Header("ETag");
}

class S3ResumableWriter final : public ResumableWriter {
 public:
  S3ResumableWriter(std::shared_ptr<Client> client, std::string upload_id, std::string key,
                    State state, std::string tail_bytes)
      : client_(std::move(client)),
        upload_id_(std::move(upload_id)),
        key_(std::move(key)),
        state_(std::move(state)),
        buffer_(std::move(tail_bytes)) {
    offset_ = state_.offset();
    parts_bytes_ = state_.parts_bytes();
    if (state_.tail_size > 0) current_tail_ = TailKey(upload_id_, state_.tail_seq);
    reported_parts_ = state_.parts.size();
  }
  ~S3ResumableWriter() override {
    for (auto& f : in_flight_) f.wait();
  }

  uint64_t offset() const override { return offset_; }

  Result<void> Write(std::span<const char> data) override {
    while (!data.empty()) {
      const size_t room = static_cast<size_t>(state_.part_size) - buffer_.size();
      const size_t n = std::min(room, data.size());
      buffer_.append(data.data(), n);
      data = data.subspan(n);
      offset_ += n;
      if (buffer_.size() == state_.part_size) KINORA_TRY_VOID(SendPart());
    }
    return {};
  }

  std::optional<ResumableCheckpoint> TakeCheckpoint() override {
    while (!in_flight_.empty() &&
           in_flight_.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      if (!CollectOldest()) return std::nullopt;  // the next Flush reports it
    }
    if (state_.parts.size() == reported_parts_) return std::nullopt;
    // The parts so far, without a tail: the buffer's bytes are not durable yet.
    State s = state_;
    s.tail_size = 0;
    return Point(std::move(s));
  }

  Result<ResumableCheckpoint> Flush() override {
    KINORA_TRY_VOID(CollectAll());
    State s = state_;
    s.tail_size = 0;
    if (!buffer_.empty()) {
      // A new tail object every time: the recorded state keeps naming the old one until the
      // caller records this, so a crash in between loses nothing.
      s.tail_seq = state_.tail_seq + 1;
      const std::string key = TailKey(upload_id_, s.tail_seq);
      KINORA_TRY(auto resp,
                 client_->Send(Call{
                     .method = "PUT", .key = key, .query = {}, .headers = {}, .body = buffer_}));
      if (resp.status != 200) return ErrorFrom(resp, "PutObject " + key);
      s.tail_size = buffer_.size();
      state_.tail_seq = s.tail_seq;
    }
    return Point(std::move(s));
  }

  void Recorded() override {
    for (const std::string& key : stale_) {
      (void)client_->Send(
          Call{.method = "DELETE", .key = key, .query = {}, .headers = {}, .body = {}});
    }
    stale_.clear();
  }

  Result<void> Discard() override {
    // Parts already sent stay unrecorded: the next resume reuses their numbers, and completion
    // lists only recorded parts.
    Result<void> collected = CollectAll();
    state_.parts.resize(reported_parts_);
    buffer_.clear();
    offset_ = state_.parts_bytes();
    parts_bytes_ = offset_;
    (void)collected;
    return {};
  }

  Result<ObjectInfo> Complete() override {
    if (!buffer_.empty()) KINORA_TRY_VOID(SendPart());  // the last part may be short
    KINORA_TRY_VOID(CollectAll());
    std::vector<std::string> etags;
    for (const Part& p : state_.parts) etags.push_back(p.etag);
    const std::string xml = CompleteMultipartXml(etags);
    KINORA_TRY(auto resp, client_->Send(Call{.method = "POST",
                                             .key = key_,
                                             .query = {{"uploadId", state_.s3_upload_id}},
                                             .headers = {{"Content-Type", "application/xml"}},
                                             .body = xml}));
    if (resp.status != 200) return ErrorFrom(resp, "CompleteMultipartUpload " + key_);
    KINORA_TRY(std::string etag, ParseCompleteEtag(resp.body));
    if (!current_tail_.empty()) stale_.push_back(current_tail_);
    current_tail_.clear();
    Recorded();
    return ObjectInfo{.key = key_,
                      .size = offset_,
                      .etag = etag,
                      .content_type = std::string(GuessContentType(key_)),
                      .last_modified = std::chrono::system_clock::now()};
  }

 private:
  // A checkpoint for `s`; the tail it no longer names becomes stale once it is recorded.
  ResumableCheckpoint Point(State s) {
    const std::string tail = s.tail_size > 0 ? TailKey(upload_id_, s.tail_seq) : std::string();
    if (tail != current_tail_ && !current_tail_.empty()) stale_.push_back(current_tail_);
    current_tail_ = tail;
    reported_parts_ = s.parts.size();
    const uint64_t offset = s.offset();
    return ResumableCheckpoint{.offset = offset, .state = Encode(s)};
  }

  Result<void> SendPart() {
    while (static_cast<int>(in_flight_.size()) >= std::max(1, client_->config().parallel_parts)) {
      KINORA_TRY_VOID(CollectOldest());
    }
    const size_t number = state_.parts.size() + in_flight_.size() + 1;
    auto data = std::make_shared<std::string>(std::move(buffer_));
    buffer_ = std::string();
    buffer_.reserve(static_cast<size_t>(state_.part_size));
    sizes_.push_back(data->size());
    in_flight_.push_back(std::async(
        std::launch::async, [client = client_, key = key_, id = state_.s3_upload_id, number,
                             data]() { return UploadPart(*client, key, id, number, *data); }));
    return {};
  }

  Result<void> CollectOldest() {
    auto etag = in_flight_.front().get();
    in_flight_.pop_front();
    const uint64_t size = sizes_.front();
    sizes_.pop_front();
    if (!etag) {
      failed_ = true;
      return etag.error();
    }
    if (failed_) return MakeError(ErrorCode::kUnavailable, "an earlier part failed");
    state_.parts.push_back(Part{.size = size, .etag = *etag});
    parts_bytes_ += size;
    return {};
  }

  Result<void> CollectAll() {
    Result<void> first;
    while (!in_flight_.empty()) {
      auto r = CollectOldest();
      if (!r && first) first = r;
    }
    if (failed_ && first) return MakeError(ErrorCode::kUnavailable, "a part upload failed");
    return first;
  }

  std::shared_ptr<Client> client_;
  std::string upload_id_, key_;
  State state_;         // parts collected so far; tail_seq the newest tail written
  std::string buffer_;  // bytes after the last part (starts as the recorded tail)
  uint64_t offset_ = 0, parts_bytes_ = 0;
  std::deque<std::future<Result<std::string>>> in_flight_;
  std::deque<uint64_t> sizes_;
  std::string current_tail_;        // the tail object the latest checkpoint names
  std::vector<std::string> stale_;  // tails to delete once the latest checkpoint is recorded
  size_t reported_parts_ = 0;       // parts in the latest checkpoint handed out
  bool failed_ = false;
};

}  // namespace

std::string TailPrefix(std::string_view upload_id) {
  return "uploads/" + std::string(upload_id) + "/";
}

Result<std::string> CreateResumable(const std::shared_ptr<Client>& client,
                                    std::string_view /*upload_id*/, std::string_view key,
                                    std::string_view content_type, uint64_t length) {
  KINORA_TRY(auto resp, client->Send(Call{.method = "POST",
                                          .key = std::string(key),
                                          .query = {{"uploads", ""}},
                                          .headers = {{"Content-Type", std::string(content_type)}},
                                          .body = {}}));
  if (resp.status != 200) return ErrorFrom(resp, "CreateMultipartUpload " + std::string(key));
  State s;
  KINORA_TRY(s.s3_upload_id, ParseUploadId(resp.body));
  s.part_size = std::max<uint64_t>(
      {kMinPart, client->config().part_size, (length + kMaxParts - 1) / kMaxParts});
  return Encode(s);
}

Result<std::unique_ptr<ResumableWriter>> ResumePut(const std::shared_ptr<Client>& client,
                                                   std::string_view upload_id, std::string_view key,
                                                   const ResumableCheckpoint& at) {
  KINORA_TRY(State s, Decode(at.state));
  if (s.offset() != at.offset) {
    return MakeError(ErrorCode::kInternal, "the S3 resumable state covers " +
                                               std::to_string(s.offset()) + " bytes, not " +
                                               std::to_string(at.offset));
  }
  std::string tail;
  if (s.tail_size > 0) {
    const std::string tail_key = TailKey(upload_id, s.tail_seq);
    KINORA_TRY(auto resp,
               client->Send(
                   Call{.method = "GET", .key = tail_key, .query = {}, .headers = {}, .body = {}}));
    if (resp.status != 200) return ErrorFrom(resp, "GetObject " + tail_key);
    if (resp.body.size() != s.tail_size) {
      return MakeError(ErrorCode::kInternal, "the upload's tail object has " +
                                                 std::to_string(resp.body.size()) + " bytes, not " +
                                                 std::to_string(s.tail_size));
    }
    tail = std::move(resp.body);
  }
  return std::unique_ptr<ResumableWriter>(std::make_unique<S3ResumableWriter>(
      client, std::string(upload_id), std::string(key), std::move(s), std::move(tail)));
}

Result<void> AbortResumable(const std::shared_ptr<Client>& client, std::string_view key,
                            std::string_view state) {
  if (state.empty()) return {};
  KINORA_TRY(State s, Decode(state));
  KINORA_TRY(auto resp, client->Send(Call{.method = "DELETE",
                                          .key = std::string(key),
                                          .query = {{"uploadId", s.s3_upload_id}},
                                          .headers = {},
                                          .body = {}}));
  // 404 NoSuchUpload: already aborted or completed. 405/501: an S3 without the call (s3rver):
  // the bucket's AbortIncompleteMultipartUpload lifecycle rule removes the parts (docs/deploy.md).
  if (resp.status == 405 || resp.status == 501) {
    log::Warn("this S3 cannot abort multipart uploads; the bucket lifecycle rule must",
              {{"key", std::string(key)}});
    return {};
  }
  if (resp.status != 204 && resp.status != 200 && resp.status != 404) {
    return ErrorFrom(resp, "AbortMultipartUpload " + std::string(key));
  }
  return {};
}

}  // namespace kinora::storage::s3
