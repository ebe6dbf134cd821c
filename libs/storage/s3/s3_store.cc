#include "kinora/storage/s3_store.h"

#include <algorithm>
#include <deque>
#include <future>

#include "../key_rules.h"
#include "s3_client.h"
#include "s3_direct.h"
#include "s3_resumable.h"

namespace kinora::storage {

namespace {

using s3::Call;
using s3::Client;

constexpr size_t kMinPart = 5 << 20;
constexpr uint64_t kReadChunk = 4 << 20;

std::string Quoted(std::string etag) {
  if (etag.size() < 2 || etag.front() != '"') etag = "\"" + etag + "\"";
  return etag;
}

// -- writer -----------------------------------------------------------------------------------

class S3Writer final : public ObjectWriter {
 public:
  S3Writer(std::shared_ptr<Client> client, std::string key, std::string content_type)
      : client_(std::move(client)), key_(std::move(key)), content_type_(std::move(content_type)) {
    buffer_.reserve(client_->config().part_size);
  }
  ~S3Writer() override { Abort(); }

  Result<void> Write(std::span<const char> data) override {
    if (done_) return MakeError(ErrorCode::kInvalidArgument, "write after commit or abort");
    while (!data.empty()) {
      const size_t room = client_->config().part_size - buffer_.size();
      const size_t n = std::min(room, data.size());
      buffer_.append(data.data(), n);
      data = data.subspan(n);
      written_ += n;
      if (buffer_.size() == client_->config().part_size) KINORA_TRY_VOID(SendPart());
    }
    return {};
  }

  Result<ObjectInfo> Commit() override {
    if (done_) return MakeError(ErrorCode::kInvalidArgument, "commit after commit or abort");
    auto info = upload_id_.empty() ? PutWhole() : CompleteMultipart();
    if (!info) {
      Abort();
      return Annotate(info.error(), "put " + key_);
    }
    done_ = true;
    return info;
  }

  void Abort() override {
    if (done_) return;
    done_ = true;
    for (auto& f : in_flight_) f.wait();
    in_flight_.clear();
    if (!upload_id_.empty()) {
      // Best effort: a bucket lifecycle rule cleans up what this cannot.
      (void)client_->Send(Call{.method = "DELETE",
                               .key = key_,
                               .query = {{"uploadId", upload_id_}},
                               .headers = {},
                               .body = {}});
    }
    buffer_.clear();
  }

  uint64_t bytes_written() const override { return written_; }

 private:
  Result<ObjectInfo> Info(std::string etag) const {
    return ObjectInfo{.key = key_,
                      .size = written_,
                      .etag = Quoted(std::move(etag)),
                      .content_type = content_type_,
                      .last_modified = std::chrono::system_clock::now()};
  }

  Result<ObjectInfo> PutWhole() {
    KINORA_TRY(auto resp, client_->Send(Call{.method = "PUT",
                                             .key = key_,
                                             .query = {},
                                             .headers = {{"Content-Type", content_type_}},
                                             .body = buffer_}));
    if (resp.status != 200) return s3::ErrorFrom(resp, "PutObject");
    return Info(resp.Header("ETag"));
  }

  // Starts the multipart upload if needed and sends the buffer as the next part, in the
  // background; waits for the oldest part when parallel_parts are already on their way.
  Result<void> SendPart() {
    if (upload_id_.empty()) {
      KINORA_TRY(auto resp, client_->Send(Call{.method = "POST",
                                               .key = key_,
                                               .query = {{"uploads", ""}},
                                               .headers = {{"Content-Type", content_type_}},
                                               .body = {}}));
      if (resp.status != 200) return s3::ErrorFrom(resp, "CreateMultipartUpload " + key_);
      KINORA_TRY(upload_id_, s3::ParseUploadId(resp.body));
    }
    while (static_cast<int>(in_flight_.size()) >= client_->config().parallel_parts) {
      KINORA_TRY_VOID(CollectOldest());
    }
    const int number = ++parts_started_;
    auto data = std::make_shared<std::string>(std::move(buffer_));
    buffer_ = std::string();
    buffer_.reserve(client_->config().part_size);
    in_flight_.push_back(std::async(
        std::launch::async,
        [client = client_, key = key_, id = upload_id_, number, data]() -> Result<std::string> {
          KINORA_TRY(
              auto resp,
              client->Send(Call{.method = "PUT",
                                .key = key,
                                .query = {{"partNumber", std::to_string(number)}, {"uploadId", id}},
                                .headers = {},
                                .body = *data}));
          if (resp.status != 200)
            return s3::ErrorFrom(resp, "UploadPart " + std::to_string(number));
          return resp.Header("ETag");
        }));
    return {};
  }

  Result<void> CollectOldest() {
    auto r = in_flight_.front().get();
    in_flight_.pop_front();
    if (!r) return r.error();
    etags_.push_back(*r);
    return {};
  }

  Result<ObjectInfo> CompleteMultipart() {
    if (!buffer_.empty()) KINORA_TRY_VOID(SendPart());
    while (!in_flight_.empty()) KINORA_TRY_VOID(CollectOldest());
    const std::string xml = s3::CompleteMultipartXml(etags_);
    KINORA_TRY(auto resp, client_->Send(Call{.method = "POST",
                                             .key = key_,
                                             .query = {{"uploadId", upload_id_}},
                                             .headers = {{"Content-Type", "application/xml"}},
                                             .body = xml}));
    if (resp.status != 200) return s3::ErrorFrom(resp, "CompleteMultipartUpload");
    KINORA_TRY(std::string etag, s3::ParseCompleteEtag(resp.body));
    upload_id_.clear();  // complete: nothing to abort any more
    return Info(etag);
  }

  std::shared_ptr<Client> client_;
  std::string key_;
  std::string content_type_;
  std::string buffer_;
  uint64_t written_ = 0;
  bool done_ = false;
  std::string upload_id_;
  int parts_started_ = 0;
  std::deque<std::future<Result<std::string>>> in_flight_;
  std::vector<std::string> etags_;
};

// -- reader -----------------------------------------------------------------------------------

class S3Reader final : public ObjectReader {
 public:
  S3Reader(std::shared_ptr<Client> client, ObjectInfo info, ByteRange range, bool empty)
      : client_(std::move(client)),
        info_(std::move(info)),
        next_(range.first),
        last_(range.last),
        empty_(empty) {}

  Result<size_t> Read(std::span<char> buf) override {
    if (pos_ == chunk_.size()) {
      if (empty_ || next_ > last_) return size_t{0};
      KINORA_TRY_VOID(Fetch());
    }
    const size_t n = std::min(buf.size(), chunk_.size() - pos_);
    std::copy_n(chunk_.data() + pos_, n, buf.data());
    pos_ += n;
    return n;
  }

  const ObjectInfo& info() const override { return info_; }

 private:
  Result<void> Fetch() {
    const uint64_t end = std::min(last_, next_ + kReadChunk - 1);
    KINORA_TRY(auto resp,
               client_->Send(Call{.method = "GET",
                                  .key = info_.key,
                                  .query = {},
                                  .headers = {{"Range", "bytes=" + std::to_string(next_) + "-" +
                                                            std::to_string(end)},
                                              {"If-Match", info_.etag}},
                                  .body = {}}));
    if (resp.status == 412) {
      return MakeError(ErrorCode::kUnavailable,
                       "get " + info_.key + ": the object was replaced while being read");
    }
    if (resp.status != 206 && resp.status != 200) return s3::ErrorFrom(resp, "get " + info_.key);
    const uint64_t want = end - next_ + 1;
    if (resp.body.size() != want && resp.body.size() == info_.size) {
      // The server ignored the range and sent the whole object (s3rver does for "bytes=0-0",
      // even with 206): take the part asked for.
      resp.body = resp.body.substr(next_, want);
    }
    if (resp.body.size() != want) {
      return MakeError(ErrorCode::kUnavailable, "get " + info_.key + ": short read (" +
                                                    std::to_string(resp.body.size()) + " of " +
                                                    std::to_string(end - next_ + 1) + " bytes)");
    }
    chunk_ = std::move(resp.body);
    pos_ = 0;
    next_ = end + 1;
    return {};
  }

  std::shared_ptr<Client> client_;
  ObjectInfo info_;
  uint64_t next_;
  uint64_t last_;
  bool empty_;
  std::string chunk_;
  size_t pos_ = 0;
};

// -- store ------------------------------------------------------------------------------------

class S3Store final : public ObjectStore {
 public:
  explicit S3Store(S3Config config) : client_(std::make_shared<Client>(std::move(config))) {}

  Result<std::unique_ptr<ObjectWriter>> BeginPut(std::string_view key,
                                                 std::string_view content_type) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::string type(content_type.empty() ? GuessContentType(key) : content_type);
    return std::unique_ptr<ObjectWriter>(
        std::make_unique<S3Writer>(client_, std::string(key), std::move(type)));
  }

  Result<std::unique_ptr<ObjectReader>> Get(std::string_view key,
                                            std::optional<ByteRange> range) override {
    KINORA_TRY(ObjectInfo info, Head(key));
    if (range && (range->first > range->last || range->last >= info.size)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "get " + std::string(key) + ": range outside the object");
    }
    const bool empty = info.size == 0;
    const ByteRange r = range ? *range : ByteRange{0, empty ? 0 : info.size - 1};
    return std::unique_ptr<ObjectReader>(
        std::make_unique<S3Reader>(client_, std::move(info), r, empty));
  }

  Result<std::string> CreateResumable(std::string_view upload_id, std::string_view key,
                                      std::string_view content_type, uint64_t length) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::string type(content_type.empty() ? GuessContentType(key) : content_type);
    return s3::CreateResumable(client_, upload_id, key, type, length);
  }
  Result<std::unique_ptr<ResumableWriter>> ResumePut(std::string_view upload_id,
                                                     std::string_view key,
                                                     const ResumableCheckpoint& at) override {
    KINORA_TRY_VOID(ValidateKey(key));
    return s3::ResumePut(client_, upload_id, key, at);
  }
  Result<void> AbortResumable(std::string_view upload_id, std::string_view key,
                              std::string_view state) override {
    KINORA_TRY_VOID(ValidateKey(key));
    KINORA_TRY_VOID(s3::AbortResumable(client_, key, state));
    return DeletePrefix(*this, s3::TailPrefix(upload_id));
  }

  bool supports_direct_multipart() const override { return true; }
  Result<std::string> CreateMultipart(std::string_view key,
                                      std::string_view content_type) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::string type(content_type.empty() ? GuessContentType(key) : content_type);
    return s3::CreateMultipart(*client_, key, type);
  }
  Result<std::string> PresignUploadPart(std::string_view key, std::string_view upload_id,
                                        int part_number, std::chrono::seconds ttl) const override {
    KINORA_TRY_VOID(ValidateKey(key));
    return s3::PresignUploadPart(*client_, key, upload_id, part_number, ttl);
  }
  Result<std::vector<UploadedPart>> ListParts(std::string_view key,
                                              std::string_view upload_id) override {
    KINORA_TRY_VOID(ValidateKey(key));
    return s3::ListParts(*client_, key, upload_id);
  }
  Result<ObjectInfo> CompleteMultipart(std::string_view key, std::string_view upload_id,
                                       const std::vector<UploadedPart>& parts) override {
    KINORA_TRY_VOID(ValidateKey(key));
    KINORA_TRY_VOID(s3::CompleteMultipart(*client_, key, upload_id, parts));
    return Head(key);
  }
  Result<void> AbortMultipart(std::string_view key, std::string_view upload_id) override {
    KINORA_TRY_VOID(ValidateKey(key));
    return s3::AbortMultipart(*client_, key, upload_id);
  }

  Result<ObjectInfo> Head(std::string_view key) override {
    KINORA_TRY_VOID(ValidateKey(key));
    KINORA_TRY(
        auto resp,
        client_->Send(Call{
            .method = "HEAD", .key = std::string(key), .query = {}, .headers = {}, .body = {}}));
    if (resp.status != 200) return s3::ErrorFrom(resp, "head " + std::string(key));
    ObjectInfo info;
    info.key = std::string(key);
    info.size =
        std::stoull(resp.Header("Content-Length").empty() ? "0" : resp.Header("Content-Length"));
    info.etag = Quoted(resp.Header("ETag"));
    info.content_type = resp.Header("Content-Type");
    if (info.content_type.empty()) info.content_type = GuessContentType(key);
    info.last_modified = s3::ParseS3Time(resp.Header("Last-Modified"));
    return info;
  }

  Result<ListPage> List(std::string_view prefix, std::string_view after, size_t max_keys) override {
    if (max_keys < 1 || max_keys > 1000) {
      return MakeError(ErrorCode::kInvalidArgument, "list: max_keys must be 1–1000");
    }
    KINORA_TRY_VOID(ValidatePrefix(prefix));
    aws::Pairs query = {{"list-type", "2"},
                        {"prefix", client_->FullKey(prefix)},
                        {"max-keys", std::to_string(max_keys)}};
    if (!after.empty()) query.emplace_back("start-after", client_->FullKey(after));
    KINORA_TRY(
        auto resp,
        client_->Send(Call{.method = "GET", .key = {}, .query = query, .headers = {}, .body = {}}));
    if (resp.status != 200) return s3::ErrorFrom(resp, "list " + std::string(prefix));
    KINORA_TRY(s3::ListResult listed, s3::ParseListObjectsV2(resp.body));
    ListPage page;
    for (auto& o : listed.objects) {
      page.objects.push_back(ObjectInfo{.key = client_->StripPrefix(o.key),
                                        .size = o.size,
                                        .etag = Quoted(o.etag),
                                        .content_type = std::string(GuessContentType(o.key)),
                                        .last_modified = o.last_modified});
    }
    if (listed.truncated && !page.objects.empty()) page.next = page.objects.back().key;
    return page;
  }

  Result<void> Delete(std::string_view key) override {
    KINORA_TRY_VOID(ValidateKey(key));
    KINORA_TRY(
        auto resp,
        client_->Send(Call{
            .method = "DELETE", .key = std::string(key), .query = {}, .headers = {}, .body = {}}));
    if (resp.status != 204 && resp.status != 200 && resp.status != 404) {
      return s3::ErrorFrom(resp, "delete " + std::string(key));
    }
    return {};
  }

  // DeleteObjects: one request per 1000 keys; a key S3 could not delete fails the call.
  Result<void> DeleteMany(const std::vector<std::string>& keys) override {
    if (keys.size() > 1000) return MakeError(ErrorCode::kInvalidArgument, "delete: over 1000 keys");
    if (keys.empty()) return {};
    std::string xml = "<Delete><Quiet>true</Quiet>";
    for (const std::string& k : keys) {
      KINORA_TRY_VOID(ValidateKey(k));
      xml += "<Object><Key>" + client_->FullKey(k) + "</Key></Object>";  // keys need no escaping
    }
    xml += "</Delete>";
    const std::string md5 = s3::ContentMd5(xml);
    KINORA_TRY(
        auto resp,
        client_->Send(Call{.method = "POST",
                           .key = {},
                           .query = {{"delete", ""}},
                           .headers = {{"Content-Type", "application/xml"}, {"Content-MD5", md5}},
                           .body = xml}));
    if (resp.status != 200) return s3::ErrorFrom(resp, "DeleteObjects");
    if (resp.body.find("<Error>") != std::string::npos) {
      return MakeError(ErrorCode::kUnavailable, "DeleteObjects: some keys were not deleted");
    }
    return {};
  }

  Result<void> Ping() override {
    KINORA_TRY(
        auto resp,
        client_->Send(Call{.method = "HEAD", .key = {}, .query = {}, .headers = {}, .body = {}}));
    if (resp.status != 200) return s3::ErrorFrom(resp, "bucket " + client_->config().bucket);
    return {};
  }

  std::string Describe() const override { return client_->Describe(); }

  std::optional<std::string> PresignedOrigin() const override { return client_->Origin(); }

  std::string PresignedGet(std::string_view key, std::chrono::seconds ttl) const override {
    if (!ValidateKey(key)) return {};
    return client_->PresignGet(
        key, std::clamp(ttl, std::chrono::seconds(1), std::chrono::seconds(7 * 24 * 3600)));
  }

 private:
  std::shared_ptr<Client> client_;
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> NewS3Store(S3Config config) {
  if (config.credentials.access_key_id.empty() && !config.credentials_provider) {
    KINORA_TRY(config.credentials_provider, aws::CredentialsFromEnvironment(config.region));
  }
  if (config.bucket.empty()) return MakeError(ErrorCode::kInvalidArgument, "s3: no bucket");
  if (config.part_size < kMinPart) {
    return MakeError(ErrorCode::kInvalidArgument, "s3: part_size must be at least 5 MiB");
  }
  if (!config.prefix.empty() && !config.prefix.ends_with('/')) config.prefix += '/';
  if (config.parallel_parts < 1) config.parallel_parts = 1;
  return std::unique_ptr<ObjectStore>(std::make_unique<S3Store>(std::move(config)));
}

}  // namespace kinora::storage
