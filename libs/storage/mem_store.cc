#include "kinora/storage/mem_store.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

#include "key_rules.h"

namespace kinora::storage {
namespace {

struct Object {
  std::string data;
  ObjectInfo info;
};

class MemStore;

class MemWriter final : public ObjectWriter {
 public:
  MemWriter(MemStore& store, std::string key, std::string content_type)
      : store_(store), key_(std::move(key)), content_type_(std::move(content_type)) {}

  Result<void> Write(std::span<const char> data) override {
    data_.append(data.data(), data.size());
    return {};
  }
  Result<ObjectInfo> Commit() override;
  void Abort() override { data_.clear(); }
  uint64_t bytes_written() const override { return data_.size(); }
  bool can_read_back() const override { return true; }
  Result<size_t> ReadBack(uint64_t offset, std::span<char> buf) override {
    if (offset >= data_.size()) return size_t{0};
    const size_t n = std::min<uint64_t>(buf.size(), data_.size() - offset);
    std::memcpy(buf.data(), data_.data() + offset, n);
    return n;
  }

 private:
  MemStore& store_;
  std::string key_, content_type_, data_;
};

class MemReader final : public ObjectReader {
 public:
  MemReader(std::string data, ObjectInfo info) : data_(std::move(data)), info_(std::move(info)) {}

  Result<size_t> Read(std::span<char> buf) override {
    const size_t n = std::min(buf.size(), data_.size() - pos_);
    std::memcpy(buf.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const ObjectInfo& info() const override { return info_; }

 private:
  std::string data_;  // the requested range
  ObjectInfo info_;   // the whole object
  size_t pos_ = 0;
};

class MemStore final : public ObjectStore {
 public:
  Result<std::unique_ptr<ObjectWriter>> BeginPut(std::string_view key,
                                                 std::string_view content_type) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::string type(content_type.empty() ? GuessContentType(key) : content_type);
    return std::unique_ptr<ObjectWriter>(
        std::make_unique<MemWriter>(*this, std::string(key), std::move(type)));
  }

  Result<std::unique_ptr<ObjectReader>> Get(std::string_view key,
                                            std::optional<ByteRange> range) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::lock_guard lock(mu_);
    auto it = objects_.find(std::string(key));
    if (it == objects_.end()) return NotFound(key);
    const Object& o = it->second;
    std::string data = o.data;
    if (range) {
      if (range->first > range->last || range->last >= o.data.size()) {
        return MakeError(ErrorCode::kInvalidArgument, "range outside the object");
      }
      data = o.data.substr(range->first, range->length());
    }
    return std::unique_ptr<ObjectReader>(std::make_unique<MemReader>(std::move(data), o.info));
  }

  Result<ObjectInfo> Head(std::string_view key) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::lock_guard lock(mu_);
    auto it = objects_.find(std::string(key));
    if (it == objects_.end()) return NotFound(key);
    return it->second.info;
  }

  Result<ListPage> List(std::string_view prefix, std::string_view after, size_t max_keys) override {
    if (max_keys < 1 || max_keys > 1000) {
      return MakeError(ErrorCode::kInvalidArgument, "max_keys must be 1–1000");
    }
    KINORA_TRY_VOID(ValidatePrefix(prefix));
    std::lock_guard lock(mu_);
    ListPage page;
    auto it = after.empty() ? objects_.lower_bound(std::string(prefix))
                            : objects_.upper_bound(std::string(after));
    for (; it != objects_.end() && it->first.starts_with(prefix); ++it) {
      if (page.objects.size() == max_keys) {
        page.next = page.objects.back().key;
        break;
      }
      page.objects.push_back(it->second.info);
    }
    return page;
  }

  Result<void> Delete(std::string_view key) override {
    KINORA_TRY_VOID(ValidateKey(key));
    std::lock_guard lock(mu_);
    objects_.erase(std::string(key));
    return {};
  }

  Result<void> Ping() override { return {}; }
  std::string Describe() const override { return "memory"; }

  ObjectInfo Store(const std::string& key, std::string data, const std::string& content_type) {
    std::lock_guard lock(mu_);
    ObjectInfo info{key, data.size(),
                    "\"" + std::to_string(std::hash<std::string>{}(data)) + "-" +
                        std::to_string(++version_) + "\"",
                    content_type, std::chrono::system_clock::now()};
    objects_[key] = Object{std::move(data), info};
    return info;
  }

 private:
  static Error NotFound(std::string_view key) {
    return MakeError(ErrorCode::kNotFound, "no such object: " + std::string(key));
  }

  std::mutex mu_;
  std::map<std::string, Object> objects_;  // guarded by mu_
  uint64_t version_ = 0;                   // guarded by mu_; makes every ETag distinct
};

Result<ObjectInfo> MemWriter::Commit() {
  return store_.Store(key_, std::move(data_), content_type_);
}

}  // namespace

std::unique_ptr<ObjectStore> NewMemStore() { return std::make_unique<MemStore>(); }

}  // namespace kinora::storage
